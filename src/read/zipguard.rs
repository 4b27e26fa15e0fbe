//! Checks a zip container (xlsx, ods) before any parser opens it: the declared sizes of all entries
//! and the expansion ratio of each. The zip crate itself rejects an entry larger than it declares.

use super::grid::{Error, ErrorKind, Limits};
use std::io::Cursor;

/// Entries smaller than this may expand at any ratio: small XML compresses very well.
const RATIO_FLOOR: u64 = 1 << 20;

pub(super) fn check(file: &str, format: &'static str, bytes: &[u8], limits: &Limits) -> Result<(), Error> {
    let bad = |message: String| Error::new(file, ErrorKind::Workbook { format, message });
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| bad(e.to_string()))?;
        let size = entry.size();
        total = total.saturating_add(size);
        if total > limits.unzipped {
            return Err(Error::new(file, ErrorKind::UnzippedTooLarge { size: total, limit: limits.unzipped }));
        }
        let ratio = size / entry.compressed_size().max(1);
        if size > RATIO_FLOOR && ratio > limits.ratio {
            return Err(Error::new(
                file,
                ErrorKind::ZipBomb { entry: entry.name().map(|n| n.to_string()).unwrap_or_default(), ratio, limit: limits.ratio },
            ));
        }
    }
    Ok(())
}
