//! The OpenDocument outputs: every ODF file ocs writes is valid against the OASIS ODF 1.3 schema
//! (jing), opens in LibreOffice with every code and text of the standard, the table header on every
//! page and the footer's page fields resolved; `CODE.ods` and `ocs init`'s blank `.ods` read back to
//! the same standard; the files are byte-identical for any `--jobs`.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCHEMA: &str = "OpenDocument-v1.3-schema.rng";
const MANIFEST_SCHEMA: &str = "OpenDocument-v1.3-manifest-schema.rng";

/// The ODF 1.3 schemas: in the shared folder beside the repository.
fn schemas() -> PathBuf {
    let shared = root().join("../shared/odf");
    assert!(shared.join(SCHEMA).exists(), "the ODF 1.3 schema is expected in {}", shared.display());
    shared
}

/// Unzip the parts of an ODF package into a folder, checking the package rules on the way.
fn unpack(file: &Path, into: &Path) -> Vec<PathBuf> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    {
        let first = archive.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "mimetype", "{}: mimetype first", file.display());
        assert_eq!(first.compression(), zip::CompressionMethod::Stored, "{}: mimetype stored", file.display());
    }
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !name.ends_with(".xml") {
            continue;
        }
        let path = into.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::io::copy(&mut entry, &mut std::fs::File::create(&path).unwrap()).unwrap();
        parts.push(path);
    }
    parts
}

/// jing's verdict on some files: empty when they are valid.
fn jing(schema: &Path, files: &[PathBuf]) -> String {
    let out = Command::new("jing").arg("-i").arg(schema).args(files).output().expect("jing (Debian package jing)");
    // Debian's wrapper script warns about optional jars on stderr; the errors are on stdout.
    let mut verdict = text(&out.stdout);
    if !out.status.success() && verdict.is_empty() {
        verdict = text(&out.stderr);
    }
    verdict
}

fn odf_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = files_under(folder)
        .into_keys()
        .filter(|name| name.ends_with(".ods") || name.ends_with(".odt"))
        .map(|name| folder.join(name))
        .collect();
    files.sort();
    files
}

#[test]
fn every_odf_file_is_valid_against_the_odf_1_3_schema() {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &[]);
    let files = odf_files(&folder);
    assert_eq!(files.len(), 2 + 2 + 2 * 8, "the official workbook and text, the checklist's and each role's: {files:?}");
    let init = ocs(&["init", "blank.ods"], dir.path());
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    let schemas = schemas();
    // One jing run for all the parts (the JVM's start is the slow part); errors name the file.
    let parts = tempfile::tempdir().unwrap();
    let (mut manifests, mut contents) = (Vec::new(), Vec::new());
    for (n, file) in files.iter().chain([&dir.path().join("blank.ods")]).enumerate() {
        let unpacked = unpack(file, &parts.path().join(format!("{n}-{}", file.file_name().unwrap().to_string_lossy())));
        let (manifest, content): (Vec<PathBuf>, Vec<PathBuf>) = unpacked.into_iter().partition(|p| p.ends_with("META-INF/manifest.xml"));
        // A text also carries Writer's settings (TableRowKeep, see src/render/odt.rs).
        let parts = if file.extension().is_some_and(|e| e == "odt") { 4 } else { 3 };
        assert_eq!(content.len(), parts, "{}: content, styles, meta (and settings in a text)", file.display());
        manifests.extend(manifest);
        contents.extend(content);
    }
    let verdict = jing(&schemas.join(SCHEMA), &contents);
    assert!(verdict.is_empty(), "{verdict}");
    let verdict = jing(&schemas.join(MANIFEST_SCHEMA), &manifests);
    assert!(verdict.is_empty(), "{verdict}");
    // jing does find errors: a broken copy is refused.
    let parts = tempfile::tempdir().unwrap();
    let content: Vec<PathBuf> = unpack(&files[0], parts.path()).into_iter().filter(|p| p.ends_with("content.xml")).collect();
    let xml = std::fs::read_to_string(&content[0]).unwrap().replacen("<table:table-row ", "<table:table-row table:bogus=\"1\" ", 1);
    std::fs::write(&content[0], xml).unwrap();
    assert!(!jing(&schemas.join(SCHEMA), &content).is_empty(), "an invalid file is caught");
}

