//! The training checklist, A4 portrait, printable in black and white and editable: a head to fill in
//! (學員, 訓練師, 訓練期間), then per task its 職能級別 and official wording, the 工作產出 to collect,
//! every 行為指標 with 達成 / 未達成 to tick (a drop-down in a workbook) and room for 評量方式, 評語
//! and 日期, the task's K and S; then the attitudes, the overall result and the signature lines.

use super::SHADE;
use super::{Block, CHECK_BOX, Cell, Document, FieldKind, Input, PageSetup, Role, SheetOptions, Style, Table, proportions};
use crate::model::{Duty, Standard, Task, coded};
use crate::template::Template;

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
        match all_tasks(standard).into_iter().find(|(_, t)| t.code == *code) {
            Some(pair) => found.push(pair),
            None => missing.push(code.clone()),
        }
    }
    (found, missing)
}

/// The columns every table of the checklist lies on: 任務, 行為指標, 達成, 未達成, 評量方式, 評語,
/// 日期. 評語 holds about ten handwritten characters a line.
const GRID: [f32; 7] = [0.13, 0.28, 0.07, 0.08, 0.11, 0.24, 0.09];
/// The least height of a row to write in by hand, in points (9 mm).
const WRITING_ROW: f32 = 25.5;

struct Styles {
    body: Style,
    head: Style,
    task: Style,
    check: Style,
}

/// A checklist of the given tasks; `role` names the role when it is not the whole standard.
pub fn document(standard: &Standard, tasks: &Tasks<'_>, role: Option<&str>, template: &Template) -> Document {
    let c = &template.checklist;
    let mut title = format!("{}{} {}", standard.name, template.labels.title_suffix, c.title);
    if let Some(role) = role {
        title.push_str(&format!("（{}：{role}）", c.role));
    }
    let page = PageSetup::of(template, false, format!("{} {title}", standard.code));
    let widths = proportions(&GRID, page.content_width());
    let body = Style::body(template.font.body_pt - 0.5);
    let s = Styles {
        body,
        head: Style { bold: true, fill: Some(SHADE), center: true, middle: true, ..body },
        task: Style { bold: true, fill: Some(0.93), ..body },
        check: Style { middle: true, ..body },
    };
    // The indicators' table is the fifth block: its header repeats on a sheet's printed pages.
    let blocks = vec![
        Block::Title { text: title.clone(), size: template.font.title_pt - 2.0 },
        Block::Gap(4.0),
        Block::Table(header(standard, tasks, template, &s, &widths)),
        Block::Gap(6.0),
        Block::Table(indicators(standard, tasks, template, &s, &widths)),
        Block::Gap(6.0),
        Block::Table(closing(standard, template, &s, &widths)),
    ];
    Document {
        title: format!("{} {title}", standard.code),
        sheet: c.sheet.clone(),
        page,
        blocks,
        sheet_options: SheetOptions { list: false, print: true, repeat: Some(4) },
    }
}

/// Boxes to tick on paper, one per choice; a drop-down in a workbook.
fn choice(rows: (usize, usize), cols: (usize, usize), options: &[&String], style: Style) -> Cell {
    let text: Vec<String> = options.iter().map(|o| format!("{CHECK_BOX}{o}")).collect();
    Cell::new(rows, cols, text.join("\n"), style, Role::Body(cols.0)).input(Input::Choice(options.iter().map(|o| o.to_string()).collect()))
}

/// The form's head: the standard, its level, and blanks for trainee, trainer and period.
fn header(standard: &Standard, tasks: &Tasks<'_>, template: &Template, s: &Styles, widths: &[f32]) -> Table {
    let c = &template.checklist;
    let level = standard.level.map(|l| l.to_string()).unwrap_or_default();
    let cells = vec![
        Cell::new((0, 0), (0, 0), c.standard.as_str(), s.head, Role::Label),
        Cell::new((0, 0), (1, 1), coded(&standard.code, &standard.name), s.body, Role::Body(1)),
        Cell::new((0, 0), (2, 4), template.labels.level.as_str(), s.head, Role::Label),
        Cell::new((0, 0), (5, 6), level, s.body, Role::Body(5)).number(standard.level.map(f64::from)),
        Cell::new((1, 1), (0, 0), c.trainee.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (1, 1), "", s.body, Role::Body(1)).field(part(&c.trainee), c.trainee.as_str(), TEXT),
        Cell::new((1, 1), (2, 4), c.trainer.as_str(), s.head, Role::Label),
        Cell::new((1, 1), (5, 6), "", s.body, Role::Body(5)).field(part(&c.trainer), c.trainer.as_str(), TEXT),
        Cell::new((2, 2), (0, 0), c.period.as_str(), s.head, Role::Label),
        Cell::new((2, 2), (1, 6), c.period_blank.as_str(), s.body, Role::Body(1)).field(part(&c.period), c.period.as_str(), TEXT),
        Cell::new((3, 3), (0, 6), c.methods_note.as_str(), s.body, Role::Body(0)),
    ];
    // The official wording of each level the checklist's tasks have, stated once.
    let mut levels: Vec<u32> = tasks.iter().filter_map(|(_, t)| t.level).filter(|l| (1..=6).contains(l)).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut cells = cells;
    for (n, level) in levels.iter().enumerate() {
        let row = 4 + n;
        cells.push(Cell::new((row, row), (0, 0), format!("{} {level}", c.level), s.head, Role::Label));
        cells.push(Cell::new((row, row), (1, 6), c.levels[*level as usize - 1].as_str(), s.body, Role::Body(1)));
    }
    Table { widths: widths.to_vec(), cells, rows: 4 + levels.len(), ..Table::default() }
}

