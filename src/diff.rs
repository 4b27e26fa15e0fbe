//! Two versions of a standard compared as standards, not as text: the list of what changed between
//! them (header fields, duties, tasks, outputs, indicators, K, S, A, notes), as plain data for the
//! 修正對照表 (`doc::amendment`), the JSON for scripts and the 更新說明 paragraph. Not for drawing.
//!
//! Items are matched by code and by content, in passes, so that a clerk sees what really happened
//! (the rule `docs/diff.md` explains):
//!
//! 1. same text, same code, under the same parent (the parent as matched before: a duty before its
//!    tasks, a task before its outputs and indicators) — unchanged;
//! 2. same text under the same parent, another code — *renumbered*, pairs taken in source order;
//! 3. same text under another parent — *moved*;
//! 4. similar text (`SIMILAR` ‰ or more of the characters in common, by longest common subsequence:
//!    2·LCS / (old + new)), any code, any parent — the most similar pair first (ties: same parent,
//!    then same code, then source order) — *changed*, *renumbered* or *moved* with new wording;
//! 5. the same code under the same parent whatever the wording — *changed*;
//! 6. anything left is *added* or *removed*.
//!
//! Texts are compared with their white space collapsed, so a line broken elsewhere is no change.

use crate::model::Standard;
use crate::template::{Amendment, Fields};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// The least similarity, in per mille, for two different texts to be one item reworded.
pub const SIMILAR: u32 = 500;

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    /// Same code, same place, new wording (or a new value).
    Changed,
    /// Another code under the same parent (the text may be reworded too).
    Renumbered,
    /// Under another parent (the code and the text may have changed too).
    Moved,
}

/// Which part of the standard changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// 職能基準代碼 (only when the two codes name different standards, compared with `--force`).
    Code,
    Name,
    NameKind,
    JobCategory,
    JobCategoryCode,
    Occupation,
    OccupationCode,
    Industry,
    IndustryCode,
    Description,
    Level,
    Duty,
    Task,
    /// A task's 職能級別.
    TaskLevel,
    /// The K codes a task uses.
    TaskKnowledge,
    /// The S codes a task uses.
    TaskSkills,
    Output,
    Indicator,
    Knowledge,
    Skill,
    Attitude,
    Note,
}

impl Field {
    /// The field's name in a template's words (`[amendment.fields]`).
    pub fn label(self, names: &Fields) -> &str {
        match self {
            Field::Code => &names.code,
            Field::Name => &names.name,
            Field::NameKind => &names.name_kind,
            Field::JobCategory => &names.job_category,
            Field::JobCategoryCode => &names.job_category_code,
            Field::Occupation => &names.occupation,
            Field::OccupationCode => &names.occupation_code,
            Field::Industry => &names.industry,
            Field::IndustryCode => &names.industry_code,
            Field::Description => &names.description,
            Field::Level => &names.level,
            Field::Duty => &names.duty,
            Field::Task => &names.task,
            Field::TaskLevel => &names.task_level,
            Field::TaskKnowledge => &names.task_knowledge,
            Field::TaskSkills => &names.task_skills,
            Field::Output => &names.output,
            Field::Indicator => &names.indicator,
            Field::Knowledge => &names.knowledge,
            Field::Skill => &names.skill,
            Field::Attitude => &names.attitude,
            Field::Note => &names.note,
        }
    }

    /// A field of the header block (one value per standard, no code of its own).
    pub fn is_header(self) -> bool {
        self <= Field::Level
    }

    /// A field that belongs to a task rather than being an item with its own code.
    pub fn is_task_part(self) -> bool {
        matches!(self, Field::TaskLevel | Field::TaskKnowledge | Field::TaskSkills)
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub field: Field,
    /// The item's code in the old and the new version (a task's code for a task's level, K or S);
    /// `None` where the item is absent from that version or has no code.
    pub old_code: Option<String>,
    pub new_code: Option<String>,
    /// The code of the parent (a task's duty, an output's or indicator's task) in each version.
    pub old_parent: Option<String>,
    pub new_parent: Option<String>,
    /// The text in each version (a K or S list one `code name` a line); `None` where absent.
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    /// Whether the wording changed (besides any code or place).
    pub fn reworded(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => collapse(old) != collapse(new),
            _ => false,
        }
    }

    /// The code to show for the item: the new one, else the old one.
    pub fn code(&self) -> Option<&str> {
        self.new_code.as_deref().or(self.old_code.as_deref())
    }
}

/// One version as the 修正對照表's header names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    pub code: String,
    pub name: String,
    /// 發展更新日期 of this version, from its 版本 table when it has one.
    pub date: Option<String>,
    /// The input file it was read from.
    pub file: String,
}

impl Side {
    pub fn of(standard: &Standard) -> Side {
        Side { code: standard.code.clone(), name: standard.name.clone(), date: date_of(standard), file: standard.source.file.clone() }
    }
}

/// The 發展更新日期 of the version a standard is: its own row of the 版本 table (by code), else the
/// row marked 最新, else the last row.
fn date_of(standard: &Standard) -> Option<String> {
    let rows = &standard.versions;
    let row = rows
        .iter()
        .find(|v| !v.code.is_empty() && v.code == standard.code)
        .or_else(|| rows.iter().find(|v| v.status.contains("最新")))
        .or_else(|| rows.last())?;
    (!row.date.is_empty()).then(|| row.date.clone())
}

