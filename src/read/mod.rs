//! Reading input files into `Grid`s: cell text, merged ranges and A1 references for every sheet.
//! Knows files, containers and encodings, and nothing of 職能基準: `form`, below it, reads the
//! official form out of a `Grid`. Limits are checked here, before any parser can allocate what a
//! hostile file asks for.

mod biff;
mod csv;
pub mod form;
pub use csv::{escape_formula, unescape_formula};
mod document;
mod docx;
mod grid;
mod ods;
mod odt;
mod sheets;
mod zipguard;

use crate::diag::Diagnostic;
use crate::i18n::Message;
use std::path::Path;

pub use grid::{Error, ErrorKind, Grid, Limits, Merge, Workbook};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
    Odt,
    Docx,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Odt => "odt",
            Format::Docx => "docx",
        }
    }

    fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            "odt" => Some(Format::Odt),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
}

/// File extensions `ocs` reads, for collecting the files of a folder.
pub fn is_input_file(path: &Path) -> bool {
    let ext = extension(path);
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv" | "odt" | "docx")
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Read every sheet of a file. The container is recognised from the bytes, not the name; a name
/// that disagrees is reported.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Workbook, Error> {
    use std::io::Read;
    let file = path.display().to_string();
    // Checked before opening too: opening a pipe would wait for a writer.
    if !std::fs::metadata(path).map_err(|e| Error::new(&file, e.into()))?.is_file() {
        return Err(Error::new(&file, ErrorKind::NotAFile));
    }
    let opened = std::fs::File::open(path).map_err(|e| Error::new(&file, e.into()))?;
    let metadata = opened.metadata().map_err(|e| Error::new(&file, e.into()))?;
    if !metadata.is_file() {
        return Err(Error::new(&file, ErrorKind::NotAFile));
    }
    if metadata.len() > limits.file_size {
        return Err(Error::new(&file, ErrorKind::FileTooLarge { size: metadata.len(), limit: limits.file_size }));
    }
    // The limit counts the bytes actually read: a file may grow after its size was taken.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    opened.take(limits.file_size.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::new(&file, e.into()))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sheet").to_string();
    read_named(&file, &stem, &extension(path), &bytes, limits)
}

/// Read a file already in memory (the web page's), named as a path (`input/BAS2421-002.csv`): the
/// name is used in messages, its extension as for [`read_file`], its stem as the sheet name of a CSV.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let path = Path::new(name);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sheet");
    read_named(name, stem, &extension(path), bytes, limits)
}

/// Read bytes; `name` is used in messages, `stem` as the sheet name of a CSV.
fn read_named(name: &str, stem: &str, ext: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    if bytes.is_empty() {
        return Err(Error::new(name, ErrorKind::Empty));
    }
    if bytes.len() as u64 > limits.file_size {
        return Err(Error::new(name, ErrorKind::FileTooLarge { size: bytes.len() as u64, limit: limits.file_size }));
    }
    let named = Format::from_extension(ext);
    let sniffed = sniff(bytes, named);
    // A Word 97–2003 document is an OLE file like an xls workbook; say what it is rather than fail as one.
    if ext == "doc" && sniffed == Some(Format::Xls) {
        return Err(Error::new(name, ErrorKind::Unsupported(ext.to_string())));
    }
    let format = match (named, sniffed) {
        (_, Some(format)) => format,
        (Some(Format::Csv), None) => Format::Csv,
        (_, None) if csv::decode(bytes).is_ok() => Format::Csv,
        (Some(format), None) => {
            return Err(Error::new(name, ErrorKind::NotAWorkbook { format: format.name() }));
        }
        (None, None) => return Err(Error::new(name, ErrorKind::Unsupported(ext.to_string()))),
    };
    let mut notes = Vec::new();
    if let Some(named) = named
        && named != format
    {
        let message =
            Message::new("container").arg("ext", ext).message("holds", Message::new(describe(format))).arg("format", format.name());
        notes.push(Diagnostic::warning("container", None, message));
    }
    let mut workbook = match format {
        Format::Csv => csv::read(name, stem, bytes, limits)?,
        Format::Xlsx => {
            zipguard::check(name, "xlsx", bytes, limits)?;
            guarded(name, format, || sheets::read_xlsx(name, bytes, limits))?
        }
        Format::Xls => guarded(name, format, || {
            biff::check(name, bytes, limits)?;
            sheets::read_xls(name, bytes, limits)
        })?,
        Format::Ods => {
            zipguard::check(name, "ods", bytes, limits)?;
            guarded(name, format, || ods::read(name, bytes, limits))?
        }
        Format::Odt => {
            zipguard::check(name, "odt", bytes, limits).map_err(Error::of_document)?;
            guarded(name, format, || odt::read(name, bytes, limits)).map_err(Error::of_document)?
        }
        Format::Docx => {
            zipguard::check(name, "docx", bytes, limits).map_err(Error::of_document)?;
            guarded(name, format, || docx::read(name, bytes, limits)).map_err(Error::of_document)?
        }
    };
    notes.append(&mut workbook.notes);
    // A reader's notes keep the place they name (a text document's table and cell).
    workbook.notes = notes
        .into_iter()
        .map(|d| {
            let sheet = d.sheet.clone();
            d.located(name, &sheet)
        })
        .collect();
    Ok(workbook)
}

