//! The official table as PDF, checked the way a reader sees it: text extracted with `pdftotext`
//! (every code and text of the JSON, in reading order), fonts listed by `pdffonts` (embedded and
//! subset), one table header per page, a small file, the same bytes on every run.

mod common;
use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Marks a page boundary in the extracted text.
const PAGE_BREAK: char = '\u{E000}';

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn built_pdf(input_name: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, folder) = build_sample(input_name, &[]);
    (dir, folder.join("BAS2421-002.pdf"))
}

fn pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// The text as read, with the page furniture taken out: footers, running heads, the repeated table
/// header, and the labels repeated at the top of a page for a span that continues (（續）).
fn content(pdf: &Path, expected: &Value) -> String {
    let pages: Vec<String> = (1..=pages(pdf))
        .map(|n| {
            squeeze(&poppler(
                "pdftotext",
                &["-raw", "-f", &n.to_string(), "-l", &n.to_string(), "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
            ))
        })
        .collect();
    let mut text = pages.join(&PAGE_BREAK.to_string());
    let header = squeeze("主要職責工作任務工作產出行為指標職能級別職能內涵(K=knowledge 知識)職能內涵(S=skills 技能)");
    text = text.replace(&header, "");
    text = text.replace(&squeeze("BAS2421-002 會議專案執行人員職能基準"), "");
    let mut labels: Vec<String> = Vec::new();
    for duty in expected["duties"].as_array().unwrap() {
        labels.push(format!("{}{}（續）", duty["code"].as_str().unwrap(), squeeze(duty["title"].as_str().unwrap())));
        for task in duty["tasks"].as_array().unwrap() {
            labels.push(format!("{}{}（續）", task["code"].as_str().unwrap(), squeeze(task["title"].as_str().unwrap())));
            let codes =
                |key: &str| task[key].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect::<Vec<_>>().join("、");
            labels.push(format!("{}（續）", codes("knowledge")));
            labels.push(format!("{}（續）", codes("skills")));
            if let Some(level) = task["level"].as_u64() {
                labels.push(format!("{level}（續）"));
            }
        }
    }
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    for label in labels {
        text = text.replace(&label, "");
    }
    // Footers: 第N頁，總共M頁.
    let mut cleaned = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("第") {
        let after = &rest[at + "第".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with("頁，總共") {
            let tail = &after[digits + "頁，總共".len()..];
            let digits2 = tail.chars().take_while(char::is_ascii_digit).count();
            if digits2 > 0 && tail[digits2..].starts_with('頁') {
                cleaned.push_str(&rest[..at]);
                rest = &tail[digits2 + '頁'.len_utf8()..];
                continue;
            }
        }
        cleaned.push_str(&rest[..at + "第".len()]);
        rest = after;
    }
    cleaned.push_str(rest);
    cleaned
}

/// Find `needle` (white space ignored) from `cursor`; returns where it ends. A text may run across
/// one page break, as a row split at a page foot does, with the cells to its right and the next
/// page's furniture in between.
fn find_from(text: &str, cursor: usize, needle: &str) -> Option<usize> {
    let needle = squeeze(needle);
    if let Some(at) = text[cursor..].find(&needle) {
        return Some(cursor + at + needle.len());
    }
    let splits: Vec<usize> = needle.char_indices().map(|(i, _)| i).skip(3).collect();
    for &split in splits.iter().rev() {
        let (head, tail) = needle.split_at(split);
        let Some(at) = text[cursor..].find(head) else { continue };
        let after_head = cursor + at + head.len();
        let Some(gap) = text[after_head..].find(tail) else { continue };
        if text[after_head..after_head + gap].matches(PAGE_BREAK).count() == 1 {
            return Some(after_head + gap + tail.len());
        }
    }
    None
}

#[test]
fn every_code_and_text_is_in_the_pdf_in_reading_order() {
    let (_dir, pdf) = built_pdf("BAS2421-002.xlsx");
    let expected = expected_json();
    let text = content(&pdf, &expected);
    let text_of_pdf = text.clone();
    let mut cursor = 0;
    let find_next = |cursor: &mut usize, needle: &str| match find_from(&text, *cursor, needle) {
        Some(end) => *cursor = end,
        None => panic!("`{needle}` not found after position {cursor}:\n…{}…", text[*cursor..].chars().take(120).collect::<String>()),
    };
    for key in ["code", "name"] {
        assert!(text.contains(&squeeze(expected[key].as_str().unwrap())));
    }
    find_next(&mut cursor, expected["code"].as_str().unwrap());
    find_next(&mut cursor, expected["name"].as_str().unwrap());
    for part in ["job_category", "occupation", "industry"] {
        find_next(&mut cursor, expected["classification"][part]["name"].as_str().unwrap());
        find_next(&mut cursor, expected["classification"][part]["code"].as_str().unwrap());
    }
    find_next(&mut cursor, expected["description"].as_str().unwrap());
    for duty in expected["duties"].as_array().unwrap() {
        find_next(&mut cursor, &format!("{} {}", duty["code"].as_str().unwrap(), duty["title"].as_str().unwrap()));
        for task in duty["tasks"].as_array().unwrap() {
            find_next(&mut cursor, &format!("{} {}", task["code"].as_str().unwrap(), task["title"].as_str().unwrap()));
            for row in task["rows"].as_array().unwrap() {
                // The row's outputs and indicators are two columns: each in order, the two side by side
                // (a row split by a page may show the end of either first).
                let row_start = cursor;
                let mut row_end = cursor;
                for (key, text) in [("outputs", "title"), ("indicators", "text")] {
                    let mut at = row_start;
                    for item in row[key].as_array().unwrap() {
                        let needle = format!("{} {}", item["code"].as_str().unwrap(), item[text].as_str().unwrap());
                        at = find_from(&text_of_pdf, at, &needle).unwrap_or_else(|| panic!("`{needle}` not found in its row"));
                    }
                    row_end = row_end.max(at);
                }
                cursor = row_end;
            }
        }
    }
    for attitude in expected["attitudes"].as_array().unwrap() {
        find_next(&mut cursor, &format!("{} {}", attitude["code"].as_str().unwrap(), attitude["name"].as_str().unwrap()));
    }
    for note in expected["notes"].as_array().unwrap() {
        find_next(&mut cursor, note.as_str().unwrap());
    }
    for list in ["knowledge", "skills"] {
        for item in expected[list].as_array().unwrap() {
            let entry = format!("{} {}", item["code"].as_str().unwrap(), item["name"].as_str().unwrap());
            assert!(find_from(&text, 0, &entry).is_some(), "{entry} missing");
        }
    }
}

#[test]
fn the_font_is_embedded_and_subset() {
    let (_dir, pdf) = built_pdf("BAS2421-002.csv");
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "one font:\n{fonts}");
    let columns: Vec<&str> = rows[0].split_whitespace().collect();
    assert!(columns[0].len() > 7 && columns[0].as_bytes()[6] == b'+' && columns[0].ends_with("NotoSansTC-Regular"), "{fonts}");
    let n = columns.len();
    assert_eq!(&columns[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, unicode:\n{fonts}");
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 200_000, "the PDF is {size} bytes");
}

#[test]
fn the_table_header_is_repeated_once_on_each_page_of_the_table() {
    let (_dir, pdf) = built_pdf("BAS2421-002.xlsx");
    let total = pages(&pdf);
    assert!(total >= 4, "{total} pages");
    let header = squeeze("主要職責工作任務工作產出行為指標");
    let mut table_pages = 0;
    for page in 1..=total {
        let n = page.to_string();
        let text = squeeze(&poppler("pdftotext", &["-raw", "-f", &n, "-l", &n, "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
        let has_indicators = text.contains("P1.") || text.contains("P2.") || text.contains("P5.") || text.contains("P7.");
        if has_indicators {
            table_pages += 1;
            assert_eq!(text.matches(&header).count(), 1, "page {page}");
        }
        assert!(text.contains(&squeeze(&format!("第 {page} 頁，總共 {total} 頁"))), "footer of page {page}");
    }
    assert!(table_pages >= 3);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (_a, first) = built_pdf("BAS2421-002.xlsx");
    // Another run, with another standard converted before it in the same process.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(root().join("tests/fixtures/corpus/BAS5686-001.csv"), dir.path().join("in/A-first.csv")).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), dir.path().join("in/B.xlsx")).unwrap();
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let second = dir.path().join("out/BAS2421-002/BAS2421-002.pdf");
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(), "PDF bytes differ between runs");
}

#[test]
fn source_date_epoch_dates_the_pdf() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", "in", "-o", "out"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1545350400")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let info = poppler("pdfinfo", &[dir.path().join("out/BAS2421-002/BAS2421-002.pdf").to_str().unwrap()]);
    assert!(info.contains("2018"), "{info}");
    assert!(info.contains("BAS2421-002 會議專案執行人員職能基準"), "the title: {info}");
    let bytes = pdf_objects(&dir.path().join("out/BAS2421-002/BAS2421-002.pdf"));
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"GTS_PDFX") && !has(b"/Trapped"), "no PDF/X claim the file does not meet");
    assert!(has(b"/Lang (zh-Hant-TW)"), "the document language (as qpdf writes the catalog)");
}

