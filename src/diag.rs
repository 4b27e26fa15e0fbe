//! Diagnostics: what was rewritten, suspicious or wrong in a source, each with file, sheet and cell.
//! Printed as `file:sheet!cell: level[rule]: message`, or as JSON.

use crate::model::Cell;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. `--strict` turns warnings into failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A rewrite that needs no action (a code respelled).
    Info,
    /// A defect in the source that the output still reproduces.
    Warning,
    /// The input could not be converted.
    Error,
}

/// One finding about one place of the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short name for the check (`prefix-mismatch`).
    pub rule: &'static str,
    pub file: String,
    pub sheet: String,
    /// The A1 reference, when the finding is about a cell.
    pub cell: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, rule: &'static str, cell: Option<Cell>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity, rule, file: String::new(), sheet: String::new(), cell: cell.map(Cell::a1), message: message.into() }
    }

    pub fn info(rule: &'static str, cell: Option<Cell>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Info, rule, cell, message)
    }

    pub fn warning(rule: &'static str, cell: Option<Cell>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, rule, cell, message)
    }

    /// Set the file and sheet this diagnostic is about.
    pub fn located(mut self, file: &str, sheet: &str) -> Diagnostic {
        self.file = file.to_string();
        self.sheet = sheet.to_string();
        self
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match (&self.sheet, &self.cell) {
            (sheet, Some(cell)) if !sheet.is_empty() => write!(f, ":{sheet}!{cell}")?,
            (sheet, None) if !sheet.is_empty() => write!(f, ":{sheet}")?,
            _ => {}
        }
        write!(f, ": {}[{}]: {}", self.severity, self.rule, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_file_sheet_cell() {
        let d =
            Diagnostic::warning("prefix-mismatch", Some(Cell { row: 16, col: 3 }), "P2.2.2 is under T2.1").located("a.xlsx", "職能基準");
        assert_eq!(d.to_string(), "a.xlsx:職能基準!D17: warning[prefix-mismatch]: P2.2.2 is under T2.1");
    }
}
