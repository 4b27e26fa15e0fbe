//! The sample standard as text documents (.odt as iCAP publishes it, .docx as agencies draft it):
//! every variant gives exactly the hand-transcribed JSON, `ocs check` finds the same defects at
//! places a clerk can find (`表2!R7C4`, `段落10`), and hostile documents give one clear error each.
//! The fixtures are made by `tests/fixtures/documents/make.py` (LibreOffice and hand-written Word XML).

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};

const VARIANTS: [&str; 6] = ["one-table.odt", "one-table.docx", "separate.odt", "separate.docx", "word-typed.docx", "word-typed.odt"];

fn document(name: &str) -> PathBuf {
    root().join("tests/fixtures/documents").join(name)
}

#[test]
fn every_document_variant_gives_the_expected_json() {
    let expected = expected_json();
    for name in VARIANTS {
        let standard = only_standard(&document(name));
        let json = json_of(&standard);
        if json != expected {
            let ours = serde_json::to_string_pretty(&json).unwrap();
            let theirs = serde_json::to_string_pretty(&expected).unwrap();
            let first = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b).unwrap_or(0);
            panic!("{name}: JSON differs at line {first}:\n ours: {:?}\n want: {:?}", ours.lines().nth(first), theirs.lines().nth(first));
        }
    }
}

/// `ocs check --format json` on one file: (sheet, cell, rule, message) of each warning.
fn warnings(path: &Path) -> Vec<(String, String, String, String)> {
    let out = ocs(&["check", "--format", "json", path.to_str().unwrap()], &root());
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    let field = |d: &serde_json::Value, k: &str| d[k].as_str().unwrap_or("").to_string();
    all.as_array()
        .expect("a JSON array")
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| (field(d, "sheet"), field(d, "cell"), field(d, "rule"), what(d)))
        .collect()
}

/// A warning's message as its catalogue id and arguments, without the cell it names (the fix says
/// where: `E40` in a workbook, `表1!R40C5` in a document).
fn what(d: &serde_json::Value) -> String {
    let mut args = d["args"].as_object().cloned().unwrap_or_default();
    args.remove("cell");
    args.remove("fix");
    format!("{} {}", d["message_id"].as_str().unwrap_or(""), serde_json::Value::Object(args))
}

#[test]
fn check_reports_the_workbooks_defects_at_the_table_cell_a_clerk_finds() {
    let mut from_workbook: Vec<(String, String)> = warnings(&input("BAS2421-002.xlsx")).into_iter().map(|(_, _, r, m)| (r, m)).collect();
    from_workbook.sort();
    assert!(from_workbook.len() >= 20, "the sample's defects: {from_workbook:?}");
    for name in VARIANTS {
        let found = warnings(&document(name));
        let mut same: Vec<(String, String)> = found.iter().map(|(_, _, r, m)| (r.clone(), m.clone())).collect();
        same.sort();
        assert_eq!(same, from_workbook, "{name}: the same defects as the workbook");
        for (sheet, cell, rule, message) in &found {
            let table_cell = sheet.starts_with('表') && cell.starts_with('R') && cell.contains('C');
            let paragraph = sheet.starts_with("段落") && cell.is_empty();
            assert!(table_cell || paragraph, "{name}: {rule} `{message}` is placed at `{sheet}!{cell}`, not a table cell or paragraph");
        }
    }
    // Counted by hand in the documents: table, row from the top of the table (header row 1), cell
    // from the left; paragraphs outside the tables from the top of the document, blank ones not counted.
    let at = |name: &str, rule: &str, needle: &str| {
        let found = warnings(&document(name));
        let (sheet, cell, _, _) = found
            .into_iter()
            .find(|(_, _, r, m)| r == rule && m.contains(needle))
            .unwrap_or_else(|| panic!("{name}: no {rule} about {needle}"));
        if cell.is_empty() { sheet } else { format!("{sheet}!{cell}") }
    };
    assert_eq!(at("separate.docx", "prefix-mismatch", "P2.2.2"), "表2!R7C4", "T2.1's second row, 行為指標 column");
    assert_eq!(at("separate.odt", "prefix-mismatch", "O4.1.2"), "表2!R30C3", "T5.1, 工作產出 column");
    assert_eq!(at("separate.docx", "duplicate-attitude", "A12"), "段落10", "title, 態度 heading, then A01 … the second A12");
    assert_eq!(at("word-typed.docx", "prefix-mismatch", "O4.4.2"), "表3!R9C3", "the table after the page break, its header typed again");
    assert_eq!(at("word-typed.docx", "duplicate-competency", "K08"), "表2!R6C6", "T2's merged 知識 cell");
    assert_eq!(at("one-table.odt", "missing-level", "T5"), "表1!R40C5", "the 職能級別 cell of T5's first row, where the level goes");
}

