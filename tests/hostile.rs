//! Hostile and broken inputs, made by the test itself: each gives one clear error naming the file
//! (and sheet and cell where it applies), never a panic or an abort, and the good file in the same
//! batch is still converted.

mod common;
use common::*;
use std::path::Path;

/// Deterministic bytes that look like nothing.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn sample_bytes(name: &str) -> Vec<u8> {
    std::fs::read(input(name)).unwrap()
}

/// (file name, bytes, text the error must contain)
fn hostile_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let xfd = xlsx(&[("A1", "職能基準代碼"), ("XFD1048576", "boom")], &[]);
    let bomb_text = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "a".repeat(20 << 20)
    );
    let bomb = xlsx(&[("A1", "x")], &[("xl/sharedStrings.xml", bomb_text.into_bytes())]);
    let half = |b: Vec<u8>| b[..b.len() / 2].to_vec();
    let mut unknown = "職能基準代碼,".as_bytes().to_vec();
    unknown.extend([0xFF, 0xFF, 0x81, 0x20, b'\n']);
    let long_cell = format!("職能基準代碼,{}\n", "長".repeat(4 << 20));
    let many_rows: String = (0..100_000).map(|i| format!("P{i},x\n")).collect();
    let sheet_bomb = xlsx(&[("A1", &"a".repeat(20 << 20))], &[]);
    let nested = xlsx_with_sheet_data(&format!("{}{}", "<x>".repeat(100_000), "</x>".repeat(100_000)));
    let rows: String = (1..=100_001).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>"#)).collect();
    let many_xlsx_rows = xlsx_with_sheet_data(&rows);
    let mut mixed = "職能基準代碼,BAS2421-002\n工作任務,".as_bytes().to_vec();
    mixed.extend(encoding_rs::BIG5.encode("執行議事組工作").0.iter());
    vec![
        ("xfd.xlsx", xfd, "XFD1048576: error[read]: the cell is beyond the limit"),
        ("sheet-bomb.xlsx", sheet_bomb, "a zip bomb?"),
        ("nested.xlsx", nested, "no sheet holds a competency table"),
        ("many-rows.xlsx", many_xlsx_rows, "A50001: error[read]: the cell is beyond the limit of 50000 rows"),
        ("mixed-encodings.csv", mixed, "neither UTF-8, UTF-16 with BOM nor Big5"),
        (
            "NOI0001-001.csv",
            "主要職責,工作任務,工作產出,行為指標\nT1 職責,T1.1 任務,O1.1.1 產出,\n".as_bytes().to_vec(),
            "error[no-indicators]",
        ),
        ("bomb.xlsx", bomb, "a zip bomb?"),
        ("truncated.xlsx", half(sample_bytes("BAS2421-002.xlsx")), "not a readable"),
        ("truncated.xls", half(sample_bytes("BAS2421-002.xls")), "not a readable xls workbook"),
        ("truncated.ods", half(sample_bytes("BAS2421-002.ods")), "not a readable"),
        ("random.xlsx", noise(5000), "not a readable xlsx workbook"),
        ("random.csv", noise(5000), "neither UTF-8"),
        ("empty.xlsx", Vec::new(), "the file is empty"),
        ("empty.csv", Vec::new(), "the file is empty"),
        ("unknown-encoding.csv", unknown, "neither UTF-8, UTF-16 with BOM nor Big5"),
        ("nul.csv", b"a,b\nc\0,d\n".to_vec(), "NUL character on line 2"),
        ("long-cell.csv", long_cell.into_bytes(), "B1: error[read]: the cell holds"),
        ("many-rows.csv", many_rows.into_bytes(), "beyond the limit of 50000 rows"),
        ("no-table.csv", "職能基準代碼,BAS2421-002\n這不是表格\n".as_bytes().to_vec(), "no sheet holds a competency table"),
    ]
}

#[test]
fn each_hostile_file_stays_under_a_gigabyte() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, _) in hostile_files() {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = std::process::Command::new("/usr/bin/time")
            .args(["-f", "peak-kb %M"])
            .arg(env!("CARGO_BIN_EXE_ocs"))
            .args(["build", path.to_str().unwrap(), "-o", dir.path().join("out").to_str().unwrap()])
            .output()
            .expect("/usr/bin/time (Debian package `time`)");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: exit 1\n{stderr}");
        let peak: u64 = stderr.lines().find_map(|l| l.strip_prefix("peak-kb ")).and_then(|k| k.trim().parse().ok()).expect("peak RSS");
        assert!(peak < 1 << 20, "{name}: peak RSS {peak} KiB");
    }
}

fn write_batch(dir: &Path, files: &[(&str, Vec<u8>, &str)]) {
    let folder = dir.join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), folder.join("good.xlsx")).unwrap();
    for (name, bytes, _) in files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
}

#[test]
fn each_hostile_file_gives_one_clear_error_and_the_good_one_converts() {
    let dir = tempfile::tempdir().unwrap();
    let files = hostile_files();
    write_batch(dir.path(), &files);
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit 1, not a panic (101) or an abort (134):\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.path().join("out/BAS2421-002/BAS2421-002.json").exists(), "the good file is converted:\n{stderr}");
    for (name, _, message) in &files {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&format!("in/{name}:")) && l.contains(": error[")).collect();
        assert_eq!(errors.len(), 1, "{name}: exactly one error line, got {errors:?}\n{stderr}");
        assert!(errors[0].contains(message), "{name}: `{}` should say `{message}`", errors[0]);
    }
    let names: Vec<String> =
        std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["BAS2421-002", "report.html", "report.json"], "nothing else is written");
}

