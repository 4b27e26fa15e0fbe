//! The XLSX backend (rust_xlsxwriter): placed sheets drawn as worksheets with merged ranges, formats,
//! measured row heights, drop-down lists, A4 print setup (print titles, footer, one page wide).

use super::{Placed, Sheet};
use crate::doc::{Input, Style};
use crate::template::Template;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook,
    Worksheet, XlsxError,
};
use rustc_hash::FxHashMap;

/// A workbook of the given sheets, as bytes.
pub fn workbook(sheets: &[Sheet], title: &str, template: &Template, epoch: i64) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Fast deflate: the default level took a quarter of the time for a few percent of size.
    book.set_zip_compression_level(1);
    let created = ExcelDateTime::from_timestamp(epoch.max(0))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(title));
    let mut formats = Formats { font: template.font.name.clone(), cache: FxHashMap::default() };
    for sheet in sheets {
        worksheet(book.add_worksheet(), sheet, &template.font.name, &mut formats)?;
    }
    book.save_to_buffer().map(made_on_unix)
}

/// The workbook with every zip entry marked as made on Unix. rust_xlsxwriter leaves the mark to
/// the zip crate, which writes the platform it runs on (0 = DOS on Windows, 3 = Unix elsewhere) in
/// the central directory's "version made by": the one byte by which ocs.exe's workbooks differed
/// from the Linux build's. Marked Unix everywhere, as the ODF files are.
fn made_on_unix(mut zip: Vec<u8>) -> Vec<u8> {
    // The end record (no comment: rust_xlsxwriter writes none) gives the entries' count and where
    // the central directory starts; each header's fixed 46 bytes are followed by three lengths.
    let Some(end) = zip.len().checked_sub(22).filter(|&end| zip[end..].starts_with(b"PK\x05\x06")) else { return zip };
    let word = |zip: &[u8], at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
    let count = word(&zip, end + 10);
    let mut at = u32::from_le_bytes([zip[end + 16], zip[end + 17], zip[end + 18], zip[end + 19]]) as usize;
    for _ in 0..count {
        if at + 46 > end || !zip[at..].starts_with(b"PK\x01\x02") {
            break;
        }
        zip[at + 5] = 3;
        at += 46 + word(&zip, at + 28) + word(&zip, at + 30) + word(&zip, at + 32);
    }
    zip
}

/// One format per style, made once.
struct Formats {
    font: String,
    cache: FxHashMap<((u32, u32, u8), bool), Format>,
}

impl Formats {
    /// The fonts of a rich string's pieces in a cell of the given style: plain and underlined.
    fn fonts(&self, style: &Style) -> (Format, Format) {
        let mut font = Format::new().set_font_name(&self.font).set_font_size(style.size);
        if style.bold {
            font = font.set_bold();
        }
        let underlined = font.clone().set_underline(FormatUnderline::Single);
        (font, underlined)
    }

    fn get(&mut self, style: &Style, number: bool) -> &Format {
        let key = (style.key(), number);
        let font = &self.font;
        self.cache.entry(key).or_insert_with(|| {
            let mut format = Format::new().set_font_name(font).set_font_size(style.size).set_text_wrap().set_border(FormatBorder::Thin);
            if style.bold {
                format = format.set_bold();
            }
            if let Some(grey) = style.fill {
                let level = (grey.clamp(0.0, 1.0) * 255.0).round() as u32;
                format = format.set_background_color(Color::RGB(level << 16 | level << 8 | level));
            }
            format = format.set_align(if style.center { FormatAlign::Center } else { FormatAlign::Left });
            if !style.center {
                // Text kept off the left rule, as the PDF's cell padding does.
                format = format.set_indent(1);
            }
            format = format.set_align(if style.middle { FormatAlign::VerticalCenter } else { FormatAlign::Top });
            if style.rotate {
                format = format.set_rotation(90);
            }
            if style.shrink {
                format = format.unset_text_wrap().set_shrink();
            }
            format
        })
    }
}

