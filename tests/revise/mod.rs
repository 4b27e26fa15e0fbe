//! A revision generator for the tests of `ocs diff`: known edits applied to a standard (add, remove,
//! reword, renumber, move at every level, K/S usage, header fields, attitudes, notes), and the changes
//! a comparison must report for them. The expected changes are found by identity — every duty, task,
//! output and indicator is tagged before the edits — never by the diff's own matching.
#![allow(dead_code)]

use ocs::diff::{Field, Kind};
use ocs::model::*;
use std::collections::HashMap;

/// (kind, field, old code, new code): what the tests compare, as a sorted list.
pub type Expected = (Kind, Field, Option<String>, Option<String>);

/// The column of the cell that tags an item with its identity: no reader sets it.
const TAG: u32 = 0xD1FF;

fn tag(n: &mut u32) -> Option<Cell> {
    *n += 1;
    Some(Cell { row: *n, col: TAG })
}

fn id(at: Option<Cell>) -> Option<u32> {
    at.filter(|c| c.col == TAG).map(|c| c.row)
}

/// A standard being revised: the old version (tagged) and the new one, with the note edits made.
pub struct Revision {
    pub old: Standard,
    pub new: Standard,
    notes: Vec<Expected>,
    serial: usize,
}

impl Revision {
    pub fn new(base: &Standard) -> Revision {
        let mut old = base.clone();
        let mut n = 0;
        for duty in &mut old.duties {
            duty.at = tag(&mut n);
            for task in &mut duty.tasks {
                task.at.task = tag(&mut n);
                for row in &mut task.rows {
                    row.outputs.iter_mut().for_each(|o| o.at = tag(&mut n));
                    row.indicators.iter_mut().for_each(|i| i.at = tag(&mut n));
                }
            }
        }
        Revision { new: old.clone(), old, notes: Vec::new(), serial: 0 }
    }

    /// A new text nobody has written before.
    fn fresh(&mut self, what: &str) -> String {
        self.serial += 1;
        format!("{what}第{}項，依規定辦理並留存紀錄", ["一", "二", "三", "四", "五", "六", "七", "八", "九"][(self.serial - 1) % 9])
    }

    // Header fields.

    pub fn header(&mut self) {
        self.new.name.push_str("（修訂）");
        self.new.description.push_str("並持續改善作業流程。");
        self.new.level = Some(self.old.level.map_or(3, |l| if l < 6 { l + 1 } else { l - 1 }));
        if !self.new.code.contains('v') {
            self.new.code.push_str("v2");
        }
    }

    // Duties and tasks.

    pub fn reword_duty(&mut self, d: usize) {
        self.new.duties[d].title.push_str("與規劃");
    }

    pub fn reword_task(&mut self, d: usize, t: usize) {
        self.new.duties[d].tasks[t].title.push_str("作業");
    }

    pub fn relevel_task(&mut self, d: usize, t: usize) {
        let task = &mut self.new.duties[d].tasks[t];
        task.level = Some(task.level.map_or(3, |l| if l < 6 { l + 1 } else { l - 1 }));
    }

    /// A task with an output and two indicators, using the first K and S of the standard.
    pub fn add_task(&mut self, d: usize) {
        let title = self.fresh("新增工作任務");
        let outputs = vec![Output { code: String::new(), title: self.fresh("新增產出"), at: None }];
        let indicators = (0..2).map(|_| Indicator { code: String::new(), text: self.fresh("新增行為指標"), at: None }).collect();
        let task = Task {
            code: String::new(),
            title,
            level: Some(3),
            rows: vec![Row { outputs, indicators }],
            knowledge: self.new.knowledge.first().map(|k| k.code.clone()).into_iter().collect(),
            skills: self.new.skills.first().map(|s| s.code.clone()).into_iter().collect(),
            at: TaskCells::default(),
        };
        self.new.duties[d].tasks.push(task);
    }

    pub fn remove_task(&mut self, d: usize, t: usize) {
        self.new.duties[d].tasks.remove(t);
    }

    pub fn remove_duty(&mut self, d: usize) {
        self.new.duties.remove(d);
    }

    /// Two neighbouring tasks trade places: both renumbered, with everything under them.
    pub fn swap_tasks(&mut self, d: usize, t: usize) {
        self.new.duties[d].tasks.swap(t, t + 1);
    }

    // Indicators and outputs (counted over a task's rows).

