//! The labels of the official form and its variants, matched loosely: line breaks, spaces,
//! full-width parentheses and trailing colons do not matter (`職能\n級別`, `（擇一填寫）`).

/// A label normalised for matching, split into its base and an optional parenthesised remark:
/// `職能基準名稱\n（職業）` → (`職能基準名稱`, `職業`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub base: String,
    pub remark: String,
}

/// Normalise a cell's text for matching: half-width, no white space, ASCII lower-case, no
/// trailing colon.
pub fn normalise(text: &str) -> String {
    let mut norm: String = normalised_chars(text).collect();
    norm.truncate(norm.trim_end_matches(COLONS).len());
    norm
}

/// Whether `normalise(text) == label`, for a `label` that is itself normalised, without making the
/// normalised text: a long cell differs within its first characters.
pub fn normalises_to(text: &str, label: &str) -> bool {
    let mut chars = normalised_chars(text);
    label.chars().all(|expected| chars.next() == Some(expected)) && chars.all(|c| COLONS.contains(&c))
}

/// The trailing marks `normalise` drops (a full-width colon is half-width by then).
const COLONS: [char; 2] = [':', '：'];

/// The characters of a normalised text, its trailing colons still there.
fn normalised_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
}

pub fn label(text: &str) -> Label {
    split_label(normalise(text))
}

/// A normalised label split into its base and remark.
fn split_label(norm: String) -> Label {
    match (norm.find('('), norm.ends_with(')')) {
        (Some(open), true) if open > 0 => Label { base: norm[..open].to_string(), remark: norm[open + 1..norm.len() - 1].to_string() },
        _ => Label { base: norm, remark: String::new() },
    }
}

/// A column of the main table, or of a flat table's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Duty,
    DutyCode,
    Task,
    TaskCode,
    /// 工作活動: the task column of older documents (whose 工作任務 is then the duty).
    Activity,
    ActivityCode,
    Output,
    OutputCode,
    Indicator,
    IndicatorCode,
    Level,
    Knowledge,
    Skills,
    /// 列次: the number of an output row within its task (ocs's own flat table).
    RowNumber,
    Meta(Field),
}

/// A header field of the standard, as a label or a flat table's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Code,
    /// 職能基準名稱, with the kind when the label says it.
    Name,
    /// The 職類 box of 職能基準名稱 (擇一填寫).
    NameCategory,
    /// The 職業 box.
    NameOccupation,
    /// A column saying which box the name is in (職業 / 職類).
    NameKind,
    JobCategory,
    JobCategoryCode,
    Occupation,
    OccupationCode,
    Industry,
    IndustryCode,
    Description,
    Level,
    Attitudes,
    Notes,
    /// A label that only groups others (所屬類別).
    Group,
}

/// Longest text taken as a column label: longer cells are content that mentions a label.
const MAX_LABEL: usize = 32;

/// Classify a table header cell.
pub fn column(text: &str) -> Option<Column> {
    // A cell's content is no label: told by counting before normalising it (normalising drops only
    // white space and trailing colons).
    let kept = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：'));
    if kept.take(MAX_LABEL + 1).count() > MAX_LABEL {
        return None;
    }
    let norm = normalise(text);
    if norm.chars().count() > MAX_LABEL {
        return None;
    }
    let coded = norm.contains("代碼") || norm.ends_with("編號");
    let pick = |plain: Column, code: Column| Some(if coded { code } else { plain });
    if let Some(field) = field_of(split_label(norm.clone())) {
        return Some(Column::Meta(field));
    }
    if norm.contains("行為指標") {
        pick(Column::Indicator, Column::IndicatorCode)
    } else if norm.contains("工作產出") {
        pick(Column::Output, Column::OutputCode)
    } else if norm.contains("主要職責") {
        pick(Column::Duty, Column::DutyCode)
    } else if norm.contains("工作任務") {
        pick(Column::Task, Column::TaskCode)
    } else if norm.contains("工作活動") {
        pick(Column::Activity, Column::ActivityCode)
    } else if norm == "列次" {
        Some(Column::RowNumber)
    } else if norm.contains("職能級別") || norm == "級別" || norm == "level" {
        Some(Column::Level)
    } else if norm.contains("知識") || norm.contains("(k=") || norm == "k" {
        Some(Column::Knowledge)
    } else if norm.contains("技能") || norm.contains("(s=") || norm == "s" {
        Some(Column::Skills)
    } else {
        None
    }
}

/// Classify a header-block label (also used for flat-table metadata columns).
pub fn field(text: &str) -> Option<Field> {
    field_of(label(text))
}