/// The edition a standard code names: `BAS2421-002v3` → 3; a code without a suffix is the first.
fn code_edition(code: &str) -> u32 {
    let base = crate::code::standard_code_base(code);
    code[base.len()..].strip_prefix('v').and_then(|n| n.parse().ok()).unwrap_or(1)
}

/// A 發展更新日期 as (year, month, day): `2018/12/21`, `2018-12-21`, `2018.12.21`, `2018年12月21日`, and
/// the ROC year (`107/12/21`, `民國107年12月21日`) as the Western one.
fn date_value(text: &str) -> Option<(u32, u32, u32)> {
    let numbers: Vec<u32> =
        text.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).map(|n| n.parse().ok()).collect::<Option<_>>()?;
    let &[year, month, day] = numbers.as_slice() else { return None };
    let year = if (1..1911).contains(&year) { year + 1911 } else { year };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

impl Diff {
    /// Whether the earlier version looks like the later one: its code names a later edition
    /// (`v3` before `v2`), or its 發展更新日期 is later. Two files given in the wrong order compare
    /// as every change undone.
    pub fn looks_reversed(&self) -> bool {
        let (old, new) = (code_edition(&self.old.code), code_edition(&self.new.code));
        if old != new {
            return old > new;
        }
        let date = |side: &Side| side.date.as_deref().and_then(date_value);
        matches!((date(&self.old), date(&self.new)), (Some(old), Some(new)) if old > new)
    }
}

/// Everything that changed from `old` to `new`, in the new standard's order (a removed item where
/// it stood, after what preceded it in the old one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compare two versions of a standard.
pub fn diff(old: &Standard, new: &Standard) -> Diff {
    let (a, b) = (flatten(old), flatten(new));
    let matched = match_entries(&a, &b);
    let mut keyed: Vec<((usize, u8, usize), Change)> = Vec::new();
    // Where each old entry's counterpart stands in the new list, for placing a removed entry after
    // the new counterpart of the entry before it.
    let mut anchor = 0;
    let mut anchors = vec![0; a.len()];
    for (i, m) in matched.old_to_new.iter().enumerate() {
        if let Some(j) = m {
            anchor = *j;
        }
        anchors[i] = anchor;
    }
    for (j, entry) in b.iter().enumerate() {
        let change = match matched.new_to_old[j] {
            Some(i) => pair_change(&a, &b, &matched, i, j),
            None if entry.is_empty() => None,
            None => Some(one_sided(Kind::Added, &b, j)),
        };
        if let Some(change) = change {
            keyed.push(((j, 0, 0), change));
        }
    }
    for (i, entry) in a.iter().enumerate() {
        if matched.old_to_new[i].is_none() && !entry.is_empty() {
            keyed.push(((anchors[i], 1, i), one_sided(Kind::Removed, &a, i)));
        }
    }
    // Two different standards (compared with `--force`): the code is a change of its own.
    if crate::code::standard_code_base(&old.code) != crate::code::standard_code_base(&new.code) {
        let code = Change {
            kind: Kind::Changed,
            field: Field::Code,
            old_code: None,
            new_code: None,
            old_parent: None,
            new_parent: None,
            old: Some(old.code.clone()),
            new: Some(new.code.clone()),
        };
        keyed.push(((0, 0, 0), code));
    }
    keyed.sort_by_key(|(key, _)| *key);
    Diff { old: Side::of(old), new: Side::of(new), changes: keyed.into_iter().map(|(_, c)| c).collect() }
}

/// One comparable part of a standard: a header field, an item, a task's level or K/S list, a note.
#[derive(Debug, Clone)]
struct Entry {
    field: Field,
    code: String,
    text: String,
    /// The entry this one belongs to (a task's duty, an indicator's task), by index.
    parent: Option<usize>,
    /// The text with white space collapsed, as compared.
    key: String,
}

impl Entry {
    fn new(field: Field, code: &str, text: String, parent: Option<usize>) -> Entry {
        let key = collapse(&text);
        Entry { field, code: code.to_string(), text, parent, key }
    }

    fn is_empty(&self) -> bool {
        self.key.is_empty() && self.code.is_empty()
    }
}

/// The standard as one list of entries, in printed order.
fn flatten(standard: &Standard) -> Vec<Entry> {
    let c = &standard.classification;
    let mut out = vec![
        Entry::new(Field::Name, "", standard.name.clone(), None),
        Entry::new(Field::NameKind, "", standard.name_kind.map(|k| k.label().to_string()).unwrap_or_default(), None),
        Entry::new(Field::JobCategory, "", c.job_category.name.clone(), None),
        Entry::new(Field::JobCategoryCode, "", c.job_category.code.clone(), None),
        Entry::new(Field::Occupation, "", c.occupation.name.clone(), None),
        Entry::new(Field::OccupationCode, "", c.occupation.code.clone(), None),
        Entry::new(Field::Industry, "", c.industry.name.clone(), None),
        Entry::new(Field::IndustryCode, "", c.industry.code.clone(), None),
        Entry::new(Field::Description, "", standard.description.clone(), None),
        Entry::new(Field::Level, "", standard.level.map(|l| l.to_string()).unwrap_or_default(), None),
    ];
    for duty in &standard.duties {
        let d = out.len();
        out.push(Entry::new(Field::Duty, &duty.code, duty.title.clone(), None));
        for task in &duty.tasks {
            let t = out.len();
            out.push(Entry::new(Field::Task, &task.code, task.title.clone(), Some(d)));
            out.push(Entry::new(Field::TaskLevel, "", task.level.map(|l| l.to_string()).unwrap_or_default(), Some(t)));
            for output in task.outputs() {
                out.push(Entry::new(Field::Output, &output.code, output.title.clone(), Some(t)));
            }
            for indicator in task.indicators() {
                out.push(Entry::new(Field::Indicator, &indicator.code, indicator.text.clone(), Some(t)));
            }
            // A task's K or S list changes with the codes it uses, not with a K's name (the K item's own change).
            for (field, codes) in [(Field::TaskKnowledge, &task.knowledge), (Field::TaskSkills, &task.skills)] {
                let (text, codes) = competency_list(standard, codes);
                out.push(Entry { key: codes, ..Entry::new(field, "", text, Some(t)) });
            }
        }
    }
    for (field, items) in
        [(Field::Knowledge, &standard.knowledge), (Field::Skill, &standard.skills), (Field::Attitude, &standard.attitudes)]
    {
        out.extend(items.iter().map(|item| Entry::new(field, &item.code, item.name.clone(), None)));
    }
    out.extend(standard.notes.iter().map(|note| Entry::new(Field::Note, "", note.clone(), None)));
    out
}

