//! `OUT/report.html`: the run's report for people — the summary, then every standard with its
//! outputs as a table of links (a row per document, a column per format) and its defects grouped
//! by rule with file, sheet and cell. One static page:
//! no script, no external asset, opens offline in any browser. `report.json` is the one for scripts.

use crate::diag::{Diagnostic, Severity};
use crate::i18n::{Lang, Message, rule_title};
use crate::report::{Outcome, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = "body{font-family:'Noto Sans CJK TC','Noto Sans TC','Microsoft JhengHei','PingFang TC',sans-serif;\
margin:2em auto;max-width:70em;padding:0 1em;color:#222;line-height:1.5}\
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #456;padding-bottom:.2em;margin-top:1.6em}\
.summary{background:#f3f6f9;border:1px solid #c9d3dd;padding:.6em 1em;border-radius:4px}\
.failed{color:#a00}.ok{color:#060}table{border-collapse:collapse;margin:.4em 0 1em;width:100%}\
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#e8edf2}\
td.cell{font-family:monospace}.level,.cell,.sheet{white-space:nowrap;width:1%}details{margin:.4em 0}summary{cursor:pointer;font-weight:bold}\
.rule{font-family:monospace;color:#555;font-weight:normal}table.outputs{width:auto}table.outputs th[scope]{font-weight:normal;background:#f3f6f9}\
table.outputs td{text-align:center;min-width:4em}code{font-family:monospace}";

/// The page, in a language. Deterministic: no time, no absolute path.
pub fn report(report: &Report, lang: Lang) -> String {
    let t = |message: Message| escape(&message.render(lang));
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        lang.tag(),
        t(Message::new("html-title")),
        t(Message::new("html-title"))
    );
    summary(&mut html, report, lang);

    let by_code = standards(report);
    let _ = writeln!(html, "<h2>{}</h2>", t(Message::new("html-standards").num("count", by_code.len())));
    for (code, outcomes) in &by_code {
        standard(&mut html, report, code, outcomes, lang);
    }

    let loose: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !report.outcomes.iter().any(|o| belongs(d, o)))
        .filter(|d| d.severity > Severity::Info)
        .collect();
    if !loose.is_empty() {
        let _ = writeln!(html, "<h2>{}</h2>", t(Message::new("html-other")));
        defects(&mut html, &loose, lang);
    }
    html.push_str("</body>\n</html>\n");
    html
}

fn summary(html: &mut String, report: &Report, lang: Lang) {
    let t = |message: Message| escape(&message.render(lang));
    let class = if report.failed() { "failed" } else { "ok" };
    let _ = writeln!(
        html,
        "<div class=\"summary\">\n<p class=\"{class}\"><strong>{}</strong></p>\n<p>{}</p>",
        t(Message::new("summary-standards")
            .num("good", report.converted() - report.repeats())
            .num("repeats", report.repeats())
            .num("failed", report.failures())),
        t(Message::new("html-counts")
            .num("errors", report.count(Severity::Error))
            .num("warnings", report.count(Severity::Warning))
            .num("notes", report.count(Severity::Info)))
    );
    let rules = report.by_rule();
    if !rules.is_empty() {
        let _ = writeln!(html, "<table>\n<tr><th>{}</th><th>{}</th></tr>", t(Message::new("html-rule")), t(Message::new("html-count")));
        for (rule, n) in rules {
            let _ = writeln!(
                html,
                "<tr><td>{} <span class=\"rule\">{}</span></td><td>{n}</td></tr>",
                escape(&rule_title(rule, lang)),
                escape(rule)
            );
        }
        html.push_str("</table>\n");
    }
    html.push_str("</div>\n");
}

/// Outcomes by standard code, in input order of first appearance; a standard read from several
/// inputs (the same content) is one entry.
fn standards(report: &Report) -> Vec<(String, Vec<&Outcome>)> {
    let mut order: Vec<(String, Vec<&Outcome>)> = Vec::new();
    for outcome in &report.outcomes {
        let key = if outcome.code.is_empty() { format!("{}:{}", outcome.file, outcome.sheet) } else { outcome.code.clone() };
        match order.iter_mut().find(|(code, _)| *code == key) {
            Some((_, list)) => list.push(outcome),
            None => order.push((key, vec![outcome])),
        }
    }
    order
}

