//! The spreadsheet backends (`xlsx`, `ods`) and what they share: a document placed on a sheet's
//! grid. Blocks stack down the sheet, each table's columns mapped onto the sheet's columns, spans
//! become merged ranges, and every row gets the height its text needs, measured with the font, so
//! that every line shows in Excel and LibreOffice. Content comes from `doc`; nothing is decided here.

pub mod ods;
pub mod xlsx;

use crate::diag::Diagnostic;
use crate::doc::{Block, Document, Input, Role, Style};
use crate::text::Font;

/// The height of a row left at the default, in points.
const DEFAULT_ROW: f32 = 15.0;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f32 = 409.0;
/// Excel's inner cell margin on each side, in points.
const CELL_MARGIN: f32 = 2.25;
/// The indent of left-aligned text (one level: about a character), in points.
const INDENT: f32 = 7.5;
/// Measured widths are scaled by this, since the viewer's font (標楷體, or its fallback) is not ours.
const SAFETY: f32 = 1.06;
/// Excel's and LibreOffice's limit on the text of one cell, in characters.
pub const CELL_LIMIT: usize = 32_767;

/// One document placed on a sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub title: String,
    /// Column widths in characters of the default font.
    pub columns: Vec<f64>,
    pub cells: Vec<Placed>,
    /// Row heights in points (0: the default height).
    pub heights: Vec<f32>,
    /// The header rows repeated at the top of every printed page.
    pub print_titles: Option<(u32, u32)>,
    /// Rows that start a new printed page.
    pub breaks: Vec<u32>,
    /// Rows that stay on the printed page of the row after them (a heading with its first item).
    pub keep: Vec<u32>,
    /// The first row after the table whose header repeats on every page: the attitudes, notes or
    /// signatures that must not open a page under that header.
    pub tail: Option<u32>,
    /// The print scale in percent at which the columns fit across the page, as both formats print
    /// them (fit to the page's width), so that the page breaks chosen here are the printed ones.
    pub scale: u16,
    /// A list: (header row, last row, last column) get an autofilter and a frozen header.
    pub list: Option<(u32, u32, u16)>,
    pub landscape: bool,
    pub head: String,
    pub footer: String,
    pub print: bool,
}

/// A cell at its place on the sheet.
#[derive(Debug, Clone)]
pub struct Placed {
    pub rows: (u32, u32),
    pub cols: (u16, u16),
    pub text: String,
    pub number: Option<f64>,
    pub input: Option<Input>,
    pub style: Style,
    /// A body cell of a list: written without a format (the default style is what a list needs).
    pub plain: bool,
    /// Byte ranges of `text` to underline (rich text), as the document's cell says.
    pub underline: Vec<std::ops::Range<usize>>,
}

impl Placed {
    pub fn is_range(&self) -> bool {
        self.rows.0 != self.rows.1 || self.cols.0 != self.cols.1
    }
}

/// Width in points of a column of `chars` characters: Excel's `trunc(7w + 5)` pixels, 0.75 pt each.
pub fn column_points(chars: f64) -> f32 {
    ((chars * 7.0 + 5.0).trunc() * 0.75) as f32
}

/// Characters of a column `points` wide (the inverse of `column_points`).
fn column_chars(points: f32) -> f64 {
    ((f64::from(points) / 0.75 - 5.0) / 7.0).max(1.0)
}

