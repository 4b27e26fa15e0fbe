//! The printed pages judged from outside, as a demanding reader would: `print_check.py` (in
//! `../shared/tools`) finds no fragment at a page top, no widow or orphan, no header label split
//! inside a word, no matrix total that disagrees with its marks, no stranded heading, no signature
//! block alone and no missing glyph in any PDF of the sample and of a generated 20-standard corpus.
//!
//! The ODT and the workbooks are paginated by the application that prints them: they are judged
//! on LibreOffice's renderings (every file of a run converted by one `soffice` call), where a
//! head split inside a word or a heading stranded at a page foot is what a clerk pressing Print
//! would get. Writer's own pagination of a span crossing a page (its text flowing into the part
//! on the next page) is not the PDF's and is not counted: only split heads and stranded headings.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The data sheet of the official workbook: a borderless list the checker cannot read as a table
/// (it finds cells by their rules), so its pages are left out of the workbook's judged pages.
const DATA_SHEET: &str = "資料";

fn print_check(folder: &Path) {
    let report = run_print_check(folder);
    assert_eq!(report.0, Some(0), "print_check.py (needs `pip install pdfplumber fonttools`):\n{}", report.1);
}

/// `print_check.py -q -v` over a folder: its exit status and what it printed.
fn run_print_check(folder: &Path) -> (Option<i32>, String) {
    let tool = root().join("../shared/tools/print_check.py");
    assert!(tool.exists(), "print_check.py is expected in {}", tool.display());
    let out = Command::new("python3").arg(&tool).args(["-q", "-v"]).arg(folder).output().expect("python3");
    (out.status.code(), format!("{}{}", text(&out.stdout), text(&out.stderr)))
}

