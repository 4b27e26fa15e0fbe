//! The clerk's first hour: every line ocs prints in Traditional Chinese under a Chinese locale and in
//! English otherwise, diagnostics at the cell to edit with the fix, a standard's defects shown once,
//! the silent guesses that now speak, and usage errors that say what to do (exit 2).

mod common;
use common::*;
use std::path::Path;

/// Rule ids, option names, codes, paths and quoted values removed, what is left of a line must hold
/// no English sentence (two English words in a row) and no catalogue id (`word-word`).
fn untranslated(line: &str) -> Option<String> {
    let mut rest = String::new();
    let mut skip_until: Option<char> = None;
    for c in line.chars() {
        match skip_until {
            Some(end) if c == end => skip_until = None,
            Some(_) => {}
            None => match c {
                '[' => skip_until = Some(']'),
                '`' => skip_until = Some('`'),
                '「' => skip_until = Some('」'),
                c => rest.push(c),
            },
        }
    }
    let words: Vec<&str> = rest.split(' ').map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation())).collect();
    let is_word = |w: &str| {
        w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_uppercase()) && w.chars().any(|c| c.is_ascii_lowercase())
    };
    for pair in words.windows(2) {
        if is_word(pair[0]) && is_word(pair[1]) {
            return Some(format!("English words `{} {}`", pair[0], pair[1]));
        }
    }
    // A catalogue id printed instead of its text: lower-case words joined by dashes, not an option.
    for word in rest.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
        let parts: Vec<&str> = word.split('-').collect();
        if parts.len() >= 2 && !word.starts_with('-') && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase())) {
            return Some(format!("a message id `{word}`"));
        }
    }
    None
}

/// The part of each printed line after `file:sheet!cell: ` (paths and sheet names are the user's).
fn said(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.find("]: ") {
            Some(at) => l[at + 3..].to_string(),
            None => l.to_string(),
        })
        .collect()
}

fn assert_chinese(output: &str, what: &str) {
    let lines = said(output);
    assert!(!lines.is_empty(), "{what}: nothing printed");
    for line in lines {
        // Paths of the run (the output folder, the report) are the user's words, not ours.
        let line = line.split(" → ").next().unwrap_or_default().to_string();
        let line = if line.contains("報告：") { "報告：".to_string() } else { line };
        assert!(line.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{what}: a line without Chinese: `{line}`");
        if let Some(problem) = untranslated(&line) {
            panic!("{what}: {problem} in `{line}`\n{output}");
        }
    }
}

#[test]
fn the_checker_of_untranslated_text_catches_english_and_ids() {
    assert!(untranslated("P2.2.2 is under T2.1").is_some());
    assert!(untranslated("讀取時發生 summary-standards").is_some());
    assert!(untranslated("P2.2.2 位於 T2.1 之下（--fix 會重新編號）").is_none());
    assert!(untranslated("以 UTF-8（含 BOM）讀取").is_none());
}

#[test]
fn a_chinese_locale_gets_chinese_for_the_sample_a_failing_file_and_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("input")).unwrap();
    for entry in std::fs::read_dir(root().join("input")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join("input").join(path.file_name().unwrap())).unwrap();
    }
    let zh = ocs_in("zh_TW.UTF-8", &["build", "-o", "out-zh", "-v"], dir.path());
    assert_eq!(zh.status.code(), Some(0));
    let stderr = text(&zh.stderr);
    assert_chinese(&stderr, "build the sample");
    assert!(stderr.contains("警告[prefix-mismatch]: P2.2.2 位於 T2.1 之下，但代碼開頭是 T2.2"), "{stderr}");
    assert!(stderr.contains("已轉換"), "{stderr}");

    let en = ocs_in("C", &["build", "-o", "out-en"], dir.path());
    let english = text(&en.stderr);
    assert!(english.contains("warning[prefix-mismatch]: P2.2.2 is under T2.1 but its prefix says T2.2"), "{english}");
    assert!(!english.chars().any(|c| "警告已轉換錯誤".contains(c)), "LANG=C is English:\n{english}");
    // report.json is for scripts: the same bytes in either language.
    let report = |folder: &str| std::fs::read(dir.path().join(folder).join("report.json")).unwrap();
    assert_eq!(report("out-zh"), report("out-en"));
    // `--lang` wins over the locale.
    let chosen = ocs_in("C", &["check", "input/BAS2421-002.xlsx", "--lang", "zh-TW"], dir.path());
    assert!(text(&chosen.stdout).contains("警告[duplicate-attitude]: A12 樂觀 列了兩次"), "{}", text(&chosen.stdout));

    // Failing files: empty, not a workbook at all, no table.
    std::fs::create_dir(dir.path().join("bad")).unwrap();
    std::fs::write(dir.path().join("bad/empty.xlsx"), b"").unwrap();
    std::fs::write(dir.path().join("bad/renamed.xlsx"), b"just some text, not a workbook").unwrap();
    std::fs::write(dir.path().join("bad/notes.csv"), "會議紀錄,第一次\n出席,五人\n").unwrap();
    let failed = ocs_in("zh_TW.UTF-8", &["build", "bad", "-o", "out-bad"], dir.path());
    assert_eq!(failed.status.code(), Some(1));
    let stderr = text(&failed.stderr);
    assert_chinese(&stderr, "failing files");
    assert!(stderr.contains("bad/empty.xlsx: 錯誤[read]: 檔案是空的"), "{stderr}");
    assert!(stderr.contains("bad/notes.csv: 錯誤[no-table]: 沒有任何工作表含有職能基準表格"), "{stderr}");

    // Usage errors: an unknown option, a bad value, a missing input.
    for args in [
        &["build", "--bogus"][..],
        &["build", "--max-file-size", "64X"],
        &["check", "--format", "xml"],
        &["build", "nowhere.xlsx"],
        &["frobnicate"],
    ] {
        let out = ocs_in("zh_TW.UTF-8", args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert_chinese(&text(&out.stderr), &format!("{args:?}"));
        assert!(text(&out.stdout).is_empty());
    }
    let typo = text(&ocs_in("zh_TW.UTF-8", &["biuld"], dir.path()).stderr);
    assert!(typo.contains("沒有「biuld」這個命令") && typo.contains("是不是要用「build」？"), "{typo}");
    let empty = text(&ocs_in("C", &["build", "-o"], dir.path()).stderr);
    assert!(empty.contains("--out <OUT> needs a value"), "{empty}");
}