/// Place a document on a sheet. `line_height` is the line height of wrapped text in the viewers
/// (a multiple of the size); a text longer than a cell can hold is cut, with a warning naming it.
pub fn place(document: &Document, font: &Font, line_height: f32) -> (Sheet, Vec<Diagnostic>) {
    let tables = document.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None });
    let grid: Vec<f32> = tables.clone().max_by_key(|t| t.widths.len()).map(|t| t.widths.clone()).unwrap_or_else(|| vec![100.0]);
    let repeated = document.sheet_options.repeat;
    let columns: Vec<f64> = grid.iter().map(|&w| column_chars(w)).collect();
    let points: Vec<f32> = columns.iter().map(|&c| column_points(c)).collect();
    let last_col = (grid.len() - 1) as u16;
    let mut sheet = Sheet {
        name: document.sheet.clone(),
        title: document.title.clone(),
        columns,
        // Every cell of every block at once: a placed cell is large, and growing copied them.
        cells: Vec::with_capacity(
            document
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Table(t) => t.header.len() + t.cells.len(),
                    Block::Title { .. } => 1,
                    Block::Gap(_) | Block::PageBreak => 0,
                })
                .sum(),
        ),
        heights: Vec::new(),
        print_titles: None,
        breaks: Vec::new(),
        keep: Vec::new(),
        tail: None,
        scale: print_scale(points.iter().sum(), &document.page),
        list: None,
        landscape: document.page.landscape,
        head: document.page.head.clone(),
        footer: document.page.footer.clone(),
        print: document.sheet_options.print,
    };
    let mut heights = Heights { font, line_height, points: &points, rows: Vec::new(), spans: Vec::new() };
    let mut warnings = Vec::new();
    let mut row: u32 = 0;
    for (n, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Title { text, size } => {
                let style = Style { size: *size, bold: true, center: true, middle: true, ..Style::body(*size) };
                sheet.cells.push(Placed {
                    rows: (row, row),
                    cols: (0, last_col),
                    text: text.clone(),
                    number: None,
                    input: None,
                    style,
                    plain: false,
                    underline: Vec::new(),
                });
                heights.need((row, row), (0, last_col), text, *size, 0.0);
                row += 1;
            }
            Block::Gap(points) => {
                heights.fixed(row, points + 4.0);
                row += 1;
            }
            Block::PageBreak => sheet.breaks.push(row),
            Block::Table(table) => {
                let map = map_columns(&table.widths, &grid);
                let header_rows = table.header_rows() as u32;
                let body = row + header_rows;
                if header_rows > 0 && repeated == Some(n) {
                    sheet.print_titles = Some((row, body - 1));
                    sheet.tail = Some(body + table.rows as u32);
                    // The head's first showing never ends a page: a row of the table comes with it.
                    if table.rows > 0 {
                        sheet.keep.push(body - 1);
                    }
                }
                sheet.keep.extend(table.keep.iter().map(|&r| body + r as u32));
                if table.keep_last && table.rows > 1 {
                    sheet.keep.push(body + table.rows as u32 - 2);
                }
                let list = document.sheet_options.list;
                if list && sheet.list.is_none() {
                    sheet.list = Some((row, row + header_rows + table.rows as u32 - 1, map[table.widths.len()] - 1));
                }
                for (cell, top, plain) in
                    table.header.iter().map(|c| (c, row, false)).chain(table.cells.iter().map(|c| (c, row + header_rows, list)))
                {
                    let rows = (top + cell.rows.0 as u32, top + cell.rows.1 as u32);
                    let cols = (map[cell.cols.0], map[cell.cols.1 + 1] - 1);
                    let mut text = if cell.input.is_some() { String::new() } else { cell.plain_text() };
                    if text.chars().count() > CELL_LIMIT {
                        text = text.chars().take(CELL_LIMIT).collect();
                        let place = crate::model::Cell { row: rows.0, col: u32::from(cols.0) }.a1();
                        warnings.push(Diagnostic::warning(
                            "cell-too-long",
                            None,
                            crate::i18n::Message::new("cell-too-long")
                                .arg("sheet", &document.sheet)
                                .arg("cell", place)
                                .num("limit", CELL_LIMIT),
                        ));
                    }
                    let indent = if cell.style.center { 0.0 } else { INDENT };
                    if matches!(cell.role, Role::Header | Role::Label) && !cell.style.rotate && !text.is_empty() {
                        // A head breaks between its words, where the PDF breaks it: the viewer would
                        // break it anywhere (「職能基準名／稱」), so its lines are written out.
                        let width = points[cols.0 as usize..=cols.1 as usize].iter().sum::<f32>() - 2.0 * CELL_MARGIN - indent;
                        text = font.wrap_label(&text, (width / SAFETY).max(1.0), cell.style.size).join("\n");
                    }
                    if cell.style.rotate {
                        heights.fixed(rows.1, font.width(&text, cell.style.size) + 8.0);
                    } else if !plain && !cell.style.shrink {
                        // A list's cells keep the default height: measuring them cost more than the rest.
                        heights.need(rows, cols, &text, cell.style.size, indent);
                    }
                    // The ranges are of the cell's own text: a text rewritten for the sheet loses them.
                    let underline = if text == cell.text { cell.underline.clone() } else { Vec::new() };
                    let input = cell.input.clone();
                    sheet.cells.push(Placed { rows, cols, text, number: cell.number, input, style: cell.style, plain, underline });
                }
                row += header_rows + table.rows as u32;
            }
        }
    }
    sheet.heights = heights.finish();
    if sheet.print && sheet.list.is_none() {
        let page = printable_height(&document.page) * 100.0 / f32::from(sheet.scale);
        paginate(&mut sheet, page);
    }
    (sheet, warnings)
}

