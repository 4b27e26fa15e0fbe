//! Arbitrary grids (rows split on newlines, cells on tabs, merges from the first line) through the
//! layout step, the checks, and the documents built from what was read (official form with its
//! fitted columns and notes, matrix, their page layout and sheet placement): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocs::model::Cell;
use ocs::read::{Grid, Merge};
use std::sync::OnceLock;

fn font() -> &'static ocs::text::Font {
    static FONT: OnceLock<ocs::text::Font> = OnceLock::new();
    FONT.get_or_init(ocs::text::Font::embedded)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let merges: Vec<Merge> = lines
        .next()
        .unwrap_or("")
        .as_bytes()
        .chunks(4)
        .filter(|c| c.len() == 4)
        .map(|c| {
            let first = Cell { row: u32::from(c[0] % 40), col: u32::from(c[1] % 8) };
            Merge { first, last: Cell { row: first.row + u32::from(c[2] % 12), col: first.col + u32::from(c[3] % 3) } }
        })
        .collect();
    let rows: Vec<Vec<String>> = lines.take(200).map(|l| l.split('\t').take(16).map(|c| c.replace('\r', "\n")).collect()).collect();
    let grid = Grid::new("fuzz", rows, merges, data.first().is_some_and(|b| b % 2 == 0));
    for laid in ocs::read::form::standards(&grid, "fuzz.csv").unwrap_or_default() {
        let _ = ocs::check::check(&laid.standard);
        let _ = ocs::check::fix(&laid.standard);
        let template = ocs::template::Template::official();
        let font = font();
        for document in [ocs::doc::form::document(&laid.standard, &template), ocs::doc::matrix::document(&laid.standard, &template)] {
            let _ = ocs::render::pdf::lay_out(&document, font);
            let _ = ocs::render::sheet::place(&document, font, template.workbook.line_height);
        }
    }
});
