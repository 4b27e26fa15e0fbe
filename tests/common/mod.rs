//! Helpers shared by the integration tests: paths, running the binary, reading standards, and
//! building small xlsx files by hand (for the hostile ones no writer would make).
#![allow(dead_code)]

use ocs::model::Standard;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn input(name: &str) -> PathBuf {
    root().join("input").join(name)
}

/// The sample's canonical JSON, transcribed by hand from the official PDF.
pub fn expected_json() -> serde_json::Value {
    let bytes = std::fs::read(root().join("tests/fixtures/BAS2421-002.json")).expect("fixture");
    serde_json::from_slice(&bytes).expect("fixture JSON")
}

pub fn json_of(standard: &Standard) -> serde_json::Value {
    serde_json::from_slice(&ocs::render::json::json(standard)).expect("our JSON parses")
}

/// Every standard in a file, through the library's read and layout steps.
pub fn standards(path: &Path) -> Vec<Standard> {
    let workbook = ocs::read::read_file(path, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let name = path.display().to_string();
    workbook.grids.iter().flat_map(|g| ocs::read::form::standards(g, &name).unwrap_or_default()).map(|l| l.standard).collect()
}

pub fn only_standard(path: &Path) -> Standard {
    let mut all = standards(path);
    assert_eq!(all.len(), 1, "{} should hold one standard", path.display());
    all.remove(0)
}

/// Run the `ocs` binary in English (`LANG=C`), whatever the machine's locale.
pub fn ocs(args: &[&str], dir: &Path) -> Output {
    ocs_in("C", args, dir)
}

/// Run the `ocs` binary with `LANG` set to `lang` (and no other locale variable).
pub fn ocs_in(lang: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", lang)
        .output()
        .expect("run ocs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A minimal xlsx with one sheet: `cells` are (A1 reference, inline text); `extra` files are added
/// to the zip as they are (for shared strings or broken parts).
pub fn xlsx(cells: &[(&str, &str)], extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut rows = String::new();
    for (reference, value) in cells {
        let row: String = reference.chars().filter(char::is_ascii_digit).collect();
        rows.push_str(&format!(r#"<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c></row>"#));
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    files.retain(|(name, _)| !extra.iter().any(|(n, _)| n == name));
    files.extend(extra.iter().map(|(n, b)| (*n, b.clone())));
    zip_files(&files)
}

/// A minimal xlsx whose one sheet has the given `<sheetData>` content, as it is.
pub fn xlsx_with_sheet_data(sheet_data: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    xlsx(&[], &[("xl/worksheets/sheet1.xml", sheet.into_bytes())])
}

pub fn zip_files(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// Build the sample from one of its input files with `ocs build in -o out ARGS`, which must succeed;
/// returns the temporary folder (alive as long as it is held) and `out/BAS2421-002`.
pub fn build_sample(input_name: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = folder_with(&[input_name]);
    let mut all = vec!["build", "in", "-o", "out"];
    all.extend_from_slice(args);
    let out = ocs(&all, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    (dir, folder)
}

/// Every entry of a zip (a package, the page's download), by name, with its bytes.
pub fn zip_entries(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the zip opens");
    let mut found = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("the entry reads");
        found.insert(entry.name().expect("a UTF-8 name").to_string(), content);
    }
    found
}

/// Every file under a folder, by path relative to it, with its bytes.
pub fn files_under(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(root).expect("below the root").display().to_string(),
                    std::fs::read(&path).expect("read the file"),
                );
            }
        }
    }
    files
}

/// A temporary folder holding copies of some sample inputs.
pub fn folder_with(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("in")).expect("mkdir");
    for name in names {
        std::fs::copy(input(name), dir.path().join("in").join(name)).expect("copy sample");
    }
    dir
}

/// `file` converted to PDF by LibreOffice (headless, its own profile under `work`) into `out`.
/// soffice exits 0 even when it cannot load a file: the PDF is the proof.
#[allow(dead_code)]
pub fn soffice_pdf(file: &Path, work: &Path, out: &Path) -> PathBuf {
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", work.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .expect("soffice (LibreOffice)");
    let pdf = out.join(file.with_extension("pdf").file_name().unwrap());
    assert!(pdf.exists(), "LibreOffice could not open {}: {}", file.display(), text(&status.stderr));
    pdf
}

/// A PDF's objects as text: ocs packs its dictionaries into compressed object streams
/// (`render::pdf::file`), so a test that looks for a key reads the file as qpdf unpacks it.
pub fn pdf_objects(pdf: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let unpacked = dir.path().join("unpacked.pdf");
    let out = Command::new("qpdf")
        .args(["--object-streams=disable", "--compress-streams=n", "--decode-level=generalized"])
        .arg(pdf)
        .arg(&unpacked)
        .output()
        .expect("qpdf (apt-get install qpdf)");
    assert!(out.status.success(), "qpdf {}: {}", pdf.display(), text(&out.stderr));
    std::fs::read(unpacked).unwrap()
}