/// The print scale (percent) at which columns `width` points wide fit across the page between the
/// margins of both formats (xlsx: 0.5 inch a side; ODS: the template's).
fn print_scale(width: f32, page: &crate::doc::PageSetup) -> u16 {
    let printable = (page.size().0 - 72.0).min(page.content_width());
    ((100.0 * printable / width.max(1.0)).floor() as u16).clamp(10, 100)
}

/// The height a printed page gives the rows, in points, for both workbook formats: the xlsx
/// margins (0.7 inch top and bottom) and the ODS margins with their header and footer bands, less
/// a little for the viewer's rounding.
fn printable_height(page: &crate::doc::PageSetup) -> f32 {
    let height = page.size().1;
    let xlsx = height - 2.0 * 0.7 * 72.0;
    let ods = height - page.top - page.bottom - 3.0;
    0.97 * xlsx.min(ods)
}

/// Choose where the printed pages of a sheet break, as the PDF layout does for its pages: a page
/// is filled, then ends where the fewest merged cells would be cut (a task's rows stay together
/// when the page is at least half full), never after a row kept with the next, and the rows after
/// the repeated table (attitudes, notes, signatures) never open a page under the repeated header:
/// the table's last row comes along. Manual breaks are kept; every break becomes manual, so the
/// viewers print the pages chosen here.
fn paginate(sheet: &mut Sheet, page: f32) {
    let rows = sheet.heights.len() as u32;
    // Where each row starts down the sheet (and where the last ends): a run of rows' height is a
    // difference, not a sum, however long the sheet.
    let mut tops = Vec::with_capacity(rows as usize + 1);
    tops.push(0.0f32);
    for h in &sheet.heights {
        tops.push(tops[tops.len() - 1] + if *h > 0.0 { *h } else { DEFAULT_ROW });
    }
    let rows_height = |a: u32, b: u32| tops[b as usize] - tops[a as usize];
    let titles = sheet.print_titles.map_or(0.0, |(a, b)| rows_height(a, b + 1));
    // A merged cell taller than half a page is cut wherever the page ends: only shorter ones count,
    // sorted by their first row so that a page looks only at those near it.
    let mut spans: Vec<(u32, u32, f32)> = sheet
        .cells
        .iter()
        .filter(|c| c.rows.0 != c.rows.1)
        .map(|c| (c.rows.0, c.rows.1, rows_height(c.rows.0, c.rows.1 + 1)))
        .filter(|&(.., h)| h <= page / 2.0)
        .collect();
    spans.sort_unstable_by_key(|&(a, b, _)| (a, b));
    let longest = spans.iter().map(|&(a, b, _)| b - a).max().unwrap_or(0);
    let mut keep = sheet.keep.clone();
    keep.sort_unstable();
    let mut forced = std::mem::take(&mut sheet.breaks);
    forced.sort_unstable();
    let page_breaks = Breaking { rows_height: &rows_height, spans: &spans, longest, keep: &keep, tail: sheet.tail };
    let mut breaks = Vec::new();
    let mut start = 0;
    while start < rows {
        // Pages after the repeated header's first showing carry it.
        let room = page - if sheet.print_titles.is_some_and(|(_, last)| start > last) { titles } else { 0.0 };
        let mut end = start + 1;
        while end < rows && rows_height(start, end + 1) <= room && forced.binary_search(&end).is_err() {
            end += 1;
        }
        if end >= rows {
            break;
        }
        if forced.binary_search(&end).is_err() {
            end = page_breaks.better(start, end, room);
        }
        breaks.push(end);
        start = end;
    }
    sheet.breaks = breaks;
}

/// What choosing a page's end looks at: the rows' heights, the merged cells a break may cut
/// (sorted, each at most `longest` rows long), the rows kept with the next (sorted), and the first
/// row after the repeated table.
struct Breaking<'a> {
    rows_height: &'a dyn Fn(u32, u32) -> f32,
    spans: &'a [(u32, u32, f32)],
    longest: u32,
    keep: &'a [u32],
    tail: Option<u32>,
}