#[test]
fn check_prints_the_place_in_text_form() {
    let out = ocs(&["check", document("separate.docx").to_str().unwrap()], &root());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("separate.docx:表2!R7C4: warning[prefix-mismatch]: P2.2.2 is under T2.1"),
        "file:table!cell as the other inputs print file:sheet!cell:\n{stdout}"
    );
    assert!(stdout.contains("separate.docx:段落10: warning[duplicate-attitude]"), "{stdout}");
}

#[test]
fn build_converts_a_document_like_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(document("word-typed.docx"), dir.path().join("in/word-typed.docx")).unwrap();
    std::fs::copy(document("separate.odt"), dir.path().join("in/separate.odt")).unwrap();
    let out = ocs(&["build", "in", "-o", "out", "--only", "json"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("1 standard converted (1 more input was the same standard, written once), 0 failed"),
        "a folder's .odt and .docx are found: {stderr}"
    );
    let check = text(&ocs(&["check", "in"], dir.path()).stdout);
    assert!(check.contains("is identical to the one read from in/separate.odt; written once"), "a document is named by its file: {check}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/BAS2421-002/BAS2421-002.json")).unwrap()).unwrap();
    assert_eq!(json, expected_json());
}

#[test]
fn a_document_named_as_something_else_is_read_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [("separate.docx", "draft.xlsx"), ("separate.odt", "draft.ods")] {
        let path = dir.path().join(to);
        std::fs::copy(document(from), &path).unwrap();
        let workbook = ocs::read::read_file(&path, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(workbook.notes.iter().any(|n| n.rule == "container"), "{to}: the misleading name is reported");
        assert_eq!(json_of(&only_standard(&path)), expected_json(), "{to}");
    }
}

// ---------------------------------------------------------------- hand-made documents

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A .docx whose `word/document.xml` has `body` inside `w:body`.
fn docx(body: &str) -> Vec<u8> {
    let document = format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#);
    zip_files(&[
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec()),
        ("word/document.xml", document.into_bytes()),
    ])
}