    fn indicator(&mut self, d: usize, t: usize, n: usize) -> &mut Indicator {
        self.new.duties[d].tasks[t].rows.iter_mut().flat_map(|r| r.indicators.iter_mut()).nth(n).expect("indicator")
    }

    pub fn reword_indicator(&mut self, d: usize, t: usize, n: usize) {
        self.indicator(d, t, n).text.push_str("並確認結果");
    }

    /// Take out an indicator from a row that keeps another.
    fn take_indicator(&mut self, d: usize, t: usize, n: usize) -> Indicator {
        let rows = &mut self.new.duties[d].tasks[t].rows;
        let mut k = n;
        for row in rows.iter_mut() {
            if k < row.indicators.len() {
                assert!(row.indicators.len() > 1, "a row keeps an indicator");
                return row.indicators.remove(k);
            }
            k -= row.indicators.len();
        }
        panic!("no indicator {n}");
    }

    pub fn remove_indicator(&mut self, d: usize, t: usize, n: usize) {
        self.take_indicator(d, t, n);
    }

    pub fn add_indicator(&mut self, d: usize, t: usize) {
        let text = self.fresh("新增行為指標");
        let task = &mut self.new.duties[d].tasks[t];
        task.rows.last_mut().expect("row").indicators.push(Indicator { code: String::new(), text, at: None });
    }

    /// An indicator taken to the last row of another task.
    pub fn move_indicator(&mut self, from: (usize, usize, usize), to: (usize, usize)) {
        let indicator = self.take_indicator(from.0, from.1, from.2);
        self.new.duties[to.0].tasks[to.1].rows.last_mut().expect("row").indicators.push(indicator);
    }

    pub fn reword_output(&mut self, d: usize, t: usize, n: usize) {
        let output = self.new.duties[d].tasks[t].rows.iter_mut().flat_map(|r| r.outputs.iter_mut()).nth(n).expect("output");
        output.title.push_str("彙整表");
    }

    pub fn add_output(&mut self, d: usize, t: usize) {
        let title = self.fresh("新增產出");
        self.new.duties[d].tasks[t].rows.last_mut().expect("row").outputs.push(Output { code: String::new(), title, at: None });
    }

    pub fn remove_output(&mut self, d: usize, t: usize, n: usize) {
        let rows = &mut self.new.duties[d].tasks[t].rows;
        let mut k = n;
        for row in rows.iter_mut() {
            if k < row.outputs.len() {
                row.outputs.remove(k);
                return;
            }
            k -= row.outputs.len();
        }
        panic!("no output {n}");
    }

    // K, S and A.

    pub fn drop_knowledge(&mut self, d: usize, t: usize, code: &str) {
        self.new.duties[d].tasks[t].knowledge.retain(|k| k != code);
    }

    /// A K never used before, named, used by one task.
    pub fn new_knowledge(&mut self, d: usize, t: usize) {
        self.new.knowledge.push(Item { code: "K98".into(), name: "新興法規知識".into(), at: None });
        self.new.duties[d].tasks[t].knowledge.push("K98".into());
    }

    pub fn rename_skill(&mut self, n: usize) {
        self.new.skills[n].name.push_str("實務");
    }

    pub fn attitudes(&mut self) {
        self.new.attitudes[0].name.push_str("與耐心");
        self.new.attitudes.pop();
        self.new.attitudes.push(Item { code: "A98".into(), name: "終身學習".into(), at: None });
    }

    // Notes.

    pub fn notes(&mut self) {
        if let Some(first) = self.new.notes.first_mut() {
            first.push_str("（本次修訂）");
            self.notes.push((Kind::Changed, Field::Note, None, None));
        }
        if self.new.notes.len() > 1 {
            self.new.notes.pop();
            self.notes.push((Kind::Removed, Field::Note, None, None));
        }
        let note = self.fresh("新增說明");
        self.new.notes.push(note);
        self.notes.push((Kind::Added, Field::Note, None, None));
    }

    /// The new version as a reader gives it back (codes positional, K and S lists first-seen),
    /// and the changes a comparison must report, sorted.
    pub fn finish(mut self) -> (Standard, Standard, Vec<Expected>) {
        renumber(&mut self.new);
        relist(&mut self.new, &self.old);
        let mut expected = expected(&self.old, &self.new);
        expected.extend(self.notes);
        expected.sort();
        (self.old, self.new, expected)
    }
}

