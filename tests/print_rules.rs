//! The typesetting rules of the printed documents, checked on the layout data (positioned lines,
//! before any PDF): no fragment at the top of a page without its code or （續）, no K/S pair or
//! coded output split by a page, a split indicator keeps two lines on each side, table heads break
//! only between words, a checklist never ends a page with a task heading nor leaves the signature
//! block alone, and every character drawn has a glyph. Run over the sample, the corpus standards
//! and a large standard of more than ten pages.

mod common;
use common::*;
use ocs::model::Standard;
use ocs::render::pdf::layout::{Document, Item, Role, Run};
use ocs::template::Template;
use ocs::text::Font;
use std::sync::OnceLock;

fn font() -> &'static Font {
    static FONT: OnceLock<Font> = OnceLock::new();
    FONT.get_or_init(Font::embedded)
}

/// The sample, the corpus fixtures, and the sample grown to three times its duties (13+ pages).
fn standards() -> Vec<Standard> {
    let mut all = vec![only_standard(&input("BAS2421-002.xlsx"))];
    for name in ["BAS5686-001.xlsx", "MKT4640-001.xlsx"] {
        all.push(only_standard(&root().join("tests/fixtures/corpus").join(name)));
    }
    let mut large = all[0].clone();
    let duties = large.duties.clone();
    for round in 1..3 {
        for duty in &duties {
            let mut copy = duty.clone();
            copy.code = format!("T{}", duty.code[1..].parse::<usize>().unwrap_or(0) + round * duties.len());
            large.duties.push(copy);
        }
    }
    all.push(large);
    all
}

/// One cell fragment on a page: its column, top, and lines (text and role) in order.
struct Fragment<'a> {
    column: usize,
    top: f32,
    runs: Vec<&'a Run>,
}

/// The body cell fragments of a page, by column, top to bottom.
fn fragments(page: &ocs::render::pdf::layout::Page) -> Vec<Fragment<'_>> {
    let mut out: Vec<Fragment<'_>> = Vec::new();
    for item in &page.items {
        let Item::Text(run) = item else { continue };
        let column = match run.role {
            Role::Body(c) | Role::Continued(c) => c,
            _ => continue,
        };
        match out.iter_mut().find(|f| f.column == column && (f.top - run.cell.y).abs() < 0.01) {
            Some(fragment) => fragment.runs.push(run),
            None => out.push(Fragment { column, top: run.cell.y, runs: vec![run] }),
        }
    }
    for fragment in &mut out {
        fragment.runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    }
    out.sort_by(|a, b| a.top.total_cmp(&b.top));
    out
}

fn starts_with_code(text: &str) -> bool {
    text.split_whitespace().next().is_some_and(ocs::code::is_item_code)
}

fn main_table_pages(document: &Document) -> Vec<usize> {
    (0..document.pages.len())
        .filter(|&n| {
            document.pages[n].items.iter().any(|i| matches!(i, Item::Text(r) if r.role == Role::Header && r.text.contains("行為")))
        })
        .collect()
}

