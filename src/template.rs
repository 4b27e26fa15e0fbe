//! Templates: the labels, fonts, sizes, paper and column proportions of the printed outputs, as data.
//! `templates/official.toml` is compiled in; `--template FILE` replaces it.

use serde::Deserialize;
use std::path::Path;

/// The official form, compiled in.
pub const OFFICIAL: &str = include_str!("../templates/official.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub labels: Labels,
    pub font: Font,
    pub page: Page,
    pub table: Table,
    pub workbook: Workbook,
    pub matrix: Matrix,
    pub checklist: Checklist,
    /// The 修正對照表 of `ocs diff`; a template without it takes the official one's.
    #[serde(default)]
    pub amendment: Amendment,
}

/// Every label printed on the form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub title_suffix: String,
    pub code: String,
    pub name: String,
    pub category: String,
    pub occupation: String,
    pub classification: String,
    pub job_category: String,
    pub job_category_code: String,
    pub occupation_class: String,
    pub occupation_code: String,
    pub industry: String,
    pub industry_code: String,
    pub description: String,
    pub level: String,
    pub duty: String,
    pub task: String,
    pub output: String,
    pub indicator: String,
    pub task_level: String,
    pub knowledge: String,
    pub skills: String,
    pub attitudes: String,
    pub notes: String,
    /// Appended to a span's label repeated at the top of a page.
    pub continued: String,
    /// Page footer; `{page}` and `{pages}` are replaced.
    pub footer: String,
    pub version: String,
    pub version_code: String,
    pub version_name: String,
    pub version_status: String,
    pub version_note: String,
    pub version_date: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Font {
    /// The font name written into workbooks.
    pub name: String,
    pub body_pt: f32,
    pub title_pt: f32,
    pub header_pt: f32,
    pub footer_pt: f32,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Proportions of the seven main-table columns.
    pub columns: [f32; 7],
    pub padding_pt: f32,
    /// Proportions of the header block's six columns.
    pub header_columns: [f32; 6],
}

/// The workbook: column widths, line height, sheet names and the other sheets' column heads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workbook {
    /// Widths of columns A–G of the official sheet, in characters.
    pub columns: [f64; 7],
    pub line_height: f32,
    pub sheet_official: String,
    pub sheet_knowledge: String,
    pub sheet_skills: String,
    pub sheet_attitudes: String,
    pub sheet_data: String,
    pub sheet_check: String,
    pub code: String,
    pub item_name: String,
    pub used_by: String,
    pub severity: String,
    pub rule: String,
    pub location: String,
    pub message: String,
}

/// The competency matrix's labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub title: String,
    pub knowledge: String,
    pub skills: String,
    pub total: String,
    pub legend: String,
    /// Drawn where a task needs a code.
    pub mark: String,
    pub sheet: String,
}

/// The training checklist's labels, the assessment methods and the official level wording.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub title: String,
    pub role: String,
    pub standard: String,
    pub trainee: String,
    pub trainer: String,
    pub period: String,
    pub period_blank: String,
    pub methods_note: String,
    pub task: String,
    pub indicator: String,
    pub achieved: String,
    pub not_achieved: String,
    pub method: String,
    pub comment: String,
    pub date: String,
    pub level: String,
    pub evidence: String,
    pub knowledge: String,
    pub skills: String,
    pub result: String,
    pub pass: String,
    pub retry: String,
    pub trainee_signature: String,
    pub trainer_signature: String,
    pub sheet: String,
    /// 評量方式 offered in the workbook's drop-down list.
    pub methods: Vec<String>,
    /// The official wording of 職能級別 1–6.
    pub levels: [String; 6],
}

/// The 修正對照表's labels and the phrases of its 說明 column (`{old}` and `{new}` are replaced).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub title: String,
    pub sheet: String,
    pub after: String,
    pub before: String,
    pub explanation: String,
    pub after_version: String,
    pub before_version: String,
    /// Said when the two versions do not differ.
    pub none: String,
    pub added: String,
    pub removed: String,
    pub reworded: String,
    pub renumbered: String,
    pub moved: String,
    /// A value replaced (a level): after the value's label.
    pub value: String,
    /// After a label that starts a cell (`工作描述：`).
    #[serde(default = "official_colon")]
    pub colon: String,
    /// The name of each compared field, in the table and the 更新說明.
    #[serde(default = "official_fields")]
    pub fields: Fields,
    /// The phrases of the 更新說明 sentence.
    #[serde(default = "official_said")]
    pub said: Said,
}

// A template written before these keys existed gets the official ones (only called for a key the
// template lacks: the official template has them all).
fn official_colon() -> String {
    Template::official().amendment.colon
}

fn official_fields() -> Fields {
    Template::official().amendment.fields
}

fn official_said() -> Said {
    Template::official().amendment.said
}

