//! Column widths chosen from the content: the official proportions are a starting point, and each
//! column may give or take width within bounds so that the main table is as short as it can be
//! (narrow columns leave one-character lines and tall rows; wide ones leave white space).
//!
//! The height is estimated without the font, as a typesetter would by counting: an ideograph is
//! one em wide, other characters about half, each item starts a new line. Rows are the tallest of
//! their own cells; a cell spanning rows adds what its rows lack to them. The widths then change
//! one step at a time, from the column that costs the least height to give to the column that
//! saves the most, while the table gets shorter. All in arithmetic on counts: a few milliseconds.

use super::{Breaks, ITEM_LINE, Role, Table};

/// How far a column may move from its official share, as a fraction of that share.
const LEAST: f32 = 0.85;
const MOST: f32 = 1.45;
/// One step of width moved between two columns, as a fraction of the table's width.
const STEP: f32 = 0.01;
/// The moves tried between two columns, in steps.
const MOVES: [f32; 3] = [1.0, 2.0, 4.0];
/// Cell measurements a fitting may cost in all.
const BUDGET: usize = 3_000_000;
/// The advance of a character that is not an ideograph (Latin, digits), in ems.
const NARROW_EM: f32 = 0.55;

/// A cell measured once: its column, rows, size, and the width of each of its lines as given
/// (items and line breaks), in points at its size.
struct Measured {
    col: usize,
    rows: (usize, usize),
    size: f32,
    lines: Vec<f32>,
}

/// Widths for `table` (its cells each in one column) that make it shorter, within bounds of the
/// given widths; `fixed` columns keep theirs; the labels of `others` on the same columns (a header
/// block) keep their words whole too. `padding` and `line_height` are the page's.
pub fn widths(table: &Table, others: &[&Table], fixed: &[usize], padding: f32, line_height: f32) -> Vec<f32> {
    let start = table.widths.clone();
    let total: f32 = start.iter().sum();
    let cells: Vec<Measured> = table
        .cells
        .iter()
        .filter(|c| c.cols.0 == c.cols.1 && !c.text.is_empty())
        .map(|c| Measured {
            col: c.cols.0,
            rows: c.rows,
            size: c.style.size,
            lines: c.text.split(['\n', ITEM_LINE]).map(|l| em_width(l) * c.style.size).collect(),
        })
        .collect();
    let need = |cell: &Measured, widths: &[f32]| needed(cell, widths, padding, line_height);
    // The cells of each column: a trial that moves width between two columns measures only theirs.
    let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); start.len()];
    for (i, cell) in cells.iter().enumerate() {
        by_col[cell.col].push(i);
    }
    let step = STEP * total;
    let movable: Vec<usize> = (0..start.len()).filter(|c| !fixed.contains(c)).collect();
    // A column of whole items (coded outputs, K/S names) only grows: narrower, its short names
    // would break into one-word lines. A head keeps its words whole.
    let least: Vec<f32> = (0..start.len())
        .map(|c| {
            let items = table.cells.iter().any(|cell| cell.cols == (c, c) && cell.breaks == Breaks::Items && !cell.text.is_empty());
            let words = table
                .header
                .iter()
                .chain(others.iter().flat_map(|t| t.header.iter().chain(&t.cells)).filter(|h| matches!(h.role, Role::Header | Role::Label)))
                .filter(|h| h.cols == (c, c))
                .flat_map(|h| head_words(&h.text).map(move |w| word_em(w) * h.style.size))
                .fold(0.0, f32::max);
            (if items { start[c] } else { start[c] * LEAST }).max(words + 2.0 * padding + 1.0).min(start[c] * MOST)
        })
        .collect();
    // A column whose head needs more than its share gets it first, from the columns with the most
    // room above their least.
    let mut best = start.clone();
    for c in 0..best.len() {
        let mut lacking = least[c] - best[c];
        while lacking > 0.01 {
            let Some(donor) = movable
                .iter()
                .copied()
                .filter(|&d| d != c && best[d] - least[d] > 0.01)
                .max_by(|&a, &b| (best[a] - least[a]).total_cmp(&(best[b] - least[b])))
            else {
                break;
            };
            let give = lacking.min(best[donor] - least[donor]).min(step);
            best[donor] -= give;
            best[c] += give;
            lacking -= give;
        }
    }
    let rows = Rows::of(&cells, table.rows);
    let mut heights = Vec::with_capacity(table.rows);
    let mut needs: Vec<f32> = cells.iter().map(|c| need(c, &best)).collect();
    let mut best_height = rows.height(&needs, &mut heights);
    let mut trial_needs = needs.clone();
    let mut trial = best.clone();
    // Each round moves one step between the pair of columns that shortens the table most; the
    // rounds are bounded so that a huge table costs no more than a few milliseconds (it keeps
    // the official proportions, or nearly).
    let rounds = (BUDGET / (cells.len().max(1) * movable.len().pow(2).max(1) * MOVES.len())).min(200);
    for _ in 0..rounds {
        // A single step often changes no line count: larger moves are tried too.
        let mut round: Option<(f32, usize, usize, f32)> = None;
        for &to in &movable {
            for &from in &movable {
                for moved in MOVES.map(|k| k * step) {
                    if from == to || best[to] + moved > start[to] * MOST + 0.01 || best[from] - moved < least[from] - 0.01 {
                        continue;
                    }
                    trial.copy_from_slice(&best);
                    trial[to] += moved;
                    trial[from] -= moved;
                    trial_needs.copy_from_slice(&needs);
                    for &i in by_col[to].iter().chain(&by_col[from]) {
                        trial_needs[i] = need(&cells[i], &trial);
                    }
                    let h = rows.height(&trial_needs, &mut heights);
                    if h < best_height - 0.5 && round.is_none_or(|(r, ..)| h < r) {
                        round = Some((h, from, to, moved));
                    }
                }
            }
        }
        let Some((h, from, to, moved)) = round else { break };
        best[to] += moved;
        best[from] -= moved;
        best_height = h;
        for &i in by_col[to].iter().chain(&by_col[from]) {
            needs[i] = need(&cells[i], &best);
        }
    }
    best
}

