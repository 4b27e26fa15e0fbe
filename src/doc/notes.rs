//! 說明與補充事項 as printed: a two-level list (a heading and its items) marked ● and ○ with hanging
//! indents, and the rows of a small table in the notes laid out as a table. Decided here, once.
//!
//! The canonical JSON keeps the notes as plain strings (SPEC section 4), so the levels live here:
//! 1. a level the source marked (●/○, ■/□, U+F09F/U+F0A7, indentation: `Source::note_levels`);
//! 2. else a number the text starts with (`一、`, `(一)`, `1.`, `(1)`, `①`), which is text and stays:
//!    the numbering scheme seen first is the first level, any other the second;
//! 3. else the structure: a line that does not end like a sentence (no 。．.；;！？!? at its end, or
//!    ending with ：/:), followed by a sentence, a second-level line or a table row, is a heading
//!    (first level) and the lines after it are its items (second level) up to the next heading.
//!
//! Every printed item carries its level in its mark (●, ○ or its number), so a re-read output gives
//! the same levels. A note holding tabs is a table row (its cells joined by tabs).

use super::{Cell, FormStyles, Hang, Role, Table};
use crate::model::Standard;

/// A table in the notes of at most this many rows is kept on one page.
const KEEP_ROWS: usize = 6;

/// The first-level and second-level marks: the round bullets of Taiwanese documents.
pub const MARKS: [&str; 2] = ["●", "○"];

/// Whether a note is a row of a small table (its cells joined by tabs).
pub fn is_table_row(note: &str) -> bool {
    note.contains('\t')
}

/// A run of consecutive notes as printed.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Items of the list, each with how it is set.
    Items(Vec<(Hang, String)>),
    /// Rows of a small table, each a list of cells.
    Rows(Vec<Vec<String>>),
}

/// A numbering scheme, for the level of a numbered note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// 一、
    Chinese,
    /// (一)
    ChineseParen,
    /// 1.
    Arabic,
    /// (1)
    ArabicParen,
    /// ①
    Circled,
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十";

/// The number a note starts with: its scheme and the bytes of the number with the spaces after it.
fn number(text: &str) -> Option<(Scheme, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let arabic = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let chinese = |c: char| CHINESE_DIGITS.contains(c);
    let run = |from: usize, digit: &dyn Fn(char) -> bool| chars[from..].iter().take_while(|(_, c)| digit(*c)).count();
    let (scheme, end) = match chars.first()?.1 {
        '①'..='⑳' => (Scheme::Circled, 1),
        '(' | '（' => {
            let (scheme, n) = match run(1, &arabic) {
                0 => (Scheme::ChineseParen, run(1, &chinese)),
                n => (Scheme::ArabicParen, n),
            };
            if n == 0 || n > 3 || !matches!(chars.get(1 + n).map(|c| c.1), Some(')' | '）')) {
                return None;
            }
            (scheme, n + 2)
        }
        c if arabic(c) => {
            let n = run(0, &arabic);
            let after = chars.get(n + 1).map(|c| c.1);
            if n > 2 || !matches!(chars.get(n).map(|c| c.1), Some('.' | '．' | '、')) || after.is_some_and(arabic) {
                return None;
            }
            (Scheme::Arabic, n + 1)
        }
        c if chinese(c) => {
            let n = run(0, &chinese);
            if n > 3 || !matches!(chars.get(n).map(|c| c.1), Some('、' | '．')) {
                return None;
            }
            (Scheme::Chinese, n + 1)
        }
        _ => return None,
    };
    let spaces = chars[end.min(chars.len())..].iter().take_while(|(_, c)| matches!(c, ' ' | '\u{3000}')).count();
    let lead = chars.get(end + spaces).map_or(text.len(), |c| c.0);
    // A number alone is not a numbered item.
    (lead < text.len()).then_some((scheme, lead))
}

/// The text without closing quotes and brackets at its end (`。」` ends like `。`).
fn last_char(text: &str) -> Option<char> {
    text.trim_end().chars().rev().find(|c| !matches!(c, '」' | '』' | '）' | ')' | '】' | '"' | '”' | '\''))
}

