//! The ODT backend: a document written as an OpenDocument text, the way iCAP publishes a standard:
//! the title as a paragraph, each table a real table (merged cells, header rows repeated on every
//! page, rows kept whole and breaking only between rows), A4 with the footer 第 N 頁，總共 M 頁.
//! Writer lays the pages out itself, so a span's （續） label is the PDF's alone; what the PDF's
//! layout decided is stated in ODF's terms so that Writer cannot undo it: a head's line breaks
//! written out (Writer would break 「技能」 by its own metrics), rows kept with the next one (a
//! checklist task's heading with its first indicator), a table kept on one page (the signatures).

use crate::doc::{Block, Cell, Document, Role, Style, Table};
use crate::render::odf::{self, Styles, mm, paragraphs};
use crate::template::Template;
use crate::text::Font;
use std::fmt::Write as _;
use std::rc::Rc;

/// Writer's inner cell margin on each side, in points (1 mm, as the cell styles say).
const CELL_PADDING: f32 = 72.0 / 25.4;
/// A head's lines are measured this much narrower than its cell: Writer draws the Latin of a
/// head with whatever face the machine has, which may be wider than ours.
const SAFETY: f32 = 1.06;

/// The settings Writer reads with the document: `TableRowKeep`, so that a row whose first paragraph
/// is kept with the next paragraph stays on the page of the next row (Writer's own switch, off
/// unless a document asks). A settings file without the other compatibility switches makes Writer
/// lay the text out as an old version did, so they are stated with today's values.
const SETTINGS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?><office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" xmlns:ooo="http://openoffice.org/2004/office" office:version="1.3">"#,
    r#"<office:settings><config:config-item-set config:name="ooo:configuration-settings">"#,
    r#"<config:config-item config:name="TableRowKeep" config:type="boolean">true</config:config-item>"#,
    r#"<config:config-item config:name="PrinterIndependentLayout" config:type="string">high-resolution</config:config-item>"#,
    r#"<config:config-item config:name="AddExternalLeading" config:type="boolean">true</config:config-item>"#,
    r#"<config:config-item config:name="UseFormerLineSpacing" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="UseFormerObjectPositioning" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="UseOldNumbering" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="AddParaSpacingToTableCells" config:type="boolean">true</config:config-item>"#,
    r#"<config:config-item config:name="UseFormerTextWrapping" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="ConsiderTextWrapOnObjPos" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="IgnoreFirstLineIndentInNumbering" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="DoNotJustifyLinesWithManualBreak" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="DoNotResetParaAttrsForNumFont" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="DoNotCaptureDrawObjsOnPage" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="ClipAsCharacterAnchoredWriterFlyFrames" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="UnxForceZeroExtLeading" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="SmallCapsPercentage66" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="TabOverflow" config:type="boolean">true</config:config-item>"#,
    r#"<config:config-item config:name="UnbreakableNumberings" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="ClippedPictures" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="BackgroundParaOverDrawings" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="TabOverMargin" config:type="boolean">false</config:config-item>"#,
    r#"<config:config-item config:name="PropLineSpacingShrinksFirstLine" config:type="boolean">true</config:config-item>"#,
    r#"<config:config-item config:name="SubtractFlysAnchoredAtFlys" config:type="boolean">false</config:config-item>"#,
    r#"</config:config-item-set></office:settings></office:document-settings>"#
);