impl Breaking<'_> {
    /// Where a full page from `start` that could hold rows up to `end` (exclusive) should end.
    fn better(&self, start: u32, end: u32, room: f32) -> u32 {
        let tail = self.tail;
        // The rows after the repeated table open no page: end before the table's last row.
        let limit = match tail {
            Some(tail) if end >= tail && start + 1 < tail => tail - 1,
            _ => end,
        };
        let from = self.spans.partition_point(|&(a, ..)| a < start.saturating_sub(self.longest));
        let to = self.spans.partition_point(|&(a, ..)| a < limit);
        let near = &self.spans[from..to];
        let cuts = |r: u32| near.iter().filter(|&&(a, b, h)| a < r && r <= b && h <= room / 2.0).count();
        let allowed = |r: u32| r > start && self.keep.binary_search(&(r - 1)).is_err() && !tail.is_some_and(|t| r >= t && start < t);
        let candidates = (start + 1..=limit).filter(|&r| allowed(r) && (self.rows_height)(start, r) >= room / 2.0);
        match candidates.min_by_key(|&r| (cuts(r), std::cmp::Reverse(r))) {
            Some(best) => best,
            None => (start + 1..=limit).rev().find(|&r| allowed(r)).unwrap_or(limit.max(start + 1)),
        }
    }
}

/// Each table column's first sheet column, and one past the last: the table's column edges moved
/// to the nearest edges of the sheet's grid, each column keeping at least one sheet column.
fn map_columns(widths: &[f32], grid: &[f32]) -> Vec<u16> {
    let grid_edges: Vec<f32> = std::iter::once(0.0)
        .chain(grid.iter().scan(0.0, |x, w| {
            *x += w;
            Some(*x)
        }))
        .collect();
    let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
    let scale = grid_edges[grid.len()] / total;
    let n = widths.len();
    let mut map = vec![0u16; n + 1];
    let mut x = 0.0;
    for i in 1..=n {
        x += widths[i - 1] * scale;
        let lowest = usize::from(map[i - 1]) + 1;
        let highest = grid.len() - (n - i);
        let nearest = (lowest..=highest).min_by(|&a, &b| (grid_edges[a] - x).abs().total_cmp(&(grid_edges[b] - x).abs())).unwrap_or(lowest);
        map[i] = if i == n { grid.len() as u16 } else { nearest as u16 };
    }
    map
}

/// Row heights from the text of the cells in them.
struct Heights<'a> {
    font: &'a Font,
    line_height: f32,
    /// Column widths in points.
    points: &'a [f32],
    /// Height each row needs for the cells that lie in it alone.
    rows: Vec<f32>,
    /// Cells spanning several rows: (first, last, height needed).
    spans: Vec<(u32, u32, f32)>,
}

