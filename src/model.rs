//! The domain model of a 職能基準 (occupational competency standard), serialised as the canonical JSON.
//! It knows nothing of files, layouts or PDF; every other module depends on it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One 職能基準: the header block, the main table, the attitudes and the notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    /// 職能基準代碼, e.g. `BAS2421-002`, `BGM1219-002v2`.
    #[serde(with = "empty_as_null")]
    pub code: String,
    /// 職能基準名稱.
    #[serde(with = "empty_as_null")]
    pub name: String,
    /// Which of the two 名稱 boxes (擇一填寫) holds the name: 職業 or 職類.
    pub name_kind: Option<NameKind>,
    /// 所屬類別.
    pub classification: Classification,
    /// 工作描述.
    #[serde(with = "empty_as_null")]
    pub description: String,
    /// 基準級別.
    pub level: Option<u32>,
    /// The optional 版本 table.
    pub versions: Vec<Version>,
    /// 主要職責, in source order.
    pub duties: Vec<Duty>,
    /// Every K code used by a task, once, in first-seen order: 職能內涵 (K=knowledge 知識).
    pub knowledge: Vec<Item>,
    /// Every S code used by a task, once, in first-seen order: 職能內涵 (S=skills 技能).
    pub skills: Vec<Item>,
    /// 職能內涵 (A=attitude 態度): one list for the whole standard, source order and duplicates kept.
    pub attitudes: Vec<Item>,
    /// 說明與補充事項: one string per paragraph or bullet, bullet marks removed; a row of a small
    /// table in the notes is one string, its cells joined by tabs. Levels: `Source::note_levels`
    /// and `doc::notes`.
    pub notes: Vec<String>,
    /// Where the standard was read from; not part of the canonical JSON.
    #[serde(skip)]
    pub source: Source,
}

/// The two boxes of 職能基準名稱 (擇一填寫).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// 職業: a job title.
    Occupation,
    /// 職類: a cluster of jobs.
    Category,
}

/// 所屬類別: 職類別, 職業別 and 行業別, each a name and a code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// 職類別 + 職類別代碼 (`BAS`).
    pub job_category: Named,
    /// 職業別 + 職業別代碼 (`2421`).
    pub occupation: Named,
    /// 行業別 + 行業別代碼 (`8202` or `M7010`).
    pub industry: Named,
}

/// A name with its code, either of which may be missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Named {
    #[serde(with = "empty_as_null")]
    pub name: String,
    #[serde(with = "empty_as_null")]
    pub code: String,
}

/// One row of the 版本 table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// 版本 (`V2`).
    #[serde(with = "empty_as_null")]
    pub version: String,
    /// 職能基準代碼 of that version.
    #[serde(with = "empty_as_null")]
    pub code: String,
    /// 職能基準名稱 of that version.
    #[serde(with = "empty_as_null")]
    pub name: String,
    /// 狀態 (最新版本, 歷史版本).
    #[serde(with = "empty_as_null")]
    pub status: String,
    /// 更新說明.
    #[serde(with = "empty_as_null")]
    pub note: String,
    /// 發展更新日期 (`2018/12/21`).
    #[serde(with = "empty_as_null")]
    pub date: String,
}

/// 主要職責 (T1): a duty spanning its tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    #[serde(with = "empty_as_null")]
    pub code: String,
    #[serde(with = "empty_as_null")]
    pub title: String,
    pub tasks: Vec<Task>,
    #[serde(skip)]
    pub at: Option<Cell>,
}

/// 工作任務 (T1.1): a task spanning its output rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    #[serde(with = "empty_as_null")]
    pub code: String,
    #[serde(with = "empty_as_null")]
    pub title: String,
    /// 職能級別, 1–6 when valid; a value outside is kept and reported.
    pub level: Option<u32>,
    pub rows: Vec<Row>,
    /// K codes of the task, source order, source duplicates kept.
    pub knowledge: Vec<String>,
    /// S codes of the task, source order, source duplicates kept.
    pub skills: Vec<String>,
    #[serde(skip)]
    pub at: TaskCells,
}

/// Where a task's cells were in the source, for diagnostics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskCells {
    /// The 工作任務 cell.
    pub task: Option<Cell>,
    /// The 職能級別 cell (the top-left cell of its span).
    pub level: Option<Cell>,
    /// The first K cell (the top-left cell of its span).
    pub knowledge: Option<Cell>,
    /// The first S cell (the top-left cell of its span).
    pub skills: Option<Cell>,
    /// The 行為指標 cell of the task's first row (where one goes when the task has none).
    pub indicators: Option<Cell>,
}

