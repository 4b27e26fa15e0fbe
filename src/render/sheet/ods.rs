//! The ODS backend: placed sheets written as an OpenDocument spreadsheet by hand (see `odf`): merged
//! ranges with their covered cells, one style per distinct format, row height and column width,
//! drop-down lists, autofilters, the table header repeated on every printed page, A4 page styles
//! with the footer 第 N 頁，總共 M 頁, one page wide.

use super::{Placed, Sheet, column_points};
use crate::doc::{Input, Style};
use crate::render::odf::{self, Styles, escape, mm};
use crate::template::Template;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

/// A spreadsheet of the given sheets, as bytes.
pub fn spreadsheet(sheets: &[Sheet], title: &str, template: &Template) -> zip::result::ZipResult<Vec<u8>> {
    let latin = odf::Latin::of(template);
    let mut styles = Styles::new(latin);
    let mut body = String::new();
    let mut validations = String::new();
    let mut ranges = String::new();
    for (n, sheet) in sheets.iter().enumerate() {
        table(&mut body, &mut styles, &mut validations, n, sheet);
        if let Some((header, last_row, last_col)) = sheet.list {
            let name = quoted(&sheet.name);
            let _ = write!(
                ranges,
                r#"<table:database-range table:name="__Anonymous_Sheet_DB__{n}" table:target-range-address="{name}.{}:{name}.{}" table:display-filter-buttons="true"/>"#,
                reference(header, 0),
                reference(last_row, last_col)
            );
        }
    }
    let mut content = format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {}>"#, odf::NAMESPACES);
    content.push_str(&odf::font_faces(&template.font.name));
    content.push_str("<office:automatic-styles>");
    content.push_str(&styles.xml);
    for (n, _) in sheets.iter().enumerate() {
        let _ = write!(
            content,
            r#"<style:style style:name="ta{n}" style:family="table" style:master-page-name="mp{n}"><style:table-properties table:display="true"/></style:style>"#
        );
    }
    content.push_str("</office:automatic-styles><office:body><office:spreadsheet>");
    if !validations.is_empty() {
        let _ = write!(content, "<table:content-validations>{validations}</table:content-validations>");
    }
    content.push_str(&body);
    if !ranges.is_empty() {
        let _ = write!(content, "<table:database-ranges>{ranges}</table:database-ranges>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");

    let mut page_styles = String::new();
    let mut masters = String::new();
    for (n, sheet) in sheets.iter().enumerate() {
        let mut page = crate::doc::PageSetup::of(template, sheet.landscape, sheet.head.clone());
        page.footer = sheet.footer.clone();
        page_styles.push_str(&odf::page_layout(&format!("pm{n}"), &page, true));
        masters.push_str(&odf::master_page(&format!("mp{n}"), &format!("pm{n}"), &page, "Band"));
    }
    let styles_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {}>{}<office:styles><style:default-style style:family="table-cell">{}</style:default-style><style:style style:name="Band" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>{}</style:style></office:styles><office:automatic-styles>{page_styles}</office:automatic-styles><office:master-styles>{masters}</office:master-styles></office:document-styles>"#,
        odf::NAMESPACES,
        odf::font_faces(&template.font.name),
        odf::text_properties(template.font.body_pt, false, latin),
        odf::text_properties(template.font.footer_pt, false, latin),
    );
    odf::package("application/vnd.oasis.opendocument.spreadsheet", title, latin, &[("content.xml", content), ("styles.xml", styles_xml)])
}

/// `'name'` as a sheet name in a cell address.
fn quoted(name: &str) -> String {
    format!("'{}'", escape(&name.replace('\'', "''")))
}

/// `A1`, from 0-based row and column.
fn reference(row: u32, col: u16) -> String {
    crate::model::Cell { row, col: u32::from(col) }.a1()
}

/// The styles this backend defines.
trait Defined {
    fn cell(&mut self, style: &Style, plain: bool) -> Rc<str>;
    fn row(&mut self, height: f32, page_break: bool) -> Rc<str>;
    fn column(&mut self, chars: f64) -> Rc<str>;
}

