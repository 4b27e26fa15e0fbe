//! Other layouts than the sample's, as real files: a clerk's workbook with a cover sheet, the older
//! 工作任務 | 工作活動 columns, labels with line breaks, a header repeated mid-table, merged spans,
//! odd code spellings; several standards per workbook and per database export; the benchmark
//! generator's CSV and workbook.

mod common;
use common::*;
use ocs::model::{NameKind, Standard};
use rust_xlsxwriter::{Format, Workbook};

fn task<'a>(standard: &'a Standard, code: &str) -> &'a ocs::model::Task {
    standard.tasks().find(|t| t.code == code).unwrap_or_else(|| panic!("task {code}"))
}

fn indicator_codes(standard: &Standard, code: &str) -> Vec<String> {
    task(standard, code).indicators().map(|p| p.code.clone()).collect()
}

/// An older, clerk-made workbook: cover sheet, 工作任務 | 工作活動, line-broken labels, no 代碼 label.
fn clerk_workbook(path: &std::path::Path) {
    let mut workbook = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let cover = workbook.add_worksheet().set_name("封面").unwrap();
    cover.write(2, 1, "勞動部勞動力發展署").unwrap();
    cover.write(3, 1, "職能基準表").unwrap();
    let sheet = workbook.add_worksheet().set_name("內容").unwrap();
    let cells: &[(u32, u16, &str)] = &[
        (1, 0, "基層主管職能基準"),
        (3, 0, "職能基準名稱\n（擇一填寫）"),
        (3, 1, "職類"),
        (3, 2, "基層主管"),
        (4, 1, "職業"),
        (5, 0, "所屬\n類別"),
        (5, 1, "職類別"),
        (5, 2, "企業經營管理 / 企業管理"),
        (5, 4, "職類別代碼"),
        (5, 5, "BGM"),
        (6, 1, "職業別"),
        (6, 2, "其他企業管理人員"),
        (6, 4, "職業別代碼"),
        (6, 5, "1219"),
        (7, 1, "行業別"),
        (7, 2, "專業、科學及技術服務業"),
        (7, 4, "行業別代碼："),
        (7, 5, "M7010"),
        (8, 0, "工作描述"),
        (8, 2, "帶領基層團隊"),
        (9, 0, "基準級別"),
        (9, 2, "３"),
        (11, 0, "工作任務"),
        (11, 1, "工作活動"),
        (11, 2, "工作產出"),
        (11, 3, "行為指標"),
        (11, 4, "職能\n級別"),
        (11, 5, "職能內涵\n（K=knowledge 知識）"),
        (11, 6, "職能內涵\n（S=skills 技能）"),
        (12, 0, "Ｔ１ 管理團隊"),
        (12, 1, "T01.1 分配工作"),
        (12, 2, "O1.1.1 工作分配表 O1.1.2 排班表"),
        (12, 3, "P1.1.1 依據人力分配工作\nP1.1.2 排定班表"),
        (12, 4, "三"),
        (12, 5, "K1\n人力資源管理\nK 2 勞動法規\n- 勞基法\n- 職安法"),
        (12, 6, "S1 溝通"),
        (13, 1, "T1.2 追蹤進度"),
        (13, 2, "04.2.1 進度表"),
        (13, 3, "P1.2.1 每週檢視進度"),
        (13, 4, "4"),
        (13, 5, "K03 專案管理"),
        (13, 6, "S02 時間管理。"),
        // A header copied from a page break.
        (14, 0, "工作任務"),
        (14, 1, "工作活動"),
        (14, 2, "工作產出"),
        (14, 3, "行為指標"),
        (14, 4, "職能級別"),
        (14, 5, "職能內涵(K=knowledge 知識)"),
        (14, 6, "職能內涵(S=skills 技能)"),
        (15, 1, "T1.3 回報主管"),
        (15, 3, "<p>P1.3.1 每月回報</p><p>P1.3.2 提出改善</p>"),
        (16, 0, "T2\n培育部屬"),
        (16, 1, "T2.1 指導新進人員"),
        (16, 2, "O2.1.1 訓練紀錄"),
        (16, 3, "P2.1.1 示範作業"),
        (16, 4, "3"),
        (16, 5, "K04 教學技巧"),
        (16, 6, "S03 領導能力"),
        (17, 3, "P2.1.2 回饋"),
        (19, 0, "職能內涵（A=attitude 態度）"),
        (20, 0, "A1 主動積極"),
        (20, 2, "A02 責任感"),
        (22, 0, "說明與補充事項"),
        (23, 0, "● 建議學歷：專科以上\n- 相關經驗兩年"),
    ];
    for (row, col, text) in cells {
        sheet.write_with_format(*row, *col, *text, &wrap).unwrap();
    }
    // 職能級別 and K/S of T1.1 span its one row; T2.1's row spans two grid rows (indicators below).
    sheet.merge_range(16, 0, 17, 0, "T2\n培育部屬", &wrap).unwrap();
    sheet.merge_range(16, 1, 17, 1, "T2.1 指導新進人員", &wrap).unwrap();
    sheet.merge_range(16, 2, 17, 2, "O2.1.1 訓練紀錄", &wrap).unwrap();
    sheet.merge_range(16, 4, 17, 4, "3", &wrap).unwrap();
    sheet.merge_range(16, 5, 17, 5, "K04 教學技巧", &wrap).unwrap();
    sheet.merge_range(16, 6, 17, 6, "S03 領導能力", &wrap).unwrap();
    sheet.write_with_format(17, 3, "P2.1.2 回饋", &wrap).unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn a_clerks_older_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bgm1219-002V2 基層主管.xlsx");
    clerk_workbook(&path);
    let standard = only_standard(&path);
    assert_eq!(standard.code, "BGM1219-002v2", "code from the file name, normalised");
    assert_eq!(standard.name, "基層主管");
    assert_eq!(standard.name_kind, Some(NameKind::Category));
    assert_eq!(standard.classification.industry.code, "M7010");
    assert_eq!(standard.classification.occupation.name, "其他企業管理人員");
    assert_eq!(standard.level, Some(3));
    let duties: Vec<(&str, &str)> = standard.duties.iter().map(|d| (d.code.as_str(), d.title.as_str())).collect();
    assert_eq!(duties, [("T1", "管理團隊"), ("T2", "培育部屬")]);
    let t11 = task(&standard, "T1.1");
    assert_eq!(t11.title, "分配工作");
    assert_eq!(t11.level, Some(3));
    let outputs: Vec<(&str, &str)> = t11.outputs().map(|o| (o.code.as_str(), o.title.as_str())).collect();
    assert_eq!(outputs, [("O1.1.1", "工作分配表"), ("O1.1.2", "排班表")]);
    assert_eq!(t11.knowledge, ["K01", "K02"]);
    assert_eq!(standard.knowledge[0].name, "人力資源管理");
    assert_eq!(standard.knowledge[1].name, "勞動法規\n- 勞基法\n- 職安法");
    let t12 = task(&standard, "T1.2");
    assert_eq!(t12.outputs().next().unwrap().code, "O4.2.1", "the digit 0 read as O");
    assert_eq!(t12.skills, ["S02"]);
    assert_eq!(t12.level, Some(4));
    assert_eq!(indicator_codes(&standard, "T1.3"), ["P1.3.1", "P1.3.2"], "the repeated header is skipped; markup read as lines");
    assert_eq!(task(&standard, "T1.3").level, None, "the sheet has merges, so an unmerged blank level is missing");
    let t21 = task(&standard, "T2.1");
    assert_eq!(t21.rows.len(), 1, "the merged output spans both indicator rows");
    assert_eq!(indicator_codes(&standard, "T2.1"), ["P2.1.1", "P2.1.2"]);
    assert_eq!((t21.level, t21.knowledge.as_slice(), t21.skills.as_slice()), (Some(3), &["K04".to_string()][..], &["S03".to_string()][..]));
    let attitudes: Vec<(&str, &str)> = standard.attitudes.iter().map(|a| (a.code.as_str(), a.name.as_str())).collect();
    assert_eq!(attitudes, [("A01", "主動積極"), ("A02", "責任感")]);
    assert_eq!(standard.notes, ["建議學歷：專科以上", "相關經驗兩年"]);

    let dir_path = dir.path().to_str().unwrap();
    let out = ocs(&["check", path.to_str().unwrap()], std::path::Path::new(dir_path));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("封面: info[no-table]"), "{stdout}");
    assert!(stdout.contains("內容!B13: info[code-rewrite]: `T01.1` read as `T1.1` (leading zeros removed)"), "{stdout}");
    assert!(stdout.contains("內容!A13: info[code-rewrite]: `Ｔ１` read as `T1`"), "{stdout}");
    assert!(stdout.contains("內容!C14: warning[zero-for-o]: `04.2.1` read as `O4.2.1`"), "{stdout}");
    assert!(stdout.contains("內容!F13: info[code-rewrite]: `K1` read as `K01` (number padded to two digits)"), "{stdout}");
    assert!(stdout.contains("內容!F13: info[code-rewrite]: `K 2` read as `K02` (spaces removed, number padded to two digits)"), "{stdout}");
    assert!(stdout.contains("info[code-from-name]"), "{stdout}");
    assert!(stdout.contains("內容!E16: warning[missing-level]: T1.3 has no 職能級別; enter a level from 1 to 6 in E16"), "{stdout}");
    assert!(!stdout.contains("missing-outputs"), "an empty 工作產出 is legal");
}