/// Per task: its heading, level wording, evidence, one row per indicator, its K and S.
fn indicators(standard: &Standard, tasks: &Tasks<'_>, template: &Template, s: &Styles, widths: &[f32]) -> Table {
    let c = &template.checklist;
    let heads = [&c.task, &c.indicator, &c.achieved, &c.not_achieved, &c.method, &c.comment, &c.date];
    let header = heads.iter().enumerate().map(|(i, h)| Cell::new((0, 0), (i, i), h.as_str(), s.head, Role::Header)).collect();
    let methods = Input::Choice(c.methods.clone());
    let competencies = standard.competency_names();
    let mut names = Names::default();
    let mut cells = Vec::new();
    let mut keep = Vec::new();
    // A bookmark per task, where its heading is placed.
    let mut marks = Vec::new();
    let mut row = 0;
    let wide = |row: usize, text: String, style: Style| Cell::new((row, row), (1, 6), text, style, Role::Body(1));
    for (duty, task) in tasks {
        let first = row;
        let level = match task.level {
            Some(level) => format!("　{} {level}", c.level),
            None => format!("　{}：—", c.level),
        };
        let heading = format!("{}（{}）{level}", coded(&task.code, &task.title), coded(&duty.code, &duty.title));
        marks.push((row, coded(&task.code, &task.title)));
        cells.push(wide(row, heading, s.task));
        // A heading, and the evidence to collect, stay with the first indicator.
        keep.push(row);
        row += 1;
        let outputs: Vec<String> = task.outputs().map(|o| format!("{CHECK_BOX} {}", coded(&o.code, &o.title))).collect();
        if !outputs.is_empty() {
            cells.push(wide(row, format!("{}：\n{}", c.evidence, super::items(&outputs)), s.body).whole_items());
            keep.push(row);
            row += 1;
        }
        for indicator in task.indicators() {
            cells.push(Cell::new((row, row), (1, 1), coded(&indicator.code, &indicator.text), s.body, Role::Body(1)));
            let field = names.of(&indicator.code);
            cells.extend(ticks(row, &field, template, s.check));
            let name = |label: &str| format!("{field}.{}", part(label));
            let tip = |label: &str| format!("{} {label}", indicator.code);
            let choose = FieldKind::Choice(c.methods.clone());
            cells.push(Cell::new((row, row), (4, 4), "", s.body, Role::Body(4)).input(methods.clone()).field(
                name(&c.method),
                tip(&c.method),
                choose,
            ));
            cells.push(Cell::new((row, row), (5, 5), "", s.body, Role::Body(5)).field(name(&c.comment), tip(&c.comment), LINES));
            cells.push(Cell::new((row, row), (6, 6), "", s.body, Role::Body(6)).field(name(&c.date), tip(&c.date), TEXT));
            row += 1;
        }
        // Knowledge beside skills, one item a line (a name's own lines kept).
        let k = super::competencies(&competencies, &task.knowledge);
        let sk = super::competencies(&competencies, &task.skills);
        cells.push(Cell::new((row, row), (1, 1), format!("{}：{}", c.knowledge, dash(&k)), s.body, Role::Body(1)).whole_items());
        cells.push(Cell::new((row, row), (2, 6), format!("{}：{}", c.skills, dash(&sk)), s.body, Role::Body(2)).whole_items());
        let continued = format!("{}{}", task.code, template.labels.continued);
        cells.push(Cell::new((first, row), (0, 0), task.code.as_str(), s.body, Role::Body(0)).continued(continued));
        row += 1;
    }
    Table { widths: widths.to_vec(), header, cells, rows: row, keep, marks, min_row: WRITING_ROW, ..Table::default() }
}

/// Field names by code, each once: a code met again (a duplicate in the source) is `CODE-2`, so
/// that its boxes are not ticked with the first one's.
#[derive(Default)]
struct Names(std::collections::HashMap<String, usize>);

