//! The `Grid` every reader produces (cell text, merged ranges, A1 places) and what the readers
//! share: the limits checked before allocating, the error of a file that cannot be read, and the
//! text of numbers and dates as a spreadsheet shows them.

use crate::diag::Diagnostic;
use crate::i18n::Message;
use crate::model::Cell;

/// One sheet as text cells. Rows are stored up to their last non-empty cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The sheet name (for CSV, the file's stem).
    pub sheet: String,
    rows: Vec<Vec<String>>,
    merges: Vec<Merge>,
    /// Per column, the row intervals covered by merges (sorted, non-overlapping) → index into `merges`.
    by_column: Vec<Vec<(u32, u32, usize)>>,
    /// Whether the format records merged cells (xlsx, xls, ods, odt, docx); CSV does not.
    pub merges_known: bool,
    /// For a text document, where each row came from (a table row or a paragraph), to name cells.
    pub places: Option<std::sync::Arc<crate::model::Places>>,
}

/// A merged range, first and last cell inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: Cell,
    pub last: Cell,
}

/// What a file held: its sheets, and notes on how it was read (encoding, container).
#[derive(Debug, Default)]
pub struct Workbook {
    pub grids: Vec<Grid>,
    pub notes: Vec<Diagnostic>,
}

/// Limits that a file must stay within; each has a command-line flag to raise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file itself.
    pub file_size: u64,
    /// Bytes of all zip entries once decompressed (xlsx, ods).
    pub unzipped: u64,
    /// Highest decompressed/compressed ratio of one large zip entry.
    pub ratio: u64,
    /// Rows of one sheet.
    pub rows: u32,
    /// Columns of one sheet.
    pub cols: u32,
    /// Non-empty cells of one file.
    pub cells: u64,
    /// Bytes of one cell's text.
    pub cell_len: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { file_size: 64 << 20, unzipped: 256 << 20, ratio: 200, rows: 50_000, cols: 256, cells: 2_000_000, cell_len: 256 << 10 }
    }
}

/// Why a file could not be read; shown as `file[:sheet[!cell]]: message`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", self.place())]
pub struct Error {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<Cell>,
    pub kind: ErrorKind,
}

/// What went wrong reading a file; its sentence comes from the catalogue (`message`).
#[derive(Debug)]
pub enum ErrorKind {
    Io(std::io::Error),
    Empty,
    NotAFile,
    FileTooLarge {
        size: u64,
        limit: u64,
    },
    UnzippedTooLarge {
        size: u64,
        limit: u64,
    },
    ZipBomb {
        entry: String,
        ratio: u64,
        limit: u64,
    },
    CellOutOfRange {
        rows: u32,
        cols: u32,
    },
    TooManyCells {
        limit: u64,
    },
    CellTooLong {
        len: usize,
        limit: usize,
    },
    UsedRangeTooLarge {
        area: u64,
        limit: u64,
    },
    MalformedMerge {
        reference: String,
    },
    TooManyMerges {
        merges: usize,
        limit: u64,
    },
    UnknownEncoding {
        offset: usize,
    },
    NulInText {
        line: usize,
    },
    Csv(String),
    /// A workbook parser's own complaint (its text is the parser's, in English).
    Workbook {
        format: &'static str,
        message: String,
    },
    /// A text document that cannot be read (its reason, from our document reader).
    Document {
        format: &'static str,
        message: String,
    },
    /// Named as a workbook but without a zip or OLE signature.
    NotAWorkbook {
        format: &'static str,
    },
    /// A workbook parser gave up on its structure (it panicked).
    Broken {
        format: &'static str,
        detail: String,
    },
    Unsupported(String),
    /// Tables nested inside cells deeper than the reader follows.
    Nesting {
        limit: u32,
    },
}

