//! Diagnostics: what was rewritten, suspicious or wrong in a source, each with file, sheet and cell.
//! Printed as `file:sheet!cell: level[rule]: message`, or as JSON.

use crate::model::{Cell, Source};
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
    /// The cell as found in the grid, kept to name it by the source's own places (a text document).
    #[serde(skip)]
    pub at: Option<Cell>,
}

impl Diagnostic {
    pub fn new(severity: Severity, rule: &'static str, cell: Option<Cell>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            rule,
            file: String::new(),
            sheet: String::new(),
            cell: cell.map(Cell::a1),
            message: message.into(),
            at: cell,
        }
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

    /// Set the file and place from where a standard was read: its sheet and A1 cell, or for a text
    /// document the table and cell (`表2` `R5C3`) or the paragraph (`段落12`) a clerk finds it at.
    pub fn located_in(self, source: &Source) -> Diagnostic {
        let named = source.places.as_ref().zip(self.at).and_then(|(places, cell)| places.name(cell));
        match named {
            Some((place, cell)) => Diagnostic { cell, ..self.located(&source.file, &place) },
            None => self.located(&source.file, &source.sheet),
        }
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

    #[test]
    fn prints_the_table_and_cell_of_a_text_document() {
        use crate::model::{Places, RowPlace};
        let places = Places { rows: vec![RowPlace::Paragraph(1), RowPlace::Table { table: 2, row: 5, starts: vec![0, 1, 2, 3] }] };
        let source = Source { file: "a.docx".into(), sheet: String::new(), places: Some(std::sync::Arc::new(places)) };
        let in_table = Diagnostic::warning("prefix-mismatch", Some(Cell { row: 1, col: 3 }), "P2.2.2 is under T2.1").located_in(&source);
        assert_eq!(in_table.to_string(), "a.docx:表2!R5C4: warning[prefix-mismatch]: P2.2.2 is under T2.1");
        let in_paragraph = Diagnostic::warning("duplicate", Some(Cell { row: 0, col: 0 }), "A12 twice").located_in(&source);
        assert_eq!(in_paragraph.to_string(), "a.docx:段落1: warning[duplicate]: A12 twice");
        let whole = Diagnostic::warning("missing-level", None, "T5").located_in(&source);
        assert_eq!(whole.to_string(), "a.docx: warning[missing-level]: T5");
    }
}