/// The names of the fields `ocs diff` compares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    pub code: String,
    pub name: String,
    pub name_kind: String,
    pub job_category: String,
    pub job_category_code: String,
    pub occupation: String,
    pub occupation_code: String,
    pub industry: String,
    pub industry_code: String,
    pub description: String,
    pub level: String,
    pub duty: String,
    pub task: String,
    pub task_level: String,
    pub task_knowledge: String,
    pub task_skills: String,
    pub output: String,
    pub indicator: String,
    pub knowledge: String,
    pub skill: String,
    pub attitude: String,
    pub note: String,
}

/// The clauses of the 更新說明 sentence, one per kind of change and field: `{label}` the field's
/// name, `{labels}` several names, `{codes}` the item's code (or the first code and how many),
/// `{from}`/`{to}` a code or task before and after, `{n}` a count and `{others}` the count less one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Said {
    pub header_added: String,
    pub header_removed: String,
    pub header_changed: String,
    pub added: String,
    pub removed: String,
    pub changed: String,
    pub notes: String,
    pub notes_many: String,
    pub task_part: String,
    pub renumbered: String,
    pub renumbering: String,
    pub moved: String,
    pub moving: String,
    pub more: String,
    /// Between names (`、`), between clauses (`；`) and at the end (`。`).
    pub list: String,
    pub then: String,
    pub end: String,
}

impl Default for Amendment {
    fn default() -> Amendment {
        Template::official().amendment
    }
}

/// A template file that cannot be used.
#[derive(Debug)]
pub enum Error {
    Io { file: String, source: std::io::Error },
    Invalid { file: String, message: String },
}

/// In the current language, from the catalogue.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = match self {
            Error::Io { file, source } => crate::i18n::Message::new("template-io").arg("file", file).arg("error", source),
            Error::Invalid { file, message } => crate::i18n::Message::new("template-invalid").arg("file", file).arg("detail", message),
        };
        write!(f, "{message}")
    }
}

impl std::error::Error for Error {}

impl Template {
    /// The compiled-in official template.
    pub fn official() -> Template {
        // The compiled-in file is checked by a test.
        toml::from_str(OFFICIAL).expect("templates/official.toml is valid")
    }