/// An .odt whose `content.xml` has `body` inside `office:text`; the mimetype stored first.
fn odt(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("mimetype", stored).unwrap();
    writer.write_all(b"application/vnd.oasis.opendocument.text").unwrap();
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("content.xml", deflated).unwrap();
    writer.write_all(content.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

fn word_cell(text: &str) -> String {
    format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

/// (file name, bytes, what its one error must say)
fn hostile_documents() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let half = |b: Vec<u8>| b[..b.len() / 2].to_vec();
    let bomb = docx(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "a".repeat(40 << 20)));
    let nested_word = docx(&format!("{}{}", "<w:tbl><w:tr><w:tc>".repeat(10_000), "</w:tc></w:tr></w:tbl>".repeat(10_000)));
    let nested_odt = odt(&format!(
        "{}{}",
        "<table:table><table:table-row><table:table-cell>".repeat(10_000),
        "</table:table-cell></table:table-row></table:table>".repeat(10_000)
    ));
    let repeated = odt(
        r#"<table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell><text:p>P1.1.1 x</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let word_rows = docx(&format!("<w:tbl>{}</w:tbl>", format!("<w:tr>{}</w:tr>", word_cell("x")).repeat(60_000)));
    let wide = docx(r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#);
    let spaces = odt(r#"<text:p>主要職責<text:s text:c="4000000000"/></text:p>"#);
    let cut_xml = {
        let whole = format!(r#"<w:tbl><w:tr>{}{}</w:tr></w:tbl>"#, word_cell("主要職責"), word_cell("行為指標"));
        docx(&whole[..whole.len() / 2])
    };
    vec![
        ("bomb.docx", bomb, "a zip bomb?"),
        ("nested.docx", nested_word, "表1!R1C1: error[read]: tables are nested more than 8 deep"),
        ("nested.odt", nested_odt, "表1!R1C1: error[read]: tables are nested more than 8 deep"),
        ("repeated-rows.odt", repeated, "表1!R1C1: error[read]: the cell is beyond the limit of 50000 rows"),
        ("many-rows.docx", word_rows, "表1!R50001C1: error[read]: the cell is beyond the limit of 50000 rows"),
        ("wide.docx", wide, "表1!R1C1: error[read]: the cell is beyond the limit of 50000 rows × 256 columns"),
        ("spaces.odt", spaces, "段落1: error[read]: the cell holds"),
        ("cut-xml.docx", cut_xml, "not a readable docx document"),
        ("truncated.docx", half(std::fs::read(document("separate.docx")).unwrap()), "not a readable docx document"),
        ("truncated.odt", half(std::fs::read(document("separate.odt")).unwrap()), "not a readable odt document"),
        ("no-document.docx", zip_files(&[("word/other.xml", b"<x/>".to_vec())]), "word/document.xml"),
    ]
}

#[test]
fn each_hostile_document_gives_one_clear_error_within_the_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(document("separate.docx"), folder.join("good.docx")).unwrap();
    let files = hostile_documents();
    for (name, bytes, _) in &files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "peak-kb %M"])
        .arg(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", "in", "-o", "out", "--only", "json", "--jobs", "1"])
        .current_dir(dir.path())
        .output()
        .expect("/usr/bin/time (Debian package `time`)");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit 1, not a panic or an abort:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.path().join("out/BAS2421-002/BAS2421-002.json").exists(), "the good document is converted:\n{stderr}");
    for (name, _, message) in &files {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&format!("in/{name}:")) && l.contains("error[")).collect();
        assert_eq!(errors.len(), 1, "{name}: exactly one error line, got {errors:?}\n{stderr}");
        assert!(errors[0].contains(message), "{name}: `{}` should say `{message}`", errors[0]);
    }
    let peak: u64 = stderr.lines().find_map(|l| l.strip_prefix("peak-kb ")).and_then(|k| k.trim().parse().ok()).expect("peak RSS");
    assert!(peak < 1 << 20, "peak RSS {peak} KiB over the whole hostile batch");
}

#[test]
fn a_word_97_document_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.doc");
    // An OLE compound file, as .doc and .xls both are.
    std::fs::copy(input("BAS2421-002.xls"), &path).unwrap();
    let error = ocs::read::read_file(&path, &Default::default()).unwrap_err().to_string();
    assert!(error.ends_with("unsupported file type `.doc` (ocs reads .xlsx, .xlsm, .xls, .ods, .csv, .odt and .docx)"), "{error}");
    assert!(
        !ocs::read::is_input_file(&path) && ocs::read::is_input_file(Path::new("a.DOCX")) && ocs::read::is_input_file(Path::new("a.odt"))
    );
}

/// A zip whose entries are stored, not compressed (fast to make many of).
fn stored_zip(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        writer.start_file(*name, stored).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The entries of a zip, as text.
fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
            (entry.name().expect("entry name").to_string(), String::from_utf8_lossy(&text).into_owned())
        })
        .collect()
}