/// Convert documents to PDF with LibreOffice, each into its own folder; the PDFs' paths.
fn soffice_to_pdf(files: &[PathBuf], work: &Path) -> Vec<PathBuf> {
    files.iter().enumerate().map(|(n, file)| soffice_pdf(file, work, &work.join(format!("pdf{n}")))).collect()
}

fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext");
    text(&out.stdout).split('\u{c}').filter(|p| !p.trim().is_empty()).map(String::from).collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What LibreOffice must print of the sample: every code and text of the tables (`expected`), and
/// the K, S, A and notes the official table adds (`official_only`).
fn printed_items(standard: &ocs::model::Standard) -> (Vec<String>, Vec<String>) {
    let mut expected = vec![standard.code.clone(), standard.name.clone()];
    for duty in &standard.duties {
        expected.push(format!("{}{}", duty.code, duty.title));
        for task in &duty.tasks {
            expected.push(format!("{}{}", task.code, task.title));
            expected.extend(task.indicators().map(|p| format!("{}{}", p.code, p.text)));
            expected.extend(task.outputs().map(|o| format!("{}{}", o.code, o.title)));
        }
    }
    let official_only: Vec<String> = standard
        .knowledge
        .iter()
        .chain(&standard.skills)
        .chain(&standard.attitudes)
        .map(|i| format!("{}{}", i.code, i.name))
        .chain(standard.notes.iter().cloned())
        .collect();
    (expected, official_only)
}

#[test]
fn libreoffice_opens_the_odf_files_with_every_code_and_text() {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &[]);
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let files: Vec<PathBuf> = ["BAS2421-002.odt", "BAS2421-002.ods", "BAS2421-002-checklist.odt", "BAS2421-002-checklist.ods"]
        .iter()
        .map(|f| folder.join(f))
        .collect();
    let pdfs = soffice_to_pdf(&files, dir.path());
    let (expected, official_only) = printed_items(&standard);
    for (file, pdf) in files.iter().zip(&pdfs) {
        let pages = pdf_pages(pdf);
        let all = squeeze(&pages.concat());
        let official = !file.to_string_lossy().contains("checklist");
        for item in expected.iter().chain(if official { official_only.iter() } else { [].iter() }) {
            assert!(all.contains(&squeeze(item)), "{}: `{item}` missing", file.display());
        }
        for (n, page) in pages.iter().enumerate() {
            assert!(page.contains(&format!("第 {} 頁，總共", n + 1)), "{} page {}: footer", file.display(), n + 1);
        }
        if file.ends_with("BAS2421-002.odt") {
            assert!(pages.len() > 2, "the official table runs over several pages");
            // From the page the main table starts on, its header is on every page up to the attitudes.
            let first = pages.iter().position(|p| squeeze(p).contains("主要職責工作任務")).expect("table header");
            let last = pages.iter().position(|p| p.contains("A01")).expect("attitudes");
            for (n, page) in pages.iter().enumerate().take(last).skip(first) {
                assert!(squeeze(page).contains("主要職責工作任務"), "page {}: the table header is repeated", n + 1);
            }
        }
    }
}

