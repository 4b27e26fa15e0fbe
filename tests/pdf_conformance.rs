//! Every PDF ocs writes (official table, matrix, checklists; the sample, the test corpus, a generated
//! corpus, the English template) checked from outside the library that wrote it — krilla checks
//! PDF/A-2a and PDF/UA-1 while writing, and refuses a document that breaks a rule it can check:
//!
//! - `qpdf --check`: the file's syntax, cross-reference and streams;
//! - `tests/pdf_conformance.py` (pikepdf, pdfplumber): the PDF/A and PDF/UA identification, the sRGB
//!   output intent, fonts embedded with ToUnicode, no transparency or encryption, every text and
//!   path in marked content, the structure tree (headings, tables with TH and scope, spans, lists two
//!   levels deep, the repeated table head and page numbers as artifacts), the checklist's fields;
//! - `outloud` (PyPI; PDF/UA-1 and WCAG 2.2 rules): no error, but two known false positives named
//!   in `OUTLOUD_FALSE_POSITIVES`;
//! - Apache PDFBox Preflight (Debian's libpdfbox2-java): a PDF/A-1b validator, so it checks what
//!   PDF/A-1b and PDF/A-2 share (syntax, fonts and their widths, annotations, actions, metadata);
//!   the errors that only PDF/A-1 makes, or that PDFBox 2 cannot read, are named in
//!   `PREFLIGHT_NOT_A2`.
//!
//! Then the fillable checklist: filled by pypdf (`tests/pdf_fill.py`), its values read back by name
//! and found on the printed page.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program} must be installed (see docs/pdf.md): {e}"))
}

/// The PDFs of a built folder with the kind `tests/pdf_conformance.py` checks them as.
fn pdfs(out: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut found = Vec::new();
    for entry in walk(out) {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if !name.ends_with(".pdf") {
            continue;
        }
        let kind = if name.ends_with("-matrix.pdf") {
            "matrix"
        } else if name.ends_with("-checklist.pdf") || entry.parent().is_some_and(|p| p.ends_with("checklists")) {
            "checklist"
        } else {
            "official"
        };
        found.push((kind, entry));
    }
    found.sort();
    assert!(!found.is_empty(), "no PDF under {}", out.display());
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

/// outloud findings that are the checker's, not the PDF's, each with why:
/// - TBL-004 counts a column still spanned by a cell above as free in the span's last row (it
///   decrements the spans before counting the row), so a table whose K and S cells span a duty's
///   rows "does not close"; `pdf_conformance.py` checks that every row of every table covers the
///   same columns once the spans are applied.
/// - TBL-010 calls a table with more TH than TD "shredded": the header block is a table of labels
///   (TH, scope row) and values (TD), one label for each value and some labels of a group.
const OUTLOUD_FALSE_POSITIVES: &[(&str, &str)] = &[("TBL-004", "the grid does not close"), ("TBL-010", "header cells look shredded: ")];

/// PDFBox Preflight validates PDF/A-1b; these of its errors do not apply to PDF/A-2:
/// - 2.1.6: PDF/A-1 allows ICC profiles up to version 2; PDF/A-2 allows version 4 (krilla's sRGB
///   and sGrey profiles are version 4).
/// - 7.3 on the pdfuaid namespace: the XMP declares it as a PDF/A extension schema, which PDFBox 2's
///   XMP parser does not read for this namespace (PDF/A-1 predates PDF/UA).
/// - 1.2.3 "can't convert to Destination": an outline entry's destination is an indirect array,
///   which PDF allows (ISO 32000-1, 7.3.10) and PDFBox 2's outline reader does not follow.
/// - 1.4 on cross-reference streams: PDF/A-1 (PDF 1.4) has none; PDF/A-2 allows them and object
///   streams, which `render::pdf::file` writes.
const PREFLIGHT_NOT_A2: &[&str] = &[
    "1.4 : Trailer Syntax error, /XRef cross reference streams are not allowed",
    "2.1.6 : Invalid graphics object, Invalid version of the ICCProfile",
    "7.3 : Error on MetaData, Cannot find a definition for the namespace http://www.aiim.org/pdfua/ns/id/",
    "1.2.3 : Body Syntax error, Error: can't convert to Destination",
];

fn check_all(out: &Path) {
    let pdfs = pdfs(out);
    // qpdf: syntax, cross-reference, streams.
    for (_, pdf) in &pdfs {
        let checked = run("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(checked.status.success(), "qpdf --check {}: {}{}", pdf.display(), text(&checked.stdout), text(&checked.stderr));
    }
    // Our own assertions on the structure, fonts, metadata and fields.
    let script = root().join("tests/pdf_conformance.py");
    let mut args: Vec<String> = vec![script.to_string_lossy().into_owned()];
    for (kind, pdf) in &pdfs {
        args.push(kind.to_string());
        args.push(pdf.to_string_lossy().into_owned());
    }
    let checked = Command::new("python3").args(&args).output().expect("python3 with pikepdf and pdfplumber");
    assert!(checked.status.success(), "{}{}", text(&checked.stdout), text(&checked.stderr));
    outloud(&pdfs);
    preflight(&pdfs);
}

fn outloud(pdfs: &[(&str, PathBuf)]) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut args = vec!["--json".to_string(), report.path().to_string_lossy().into_owned(), "--fail-on".into(), "never".into()];
    args.extend(pdfs.iter().map(|(_, p)| p.to_string_lossy().into_owned()));
    let checked = Command::new("outloud").args(&args).output().expect("outloud (pip install outloud) must be installed");
    assert!(checked.status.success(), "outloud: {}", text(&checked.stderr));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(report.path()).unwrap()).unwrap();
    let results = report["results"].as_array().expect("outloud's results");
    assert_eq!(results.len(), pdfs.len(), "outloud read every PDF");
    let mut errors = Vec::new();
    for result in results {
        assert!(result["error"].is_null(), "outloud could not read {}: {}", result["path"], result["error"]);
        for finding in result["findings"].as_array().unwrap() {
            if finding["severity"] != "error" {
                continue;
            }
            let (rule, message) = (finding["rule"].as_str().unwrap_or(""), finding["message"].as_str().unwrap_or(""));
            if !OUTLOUD_FALSE_POSITIVES.iter().any(|(r, m)| *r == rule && message.contains(m)) {
                errors.push(format!("{}: {rule} {message}", result["path"]));
            }
        }
    }
    assert!(errors.is_empty(), "outloud errors:\n{}", errors.join("\n"));
}

