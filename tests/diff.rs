//! `ocs diff` on generated revisions of the sample and of corpus standards: the known edits of
//! `revise` are reported exactly (no more, no fewer), the rendered table holds every change, the
//! underlines sit under the changed characters (from the PDF's layout data), a standard compared
//! with itself in another container is empty, and the exit codes say same / different / trouble.

mod common;
mod revise;

use common::*;
use ocs::diff::{Field, Kind};
use ocs::model::Standard;
use revise::{Expected, Revision, many_edits};
use std::path::{Path, PathBuf};

/// The sample after `--fix` (its codes unique, as a clerk's next version starts from).
fn sample() -> Standard {
    ocs::check::fix(&only_standard(&input("BAS2421-002.xlsx"))).0
}

fn corpus(name: &str) -> Standard {
    ocs::check::fix(&only_standard(&root().join("tests/fixtures/corpus").join(name))).0
}

/// The official workbook of a standard, as `ocs build` writes it.
fn xlsx(standard: &Standard) -> Vec<u8> {
    use ocs::render::sheet;
    let template = ocs::template::Template::official();
    let font = ocs::text::Font::embedded();
    let (sheets, _) = sheet::place_all(&ocs::doc::workbook::sheets(standard, &[], &template), &template, &font);
    sheet::workbook(sheet::Kind::Xlsx, &sheets, &standard.code, &template, 0).expect("workbook")
}

/// The official table as ODT, as `ocs build` writes it.
fn odt(standard: &Standard) -> Vec<u8> {
    let template = ocs::template::Template::official();
    ocs::render::odt::text(&ocs::doc::form::document(standard, &template), &template, &ocs::text::Font::embedded()).expect("odt")
}

/// Write a version in the given format and read it back through the real reader.
fn written(standard: &Standard, dir: &Path, name: &str) -> (PathBuf, Standard) {
    let path = dir.join(name);
    let bytes = match path.extension().and_then(|e| e.to_str()) {
        Some("xlsx") => xlsx(standard),
        Some("odt") => odt(standard),
        _ => ocs::render::csv::csv(standard),
    };
    std::fs::write(&path, bytes).unwrap();
    // The workbook's 資料 sheet is another view of the same standard: the first sheet is it.
    let read = standards(&path).remove(0);
    (path, read)
}

fn reported(diff: &ocs::diff::Diff) -> Vec<Expected> {
    let mut list: Vec<Expected> = diff.changes.iter().map(|c| (c.kind, c.field, c.old_code.clone(), c.new_code.clone())).collect();
    list.sort();
    list
}

