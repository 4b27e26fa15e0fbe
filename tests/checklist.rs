//! The competency matrix and the training checklists: the matrix marks exactly the (task, K/S)
//! pairs of the standard, on its sheet and in the PDF's layout; every indicator of a role appears
//! exactly once in its checklist, printed and in the workbook; the sample's eight roles are found;
//! a roles file replaces them.

mod common;
use calamine::{Data, Reader, Xlsx};
use common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn pairs_of_the_json() -> BTreeSet<(String, String)> {
    let expected = expected_json();
    let mut pairs = BTreeSet::new();
    for task in expected["duties"].as_array().unwrap().iter().flat_map(|d| d["tasks"].as_array().unwrap()) {
        for list in ["knowledge", "skills"] {
            for code in task[list].as_array().unwrap() {
                pairs.insert((task["code"].as_str().unwrap().to_string(), code.as_str().unwrap().to_string()));
            }
        }
    }
    pairs
}

#[test]
fn the_matrix_sheet_marks_exactly_the_pairs_of_the_standard() {
    let (_dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "xlsx"]);
    let mut book: Xlsx<_> = calamine::open_workbook(folder.join("BAS2421-002.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["職能基準", "知識", "技能", "態度", "職能矩陣", "資料", "檢核"]);
    let sheet = book.worksheet_range("職能矩陣").unwrap();
    let at = |r: u32, c: u32| sheet.get_value((r, c)).map(Data::to_string).unwrap_or_default();
    let width = sheet.width() as u32;
    // The matrix is printed in pages of columns, one below the other: each has its heads under
    // the row that starts with 工作任務.
    let mut marked = BTreeSet::new();
    let mut heads = 0;
    let mut k08_total = None;
    for row in 0..sheet.height() as u32 {
        if at(row, 0) == "工作任務" {
            heads = row + 1;
            continue;
        }
        if heads == 0 || row == heads {
            continue;
        }
        let task = at(row, 0).split(' ').next().unwrap_or("").to_string();
        for col in 2..width {
            if at(row, col) == "●" {
                marked.insert((task.clone(), at(heads, col)));
            }
            if at(row, 0) == "合計" && at(heads, col) == "K08" {
                k08_total = Some(at(row, col));
            }
        }
    }
    assert_eq!(marked, pairs_of_the_json());
    assert_eq!(k08_total.as_deref(), Some("12"), "K08 is used by T1.1–T1.4 and T2.1–T2.8");
}

#[test]
fn the_matrix_pdf_marks_exactly_the_pairs_of_the_standard() {
    use ocs::render::pdf::layout::{Item, Role};
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::matrix::document(&standard, &ocs::template::Template::official()), &font);
    assert!(document.pages.iter().all(|p| p.width > p.height), "landscape");
    let mut marked = BTreeSet::new();
    let mut heads_per_page = Vec::new();
    for page in &document.pages {
        let runs: Vec<_> = page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
        let heads: Vec<_> = runs.iter().filter(|r| r.rotated).collect();
        heads_per_page.push(heads.len());
        for mark in runs.iter().filter(|r| r.text == "●") {
            let code = heads.iter().find(|h| (h.cell.x - mark.cell.x).abs() < 0.5).expect("a column head above every mark");
            let task =
                runs.iter().find(|r| r.role == Role::Body(0) && (r.cell.y - mark.cell.y).abs() < 0.5).expect("a task on every marked row");
            marked.insert((task.text.split(' ').next().unwrap().to_string(), code.text.clone()));
        }
    }
    assert_eq!(marked, pairs_of_the_json());
    assert!(heads_per_page.iter().filter(|n| **n > 0).count() >= 2, "more codes than fit across: the columns continue on further pages");
    // The mark goes exactly where the head is: every rotated head is a code of the standard.
    let codes: usize = standard.knowledge.len() + standard.skills.len();
    assert!(heads_per_page.iter().sum::<usize>() >= codes);
}

#[test]
fn the_sample_has_eight_roles_of_three_tasks() {
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let roles = ocs::roles::detect(&standard);
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["議事組", "註冊與報到組", "交通與住宿組", "贊助與外包廠商聯繫", "文宣組", "秘書事務處", "展覽組", "旅遊與晚宴組"]);
    for (n, role) in roles.iter().enumerate() {
        let expected: Vec<String> = [2, 3, 5].iter().map(|d| format!("T{d}.{}", n + 1)).collect();
        assert_eq!(role.tasks, expected, "{}: before, during and after the event", role.name);
    }
}

