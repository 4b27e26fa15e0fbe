//! The sample standard BAS2421-002 in every input form gives exactly the hand-transcribed JSON.

mod common;
use common::*;

const INPUTS: [&str; 6] =
    ["BAS2421-002.xlsx", "BAS2421-002.csv", "BAS2421-002.big5.csv", "BAS2421-002.flat.csv", "BAS2421-002.xls", "BAS2421-002.ods"];

#[test]
fn every_input_form_gives_the_expected_json() {
    let expected = expected_json();
    for name in INPUTS {
        let standard = only_standard(&input(name));
        assert!(json_of(&standard) == expected, "{name}: JSON differs from tests/fixtures/BAS2421-002.json");
    }
}

#[test]
fn build_writes_its_outputs_into_a_folder_per_code() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(folder.join("BAS2421-002.json")).unwrap()).unwrap();
    assert_eq!(json, expected_json());
    let csv = std::fs::read(folder.join("BAS2421-002.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "the CSV starts with a UTF-8 BOM");
    let mut names: Vec<String> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let expected = [
        "BAS2421-002-checklist.ods",
        "BAS2421-002-checklist.odt",
        "BAS2421-002-checklist.pdf",
        "BAS2421-002-checklist.xlsx",
        "BAS2421-002-matrix.pdf",
        "BAS2421-002.csv",
        "BAS2421-002.json",
        "BAS2421-002.ods",
        "BAS2421-002.odt",
        "BAS2421-002.pdf",
        "BAS2421-002.xlsx",
        "checklists",
    ];
    assert_eq!(names, expected, "the outputs and no temporary file");
    let roles = std::fs::read_dir(folder.join("checklists")).unwrap().count();
    assert_eq!(roles, 32, "a PDF, an ODT, an ODS and an XLSX for each of the eight roles");
}

#[test]
fn the_bundled_input_folder_builds_with_exit_zero() {
    // The README's first command: the six copies are one standard, written once.
    let dir = tempfile::tempdir().unwrap();
    let out = ocs(&["build", input("").to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("1 standard converted (5 more inputs were the same standard, written once), 0 failed"),
        "{}",
        text(&out.stderr)
    );
    assert!(dir.path().join("out/BAS2421-002/BAS2421-002.json").exists());
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let dir = folder_with(&["BAS2421-002.xlsx", "BAS2421-002.big5.csv"]);
    let build = |out: &str| {
        let o = ocs(&["build", "in", "-o", out], dir.path());
        assert_eq!(o.status.code(), Some(0));
        files_under(&dir.path().join(out))
    };
    let (first, second) = (build("a"), build("b"));
    assert_eq!(first.len(), 45, "every output, report.json and report.html: {:?}", first.keys().collect::<Vec<_>>());
    for (name, bytes) in &first {
        assert!(second.get(name) == Some(bytes), "{name} differs between runs");
    }
}

#[test]
fn the_csv_encoding_is_reported() {
    let dir = folder_with(&["BAS2421-002.big5.csv", "BAS2421-002.csv"]);
    let out = ocs(&["check", "in"], dir.path());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("BAS2421-002.big5.csv: info[encoding]: read as Big5 (CP950)"), "{stdout}");
    assert!(stdout.contains("BAS2421-002.csv: info[encoding]: read as UTF-8 with BOM"), "{stdout}");
}

#[test]
fn merged_ranges_are_read_from_every_workbook_format() {
    use ocs::model::Cell;
    for name in ["BAS2421-002.xlsx", "BAS2421-002.xls", "BAS2421-002.ods"] {
        let workbook = ocs::read::read_file(&input(name), &Default::default()).unwrap();
        let grid = &workbook.grids[0];
        assert!(grid.merges_known, "{name}");
        // T2's knowledge cell F16:F27 and the duty cell A16:A27.
        for (row, col) in [(15, 5), (26, 5), (20, 0)] {
            let merge = grid.merge_at(row, col).unwrap_or_else(|| panic!("{name}: no merge at {}", Cell { row, col }.a1()));
            assert_eq!(
                (merge.first.a1(), merge.last.a1()),
                (format!("{}16", if col == 5 { "F" } else { "A" }), format!("{}27", if col == 5 { "F" } else { "A" })),
                "{name}"
            );
        }
        assert!(grid.merge_at(15, 3).is_none(), "{name}: indicator cells are not merged");
    }
    let csv = ocs::read::read_file(&input("BAS2421-002.csv"), &Default::default()).unwrap();
    assert!(!csv.grids[0].merges_known && csv.grids[0].merges().is_empty());
}
