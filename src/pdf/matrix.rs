//! The competency matrix, A4 landscape: one row per task under its duty, one column per K then S
//! code (rotated heads under 知識 / 技能), a mark where the task needs the code, the level, totals
//! per row and per column, and a legend of codes and names. Codes that do not fit across continue
//! on further pages with the task column repeated; tasks that do not fit down repeat the heads.

use super::form::geometry;
use super::layout::{Cell, Composer, Document, Role, Style, Table};
use crate::model::{Item, Standard, coded};
use crate::template::Template;
use crate::text::Font;

/// Width of one code column, in points.
const CODE_COLUMN: f32 = 17.0;
const TASK_COLUMN: f32 = 200.0;
const NARROW: f32 = 30.0;
/// Grey of a duty row.
const DUTY_SHADE: f32 = 0.93;

/// A K or S column of the matrix.
#[derive(Debug, Clone)]
pub struct Column {
    pub code: String,
    pub knowledge: bool,
}

/// The matrix's columns: every K code, then every S code, in the standard's order.
pub fn columns(standard: &Standard) -> Vec<Column> {
    let knowledge = standard.knowledge.iter().map(|k| Column { code: k.code.clone(), knowledge: true });
    knowledge.chain(standard.skills.iter().map(|s| Column { code: s.code.clone(), knowledge: false })).collect()
}

/// Whether a task needs a code.
pub fn needs(task: &crate::model::Task, column: &Column) -> bool {
    let list = if column.knowledge { &task.knowledge } else { &task.skills };
    list.contains(&column.code)
}

pub fn document(standard: &Standard, template: &Template, font: &Font) -> Document {
    let m = &template.matrix;
    let mut g = geometry(template);
    std::mem::swap(&mut g.width, &mut g.height);
    let title = format!("{}{} {}", standard.name, template.labels.title_suffix, m.title);
    let mut composer = Composer::new(font, g, &format!("{} {title}", standard.code));
    let size = template.font.body_pt - 1.0;
    let body = Style { size, bold: false, fill: None, center: false, middle: false, rotate: false };
    let styles = Styles {
        body,
        center: Style { center: true, middle: true, ..body },
        head: Style { bold: true, fill: Some(0.88), center: true, middle: true, ..body },
        duty: Style { bold: true, fill: Some(DUTY_SHADE), ..body },
    };
    composer.centered(&title, template.font.title_pt - 2.0, true, Role::Title);
    composer.gap(4.0);
    let all = columns(standard);
    let room = composer.geometry.content_width() - TASK_COLUMN - 2.0 * NARROW;
    let per_page = ((room / CODE_COLUMN).floor() as usize).max(1);
    let chunks = pages_of_columns(&all, per_page);
    for (n, chunk) in chunks.iter().enumerate() {
        if n > 0 {
            composer.new_page();
        }
        composer.table(&matrix_table(standard, template, chunk, &styles));
    }
    composer.gap(8.0);
    composer.table(&legend(standard, template, &styles, composer.geometry.content_width()));
    composer.finish(&format!("{} {title}", standard.code), &template.labels.footer, template.font.footer_pt)
}

/// Split the columns into pages of at most `per_page`, starting the 技能 group on a new page
/// unless it fits whole beside the 知識 columns (a lone column under a group heading reads badly).
fn pages_of_columns(all: &[Column], per_page: usize) -> Vec<&[Column]> {
    let split = all.iter().position(|c| !c.knowledge).unwrap_or(all.len());
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (start, end) in [(0, split), (split, all.len())] {
        let mut at = start;
        while at < end {
            let piece_end = (at + per_page).min(end);
            match ranges.last_mut() {
                Some(last) if last.1 == at && piece_end - last.0 <= per_page => last.1 = piece_end,
                _ => ranges.push((at, piece_end)),
            }
            at = piece_end;
        }
    }
    if ranges.is_empty() {
        ranges.push((0, 0));
    }
    ranges.into_iter().map(|(a, b)| &all[a..b]).collect()
}

struct Styles {
    body: Style,
    center: Style,
    head: Style,
    duty: Style,
}

