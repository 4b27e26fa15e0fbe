//! ocs: occupational competency standards (職能基準, iCAP) from spreadsheets, CSV and text documents
//! to the official table and its companions.
//!
//! The pipeline: `read` (file → `Grid`) → `layout` (`Grid` → `Standard`) → `check` (diagnostics,
//! `--fix`) → `doc` (each document described once as blocks and tables) → one backend per format:
//! `pdf`, `sheet` (xlsx, ods), `odt`; `write` holds the data files (JSON, CSV) and the atomic
//! output. `model` holds the domain types, `code` every code rule, and `run` drives a batch.

pub mod check;
pub mod code;
pub mod diag;
pub mod doc;
pub mod i18n;
pub mod layout;
pub mod model;
pub mod odf;
pub mod odt;
pub mod pdf;
pub mod read;
pub mod roles;
pub mod run;
pub mod sheet;
pub mod template;
pub mod terminal;
pub mod text;
pub mod write;
