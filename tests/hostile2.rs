//! Robustness II (issue 10): attacks that are tiny or ordinary files, each generated here. Every one
//! must give one clear error naming its file (and sheet and cell where it applies), exit 1, leave
//! the good files of the same run converted byte for byte as in a clean run, touch nothing outside
//! OUT and leave no temporary file. The memory attacks run under a 2 GiB address-space cap.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Run `ocs` with its address space capped at 2 GiB (`ulimit -v`), as a memory-starved machine would.
fn ocs_capped(args: &[&str], dir: &Path) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_ocs"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run ocs under sh")
}

/// A minimal OpenDocument spreadsheet: one table whose rows are given as XML.
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    use std::io::Write;
    writer.start_file("mimetype", stored).unwrap();
    writer.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    writer.start_file("content.xml", deflated).unwrap();
    writer.write_all(content.as_bytes()).unwrap();
    writer.start_file("META-INF/manifest.xml", deflated).unwrap();
    writer.write_all(manifest.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

/// A BIFF8 record.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_le_bytes().to_vec();
    bytes.extend((data.len() as u16).to_le_bytes());
    bytes.extend(data);
    bytes
}

/// A minimal Excel 97 workbook: one sheet per entry, each with number cells at (row, column) and a
/// DIMENSIONS record covering them.
fn xls(sheets: &[&[(u16, u16)]]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut data = vec![0x00, 0x06];
        data.extend(kind.to_le_bytes());
        data.extend([0u8; 12]);
        record(0x0809, &data)
    };
    let mut substreams = Vec::new();
    for cells in sheets {
        let mut sheet = bof(0x0010);
        let rows = cells.iter().map(|c| u32::from(c.0)).max().unwrap_or(0) + 1;
        let cols = cells.iter().map(|c| c.1).max().unwrap_or(0) + 1;
        let mut dimensions = 0u32.to_le_bytes().to_vec();
        dimensions.extend(rows.to_le_bytes());
        dimensions.extend(0u16.to_le_bytes());
        dimensions.extend(cols.to_le_bytes());
        dimensions.extend(0u16.to_le_bytes());
        sheet.extend(record(0x0200, &dimensions));
        for &(row, col) in *cells {
            let mut number = row.to_le_bytes().to_vec();
            number.extend(col.to_le_bytes());
            number.extend(0u16.to_le_bytes());
            number.extend(1.0f64.to_le_bytes());
            sheet.extend(record(0x0203, &number));
        }
        sheet.extend(record(0x000A, &[]));
        substreams.push(sheet);
    }
    let names: Vec<String> = (1..=sheets.len()).map(|n| format!("S{n}")).collect();
    let bound = |offset: u32, name: &str| {
        let mut data = offset.to_le_bytes().to_vec();
        data.extend([0, 0, name.len() as u8, 0]);
        data.extend(name.as_bytes());
        record(0x0085, &data)
    };
    let globals_len = bof(0x0005).len()
        + record(0x0042, &1200u16.to_le_bytes()).len()
        + names.iter().map(|n| bound(0, n).len()).sum::<usize>()
        + record(0x000A, &[]).len();
    let mut stream = bof(0x0005);
    stream.extend(record(0x0042, &1200u16.to_le_bytes()));
    let mut offset = globals_len;
    for (name, sheet) in names.iter().zip(&substreams) {
        stream.extend(bound(offset as u32, name));
        offset += sheet.len();
    }
    stream.extend(record(0x000A, &[]));
    for sheet in substreams {
        stream.extend(sheet);
    }
    let mut container = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    {
        use std::io::Write;
        let mut workbook = container.create_stream("/Workbook").unwrap();
        workbook.write_all(&stream).unwrap();
    }
    container.flush().unwrap();
    container.into_inner().into_inner()
}