/// Codes by position, as a clerk renumbers after an edit: T1, T1.1, O1.1.1, P1.1.1.
fn renumber(standard: &mut Standard) {
    for (d, duty) in standard.duties.iter_mut().enumerate() {
        duty.code = format!("T{}", d + 1);
        for (t, task) in duty.tasks.iter_mut().enumerate() {
            task.code = format!("T{}.{}", d + 1, t + 1);
            let (mut o, mut p) = (0, 0);
            for row in &mut task.rows {
                for output in &mut row.outputs {
                    o += 1;
                    output.code = format!("O{}.{}.{o}", d + 1, t + 1);
                }
                for indicator in &mut row.indicators {
                    p += 1;
                    indicator.code = format!("P{}.{}.{p}", d + 1, t + 1);
                }
            }
        }
    }
}

/// The K and S lists as a reader makes them: every code a task uses, once, first-seen order, the
/// names from the edited lists (then the old ones).
fn relist(standard: &mut Standard, old: &Standard) {
    let names: HashMap<String, String> = old
        .knowledge
        .iter()
        .chain(&old.skills)
        .chain(standard.knowledge.iter().chain(&standard.skills))
        .map(|i| (i.code.clone(), i.name.clone()))
        .collect();
    let list = |codes: Vec<&String>| {
        let mut items: Vec<Item> = Vec::new();
        for code in codes {
            if !items.iter().any(|i| i.code == *code) {
                items.push(Item { code: code.clone(), name: names.get(code).cloned().unwrap_or_default(), at: None });
            }
        }
        items
    };
    let knowledge = list(standard.tasks().flat_map(|t| &t.knowledge).collect());
    let skills = list(standard.tasks().flat_map(|t| &t.skills).collect());
    standard.knowledge = knowledge;
    standard.skills = skills;
}

/// One tagged item of a version: identity, code, text, parent identity.
struct Tagged {
    id: Option<u32>,
    code: String,
    text: String,
    parent: Option<u32>,
}

fn items(standard: &Standard, field: Field) -> Vec<Tagged> {
    let mut out = Vec::new();
    for duty in &standard.duties {
        if field == Field::Duty {
            out.push(Tagged { id: id(duty.at), code: duty.code.clone(), text: duty.title.clone(), parent: None });
        }
        for task in &duty.tasks {
            let parent = id(task.at.task);
            match field {
                Field::Task => out.push(Tagged { id: parent, code: task.code.clone(), text: task.title.clone(), parent: id(duty.at) }),
                Field::Output => {
                    out.extend(task.outputs().map(|o| Tagged { id: id(o.at), code: o.code.clone(), text: o.title.clone(), parent }))
                }
                Field::Indicator => {
                    out.extend(task.indicators().map(|i| Tagged { id: id(i.at), code: i.code.clone(), text: i.text.clone(), parent }))
                }
                _ => {}
            }
        }
    }
    out
}