/// A task's K or S codes as a set, each once, by number, as printed (`code name` a line) and as
/// compared (the codes): a task that uses a code no more, or newly, changes; the order does not.
fn competency_list(standard: &Standard, codes: &[String]) -> (String, String) {
    let mut seen: Vec<String> = Vec::new();
    for code in codes {
        if !seen.contains(code) {
            seen.push(code.clone());
        }
    }
    seen.sort_by_key(|code| competency_order(code));
    (standard.competency_items(&seen).join("\n"), seen.join(" "))
}

/// K and S codes sort by their number (`K2` before `K10`), whatever the source order.
fn competency_order(code: &str) -> (String, u64, String) {
    let letters: String = code.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits: String = code.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    (letters, digits.parse().unwrap_or(u64::MAX), code.to_string())
}

/// Which entries of the old list are which of the new.
struct Matched {
    old_to_new: Vec<Option<usize>>,
    new_to_old: Vec<Option<usize>>,
}

impl Matched {
    fn pair(&mut self, i: usize, j: usize) {
        self.old_to_new[i] = Some(j);
        self.new_to_old[j] = Some(i);
    }

    /// Whether old entry `i` and new entry `j` sit under the same parent (both without one, or the
    /// old one's parent matched to the new one's).
    fn same_parent(&self, a: &[Entry], b: &[Entry], i: usize, j: usize) -> bool {
        match (a[i].parent, b[j].parent) {
            (None, None) => true,
            (Some(p), Some(q)) => self.old_to_new[p] == Some(q),
            _ => false,
        }
    }
}

/// The matching passes of the module's documentation, field by field, parents before children.
fn match_entries(a: &[Entry], b: &[Entry]) -> Matched {
    let mut m = Matched { old_to_new: vec![None; a.len()], new_to_old: vec![None; b.len()] };
    let of = |list: &[Entry], field: Field| -> Vec<usize> { (0..list.len()).filter(|&i| list[i].field == field).collect() };
    // Header fields: one each, always the same field.
    for field in [
        Field::Name,
        Field::NameKind,
        Field::JobCategory,
        Field::JobCategoryCode,
        Field::Occupation,
        Field::OccupationCode,
        Field::Industry,
        Field::IndustryCode,
        Field::Description,
        Field::Level,
    ] {
        if let (Some(&i), Some(&j)) = (of(a, field).first(), of(b, field).first()) {
            m.pair(i, j);
        }
    }
    for field in [Field::Duty, Field::Task, Field::Output, Field::Indicator, Field::Knowledge, Field::Skill, Field::Attitude] {
        match_items(a, b, &of(a, field), &of(b, field), &mut m);
    }
    // A task's level and K/S lists go with the task.
    for field in [Field::TaskLevel, Field::TaskKnowledge, Field::TaskSkills] {
        let news: HashMap<usize, usize> = of(b, field).into_iter().filter_map(|j| Some((b[j].parent?, j))).collect();
        for i in of(a, field) {
            if let Some(j) = a[i].parent.and_then(|p| m.old_to_new[p]).and_then(|q| news.get(&q)) {
                m.pair(i, *j);
            }
        }
    }
    match_notes(a, b, &of(a, Field::Note), &of(b, Field::Note), &mut m);
    m
}

