//! ocs: occupational competency standards (職能基準, iCAP) from spreadsheets, CSV and text documents
//! to the official table and its companions.
//!
//! The modules in pipeline order, each importing only from those above it:
//! - foundations: `model` (the domain types), `code` (every code rule), `diag` (diagnostics),
//!   `i18n` (messages), `template` (labels, fonts, widths, paper), `text` (fonts and measuring);
//! - `read`: a file's bytes → `Grid` (xlsx, xls, ods, csv, odt, docx), and `read::form`: a `Grid` →
//!   `Standard`, the label-driven reading of the official form;
//! - `check`: diagnostics and `--fix`; `diff`: two versions of a standard compared (the changes of
//!   a 修正對照表); `roles`: the roles a checklist is made for;
//! - `doc`: each document (official form, matrix, checklist, workbook sheets, blank template)
//!   described once as blocks and tables;
//! - `render`: one backend per format — `pdf` (page layout, then drawing), `sheet` (xlsx, ods),
//!   `odt` (with `odf`, shared by the ODF formats), and the data files `json`, `csv`, `html`;
//! - `report`: what a run found and did; `convert`: one conversion, bytes in and bytes out, the core
//!   that the command line and the web page share;
//! - the command line (feature `cli`): `output`: placing files atomically; `run`: a batch over
//!   input files and folders, on threads; `terminal`: its progress and colours; `console`: the
//!   Windows console (a double-click, files dropped on ocs.exe, the window kept open). `main` parses
//!   arguments.

pub mod check;
pub mod code;
#[cfg(feature = "cli")]
pub mod console;
pub mod convert;
pub mod diag;
pub mod diff;
pub mod doc;
pub mod i18n;
pub mod model;
#[cfg(feature = "cli")]
pub mod output;
pub mod read;
pub mod render;
pub mod report;
pub mod roles;
#[cfg(feature = "cli")]
pub mod run;
pub mod template;
pub mod terminal;
pub mod text;