#[test]
fn one_bookmark_per_duty() {
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standard, &ocs::template::Template::official()), &font);
    let titles: Vec<&str> = document.bookmarks.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "T1 協助提案企劃",
            "T2 完成會議前的分組工作",
            "T3 完成會議進行中的分組工作",
            "T4 執行會議現場人員管理",
            "T5 完成會議結束後的分組工作",
            "T6 完成結案作業",
            "T7 維護顧客關係"
        ]
    );
    assert!(document.bookmarks.windows(2).all(|w| w[0].page <= w[1].page));
    let (_dir, pdf) = built_pdf("BAS2421-002.xlsx");
    let bytes = pdf_objects(&pdf);
    assert!(bytes.windows(8).any(|w| w == b"/Outline"), "the PDF has an outline");
}

#[test]
fn the_embedded_font_is_the_pinned_noto_sans_tc() {
    let digest = Sha256::digest(ocs::text::EMBEDDED_FONT);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "add35d53f70727657b4509531677c4e3712b67df3d54661efdee5d3a0c16d954");
    assert_eq!(ocs::text::EMBEDDED_FONT.len(), 7_109_460);
}

#[test]
fn the_sample_layout_keeps_text_inside_cells_and_kinsoku_on_every_line() {
    use ocs::render::pdf::layout::{Item, Role};
    let standard = only_standard(&input("BAS2421-002.xlsx"));
    let font = ocs::text::Font::embedded();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standard, &ocs::template::Template::official()), &font);
    let mut continued = Vec::new();
    for (n, page) in document.pages.iter().enumerate() {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let right = run.x + font.width(&run.text, run.size);
            assert!(
                run.x >= run.cell.x - 0.01 && right <= run.cell.x + run.cell.w + 0.01,
                "page {}: `{}` overflows its cell",
                n + 1,
                run.text
            );
            if matches!(run.role, Role::Body(_) | Role::Continued(_)) {
                assert!(run.baseline <= run.cell.y + run.cell.h + 0.01, "page {}: `{}` below its cell", n + 1, run.text);
                assert!(
                    !run.text.starts_with(|c| ocs::text::NO_LINE_START.contains(c)),
                    "page {}: `{}` starts with a closing mark",
                    n + 1,
                    run.text
                );
                assert!(
                    !run.text.ends_with(|c| ocs::text::NO_LINE_END.contains(c)),
                    "page {}: `{}` ends with an opening mark",
                    n + 1,
                    run.text
                );
            }
            if let Role::Continued(column) = run.role {
                continued.push((n, column, run.text.clone()));
            }
        }
    }
    // T2 spans pages 1 to 3: its label, its first task's label and its K list are repeated.
    let on_page = |page: usize, column: usize| {
        continued.iter().filter(|(n, c, _)| *n == page && *c == column).map(|(_, _, t)| t.as_str()).collect::<String>()
    };
    assert_eq!(on_page(1, 0), "T2 完成會議前的分組工作（續）");
    assert!(on_page(1, 1).starts_with("T2.1 執行議事組工作"), "{}", on_page(1, 1));
    // K and S: one rule, （續） alone once every item was shown (items are never split).
    assert_eq!(on_page(2, 5), "（續）");
    assert!(on_page(2, 4).contains('4') && on_page(2, 4).ends_with("（續）"));
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // U+F911 is the compatibility form of 螺, as copied from a PDF: drawn as 螺, no warning. No
    // font has U+10FFFD (the last private-use character of plane 16).
    let csv = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap().replacen("專案大綱", "專案大綱\u{10FFFD}\u{F911}絲", 1);
    std::fs::write(dir.path().join("BAS2421-002.csv"), csv).unwrap();
    let out = ocs(&["build", "BAS2421-002.csv", "-o", "out"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let warning =
        "warning[missing-glyph]: no font on this machine has `\u{10FFFD}` (U+10FFFD), neither NotoSansTC-Regular nor a system font";
    assert!(stderr.contains(warning), "{stderr}");
    assert_eq!(stderr.matches("[missing-glyph]:").count(), 1, "{stderr}");
    let pdftext = poppler("pdftotext", &[dir.path().join("out/BAS2421-002/BAS2421-002.pdf").to_str().unwrap(), "-"]);
    assert!(squeeze(&pdftext).contains("O1.1.1專案大綱"), "the rest of the text is there");
    // Drawn with its canonical twin's glyph, it reads back as written (its span's ActualText): a
    // copy or a search gives the source text.
    assert!(squeeze(&pdftext).contains("\u{F911}絲"), "the compatibility ideograph as written: {pdftext}");
    assert!(!stderr.contains("U+F911"), "{stderr}");
}

#[test]
fn another_font_can_be_chosen_and_a_bad_one_is_a_usage_error() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    let font = root().join("assets/fonts/NotoSansTC-Regular.ttf");
    let out = ocs(&["build", "in", "-o", "out", "--font", &format!("{}:0", font.display())], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The Kai look of the government form (Debian's fonts-cns11643-kai): the PDF is drawn with it
    // and the workbook and ODF name the same face.
    let kai = "/usr/share/fonts/truetype/cns11643/TW-Kai-98_1.ttf";
    assert!(Path::new(kai).exists(), "fonts-cns11643-kai is installed by .ci/run");
    let out = ocs(&["build", "in", "-o", "kai", "--font", kai, "--only", "pdf,xlsx,odt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fonts = poppler("pdffonts", &[dir.path().join("kai/BAS2421-002/BAS2421-002.pdf").to_str().unwrap()]);
    assert!(fonts.contains("TW-Kai"), "{fonts}");
    let mut styles = String::new();
    use std::io::Read;
    zip::ZipArchive::new(std::fs::File::open(dir.path().join("kai/BAS2421-002/BAS2421-002.xlsx")).unwrap())
        .unwrap()
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("全字庫正楷體") && !styles.contains("Noto Sans TC"), "the workbook names the PDF's face");
    let mut content = String::new();
    zip::ZipArchive::new(std::fs::File::open(dir.path().join("kai/BAS2421-002/BAS2421-002.odt")).unwrap())
        .unwrap()
        .by_name("content.xml")
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    assert!(content.contains(r#"svg:font-family="全字庫正楷體""#), "the text document names it too");
    let bad = ocs(&["build", "in", "-o", "out2", "--font", "/no/such/font.ttf"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("/no/such/font.ttf: cannot read the font"), "{}", text(&bad.stderr));
    let not_a_font = ocs(&["build", "in", "-o", "out3", "--font", input("BAS2421-002.csv").to_str().unwrap()], dir.path());
    assert_eq!(not_a_font.status.code(), Some(2));
    assert!(!dir.path().join("out2").exists() && !dir.path().join("out3").exists());
}