/// Passes 1–5 over the items of one field.
fn match_items(a: &[Entry], b: &[Entry], olds: &[usize], news: &[usize], m: &mut Matched) {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for &j in news {
        by_text.entry(b[j].key.as_str()).or_default().push(j);
    }
    let free_new = |m: &Matched, j: usize| m.new_to_old[j].is_none();
    // Passes 1–3: the same text, preferring the same code under the same parent, then the same
    // parent, then any place; each in source order.
    for pass in 0..3 {
        for &i in olds {
            if m.old_to_new[i].is_some() {
                continue;
            }
            let Some(candidates) = by_text.get(a[i].key.as_str()) else { continue };
            let found = candidates.iter().copied().find(|&j| {
                free_new(m, j)
                    && match pass {
                        0 => m.same_parent(a, b, i, j) && a[i].code == b[j].code,
                        1 => m.same_parent(a, b, i, j),
                        _ => true,
                    }
            });
            if let Some(j) = found {
                m.pair(i, j);
            }
        }
    }
    // Pass 4: reworded, the most similar pairs first.
    let rest_old: Vec<usize> = olds.iter().copied().filter(|&i| m.old_to_new[i].is_none()).collect();
    let rest_new: Vec<usize> = news.iter().copied().filter(|&j| m.new_to_old[j].is_none()).collect();
    let chars_new: Vec<Vec<char>> = rest_new.iter().map(|&j| b[j].key.chars().collect()).collect();
    let mut candidates = Vec::new();
    for &i in &rest_old {
        let old: Vec<char> = a[i].key.chars().collect();
        for (k, &j) in rest_new.iter().enumerate() {
            let score = similarity(&old, &chars_new[k]);
            if score >= SIMILAR {
                let same_parent = m.same_parent(a, b, i, j);
                let same_code = a[i].code == b[j].code;
                candidates.push((std::cmp::Reverse(score), !same_parent, !same_code, i, j));
            }
        }
    }
    candidates.sort_unstable();
    for (_, _, _, i, j) in candidates {
        if m.old_to_new[i].is_none() && m.new_to_old[j].is_none() {
            m.pair(i, j);
        }
    }
    // Pass 5: the same code under the same parent, whatever the wording.
    let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    for &j in news.iter().filter(|&&j| m.new_to_old[j].is_none() && !b[j].code.is_empty()) {
        by_code.entry(b[j].code.as_str()).or_default().push(j);
    }
    for &i in olds {
        if m.old_to_new[i].is_some() || a[i].code.is_empty() {
            continue;
        }
        let found = by_code.get(a[i].code.as_str()).and_then(|c| c.iter().copied().find(|&j| free_new(m, j) && m.same_parent(a, b, i, j)));
        if let Some(j) = found {
            m.pair(i, j);
        }
    }
}

/// Notes have no codes: the same text is the same note wherever it moved; a similar one is the
/// note reworded, the most similar pairs first.
fn match_notes(a: &[Entry], b: &[Entry], olds: &[usize], news: &[usize], m: &mut Matched) {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for &j in news {
        by_text.entry(b[j].key.as_str()).or_default().push(j);
    }
    for &i in olds {
        let found = by_text.get(a[i].key.as_str()).and_then(|c| c.iter().copied().find(|&j| m.new_to_old[j].is_none()));
        if let Some(j) = found {
            m.pair(i, j);
        }
    }
    let rest_new: Vec<usize> = news.iter().copied().filter(|&j| m.new_to_old[j].is_none()).collect();
    let chars_new: Vec<Vec<char>> = rest_new.iter().map(|&j| b[j].key.chars().collect()).collect();
    let mut candidates = Vec::new();
    for &i in olds.iter().filter(|&&i| m.old_to_new[i].is_none()) {
        let old: Vec<char> = a[i].key.chars().collect();
        for (k, &j) in rest_new.iter().enumerate() {
            let score = similarity(&old, &chars_new[k]);
            if score >= SIMILAR {
                candidates.push((std::cmp::Reverse(score), i, j));
            }
        }
    }
    candidates.sort_unstable();
    for (_, i, j) in candidates {
        if m.old_to_new[i].is_none() && m.new_to_old[j].is_none() {
            m.pair(i, j);
        }
    }
}

/// The change between a matched old and new entry, if any.
fn pair_change(a: &[Entry], b: &[Entry], m: &Matched, i: usize, j: usize) -> Option<Change> {
    let (old, new) = (&a[i], &b[j]);
    let moved = !new.field.is_task_part() && !m.same_parent(a, b, i, j);
    let kind = if moved {
        Kind::Moved
    } else if old.code != new.code && !new.field.is_task_part() {
        Kind::Renumbered
    } else if old.key != new.key {
        Kind::Changed
    } else {
        return None;
    };
    let mut change = one_sided(kind, b, j);
    let removed = one_sided(Kind::Removed, a, i);
    change.old_code = removed.old_code;
    change.old_parent = removed.old_parent;
    change.old = removed.old;
    // A value that appears or disappears (an empty field filled) is added or removed.
    if kind == Kind::Changed && old.key.is_empty() {
        change.kind = Kind::Added;
        change.old = None;
    } else if kind == Kind::Changed && new.key.is_empty() {
        change.kind = Kind::Removed;
        change.new = None;
    }
    Some(change)
}

/// A change naming one side's entry: as new for `Added` and the matched kinds, as old for `Removed`.
fn one_sided(kind: Kind, list: &[Entry], index: usize) -> Change {
    let entry = &list[index];
    let parent = entry.parent.map(|p| &list[p]);
    // A task's level and K/S are named by the task's code; an item's parent by its code.
    let (code, parent_code) = if entry.field.is_task_part() {
        (parent.map(|p| p.code.clone()), None)
    } else {
        (Some(entry.code.clone()), parent.map(|p| p.code.clone()))
    };
    let code = code.filter(|c| !c.is_empty());
    let text = (!entry.key.is_empty()).then(|| entry.text.clone());
    let mut change =
        Change { kind, field: entry.field, old_code: None, new_code: None, old_parent: None, new_parent: None, old: None, new: None };
    if kind == Kind::Removed {
        (change.old_code, change.old_parent, change.old) = (code, parent_code, text);
    } else {
        (change.new_code, change.new_parent, change.new) = (code, parent_code, text);
    }
    change
}

/// What two texts are compared by: white space trimmed, a run of it inside made one space between
/// two Latin words and nothing next to a Chinese character (a line broken elsewhere is no change).
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
            continue;
        }
        if pending && c.is_ascii() && out.chars().next_back().is_some_and(|p| p.is_ascii()) {
            out.push(' ');
        }
        pending = false;
        out.push(c);
    }
    out
}

