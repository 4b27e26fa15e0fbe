//! OpenDocument spreadsheets: calamine reads the cell values, and a streaming pass over
//! `content.xml` finds what calamine does not give: merged ranges (`number-rows-spanned`,
//! `number-columns-spanned`) and the extent of each table, checked against the limits first.

use super::sheets::data_text;
use super::{CellBudget, Error, ErrorKind, Grid, Limits, Merge, Workbook, place};
use crate::model::Cell;
use calamine::{Ods, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// What the pass over `content.xml` learns of one table.
#[derive(Debug, Default)]
struct TableShape {
    name: String,
    merges: Vec<Merge>,
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
    // The cell being read: its column, its repeat count, whether it has content so far.
    let mut open_cell: Option<(u64, u64)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::new(file, ErrorKind::Workbook { format: "ods", message: format!("content.xml: {e}") }))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        tables.push(TableShape { name: attribute(e, "table:name").unwrap_or_default(), merges: Vec::new() });
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
                            admit(file, &sheet, row, col + repeat - 1, limits)?;
                            cells += repeat * row_repeat;
                            if cells > limits.cells {
                                return Err(Error::at(file, &sheet, None, ErrorKind::TooManyCells { limit: limits.cells }));
                            }
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
                            open_cell = Some((col, repeat));
                        }
                    }
                    "text:p" if open_cell.is_some() => {
                        if let Some((at, _)) = open_cell {
                            let sheet = tables.last().map(|t| t.name.clone()).unwrap_or_default();
                            admit(file, &sheet, row, at, limits)?;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((at, repeat)) = open_cell.take() {
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

/// A cell with content must lie within the limits (repeated empty rows and columns may not).
fn admit(file: &str, sheet: &str, row: u64, col: u64, limits: &Limits) -> Result<(), Error> {
    if row >= limits.rows as u64 || col >= limits.cols as u64 {
        let cell = (row < u32::MAX as u64 && col < u32::MAX as u64).then_some(Cell { row: row as u32, col: col as u32 });
        return Err(Error::at(file, sheet, cell, ErrorKind::CellOutOfRange { rows: limits.rows, cols: limits.cols }));
    }
    Ok(())
}
