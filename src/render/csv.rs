//! The flat table as CSV: UTF-8 with BOM (so Excel opens it), one row per indicator, every column
//! filled, the header block repeated in columns as a database export does. The 版本 table, when
//! there is one, comes first with its own header row. Reading this file back gives the same standard.

use crate::doc::flat::{COLUMNS, lines};
use crate::model::Standard;
use crate::read::escape_formula;

const VERSION_COLUMNS: [&str; 6] = ["版本", "職能基準代碼", "職能基準名稱", "狀態", "更新說明", "發展更新日期"];

/// The CSV bytes: BOM, optional 版本 table, then the flat table; CRLF line ends.
pub fn csv(standard: &Standard) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    // Flexible: the 版本 table is narrower than the flat table.
    let mut writer = csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut write = |fields: &[String]| {
        let escaped: Vec<_> = fields.iter().map(|f| escape_formula(f)).collect();
        // A flexible writer into a Vec has no failure left.
        writer.write_record(escaped.iter().map(|f| f.as_bytes())).expect("CSV record into memory");
    };
    if !standard.versions.is_empty() {
        write(&VERSION_COLUMNS.map(String::from));
        for v in &standard.versions {
            write(&[v.version.clone(), v.code.clone(), v.name.clone(), v.status.clone(), v.note.clone(), v.date.clone()]);
        }
        write(&[String::new()]);
    }
    write(&COLUMNS.map(String::from));
    for line in lines(standard) {
        write(&line);
    }
    out.extend(writer.into_inner().unwrap_or_default());
    out
}