/// How alike two texts are, in per mille: twice their longest common subsequence over their total
/// length. 1000 for two empty texts.
pub fn similarity(a: &[char], b: &[char]) -> u32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1000;
    }
    // An upper bound first (the shorter text all in common), to skip pairs that cannot reach it.
    if (2000 * a.len().min(b.len()) / total) < SIMILAR as usize {
        return 0;
    }
    (2000 * lcs_length(a, b) / total) as u32
}

/// The length of the longest common subsequence, in O(n·m) time and O(m) memory.
fn lcs_length<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (k, y) in b.iter().enumerate() {
            let above = row[k + 1];
            row[k + 1] = if x == y { diagonal + 1 } else { above.max(row[k]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The most tokens a longest common subsequence is computed over (a pair of long notes); beyond,
/// the differing middle after the common start and end is marked whole.
const MAX_CELLS: usize = 4_000_000;

/// What to underline in two versions of a text: the byte ranges of `old` that are not in `new`
/// (removed) and those of `new` that are not in `old` (added). Chinese is compared character by
/// character, Latin text and numbers word by word; neighbouring ranges are joined.
pub fn inline(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (ta, tb) = (tokens(old), tokens(new));
    let word = |text: &str, t: &Range<usize>| text[t.clone()].to_string();
    let (wa, wb): (Vec<String>, Vec<String>) = (ta.iter().map(|t| word(old, t)).collect(), tb.iter().map(|t| word(new, t)).collect());
    let mut prefix = 0;
    while prefix < wa.len() && prefix < wb.len() && wa[prefix] == wb[prefix] {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < wa.len() - prefix && suffix < wb.len() - prefix && wa[wa.len() - 1 - suffix] == wb[wb.len() - 1 - suffix] {
        suffix += 1;
    }
    let (ma, mb) = (&wa[prefix..wa.len() - suffix], &wb[prefix..wb.len() - suffix]);
    let (kept_a, kept_b) =
        if ma.len().saturating_mul(mb.len()) <= MAX_CELLS { lcs_pairs(ma, mb) } else { (vec![false; ma.len()], vec![false; mb.len()]) };
    let marks = |tokens: &[Range<usize>], kept: &[bool]| {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (k, keep) in kept.iter().enumerate() {
            if *keep {
                continue;
            }
            let t = tokens[prefix + k].clone();
            match ranges.last_mut() {
                Some(last) if last.end == t.start => last.end = t.end,
                _ => ranges.push(t),
            }
        }
        ranges
    };
    (trimmed(old, marks(&ta, &kept_a)), trimmed(new, marks(&tb, &kept_b)))
}

/// Ranges without the white space at their ends (a line break is not underlined); empty ones dropped.
fn trimmed(text: &str, ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges
        .into_iter()
        .filter_map(|r| {
            let part = &text[r.clone()];
            let start = r.start + (part.len() - part.trim_start().len());
            let end = r.end - (part.len() - part.trim_end().len());
            (start < end).then_some(start..end)
        })
        .collect()
}

/// Which tokens of each side a longest common subsequence keeps.
fn lcs_pairs(a: &[String], b: &[String]) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (a.len(), b.len());
    // table[i][j]: LCS of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * (m + 1) + j] = if a[i] == b[j] {
                table[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                table[(i + 1) * (m + 1) + j].max(table[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut kept_a, mut kept_b) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            kept_a[i] = true;
            kept_b[j] = true;
            i += 1;
            j += 1;
        } else if table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (kept_a, kept_b)
}

/// A text cut into the units a difference is shown in: a run of Latin letters or digits is one
/// word; every other character (a Chinese character, a punctuation mark, a space) stands alone.
fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut word: Option<usize> = None;
    let is_word = |c: char| c.is_ascii_alphanumeric() || (c.is_alphanumeric() && (c as u32) < 0x2E80 && !c.is_whitespace());
    for (at, c) in text.char_indices() {
        if is_word(c) {
            word.get_or_insert(at);
            continue;
        }
        if let Some(start) = word.take() {
            out.push(start..at);
        }
        out.push(at..at + c.len_utf8());
    }
    if let Some(start) = word {
        out.push(start..text.len());
    }
    out
}

/// Clauses of the 更新說明 paragraph, in the order of the fields, in the template's words (the
/// official: 「新增工作任務 T3.4；修正行為指標 P2.1.3 等 5 項文字。」).
pub fn summary(diff: &Diff, words: &Amendment) -> String {
    // The parts of an added or removed task (its outputs, indicators, level, K and S) are said by
    // the task's own clause.
    let whole_tasks: Vec<(Kind, &str)> = diff
        .changes
        .iter()
        .filter(|c| c.field == Field::Task && matches!(c.kind, Kind::Added | Kind::Removed))
        .filter_map(|c| Some((c.kind, c.code()?)))
        .collect();
    let within = |c: &Change| {
        let task = if c.field.is_task_part() { c.code() } else { c.new_parent.as_deref().or(c.old_parent.as_deref()) };
        matches!(c.field, Field::Output | Field::Indicator | Field::TaskLevel | Field::TaskKnowledge | Field::TaskSkills)
            && task.is_some_and(|t| whole_tasks.contains(&(c.kind, t)))
    };
    let mut groups: Vec<((Kind, Field), Vec<&Change>)> = Vec::new();
    for change in diff.changes.iter().filter(|c| !within(c)) {
        let key = (change.kind, change.field);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(change),
            None => groups.push((key, vec![change])),
        }
    }
    let order = |kind: Kind| match kind {
        Kind::Added => 0,
        Kind::Changed => 1,
        Kind::Renumbered => 2,
        Kind::Moved => 3,
        Kind::Removed => 4,
    };
    groups.sort_by_key(|((kind, field), _)| (order(*kind), *field));
    let clauses: Vec<String> = groups.iter().map(|((kind, field), list)| clause(*kind, *field, list, words)).collect();
    if clauses.is_empty() {
        return String::new();
    }
    // A sentence starts with a capital letter (English words; Chinese has none).
    capitalized(&format!("{}{}", clauses.join(&words.said.then), words.said.end))
}

/// A text with its first letter a capital (English; Chinese has none): a sentence, a name at the
/// start of a cell.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

/// `pattern` with each `{name}` replaced by its value; a value ending in a code (`P1.1.1`) followed
/// in the pattern by a letter gets a space between (「P1.1.1 文字」, 「等 5 項文字」).
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let found = values.iter().find(|(name, _)| after[1..].starts_with(name) && after[1 + name.len()..].starts_with('}'));
        let Some((name, value)) = found else {
            out.push('{');
            rest = &after[1..];
            continue;
        };
        rest = &after[name.len() + 2..];
        out.push_str(value);
        let next = rest.chars().next();
        if value.ends_with(|c: char| c.is_ascii_alphanumeric()) && next.is_some_and(char::is_alphabetic) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

/// One clause: 「新增工作任務 T3.4」「修正行為指標 P2.1.3 等 5 項文字」「刪除知識 K12」.
fn clause(kind: Kind, field: Field, list: &[&Change], words: &Amendment) -> String {
    let said = &words.said;
    let label = field.label(&words.fields);
    let first = list[0];
    let (n, others) = (list.len().to_string(), (list.len() - 1).to_string());
    let count = |what: String| {
        if list.len() > 1 { fill(&said.more, &[("codes", &what), ("n", &n), ("others", &others)]) } else { what }
    };
    if field.is_header() {
        let names: Vec<&str> = list.iter().map(|c| c.field.label(&words.fields)).collect();
        let pattern = match kind {
            Kind::Added => &said.header_added,
            Kind::Removed => &said.header_removed,
            _ => &said.header_changed,
        };
        return fill(pattern, &[("labels", &names.join(&said.list))]);
    }
    let code = first.code().map(str::to_string).unwrap_or_default();
    let code = if code.is_empty() { String::new() } else { format!(" {code}") };
    let task = Field::Task.label(&words.fields);
    match kind {
        Kind::Added => fill(&said.added, &[("label", label), ("codes", &count(code))]),
        Kind::Removed => fill(&said.removed, &[("label", label), ("codes", &count(code))]),
        Kind::Changed if field == Field::Note => {
            let pattern = if list.len() > 1 { &said.notes_many } else { &said.notes };
            fill(pattern, &[("label", label), ("n", &n), ("others", &others)])
        }
        Kind::Changed if field.is_task_part() => {
            // The part by its own name: a task's 知識, not its 工作任務所需知識.
            let part = match field {
                Field::TaskKnowledge => Field::Knowledge,
                Field::TaskSkills => Field::Skill,
                other => other,
            };
            fill(&said.task_part, &[("label", part.label(&words.fields)), ("task", task), ("codes", &count(code))])
        }
        Kind::Changed => fill(&said.changed, &[("label", label), ("codes", &count(code))]),
        Kind::Renumbered => {
            let from = first.old_code.as_deref().unwrap_or("");
            let to = first.new_code.as_deref().unwrap_or("");
            fill(&said.renumbered, &[("label", label), ("codes", &count(fill(&said.renumbering, &[("from", from), ("to", to)])))])
        }
        Kind::Moved => {
            let to = first.new_parent.as_deref().unwrap_or("");
            let from = first.old_code.as_deref().or(first.code()).unwrap_or("");
            fill(&said.moved, &[("label", label), ("codes", &count(fill(&said.moving, &[("from", from), ("to", to)])))])
        }
    }
}

#[cfg(test)]
mod tests {
    fn words() -> crate::template::Amendment {
        crate::template::Template::official().amendment
    }

    #[test]
    fn patterns_fill_their_names_and_keep_codes_off_the_next_word() {
        use super::fill;
        assert_eq!(fill("修正{label}{codes}文字", &[("label", "行為指標"), ("codes", " P1.1.1")]), "修正行為指標 P1.1.1 文字");
        assert_eq!(
            fill("修正{label}{codes}文字", &[("label", "行為指標"), ("codes", " P1.1.1 等 2 項")]),
            "修正行為指標 P1.1.1 等 2 項文字"
        );
        assert_eq!(fill("{from}→{to}", &[("from", "P1.1.3"), ("to", "P1.1.2")]), "P1.1.3→P1.1.2");
        assert_eq!(fill("reworded {label}{codes}", &[("label", "indicator"), ("codes", " P1.1.1")]), "reworded indicator P1.1.1");
        // A name the pattern does not know stays as written; a brace alone too.
        assert_eq!(fill("{what} {label} {", &[("label", "K")]), "{what} K {");
    }

    #[test]
    fn reversed_versions_are_noticed_by_edition_or_date() {
        use super::{Diff, Side, date_value};
        let side = |code: &str, date: Option<&str>| Side {
            code: code.into(),
            name: String::new(),
            date: date.map(str::to_string),
            file: String::new(),
        };
        let diff = |old: Side, new: Side| Diff { old, new, changes: Vec::new() };
        assert!(diff(side("BAS2421-002v3", None), side("BAS2421-002v2", None)).looks_reversed());
        assert!(diff(side("BAS2421-002v2", None), side("BAS2421-002", None)).looks_reversed());
        assert!(!diff(side("BAS2421-002", None), side("BAS2421-002v2", Some("2018/01/01"))).looks_reversed());
        // The same edition: the dates decide, the ROC year read as the Western one.
        assert!(diff(side("BAS2421-002", Some("2020/3/1")), side("BAS2421-002", Some("108/12/31"))).looks_reversed());
        assert!(!diff(side("BAS2421-002", Some("107/12/21")), side("BAS2421-002", Some("2019-01-02"))).looks_reversed());
        assert!(!diff(side("BAS2421-002", Some("2020/3/1")), side("BAS2421-002", None)).looks_reversed(), "no date, no guess");
        assert_eq!(date_value("民國107年12月21日"), Some((2018, 12, 21)));
        assert_eq!(date_value("2018.12.21"), Some((2018, 12, 21)));
        assert_eq!(date_value("2018/13/21"), None);
        assert_eq!(date_value("近期"), None);
    }

    use super::*;
    use crate::model::{Duty, Indicator, Item, Output, Row, Task};

    fn task(code: &str, title: &str, indicators: &[(&str, &str)]) -> Task {
        Task {
            code: code.into(),
            title: title.into(),
            level: Some(3),
            rows: vec![Row {
                outputs: vec![Output { code: format!("O{}.1", &code[1..]), title: format!("{title}紀錄"), at: None }],
                indicators: indicators.iter().map(|(c, t)| Indicator { code: (*c).into(), text: (*t).into(), at: None }).collect(),
            }],
            knowledge: vec!["K01".into()],
            skills: vec!["S01".into()],
            at: Default::default(),
        }
    }

    fn standard() -> Standard {
        Standard {
            code: "BAS2421-002".into(),
            name: "會議專案執行人員".into(),
            level: Some(4),
            duties: vec![
                Duty {
                    code: "T1".into(),
                    title: "協助提案企劃".into(),
                    tasks: vec![
                        task(
                            "T1.1",
                            "蒐集會議資料",
                            &[("P1.1.1", "依據會議性質蒐集相關資料"), ("P1.1.2", "整理歷年會議之成果報告"), ("P1.1.3", "彙整與會者名單")],
                        ),
                        task("T1.2", "撰寫企劃書", &[("P1.2.1", "依據需求撰寫企劃書初稿")]),
                    ],
                    at: None,
                },
                Duty {
                    code: "T2".into(),
                    title: "執行會前籌備".into(),
                    tasks: vec![task("T2.1", "安排會場", &[("P2.1.1", "確認會場設備與動線")])],
                    at: None,
                },
            ],
            knowledge: vec![Item { code: "K01".into(), name: "會展概論".into(), at: None }],
            skills: vec![Item { code: "S01".into(), name: "資料蒐集能力".into(), at: None }],
            attitudes: vec![Item { code: "A01".into(), name: "壓力容忍".into(), at: None }],
            notes: vec!["本職能基準適用於會議產業。".into()],
            ..Standard::default()
        }
    }

    fn kinds(diff: &Diff) -> Vec<(Kind, Field, Option<&str>, Option<&str>)> {
        diff.changes.iter().map(|c| (c.kind, c.field, c.old_code.as_deref(), c.new_code.as_deref())).collect()
    }

    #[test]
    fn a_standard_equals_itself() {
        let s = standard();
        assert!(diff(&s, &s).is_empty());
        let mut spaced = s.clone();
        spaced.duties[0].tasks[0].rows[0].indicators[0].text = "依據會議性質\n蒐集相關資料 ".into();
        assert!(diff(&s, &spaced).is_empty(), "white space is no change");
    }

    #[test]
    fn a_removed_indicator_renumbers_the_rest() {
        let old = standard();
        let mut new = old.clone();
        let indicators = &mut new.duties[0].tasks[0].rows[0].indicators;
        indicators.remove(1);
        indicators[1].code = "P1.1.2".into();
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            [(Kind::Removed, Field::Indicator, Some("P1.1.2"), None), (Kind::Renumbered, Field::Indicator, Some("P1.1.3"), Some("P1.1.2")),],
            "a removed item stands where it stood"
        );
        assert_eq!(summary(&d, &words()), "調整行為指標代碼 P1.1.3→P1.1.2；刪除行為指標 P1.1.2。");
    }

    #[test]
    fn a_reworded_item_is_changed_and_a_moved_one_moved() {
        let old = standard();
        let mut new = old.clone();
        new.duties[0].tasks[0].rows[0].indicators[0].text = "依據會議性質蒐集並分析相關資料".into();
        let moved = new.duties[0].tasks[0].rows[0].indicators.remove(2);
        new.duties[1].tasks[0].rows[0].indicators.push(Indicator { code: "P2.1.2".into(), ..moved });
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            [
                (Kind::Changed, Field::Indicator, Some("P1.1.1"), Some("P1.1.1")),
                (Kind::Moved, Field::Indicator, Some("P1.1.3"), Some("P2.1.2"))
            ]
        );
        assert_eq!((d.changes[1].old_parent.as_deref(), d.changes[1].new_parent.as_deref()), (Some("T1.1"), Some("T2.1")));
        assert!(d.changes[0].reworded() && !d.changes[1].reworded());
        assert_eq!(summary(&d, &words()), "修正行為指標 P1.1.1 文字；移動行為指標 P1.1.3 至 T2.1。");
        let mut more = new.clone();
        more.duties[0].tasks[1].rows[0].indicators[0].text.push_str("並提交主管");
        assert!(summary(&diff(&old, &more), &words()).starts_with("修正行為指標 P1.1.1 等 2 項文字；"));
    }

    #[test]
    fn a_reworded_and_renumbered_item_is_found_by_similarity() {
        let old = standard();
        let mut new = old.clone();
        let indicators = &mut new.duties[0].tasks[0].rows[0].indicators;
        indicators.remove(0);
        indicators[0] = Indicator { code: "P1.1.1".into(), text: "整理歷年會議之成果報告與檢討".into(), at: None };
        indicators[1].code = "P1.1.2".into();
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            [
                (Kind::Removed, Field::Indicator, Some("P1.1.1"), None),
                (Kind::Renumbered, Field::Indicator, Some("P1.1.2"), Some("P1.1.1")),
                (Kind::Renumbered, Field::Indicator, Some("P1.1.3"), Some("P1.1.2")),
            ]
        );
        assert!(d.changes[1].reworded());
    }

    #[test]
    fn task_parts_and_header_fields() {
        let old = standard();
        let mut new = old.clone();
        new.name = "會議專案執行專員".into();
        new.duties[0].tasks[1].level = Some(4);
        new.duties[0].tasks[1].knowledge.push("K02".into());
        new.knowledge.push(Item { code: "K02".into(), name: "簡報技巧".into(), at: None });
        new.notes.push("新增的說明。".into());
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            [
                (Kind::Changed, Field::Name, None, None),
                (Kind::Changed, Field::TaskLevel, Some("T1.2"), Some("T1.2")),
                (Kind::Changed, Field::TaskKnowledge, Some("T1.2"), Some("T1.2")),
                (Kind::Added, Field::Knowledge, None, Some("K02")),
                (Kind::Added, Field::Note, None, None),
            ]
        );
        assert_eq!(d.changes[2].new.as_deref(), Some("K01 會展概論\nK02 簡報技巧"));
        assert_eq!(
            summary(&d, &words()),
            "新增知識 K02；新增說明與補充事項；修正職能基準名稱；修正工作任務 T1.2 之職能級別；修正工作任務 T1.2 之知識。"
        );
    }

    #[test]
    fn an_added_task_is_one_clause() {
        let old = standard();
        let mut new = old.clone();
        new.duties[1].tasks.push(task("T2.2", "接待貴賓", &[("P2.2.1", "安排貴賓動線")]));
        let d = diff(&old, &new);
        let fields: Vec<Field> = d.changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::Task, Field::TaskLevel, Field::Output, Field::Indicator, Field::TaskKnowledge, Field::TaskSkills]);
        assert!(d.changes.iter().all(|c| c.kind == Kind::Added));
        assert_eq!(summary(&d, &words()), "新增工作任務 T2.2。");
    }

    #[test]
    fn a_renumbered_duty_renumbers_its_tasks_without_moving_them() {
        let old = standard();
        let mut new = old.clone();
        new.duties.remove(0);
        new.duties[0].code = "T1".into();
        new.duties[0].tasks[0].code = "T1.1".into();
        new.duties[0].tasks[0].rows[0].indicators[0].code = "P1.1.1".into();
        new.duties[0].tasks[0].rows[0].outputs[0].code = "O1.1.1".into();
        let d = diff(&old, &new);
        let renumbered: Vec<_> = d.changes.iter().filter(|c| c.kind == Kind::Renumbered).map(|c| c.field).collect();
        assert_eq!(renumbered, [Field::Duty, Field::Task, Field::Output, Field::Indicator]);
        assert!(d.changes.iter().all(|c| matches!(c.kind, Kind::Renumbered | Kind::Removed)));
    }

    #[test]
    fn inline_differences_are_characters_for_chinese_and_words_for_latin() {
        // The underlined pieces of each side.
        let marked = |old: &str, new: &str| {
            let (removed, added) = inline(old, new);
            let pieces = |text: &str, ranges: Vec<Range<usize>>| ranges.into_iter().map(|r| text[r].to_string()).collect::<Vec<_>>();
            (pieces(old, removed), pieces(new, added))
        };
        assert_eq!(marked("依據會議性質蒐集資料", "依據會議需求蒐集相關資料"), (vec!["性質".into()], vec!["需求".into(), "相關".into()]));
        assert_eq!(marked("use the Excel file", "use the Calc file"), (vec!["Excel".into()], vec!["Calc".into()]));
        assert_eq!(marked("P2.2.3 同", "P2.1.3 同"), (vec!["2".into()], vec!["1".into()]));
        assert_eq!(marked("同", "同"), (vec![], vec![]));
        assert_eq!(marked("", "新"), (vec![], vec!["新".into()]));
    }

    #[test]
    fn similarity_in_per_mille() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(similarity(&c("abcd"), &c("abcd")), 1000);
        assert_eq!(similarity(&c("abcd"), &c("abxy")), 500);
        assert_eq!(similarity(&c("ab"), &c("abcdefgh")), 0, "bounded by the lengths");
    }
}
