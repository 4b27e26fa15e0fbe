//! The spreadsheet backends (`xlsx`, `ods`) and what they share: a document placed on a sheet's
//! grid. Blocks stack down the sheet, each table's columns mapped onto the sheet's columns, spans
//! become merged ranges, and every row gets the height its text needs, measured with the font, so
//! that every line shows in Excel and LibreOffice. Content comes from `doc`; nothing is decided here.

pub mod ods;
pub mod xlsx;

use crate::diag::Diagnostic;
use crate::doc::{Block, Document, Input, Style};
use crate::text::Font;

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
    // The header repeated on printed pages: the longest table's that has one.
    let repeated = document
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(n, b)| if let Block::Table(t) = b { Some((n, t)) } else { None })
        .filter(|(_, t)| !t.header.is_empty())
        .max_by_key(|(_, t)| t.rows)
        .map(|(n, _)| n);
    let columns: Vec<f64> = grid.iter().map(|&w| column_chars(w)).collect();
    let points: Vec<f32> = columns.iter().map(|&c| column_points(c)).collect();
    let last_col = (grid.len() - 1) as u16;
    let mut sheet = Sheet {
        name: document.sheet.clone(),
        title: document.title.clone(),
        columns,
        cells: Vec::new(),
        heights: Vec::new(),
        print_titles: None,
        breaks: Vec::new(),
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
                if header_rows > 0 && repeated == Some(n) {
                    sheet.print_titles = Some((row, row + header_rows - 1));
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
                    if cell.style.rotate {
                        heights.fixed(rows.1, font.width(&text, cell.style.size) + 8.0);
                    } else if !plain {
                        // A list's cells keep the default height: measuring them cost more than the rest.
                        let indent = if cell.style.center { 0.0 } else { INDENT };
                        heights.need(rows, cols, &text, cell.style.size, indent);
                    }
                    sheet.cells.push(Placed { rows, cols, text, number: cell.number, input: cell.input.clone(), style: cell.style, plain });
                }
                row += header_rows + table.rows as u32;
            }
        }
    }
    sheet.heights = heights.finish();
    (sheet, warnings)
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
        let lines = if text.is_empty() { 1 } else { self.font.wrap(text, (width / SAFETY).max(1.0), size).len() };
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
