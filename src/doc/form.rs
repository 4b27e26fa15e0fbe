//! The official 職能基準 form: title, 版本 table, header block, the main table (a duty spanning its
//! tasks, a task its rows, 職能級別/K/S spanning the consecutive tasks of a duty that share them, as
//! printed), then the attitudes, one per line, and the notes (`notes`: a two-level list and small tables).

use super::{Block, Cell, Document, FormStyles, PageSetup, Role, Style, Table, proportions};
use crate::model::{NameKind, Standard, Task, coded};
use crate::template::Template;

/// The 職能級別 column: a number, its width fixed.
const LEVEL_COLUMN: usize = 4;

/// Where the form put what a form-filler edits (for the blank template's inputs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Placed {
    /// Index of the header-block table among the blocks, and its 基準級別 cell.
    pub header_block: usize,
    pub level_cell: usize,
    /// Index of the main table among the blocks.
    pub main_table: usize,
}

/// The official form of a standard.
pub fn document(standard: &Standard, template: &Template) -> Document {
    form(standard, template).0
}

/// The official form, with where its fields are.
pub fn form(standard: &Standard, template: &Template) -> (Document, Placed) {
    let labels = &template.labels;
    let title = format!("{}{}", standard.name, labels.title_suffix);
    let page = PageSetup::of(template, false, format!("{} {title}", standard.code));
    let styles = FormStyles::new(template);
    // The main table's columns fitted to its content; every table of the form lies on them.
    let official = proportions(&template.table.columns, page.content_width());
    let mut main = main_table(standard, template, &styles, official.clone());
    let (mut header, level_cell) = header_block(standard, template, &styles, &official);
    main.widths = super::fit::widths(&main, &[&header], &[LEVEL_COLUMN], page.padding, page.line_height);
    let widths = main.widths.clone();
    header.widths.clone_from(&widths);
    let mut blocks = vec![Block::Title { text: title.clone(), size: template.font.title_pt }, Block::Gap(6.0)];
    if !standard.versions.is_empty() {
        blocks.push(Block::Table(versions(standard, template, &styles, &widths)));
        blocks.push(Block::Gap(8.0));
    }
    let mut placed = Placed { header_block: blocks.len(), level_cell, main_table: 0 };
    blocks.push(Block::Table(header));
    blocks.push(Block::Gap(8.0));
    placed.main_table = blocks.len();
    blocks.push(Block::Table(main));
    blocks.push(Block::Gap(8.0));
    let attitudes: Vec<String> = standard.attitudes.iter().map(|a| coded(&a.code, &a.name)).collect();
    blocks.push(Block::Table(section(&labels.attitudes, &attitudes, &styles, &widths)));
    blocks.push(Block::Gap(8.0));
    blocks.push(Block::Table(super::notes::table(&labels.notes, standard, &styles, &widths)));
    let document = Document {
        title: format!("{} {title}", standard.code),
        sheet: template.workbook.sheet_official.clone(),
        page,
        blocks,
        sheet_options: super::SheetOptions { list: false, print: true, repeat: Some(placed.main_table) },
    };
    (document, placed)
}

/// The 版本 table, in the order printed: 版本 | 代碼 | 名稱 | 狀態 | 更新說明 | 發展更新日期. It lies on
/// the main table's columns: the long 更新說明 over 職能級別 and 知識.
fn versions(standard: &Standard, template: &Template, styles: &FormStyles, widths: &[f32]) -> Table {
    let l = &template.labels;
    let heads = [&l.version, &l.version_code, &l.version_name, &l.version_status, &l.version_note, &l.version_date];
    let columns = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 5), (6, 6)];
    let header = heads.iter().zip(columns).map(|(h, cols)| Cell::new((0, 0), cols, h.as_str(), styles.header, Role::Header)).collect();
    let mut cells = Vec::new();
    for (r, v) in standard.versions.iter().enumerate() {
        for (text, cols) in [&v.version, &v.code, &v.name, &v.status, &v.note, &v.date].into_iter().zip(columns) {
            cells.push(Cell::new((r, r), cols, text.as_str(), styles.body, Role::Body(cols.0)));
        }
    }
    Table { widths: widths.to_vec(), header, cells, rows: standard.versions.len(), ..Table::default() }
}