#[test]
fn a_raised_limit_lets_a_large_file_through() {
    let dir = tempfile::tempdir().unwrap();
    let many_rows: String =
        std::iter::once("職能基準代碼,BAS2421-002\n".to_string()).chain((0..60_000).map(|_| "\n".to_string())).collect();
    std::fs::write(dir.path().join("rows.csv"), format!("{many_rows}x,y\n")).unwrap();
    let refused = ocs(&["check", "rows.csv"], dir.path());
    assert!(text(&refused.stdout).contains("beyond the limit of 50000 rows"), "{}", text(&refused.stdout));
    let allowed = ocs(&["check", "rows.csv", "--max-rows", "70000"], dir.path());
    assert!(text(&allowed.stdout).contains("no sheet holds a competency table"), "{}", text(&allowed.stdout));
}

#[test]
fn a_container_named_wrongly_is_read_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("BAS2421-002.csv"), sample_bytes("BAS2421-002.xlsx")).unwrap();
    std::fs::write(dir.path().join("other.xlsx"), sample_bytes("BAS2421-002.flat.csv")).unwrap();
    for name in ["BAS2421-002.csv", "other.xlsx"] {
        let out = ocs(&["check", name], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        assert!(text(&out.stdout).contains("warning[container]"), "{}", text(&out.stdout));
    }
}

#[test]
fn a_code_that_would_escape_the_output_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from_utf8(sample_bytes("BAS2421-002.flat.csv")).unwrap();
    csv = csv.replacen("職能基準代碼,BAS2421-002", "職能基準代碼,../../etc/passwd", 1);
    std::fs::write(dir.path().join("evil.csv"), &csv).unwrap();
    std::fs::write(dir.path().join("ctrl.csv"), csv.replacen("../../etc/passwd", "BAS2421\u{7}-002", 1)).unwrap();
    let out = ocs(&["build", "evil.csv", "ctrl.csv", "-o", "out"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.matches("error[unsafe-code]").count(), 2, "{stderr}");
    let mut written: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    written.sort();
    assert_eq!(written, ["report.html", "report.json"], "only the run's report");
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn formula_like_cells_are_text_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap();
    let evil = csv
        .replace("專案大綱", "=cmd|' /C calc'!A0")
        .replace("P1.1.3 蒐集產業相關資訊", "P1.1.3 @SUM(1)")
        .replace("A01 壓力容忍", "A01 +1-1");
    std::fs::write(dir.path().join("BAS2421-002.csv"), evil).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    let json = std::fs::read_to_string(folder.join("BAS2421-002.json")).unwrap();
    assert!(json.contains(r#""title": "=cmd|' /C calc'!A0""#) && json.contains("@SUM(1)"), "kept as text in the JSON");
    let csv = std::fs::read_to_string(folder.join("BAS2421-002.csv")).unwrap();
    assert!(csv.contains("'@SUM(1)") || csv.contains("O1.1.1 =cmd"), "no CSV field starts with a formula character");
    for workbook in ["BAS2421-002.xlsx", "BAS2421-002-checklist.xlsx"] {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(folder.join(workbook)).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let mut content = String::new();
            use std::io::Read;
            let _ = entry.read_to_string(&mut content);
            assert!(!content.contains("<f>") && !content.contains("<f "), "{workbook}: entry {i} has a formula");
        }
    }
    let pdf = std::process::Command::new("pdftotext").arg(folder.join("BAS2421-002.pdf")).arg("-").output().unwrap();
    let pdf: String = text(&pdf.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(pdf.contains("@SUM(1)") && pdf.contains("=cmd|'/C"), "printed as text");
}

#[test]
fn levels_out_of_range_or_as_words() {
    let dir = tempfile::tempdir().unwrap();
    let csv = String::from_utf8(sample_bytes("BAS2421-002.flat.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let first_t1 = lines.iter().position(|l| l.starts_with("T1 ")).unwrap();
    let first_t2 = lines.iter().position(|l| l.starts_with("T2 ")).unwrap();
    let first_t4 = lines.iter().position(|l| l.starts_with("T4 ")).unwrap();
    lines[first_t1] = lines[first_t1].replacen(",4,", ",0,", 1);
    lines[first_t2] = lines[first_t2].replacen(",4,", ",7,", 1);
    lines[first_t4] = lines[first_t4].replacen(",4,", ",四,", 1);
    std::fs::write(dir.path().join("levels.csv"), lines.join("\n")).unwrap();
    let stdout = text(&ocs(&["check", "levels.csv"], dir.path()).stdout);
    assert!(stdout.contains("warning[level-range]: 職能級別 0 of T1.1 is outside 1–6"), "{stdout}");
    assert!(stdout.contains("warning[level-range]: 職能級別 7 of T2.1 is outside 1–6"), "{stdout}");
    assert!(!stdout.contains("T4.1 is outside"), "四 reads as 4:\n{stdout}");
}

/// Inputs the fuzzer found (`fuzz/`), kept: each must give one clear error, never a panic.
#[test]
fn inputs_found_by_fuzzing_give_one_clear_error() {
    let folder = root().join("tests/fixtures/fuzz");
    let mut names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    assert!(!names.is_empty());
    for path in names {
        let out = ocs(&["check", path.to_str().unwrap()], &root());
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stdout}{stderr}", path.display());
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        assert_eq!(stdout.lines().filter(|l| l.contains(": error[")).count(), 1, "{}: {stdout}", path.display());
    }
}
