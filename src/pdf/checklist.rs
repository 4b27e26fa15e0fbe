//! The training checklist, A4 portrait, printable in black and white: a header to fill in (學員,
//! 訓練師, 訓練期間), then per task its 職能級別 and official wording, the 工作產出 to collect, every
//! 行為指標 with boxes 達成 / 未達成 and room for 評量方式, 評語 and 日期, the task's K and S; then the
//! attitudes, the overall result and the signature lines. Boxes are drawn, not typed.

use super::form::geometry;
use super::layout::{CHECK_BOX, Cell, Composer, Document, Role, Style, Table};
use crate::model::{Duty, Standard, Task, coded};
use crate::template::Template;
use crate::text::Font;

/// The tasks a checklist covers, with their duties, in order.
pub type Tasks<'a> = Vec<(&'a Duty, &'a Task)>;

/// Every task of the standard.
pub fn all_tasks(standard: &Standard) -> Tasks<'_> {
    standard.duties.iter().flat_map(|d| d.tasks.iter().map(move |t| (d, t))).collect()
}

/// The tasks with the given codes, in the given order; codes not in the standard are returned too.
pub fn tasks_of<'a>(standard: &'a Standard, codes: &[String]) -> (Tasks<'a>, Vec<String>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for code in codes {
        match standard.duties.iter().flat_map(|d| d.tasks.iter().map(move |t| (d, t))).find(|(_, t)| t.code == *code) {
            Some(pair) => found.push(pair),
            None => missing.push(code.clone()),
        }
    }
    (found, missing)
}

struct Styles {
    body: Style,
    head: Style,
    task: Style,
    check: Style,
}

/// A checklist of the given tasks; `role` names the role when it is not the whole standard.
pub fn document(standard: &Standard, tasks: &Tasks<'_>, role: Option<&str>, template: &Template, font: &Font) -> Document {
    let c = &template.checklist;
    let g = geometry(template);
    let width = g.content_width();
    let size = template.font.body_pt - 0.5;
    let body = Style { size, bold: false, fill: None, center: false, middle: false, rotate: false };
    let s = Styles {
        body,
        head: Style { bold: true, fill: Some(0.88), center: true, middle: true, ..body },
        task: Style { bold: true, fill: Some(0.93), ..body },
        check: Style { center: true, ..body },
    };
    let mut title = format!("{}{} {}", standard.name, template.labels.title_suffix, c.title);
    if let Some(role) = role {
        title.push_str(&format!("（{}：{role}）", c.role));
    }
    let mut composer = Composer::new(font, g, &format!("{} {title}", standard.code));
    composer.centered(&title, template.font.title_pt - 2.0, true, Role::Title);
    composer.gap(4.0);
    composer.table(&header(standard, template, &s, width));
    composer.gap(6.0);
    composer.table(&indicators(standard, tasks, template, &s, width));
    composer.gap(6.0);
    let attitudes: Vec<String> = standard.attitudes.iter().map(|a| format!("{CHECK_BOX}{}", coded(&a.code, &a.name))).collect();
    let attitude_table = Table {
        widths: vec![width],
        header: vec![Cell::new((0, 0), (0, 0), template.labels.attitudes.as_str(), s.head, Role::Header)],
        cells: vec![Cell::new((0, 0), (0, 0), attitudes.join("\n"), s.body, Role::Body(0))],
        rows: 1,
        marks: Vec::new(),
        keep_together: false,
        keep_last: false,
    };
    composer.table(&attitude_table);
    composer.gap(6.0);
    composer.table(&signatures(template, &s, width));
    composer.finish(&format!("{} {title}", standard.code), &template.labels.footer, template.font.footer_pt)
}

/// The form's head: the standard, its level, and blanks for trainee, trainer and period.
fn header(standard: &Standard, template: &Template, s: &Styles, width: f32) -> Table {
    let c = &template.checklist;
    let level = standard.level.map(|l| l.to_string()).unwrap_or_default();
    let cells = vec![
        Cell::new((0, 0), (0, 0), c.standard.as_str(), s.head, Role::Label),
        Cell::new((0, 0), (1, 1), coded(&standard.code, &standard.name), s.body, Role::Body(1)),
        Cell::new((0, 0), (2, 2), template.labels.level.as_str(), s.head, Role::Label),
        Cell::new((0, 0), (3, 3), level, s.body, Role::Body(3)),
        Cell::new((1, 1), (0, 0), c.trainee.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (1, 1), "", s.body, Role::Body(1)),
        Cell::new((1, 1), (2, 2), c.trainer.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (3, 3), "", s.body, Role::Body(3)),
        Cell::new((2, 2), (0, 0), c.period.as_str(), s.head, Role::Label),
        Cell::new((2, 2), (1, 3), c.period_blank.as_str(), s.body, Role::Body(1)),
        Cell::new((3, 3), (0, 3), c.methods_note.as_str(), s.body, Role::Body(0)),
    ];
    Table {
        widths: vec![width * 0.16, width * 0.44, width * 0.14, width * 0.26],
        header: Vec::new(),
        cells,
        rows: 4,
        marks: Vec::new(),
        keep_together: false,
        keep_last: false,
    }
}

