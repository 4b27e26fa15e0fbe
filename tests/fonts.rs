//! The font chain, seen from outside: characters the embedded Noto Sans TC lacks (産 捜 俢 缝 㮷)
//! drawn with a system font that `pdffonts` lists as its own embedded subset, no warning for them,
//! `report.json` naming each PDF's font files, the same bytes for any `--jobs`, and a run that
//! needs no fallback never listing the system fonts. CI installs fonts-noto-cjk and
//! fonts-cns11643-kai (`.ci/run`).

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Characters Noto Sans TC lacks and Noto Sans CJK TC has.
const RARE: &str = "産捜俢缝㮷";
const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const KAI: &str = "/usr/share/fonts/truetype/cns11643/TW-Kai-98_1.ttf";

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// A folder `in/` holding the sample with `extra` added to the first output's title.
fn sample_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap().replacen("專案大綱", &format!("專案大綱{extra}"), 1);
    assert!(csv.contains(extra));
    std::fs::write(dir.path().join("in/BAS2421-002.csv"), csv).unwrap();
    dir
}

/// `pdffonts` rows: (name, embedded, subset, unicode).
fn fonts_of(pdf: &Path) -> Vec<(String, bool, bool, bool)> {
    let listing = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    listing
        .lines()
        .skip(2)
        .map(|row| {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let n = columns.len();
            (columns[0].to_string(), columns[n - 5] == "yes", columns[n - 4] == "yes", columns[n - 3] == "yes")
        })
        .collect()
}

fn report(dir: &Path, out: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(out).join("report.json")).unwrap()).unwrap()
}