/// One row of a task: zero or more 工作產出 paired with one or more 行為指標.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub outputs: Vec<Output>,
    pub indicators: Vec<Indicator>,
}

/// 工作產出 (O1.1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Output {
    #[serde(with = "empty_as_null")]
    pub code: String,
    #[serde(with = "empty_as_null")]
    pub title: String,
    #[serde(skip)]
    pub at: Option<Cell>,
}

/// 行為指標 (P1.1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    #[serde(with = "empty_as_null")]
    pub code: String,
    #[serde(with = "empty_as_null")]
    pub text: String,
    #[serde(skip)]
    pub at: Option<Cell>,
}

/// A K, S or A entry: a code and its name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    #[serde(with = "empty_as_null")]
    pub code: String,
    #[serde(with = "empty_as_null")]
    pub name: String,
    #[serde(skip)]
    pub at: Option<Cell>,
}

/// A zero-based cell position in the source sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
}

/// Where a standard came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Source {
    /// The input file as the user named it.
    pub file: String,
    /// The sheet (for CSV, the file's stem; empty for a text document).
    pub sheet: String,
    /// The cell holding the 職能基準代碼, when the code came from one (for diagnostics).
    pub code_at: Option<Cell>,
    /// For a text document (.odt, .docx), where each row of its grid came from, so that a cell is
    /// named as a clerk finds it (`表2!R5C3`) rather than by a grid reference that means nothing there.
    pub places: Option<std::sync::Arc<Places>>,
    /// The level (1 or 2) the source gave each note by its bullet mark or indentation (●/○, ■/□,
    /// U+F09F/U+F0A7, an indented `-`), `None` where it did not say; one per note, or empty. Not part
    /// of the canonical JSON, whose notes are plain strings: `doc::notes` infers the levels the source
    /// left unmarked and prints every level with its own mark, so a re-read output says them again.
    pub note_levels: Vec<Option<u8>>,
}

/// Where the rows of a text document's grid came from: a row of one of its tables, or a paragraph
/// outside the tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    pub rows: Vec<RowPlace>,
}

/// Where one grid row came from.
#[derive(Debug, Clone, PartialEq)]
pub enum RowPlace {
    /// Row `row` of table `table`, both counted from 1 in document order; `starts` are the grid
    /// columns where the row's cells start, left to right (a cell merged across columns counts once).
    Table { table: u32, row: u32, starts: Vec<u32> },
    /// The `n`th non-empty paragraph outside the tables, counted from 1.
    Paragraph(u32),
}

impl Places {
    /// The place of a cell as a clerk finds it: (`表2`, `R5C3`) for a table cell, (`段落12`, none)
    /// for a paragraph; `None` for a cell outside the grid.
    pub fn name(&self, cell: Cell) -> Option<(String, Option<String>)> {
        match self.rows.get(cell.row as usize)? {
            RowPlace::Table { table, row, starts } => {
                let column = starts.iter().take_while(|&&start| start <= cell.col).count().max(1);
                Some((format!("表{table}"), Some(format!("R{row}C{column}"))))
            }
            RowPlace::Paragraph(n) => Some((format!("段落{n}"), None)),
        }
    }
}

impl Standard {
    /// Every task of every duty, in order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.duties.iter().flat_map(|duty| duty.tasks.iter())
    }
}

/// `code text`, or whichever of the two is present: how a coded item is printed.
pub fn coded(code: &str, text: &str) -> String {
    match (code.is_empty(), text.is_empty()) {
        (false, false) => {
            // Built by hand rather than by `format!`: a standard prints ~3,000 of these.
            let mut both = String::with_capacity(code.len() + 1 + text.len());
            both.push_str(code);
            both.push(' ');
            both.push_str(text);
            both
        }
        (false, true) => code.to_string(),
        _ => text.to_string(),
    }
}

impl Standard {
    /// A task's K or S codes as `code name` items, the names from the standard's lists.
    pub fn competency_items(&self, codes: &[String]) -> Vec<String> {
        self.competency_names().items(codes)
    }

