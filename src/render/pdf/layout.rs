//! Page layout that knows nothing of PDF: text measured and wrapped, tables with spans broken into
//! pages, every position in points from the top-left corner. `pdf::draw` only draws the result,
//! and tests inspect it as data.
//!
//! One engine serves every part of the form: a table of cells spanning rows and columns, with an
//! optional header row repeated on each page. A row splits between lines at a page break; a span
//! that continues onto the next page shows its label again there, marked （續）; a row whose first
//! line would stand alone at a page foot moves to the next page.

use crate::text::Font;

/// Laid-out pages, ready to draw.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Document title (PDF metadata).
    pub title: String,
    pub pages: Vec<Page>,
    pub bookmarks: Vec<Bookmark>,
    /// The content did not fit: it needed more than `MAX_PAGES` pages (laying out stopped there),
    /// or a line of text taller than a page's body.
    pub overflow: bool,
}

/// The most pages one document may have. Far beyond any real standard (a thousand indicators take
/// about 150 pages); it bounds time and memory whatever the content.
pub const MAX_PAGES: usize = 2_000;

/// An outline entry: a title and the (0-based) page it points to.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub page: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// A rectangle, from its top-left corner, in points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(Run),
    /// A box: filled with a grey level (0 black, 1 white) and/or stroked with a line width.
    Box {
        rect: Rect,
        fill: Option<f32>,
        stroke: Option<f32>,
    },
    /// A straight line between two points (x, y from the page's top-left corner), of the given
    /// width: a rule, an underline under changed characters. A backend draws it as it is; it is
    /// never read.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// A field to fill in, over a cell or one of its boxes (a fillable PDF).
    Widget(Widget),
}

/// Where a line of text comes from in the document, for the structure a reader navigates: the
/// block, whether a header cell, the cell, the item of the cell's text, and whether it is an
/// item's mark (● ○). A line pagination adds (a repeated header, a （續） label, a page number, the
/// running head) has none: it is furniture, read once where it belongs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    pub block: usize,
    pub header: bool,
    pub cell: usize,
    pub item: usize,
    pub label: bool,
    /// What a screen reader says instead of the text (a matrix's ●).
    pub alt: Option<String>,
}

/// A field's place: over a cell (text, a list), or over one of its boxes with the value it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    pub rect: Rect,
    pub field: crate::doc::Field,
    pub state: Option<String>,
    pub origin: Origin,
}

/// What `draw_cell` needs to place a cell's lines in the structure: its origin, the item of each
/// line, and the field over it on the cell's first part.
struct CellTag<'a> {
    origin: Origin,
    items: Vec<usize>,
    field: Option<&'a crate::doc::Field>,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x: f32,
    /// Baseline, from the top of the page.
    pub baseline: f32,
    pub size: f32,
    pub bold: bool,
    pub text: String,
    /// The inner box of the cell the text belongs to: the text must stay inside it.
    pub cell: Rect,
    pub role: Role,
    /// Turned 90° counter-clockwise about (x, baseline).
    pub rotated: bool,
    /// Its place in the document's structure; `None` for what pagination adds (an artifact).
    pub origin: Option<Origin>,
    /// The text as written when `text` draws other characters (a compatibility ideograph drawn
    /// with its canonical twin): what copying and a screen reader give.
    pub actual: Option<String>,
}

pub use crate::doc::{Breaks, CHECK_BOX, Cell, Role, Style, Table};
use std::ops::Range;

/// Where an underline lies below the baseline and how thick it is, as shares of the size: below
/// the descent of Chinese characters, inside the line's leading.
const UNDERLINE_DROP: f32 = 0.16;
const UNDERLINE_WIDTH: f32 = 0.06;

/// Where a line of a list item (a note) is set: its text `text_x` from the cell's inner left edge,
/// and on an item's first line the item's mark at its own offset. Wrapped lines start at `text_x`
/// too: a hanging indent.
#[derive(Debug, Clone, PartialEq)]
struct Indent {
    text_x: f32,
    mark: Option<(f32, String)>,
}

/// The lines of a list cell, whether each starts an item, and where each is set.
type ListLines = (Vec<String>, Vec<bool>, Vec<Option<Indent>>);

/// A table's header as drawn on each page: its cells in lines, its rows' heights and their sum.
struct Head {
    lines: Vec<Vec<String>>,
    rows: Vec<f32>,
    height: f32,
}

/// Page geometry and type metrics.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    pub padding: f32,
    pub line_height: f32,
    pub rule: f32,
}

impl Geometry {
    pub fn content_width(&self) -> f32 {
        self.width - self.left - self.right
    }
}

/// Height of the ideographic em box above the baseline, as a share of the size.
const ASCENT: f32 = 0.88;
const EPSILON: f32 = 0.01;
/// A span label of up to this many lines is never split by a page break.
const KEEP_WHOLE: usize = 6;

/// The fewest lines of a cell's text that may end a page (all of them when it may not break).
fn least_split(starts: &[bool], breaks: Breaks) -> usize {
    let total = starts.len();
    (2..total).find(|&k| split_point(starts, 0, k, breaks) == k).unwrap_or(total).max(1)
}

/// How many of the lines after `from` may end a page when `room` lines fit: the most that end at an
/// item's end, or, where the cell allows, inside an item with two lines of it on each side.
/// Everything when everything fits; 0 when no break is allowed there.
fn split_point(starts: &[bool], from: usize, room: usize, breaks: Breaks) -> usize {
    let total = starts.len();
    if from + room >= total {
        return total.saturating_sub(from);
    }
    // A cell broken by a page keeps two lines on each side.
    (2..=room)
        .rev()
        .filter(|&k| total - (from + k) >= 2)
        .find(|&k| {
            let at = from + k;
            if starts[at] {
                return true;
            }
            if breaks == Breaks::Items {
                return false;
            }
            let item = starts[..at].iter().rposition(|&s| s).unwrap_or(0);
            let item_end = starts[at..].iter().position(|&s| s).map_or(total, |p| at + p);
            at - item >= 2 && item_end - at >= 2
        })
        .unwrap_or(0)
}

/// A continuation label of at most `KEEP_WHOLE` lines, the last one ending in `…` when cut: it
/// repeats what the first page showed in full, and must never be taller than a page.
fn shortened(mut label: Vec<String>) -> Vec<String> {
    if label.len() > KEEP_WHOLE {
        label.truncate(KEEP_WHOLE);
        if let Some(last) = label.last_mut() {
            last.pop();
            last.push('…');
        }
    }
    label
}

