//! `ocs init`: the blank form for a clerk to fill, as a workbook (xlsx or ods): the official form
//! with example rows marked （範例）, 職能級別 limited to 1–6, and a sheet explaining each field and
//! the code rules. `ocs build` reads it back as it is.

use super::{Block, Document, Input};
use crate::model::{Classification, Duty, Indicator, Item, NameKind, Named, Output, Row, Standard, Task, TaskCells};
use crate::template::Template;

fn named(name: &str, code: &str) -> Named {
    Named { name: name.into(), code: code.into() }
}

fn item(code: &str, name: &str) -> Item {
    Item { code: code.into(), name: name.into(), at: None }
}

fn task(code: &str, title: &str, rows: Vec<Row>) -> Task {
    Task {
        code: code.into(),
        title: title.into(),
        level: Some(3),
        rows,
        knowledge: vec!["K01".into()],
        skills: vec!["S01".into()],
        at: TaskCells::default(),
    }
}

fn row(outputs: &[(&str, &str)], indicators: &[(&str, &str)]) -> Row {
    Row {
        outputs: outputs.iter().map(|(c, t)| Output { code: (*c).into(), title: (*t).into(), at: None }).collect(),
        indicators: indicators.iter().map(|(c, t)| Indicator { code: (*c).into(), text: (*t).into(), at: None }).collect(),
    }
}

/// The example the blank workbook shows: every field once, marked （範例）.
pub fn example() -> Standard {
    Standard {
        code: "ABC1234-001".into(),
        name: "（範例）職業名稱".into(),
        name_kind: Some(NameKind::Occupation),
        classification: Classification {
            job_category: named("（範例）職類別名稱", "ABC"),
            occupation: named("（範例）職業別名稱", "1234"),
            industry: named("（範例）行業別名稱", "8202"),
        },
        description: "（範例）描述此職業（類）最主要的工作內容，及工作產出之重要成果。".into(),
        level: Some(3),
        versions: Vec::new(),
        duties: vec![Duty {
            code: "T1".into(),
            title: "（範例）主要職責".into(),
            tasks: vec![
                task(
                    "T1.1",
                    "（範例）工作任務",
                    vec![row(
                        &[("O1.1.1", "（範例）工作產出")],
                        &[("P1.1.1", "（範例）在何種情境下，應有哪些行為或產出"), ("P1.1.2", "（範例）第二項行為指標")],
                    )],
                ),
                task("T1.2", "（範例）沒有工作產出的任務", vec![row(&[], &[("P1.2.1", "（範例）行為指標")])]),
            ],
            at: None,
        }],
        knowledge: vec![item("K01", "（範例）知識名稱")],
        skills: vec![item("S01", "（範例）技能名稱")],
        attitudes: vec![item("A01", "（範例）態度名稱")],
        notes: vec!["建議擔任此職類/職業之學歷/經歷/或能力條件：".into(), "（範例）專科以上，不限科系。".into()],
        source: Default::default(),
    }
}

/// What each field means and how codes are written, for the 填寫說明 sheet.
const GUIDE: [(&str, &str); 14] = [
    (
        "職能基準代碼",
        "由 iCAP 計畫執行單位提供，格式 AAA9999-999（第二版起加 v2、v3）：前三碼為職類別代碼，其後四碼為職業別代碼。尚未取得時可填暫用代碼，或留白並以代碼為檔名。",
    ),
    ("職能基準名稱（擇一填寫）", "填於「職類」或「職業」其中一欄。"),
    ("所屬類別", "職類別、職業別（中華民國職業標準分類）、行業別（中華民國行業統計分類）及各自的代碼。"),
    ("工作描述", "此職業（類）之整體工作內容，包含最主要的工作內容及工作產出之重要成果。"),
    ("基準級別", "1–6 級。"),
    ("主要職責", "代碼 T1、T2…；一個主要職責的儲存格可合併，涵蓋其所有工作任務。"),
    ("工作任務", "代碼 T1.1、T1.2…（主要職責編號.序號），儲存格可合併，涵蓋其各列。"),
    ("工作產出", "代碼 O1.1.1…（工作任務編號.序號）；每列一至多項，每行一項；僅有行動性質的任務可留白。"),
    ("行為指標", "代碼 P1.1.1…（工作任務編號.序號），每行一項，描述在何種情境下應有的行為或產出。"),
    ("職能級別", "1–6（已設定下拉驗證）；可合併涵蓋同一主要職責下的數個工作任務。"),
    ("職能內涵 K / S", "每行一項「代碼 名稱」，如 K01 會展概論、S07 文書處理能力；代碼取自職類共用清單，不必連號。"),
    ("職能內涵 A", "表格下方，每列一項「A01 名稱」。"),
    ("說明與補充事項", "每列一段；項目符號可保留。"),
    ("代碼書寫", "用半形英數；K/S/A 為兩位數（K01），T/O/P 不補零（T1.1）。ocs 會修正全形、空白、大小寫等並逐一列出。"),
];

/// The blank form's sheets: the official form of the example, with 職能級別 limited to 1–6, then
/// 填寫說明.
pub fn sheets(template: &Template) -> Vec<Document> {
    let standard = example();
    let (mut form, placed) = super::form::form(&standard, template);
    let level = Input::Whole { min: 1, max: 6, title: "職能級別".into(), message: "1–6 的整數".into() };
    if let Some(Block::Table(table)) = form.blocks.get_mut(placed.header_block)
        && let Some(cell) = table.cells.get_mut(placed.level_cell)
    {
        cell.input = Some(level.clone());
    }
    if let Some(Block::Table(table)) = form.blocks.get_mut(placed.main_table) {
        for cell in table.cells.iter_mut().filter(|c| c.cols == (4, 4)) {
            cell.input = Some(level.clone());
        }
    }
    let guide: Vec<Vec<String>> = GUIDE.iter().map(|(field, text)| vec![field.to_string(), text.to_string()]).collect();
    vec![form, super::workbook::list(&standard, template, "填寫說明", &["欄位", "填寫說明"], &[22.0, 90.0], guide)]
}
