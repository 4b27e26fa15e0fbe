//! The competency matrix, A4 landscape: one row per task under its duty, one column per K then S
//! code (rotated heads under 知識 / 技能), a mark where the task needs the code, the level, totals,
//! and above each page of columns the legend of its codes and names. Codes that do not fit across the
//! page continue on further pages with the task column repeated; every total counts what its page
//! shows.

use super::SHADE;
use super::{Block, Cell, Document, PageSetup, Role, SheetOptions, Style, Table, proportions};
use crate::model::{Item, Standard, coded};
use crate::template::Template;

/// Width of one code column, in points: a count of two digits fits in the body font.
const CODE_COLUMN: f32 = 19.0;
const TASK_COLUMN: f32 = 200.0;
const NARROW: f32 = 30.0;
/// Grey of a duty row.
const DUTY_SHADE: f32 = 0.93;

/// A K or S column of the matrix.
#[derive(Debug, Clone)]
pub struct Column {
    pub code: String,
    /// Its name, for the legend.
    pub name: String,
    pub knowledge: bool,
}

/// The matrix's columns: every K code, then every S code, each by number as the standard numbers
/// them (K01, K05, K08, …), so that a reader finds a code where they expect it.
pub fn columns(standard: &Standard) -> Vec<Column> {
    let column = |item: &Item, knowledge| Column { code: item.code.clone(), name: item.name.clone(), knowledge };
    let knowledge = by_number(&standard.knowledge).into_iter().map(|k| column(k, true));
    knowledge.chain(by_number(&standard.skills).into_iter().map(|s| column(s, false))).collect()
}

/// Items by the number of their code (a code without one last, in the standard's order).
fn by_number(items: &[Item]) -> Vec<&Item> {
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by_key(|i| i.code.get(1..).and_then(|n| n.parse::<u32>().ok()).unwrap_or(u32::MAX));
    sorted
}

/// Each task's K and S codes as sets, in the order of `Standard::tasks`: a matrix of many codes
/// asks "does this task need it" once a cell, so the answer must not cost a scan of the list.
struct Needs<'a>(Vec<(std::collections::HashSet<&'a str>, std::collections::HashSet<&'a str>)>);