fn preflight(pdfs: &[(&str, PathBuf)]) {
    let jars = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"];
    let classpath: Vec<String> = jars.iter().map(|j| format!("/usr/share/java/{j}.jar")).collect();
    for jar in &classpath {
        assert!(Path::new(jar).exists(), "{jar}: apt-get install libpdfbox2-java libactivation-java libjaxb-api-java");
    }
    // The official table, matrix and whole checklist of each standard (a role's checklist is made
    // by the same code as the whole one): a JVM a file is slow.
    for (_, pdf) in pdfs.iter().filter(|(_, p)| !p.parent().is_some_and(|d| d.ends_with("checklists"))) {
        let out = run("java", &["-cp", &classpath.join(":"), "org.apache.pdfbox.preflight.Validator_A1b", pdf.to_str().unwrap()]);
        let report = text(&out.stdout) + &text(&out.stderr);
        let errors: Vec<&str> = report
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()) && l.contains(" : "))
            .filter(|l| !PREFLIGHT_NOT_A2.iter().any(|known| l.starts_with(known)))
            .collect();
        assert!(report.contains("is not a valid PDF/A-1b") || report.contains("is a valid PDF/A-1b"), "Preflight ran: {report}");
        assert!(errors.is_empty(), "Preflight on {}:\n{}", pdf.display(), errors.join("\n"));
    }
}

#[test]
fn the_sample_passes_every_check() {
    let (dir, _) = build_sample("BAS2421-002.xlsx", &["--only", "pdf,matrix,checklist"]);
    check_all(&dir.path().join("out"));
}

