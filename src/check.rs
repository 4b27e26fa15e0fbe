//! Structural checks of a `Standard` (SPEC section 3) and `--fix`, the repairs a careful editor would
//! make. Checks only report: the outputs still reproduce the source. K/S/A are never renumbered.

use crate::code::{self, Kind};
use crate::diag::{Diagnostic, Severity};
use crate::i18n::Message;
use crate::model::{Cell, Standard, Task};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Every structural finding about a standard, each once, in source order.
pub fn check(standard: &Standard) -> Vec<Diagnostic> {
    let mut found = Findings::default();
    check_code(standard, &mut found);
    if standard.duties.is_empty() {
        found.push(Severity::Error, "empty-table", None, Message::new("empty-table"));
    } else if standard.tasks().all(|t| t.indicators().next().is_none()) {
        found.push(Severity::Error, "no-indicators", None, Message::new("no-indicators"));
    }
    for duty in &standard.duties {
        for task in &duty.tasks {
            check_prefix(&task.code, task.at.task, &duty.code, &mut found);
            check_task(task, &mut found);
        }
        check_missing(duty, &mut found);
    }
    check_attitudes(standard, &mut found);
    found.diagnostics
}

/// Diagnostics, each (rule, cell, message) once: a K/S cell spanning eight tasks is one finding.
#[derive(Default)]
struct Findings {
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<(&'static str, Option<Cell>, Message)>,
}

impl Findings {
    fn push(&mut self, severity: Severity, rule: &'static str, cell: Option<Cell>, message: Message) {
        if self.seen.insert((rule, cell, message.clone())) {
            self.diagnostics.push(Diagnostic::new(severity, rule, cell, message));
        }
    }
}

fn check_code(standard: &Standard, found: &mut Findings) {
    let code = &standard.code;
    if code.is_empty() {
        found.push(Severity::Error, "missing-code", None, Message::new("missing-standard-code"));
        return;
    }
    let cell = standard.source.code_at;
    if let Some(problem) = code::file_name_problem(code) {
        found.push(
            Severity::Error,
            "unsafe-code",
            cell,
            Message::new("unsafe-code").arg("code", code.escape_debug()).message("problem", problem),
        );
        return;
    }
    let Some((category, occupation)) = code::standard_code_parts(code) else {
        found.push(Severity::Warning, "code-pattern", cell, Message::new("code-pattern").arg("code", code));
        return;
    };
    let classification = &standard.classification;
    let stated_category = &classification.job_category.code;
    if !stated_category.is_empty() && stated_category != category {
        found.push(
            Severity::Warning,
            "code-classification",
            cell,
            Message::new("code-category").arg("code", code).arg("category", category).arg("stated", stated_category),
        );
    }
    let stated_occupation = &classification.occupation.code;
    if !stated_occupation.is_empty() && stated_occupation != occupation {
        found.push(
            Severity::Warning,
            "code-classification",
            cell,
            Message::new("code-occupation").arg("code", code).arg("occupation", occupation).arg("stated", stated_occupation),
        );
    }
}

fn check_task(task: &Task, found: &mut Findings) {
    let label = if task.code.is_empty() { task.title.clone() } else { task.code.clone() };
    let outputs: Vec<(&str, Option<Cell>)> = task.outputs().map(|o| (o.code.as_str(), o.at)).collect();
    let indicators: Vec<(&str, Option<Cell>)> = task.indicators().map(|p| (p.code.as_str(), p.at)).collect();
    for &(code, cell) in outputs.iter().chain(&indicators) {
        check_prefix(code, cell, &task.code, found);
    }
    for (kind, codes) in [(Kind::Output, outputs), (Kind::Indicator, indicators)] {
        for (code, count, cell) in repeats(&codes) {
            found.push(
                Severity::Warning,
                "duplicate-code",
                cell,
                Message::new("duplicate-code").arg("code", code).num("count", count).arg("kind", kind.label()).arg("task", &label),
            );
        }
    }
    for (list, cell, kind) in [(&task.knowledge, task.at.knowledge, Kind::Knowledge), (&task.skills, task.at.skills, Kind::Skill)] {
        let codes: Vec<(&str, Option<Cell>)> = list.iter().map(|c| (c.as_str(), cell)).collect();
        for (code, count, _) in repeats(&codes) {
            found.push(
                Severity::Warning,
                "duplicate-competency",
                cell,
                Message::new("duplicate-competency").arg("code", code).num("count", count).arg("kind", kind.label()),
            );
        }
    }
    if task.indicators().next().is_none() {
        let cell = task.at.indicators.or(task.at.task);
        let message = Message::new("missing-indicators").arg("task", &label).arg("cell", cell_name(cell));
        found.push(Severity::Warning, "missing-indicators", cell, message);
    }
    if let Some(level) = task.level
        && !(1..=6).contains(&level)
    {
        let message = Message::new("level-range").num("level", level).arg("task", &label).arg("cell", cell_name(task.at.level));
        found.push(Severity::Warning, "level-range", task.at.level, message);
    }
}

/// A positional code whose prefix names another parent than the one it stands under.
fn check_prefix(code: &str, cell: Option<Cell>, under: &str, found: &mut Findings) {
    if let Some(parent) = code::parent(code)
        && !under.is_empty()
        && parent != under
    {
        let message = Message::new("prefix-mismatch").arg("code", code).arg("under", under).arg("parent", parent);
        found.push(Severity::Warning, "prefix-mismatch", cell, message);
    }
}

/// Codes that occur more than once: (code, count, cell of the second occurrence).
fn repeats<'a>(codes: &[(&'a str, Option<Cell>)]) -> Vec<(&'a str, usize, Option<Cell>)> {
    let mut counts: HashMap<&str, (usize, Option<Cell>)> = HashMap::default();
    let mut order = Vec::new();
    for &(code, cell) in codes {
        if code.is_empty() {
            continue;
        }
        let entry = counts.entry(code).or_insert_with(|| {
            order.push(code);
            (0, None)
        });
        entry.0 += 1;
        if entry.0 == 2 {
            entry.1 = cell;
        }
    }
    order.into_iter().filter_map(|code| counts.get(code).filter(|(n, _)| *n > 1).map(|&(n, cell)| (code, n, cell))).collect()
}

