//! OpenDocument spreadsheets: calamine reads the cell values, and a streaming pass over
//! `content.xml` finds what calamine does not give: merged ranges (`number-rows-spanned`,
//! `number-columns-spanned`) and the extent of each table, checked against the limits first.

use super::grid::{CellBudget, Error, ErrorKind, Grid, Limits, Merge, Workbook, check_merges, place};
use super::sheets::data_text;
use crate::model::Cell;
use calamine::{Ods, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// What the pass over `content.xml` learns of one table.
#[derive(Debug, Default)]
struct TableShape {
    name: String,
    merges: Vec<Merge>,
    /// One past the last row and column holding content: calamine allocates this whole area.
    extent: (u64, u64),
}

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let bad = |message: String| Error::new(file, ErrorKind::Workbook { format: "ods", message });
    let content = {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
        let mut entry = archive.by_name("content.xml").map_err(|e| bad(format!("content.xml: {e}")))?;
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|e| bad(format!("content.xml: {e}")))?;
        content
    };
    let shapes = scan(file, &content, limits)?;
    for shape in &shapes {
        check_merges(file, &shape.name, &shape.merges, limits)?;
    }
    let mut workbook: Ods<_> = Ods::new(Cursor::new(bytes.to_vec())).map_err(|e| bad(e.to_string()))?;
    let mut budget = CellBudget::new(file, limits);
    let mut grids = Vec::new();
    for shape in shapes {
        let range = workbook.worksheet_range(&shape.name).map_err(|e| bad(e.to_string()))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (row, col, value) in range.used_cells() {
            let (row, col) = (top + row as u32, left + col as u32);
            let text = data_text(value);
            if text.trim().is_empty() {
                continue;
            }
            budget.admit(&shape.name, row, col, &text)?;
            place(&mut rows, row, col, text);
        }
        grids.push(Grid::new(&shape.name, rows, shape.merges, true));
    }
    Ok(Workbook { grids, notes: Vec::new() })
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn count(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name).and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

/// Walk `content.xml` once: table names, merged ranges, and the extent of cells with content.
fn scan(file: &str, content: &[u8], limits: &Limits) -> Result<Vec<TableShape>, Error> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut tables: Vec<TableShape> = Vec::new();
    let (mut row, mut col): (u64, u64) = (0, 0);
    let mut row_repeat: u64 = 1;
    let mut cells: u64 = 0;
    // The cell being read: its column, its repeat count, whether its content was counted.
    let mut open_cell: Option<(u64, u64, bool)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::new(file, ErrorKind::Workbook { format: "ods", message: format!("content.xml: {e}") }))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        tables.push(TableShape { name: attribute(e, "table:name").unwrap_or_default(), ..TableShape::default() });
                        row = 0;
                    }
                    "table:table-row" => {
                        col = 0;
                        row_repeat = count(e, "table:number-rows-repeated");
                        if empty {
                            row += row_repeat;
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let repeat = count(e, "table:number-columns-repeated");
                        let rows_spanned = count(e, "table:number-rows-spanned");
                        let cols_spanned = count(e, "table:number-columns-spanned");
                        let has_value = attribute(e, "office:value-type").is_some();
                        let sheet = tables.last().map(|t| t.name.clone()).unwrap_or_default();
                        if has_value {
                            count_content(file, &mut tables, (row, col), (row_repeat, repeat), &mut cells, limits)?;
                        }
                        if (rows_spanned > 1 || cols_spanned > 1)
                            && let Some(table) = tables.last_mut()
                        {
                            admit(file, &sheet, row, col, limits)?;
                            let first = Cell { row: row as u32, col: col as u32 };
                            let last = Cell {
                                row: (row + rows_spanned - 1).min(u32::MAX as u64) as u32,
                                col: (col + cols_spanned - 1).min(u32::MAX as u64) as u32,
                            };
                            table.merges.push(Merge { first, last });
                        }
                        if empty {
                            col += repeat;
                        } else {
                            open_cell = Some((col, repeat, has_value));
                        }
                    }
                    "text:p" => {
                        // Text without a value type: calamine may still read it; count it once.
                        if let Some((at, repeat, counted @ false)) = open_cell {
                            count_content(file, &mut tables, (row, at), (row_repeat, repeat), &mut cells, limits)?;
                            open_cell = Some((at, repeat, !counted));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((at, repeat, _)) = open_cell.take() {
                        col = at + repeat;
                    }
                }
                "table:table-row" => row += row_repeat,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(tables)
}

/// A cell with content, repeated over `repeat` (rows, columns): every copy must lie within the
/// limits and counts as a cell, and the area calamine will allocate for the table (up to its last
/// cell with content) must stay within the cell limit too.
fn count_content(
    file: &str,
    tables: &mut [TableShape],
    at: (u64, u64),
    repeat: (u64, u64),
    cells: &mut u64,
    limits: &Limits,
) -> Result<(), Error> {
    let Some(table) = tables.last_mut() else { return Ok(()) };
    let last = (at.0.saturating_add(repeat.0 - 1), at.1.saturating_add(repeat.1 - 1));
    admit(file, &table.name, last.0, last.1, limits)?;
    *cells = cells.saturating_add(repeat.0.saturating_mul(repeat.1));
    table.extent = (table.extent.0.max(last.0 + 1), table.extent.1.max(last.1 + 1));
    if *cells > limits.cells || table.extent.0.saturating_mul(table.extent.1) > limits.cells {
        return Err(Error::at(file, &table.name, None, ErrorKind::TooManyCells { limit: limits.cells }));
    }
    Ok(())
}

/// A cell with content must lie within the limits (repeated empty rows and columns may not).
fn admit(file: &str, sheet: &str, row: u64, col: u64, limits: &Limits) -> Result<(), Error> {
    if row >= limits.rows as u64 || col >= limits.cols as u64 {
        let cell = (row < u32::MAX as u64 && col < u32::MAX as u64).then_some(Cell { row: row as u32, col: col as u32 });
        return Err(Error::at(file, sheet, cell, ErrorKind::CellOutOfRange { rows: limits.rows, cols: limits.cols }));
    }
    Ok(())
}
