//! The official workbook: sheet 職能基準 in the printed layout (the source's spans as merged cells,
//! row heights computed from real text measurement, A4 print setup), then 知識, 技能, 態度, 職能矩陣, 資料 and
//! 檢核. Reading it back gives the same standard.

use crate::diag::Diagnostic;
use crate::model::{NameKind, Standard, coded};
use crate::template::Template;
use crate::text::Font;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f32 = 409.0;
/// Excel's inner cell margin on each side, in points.
const CELL_MARGIN: f32 = 2.25;
/// Measured widths are scaled by this, since the viewer's font (標楷體, or its fallback) is not ours.
const SAFETY: f32 = 1.06;
const SHADE: u32 = 0xD9D9D9;

/// The workbook's bytes.
pub fn workbook(
    standard: &Standard,
    diagnostics: &[Diagnostic],
    template: &Template,
    font: &Font,
    epoch: i64,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Fast deflate: the default level took a quarter of the time for a few percent of size.
    book.set_zip_compression_level(1);
    let created = ExcelDateTime::from_timestamp(epoch.max(0))?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(format!("{} {}{}", standard.code, standard.name, template.labels.title_suffix)),
    );
    let formats = Formats::new(template);
    {
        let sheet = book.add_worksheet();
        official_sheet(sheet, standard, template, font, &formats)?;
    }
    let w = &template.workbook;
    let uses = |code: &str, knowledge: bool| -> String {
        let tasks: Vec<&str> = standard
            .tasks()
            .filter(|t| if knowledge { t.knowledge.iter().any(|k| k == code) } else { t.skills.iter().any(|s| s == code) })
            .map(|t| t.code.as_str())
            .collect();
        tasks.join("、")
    };
    let knowledge: Vec<Vec<String>> =
        standard.knowledge.iter().map(|k| vec![k.code.clone(), k.name.clone(), uses(&k.code, true)]).collect();
    list_sheet(book.add_worksheet(), &w.sheet_knowledge, &[&w.code, &w.item_name, &w.used_by], &[8.0, 30.0, 40.0], &knowledge, &formats)?;
    let skills: Vec<Vec<String>> = standard.skills.iter().map(|s| vec![s.code.clone(), s.name.clone(), uses(&s.code, false)]).collect();
    list_sheet(book.add_worksheet(), &w.sheet_skills, &[&w.code, &w.item_name, &w.used_by], &[8.0, 30.0, 40.0], &skills, &formats)?;
    let attitudes: Vec<Vec<String>> = standard.attitudes.iter().map(|a| vec![a.code.clone(), a.name.clone()]).collect();
    list_sheet(book.add_worksheet(), &w.sheet_attitudes, &[&w.code, &w.item_name], &[8.0, 40.0], &attitudes, &formats)?;
    matrix_sheet(book.add_worksheet(), standard, template, &formats)?;
    data_sheet(book.add_worksheet(), &w.sheet_data, standard, &formats)?;
    let checks: Vec<Vec<String>> = diagnostics
        .iter()
        .map(|d| {
            let place = match &d.cell {
                Some(cell) => format!("{}!{cell}", d.sheet),
                None => d.sheet.clone(),
            };
            vec![d.severity.to_string(), d.rule.to_string(), place, d.message.clone()]
        })
        .collect();
    list_sheet(
        book.add_worksheet(),
        &w.sheet_check,
        &[&w.severity, &w.rule, &w.location, &w.message],
        &[9.0, 22.0, 24.0, 80.0],
        &checks,
        &formats,
    )?;
    book.save_to_buffer()
}

pub(super) struct Formats {
    title: Format,
    label: Format,
    body: Format,
    centered: Format,
    left: Format,
    list_head: Format,
}

impl Formats {
    pub(super) fn new(template: &Template) -> Formats {
        let font = &template.font;
        let base = Format::new().set_font_name(&font.name).set_font_size(font.body_pt).set_text_wrap().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_font_name(&font.name)
                .set_font_size(font.title_pt)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(SHADE))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            body: base.clone().set_align(FormatAlign::Top),
            centered: base.clone().set_align(FormatAlign::Top).set_align(FormatAlign::Center),
            left: base.clone().set_align(FormatAlign::Top).set_align(FormatAlign::Left),
            list_head: base.set_bold().set_background_color(Color::RGB(SHADE)),
        }
    }
}

