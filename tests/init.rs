//! `ocs init` writes a blank workbook in the official layout that `ocs build` reads back as it is;
//! `--template` replaces every label (the English template proves it).

mod common;
use calamine::{Reader, Xlsx};
use common::*;
use std::io::Read;

#[test]
fn init_writes_a_workbook_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = ocs(&["init", "blank.xlsx"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let again = ocs(&["init", "blank.xlsx"], dir.path());
    assert_eq!(again.status.code(), Some(1), "an existing file is not replaced without --force");
    assert!(text(&again.stderr).contains("exists already"));
    assert_eq!(ocs(&["init", "blank.xlsx", "--force"], dir.path()).status.code(), Some(0));

    let path = dir.path().join("blank.xlsx");
    let book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["職能基準", "填寫說明"]);
    let mut sheet = String::new();
    zip::ZipArchive::new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains(r#"<dataValidation type="whole""#) && sheet.contains("<formula1>1</formula1><formula2>6</formula2>"),
        "職能級別 limited to 1–6"
    );

    let built = ocs(&["build", "blank.xlsx", "-o", "out"], dir.path());
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let stderr = text(&built.stderr);
    // The example's rows are not a defect of their own, but left in place they are worth a word.
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning[")).collect();
    assert!(warnings.iter().all(|l| l.contains("warning[example-left]")), "{stderr}");
    assert!(
        stderr.contains("職能基準!C3: warning[example-left]: the header still holds the example of `ocs init` (ABC1234-001"),
        "{stderr}"
    );
    assert!(stderr.contains("warning[example-left]: T1.1 is an example row left from `ocs init`"), "{stderr}");
    assert!(stderr.contains("warning[example-left]: T1.2 is an example row"), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/ABC1234-001/ABC1234-001.json")).unwrap()).unwrap();
    assert_eq!(json, json_of(&ocs::doc::blank::example()), "the example reads back as written");
}

#[test]
fn the_english_template_replaces_every_label() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs(&["build", "in", "-o", "out", "--template", root().join("templates/en.toml").to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    let book: Xlsx<_> = calamine::open_workbook(folder.join("BAS2421-002.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Standard", "Knowledge", "Skills", "Attitudes", "Matrix", "Data", "Checks"]);
    let pdf = std::process::Command::new("pdftotext").arg(folder.join("BAS2421-002.pdf")).arg("-").output().expect("pdftotext");
    let pdf = text(&pdf.stdout);
    for label in ["Performance indicator", "Knowledge (K)", "Page 1 of", "Attitudes (A)", "Standard code"] {
        assert!(pdf.contains(label), "`{label}` missing");
    }
    assert!(!pdf.contains("行為指標") && !pdf.contains("總共"), "no official label is left");
    let bad = std::fs::read_to_string(root().join("templates/en.toml")).unwrap().replace("[workbook]", "[workbook]\nunknown_key = 1");
    std::fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let refused = ocs(&["build", "in", "-o", "out2", "--template", "bad.toml"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("bad.toml: not a valid template"), "{}", text(&refused.stderr));
}