fn field_of(Label { base, remark }: Label) -> Option<Field> {
    let field = match base.as_str() {
        "職能基準代碼" | "基準代碼" => Field::Code,
        "職能基準名稱" | "基準名稱" => match remark.as_str() {
            "職業" => Field::NameOccupation,
            "職類" => Field::NameCategory,
            _ => Field::Name,
        },
        "職類" => Field::NameCategory,
        "職業" => Field::NameOccupation,
        "名稱類型" | "名稱類別" => Field::NameKind,
        "職類別" => Field::JobCategory,
        "職類別代碼" => Field::JobCategoryCode,
        "職業別" => Field::Occupation,
        "職業別代碼" => Field::OccupationCode,
        "行業別" => Field::Industry,
        "行業別代碼" => Field::IndustryCode,
        "工作描述" => Field::Description,
        "基準級別" => Field::Level,
        "態度" => Field::Attitudes,
        "說明與補充事項" | "說明及補充事項" => Field::Notes,
        "所屬類別" => Field::Group,
        _ if base.starts_with("職能內涵") && (remark.starts_with("a=") || remark.contains("態度")) => Field::Attitudes,
        _ => return None,
    };
    Some(field)
}

/// A label and its value in one cell: `職能基準代碼：BAS2421-002`.
pub fn inline_field(text: &str) -> Option<(Field, String)> {
    let (label, value) = text.split_once(['：', ':'])?;
    let value = value.trim();
    let field = field(label)?;
    (!value.is_empty() && field != Field::Group).then(|| (field, value.to_string()))
}

/// The sections after the main table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Attitudes,
    Notes,
}

/// Whether a cell is the label that opens a section after the table.
pub fn section(text: &str) -> Option<Section> {
    let Label { base, .. } = label(text);
    match field(text) {
        Some(Field::Attitudes) => Some(Section::Attitudes),
        Some(Field::Notes) => Some(Section::Notes),
        // Older documents have an 入門水準 section; its text belongs with the notes.
        _ if base == "入門水準" => Some(Section::Notes),
        _ => None,
    }
}

/// A column of the 版本 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionColumn {
    Version,
    Code,
    Name,
    Status,
    Note,
    Date,
}

pub fn version_column(text: &str) -> Option<VersionColumn> {
    let Label { base, .. } = label(text);
    Some(match base.as_str() {
        "版本" | "版次" => VersionColumn::Version,
        "職能基準代碼" | "基準代碼" => VersionColumn::Code,
        "職能基準名稱" | "基準名稱" => VersionColumn::Name,
        "狀態" => VersionColumn::Status,
        "更新說明" | "說明" => VersionColumn::Note,
        "發展更新日期" | "更新日期" | "日期" => VersionColumn::Date,
        _ => return None,
    })
}

/// The title row of the form: `NAME職能基準`.
pub fn title_name(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let name = trimmed.strip_suffix("職能基準")?.trim();
    (!name.is_empty() && !name.contains('\n')).then(|| name.to_string())
}

/// Remove one leading bullet mark from a line of notes.
pub fn strip_bullet(line: &str) -> &str {
    let trimmed = line.trim();
    match trimmed.chars().next() {
        Some(c) if mark_class(c).is_some() => trimmed[c.len_utf8()..].trim_start(),
        _ => trimmed,
    }
}

/// What a bullet mark says of the level of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// No bullet.
    None,
    /// A bullet that says nothing of the level (`-`, `•`, `・`, `*`).
    Plain,
    /// A first-level bullet of a two-level scheme: ● ■ ◆ ⚫, U+F09F and U+F06C (Symbol/Wingdings).
    First,
    /// A second-level bullet: ○ □ ◇ ▪ ➢ ►, U+F0A7 and U+F0D8.
    Second,
}

/// The class of a bullet mark, `None` for any other character. Covers the private-use bullets of
/// text copied from iCAP PDFs or Word (Symbol and Wingdings: U+F09F, U+F06C, U+F06E …) and ⚫ ․
/// used as bullets: marks, never printed.
fn mark_class(c: char) -> Option<Mark> {
    match c {
        '●' | '■' | '◆' | '⚫' | '\u{F09F}' | '\u{F06C}' | '\u{F06E}' | '\u{F075}' | '\u{F076}' => Some(Mark::First),
        '○' | '□' | '◇' | '▪' | '➢' | '►' | '\u{F0A7}' | '\u{F0D8}' | '\u{F06F}' | '\u{F071}' | '\u{F0E8}' => {
            Some(Mark::Second)
        }
        '-' | '‧' | '•' | '·' | '・' | '*' | '－' | '\u{F09E}' | '\u{F0B7}' | '\u{F0FC}' | '․' => Some(Mark::Plain),
        _ => None,
    }
}

/// A bullet of the Symbol or Wingdings font as text copied from a PDF or Word holds it: a
/// private-use character that no font draws, so it is always a mark and never text.
fn private_bullet(c: char) -> bool {
    ('\u{F000}'..='\u{F0FF}').contains(&c) && mark_class(c).is_some()
}