thread_local! {
    /// Set while a third-party parser runs, so that its panic is reported as an error, quietly.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run a workbook parser so that a panic inside it (calamine panics on some malformed xls files,
/// found by fuzzing) becomes one clear error for this file instead of ending the batch.
fn guarded(name: &str, format: Format, parse: impl FnOnce() -> Result<Workbook, Error>) -> Result<Workbook, Error> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                default(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|panic| {
        let detail =
            panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
        Err(Error::new(name, ErrorKind::Broken { format: format.name(), detail }))
    })
}

/// The catalogue id naming what a container is.
fn describe(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "format-xlsx",
        Format::Xls => "format-xls",
        Format::Ods => "format-ods",
        Format::Csv => "format-csv",
        Format::Odt => "format-odt",
        Format::Docx => "format-docx",
    }
}

/// Recognise a container by its first bytes; a zip by its ODF mimetype or its parts, else (when its
/// directory cannot be read) by the name it was given.
fn sniff(bytes: &[u8], named: Option<Format>) -> Option<Format> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        return Some(Format::Xls);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // The ODF mimetype entry comes first, stored, by the standard.
    let head = &bytes[..bytes.len().min(256)];
    let has = |mimetype: &[u8]| head.windows(mimetype.len()).any(|w| w == mimetype);
    if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        return Some(Format::Ods);
    }
    if has(b"application/vnd.oasis.opendocument.text") {
        return Some(Format::Odt);
    }
    let zipped = named.filter(|f| matches!(f, Format::Xlsx | Format::Ods | Format::Odt | Format::Docx));
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Some(zipped.unwrap_or(Format::Xlsx)) };
    let has_part = |prefix: &str| archive.file_names().flatten().any(|n| n.starts_with(prefix));
    Some(if has_part("word/") {
        Format::Docx
    } else if has_part("xl/") {
        Format::Xlsx
    } else {
        zipped.unwrap_or(Format::Xlsx)
    })
}

#[cfg(test)]
mod tests {
    use super::grid::*;
    use crate::model::Cell;

    #[test]
    fn dates() {
        assert_eq!(date_text(43455.0), "2018/12/21");
        assert_eq!(date_text(1.0), "1899/12/31");
        assert_eq!(date_text(43455.5), "2018/12/21 12:00:00");
        assert_eq!(iso_date_text("2018-12-21"), "2018/12/21");
        assert_eq!(iso_date_text("2018-12-21T00:00:00"), "2018/12/21");
    }

    #[test]
    fn numbers() {
        assert_eq!(number_text(4.0), "4");
        assert_eq!(number_text(2421.0), "2421");
        assert_eq!(number_text(4.5), "4.5");
    }

    #[test]
    fn merges_are_clipped_to_the_used_area() {
        let rows = vec![vec!["a".to_string(), "b".to_string()], vec!["c".to_string()]];
        let huge = Merge { first: Cell { row: 0, col: 0 }, last: Cell { row: 1_048_575, col: 16_383 } };
        let grid = Grid::new("s", rows, vec![huge], true);
        assert_eq!(grid.merges()[0].last, Cell { row: 1, col: 1 });
        assert!(grid.merge_at(1, 1).is_some());
    }
}
