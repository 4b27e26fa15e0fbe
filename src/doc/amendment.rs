//! The 修正對照表 (amendment table) of two versions of a standard, as the agencies publish it: A4,
//! a header naming both versions with their dates, then one row per change in the standard's order,
//! 修正後 | 修正前 | 說明, the changed characters underlined; then the 更新說明 paragraph.
//! What changed is decided by `diff`; this module only says it.

use super::SHADE;
use super::{Block, Cell, Document, PageSetup, Role, SheetOptions, Style, Table, proportions};
use crate::diff::{Change, Diff, Field, Kind, capitalized, inline, summary};
use crate::model::coded;
use crate::template::Template;
use std::ops::Range;

/// 修正後 | 修正前 | 說明.
const GRID: [f32; 3] = [0.42, 0.42, 0.16];
/// The block of the changes' table, whose header a sheet repeats on every printed page.
const CHANGES_BLOCK: usize = 4;

/// The 修正對照表 of a comparison.
pub fn document(diff: &Diff, template: &Template) -> Document {
    let a = &template.amendment;
    let name = if diff.new.name.is_empty() { &diff.old.name } else { &diff.new.name };
    let title = format!("{name}{} {}", template.labels.title_suffix, a.title);
    let page = PageSetup::of(template, false, format!("{} {title}", diff.new.code));
    let widths = proportions(&GRID, page.content_width());
    let body = Style::body(template.font.body_pt);
    let head = Style { bold: true, fill: Some(SHADE), center: true, middle: true, ..body };
    let blocks = vec![
        Block::Title { text: title.clone(), size: template.font.title_pt - 2.0 },
        Block::Gap(4.0),
        Block::Table(versions(diff, template, body, &widths)),
        Block::Gap(6.0),
        Block::Table(changes(diff, template, body, head, &widths)),
        Block::Gap(6.0),
        Block::Table(summary_table(diff, template, body, head, &widths)),
    ];
    Document {
        title: format!("{} {title}", diff.new.code),
        sheet: a.sheet.clone(),
        page,
        blocks,
        sheet_options: SheetOptions { list: false, print: true, repeat: Some(CHANGES_BLOCK) },
    }
}

/// Both versions: code and date under 修正後 and 修正前, the name beside them.
fn versions(diff: &Diff, template: &Template, body: Style, widths: &[f32]) -> Table {
    let a = &template.amendment;
    let date_label = &template.labels.version_date;
    let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "—".to_string());
    let name = if diff.new.name == diff.old.name || diff.old.name.is_empty() {
        diff.new.name.clone()
    } else {
        format!("{}\n{}", diff.new.name, diff.old.name)
    };
    let label = Style { bold: true, ..body };
    let cells = vec![
        Cell::new((0, 0), (0, 0), format!("{}{}{}", a.after_version, a.colon, diff.new.code), label, Role::Label),
        Cell::new((0, 0), (1, 1), format!("{}{}{}", a.before_version, a.colon, diff.old.code), label, Role::Label),
        Cell::new((0, 1), (2, 2), format!("{}\n{name}", template.labels.version_name), Style { middle: true, ..body }, Role::Body(2)),
        Cell::new((1, 1), (0, 0), format!("{date_label}{}{}", a.colon, date(&diff.new.date)), body, Role::Body(0)),
        Cell::new((1, 1), (1, 1), format!("{date_label}{}{}", a.colon, date(&diff.old.date)), body, Role::Body(1)),
    ];
    Table { widths: widths.to_vec(), cells, rows: 2, ..Table::default() }
}

