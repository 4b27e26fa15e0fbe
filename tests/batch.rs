//! A batch: parallel and deterministic (the same bytes for any --jobs), atomic (a failure leaves the
//! earlier good files as they were), and a code met twice is reported, never silently overwritten.

mod common;
use common::*;

/// A folder with the sample, the two generator standards and a broken file.
fn batch() -> tempfile::TempDir {
    let dir = folder_with(&["BAS2421-002.xlsx", "BAS2421-002.csv"]);
    for name in ["BAS5686-001.csv", "MKT4640-001.xlsx"] {
        std::fs::copy(root().join("tests/fixtures/corpus").join(name), dir.path().join("in").join(name)).unwrap();
    }
    std::fs::write(dir.path().join("in/broken.xlsx"), b"PK\x03\x04 not really").unwrap();
    dir
}

#[test]
fn any_number_of_jobs_gives_the_same_bytes() {
    let dir = batch();
    let one = ocs(&["build", "in", "-o", "one", "--jobs", "1"], dir.path());
    let two = ocs(&["build", "in", "-o", "two", "--jobs", "2"], dir.path());
    assert_eq!(one.status.code(), Some(1), "the broken file fails the run");
    assert_eq!(two.status.code(), Some(1));
    let (a, b) = (files_under(&dir.path().join("one")), files_under(&dir.path().join("two")));
    assert!(a.len() > 30, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(b[name] == *bytes, "{name} differs between --jobs 1 and --jobs 2");
    }
    // The diagnostics come in input order whatever the threads did.
    let strip = |s: &str| {
        s.lines().filter(|l| !l.starts_with("ocs:") && !l.trim_start().starts_with("report:")).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(strip(&text(&one.stderr)), strip(&text(&two.stderr)));
    let report: serde_json::Value = serde_json::from_slice(&a["report.json"]).unwrap();
    assert_eq!(report["converted"], 4);
    assert_eq!(report["failed_files"][0], "in/broken.xlsx");
    assert!(report["rules"]["prefix-mismatch"].as_u64().unwrap() >= 11);
}

#[test]
fn a_failed_rerun_keeps_the_earlier_good_files() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    assert_eq!(ocs(&["build", "in", "-o", "out"], dir.path()).status.code(), Some(0));
    let before = files_under(&dir.path().join("out/BAS2421-002"));
    // The same standard, now failing (warnings are failures with --strict): nothing is replaced.
    let strict = ocs(&["build", "in", "-o", "out", "--strict"], dir.path());
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(files_under(&dir.path().join("out/BAS2421-002")), before);
    // A different standard under the same code, from another input: reported, not written.
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap().replace("專案大綱", "專案大綱（改）");
    std::fs::write(dir.path().join("in/zz-changed.csv"), csv).unwrap();
    let conflict = ocs(&["build", "in", "-o", "out"], dir.path());
    assert_eq!(conflict.status.code(), Some(1));
    let stderr = text(&conflict.stderr);
    assert!(stderr.contains("in/zz-changed.csv:zz-changed: error[duplicate-standard]: BAS2421-002 was already read from in/BAS2421-002.xlsx:職能基準 with different content; this one is not written"), "{stderr}");
    let after = files_under(&dir.path().join("out/BAS2421-002"));
    assert_eq!(after, before, "the first input's files, as before");
}
