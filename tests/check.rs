//! `ocs check` reports every defect listed in the sample's README at its cell, and `ocs build --fix`
//! makes exactly the listed repairs.

mod common;
use common::*;
use serde_json::Value;

const DEFECTS: [&str; 23] = [
    "D17: warning[prefix-mismatch]: P2.2.2 is under T2.1 but its prefix says T2.2",
    "D17: warning[prefix-mismatch]: P2.2.3 is under T2.1 but its prefix says T2.2",
    "D17: warning[prefix-mismatch]: P2.2.4 is under T2.1 but its prefix says T2.2",
    "D17: warning[prefix-mismatch]: P2.2.5 is under T2.1 but its prefix says T2.2",
    "D18: warning[duplicate-code]: P2.1.3 appears 2 times among the 行為指標 of T2.1",
    "D19: warning[duplicate-code]: P2.1.4 appears 2 times among the 行為指標 of T2.1",
    "D19: warning[duplicate-code]: P2.1.5 appears 3 times among the 行為指標 of T2.1",
    "D20: warning[duplicate-code]: P2.1.6 appears 2 times among the 行為指標 of T2.1",
    "F16: warning[duplicate-competency]: K08 is listed 2 times in the 知識 cell",
    "E40: warning[missing-level]: no task of T5 has 職能級別; enter a level from 1 to 6 in E40",
    "F40: warning[missing-knowledge]: no task of T5 has 知識 (K); enter its K codes and names in F40",
    "G40: warning[missing-skills]: no task of T5 has 技能 (S); enter its S codes and names in G40",
    "C40: warning[prefix-mismatch]: O4.1.2 is under T5.1 but its prefix says T4.1",
    "C40: warning[prefix-mismatch]: O4.1.3 is under T5.1 but its prefix says T4.1",
    "C43: warning[prefix-mismatch]: O4.4.2 is under T5.4 but its prefix says T4.4",
    "C49: warning[prefix-mismatch]: O6.3.1 is under T6.2 but its prefix says T6.3",
    "D49: warning[prefix-mismatch]: P6.3.1 is under T6.2 but its prefix says T6.3",
    "C50: warning[prefix-mismatch]: O6.4.1 is under T6.3 but its prefix says T6.4",
    "D50: warning[prefix-mismatch]: P6.4.1 is under T6.3 but its prefix says T6.4",
    "D50: warning[prefix-mismatch]: P6.4.2 is under T6.3 but its prefix says T6.4",
    "F51: warning[missing-knowledge]: no task of T7 has 知識 (K); enter its K codes and names in F51",
    "G51: warning[missing-skills]: no task of T7 has 技能 (S); enter its S codes and names in G51",
    "A62: warning[duplicate-attitude]: A12 樂觀 is listed twice",
];

#[test]
fn check_reports_each_defect_at_its_cell() {
    for name in ["BAS2421-002.xlsx", "BAS2421-002.ods", "BAS2421-002.csv"] {
        let dir = folder_with(&[name]);
        let out = ocs(&["check", &format!("in/{name}")], dir.path());
        assert_eq!(out.status.code(), Some(0), "warnings do not fail a check");
        let stdout = text(&out.stdout);
        let warnings: Vec<&str> = stdout.lines().filter(|l| l.contains(": warning[")).collect();
        for defect in DEFECTS {
            let line = format!("in/{name}:{}!{defect}", if name.ends_with(".csv") { "BAS2421-002" } else { "職能基準" });
            assert!(warnings.iter().any(|w| w.starts_with(&line)), "{name}: missing `{line}` in\n{stdout}");
        }
        assert_eq!(warnings.len(), DEFECTS.len(), "{name}: no other warnings:\n{stdout}");
    }
}

#[test]
fn gaps_and_tasks_without_outputs_are_not_defects() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let stdout = text(&ocs(&["check", "in"], dir.path()).stdout);
    for not_a_defect in ["K01", "T3.1 ", "T3.6", "A03"] {
        assert!(!stdout.lines().any(|l| l.contains("warning") && l.contains(not_a_defect)), "{not_a_defect} reported:\n{stdout}");
    }
}