/// Lays out pages one after the other.
pub struct Composer<'f> {
    font: &'f Font,
    pub geometry: Geometry,
    pub document: Document,
    y: f32,
    /// The mark of a continued text (（續）).
    pub continued: String,
    /// The block of the document being laid out, for the origin of its lines.
    pub block: usize,
}

/// What a fragment of a cell shows: the rest of its lines (after the mark of an item split by a page
/// break, `P2.1.3（續）`, when one is carried), or, on a continuation page once the text was all
/// shown, its （續） label.
#[derive(Debug, Clone, Copy)]
enum Fragment {
    Rest { from: usize, carried: bool },
    Label,
}

/// A cell of a table in lines, made once before the table is placed.
#[derive(Debug, Default)]
struct Prepared {
    lines: Vec<String>,
    /// Whether each line starts an item (a line of the cell's text) rather than continuing one.
    starts: Vec<bool>,
    /// The continuation label, in lines (empty for none).
    label: Vec<String>,
    /// Where each line is set, for the items of a list (empty otherwise).
    indents: Vec<Option<Indent>>,
}

/// The state of a cell being placed: lines shown so far and where its current fragment began. Its
/// lines are the prepared cell's, borrowed.
#[derive(Debug, Clone)]
struct Open<'p> {
    lines: &'p [String],
    /// Whether each line starts an item (a line of the cell's text) rather than continuing one.
    starts: &'p [bool],
    label: &'p [String],
    shown: usize,
    start: f32,
    continued: bool,
    /// The mark that opens the rest of an item split by a page break (`P2.1.3（續）`).
    carry: Option<String>,
    /// Where each line is set, for the items of a list (empty otherwise).
    indents: &'p [Option<Indent>],
    /// The byte ranges of each line to underline (empty for a cell without underlines).
    underlines: Vec<Vec<Range<usize>>>,
}

