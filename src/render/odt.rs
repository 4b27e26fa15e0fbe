//! The ODT backend: a document written as an OpenDocument text, the way iCAP publishes a standard:
//! the title as a paragraph, each table a real table (merged cells, header rows repeated on every
//! page, rows kept whole and breaking only between rows), A4 with the footer 第 N 頁，總共 M 頁.
//! Writer lays the pages out itself, so a span's （續） label is the PDF's alone.

use crate::doc::{Block, Document, Style, Table};
use crate::render::odf::{self, Styles, mm, paragraphs};
use crate::template::Template;
use std::fmt::Write as _;

/// A text document of the given document, as bytes.
pub fn text(document: &Document, template: &Template) -> zip::result::ZipResult<Vec<u8>> {
    let mut styles = Styles::default();
    let mut body = String::new();
    let mut tables = 0;
    let mut page_break = false;
    for block in &document.blocks {
        match block {
            Block::Title { text, size } => {
                let style = styles.paragraph(&Style { bold: true, center: true, ..Style::body(*size) }, page_break);
                page_break = false;
                body.push_str(&paragraphs(text, Some(&style)));
            }
            Block::Gap(points) => {
                let style = styles.gap(*points, page_break);
                page_break = false;
                let _ = write!(body, r#"<text:p text:style-name="{style}"/>"#);
            }
            Block::PageBreak => page_break = true,
            Block::Table(table) => {
                tables += 1;
                self::table(&mut body, &mut styles, table, tables, page_break);
                page_break = false;
            }
        }
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {}>{}<office:automatic-styles>{}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#,
        odf::NAMESPACES,
        odf::font_faces(&template.font.name),
        styles.xml,
    );
    let page = &document.page;
    let styles_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {}>{}<office:styles><style:default-style style:family="paragraph">{}</style:default-style><style:style style:name="Band" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>{}</style:style></office:styles><office:automatic-styles>{}</office:automatic-styles><office:master-styles>{}</office:master-styles></office:document-styles>"#,
        odf::NAMESPACES,
        odf::font_faces(&template.font.name),
        odf::text_properties(template.font.body_pt, false),
        odf::text_properties(page.footer_size, false),
        odf::page_layout("pm1", page, false),
        odf::master_page("Standard", "pm1", page, "Band"),
    );
    odf::package("application/vnd.oasis.opendocument.text", &document.title, &[("content.xml", content), ("styles.xml", styles_xml)])
}

/// The styles this backend defines.
trait Defined {
    fn paragraph(&mut self, style: &Style, page_break: bool) -> String;
    fn gap(&mut self, points: f32, page_break: bool) -> String;
    fn cell(&mut self, style: &Style) -> String;
    fn column(&mut self, width: f32) -> String;
    fn hanging(&mut self, style: &Style, margin: f32, hang: f32) -> String;
}

impl Defined for Styles {
    fn paragraph(&mut self, style: &Style, page_break: bool) -> String {
        self.name("P", format!("p{}{}{}{page_break}", style.size, style.bold, style.center), |name| {
            let align = if style.center { "center" } else { "start" };
            let brk = if page_break { r#" fo:break-before="page""# } else { "" };
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:text-align="{align}"{brk}/>{}</style:style>"#,
                odf::text_properties(style.size, style.bold)
            )
        })
    }

    fn gap(&mut self, points: f32, page_break: bool) -> String {
        self.name("G", format!("gap{points}{page_break}"), |name| {
            let brk = if page_break { r#" fo:break-before="page""# } else { "" };
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="0mm" fo:line-height="{}"{brk}/><style:text-properties fo:font-size="{}pt" style:font-size-asian="{}pt"/></style:style>"#,
                mm(points.max(1.0)),
                points.max(1.0),
                points.max(1.0)
            )
        })
    }

    fn cell(&mut self, style: &Style) -> String {
        self.name("C", format!("c{:?}{}", style.fill, style.middle), |name| {
            let fill = style.fill.map_or(String::new(), |grey| {
                let level = (grey.clamp(0.0, 1.0) * 255.0).round() as u8;
                format!(r##" fo:background-color="#{level:02x}{level:02x}{level:02x}""##)
            });
            let align = if style.middle { "middle" } else { "top" };
            format!(
                r#"<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="1mm" style:vertical-align="{align}"{fill}/></style:style>"#
            )
        })
    }

    /// A paragraph of a list item: its lines start `margin` points from the left, its first line
    /// `hang` points before them, where the mark stands (a hanging indent).
    fn hanging(&mut self, style: &Style, margin: f32, hang: f32) -> String {
        self.name("H", format!("h{}{}{margin}{hang}", style.size, style.bold), |name| {
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:text-align="start" fo:margin-left="{}" fo:text-indent="-{}"/>{}</style:style>"#,
                mm(margin),
                mm(hang),
                odf::text_properties(style.size, style.bold)
            )
        })
    }

