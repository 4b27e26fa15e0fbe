//! The flat table: one line per indicator (or per row, task or duty without one), every column
//! filled, the header block repeated in columns as a database export does. What the CSV and the
//! workbook's 資料 sheet say; each backend draws it.

use crate::model::{Duty, Indicator, Row, Standard, Task, coded};

/// Column headers of the flat table; the reader recognises each by its label.
pub const COLUMNS: [&str; 24] = [
    "職能基準代碼",
    "職能基準名稱",
    "名稱類型",
    "職類別",
    "職類別代碼",
    "職業別",
    "職業別代碼",
    "行業別",
    "行業別代碼",
    "工作描述",
    "基準級別",
    "主要職責代碼",
    "主要職責",
    "工作任務代碼",
    "工作任務",
    "職能級別",
    "列次",
    "工作產出",
    "行為指標代碼",
    "行為指標",
    "職能內涵(K=knowledge 知識)",
    "職能內涵(S=skills 技能)",
    "態度",
    "說明與補充事項",
];

/// One line of the flat table, every column filled.
pub fn lines(standard: &Standard) -> Vec<[String; 24]> {
    let head = header_values(standard);
    let names = standard.competency_names();
    let mut lines = Vec::new();
    // A task comes with its knowledge and skills, named from the standard's lists once for all its
    // lines.
    let mut push = |duty: Option<&Duty>, task: Option<(&Task, &[String; 2])>, row: Option<(usize, &Row)>, indicator: Option<&Indicator>| {
        let mut line: [String; 24] = Default::default();
        line[..11].clone_from_slice(&head[..11]);
        line[22] = head[11].clone();
        line[23] = head[12].clone();
        if let Some(duty) = duty {
            line[11] = duty.code.clone();
            line[12] = duty.title.clone();
        }
        if let Some((task, [knowledge, skills])) = task {
            line[13] = task.code.clone();
            line[14] = task.title.clone();
            line[15] = task.level.map(|l| l.to_string()).unwrap_or_default();
            line[20] = knowledge.clone();
            line[21] = skills.clone();
        }
        if let Some((number, row)) = row {
            line[16] = (number + 1).to_string();
            line[17] = row.outputs.iter().map(|o| coded(&o.code, &o.title)).collect::<Vec<_>>().join("\n");
        }
        if let Some(indicator) = indicator {
            line[18] = indicator.code.clone();
            line[19] = indicator.text.clone();
        }
        lines.push(line);
    };
    for duty in &standard.duties {
        if duty.tasks.is_empty() {
            push(Some(duty), None, None, None);
        }
        for task in &duty.tasks {
            let competencies = [names.lines(&task.knowledge), names.lines(&task.skills)];
            let named = Some((task, &competencies));
            if task.rows.is_empty() {
                push(Some(duty), named, None, None);
            }
            for (number, row) in task.rows.iter().enumerate() {
                if row.indicators.is_empty() {
                    push(Some(duty), named, Some((number, row)), None);
                }
                for indicator in &row.indicators {
                    push(Some(duty), named, Some((number, row)), Some(indicator));
                }
            }
        }
    }
    if standard.duties.is_empty() {
        push(None, None, None, None);
    }
    lines
}

/// The header-block values in the order of `COLUMNS[..11]`, then attitudes and notes (the notes
/// with their ●/○ marks and table rows, as a workbook cell shows them, so that levels survive).
fn header_values(standard: &Standard) -> [String; 13] {
    let class = &standard.classification;
    [
        standard.code.clone(),
        standard.name.clone(),
        standard.name_kind.map(|k| k.label().to_string()).unwrap_or_default(),
        class.job_category.name.clone(),
        class.job_category.code.clone(),
        class.occupation.name.clone(),
        class.occupation.code.clone(),
        class.industry.name.clone(),
        class.industry.code.clone(),
        standard.description.clone(),
        standard.level.map(|l| l.to_string()).unwrap_or_default(),
        standard.attitudes.iter().map(|a| coded(&a.code, &a.name)).collect::<Vec<_>>().join("\n"),
        crate::doc::notes::plain(standard),
    ]
}