impl<'f> Composer<'f> {
    pub fn new(font: &'f Font, geometry: Geometry, title: &str) -> Composer<'f> {
        let mut composer = Composer {
            font,
            geometry,
            document: Document { title: title.to_string(), ..Document::default() },
            y: 0.0,
            continued: "（續）".to_string(),
            block: 0,
        };
        composer.new_page();
        composer
    }

    fn page(&mut self) -> &mut Page {
        let last = self.document.pages.len() - 1;
        &mut self.document.pages[last]
    }

    fn page_index(&self) -> usize {
        self.document.pages.len() - 1
    }

    pub fn new_page(&mut self) {
        let g = self.geometry;
        if self.document.pages.len() >= MAX_PAGES {
            // Stay on the last page: whatever follows is drawn over it, and the document is refused.
            self.document.overflow = true;
            self.y = g.top;
            return;
        }
        // Room for a full page's items at once (a table's page holds hundreds): growing by doubling
        // copied them again and again. The page before is the best guess of how many.
        let room = self.document.pages.last().map_or(256, |p| p.items.len().max(256));
        self.document.pages.push(Page { width: g.width, height: g.height, items: Vec::with_capacity(room) });
        self.y = g.top;
    }

    fn line_height(&self, size: f32) -> f32 {
        size * self.geometry.line_height
    }

    /// Leave vertical space; a new page when it runs past the bottom.
    pub fn gap(&mut self, points: f32) {
        self.y += points;
        if self.y > self.geometry.height - self.geometry.bottom {
            self.new_page();
        }
    }

    /// A centred line of text across the content width (the title).
    pub fn centered(&mut self, text: &str, size: f32, bold: bool, role: Role) {
        let g = self.geometry;
        let lh = self.line_height(size);
        for (n, line) in self.font.wrap(text, g.content_width(), size).into_iter().enumerate() {
            let width = self.font.width(&line, size);
            let cell = Rect { x: g.left, y: self.y, w: g.content_width(), h: lh };
            let run = Run {
                x: g.left + (g.content_width() - width) / 2.0,
                baseline: self.y + (lh - size) / 2.0 + ASCENT * size,
                size,
                bold,
                text: line,
                cell,
                role,
                rotated: false,
                origin: Some(Origin { block: self.block, item: n, ..Origin::default() }),
                actual: None,
            };
            self.page().items.push(Item::Text(run));
            self.y += lh;
        }
    }

    /// A cell's text in lines: a label (a table head, a label cell) breaks only between words.
    /// A tab (between the cells of a note's table row, when it has more than the form's columns)
    /// is shown as a space.
    fn wrap(&self, cell: &Cell, text: &str, width: f32) -> Vec<String> {
        let text = if text.contains('\t') { std::borrow::Cow::Owned(text.replace('\t', " ")) } else { std::borrow::Cow::Borrowed(text) };
        if cell.style.shrink {
            text.lines().map(str::to_string).collect()
        } else if matches!(cell.role, Role::Header | Role::Label) {
            self.font.wrap_label(&text, width, cell.style.size)
        } else {
            self.font.wrap(&text, width, cell.style.size)
        }
    }

    /// A cell's text in lines, and whether each line starts an item (a line of the text).
    fn wrap_items(&self, cell: &Cell, width: f32) -> (Vec<String>, Vec<bool>) {
        let first_of = |n: usize| (0..n.max(1)).map(|k| k == 0);
        let one_item = !cell.text.contains('\n');
        // Plain text breaks each of its lines as a paragraph of its own (`Font::wrap`): wrapped
        // whole, it is its items wrapped one after the other, so it is wrapped once, by item. A
        // label or a shrunk cell, broken by other rules, is wrapped whole and counted by item.
        if one_item || cell.style.shrink || matches!(cell.role, Role::Header | Role::Label) {
            let lines = self.wrap(cell, &cell.text, width);
            let starts = if one_item {
                first_of(lines.len()).collect()
            } else {
                cell.text.split('\n').flat_map(|item| first_of(self.wrap(cell, item, width).len())).collect()
            };
            return (lines, starts);
        }
        let (mut lines, mut starts) = (Vec::new(), Vec::new());
        for item in cell.text.split('\n') {
            let wrapped = self.wrap(cell, item, width);
            starts.extend(first_of(wrapped.len()));
            lines.extend(wrapped);
        }
        (lines, starts)
    }

    /// The lines of a list cell (each item with its `Hang`), whether each starts an item, and where
    /// each is set: the mark at the item's level, the text after it, every wrapped line under the
    /// text. An item that starts with its own number hangs after the number.
    fn list_lines(&self, cell: &Cell, width: f32) -> ListLines {
        let size = cell.style.size;
        let (mut lines, mut starts, mut indents) = (Vec::new(), Vec::new(), Vec::new());
        for (n, item) in cell.text.split('\n').enumerate() {
            // An item without a `Hang` (none in a list built by `doc`) is set plainly, at the left edge.
            let plain = crate::doc::Hang { level: 1, mark: String::new(), lead: 0 };
            let hang = cell.hang.get(n).unwrap_or(&plain);
            let mark_x = hang.indent_em() * size;
            let (lead, rest) = match item.get(..hang.lead) {
                Some(lead) if hang.mark.is_empty() => (lead, &item[hang.lead..]),
                _ => ("", item),
            };
            let text_x = if hang.mark.is_empty() { mark_x + self.font.width(lead, size) } else { mark_x + crate::doc::HANG_EM * size };
            let mut wrapped = self.wrap(cell, rest, (width - text_x).max(size));
            if wrapped.is_empty() {
                wrapped.push(String::new());
            }
            for (k, line) in wrapped.into_iter().enumerate() {
                starts.push(k == 0);
                if k == 0 && hang.mark.is_empty() {
                    // The number opens the first line, the text continuing after it.
                    lines.push(format!("{lead}{line}"));
                    indents.push(Some(Indent { text_x: mark_x, mark: None }));
                } else {
                    lines.push(line);
                    let mark = (k == 0).then(|| (mark_x, hang.mark.clone()));
                    indents.push(Some(Indent { text_x, mark }));
                }
            }
        }
        (lines, starts, indents)
    }

    fn inner_width(&self, table: &Table, cell: &Cell) -> f32 {
        let width: f32 = table.widths[cell.cols.0..=cell.cols.1].iter().sum();
        (width - 2.0 * self.geometry.padding).max(1.0)
    }

    fn x_of(&self, table: &Table, col: usize) -> f32 {
        self.geometry.left + table.widths[..col].iter().sum::<f32>()
    }

    /// Height a cell needs to show `lines` lines.
    fn needed(&self, lines: usize, size: f32) -> f32 {
        2.0 * self.geometry.padding + lines.max(1) as f32 * self.line_height(size)
    }

    /// Place a table from the current position, breaking it across pages.
    pub fn table(&mut self, table: &Table) {
        let g = self.geometry;
        let bottom = g.height - g.bottom;
        let wrap = |cell: &Cell, text: &str| self.wrap(cell, text, self.inner_width(table, cell));
        // Each cell's lines with its continuation label, and where each item of its text starts
        // among its lines. A list (notes with their marks) is set line by line; other cells are
        // wrapped whole.
        let prepared: Vec<Prepared> = table
            .cells
            .iter()
            .map(|c| {
                let width = self.inner_width(table, c);
                let (lines, starts, indents) = if c.text.is_empty() {
                    (Vec::new(), Vec::new(), Vec::new())
                } else if !c.hang.is_empty() {
                    self.list_lines(c, width)
                } else {
                    let (lines, starts) = self.wrap_items(c, width);
                    (lines, starts, Vec::new())
                };
                let label = c.continued.as_deref().map(|l| shortened(wrap(c, l))).unwrap_or_default();
                Prepared { lines, starts, label, indents }
            })
            .collect();
        let mut open: Vec<Option<Open>> = vec![None; table.cells.len()];
        let mut starting: Vec<Vec<usize>> = vec![Vec::new(); table.rows];
        let mut ending: Vec<Vec<usize>> = vec![Vec::new(); table.rows];
        for (i, cell) in table.cells.iter().enumerate() {
            if cell.rows.0 < table.rows && cell.rows.1 < table.rows {
                starting[cell.rows.0].push(i);
                ending[cell.rows.1].push(i);
            }
        }
        let head = self.head(table);
        let header_height = head.height;
        // Keep the header with the first row, or with as much of it as may end a page.
        let first_row = starting.first().map_or(0.0, |cells| {
            cells
                .iter()
                .map(|&i| self.needed(least_split(&prepared[i].starts, table.cells[i].breaks), table.cells[i].style.size))
                .fold(0.0, f32::max)
        });
        // A first row kept with the next brings the next along.
        let first_row = first_row
            + (1..table.rows.min(KEEP_WHOLE))
                .take_while(|r| table.keep.contains(&(r - 1)))
                .map(|r| {
                    starting[r]
                        .iter()
                        .map(|&i| self.needed(prepared[i].lines.len(), table.cells[i].style.size))
                        .fold(table.min_row, f32::max)
                })
                .sum::<f32>();
        let whole = if table.keep_together { header_height + self.body_height(table, &prepared) } else { 0.0 };
        let page_body = bottom - g.top;
        if self.y + header_height + first_row > bottom + EPSILON || (whole > 0.0 && self.y + whole > bottom + EPSILON && whole <= page_body)
        {
            self.new_page();
        }
        self.draw_header(table, &head, false);
        let mut body_top = self.y;
        let mut marked = vec![false; table.rows];
        let mut row = 0;
        // Progress: each pass places a row, or shows more lines of a cell on a new page, or (when a
        // page break showed nothing new, as when only a row's labels are left and they cannot fit)
        // places the row clipped. Rows and lines are finite, so the loop ends.
        let mut stalled_at: Option<(usize, usize)> = None;
        while row < table.rows && !self.document.overflow {
            for &i in &starting[row] {
                if open[i].is_none() {
                    let Prepared { lines, starts, label, indents } = &prepared[i];
                    let underlines = underlines_of(&table.cells[i], lines);
                    open[i] =
                        Some(Open { lines, starts, label, shown: 0, start: self.y, continued: false, carry: None, indents, underlines });
                }
            }
            let mut need = self.needed(1, table.cells.first().map_or(10.0, |c| c.style.size)).max(table.min_row);
            for &i in &ending[row] {
                if let Some(state) = &open[i] {
                    let lines = Self::fragment_len(state);
                    let required = self.needed(lines, table.cells[i].style.size) - (self.y - state.start);
                    need = need.max(required);
                }
            }
            // A totals row does not go to a page of its own: its predecessor moves with it.
            // So does a row kept with the next (a heading with its first item): the rows of the chain.
            let row_height = |r: usize| {
                starting[r].iter().map(|&i| self.needed(prepared[i].lines.len(), table.cells[i].style.size)).fold(table.min_row, f32::max)
            };
            let mut last_needs = if table.keep_last && row + 2 == table.rows { row_height(row + 1) } else { 0.0 };
            let mut next = row;
            while table.keep.contains(&next) && next + 1 < table.rows {
                next += 1;
                last_needs += row_height(next);
            }
            let page_has_rows = self.y > body_top + EPSILON;
            let fits = self.y + need <= bottom + EPSILON;
            let keep_with_last = page_has_rows && fits && self.y + need + last_needs > bottom + EPSILON;
            if fits && !keep_with_last {
                self.mark(table, row, &mut marked);
                self.y += need;
                for &i in &ending[row] {
                    if let Some(mut state) = open[i].take() {
                        self.draw_fragment(table, i, &mut state, self.y);
                    }
                }
                row += 1;
                continue;
            }
            // The row does not fit: split it at the page foot, or move it when only one line of a
            // cell starting here would stand alone there.
            let room_lines = |size: f32| ((bottom - self.y - 2.0 * g.padding) / self.line_height(size)).floor().max(0.0) as usize;
            // A short span label (a duty, a task) is kept whole; a row kept with the next is not
            // split; a text that could show nothing here (an item may not be split there) moves.
            let lonely = table.keep.contains(&row)
                || starting[row].iter().any(|&i| {
                    let lines = prepared[i].lines.len();
                    let room = room_lines(table.cells[i].style.size);
                    let keep_whole = table.cells[i].continued.is_some() && lines <= KEEP_WHOLE;
                    let breaks = table.cells[i].breaks;
                    room < lines && (keep_whole || split_point(&prepared[i].starts, 0, room, breaks) == 0)
                });
            let nothing_fits = starting[row].iter().all(|&i| room_lines(table.cells[i].style.size) == 0);
            let shown: usize = open.iter().flatten().map(|s| s.shown).sum();
            if !page_has_rows && stalled_at == Some((row, shown)) {
                // A fresh page showed nothing new last time either: place the row as far as it goes.
                self.mark(table, row, &mut marked);
                self.y = bottom;
                for &i in &ending[row] {
                    if let Some(mut state) = open[i].take() {
                        self.draw_fragment(table, i, &mut state, bottom);
                        // Text (not a label) that a whole page cannot show: refuse the document.
                        self.document.overflow |= state.shown < state.lines.len();
                    }
                }
                row += 1;
                continue;
            }
            stalled_at = (!page_has_rows).then_some((row, shown));
            let end = if page_has_rows && (keep_with_last || lonely || nothing_fits) { self.y } else { bottom };
            if end > self.y + EPSILON {
                self.mark(table, row, &mut marked);
            }
            for state in open.iter_mut().enumerate().filter_map(|(i, s)| s.as_mut().map(|s| (i, s))) {
                let (i, state) = state;
                // A fragment that began at the top of this page may break anywhere: it is taller
                // than a page, and waiting would not help.
                let fresh = state.start <= body_top + EPSILON;
                self.draw_split(table, i, state, end, fresh);
            }
            self.new_page();
            // The head repeated on a new page is furniture: read once, where the table starts.
            self.draw_header(table, &head, true);
            body_top = self.y;
            for state in open.iter_mut().flatten() {
                state.start = self.y;
            }
        }
    }

    /// Height of a whole table's body laid out without page breaks: each row as tall as its own cells.
    fn body_height(&self, table: &Table, prepared: &[Prepared]) -> f32 {
        let mut rows = vec![table.min_row; table.rows];
        for (cell, prepared) in table.cells.iter().zip(prepared) {
            if cell.rows.0 == cell.rows.1 && cell.rows.0 < table.rows {
                rows[cell.rows.0] = rows[cell.rows.0].max(self.needed(prepared.lines.len(), cell.style.size));
            }
        }
        rows.iter().sum::<f32>()
    }

    fn mark(&mut self, table: &Table, row: usize, marked: &mut [bool]) {
        if marked[row] {
            return;
        }
        marked[row] = true;
        let page = self.page_index();
        for (_, title) in table.marks.iter().filter(|(r, _)| *r == row) {
            self.document.bookmarks.push(Bookmark { title: title.clone(), page });
        }
    }

    /// What a fragment shows (`fragment_lines` and the functions beside it follow this).
    fn fragment(state: &Open) -> Fragment {
        let from = state.shown.min(state.lines.len());
        if from < state.lines.len() {
            Fragment::Rest { from, carried: state.carry.is_some() }
        } else if state.continued && !state.label.is_empty() {
            Fragment::Label
        } else {
            Fragment::Rest { from, carried: false }
        }
    }

    /// The lines a fragment shows.
    fn fragment_lines<'s>(state: &'s Open) -> Vec<&'s str> {
        match Self::fragment(state) {
            Fragment::Rest { from, carried } => {
                let carry = state.carry.as_deref().filter(|_| carried);
                carry.into_iter().chain(state.lines[from..].iter().map(String::as_str)).collect()
            }
            Fragment::Label => state.label.iter().map(String::as_str).collect(),
        }
    }

    /// How many lines `fragment_lines` gives.
    fn fragment_len(state: &Open) -> usize {
        match Self::fragment(state) {
            Fragment::Rest { from, carried } => usize::from(carried) + state.lines.len() - from,
            Fragment::Label => state.label.len(),
        }
    }

    /// Where each line of `fragment_lines` is set: a carried mark and a label at the left edge.
    fn fragment_indents<'s>(state: &'s Open) -> Vec<Option<&'s Indent>> {
        match Self::fragment(state) {
            Fragment::Rest { from, carried } => {
                let rest = (from..state.lines.len()).map(|n| state.indents.get(n).and_then(Option::as_ref));
                carried.then_some(None).into_iter().chain(rest).collect()
            }
            Fragment::Label => Vec::new(),
        }
    }

    /// The underlined ranges of each line of `fragment_lines`: none on a carried mark or a label.
    fn fragment_underlines(state: &Open) -> Vec<Vec<Range<usize>>> {
        match Self::fragment(state) {
            Fragment::Rest { .. } if state.underlines.is_empty() => Vec::new(),
            Fragment::Rest { from, carried } => {
                let rest = (from..state.lines.len()).map(|n| state.underlines.get(n).cloned().unwrap_or_default());
                carried.then(Vec::new).into_iter().chain(rest).collect()
            }
            Fragment::Label => Vec::new(),
        }
    }

    /// Draw the part of a cell that ends at a page break: as many lines as fit, broken only where
    /// its items allow (`split_point`), the rest of a split item opened on the next page with its
    /// code and （續）.
    fn draw_split(&mut self, table: &Table, index: usize, state: &mut Open, end: f32, fresh: bool) {
        let cell = &table.cells[index];
        let rest = state.lines.len().saturating_sub(state.shown);
        if rest == 0 || end - state.start < EPSILON {
            return self.draw_fragment(table, index, state, end);
        }
        let lh = self.line_height(cell.style.size);
        let fits = ((end - state.start - 2.0 * self.geometry.padding) / lh + EPSILON).floor().max(0.0) as usize;
        let carried = usize::from(state.carry.is_some());
        let room = fits.saturating_sub(carried);
        let mut take = split_point(state.starts, state.shown, room, cell.breaks);
        if take == 0 && fresh {
            take = room.max(1).min(rest);
        }
        let rect = Rect {
            x: self.x_of(table, cell.cols.0),
            y: state.start,
            w: table.widths[cell.cols.0..=cell.cols.1].iter().sum(),
            h: end - state.start,
        };
        if take == 0 {
            // Nothing of it may end this page: an empty part here, all of it on the next.
            self.draw_cell(rect, &[], &[], cell.style, cell.role, None);
            state.continued = true;
            return;
        }
        let from = state.shown;
        let mut part = Open { lines: &state.lines[..from + take], ..state.clone() };
        self.draw_fragment(table, index, &mut part, end);
        state.shown = from + take;
        state.continued = true;
        // The rest of an item split here opens the next page with its code and （續）.
        state.carry = match state.starts.get(state.shown) {
            Some(false) => {
                let item = state.starts[..state.shown].iter().rposition(|&s| s).unwrap_or(0);
                let code = state.lines[item].split_whitespace().next().filter(|w| crate::code::is_item_code(w)).unwrap_or("");
                Some(format!("{code}{}", self.continued))
            }
            _ => None,
        };
    }

    /// The header's cells in lines and the heights of its rows (a header may have two: group
    /// headings over column heads), once per table: the header is drawn again on every page. A
    /// rotated cell needs its text's length; a cell spanning rows gives any shortfall to the last.
    fn head(&self, table: &Table) -> Head {
        let lines: Vec<Vec<String>> = table
            .header
            .iter()
            .map(|c| if c.style.rotate { vec![c.text.clone()] } else { self.wrap(c, &c.text, self.inner_width(table, c)) })
            .collect();
        let count = table.header.iter().map(|c| c.rows.1 + 1).max().unwrap_or(0);
        let mut rows = vec![0.0_f32; count];
        let need = |n: usize| {
            let c = &table.header[n];
            if c.style.rotate {
                self.font.width(&c.text, c.style.size) + 2.0 * self.geometry.padding
            } else {
                self.needed(lines[n].len(), c.style.size)
            }
        };
        for (n, cell) in table.header.iter().enumerate().filter(|(_, c)| c.rows.0 == c.rows.1) {
            rows[cell.rows.0] = rows[cell.rows.0].max(need(n));
        }
        for (n, cell) in table.header.iter().enumerate().filter(|(_, c)| c.rows.0 != c.rows.1) {
            let have: f32 = rows[cell.rows.0..=cell.rows.1].iter().sum();
            rows[cell.rows.1] += (need(n) - have).max(0.0);
        }
        Head { height: rows.iter().sum(), rows, lines }
    }

    fn draw_header(&mut self, table: &Table, head: &Head, repeated: bool) {
        if table.header.is_empty() {
            return;
        }
        let top = self.y;
        let rows = &head.rows;
        for (c, (cell, lines)) in table.header.iter().zip(&head.lines).enumerate() {
            let y = top + rows[..cell.rows.0].iter().sum::<f32>();
            let h: f32 = rows[cell.rows.0..=cell.rows.1].iter().sum();
            let rect = Rect { x: self.x_of(table, cell.cols.0), y, w: table.widths[cell.cols.0..=cell.cols.1].iter().sum(), h };
            let tag = (!repeated).then(|| CellTag {
                origin: Origin { block: self.block, header: true, cell: c, ..Origin::default() },
                items: vec![0; lines.len()],
                field: None,
            });
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            self.draw_cell(rect, &lines, &[], cell.style, cell.role, tag);
        }
        self.y = top + head.height;
    }

    /// Draw the part of a cell between its fragment start and `end`, showing the lines that fit.
    fn draw_fragment(&mut self, table: &Table, index: usize, state: &mut Open, end: f32) {
        if end - state.start < EPSILON {
            return;
        }
        let cell = &table.cells[index];
        let g = self.geometry;
        let lh = self.line_height(cell.style.size);
        let fits = ((end - state.start - 2.0 * g.padding) / lh + EPSILON).floor().max(0.0) as usize;
        let mut lines = Self::fragment_lines(state);
        let indents = Self::fragment_indents(state);
        let underlines = Self::fragment_underlines(state);
        let fragment = Self::fragment(state);
        let label_shown = matches!(fragment, Fragment::Label);
        let carried = matches!(fragment, Fragment::Rest { carried: true, .. });
        let shown_now = lines.len().min(fits);
        lines.truncate(shown_now);
        // The first line shown here, among the cell's lines (counted shown once drawn).
        let from = state.shown.min(state.lines.len());
        let role = if label_shown {
            match cell.role {
                Role::Body(c) => Role::Continued(c),
                other => other,
            }
        } else {
            cell.role
        };
        let rect = Rect {
            x: self.x_of(table, cell.cols.0),
            y: state.start,
            w: table.widths[cell.cols.0..=cell.cols.1].iter().sum(),
            h: end - state.start,
        };
        let first_text = self.page().items.len() + 1;
        // The item of each line shown (the items started up to it, less one): a carried mark
        // belongs to the item it continues.
        let mut count = state.starts.iter().take(from).filter(|&&start| start).count();
        let mut item_of = state
            .starts
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .map(|&start| {
                count += usize::from(start);
                count.saturating_sub(1)
            })
            .peekable();
        let mut items: Vec<usize> = Vec::with_capacity(lines.len() + 1);
        if carried {
            items.push(item_of.peek().copied().unwrap_or(0));
        }
        items.extend(item_of.take(lines.len()));
        items.truncate(lines.len());
        let item = items.last().copied().unwrap_or(0);
        items.resize(lines.len(), item);
        let tag = (!label_shown).then(|| CellTag {
            origin: Origin { block: self.block, cell: index, alt: cell.alt.clone(), ..Origin::default() },
            items,
            field: if state.continued { None } else { cell.field.as_ref() },
        });
        self.draw_cell(rect, &lines, &indents, cell.style, role, tag);
        self.underline(&lines, &underlines, cell.style, first_text - 1);
        if !label_shown {
            state.shown += shown_now;
        }
        if carried && shown_now > 0 {
            // The carried mark is furniture, not text of the cell.
            if let (Some(Item::Text(run)), Role::Body(c)) = (self.page().items.get_mut(first_text), cell.role) {
                run.role = Role::Continued(c);
                run.origin = None;
            }
            state.shown -= 1;
            state.carry = None;
        }
        state.continued = true;
    }

    fn draw_cell(&mut self, rect: Rect, lines: &[&str], indents: &[Option<&Indent>], style: Style, role: Role, tag: Option<CellTag<'_>>) {
        let g = self.geometry;
        self.page().items.push(Item::Box { rect, fill: style.fill, stroke: Some(g.rule) });
        let origin_of = |n: usize, label: bool| {
            tag.as_ref().map(|t| Origin {
                item: t.items.get(n).copied().unwrap_or(0),
                label,
                alt: if label { None } else { t.origin.alt.clone() },
                ..t.origin.clone()
            })
        };
        let lh = self.line_height(style.size);
        let inner = Rect { x: rect.x + g.padding, y: rect.y + g.padding, w: rect.w - 2.0 * g.padding, h: rect.h - 2.0 * g.padding };
        if style.rotate {
            // Bottom to top, centred across the column.
            for line in lines {
                let x = inner.x + (inner.w + ASCENT * style.size) / 2.0 - 0.12 * style.size;
                let run = Run {
                    x,
                    baseline: inner.y + inner.h,
                    size: style.size,
                    bold: style.bold,
                    text: line.to_string(),
                    cell: inner,
                    role,
                    rotated: true,
                    origin: origin_of(0, false),
                    actual: None,
                };
                self.page().items.push(Item::Text(run));
            }
            return;
        }
        let text_height = lines.len() as f32 * lh;
        let mut boxes = 0;
        let top = if style.middle { inner.y + ((inner.h - text_height) / 2.0).max(0.0) } else { inner.y };
        for (n, line) in lines.iter().enumerate() {
            let mut width = self.font.width(line, style.size);
            let mut size = style.size;
            if style.shrink && width > inner.w {
                size *= inner.w / width;
                width = inner.w;
            }
            let mut x = if style.center { inner.x + ((inner.w - width) / 2.0).max(0.0) } else { inner.x };
            let baseline = top + n as f32 * lh + (lh - style.size) / 2.0 + ASCENT * style.size;
            if let Some(Some(indent)) = indents.get(n) {
                x = inner.x + indent.text_x;
                if let Some((mark_x, mark)) = &indent.mark {
                    let run = Run {
                        x: inner.x + mark_x,
                        baseline,
                        size: style.size,
                        bold: style.bold,
                        text: mark.clone(),
                        cell: inner,
                        role,
                        rotated: false,
                        origin: origin_of(n, true),
                        actual: None,
                    };
                    self.page().items.push(Item::Text(run));
                }
            }
            let mut text: &str = line;
            // A check box: drawn as a square, not as the font's □.
            if let Some(rest) = text.strip_prefix(CHECK_BOX) {
                let side = 0.8 * style.size;
                let square = Rect { x: x + 0.1 * style.size, y: baseline - 0.82 * style.size, w: side, h: side };
                self.page().items.push(Item::Box { rect: square, fill: None, stroke: Some(g.rule * 1.4) });
                if let Some(t) = &tag
                    && let Some(field @ crate::doc::Field { kind: crate::doc::FieldKind::Boxes { states, .. }, .. }) = t.field
                {
                    let state = states.get(boxes).cloned();
                    let origin = Origin { item: t.items.get(n).copied().unwrap_or(0), ..t.origin.clone() };
                    self.page().items.push(Item::Widget(Widget { rect: square, field: field.clone(), state, origin }));
                }
                boxes += 1;
                x += self.font.width(&CHECK_BOX.to_string(), style.size);
                text = rest;
            }
            if text.is_empty() {
                continue;
            }
            let (origin, actual) = (origin_of(n, false), None);
            let run =
                Run { x, baseline, size, bold: style.bold, text: text.to_string(), cell: inner, role, rotated: false, origin, actual };
            self.page().items.push(Item::Text(run));
        }
        if let Some(t) = &tag
            && let Some(field) = t.field.filter(|f| !matches!(f.kind, crate::doc::FieldKind::Boxes { .. }))
        {
            // A text or a choice over the whole cell, inside its rules.
            let area = Rect { x: rect.x + g.rule, y: rect.y + g.rule, w: rect.w - 2.0 * g.rule, h: rect.h - 2.0 * g.rule };
            self.page().items.push(Item::Widget(Widget { rect: area, field: field.clone(), state: None, origin: t.origin.clone() }));
        }
    }

    /// Lines under the underlined ranges of the lines just drawn (the text runs from `from` among
    /// the page's items, one per line in order, after the cell's box).
    fn underline(&mut self, lines: &[&str], underlines: &[Vec<Range<usize>>], style: Style, from: usize) {
        if underlines.iter().all(Vec::is_empty) {
            return;
        }
        let runs: Vec<Run> =
            self.page().items[from..].iter().filter_map(|i| if let Item::Text(r) = i { Some(r.clone()) } else { None }).collect();
        let mut segments = Vec::new();
        let mut next = 0;
        for (line, ranges) in lines.iter().zip(underlines) {
            let Some(found) = runs[next..].iter().position(|r| r.text == *line && !r.rotated) else { continue };
            let run = &runs[next + found];
            next += found + 1;
            for range in ranges {
                let (Some(before), Some(within)) = (line.get(..range.start), line.get(range.clone())) else { continue };
                let x1 = run.x + self.font.width(before, run.size);
                let x2 = x1 + self.font.width(within, run.size);
                let y = run.baseline + UNDERLINE_DROP * run.size;
                segments.push(Item::Line { from: (x1, y), to: (x2, y), width: UNDERLINE_WIDTH * style.size });
            }
        }
        self.page().items.extend(segments);
    }

    /// Add the running head (from page 2) and the footer `第 N 頁，總共 M 頁` to every page, and put
    /// the text of each page in reading order: row by row, left to right, line by line.
    pub fn finish(mut self, head: &str, footer: &str, size: f32) -> Document {
        let g = self.geometry;
        let total = self.document.pages.len();
        for (n, page) in self.document.pages.iter_mut().enumerate() {
            // Boxes first, then texts: each part sized at once (two more items come below).
            let count = page.items.len();
            let text_count = page.items.iter().filter(|i| matches!(i, Item::Text(_))).count();
            let mut items = Vec::with_capacity(count + 2);
            let mut texts = Vec::with_capacity(text_count);
            for item in page.items.drain(..) {
                if matches!(item, Item::Text(_)) { texts.push(item) } else { items.push(item) }
            }
            let key = |item: &Item| match item {
                Item::Text(run) => ((run.cell.y * 100.0) as i64, (run.cell.x * 100.0) as i64, (run.baseline * 100.0) as i64),
                _ => (0, 0, 0),
            };
            // The keys made once and sorted with the texts' places, then the texts moved once: a
            // text is a large value, and a sort moves its elements many times (stable either way).
            texts.sort_by_cached_key(key);
            items.append(&mut texts);
            page.items = items;
            let text = footer.replace("{page}", &(n + 1).to_string()).replace("{pages}", &total.to_string());
            let width = self.font.width(&text, size);
            let cell = Rect { x: g.left, y: g.height - g.bottom, w: g.content_width(), h: g.bottom };
            let baseline = g.height - g.bottom / 2.0 + size / 2.0;
            page.items.push(Item::Text(Run {
                x: g.left + (g.content_width() - width) / 2.0,
                baseline,
                size,
                bold: false,
                text,
                cell,
                role: Role::Footer,
                rotated: false,
                origin: None,
                actual: None,
            }));
            if n > 0 {
                let cell = Rect { x: g.left, y: 0.0, w: g.content_width(), h: g.top };
                let head_line = self.font.wrap(head, g.content_width(), size).into_iter().next().unwrap_or_default();
                page.items.push(Item::Text(Run {
                    x: g.left,
                    baseline: g.top - size,
                    size,
                    bold: false,
                    text: head_line,
                    cell,
                    role: Role::RunningHead,
                    rotated: false,
                    origin: None,
                    actual: None,
                }));
            }
        }
        self.document
    }
}

