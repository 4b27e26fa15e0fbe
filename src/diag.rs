//! Diagnostics: what was rewritten, suspicious or wrong in a source, each with file, sheet and the
//! cell to edit. Printed as `file:sheet!cell: level[rule]: message` in the chosen language, or as JSON.

use crate::i18n::{Lang, Message};
use crate::model::{Cell, Source};
use serde::Serialize;
use serde::ser::SerializeStruct;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short name for the check (`prefix-mismatch`), the same in every language.
    pub rule: &'static str,
    pub file: String,
    pub sheet: String,
    /// The A1 reference of the cell to edit, when the finding is about a cell.
    pub cell: Option<String>,
    /// What is wrong and, where there is one, what to do; rendered when printed.
    pub message: Message,
    /// The cell as found in the grid, kept to name it by the source's own places (a text document).
    pub at: Option<Cell>,
}

impl Diagnostic {
    pub fn new(severity: Severity, rule: &'static str, cell: Option<Cell>, message: Message) -> Diagnostic {
        Diagnostic { severity, rule, file: String::new(), sheet: String::new(), cell: cell.map(Cell::a1), message, at: cell }
    }

    pub fn info(rule: &'static str, cell: Option<Cell>, message: Message) -> Diagnostic {
        Diagnostic::new(Severity::Info, rule, cell, message)
    }

    pub fn warning(rule: &'static str, cell: Option<Cell>, message: Message) -> Diagnostic {
        Diagnostic::new(Severity::Warning, rule, cell, message)
    }

    pub fn error(rule: &'static str, cell: Option<Cell>, message: Message) -> Diagnostic {
        Diagnostic::new(Severity::Error, rule, cell, message)
    }

    /// Set the file and sheet this diagnostic is about.
    pub fn located(mut self, file: &str, sheet: &str) -> Diagnostic {
        self.file = file.to_string();
        self.sheet = sheet.to_string();
        self
    }

    /// Set the file and place from where a standard was read: its sheet and A1 cell, or for a text
    /// document the table and cell (`表2` `R5C3`) or the paragraph (`段落12`) a clerk finds it at.
    /// A message that names the cell (the fix: 「請在 E40 填入…」) names it the same way.
    pub fn located_in(self, source: &Source) -> Diagnostic {
        let named = source.places.as_ref().zip(self.at).and_then(|(places, cell)| places.name(cell));
        match named {
            Some((place, cell)) => {
                let mut message = self.message.clone();
                if let (Some(old), Some(new)) = (&self.cell, &cell) {
                    message.rename_cell(old, &format!("{place}!{new}"));
                }
                Diagnostic { cell, message, ..self.located(&source.file, &place) }
            }
            None => self.located(&source.file, &source.sheet),
        }
    }

    /// `file:sheet!cell`, as far as known.
    pub fn place(&self) -> String {
        let mut place = self.file.clone();
        match (&self.sheet, &self.cell) {
            (sheet, Some(cell)) if !sheet.is_empty() => place.push_str(&format!(":{sheet}!{cell}")),
            (sheet, None) if !sheet.is_empty() => place.push_str(&format!(":{sheet}")),
            _ => {}
        }
        place
    }

    /// The line as printed, in a language.
    pub fn render(&self, lang: Lang) -> String {
        format!("{}: {}[{}]: {}", self.place(), self.severity.render(lang), self.rule, self.message.render(lang))
    }
}

impl Severity {
    /// The level's word in a language.
    pub fn render(self, lang: Lang) -> String {
        let id = match self {
            Severity::Info => "severity-info",
            Severity::Warning => "severity-warning",
            Severity::Error => "severity-error",
        };
        Message::new(id).render(lang)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::lang()))
    }
}

/// In the current language (`i18n::set_lang`).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::lang()))
    }
}

/// For `report.json` and `--format json`, the same in every language: the message in English,
/// and its catalogue id and arguments for scripts that render or match it themselves.
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Diagnostic", 8)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("rule", self.rule)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("sheet", &self.sheet)?;
        s.serialize_field("cell", &self.cell)?;
        s.serialize_field("message", &self.message.english())?;
        s.serialize_field("message_id", &self.message.id)?;
        s.serialize_field("args", &self.message.args_json())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        let message = Message::new("prefix-mismatch").arg("code", "P2.2.2").arg("under", "T2.1").arg("parent", "T2.2");
        Diagnostic::warning("prefix-mismatch", Some(Cell { row: 16, col: 3 }), message).located("a.xlsx", "職能基準")
    }

    #[test]
    fn prints_file_sheet_cell_in_either_language() {
        let d = sample();
        assert!(
            d.render(Lang::En).starts_with("a.xlsx:職能基準!D17: warning[prefix-mismatch]: P2.2.2 is under T2.1"),
            "{}",
            d.render(Lang::En)
        );
        assert!(d.render(Lang::ZhTw).starts_with("a.xlsx:職能基準!D17: 警告[prefix-mismatch]: "), "{}", d.render(Lang::ZhTw));
    }

    #[test]
    fn json_is_english_with_id_and_arguments() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["rule"], "prefix-mismatch");
        assert_eq!(json["message_id"], "prefix-mismatch");
        assert_eq!(json["args"]["code"], "P2.2.2");
        assert!(json["message"].as_str().unwrap().starts_with("P2.2.2 is under T2.1"));
    }

    #[test]
    fn prints_the_table_and_cell_of_a_text_document() {
        use crate::model::{Places, RowPlace};
        let places = Places { rows: vec![RowPlace::Paragraph(1), RowPlace::Table { table: 2, row: 5, starts: vec![0, 1, 2, 3] }] };
        let source = Source { file: "a.docx".into(), places: Some(std::sync::Arc::new(places)), ..Source::default() };
        let prefix = Message::new("prefix-mismatch").arg("code", "P2.2.2").arg("under", "T2.1").arg("parent", "T2.2");
        let in_table = Diagnostic::warning("prefix-mismatch", Some(Cell { row: 1, col: 3 }), prefix).located_in(&source);
        assert!(in_table.render(Lang::En).starts_with("a.docx:表2!R5C4: warning[prefix-mismatch]: P2.2.2 is under T2.1"));
        let twice = Message::new("duplicate-attitude").arg("code", "A12").arg("name", "樂觀");
        let in_paragraph = Diagnostic::warning("duplicate-attitude", Some(Cell { row: 0, col: 0 }), twice).located_in(&source);
        assert!(in_paragraph.render(Lang::En).starts_with("a.docx:段落1: warning[duplicate-attitude]: A12 樂觀"));
        let level = Message::new("level-range").num("level", 9).arg("task", "T1.1").arg("cell", "D2");
        let fix = Diagnostic::warning("level-range", Some(Cell { row: 1, col: 3 }), level).located_in(&source);
        assert!(fix.render(Lang::En).ends_with("enter a level from 1 to 6 in 表2!R5C4"), "{}", fix.render(Lang::En));
    }
}
