//! CSV: detect the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Big5/CP950), then read
//! records as rows. A merged range in CSV is written only in its top-left cell, so no merges are known.

use super::grid::{CellBudget, Error, ErrorKind, Grid, Limits, Workbook, place};
use crate::diag::Diagnostic;
use crate::i18n::Message;

/// The encodings a CSV may use, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Utf16Le,
    Utf16Be,
    Big5,
}

impl Encoding {
    /// The catalogue id naming the encoding.
    fn describe(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "encoding-utf8-bom",
            Encoding::Utf8 => "encoding-utf8",
            Encoding::Utf16Le => "encoding-utf16le",
            Encoding::Utf16Be => "encoding-utf16be",
            Encoding::Big5 => "encoding-big5",
        }
    }
}

/// Decode CSV bytes, saying which encoding was used.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), ErrorKind> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest, 3)?, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, encoding_rs::UTF_16LE)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, encoding_rs::UTF_16BE)?, Encoding::Utf16Be)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), Encoding::Utf8)
    } else {
        let decoded = encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes);
        match decoded {
            Some(text) => (text.into_owned(), Encoding::Big5),
            None => return Err(ErrorKind::UnknownEncoding { offset: first_big5_error(bytes) }),
        }
    };
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(ErrorKind::NulInText { line });
    }
    Ok((text, encoding))
}

fn utf8(bytes: &[u8], offset: usize) -> Result<String, ErrorKind> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| ErrorKind::UnknownEncoding { offset: offset + e.valid_up_to() })
}

fn utf16(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Result<String, ErrorKind> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or(ErrorKind::UnknownEncoding { offset: 2 })
}

fn first_big5_error(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::BIG5.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(bad as usize),
        _ => read,
    }
}

pub(super) fn read(file: &str, stem: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let (text, encoding) = decode(bytes).map_err(|kind| Error::new(file, kind))?;
    // One line end, so that record positions fall after the terminator (blank lines are counted):
    // CRLF (Windows) and a bare CR (Excel's "CSV (Macintosh)") both become LF, inside quoted cells too.
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    check_quotes(&text).map_err(|kind| Error::new(file, kind))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut budget = CellBudget::new(file, limits);
    let mut rows = Vec::new();
    // The csv crate skips blank lines; a spreadsheet shows them as rows, so count them back in.
    let mut row: u32 = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(Error::new(file, ErrorKind::Csv(e.to_string()))),
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let skipped = text.as_bytes().get(start..).unwrap_or_default().iter().take_while(|&&b| b == b'\n').count();
        row = row.saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
        if row >= limits.rows {
            return Err(Error::at(file, stem, None, ErrorKind::CellOutOfRange { rows: limits.rows, cols: limits.cols }));
        }
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            budget.admit(stem, row, col as u32, field)?;
            place(&mut rows, row, col as u32, unescape_formula(field));
        }
        row += 1;
    }
    let note = Diagnostic::info("encoding", None, Message::new("encoding").message("encoding", Message::new(encoding.describe())));
    Ok(Workbook { grids: vec![Grid::new(stem, rows, Vec::new(), false)], notes: vec![note] })
}

/// Quotes as RFC 4180 has them: a quote opens a field only at its start, and the closing quote is
/// followed by a comma or a line end. The csv crate reads anything else leniently, so a stray quote
/// would silently swallow every following row into one cell; here it is an error naming its line.
fn check_quotes(text: &str) -> Result<(), ErrorKind> {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if at_field_start => {
                let opened = line;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(ErrorKind::Csv(format!(
                                "the quoted cell opened on line {opened} is never closed (it would swallow every following row)"
                            )));
                        }
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => break,
                        Some(b'\n') => {
                            line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
                // `i` is on the closing quote.
                if !matches!(bytes.get(i + 1), None | Some(b',' | b'\n')) {
                    return Err(ErrorKind::Csv(format!(
                        "the quoted cell opened on line {opened} closes on line {line} but text follows its closing quote (a stray quote?)"
                    )));
                }
                at_field_start = false;
            }
            b'\n' => {
                line += 1;
                at_field_start = true;
            }
            b',' => at_field_start = true,
            _ => at_field_start = false,
        }
        i += 1;
    }
    Ok(())
}

