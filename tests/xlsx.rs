//! The official workbook, opened as Excel would: sheets, merged ranges (calamine), print setup
//! (the XML), the other sheets' rows, and the standard read back from it.

mod common;
use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};

fn built_xlsx(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", args);
    (dir, folder.join("BAS2421-002.xlsx"))
}

fn part(xlsx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn cell_text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn the_official_sheet_merges_the_spans_of_the_source() {
    let (_dir, path) = built_xlsx(&[]);
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["職能基準", "知識", "技能", "態度", "職能矩陣", "資料", "檢核"]);
    let range = book.worksheet_range("職能基準").unwrap();
    let merges = book.merge_cells_by_sheet_name("職能基準").unwrap();
    let row_of = |text: &str, col: u32| {
        (0..range.height() as u32).find(|&r| cell_text(&range, r, col) == text).unwrap_or_else(|| panic!("`{text}` not in column {col}"))
    };
    let merge_at = |row: u32, col: u32| merges.iter().find(|m| m.start == (row, col)).map(|m| m.end.0).unwrap_or(row);
    // T2 spans its tasks T2.1–T2.8: T2.1 has five rows, the other seven one each.
    let t2 = row_of("T2 完成會議前的分組工作", 0);
    assert_eq!(merge_at(t2, 0), t2 + 11, "the duty over its twelve rows");
    assert_eq!(row_of("T2.1 執行議事組工作", 1), t2);
    assert_eq!(merge_at(t2, 1), t2 + 4, "T2.1 over its five output rows");
    assert_eq!(row_of("T2.8 執行旅遊與晚宴組工作", 1), t2 + 11);
    assert_eq!(merge_at(t2, 4), t2 + 11, "職能級別 over T2.1–T2.8");
    assert_eq!(merge_at(t2, 5), t2 + 11, "the K cell over T2.1–T2.8");
    assert_eq!(merge_at(t2, 6), t2 + 11, "the S cell over T2.1–T2.8");
    assert!(cell_text(&range, t2, 5).starts_with("K52 會議活動規劃\nK22 國際商務禮儀"), "K/S one `code name` per line");
    assert_eq!(cell_text(&range, t2, 4), "4");
    // T5 has no level, K or S: empty cells, still one span over its eight tasks.
    let t5 = row_of("T5 完成會議結束後的分組工作", 0);
    assert_eq!(merge_at(t5, 4), t5 + 7);
    assert_eq!(cell_text(&range, t5, 5), "");
    // Every row of the sheet has a height set from its text.
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    let tall = sheet.matches("customHeight=\"1\"").count();
    assert_eq!(tall, sheet.matches("<row ").count(), "every row has a computed height");
    assert!(tall >= 55, "{tall} rows");
}

