//! Excel workbooks through calamine. xlsx cells are streamed (`worksheet_cells_reader`) and checked
//! against the limits one by one: calamine's dense `worksheet_range` would abort the process on a
//! single cell at XFD1048576. xls is capped by its format at 65536 × 256.

use super::grid::{
    CellBudget, Error, ErrorKind, Grid, Limits, Merge, Workbook, check_merges, date_text, iso_date_text, number_text, place,
};
use crate::model::Cell;
use calamine::{Data, DataRef, Dimensions, Reader, SheetType, Xls, Xlsx};
use std::io::Cursor;

fn workbook_error(file: &str, format: &'static str, error: impl std::fmt::Display) -> Error {
    Error::new(file, ErrorKind::Workbook { format, message: error.to_string() })
}

fn merges(dimensions: Vec<Dimensions>) -> Vec<Merge> {
    dimensions
        .into_iter()
        .map(|d| Merge { first: Cell { row: d.start.0, col: d.start.1 }, last: Cell { row: d.end.0, col: d.end.1 } })
        .collect()
}

/// Names of the worksheets (not chart or macro sheets), in workbook order.
fn worksheet_names<R: Reader<Cursor<Vec<u8>>>>(workbook: &R) -> Vec<String> {
    workbook.sheets_metadata().iter().filter(|sheet| sheet.typ == SheetType::WorkSheet).map(|sheet| sheet.name.clone()).collect()
}

pub(super) fn read_xlsx(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| workbook_error(file, "xlsx", e))?;
    let mut budget = CellBudget::new(file, limits);
    let mut grids = Vec::new();
    for name in worksheet_names(&workbook) {
        let mut rows = Vec::new();
        {
            let mut cells = workbook.worksheet_cells_reader(&name).map_err(|e| workbook_error(file, "xlsx", e).in_sheet(&name))?;
            while let Some(cell) = cells.next_cell().map_err(|e| workbook_error(file, "xlsx", e).in_sheet(&name))? {
                let (row, col) = cell.get_position();
                let text = data_ref_text(cell.get_value());
                if text.trim().is_empty() {
                    continue;
                }
                budget.admit(&name, row, col, &text)?;
                place(&mut rows, row, col, text);
            }
        }
        let merged = merges(workbook.merge_cells_by_sheet_name(&name).map_err(|e| workbook_error(file, "xlsx", e).in_sheet(&name))?);
        check_merges(file, &name, &merged, limits)?;
        grids.push(Grid::new(&name, rows, merged, true));
    }
    Ok(Workbook { grids, notes: Vec::new() })
}

pub(super) fn read_xls(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let mut workbook: Xls<_> = Xls::new(Cursor::new(bytes.to_vec())).map_err(|e| workbook_error(file, "xls", e))?;
    let mut budget = CellBudget::new(file, limits);
    let mut grids = Vec::new();
    for name in worksheet_names(&workbook) {
        let range = workbook.worksheet_range(&name).map_err(|e| workbook_error(file, "xls", e).in_sheet(&name))?;
        let mut rows = Vec::new();
        for (row, col, value) in range.used_cells() {
            let (row, col) = (range.start().map_or(0, |s| s.0) + row as u32, range.start().map_or(0, |s| s.1) + col as u32);
            let text = data_text(value);
            if text.trim().is_empty() {
                continue;
            }
            budget.admit(&name, row, col, &text)?;
            place(&mut rows, row, col, text);
        }
        let merged = merges(workbook.merge_cells_by_sheet_name(&name).map_err(|e| workbook_error(file, "xls", e).in_sheet(&name))?);
        check_merges(file, &name, &merged, limits)?;
        grids.push(Grid::new(&name, rows, merged, true));
    }
    Ok(Workbook { grids, notes: Vec::new() })
}

/// A cell's text as a spreadsheet shows it by default.
fn data_ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) => s.replace("\r\n", "\n"),
        DataRef::SharedString(s) => s.replace("\r\n", "\n"),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => date_text(d.as_f64()),
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::DateTimeIso(s) => iso_date_text(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A cell's text as a spreadsheet shows it by default.
pub(super) fn data_text(value: &Data) -> String {
    match value {
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => date_text(d.as_f64()),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) => iso_date_text(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

impl Error {
    fn in_sheet(mut self, sheet: &str) -> Error {
        self.sheet = Some(sheet.to_string());
        self
    }
}