/// The font files report.json gives for one PDF of the first standard, as (file, index, name).
fn fonts_in_report(report: &serde_json::Value, pdf: &str) -> Vec<(Option<String>, u64, String)> {
    let entry = report["standards"][0]["fonts"].as_array().unwrap().iter().find(|f| f["pdf"] == pdf);
    let fonts = entry.unwrap_or_else(|| panic!("{pdf} in {report}"))["fonts"].as_array().unwrap();
    fonts
        .iter()
        .map(|f| (f["file"].as_str().map(str::to_string), f["index"].as_u64().unwrap(), f["name"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn characters_the_embedded_font_lacks_are_drawn_with_a_system_font() {
    assert!(Path::new(NOTO_CJK).exists(), "fonts-noto-cjk is installed by .ci/run");
    let noto = ocs::text::Font::embedded();
    assert!(RARE.chars().all(|c| !noto.primary().has(c)), "the embedded Noto Sans TC lacks {RARE}");
    let dir = sample_with(RARE);
    let out = ocs(&["build", "in", "-o", "out", "--only", "pdf,checklist"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("missing-glyph"), "some font on the machine has each of {RARE}:\n{stderr}");
    let pdf = dir.path().join("out/BAS2421-002/BAS2421-002.pdf");
    let extracted = poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    for c in RARE.chars() {
        assert!(extracted.contains(c), "{c} is in the text:\n{extracted}");
    }
    let fonts = fonts_of(&pdf);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    assert!(fonts[0].0.ends_with("+NotoSansTC-Regular"), "{fonts:?}");
    // krilla names a CID-keyed CFF font after its CMap too (`…-Identity-H`).
    assert!(fonts[1].0.contains("+NotoSansCJKtc-Regular"), "the first face of the preferred order: {fonts:?}");
    for (name, embedded, subset, unicode) in fonts.iter().cloned() {
        assert!(embedded && subset && unicode, "{name} embedded, subset, with a Unicode map");
        assert_eq!(name.as_bytes()[6], b'+', "{name} tagged as a subset");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 250_000, "a subset, not the whole collection: {size} bytes");
    let report = report(dir.path(), "out");
    let expected = vec![(None, 0, "NotoSansTC-Regular".to_string()), (Some(NOTO_CJK.to_string()), 3, "NotoSansCJKtc-Regular".to_string())];
    assert_eq!(fonts_in_report(&report, "BAS2421-002.pdf"), expected);
    assert_eq!(fonts_in_report(&report, "BAS2421-002-checklist.pdf"), expected, "the checklist shows the output too");
    let pdfs = report["standards"][0]["fonts"].as_array().unwrap().len();
    let written = report["standards"][0]["files"].as_array().unwrap().iter().filter(|f| f.as_str().unwrap().ends_with(".pdf")).count();
    assert_eq!(pdfs, written, "one entry per PDF written");
}

#[test]
fn a_character_no_font_has_is_still_a_warning() {
    // U+10FFFD: the last private-use character of plane 16, in no font.
    let dir = sample_with("産\u{10FFFD}");
    let out = ocs(&["build", "in", "-o", "out", "--only", "pdf"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("warning[missing-glyph]").count(), 1, "{stderr}");
    assert!(stderr.contains("(U+10FFFD)"), "{stderr}");
    let report = report(dir.path(), "out");
    let fonts = fonts_in_report(&report, "BAS2421-002.pdf");
    assert_eq!(fonts.len(), 2, "産 from a system font, U+10FFFD as the chosen font's empty box: {fonts:?}");
}

#[test]
fn the_chosen_font_falls_back_to_the_embedded_one_first() {
    assert!(Path::new(KAI).exists(), "fonts-cns11643-kai is installed by .ci/run");
    // TW-Kai has 産 but not ⸺ (U+2E3A), which the embedded Noto Sans TC has.
    let dir = sample_with("産⸺");
    let out = ocs(&["build", "in", "-o", "out", "--only", "pdf", "--font", KAI], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("missing-glyph"), "{stderr}");
    let pdf = dir.path().join("out/BAS2421-002/BAS2421-002.pdf");
    let names: Vec<String> = fonts_of(&pdf).into_iter().map(|f| f.0).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // The PDF names the face by its PostScript name (`TW-Kai-98_1`).
    assert!(names[0].contains("+TW-Kai"), "{names:?}");
    assert!(names[1].ends_with("+NotoSansTC-Regular"), "{names:?}");
    let fonts = fonts_in_report(&report(dir.path(), "out"), "BAS2421-002.pdf");
    assert_eq!(fonts, [(Some(KAI.to_string()), 0, "TW-Kai".to_string()), (None, 0, "NotoSansTC-Regular".to_string())]);
    assert!(poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]).contains('⸺'));
}

#[test]
fn fallback_fonts_give_the_same_bytes_for_any_number_of_jobs() {
    let dir = sample_with(RARE);
    // A second standard, so that threads race for the system fonts.
    let other = std::fs::read_to_string(dir.path().join("in/BAS2421-002.csv")).unwrap().replace("BAS2421-002", "BAS2421-003");
    std::fs::write(dir.path().join("in/BAS2421-003.csv"), other.replacen("專案", "捜俢", 3)).unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "4"] {
        let folder = format!("out{jobs}");
        let out = ocs(&["build", "in", "-o", &folder, "--jobs", jobs, "--only", "pdf,matrix,xlsx"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        outputs.push(files_under(&dir.path().join(folder)));
    }
    assert!(outputs[0].keys().any(|k| k.ends_with("report.json")), "{:?}", outputs[0].keys());
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn text_the_embedded_font_covers_never_lists_the_system_fonts() {
    // This test alone uses the library in this process: the other tests run the binary.
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let template = ocs::template::Template::official();
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standard, &template), &font);
    let pdf = ocs::render::pdf::pdf(&ocs::doc::form::document(&standard, &template), &font, 0).unwrap();
    assert!(!document.pages.is_empty() && !pdf.bytes.is_empty());
    assert_eq!(pdf.fonts.len(), 1, "{:?}", pdf.fonts);
    assert!(!ocs::text::system_fonts_loaded(), "the sample needs no fallback, so the system was not scanned");
}