#[test]
fn help_is_translated_and_honest() {
    let dir = tempfile::tempdir().unwrap();
    let build = text(&ocs_in("zh_TW.UTF-8", &["build", "--help"], dir.path()).stdout);
    for wanted in ["用法：", "選項:", "輸出資料夾［預設：out］", "64 MiB", "256 KiB", "每個核心一個", "report.html", "顯示說明"]
    {
        assert!(build.contains(wanted), "`{wanted}` missing:\n{build}");
    }
    for unwanted in ["67108864", "262144", "[default: 0]", "CODE.json, CODE.csv)", "Print help", "Usage:"] {
        assert!(!build.contains(unwanted), "`{unwanted}` in:\n{build}");
    }
    let check = text(&ocs_in("C", &["check", "--help"], dir.path()).stdout);
    assert!(check.contains("--format") && check.contains("--fix"), "{check}");
    for build_only in ["--font", "--roles", "--template", "--only"] {
        assert!(!check.contains(build_only), "check --help lists {build_only}:\n{check}");
    }
    let english = text(&ocs_in("C", &["build", "--help"], dir.path()).stdout);
    assert!(english.contains("Output folder [default: out]") && english.contains("[default: 64 MiB]"), "{english}");
    let top = text(&ocs_in("zh_TW.UTF-8", &["--help"], dir.path()).stdout);
    assert!(top.contains("命令:") && top.contains("只讀取並檢查"), "{top}");
}

#[test]
fn missing_inputs_are_a_usage_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = ocs(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("there is no folder `input` in"), "{stderr}");
    assert!(stderr.contains("`ocs init` writes a blank workbook"), "{stderr}");
    let zh = text(&ocs_in("zh_TW.UTF-8", &["build"], dir.path()).stderr);
    assert!(zh.contains("沒有 input 資料夾") && zh.contains("ocs init"), "{zh}");

    let out = ocs(&["check", "nowhere.xlsx"], dir.path());
    assert_eq!(out.status.code(), Some(2), "a missing path is a usage error, as the README says");
    assert!(text(&out.stderr).contains("nowhere.xlsx: no such file or folder"), "{}", text(&out.stderr));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(ocs(&["check", "empty"], dir.path()).status.code(), Some(2), "no input files");
}

