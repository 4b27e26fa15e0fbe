//! Data files: the canonical JSON and the flat CSV of a standard, and `output`, which puts a
//! standard's files in place atomically. Documents (PDF, workbooks, ODF) are drawn from `doc` by
//! their backends.

pub mod csv;
pub mod html;
pub mod json;
pub mod output;