#[test]
fn the_test_corpus_and_a_generated_corpus_pass_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/corpus")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "xlsx") {
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
        }
    }
    let out = ocs(&["build", "corpus", "-o", "out", "--only", "pdf,matrix,checklist"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let generator = root().join("../shared/bench/gen_corpus.py");
    let made = Command::new("python3").arg(&generator).args(["--n", "4", "--seed", "21", "--out"]).arg(dir.path().join("gen")).output();
    let made = made.expect("python3");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let out = ocs(&["build", "gen/csv", "-o", "out", "--only", "pdf,matrix,checklist"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    check_all(&dir.path().join("out"));
}

#[test]
fn the_english_template_is_read_as_english() {
    let template = root().join("templates/en.toml");
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "pdf,checklist", "--template", template.to_str().unwrap()]);
    let official = folder.join("BAS2421-002.pdf");
    let lang = Command::new("python3")
        .args(["-c", "import pikepdf,sys; p = pikepdf.open(sys.argv[1]); print(p.Root.Lang)", official.to_str().unwrap()])
        .output()
        .expect("python3");
    assert_eq!(text(&lang.stdout).trim(), "en");
    check_all(&dir.path().join("out"));
}

#[test]
fn the_checklist_is_filled_read_back_and_printed() {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "checklist"]);
    let checklist = folder.join("BAS2421-002-checklist.pdf");
    let filled = dir.path().join("filled.pdf");
    let out = Command::new("python3")
        .args([root().join("tests/pdf_fill.py").to_str().unwrap(), checklist.to_str().unwrap(), filled.to_str().unwrap()])
        .output()
        .expect("python3 with pypdf");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let result: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    let code = result["code"].as_str().unwrap();
    assert_eq!(code, "P1.1.1", "the first indicator's fields are named by its code");
    // The values a script reads back from the filled form, by the fields' names.
    let read = &result["read"];
    assert_eq!(read[format!("{code}.達成")], "/達成");
    assert_eq!(read[format!("{code}.評量方式")], "實作");
    assert_eq!(read[format!("{code}.評語")], "Good work 2026");
    assert_eq!(read["學員"], "Wang Xiaoming");
    assert_eq!(read["整體評量結果"], "/通過");
    // Printed (the fields flattened into the page), the typed values are on the first page.
    let page = text(&run("pdftotext", &["-f", "1", "-l", "1", "-enc", "UTF-8", filled.to_str().unwrap(), "-"]).stdout);
    for value in ["Wang Xiaoming", "Lin Trainer", "Good work 2026", "2026-12-03"] {
        assert!(page.contains(value), "{value} printed on the page:\n{page}");
    }
    // The tick shows in the 達成 box of P1.1.1 and not in its 未達成 box: the filled form (not
    // flattened) rendered, against the unfilled one, darker only inside the 達成 box.
    let boxes = Command::new("python3")
        .args([
            "-c",
            "import pikepdf,sys,json; p=pikepdf.open(sys.argv[1]); \
             print(json.dumps([[float(x) for x in a.Rect] for a in p.pages[0].Annots \
             if a.get('/Parent') is not None and str(a.Parent.get('/T'))=='達成'][:2]))",
            checklist.to_str().unwrap(),
        ])
        .output()
        .expect("python3");
    let boxes: Vec<Vec<f64>> = serde_json::from_str(text(&boxes.stdout).trim()).unwrap();
    assert_eq!(boxes.len(), 2, "the 達成 and 未達成 boxes of {code}");
    let ink = |pdf: &Path, rect: &[f64]| -> u64 {
        let prefix = pdf.with_extension("");
        let rendered =
            run("pdftoppm", &["-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
        assert!(rendered.status.success());
        let image = std::fs::read(format!("{}.pgm", prefix.display())).unwrap();
        pgm_ink(&image, rect)
    };
    let form = PathBuf::from(format!("{}.form.pdf", filled.display()));
    for (n, rect) in boxes.iter().enumerate() {
        let (before, after) = (ink(&checklist, rect), ink(&form, rect));
        if n == 0 {
            assert!(after > before + 500, "the 達成 box is ticked: ink {before} → {after}");
        } else {
            assert_eq!(after, before, "the 未達成 box stays empty");
        }
    }
}

/// The darkness (255 − grey, summed) inside a rectangle of a page rendered at 72 dpi as a binary
/// PGM, the rectangle in PDF points from the lower left.
fn pgm_ink(image: &[u8], rect: &[f64]) -> u64 {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while image[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !image[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&image[start..at]).into_owned());
    }
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &image[at + 1..];
    let (x0, x1) = (rect[0].floor() as usize, (rect[2].ceil() as usize).min(width));
    let (y0, y1) = (height.saturating_sub(rect[3].ceil() as usize), height.saturating_sub(rect[1].floor() as usize));
    let mut ink = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            ink += u64::from(255 - pixels[y * width + x]);
        }
    }
    ink
}

#[test]
fn a_byte_order_mark_inside_a_cell_still_gives_a_conforming_pdf() {
    // PDF/UA forbids U+FEFF in a ToUnicode map; it draws nothing, so it is left out, not refused.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    let marked = csv.replacen("會議", "會\u{FEFF}議", 3);
    assert_ne!(marked, csv);
    std::fs::write(dir.path().join("in/BAS2421-002.csv"), marked).unwrap();
    let out = ocs(&["build", "in", "-o", "out", "--only", "pdf"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pdf = dir.path().join("out/BAS2421-002/BAS2421-002.pdf");
    let page = text(&run("pdftotext", &["-f", "1", "-l", "1", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]).stdout);
    // The mark is laid out as the font measures it (no glyph, so the empty box's width) and drawn
    // as nothing: the words around it are there.
    assert!(page.contains("議專案執行人員") && page.contains('會'), "{page}");
    let checked = Command::new("python3")
        .args([root().join("tests/pdf_conformance.py").to_str().unwrap(), "official", pdf.to_str().unwrap()])
        .output();
    let checked = checked.expect("python3");
    assert!(checked.status.success(), "{}", text(&checked.stdout));
}
