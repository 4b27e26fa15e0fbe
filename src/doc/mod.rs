//! Documents described once, drawn by every backend: what the official form, the competency matrix,
//! the training checklist, the workbook's other sheets and the blank template *say*, as plain data.
//!
//! A `Document` is a sequence of blocks (a title, gaps, tables, page breaks) with its page setup. A
//! table is a grid of cells with row and column spans, header rows repeated on every page, text with
//! its style, and the label a span shows again when it continues on a new page. The builders here
//! decide every text, span, label and total; a backend (`pdf`, `sheet::xlsx`, `sheet::ods`, `odt`)
//! only draws them in its format and never decides content.

pub mod amendment;
pub mod blank;
pub mod checklist;
mod fit;
pub mod flat;
pub mod form;
pub mod matrix;
pub mod notes;
pub mod workbook;

use crate::template::Template;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// One document: a PDF, a text document, or one sheet of a workbook.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The document's title (PDF and ODF metadata, the running head from page 2).
    pub title: String,
    /// The sheet's name when the document is a sheet of a workbook.
    pub sheet: String,
    pub page: PageSetup,
    pub blocks: Vec<Block>,
    /// What only a spreadsheet does with the document.
    pub sheet_options: SheetOptions,
}

/// Paper, orientation, margins and footer.
#[derive(Debug, Clone, Default)]
pub struct PageSetup {
    /// Paper size in points, portrait.
    pub width: f32,
    pub height: f32,
    pub landscape: bool,
    /// Margins in points.
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    /// The footer, with `{page}` and `{pages}` to replace.
    pub footer: String,
    /// The running head, shown from page 2.
    pub head: String,
    /// The mark of a text continued on a new page (（續）).
    pub continued: String,
    pub footer_size: f32,
    /// Padding inside a cell and line height as a multiple of the size.
    pub padding: f32,
    pub line_height: f32,
}

impl PageSetup {
    /// The template's page in the given orientation.
    pub fn of(template: &Template, landscape: bool, head: String) -> PageSetup {
        let p = &template.page;
        PageSetup {
            width: p.width_mm * MM,
            height: p.height_mm * MM,
            landscape,
            top: p.margin_top_mm * MM,
            bottom: p.margin_bottom_mm * MM,
            left: p.margin_left_mm * MM,
            right: p.margin_right_mm * MM,
            footer: template.labels.footer.clone(),
            head,
            continued: template.labels.continued.clone(),
            footer_size: template.font.footer_pt,
            padding: template.table.padding_pt,
            line_height: template.font.line_height,
        }
    }

    /// Width and height of the page as it is printed (landscape turns it).
    pub fn size(&self) -> (f32, f32) {
        if self.landscape { (self.height, self.width) } else { (self.width, self.height) }
    }

    /// Width between the margins.
    pub fn content_width(&self) -> f32 {
        self.size().0 - self.left - self.right
    }
}

/// What a spreadsheet backend does beyond drawing the blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SheetOptions {
    /// An autofilter over the first table and its header frozen (a list to sort and filter).
    pub list: bool,
    /// Whether the sheet is part of the printout of its workbook.
    pub print: bool,
    /// The block whose table header a sheet repeats at the top of every printed page (a sheet has
    /// one such header; the PDF repeats every table's). The rows after that table never open a
    /// printed page under it.
    pub repeat: Option<usize>,
}

/// A part of a document, in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    /// A centred heading in bold of the given size.
    Title {
        text: String,
        size: f32,
    },
    /// Vertical space, in points.
    Gap(f32),
    Table(Table),
    /// The next block starts a new page.
    PageBreak,
}

/// What a text is, so tests and readers can tell furniture from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    RunningHead,
    Footer,
    /// A header cell of a table, repeated on each page.
    Header,
    /// A label cell (of the header block, a checklist's head, a signature line).
    Label,
    /// Content, in the given column of its table.
    Body(usize),
    /// A span's label repeated at the top of a page, marked （續）, in the given column.
    Continued(usize),
}