/// Whether a line ends like a sentence.
fn is_sentence(text: &str) -> bool {
    last_char(text).is_some_and(|c| "。．.；;！？!?…".contains(c))
}

fn ends_with_colon(text: &str) -> bool {
    text.trim_end().ends_with(['：', ':'])
}

/// The level of each note (1 or 2), 0 for a table row. `marked` is what the source's marks said.
pub fn levels(notes: &[String], marked: &[Option<u8>]) -> Vec<u8> {
    let mut schemes: Vec<Scheme> = Vec::new();
    for (scheme, _) in notes.iter().filter(|n| !is_table_row(n)).filter_map(|n| number(n)) {
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
    }
    let scheme_level = |note: &str| number(note).map(|(s, _)| if schemes.first() == Some(&s) { 1 } else { 2 });
    let marked_at = |i: usize| marked.get(i).copied().flatten();
    let heading = |i: usize| {
        let note = &notes[i];
        let Some(next) = notes.get(i + 1) else { return false };
        !is_sentence(note)
            && (is_table_row(next) || marked_at(i + 1) == Some(2) || is_sentence(next) || (ends_with_colon(note) && !ends_with_colon(next)))
    };
    let mut group = false;
    let mut levels = Vec::with_capacity(notes.len());
    for (i, note) in notes.iter().enumerate() {
        if is_table_row(note) {
            levels.push(0);
            continue;
        }
        let is_heading = heading(i);
        let inferred = if is_heading || !group { 1 } else { 2 };
        let level = marked_at(i).or_else(|| scheme_level(note)).unwrap_or(inferred).clamp(1, 2);
        if level == 1 {
            group = is_heading;
        }
        levels.push(level);
    }
    levels
}

/// The notes of a standard as printed: runs of list items and of table rows, in order.
pub fn parts(standard: &Standard) -> Vec<Part> {
    let notes = &standard.notes;
    let levels = levels(notes, &standard.source.note_levels);
    let mut parts: Vec<Part> = Vec::new();
    for (note, level) in notes.iter().zip(levels) {
        if level == 0 {
            let row = note.split('\t').map(str::to_string).collect();
            match parts.last_mut() {
                Some(Part::Rows(rows)) => rows.push(row),
                _ => parts.push(Part::Rows(vec![row])),
            }
            continue;
        }
        let hang = match number(note) {
            // The number is the mark when it says the level; else the level's mark goes before it.
            Some((_, lead)) if levels_of_number(notes, note) == level => Hang { level, mark: String::new(), lead },
            _ => Hang { level, mark: MARKS[usize::from(level - 1)].to_string(), lead: 0 },
        };
        match parts.last_mut() {
            Some(Part::Items(items)) => items.push((hang, note.clone())),
            _ => parts.push(Part::Items(vec![(hang, note.clone())])),
        }
    }
    parts
}

/// The level the numbering scheme of `note` gives among `notes`.
fn levels_of_number(notes: &[String], note: &str) -> u8 {
    let first = notes.iter().filter(|n| !is_table_row(n)).find_map(|n| number(n)).map(|(s, _)| s);
    match (first, number(note)) {
        (Some(first), Some((scheme, _))) if first != scheme => 2,
        _ => 1,
    }
}

/// The notes as lines of plain text (a CSV field): each item with its indent and mark, a table row
/// with its cells joined by tabs.
pub fn plain(standard: &Standard) -> String {
    let mut lines = Vec::new();
    for part in parts(standard) {
        match part {
            Part::Items(items) => lines.extend(items.iter().map(|(hang, text)| hang.plain(text))),
            Part::Rows(rows) => lines.extend(rows.iter().map(|r| r.join("\t"))),
        }
    }
    lines.join("\n")
}