impl<'a> Needs<'a> {
    fn of(standard: &'a Standard) -> Needs<'a> {
        let set = |codes: &'a [String]| codes.iter().map(String::as_str).collect();
        Needs(standard.tasks().map(|t| (set(&t.knowledge), set(&t.skills))).collect())
    }

    fn get(&self, task: usize, column: &Column) -> bool {
        self.0
            .get(task)
            .is_some_and(|(k, s)| if column.knowledge { k.contains(column.code.as_str()) } else { s.contains(column.code.as_str()) })
    }
}

struct Styles {
    body: Style,
    center: Style,
    count: Style,
    head: Style,
    duty: Style,
}

/// The matrix of a standard.
pub fn document(standard: &Standard, template: &Template) -> Document {
    let m = &template.matrix;
    let title = format!("{}{} {}", standard.name, template.labels.title_suffix, m.title);
    let page = PageSetup::of(template, true, format!("{} {title}", standard.code));
    let width = page.content_width();
    let body = Style::body(template.font.body_pt - 1.0);
    let styles = Styles {
        body,
        center: Style { center: true, middle: true, ..body },
        count: Style { center: true, middle: true, shrink: true, ..body },
        head: Style { bold: true, fill: Some(SHADE), center: true, middle: true, ..body },
        duty: Style { bold: true, fill: Some(DUTY_SHADE), ..body },
    };
    let mut blocks = vec![Block::Title { text: title.clone(), size: template.font.title_pt - 2.0 }, Block::Gap(4.0)];
    let all = columns(standard);
    let room = width - TASK_COLUMN - 2.0 * NARROW;
    let per_page = ((room / CODE_COLUMN).floor() as usize).max(1);
    let needs = Needs::of(standard);
    let pages = pages_of_columns(&all, per_page);
    // A sheet repeats one header: the matrix's, when its columns fit one page across (else each
    // page of columns opens with its own).
    let mut repeat = None;
    for (n, chunk) in pages.iter().enumerate() {
        if n > 0 {
            blocks.push(Block::PageBreak);
        }
        // The names of this page's codes above its table, where the reader looks them up.
        if !chunk.is_empty() {
            blocks.push(Block::Table(legend(template, chunk, &styles, width)));
            blocks.push(Block::Gap(6.0));
        }
        if pages.len() == 1 {
            repeat = Some(blocks.len());
        }
        blocks.push(Block::Table(matrix_table(standard, template, chunk, &needs, &styles)));
    }
    Document {
        title: format!("{} {title}", standard.code),
        sheet: m.sheet.clone(),
        page,
        blocks,
        sheet_options: SheetOptions { list: false, print: true, repeat },
    }
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

/// One page-width of the matrix: task, level, the chunk's code columns, total of the chunk.
fn matrix_table(standard: &Standard, template: &Template, chunk: &[Column], needs: &Needs<'_>, s: &Styles) -> Table {
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
    // A count under a code may have more digits than its narrow column holds on one line.
    let count = |n: usize| Cell::new((0, 0), (0, 0), n.to_string(), s.count, Role::Body(0)).number(Some(n as f64));
    // A row per duty and per task, each task's with a cell per column: reserved at once.
    let tasks: usize = standard.duties.iter().map(|d| d.tasks.len()).sum();
    let mut cells = Vec::with_capacity(standard.duties.len() + tasks * (chunk.len() + 3) + chunk.len() + 3);
    let mut keep = Vec::new();
    let mut row = 0;
    let mut index = 0;
    let mut column_totals = vec![0; chunk.len()];
    for duty in &standard.duties {
        cells.push(Cell::new((row, row), (0, last), coded(&duty.code, &duty.title), s.duty, Role::Body(0)));
        // A duty's row stays with its first task.
        keep.push(row);
        row += 1;
        for task in &duty.tasks {
            cells.push(Cell::new((row, row), (0, 0), coded(&task.code, &task.title), s.body, Role::Body(0)));
            let level = task.level.map(|l| l.to_string()).unwrap_or_default();
            cells.push(Cell::new((row, row), (1, 1), level, s.center, Role::Body(1)).number(task.level.map(f64::from)));
            let mut total = 0;
            for (i, column) in chunk.iter().enumerate() {
                let needed = needs.get(index, column);
                total += usize::from(needed);
                column_totals[i] += usize::from(needed);
                let mark = if needed { m.mark.as_str() } else { "" };
                let cell = Cell::new((row, row), (2 + i, 2 + i), mark, s.center, Role::Body(2 + i));
                // A screen reader says the code the task needs, not 「黑色圓圈」.
                cells.push(if needed { cell.alt(column.code.as_str()) } else { cell });
            }
            cells.push(Cell { rows: (row, row), cols: (last, last), role: Role::Body(last), ..count(total) });
            row += 1;
            index += 1;
        }
    }
    cells.push(Cell::new((row, row), (0, 1), m.total.as_str(), s.head, Role::Body(0)));
    let mut grand = 0;
    for (i, &n) in column_totals.iter().enumerate() {
        grand += n;
        cells.push(Cell { rows: (row, row), cols: (2 + i, 2 + i), role: Role::Body(2 + i), ..count(n) });
    }
    cells.push(Cell { rows: (row, row), cols: (last, last), role: Role::Body(last), ..count(grand) });
    Table { widths, header, cells, rows: row + 1, keep_last: true, keep, ..Table::default() }
}

/// The codes of a page of columns and their names, in three columns read down, on one page.
fn legend(template: &Template, chunk: &[Column], s: &Styles, width: f32) -> Table {
    let items: Vec<String> = chunk.iter().map(|c| coded(&c.code, &c.name)).collect();
    let per_column = items.len().div_ceil(3).max(1);
    let header = vec![Cell::new((0, 0), (0, 2), template.matrix.legend.as_str(), s.head, Role::Header)];
    let cells = (0..3)
        .map(|c| {
            let lines: Vec<String> = items.iter().skip(c * per_column).take(per_column).cloned().collect();
            Cell::new((0, 0), (c, c), super::items(&lines), s.body, Role::Body(c)).whole_items()
        })
        .collect();
    Table { widths: proportions(&[1.0, 1.0, 1.0], width), header, cells, rows: 1, keep_together: true, ..Table::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(k: usize, s: usize) -> Vec<Column> {
        (0..k)
            .map(|n| Column { code: format!("K{n:02}"), name: String::new(), knowledge: true })
            .chain((0..s).map(|n| Column { code: format!("S{n:02}"), name: String::new(), knowledge: false }))
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

    #[test]
    fn each_page_of_columns_has_the_legend_of_its_codes_above_it() {
        let standard = crate::render::json::from_json(include_bytes!("../../tests/fixtures/BAS2421-002.json")).expect("sample");
        let document = document(&standard, &Template::official());
        let tables: Vec<&Table> = document.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
        assert!(tables.len() >= 4 && tables.len().is_multiple_of(2), "a legend and a table per page of columns");
        let mut seen = 0;
        for pair in tables.chunks(2) {
            let (legend, matrix) = (pair[0], pair[1]);
            assert!(legend.keep_together, "a legend is never split");
            let heads: Vec<&str> = matrix.header.iter().filter(|c| c.style.rotate).map(|c| c.text.as_str()).collect();
            let listed: Vec<&str> = legend.cells.iter().flat_map(|c| c.text.lines()).filter_map(|l| l.split(' ').next()).collect();
            let mut sorted_heads = heads.clone();
            sorted_heads.sort_unstable();
            let mut sorted_listed = listed.clone();
            sorted_listed.sort_unstable();
            assert_eq!(sorted_listed, sorted_heads, "the legend names exactly its page's codes");
            let name = |code: &str| standard.knowledge.iter().chain(&standard.skills).find(|i| i.code == code).map(|i| i.name.clone());
            for line in legend.cells.iter().flat_map(|c| c.text.lines()) {
                let (code, text) = line.split_once(' ').expect("code and name");
                assert_eq!(name(code).as_deref(), Some(text));
            }
            seen += heads.len();
        }
        assert_eq!(seen, standard.knowledge.len() + standard.skills.len(), "every code in some legend");
    }

    #[test]
    fn every_total_counts_what_its_page_shows() {
        let standard = crate::render::json::from_json(include_bytes!("../../tests/fixtures/BAS2421-002.json")).expect("sample");
        let template = Template::official();
        let document = document(&standard, &template);
        let tables: Vec<&Table> = document.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
        assert!(tables.len() >= 4, "the sample's matrix needs more than one page across");
        for table in tables.iter().filter(|t| t.header.iter().any(|c| c.style.rotate)) {
            let last = table.widths.len() - 1;
            let marks =
                |row: usize| table.cells.iter().filter(|c| c.rows.0 == row && c.cols.0 >= 2 && c.cols.0 < last && c.text == "●").count();
            for cell in table.cells.iter().filter(|c| c.cols == (last, last) && c.rows.0 + 1 < table.rows) {
                assert_eq!(cell.number, Some(marks(cell.rows.0) as f64), "row total of row {}", cell.rows.0);
            }
            let totals_row = table.rows - 1;
            let column_totals: f64 =
                table.cells.iter().filter(|c| c.rows.0 == totals_row && c.cols.0 >= 2 && c.cols.0 < last).filter_map(|c| c.number).sum();
            let all_marks: usize = (0..totals_row).map(marks).sum();
            assert_eq!(column_totals, all_marks as f64);
            let corner = table.cells.iter().find(|c| c.rows.0 == totals_row && c.cols.0 == last).and_then(|c| c.number);
            assert_eq!(corner, Some(all_marks as f64));
        }
    }
}