/// Both versions written (old as xlsx, new as CSV), read back, compared: exactly the expected
/// changes. Returns the folder, the paths and the comparison.
fn check_revision(revision: Revision, formats: (&str, &str)) -> (tempfile::TempDir, PathBuf, PathBuf, ocs::diff::Diff) {
    let (old, new, expected) = revision.finish();
    let dir = tempfile::tempdir().unwrap();
    let (old_path, old_read) = written(&old, dir.path(), &format!("old.{}", formats.0));
    let (new_path, new_read) = written(&new, dir.path(), &format!("new.{}", formats.1));
    assert_eq!(json_of(&old_read), json_of(&old), "the old version survives its writer");
    assert_eq!(json_of(&new_read), json_of(&new), "the new version survives its writer");
    let diff = ocs::diff::diff(&old_read, &new_read);
    let got = reported(&diff);
    let missing: Vec<_> = expected.iter().filter(|e| !got.contains(e)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !expected.contains(g)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
    assert_eq!(got, expected);
    (dir, old_path, new_path, diff)
}

#[test]
fn a_revision_of_the_sample_reports_exactly_its_edits() {
    let (_dir, _, _, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let kinds: std::collections::BTreeSet<Kind> = diff.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 5, "every kind of change is exercised: {kinds:?}");
    let fields: std::collections::BTreeSet<Field> = diff.changes.iter().map(|c| c.field).collect();
    for field in [
        Field::Name,
        Field::Description,
        Field::Level,
        Field::Duty,
        Field::Task,
        Field::TaskLevel,
        Field::TaskKnowledge,
        Field::Output,
        Field::Indicator,
        Field::Knowledge,
        Field::Skill,
        Field::Attitude,
        Field::Note,
    ] {
        assert!(fields.contains(&field), "{field:?} is exercised");
    }
    let summary = ocs::diff::summary(&diff, &ocs::template::Template::official().amendment);
    assert!(summary.starts_with("新增") && summary.ends_with('。'), "{summary}");
    assert!(summary.contains("K98"), "{summary}");
}

#[test]
fn revisions_of_corpus_standards_report_exactly_their_edits() {
    for name in ["BAS5686-001.xlsx", "MKT4640-001.xlsx"] {
        check_revision(many_edits(&corpus(name)), ("csv", "xlsx"));
    }
}

#[test]
fn a_removed_duty_renumbers_everything_after_it() {
    for base in [sample(), corpus("BAS5686-001.csv")] {
        let mut r = Revision::new(&base);
        r.remove_duty(0);
        let (_dir, _, _, diff) = check_revision(r, ("csv", "csv"));
        assert!(diff.changes.iter().any(|c| c.kind == Kind::Renumbered && c.field == Field::Indicator));
    }
}

#[test]
fn swapped_tasks_are_renumbered_not_reworded() {
    let base = sample();
    let (d, _) = base.duties.iter().enumerate().find(|(_, d)| d.tasks.len() >= 2).expect("a duty with two tasks");
    let mut r = Revision::new(&base);
    r.swap_tasks(d, 0);
    let (_dir, _, _, diff) = check_revision(r, ("xlsx", "xlsx"));
    assert!(diff.changes.iter().all(|c| c.kind == Kind::Renumbered), "{:#?}", diff.changes);
}

/// pdftotext of the PDF, with all white space removed (lines break anywhere in a cell).
fn pdf_text(pdf: &Path) -> String {
    let out =
        std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", text(&out.stderr));
    text(&out.stdout).split_whitespace().collect()
}

#[test]
fn the_command_writes_every_change_into_every_format() {
    let (dir, old, new, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let out = dir.path().join("out");
    let run = ocs(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "-o", out.to_str().unwrap()], dir.path());
    assert_eq!(run.status.code(), Some(1), "differences: exit 1\n{}", text(&run.stderr));
    let code = &diff.new.code;
    assert_eq!(code, "BAS2421-002v2");
    let stem = format!("{code}-修正對照表");
    for extension in ["pdf", "odt", "xlsx", "ods"] {
        assert!(out.join(format!("{stem}.{extension}")).is_file(), "{stem}.{extension}");
    }
    // The JSON lists the same changes, with their texts.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(format!("{code}-diff.json"))).unwrap()).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), diff.changes.len());
    for (listed, change) in changes.iter().zip(&diff.changes) {
        assert_eq!(listed["kind"], serde_json::to_value(change.kind).unwrap());
        assert_eq!(listed["field"], serde_json::to_value(change.field).unwrap());
        assert_eq!(listed["old"].as_str(), change.old.as_deref());
        assert_eq!(listed["new"].as_str(), change.new.as_deref());
    }
    // The 更新說明: printed, written, in the JSON.
    let summary = ocs::diff::summary(&diff, &ocs::template::Template::official().amendment);
    assert_eq!(text(&run.stdout).trim(), summary);
    assert_eq!(std::fs::read_to_string(out.join(format!("{code}-更新說明.txt"))).unwrap().trim(), summary);
    assert_eq!(json["summary"].as_str(), Some(summary.as_str()));
    // The PDF's text holds every change: its codes, its texts, its 說明.
    let pdf = pdf_text(&out.join(format!("{stem}.pdf")));
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    for change in &diff.changes {
        for code in change.old_code.iter().chain(&change.new_code) {
            assert!(pdf.contains(code.as_str()), "{code} in the PDF");
        }
        for text in change.old.iter().chain(&change.new) {
            assert!(pdf.contains(&squeeze(text)), "{text:?} in the PDF");
        }
    }
    for phrase in ["修正後", "修正前", "說明", "新增", "刪除", "文字修正", "代碼由", "移至", "BAS2421-002v2", "BAS2421-002"]
    {
        assert!(pdf.contains(phrase), "{phrase} in the PDF");
    }
    assert!(pdf.contains(&squeeze(&summary)), "the 更新說明 in the PDF");
}

#[test]
fn another_template_words_the_whole_amendment_table() {
    // templates/en.toml: every label, field name and phrase of the table and the summary from the
    // template, none of the official Chinese left over.
    let (dir, old, new, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let out = dir.path().join("out");
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/en.toml");
    let args =
        ["diff", old.to_str().unwrap(), new.to_str().unwrap(), "-o", out.to_str().unwrap(), "--template", template.to_str().unwrap()];
    let run = ocs(&args, dir.path());
    assert_eq!(run.status.code(), Some(1), "differences: exit 1\n{}", text(&run.stderr));
    let code = &diff.new.code;
    let words = ocs::template::Template::from_file(&template).unwrap().amendment;
    let summary = ocs::diff::summary(&diff, &words);
    assert!(summary.starts_with("Added ") && summary.ends_with('.'), "{summary}");
    for phrase in ["reworded performance indicator P", "removed ", "renumbered ", "moved "] {
        assert!(summary.contains(phrase), "{phrase:?} in {summary}");
    }
    assert_eq!(std::fs::read_to_string(out.join(format!("{code}-Change.txt"))).unwrap().trim(), summary);
    // The table's own words: no CJK in any cell once the standard's texts it quotes are taken out.
    let en = ocs::template::Template::from_file(&template).unwrap();
    let document = ocs::doc::amendment::document(&diff, &en);
    let mut quoted: Vec<&str> = diff.changes.iter().flat_map(|c| c.old.iter().chain(&c.new)).map(String::as_str).collect();
    quoted.extend([diff.new.name.as_str(), diff.old.name.as_str()]);
    // Longest first, so that a text quoting a shorter one is taken out whole.
    quoted.sort_by_key(|q| std::cmp::Reverse(q.len()));
    let cjk = |c: char| matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x9FFF | 0xFF00..=0xFFEF);
    let mut cells = 0;
    for block in &document.blocks {
        let ocs::doc::Block::Table(table) = block else { continue };
        for cell in table.header.iter().chain(&table.cells) {
            let own = quoted.iter().fold(cell.text.clone(), |text, q| text.replace(q, ""));
            assert!(!own.chars().any(cjk), "Chinese of the table's own in {:?}", cell.text);
            cells += 1;
        }
    }
    assert!(cells > diff.changes.len() * 3, "every change's row was looked at");
    let own = pdf_text(&out.join(format!("{code}-Amendment table.pdf")));
    for word in ["Amended", "Previous", "Explanation", "Addedperformanceindicator", "Reworded"] {
        assert!(own.contains(word), "{word:?} in the PDF");
    }
    // LibreOffice breaks the ODT's English between words, not inside them (Latin text marked as
    // Chinese was broken anywhere: 「Added work out / put」): every word of the table's cells is
    // whole in the printed text at least as often as the cells have it.
    let word_runs = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 4).map(str::to_string).collect()
    };
    let mut wanted: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for block in &document.blocks {
        let ocs::doc::Block::Table(table) = block else { continue };
        for cell in table.header.iter().chain(&table.cells) {
            for word in word_runs(&cell.text) {
                *wanted.entry(word).or_default() += 1;
            }
        }
    }
    let odt = out.join(format!("{code}-Amendment table.odt"));
    let printed = soffice_pdf(&odt, dir.path(), &dir.path().join("lo"));
    let lines = std::process::Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&printed).arg("-").output().unwrap();
    let mut got: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for word in word_runs(&text(&lines.stdout)) {
        *got.entry(word).or_default() += 1;
    }
    let broken: Vec<(&String, usize, usize)> =
        wanted.iter().map(|(w, n)| (w, *n, got.get(w).copied().unwrap_or(0))).filter(|(_, n, g)| g < n).collect();
    assert!(wanted.len() > 5 && broken.is_empty(), "words broken by LibreOffice (word, in cells, printed whole): {broken:?}");
    // The official template still says it in Chinese (its summary unchanged by the template keys).
    let official = ocs::diff::summary(&diff, &ocs::template::Template::official().amendment);
    assert!(official.starts_with("新增") && official.ends_with('。'), "{official}");
}