/// Widths in points of the official sheet's columns, from their widths in characters.
fn column_points(chars: f64) -> f32 {
    // Excel: a width of w characters of a 7-pixel digit is trunc(7w + 5) pixels; 0.75 pt a pixel.
    ((chars * 7.0 + 5.0).trunc() * 0.75) as f32
}

/// The official sheet, written cell by cell while the height each row needs is worked out.
struct Layout<'a> {
    sheet: &'a mut Worksheet,
    font: &'a Font,
    size: f32,
    line: f32,
    widths: [f32; 7],
    /// Height each row needs for the cells that lie in it alone.
    rows: Vec<f32>,
    /// Cells spanning several rows: (first, last, height needed).
    spans: Vec<(u32, u32, f32)>,
}

impl Layout<'_> {
    fn height_of(&self, text: &str, first_col: u16, last_col: u16) -> f32 {
        let width: f32 = self.widths[first_col as usize..=last_col as usize].iter().sum::<f32>() - 2.0 * CELL_MARGIN;
        let lines = if text.is_empty() { 1 } else { self.font.wrap(text, (width / SAFETY).max(1.0), self.size).len() };
        lines as f32 * self.line + 3.0
    }

    fn need(&mut self, first_row: u32, last_row: u32, height: f32) {
        if self.rows.len() <= last_row as usize {
            self.rows.resize(last_row as usize + 1, 0.0);
        }
        if first_row == last_row {
            let row = &mut self.rows[first_row as usize];
            *row = row.max(height);
        } else {
            self.spans.push((first_row, last_row, height));
        }
    }

    /// Write a text over a range of cells (one cell when the range is one cell).
    fn put(&mut self, rows: (u32, u32), cols: (u16, u16), text: &str, format: &Format) -> Result<(), XlsxError> {
        if rows.0 == rows.1 && cols.0 == cols.1 {
            self.sheet.write_string_with_format(rows.0, cols.0, text, format)?;
        } else {
            self.sheet.merge_range(rows.0, cols.0, rows.1, cols.1, text, format)?;
        }
        let height = self.height_of(text, cols.0, cols.1);
        self.need(rows.0, rows.1, height);
        Ok(())
    }

    /// A level: a number in the cell, merged over its span.
    fn put_level(&mut self, rows: (u32, u32), col: u16, level: Option<u32>, format: &Format) -> Result<(), XlsxError> {
        if rows.0 != rows.1 {
            self.sheet.merge_range(rows.0, col, rows.1, col, "", format)?;
        }
        match level {
            Some(n) => self.sheet.write_number_with_format(rows.0, col, f64::from(n), format)?,
            None => self.sheet.write_blank(rows.0, col, format)?,
        };
        self.need(rows.0, rows.1, self.line + 3.0);
        Ok(())
    }

    /// Set every row's height: its own cells first, then spans spread their shortfall evenly.
    fn finish(mut self) -> Result<(), XlsxError> {
        self.spans.sort_by_key(|(first, last, _)| last - first);
        for &(first, last, needed) in &self.spans {
            let rows = &mut self.rows[first as usize..=last as usize];
            let have: f32 = rows.iter().sum();
            if have < needed {
                let extra = (needed - have) / rows.len() as f32;
                rows.iter_mut().for_each(|h| *h += extra);
            }
        }
        for (row, height) in self.rows.iter().enumerate() {
            if *height > 0.0 {
                self.sheet.set_row_height(row as u32, height.min(MAX_ROW_HEIGHT).ceil() as f64)?;
            }
        }
        Ok(())
    }
}

/// Where the official sheet put what a form-filler edits: the 基準級別 row and the table's rows.
pub(super) struct Placed {
    pub level_row: u32,
    pub header_row: u32,
    pub table_end: u32,
}