#[test]
fn generated_xls_reads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.xls"), xls(&[&[(0, 0), (3, 2)], &[(1, 1)]])).unwrap();
    let out = ocs(&["check", "small.xls"], dir.path());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("no sheet holds a competency table"), "{stdout}{}", text(&out.stderr));
}

/// A minimal xlsx whose one sheet has `sheet_data` and the merged ranges `merges` (as `A1:B2`),
/// stored without compression (so that no zip-bomb check stops it first).
fn xlsx_with_merges(sheet_data: &str, merges: impl Iterator<Item = String>) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    sheet.push_str(sheet_data);
    sheet.push_str("</sheetData><mergeCells>");
    for merge in merges {
        sheet.push_str(&format!(r#"<mergeCell ref="{merge}"/>"#));
    }
    sheet.push_str("</mergeCells></worksheet>");
    let template = xlsx(&[], &[]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(template)).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    use std::io::{Read, Write};
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        writer.start_file(name.as_str(), stored).unwrap();
        writer.write_all(if name == "xl/worksheets/sheet1.xml" { sheet.as_bytes() } else { &bytes }).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn inline(reference: &str, value: &str) -> String {
    let row: String = reference.chars().filter(char::is_ascii_digit).collect();
    format!(r#"<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c></row>"#)
}

/// The sample's outputs from a clean run of `input_name` alone.
fn clean_outputs(input_name: &str) -> BTreeMap<String, Vec<u8>> {
    let (_dir, folder) = build_sample(input_name, &[]);
    files_under(&folder)
}

/// Every entry under `root` whose name starts with a dot: temporaries would.
fn hidden_entries(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with('.') {
            found.push(entry.path().display().to_string());
        }
    }
    found
}

/// Run a batch of `good.xlsx` (the sample) and hostile files (name, bytes, text the one error must
/// contain) under the memory cap; check the outcome the issue asks for.
fn batch_under_cap(files: &[(&str, Vec<u8>, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), folder.join("good.xlsx")).unwrap();
    for (name, bytes, _) in files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let out = ocs_capped(&["build", "in", "-o", "out"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit 1, not an abort (134):\n{stderr}");
    for (name, _, message) in files {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&format!("in/{name}")) && l.contains(": error[")).collect();
        assert_eq!(errors.len(), 1, "{name}: one error line, got {errors:?}\n{stderr}");
        assert!(errors[0].contains(message), "{name}: `{}` should say `{message}`", errors[0]);
    }
    assert_eq!(files_under(&dir.path().join("out/BAS2421-002")), clean_outputs("BAS2421-002.xlsx"), "the good file as in a clean run");
    let mut top: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    top.sort();
    assert_eq!(top, ["in", "out"], "nothing outside OUT");
    assert!(hidden_entries(&dir.path().join("out")).is_empty(), "no temporaries left");
    assert!(dir.path().join("out/report.json").is_file());
}

#[test]
fn memory_attacks_fail_alone_under_a_two_gigabyte_cap() {
    let cells = r#"<table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
    let repeated_rows = ods(&format!(r#"<table:table-row table:number-rows-repeated="1000000">{cells}</table:table-row>"#));
    let wide_rows = ods(
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="200" table:style-name="x"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    let text_only = ods(
        r#"<table:table-row table:number-rows-repeated="40000"><table:table-cell table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell></table:table-row>"#,
    );
    // One range over the whole used area, a million times: stored once per spanned column.
    let content = format!("{}{}", inline("A1", "x"), inline("CV50000", "y"));
    let merges = xlsx_with_merges(&content, (0..1_000_000).map(|n| format!("A{}:CV{}", n % 49_000 + 1, n % 49_000 + 2)));
    let reversed = xlsx_with_merges(&inline("A1", "職能基準代碼"), std::iter::once("G30:E29".to_string()));
    let far = [(0u16, 0u16), (65_535, 255)];
    let xls_far = xls(&[&far, &far, &far, &far, &far]);
    let wide = [(0u16, 0u16), (39_999, 255)];
    let xls_wide = xls(&[&wide, &wide, &wide, &wide, &wide]);
    batch_under_cap(&[
        ("repeated-rows.ods", repeated_rows, "S!CV1000000: error[read]: the cell is beyond the limit of 50000 rows"),
        ("wide-rows.ods", wide_rows, "beyond the limit of 50000 rows"),
        ("text-only.ods", text_only, "over 2000000 non-empty cells"),
        ("merges.xlsx", merges, "merged ranges covering over 2000000 cells"),
        ("reversed-merge.xlsx", reversed, "Sheet1!G30: error[read]: the merged range G30:E29 is malformed"),
        ("far.xls", xls_far, "S1!IV65536: error[read]: the cell is beyond the limit"),
        ("wide.xls", xls_wide, "used ranges span 102400000 cells"),
    ]);
}

/// The sample as a grid CSV (UTF-8 with BOM) with another 職能基準代碼.
fn sample_with_code(code: &str) -> String {
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    csv.replacen("BAS2421-002", code, 1)
}

#[test]
fn a_cell_taller_than_a_page_is_split_and_every_line_printed() {
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    let mut rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let task = rows.iter_mut().find(|r| r.get(1).is_some_and(|t| t.starts_with("T1.1 "))).unwrap();
    task[5] = (1..=120).map(|n| format!("K{n:02} 知識{n}")).collect::<Vec<_>>().join("\n");
    task[6] = (1..=120).map(|n| format!("S{n:02} 技能{n}")).collect::<Vec<_>>().join("\n");
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("BAS2421-002.csv"), writer.into_inner().unwrap()).unwrap();
    let out = ocs_capped(&["build", "BAS2421-002.csv", "-o", "out", "--only", "pdf"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pdf = dir.path().join("out/BAS2421-002/BAS2421-002.pdf");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: usize = text(&info.stdout).lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages < 30, "{pages} pages");
    let printed: String =
        text(&Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap().stdout).chars().filter(|c| !c.is_whitespace()).collect();
    for n in 1..=120 {
        assert!(printed.contains(&format!("K{n:02}知識")) && printed.contains(&format!("S{n:02}技能")), "K/S {n} printed");
    }
}

#[test]
fn template_values_out_of_range_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let official = std::fs::read_to_string(root().join("templates/official.toml")).unwrap();
    for (name, from, to, message) in [
        ("padding.toml", "padding_pt = 4", "padding_pt = 100", "table.padding_pt must be between 0 and 20"),
        ("nan.toml", "width_mm = 210", "width_mm = nan", "page.width_mm must be between 50 and 1200"),
        (
            "continued.toml",
            "continued = \"（續）\"",
            &format!("continued = \"{}\"", "續".repeat(3000)),
            "labels.continued is 3000 characters",
        ),
    ] {
        assert!(official.contains(from));
        std::fs::write(dir.path().join(name), official.replacen(from, to, 1)).unwrap();
        let out = ocs(&["build", input("BAS2421-002.csv").to_str().unwrap(), "--template", name, "-o", "out"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(message), "{name}: {}", text(&out.stderr));
    }
}

#[test]
fn outputs_are_never_read_back_as_inputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), dir.path().join("data/BAS2421-002.xlsx")).unwrap();
    let first = ocs(&["build", ".", "-o", "build"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let before = files_under(&dir.path().join("build/BAS2421-002"));
    // An earlier output folder under another name is not read either, nor a copied checklist.
    copy_folder(&dir.path().join("build"), &dir.path().join("old-build"));
    std::fs::copy(dir.path().join("build/BAS2421-002/BAS2421-002-checklist.xlsx"), dir.path().join("data/BAS2421-002-checklist.xlsx"))
        .unwrap();
    let second = ocs(&["build", ".", "-o", "build"], dir.path());
    let stderr = text(&second.stderr);
    assert_eq!(second.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("duplicate-standard"), "{stderr}");
    assert!(stderr.contains("1 standard converted"), "{stderr}");
    assert_eq!(files_under(&dir.path().join("build/BAS2421-002")), before);
    // Its own official workbook and CSV are still inputs when named.
    let round_trip = ocs(&["check", "build/BAS2421-002/BAS2421-002.xlsx", "build/BAS2421-002/BAS2421-002.csv"], dir.path());
    assert_eq!(round_trip.status.code(), Some(0), "{}", text(&round_trip.stdout));
}

fn copy_folder(from: &Path, to: &Path) {
    for (name, bytes) in files_under(from) {
        let path = to.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn planted_symlinks_in_the_output_folder_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("BAS2421-002.json"), b"precious").unwrap();
    std::fs::write(victim.join("report"), b"precious").unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("out/BAS2421-002")).unwrap();
    std::os::unix::fs::symlink(victim.join("report"), dir.path().join("out/report.json")).unwrap();
    let out = ocs(&["build", input("BAS2421-002.csv").to_str().unwrap(), "-o", "out", "--only", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(victim.join("BAS2421-002.json")).unwrap(), b"precious");
    assert_eq!(std::fs::read(victim.join("report")).unwrap(), b"precious");
    assert!(std::fs::symlink_metadata(dir.path().join("out/BAS2421-002")).unwrap().is_dir());
}

/// Six standards, in a version `tag` (a different 工作描述 each time).
fn six_standards(folder: &Path, tag: &str) {
    std::fs::create_dir_all(folder).unwrap();
    for n in 1..=6 {
        let csv = sample_with_code(&format!("BAS2421-10{n}")).replacen("在專案執行過程中", &format!("{tag}在專案執行過程中"), 1);
        std::fs::write(folder.join(format!("s{n}.csv")), csv).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_point_leaves_each_standard_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    six_standards(&a, "甲");
    six_standards(&b, "乙");
    let only = ["--only", "json,csv,pdf"];
    let build = |input: &Path, out: &str| {
        let output = ocs(&[&["build", input.to_str().unwrap(), "-o", out], &only[..]].concat(), dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        (1..=6).map(|n| files_under(&dir.path().join(out).join(format!("BAS2421-10{n}")))).collect::<Vec<_>>()
    };
    let version_a = build(&a, "ref-a");
    let version_b = build(&b, "ref-b");
    build(&a, "out");
    for delay_ms in [100, 300, 700, 1200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ocs"))
            .args([&["build", b.to_str().unwrap(), "-o", "out"], &only[..]].concat())
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for n in 1..=6 {
            let folder = dir.path().join(format!("out/BAS2421-10{n}"));
            if let Ok(meta) = std::fs::symlink_metadata(&folder) {
                assert!(meta.is_dir());
                let files = files_under(&folder);
                assert!(files == version_a[n - 1] || files == version_b[n - 1], "killed after {delay_ms} ms: BAS2421-10{n} is mixed");
            }
        }
    }
    let rerun = ocs(&[&["build", b.to_str().unwrap(), "-o", "out"], &only[..]].concat(), dir.path());
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun.stderr));
    for n in 1..=6 {
        assert_eq!(files_under(&dir.path().join(format!("out/BAS2421-10{n}"))), version_b[n - 1]);
    }
    assert!(hidden_entries(&dir.path().join("out")).is_empty(), "no temporaries after a clean rerun");
}

#[test]
fn a_role_that_disappears_takes_its_files_along_and_colliding_roles_get_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    std::fs::write(dir.path().join("BAS2421-002.csv"), &csv).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "out", "--only", "checklist"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("out/BAS2421-002/checklists/議事組.pdf").is_file());
    // 執行議事組工作 (T2.1, T5.1) and 執行議事組作業 (T3.1, T4.1) both give the role name 議事組.
    let colliding = csv
        .replacen("T3.1 執行議事組工作", "T3.1 執行議事組作業", 1)
        .replacen("T4.1 人力招募與遴選", "T4.1 執行議事組作業", 1)
        .replacen("T2.2 執行註冊與報到組工作", "T2.2 註冊", 1)
        .replacen("T3.2 執行註冊與報到組工作", "T3.2 報到", 1);
    std::fs::write(dir.path().join("BAS2421-002.csv"), colliding).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "out", "--only", "checklist"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002/checklists");
    assert!(folder.join("議事組.pdf").is_file() && folder.join("議事組-2.pdf").is_file());
    assert!(!folder.join("註冊與報到組.pdf").exists(), "the role that disappeared left nothing behind");
}

#[test]
fn csv_traps_are_read_right_or_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    // Excel's "CSV (Macintosh)": bare CR everywhere, inside quoted cells too.
    std::fs::write(dir.path().join("BAS2421-002.csv"), csv.replace("\r\n", "\n").replace('\n', "\r")).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "mac", "--only", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("mac/BAS2421-002/BAS2421-002.json")).unwrap()).unwrap();
    assert_eq!(json["duties"], expected_json()["duties"], "the same standard as the LF file");
    // A stray quote opening a cell, and two standards pasted into one file.
    let lines: Vec<&str> = csv.lines().collect();
    let at = lines.iter().position(|l| l.starts_with(",T1.2 ")).unwrap();
    let mut stray = lines.clone();
    let broken = stray[at].replacen(",P1.2.1 ", ",\"P1.2.1 ", 1);
    stray[at] = &broken;
    std::fs::write(dir.path().join("stray.csv"), stray.join("\n")).unwrap();
    let second = sample_with_code("BAS2421-003");
    std::fs::write(dir.path().join("two.csv"), format!("{csv}\n{}", second.trim_start_matches('\u{feff}'))).unwrap();
    let out = ocs(&["check", "stray.csv", "two.csv"], dir.path());
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let stray = stdout.lines().find(|l| l.starts_with("stray.csv: error[read]: the CSV text is malformed")).unwrap_or_default();
    assert!(stray.contains(&format!("opened on line {} ", at + 1)), "{stdout}");
    let two = stdout.lines().find(|l| l.contains("error[two-standards]")).unwrap_or_default();
    assert!(two.starts_with("two.csv:two!") && two.contains("a second standard (BAS2421-003) starts on row"), "{stdout}");
}