/// An English template marks the ODF's Latin text English (LibreOffice then breaks it between
/// words, and may draw it in a wider Western fallback face): still every code and text printed.
#[test]
fn an_english_templates_odf_files_print_every_code_and_text() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/en.toml");
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &["--template", template.to_str().unwrap()]);
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let files: Vec<PathBuf> = ["BAS2421-002.odt", "BAS2421-002.ods", "BAS2421-002-checklist.ods"].iter().map(|f| folder.join(f)).collect();
    for file in &files {
        let entry = zip_entries(&std::fs::read(file).unwrap());
        let content = String::from_utf8_lossy(&entry["content.xml"]).into_owned();
        assert!(content.contains(r#"fo:language="en" fo:country="US""#), "{}: Latin text marked English", file.display());
    }
    let pdfs = soffice_to_pdf(&files, dir.path());
    let (expected, official_only) = printed_items(&standard);
    for (file, pdf) in files.iter().zip(&pdfs) {
        let all = squeeze(&pdf_pages(pdf).concat());
        let official = !file.to_string_lossy().contains("checklist");
        for item in expected.iter().chain(if official { official_only.iter() } else { [].iter() }) {
            assert!(all.contains(&squeeze(item)), "{}: `{item}` missing", file.display());
        }
        assert!(all.contains("Performanceindicator"), "{}: the English labels", file.display());
    }
}

#[test]
fn the_ods_workbook_reads_back_to_the_same_standard() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    for corpus in ["BAS5686-001.xlsx", "MKT4640-001.xlsx"] {
        std::fs::copy(root().join("tests/fixtures/corpus").join(corpus), dir.path().join("in").join(corpus)).unwrap();
    }
    let out = ocs(&["build", "in", "-o", "out", "--only", "json,ods"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for code in ["BAS2421-002", "BAS5686-001", "MKT4640-001"] {
        let folder = dir.path().join("out").join(code);
        let again = ocs(&["build", folder.join(format!("{code}.ods")).to_str().unwrap(), "-o", "back", "--only", "json"], dir.path());
        assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
        let first = std::fs::read(folder.join(format!("{code}.json"))).unwrap();
        let second = std::fs::read(dir.path().join("back").join(code).join(format!("{code}.json"))).unwrap();
        assert!(first == second, "{code}: the .ods reads back to another standard");
    }
    // The blank form as .ods builds as its xlsx twin does.
    assert_eq!(ocs(&["init", "blank.ods"], dir.path()).status.code(), Some(0));
    let built = ocs(&["build", "blank.ods", "-o", "blank"], dir.path());
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("blank/ABC1234-001/ABC1234-001.json")).unwrap()).unwrap();
    assert_eq!(json, json_of(&ocs::doc::blank::example()));
}

#[test]
fn odf_files_are_byte_identical_for_any_number_of_jobs() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let build = |out: &str, jobs: &str| {
        let o = ocs(&["build", "in", "-o", out, "--only", "ods,odt,checklist", "--jobs", jobs], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        files_under(&dir.path().join(out))
    };
    let (one, two) = (build("a", "1"), build("b", "2"));
    let odf: Vec<&String> = one.keys().filter(|k| k.ends_with(".ods") || k.ends_with(".odt")).collect();
    assert_eq!(odf.len(), 2 + 2 + 16);
    for name in odf {
        assert!(two.get(name) == one.get(name), "{name} differs");
    }
}

/// Printed from LibreOffice, the workbooks repeat the table's header only over the table: the page
/// where the attitudes begin also holds the table's last row, so the header stands over that row.
#[test]
fn the_workbooks_print_the_attitudes_with_the_last_row_of_the_table() {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &[]);
    let names = ["BAS2421-002.xlsx", "BAS2421-002.ods", "BAS2421-002-checklist.xlsx", "BAS2421-002-checklist.ods"];
    let files: Vec<PathBuf> = names.iter().map(|f| folder.join(f)).collect();
    let pdfs = soffice_to_pdf(&files, dir.path());
    for (file, pdf) in files.iter().zip(&pdfs) {
        let pages = pdf_pages(pdf);
        let checklist = file.to_string_lossy().contains("checklist");
        let head = if checklist { "行為指標" } else { "主要職責" };
        let attitudes = pages.iter().position(|p| p.contains("A01")).expect("the attitudes are printed");
        let page = &pages[attitudes];
        let before = &page[..page.find("A01").unwrap()];
        assert!(has_row_code(before), "{} page {}: the attitudes open a page under the repeated header", file.display(), attitudes + 1);
        // Each page showing the table's header shows rows of the table under it.
        for (n, page) in pages.iter().enumerate().take(attitudes + 1) {
            if let Some(at) = page.find(head) {
                assert!(has_row_code(&page[at..]), "{} page {}: a header over no rows", file.display(), n + 1);
            }
        }
        // The breaks fill the pages: about as many pages up to the attitudes as the PDF has.
        let own = pdf_pages(&folder.join(if checklist { "BAS2421-002-checklist.pdf" } else { "BAS2421-002.pdf" }));
        let own = own.iter().position(|p| p.contains("A01")).expect("attitudes in the PDF") + 1;
        assert!(attitudes < own * 3 / 2, "{}: {} pages up to the attitudes, the PDF {own}", file.display(), attitudes + 1);
    }
}

/// Whether a text holds a task or indicator code (`T1.2`, `P1.2.3`).
fn has_row_code(text: &str) -> bool {
    text.match_indices(['T', 'P']).any(|(at, _)| {
        let rest = &text[at + 1..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with('.') && rest[digits + 1..].starts_with(|c: char| c.is_ascii_digit())
    })
}
