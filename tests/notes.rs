//! 說明與補充事項 keeps its structure: a workbook whose notes are a ●/○ two-level list and a
//! three-column table is read into tab-joined table rows and marked levels, printed with ● and ○,
//! hanging indents and the table in columns (PDF, and the ODT through LibreOffice), and re-read from
//! every output to the same JSON and the same levels.

mod common;
use common::*;
use ocs::render::pdf::layout::{Item, Role, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

const LONG: &str = "專科以上，不限科系，有工作經驗者與具活動或社團經驗較佳；英文需能與國外客戶以英文書信或口語溝通(多益 750 分或全民英檢中高級程度以上)，並能以英文撰寫會議議程、新聞稿與會後報告。";

/// The notes as the fixture's rows: one cell a row, or several for the table.
fn note_rows() -> Vec<Vec<String>> {
    let long = format!("○ {LONG}");
    let rows: Vec<Vec<&str>> = vec![
        vec!["● 建議擔任此職類/職業之學歷/經歷/或能力條件"],
        vec![&long],
        vec!["○ 文書軟體：Word、PowerPoint、Excel。"],
        vec!["● 相關職業"],
        vec!["職業名稱", "相關代碼", "說明"],
        vec!["會議及展覽規劃人員", "3332", "規劃、組織及協調會議與展覽"],
        vec!["公共關係專業人員", "2432", "規劃及執行公共關係活動"],
        vec!["行政秘書", "3343", "處理行政及會議庶務"],
        vec!["● 基準更新紀錄。"],
        vec!["○ 因應 2017/05/25 公告職能基準品質認證作業規範修訂版，將原「入門水準」內容移至「說明與補充事項」。"],
    ];
    rows.into_iter().map(|r| r.into_iter().map(String::from).collect()).collect()
}

fn expected_notes() -> Vec<String> {
    [
        "建議擔任此職類/職業之學歷/經歷/或能力條件",
        LONG,
        "文書軟體：Word、PowerPoint、Excel。",
        "相關職業",
        "職業名稱\t相關代碼\t說明",
        "會議及展覽規劃人員\t3332\t規劃、組織及協調會議與展覽",
        "公共關係專業人員\t2432\t規劃及執行公共關係活動",
        "行政秘書\t3343\t處理行政及會議庶務",
        "基準更新紀錄。",
        "因應 2017/05/25 公告職能基準品質認證作業規範修訂版，將原「入門水準」內容移至「說明與補充事項」。",
    ]
    .map(String::from)
    .to_vec()
}

/// The sample's grid (its CSV) up to its notes, then `note_rows`, as a workbook.
fn fixture(dir: &Path) -> PathBuf {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(input("BAS2421-002.csv")).unwrap();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        let record: Vec<String> = record.unwrap().iter().map(|c| c.trim_start_matches('\u{feff}').to_string()).collect();
        let notes = record.first().is_some_and(|c| c == "說明與補充事項");
        rows.push(record);
        if notes {
            break;
        }
    }
    rows.extend(note_rows());
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("職能基準").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            sheet.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    let path = dir.join("BAS2421-002.xlsx");
    workbook.save(&path).unwrap();
    path
}

#[test]
fn the_reader_keeps_levels_and_table_rows() {
    let dir = tempfile::tempdir().unwrap();
    let standard = only_standard(&fixture(dir.path()));
    assert_eq!(standard.notes, expected_notes());
    assert_eq!(ocs::doc::notes::levels(&standard.notes, &standard.source.note_levels), [1, 2, 2, 1, 0, 0, 0, 0, 1, 2]);
}

/// Every text run of the laid-out official form.
fn runs(standard: &ocs::model::Standard) -> Vec<Run> {
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(standard, &ocs::template::Template::official()), &font);
    document
        .pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Text(run) => Some(run.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_pdf_layout_hangs_wrapped_lines_under_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let standard = only_standard(&fixture(dir.path()));
    let runs = runs(&standard);
    let at = |text: &str| runs.iter().position(|r| r.text.starts_with(text)).unwrap_or_else(|| panic!("`{text}` not laid out"));
    let first = at("專科以上");
    let (mark, line1, line2) = (&runs[first - 1], &runs[first], &runs[first + 1]);
    assert_eq!(mark.text, "○");
    assert!(line2.baseline > line1.baseline && LONG.contains(&line2.text) && !line2.text.is_empty(), "the item wraps");
    assert!((line2.x - line1.x).abs() < 0.01, "a wrapped line starts under the text: {} vs {}", line2.x, line1.x);
    assert!(mark.x < line1.x - 5.0, "the mark hangs before the text");
    let heading = at("建議擔任");
    let first_mark = &runs[heading - 1];
    assert_eq!(first_mark.text, "●");
    assert!(mark.x > first_mark.x + 5.0, "the second level is indented");
    assert!((mark.x - runs[heading].x).abs() < 0.01, "○ stands under the heading's text");
    // The table's cells side by side on one baseline, in order, in the body of the notes.
    let row: Vec<&Run> = runs.iter().filter(|r| (r.baseline - runs[at("會議及展覽規劃人員")].baseline).abs() < 0.01).collect();
    let texts: Vec<&str> = row.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["會議及展覽規劃人員", "3332", "規劃、組織及協調會議與展覽"]);
    assert!(row.windows(2).all(|w| w[0].x < w[1].x));
    let code = at("相關代碼");
    assert!((runs[code].x - row[1].x).abs() < 0.01, "a column's cells start at one x: {:?} {:?}", runs[code], row[1]);
    assert!(runs.iter().all(|r| !r.text.contains('・')), "no katakana middle dot");
    assert!(matches!(row[0].role, Role::Body(_)));
}

