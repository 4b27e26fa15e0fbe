//! The official 職能基準 form as tables for the layout engine: title, 版本 table, header block, the
//! main table (a duty spanning its tasks, a task its rows, 職能級別/K/S spanning the consecutive tasks
//! of a duty that share them, as printed), then attitudes and notes.

use super::layout::{Cell, Composer, Document, Geometry, Role, Style, Table};
use crate::model::{NameKind, Standard, Task, coded};
use crate::template::Template;
use crate::text::Font;

const MM: f32 = 72.0 / 25.4;
/// Grey of shaded label cells.
const SHADE: f32 = 0.88;

/// Page geometry of a template.
pub fn geometry(template: &Template) -> Geometry {
    let p = &template.page;
    Geometry {
        width: p.width_mm * MM,
        height: p.height_mm * MM,
        top: p.margin_top_mm * MM,
        bottom: p.margin_bottom_mm * MM,
        left: p.margin_left_mm * MM,
        right: p.margin_right_mm * MM,
        padding: template.table.padding_pt,
        line_height: template.font.line_height,
        rule: 0.5,
    }
}

/// Column widths in points from proportions over the content width.
fn widths(proportions: &[f32], total: f32) -> Vec<f32> {
    let sum: f32 = proportions.iter().sum();
    proportions.iter().map(|p| p / sum * total).collect()
}

struct Styles {
    body: Style,
    label: Style,
    header: Style,
    centered: Style,
}

impl Styles {
    fn new(template: &Template) -> Styles {
        let body = Style { size: template.font.body_pt, bold: false, fill: None, center: false, middle: false, rotate: false };
        let label = Style { size: template.font.body_pt, bold: true, fill: Some(SHADE), center: true, middle: true, rotate: false };
        let header = Style { size: template.font.header_pt, ..label };
        let centered = Style { center: true, ..body };
        Styles { body, label, header, centered }
    }
}

/// Lay out the official form of a standard.
pub fn document(standard: &Standard, template: &Template, font: &Font) -> Document {
    let labels = &template.labels;
    let title = format!("{}{}", standard.name, labels.title_suffix);
    let mut composer = Composer::new(font, geometry(template), &format!("{} {title}", standard.code));
    let styles = Styles::new(template);
    composer.centered(&title, template.font.title_pt, true, Role::Title);
    composer.gap(6.0);
    let width = composer.geometry.content_width();
    if !standard.versions.is_empty() {
        composer.table(&versions(standard, template, &styles, width));
        composer.gap(8.0);
    }
    composer.table(&header_block(standard, template, &styles, width));
    composer.gap(8.0);
    composer.table(&main_table(standard, template, &styles, width));
    composer.gap(8.0);
    let attitudes: Vec<String> = standard.attitudes.iter().map(|a| coded(&a.code, &a.name)).collect();
    composer.table(&section(&labels.attitudes, &attitudes.join("\n"), &styles, width));
    composer.gap(8.0);
    let notes: Vec<String> = standard.notes.iter().map(|n| format!("・{n}")).collect();
    composer.table(&section(&labels.notes, &notes.join("\n"), &styles, width));
    let head = format!("{} {title}", standard.code);
    composer.finish(&head, &labels.footer, template.font.footer_pt)
}

fn versions(standard: &Standard, template: &Template, styles: &Styles, width: f32) -> Table {
    let l = &template.labels;
    let heads = [&l.version, &l.version_code, &l.version_name, &l.version_status, &l.version_note, &l.version_date];
    let header = heads.iter().enumerate().map(|(c, h)| Cell::new((0, 0), (c, c), h.as_str(), styles.header, Role::Header)).collect();
    let mut cells = Vec::new();
    for (r, v) in standard.versions.iter().enumerate() {
        for (c, text) in [&v.version, &v.code, &v.name, &v.status, &v.note, &v.date].into_iter().enumerate() {
            cells.push(Cell::new((r, r), (c, c), text.as_str(), styles.body, Role::Body(c)));
        }
    }
    Table {
        widths: widths(&[8.0, 18.0, 18.0, 12.0, 28.0, 16.0], width),
        header,
        cells,
        rows: standard.versions.len(),
        marks: Vec::new(),
        keep_together: false,
        keep_last: false,
    }
}