#[test]
fn each_sheet_with_a_table_is_one_standard() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.xlsx");
    let mut workbook = Workbook::new();
    for (code, name) in [("AAA1111-001", "甲"), ("BBB2222-001", "乙")] {
        let sheet = workbook.add_worksheet().set_name(name).unwrap();
        let rows: [[&str; 4]; 3] = [
            ["職能基準代碼", code, "", ""],
            ["主要職責", "工作任務", "工作產出", "行為指標"],
            ["T1 職責", "T1.1 任務", "O1.1.1 產出", "P1.1.1 指標"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.write(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    workbook.save(&path).unwrap();
    let codes: Vec<String> = standards(&path).into_iter().map(|s| s.code).collect();
    assert_eq!(codes, ["AAA1111-001", "BBB2222-001"]);
}

#[test]
fn a_database_export_of_several_standards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    let csv = "基準代碼,職能基準名稱,名稱類型,主要職責代碼,主要職責,工作任務代碼,工作任務,職能級別,工作產出代碼,工作產出,行為指標,知識,技能,態度\n\
        AAA1111-001,甲,職業,T1,職責一,T1.1,任務,3,O1.1.1,產出,P1.1.1 指標一,K01 知識,S01 技能,A01 態度\n\
        AAA1111-001,甲,職業,T1,職責一,T1.1,任務,3,O1.1.1,產出,P1.1.2 指標二,K01 知識,S01 技能,A01 態度\n\
        BBB2222-001,乙,職類,T1,職責,T1.1,任務,5,,,P1.1.1 指標,K02 另一,,\n";
    std::fs::write(&path, csv).unwrap();
    let all = standards(&path);
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].code.as_str(), all[0].name_kind), ("AAA1111-001", Some(NameKind::Occupation)));
    assert_eq!(indicator_codes(&all[0], "T1.1"), ["P1.1.1", "P1.1.2"]);
    assert_eq!(task(&all[0], "T1.1").rows.len(), 1, "a repeated output is one row");
    assert_eq!(task(&all[0], "T1.1").knowledge, ["K01"], "a repeated K cell counts once");
    assert_eq!(all[0].attitudes.len(), 1);
    assert_eq!((all[1].code.as_str(), all[1].name_kind, task(&all[1], "T1.1").level), ("BBB2222-001", Some(NameKind::Category), Some(5)));
    assert!(task(&all[1], "T1.1").rows[0].outputs.is_empty());
}