#[test]
fn check_as_json() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs(&["check", "in", "--format", "json"], dir.path());
    let diagnostics: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON array");
    let prefix = diagnostics.iter().find(|d| d["rule"] == "prefix-mismatch").expect("a prefix finding");
    assert_eq!(prefix["cell"], "D17");
    assert_eq!(prefix["sheet"], "職能基準");
    assert_eq!(prefix["severity"], "warning");
    assert!(prefix["file"].as_str().unwrap().ends_with("BAS2421-002.xlsx"));
}

#[test]
fn strict_turns_warnings_into_failure() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs(&["build", "in", "--strict", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("out/BAS2421-002").exists(), "a failed standard writes nothing");
}

fn codes(task: &Value, list: &str, field: &str) -> Vec<String> {
    task["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r[list].as_array().unwrap().iter().map(|i| i[field].as_str().unwrap().to_string()))
        .collect()
}

fn task<'a>(standard: &'a Value, code: &str) -> &'a Value {
    standard["duties"].as_array().unwrap().iter().flat_map(|d| d["tasks"].as_array().unwrap()).find(|t| t["code"] == code).unwrap()
}

#[test]
fn build_fix_makes_the_listed_repairs() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs(&["build", "in", "--fix", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fixed: Value = serde_json::from_slice(&std::fs::read(dir.path().join("out/BAS2421-002/BAS2421-002.json")).unwrap()).unwrap();
    let t21 = task(&fixed, "T2.1");
    let expected: Vec<String> = (1..=15).map(|n| format!("P2.1.{n}")).collect();
    assert_eq!(codes(t21, "indicators", "code"), expected);
    let k = t21["knowledge"].as_array().unwrap();
    assert_eq!(k.iter().filter(|c| *c == "K08").count(), 1, "the second K08 is dropped");
    assert_eq!(k.len(), 18);
    assert_eq!(codes(task(&fixed, "T5.1"), "outputs", "code"), ["O5.1.1", "O5.1.2", "O5.1.3"]);
    assert_eq!(codes(task(&fixed, "T5.4"), "outputs", "code"), ["O5.4.1", "O5.4.2"]);
    assert_eq!(codes(task(&fixed, "T6.2"), "outputs", "code"), ["O6.2.1"]);
    assert_eq!(codes(task(&fixed, "T6.2"), "indicators", "code"), ["P6.2.1"]);
    assert_eq!(codes(task(&fixed, "T6.3"), "outputs", "code"), ["O6.3.1"]);
    assert_eq!(codes(task(&fixed, "T6.3"), "indicators", "code"), ["P6.3.1", "P6.3.2"]);
    let attitudes: Vec<&str> = fixed["attitudes"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(attitudes.iter().filter(|c| **c == "A12").count(), 1);
    assert_eq!(attitudes.len(), 13);
    // K/S/A are never renumbered; T5 has still no level (report only).
    assert_eq!(fixed["knowledge"], expected_json()["knowledge"]);
    assert_eq!(task(&fixed, "T5.1")["level"], Value::Null);
    // Untouched tasks are unchanged.
    assert_eq!(task(&fixed, "T1.1"), task(&expected_json(), "T1.1"));
    // Each change is reported; what cannot be fixed is still a warning.
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning[missing-level]: no task of T5 has 職能級別"), "{stderr}");
    assert!(!stderr.contains("prefix-mismatch"), "{stderr}");
    let check = text(&ocs(&["check", "in", "--fix"], dir.path()).stdout);
    assert!(check.contains("C40: info[fix]: O4.1.2 renumbered O5.1.2 (T5.1)"), "{check}");
    assert!(check.contains("A62: info[fix]: dropped the repeated attitude A12 樂觀"), "{check}");
    assert!(check.contains("F16: info[fix]: dropped the repeated K08 from the 知識 cell"), "{check}");
}