/// Every private-use bullet at the start of a line: one in the middle of a line separates two
/// sub-items (`溝通與協調技能： \u{F06E}組織內… \u{F06E}組織外…`), so a line break goes before it.
/// `None` when there is nothing to move.
pub fn bullets_on_lines(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut moved = false;
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut rest = line;
        loop {
            let lead = rest.len() - rest.trim_start().len();
            let inner = rest.char_indices().skip_while(|&(i, _)| i <= lead).find(|&(_, c)| private_bullet(c));
            let Some((at, _)) = inner else { break };
            out.push_str(rest[..at].trim_end());
            out.push('\n');
            rest = &rest[at..];
            moved = true;
        }
        out.push_str(rest);
    }
    moved.then_some(out)
}

/// A text without its private-use bullets: each marked an item, which keeps its own line (see
/// `bullets_on_lines`); a line left empty goes. `None` when the text has none. For every field but
/// the notes, whose marks give their levels (`note_line`).
pub fn without_private_bullets(text: &str) -> Option<String> {
    // U+F000–U+F0FF is EF 80–83 xx in UTF-8: most texts have no such bytes and are passed over
    // without decoding their characters.
    let bytes = text.as_bytes();
    if !memchr::memchr_iter(0xEF, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x83))) || !text.chars().any(private_bullet) {
        return None;
    }
    let lined = bullets_on_lines(text).unwrap_or_else(|| text.to_string());
    let lines: Vec<&str> = lined
        .split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with(private_bullet) { trimmed.trim_start_matches(private_bullet).trim_start() } else { line }
        })
        .filter(|line| !line.trim().is_empty())
        .collect();
    Some(lines.join("\n"))
}

/// A line of notes as the source wrote it: its indentation (a space 1, an ideographic space 2, a
/// tab 4), its bullet mark, and its text without either. A text holding tabs is a row of a small
/// table: its cells are trimmed and joined by one tab (`table_row`).
pub fn note_line(line: &str) -> (usize, Mark, String) {
    let indent = line
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\u{3000}' => 2,
            '\t' => 4,
            _ => 1,
        })
        .sum();
    let mark = line.trim().chars().next().and_then(mark_class).unwrap_or(Mark::None);
    let text = strip_bullet(line);
    let text = if text.contains('\t') { table_row([text]) } else { text.to_string() };
    (indent, mark, text)
}

/// A row of a small table in the notes as one note: the texts of its cells trimmed, empty ones
/// left out, joined by a tab (a tab inside a cell separates cells too, as it does in a text).
pub fn table_row<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let parts: Vec<&str> = cells.into_iter().flat_map(|c| c.split('\t')).map(str::trim).filter(|c| !c.is_empty()).collect();
    parts.join("\t")
}