    /// The names of the standard's knowledge and skills by code, to name many tasks' codes: a code
    /// listed twice has its first name, knowledge before skills.
    pub fn competency_names(&self) -> CompetencyNames<'_> {
        let mut names = rustc_hash::FxHashMap::default();
        for item in self.knowledge.iter().chain(&self.skills) {
            names.entry(item.code.as_str()).or_insert(item.name.as_str());
        }
        CompetencyNames(names)
    }
}

/// The names of a standard's knowledge and skills by code ([`Standard::competency_names`]).
pub struct CompetencyNames<'s>(rustc_hash::FxHashMap<&'s str, &'s str>);

impl CompetencyNames<'_> {
    /// A task's K or S codes as `code name` items (a code not listed: the code alone).
    pub fn items(&self, codes: &[String]) -> Vec<String> {
        codes.iter().map(|code| coded(code, self.0.get(code.as_str()).copied().unwrap_or(""))).collect()
    }

    /// A task's K or S cell as printed: `code name` one per line.
    pub fn lines(&self, codes: &[String]) -> String {
        self.items(codes).join("\n")
    }
}

impl Task {
    /// Every indicator of every row, in order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.rows.iter().flat_map(|row| row.indicators.iter())
    }

    /// Every output of every row, in order.
    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.rows.iter().flat_map(|row| row.outputs.iter())
    }
}

impl NameKind {
    /// The label of the box on the official form.
    pub fn label(self) -> &'static str {
        match self {
            NameKind::Occupation => "職業",
            NameKind::Category => "職類",
        }
    }
}

impl Cell {
    /// The A1-style reference (`D17`).
    pub fn a1(self) -> String {
        let mut letters = Vec::new();
        let mut n = self.col + 1;
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.push(b'A' + rem as u8);
            n = (n - 1) / 26;
        }
        letters.reverse();
        format!("{}{}", String::from_utf8_lossy(&letters), self.row + 1)
    }
}

/// A missing text is `null` in the JSON and the empty string in the model.
mod empty_as_null {
    use super::*;

    pub fn serialize<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_empty() { serializer.serialize_none() } else { serializer.serialize_str(value) }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_named_from_the_first_list_entry_of_it() {
        let item = |code: &str, name: &str| Item { code: code.into(), name: name.into(), ..Item::default() };
        let standard = Standard {
            knowledge: vec![item("K01", "一"), item("K02", "二"), item("K01", "重複")],
            skills: vec![item("S01", "甲"), item("K02", "技能裡的")],
            ..Standard::default()
        };
        let codes: Vec<String> = ["K02", "S01", "K01", "K09", ""].map(String::from).to_vec();
        assert_eq!(standard.competency_items(&codes), ["K02 二", "S01 甲", "K01 一", "K09", ""]);
        assert_eq!(standard.competency_names().lines(&codes[..2]), "K02 二\nS01 甲");
    }

    #[test]
    fn a1_references() {
        assert_eq!(Cell { row: 0, col: 0 }.a1(), "A1");
        assert_eq!(Cell { row: 16, col: 3 }.a1(), "D17");
        assert_eq!(Cell { row: 0, col: 26 }.a1(), "AA1");
        assert_eq!(Cell { row: 1048575, col: 16383 }.a1(), "XFD1048576");
    }

    #[test]
    fn places_in_a_text_document() {
        let places = Places { rows: vec![RowPlace::Paragraph(1), RowPlace::Table { table: 2, row: 5, starts: vec![0, 2, 3] }] };
        let name = |row, col| places.name(Cell { row, col });
        assert_eq!(name(0, 0), Some(("段落1".to_string(), None)));
        assert_eq!(name(1, 1), Some(("表2".to_string(), Some("R5C1".to_string()))), "a cell merged over two grid columns");
        assert_eq!(name(1, 2), Some(("表2".to_string(), Some("R5C2".to_string()))));
        assert_eq!(name(1, 9), Some(("表2".to_string(), Some("R5C3".to_string()))));
        assert_eq!(name(2, 0), None);
    }

    #[test]
    fn missing_text_is_null() {
        let item = Item { code: "K01".into(), name: String::new(), at: None };
        assert_eq!(serde_json::to_string(&item).unwrap(), r#"{"code":"K01","name":null}"#);
        let back: Item = serde_json::from_str(r#"{"code":"K01","name":null}"#).unwrap();
        assert_eq!(back, item);
    }
}
