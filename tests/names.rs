//! Names as real standards write them: private-use bullets copied from iCAP PDFs (U+F09F at the
//! start of each line of a 行業別 name, U+F06E between the sub-items of a K/S name) are marks, not
//! text, and a code-like word inside a K/S name (`ANSI/ESD S20.20`) is text, not a new item.
//! The fixture `tests/fixtures/bullets-and-codes.csv` is the sample with those cells added.

mod common;
use common::*;

fn build_fixture(dir: &std::path::Path) -> (std::process::Output, serde_json::Value) {
    let out = ocs(&["build", root().join("tests/fixtures/bullets-and-codes.csv").to_str().unwrap(), "-o", "out"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json = std::fs::read(dir.join("out/BAS2421-901/BAS2421-901.json")).expect("the JSON");
    (out, serde_json::from_slice(&json).expect("JSON"))
}

fn item<'a>(json: &'a serde_json::Value, list: &str, code: &str) -> Option<&'a str> {
    json[list].as_array()?.iter().find(|i| i["code"] == code).and_then(|i| i["name"].as_str())
}

#[test]
fn private_use_bullets_are_marks_and_sub_items_become_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (out, json) = build_fixture(dir.path());
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("missing-glyph"), "a bullet is no missing character: {stderr}");
    assert_eq!(json["classification"]["industry"]["name"], "支援服務業\n行政支援服務業", "U+F09F at each line start is dropped");
    assert_eq!(item(&json, "skills", "S90"), Some("溝通與協調技能：\n組織內部門溝通\n組織外廠商協調"), "U+F06E mid-line separates lines");
    let report = std::fs::read_to_string(dir.path().join("out/report.json")).unwrap();
    assert!(!report.contains("missing-glyph"), "{report}");
    // What prints: the PDF's text has the sub-items and no private-use character.
    let pdf = dir.path().join("out/BAS2421-901/BAS2421-901.pdf");
    let shown = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let shown = text(&shown.stdout);
    assert!(shown.contains("組織外") && shown.contains("行政支援服務業"), "{shown}");
    assert!(!shown.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)), "no private-use character printed");
}

#[test]
fn a_code_like_word_inside_a_name_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let (_, json) = build_fixture(dir.path());
    assert_eq!(item(&json, "knowledge", "K90"), Some("ANSI/ESD S20.20靜電防護標準"), "S20.20 is part of the name");
    assert_eq!(item(&json, "knowledge", "K91"), Some("品質管理 S5 與 ISO 9001"), "an S code mid-line in a K cell is text");
    assert_eq!(item(&json, "knowledge", "K51"), Some("會議場地分析"), "the item before is untouched");
    for code in ["S20", "S05"] {
        assert_eq!(item(&json, "skills", code), None, "{code} is no skill of this standard");
    }
    // The sample's own K and S read as before: the first task's cells.
    let task = &json["duties"][0]["tasks"][0];
    let knowledge: Vec<&str> = task["knowledge"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(knowledge, ["K01", "K49", "K50", "K08", "K51", "K90", "K91"]);
    let skills: Vec<&str> = task["skills"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(skills, ["S12", "S29", "S07", "S90"]);
}
