//! `OUT/report.html` in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`) renders the page offline, takes a screenshot, and dumps the DOM it built; the page must
//! show the summary, the sample's 23 defects grouped by rule, and links to files that exist.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Run headless Chromium on a local page with no network, no profile and no first-run work.
fn chromium(page: &Path, extra: &[&str], profile: &Path) -> std::process::Output {
    let url = format!("file://{}", page.display());
    Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        .args(["--disable-sync", "--no-first-run", "--hide-scrollbars", "--window-size=1200,1600"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium (apt-get install chromium) runs")
}

/// The text between the tags of an HTML fragment, entities of ours decoded.
fn inner_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

fn decode_percent(href: &str) -> String {
    let bytes = href.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&href[i + 1..i + 3], 16).expect("a percent escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 link")
}

#[test]
fn the_report_renders_in_chromium_with_the_defects_by_rule_and_working_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = ocs_in("zh_TW.UTF-8", &["build", root().join("input").to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = dir.path().join("out/report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "static and offline");

    let profile = tempfile::tempdir().unwrap();
    let shot = dir.path().join("report.png");
    let screenshot = chromium(&page, &[&format!("--screenshot={}", shot.display())], profile.path());
    assert!(screenshot.status.success(), "{}", text(&screenshot.stderr));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real picture: {} bytes", png.len());

    let dumped = chromium(&page, &["--dump-dom"], profile.path());
    assert!(dumped.status.success(), "{}", text(&dumped.stderr));
    let dom = text(&dumped.stdout);
    let seen = inner_text(&dom);
    // The summary at the top, before the standard.
    let summary = seen.find("已轉換 1 份職能基準（另有 5 個輸入是同一份職能基準，只輸出一次），0 份失敗").expect("the summary");
    let standard = seen.find("BAS2421-002 會議專案執行人員").expect("the standard");
    assert!(summary < standard, "the summary comes first");
    assert!(seen.contains("錯誤 0 項、警告 23 項"), "{seen}");
    // 23 defects, once, grouped by rule: each group's count is its rows.
    assert_eq!(dom.matches("<tr class=\"defect\"><td class=\"level\">警告</td>").count(), 23, "23 defects, each once");
    let groups: Vec<(&str, usize)> = [
        ("prefix-mismatch", 12),
        ("duplicate-code", 4),
        ("missing-knowledge", 2),
        ("missing-skills", 2),
        ("duplicate-attitude", 1),
        ("duplicate-competency", 1),
        ("missing-level", 1),
    ]
    .into();
    for (rule, count) in groups {
        let start = dom.find(&format!("data-rule=\"{rule}\"")).unwrap_or_else(|| panic!("no group for {rule}"));
        let group = &dom[start..start + dom[start..].find("</details>").unwrap()];
        assert_eq!(group.matches("<tr class=\"defect\">").count(), count, "{rule}");
    }
    assert!(seen.contains("代碼開頭與所屬上層不符"), "rules have names for people");
    assert!(seen.contains("請在 E40 填入 1–6 的職能級別"), "the fix, at its cell");
    // Links: every output of the standard, each to a file that exists.
    let links: Vec<String> = dom
        .match_indices("href=\"")
        .map(|(at, open)| {
            let rest = &dom[at + open.len()..];
            decode_percent(&rest[..rest.find('"').unwrap()])
        })
        .collect();
    assert!(links.len() >= 20, "{links:?}");
    for link in &links {
        assert!(dir.path().join("out").join(link).is_file(), "{link} does not exist");
    }
    for wanted in ["BAS2421-002/BAS2421-002.pdf", "BAS2421-002/BAS2421-002.xlsx", "BAS2421-002/checklists/議事組.pdf"] {
        assert!(links.iter().any(|l| l == wanted), "{wanted} not linked: {links:?}");
    }
}

#[test]
fn the_report_is_english_under_an_english_locale_and_lists_failures() {
    let dir = folder_with(&["BAS2421-002.xlsx"]);
    std::fs::write(dir.path().join("in/empty.xlsx"), b"").unwrap();
    let out = ocs(&["build", "in", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("1 standard converted, 1 failed"), "{html}");
    assert!(html.contains("Inputs and other messages") && html.contains("the file is empty"), "{html}");
    assert!(html.contains("Code prefix does not match its parent"), "{html}");
}

/// Measures what Chromium laid out, in a copy of the report with a script added (the report itself
/// has none): for each head and cell of the 等級 and 儲存格 columns, how many lines its text takes;
/// and, in the outputs table, the link at the row of the role 議事組 and the column ODT. The results
/// come back as attributes of `<body>` in the dumped DOM.
const MEASURE: &str = r#"<script>
function lines(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set();
  for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
  return tops.size;
}
const narrow = [...document.querySelectorAll('details.group .level, details.group .cell')];
document.body.dataset.narrow = narrow.length;
document.body.dataset.maxLines = Math.max(...narrow.map(lines));
const table = document.querySelector('table.outputs');
const heads = [...table.rows[0].cells].map(c => c.textContent);
const row = [...table.rows].find(r => r.cells[0].textContent.includes('議事組'));
document.body.dataset.roleOdt = row.cells[heads.indexOf('ODT')].querySelector('a').getAttribute('href');
document.body.dataset.heads = heads.slice(1).join(',');
document.body.dataset.rows = [...table.rows].slice(1).map(r => r.cells[0].textContent).join('|');
</script>
"#;

fn body_attribute(dom: &str, name: &str) -> String {
    let start = dom.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name} in {dom}")) + name.len() + 2;
    decode_percent(&dom[start..start + dom[start..].find('"').unwrap()]).replace("&amp;", "&")
}

#[test]
fn outputs_are_a_table_of_documents_by_format_and_narrow_columns_stay_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = ocs_in("zh_TW.UTF-8", &["build", root().join("input/BAS2421-002.xlsx").to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    let measured = dir.path().join("out/measured.html");
    std::fs::write(&measured, html.replace("</body>", &format!("{MEASURE}</body>"))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    for width in ["1200,1600", "800,1600"] {
        let dumped = chromium(&measured, &["--dump-dom", &format!("--window-size={width}")], profile.path());
        assert!(dumped.status.success(), "{}", text(&dumped.stderr));
        let dom = text(&dumped.stdout);
        let narrow: usize = body_attribute(&dom, "data-narrow").parse().unwrap();
        assert_eq!(narrow, 2 * (23 + 7), "each 等級 and 儲存格 head and cell of 7 rule groups and 23 defects");
        assert_eq!(body_attribute(&dom, "data-max-lines"), "1", "at {width}, 等級 and 儲存格 are on one line");
        assert_eq!(body_attribute(&dom, "data-heads"), "PDF,ODT,XLSX,ODS,JSON,CSV");
        assert_eq!(body_attribute(&dom, "data-role-odt"), "BAS2421-002/checklists/議事組.odt");
        let rows = body_attribute(&dom, "data-rows");
        assert!(rows.starts_with("官方表格|職能矩陣|訓練檢核表|角色檢核表：") && rows.ends_with("|資料"), "{rows}");
        assert_eq!(rows.matches("角色檢核表：").count(), 8, "{rows}");
    }
}