#[test]
fn the_official_table_breaks_pages_where_a_typesetter_would() {
    let template = Template::official();
    for standard in standards() {
        let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standard, &template), font());
        let pages = main_table_pages(&document);
        if standard.duties.len() > 10 {
            assert!(document.pages.len() >= 10, "the large standard runs over {} pages", document.pages.len());
        }
        for &n in pages.iter().skip(1) {
            let page = &document.pages[n];
            let all = fragments(page);
            let Some(top) = all.first().map(|f| f.top) else { continue };
            for fragment in all.iter().filter(|f| (f.top - top).abs() < 0.01) {
                let first = fragment.runs[0];
                let ok = first.role == Role::Continued(fragment.column) || starts_with_code(&first.text) || fragment.column == 4;
                assert!(ok, "{} page {}: column {} opens with a fragment `{}`", standard.code, n + 1, fragment.column, first.text);
            }
        }
        // K/S pairs and outputs are never split: each item's text lies whole on one page.
        for (column, items) in [
            (2, standard.tasks().flat_map(|t| t.outputs().map(|o| format!("{}{}", o.code, o.title))).collect::<Vec<_>>()),
            (5, standard.knowledge.iter().map(|k| format!("{}{}", k.code, k.name)).collect()),
            (6, standard.skills.iter().map(|s| format!("{}{}", s.code, s.name)).collect()),
        ] {
            let per_page: Vec<String> = document
                .pages
                .iter()
                .map(|p| {
                    fragments(p)
                        .iter()
                        .filter(|f| f.column == column)
                        .flat_map(|f| f.runs.iter().map(|r| r.text.as_str()))
                        .collect::<String>()
                })
                .map(|t| t.split_whitespace().collect())
                .collect();
            for item in items {
                let item: String = item.split_whitespace().collect();
                let found = per_page.iter().any(|text| text.contains(&item));
                let mentioned = per_page
                    .iter()
                    .any(|text| text.contains(item.split(|c: char| !c.is_ascii_alphanumeric() && c != '.').next().unwrap_or("")));
                assert!(found || !mentioned, "{}: `{item}` is split by a page break", standard.code);
            }
        }
        // A split indicator keeps two lines on each side.
        for pair in pages.windows(2) {
            let next = fragments(&document.pages[pair[1]]);
            let Some(carry) = next.iter().find(|f| f.column == 3 && f.runs[0].role == Role::Continued(3)) else { continue };
            let after = carry.runs[1..].iter().take_while(|r| !starts_with_code(&r.text)).count();
            let before_page = fragments(&document.pages[pair[0]]);
            let last = before_page.iter().rfind(|f| f.column == 3).expect("the indicator column");
            let before = last.runs.iter().rev().take_while(|r| !starts_with_code(&r.text)).count() + 1;
            assert!(
                before >= 2 && after >= 2,
                "{} page {}: a split indicator keeps {before} and {after} lines",
                standard.code,
                pair[1] + 1
            );
        }
        // Every character has a glyph.
        for page in &document.pages {
            for item in &page.items {
                if let Item::Text(run) = item {
                    assert!(font().missing(&run.text).is_empty(), "{}: no glyph in `{}`", standard.code, run.text);
                }
            }
        }
    }
}

#[test]
fn table_heads_break_only_between_words() {
    let template = Template::official();
    let document = ocs::render::pdf::lay_out(&ocs::doc::form::document(&standards()[0], &template), font());
    for page in &document.pages {
        let heads: Vec<&Run> = page
            .items
            .iter()
            .filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
            .filter(|r| r.role == Role::Header)
            .collect();
        for run in heads.iter().filter(|r| r.text.contains("knowledge") || r.text.contains("skills")) {
            assert!(run.text.starts_with('('), "`{}`: the English part stays on its line", run.text);
        }
        for run in &heads {
            assert!(!matches!(run.text.as_str(), "知" | "識)" | "技" | "能)" | "稱"), "a head broken inside a word: `{}`", run.text);
        }
    }
}

#[test]
fn a_checklist_keeps_headings_with_indicators_and_signatures_with_attitudes() {
    let template = Template::official();
    for standard in standards() {
        let tasks = ocs::doc::checklist::all_tasks(&standard);
        let document = ocs::render::pdf::lay_out(&ocs::doc::checklist::document(&standard, &tasks, None, &template), font());
        for (n, page) in document.pages.iter().enumerate() {
            // The last row of the indicator column on a page is not a task heading (bold) or the
            // evidence list: an indicator or the K/S row follows them on the same page.
            let column: Vec<Fragment<'_>> = fragments(page).into_iter().filter(|f| f.column == 1).collect();
            if let Some(last) = column.last() {
                let text = last.runs[0].text.as_str();
                let heading = last.runs[0].bold && !text.starts_with(template.checklist.result.as_str());
                let evidence = text.starts_with(template.checklist.evidence.as_str());
                assert!(!heading && !evidence, "{} checklist page {}: ends with `{text}`", standard.code, n + 1);
            }
        }
        let last = document.pages.last().expect("a page");
        let texts: Vec<&str> = last.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r.text.as_str()) } else { None }).collect();
        assert!(
            texts.iter().any(|t| standard.attitudes.iter().any(|a| t.starts_with(&a.code))) || standard.attitudes.is_empty(),
            "{}: the signature block is not alone on the last page",
            standard.code
        );
    }
}