/// The underlined ranges of each wrapped line of a cell, as byte ranges of the line: each line is
/// found in the cell's text in order (wrapping only drops the white space where it breaks).
fn underlines_of(cell: &Cell, lines: &[String]) -> Vec<Vec<Range<usize>>> {
    if cell.underline.is_empty() || !cell.hang.is_empty() {
        return Vec::new();
    }
    // `wrap` shows a tab as a space (the same length); an item's line break splits lines like `\n`.
    let text = cell.text.replace('\t', " ");
    let mut cursor = 0;
    lines
        .iter()
        .map(|line| {
            let Some(at) = text.get(cursor..).and_then(|rest| rest.find(line.as_str())).map(|at| cursor + at) else { return Vec::new() };
            cursor = at + line.len();
            cell.underline
                .iter()
                .filter_map(|r| {
                    let (start, end) = (r.start.max(at), r.end.min(at + line.len()));
                    (start < end).then(|| start - at..end - at)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn font() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(Font::embedded)
    }

    fn geometry() -> Geometry {
        Geometry {
            width: 300.0,
            height: 200.0,
            top: 20.0,
            bottom: 20.0,
            left: 10.0,
            right: 10.0,
            padding: 2.0,
            line_height: 1.4,
            rule: 0.5,
        }
    }

    const BODY: Style = Style::body(10.0);

    #[test]
    fn a_fragments_count_is_the_number_of_its_lines() {
        let lines: Vec<String> = ["P1 一", "二", "P2 三"].map(String::from).to_vec();
        let label: Vec<String> = ["工作任務", "（續）"].map(String::from).to_vec();
        for shown in 0..=4 {
            for carry in [None, Some("P1（續）".to_string())] {
                for continued in [false, true] {
                    for label in [&label[..], &[]] {
                        let state = Open {
                            lines: &lines,
                            starts: &[true, false, true],
                            label,
                            shown,
                            start: 0.0,
                            continued,
                            carry: carry.clone(),
                            indents: &[],
                            underlines: Vec::new(),
                        };
                        let shown_lines = Composer::fragment_lines(&state);
                        assert_eq!(Composer::fragment_len(&state), shown_lines.len(), "{shown} {carry:?} {continued} {label:?}");
                    }
                }
            }
        }
    }

    fn cell(rows: (usize, usize), col: usize, text: &str, continued: Option<&str>) -> Cell {
        let cell = Cell::new(rows, (col, col), text, BODY, Role::Body(col));
        match continued {
            Some(label) => cell.continued(label),
            None => cell,
        }
    }

    /// A duty spanning 12 rows of two-line indicators: it must cross a page.
    fn long_span() -> Table {
        let mut cells =
            vec![cell((0, 11), 0, "T1 職責", Some("T1 職責（續）")), cell((0, 11), 2, "K01 知識\nK02 知識", Some("K01、K02（續）"))];
        for r in 0..12 {
            cells.push(cell((r, r), 1, &format!("P1.1.{} 第一行\n第二行", r + 1), None));
        }
        let header = (0..3).map(|c| Cell::new((0, 0), (c, c), format!("欄{c}"), BODY, Role::Header)).collect();
        Table { widths: vec![80.0, 120.0, 80.0], header, cells, rows: 12, marks: vec![(0, "T1".into())], ..Table::default() }
    }

    fn texts(page: &Page) -> Vec<&Run> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(run) => Some(run),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn underlines_lie_under_their_characters_across_wrapped_lines() {
        // Ten characters a line in a 100-point column: the underlined run 「變更文字跨行」 wraps.
        let text = "P1.1.1 一二三變更文字跨行四五六七八九";
        let start = text.find('變').unwrap();
        let end = text.find('四').unwrap();
        let underlined = Cell::new((0, 0), (0, 0), text, BODY, Role::Body(0)).underlined(std::iter::once(start..end).collect());
        let table = Table { widths: vec![104.0], cells: vec![underlined], rows: 1, ..Table::default() };
        let mut composer = Composer::new(font(), geometry(), "t");
        composer.table(&table);
        let page = &composer.document.pages[0];
        let runs = texts(page);
        assert!(runs.len() >= 2, "the text wraps: {runs:?}");
        let lines: Vec<(f32, f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| if let Item::Line { from, to, .. } = i { Some((from.0, to.0, from.1)) } else { None })
            .collect();
        assert_eq!(lines.len(), 2, "one segment a line: {lines:?}");
        let mut under = String::new();
        for (x1, x2, y) in lines {
            let run = runs.iter().find(|r| (y - r.baseline - UNDERLINE_DROP * r.size).abs() < 0.01).expect("the run above");
            let mut x = run.x;
            for c in run.text.chars() {
                let w = font().width(&c.to_string(), run.size);
                if x + w / 2.0 > x1 && x + w / 2.0 < x2 {
                    under.push(c);
                }
                x += w;
            }
        }
        assert_eq!(under, "變更文字跨行");
    }

    #[test]
    fn a_span_crossing_a_page_is_labelled_continued_on_the_next() {
        let font = font();
        let mut composer = Composer::new(font, geometry(), "t");
        composer.table(&long_span());
        let document = composer.finish("head", "第 {page} 頁，總共 {pages} 頁", 8.0);
        assert!(document.pages.len() >= 2, "the table crosses a page");
        for page in &document.pages[1..] {
            let runs = texts(page);
            let duty: Vec<&str> = runs.iter().filter(|r| r.role == Role::Continued(0)).map(|r| r.text.as_str()).collect();
            assert_eq!(duty.concat(), "T1 職責（續）");
            let knowledge: Vec<&str> = runs.iter().filter(|r| r.role == Role::Continued(2)).map(|r| r.text.as_str()).collect();
            assert_eq!(knowledge.concat(), "K01、K02（續）");
            assert_eq!(runs.iter().filter(|r| r.role == Role::Header).count(), 3, "the header is repeated");
        }
        assert_eq!(document.bookmarks, [Bookmark { title: "T1".into(), page: 0 }]);
    }

    #[test]
    fn every_line_is_shown_once_and_inside_its_cell() {
        let font = font();
        let mut composer = Composer::new(font, geometry(), "t");
        composer.table(&long_span());
        let document = composer.finish("head", "{page}/{pages}", 8.0);
        let mut body = String::new();
        for page in &document.pages {
            for run in texts(page) {
                assert!(
                    run.x >= run.cell.x - EPSILON && run.x + font.width(&run.text, run.size) <= run.cell.x + run.cell.w + EPSILON,
                    "`{}` overflows",
                    run.text
                );
                assert!(
                    run.baseline <= page.height - geometry().bottom + EPSILON || run.role == Role::Footer,
                    "`{}` below the page foot",
                    run.text
                );
                if run.role == Role::Body(1) {
                    body.push_str(&run.text);
                }
            }
        }
        let expected: String = (1..=12).map(|n| format!("P1.1.{n} 第一行第二行")).collect();
        assert_eq!(body, expected);
    }

    #[test]
    fn a_lone_first_line_moves_to_the_next_page() {
        let font = font();
        for start in 0..12 {
            let mut composer = Composer::new(font, geometry(), "t");
            composer.gap(start as f32 * 11.0);
            composer.table(&long_span());
            let document = composer.finish("h", "{page}", 8.0);
            for page in &document.pages {
                let indicator_lines: Vec<&Run> = texts(page).into_iter().filter(|r| r.role == Role::Body(1)).collect();
                if let Some(last) = indicator_lines.last() {
                    assert!(!last.text.starts_with('P'), "a first line alone at the page foot (start {start}): {}", last.text);
                }
            }
        }
    }

    #[test]
    fn a_cell_taller_than_a_page_with_a_label_taller_than_a_page_ends() {
        let font = font();
        let codes: Vec<String> = (1..=300).map(|n| format!("K{n:03} 知識")).collect();
        let label: Vec<String> = (1..=300).map(|n| format!("K{n:03}")).collect();
        let mut table = long_span();
        table.cells[1].text = codes.join("\n");
        table.cells[1].continued = Some(format!("{}（續）", label.join("、")));
        let mut composer = Composer::new(font, geometry(), "t");
        composer.table(&table);
        let document = composer.finish("h", "{page}", 8.0);
        assert!(!document.overflow);
        assert!(document.pages.len() < 200, "{} pages", document.pages.len());
        let shown: Vec<String> = document
            .pages
            .iter()
            .flat_map(|p| texts(p).into_iter().filter(|r| r.role == Role::Body(2)).map(|r| r.text.clone()).collect::<Vec<_>>())
            .collect();
        assert_eq!(shown, codes, "every line once, in order");
        for page in &document.pages[1..] {
            let label_lines = texts(page).into_iter().filter(|r| r.role == Role::Continued(2)).count();
            assert!(label_lines <= KEEP_WHOLE);
        }
    }

    #[test]
    fn pagination_adds_furniture_and_content_knows_its_cell() {
        let font = font();
        let mut table = long_span();
        // An empty cell: no text, but still a cell of the table.
        table.cells.push(cell((0, 0), 3, "", None));
        table.widths.push(20.0);
        let mut composer = Composer::new(font, geometry(), "t");
        composer.block = 4;
        composer.table(&table);
        let document = composer.finish("head", "{page}", 8.0);
        for (n, page) in document.pages.iter().enumerate() {
            for run in texts(page) {
                match run.role {
                    // The head is content where the table starts, furniture where it repeats.
                    Role::Header => assert_eq!(run.origin.is_some(), n == 0, "page {n}: {}", run.text),
                    Role::Continued(_) | Role::Footer | Role::RunningHead => assert!(run.origin.is_none(), "{} is furniture", run.text),
                    _ => {
                        let origin = run.origin.as_ref().expect("content has an origin");
                        assert_eq!(origin.block, 4);
                        assert!(!origin.header);
                    }
                }
            }
        }
        // Each indicator line knows its item: two lines an item, the first is item 0.
        let items: Vec<(String, usize)> = document
            .pages
            .iter()
            .flat_map(|p| texts(p).into_iter().filter(|r| r.role == Role::Body(2) && r.origin.is_some()).collect::<Vec<_>>())
            .map(|r| (r.text.clone(), r.origin.as_ref().map_or(99, |o| o.item)))
            .collect();
        assert_eq!(items, [("K01 知識".to_string(), 0), ("K02 知識".to_string(), 1)]);
        // The empty cell draws nothing: its place in the table is the structure tree's (a TD
        // without content, made from the document), not the page's.
        let empty = table.cells.len() - 1;
        let drawn = |i: &Item| match i {
            Item::Text(run) => run.origin.as_ref().is_some_and(|o| o.cell == empty),
            Item::Widget(w) => w.origin.cell == empty,
            _ => false,
        };
        assert!(!document.pages.iter().flat_map(|p| p.items.iter()).any(drawn), "nothing drawn for the empty cell");
    }

    #[test]
    fn a_document_over_the_page_cap_is_flagged() {
        let font = font();
        let mut composer = Composer::new(font, geometry(), "t");
        for _ in 0..MAX_PAGES + 5 {
            composer.new_page();
        }
        composer.table(&long_span());
        let document = composer.finish("h", "{page}", 8.0);
        assert!(document.overflow);
        assert_eq!(document.pages.len(), MAX_PAGES);
    }
}