/// A text document of the given document, as bytes. `font` measures the heads' lines: the font
/// the PDF is drawn with, whose family the document names.
pub fn text(document: &Document, template: &Template, font: &Font) -> zip::result::ZipResult<Vec<u8>> {
    let latin = odf::Latin::of(template);
    let mut styles = Styles::new(latin);
    let mut body = String::new();
    let mut tables = 0;
    let mut page_break = false;
    for block in &document.blocks {
        match block {
            Block::Title { text, size } => {
                let style = styles.paragraph(&Style { bold: true, center: true, ..Style::body(*size) }, page_break, false);
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
                self::table(&mut body, &mut styles, table, tables, page_break, font);
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
        odf::text_properties(template.font.body_pt, false, latin),
        odf::text_properties(page.footer_size, false, latin),
        odf::page_layout("pm1", page, false),
        odf::master_page("Standard", "pm1", page, "Band"),
    );
    odf::package(
        "application/vnd.oasis.opendocument.text",
        &document.title,
        latin,
        &[("content.xml", content), ("styles.xml", styles_xml), ("settings.xml", SETTINGS.to_string())],
    )
}

/// The styles this backend defines.
trait Defined {
    fn paragraph(&mut self, style: &Style, page_break: bool, keep: bool) -> Rc<str>;
    fn gap(&mut self, points: f32, page_break: bool) -> Rc<str>;
    fn cell(&mut self, style: &Style, open: Open) -> Rc<str>;
    fn column(&mut self, width: f32) -> Rc<str>;
    fn hanging(&mut self, style: &Style, margin: f32, hang: f32, keep: bool) -> Rc<str>;
}

/// The edges of a cell drawn without a rule: a span cut in two pieces (see `cut_spans`) reads as
/// one cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Open {
    top: bool,
    bottom: bool,
}

/// `fo:keep-with-next` for a paragraph that keeps its row with the next (with `TableRowKeep`).
fn keep_with_next(keep: bool) -> &'static str {
    if keep { r#" fo:keep-with-next="always""# } else { "" }
}

impl Defined for Styles {
    fn paragraph(&mut self, style: &Style, page_break: bool, keep: bool) -> Rc<str> {
        let latin = self.latin;
        let flags = u32::from(style.bold) | u32::from(style.center) << 1 | u32::from(page_break) << 2 | u32::from(keep) << 3;
        self.name("P", [style.size.to_bits(), flags, 0, 0], |name| {
            let align = if style.center { "center" } else { "start" };
            let brk = if page_break { r#" fo:break-before="page""# } else { "" };
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:text-align="{align}"{brk}{}/>{}</style:style>"#,
                keep_with_next(keep),
                odf::text_properties(style.size, style.bold, latin)
            )
        })
    }

    fn gap(&mut self, points: f32, page_break: bool) -> Rc<str> {
        self.name("G", [points.to_bits(), u32::from(page_break), 0, 0], |name| {
            let brk = if page_break { r#" fo:break-before="page""# } else { "" };
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="0mm" fo:line-height="{}"{brk}/><style:text-properties fo:font-size="{}pt" style:font-size-asian="{}pt"/></style:style>"#,
                mm(points.max(1.0)),
                points.max(1.0),
                points.max(1.0)
            )
        })
    }

    fn cell(&mut self, style: &Style, open: Open) -> Rc<str> {
        let flags = u32::from(style.middle) | u32::from(open.top) << 1 | u32::from(open.bottom) << 2;
        self.name("C", [style.fill.map_or(u32::MAX, f32::to_bits), flags, 0, 0], |name| {
            let fill = style.fill.map_or(String::new(), |grey| {
                let level = (grey.clamp(0.0, 1.0) * 255.0).round() as u8;
                format!(r##" fo:background-color="#{level:02x}{level:02x}{level:02x}""##)
            });
            let align = if style.middle { "middle" } else { "top" };
            let rule = "0.5pt solid #000000";
            let borders = if open == Open::default() {
                format!(r#"fo:border="{rule}""#)
            } else {
                let edge = |open: bool| if open { "none" } else { rule };
                format!(
                    r#"fo:border-left="{rule}" fo:border-right="{rule}" fo:border-top="{}" fo:border-bottom="{}""#,
                    edge(open.top),
                    edge(open.bottom)
                )
            };
            format!(
                r#"<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties {borders} fo:padding="1mm" style:vertical-align="{align}"{fill}/></style:style>"#
            )
        })
    }

    /// A paragraph of a list item: its lines start `margin` points from the left, its first line
    /// `hang` points before them, where the mark stands (a hanging indent).
    fn hanging(&mut self, style: &Style, margin: f32, hang: f32, keep: bool) -> Rc<str> {
        let latin = self.latin;
        let flags = u32::from(style.bold) | u32::from(keep) << 1;
        self.name("H", [style.size.to_bits(), margin.to_bits(), hang.to_bits(), flags], |name| {
            format!(
                r#"<style:style style:name="{name}" style:family="paragraph"><style:paragraph-properties fo:text-align="start" fo:margin-left="{}" fo:text-indent="-{}"{}/>{}</style:style>"#,
                mm(margin),
                mm(hang),
                keep_with_next(keep),
                odf::text_properties(style.size, style.bold, latin)
            )
        })
    }

    fn column(&mut self, width: f32) -> Rc<str> {
        self.name("W", [width.to_bits(), 0, 0, 0], |name| {
            format!(r#"<style:style style:name="{name}" style:family="table-column"><style:table-column-properties style:column-width="{}"/></style:style>"#, mm(width))
        })
    }
}

/// What the rows of one table are written with.
struct Rows<'a> {
    columns: usize,
    /// The rows kept on the page of the next row.
    keep: &'a [usize],
    row_style: &'a str,
    font: &'a Font,
    /// Column widths in points, to break the heads' lines.
    widths: &'a [f32],
}

fn table(out: &mut String, styles: &mut Styles, table: &Table, n: usize, page_break: bool, font: &Font) {
    let width: f32 = table.widths.iter().sum();
    let name = format!("T{n}");
    let brk = if page_break { r#" fo:break-before="page""# } else { "" };
    // A table kept together (a signature block) starts on a new page rather than break; Writer still
    // breaks one taller than a page.
    let split = !table.keep_together;
    let _ = write!(
        styles.xml,
        r#"<style:style style:name="{name}" style:family="table"><style:table-properties style:width="{}" table:align="margins" style:may-break-between-rows="{split}"{brk}/></style:style>"#,
        mm(width)
    );
    // Rows break only between each other: a row split mid-cell leaves orphan lines (notes/odf.md).
    let row = styles.name("R", [0; 4], |name| {
        format!(r#"<style:style style:name="{name}" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>"#)
    });
    let _ = write!(out, r#"<table:table table:name="{name}" table:style-name="{name}">"#);
    for w in &table.widths {
        let _ = write!(out, r#"<table:table-column table:style-name="{}"/>"#, styles.column(*w));
    }
    let mut keep = table.keep.clone();
    if table.keep_last && table.rows > 1 {
        keep.push(table.rows - 2);
    }
    let header_rows = table.header_rows();
    let columns = table.widths.len();
    if header_rows > 0 {
        out.push_str("<table:table-header-rows>");
        let header = Rows { columns, keep: &[], row_style: &row, font, widths: &table.widths };
        rows(out, styles, &cut_spans(&table.header, &[]), header_rows, &header);
        out.push_str("</table:table-header-rows>");
    }
    let body = Rows { columns, keep: &keep, row_style: &row, font, widths: &table.widths };
    rows(out, styles, &cut_spans(&table.cells, &keep), table.rows, &body);
    out.push_str("</table:table>");
}

/// The cells with every span over the first column cut where a kept row starts inside it. Writer
/// keeps a row with the next only by the first paragraph of the row's first cell, and a covered
/// cell has none: the span becomes pieces drawn as one cell (no rule between them), the text in
/// the first.
fn cut_spans(cells: &[Cell], keep: &[usize]) -> Vec<(Cell, Open)> {
    let mut out = Vec::with_capacity(cells.len());
    for cell in cells {
        let cuts: Vec<usize> = if cell.cols.0 == 0 {
            let mut cuts: Vec<usize> = keep.iter().copied().filter(|&r| r > cell.rows.0 && r <= cell.rows.1).collect();
            cuts.sort_unstable();
            cuts.dedup();
            cuts
        } else {
            Vec::new()
        };
        if cuts.is_empty() {
            out.push((cell.clone(), Open::default()));
            continue;
        }
        let starts: Vec<usize> = std::iter::once(cell.rows.0).chain(cuts.iter().copied()).collect();
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map_or(cell.rows.1, |next| next - 1);
            let mut piece = cell.clone();
            piece.rows = (start, end);
            if n > 0 {
                piece.text.clear();
                piece.hang.clear();
            }
            out.push((piece, Open { top: n > 0, bottom: n + 1 < starts.len() }));
        }
    }
    out
}

/// Rows of cells: each cell at its anchor with its spans, a covered cell at every other position
/// it spans, an empty cell where nothing lies. The first paragraph of a kept row's first cell keeps
/// with the next.
fn rows(out: &mut String, styles: &mut Styles, cells: &[(Cell, Open)], count: usize, how: &Rows<'_>) {
    let columns = how.columns;
    let mut slots: Vec<Option<Option<usize>>> = vec![None; count * columns];
    for (i, (cell, _)) in cells.iter().enumerate() {
        for r in cell.rows.0..=cell.rows.1.min(count.saturating_sub(1)) {
            for c in cell.cols.0..=cell.cols.1.min(columns - 1) {
                slots[r * columns + c] = Some(((r, c) == (cell.rows.0, cell.cols.0)).then_some(i));
            }
        }
    }
    for r in 0..count {
        let _ = write!(out, r#"<table:table-row table:style-name="{}">"#, how.row_style);
        for c in 0..columns {
            let keep = c == 0 && how.keep.contains(&r);
            match slots[r * columns + c] {
                None if keep => {
                    let style = styles.paragraph(&Style::body(1.0), false, true);
                    let _ = write!(out, r#"<table:table-cell><text:p text:style-name="{style}"/></table:table-cell>"#);
                }
                None => out.push_str("<table:table-cell><text:p/></table:table-cell>"),
                Some(None) => out.push_str("<table:covered-table-cell/>"),
                Some(Some(i)) => {
                    let (cell, open) = &cells[i];
                    let _ = write!(
                        out,
                        r#"<table:table-cell table:style-name="{}" office:value-type="string""#,
                        styles.cell(&cell.style, *open)
                    );
                    if cell.rows.1 > cell.rows.0 {
                        let _ = write!(out, r#" table:number-rows-spanned="{}""#, cell.rows.1 - cell.rows.0 + 1);
                    }
                    if cell.cols.1 > cell.cols.0 {
                        let _ = write!(out, r#" table:number-columns-spanned="{}""#, cell.cols.1 - cell.cols.0 + 1);
                    }
                    out.push('>');
                    if !cell.hang.is_empty() {
                        list(out, styles, cell, keep);
                    } else if !cell.underline.is_empty() {
                        let (paragraph, span) = (styles.paragraph(&cell.style, false, keep), styles.underline());
                        out.push_str(&odf::underlined_paragraphs(&cell.text, Some(&paragraph), &cell.underline, &span));
                    } else if matches!(cell.role, Role::Header | Role::Label) && !cell.style.rotate && !cell.text.is_empty() {
                        let paragraph = styles.paragraph(&cell.style, false, keep);
                        odf::push_paragraphs(out, &head_lines(cell, how), Some(&paragraph));
                    } else {
                        let paragraph = styles.paragraph(&cell.style, false, keep);
                        odf::push_paragraphs(out, &cell.text, Some(&paragraph));
                    }
                    out.push_str("</table:table-cell>");
                }
            }
        }
        out.push_str("</table:table-row>");
    }
}

/// A head's text broken between its words, where the PDF breaks it, as lines: Writer would
/// otherwise break it by its own metrics, inside a word (「技」/「能)」).
fn head_lines(cell: &Cell, how: &Rows<'_>) -> String {
    let width: f32 = how.widths.get(cell.cols.0..=cell.cols.1.min(how.widths.len().saturating_sub(1))).map_or(0.0, |w| w.iter().sum());
    let room = ((width - 2.0 * CELL_PADDING - 1.0) / SAFETY).max(1.0);
    how.font.wrap_label(&crate::doc::plain_lines(&cell.text), room, cell.style.size).join("\n")
}

/// A list cell's items as paragraphs with hanging indents: a mark, a tab to the indent, the text;
/// an item that starts with its number hangs after the number. An item's own line breaks stay in
/// its paragraph. `keep` keeps the cell's row with the next.
fn list(out: &mut String, styles: &mut Styles, cell: &Cell, keep: bool) {
    let size = cell.style.size;
    for (n, item) in cell.text.split('\n').enumerate() {
        let plain = crate::doc::Hang { level: 1, mark: String::new(), lead: 0 };
        let hang = cell.hang.get(n).unwrap_or(&plain);
        let text_em = hang.text_em(item);
        let style = styles.hanging(&cell.style, (hang.indent_em() + text_em) * size, text_em * size, keep && n == 0);
        let _ = write!(out, r#"<text:p text:style-name="{style}">"#);
        if !hang.mark.is_empty() {
            out.push_str(&odf::escape(&hang.mark));
            out.push_str("<text:tab/>");
        }
        for (k, piece) in item.split(crate::doc::ITEM_LINE).enumerate() {
            if k > 0 {
                out.push_str("<text:line-break/>");
            }
            odf::push_line(out, piece);
        }
        out.push_str("</text:p>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rows: (usize, usize), col: usize, text: &str) -> Cell {
        Cell::new(rows, (col, col), text, Style::body(10.0), Role::Body(col))
    }

    /// The rows written, and the styles they defined.
    fn written(cells: &[Cell], count: usize, keep: &[usize]) -> (String, String) {
        let font = Font::embedded();
        let how = Rows { columns: 2, keep, row_style: "R", font: &font, widths: &[100.0, 100.0] };
        let mut out = String::new();
        let mut styles = Styles::default();
        rows(&mut out, &mut styles, &cut_spans(cells, keep), count, &how);
        (out, styles.xml)
    }

    #[test]
    fn a_span_covers_the_positions_it_spans() {
        let (out, _) = written(&[body((0, 1), 0, "T1"), body((0, 0), 1, "a"), body((1, 1), 1, "b & c")], 2, &[]);
        assert_eq!(out.matches("<table:table-row").count(), 2);
        assert!(out.contains(r#"table:number-rows-spanned="2""#));
        assert_eq!(out.matches("<table:covered-table-cell/>").count(), 1);
        assert!(out.contains("b &amp; c"));
    }

    #[test]
    fn a_kept_row_opens_with_a_paragraph_kept_with_the_next_even_under_a_span() {
        // A task code spanning rows 0–3; rows 0 and 1 (a heading, its outputs) kept with the next.
        let cells = [body((0, 3), 0, "T1.1"), body((0, 0), 1, "heading"), body((1, 1), 1, "outputs"), body((2, 3), 1, "P1")];
        let pieces = cut_spans(&cells, &[0, 1]);
        let column: Vec<_> = pieces.iter().filter(|(c, _)| c.cols.0 == 0).map(|(c, open)| (c.rows, c.text.as_str(), *open)).collect();
        assert_eq!(column, [((0, 0), "T1.1", Open { top: false, bottom: true }), ((1, 3), "", Open { top: true, bottom: false })]);
        let (out, styles) = written(&cells, 4, &[0, 1]);
        let kept = |row: &str| {
            let style = row.split(r#"<text:p text:style-name=""#).nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
            row.starts_with("R\"><table:table-cell")
                && styles.contains(&format!(r#"style:name="{style}" style:family="paragraph"><style:paragraph-properties fo:text-align="start" fo:keep-with-next="always""#))
        };
        let rows: Vec<&str> = out.split("<table:table-row table:style-name=\"").skip(1).collect();
        assert_eq!(rows.iter().map(|r| kept(r)).collect::<Vec<_>>(), [true, true, false, false], "{out}\n{styles}");
        assert!(styles.contains(r#"fo:border-top="0.5pt solid #000000" fo:border-bottom="none""#), "{styles}");
    }

    #[test]
    fn a_head_is_written_in_lines_broken_between_its_words() {
        let font = Font::embedded();
        let how = Rows { columns: 1, keep: &[], row_style: "R", font: &font, widths: &[62.0] };
        let head = Cell::new((0, 0), (0, 0), "職能內涵\n(S=skills 技能)", Style::body(9.5), Role::Header);
        assert_eq!(head_lines(&head, &how), "職能內涵\n(S=skills\n技能)");
    }
}