/// The estimated height of the table's body, in points.
#[cfg(test)]
fn estimated_height(cells: &[Measured], rows: usize, widths: &[f32], padding: f32, line_height: f32) -> f32 {
    let needs: Vec<f32> = cells.iter().map(|c| needed(c, widths, padding, line_height)).collect();
    Rows::of(cells, rows).height(&needs, &mut Vec::new())
}

/// The height a cell needs at the given widths, in points.
fn needed(cell: &Measured, widths: &[f32], padding: f32, line_height: f32) -> f32 {
    let room = (widths[cell.col] - 2.0 * padding).max(1.0);
    let lines: f32 = cell.lines.iter().map(|w| ceil(w / room).max(1.0)).sum();
    lines * cell.size * line_height + 2.0 * padding
}

/// `x.ceil()` for `x` ≥ 0 (−0.0 included), the same bits, inline: on x86-64 without SSE4.1
/// `f32::ceil` is a call, and fitting a table calls it for every line of every cell at every trial
/// width.
fn ceil(x: f32) -> f32 {
    // From 2^23 up every f32 is a whole number.
    if x >= 8_388_608.0 {
        return x;
    }
    // Truncated, never above `x`: equal when `x` is whole (then `x` itself, keeping −0.0).
    let whole = x as u32 as f32;
    if whole < x { whole + 1.0 } else { x }
}

/// Which rows the cells set, found once for every trial: a cell in one row makes the row as tall
/// as itself, then each cell spanning rows gives its shortfall to the last of them.
struct Rows {
    count: usize,
    /// A cell in one row, and the row.
    single: Vec<(usize, usize)>,
    /// A cell spanning rows, and its first and last row.
    spanning: Vec<(usize, (usize, usize))>,
}

impl Rows {
    fn of(cells: &[Measured], count: usize) -> Rows {
        let (mut single, mut spanning) = (Vec::new(), Vec::new());
        for (i, cell) in cells.iter().enumerate().filter(|(_, cell)| cell.rows.1 < count) {
            if cell.rows.0 == cell.rows.1 {
                single.push((i, cell.rows.0));
            } else {
                spanning.push((i, cell.rows));
            }
        }
        Rows { count, single, spanning }
    }