/// 職能基準代碼, 名稱 (擇一填寫), 所屬類別, 工作描述, 基準級別: six columns as printed.
fn header_block(standard: &Standard, template: &Template, styles: &Styles, width: f32) -> Table {
    let l = &template.labels;
    let (label, body) = (styles.label, styles.body);
    let mut cells = vec![
        Cell::new((0, 0), (0, 1), l.code.as_str(), label, Role::Label),
        Cell::new((0, 0), (2, 5), standard.code.as_str(), body, Role::Body(2)),
    ];
    let mut row = 1;
    match standard.name_kind {
        Some(kind) => {
            let (category, occupation) =
                if kind == NameKind::Category { (standard.name.as_str(), "") } else { ("", standard.name.as_str()) };
            cells.push(Cell::new((1, 2), (0, 0), l.name.as_str(), label, Role::Label));
            cells.push(Cell::new((1, 1), (1, 1), l.category.as_str(), label, Role::Label));
            cells.push(Cell::new((1, 1), (2, 5), category, body, Role::Body(2)));
            cells.push(Cell::new((2, 2), (1, 1), l.occupation.as_str(), label, Role::Label));
            cells.push(Cell::new((2, 2), (2, 5), occupation, body, Role::Body(2)));
            row += 2;
        }
        None => {
            // The kind is unknown: one row, rather than a guess at the box.
            cells.push(Cell::new((1, 1), (0, 1), l.name.as_str(), label, Role::Label));
            cells.push(Cell::new((1, 1), (2, 5), standard.name.as_str(), body, Role::Body(2)));
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
        cells.push(Cell::new((row, row), (4, 4), code_label.as_str(), label, Role::Label));
        cells.push(Cell::new((row, row), (5, 5), named.code.as_str(), body, Role::Body(5)));
        row += 1;
    }
    cells.push(Cell::new((row, row), (0, 1), l.description.as_str(), label, Role::Label));
    cells.push(Cell::new((row, row), (2, 5), standard.description.as_str(), body, Role::Body(2)));
    row += 1;
    cells.push(Cell::new((row, row), (0, 1), l.level.as_str(), label, Role::Label));
    cells.push(Cell::new((row, row), (2, 5), standard.level.map(|n| n.to_string()).unwrap_or_default(), body, Role::Body(2)));
    row += 1;
    Table {
        widths: widths(&template.table.header_columns, width),
        header: Vec::new(),
        cells,
        rows: row,
        marks: Vec::new(),
        keep_together: false,
        keep_last: false,
    }
}

/// The rows of the main table: one per output row of a task, at least one per task and per duty.
struct Rows {
    /// (first row, last row) of each task, in order.
    tasks: Vec<(usize, usize)>,
    count: usize,
}

fn count_rows(standard: &Standard) -> Rows {
    let mut tasks = Vec::new();
    let mut count = 0;
    for duty in &standard.duties {
        if duty.tasks.is_empty() {
            count += 1;
        }
        for task in &duty.tasks {
            let n = task.rows.len().max(1);
            tasks.push((count, count + n - 1));
            count += n;
        }
    }
    Rows { tasks, count }
}

fn main_table(standard: &Standard, template: &Template, styles: &Styles, width: f32) -> Table {
    let l = &template.labels;
    let continued = &l.continued;
    let heads = [&l.duty, &l.task, &l.output, &l.indicator, &l.task_level, &l.knowledge, &l.skills];
    let header = heads.iter().enumerate().map(|(c, h)| Cell::new((0, 0), (c, c), h.as_str(), styles.header, Role::Header)).collect();
    let rows = count_rows(standard);
    let mut cells = Vec::new();
    let mut marks = Vec::new();
    let mut row = 0;
    let mut task_index = 0;
    for duty in &standard.duties {
        let first = row;
        let n_tasks = duty.tasks.len();
        let last = if n_tasks == 0 { row } else { rows.tasks[task_index + n_tasks - 1].1 };
        let label = coded(&duty.code, &duty.title);
        marks.push((first, label.clone()));
        let mut duty_cell = Cell::new((first, last), (0, 0), label.clone(), styles.body, Role::Body(0));
        duty_cell.continued = Some(format!("{label}{continued}"));
        cells.push(duty_cell);
        if n_tasks == 0 {
            for col in 1..7 {
                cells.push(Cell::new((row, row), (col, col), "", styles.body, Role::Body(col)));
            }
            row += 1;
            continue;
        }
        let spans = &rows.tasks[task_index..task_index + n_tasks];
        for (task, &(start, end)) in duty.tasks.iter().zip(spans) {
            let label = coded(&task.code, &task.title);
            let mut task_cell = Cell::new((start, end), (1, 1), label.clone(), styles.body, Role::Body(1));
            task_cell.continued = Some(format!("{label}{continued}"));
            cells.push(task_cell);
            if task.rows.is_empty() {
                cells.push(Cell::new((start, start), (2, 2), "", styles.body, Role::Body(2)));
                cells.push(Cell::new((start, start), (3, 3), "", styles.body, Role::Body(3)));
            }
            for (n, r) in task.rows.iter().enumerate() {
                let outputs: Vec<String> = r.outputs.iter().map(|o| coded(&o.code, &o.title)).collect();
                let indicators: Vec<String> = r.indicators.iter().map(|p| coded(&p.code, &p.text)).collect();
                cells.push(Cell::new((start + n, start + n), (2, 2), outputs.join("\n"), styles.body, Role::Body(2)));
                cells.push(Cell::new((start + n, start + n), (3, 3), indicators.join("\n"), styles.body, Role::Body(3)));
            }
        }
        // 職能級別, K and S span the consecutive tasks of the duty that share them.
        type Value = fn(&Task, &Standard) -> (String, String);
        let columns: [(usize, Value, Style); 3] = [
            (
                4,
                |t, _| (t.level.map(|n| n.to_string()).unwrap_or_default(), t.level.map(|n| n.to_string()).unwrap_or_default()),
                styles.centered,
            ),
            (5, |t, s| (s.competency_lines(&t.knowledge), t.knowledge.join("、")), styles.body),
            (6, |t, s| (s.competency_lines(&t.skills), t.skills.join("、")), styles.body),
        ];
        for (col, value, style) in columns {
            let mut group_start = 0;
            for i in 1..=n_tasks {
                let same = i < n_tasks && value(&duty.tasks[i], standard).0 == value(&duty.tasks[group_start], standard).0;
                if same {
                    continue;
                }
                let (text, short) = value(&duty.tasks[group_start], standard);
                let mut span = Cell::new((spans[group_start].0, spans[i - 1].1), (col, col), text, style, Role::Body(col));
                if !short.is_empty() {
                    // The level is one narrow column: its mark goes on a line of its own.
                    let separator = if col == 4 { "\n" } else { "" };
                    span.continued = Some(format!("{short}{separator}{continued}"));
                }
                cells.push(span);
                group_start = i;
            }
        }
        task_index += n_tasks;
        row = last + 1;
    }
    Table { widths: widths(&template.table.columns, width), header, cells, rows: rows.count, marks, keep_together: false, keep_last: false }
}

/// A titled section after the table: its title as a header row repeated on each page, its text below.
fn section(title: &str, text: &str, styles: &Styles, width: f32) -> Table {
    let header = vec![Cell::new((0, 0), (0, 0), title, styles.header, Role::Header)];
    let cells = vec![Cell::new((0, 0), (0, 0), text, styles.body, Role::Body(0))];
    Table { widths: vec![width], header, cells, rows: 1, marks: Vec::new(), keep_together: false, keep_last: false }
}