/// The 說明與補充事項 section: its title as a header row repeated on each page, the list items in one
/// box per run (a page may break between items), a run of table rows as a table on the same columns.
pub fn table(title: &str, standard: &Standard, styles: &FormStyles, widths: &[f32]) -> Table {
    let last = widths.len() - 1;
    let header = vec![Cell::new((0, 0), (0, last), title, styles.header, Role::Header)];
    let mut cells = Vec::new();
    let mut keep = Vec::new();
    let mut row = 0;
    let parts = parts(standard);
    for (n, part) in parts.iter().enumerate() {
        match part {
            Part::Items(items) => {
                // A heading just before a table (a first-level item that is no sentence) is a row of its own, kept
                // with the table's first rows: never a heading at a page foot and its table overleaf.
                let table_next = matches!(parts.get(n + 1), Some(Part::Rows(_)))
                    && items.last().is_some_and(|(hang, text)| hang.level == 1 && !is_sentence(text));
                let split = if table_next && items.len() > 1 { items.len() - 1 } else { items.len() };
                for run in [&items[..split], &items[split..]].into_iter().filter(|r| !r.is_empty()) {
                    let (hang, texts): (Vec<Hang>, Vec<String>) = run.iter().cloned().unzip();
                    cells.push(Cell::new((row, row), (0, last), super::items(&texts), styles.body, Role::Body(0)).hanging(hang));
                    row += 1;
                }
                if table_next {
                    keep.push(row - 1);
                }
            }
            Part::Rows(rows) => {
                let groups = column_groups(widths, rows);
                let first = row;
                for cells_of_row in rows {
                    for (n, &(start, end)) in groups.iter().enumerate() {
                        // More cells than columns: the rest share the last column, still tab-separated.
                        let text = if n + 1 == groups.len() {
                            cells_of_row.get(n..).map(|rest| rest.join("\t")).unwrap_or_default()
                        } else {
                            cells_of_row.get(n).cloned().unwrap_or_default()
                        };
                        let text = text.replace('\n', &super::ITEM_LINE.to_string());
                        cells.push(Cell::new((row, row), (start, end), text, styles.body, Role::Body(start)));
                    }
                    row += 1;
                }
                // A small table stays on one page; a longer one keeps two rows together at each end.
                let kept: Vec<usize> = if rows.len() <= KEEP_ROWS { (first..row - 1).collect() } else { vec![first, row - 2] };
                keep.extend(kept);
            }
        }
    }
    if row == 0 {
        // No notes: the box is printed empty, as the form has it.
        cells.push(Cell::new((0, 0), (0, last), "", styles.body, Role::Body(0)));
        row = 1;
    }
    Table { widths: widths.to_vec(), header, cells, rows: row, keep, section: true, ..Table::default() }
}