/// Tasks without 職能級別, K or S: one finding for the duty when none of its tasks has it. Each
/// points at the blank cell to fill (layout records where the value belongs) and says what goes in.
fn check_missing(duty: &crate::model::Duty, found: &mut Findings) {
    type Has = fn(&Task) -> bool;
    type Where = fn(&Task) -> Option<Cell>;
    let checks: [(&'static str, &'static str, &'static str, Has, Where); 3] = [
        ("missing-level", "field-level", "fix-fill-level", |t| t.level.is_some(), |t| t.at.level),
        ("missing-knowledge", "field-knowledge", "fix-fill-knowledge", |t| !t.knowledge.is_empty(), |t| t.at.knowledge),
        ("missing-skills", "field-skills", "fix-fill-skills", |t| !t.skills.is_empty(), |t| t.at.skills),
    ];
    for (rule, what, fill, has, place) in checks {
        let lacking: Vec<&Task> = duty.tasks.iter().filter(|t| !has(t)).collect();
        if lacking.is_empty() {
            continue;
        }
        let fix = |cell: Option<Cell>| match cell {
            Some(cell) => Message::new(fill).arg("cell", cell.a1()),
            None => Message::new("fix-add-column").message("what", Message::new(what)),
        };
        if lacking.len() == duty.tasks.len() && duty.tasks.len() > 1 {
            let cell = lacking.first().and_then(|t| place(t));
            let message =
                Message::new("missing-in-duty").arg("duty", &duty.code).message("what", Message::new(what)).message("fix", fix(cell));
            found.push(Severity::Warning, rule, cell.or(duty.at), message);
        } else {
            for task in lacking {
                let cell = place(task);
                let message =
                    Message::new("missing-in-task").arg("task", &task.code).message("what", Message::new(what)).message("fix", fix(cell));
                found.push(Severity::Warning, rule, cell.or(task.at.task), message);
            }
        }
    }
}

/// The A1 name of a cell for a message, or an empty text.
fn cell_name(cell: Option<Cell>) -> String {
    cell.map(Cell::a1).unwrap_or_default()
}

fn check_attitudes(standard: &Standard, found: &mut Findings) {
    let mut seen = HashSet::default();
    for attitude in &standard.attitudes {
        let key = if attitude.code.is_empty() { attitude.name.clone() } else { attitude.code.clone() };
        if !seen.insert(key) {
            found.push(
                Severity::Warning,
                "duplicate-attitude",
                attitude.at,
                Message::new("duplicate-attitude").arg("code", &attitude.code).arg("name", &attitude.name),
            );
        }
    }
}

/// `--fix`: O and P renumbered in order within their task, the same K/S within a task dropped after
/// its first occurrence, repeated attitudes dropped. Returns the repaired standard and each change.
pub fn fix(standard: &Standard) -> (Standard, Vec<Diagnostic>) {
    let mut fixed = standard.clone();
    let mut changes = Findings::default();
    for duty in &mut fixed.duties {
        for task in &mut duty.tasks {
            if code::numbers(&task.code).is_none_or(|n| n.len() != 2) {
                continue;
            }
            let task_code = task.code.clone();
            let outputs = task.rows.iter_mut().flat_map(|r| r.outputs.iter_mut()).map(|o| (&mut o.code, o.at));
            renumber(outputs, Kind::Output, &task_code, &mut changes);
            let indicators = task.rows.iter_mut().flat_map(|r| r.indicators.iter_mut()).map(|p| (&mut p.code, p.at));
            renumber(indicators, Kind::Indicator, &task_code, &mut changes);
            for (list, cell, kind) in
                [(&mut task.knowledge, task.at.knowledge, Kind::Knowledge), (&mut task.skills, task.at.skills, Kind::Skill)]
            {
                let mut seen = HashSet::default();
                let mut dropped = Vec::new();
                list.retain(|code| {
                    let first = seen.insert(code.clone());
                    if !first {
                        dropped.push(code.clone());
                    }
                    first
                });
                for code in dropped {
                    changes.push(
                        Severity::Info,
                        "fix",
                        cell,
                        Message::new("fix-dropped-competency").arg("code", code).arg("kind", kind.label()),
                    );
                }
            }
        }
    }
    let mut seen = HashSet::default();
    let mut dropped = Vec::new();
    fixed.attitudes.retain(|attitude| {
        let key = if attitude.code.is_empty() { attitude.name.clone() } else { attitude.code.clone() };
        let first = seen.insert(key);
        if !first {
            dropped.push((attitude.at, Message::new("fix-dropped-attitude").arg("code", &attitude.code).arg("name", &attitude.name)));
        }
        first
    });
    for (cell, message) in dropped {
        changes.push(Severity::Info, "fix", cell, message);
    }
    (fixed, changes.diagnostics)
}

/// Give the codes of one kind their place in the task: the n-th output is `O<task>.n`.
fn renumber<'a>(codes: impl Iterator<Item = (&'a mut String, Option<Cell>)>, kind: Kind, task: &str, changes: &mut Findings) {
    for (n, (code, cell)) in codes.enumerate() {
        let want = code::positional(kind, task, n + 1);
        if *code != want {
            let message = Message::new("fix-renumbered").arg("code", display_code(code)).arg("new", &want).arg("task", task);
            changes.push(Severity::Info, "fix", cell, message);
            *code = want;
        }
    }
}

fn display_code(code: &str) -> &str {
    if code.is_empty() { "(no code)" } else { code }
}