/// One page-width of the matrix: task, level, the chunk's code columns, total.
fn matrix_table(standard: &Standard, template: &Template, chunk: &[Column], s: &Styles) -> Table {
    let m = &template.matrix;
    let last = chunk.len() + 2;
    let mut widths = vec![TASK_COLUMN, NARROW];
    widths.extend(std::iter::repeat_n(CODE_COLUMN, chunk.len()));
    widths.push(NARROW);
    let mut header = vec![
        Cell::new((0, 1), (0, 0), template.labels.task.as_str(), s.head, Role::Header),
        Cell::new((0, 1), (1, 1), template.checklist.level.as_str(), s.head, Role::Header),
        Cell::new((0, 1), (last, last), m.total.as_str(), s.head, Role::Header),
    ];
    let knowledge_count = chunk.iter().filter(|c| c.knowledge).count();
    if knowledge_count > 0 {
        header.push(Cell::new((0, 0), (2, 1 + knowledge_count), m.knowledge.as_str(), s.head, Role::Header));
    }
    if knowledge_count < chunk.len() {
        header.push(Cell::new((0, 0), (2 + knowledge_count, last - 1), m.skills.as_str(), s.head, Role::Header));
    }
    let rotated = Style { rotate: true, ..s.head };
    for (i, column) in chunk.iter().enumerate() {
        header.push(Cell::new((1, 1), (2 + i, 2 + i), column.code.as_str(), rotated, Role::Header));
    }
    let mut cells = Vec::new();
    let mut row = 0;
    let all = columns(standard);
    for duty in &standard.duties {
        cells.push(Cell::new((row, row), (0, last), coded(&duty.code, &duty.title), s.duty, Role::Body(0)));
        row += 1;
        for task in &duty.tasks {
            let mut label = Cell::new((row, row), (0, 0), coded(&task.code, &task.title), s.body, Role::Body(0));
            label.continued = None;
            cells.push(label);
            cells.push(Cell::new((row, row), (1, 1), task.level.map(|l| l.to_string()).unwrap_or_default(), s.center, Role::Body(1)));
            for (i, column) in chunk.iter().enumerate() {
                let mark = if needs(task, column) { m.mark.as_str() } else { "" };
                cells.push(Cell::new((row, row), (2 + i, 2 + i), mark, s.center, Role::Body(2 + i)));
            }
            let total = all.iter().filter(|c| needs(task, c)).count();
            cells.push(Cell::new((row, row), (last, last), total.to_string(), s.center, Role::Body(last)));
            row += 1;
        }
    }
    cells.push(Cell::new((row, row), (0, 1), m.total.as_str(), s.head, Role::Body(0)));
    let mut grand = 0;
    // Column totals in a smaller size, so that two digits fit a code column.
    let small = Style { size: s.center.size - 1.5, ..s.center };
    for (i, column) in chunk.iter().enumerate() {
        let count = standard.tasks().filter(|t| needs(t, column)).count();
        grand += count;
        cells.push(Cell::new((row, row), (2 + i, 2 + i), count.to_string(), small, Role::Body(2 + i)));
    }
    cells.push(Cell::new((row, row), (last, last), grand.to_string(), s.center, Role::Body(last)));
    Table { widths, header, cells, rows: row + 1, marks: Vec::new(), keep_together: false, keep_last: true }
}

/// The codes and their names, in three columns.
fn legend(standard: &Standard, template: &Template, s: &Styles, width: f32) -> Table {
    let items: Vec<&Item> = standard.knowledge.iter().chain(&standard.skills).collect();
    let per_column = items.len().div_ceil(3).max(1);
    let header = vec![Cell::new((0, 0), (0, 2), template.matrix.legend.as_str(), s.head, Role::Header)];
    let cells = (0..3)
        .map(|c| {
            let lines: Vec<String> = items.iter().skip(c * per_column).take(per_column).map(|i| coded(&i.code, &i.name)).collect();
            Cell::new((0, 0), (c, c), lines.join("\n"), s.body, Role::Body(c))
        })
        .collect();
    Table { widths: vec![width / 3.0; 3], header, cells, rows: 1, marks: Vec::new(), keep_together: false, keep_last: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(k: usize, s: usize) -> Vec<Column> {
        (0..k)
            .map(|n| Column { code: format!("K{n:02}"), knowledge: true })
            .chain((0..s).map(|n| Column { code: format!("S{n:02}"), knowledge: false }))
            .collect()
    }

    #[test]
    fn a_group_starts_a_page_unless_it_fits_whole() {
        let sizes = |k, s, per| pages_of_columns(&columns(k, s), per).iter().map(|p| p.len()).collect::<Vec<_>>();
        assert_eq!(sizes(29, 14, 30), [29, 14]);
        assert_eq!(sizes(10, 14, 30), [24]);
        assert_eq!(sizes(40, 5, 30), [30, 15]);
        assert_eq!(sizes(40, 25, 30), [30, 10, 25]);
        assert_eq!(sizes(0, 0, 30), [0]);
    }
}