/// The table's columns mapped onto the form's: (first, last) form column of each, contiguous and
/// covering them all, each as wide as its longest text asks (at least four characters' worth).
fn column_groups(widths: &[f32], rows: &[Vec<String>]) -> Vec<(usize, usize)> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).clamp(1, widths.len());
    let demand: Vec<f32> = (0..columns)
        .map(|c| {
            let width =
                |t: &str| t.lines().map(|l| l.chars().map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 }).sum::<f32>()).fold(0.0, f32::max);
            rows.iter().filter_map(|r| r.get(c)).map(|t| width(t)).fold(8.0, f32::max).min(60.0)
        })
        .collect();
    let total: f32 = demand.iter().sum();
    let full: f32 = widths.iter().sum();
    let mut groups = Vec::with_capacity(columns);
    let (mut start, mut wanted) = (0, 0.0);
    for (c, d) in demand.iter().enumerate() {
        wanted += d / total * full;
        let left = columns - c - 1;
        // The boundary nearest the wanted width, leaving a column for each group after this one.
        let mut end = start;
        let mut edge = widths[0..=start].iter().sum::<f32>();
        while end + 1 < widths.len() - left && (edge + widths[end + 1] / 2.0) < wanted {
            end += 1;
            edge += widths[end];
        }
        if left == 0 {
            end = widths.len() - 1;
        }
        groups.push((start, end));
        start = end + 1;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn the_samples_headings_are_inferred_from_structure() {
        let notes = strings(&[
            "建議擔任此職類/職業之學歷/經歷/或能力條件：",
            "專科以上，不限科系，有工作經驗者與具活動或社團經驗較佳。",
            "文書軟體：Word、PowerPoint、Excel。",
            "基準更新紀錄",
            "因應 2017/05/25 公告職能基準品質認證作業規範修訂版，將原「入門水準」內容移至「說明與補充事項」。",
        ]);
        assert_eq!(levels(&notes, &[]), [1, 2, 2, 1, 2]);
    }

    #[test]
    fn a_list_of_phrases_stays_one_level() {
        assert_eq!(levels(&strings(&["建議具備相關經驗", "本基準參考國外資料"]), &[]), [1, 1]);
        assert_eq!(levels(&strings(&["一句話。", "另一句話。"]), &[]), [1, 1]);
    }

    #[test]
    fn marks_win_over_structure_and_numbers_over_structure() {
        let notes = strings(&["學歷條件。", "專科以上。", "經歷條件。"]);
        assert_eq!(levels(&notes, &[Some(1), Some(2), Some(1)]), [1, 2, 1]);
        let numbered = strings(&["一、學歷條件", "(一) 專科以上", "(二) 不限科系", "二、經歷", "1. 兩年"]);
        assert_eq!(levels(&numbered, &[]), [1, 2, 2, 1, 2]);
        let arabic = strings(&["1. 學歷：", "(1) 專科以上。", "2. 經歷：", "兩年以上。"]);
        assert_eq!(levels(&arabic, &[]), [1, 2, 1, 2]);
    }

    #[test]
    fn numbers_are_text_and_marks_of_their_own() {
        assert_eq!(number("1. 第一點"), Some((Scheme::Arabic, 3)));
        assert_eq!(number("（一）專科"), Some((Scheme::ChineseParen, "（一）".len())));
        assert_eq!(number("十二、說明"), Some((Scheme::Chinese, "十二、".len())));
        assert_eq!(number("1.5 小時"), None);
        assert_eq!(number("2017/05/25 公告"), None);
        assert_eq!(number("一般說明"), None);
        assert_eq!(number("1."), None);
    }

    #[test]
    fn table_rows_are_one_part_and_keep_their_cells() {
        let standard = Standard {
            notes: strings(&["相關職業：", "會議專案人員\t2421\t8202", "活動企劃\t2431\t7010", "以上僅供參考。"]),
            ..Standard::default()
        };
        let parts = parts(&standard);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[1], Part::Rows(vec![strings(&["會議專案人員", "2421", "8202"]), strings(&["活動企劃", "2431", "7010"])]));
        assert_eq!(plain(&standard), "● 相關職業：\n會議專案人員\t2421\t8202\n活動企劃\t2431\t7010\n\u{3000}○ 以上僅供參考。");
    }

    #[test]
    fn a_heading_stays_with_its_table_and_a_small_table_on_one_page() {
        let standard = Standard {
            notes: strings(&["學歷條件：", "專科以上。", "相關職業", "甲\t1", "乙\t2", "丙\t3", "以上僅供參考。"]),
            ..Standard::default()
        };
        let template = crate::template::Template::official();
        let table = table("說明與補充事項", &standard, &FormStyles::new(&template), &[50.0; 7]);
        // Rows: the items before the heading, the heading, three table rows, the last item.
        assert_eq!(table.rows, 6);
        assert_eq!(table.cells[0].text, "學歷條件：\n專科以上。");
        assert_eq!(table.cells[1].text, "相關職業");
        assert_eq!(table.keep, [1, 2, 3], "the heading with the table, the table's rows together");
        assert!(table.cells[0].hang.iter().map(|h| h.mark.as_str()).eq(["●", "○"]));
    }

    #[test]
    fn table_columns_cover_the_form_in_order() {
        let widths = [60.0, 60.0, 60.0, 200.0, 30.0, 80.0, 80.0];
        let rows = vec![strings(&["會議專案執行人員（相關職業）", "2421", "支援服務業"])];
        let groups = column_groups(&widths, &rows);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].0, 0);
        assert_eq!(groups[2].1, 6);
        assert!(groups.windows(2).all(|g| g[1].0 == g[0].1 + 1), "{groups:?}");
        let many = vec![(0..9).map(|n| n.to_string()).collect::<Vec<_>>()];
        assert_eq!(column_groups(&widths, &many), (0..7).map(|c| (c, c)).collect::<Vec<_>>());
    }
}
