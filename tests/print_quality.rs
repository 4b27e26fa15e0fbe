//! The printed pages judged from outside, as a demanding reader would: `print_check.py` (in
//! `../shared/tools`) finds no fragment at a page top, no widow or orphan, no header label split
//! inside a word, no matrix total that disagrees with its marks, no stranded heading, no signature
//! block alone and no missing glyph in any PDF of the sample and of a generated 20-standard corpus.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn print_check(folder: &Path) {
    let tool = root().join("../shared/tools/print_check.py");
    assert!(tool.exists(), "print_check.py is expected in {}", tool.display());
    let out = Command::new("python3").arg(&tool).arg("-q").arg(folder).output().expect("python3");
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "print_check.py (needs `pip install pdfplumber fonttools`):\n{report}");
}

#[test]
fn the_sample_prints_without_a_defect() {
    let (dir, _) = build_sample("BAS2421-002.xlsx", &["--only", "pdf,matrix,checklist"]);
    print_check(&dir.path().join("out"));
}

#[test]
fn a_generated_corpus_prints_without_a_defect() {
    let dir = tempfile::tempdir().unwrap();
    let generator = root().join("../shared/bench/gen_corpus.py");
    let made =
        Command::new("python3").arg(&generator).args(["--n", "20", "--out"]).arg(dir.path().join("corpus")).output().expect("python3");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let out = ocs(&["build", "corpus/csv", "-o", "out", "--only", "pdf,matrix,checklist"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    print_check(&dir.path().join("out"));
}