pub(super) fn official_sheet(
    sheet: &mut Worksheet,
    standard: &Standard,
    template: &Template,
    font: &Font,
    f: &Formats,
) -> Result<Placed, XlsxError> {
    let l = &template.labels;
    let w = &template.workbook;
    sheet.set_name(&w.sheet_official)?;
    for (col, width) in w.columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    let widths = w.columns.map(column_points);
    let size = template.font.body_pt;
    let mut x = Layout { sheet: &mut *sheet, font, size, line: size * w.line_height, widths, rows: Vec::new(), spans: Vec::new() };
    let title = format!("{}{}", standard.name, l.title_suffix);
    x.sheet.merge_range(0, 0, 0, 6, &title, &f.title)?;
    x.need(0, 0, template.font.title_pt * 1.6);
    let mut row = 2;
    if !standard.versions.is_empty() {
        let heads = [&l.version, &l.version_code, &l.version_name, &l.version_note, &l.version_status, &l.version_date];
        for (col, head) in heads.iter().enumerate() {
            x.put((row, row), (col as u16, col as u16), head, &f.label)?;
        }
        for version in &standard.versions {
            row += 1;
            let values = [&version.version, &version.code, &version.name, &version.note, &version.status, &version.date];
            for (col, value) in values.iter().enumerate() {
                x.put((row, row), (col as u16, col as u16), value, &f.body)?;
            }
        }
        row += 2;
    }
    // The header block, as the official form lays it out.
    x.put((row, row), (0, 1), &l.code, &f.label)?;
    x.put((row, row), (2, 6), &standard.code, &f.body)?;
    row += 1;
    match standard.name_kind {
        Some(kind) => {
            let (category, occupation) =
                if kind == NameKind::Category { (standard.name.as_str(), "") } else { ("", standard.name.as_str()) };
            x.put((row, row + 1), (0, 0), &l.name, &f.label)?;
            x.put((row, row), (1, 1), &l.category, &f.label)?;
            x.put((row, row), (2, 6), category, &f.body)?;
            x.put((row + 1, row + 1), (1, 1), &l.occupation, &f.label)?;
            x.put((row + 1, row + 1), (2, 6), occupation, &f.body)?;
            row += 2;
        }
        None => {
            // No box is known: one row under the plain label.
            let label = l.name.lines().next().unwrap_or(&l.name);
            x.put((row, row), (0, 1), label, &f.label)?;
            x.put((row, row), (2, 6), &standard.name, &f.body)?;
            row += 1;
        }
    }
    let class = &standard.classification;
    x.put((row, row + 2), (0, 0), &l.classification, &f.label)?;
    let entries = [
        (&l.job_category, &l.job_category_code, &class.job_category),
        (&l.occupation_class, &l.occupation_code, &class.occupation),
        (&l.industry, &l.industry_code, &class.industry),
    ];
    for (kind, code_label, named) in entries {
        x.put((row, row), (1, 1), kind, &f.label)?;
        x.put((row, row), (2, 3), &named.name, &f.body)?;
        x.put((row, row), (4, 5), code_label, &f.label)?;
        x.put((row, row), (6, 6), &named.code, &f.body)?;
        row += 1;
    }
    x.put((row, row), (0, 1), &l.description, &f.label)?;
    x.put((row, row), (2, 6), &standard.description, &f.body)?;
    row += 1;
    x.put((row, row), (0, 1), &l.level, &f.label)?;
    let level_row = row;
    x.sheet.merge_range(row, 2, row, 6, "", &f.body)?;
    match standard.level {
        Some(level) => x.sheet.write_number_with_format(row, 2, f64::from(level), &f.left)?,
        None => x.sheet.write_blank(row, 2, &f.body)?,
    };
    x.need(row, row, x.line + 3.0);
    row += 2;
    // The main table; its header row repeats on every printed page.
    let header_row = row;
    let heads = [&l.duty, &l.task, &l.output, &l.indicator, &l.task_level, &l.knowledge, &l.skills];
    for (col, head) in heads.iter().enumerate() {
        x.put((row, row), (col as u16, col as u16), head, &f.label)?;
    }
    row += 1;
    row = main_table(&mut x, standard, row, f)?;
    let table_end = row;
    row += 1;
    x.put((row, row), (0, 6), &l.attitudes, &f.label)?;
    for attitude in &standard.attitudes {
        row += 1;
        x.put((row, row), (0, 6), &coded(&attitude.code, &attitude.name), &f.body)?;
    }
    row += 2;
    x.put((row, row), (0, 6), &l.notes, &f.label)?;
    for note in &standard.notes {
        row += 1;
        x.put((row, row), (0, 6), note, &f.body)?;
    }
    x.finish()?;
    print_setup(sheet, standard, template, header_row)?;
    Ok(Placed { level_row, header_row, table_end })
}