    /// The height of the table's body whose cells need `needs`, with `heights` to work in.
    fn height(&self, needs: &[f32], heights: &mut Vec<f32>) -> f32 {
        heights.clear();
        heights.resize(self.count, 0.0);
        for &(i, row) in &self.single {
            heights[row] = heights[row].max(needs[i]);
        }
        for &(i, (first, last)) in &self.spanning {
            let have: f32 = heights[first..=last].iter().sum();
            if have < needs[i] {
                heights[last] += needs[i] - have;
            }
        }
        heights.iter().sum()
    }
}

/// The words of a table head, as a head breaks (at spaces and line breaks, before a bracket).
fn head_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ' ']).flat_map(|piece| {
        let mut words = Vec::new();
        let mut rest = piece;
        while let Some((at, _)) = rest.char_indices().skip(1).find(|(_, c)| matches!(c, '(' | '（')) {
            words.push(&rest[..at]);
            rest = &rest[at..];
        }
        words.push(rest);
        words
    })
}

/// The least width of a head's word in ems: a word of ideographs alone may break after its
/// fourth (「職能基準／名稱」 reads well), a word with Latin or brackets stays whole.
fn word_em(word: &str) -> f32 {
    if word.chars().all(is_wide) { em_width(word).min(4.0) } else { em_width(word) }
}

/// The width of a line in ems: an ideograph (or any wide character) one, others about half.
fn em_width(line: &str) -> f32 {
    line.chars().map(|c| if is_wide(c) { 1.0 } else { NARROW_EM }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Cell, Style};

    fn table(texts: &[(&str, usize)], widths: Vec<f32>) -> Table {
        let cells = texts.iter().map(|(t, c)| Cell::new((0, 0), (*c, *c), *t, Style::body(10.0), Role::Body(*c))).collect();
        Table { widths, cells, rows: 1, ..Table::default() }
    }

    #[test]
    fn ceil_is_f32_ceil_for_every_width_ratio() {
        let mut x = 0.0f32;
        while x < 3.0e7 {
            for v in [x, f32::from_bits(x.to_bits() + 1), x + 0.5, x + 1.0 - f32::EPSILON * x.max(1.0)] {
                assert_eq!(ceil(v).to_bits(), v.ceil().to_bits(), "{v}");
            }
            x = if x < 64.0 { x + 0.125 } else { x * 1.37 };
        }
        for v in [0.0, -0.0, 1e-30, 0.999_999_9, 1.0, 8_388_607.5, 8_388_608.0, 16_777_217.0, 4.3e9, 1e30] {
            assert_eq!(ceil(v).to_bits(), v.ceil().to_bits(), "{v}");
        }
    }

    #[test]
    fn a_crowded_column_takes_width_from_a_roomy_one() {
        let long = "行".repeat(60);
        let t = table(&[("短", 0), (long.as_str(), 1)], vec![100.0, 100.0]);
        let w = widths(&t, &[], &[], 4.0, 1.3);
        assert!(w[1] > 100.0 && w[0] < 100.0, "{w:?}");
        assert!((w[0] + w[1] - 200.0).abs() < 0.01, "the table keeps its width");
        assert!(w[0] >= 85.0 - 0.01 && w[1] <= 145.0 + 0.01, "within bounds: {w:?}");
        let before = estimated_height(&measured(&t), 1, &t.widths, 4.0, 1.3);
        let after = estimated_height(&measured(&t), 1, &w, 4.0, 1.3);
        assert!(after < before);
    }

    #[test]
    fn fixed_columns_and_balanced_tables_stay() {
        let t = table(&[("短", 0), ("短", 1), ("短", 2)], vec![50.0, 50.0, 50.0]);
        assert_eq!(widths(&t, &[], &[], 4.0, 1.3), vec![50.0, 50.0, 50.0], "nothing to gain: nothing moves");
        let long = "行".repeat(60);
        let t = table(&[("短", 0), (long.as_str(), 1), ("短", 2)], vec![100.0, 100.0, 100.0]);
        let w = widths(&t, &[], &[0], 4.0, 1.3);
        assert_eq!(w[0], 100.0);
        assert!(w[1] > 100.0);
    }

    fn measured(table: &Table) -> Vec<Measured> {
        table
            .cells
            .iter()
            .map(|c| Measured { col: c.cols.0, rows: c.rows, size: c.style.size, lines: vec![em_width(&c.text) * c.style.size] })
            .collect()
    }
}