#[test]
fn damaged_document_xml_never_panics() {
    // Cut the main part at many places, and break tags at many others: every read is an error or a
    // grid, and every grid goes through layout and checks.
    for (name, part) in [("word-typed.docx", "word/document.xml"), ("word-typed.odt", "content.xml")] {
        let files = entries(&std::fs::read(document(name)).unwrap());
        let xml = &files.iter().find(|(n, _)| n == part).unwrap().1;
        let boundaries: Vec<usize> = xml.char_indices().map(|(i, _)| i).collect();
        let step = boundaries.len() / 25;
        let mut damaged = Vec::new();
        for k in 1..25 {
            let at = boundaries[k * step];
            damaged.push(xml[..at].to_string());
            damaged.push(format!("{}<{}", &xml[..at], &xml[at..]));
            damaged.push(format!("{}{}", &xml[..at], &xml[boundaries[(k * step + 7).min(boundaries.len() - 1)]..]));
        }
        for text in damaged {
            let rebuilt: Vec<(&str, Vec<u8>)> = files
                .iter()
                .map(|(n, t)| (n.as_str(), if n == part { text.clone().into_bytes() } else { t.clone().into_bytes() }))
                .collect();
            let bytes = stored_zip(&rebuilt);
            if let Ok(workbook) = ocs::read::read_bytes(name, &bytes, &Default::default()) {
                for grid in &workbook.grids {
                    for laid in ocs::read::form::standards(grid, name).unwrap_or_default() {
                        let _ = ocs::check::check(&laid.standard);
                    }
                }
            }
        }
    }
}