/// Characters that make a spreadsheet treat a CSV field as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Protect a field from being run as a formula: a leading `'` (also added before a `'` that
/// precedes such a character, so that `unescape_formula` restores every text exactly).
pub fn escape_formula(text: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = text.chars();
    let first = chars.next();
    let risky = match first {
        Some(c) if FORMULA_STARTS.contains(&c) => true,
        Some('\'') => chars.next().is_some_and(|c| FORMULA_STARTS.contains(&c) || c == '\''),
        _ => false,
    };
    if risky { format!("'{text}").into() } else { text.into() }
}

/// The inverse of `escape_formula`.
pub fn unescape_formula(text: &str) -> String {
    let mut chars = text.chars();
    if chars.next() == Some('\'')
        && let Some(c) = chars.next()
        && (FORMULA_STARTS.contains(&c) || c == '\'')
    {
        return text[1..].to_string();
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode("\u{FEFF}代碼".as_bytes()).unwrap(), ("代碼".to_string(), Encoding::Utf8Bom));
        assert_eq!(decode("代碼".as_bytes()).unwrap().1, Encoding::Utf8);
        let (big5, _, _) = encoding_rs::BIG5.encode("職能基準代碼,BAS2421-002");
        assert_eq!(decode(&big5).unwrap(), ("職能基準代碼,BAS2421-002".to_string(), Encoding::Big5));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("代碼,K01".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).unwrap(), ("代碼,K01".to_string(), Encoding::Utf16Le));
    }

    #[test]
    fn unknown_encoding_and_nul_are_errors() {
        assert!(matches!(decode(&[0x81, 0x20, 0xFF, 0xFF]), Err(ErrorKind::UnknownEncoding { .. })));
        assert!(matches!(decode(b"a,b\nc\0,d"), Err(ErrorKind::NulInText { line: 2 })));
        assert!(matches!(decode(b"\xEF\xBB\xBFa,\xFF"), Err(ErrorKind::UnknownEncoding { offset: 5 })));
    }

    #[test]
    fn blank_lines_count_as_rows() {
        let workbook = read("f.csv", "f", b"a,b\n\n\nc,\"d\ne\"\n\nf\n", &Limits::default()).unwrap();
        let grid = &workbook.grids[0];
        assert_eq!(grid.text(0, 0), "a");
        assert_eq!(grid.text(3, 1), "d\ne");
        assert_eq!(grid.text(5, 0), "f");
    }

    #[test]
    fn bare_cr_line_ends_are_line_ends() {
        let workbook = read("f.csv", "f", b"a,\"P1\rP2\"\rK01,b\r", &Limits::default()).unwrap();
        let grid = &workbook.grids[0];
        assert_eq!(grid.text(0, 1), "P1\nP2");
        assert_eq!(grid.text(1, 0), "K01");
    }

    #[test]
    fn a_stray_quote_is_an_error_naming_its_line() {
        let never_closed = read("f.csv", "f", "a,b\nc,\"d\ne,f\n".as_bytes(), &Limits::default()).unwrap_err();
        assert!(never_closed.to_string().contains("opened on line 2 is never closed"), "{never_closed}");
        let text_after = read("f.csv", "f", "a,\"b\nc,\"d\",e\n".as_bytes(), &Limits::default()).unwrap_err();
        assert!(text_after.to_string().contains("opened on line 1 closes on line 2"), "{text_after}");
        assert!(read("f.csv", "f", "a,\"b \"\"x\"\" c\",d\na\"b,c\n".as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn formula_escaping_round_trips() {
        for text in ["=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-5%", "'=x", "'plain", "''", "plain", "", "'"] {
            let escaped = escape_formula(text);
            assert!(!escaped.starts_with(FORMULA_STARTS), "{escaped}");
            assert_eq!(unescape_formula(&escaped), text);
        }
        assert_eq!(escape_formula("=1+1"), "'=1+1");
    }
}