/// One row per change; a row spanning the table when there is none.
fn changes(diff: &Diff, template: &Template, body: Style, head: Style, widths: &[f32]) -> Table {
    let a = &template.amendment;
    let header = [&a.after, &a.before, &a.explanation]
        .iter()
        .enumerate()
        .map(|(i, h)| Cell::new((0, 0), (i, i), h.as_str(), head, Role::Header))
        .collect();
    let mut cells = Vec::new();
    for (row, change) in diff.changes.iter().enumerate() {
        let (after, before) = texts(change, template);
        let (removed, added) = underlines(change, &after, &before);
        cells.push(Cell::new((row, row), (0, 0), after.text, body, Role::Body(0)).underlined(added).whole_items());
        cells.push(Cell::new((row, row), (1, 1), before.text, body, Role::Body(1)).underlined(removed).whole_items());
        cells.push(Cell::new((row, row), (2, 2), explanation(change, template), body, Role::Body(2)));
    }
    let mut rows = diff.changes.len();
    if rows == 0 {
        cells.push(Cell::new((0, 0), (0, 2), a.none.as_str(), Style { center: true, ..body }, Role::Label));
        rows = 1;
    }
    Table { widths: widths.to_vec(), header, cells, rows, ..Table::default() }
}

/// The 更新說明 paragraph, to paste into the new version's 版本 table.
fn summary_table(diff: &Diff, template: &Template, body: Style, head: Style, widths: &[f32]) -> Table {
    let text = summary(diff, &template.amendment);
    let text = if text.is_empty() { template.amendment.none.clone() } else { text };
    let cells = vec![
        Cell::new((0, 0), (0, 2), template.labels.version_note.as_str(), Style { center: false, ..head }, Role::Label),
        Cell::new((1, 1), (0, 2), text, body, Role::Body(0)),
    ];
    // The heading stays on the page of the paragraph.
    Table { widths: widths.to_vec(), cells, rows: 2, keep: vec![0], ..Table::default() }
}

/// A cell's text and where the compared part of it starts (after a label such as 工作描述：).
struct Side {
    text: String,
    from: usize,
}

/// The 修正後 and 修正前 texts of a change (empty where the item is absent from that version).
fn texts(change: &Change, template: &Template) -> (Side, Side) {
    let side = |code: &Option<String>, text: &Option<String>| -> Side {
        let Some(text) = text else { return Side { text: String::new(), from: 0 } };
        let label = prefix(change.field, code.as_deref(), template);
        match label {
            Some(label) => Side { from: label.len(), text: format!("{label}{text}") },
            None => Side { text: coded(code.as_deref().unwrap_or(""), text), from: 0 },
        }
    };
    (side(&change.new_code, &change.new), side(&change.old_code, &change.old))
}

/// The label before a value that has no code of its own: a header field, a note, a task's level,
/// K or S (after the task's code).
fn prefix(field: Field, code: Option<&str>, template: &Template) -> Option<String> {
    let a = &template.amendment;
    let task = code.map(|c| format!("{c} ")).unwrap_or_default();
    let colon = &a.colon;
    let label = match field {
        _ if field.is_header() || field == Field::Note || field == Field::TaskLevel => {
            format!("{task}{}{colon}", capitalized(field.label(&a.fields)))
        }
        Field::TaskKnowledge => format!("{task}{}{}\n", capitalized(Field::Knowledge.label(&a.fields)), colon.trim_end()),
        Field::TaskSkills => format!("{task}{}{}\n", capitalized(Field::Skill.label(&a.fields)), colon.trim_end()),
        _ => return None,
    };
    Some(label)
}

/// What to underline in each cell: the differing characters of a changed text; all of an added or
/// removed one (after its label).
fn underlines(change: &Change, after: &Side, before: &Side) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let whole = |side: &Side| -> Vec<Range<usize>> {
        if side.text.len() > side.from { std::iter::once(side.from..side.text.len()).collect() } else { Vec::new() }
    };
    match (after.text.is_empty(), before.text.is_empty()) {
        (false, true) => (Vec::new(), whole(after)),
        (true, false) => (whole(before), Vec::new()),
        (true, true) => (Vec::new(), Vec::new()),
        (false, false) => {
            // The label is the same on both sides when the code is (a header field, a note): the
            // compared part is after it; a code that changed is compared with its text.
            let (b, a) = (&before.text[before.from..], &after.text[after.from..]);
            let (removed, added) = inline(b, a);
            let shift = |ranges: Vec<Range<usize>>, by: usize| ranges.into_iter().map(|r| r.start + by..r.end + by).collect();
            let (mut removed, mut added): (Vec<_>, Vec<_>) = (shift(removed, before.from), shift(added, after.from));
            if change.field.is_task_part() && change.old_code != change.new_code {
                // A task renumbered: its code before the label changed too.
                removed.extend(code_range(&before.text, change.old_code.as_deref()));
                added.extend(code_range(&after.text, change.new_code.as_deref()));
                removed.sort_by_key(|r| r.start);
                added.sort_by_key(|r| r.start);
            }
            (removed, added)
        }
    }
}