    pub fn from_file(path: &Path) -> Result<Template, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { file: file.clone(), source })?;
        Template::parse(&text).map_err(|message| Error::Invalid { file, message })
    }

    pub fn parse(text: &str) -> Result<Template, String> {
        let value: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
        Template::check_texts(&value, "")?;
        let template: Template = value.try_into().map_err(|e: toml::de::Error| e.to_string())?;
        template.validate()?;
        Ok(template)
    }

    fn validate(&self) -> Result<(), String> {
        let within = |value: f32, low: f32, high: f32, what: &str| {
            if (low..=high).contains(&value) { Ok(()) } else { Err(format!("{what} must be between {low} and {high} (it is {value})")) }
        };
        for (size, name) in [
            (self.font.body_pt, "body_pt"),
            (self.font.title_pt, "title_pt"),
            (self.font.header_pt, "header_pt"),
            (self.font.footer_pt, "footer_pt"),
        ] {
            within(size, 4.0, 72.0, &format!("font.{name}"))?;
        }
        within(self.font.line_height, 1.0, 3.0, "font.line_height")?;
        within(self.workbook.line_height, 1.0, 3.0, "workbook.line_height")?;
        let page = &self.page;
        within(page.width_mm, 50.0, 1200.0, "page.width_mm")?;
        within(page.height_mm, 50.0, 1200.0, "page.height_mm")?;
        for (margin, name) in [
            (page.margin_top_mm, "margin_top_mm"),
            (page.margin_bottom_mm, "margin_bottom_mm"),
            (page.margin_left_mm, "margin_left_mm"),
            (page.margin_right_mm, "margin_right_mm"),
        ] {
            within(margin, 0.0, 100.0, &format!("page.{name}"))?;
        }
        let usable_width = page.width_mm - page.margin_left_mm - page.margin_right_mm;
        let usable_height = page.height_mm - page.margin_top_mm - page.margin_bottom_mm;
        if usable_width < 50.0 || usable_height < 50.0 {
            return Err("the page leaves less than 50 mm between its margins".into());
        }
        if self.workbook.columns.iter().any(|c| !(1.0..=255.0).contains(c)) {
            return Err("workbook column widths must be between 1 and 255 characters".into());
        }
        let proportions = [&self.table.columns[..], &self.table.header_columns[..]];
        if proportions.iter().flat_map(|p| p.iter()).any(|c| !(0.01..=1000.0).contains(c)) {
            return Err("column proportions must be between 0.01 and 1000".into());
        }
        within(self.table.padding_pt, 0.0, 20.0, "table.padding_pt")?;
        // Every column of the tables must hold a character of body text between its paddings.
        let points = usable_width * 72.0 / 25.4;
        for columns in proportions {
            let total: f32 = columns.iter().sum();
            let narrowest = columns.iter().copied().fold(f32::INFINITY, f32::min) / total * points;
            if narrowest < 2.0 * self.table.padding_pt + self.font.body_pt {
                return Err(format!(
                    "the narrowest table column ({narrowest:.1} pt) cannot hold a character of body text between paddings of {} pt",
                    self.table.padding_pt
                ));
            }
        }
        let sheets = [
            &self.workbook.sheet_official,
            &self.workbook.sheet_knowledge,
            &self.workbook.sheet_skills,
            &self.workbook.sheet_attitudes,
            &self.workbook.sheet_data,
            &self.workbook.sheet_check,
            &self.matrix.sheet,
            &self.checklist.sheet,
            &self.amendment.sheet,
        ];
        if let Some(name) =
            sheets.iter().find(|n| n.is_empty() || n.chars().count() > 31 || n.contains(['[', ']', ':', '*', '?', '/', '\\']))
        {
            return Err(format!("sheet name `{name}` must be 1 to 31 characters without [ ] : * ? / \\"));
        }
        if self.checklist.methods.len() > 50 {
            return Err("checklist.methods may list at most 50 methods".into());
        }
        Ok(())
    }

    /// Every text of a template file at most `MAX_TEXT` characters: labels are repeated on every
    /// page, so a long one costs memory and time many times over.
    fn check_texts(value: &toml::Value, path: &str) -> Result<(), String> {
        const MAX_TEXT: usize = 500;
        match value {
            toml::Value::String(text) if text.chars().count() > MAX_TEXT => {
                Err(format!("{path} is {} characters long, over the limit of {MAX_TEXT}", text.chars().count()))
            }
            toml::Value::Table(table) => table
                .iter()
                .try_for_each(|(key, v)| Template::check_texts(v, &if path.is_empty() { key.clone() } else { format!("{path}.{key}") })),
            toml::Value::Array(items) => items.iter().enumerate().try_for_each(|(n, v)| Template::check_texts(v, &format!("{path}[{n}]"))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_template_is_valid() {
        let template = Template::parse(OFFICIAL).unwrap();
        assert_eq!(template.labels.indicator, "行為指標");
        assert_eq!(template.page.width_mm, 210.0);
    }

    #[test]
    fn a_bad_template_says_why() {
        let broken = OFFICIAL.replace("body_pt = 10", "body_pt = 200");
        assert!(Template::parse(&broken).unwrap_err().contains("font.body_pt"));
        assert!(Template::parse("[labels]").is_err());
        for (from, to, why) in [
            ("padding_pt = 4", "padding_pt = 100", "padding_pt"),
            ("width_mm = 210", "width_mm = nan", "width_mm"),
            ("width_mm = 210", "width_mm = inf", "width_mm"),
            ("margin_left_mm = 12", "margin_left_mm = -500", "margin_left_mm"),
            ("line_height = 1.45", "line_height = 1e30", "workbook.line_height"),
            ("columns = [11, 12, 12, 28, 8, 16, 13]", "columns = [11, 12, 12, 28, 8, 16, 1e-9]", "proportions"),
            ("columns = [11, 12, 12, 28, 8, 16, 13]", "columns = [1000, 12, 12, 28, 8, 16, 13]", "narrowest"),
        ] {
            assert!(OFFICIAL.contains(from), "{from}");
            let error = Template::parse(&OFFICIAL.replacen(from, to, 1)).unwrap_err();
            assert!(error.contains(why), "{to}: {error}");
        }
        let long = OFFICIAL.replacen("continued = \"", &format!("continued = \"{}", "續".repeat(3000)), 1);
        assert!(Template::parse(&long).unwrap_err().contains("labels.continued is 30"));
        assert!(Template::parse(crate::template::OFFICIAL).is_ok());
    }

    #[test]
    fn a_template_older_than_the_amendment_words_gets_the_official_ones() {
        // A template written before [amendment.fields] and [amendment.said]: everything from
        // `colon` on is cut.
        let cut = OFFICIAL.find("colon = ").unwrap();
        let older = Template::parse(&OFFICIAL[..cut]).unwrap();
        assert_eq!(older.amendment.colon, "：");
        assert_eq!(older.amendment.fields.indicator, "行為指標");
        assert_eq!(older.amendment.said.then, "；");
        // A table of its own is read whole: a key missing from it is an error naming the key.
        let partial = format!("{}\n[amendment.said]\nadded = \"+{{label}}\"\n", &OFFICIAL[..cut]);
        assert!(Template::parse(&partial).unwrap_err().contains("header_added"));
        let en = Template::parse(include_str!("../templates/en.toml")).unwrap();
        assert_eq!(en.amendment.fields.indicator, "performance indicator");
    }
}