    fn column(&mut self, width: f32) -> String {
        self.name("W", format!("w{width}"), |name| {
            format!(r#"<style:style style:name="{name}" style:family="table-column"><style:table-column-properties style:column-width="{}"/></style:style>"#, mm(width))
        })
    }
}

fn table(out: &mut String, styles: &mut Styles, table: &Table, n: usize, page_break: bool) {
    let width: f32 = table.widths.iter().sum();
    let name = format!("T{n}");
    let brk = if page_break { r#" fo:break-before="page""# } else { "" };
    let _ = write!(
        styles.xml,
        r#"<style:style style:name="{name}" style:family="table"><style:table-properties style:width="{}" table:align="margins" style:may-break-between-rows="true"{brk}/></style:style>"#,
        mm(width)
    );
    // Rows break only between each other: a row split mid-cell leaves orphan lines (notes/odf.md).
    let row = styles.name("R", "row".into(), |name| {
        format!(r#"<style:style style:name="{name}" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>"#)
    });
    let _ = write!(out, r#"<table:table table:name="{name}" table:style-name="{name}">"#);
    for w in &table.widths {
        let _ = write!(out, r#"<table:table-column table:style-name="{}"/>"#, styles.column(*w));
    }
    let header_rows = table.header_rows();
    if header_rows > 0 {
        out.push_str("<table:table-header-rows>");
        rows(out, styles, &table.header, header_rows, table.widths.len(), &row);
        out.push_str("</table:table-header-rows>");
    }
    rows(out, styles, &table.cells, table.rows, table.widths.len(), &row);
    out.push_str("</table:table>");
}

/// Rows of cells: each cell at its anchor with its spans, a covered cell at every other position
/// it spans, an empty cell where nothing lies.
fn rows(out: &mut String, styles: &mut Styles, cells: &[crate::doc::Cell], count: usize, columns: usize, row_style: &str) {
    let mut slots: Vec<Option<Option<usize>>> = vec![None; count * columns];
    for (i, cell) in cells.iter().enumerate() {
        for r in cell.rows.0..=cell.rows.1.min(count.saturating_sub(1)) {
            for c in cell.cols.0..=cell.cols.1.min(columns - 1) {
                slots[r * columns + c] = Some(((r, c) == (cell.rows.0, cell.cols.0)).then_some(i));
            }
        }
    }
    for r in 0..count {
        let _ = write!(out, r#"<table:table-row table:style-name="{row_style}">"#);
        for c in 0..columns {
            match slots[r * columns + c] {
                None => out.push_str("<table:table-cell><text:p/></table:table-cell>"),
                Some(None) => out.push_str("<table:covered-table-cell/>"),
                Some(Some(i)) => {
                    let cell = &cells[i];
                    let _ = write!(out, r#"<table:table-cell table:style-name="{}" office:value-type="string""#, styles.cell(&cell.style));
                    if cell.rows.1 > cell.rows.0 {
                        let _ = write!(out, r#" table:number-rows-spanned="{}""#, cell.rows.1 - cell.rows.0 + 1);
                    }
                    if cell.cols.1 > cell.cols.0 {
                        let _ = write!(out, r#" table:number-columns-spanned="{}""#, cell.cols.1 - cell.cols.0 + 1);
                    }
                    let text = if !cell.underline.is_empty() && cell.hang.is_empty() {
                        let (paragraph, span) = (styles.paragraph(&cell.style, false), styles.underline());
                        odf::underlined_paragraphs(&cell.text, Some(&paragraph), &cell.underline, &span)
                    } else if cell.hang.is_empty() {
                        paragraphs(&cell.text, Some(&styles.paragraph(&cell.style, false)))
                    } else {
                        list(styles, cell)
                    };
                    let _ = write!(out, ">{text}</table:table-cell>");
                }
            }
        }
        out.push_str("</table:table-row>");
    }
}

/// A list cell's items as paragraphs with hanging indents: a mark, a tab to the indent, the text;
/// an item that starts with its number hangs after the number. An item's own line breaks stay in
/// its paragraph.
fn list(styles: &mut Styles, cell: &crate::doc::Cell) -> String {
    let size = cell.style.size;
    let mut out = String::new();
    for (n, item) in cell.text.split('\n').enumerate() {
        let plain = crate::doc::Hang { level: 1, mark: String::new(), lead: 0 };
        let hang = cell.hang.get(n).unwrap_or(&plain);
        let text_em = hang.text_em(item);
        let style = styles.hanging(&cell.style, (hang.indent_em() + text_em) * size, text_em * size);
        let text: Vec<String> = item.split(crate::doc::ITEM_LINE).map(odf::line).collect();
        let text = text.join("<text:line-break/>");
        let mark = if hang.mark.is_empty() { String::new() } else { format!("{}<text:tab/>", odf::escape(&hang.mark)) };
        let _ = write!(out, r#"<text:p text:style-name="{style}">{mark}{text}</text:p>"#);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_covers_the_positions_it_spans() {
        let style = Style::body(10.0);
        let cells = vec![
            crate::doc::Cell::new((0, 1), (0, 0), "T1", style, crate::doc::Role::Body(0)),
            crate::doc::Cell::new((0, 0), (1, 1), "a", style, crate::doc::Role::Body(1)),
            crate::doc::Cell::new((1, 1), (1, 1), "b & c", style, crate::doc::Role::Body(1)),
        ];
        let mut out = String::new();
        rows(&mut out, &mut Styles::default(), &cells, 2, 2, "R");
        assert_eq!(out.matches("<table:table-row").count(), 2);
        assert!(out.contains(r#"table:number-rows-spanned="2""#));
        assert_eq!(out.matches("<table:covered-table-cell/>").count(), 1);
        assert!(out.contains("b &amp; c"));
    }
}