/// 職能基準代碼, 名稱 (擇一填寫), 所屬類別, 工作描述, 基準級別, on the main table's seven columns.
/// Returns the table and the index of its 基準級別 value cell.
fn header_block(standard: &Standard, template: &Template, styles: &FormStyles, widths: &[f32]) -> (Table, usize) {
    let l = &template.labels;
    // A value sits level with its label, both centred on the row's height.
    let (label, body) = (styles.label, Style { middle: true, ..styles.body });
    let mut cells = vec![
        Cell::new((0, 0), (0, 1), l.code.as_str(), label, Role::Label),
        Cell::new((0, 0), (2, 6), standard.code.as_str(), body, Role::Body(2)),
    ];
    let mut row = 1;
    match standard.name_kind {
        Some(kind) => {
            let (category, occupation) =
                if kind == NameKind::Category { (standard.name.as_str(), "") } else { ("", standard.name.as_str()) };
            cells.push(Cell::new((1, 2), (0, 0), l.name.as_str(), label, Role::Label));
            cells.push(Cell::new((1, 1), (1, 1), l.category.as_str(), label, Role::Label));
            cells.push(Cell::new((1, 1), (2, 6), category, body, Role::Body(2)));
            cells.push(Cell::new((2, 2), (1, 1), l.occupation.as_str(), label, Role::Label));
            cells.push(Cell::new((2, 2), (2, 6), occupation, body, Role::Body(2)));
            row += 2;
        }
        None => {
            // The kind is unknown: one row under the plain label, rather than a guess at the box.
            let plain = l.name.lines().next().unwrap_or(&l.name);
            cells.push(Cell::new((1, 1), (0, 1), plain, label, Role::Label));
            cells.push(Cell::new((1, 1), (2, 6), standard.name.as_str(), body, Role::Body(2)));
            row += 1;
        }
    }
    let class = &standard.classification;
    cells.push(Cell::new((row, row + 2), (0, 0), l.classification.as_str(), label, Role::Label));
    let entries = [
        (&l.job_category, &l.job_category_code, &class.job_category),
        (&l.occupation_class, &l.occupation_code, &class.occupation),
        (&l.industry, &l.industry_code, &class.industry),
    ];
    for (kind, code_label, named) in entries {
        cells.push(Cell::new((row, row), (1, 1), kind.as_str(), label, Role::Label));
        cells.push(Cell::new((row, row), (2, 3), named.name.as_str(), body, Role::Body(2)));
        cells.push(Cell::new((row, row), (4, 5), code_label.as_str(), label, Role::Label));
        cells.push(Cell::new((row, row), (6, 6), named.code.as_str(), body, Role::Body(6)));
        row += 1;
    }
    cells.push(Cell::new((row, row), (0, 1), l.description.as_str(), label, Role::Label));
    cells.push(Cell::new((row, row), (2, 6), standard.description.as_str(), body, Role::Body(2)));
    row += 1;
    cells.push(Cell::new((row, row), (0, 1), l.level.as_str(), label, Role::Label));
    let level = standard.level.map(|n| n.to_string()).unwrap_or_default();
    cells.push(Cell::new((row, row), (2, 6), level, body, Role::Body(2)).number(standard.level.map(f64::from)));
    let level_cell = cells.len() - 1;
    row += 1;
    (Table { widths: widths.to_vec(), cells, rows: row, ..Table::default() }, level_cell)
}

/// (first row, last row) of each task of each duty, and the number of rows: one per output row of a
/// task, at least one per task and per duty.
fn task_rows(standard: &Standard) -> (Vec<Vec<(usize, usize)>>, usize) {
    let mut count = 0;
    let mut duties = Vec::new();
    for duty in &standard.duties {
        let mut spans = Vec::new();
        if duty.tasks.is_empty() {
            count += 1;
        }
        for task in &duty.tasks {
            let n = task.rows.len().max(1);
            spans.push((count, count + n - 1));
            count += n;
        }
        duties.push(spans);
    }
    (duties, count)
}

/// Consecutive tasks of a duty with the same value share one cell: (first task, last task) groups.
pub fn groups<T: PartialEq>(tasks: &[Task], value: impl Fn(&Task) -> T) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=tasks.len() {
        if i == tasks.len() || value(&tasks[i]) != value(&tasks[start]) {
            groups.push((start, i - 1));
            start = i;
        }
    }
    groups
}

