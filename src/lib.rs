//! ocs: occupational competency standards (職能基準, iCAP) from Excel or CSV to the official table.
//!
//! The pipeline: `read` (file → `Grid`) → `layout` (`Grid` → `Standard`) → `check` (diagnostics,
//! `--fix`) → `write` (JSON, CSV, …). `model` holds the domain types, `code` every code rule, and
//! `run` drives a batch.

pub mod check;
pub mod code;
pub mod diag;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod read;
pub mod roles;
pub mod run;
pub mod template;
pub mod text;
pub mod write;