/// How a cell's text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    /// Grey fill of the cell (0 black, 1 white), if shaded.
    pub fill: Option<f32>,
    pub center: bool,
    pub middle: bool,
    /// Text turned 90° counter-clockwise, read bottom to top (a matrix's column heads).
    pub rotate: bool,
    /// One line, made smaller when it is wider than the cell (a count in a narrow column).
    pub shrink: bool,
}

impl Style {
    /// A key for the style, to look its format up (`Style` holds floats, so it is not `Hash`).
    pub fn key(&self) -> (u32, u32, u8) {
        let flags = u8::from(self.bold)
            | u8::from(self.center) << 1
            | u8::from(self.middle) << 2
            | u8::from(self.rotate) << 3
            | u8::from(self.shrink) << 4;
        (self.size.to_bits(), self.fill.map_or(u32::MAX, f32::to_bits), flags)
    }

    /// Plain body text of the given size: left, top, not shaded.
    pub const fn body(size: f32) -> Style {
        Style { size, bold: false, fill: None, center: false, middle: false, rotate: false, shrink: false }
    }
}

/// A field the reader of an editable document fills in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// One of these values: a drop-down list in a workbook; on paper, the cell's text (boxes to tick
    /// or a blank to write in).
    Choice(Vec<String>),
    /// A whole number between the bounds, with a title and a message for the person typing.
    Whole { min: i32, max: i32, title: String, message: String },
}

/// A field of a fillable document (a PDF form), named so a script reads the filled form back.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The full name, parts joined by `.` (`P1.1.1.達成`): the parents `P1`, `1`, `1`, the field `達成`.
    pub name: String,
    /// What a screen reader or a tooltip says of the field.
    pub tooltip: String,
    pub kind: FieldKind,
}

/// What is filled in.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Free text; on several lines when `multiline`.
    Text { multiline: bool },
    /// One of these values, from a list.
    Choice(Vec<String>),
    /// The cell's boxes to tick (its lines starting with `CHECK_BOX`, or the cell itself when it
    /// is one box), each with its value in `states`. Fields of one name are one field: at most one
    /// of its boxes is ticked. `radio`: a pair of radio buttons rather than check boxes.
    Boxes { states: Vec<String>, radio: bool },
}

/// A cell spanning rows `rows.0..=rows.1` and columns `cols.0..=cols.1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub rows: (usize, usize),
    pub cols: (usize, usize),
    /// The text as printed, lines separated by `\n`. A line starting with `CHECK_BOX` is a box to
    /// tick followed by its label.
    pub text: String,
    pub style: Style,
    /// The label to repeat when the span continues on a new page (already marked （續）).
    pub continued: Option<String>,
    pub role: Role,
    /// The cell's value as a number, where a workbook should store one (a level, a total).
    pub number: Option<f64>,
    /// A field to fill in: an editable document leaves the cell empty and offers the input.
    pub input: Option<Input>,
    /// The field a fillable PDF puts over the cell.
    pub field: Option<Field>,
    /// What the text means when its marks do not say it (a matrix's ● is 「需要」): a screen
    /// reader reads this instead.
    pub alt: Option<String>,
    /// Where a page break may fall inside the text.
    pub breaks: Breaks,
    /// How each item (line of `text`) of a list is set: its level and mark, the text hanging after
    /// the mark. Empty for a cell that is not a list.
    pub hang: Vec<Hang>,
    /// Byte ranges of `text` to underline (the changed characters of a 修正對照表), in order and
    /// not overlapping; each backend draws them its own way.
    pub underline: Vec<std::ops::Range<usize>>,
}

/// How one item of a list is set (a note of 說明與補充事項): at its level, after its mark, with
/// every wrapped line starting under the text rather than under the mark (a hanging indent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hang {
    /// 1 or 2; the second level is indented by `HANG_EM`, under the first level's text.
    pub level: u8,
    /// The mark drawn before the text (● first level, ○ second), or empty when the text starts
    /// with its own number (`1.`, `(1)`, `一、`), which is then the mark.
    pub mark: String,
    /// With no mark: the bytes at the start of the text that its wrapped lines hang after (the
    /// number and the spaces after it). 0 with a mark.
    pub lead: usize,
}

/// Where an item's text starts after its mark, and the indent of the second level, in ems of the
/// text's size: the mark (● is one em wide) and half an em of space.
pub const HANG_EM: f32 = 1.5;