/// The levels a source's marks and indentation give its note lines (`Some(1)` or `Some(2)`), `None`
/// where they say nothing. Lines at two or more indentations: the least indented are the first
/// level, the others the second. All at one indentation: a first-level bullet (●) gives 1, a
/// second-level one (○) 2, a plain one (`-`) or none leaves the level to be inferred.
pub fn note_levels(lines: &[(usize, Mark)]) -> Vec<Option<u8>> {
    let least = lines.iter().map(|l| l.0).min().unwrap_or(0);
    let indented = lines.iter().any(|l| l.0 > least);
    lines
        .iter()
        .map(|&(indent, mark)| match (indented, mark) {
            (true, _) => Some(if indent > least { 2 } else { 1 }),
            (false, Mark::First) => Some(1),
            (false, Mark::Second) => Some(2),
            (false, Mark::Plain | Mark::None) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_agrees_with_normalise() {
        let texts = [
            "",
            "：",
            "行為指標",
            "行為\n指標：",
            "行為指標::",
            "行為指標 (K=知識)",
            "ＫＮＯＷ ｌｅｄｇｅ：",
            "Level",
            "職能\n級別",
            "行為指標：的內容",
            "a:b",
            "a:b:",
            "  ",
            "行為指",
            "工作產出(O)",
        ];
        for text in texts {
            for label in texts.iter().map(|t| normalise(t)) {
                assert_eq!(normalises_to(text, &label), normalise(text) == label, "{text:?} against {label:?}");
            }
        }
        assert!(normalises_to("行為\n指標：", "行為指標"));
        assert!(!normalises_to("行為指標 的內容很長", "行為指標"));
    }

    #[test]
    fn labels_with_breaks_and_full_width_parentheses() {
        assert_eq!(column("職能\n級別"), Some(Column::Level));
        assert_eq!(column("職能內涵\n(K=knowledge 知識)"), Some(Column::Knowledge));
        assert_eq!(column("職能內涵（S=skills 技能）"), Some(Column::Skills));
        assert_eq!(field("職能基準名稱\n（擇一填寫）"), Some(Field::Name));
        assert_eq!(field("職能基準名稱(職業)"), Some(Field::NameOccupation));
        assert_eq!(field("職類別代碼："), Some(Field::JobCategoryCode));
        assert_eq!(field("所屬\n類別"), Some(Field::Group));
        assert_eq!(column("基準級別"), Some(Column::Meta(Field::Level)));
        assert_eq!(column("工作產出代碼"), Some(Column::OutputCode));
    }

    #[test]
    fn label_and_value_in_one_cell() {
        assert_eq!(inline_field("職能基準代碼：BAS2421-002"), Some((Field::Code, "BAS2421-002".to_string())));
        assert_eq!(inline_field("基準級別: 4"), Some((Field::Level, "4".to_string())));
        assert_eq!(inline_field("職能基準代碼："), None);
        assert_eq!(inline_field("P1.1.1 翻閱資料(如：報名表)"), None);
    }

    #[test]
    fn sections() {
        assert_eq!(section("職能內涵 (A=attitude 態度)"), Some(Section::Attitudes));
        assert_eq!(section("說明與補充事項"), Some(Section::Notes));
        assert_eq!(section("T1 協助提案企劃"), None);
    }

    #[test]
    fn private_use_bullets_mark_items_wherever_they_stand() {
        let industry = "\u{F09F}支援服務業\n\u{F09F}行政支援服務業";
        assert_eq!(without_private_bullets(industry).as_deref(), Some("支援服務業\n行政支援服務業"));
        let skill = "溝通與協調技能： \u{F06E}組織內部門溝通 \u{F06E}組織外廠商協調";
        assert_eq!(bullets_on_lines(skill).as_deref(), Some("溝通與協調技能：\n\u{F06E}組織內部門溝通\n\u{F06E}組織外廠商協調"));
        assert_eq!(without_private_bullets(skill).as_deref(), Some("溝通與協調技能：\n組織內部門溝通\n組織外廠商協調"));
        assert_eq!(without_private_bullets("K01 會展概論\n  \u{F0B7} 時程\n\u{F0A7}"), Some("K01 會展概論\n時程".to_string()));
        assert_eq!(without_private_bullets("● 學歷：專科 - 兩年"), None, "visible marks and dashes stay");
        assert_eq!(bullets_on_lines("\u{F09F} 經歷"), None, "already at a line start");
        assert_eq!(bullets_on_lines("學歷\u{F0A7}專科"), Some("學歷\n\u{F0A7}專科".to_string()));
    }

    #[test]
    fn titles_and_bullets() {
        assert_eq!(title_name("會議專案執行人員職能基準").as_deref(), Some("會議專案執行人員"));
        assert_eq!(title_name("職能基準"), None);
        assert_eq!(strip_bullet(" - 文書軟體：Word"), "文書軟體：Word");
        assert_eq!(strip_bullet("1. 第一點"), "1. 第一點");
        assert_eq!(strip_bullet("\u{F09F} 文書軟體"), "文書軟體");
        assert_eq!(strip_bullet("⚫專科以上"), "專科以上");
    }

    #[test]
    fn note_lines_say_their_level_by_mark_or_indentation() {
        assert_eq!(note_line("● 學歷："), (0, Mark::First, "學歷：".to_string()));
        assert_eq!(note_line("\u{3000}○ 專科以上。"), (2, Mark::Second, "專科以上。".to_string()));
        assert_eq!(note_line("\u{F0A7}文書軟體"), (0, Mark::Second, "文書軟體".to_string()));
        assert_eq!(note_line("(1) 第一點"), (0, Mark::None, "(1) 第一點".to_string()), "a number is text");
        let levels = |lines: &[&str]| {
            note_levels(
                &lines
                    .iter()
                    .map(|l| {
                        let (indent, mark, _) = note_line(l);
                        (indent, mark)
                    })
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(levels(&["● 學歷：", "○ 專科以上。", "\u{F09F} 經歷", "\u{F0A7} 兩年"]), [Some(1), Some(2), Some(1), Some(2)]);
        assert_eq!(levels(&["- 學歷：", "  - 專科以上。", "- 經歷"]), [Some(1), Some(2), Some(1)]);
        assert_eq!(levels(&["學歷：", "\u{3000}\u{3000}專科以上。"]), [Some(1), Some(2)]);
        assert_eq!(levels(&["- 學歷：", "- 專科以上。"]), [None, None], "one plain bullet says no level");
    }

    #[test]
    fn a_tabbed_line_is_a_table_row() {
        assert_eq!(note_line("相關職業\t代碼\t\t說明 "), (0, Mark::None, "相關職業\t代碼\t說明".to_string()));
        assert_eq!(table_row(["會議專案人員 ", "", "2421\t8202"]), "會議專案人員\t2421\t8202");
    }
}
