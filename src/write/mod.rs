//! Writers: each takes a `&Standard` and returns the bytes of one file. A writer never re-parses,
//! validates or decides policy; `output` puts the files in place atomically.

pub mod blank;
pub mod checklist;
pub mod csv;
pub mod json;
pub mod output;
pub mod xlsx;