#[test]
fn the_workbooks_and_the_odt_underline_as_rich_text_and_spans() {
    let (dir, old, new, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let out = dir.path().join("out");
    ocs(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "-o", out.to_str().unwrap()], dir.path());
    let stem = out.join(format!("{}-修正對照表", diff.new.code));
    let entry = |file: PathBuf, name: &str| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let reworded = diff.changes.iter().find(|c| c.kind == Kind::Changed && c.field == Field::Indicator).expect("a reworded indicator");
    let added = "並確認結果";
    assert!(reworded.new.as_deref().unwrap().ends_with(added));
    // xlsx: a rich string whose underlined run is the added words.
    let strings = entry(stem.with_extension("xlsx"), "xl/sharedStrings.xml");
    assert!(strings.contains("<u/>"), "an underlined run");
    assert!(
        strings.contains(&format!("<t>{added}</t>")) || strings.contains(&format!(r#"<t xml:space="preserve">{added}</t>"#)),
        "the run holds {added}"
    );
    // ODT and ODS: spans of an underlining text style.
    for (extension, style_of) in [("odt", "content.xml"), ("ods", "content.xml")] {
        let content = entry(stem.with_extension(extension), style_of);
        assert!(content.contains(r#"style:text-underline-style="solid""#), "{extension}: an underline style");
        let span = r#"<text:span text:style-name="U"#;
        let at = content.find(&format!("{added}</text:span>")).unwrap_or_else(|| panic!("{extension}: {added} in a span"));
        assert!(content[..at].rfind(span).is_some_and(|s| at - s < 40), "{extension}: the span is an underline span");
    }
}

#[test]
fn underlines_lie_under_the_changed_characters() {
    let (_dir, _, _, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let template = ocs::template::Template::official();
    let font = ocs::text::Font::embedded();
    let document = ocs::doc::amendment::document(&diff, &template);
    let pages = ocs::render::pdf::lay_out(&document, &font);
    use ocs::render::pdf::layout::Item;
    // The characters each underline covers, read from the laid-out runs: a character is under a
    // line when its middle lies between the line's ends, on the run just above the line.
    let mut under = String::new();
    let mut lines = 0;
    for page in &pages.pages {
        let runs: Vec<_> = page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
        for item in &page.items {
            let Item::Line { from, to, width } = item else { continue };
            lines += 1;
            assert!((from.1 - to.1).abs() < 0.01 && to.0 > from.0 && *width > 0.0, "a horizontal line");
            let run = runs
                .iter()
                .find(|r| (from.1 - r.baseline - 0.16 * r.size).abs() < 0.01 && from.0 >= r.x - 0.01 && to.0 <= r.cell.x + r.cell.w + 0.01)
                .expect("a run above every underline");
            let mut x = run.x;
            for c in run.text.chars() {
                let w = font.width(&c.to_string(), run.size);
                if x + w / 2.0 > from.0 && x + w / 2.0 < to.0 {
                    under.push(c);
                }
                x += w;
            }
        }
    }
    // What the document says to underline, in the same order (reading order: row by row, 修正後
    // before 修正前).
    let mut said = String::new();
    for block in &document.blocks {
        let ocs::doc::Block::Table(table) = block else { continue };
        for cell in &table.cells {
            for range in &cell.underline {
                said.push_str(&cell.text[range.clone()]);
            }
        }
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert!(lines > 20, "underlines drawn: {lines}");
    let (mut under, mut said): (Vec<char>, Vec<char>) = (squeeze(&under).chars().collect(), squeeze(&said).chars().collect());
    under.sort_unstable();
    said.sort_unstable();
    assert_eq!(under.iter().collect::<String>(), said.iter().collect::<String>(), "the underlined characters are the changed ones");
    // And one known case: the words added to a reworded indicator, and nothing else of it.
    let reworded = diff.changes.iter().find(|c| c.kind == Kind::Changed && c.field == Field::Indicator).unwrap();
    let cell = document
        .blocks
        .iter()
        .filter_map(|b| if let ocs::doc::Block::Table(t) = b { Some(t) } else { None })
        .flat_map(|t| &t.cells)
        .find(|c| c.text.ends_with(reworded.new.as_deref().unwrap()))
        .unwrap();
    let marked: Vec<&str> = cell.underline.iter().map(|r| &cell.text[r.clone()]).collect();
    assert_eq!(marked, ["並確認結果"]);
}

#[test]
fn a_standard_in_another_container_is_the_same() {
    // The sample as its own xlsx, CSV and ODT, written by `ocs build`.
    let (dir, out) = build_sample("BAS2421-002.xlsx", &["--only", "xlsx,csv,odt"]);
    let folder = out;
    let files: Vec<PathBuf> = ["xlsx", "csv", "odt"].iter().map(|e| folder.join(format!("BAS2421-002.{e}"))).collect();
    for (a, b) in [(&input("BAS2421-002.xlsx"), &files[1]), (&files[0], &files[1]), (&files[0], &files[2]), (&files[2], &files[1])] {
        let target = dir.path().join("diff");
        let run = ocs(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "-o", target.to_str().unwrap()], dir.path());
        assert_eq!(run.status.code(), Some(0), "{} vs {}: {}", a.display(), b.display(), text(&run.stderr));
        assert!(text(&run.stdout).is_empty(), "no 更新說明 to print");
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(target.join("BAS2421-002-diff.json")).unwrap()).unwrap();
        assert_eq!(json["changes"], serde_json::json!([]));
        let pdf = pdf_text(&target.join("BAS2421-002-修正對照表.pdf"));
        assert!(pdf.contains("兩版本內容相同，無修正。"));
    }
}

#[test]
fn exit_codes_say_same_different_or_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let sample = input("BAS2421-002.xlsx");
    let other = root().join("tests/fixtures/corpus/BAS5686-001.xlsx");
    let garbage = dir.path().join("broken.xlsx");
    std::fs::write(&garbage, b"not a workbook").unwrap();
    let out = dir.path().join("out");
    let run = |a: &Path, b: &Path, extra: &[&str]| {
        let mut args = vec!["diff", a.to_str().unwrap(), b.to_str().unwrap(), "-o", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        ocs(&args, dir.path())
    };
    assert_eq!(run(&sample, &sample, &[]).status.code(), Some(0));
    // An unreadable version: trouble, said, nothing written.
    let broken = run(&sample, &garbage, &[]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(text(&broken.stderr).contains("broken.xlsx"), "{}", text(&broken.stderr));
    let missing = run(&sample, &dir.path().join("nowhere.csv"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    // Two different standards: trouble, unless forced; then the code is a change too.
    std::fs::remove_dir_all(&out).ok();
    let different = run(&sample, &other, &[]);
    assert_eq!(different.status.code(), Some(2));
    assert!(text(&different.stderr).contains("--force"), "{}", text(&different.stderr));
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(), "nothing written");
    let forced = run(&sample, &other, &["--force"]);
    assert_eq!(forced.status.code(), Some(1), "{}", text(&forced.stderr));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("BAS5686-001-diff.json")).unwrap()).unwrap();
    assert!(json["changes"].as_array().unwrap().iter().any(|c| c["field"] == "code"));
    // A usage error is trouble too.
    assert_eq!(ocs(&["diff", sample.to_str().unwrap()], dir.path()).status.code(), Some(2));
}

/// Two versions given the other way round (the later edition's `v2` first) are compared as
/// given, with a warning that they look swapped; in the right order, no warning.
#[test]
fn versions_given_the_other_way_round_are_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    std::fs::write(dir.path().join("v1.csv"), &sample).unwrap();
    let task = "T1.1 調閱公司以往相關活動檔案";
    assert!(sample.contains(task));
    let second = sample.replace("BAS2421-002", "BAS2421-002v2").replacen(task, "T1.1 調閱公司以往相關活動與會議檔案", 1);
    std::fs::write(dir.path().join("v2.csv"), second).unwrap();
    let run = |old: &str, new: &str| ocs(&["diff", old, new, "-o", "out"], dir.path());
    let swapped = run("v2.csv", "v1.csv");
    assert_eq!(swapped.status.code(), Some(1), "compared as given: {}", text(&swapped.stderr));
    let said = text(&swapped.stderr);
    assert!(said.contains("other way round") && said.contains("BAS2421-002v2"), "{said}");
    let right = run("v1.csv", "v2.csv");
    assert_eq!(right.status.code(), Some(1), "{}", text(&right.stderr));
    assert!(!text(&right.stderr).contains("other way round"), "{}", text(&right.stderr));
}

#[test]
fn the_odt_and_the_workbook_open_in_libreoffice() {
    let (dir, old, new, diff) = check_revision(many_edits(&sample()), ("xlsx", "csv"));
    let out = dir.path().join("out");
    ocs(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "-o", out.to_str().unwrap()], dir.path());
    let stem = out.join(format!("{}-修正對照表", diff.new.code));
    for extension in ["odt", "xlsx"] {
        let pdf = soffice_pdf(&stem.with_extension(extension), dir.path(), &dir.path().join(format!("lo-{extension}")));
        let shown = pdf_text(&pdf);
        for change in diff.changes.iter().filter(|c| c.field == Field::Indicator) {
            let code = change.code().unwrap();
            assert!(shown.contains(code), "{extension}: {code} shown by LibreOffice");
        }
    }
}
