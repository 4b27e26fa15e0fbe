//! A pre-scan of an xls workbook's BIFF records before calamine opens it. calamine parses every
//! sheet when the workbook is opened, reserving the area each sheet's DIMENSIONS record declares and
//! allocating each sheet's whole used range: a cell at A1 and one at IV65536 on a few sheets cost
//! gigabytes. Here the cells' positions and the declared and used areas are checked first.

use super::grid::{Error, ErrorKind, Limits};
use crate::model::Cell;
use std::io::{Cursor, Read};

/// Record types (MS-XLS 2.3).
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
/// Records that place one cell, its row and column first: Number, Label, RString, BoolErr, Rk,
/// LabelSst, Formula.
const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

/// The area a sheet will cost: the declared one, and the bounding box of its cells.
#[derive(Default)]
struct Sheet {
    declared: u64,
    first: Option<(u32, u32)>,
    last: (u32, u32),
}

impl Sheet {
    fn place(&mut self, row: u32, col: u32) {
        let first = self.first.get_or_insert((row, col));
        *first = (first.0.min(row), first.1.min(col));
        self.last = (self.last.0.max(row), self.last.1.max(col));
    }

    fn used(&self) -> u64 {
        self.first.map_or(0, |(row, col)| u64::from(self.last.0 - row + 1) * u64::from(self.last.1 - col + 1))
    }
}

pub(super) fn check(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), Error> {
    let bad = |message: String| Error::new(file, ErrorKind::Workbook { format: "xls", message });
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut stream = container.open_stream("/Workbook").or_else(|_| container.open_stream("/Book")).map_err(|e| bad(e.to_string()))?;
    let mut data = Vec::new();
    (&mut stream).take(limits.file_size).read_to_end(&mut data).map_err(|e| bad(e.to_string()))?;
    let mut names = Vec::new();
    let mut sheets: Vec<Sheet> = Vec::new();
    // Substreams: the workbook globals first, then one per sheet; charts may nest inside a sheet.
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(header) = data.get(at..at + 4) {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let Some(record) = data.get(at + 4..at + 4 + len) else { break };
        at += 4 + len;
        match kind {
            BOF => {
                depth += 1;
                if depth == 1 && names.len() > sheets.len() {
                    sheets.push(Sheet::default());
                }
            }
            EOF => depth = depth.saturating_sub(1),
            BOUND_SHEET if depth == 1 && sheets.is_empty() => names.push(sheet_name(record)),
            _ if depth != 1 || sheets.is_empty() => {}
            DIMENSIONS => {
                if let Some(sheet) = sheets.last_mut() {
                    sheet.declared = declared_area(record);
                }
            }
            MUL_RK if record.len() >= 6 => {
                let row = u32::from(u16_at(record, 0));
                let (first, last) = (u32::from(u16_at(record, 2)), u32::from(u16_at(record, record.len() - 2)));
                place(file, &names, &mut sheets, row, first.min(last), limits)?;
                place(file, &names, &mut sheets, row, first.max(last), limits)?;
            }
            _ if CELLS.contains(&kind) && record.len() >= 4 => {
                place(file, &names, &mut sheets, u32::from(u16_at(record, 0)), u32::from(u16_at(record, 2)), limits)?;
            }
            _ => {}
        }
    }
    let area = sheets.iter().map(|s| s.declared.saturating_add(s.used())).fold(0u64, u64::saturating_add);
    if area > limits.cells {
        return Err(Error::new(file, ErrorKind::UsedRangeTooLarge { area, limit: limits.cells }));
    }
    Ok(())
}

fn place(file: &str, names: &[String], sheets: &mut [Sheet], row: u32, col: u32, limits: &Limits) -> Result<(), Error> {
    let index = sheets.len().saturating_sub(1);
    if row >= limits.rows || col >= limits.cols {
        let name = names.get(index).cloned().unwrap_or_else(|| format!("sheet {}", index + 1));
        return Err(Error::at(file, &name, Some(Cell { row, col }), ErrorKind::CellOutOfRange { rows: limits.rows, cols: limits.cols }));
    }
    if let Some(sheet) = sheets.last_mut() {
        sheet.place(row, col);
    }
    Ok(())
}

fn u16_at(record: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([record[at], record[at + 1]])
}

fn u32_at(record: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
}

/// Rows × columns calamine reserves for a DIMENSIONS record, computed exactly as it does (its
/// `parse_dimensions`, then `end - start + 1` in wrapping u32 arithmetic): a first row after the
/// last one wraps to billions, which must be refused here, not allocated there.
fn declared_area(record: &[u8]) -> u64 {
    let (first_row, last_row, mut first_col, last_col) = match record.len() {
        10 => (u32::from(u16_at(record, 0)), u32::from(u16_at(record, 2)), u32::from(u16_at(record, 4)), u32::from(u16_at(record, 6))),
        14 | 16 => (u32_at(record, 0), u32_at(record, 4), u32::from(u16_at(record, 8)), u32::from(u16_at(record, 10))),
        _ => return 0,
    };
    if 0xFF < first_col || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return 1;
    }
    let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1);
    let cols = (last_col - 1).wrapping_sub(first_col).wrapping_add(1);
    u64::from(rows).saturating_mul(u64::from(cols))
}

/// The name in a BOUNDSHEET8 record (a ShortXLUnicodeString after six bytes), for messages.
fn sheet_name(record: &[u8]) -> String {
    let Some(&[count, flags]) = record.get(6..8) else { return String::new() };
    let text = &record[8.min(record.len())..];
    if flags & 1 == 1 {
        let units: Vec<u16> = text.chunks_exact(2).take(usize::from(count)).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        text.iter().take(usize::from(count)).map(|&b| char::from(b)).collect()
    }
}