impl Hang {
    /// The indent of the item's mark, in ems.
    pub fn indent_em(&self) -> f32 {
        if self.level >= 2 { HANG_EM } else { 0.0 }
    }

    /// Where the item's text starts after its mark, from the mark's indent, in ems: `HANG_EM` after
    /// a mark; after a number, the number's width estimated (a backend that can measure it does).
    pub fn text_em(&self, item: &str) -> f32 {
        if !self.mark.is_empty() {
            return HANG_EM;
        }
        let lead = item.get(..self.lead).unwrap_or("");
        lead.chars()
            .map(|c| {
                if c == ' ' {
                    0.25
                } else if c.is_ascii() {
                    0.55
                } else {
                    1.0
                }
            })
            .sum()
    }

    /// The item as one line of plain text (a workbook cell, a CSV field): the second level
    /// indented by an ideographic space, the mark and a space before the text. Read back, the
    /// mark and the indent give the level again and are removed from the text.
    pub fn plain(&self, text: &str) -> String {
        let indent = if self.level >= 2 { "\u{3000}" } else { "" };
        if self.mark.is_empty() { format!("{indent}{text}") } else { format!("{indent}{} {text}", self.mark) }
    }
}

/// Where a page break may fall inside a cell's text, whose lines are its items (an indicator, an
/// output, a `K01 name` pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Breaks {
    /// Between items, or inside an item with at least two of its lines on each side.
    #[default]
    Paragraphs,
    /// Only between items: an item is never split (a K/S pair, a coded output).
    Items,
}

impl Cell {
    /// A cell over rows `rows.0..=rows.1` and columns `cols.0..=cols.1`.
    pub fn new(rows: (usize, usize), cols: (usize, usize), text: impl Into<String>, style: Style, role: Role) -> Cell {
        Cell {
            rows,
            cols,
            text: text.into(),
            style,
            continued: None,
            role,
            number: None,
            input: None,
            field: None,
            alt: None,
            breaks: Breaks::Paragraphs,
            hang: Vec::new(),
            underline: Vec::new(),
        }
    }

    /// A list: each item (line) set as `hang` says.
    pub fn hanging(mut self, hang: Vec<Hang>) -> Cell {
        self.hang = hang;
        self
    }

    /// The text for a backend that neither paginates nor indents it (a workbook cell): every line
    /// break as `\n`, each item of a list with its indent and mark (`Hang::plain`).
    pub fn plain_text(&self) -> String {
        if self.hang.is_empty() {
            return plain_lines(&self.text);
        }
        let items = self.text.split('\n').enumerate().map(|(n, item)| match self.hang.get(n) {
            Some(hang) => hang.plain(&plain_lines(item)),
            None => plain_lines(item),
        });
        items.collect::<Vec<_>>().join("\n")
    }

    /// With these byte ranges of its text underlined; a range that is not on character boundaries
    /// of the text is dropped.
    pub fn underlined(mut self, ranges: Vec<std::ops::Range<usize>>) -> Cell {
        let text = &self.text;
        self.underline = ranges.into_iter().filter(|r| r.start < r.end && text.get(r.clone()).is_some()).collect();
        self
    }

    /// Broken by a page only between its items.
    pub fn whole_items(mut self) -> Cell {
        self.breaks = Breaks::Items;
        self
    }

    /// The label shown again when the span continues on a new page.
    pub fn continued(mut self, label: impl Into<String>) -> Cell {
        self.continued = Some(label.into());
        self
    }

    /// Stored as a number in a workbook.
    pub fn number(mut self, value: Option<f64>) -> Cell {
        self.number = value;
        self
    }

    pub fn input(mut self, input: Input) -> Cell {
        self.input = Some(input);
        self
    }

    /// A field to fill in over the cell (a fillable PDF).
    pub fn field(mut self, name: impl Into<String>, tooltip: impl Into<String>, kind: FieldKind) -> Cell {
        self.field = Some(Field { name: name.into(), tooltip: tooltip.into(), kind });
        self
    }

    /// What a screen reader says for the cell's text.
    pub fn alt(mut self, alt: impl Into<String>) -> Cell {
        self.alt = Some(alt.into());
        self
    }
}