#[test]
fn print_setup_a4_titles_footer_and_header() {
    let (_dir, path) = built_xlsx(&[]);
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="9""#), "A4");
    assert!(sheet.contains(r#"orientation="portrait""#));
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#) && sheet.contains(r#"fitToHeight="0""#), "one page wide");
    assert!(sheet.contains("第 &amp;P 頁，總共 &amp;N 頁"), "footer");
    assert!(sheet.contains("BAS2421-002 會議專案執行人員職能基準"), "code and name in the page header");
    let workbook = part(&path, "xl/workbook.xml");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = book.worksheet_range("職能基準").unwrap();
    let header = (0..range.height() as u32).find(|&r| cell_text(&range, r, 3) == "行為指標").unwrap() + 1;
    assert!(
        workbook
            .contains(&format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">職能基準!${header}:${header}</definedName>")),
        "{workbook}"
    );
}

#[test]
fn the_other_sheets_have_one_row_per_item() {
    let (_dir, path) = built_xlsx(&[]);
    let expected = expected_json();
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let rows = |book: &mut Xlsx<_>, name: &str| book.worksheet_range(name).unwrap().height();
    assert_eq!(rows(&mut book, "知識"), 1 + expected["knowledge"].as_array().unwrap().len());
    assert_eq!(rows(&mut book, "技能"), 1 + expected["skills"].as_array().unwrap().len());
    assert_eq!(rows(&mut book, "態度"), 1 + expected["attitudes"].as_array().unwrap().len());
    let indicators: usize = expected["duties"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["tasks"].as_array().unwrap())
        .flat_map(|t| t["rows"].as_array().unwrap())
        .map(|r| r["indicators"].as_array().unwrap().len())
        .sum();
    let data = book.worksheet_range("資料").unwrap();
    assert_eq!(data.height(), 1 + indicators);
    // Nothing is left blank under a first occurrence: the header block and the duty and task
    // columns are repeated on every row (outputs and levels are empty only where the source is).
    assert!(data.rows().skip(1).all(|r| r.iter().take(15).all(|c| !c.to_string().is_empty())), "every column filled");
    let knowledge = book.worksheet_range("知識").unwrap();
    let k08 = knowledge.rows().find(|r| r[0] == "K08").unwrap();
    assert_eq!(k08[1].to_string(), "商業套裝軟體");
    assert!(k08[2].to_string().starts_with("T1.1、T1.2"), "the tasks that use K08: {}", k08[2]);
    let check = book.worksheet_range("檢核").unwrap();
    assert_eq!(check.height(), 1 + 23, "the 23 warnings of the sample");
    assert!(check.rows().any(|r| r[1] == "prefix-mismatch" && r[2] == "職能基準!D17"));
    let sheet = part(&path, "xl/worksheets/sheet6.xml");
    assert!(sheet.contains("<autoFilter ") && sheet.contains(r#"state="frozen""#), "autofilter and frozen header on 資料");
}

#[test]
fn the_fix_changes_are_listed_on_the_check_sheet() {
    let (_dir, path) = built_xlsx(&["--fix"]);
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let check = book.worksheet_range("檢核").unwrap();
    assert!(check.rows().any(|r| r[1] == "fix" && r[3] == "O4.1.2 renumbered O5.1.2 (T5.1)"));
}

#[test]
fn reading_the_workbook_back_gives_the_same_standard() {
    let (_dir, path) = built_xlsx(&[]);
    let read = standards(&path);
    assert_eq!(json_of(&read[0]), expected_json());
    assert_eq!(read.len(), 2, "the 資料 sheet reads too");
    let out = ocs(&["check", path.to_str().unwrap()], Path::new("/"));
    assert!(text(&out.stdout).contains("資料: info[same-standard]"), "{}", text(&out.stdout));
    // The edge cases of the CSV round trip, through the workbook.
    let (_dir2, fixed) = built_xlsx(&["--fix"]);
    let (fixed_standard, _) = ocs::check::fix(&only_standard(&input("BAS2421-002.xlsx")));
    assert_eq!(json_of(&standards(&fixed)[0]), json_of(&fixed_standard));
}

#[test]
fn the_same_input_gives_the_same_workbook_bytes() {
    let (_a, first) = built_xlsx(&[]);
    let (_b, second) = built_xlsx(&[]);
    assert!(std::fs::read(first).unwrap() == std::fs::read(second).unwrap());
}

#[test]
fn a_text_longer_than_a_workbook_cell_costs_no_other_output() {
    // A 40,000-character indicator: past Excel's and LibreOffice's 32,767 characters a cell.
    let dir = tempfile::tempdir().unwrap();
    let long = "測".repeat(40_000);
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap().replacen("翻閱公司過往活動檔案", &long, 1);
    std::fs::write(dir.path().join("BAS2421-002.csv"), csv).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "out", "--only", "json,xlsx,ods,pdf", "--lang", "en"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("cell-too-long") && stderr.contains("32767"), "a warning naming the cell: {stderr}");
    let folder = dir.path().join("out/BAS2421-002");
    let json = std::fs::read_to_string(folder.join("BAS2421-002.json")).unwrap();
    assert!(json.contains(&long), "the JSON keeps all of it");
    let mut book: Xlsx<_> = calamine::open_workbook(folder.join("BAS2421-002.xlsx")).unwrap();
    let range = book.worksheet_range("職能基準").unwrap();
    let longest = range.cells().map(|(_, _, d)| d.to_string().chars().count()).max().unwrap();
    assert_eq!(longest, 32_767, "the workbook shows the start of it");
    assert!(folder.join("BAS2421-002.pdf").exists() && folder.join("BAS2421-002.ods").exists());
}

/// The heads and labels of the official sheet carry the PDF's line breaks, between words: no line is
/// a lone character or a lone bracket, and `職能基準名稱` and `(K=knowledge 知識)` stay unbroken
/// inside.
#[test]
fn heads_are_written_broken_between_their_words() {
    let (_dir, path) = built_xlsx(&[]);
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = book.worksheet_range("職能基準").unwrap();
    let mut broken = 0;
    for row in 0..14 {
        for col in 0..7 {
            let text = cell_text(&range, row, col);
            if !text.contains('\n') {
                continue;
            }
            broken += 1;
            for line in text.lines() {
                assert!(line.chars().count() > 1 || text.chars().count() == 1, "R{}C{}: a lone `{line}` in {text:?}", row + 1, col + 1);
            }
            assert!(!text.contains("知\n識") && !text.contains("技\n能") && !text.contains("名\n稱"), "a word broken: {text:?}");
            if text.contains("knowledge") {
                // Too wide for its column on one line: broken before 知識, as the PDF breaks it.
                assert_eq!(text.lines().collect::<Vec<_>>(), ["職能內涵", "(K=knowledge", "知識)"], "{text:?}");
            }
        }
    }
    assert!(broken >= 3, "the long heads are written on several lines");
}