#[test]
fn a_long_list_crosses_pages_with_every_line_once_and_inside_its_cell() {
    let mut notes = Vec::new();
    for n in 1..=30 {
        notes.push(format!("第{n}項條件："));
        notes.push(format!("{LONG}（第{n}項）"));
        notes.push(format!("相關職業{n}\t{n:04}\t{}", "說明".repeat(n % 7 + 1)));
        notes.push(format!("(1) {LONG}"));
    }
    let standard = ocs::model::Standard { code: "BAS2421-002".into(), notes, ..Default::default() };
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standard, &ocs::template::Template::official()), &font);
    assert!(document.pages.len() >= 3, "the notes cross pages");
    let mut shown = String::new();
    let mut in_notes = false;
    for page in &document.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let right = run.x + font.width(&run.text, run.size);
                assert!(run.x >= run.cell.x - 0.01 && right <= run.cell.x + run.cell.w + 0.01, "`{}` leaves its cell", run.text);
                in_notes |= run.role == Role::Header && run.text == "說明與補充事項";
                if in_notes && matches!(run.role, Role::Body(_)) && !["●", "○"].contains(&run.text.as_str()) {
                    shown.push_str(&run.text);
                }
            }
        }
    }
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let expected: String = standard.notes.iter().map(|n| squeeze(n)).collect();
    assert!(squeeze(&shown) == expected, "every note once, in order:\n{shown}");
}

fn pdftotext(args: &[&str], pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(args).arg(pdf).arg("-").output().expect("pdftotext");
    text(&out.stdout)
}

/// The lines of a PDF as pdftotext finds them: (xMin, yMin, text) of each `line` of `-bbox-layout`.
fn bbox_lines(pdf: &Path) -> Vec<(f32, f32, String)> {
    let xml = pdftotext(&["-bbox-layout"], pdf);
    let mut lines = Vec::new();
    for line in xml.split("<line ").skip(1) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        let words: Vec<&str> = line.split("<word ").skip(1).filter_map(|w| w.split('>').nth(1)?.split('<').next()).collect();
        lines.push((attr("xMin"), attr("yMin"), words.concat()));
    }
    lines
}

/// The notes of a printed PDF: marks, hanging indent and table columns.
fn check_printed(pdf: &Path, what: &str) {
    let layout = pdftotext(&["-layout", "-enc", "UTF-8"], pdf);
    let heading = layout.lines().position(|l| l.trim() == "說明與補充事項").unwrap_or_else(|| panic!("{what}: no notes"));
    let notes = layout.lines().skip(heading).collect::<Vec<_>>().join("\n");
    assert!(notes.contains('●') && notes.contains('○'), "{what}: marks\n{notes}");
    assert!(!notes.contains('・'), "{what}: no katakana middle dot");
    let line = notes.lines().find(|l| l.contains("會議及展覽規劃人員")).unwrap_or_else(|| panic!("{what}: table row\n{notes}"));
    let cells: Vec<&str> = line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(cells, ["會議及展覽規劃人員", "3332", "規劃、組織及協調會議與展覽"], "{what}: the row's cells in columns");
    let lines = bbox_lines(pdf);
    let first = lines.iter().position(|l| l.2.contains("專科以上")).unwrap_or_else(|| panic!("{what}: the long item"));
    let (x1, _, text1) = &lines[first];
    let (x2, _, text2) = &lines[first + 1];
    let start = text1.find("專科以上").unwrap();
    // The line may begin with the mark as a word of its own: the text starts after it.
    let text_x = if start == 0 {
        *x1
    } else {
        let xml = pdftotext(&["-bbox"], pdf);
        let word = xml.split("<word ").find(|w| w.contains(">專科以上") || w.contains(">專科以上，")).unwrap();
        let start = word.find("xMin=\"").unwrap() + 6;
        word[start..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(LONG.replace(" ", "").contains(text2.as_str()), "{what}: the line after is the item's tail: {text2}");
    assert!((x2 - text_x).abs() < 1.5, "{what}: the wrapped line starts at {x2}, the text at {text_x} ({text1} / {text2})");
    let mark = lines.iter().find(|l| l.2.starts_with('○')).map(|l| l.0).unwrap_or(*x1);
    assert!(mark < text_x - 5.0, "{what}: the mark hangs before the text");
}

/// Build every output of the fixture; returns the folder and the output folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    fixture(&dir.path().join("in"));
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    (dir, folder)
}

#[test]
fn the_pdf_and_the_odt_print_marks_hanging_indents_and_the_table() {
    let (dir, out) = built();
    check_printed(&out.join("BAS2421-002.pdf"), "PDF");
    let odt = soffice_pdf(&out.join("BAS2421-002.odt"), dir.path(), &dir.path().join("soffice"));
    check_printed(&odt, "ODT");
}

#[test]
fn levels_and_table_rows_survive_every_output() {
    let (dir, out) = built();
    let source = only_standard(&dir.path().join("in/BAS2421-002.xlsx"));
    let levels = ocs::doc::notes::levels(&source.notes, &source.source.note_levels);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("BAS2421-002.json")).unwrap()).unwrap();
    assert_eq!(json, json_of(&source));
    for format in ["xlsx", "ods", "odt", "csv"] {
        // A workbook holds the standard twice: on its official sheet and as the flat table of 資料.
        for again in standards(&out.join(format!("BAS2421-002.{format}"))) {
            let sheet = &again.source.sheet;
            assert_eq!(json_of(&again), json, "{format} {sheet}: the JSON of the re-read output");
            assert_eq!(ocs::doc::notes::levels(&again.notes, &again.source.note_levels), levels, "{format} {sheet}: the levels");
        }
    }
}
