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

/// A template file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: cannot read the template: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a valid template: {message}")]
    Invalid { file: String, message: String },
}

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
        let template: Template = toml::from_str(text).map_err(|e| e.to_string())?;
        template.validate()?;
        Ok(template)
    }

    fn validate(&self) -> Result<(), String> {
        let sizes = [self.font.body_pt, self.font.title_pt, self.font.header_pt, self.font.footer_pt];
        if sizes.iter().any(|s| !(4.0..=72.0).contains(s)) {
            return Err("font sizes must be between 4 and 72 pt".into());
        }
        if !(1.0..=3.0).contains(&self.font.line_height) {
            return Err("line_height must be between 1 and 3".into());
        }
        let page = &self.page;
        let usable_width = page.width_mm - page.margin_left_mm - page.margin_right_mm;
        let usable_height = page.height_mm - page.margin_top_mm - page.margin_bottom_mm;
        if usable_width < 50.0 || usable_height < 50.0 {
            return Err("the page leaves less than 50 mm between its margins".into());
        }
        if self.workbook.columns.iter().any(|c| !(1.0..=255.0).contains(c)) {
            return Err("workbook column widths must be between 1 and 255 characters".into());
        }
        if self.table.columns.iter().chain(&self.table.header_columns).any(|c| c.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)) {
            return Err("column proportions must be positive".into());
        }
        Ok(())
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
        assert!(Template::parse(&broken).unwrap_err().contains("font sizes"));
        assert!(Template::parse("[labels]").is_err());
    }
}