/// The changes of tagged items: by identity, moved before renumbered before changed.
fn expected(old: &Standard, new: &Standard) -> Vec<Expected> {
    let mut out = Vec::new();
    let some = |s: &str| Some(s.to_string());
    // Header fields.
    let c = (&old.classification, &new.classification);
    let level = |l: Option<u32>| l.map(|l| l.to_string()).unwrap_or_default();
    let kind_label = |k: Option<NameKind>| k.map(|k| k.label().to_string()).unwrap_or_default();
    for (field, a, b) in [
        (Field::Name, old.name.clone(), new.name.clone()),
        (Field::NameKind, kind_label(old.name_kind), kind_label(new.name_kind)),
        (Field::JobCategory, c.0.job_category.name.clone(), c.1.job_category.name.clone()),
        (Field::JobCategoryCode, c.0.job_category.code.clone(), c.1.job_category.code.clone()),
        (Field::Occupation, c.0.occupation.name.clone(), c.1.occupation.name.clone()),
        (Field::OccupationCode, c.0.occupation.code.clone(), c.1.occupation.code.clone()),
        (Field::Industry, c.0.industry.name.clone(), c.1.industry.name.clone()),
        (Field::IndustryCode, c.0.industry.code.clone(), c.1.industry.code.clone()),
        (Field::Description, old.description.clone(), new.description.clone()),
        (Field::Level, level(old.level), level(new.level)),
    ] {
        if let Some(kind) = value_change(&a, &b) {
            out.push((kind, field, None, None));
        }
    }
    // Items, by identity.
    for field in [Field::Duty, Field::Task, Field::Output, Field::Indicator] {
        let (a, b) = (items(old, field), items(new, field));
        for item in &a {
            match b.iter().find(|n| n.id.is_some() && n.id == item.id) {
                None => out.push((Kind::Removed, field, some(&item.code), None)),
                Some(n) => {
                    let kind = if n.parent != item.parent {
                        Some(Kind::Moved)
                    } else if n.code != item.code {
                        Some(Kind::Renumbered)
                    } else if n.text != item.text {
                        Some(Kind::Changed)
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        out.push((kind, field, some(&item.code), some(&n.code)));
                    }
                }
            }
        }
        out.extend(b.iter().filter(|n| n.id.is_none()).map(|n| (Kind::Added, field, None, some(&n.code))));
    }
    // A task's level, K and S, by the task's identity.
    let tasks = |s: &Standard| -> Vec<TaskParts> {
        let set = |codes: &[String]| {
            let mut v = codes.to_vec();
            v.sort();
            v.dedup();
            v
        };
        s.tasks().map(|t| (id(t.at.task), t.code.clone(), level(t.level), set(&t.knowledge), set(&t.skills))).collect()
    };
    let (a, b) = (tasks(old), tasks(new));
    for (tid, code, lv, ks, ss) in &a {
        let found = b.iter().find(|n| n.0.is_some() && n.0 == *tid);
        let (nlv, nks, nss, ncode) = match found {
            Some(n) => (n.2.clone(), n.3.join(" "), n.4.join(" "), Some(n.1.clone())),
            None => (String::new(), String::new(), String::new(), None),
        };
        for (field, x, y) in
            [(Field::TaskLevel, lv.clone(), nlv), (Field::TaskKnowledge, ks.join(" "), nks), (Field::TaskSkills, ss.join(" "), nss)]
        {
            if let Some(kind) = value_change(&x, &y) {
                let new_code = if kind == Kind::Removed { None } else { ncode.clone() };
                out.push((kind, field, some(code), new_code));
            }
        }
    }
    for (_, code, lv, ks, ss) in b.iter().filter(|n| n.0.is_none()) {
        for (field, y) in [(Field::TaskLevel, lv.clone()), (Field::TaskKnowledge, ks.join(" ")), (Field::TaskSkills, ss.join(" "))] {
            if !y.is_empty() {
                out.push((Kind::Added, field, None, some(code)));
            }
        }
    }
    // K, S and A: by code.
    for (field, a, b) in [
        (Field::Knowledge, &old.knowledge, &new.knowledge),
        (Field::Skill, &old.skills, &new.skills),
        (Field::Attitude, &old.attitudes, &new.attitudes),
    ] {
        for item in a {
            match b.iter().find(|n| n.code == item.code) {
                None => out.push((Kind::Removed, field, some(&item.code), None)),
                Some(n) if n.name != item.name => out.push((Kind::Changed, field, some(&item.code), some(&n.code))),
                Some(_) => {}
            }
        }
        out.extend(b.iter().filter(|n| !a.iter().any(|o| o.code == n.code)).map(|n| (Kind::Added, field, None, some(&n.code))));
    }
    out
}

/// A task's identity, code, level, K set and S set.
type TaskParts = (Option<u32>, String, String, Vec<String>, Vec<String>);

/// How a single value changed, if it did.
fn value_change(old: &str, new: &str) -> Option<Kind> {
    match (old.is_empty(), new.is_empty()) {
        _ if old == new => None,
        (true, false) => Some(Kind::Added),
        (false, true) => Some(Kind::Removed),
        _ => Some(Kind::Changed),
    }
}

// Choosing where to edit, from the standard's own structure, so that the same revision applies to
// the sample and to any corpus standard.

/// Whether the text of an indicator is unique in the standard (an edit of it is unambiguous).
pub fn unique_indicator(standard: &Standard, text: &str) -> bool {
    standard.tasks().flat_map(|t| t.indicators()).filter(|i| i.text == text).count() == 1
}

/// Tasks (duty, task) with at least `n` indicators, one row holding two or more, all unique.
pub fn tasks_with_indicators(standard: &Standard, n: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (d, duty) in standard.duties.iter().enumerate() {
        for (t, task) in duty.tasks.iter().enumerate() {
            let count = task.indicators().count();
            let shared_row = task.rows.iter().any(|r| r.indicators.len() >= 2);
            let unique = task.indicators().all(|i| unique_indicator(standard, &i.text));
            if count >= n && shared_row && unique {
                found.push((d, t));
            }
        }
    }
    found
}