#[test]
fn codes_unsafe_as_folder_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let codes = [
        ("ref", "#REF!", "a spreadsheet error value"),
        ("bidi", "BAS\u{202E}200-1242", "U+202E"),
        ("zero-width", "BAS2421\u{200B}-002", "U+200B"),
        ("combining", "BAS2421-002\u{0301}", "U+0301"),
        ("con", "CON", "reserved by Windows"),
        ("nul", "NUL.TXT", "reserved by Windows"),
        ("dot", "BAS2421-009.", "ends with a dot"),
    ];
    for (name, code, _) in codes {
        std::fs::write(folder.join(format!("{name}.csv")), sample_with_code(code)).unwrap();
    }
    std::fs::copy(input("BAS2421-002.xlsx"), folder.join("good.xlsx")).unwrap();
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (name, _, why) in codes {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&format!("in/{name}.csv")) && l.contains("error[")).collect();
        assert_eq!(errors.len(), 1, "{name}: {stderr}");
        assert!(errors[0].contains("error[unsafe-code]") && errors[0].contains(why), "{name}: {}", errors[0]);
    }
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["BAS2421-002", "report.html", "report.json"]);
}

#[cfg(unix)]
#[test]
fn folder_walks_end_read_each_file_once_and_skip_special_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::copy(input("BAS2421-002.csv"), folder.join("sub/BAS2421-002.csv")).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(folder.join("sub"), folder.join("alias")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("zero.csv")).unwrap();
    let fifo = Command::new("mkfifo").arg(folder.join("pipe.csv")).status().unwrap();
    assert!(fifo.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", "in", "-o", "out", "--only", "json"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed().as_secs() < 60, "the walk or a read never ends");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("in/zero.csv: warning[input]: not a regular file"), "{stderr}");
    assert!(stderr.contains("in/pipe.csv: warning[input]: not a regular file"), "{stderr}");
    assert!(stderr.contains("symlink loop"), "{stderr}");
    assert!(stderr.contains("1 standard converted") && !stderr.contains("duplicate-standard"), "read once:\n{stderr}");
}