impl ErrorKind {
    /// The sentence for people, with what to do where there is something to do.
    pub fn message(&self) -> Message {
        match self {
            ErrorKind::Io(e) => Message::new("read-io").arg("error", e),
            ErrorKind::Empty => Message::new("read-empty"),
            ErrorKind::NotAFile => Message::new("read-not-a-file"),
            ErrorKind::UsedRangeTooLarge { area, limit } => Message::new("read-used-range").num("area", *area).num("limit", *limit),
            ErrorKind::MalformedMerge { reference } => Message::new("read-malformed-merge").arg("reference", reference),
            ErrorKind::TooManyMerges { merges, limit } => Message::new("read-too-many-merges").num("merges", *merges).num("limit", *limit),
            ErrorKind::FileTooLarge { size, limit } => {
                Message::new("read-file-too-large").arg("size", crate::i18n::size(*size)).arg("limit", crate::i18n::size(*limit))
            }
            ErrorKind::UnzippedTooLarge { size, limit } => {
                Message::new("read-unzipped-too-large").arg("size", crate::i18n::size(*size)).arg("limit", crate::i18n::size(*limit))
            }
            ErrorKind::ZipBomb { entry, ratio, limit } => {
                Message::new("read-zip-bomb").arg("entry", entry).num("ratio", *ratio).num("limit", *limit)
            }
            ErrorKind::CellOutOfRange { rows, cols } => Message::new("read-cell-out-of-range").num("rows", *rows).num("cols", *cols),
            ErrorKind::TooManyCells { limit } => Message::new("read-too-many-cells").num("limit", *limit),
            ErrorKind::CellTooLong { len, limit } => {
                Message::new("read-cell-too-long").arg("len", crate::i18n::size(*len as u64)).arg("limit", crate::i18n::size(*limit as u64))
            }
            ErrorKind::UnknownEncoding { offset } => Message::new("read-unknown-encoding").num("offset", *offset),
            ErrorKind::NulInText { line } => Message::new("read-nul").num("line", *line),
            ErrorKind::Csv(detail) => Message::new("read-csv").arg("detail", detail),
            ErrorKind::Workbook { format, message } => Message::new("read-workbook").arg("format", format).arg("detail", message),
            ErrorKind::NotAWorkbook { format } => Message::new("read-not-a-workbook").arg("format", format),
            ErrorKind::Broken { format, detail } => Message::new("read-broken").arg("format", format).arg("detail", detail),
            ErrorKind::Unsupported(ext) => Message::new("read-unsupported").arg("ext", ext),
            ErrorKind::Document { format, message } => Message::new("read-document").arg("format", format).arg("detail", message),
            ErrorKind::Nesting { limit } => Message::new("read-nesting").num("limit", *limit),
        }
    }
}

/// In the current language.
impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for ErrorKind {}

impl From<std::io::Error> for ErrorKind {
    fn from(error: std::io::Error) -> ErrorKind {
        ErrorKind::Io(error)
    }
}

impl Error {
    pub fn new(file: &str, kind: ErrorKind) -> Error {
        Error { file: file.to_string(), sheet: None, cell: None, kind }
    }

    pub fn at(file: &str, sheet: &str, cell: Option<Cell>, kind: ErrorKind) -> Error {
        Error { file: file.to_string(), sheet: Some(sheet.to_string()), cell, kind }
    }

    /// A text document is not a workbook: say so in the message.
    pub(super) fn of_document(self) -> Error {
        match self.kind {
            ErrorKind::Workbook { format, message } => Error { kind: ErrorKind::Document { format, message }, ..self },
            _ => self,
        }
    }

    fn place(&self) -> String {
        match (&self.sheet, self.cell) {
            (Some(sheet), Some(cell)) => format!("{}:{sheet}!{}", self.file, cell.a1()),
            (Some(sheet), None) => format!("{}:{sheet}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// The container a file really is, whatever its name says.
impl Grid {
    /// A grid from rows of text; `merges` are clipped to the used area.
    pub fn new(sheet: &str, mut rows: Vec<Vec<String>>, merges: Vec<Merge>, merges_known: bool) -> Grid {
        for row in &mut rows {
            while row.last().is_some_and(|c| c.trim().is_empty()) {
                row.pop();
            }
        }
        while rows.last().is_some_and(|r| r.is_empty()) {
            rows.pop();
        }
        let height = rows.len() as u32;
        let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
        let mut kept = Vec::new();
        let mut by_column: Vec<Vec<(u32, u32, usize)>> = vec![Vec::new(); width as usize];
        for merge in merges {
            let reversed = merge.last.row < merge.first.row || merge.last.col < merge.first.col;
            if merge.first.row >= height || merge.first.col >= width || merge.first == merge.last || reversed {
                continue;
            }
            let last = Cell { row: merge.last.row.min(height.saturating_sub(1)), col: merge.last.col.min(width.saturating_sub(1)) };
            let index = kept.len();
            kept.push(Merge { first: merge.first, last });
            for column in &mut by_column[merge.first.col as usize..=last.col as usize] {
                column.push((merge.first.row, last.row, index));
            }
        }
        for column in &mut by_column {
            column.sort_unstable();
        }
        Grid { sheet: sheet.to_string(), rows, merges: kept, by_column, merges_known, places: None }
    }

    /// Number of rows up to the last non-empty one.
    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    /// The text of a cell, as stored (a merged range's text is in its first cell only).
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.rows.get(row as usize).and_then(|r| r.get(col as usize)).map_or("", String::as_str)
    }

    /// The non-empty cells of a row, left to right.
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = (u32, &str)> {
        self.rows
            .get(row as usize)
            .into_iter()
            .flat_map(|r| r.iter().enumerate())
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(col, text)| (col as u32, text.as_str()))
    }

    /// The merged range covering a cell, if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<Merge> {
        let column = self.by_column.get(col as usize)?;
        let after = column.partition_point(|&(first, _, _)| first <= row);
        let &(_, last, index) = column.get(after.checked_sub(1)?)?;
        (row <= last).then(|| self.merges[index])
    }

    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    /// The same grid with each cell's text replaced where `rewrite` gives a new one; `None` when
    /// no cell changes.
    pub fn rewritten(&self, rewrite: impl Fn(&str) -> Option<String>) -> Option<Grid> {
        let mut changed: Option<Grid> = None;
        for (r, row) in self.rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if let Some(new) = rewrite(text) {
                    changed.get_or_insert_with(|| self.clone()).rows[r][c] = new;
                }
            }
        }
        changed
    }
}