/// The counts of the summary line `print-quality: fragments F, …` by name.
fn counts(report: &str) -> Vec<(String, u64)> {
    let summary = report.lines().rev().find(|l| l.starts_with("print-quality:")).unwrap_or_else(|| panic!("no summary:\n{report}"));
    summary["print-quality:".len()..]
        .split(" over ")
        .next()
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let (name, n) = part.rsplit_once(' ')?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// Split header words and stranded headings in LibreOffice's renderings under `folder`: none.
fn no_split_heads_nor_stranded_headings(folder: &Path) {
    let (status, report) = run_print_check(folder);
    assert!(status.is_some_and(|s| s < 2) && !report.contains("ERROR"), "a rendering could not be judged:\n{report}");
    let counts = counts(&report);
    for name in ["split-headers", "stranded-headings"] {
        let n = counts.iter().find(|(k, _)| k == name).map(|(_, n)| *n);
        assert_eq!(n, Some(0), "{name} in {}:\n{report}", folder.display());
    }
}

/// Every ODT, XLSX and ODS of every standard under `out` (the per-role checklists too when
/// `roles`), rendered by LibreOffice in one call, as `work/rendered/FORMAT/CODE/NAME.pdf` beside
/// `CODE.json`: the names `print_check.py` reads a document's kind from. The official workbook's
/// data-sheet pages are removed (see `DATA_SHEET`).
fn rendered(out: &Path, work: &Path, roles: bool) -> PathBuf {
    let stage = work.join("stage");
    let pdf = work.join("pdf");
    std::fs::create_dir_all(&stage).unwrap();
    let mut staged = Vec::new();
    let mut codes: Vec<PathBuf> = std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    codes.sort();
    for folder in &codes {
        let code = folder.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        if roles && folder.join("checklists").is_dir() {
            files.extend(std::fs::read_dir(folder.join("checklists")).unwrap().map(|e| e.unwrap().path()));
        }
        files.sort();
        for file in files {
            let Some(format) = file.extension().map(|e| e.to_string_lossy().into_owned()) else { continue };
            if !["odt", "xlsx", "ods"].contains(&format.as_str()) {
                continue;
            }
            // Staged under a plain number: the PDFs of CODE.odt and CODE.xlsx would share a name.
            let n = staged.len();
            let copy = stage.join(format!("{n}.{format}"));
            std::fs::copy(&file, &copy).unwrap();
            let relative = file.strip_prefix(folder).unwrap().with_extension("pdf");
            staged.push((n, format, code.clone(), relative, file));
        }
    }
    let mut soffice = Command::new("soffice");
    soffice
        .arg(format!("-env:UserInstallation=file://{}", work.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf);
    for (n, format, ..) in &staged {
        soffice.arg(stage.join(format!("{n}.{format}")));
    }
    let converted = soffice.output().expect("soffice (LibreOffice)");
    let rendered = work.join("rendered");
    for (n, format, code, relative, source) in &staged {
        let made = pdf.join(format!("{n}.pdf"));
        // soffice exits 0 even when it cannot load a file: the PDF is the proof.
        assert!(made.exists(), "LibreOffice could not open {}: {}", source.display(), text(&converted.stderr));
        let place = rendered.join(format).join(code).join(relative);
        std::fs::create_dir_all(place.parent().unwrap()).unwrap();
        if relative.to_string_lossy() == format!("{code}.pdf") && format != "odt" {
            without_sheet(&made, DATA_SHEET, &place);
        } else {
            std::fs::rename(&made, &place).unwrap();
        }
        let json = out.join(code).join(format!("{code}.json"));
        if json.exists() {
            std::fs::copy(&json, rendered.join(format).join(code).join(format!("{code}.json"))).unwrap();
        }
    }
    rendered
}

/// The sheet each page of a workbook's rendering belongs to, from its running head
/// (`CODE NAME職能基準 SHEET`; the official form's head names no sheet).
fn sheets_of_pages(pdf: &Path, sheets: &[&str]) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let all = text(&out.stdout);
    let mut pages: Vec<&str> = all.split('\u{c}').collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
        .iter()
        .map(|page| {
            let head = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
            sheets.iter().find(|s| head.ends_with(&format!(" {s}"))).map_or_else(|| "form".to_string(), |s| s.to_string())
        })
        .collect()
}

/// `pdf` without the pages of `sheet`, written to `to` (with poppler's `pdfseparate` and
/// `pdfunite`, already needed for `pdftotext`).
fn without_sheet(pdf: &Path, sheet: &str, to: &Path) {
    let pages = sheets_of_pages(pdf, &[sheet]);
    let kept: Vec<usize> = pages.iter().enumerate().filter(|(_, s)| *s != sheet).map(|(n, _)| n + 1).collect();
    assert!(!kept.is_empty(), "{} holds only {sheet}", pdf.display());
    let parts = to.with_extension("pages");
    std::fs::create_dir_all(&parts).unwrap();
    let separated = Command::new("pdfseparate").arg(pdf).arg(parts.join("%d.pdf")).status().expect("pdfseparate (poppler-utils)");
    assert!(separated.success(), "pdfseparate could not split {}", pdf.display());
    let united = Command::new("pdfunite")
        .args(kept.iter().map(|n| parts.join(format!("{n}.pdf"))))
        .arg(to)
        .status()
        .expect("pdfunite (poppler-utils)");
    assert!(united.success(), "pdfunite could not join the pages of {}", pdf.display());
    std::fs::remove_dir_all(&parts).unwrap();
}

#[test]
fn the_sample_prints_without_a_defect() {
    let (dir, _) = build_sample("BAS2421-002.xlsx", &["--only", "pdf,matrix,checklist"]);
    print_check(&dir.path().join("out"));
}

#[test]
fn a_generated_corpus_prints_without_a_defect() {
    let dir = tempfile::tempdir().unwrap();
    generated_corpus(dir.path(), &["--only", "pdf,matrix,checklist"]);
    print_check(&dir.path().join("out"));
}

/// A 20-standard corpus from `gen_corpus.py`, built into `dir/out` with `args`.
fn generated_corpus(dir: &Path, args: &[&str]) {
    let generator = root().join("../shared/bench/gen_corpus.py");
    let made = Command::new("python3").arg(&generator).args(["--n", "20", "--out"]).arg(dir.join("corpus")).output().expect("python3");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let mut all = vec!["build", "corpus/csv", "-o", "out"];
    all.extend_from_slice(args);
    let out = ocs(&all, dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// The ODT (official, checklist, each role's checklist) and the workbooks of the sample, and the
/// official and checklist ODT and workbooks of a generated 20-standard corpus, as LibreOffice
/// prints them: no head split inside a word, no heading stranded at a page foot.
#[test]
fn the_odt_and_the_workbooks_print_as_well_as_the_pdf() {
    let (dir, _) = build_sample("BAS2421-002.xlsx", &["--only", "json,odt,xlsx,ods,checklist"]);
    // The checklist output writes every format: its PDFs are not judged here.
    let sample = rendered(&dir.path().join("out"), &dir.path().join("lo"), true);
    let corpus = tempfile::tempdir().unwrap();
    generated_corpus(corpus.path(), &["--only", "json,odt,xlsx,ods,checklist"]);
    for folder in std::fs::read_dir(corpus.path().join("out")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let _ = std::fs::remove_dir_all(folder.join("checklists"));
    }
    let generated = rendered(&corpus.path().join("out"), &corpus.path().join("lo"), false);
    for rendered in [&sample, &generated] {
        for format in ["odt", "xlsx", "ods"] {
            no_split_heads_nor_stranded_headings(&rendered.join(format));
        }
    }
}

/// A clerk who prints a whole workbook gets the same sheets from both formats, in order: the
/// official form, the annexes 知識 / 技能 / 態度 and the matrix, 資料 landscape on one page wide
/// with one line a row, and 檢核.
#[test]
fn a_whole_workbook_prints_the_same_sheets_in_both_formats() {
    let (dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "xlsx,ods"]);
    let work = dir.path().join("lo");
    // Named apart: both would print to BAS2421-002.pdf.
    std::fs::create_dir_all(&work).unwrap();
    let files = [work.join("xlsx.xlsx"), work.join("ods.ods")];
    std::fs::copy(folder.join("BAS2421-002.xlsx"), &files[0]).unwrap();
    std::fs::copy(folder.join("BAS2421-002.ods"), &files[1]).unwrap();
    let converted = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", work.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.join("pdf"))
        .args(&files)
        .output()
        .expect("soffice (LibreOffice)");
    let sheets = ["知識", "技能", "態度", "職能矩陣", DATA_SHEET, "檢核"];
    let mut printed = Vec::new();
    for file in &files {
        let pdf = work.join("pdf").join(file.with_extension("pdf").file_name().unwrap());
        assert!(pdf.exists(), "LibreOffice could not open {}: {}", file.display(), text(&converted.stderr));
        let pages = sheets_of_pages(&pdf, &sheets);
        let mut order: Vec<String> = pages.clone();
        order.dedup();
        let data = pages.iter().filter(|s| *s == DATA_SHEET).count();
        let form = pages.iter().filter(|s| *s == "form").count();
        assert!((1..=2).contains(&data), "{}: {DATA_SHEET} prints on {data} pages: {pages:?}", file.display());
        assert!(pages.len() <= form + 12, "{}: {} pages for a form of {form}: {pages:?}", file.display(), pages.len());
        printed.push(order);
    }
    let expected: Vec<String> = std::iter::once("form").chain(sheets).map(String::from).collect();
    assert_eq!(printed[0], expected, "the xlsx prints these sheets in this order");
    assert_eq!(printed[1], expected, "the ods prints these sheets in this order");
}