fn standard(html: &mut String, report: &Report, code: &str, outcomes: &[&Outcome], lang: Lang) {
    let t = |message: Message| escape(&message.render(lang));
    let Some(first) = outcomes.first() else { return };
    let failed = outcomes.iter().all(|o| o.failed);
    let status = if failed { Message::new("html-status-failed") } else { Message::new("html-status-converted") };
    let _ = writeln!(
        html,
        "<section id=\"{}\">\n<h3>{} {} <span class=\"{}\">（{}）</span></h3>",
        escape(code),
        escape(&first.code),
        escape(&first.name),
        if failed { "failed" } else { "ok" },
        t(status)
    );
    let sources: Vec<String> = outcomes
        .iter()
        .map(|o| if o.sheet.is_empty() { escape(&o.file) } else { format!("{}（{}）", escape(&o.file), escape(&o.sheet)) })
        .collect();
    let _ = writeln!(html, "<p>{}<br>{}</p>", t(Message::new("html-sources").num("count", sources.len())), sources.join("<br>"));

    let files: Vec<&String> = outcomes.iter().flat_map(|o| &o.files).collect();
    if !files.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", t(Message::new("html-outputs")));
        outputs(html, &first.code, &files, lang);
    }

    let own: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| outcomes.iter().any(|o| belongs(d, o))).collect();
    let serious: Vec<&Diagnostic> = own.iter().copied().filter(|d| d.severity > Severity::Info).collect();
    if serious.is_empty() {
        let _ = writeln!(html, "<p class=\"ok\">{}</p>", t(Message::new("html-no-defects")));
    } else {
        let _ = writeln!(html, "<h4>{}</h4>", t(Message::new("html-defects").num("count", serious.len())));
        defects(html, &serious, lang);
    }
    let notes: Vec<&Diagnostic> = own.iter().copied().filter(|d| d.severity == Severity::Info).collect();
    if !notes.is_empty() {
        let _ = writeln!(html, "<details>\n<summary>{}</summary>", t(Message::new("html-notes").num("count", notes.len())));
        table(html, &notes, lang);
        html.push_str("</details>\n");
    }
    html.push_str("</section>\n");
}

/// Whether a diagnostic is about a standard: its file and sheet (a text document has no sheet; its
/// diagnostics name their table or paragraph instead).
fn belongs(d: &Diagnostic, o: &Outcome) -> bool {
    d.file == o.file && (d.sheet == o.sheet || o.sheet.is_empty())
}