/// The range of a code at the start of a text.
fn code_range(text: &str, code: Option<&str>) -> Option<Range<usize>> {
    let code = code?;
    text.starts_with(code).then_some(0..code.len())
}

/// The 說明 of a change: 新增, 刪除, 文字修正, 代碼由 P2.2.3 改為 P2.1.3, 由 T2.2 移至 T2.1, and
/// for a task's K or S which codes it uses newly or no more.
fn explanation(change: &Change, template: &Template) -> String {
    let a = &template.amendment;
    let fill = |pattern: &str, old: &str, new: &str| pattern.replace("{old}", old).replace("{new}", new);
    let label = change.field.label(&a.fields);
    let mut parts = Vec::new();
    match change.kind {
        Kind::Added => parts.push(format!("{}{label}", a.added)),
        Kind::Removed => parts.push(format!("{}{label}", a.removed)),
        Kind::Moved => parts.push(fill(&a.moved, change.old_parent.as_deref().unwrap_or("—"), change.new_parent.as_deref().unwrap_or("—"))),
        Kind::Renumbered | Kind::Changed => {}
    }
    if matches!(change.kind, Kind::Moved | Kind::Renumbered) && change.old_code != change.new_code {
        parts.push(fill(&a.renumbered, change.old_code.as_deref().unwrap_or(""), change.new_code.as_deref().unwrap_or("")));
    }
    if matches!(change.kind, Kind::Changed | Kind::Moved | Kind::Renumbered) && change.reworded() {
        match change.field {
            Field::Code => parts.push(fill(&a.renumbered, change.old.as_deref().unwrap_or(""), change.new.as_deref().unwrap_or(""))),
            Field::TaskKnowledge | Field::TaskSkills => parts.extend(uses(change, template)),
            Field::TaskLevel | Field::Level => {
                parts.push(format!(
                    "{}{}",
                    capitalized(label),
                    fill(&a.value, change.old.as_deref().unwrap_or(""), change.new.as_deref().unwrap_or(""))
                ));
            }
            _ => parts.push(a.reworded.clone()),
        }
    }
    parts.join("\n")
}