/// A table: column widths in points, header rows repeated on each page, body cells over `rows` rows.
///
/// The tables of one document are designed on one grid of columns where they can be (the header
/// block on the main table's columns), so that a workbook shows them in the same columns; a table on
/// other widths is mapped to the nearest columns of the widest one.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub widths: Vec<f32>,
    /// Header cells; their `rows` count from 0 within the header.
    pub header: Vec<Cell>,
    pub cells: Vec<Cell>,
    pub rows: usize,
    /// Bookmarks (PDF outline) to set on the page where a row is first placed.
    pub marks: Vec<(usize, String)>,
    /// Start on a new page rather than break (a signature block), when it fits on one page.
    pub keep_together: bool,
    /// Keep the last row on the page of the row before it (a totals row).
    pub keep_last: bool,
    /// Rows that stay on the page of the row after them (a heading with its first item).
    pub keep: Vec<usize>,
    /// The least height of a body row, in points (room to write by hand); 0 for none.
    pub min_row: f32,
    /// A titled section rather than a grid: the header is the section's heading, each cell a
    /// paragraph or a list (態度, 說明與補充事項). A reader of the structure hears a heading and
    /// a list, not a table of one column.
    pub section: bool,
}

impl Table {
    /// Number of header rows.
    pub fn header_rows(&self) -> usize {
        self.header.iter().map(|c| c.rows.1 + 1).max().unwrap_or(0)
    }
}

/// A line break inside one item of a cell. A cell's text is its items separated by `\n`; a page
/// may break between items (and, by `Breaks`, inside one), so an item's own line breaks (a note of
/// two lines, a K name with sub-items) are this separator instead. Backends show both as line breaks.
pub const ITEM_LINE: char = '\u{2028}';

/// Items as a cell's text: one a line, each item's own line breaks kept as `ITEM_LINE`.
pub fn items<S: AsRef<str>>(items: &[S]) -> String {
    let mut text = String::with_capacity(items.iter().map(|i| i.as_ref().len() + 1).sum());
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            text.push('\n');
        }
        for (k, line) in item.as_ref().split('\n').enumerate() {
            if k > 0 {
                text.push(ITEM_LINE);
            }
            text.push_str(line);
        }
    }
    text
}

/// The `code name` items of a task's K or S cell, names from the standard's lists.
pub fn competencies(names: &crate::model::CompetencyNames<'_>, codes: &[String]) -> String {
    items(&names.items(codes))
}

/// A cell's text with every line break as `\n`, for a backend that does not paginate it.
pub fn plain_lines(text: &str) -> String {
    if text.contains(ITEM_LINE) { text.replace(ITEM_LINE, "\n") } else { text.to_string() }
}

/// `text` cut at the edges of the underlined byte ranges, in order: each piece with whether it is
/// underlined. Ranges off the text's character boundaries are ignored.
pub fn underline_pieces<'t>(text: &'t str, underline: &[std::ops::Range<usize>]) -> Vec<(&'t str, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in underline {
        let (start, end) = (range.start.max(at), range.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            pieces.push((&text[at..start], false));
        }
        pieces.push((&text[start..end], true));
        at = end;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    pieces
}

/// Starts a line that gets a check box drawn in front of it (measured as the font's □).
pub const CHECK_BOX: char = '□';

/// Widths in points from proportions over a total.
pub fn proportions(parts: &[f32], total: f32) -> Vec<f32> {
    let sum: f32 = parts.iter().sum();
    parts.iter().map(|p| p / sum * total).collect()
}

/// Grey of shaded label cells.
pub const SHADE: f32 = 0.85;

/// The styles of a form-like document.
#[derive(Debug, Clone, Copy)]
pub struct FormStyles {
    pub body: Style,
    pub label: Style,
    pub header: Style,
    pub centered: Style,
}

impl FormStyles {
    pub fn new(template: &Template) -> FormStyles {
        let body = Style::body(template.font.body_pt);
        let label = Style { bold: true, fill: Some(SHADE), center: true, middle: true, ..body };
        let header = Style { size: template.font.header_pt, ..label };
        let centered = Style { center: true, ..body };
        FormStyles { body, label, header, centered }
    }
}
