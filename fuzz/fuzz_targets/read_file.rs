//! Any bytes as any input format: reading, laying out, checking and writing JSON/CSV never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocs::read::{Limits, read_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let ext = ["xlsx", "xls", "ods", "csv"][usize::from(selector) % 4];
    // Small limits keep each run fast; the limits themselves are what is being exercised.
    let limits = Limits { rows: 2_000, cols: 64, cells: 20_000, cell_len: 4_096, ..Limits::default() };
    let Ok(workbook) = read_bytes("fuzz", "fuzz", ext, bytes, &limits) else { return };
    for grid in &workbook.grids {
        for laid in ocs::read::form::standards(grid, "fuzz").unwrap_or_default() {
            let (fixed, _) = ocs::check::fix(&laid.standard);
            let _ = ocs::check::check(&fixed);
            let _ = ocs::render::json::json(&fixed);
            let _ = ocs::render::csv::csv(&fixed);
        }
    }
});