/// A4 portrait as the official print, one page wide, the table header on every page, the code and
/// name at the top and `第 N 頁，總共 M 頁` at the foot.
fn print_setup(sheet: &mut Worksheet, standard: &Standard, template: &Template, header_row: u32) -> Result<(), XlsxError> {
    let escape = |text: &str| text.replace('&', "&&");
    let head = format!(
        "&L&\"{}\"&9{} {}{}",
        template.font.name,
        escape(&standard.code),
        escape(&standard.name),
        escape(&template.labels.title_suffix)
    );
    let foot = escape(&template.labels.footer).replace("{page}", "&P").replace("{pages}", "&N");
    sheet
        .set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_header(head)
        .set_footer(format!("&C&\"{}\"&9{foot}", template.font.name));
    sheet.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// The seven-column table: a duty merged over its tasks, a task over its rows, 職能級別/K/S over the
/// consecutive tasks of a duty that share them. Returns the row after the table.
fn main_table(x: &mut Layout<'_>, standard: &Standard, mut row: u32, f: &Formats) -> Result<u32, XlsxError> {
    for duty in &standard.duties {
        let first = row;
        let spans: Vec<(u32, u32)> = duty
            .tasks
            .iter()
            .scan(row, |next, task| {
                let start = *next;
                *next += task.rows.len().max(1) as u32;
                Some((start, *next - 1))
            })
            .collect();
        let last = spans.last().map_or(row, |s| s.1);
        x.put((first, last), (0, 0), &coded(&duty.code, &duty.title), &f.body)?;
        if duty.tasks.is_empty() {
            for col in 1..7 {
                x.sheet.write_blank(row, col, &f.body)?;
            }
        }
        for (task, &(start, end)) in duty.tasks.iter().zip(&spans) {
            x.put((start, end), (1, 1), &coded(&task.code, &task.title), &f.body)?;
            if task.rows.is_empty() {
                x.sheet.write_blank(start, 2, &f.body)?;
                x.sheet.write_blank(start, 3, &f.body)?;
            }
            for (n, r) in task.rows.iter().enumerate() {
                let at = start + n as u32;
                let outputs: Vec<String> = r.outputs.iter().map(|o| coded(&o.code, &o.title)).collect();
                let indicators: Vec<String> = r.indicators.iter().map(|p| coded(&p.code, &p.text)).collect();
                x.put((at, at), (2, 2), &outputs.join("\n"), &f.body)?;
                x.put((at, at), (3, 3), &indicators.join("\n"), &f.body)?;
            }
        }
        // Consecutive tasks with the same level, K or S share one merged cell.
        let groups = |same: &dyn Fn(usize, usize) -> bool| -> Vec<(usize, usize)> {
            let mut groups = Vec::new();
            let mut start = 0;
            for i in 1..=duty.tasks.len() {
                if i == duty.tasks.len() || !same(start, i) {
                    groups.push((start, i - 1));
                    start = i;
                }
            }
            groups
        };
        for (a, b) in groups(&|i, j| duty.tasks[i].level == duty.tasks[j].level) {
            x.put_level((spans[a].0, spans[b].1), 4, duty.tasks[a].level, &f.centered)?;
        }
        for (a, b) in groups(&|i, j| duty.tasks[i].knowledge == duty.tasks[j].knowledge) {
            let text = standard.competency_lines(&duty.tasks[a].knowledge);
            x.put((spans[a].0, spans[b].1), (5, 5), &text, &f.body)?;
        }
        for (a, b) in groups(&|i, j| duty.tasks[i].skills == duty.tasks[j].skills) {
            let text = standard.competency_lines(&duty.tasks[a].skills);
            x.put((spans[a].0, spans[b].1), (6, 6), &text, &f.body)?;
        }
        row = last + 1;
    }
    Ok(row)
}

/// A plain list with a shaded, frozen header row. Body cells keep the default style: rust_xlsxwriter
/// hashes a cell's whole format on every write, which cost more than the rest of the workbook.
pub(super) fn list_sheet(
    sheet: &mut Worksheet,
    name: &str,
    heads: &[&String],
    widths: &[f64],
    rows: &[Vec<String>],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, (head, width)) in heads.iter().zip(widths).enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(0, col as u16, head.as_str(), &f.list_head)?;
    }
    for (r, values) in rows.iter().enumerate() {
        for (col, value) in values.iter().enumerate() {
            sheet.write_string(r as u32 + 1, col as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The flat table: one row per indicator, every column filled, an autofilter and a frozen header.
fn data_sheet(sheet: &mut Worksheet, name: &str, standard: &Standard, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let lines = super::csv::lines(standard);
    for (col, head) in super::csv::COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *head, &f.list_head)?;
        let width = if matches!(col, 9 | 19 | 22 | 23) { 40.0 } else { 14.0 };
        sheet.set_column_width(col as u16, width)?;
    }
    for (r, line) in lines.iter().enumerate() {
        for (col, value) in line.iter().enumerate() {
            sheet.write_string(r as u32 + 1, col as u16, value)?;
        }
    }
    let last_col = (super::csv::COLUMNS.len() - 1) as u16;
    sheet.autofilter(0, 0, lines.len() as u32, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Sheet 職能矩陣: tasks down, K then S codes across (rotated heads under 知識 / 技能), a mark where
/// the task needs the code, the level, totals per row and column, and the codes' names below.
fn matrix_sheet(sheet: &mut Worksheet, standard: &Standard, template: &Template, f: &Formats) -> Result<(), XlsxError> {
    use crate::pdf::matrix::{columns, needs};
    let m = &template.matrix;
    sheet.set_name(&m.sheet)?;
    let codes = columns(standard);
    let last = codes.len() as u16 + 2;
    sheet.set_column_width(0, 36.0)?;
    sheet.set_column_width(1, 6.0)?;
    for col in 2..last {
        sheet.set_column_width(col, 3.6)?;
    }
    sheet.set_column_width(last, 6.0)?;
    sheet.merge_range(0, 0, 0, last.max(6), &format!("{}{} {}", standard.name, template.labels.title_suffix, m.title), &f.title)?;
    sheet.merge_range(2, 0, 3, 0, &template.labels.task, &f.label)?;
    sheet.merge_range(2, 1, 3, 1, &template.checklist.level, &f.label)?;
    sheet.merge_range(2, last, 3, last, &m.total, &f.label)?;
    let knowledge = codes.iter().filter(|c| c.knowledge).count() as u16;
    let group = |sheet: &mut Worksheet, first: u16, end: u16, text: &str| -> Result<(), XlsxError> {
        if first + 1 == end {
            sheet.write_string_with_format(2, first, text, &f.label)?;
        } else if first < end {
            sheet.merge_range(2, first, 2, end - 1, text, &f.label)?;
        }
        Ok(())
    };
    group(sheet, 2, 2 + knowledge, &m.knowledge)?;
    group(sheet, 2 + knowledge, last, &m.skills)?;
    let rotated = f.label.clone().set_rotation(90);
    for (i, column) in codes.iter().enumerate() {
        sheet.write_string_with_format(3, 2 + i as u16, &column.code, &rotated)?;
    }
    sheet.set_row_height(3, 34)?;
    let mut row = 4;
    for duty in &standard.duties {
        sheet.merge_range(row, 0, row, last, &coded(&duty.code, &duty.title), &f.label)?;
        row += 1;
        for task in &duty.tasks {
            sheet.write_string_with_format(row, 0, coded(&task.code, &task.title), &f.body)?;
            match task.level {
                Some(level) => sheet.write_number_with_format(row, 1, f64::from(level), &f.centered)?,
                None => sheet.write_blank(row, 1, &f.centered)?,
            };
            for (i, column) in codes.iter().enumerate() {
                let mark = if needs(task, column) { m.mark.as_str() } else { "" };
                sheet.write_string_with_format(row, 2 + i as u16, mark, &f.centered)?;
            }
            let total = codes.iter().filter(|c| needs(task, c)).count();
            sheet.write_number_with_format(row, last, total as f64, &f.centered)?;
            row += 1;
        }
    }
    sheet.merge_range(row, 0, row, 1, &m.total, &f.label)?;
    let mut grand = 0;
    for (i, column) in codes.iter().enumerate() {
        let count = standard.tasks().filter(|t| needs(t, column)).count();
        grand += count;
        sheet.write_number_with_format(row, 2 + i as u16, count as f64, &f.centered)?;
    }
    sheet.write_number_with_format(row, last, grand as f64, &f.centered)?;
    row += 2;
    sheet.write_string_with_format(row, 0, &m.legend, &f.label)?;
    for item in standard.knowledge.iter().chain(&standard.skills) {
        row += 1;
        sheet.write_string(row, 0, coded(&item.code, &item.name))?;
    }
    sheet.set_freeze_panes(4, 2)?;
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(2, 3)?;
    Ok(())
}