impl Names {
    fn of(&mut self, code: &str) -> String {
        // Dots make the hierarchy (`P1` › `1` › `1`); an empty part (no code, `P1..2`) is `_`.
        let code: Vec<&str> = code.trim().split('.').map(|p| if p.is_empty() { "_" } else { p }).collect();
        let code = code.join(".");
        let seen = self.0.entry(code.clone()).or_insert(0);
        *seen += 1;
        if *seen == 1 { code } else { format!("{code}-{seen}") }
    }
}

/// A one-line and a several-line text field.
const TEXT: FieldKind = FieldKind::Text { multiline: false };
const LINES: FieldKind = FieldKind::Text { multiline: true };

/// A label as a part of a field's name, which may not hold a `.` (it separates the parts).
fn part(label: &str) -> String {
    label.replace('.', "_")
}

/// The 達成 and 未達成 boxes of an indicator or an attitude (columns 2 and 3): on paper two boxes
/// to tick, in a workbook a drop-down each, in a fillable PDF one field `CODE.達成` whose two
/// boxes are exclusive (its value 達成 or 未達成).
fn ticks(row: usize, code: &str, template: &Template, style: Style) -> [Cell; 2] {
    let c = &template.checklist;
    let name = format!("{code}.{}", part(&c.achieved));
    let tip = format!("{code} {}／{}", c.achieved, c.not_achieved);
    let field = |state: &String| FieldKind::Boxes { states: vec![state.clone()], radio: false };
    [
        tick((row, row), 2, style).field(name.as_str(), tip.as_str(), field(&c.achieved)),
        tick((row, row), 3, style).field(name.as_str(), tip.as_str(), field(&c.not_achieved)),
    ]
}

/// A box to tick: drawn on paper, a drop-down offering ✓ in a workbook.
fn tick(rows: (usize, usize), col: usize, style: Style) -> Cell {
    Cell::new(rows, (col, col), CHECK_BOX.to_string(), Style { center: true, ..style }, Role::Body(col))
        .input(Input::Choice(vec!["✓".into()]))
}

fn dash(text: &str) -> String {
    if text.is_empty() { "—".to_string() } else { format!("\n{text}") }
}

/// The attitudes, each with 達成 / 未達成 to tick, then the overall result and the signature lines,
/// kept on one page with the last attitude: a signature block never stands alone.
fn closing(standard: &Standard, template: &Template, s: &Styles, widths: &[f32]) -> Table {
    let c = &template.checklist;
    let header = vec![
        Cell::new((0, 0), (0, 1), template.labels.attitudes.as_str(), s.head, Role::Header),
        Cell::new((0, 0), (2, 2), c.achieved.as_str(), s.head, Role::Header),
        Cell::new((0, 0), (3, 3), c.not_achieved.as_str(), s.head, Role::Header),
        Cell::new((0, 0), (4, 6), c.comment.as_str(), s.head, Role::Header),
    ];
    let mut cells = Vec::new();
    let mut names = Names::default();
    for (row, attitude) in standard.attitudes.iter().enumerate() {
        cells.push(Cell::new((row, row), (0, 1), coded(&attitude.code, &attitude.name), s.body, Role::Body(0)));
        let field = names.of(&attitude.code);
        cells.extend(ticks(row, &field, template, s.check));
        let comment = format!("{field}.{}", part(&c.comment));
        cells.push(Cell::new((row, row), (4, 6), "", s.body, Role::Body(4)).field(
            comment,
            format!("{} {}", attitude.code, c.comment),
            LINES,
        ));
    }
    let result = standard.attitudes.len();
    cells.push(Cell::new((result, result), (0, 0), c.result.as_str(), s.head, Role::Label));
    let pair = FieldKind::Boxes { states: vec![c.pass.clone(), c.retry.clone()], radio: true };
    cells.push(choice((result, result), (1, 6), &[&c.pass, &c.retry], s.check).field(part(&c.result), c.result.as_str(), pair));
    for (row, label) in [(result + 1, &c.trainee_signature), (result + 2, &c.trainer_signature)] {
        cells.push(Cell::new((row, row), (0, 0), label.as_str(), s.head, Role::Label));
        cells.push(Cell::new((row, row), (1, 1), "\n", s.body, Role::Body(1)).field(part(label), label.as_str(), TEXT));
        cells.push(Cell::new((row, row), (2, 3), c.date.as_str(), s.head, Role::Label));
        let date = format!("{}{}", part(label), part(&c.date));
        cells.push(Cell::new((row, row), (4, 6), "", s.body, Role::Body(4)).field(date, format!("{label} {}", c.date), TEXT));
    }
    // The last two attitudes, the result and the first signature stay with the next row: a
    // signature block never stands alone, and the attitudes keep two rows on each side of a break.
    let mut keep: Vec<usize> = (result.saturating_sub(2)..result + 2).collect();
    if result >= 4 {
        keep.insert(0, 0);
    }
    Table { widths: widths.to_vec(), header, cells, rows: result + 3, keep, min_row: WRITING_ROW, keep_together: true, ..Table::default() }
}
