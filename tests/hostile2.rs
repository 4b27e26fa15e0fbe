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
