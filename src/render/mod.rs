//! One backend per format: each draws a `doc::Document` (or, for the data files, a `Standard` or a
//! run's `Report`) in its format and never decides content.

pub mod csv;
pub mod html;
pub mod json;
pub mod odf;
pub mod odt;
pub mod pdf;
pub mod sheet;
