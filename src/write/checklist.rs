//! The training checklist as a workbook, so a trainer can track one trainee on a computer: the same
//! rows as the printed checklist, one per 行為指標 with every column filled, drop-down lists for the
//! result (達成 / 未達成) and the 評量方式, then the attitudes, the overall result and signatures.

use crate::model::{Standard, coded};
use crate::pdf::checklist::Tasks;
use crate::template::Template;
use rust_xlsxwriter::{Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// The checklist workbook's bytes; `role` names the role when it is not the whole standard.
pub fn workbook(standard: &Standard, tasks: &Tasks<'_>, role: Option<&str>, template: &Template, epoch: i64) -> Result<Vec<u8>, XlsxError> {
    let c = &template.checklist;
    let l = &template.labels;
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_timestamp(epoch.max(0))?));
    let font = &template.font;
    let base = Format::new()
        .set_font_name(&font.name)
        .set_font_size(font.body_pt)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let label = base.clone().set_bold().set_background_color(Color::RGB(0xD9D9D9));
    let title_format = Format::new().set_font_name(&font.name).set_font_size(font.title_pt - 2.0).set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(&c.sheet)?;
    let widths = [16.0, 18.0, 6.0, 40.0, 8.0, 9.0, 20.0, 10.0, 20.0, 24.0, 20.0];
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    let mut title = format!("{}{} {}", standard.name, l.title_suffix, c.title);
    if let Some(role) = role {
        title.push_str(&format!("（{}：{role}）", c.role));
    }
    sheet.merge_range(0, 0, 0, 10, &title, &title_format)?;
    sheet.write_string_with_format(1, 0, &c.standard, &label)?;
    sheet.merge_range(1, 1, 1, 3, &coded(&standard.code, &standard.name), &base)?;
    sheet.write_string_with_format(1, 4, &l.level, &label)?;
    sheet.merge_range(1, 5, 1, 10, &standard.level.map(|n| n.to_string()).unwrap_or_default(), &base)?;
    sheet.write_string_with_format(2, 0, &c.trainee, &label)?;
    sheet.merge_range(2, 1, 2, 3, "", &base)?;
    sheet.write_string_with_format(2, 4, &c.trainer, &label)?;
    sheet.merge_range(2, 5, 2, 10, "", &base)?;
    sheet.write_string_with_format(3, 0, &c.period, &label)?;
    sheet.merge_range(3, 1, 3, 10, &c.period_blank, &base)?;
    let heads = [&l.duty, &l.task, &c.level, &c.indicator, &c.result, &c.method, &c.comment, &c.date, &l.output, &c.knowledge, &c.skills];
    let head_row = 5;
    for (col, head) in heads.iter().enumerate() {
        sheet.write_string_with_format(head_row, col as u16, head.as_str(), &label)?;
    }
    let mut row = head_row;
    for (duty, task) in tasks {
        let outputs: Vec<String> = task.outputs().map(|o| coded(&o.code, &o.title)).collect();
        let indicators: Vec<String> = task.indicators().map(|p| coded(&p.code, &p.text)).collect();
        // A task without indicators still gets its row.
        let lines = if indicators.is_empty() { vec![String::new()] } else { indicators };
        for indicator in lines {
            row += 1;
            sheet.write_string_with_format(row, 0, coded(&duty.code, &duty.title), &base)?;
            sheet.write_string_with_format(row, 1, coded(&task.code, &task.title), &base)?;
            match task.level {
                Some(level) => sheet.write_number_with_format(row, 2, f64::from(level), &base)?,
                None => sheet.write_blank(row, 2, &base)?,
            };
            sheet.write_string_with_format(row, 3, &indicator, &base)?;
            for col in 4..8 {
                sheet.write_blank(row, col, &base)?;
            }
            sheet.write_string_with_format(row, 8, outputs.join("\n"), &base)?;
            sheet.write_string_with_format(row, 9, standard.competency_lines(&task.knowledge), &base)?;
            sheet.write_string_with_format(row, 10, standard.competency_lines(&task.skills), &base)?;
        }
    }
    if row > head_row {
        let result = DataValidation::new().allow_list_strings(&[c.achieved.as_str(), c.not_achieved.as_str()])?;
        sheet.add_data_validation(head_row + 1, 4, row, 4, &result)?;
        let methods: Vec<&str> = c.methods.iter().map(String::as_str).collect();
        let method = DataValidation::new().allow_list_strings(&methods)?;
        sheet.add_data_validation(head_row + 1, 5, row, 5, &method)?;
        sheet.autofilter(head_row, 0, row, 10)?;
    }
    row += 2;
    sheet.merge_range(row, 0, row, 3, &l.attitudes, &label)?;
    sheet.write_string_with_format(row, 4, &c.result, &label)?;
    for attitude in &standard.attitudes {
        row += 1;
        sheet.merge_range(row, 0, row, 3, &coded(&attitude.code, &attitude.name), &base)?;
        sheet.write_blank(row, 4, &base)?;
        let result = DataValidation::new().allow_list_strings(&[c.achieved.as_str(), c.not_achieved.as_str()])?;
        sheet.add_data_validation(row, 4, row, 4, &result)?;
    }
    row += 2;
    sheet.write_string_with_format(row, 0, &c.result, &label)?;
    sheet.write_blank(row, 1, &base)?;
    let overall = DataValidation::new().allow_list_strings(&[c.pass.as_str(), c.retry.as_str()])?;
    sheet.add_data_validation(row, 1, row, 1, &overall)?;
    for signature in [&c.trainee_signature, &c.trainer_signature] {
        row += 1;
        sheet.write_string_with_format(row, 0, signature, &label)?;
        sheet.merge_range(row, 1, row, 3, "", &base)?;
        sheet.write_string_with_format(row, 4, &c.date, &label)?;
        sheet.merge_range(row, 5, row, 6, "", &base)?;
        sheet.set_row_height(row, 30)?;
    }
    sheet.set_freeze_panes(head_row + 1, 0)?;
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_footer(format!("&C{}", template.labels.footer.replace('&', "&&").replace("{page}", "&P").replace("{pages}", "&N")));
    sheet.set_repeat_rows(head_row, head_row)?;
    book.save_to_buffer()
}
