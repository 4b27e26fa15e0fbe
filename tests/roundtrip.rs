//! Reading our own CSV back gives the identical standard: the sample, the sample after `--fix`, and
//! a standard made of edge cases (版本 table, formula-like text, empty duties, tasks and outputs).

mod common;
use common::*;
use ocs::model::*;

fn round_trip(standard: &Standard) -> Standard {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{}.csv", standard.code));
    std::fs::write(&path, ocs::render::csv::csv(standard)).unwrap();
    only_standard(&path)
}

#[test]
fn the_sample_survives_our_csv() {
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    assert_eq!(json_of(&round_trip(&standard)), expected_json());
    let (fixed, _) = ocs::check::fix(&standard);
    assert_eq!(json_of(&round_trip(&fixed)), json_of(&fixed));
}

fn item(code: &str, name: &str) -> Item {
    Item { code: code.into(), name: name.into(), at: None }
}

fn indicator(code: &str, text: &str) -> Indicator {
    Indicator { code: code.into(), text: text.into(), at: None }
}

fn output(code: &str, title: &str) -> Output {
    Output { code: code.into(), title: title.into(), at: None }
}

fn edge_cases() -> Standard {
    let task = |code: &str, title: &str, rows: Vec<Row>| Task {
        code: code.into(),
        title: title.into(),
        level: Some(3),
        rows,
        knowledge: vec!["K01".into(), "K101".into()],
        skills: vec!["S02".into()],
        at: TaskCells::default(),
    };
    Standard {
        code: "BGM1219-002v2".into(),
        name: "基層主管".into(),
        name_kind: Some(NameKind::Category),
        classification: Classification {
            job_category: Named { name: "企業經營管理 / 企業管理".into(), code: "BGM".into() },
            occupation: Named { name: "其他企業管理人員".into(), code: "1219".into() },
            industry: Named { name: "專業、科學及技術服務業".into(), code: "M7010".into() },
        },
        description: "=cmd|' /C calc'!A0 is text, not a formula".into(),
        level: Some(3),
        versions: vec![
            Version {
                version: "V2".into(),
                code: "BGM1219-002v2".into(),
                name: "基層主管".into(),
                status: "最新版本".into(),
                note: "略".into(),
                date: "2018/12/21".into(),
            },
            Version {
                version: "V1".into(),
                code: "BGM1219-002".into(),
                name: "基層主管".into(),
                status: "歷史版本".into(),
                note: "已被《BGM1219-002v2》取代".into(),
                date: "2015/12/31".into(),
            },
        ],
        duties: vec![
            Duty {
                code: "T1".into(),
                title: "@SUM(1) 帶領團隊".into(),
                tasks: vec![
                    task(
                        "T1.1",
                        "-5% 成本",
                        vec![
                            Row {
                                outputs: vec![output("O1.1.1", "+1 計畫"), output("O1.1.2", "排班表")],
                                indicators: vec![indicator("P1.1.1", "第一行\n第二行，含換行"), indicator("P1.1.2", "'=引號開頭")],
                            },
                            Row { outputs: vec![], indicators: vec![indicator("P1.1.3", "沒有工作產出的列")] },
                            Row { outputs: vec![output("O1.1.3", "沒有行為指標的列")], indicators: vec![] },
                        ],
                    ),
                    task("T1.2", "沒有任何列的任務", vec![]),
                ],
                at: None,
            },
            Duty { code: "T2".into(), title: "沒有任務的職責".into(), tasks: vec![], at: None },
            Duty {
                code: "T3".into(),
                title: "最後".into(),
                tasks: vec![task("T3.1", "只有指標", vec![Row { outputs: vec![], indicators: vec![indicator("P3.1.1", "指標")] }])],
                at: None,
            },
        ],
        knowledge: vec![item("K01", "專案管理\n- 時程\n- 成本"), item("K101", "法規")],
        skills: vec![item("S02", "溝通")],
        attitudes: vec![item("A01", "誠信"), item("A01", "誠信"), item("A14", "正直誠實")],
        notes: vec!["建議擔任此職類/職業之學歷/經歷/或能力條件：".into(), "專科以上".into(), "=1+1 不是公式".into()],
        source: Source::default(),
    }
}

#[test]
fn edge_cases_survive_our_csv() {
    let standard = edge_cases();
    assert_eq!(json_of(&round_trip(&standard)), json_of(&standard));
}

#[test]
fn formula_like_text_is_never_a_formula_in_the_csv() {
    let csv = String::from_utf8(ocs::render::csv::csv(&edge_cases())).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    for record in reader.records() {
        for field in record.unwrap().iter() {
            assert!(!field.starts_with(['=', '+', '-', '@']), "field `{field}` would run as a formula");
        }
    }
}

#[test]
fn json_reads_back() {
    let standard = edge_cases();
    let back = ocs::render::json::from_json(&ocs::render::json::json(&standard)).unwrap();
    assert_eq!(json_of(&back), json_of(&standard));
}