#[test]
fn source_date_epoch_and_an_unwritable_report_are_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let sample = input("BAS2421-002.csv");
    for value in ["253402300800", "1.5e9", "yesterday", "-1"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ocs"))
            .args(["build", sample.to_str().unwrap(), "-o", "out"])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("SOURCE_DATE_EPOCH"), "{value}");
    }
    std::fs::create_dir_all(dir.path().join("out/report.json")).unwrap();
    let out = ocs(&["build", sample.to_str().unwrap(), "-o", "out", "--only", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot write out/report.json"), "{}", text(&out.stderr));
}

#[test]
fn text_from_inputs_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let evil = sample_with_code("BAS\u{1b}[2J\u{1b}]0;pwned\u{7}\nin/x.csv: error[read]: fake");
    std::fs::write(dir.path().join("evil.csv"), evil).unwrap();
    std::fs::write(dir.path().join("name\u{1b}[31m.csv"), "a,b\n").unwrap();
    for command in ["build", "check"] {
        let out = ocs(&[command, "evil.csv", "name\u{1b}[31m.csv", "-o", "out"][..if command == "check" { 3 } else { 5 }], dir.path());
        let printed = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!printed.contains('\u{1b}') && !printed.contains('\u{7}'), "{command}: {printed:?}");
        assert!(!printed.lines().any(|l| l.starts_with("in/x.csv")), "{command}: a fake line: {printed}");
        assert!(printed.contains("\\u{1b}"), "{command}: shown escaped");
    }
}