/// Diagnostics grouped by rule, the most frequent rule first, each group a table.
fn defects(html: &mut String, list: &[&Diagnostic], lang: Lang) {
    let mut groups: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in list {
        groups.entry(d.rule).or_default().push(d);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (rule, group) in groups {
        let _ = writeln!(
            html,
            "<details open class=\"group\" data-rule=\"{}\">\n<summary>{} <span class=\"rule\">[{}]</span> — {}</summary>",
            escape(rule),
            escape(&rule_title(rule, lang)),
            escape(rule),
            group.len()
        );
        table(html, &group, lang);
        html.push_str("</details>\n");
    }
}

fn table(html: &mut String, list: &[&Diagnostic], lang: Lang) {
    let t = |id: &'static str| escape(&Message::new(id).render(lang));
    let _ = writeln!(
        html,
        "<table class=\"defects\">\n<tr><th class=\"level\">{}</th><th>{}</th><th class=\"sheet\">{}</th><th class=\"cell\">{}</th><th>{}</th></tr>",
        t("html-level"),
        t("html-file"),
        t("html-sheet"),
        t("html-cell"),
        t("html-message")
    );
    for d in list {
        let _ = writeln!(
            html,
            "<tr class=\"defect\"><td class=\"level\">{}</td><td>{}</td><td class=\"sheet\">{}</td><td class=\"cell\">{}</td><td>{}</td></tr>",
            escape(&d.severity.render(lang)),
            escape(&d.file),
            escape(&d.sheet),
            escape(d.cell.as_deref().unwrap_or("")),
            escape(&d.message.render(lang))
        );
    }
    html.push_str("</table>\n");
}

/// The outputs of a standard as a table: one row per document (the official table, the matrix,
/// the checklist, each role, the data), one column per format, each cell a link — so a clerk finds
/// "the ODT of the checklist of 議事組" at a glance.
fn outputs(html: &mut String, code: &str, files: &[&String], lang: Lang) {
    // Formats in the order a clerk reaches for them; any other after them, by name.
    const ORDER: [&str; 6] = ["pdf", "odt", "xlsx", "ods", "json", "csv"];
    let rank = |extension: &str| ORDER.iter().position(|e| *e == extension).unwrap_or(ORDER.len());
    let mut formats: Vec<String> = Vec::new();
    let mut rows: Vec<(Document, Vec<(String, &String)>)> = Vec::new();
    for file in files {
        let (stem, extension) = file.rsplit_once('.').unwrap_or((file.as_str(), ""));
        let extension = extension.to_ascii_lowercase();
        let document = Document::of(stem, &extension, code);
        if !formats.contains(&extension) {
            formats.push(extension.clone());
        }
        match rows.iter_mut().find(|(d, _)| *d == document) {
            Some((_, links)) => links.push((extension, file)),
            None => rows.push((document, vec![(extension, file)])),
        }
    }
    formats.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    // Stable: roles stay in the order the run wrote them (the order of their tasks).
    rows.sort_by_key(|(document, _)| document.rank());
    let _ = write!(html, "<table class=\"outputs\">\n<tr><th>{}</th>", escape(&Message::new("html-document").render(lang)));
    for format in &formats {
        let _ = write!(html, "<th>{}</th>", escape(&format.to_ascii_uppercase()));
    }
    html.push_str("</tr>\n");
    for (document, links) in &rows {
        let _ = write!(html, "<tr><th scope=\"row\">{}</th>", escape(&document.title(lang)));
        for format in &formats {
            match links.iter().find(|(extension, _)| extension == format) {
                Some((_, file)) => {
                    let href = format!("{}/{}", percent(code), percent(file));
                    let _ =
                        write!(html, "<td><a href=\"{href}\" title=\"{}\">{}</a></td>", escape(file), escape(&format.to_ascii_uppercase()));
                }
                None => html.push_str("<td></td>"),
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
}

/// What an output file is: the official table, the matrix, the checklist, a role's checklist, the
/// data.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Document {
    Form,
    Matrix,
    Checklist,
    Role(String),
    Data,
    /// A file none of the above: its name without the extension.
    Other(String),
}

impl Document {
    fn of(stem: &str, extension: &str, code: &str) -> Document {
        if let Some(role) = stem.strip_prefix("checklists/") {
            Document::Role(role.to_string())
        } else if stem == format!("{code}-matrix") {
            Document::Matrix
        } else if stem == format!("{code}-checklist") {
            Document::Checklist
        } else if stem == code && matches!(extension, "json" | "csv") {
            Document::Data
        } else if stem == code {
            Document::Form
        } else {
            Document::Other(stem.to_string())
        }
    }

    /// Where its row goes in the table.
    fn rank(&self) -> u8 {
        match self {
            Document::Form => 0,
            Document::Matrix => 1,
            Document::Checklist => 2,
            Document::Role(_) => 3,
            Document::Data => 4,
            Document::Other(_) => 5,
        }
    }

    fn title(&self, lang: Lang) -> String {
        match self {
            Document::Form => Message::new("html-file-form").render(lang),
            Document::Matrix => Message::new("html-file-matrix").render(lang),
            Document::Checklist => Message::new("html-file-checklist").render(lang),
            Document::Role(role) => Message::new("html-file-role").arg("role", role).render(lang),
            Document::Data => Message::new("html-file-data").render(lang),
            Document::Other(stem) => stem.clone(),
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link: every byte but unreserved ASCII and `/` percent-encoded.
fn percent(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(percent("checklists/議事組.pdf"), "checklists/%E8%AD%B0%E4%BA%8B%E7%B5%84.pdf");
        assert_eq!(percent("a b#?.pdf"), "a%20b%23%3F.pdf");
    }
}
