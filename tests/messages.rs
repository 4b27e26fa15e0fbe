//! No message shows a raw placeholder: whatever ocs prints (the terminal, `--help`) or writes (every
//! file of a build: report.html, report.json, the 檢核 sheet and every other cell of the workbooks,
//! the text of the PDFs and ODT) holds no `{ $name }` left unresolved, in both languages. (A message
//! id defined twice in a catalogue once put `{$kind} ({$format})` at the head of every defects
//! table of report.html.) The catalogues themselves are checked message by message in `i18n.rs`.

mod common;
use calamine::Reader;
use common::*;
use std::path::Path;

/// The places in a text where a Fluent placeholder or reference was left unresolved: `{$name}`,
/// `{ $name }`, `{-term}`, `{message-id}` (an identifier alone between braces; CSS and JSON braces
/// hold more than that).
fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('{') {
        let Some(close) = text[at..].find('}') else { continue };
        let inner = text[at + 1..at + close].trim();
        let name = inner.strip_prefix(['$', '-']).unwrap_or(inner);
        if name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            found.push(text[at..=at + close].to_string());
        }
    }
    found
}

/// What a person sees of an output file: the cells of a workbook, the text of a PDF or of an ODT,
/// the file itself for text formats.
fn visible_text(path: &Path) -> String {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "xlsx" | "ods" => {
            let mut book = calamine::open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut all = String::new();
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).unwrap();
                for cell in range.used_cells() {
                    all.push_str(&cell.2.to_string());
                    all.push('\n');
                }
            }
            all
        }
        "pdf" => {
            let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
            text(&out.stdout)
        }
        "odt" => {
            let file = std::fs::File::open(path).unwrap();
            let mut zip = zip::ZipArchive::new(file).unwrap();
            let mut content = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut content).unwrap();
            content
        }
        _ => String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned(),
    }
}

fn every_file(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files
}

#[test]
fn nothing_printed_or_written_holds_a_placeholder_in_either_language() {
    for lang in ["zh_TW.UTF-8", "C"] {
        let dir = folder_with(&["BAS2421-002.xlsx", "BAS2421-002.ods", "BAS2421-002.big5.csv"]);
        // A file that fails, a file that is not what its name says, and a broken CSV: their
        // messages are printed and reported too.
        std::fs::write(dir.path().join("in/empty.xlsx"), b"").unwrap();
        std::fs::write(dir.path().join("in/text.xlsx"), b"not a workbook").unwrap();
        std::fs::write(dir.path().join("in/broken.csv"), "職能基準代碼,\"BAS2421-003\n").unwrap();
        let build = ocs_in(lang, &["build", "in", "-o", "out", "--fix"], dir.path());
        assert_eq!(build.status.code(), Some(1), "{}", text(&build.stderr));
        let check = ocs_in(lang, &["check", "in", "--format", "json"], dir.path());
        let help = ocs_in(lang, &["build", "--help"], dir.path());
        let usage = ocs_in(lang, &["build", "--no-such-option"], dir.path());
        for (what, output) in [("build", &build), ("check", &check), ("--help", &help), ("a usage error", &usage)] {
            let shown = format!("{}{}", text(&output.stdout), text(&output.stderr));
            assert!(!shown.trim().is_empty(), "{what} prints something");
            assert_eq!(placeholders(&shown), Vec::<String>::new(), "{lang}, {what}: {shown}");
        }
        let files = every_file(&dir.path().join("out"));
        assert!(files.len() > 40, "every output of the sample: {files:?}");
        for file in &files {
            let shown = visible_text(file);
            assert_eq!(placeholders(&shown), Vec::<String>::new(), "{lang}: {}", file.display());
        }
        let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
        let head = if lang == "C" { "<th>File</th>" } else { "<th>檔案</th>" };
        assert!(html.contains(head), "the defects table names its file column: {html}");
    }
}

#[test]
fn the_placeholder_finder_finds_what_fluent_leaves() {
    assert_eq!(placeholders("<th>{$kind} ({$format})</th>"), ["{$kind}", "{$format}"]);
    assert_eq!(placeholders("{ $count } 項"), ["{ $count }"]);
    assert_eq!(placeholders("{-term} {html-file}"), ["{-term}", "{html-file}"]);
    assert!(placeholders("JSON {\"code\": 1}, {}, {\n}, CSS h1{font-size:1.6em}").is_empty());
}