fn worksheet(ws: &mut Worksheet, sheet: &Sheet, font: &str, formats: &mut Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    for (col, width) in sheet.columns.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    for cell in &sheet.cells {
        write_cell(ws, cell, formats)?;
    }
    for (row, height) in sheet.heights.iter().enumerate() {
        if *height > 0.0 {
            ws.set_row_height(row as u32, f64::from(*height))?;
        }
    }
    validations(ws, &sheet.cells)?;
    if let Some((header, last_row, last_col)) = sheet.list {
        if last_row > header {
            ws.autofilter(header, 0, last_row, last_col)?;
        }
        ws.set_freeze_panes(header + 1, 0)?;
    }
    if let Some((first, last)) = sheet.print_titles {
        ws.set_repeat_rows(first, last)?;
    }
    if !sheet.breaks.is_empty() {
        ws.set_page_breaks(&sheet.breaks)?;
    }
    let escape = |text: &str| text.replace('&', "&&");
    let foot = escape(&sheet.footer).replace("{page}", "&P").replace("{pages}", "&N");
    ws.set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_header(format!("&L&\"{font}\"&9{}", escape(&sheet.head)))
        .set_footer(format!("&C&\"{font}\"&9{foot}"));
    if sheet.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    Ok(())
}

fn write_cell(ws: &mut Worksheet, cell: &Placed, formats: &mut Formats) -> Result<(), XlsxError> {
    if cell.plain && !cell.is_range() {
        // Unformatted: rust_xlsxwriter hashes a cell's whole format on every write.
        ws.write_string(cell.rows.0, cell.cols.0, &cell.text)?;
        return Ok(());
    }
    let format = formats.get(&cell.style, cell.number.is_some());
    if cell.is_range() {
        // A range of plain text gets its text with the merge (a write costs a hash of the format).
        let text = cell.number.is_none() && cell.underline.is_empty();
        ws.merge_range(cell.rows.0, cell.cols.0, cell.rows.1, cell.cols.1, if text { &cell.text } else { "" }, format)?;
        if text {
            return Ok(());
        }
    }
    match cell.number {
        Some(n) => ws.write_number_with_format(cell.rows.0, cell.cols.0, n, format)?,
        None if cell.text.is_empty() => ws.write_blank(cell.rows.0, cell.cols.0, format)?,
        None if !cell.underline.is_empty() => {
            let format = format.clone();
            let (plain, underlined) = formats.fonts(&cell.style);
            let pieces = crate::doc::underline_pieces(&cell.text, &cell.underline);
            let rich: Vec<(&Format, &str)> = pieces.iter().map(|&(text, u)| (if u { &underlined } else { &plain }, text)).collect();
            ws.write_rich_string_with_format(cell.rows.0, cell.cols.0, &rich, &format)?
        }
        None => ws.write_string_with_format(cell.rows.0, cell.cols.0, &cell.text, format)?,
    };
    Ok(())
}

/// Drop-down lists and number limits, one validation per run of cells in a column with the same input.
fn validations(ws: &mut Worksheet, cells: &[Placed]) -> Result<(), XlsxError> {
    let mut inputs: Vec<&Placed> = cells.iter().filter(|c| c.input.is_some()).collect();
    inputs.sort_by_key(|c| (c.cols, c.rows));
    let mut runs: Vec<(u32, u32, u16, u16, &Input)> = Vec::new();
    for cell in inputs {
        let Some(input) = &cell.input else { continue };
        match runs.last_mut() {
            Some(run) if run.4 == input && run.2 == cell.cols.0 && run.3 == cell.cols.1 && run.1 + 1 >= cell.rows.0 => run.1 = cell.rows.1,
            _ => runs.push((cell.rows.0, cell.rows.1, cell.cols.0, cell.cols.1, input)),
        }
    }
    for (first, last, col, _, input) in runs {
        let validation = match input {
            Input::Choice(options) => {
                let options: Vec<&str> = options.iter().map(String::as_str).collect();
                DataValidation::new().allow_list_strings(&options)?
            }
            Input::Whole { min, max, title, message } => DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(*min, *max))
                .set_input_title(title)?
                .set_input_message(message)?
                .set_error_message(message)?,
        };
        ws.add_data_validation(first, col, last, col, &validation)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip whose entries say DOS (as the zip crate writes on Windows) comes out saying Unix, and
    /// still reads.
    #[test]
    fn entries_are_marked_as_made_on_unix() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in ["[Content_Types].xml", "xl/workbook.xml"] {
            zip.start_file(name, zip::write::SimpleFileOptions::default().system(zip::System::Dos)).unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        let bytes = made_on_unix(zip.finish().unwrap().into_inner());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for i in 0..archive.len() {
            assert_eq!(archive.by_index(i).unwrap().system(), zip::System::Unix);
        }
        assert_eq!(made_on_unix(b"not a zip".to_vec()), b"not a zip");
    }
}