impl Heights<'_> {
    fn grow(&mut self, last: u32) {
        if self.rows.len() <= last as usize {
            self.rows.resize(last as usize + 1, 0.0);
        }
    }

    fn fixed(&mut self, row: u32, height: f32) {
        self.grow(row);
        self.rows[row as usize] = self.rows[row as usize].max(height);
    }

    fn need(&mut self, rows: (u32, u32), cols: (u16, u16), text: &str, size: f32, indent: f32) {
        let width: f32 = self.points[cols.0 as usize..=cols.1 as usize].iter().sum::<f32>() - 2.0 * CELL_MARGIN - indent;
        let lines = if text.is_empty() { 1 } else { self.font.line_count(text, (width / SAFETY).max(1.0), size) };
        let height = lines as f32 * size * self.line_height + 3.0;
        self.grow(rows.1);
        if rows.0 == rows.1 {
            self.fixed(rows.0, height);
        } else {
            self.spans.push((rows.0, rows.1, height));
        }
    }

    /// Every row's height: its own cells first, then spans spread their shortfall evenly.
    fn finish(mut self) -> Vec<f32> {
        self.spans.sort_by_key(|(first, last, _)| last - first);
        for &(first, last, needed) in &self.spans {
            let rows = &mut self.rows[first as usize..=last as usize];
            let have: f32 = rows.iter().sum();
            if have < needed {
                let extra = (needed - have) / rows.len() as f32;
                rows.iter_mut().for_each(|h| *h += extra);
            }
        }
        self.rows.iter().map(|h| h.min(MAX_ROW_HEIGHT).ceil()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_pages_fit_keep_their_chains_and_never_open_with_the_tail() {
        let template = crate::template::Template::official();
        let font = Font::embedded();
        let mut standard = crate::render::json::from_json(include_bytes!("../../../tests/fixtures/BAS2421-002.json")).expect("sample");
        let sample = standard.clone();
        // And the sample with three times its duties, for many pages.
        for round in 1..3 {
            for duty in &sample.duties {
                let mut copy = duty.clone();
                copy.code = format!("T{}", duty.code[1..].parse::<usize>().unwrap_or(0) + round * sample.duties.len());
                standard.duties.push(copy);
            }
        }
        // Standards ending at many different heights, so that some table ends right at a page end.
        let mut variants = vec![sample.clone(), standard];
        for keep in 1..sample.duties.len() {
            let mut shorter = sample.clone();
            shorter.duties.truncate(keep);
            for _ in 0..4 {
                variants.push(shorter.clone());
                if let Some(duty) = shorter.duties.last_mut() {
                    duty.tasks.pop();
                }
            }
        }
        for standard in &variants {
            let tasks = crate::doc::checklist::all_tasks(standard);
            let documents =
                [crate::doc::form::document(standard, &template), crate::doc::checklist::document(standard, &tasks, None, &template)];
            for document in &documents {
                let (sheet, _) = place(document, &font, template.workbook.line_height);
                let tail = sheet.tail.expect("a repeated table with rows after it");
                let (_, titles_end) = sheet.print_titles.expect("print titles");
                let height = |r: u32| sheet.heights.get(r as usize).copied().filter(|h| *h > 0.0).unwrap_or(DEFAULT_ROW);
                let titles: f32 = (sheet.print_titles.unwrap().0..=titles_end).map(height).sum();
                let room = printable_height(&document.page) * 100.0 / f32::from(sheet.scale);
                let mut starts = vec![0];
                starts.extend(&sheet.breaks);
                starts.push(sheet.heights.len() as u32);
                for page in starts.windows(2) {
                    let used: f32 = (page[0]..page[1]).map(height).sum::<f32>() + if page[0] > titles_end { titles } else { 0.0 };
                    assert!(used <= room || page[1] == page[0] + 1, "{}: rows {page:?} overfill the page", sheet.name);
                }
                assert!(!sheet.breaks.contains(&(titles_end + 1)), "{}: the table head ends a page with no row under it", sheet.name);
                for &b in &sheet.breaks {
                    assert!(!sheet.keep.contains(&(b - 1)), "{}: a page ends on row {} kept with the next", sheet.name, b - 1);
                }
                let tail_page = starts.iter().rev().find(|&&s| s <= tail).copied().unwrap_or(0);
                assert!(tail_page < tail, "{}: the rows after the table open a page under the repeated header", sheet.name);
            }
        }
    }

    #[test]
    fn columns_map_to_the_nearest_edges() {
        let grid = [10.0, 12.0, 12.0, 29.0, 8.0, 16.0, 13.0];
        assert_eq!(map_columns(&grid, &grid), [0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(map_columns(&[100.0], &grid), [0, 7]);
        assert_eq!(map_columns(&[8.0, 18.0, 18.0, 12.0, 28.0, 16.0], &grid), [0, 1, 2, 3, 4, 6, 7]);
        // More narrow columns than fit: each keeps one.
        assert_eq!(map_columns(&[1.0, 1.0, 98.0], &[50.0, 50.0, 1.0]), [0, 1, 2, 3]);
    }
}

/// Documents placed as the sheets of one workbook, with the warnings of cells cut to the limit.
pub fn place_all(documents: &[Document], template: &crate::template::Template, font: &Font) -> (Vec<Sheet>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let sheets = documents
        .iter()
        .map(|d| {
            let (sheet, mut cut) = place(d, font, template.workbook.line_height);
            warnings.append(&mut cut);
            sheet
        })
        .collect();
    (sheets, warnings)
}

/// A workbook format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
}

impl Kind {
    /// The format a file name asks for: `.ods`, else xlsx.
    pub fn of(path: &std::path::Path) -> Kind {
        let ods = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ods"));
        if ods { Kind::Ods } else { Kind::Xlsx }
    }
}

/// Placed sheets as a workbook of the given format.
pub fn workbook(kind: Kind, sheets: &[Sheet], title: &str, template: &crate::template::Template, epoch: i64) -> Result<Vec<u8>, String> {
    match kind {
        Kind::Xlsx => xlsx::workbook(sheets, title, template, epoch).map_err(|e| e.to_string()),
        Kind::Ods => ods::spreadsheet(sheets, title, template).map_err(|e| e.to_string()),
    }
}

/// `ocs init`'s blank form as a workbook of the given format.
pub fn blank(kind: Kind, template: &crate::template::Template, font: &Font, epoch: i64) -> Result<Vec<u8>, String> {
    let (sheets, _) = place_all(&crate::doc::blank::sheets(template), template, font);
    workbook(kind, &sheets, "職能基準範本", template, epoch)
}