/// The checklist's text as read, without its page furniture.
fn checklist_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let mut text: String = text(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    {
        let furniture = "任務行為指標達成／未達成評量方式評語日期";
        text = text.replace(furniture, "");
    }
    let mut cleaned = String::new();
    for line in text.split("BAS2421-002會議專案執行人員職能基準職能導向訓練檢核表") {
        cleaned.push_str(line);
    }
    // 第N頁，總共M頁 and the task labels repeated with （續）.
    let mut out = String::new();
    let chars: Vec<char> = cleaned.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 20)].iter().collect();
        let skip = if rest.starts_with('第') && rest.contains("頁，總共") {
            rest.find("頁，總共")
                .and_then(|a| rest[a..].char_indices().skip(4).find(|(_, c)| *c == '頁').map(|(b, _)| rest[..a + b].chars().count() + 1))
        } else if rest.starts_with('T') && rest.contains("（續）") && rest.find("（續）").is_some_and(|a| a <= 6) {
            rest.find("（續）").map(|a| rest[..a].chars().count() + 3)
        } else {
            None
        };
        match skip {
            Some(n) => i += n,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn every_indicator_of_a_role_is_in_its_checklist_once() {
    let (_dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "checklist"]);
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    for role in ocs::roles::detect(&standard) {
        let tasks: Vec<_> = standard.tasks().filter(|t| role.tasks.contains(&t.code)).collect();
        let indicators: Vec<String> = tasks
            .iter()
            .flat_map(|t| t.indicators())
            .map(|p| format!("{}{}", p.code, p.text).chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        let printed = checklist_text(&folder.join(format!("checklists/{}.pdf", role.name)));
        for indicator in &indicators {
            let expected = indicators.iter().filter(|i| *i == indicator).count();
            assert_eq!(printed.matches(indicator.as_str()).count(), expected, "{}: `{indicator}`", role.name);
        }
        let mut book: Xlsx<_> = calamine::open_workbook(folder.join(format!("checklists/{}.xlsx", role.name))).unwrap();
        let sheet = book.worksheet_range("檢核表").unwrap();
        let cells: Vec<String> = sheet
            .rows()
            .map(|r| r.get(1).map(Data::to_string).unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        for indicator in &indicators {
            let expected = indicators.iter().filter(|i| *i == indicator).count();
            assert_eq!(cells.iter().filter(|c| *c == indicator).count(), expected, "{} workbook: `{indicator}`", role.name);
        }
        // No other task's indicator is there.
        assert_eq!(cells.iter().filter(|c| c.starts_with('P')).count(), indicators.len(), "{}", role.name);
    }
}

#[test]
fn the_whole_checklist_covers_every_indicator_with_boxes_and_lists() {
    let (_dir, folder) = build_sample("BAS2421-002.xlsx", &["--only", "checklist"]);
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let printed = checklist_text(&folder.join("BAS2421-002-checklist.pdf"));
    for indicator in standard.tasks().flat_map(|t| t.indicators()) {
        let key: String = format!("{}{}", indicator.code, indicator.text).chars().filter(|c| !c.is_whitespace()).collect();
        assert!(printed.contains(&key), "`{key}` missing");
    }
    for words in ["學員", "訓練師", "訓練期間", "通過", "再評量", "學員簽名", "訓練師簽名", "能夠在經常變動的情況中"]
    {
        assert!(printed.contains(words), "`{words}` missing");
    }
    let mut book: Xlsx<_> = calamine::open_workbook(folder.join("BAS2421-002-checklist.xlsx")).unwrap();
    assert_eq!(
        book.worksheet_range("檢核表").unwrap().rows().filter(|r| r.get(1).is_some_and(|c| c.to_string().starts_with('P'))).count(),
        standard.tasks().flat_map(|t| t.indicators()).count()
    );
    let mut sheet = String::new();
    use std::io::Read;
    zip::ZipArchive::new(std::fs::File::open(folder.join("BAS2421-002-checklist.xlsx")).unwrap())
        .unwrap()
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("<formula1>\"✓\"</formula1>"), "a tick for 達成 and for 未達成");
    assert!(sheet.contains("<formula1>\"通過,再評量\"</formula1>"), "a drop-down for the overall result");
    assert!(sheet.contains("<formula1>\"實作,觀察,口試,筆試,作品\"</formula1>"), "a drop-down for the method");
}

#[test]
fn a_roles_file_replaces_the_roles_found() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    std::fs::write(dir.path().join("roles.toml"), "\"現場指揮\" = [\"T4.4\", \"T3.1\"]\n\"不存在\" = [\"T9.9\"]\n").unwrap();
    let out = ocs(&["build", "in", "-o", "out", "--only", "checklist", "--roles", "roles.toml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning[role-empty]: role 不存在: BAS2421-002 has none of its tasks (T9.9), so no checklist is written for it; the tasks of BAS2421-002 are T1.1, T1.2"), "{stderr}");
    let names: BTreeSet<String> = std::fs::read_dir(dir.path().join("out/BAS2421-002/checklists"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let formats = ["pdf", "odt", "ods", "xlsx"];
    assert_eq!(names, formats.iter().map(|f| format!("現場指揮.{f}")).collect::<BTreeSet<_>>());
    let printed = checklist_text(&dir.path().join("out/BAS2421-002/checklists/現場指揮.pdf"));
    let (t44, t31) = (printed.find("T4.4監督現場活動").unwrap(), printed.find("T3.1執行議事組工作").unwrap());
    assert!(t44 < t31, "the file's order");
    let bad = ocs(&["build", "in", "-o", "out2", "--roles", "in/BAS2421-002.xlsx"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

/// A roles file of which no role names a task of the standard: an error, not checklists that
/// silently disappear.
#[test]
fn a_roles_file_that_fits_nothing_fails_the_standard() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    std::fs::write(dir.path().join("roles.toml"), "\"議事\" = [\"T9.1\", \"T9.2\"]\n").unwrap();
    let out = ocs(&["build", "in", "-o", "out", "--roles", "roles.toml"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning[role-empty]: role 議事: BAS2421-002 has none of its tasks (T9.1, T9.2)"), "{stderr}");
    assert!(stderr.contains("error[role-empty]: not one role of the --roles file names a task of BAS2421-002"), "{stderr}");
    assert!(!dir.path().join("out/BAS2421-002").exists(), "a failed standard writes nothing");
}