/// The seven-column main table; its header repeats on every page.
fn main_table(standard: &Standard, template: &Template, styles: &FormStyles, widths: Vec<f32>) -> Table {
    let l = &template.labels;
    let continued = &l.continued;
    let heads = [&l.duty, &l.task, &l.output, &l.indicator, &l.task_level, &l.knowledge, &l.skills];
    let header = heads.iter().enumerate().map(|(c, h)| Cell::new((0, 0), (c, c), h.as_str(), styles.header, Role::Header)).collect();
    let (spans_by_duty, rows) = task_rows(standard);
    let competencies = standard.competency_names();
    let mut cells = Vec::new();
    let mut marks = Vec::new();
    let mut row = 0;
    for (duty, spans) in standard.duties.iter().zip(&spans_by_duty) {
        let first = row;
        let last = spans.last().map_or(row, |s| s.1);
        let label = coded(&duty.code, &duty.title);
        marks.push((first, label.clone()));
        cells.push(Cell::new((first, last), (0, 0), label.clone(), styles.body, Role::Body(0)).continued(format!("{label}{continued}")));
        if duty.tasks.is_empty() {
            for col in 1..7 {
                cells.push(Cell::new((row, row), (col, col), "", styles.body, Role::Body(col)));
            }
            row += 1;
            continue;
        }
        for (task, &(start, end)) in duty.tasks.iter().zip(spans) {
            let label = coded(&task.code, &task.title);
            cells.push(Cell::new((start, end), (1, 1), label.clone(), styles.body, Role::Body(1)).continued(format!("{label}{continued}")));
            if task.rows.is_empty() {
                cells.push(Cell::new((start, start), (2, 2), "", styles.body, Role::Body(2)));
                cells.push(Cell::new((start, start), (3, 3), "", styles.body, Role::Body(3)));
            }
            for (n, r) in task.rows.iter().enumerate() {
                let outputs: Vec<String> = r.outputs.iter().map(|o| coded(&o.code, &o.title)).collect();
                let indicators: Vec<String> = r.indicators.iter().map(|p| coded(&p.code, &p.text)).collect();
                let mut cell = Cell::new((start + n, start + n), (2, 2), super::items(&outputs), styles.body, Role::Body(2)).whole_items();
                // Like K and S: a row going on over a page shows its remaining outputs, or （續）.
                if !outputs.is_empty() {
                    cell = cell.continued(continued.clone());
                }
                cells.push(cell);
                cells.push(Cell::new((start + n, start + n), (3, 3), super::items(&indicators), styles.body, Role::Body(3)));
            }
        }
        let rows_of = |(a, b): (usize, usize)| (spans[a].0, spans[b].1);
        for (a, b) in groups(&duty.tasks, |t| t.level) {
            let level = duty.tasks[a].level;
            let text = level.map(|n| n.to_string()).unwrap_or_default();
            let mut cell = Cell::new(rows_of((a, b)), (4, 4), text.clone(), styles.centered, Role::Body(4)).number(level.map(f64::from));
            if !text.is_empty() {
                // The level is one narrow column: its mark goes on a line of its own.
                cell = cell.continued(format!("{text}\n{continued}"));
            }
            cells.push(cell);
        }
        for (col, knowledge) in [(5, true), (6, false)] {
            let list = |t: &Task| if knowledge { t.knowledge.clone() } else { t.skills.clone() };
            for (a, b) in groups(&duty.tasks, list) {
                let codes = list(&duty.tasks[a]);
                let mut cell =
                    Cell::new(rows_of((a, b)), (col, col), super::competencies(&competencies, &codes), styles.body, Role::Body(col))
                        .whole_items();
                // One rule for K and S: items are never split, so a continued span shows its
                // remaining items; when all were shown, （續） alone marks the span going on.
                if !codes.is_empty() {
                    cell = cell.continued(continued.clone());
                }
                cells.push(cell);
            }
        }
        row = last + 1;
    }
    Table { widths, header, cells, rows, marks, ..Table::default() }
}

/// A titled list after the table: its title as a header row repeated on each page, its items one
/// a line in one box, as printed.
pub fn section(title: &str, items: &[String], styles: &FormStyles, widths: &[f32]) -> Table {
    let last = widths.len() - 1;
    let header = vec![Cell::new((0, 0), (0, last), title, styles.header, Role::Header)];
    let cells = vec![Cell::new((0, 0), (0, last), super::items(items), styles.body, Role::Body(0))];
    Table { widths: widths.to_vec(), header, cells, rows: 1, section: true, ..Table::default() }
}