#[test]
fn a_flat_table_blank_under_the_first_occurrence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CCC3333-001.csv");
    let csv = "主要職責,工作任務,工作產出,行為指標,職能級別,知識,技能\n\
        T1 職責,T1.1 任務一,O1.1.1 產出一,P1.1.1 甲,2,K01 知識,S01 技能\n\
        ,,,P1.1.2 乙,,,\n\
        ,,O1.1.2 產出二,P1.1.3 丙,,,\n\
        ,T1.2 任務二,,P1.2.1 丁,,,\n";
    std::fs::write(&path, csv).unwrap();
    let standard = only_standard(&path);
    assert_eq!(standard.code, "CCC3333-001", "from the file name");
    let t11 = task(&standard, "T1.1");
    assert_eq!(t11.rows.len(), 2);
    assert_eq!(t11.rows[0].indicators.len(), 2);
    let t12 = task(&standard, "T1.2");
    assert_eq!((t12.level, t12.knowledge.as_slice()), (Some(2), &["K01".to_string()][..]), "the span continues within the duty");
    assert!(t12.rows[0].outputs.is_empty());
}

#[test]
fn the_benchmark_generators_csv_and_workbook_agree() {
    for code in ["BAS5686-001", "MKT4640-001"] {
        let folder = root().join("tests/fixtures/corpus");
        let from_csv = only_standard(&folder.join(format!("{code}.csv")));
        let mut from_xlsx = only_standard(&folder.join(format!("{code}.xlsx")));
        assert_eq!(from_xlsx.name_kind, Some(NameKind::Occupation), "職能基準名稱(職業)");
        assert_eq!(from_csv.name_kind, None, "the CSV column does not say the kind");
        from_xlsx.name_kind = None;
        assert_eq!(json_of(&from_csv), json_of(&from_xlsx), "{code}");
        assert_eq!(from_csv.code, code);
        assert_eq!(from_csv.duties.len(), 7);
        assert!(from_csv.classification.job_category.code.len() == 3);
        assert!(from_csv.tasks().all(|t| t.level.is_some() && !t.knowledge.is_empty() && !t.skills.is_empty()));
        assert!(!from_csv.attitudes.is_empty() && !from_csv.notes.is_empty());
    }
    let standard = only_standard(&root().join("tests/fixtures/corpus/BAS5686-001.csv"));
    let counts = (
        standard.tasks().count(),
        standard.tasks().flat_map(|t| t.outputs()).count(),
        standard.tasks().flat_map(|t| t.indicators()).count(),
    );
    assert_eq!(counts, (35, 59, 132), "gen_corpus.py --stats for standard 0");
}