/// Which K or S codes a task uses newly, and which no more: 新增 K02、K05 / 刪除 K12.
fn uses(change: &Change, template: &Template) -> Vec<String> {
    let a = &template.amendment;
    let codes = |text: &Option<String>| -> Vec<String> {
        text.as_deref().unwrap_or("").lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
    };
    let (old, new) = (codes(&change.old), codes(&change.new));
    let newly: Vec<&str> = new.iter().filter(|c| !old.contains(c)).map(String::as_str).collect();
    let gone: Vec<&str> = old.iter().filter(|c| !new.contains(c)).map(String::as_str).collect();
    let mut parts = Vec::new();
    if !newly.is_empty() {
        parts.push(format!("{} {}", a.added.trim_end(), newly.join(&a.said.list)));
    }
    if !gone.is_empty() {
        parts.push(format!("{} {}", a.removed.trim_end(), gone.join(&a.said.list)));
    }
    if parts.is_empty() {
        parts.push(a.reworded.clone());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Side as Version;

    fn change(kind: Kind, field: Field, codes: (Option<&str>, Option<&str>), texts: (Option<&str>, Option<&str>)) -> Change {
        Change {
            kind,
            field,
            old_code: codes.0.map(str::to_string),
            new_code: codes.1.map(str::to_string),
            old_parent: Some("T2.2".into()),
            new_parent: Some("T2.1".into()),
            old: texts.0.map(str::to_string),
            new: texts.1.map(str::to_string),
        }
    }

    fn diff(changes: Vec<Change>) -> Diff {
        let side = |code: &str, date: &str| Version {
            code: code.into(),
            name: "會議專案執行人員".into(),
            date: Some(date.into()),
            file: String::new(),
        };
        Diff { old: side("BAS2421-002", "2018/12/21"), new: side("BAS2421-002v2", "2020/06/30"), changes }
    }

    fn table(document: &Document, block: usize) -> &Table {
        match &document.blocks[block] {
            Block::Table(table) => table,
            other => panic!("block {block} is {other:?}"),
        }
    }

    #[test]
    fn a_row_per_change_with_its_underlines_and_explanation() {
        let template = Template::official();
        let d = diff(vec![
            change(Kind::Moved, Field::Indicator, (Some("P2.2.3"), Some("P2.1.3")), (Some("確認會場設備"), Some("確認會場設備與動線"))),
            change(Kind::Added, Field::Knowledge, (None, Some("K02")), (None, Some("簡報技巧"))),
            change(
                Kind::Changed,
                Field::TaskKnowledge,
                (Some("T1.2"), Some("T1.2")),
                (Some("K01 會展概論"), Some("K01 會展概論\nK02 簡報技巧")),
            ),
        ]);
        let document = document(&d, &template);
        let changes = table(&document, CHANGES_BLOCK);
        assert_eq!(changes.rows, 3);
        let cell = |row: usize, col: usize| changes.cells.iter().find(|c| c.rows.0 == row && c.cols.0 == col).expect("cell");
        let marked = |c: &Cell| c.underline.iter().map(|r| c.text[r.clone()].to_string()).collect::<Vec<_>>();
        assert_eq!(cell(0, 0).text, "P2.1.3 確認會場設備與動線");
        assert_eq!(marked(cell(0, 0)), ["1", "與動線"]);
        assert_eq!(marked(cell(0, 1)), ["2"]);
        assert_eq!(cell(0, 2).text, "由 T2.2 移至 T2.1\n代碼由 P2.2.3 改為 P2.1.3\n文字修正");
        assert_eq!(marked(cell(1, 0)), ["K02 簡報技巧"]);
        assert_eq!((cell(1, 1).text.as_str(), cell(1, 2).text.as_str()), ("", "新增知識"));
        assert_eq!(cell(2, 0).text, "T1.2 知識：\nK01 會展概論\nK02 簡報技巧");
        assert_eq!(marked(cell(2, 0)), ["K02 簡報技巧"]);
        assert_eq!(cell(2, 2).text, "新增 K02");
        let versions = table(&document, 2);
        assert!(versions.cells.iter().any(|c| c.text == "修正後版本：BAS2421-002v2"));
        assert!(versions.cells.iter().any(|c| c.text.ends_with("2018/12/21")));
    }

    #[test]
    fn two_standards_compared_by_force_say_the_code_changed() {
        let template = Template::official();
        let code = change(Kind::Changed, Field::Code, (None, None), (Some("BAS2421-002"), Some("BAS5686-001")));
        let document = document(&diff(vec![code]), &template);
        let cells = &table(&document, CHANGES_BLOCK).cells;
        assert_eq!(cells[0].text, "職能基準代碼：BAS5686-001");
        assert_eq!(cells[2].text, "代碼由 BAS2421-002 改為 BAS5686-001");
    }

    #[test]
    fn no_change_is_one_row_saying_so() {
        let template = Template::official();
        let document = document(&diff(Vec::new()), &template);
        let changes = table(&document, CHANGES_BLOCK);
        assert_eq!(changes.cells.len(), 1);
        assert_eq!(changes.cells[0].role, Role::Label);
        assert!(!changes.cells.iter().any(|c| matches!(c.role, Role::Body(_))));
    }
}