#[test]
fn the_sample_in_six_forms_reports_its_23_defects_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = ocs(&["build", root().join("input").to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains(": warning[")).collect();
    assert_eq!(warnings.len(), 23, "{stderr}");
    assert!(stderr.contains("0 errors, 23 warnings"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap()).unwrap();
    assert_eq!(report["warnings"], 23);
    let standards = report["standards"].as_array().unwrap();
    assert_eq!(standards.len(), 6);
    assert_eq!(standards.iter().filter(|s| s["same_as"].is_null()).count(), 1, "one written, five the same");
    let written = standards.iter().find(|s| s["written"] == true).unwrap();
    assert!(written["files"].as_array().unwrap().iter().any(|f| f == "BAS2421-002.pdf"));
    let diagnostic = &report["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "missing-level").unwrap();
    assert_eq!(diagnostic["message_id"], "missing-in-duty");
    assert_eq!(diagnostic["args"]["duty"], "T5");
    assert!(diagnostic["message"].as_str().unwrap().ends_with("enter a level from 1 to 6 in E40"), "{diagnostic}");
    // With --strict the standard fails, and so do its repeats: none counts as converted.
    let strict = ocs(&["build", root().join("input").to_str().unwrap(), "-o", "strict", "--strict"], dir.path());
    assert_eq!(strict.status.code(), Some(1));
    assert!(text(&strict.stderr).contains("0 standards converted, 6 failed"), "{}", text(&strict.stderr));
    // --fix repairs the standard once and says so once, however many inputs hold it.
    let fixes = |input: &Path, out: &str| {
        let run = ocs(&["build", input.to_str().unwrap(), "-o", out, "--fix", "-v", "--only", "json"], dir.path());
        text(&run.stderr).lines().filter(|l| l.contains(": info[fix]: ")).count()
    };
    let once = fixes(&input("BAS2421-002.xlsx"), "fix-one");
    assert!(once > 10, "{once} repairs");
    assert_eq!(fixes(&root().join("input"), "fix-all"), once);
}

/// A blank 職能級別 is reported at the cell to fill (E16), not at the task (B16), with the fix.
#[test]
fn a_blank_level_is_reported_where_it_is_to_be_entered() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = ocs_in("zh_TW.UTF-8", &["check", "in"], dir.path());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("職能基準!E40: 警告[missing-level]: T5 的工作任務都沒有職能級別；請在 E40 填入 1–6 的職能級別"), "{stdout}");
}

fn flat_with(dir: &Path, edit: impl Fn(String) -> String) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap();
    std::fs::write(dir.join("in/BAS2421-002.flat.csv"), edit(csv)).unwrap();
}

#[test]
fn a_second_indicator_line_without_a_code_is_a_warning_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let original = "P1.1.2 參閱主辦單位過去在其他國家曾執行過的相關專案(至少三年)，以得知有哪些應注意事項可供參考";
    flat_with(dir.path(), |csv| {
        assert!(csv.contains(original));
        csv.replace(original, &format!("\"{original}\n確認主辦單位的預算上限\""))
    });
    let out = ocs(&["check", "in"], dir.path());
    let stdout = text(&out.stdout);
    let line = stdout.lines().find(|l| l.contains("[joined-indicator]")).unwrap_or_else(|| panic!("no warning:\n{stdout}"));
    assert!(line.starts_with("in/BAS2421-002.flat.csv:BAS2421-002.flat!D11: warning[joined-indicator]: the 行為指標 P1.1.2 runs over two lines, and the line “確認主辦單位的預算上限” has no code of its own"), "{line}");
    assert!(line.contains("give it its own code in D11"), "{line}");
}

/// A 職能基準代碼 that disagrees with the classification is reported at the code's cell.
#[test]
fn a_code_that_disagrees_is_reported_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    flat_with(dir.path(), |csv| csv.replacen("職能基準代碼,BAS2421-002", "職能基準代碼,BAS2422-002", 1));
    let stdout = text(&ocs(&["check", "in"], dir.path()).stdout);
    assert!(
        stdout.contains(
            "BAS2421-002.flat!B1: warning[code-classification]: the 職能基準代碼 `BAS2422-002` has 2422 but the 職業別代碼 is 2421"
        ),
        "{stdout}"
    );
}

/// A task without 行為指標 is reported at the 行為指標 cell of its row, where one is to be entered.
#[test]
fn a_task_without_indicators_is_reported_at_the_indicator_cell() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let csv = "職能基準代碼,BAS2421-009\n\
               主要職責,工作任務,工作產出,行為指標,職能級別,職能內涵(K=knowledge 知識),職能內涵(S=skills 技能)\n\
               T1 職責,T1.1 任務一,O1.1.1 產出一,P1.1.1 指標一,3,K01 知識,S01 技能\n\
               T1 職責,T1.2 任務二,O1.2.1 產出二,,3,K01 知識,S01 技能\n";
    std::fs::write(dir.path().join("in/BAS2421-009.csv"), csv).unwrap();
    let stdout = text(&ocs_in("zh_TW.UTF-8", &["check", "in"], dir.path()).stdout);
    assert!(stdout.contains("BAS2421-009!D4: 警告[missing-indicators]: T1.2 沒有行為指標；請在 D4 至少填入一項"), "{stdout}");
}

/// Ctrl-C under a Chinese locale: what was written and what to do, in Chinese.
#[cfg(unix)]
#[test]
fn an_interrupted_run_says_so_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap();
    for n in 0..40 {
        let code = format!("BAS2421-{:03}", 100 + n);
        std::fs::write(dir.path().join(format!("in/s{n:02}.csv")), csv.replace("BAS2421-002", &code)).unwrap();
    }
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", "in", "-o", "out", "--only", "json,pdf", "--jobs", "1"])
        .current_dir(dir.path())
        .env("LANG", "zh_TW.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with("ocs: 已中斷：已寫出 ")), "{stderr}");
    assert_chinese(&stderr, "Ctrl-C");
}