#[test]
fn labels_with_their_values_and_one_competency_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inline.csv");
    let csv = "職能基準代碼：DDD4444-002\n職能基準名稱(職業)：倉儲管理員\n基準級別：3\n\
        主要職責,工作任務,工作產出,行為指標,職能級別,職能內涵\n\
        T1 入庫,T1.1 驗收,O1.1.1 驗收單,P1.1.1 核對數量,3,\"K01 物料知識\nS01 點收技能\nK02 品質標準\"\n";
    std::fs::write(&path, csv).unwrap();
    let standard = only_standard(&path);
    assert_eq!((standard.code.as_str(), standard.name.as_str(), standard.level), ("DDD4444-002", "倉儲管理員", Some(3)));
    assert_eq!(standard.name_kind, Some(NameKind::Occupation));
    let t11 = task(&standard, "T1.1");
    assert_eq!(t11.knowledge, ["K01", "K02"]);
    assert_eq!(t11.skills, ["S01"]);
    assert_eq!(standard.skills[0].name, "點收技能");
}

#[test]
fn text_that_mentions_a_column_label_is_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("EEE5555-001.csv");
    let csv = "主要職責,工作任務,工作產出,行為指標,職能級別\n\
        T1 職責,T1.1 彙整工作產出,O1.1.1 工作產出清單,P1.1.1 依行為指標檢核,3\n\
        ,T1.2 沒有工作產出的任務,,P1.2.1 行為指標說明,\n\
        主要職責,工作任務,工作產出,行為指標,職能級別\n\
        ,T1.3 分頁後的任務,,P1.3.1 第三項,\n";
    std::fs::write(&path, csv).unwrap();
    let standard = only_standard(&path);
    let tasks: Vec<&str> = standard.tasks().map(|t| t.code.as_str()).collect();
    assert_eq!(tasks, ["T1.1", "T1.2", "T1.3"], "no row is taken for a repeated header but the real one");
    assert_eq!(indicator_codes(&standard, "T1.2"), ["P1.2.1"]);
}