#[test]
fn a_matrix_page_names_its_codes_and_its_counts_fit_their_columns() {
    let template = Template::official();
    for standard in standards() {
        let document = ocs::render::pdf::lay_out(&ocs::doc::matrix::document(&standard, &template), font());
        let mut previous: Vec<String> = Vec::new();
        let mut named = 0;
        for (n, page) in document.pages.iter().enumerate() {
            let runs: Vec<&Run> = page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
            let mut heads: Vec<String> = runs.iter().filter(|r| r.rotated).map(|r| r.text.clone()).collect();
            let mut legend: Vec<String> = runs
                .iter()
                .filter(|r| matches!(r.role, Role::Body(_)) && !r.rotated)
                .filter_map(|r| r.text.split_once(' ').map(|(code, _)| code.to_string()))
                .filter(|code| ocs::code::is_item_code(code) && (code.starts_with('K') || code.starts_with('S')))
                .collect();
            heads.sort();
            legend.sort();
            if heads != previous {
                // The first page of a page of columns: its legend is on it, with exactly its codes.
                assert_eq!(legend, heads, "{} page {}: the legend lists the page's codes", standard.code, n + 1);
                named += heads.len();
            } else {
                assert!(legend.is_empty() || legend == heads, "{} page {}: a legend of other codes", standard.code, n + 1);
            }
            previous = heads;
            let counts: Vec<&&Run> = runs.iter().filter(|r| !r.rotated && r.text.chars().all(|c| c.is_ascii_digit())).collect();
            for run in &counts {
                let in_cell = counts.iter().filter(|o| o.cell.x == run.cell.x && o.cell.y == run.cell.y).count();
                assert_eq!(in_cell, 1, "{} page {}: a count broken over lines", standard.code, n + 1);
            }
            for run in counts {
                assert!(
                    font().width(&run.text, run.size) <= run.cell.w + 0.01,
                    "{} page {}: the count {} is wider than its column",
                    standard.code,
                    n + 1,
                    run.text
                );
            }
        }
        assert_eq!(named, standard.knowledge.len() + standard.skills.len(), "{}: every code named once", standard.code);
    }
}

#[test]
fn the_official_columns_are_fitted_to_the_content() {
    let template = Template::official();
    for (n, standard) in standards().iter().enumerate() {
        let fitted = ocs::doc::form::document(standard, &template);
        let official = ocs::doc::proportions(&template.table.columns, fitted.page.content_width());
        let mut as_printed = fitted.clone();
        let mut widths = None;
        for block in &mut as_printed.blocks {
            if let ocs::doc::Block::Table(table) = block
                && table.widths.len() == official.len()
            {
                widths.get_or_insert_with(|| table.widths.clone());
                table.widths = official.clone();
            }
        }
        let widths = widths.expect("the main table's columns");
        let total: f32 = widths.iter().sum();
        assert!((total - fitted.page.content_width()).abs() < 0.1, "{}: the table keeps the page's width", standard.code);
        assert_eq!(widths[4], official[4], "{}: 職能級別 keeps its width", standard.code);
        for c in 0..widths.len() {
            assert!(
                widths[c] >= official[c] * 0.85 - 0.1 && widths[c] <= official[c] * 1.45 + 0.1,
                "{}: column {c} out of bounds",
                standard.code
            );
        }
        assert!(widths[5] >= official[5] - 0.1 && widths[6] >= official[6] - 0.1, "{}: K/S names are not squeezed", standard.code);
        // How far down the document the main table ends: where its last indicator is printed.
        let last = standard.tasks().filter_map(|t| t.indicators().last()).last().map(|p| p.code.clone()).expect("an indicator");
        let length = |d: &ocs::doc::Document| {
            let laid = ocs::render::pdf::lay_out(d, font());
            let height = d.page.size().1;
            laid.pages
                .iter()
                .enumerate()
                .flat_map(|(n, page)| {
                    let last = last.as_str();
                    page.items.iter().filter_map(move |i| match i {
                        Item::Text(r) if r.text.starts_with(last) => Some(n as f32 * height + r.baseline),
                        _ => None,
                    })
                })
                .fold(0.0, f32::max)
        };
        let (now, before) = (length(&fitted), length(&as_printed));
        assert!(
            now <= before + 0.1 * fitted.page.size().1,
            "{}: {now:.0} pt fitted, {before:.0} on the official proportions",
            standard.code
        );
        if n == 0 {
            assert!(now < before, "the sample is shorter fitted ({now:.0} vs {before:.0} pt)");
        }
    }
}