impl Defined for Styles {
    fn cell(&mut self, style: &Style, plain: bool) -> Rc<str> {
        let latin = self.latin;
        let (size, fill, flags) = style.key();
        self.name("ce", [size, fill, u32::from(flags), u32::from(plain)], |name| {
            // A list's plain cell keeps to one line, as the xlsx default style does, in a row one
            // line high: the 資料 sheet prints on a page or two, not 19.
            let mut cell = String::from(if style.shrink {
                r#" fo:wrap-option="no-wrap" style:shrink-to-fit="true""#
            } else if plain {
                r#" fo:wrap-option="no-wrap""#
            } else {
                r#" fo:wrap-option="wrap""#
            });
            if !plain {
                cell.push_str(r#" fo:border="0.5pt solid #000000" fo:padding="1mm""#);
            }
            cell.push_str(if style.middle { r#" style:vertical-align="middle""# } else { r#" style:vertical-align="top""# });
            if let Some(grey) = style.fill {
                let level = (grey.clamp(0.0, 1.0) * 255.0).round() as u8;
                let _ = write!(cell, r##" fo:background-color="#{level:02x}{level:02x}{level:02x}""##);
            }
            if style.rotate {
                cell.push_str(r#" style:rotation-angle="90""#);
            }
            let align = if style.center { "center" } else { "start" };
            format!(
                r#"<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties{cell}/><style:paragraph-properties fo:text-align="{align}"/>{}</style:style>"#,
                odf::text_properties(style.size, style.bold, latin)
            )
        })
    }

    fn row(&mut self, height: f32, page_break: bool) -> Rc<str> {
        self.name("ro", [height.to_bits(), u32::from(page_break), 0, 0], |name| {
            let size = if height > 0.0 {
                format!(r#" style:row-height="{}" style:use-optimal-row-height="false""#, mm(height))
            } else {
                r#" style:use-optimal-row-height="true""#.to_string()
            };
            let brk = if page_break { r#" fo:break-before="page""# } else { "" };
            format!(r#"<style:style style:name="{name}" style:family="table-row"><style:table-row-properties{size}{brk}/></style:style>"#)
        })
    }

    fn column(&mut self, chars: f64) -> Rc<str> {
        let width = column_points(chars);
        self.name("co", [width.to_bits(), 0, 0, 0], |name| {
            format!(r#"<style:style style:name="{name}" style:family="table-column"><style:table-column-properties style:column-width="{}"/></style:style>"#, mm(width))
        })
    }
}

/// What lies at a position of the sheet.
#[derive(Clone, Copy)]
enum Slot {
    Empty,
    Anchor(usize),
    Covered,
}

fn table(out: &mut String, styles: &mut Styles, validations: &mut String, n: usize, sheet: &Sheet) {
    let columns = sheet.columns.len();
    let rows = sheet.heights.len().max(sheet.cells.iter().map(|c| c.rows.1 as usize + 1).max().unwrap_or(0));
    let mut slots = vec![Slot::Empty; rows * columns];
    for (i, cell) in sheet.cells.iter().enumerate() {
        for r in cell.rows.0..=cell.rows.1 {
            for c in cell.cols.0..=cell.cols.1 {
                if let Some(slot) = slots.get_mut(r as usize * columns + c as usize) {
                    *slot = if (r, c) == (cell.rows.0, cell.cols.0) { Slot::Anchor(i) } else { Slot::Covered };
                }
            }
        }
    }
    let print = if sheet.print { "" } else { r#" table:print="false""# };
    let _ = write!(out, r#"<table:table table:name="{}" table:style-name="ta{n}"{print}>"#, escape(&sheet.name));
    for chars in &sheet.columns {
        let _ = write!(out, r#"<table:table-column table:style-name="{}"/>"#, styles.column(*chars));
    }
    let mut inputs: HashMap<&Input, String> = HashMap::new();
    for r in 0..rows {
        let row = r as u32;
        if sheet.print_titles.is_some_and(|(first, _)| first == row) {
            out.push_str("<table:table-header-rows>");
        }
        let mut height = sheet.heights.get(r).copied().unwrap_or(0.0);
        // A list's row is one line high, as in the xlsx: Calc would fit it to a cell's every line.
        if height <= 0.0 && sheet.list.is_some_and(|(header, last, _)| row > header && row <= last) {
            height = super::DEFAULT_ROW;
        }
        out.push_str(r#"<table:table-row table:style-name=""#);
        out.push_str(&styles.row(height, sheet.breaks.contains(&row)));
        out.push_str(r#"">"#);
        let mut empty = 0;
        for c in 0..columns {
            match slots[r * columns + c] {
                Slot::Empty => empty += 1,
                slot => {
                    flush_empty(out, &mut empty);
                    match slot {
                        Slot::Anchor(i) => cell(out, styles, validations, &mut inputs, sheet, &sheet.cells[i]),
                        _ => out.push_str("<table:covered-table-cell/>"),
                    }
                }
            }
        }
        flush_empty(out, &mut empty);
        out.push_str("</table:table-row>");
        if sheet.print_titles.is_some_and(|(_, last)| last == row) {
            out.push_str("</table:table-header-rows>");
        }
    }
    if rows == 0 {
        out.push_str("<table:table-row><table:table-cell/></table:table-row>");
    }
    out.push_str("</table:table>");
}

fn flush_empty(out: &mut String, empty: &mut usize) {
    match *empty {
        0 => {}
        1 => out.push_str("<table:table-cell/>"),
        n => {
            let _ = write!(out, r#"<table:table-cell table:number-columns-repeated="{n}"/>"#);
        }
    }
    *empty = 0;
}

fn cell<'s>(
    out: &mut String,
    styles: &mut Styles,
    validations: &mut String,
    inputs: &mut HashMap<&'s Input, String>,
    sheet: &Sheet,
    cell: &'s Placed,
) {
    // Pieces pushed rather than `write!`: a sheet has thousands of cells.
    out.push_str(r#"<table:table-cell table:style-name=""#);
    out.push_str(&styles.cell(&cell.style, cell.plain));
    out.push('"');
    let mut digits = itoa::Buffer::new();
    if cell.rows.1 > cell.rows.0 {
        out.push_str(r#" table:number-rows-spanned=""#);
        out.push_str(digits.format(cell.rows.1 - cell.rows.0 + 1));
        out.push('"');
    }
    if cell.cols.1 > cell.cols.0 {
        out.push_str(r#" table:number-columns-spanned=""#);
        out.push_str(digits.format(cell.cols.1 - cell.cols.0 + 1));
        out.push('"');
    }
    if let Some(input) = &cell.input {
        let name = validation(validations, inputs, sheet, input);
        let _ = write!(out, r#" table:content-validation-name="{name}""#);
    }
    match cell.number {
        Some(value) => {
            let _ = write!(out, r#" office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#);
        }
        None if cell.text.is_empty() => out.push_str("/>"),
        None if !cell.underline.is_empty() => {
            let span = styles.underline();
            let text = odf::underlined_paragraphs(&cell.text, None, &cell.underline, &span);
            let _ = write!(out, r#" office:value-type="string">{text}</table:table-cell>"#);
        }
        None => {
            out.push_str(r#" office:value-type="string">"#);
            odf::push_paragraphs(out, &cell.text, None);
            out.push_str("</table:table-cell>");
        }
    }
}

/// The name of the validation for an input, declared once per distinct input.
fn validation<'s>(validations: &mut String, inputs: &mut HashMap<&'s Input, String>, sheet: &Sheet, input: &'s Input) -> String {
    if let Some(name) = inputs.get(input) {
        return name.clone();
    }
    let name = format!("{}-v{}", escape(&sheet.name), inputs.len());
    let (condition, help) = match input {
        Input::Choice(options) => {
            let list: Vec<String> = options.iter().map(|o| format!("&quot;{}&quot;", escape(&o.replace('"', "")))).collect();
            (format!("of:cell-content-is-in-list({})", list.join(";")), String::new())
        }
        Input::Whole { min, max, title, message } => (
            format!("of:cell-content-is-whole-number() and of:cell-content-is-between({min};{max})"),
            format!(
                r#"<table:help-message table:title="{}" table:display="true"><text:p>{}</text:p></table:help-message>"#,
                escape(title),
                escape(message)
            ),
        ),
    };
    let list = if matches!(input, Input::Choice(_)) { r#" table:display-list="unsorted""# } else { "" };
    let _ = write!(
        validations,
        r#"<table:content-validation table:name="{name}" table:condition="{condition}" table:allow-empty-cell="true"{list}>{help}<table:error-message table:display="true" table:message-type="stop"/></table:content-validation>"#
    );
    inputs.insert(input, name.clone());
    name
}