/// Per task: its heading, level wording, evidence, one row per indicator, its K and S.
fn indicators(standard: &Standard, tasks: &Tasks<'_>, template: &Template, s: &Styles, width: f32) -> Table {
    let c = &template.checklist;
    let heads = [&c.task, &c.indicator, &c.achieved, &c.not_achieved, &c.method, &c.comment, &c.date];
    let header = heads.iter().enumerate().map(|(i, h)| Cell::new((0, 0), (i, i), h.as_str(), s.head, Role::Header)).collect();
    let mut cells = Vec::new();
    let mut row = 0;
    for (duty, task) in tasks {
        let first = row;
        let heading = format!("{}（{}）", coded(&task.code, &task.title), coded(&duty.code, &duty.title));
        cells.push(Cell::new((row, row), (1, 6), heading, s.task, Role::Body(1)));
        row += 1;
        let wording = match task.level {
            Some(level @ 1..=6) => format!("{} {level}：{}", c.level, c.levels[level as usize - 1]),
            Some(level) => format!("{} {level}", c.level),
            None => format!("{}：—", c.level),
        };
        cells.push(Cell::new((row, row), (1, 6), wording, s.body, Role::Body(1)));
        row += 1;
        let outputs: Vec<String> = task.outputs().map(|o| format!("{CHECK_BOX}{}", coded(&o.code, &o.title))).collect();
        if !outputs.is_empty() {
            cells.push(Cell::new((row, row), (1, 6), format!("{}：\n{}", c.evidence, outputs.join("\n")), s.body, Role::Body(1)));
            row += 1;
        }
        for indicator in task.indicators() {
            cells.push(Cell::new((row, row), (1, 1), coded(&indicator.code, &indicator.text), s.body, Role::Body(1)));
            cells.push(Cell::new((row, row), (2, 2), CHECK_BOX.to_string(), s.check, Role::Body(2)));
            cells.push(Cell::new((row, row), (3, 3), CHECK_BOX.to_string(), s.check, Role::Body(3)));
            for col in 4..7 {
                cells.push(Cell::new((row, row), (col, col), "", s.body, Role::Body(col)));
            }
            row += 1;
        }
        let k = standard.competency_lines(&task.knowledge).replace('\n', "、");
        let sk = standard.competency_lines(&task.skills).replace('\n', "、");
        cells.push(Cell::new(
            (row, row),
            (1, 6),
            format!("{}：{}\n{}：{}", c.knowledge, dash(&k), c.skills, dash(&sk)),
            s.body,
            Role::Body(1),
        ));
        let mut label = Cell::new((first, row), (0, 0), task.code.as_str(), s.body, Role::Body(0));
        label.continued = Some(format!("{}{}", task.code, template.labels.continued));
        cells.push(label);
        row += 1;
    }
    let widths = [0.09, 0.43, 0.07, 0.08, 0.11, 0.13, 0.09].iter().map(|p| p * width).collect();
    Table { widths, header, cells, rows: row, marks: Vec::new(), keep_together: false, keep_last: false }
}

fn dash(text: &str) -> &str {
    if text.is_empty() { "—" } else { text }
}

/// The overall result and the signature lines.
fn signatures(template: &Template, s: &Styles, width: f32) -> Table {
    let c = &template.checklist;
    let cells = vec![
        Cell::new((0, 0), (0, 0), c.result.as_str(), s.head, Role::Label),
        Cell::new((0, 0), (1, 3), format!("{CHECK_BOX}{}\n{CHECK_BOX}{}", c.pass, c.retry), s.body, Role::Body(1)),
        Cell::new((1, 1), (0, 0), c.trainee_signature.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (1, 1), "\n", s.body, Role::Body(1)),
        Cell::new((1, 1), (2, 2), c.date.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (3, 3), "", s.body, Role::Body(3)),
        Cell::new((2, 2), (0, 0), c.trainer_signature.as_str(), s.head, Role::Label),
        Cell::new((2, 2), (1, 1), "\n", s.body, Role::Body(1)),
        Cell::new((2, 2), (2, 2), c.date.as_str(), s.head, Role::Label),
        Cell::new((2, 2), (3, 3), "", s.body, Role::Body(3)),
    ];
    Table {
        widths: vec![width * 0.18, width * 0.42, width * 0.12, width * 0.28],
        header: Vec::new(),
        cells,
        rows: 3,
        marks: Vec::new(),
        keep_together: true,
        keep_last: false,
    }
}