/// A Word paragraph of plain text.
fn wp(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A Word cell: `props` inside `w:tcPr`, one paragraph per line of `text`.
fn wc(props: &str, text: &str) -> String {
    let paragraphs: String = text.split('\n').map(wp).collect();
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

#[test]
fn another_agency_layout_is_read_by_its_labels() {
    // Header block as `label：value` paragraphs, the older column names (工作任務 | 工作活動), a
    // two-row header (職能內涵 over 知識 | 技能) marked to repeat, merged duty and K/S cells, the
    // attitudes in a last table row, notes as a bulleted list.
    let header = [
        format!(
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}{}{}{}</w:tr>",
            wc(r#"<w:vMerge w:val="restart"/>"#, "工作任務"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "工作活動"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "工作產出"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "行為指標"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "職能\n級別"),
            wc(r#"<w:gridSpan w:val="2"/>"#, "職能內涵")
        ),
        format!(
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}{}{}{}{}</w:tr>",
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", ""),
            wc("", "知識"),
            wc("", "技能")
        ),
    ]
    .concat();
    let body = [
        format!(
            "<w:tr>{}{}{}{}{}{}{}</w:tr>",
            wc(r#"<w:vMerge w:val="restart"/>"#, "T1 規劃活動"),
            wc("", "T1.1 擬定計畫"),
            wc("", "O1.1.1 計畫書"),
            wc("", "P1.1.1 依需求擬定計畫\nP1.1.2 提交主管審核"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "3"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "K01 活動企劃\nK02 預算編列"),
            wc(r#"<w:vMerge w:val="restart"/>"#, "S01 溝通協調")
        ),
        format!(
            "<w:tr>{}{}{}{}{}{}{}</w:tr>",
            wc("<w:vMerge/>", ""),
            wc("", "T1.2 估算經費"),
            wc("", ""),
            wc("", "P1.2.1 估算所需經費"),
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", ""),
            wc("<w:vMerge/>", "")
        ),
        format!(
            "<w:tr>{}{}</w:tr>",
            wc(r#"<w:gridSpan w:val="2"/>"#, "職能內涵（A=attitude態度）"),
            wc(r#"<w:gridSpan w:val="5"/>"#, "A01 主動積極\nA02 細心謹慎")
        ),
    ]
    .concat();
    let grid = "<w:tblGrid>".to_string() + &"<w:gridCol w:w=\"1200\"/>".repeat(7) + "</w:tblGrid>";
    let bullet = |text: &str| {
        format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let document = [
        wp("活動企劃人員職能基準"),
        wp("職能基準代碼：MKT2431-001"),
        wp("職能基準名稱（職業）：活動企劃人員"),
        wp("基準級別：3"),
        format!("<w:tbl>{grid}{header}{body}</w:tbl>"),
        wp("說明與補充事項"),
        bullet("建議具備相關經驗"),
        bullet("本基準參考國外資料"),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.docx");
    std::fs::write(&path, docx(&document)).unwrap();
    let json = json_of(&only_standard(&path));
    assert_eq!(json["code"], "MKT2431-001");
    assert_eq!(json["name"], "活動企劃人員");
    assert_eq!(json["level"], 3);
    let task = &json["duties"][0]["tasks"][1];
    assert_eq!((&task["code"], &task["level"]), (&serde_json::json!("T1.2"), &serde_json::json!(3)), "the merged level reaches T1.2");
    assert_eq!(task["knowledge"], serde_json::json!(["K01", "K02"]));
    assert_eq!(task["skills"], serde_json::json!(["S01"]));
    assert_eq!(json["duties"][0]["tasks"][0]["rows"][0]["indicators"][1]["code"], "P1.1.2");
    assert_eq!(json["attitudes"], serde_json::json!([{"code": "A01", "name": "主動積極"}, {"code": "A02", "name": "細心謹慎"}]));
    assert_eq!(json["notes"], serde_json::json!(["建議具備相關經驗", "本基準參考國外資料"]));
}

#[test]
fn our_own_odt_reads_back_to_the_identical_standard() {
    // CODE.odt as `ocs build` writes it: the header block and the main table as tables, the
    // attitudes and notes after them; read back, the sample and the sample after --fix survive.
    let template = ocs::template::Template::official();
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let (fixed, _) = ocs::check::fix(&standard);
    let dir = tempfile::tempdir().unwrap();
    for (name, standard) in [("BAS2421-002.odt", &standard), ("fixed.odt", &fixed)] {
        let bytes =
            ocs::render::odt::text(&ocs::doc::form::document(standard, &template), &template, &ocs::text::Font::embedded()).unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        assert!(json_of(&only_standard(&path)) == json_of(standard), "{name}: our .odt read back differs");
    }
    assert_eq!(json_of(&standard), expected_json());
}

// ---------------------------------------------------------------- any table, both formats

/// A table to write: cell texts (lines) by position, and merged rectangles (row, col, rows, cols).
#[derive(Debug, Clone)]
struct Layout {
    rows: usize,
    cols: usize,
    texts: Vec<Vec<Vec<String>>>,
    merges: Vec<(usize, usize, usize, usize)>,
}

impl Layout {
    /// The merge whose rectangle holds a position, if any.
    fn merge_at(&self, r: usize, c: usize) -> Option<(usize, usize, usize, usize)> {
        self.merges.iter().copied().find(|&(mr, mc, h, w)| (mr..mr + h).contains(&r) && (mc..mc + w).contains(&c))
    }

    /// As Word writes it: `gridSpan` for widths, `vMerge` restart/continue for heights.
    fn docx(&self) -> String {
        let mut rows = String::new();
        for r in 0..self.rows {
            rows.push_str("<w:tr>");
            let mut c = 0;
            while c < self.cols {
                let (span, continues, restart) = match self.merge_at(r, c) {
                    Some((mr, _, h, w)) => (w, mr < r, mr == r && h > 1),
                    None => (1, false, false),
                };
                let mut props = format!(r#"<w:gridSpan w:val="{span}"/>"#);
                if continues {
                    props.push_str("<w:vMerge/>");
                } else if restart {
                    props.push_str(r#"<w:vMerge w:val="restart"/>"#);
                }
                let text = if continues { String::new() } else { self.texts[r][c].join("\n") };
                rows.push_str(&wc(&props, &text));
                c += span;
            }
            rows.push_str("</w:tr>");
        }
        format!("<w:tbl>{rows}</w:tbl>")
    }

    /// As Writer writes it: spans on the first cell, a covered cell in every other position.
    fn odt(&self) -> String {
        let mut rows = String::new();
        for r in 0..self.rows {
            rows.push_str("<table:table-row>");
            for c in 0..self.cols {
                match self.merge_at(r, c) {
                    Some((mr, mc, h, w)) if (mr, mc) == (r, c) => {
                        let paragraphs: String = self.texts[r][c].iter().map(|l| format!("<text:p>{l}</text:p>")).collect();
                        rows.push_str(&format!(
                            r#"<table:table-cell table:number-rows-spanned="{h}" table:number-columns-spanned="{w}">{paragraphs}</table:table-cell>"#
                        ));
                    }
                    Some(_) => rows.push_str("<table:covered-table-cell/>"),
                    None => {
                        let paragraphs: String = self.texts[r][c].iter().map(|l| format!("<text:p>{l}</text:p>")).collect();
                        rows.push_str(&format!("<table:table-cell>{paragraphs}</table:table-cell>"));
                    }
                }
            }
            rows.push_str("</table:table-row>");
        }
        format!("<table:table>{rows}</table:table>")
    }
}

fn layouts() -> impl proptest::strategy::Strategy<Value = Layout> {
    use proptest::prelude::*;
    let word = prop::sample::select(vec!["T1", "協助", "企劃", "K01", "會展 概論", "P1.1.1", "x&amp;y", "職能\u{3000}級別"]);
    let line = prop::collection::vec(word, 1..3).prop_map(|w| w.join(" "));
    let cell = prop::collection::vec(line, 0..3);
    (1usize..7, 1usize..6)
        .prop_flat_map(move |(rows, cols)| {
            let texts = prop::collection::vec(prop::collection::vec(cell.clone(), cols), rows);
            let spans = prop::collection::vec((1usize..4, 1usize..4), rows * cols);
            (Just(rows), Just(cols), texts, spans)
        })
        .prop_map(|(rows, cols, texts, spans)| {
            // Merges placed left to right, top to bottom, each clipped to the positions still free.
            let mut taken = vec![vec![false; cols]; rows];
            let mut merges = Vec::new();
            for r in 0..rows {
                for c in 0..cols {
                    if taken[r][c] {
                        continue;
                    }
                    let (mut h, mut w) = spans[r * cols + c];
                    h = h.min(rows - r);
                    w = (1..=w.min(cols - c)).take_while(|&k| !taken[r][c + k - 1]).last().unwrap_or(1);
                    while h > 1 && (c..c + w).any(|k| taken[r + h - 1][k]) {
                        h -= 1;
                    }
                    for row in taken.iter_mut().skip(r).take(h) {
                        row[c..c + w].fill(true);
                    }
                    if h > 1 || w > 1 {
                        merges.push((r, c, h, w));
                    }
                }
            }
            Layout { rows, cols, texts, merges }
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    #[test]
    fn any_table_reads_the_same_from_word_and_writer(layout in layouts()) {
        let docx_bytes = docx(&format!("{}{}", wp("before"), layout.docx()));
        let odt_bytes = odt(&format!("<text:p>before</text:p>{}", layout.odt()));
        for (ext, bytes) in [("docx", docx_bytes), ("odt", odt_bytes)] {
            let workbook = ocs::read::read_bytes(&format!("t.{ext}"), &bytes, &Default::default()).unwrap_or_else(|e| panic!("{ext}: {e}"));
            let grid = &workbook.grids[0];
            proptest::prop_assert_eq!(grid.text(0, 0), "before");
            let places = grid.places.as_ref().unwrap();
            // A grid keeps rows up to the last with text, and merges clipped to that area.
            let filled = |r: usize, c: usize| !layout.texts[r][c].is_empty() && layout.merge_at(r, c).is_none_or(|(mr, mc, _, _)| (mr, mc) == (r, c));
            let height = (0..layout.rows).filter(|&r| (0..layout.cols).any(|c| filled(r, c))).map(|r| r + 1).max().unwrap_or(0);
            let width = (0..layout.rows).flat_map(|r| (0..layout.cols).filter(move |&c| filled(r, c))).map(|c| c + 1).max().unwrap_or(1);
            let clipped = |m: Option<(usize, usize, usize, usize)>| {
                m.filter(|&(mr, mc, _, _)| mr < height && mc < width).map(|(mr, mc, h, w)| (mr, mc, h.min(height - mr), w.min(width - mc)))
            };
            for r in 0..layout.rows {
                // Visible cells of the row: a merge counts once, where it starts in this row.
                let mut ordinal = 0;
                for c in 0..layout.cols {
                    let merge = layout.merge_at(r, c);
                    let (row, col) = ((r + 1) as u32, c as u32);
                    if merge.is_none_or(|(_, mc, _, _)| mc == c) {
                        ordinal += 1;
                    }
                    let expected = match merge {
                        Some((mr, mc, _, _)) if (mr, mc) != (r, c) => String::new(),
                        _ => layout.texts[r][c].join("\n").replace("&amp;", "&"),
                    };
                    proptest::prop_assert_eq!(grid.text(row, col), expected.as_str(), "{} text at R{}C{}", ext, r + 1, c + 1);
                    let found = grid.merge_at(row, col).map(|m| (m.first.row as usize - 1, m.first.col as usize, m.last.row as usize - m.first.row as usize + 1, m.last.col as usize - m.first.col as usize + 1));
                    let inside = r < height && c < width;
                    proptest::prop_assert_eq!(found, clipped(merge).filter(|_| inside), "{} merge at R{}C{}", ext, r + 1, c + 1);
                    let name = places.name(ocs::model::Cell { row, col });
                    proptest::prop_assert_eq!(name, Some(("表1".to_string(), Some(format!("R{}C{}", r + 1, ordinal)))));
                }
            }
        }
    }
}

#[test]
fn the_fixture_generator_still_makes_the_committed_documents() {
    // make.py (LibreOffice saves four of the six) run afresh: each file gives the expected JSON, and
    // the Word-typed one, written by the script itself, has exactly the committed parts.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/fixtures/documents/make.py"))
        .arg(dir.path())
        .output()
        .expect("python3");
    assert!(out.status.success(), "make.py: {}", text(&out.stderr));
    for name in VARIANTS {
        let made = dir.path().join(name);
        assert_eq!(json_of(&only_standard(&made)), expected_json(), "{name} as make.py makes it now");
    }
    let parts = |path: &Path| entries(&std::fs::read(path).unwrap());
    assert!(
        parts(&dir.path().join("word-typed.docx")) == parts(&document("word-typed.docx")),
        "word-typed.docx differs from what make.py writes"
    );
}

#[test]
fn a_small_table_in_a_documents_notes_is_one_note_a_row() {
    // The notes in a table cell as iCAP prints them: bullets, a table nested in the cell (related
    // occupations and their codes), and a line typed with tabs; each row is one note, tab-joined.
    let row = |cells: &[&str]| format!("<w:tr>{}</w:tr>", cells.iter().map(|c| wc("", c)).collect::<String>());
    let nested =
        format!("<w:tbl>{}{}</w:tbl>", row(&["職業名稱", "代碼", "說明"]), row(&["會議及展覽規劃人員", "3332", "規劃會議\n與展覽"]));
    let tabbed = "<w:p><w:r><w:t>行政秘書</w:t><w:tab/><w:t>3343</w:t><w:tab/><w:tab/><w:t>處理庶務</w:t></w:r></w:p>";
    let notes_cell =
        format!(r#"<w:tc><w:tcPr><w:gridSpan w:val="7"/></w:tcPr>{}{}{nested}{tabbed}</w:tc>"#, wp("● 相關職業"), wp("○ 以下為參考。"));
    let main = [
        row(&["主要職責", "工作任務", "工作產出", "行為指標", "職能級別", "職能內涵(K=knowledge 知識)", "職能內涵(S=skills 技能)"]),
        row(&["T1 規劃活動", "T1.1 擬定計畫", "O1.1.1 計畫書", "P1.1.1 依需求擬定計畫", "3", "K01 活動企劃", "S01 溝通協調"]),
        format!("<w:tr>{}</w:tr>", wc(r#"<w:gridSpan w:val="7"/>"#, "說明與補充事項")),
        format!("<w:tr>{notes_cell}</w:tr>"),
    ]
    .concat();
    let document = [wp("職能基準代碼：MKT2431-001"), format!("<w:tbl>{main}</w:tbl>")].concat();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.docx");
    std::fs::write(&path, docx(&document)).unwrap();
    let standard = only_standard(&path);
    assert_eq!(
        standard.notes,
        ["相關職業", "以下為參考。", "職業名稱\t代碼\t說明", "會議及展覽規劃人員\t3332\t規劃會議 與展覽", "行政秘書\t3343\t處理庶務"]
    );
    assert_eq!(ocs::doc::notes::levels(&standard.notes, &standard.source.note_levels), [1, 2, 0, 0, 0]);
}