/// The index (over the task's rows) of the first indicator of a row that holds two or more.
pub fn removable_indicator(task: &Task) -> usize {
    let mut n = 0;
    for row in &task.rows {
        if row.indicators.len() >= 2 {
            return n;
        }
        n += row.indicators.len();
    }
    panic!("no row with two indicators in {}", task.code);
}

/// Every kind of edit at every level, placed from the standard's own structure.
pub fn many_edits(base: &Standard) -> Revision {
    let mut r = Revision::new(base);
    r.header();
    let busy = tasks_with_indicators(base, 3);
    assert!(busy.len() >= 3, "{}: tasks with three indicators to edit", base.code);
    let (d0, t0) = busy[0];
    r.reword_duty(d0);
    r.reword_task(d0, t0);
    r.relevel_task(d0, t0);
    r.reword_indicator(d0, t0, 0);
    // A removed indicator renumbers those after it.
    let (d1, t1) = busy[1];
    let n = removable_indicator(&base.duties[d1].tasks[t1]);
    r.remove_indicator(d1, t1, n);
    // Removed and the next reworded: that one is renumbered with new wording.
    let (d2, t2) = busy[2];
    let task = &base.duties[d2].tasks[t2];
    if task.rows[0].indicators.len() >= 2 {
        r.remove_indicator(d2, t2, 0);
        r.reword_indicator(d2, t2, 0);
    }
    // Moved to a task of another duty.
    if let Some(&(d3, t3)) = busy.iter().skip(3).find(|(d, _)| *d != d0) {
        let n = removable_indicator(&base.duties[d3].tasks[t3]);
        r.move_indicator((d3, t3, n), (d0, t0));
    }
    let last = base.duties.len() - 1;
    let last_task = base.duties[last].tasks.len() - 1;
    r.add_indicator(last, last_task);
    // Outputs: reworded, added, removed (from a task with two).
    if base.duties[d0].tasks[t0].outputs().count() > 0 {
        r.reword_output(d0, t0, 0);
    }
    r.add_output(last, last_task);
    if let Some((d, t)) = two_outputs(base).filter(|&(d, t)| (d, t) != (d0, t0)) {
        r.remove_output(d, t, 1);
    }
    // Tasks: one added, one removed (a task whose title no other task has).
    r.add_task(d1);
    if let Some((d, t)) = removable_task(base, &[(d0, t0), (d1, t1), (d2, t2)]) {
        r.remove_task(d, t);
    }
    // K and S: a task uses a K no more (one another task still uses), a task uses a new K, an S renamed.
    if let Some((d, t, code)) = shared_knowledge(base, (d0, t0)) {
        r.drop_knowledge(d, t, &code);
    }
    r.new_knowledge(d0, t0);
    if !base.skills.is_empty() {
        r.rename_skill(0);
    }
    if base.attitudes.len() >= 2 {
        r.attitudes();
    }
    r.notes();
    r
}

/// A task with two outputs or more, its outputs' titles unique.
fn two_outputs(standard: &Standard) -> Option<(usize, usize)> {
    let unique = |title: &str| standard.tasks().flat_map(|t| t.outputs()).filter(|o| o.title == title).count() == 1;
    standard.duties.iter().enumerate().find_map(|(d, duty)| {
        duty.tasks.iter().position(|t| t.outputs().count() >= 2 && t.outputs().all(|o| unique(&o.title))).map(|t| (d, t))
    })
}

/// The last task of a duty with two tasks or more whose title no other task has, not among `busy`.
fn removable_task(standard: &Standard, busy: &[(usize, usize)]) -> Option<(usize, usize)> {
    let titles = |title: &str| standard.tasks().filter(|t| t.title == title).count();
    (0..standard.duties.len()).rev().find_map(|d| {
        let tasks = &standard.duties[d].tasks;
        let t = tasks.len().checked_sub(1)?;
        let ok = tasks.len() >= 2 && titles(&tasks[t].title) == 1 && !busy.iter().any(|b| b.0 == d);
        ok.then_some((d, t))
    })
}

/// A K of a task (not `except`) that another task uses too.
fn shared_knowledge(standard: &Standard, except: (usize, usize)) -> Option<(usize, usize, String)> {
    for (d, duty) in standard.duties.iter().enumerate() {
        for (t, task) in duty.tasks.iter().enumerate() {
            if (d, t) == except {
                continue;
            }
            for code in &task.knowledge {
                let users = standard.tasks().filter(|o| o.knowledge.contains(code)).count();
                if users >= 2 {
                    return Some((d, t, code.clone()));
                }
            }
        }
    }
    None
}
