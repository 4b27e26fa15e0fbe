//! The official workbook's sheets, in order: the official form, 知識 / 技能 / 態度 (code, name, the
//! tasks that use it), the competency matrix, 資料 (the flat table) and 檢核 (the diagnostics).
//! The lists are plain tables with a header row, to sort and filter.

use super::FormStyles;
use super::{Block, Cell, Document, PageSetup, Role, SheetOptions, Table};
use crate::diag::Diagnostic;
use crate::model::Standard;
use crate::template::Template;

/// Every sheet of the official workbook.
pub fn sheets(standard: &Standard, diagnostics: &[Diagnostic], template: &Template) -> Vec<Document> {
    let w = &template.workbook;
    let uses = |code: &str, knowledge: bool| -> String {
        let tasks: Vec<&str> = standard
            .tasks()
            .filter(|t| if knowledge { t.knowledge.iter().any(|k| k == code) } else { t.skills.iter().any(|s| s == code) })
            .map(|t| t.code.as_str())
            .collect();
        tasks.join("、")
    };
    let item_heads = [w.code.as_str(), w.item_name.as_str(), w.used_by.as_str()];
    let knowledge: Vec<Vec<String>> =
        standard.knowledge.iter().map(|k| vec![k.code.clone(), k.name.clone(), uses(&k.code, true)]).collect();
    let skills: Vec<Vec<String>> = standard.skills.iter().map(|s| vec![s.code.clone(), s.name.clone(), uses(&s.code, false)]).collect();
    let attitudes: Vec<Vec<String>> = standard.attitudes.iter().map(|a| vec![a.code.clone(), a.name.clone()]).collect();
    let checks: Vec<Vec<String>> = diagnostics
        .iter()
        .map(|d| {
            let place = match &d.cell {
                Some(cell) => format!("{}!{cell}", d.sheet),
                None => d.sheet.clone(),
            };
            vec![d.severity.to_string(), d.rule.to_string(), place, d.message.to_string()]
        })
        .collect();
    let data: Vec<Vec<String>> = super::flat::lines(standard).into_iter().map(Vec::from).collect();
    let data_heads: Vec<&str> = super::flat::COLUMNS.to_vec();
    let data_widths: Vec<f32> = (0..data_heads.len()).map(|col| if matches!(col, 9 | 19 | 22 | 23) { 40.0 } else { 14.0 }).collect();
    vec![
        super::form::document(standard, template),
        list(standard, template, &w.sheet_knowledge, &item_heads, &[8.0, 30.0, 40.0], knowledge),
        list(standard, template, &w.sheet_skills, &item_heads, &[8.0, 30.0, 40.0], skills),
        list(standard, template, &w.sheet_attitudes, &item_heads[..2], &[8.0, 40.0], attitudes),
        super::matrix::document(standard, template),
        list(standard, template, &w.sheet_data, &data_heads, &data_widths, data),
        list(
            standard,
            template,
            &w.sheet_check,
            &[w.severity.as_str(), w.rule.as_str(), w.location.as_str(), w.message.as_str()],
            &[9.0, 22.0, 24.0, 80.0],
            checks,
        ),
    ]
}

/// A list sheet: a shaded header row, then one row per entry. `widths` are in characters, as a
/// reader of a list thinks of them; the sheet prints on its own, landscape, one page wide.
pub fn list(standard: &Standard, template: &Template, name: &str, heads: &[&str], widths: &[f32], rows: Vec<Vec<String>>) -> Document {
    let styles = FormStyles::new(template);
    let plain = super::Style::body(template.font.body_pt);
    let header = heads.iter().enumerate().map(|(c, h)| Cell::new((0, 0), (c, c), *h, styles.label, Role::Header)).collect();
    let mut cells = Vec::with_capacity(rows.iter().map(Vec::len).sum());
    let count = rows.len();
    for (r, values) in rows.into_iter().enumerate() {
        for (c, value) in values.into_iter().enumerate() {
            cells.push(Cell::new((r, r), (c, c), value, plain, Role::Body(c)));
        }
    }
    // A character of the body font is about half its size wide, plus the cell's padding.
    let points = widths.iter().map(|w| w * template.font.body_pt * 0.55 + 5.0).collect();
    let table = Table { widths: points, header, cells, rows: count, ..Table::default() };
    Document {
        title: format!("{} {name}", standard.code),
        sheet: name.to_string(),
        page: PageSetup::of(template, true, format!("{} {}{} {name}", standard.code, standard.name, template.labels.title_suffix)),
        blocks: vec![Block::Table(table)],
        sheet_options: SheetOptions { list: true, print: true, repeat: Some(0) },
    }
}