#[test]
fn the_output_folder_is_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), b"").unwrap();
    let sample = input("BAS2421-002.csv");
    for out_path in ["file", "file/sub"] {
        let out = ocs(&["build", sample.to_str().unwrap(), "-o", out_path], dir.path());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one clear error: {stderr}");
        assert!(stderr.contains("output folder"), "{stderr}");
    }
    // --strict failures still get their report.
    let out = ocs(&["build", sample.to_str().unwrap(), "-o", "strict", "--strict"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("strict/report.json")).unwrap()).unwrap();
    assert_eq!(report["converted"], 0);
    assert!(!dir.path().join("strict/BAS2421-002").exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_says_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    // Enough standards that a release build (about 10 ms a standard) is still busy when the first
    // is written: the interrupt comes then, not after a fixed time, so it lands mid-batch with any
    // build on any machine.
    let total = 400;
    for n in 0..total {
        std::fs::write(folder.join(format!("s{n:03}.csv")), sample_with_code(&format!("BAS2421-{:03}", 100 + n))).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", "in", "-o", "out", "--only", "json,pdf", "--jobs", "1", "--lang", "en"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let first = dir.path().join("out/BAS2421-100");
    while !first.is_dir() {
        assert!(child.try_wait().unwrap().is_none(), "ocs ended before writing its first standard");
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "no standard written in 2 minutes");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("ocs: interrupted: ")).expect("says it was interrupted");
    let written: usize = line["ocs: interrupted: ".len()..].split(' ').next().unwrap().parse().unwrap();
    let folders = std::fs::read_dir(dir.path().join("out")).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    assert_eq!(folders, written, "{stderr}");
    assert!(written < total, "stopped early");
    assert!(dir.path().join("out/report.json").is_file());
    assert!(hidden_entries(&dir.path().join("out")).is_empty());
}