/// Text of a number as a spreadsheet shows it by default: `4`, not `4.0`.
pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// A spreadsheet date serial (days since 1899-12-30) as `YYYY/MM/DD`, with the time when not midnight.
pub(crate) fn date_text(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Civil-from-days (H. Hinnant), from the Unix epoch; 1899-12-30 is day -25569.
    let z = days - 25569 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let seconds = ((serial - serial.floor()) * 86400.0).round() as i64;
    if seconds == 0 {
        format!("{year:04}/{month:02}/{day:02}")
    } else {
        format!("{year:04}/{month:02}/{day:02} {:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

/// An ISO date (`2018-12-21`, `2018-12-21T00:00:00`) as `YYYY/MM/DD`; other text unchanged.
pub(crate) fn iso_date_text(iso: &str) -> String {
    let date = iso.strip_suffix("T00:00:00").unwrap_or(iso);
    let b = date.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' { date.replace('-', "/") } else { iso.to_string() }
}

/// Keeps the running count of cells and checks every cell against the limits.
pub(crate) struct CellBudget<'a> {
    file: &'a str,
    limits: &'a Limits,
    cells: u64,
}

impl<'a> CellBudget<'a> {
    pub(crate) fn new(file: &'a str, limits: &'a Limits) -> CellBudget<'a> {
        CellBudget { file, limits, cells: 0 }
    }

    pub(crate) fn admit(&mut self, sheet: &str, row: u32, col: u32, text: &str) -> Result<(), Error> {
        let cell = Cell { row, col };
        if row >= self.limits.rows || col >= self.limits.cols {
            return Err(Error::at(
                self.file,
                sheet,
                Some(cell),
                ErrorKind::CellOutOfRange { rows: self.limits.rows, cols: self.limits.cols },
            ));
        }
        if text.len() > self.limits.cell_len {
            return Err(Error::at(self.file, sheet, Some(cell), ErrorKind::CellTooLong { len: text.len(), limit: self.limits.cell_len }));
        }
        self.cells += 1;
        if self.cells > self.limits.cells {
            return Err(Error::at(self.file, sheet, Some(cell), ErrorKind::TooManyCells { limit: self.limits.cells }));
        }
        Ok(())
    }
}

/// Check a sheet's merged ranges before they are stored: none reversed (`G30:E29`), and their
/// storage (one entry per column a range spans, within the column limit) within the cell limit.
pub(crate) fn check_merges(file: &str, sheet: &str, merges: &[Merge], limits: &Limits) -> Result<(), Error> {
    let mut cost: u64 = 0;
    for merge in merges {
        if merge.last.row < merge.first.row || merge.last.col < merge.first.col {
            let reference = format!("{}:{}", merge.first.a1(), merge.last.a1());
            return Err(Error::at(file, sheet, Some(merge.first), ErrorKind::MalformedMerge { reference }));
        }
        let columns = u64::from(merge.last.col.min(limits.cols) - merge.first.col.min(limits.cols)) + 1;
        cost = cost.saturating_add(columns);
        if cost > limits.cells {
            return Err(Error::at(file, sheet, None, ErrorKind::TooManyMerges { merges: merges.len(), limit: limits.cells }));
        }
    }
    Ok(())
}

/// Put a cell's text into rows, growing them as needed.
pub(crate) fn place(rows: &mut Vec<Vec<String>>, row: u32, col: u32, text: String) {
    let (row, col) = (row as usize, col as usize);
    if rows.len() <= row {
        rows.resize_with(row + 1, Vec::new);
    }
    let cells = &mut rows[row];
    if cells.len() <= col {
        cells.resize(col + 1, String::new());
    }
    cells[col] = text;
}
