//! What the text-document readers (.odt, .docx) share: the tables and paragraphs they find become
//! one `Grid` in document order, with the place of every row so that a cell is named as a clerk finds
//! it (`表2!R5C3`, `段落12`), and the limits counted before anything is allocated.

use super::grid::{Error, ErrorKind, Grid, Limits, Merge, Workbook};
use crate::diag::Diagnostic;
use crate::i18n::Message;
use crate::model::{Cell, Places, RowPlace};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::fmt;
use std::sync::Arc;

/// Tables nested deeper than this inside cells make the file unreadable. One level (a small table
/// typed into a cell) is common in forms and is read as lines of its cell; a table of one cell
/// around the whole form (a frame) is read as the paragraphs and tables inside it.
pub(super) const MAX_NESTING: u32 = 8;

/// A table as read from the document, merges not yet applied: rows in document order (deleted rows
/// already dropped), each with its cells at their grid columns.
#[derive(Debug, Default, Clone)]
pub(super) struct Table {
    pub rows: Vec<Vec<TableCell>>,
}

/// What a cell holds, in order: paragraphs and tables nested in it.
#[derive(Debug, Clone)]
pub(super) enum Block {
    Paragraph(String),
    Table(Table),
}

/// One cell of a table row.
#[derive(Debug, Clone, Default)]
pub(super) struct TableCell {
    /// The first grid column it occupies.
    pub col: u32,
    /// Grid columns and rows it spans (1 when not merged).
    pub cols: u32,
    pub rows: u32,
    /// Hidden under a merged cell (ODT `covered-table-cell`, DOCX `vMerge` continue). Text typed
    /// into it is kept: it joins the merged cell's text.
    pub covered: bool,
    blocks: Vec<Block>,
    /// Bytes of text in its blocks, kept as they are added (for the text limit, in constant time).
    len: usize,
}

impl TableCell {
    pub fn at(col: u32) -> TableCell {
        TableCell { col, cols: 1, rows: 1, covered: false, blocks: Vec::new(), len: 0 }
    }

    /// Bytes of text in the cell so far (a line break counted as one).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Add a paragraph or a nested table.
    pub fn push(&mut self, block: Block) {
        self.len += match &block {
            Block::Paragraph(text) => text.len() + 1,
            Block::Table(table) => table.rows.iter().flatten().map(TableCell::len).sum(),
        };
        self.blocks.push(block);
    }

    /// Add what another cell holds (a cell merged into this one).
    pub fn append(&mut self, other: TableCell) {
        for block in other.blocks {
            self.push(block);
        }
    }

    /// The cell as text: its paragraphs joined by `\n`, each row of a nested table a further line,
    /// its filled cells joined by tabs (a small table typed into a cell, such as related
    /// occupations and their codes in the notes, stays one row a line; a cell's own line breaks
    /// become spaces there, so the row stays one line).
    pub fn text(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => lines.push(text.clone()),
                Block::Table(table) => {
                    for row in &table.rows {
                        let cells: Vec<String> = row.iter().map(TableCell::text).filter(|t| !t.trim().is_empty()).collect();
                        match cells.as_slice() {
                            [] => {}
                            [one] => lines.push(one.clone()),
                            many => lines.push(
                                many.iter()
                                    .map(|c| c.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                                    .collect::<Vec<_>>()
                                    .join("\t"),
                            ),
                        }
                    }
                }
            }
        }
        let text = lines.join("\n");
        text.trim_end().to_string()
    }

    fn has_table(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, Block::Table(_)))
    }
}

/// A place in the document while it is being read, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Table `table`, row `row`, cell `cell` (all from 1; cells counted as they appear in the row).
    Cell { table: u32, row: u32, cell: u32 },
    /// The `n`th non-empty paragraph outside the tables.
    Paragraph(u32),
}

impl fmt::Display for Place {
    /// As a reference in an error message: `表2!R5C3`, `段落12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Cell { table, row, cell } => write!(f, "表{table}!R{row}C{cell}"),
            Place::Paragraph(n) => write!(f, "段落{n}"),
        }
    }
}

/// The grid being assembled from a document, with the running counts checked against the limits.
pub(super) struct Assembly<'a> {
    file: &'a str,
    limits: &'a Limits,
    rows: Vec<Vec<String>>,
    merges: Vec<Merge>,
    places: Vec<RowPlace>,
    tables: u32,
    paragraphs: u32,
    cells: u64,
    notes: Vec<Diagnostic>,
}

impl<'a> Assembly<'a> {
    pub fn new(file: &'a str, limits: &'a Limits) -> Assembly<'a> {
        Assembly {
            file,
            limits,
            rows: Vec::new(),
            merges: Vec::new(),
            places: Vec::new(),
            tables: 0,
            paragraphs: 0,
            cells: 0,
            notes: Vec::new(),
        }
    }

    /// The error for a place in the document; the place takes the sheet's slot (`file:表2!R5C3`).
    pub fn error(&self, place: Place, kind: ErrorKind) -> Error {
        Error::at(self.file, &place.to_string(), None, kind)
    }

    /// The error for the file as a whole (malformed XML, a broken zip).
    pub fn broken(&self, format: &'static str, message: impl fmt::Display) -> Error {
        Error::new(self.file, ErrorKind::Document { format, message: message.to_string() })
    }

    /// A note about a place in the document, located there as the layout's findings are
    /// (`file:表3!R14C6: …`, `file:段落2: …`).
    pub fn note(&mut self, place: Place, note: Diagnostic) {
        let (sheet, cell) = match place {
            Place::Cell { table, row, cell } => (format!("表{table}"), Some(format!("R{row}C{cell}"))),
            Place::Paragraph(n) => (format!("段落{n}"), None),
        };
        self.notes.push(Diagnostic { cell, ..note.located(self.file, &sheet) });
    }

    /// A drawing or text box with text was left out: say where, so that nothing is lost silently.
    pub fn drawing_text(&mut self, place: Place) {
        self.note(place, Diagnostic::warning("drawing-text", None, Message::new("drawing-text")));
    }

    /// The number the table being read will get.
    pub fn next_table(&self) -> u32 {
        self.tables + 1
    }

    /// Where a reader is: in the outermost open table, after `rows` finished rows and, in the row
    /// being read, `cells` finished cells; outside the tables (`None`), at the next paragraph.
    pub fn place(&self, table: Option<(usize, Option<usize>)>) -> Place {
        match table {
            Some((rows, cells)) => Place::Cell { table: self.next_table(), row: rows as u32 + 1, cell: cells.map_or(1, |c| c as u32 + 1) },
            None => self.next_paragraph(),
        }
    }

    /// The place of the next paragraph outside the tables.
    pub fn next_paragraph(&self) -> Place {
        Place::Paragraph(self.paragraphs + 1)
    }

    /// Grid columns left within the limit from column `col` on.
    pub fn columns_left(&self, col: u64) -> u32 {
        u32::try_from(u64::from(self.limits.cols).saturating_sub(col)).unwrap_or(0)
    }

    /// Admit `count` more rows of the table being read, which has `so_far` rows already.
    pub fn admit_rows(&self, so_far: usize, count: u64, place: Place) -> Result<(), Error> {
        let total = (self.rows.len() as u64).saturating_add(so_far as u64).saturating_add(count);
        if total > u64::from(self.limits.rows) {
            return Err(self.error(place, ErrorKind::CellOutOfRange { rows: self.limits.rows, cols: self.limits.cols }));
        }
        Ok(())
    }

    /// Admit `count` cells starting at grid column `col`, each spanning `span` columns.
    pub fn admit_cells(&mut self, col: u64, count: u64, span: u64, place: Place) -> Result<(), Error> {
        self.admit_width(col, count.saturating_mul(span.max(1)), place)?;
        self.admit_count(count, place)
    }

    /// Admit grid columns `col` to `col + width - 1` (a cell, or the span of one).
    pub fn admit_width(&self, col: u64, width: u64, place: Place) -> Result<(), Error> {
        if col.saturating_add(width) > u64::from(self.limits.cols) {
            return Err(self.error(place, ErrorKind::CellOutOfRange { rows: self.limits.rows, cols: self.limits.cols }));
        }
        Ok(())
    }

    /// Count `count` more cells (a repeated row's copies) against the limit of the file.
    pub fn admit_count(&mut self, count: u64, place: Place) -> Result<(), Error> {
        self.cells = self.cells.saturating_add(count);
        if self.cells > self.limits.cells {
            return Err(self.error(place, ErrorKind::TooManyCells { limit: self.limits.cells }));
        }
        Ok(())
    }

    /// Admit a cell's or paragraph's text growing to `len` bytes.
    pub fn admit_text(&self, len: usize, place: Place) -> Result<(), Error> {
        if len > self.limits.cell_len {
            return Err(self.error(place, ErrorKind::CellTooLong { len, limit: self.limits.cell_len }));
        }
        Ok(())
    }

    /// A paragraph outside the tables: a row of its own, its text in the first column.
    pub fn paragraph(&mut self, text: &str) -> Result<(), Error> {
        let text = text.trim_end();
        if text.trim().is_empty() {
            return Ok(());
        }
        let place = self.next_paragraph();
        self.admit_rows(0, 1, place)?;
        self.admit_cells(0, 1, 1, place)?;
        self.paragraphs += 1;
        self.rows.push(vec![text.to_string()]);
        self.places.push(RowPlace::Paragraph(self.paragraphs));
        Ok(())
    }

    /// A whole table. A frame (one cell around tables) gives way to what it holds; any other
    /// table's rows join the grid, nested tables read as lines of their cell.
    pub fn table(&mut self, table: Table) -> Result<(), Error> {
        match frame(table) {
            Ok(blocks) => {
                for block in blocks {
                    match block {
                        Block::Paragraph(text) => self.paragraph(&text)?,
                        Block::Table(table) => self.table(table)?,
                    }
                }
                Ok(())
            }
            Err(table) => self.grid_table(table),
        }
    }

    /// A table's rows join the grid, merged cells become merged ranges, and text typed into a
    /// covered cell joins the cell that covers it. One pass, with the merge covering each column
    /// kept as the rows go by.
    fn grid_table(&mut self, table: Table) -> Result<(), Error> {
        self.tables += 1;
        let top = self.rows.len() as u32;
        let height = table.rows.len() as u32;
        let width = table.rows.iter().flatten().map(|c| c.col.saturating_add(c.cols) as usize).max().unwrap_or(0);
        let mut active: Vec<Option<usize>> = vec![None; width];
        for (r, row) in table.rows.into_iter().enumerate() {
            let grid_row = top + r as u32;
            for cell in row.iter().filter(|c| !c.covered && (c.rows > 1 || c.cols > 1)) {
                let last_row = (r as u32).saturating_add(cell.rows - 1).min(height - 1);
                let last = Cell { row: top + last_row, col: cell.col.saturating_add(cell.cols - 1) };
                active[cell.col as usize..=last.col as usize].fill(Some(self.merges.len()));
                self.merges.push(Merge { first: Cell { row: grid_row, col: cell.col }, last });
            }
            let covering =
                |col: u32| active.get(col as usize).copied().flatten().map(|i| self.merges[i]).filter(|m| m.last.row >= grid_row);
            let mut texts = Vec::new();
            let mut starts = Vec::new();
            let mut hidden = Vec::new();
            let mut nested = Vec::new();
            for (n, cell) in row.iter().enumerate() {
                let place = Place::Cell { table: self.tables, row: r as u32 + 1, cell: n as u32 + 1 };
                let text = cell.text();
                self.admit_text(text.len(), place)?;
                if cell.has_table() {
                    nested.push(place);
                }
                let merge = if cell.covered { covering(cell.col) } else { None };
                starts.push(merge.map_or(cell.col, |m| m.first.col));
                match merge {
                    None => set(&mut texts, cell.col, &text),
                    Some(m) if !text.trim().is_empty() => hidden.push((m.first, text)),
                    Some(_) => {}
                }
            }
            for place in nested {
                self.note(place, Diagnostic::info("nested-table", None, Message::new("nested-table")));
            }
            starts.sort_unstable();
            starts.dedup();
            self.rows.push(texts);
            self.places.push(RowPlace::Table { table: self.tables, row: r as u32 + 1, starts });
            // Text under a merge joins the merged cell, below what it holds.
            for (anchor, text) in hidden {
                let anchor_row = &mut self.rows[anchor.row as usize];
                let mut joined = anchor_row.get(anchor.col as usize).cloned().unwrap_or_default();
                if !joined.trim().is_empty() {
                    joined.push('\n');
                }
                joined.push_str(&text);
                set(anchor_row, anchor.col, &joined);
            }
        }
        Ok(())
    }

    /// The document as one grid (its sheet name empty: a document has no sheets), with its notes.
    pub fn finish(self) -> Workbook {
        let mut grid = Grid::new("", self.rows, self.merges, true);
        grid.places = Some(Arc::new(Places { rows: self.places }));
        Workbook { grids: vec![grid], notes: self.notes }
    }
}

/// A subtree being left out (deleted text, properties, a drawing): how deep the reader is in it,
/// and for a drawing or text box whether it holds text, which is reported rather than lost silently.
#[derive(Debug, Default)]
pub(super) struct Skip {
    depth: u32,
    drawing: Option<bool>,
}

impl Skip {
    pub fn active(&self) -> bool {
        self.depth > 0
    }

    /// Leave out the element just opened and all it holds.
    pub fn begin(&mut self) {
        self.depth = 1;
    }

    /// Leave out a drawing or text box, noting whether it holds text.
    pub fn begin_drawing(&mut self) {
        self.depth = 1;
        self.drawing = Some(false);
    }

    /// An element opens inside the subtree.
    pub fn open(&mut self) {
        self.depth += 1;
    }

    /// An element closes inside the subtree; true when that ends a drawing that held text.
    pub fn close(&mut self) -> bool {
        self.depth = self.depth.saturating_sub(1);
        self.depth == 0 && self.drawing.take() == Some(true)
    }

    /// Character data met anywhere: in a drawing being left out, it is text that will not be read.
    pub fn saw(&mut self, text: &str) {
        if let Some(has_text) = &mut self.drawing {
            *has_text |= !text.trim().is_empty();
        }
    }
}

/// What a format's reader does with the events of its main XML part. Elements come with the
/// namespace they are bound to, so that any prefix reads the same.
pub(super) trait Events {
    fn start(&mut self, namespace: Option<&str>, element: &BytesStart<'_>) -> Result<(), Error>;
    fn end(&mut self, namespace: Option<&str>, local: &str) -> Result<(), Error>;
    /// Character data, entities resolved.
    fn text(&mut self, text: &str) -> Result<(), Error>;
    /// The error for a part that is not well-formed.
    fn broken(&self, message: String) -> Error;
}

/// Stream an XML part (`part` names it in messages) through a reader: an empty element is a start
/// and an end, and a part that stops inside an element is an error (a truncated file).
pub(super) fn stream(xml: &str, part: &str, events: &mut impl Events) -> Result<(), Error> {
    let mut reader = NsReader::from_str(xml);
    let mut open: u64 = 0;
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| events.broken(format!("{part}: {e}")))?;
        let namespace = match ns {
            ResolveResult::Bound(ns) => Some(ns.0),
            _ => None,
        };
        match event {
            Event::Start(e) => {
                open += 1;
                events.start(namespace, &e)?;
            }
            Event::Empty(e) => {
                events.start(namespace, &e)?;
                events.end(namespace, e.local_name().as_ref())?;
            }
            Event::End(e) => {
                open = open.saturating_sub(1);
                events.end(namespace, e.local_name().as_ref())?;
            }
            Event::Text(t) => events.text(&t.xml10_content())?,
            Event::CData(t) => events.text(&t.xml10_content())?,
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default().to_string(),
                };
                events.text(&resolved)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if open > 0 {
        return Err(events.broken(format!("{part} ends in the middle of the document (a truncated file?)")));
    }
    Ok(())
}

/// An attribute's value by its local name (`w:val` → `val`, `table:number-rows-spanned`).
pub(super) fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The content of a frame: a table of one cell that holds a table (a border drawn around a form).
fn frame(table: Table) -> Result<Vec<Block>, Table> {
    let is_frame = matches!(table.rows.as_slice(), [row] if matches!(row.as_slice(), [cell] if cell.has_table()));
    if !is_frame {
        return Err(table);
    }
    Ok(table.rows.into_iter().flatten().flat_map(|cell| cell.blocks).collect())
}

/// Put text at a column of a row, growing the row as needed.
fn set(row: &mut Vec<String>, col: u32, text: &str) {
    let col = col as usize;
    if row.len() <= col {
        row.resize(col + 1, String::new());
    }
    row[col] = text.trim_end().to_string();
}

/// Whether an on/off attribute value (`w:val` of a toggle) means on: absent, `true`, `1` or `on`.
pub(super) fn is_on(value: Option<&str>) -> bool {
    !matches!(value, Some("false" | "0" | "off"))
}

/// A zip of the given entries, the first one stored (an ODF mimetype), for the readers' tests.
#[cfg(test)]
pub(super) fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, (name, text)) in files.iter().enumerate() {
        let method = if i == 0 { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        writer.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).expect("zip entry");
        writer.write_all(text.as_bytes()).expect("zip write");
    }
    writer.finish().expect("zip").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(col: u32, text: &str) -> TableCell {
        let mut cell = TableCell::at(col);
        cell.push(Block::Paragraph(text.to_string()));
        cell
    }

    #[test]
    fn tables_and_paragraphs_are_rows_in_document_order() {
        let limits = Limits::default();
        let mut assembly = Assembly::new("a.docx", &limits);
        assembly.paragraph("Title").unwrap();
        assembly.paragraph("   ").unwrap();
        let mut duty = cell(0, "T1 duty");
        duty.rows = 2;
        let covered = TableCell { covered: true, ..cell(0, "typed under the merge") };
        let mut wide = cell(1, "wide");
        wide.cols = 2;
        assembly.table(Table { rows: vec![vec![duty, wide, cell(3, "x")], vec![covered, cell(1, "b"), cell(2, "c")]] }).unwrap();
        assembly.paragraph("Notes").unwrap();
        let workbook = assembly.finish();
        let grid = &workbook.grids[0];
        assert_eq!(grid.text(0, 0), "Title");
        assert_eq!(grid.text(1, 0), "T1 duty\ntyped under the merge");
        assert_eq!(grid.text(2, 0), "", "the covered cell's text joined the merged one");
        assert_eq!(grid.text(3, 0), "Notes");
        assert_eq!(grid.merge_at(2, 0).map(|m| m.first), Some(Cell { row: 1, col: 0 }));
        let places = grid.places.as_ref().unwrap();
        assert_eq!(places.name(Cell { row: 1, col: 3 }), Some(("表1".into(), Some("R1C3".into()))), "the wide cell counts once");
        assert_eq!(places.name(Cell { row: 2, col: 2 }), Some(("表1".into(), Some("R2C3".into()))));
        assert_eq!(places.name(Cell { row: 3, col: 0 }), Some(("段落2".into(), None)), "the blank paragraph is not counted");
    }

    #[test]
    fn limits_are_counted_before_allocating() {
        let limits = Limits { rows: 10, cols: 5, cells: 3, cell_len: 4, ..Limits::default() };
        let mut assembly = Assembly::new("a.odt", &limits);
        let place = Place::Cell { table: 1, row: 2, cell: 3 };
        assert!(assembly.admit_rows(5, 1_000_000, place).unwrap_err().to_string().starts_with("a.odt:表1!R2C3: "));
        assert!(assembly.admit_cells(4, 1, 2, place).is_err(), "a span past the last column");
        assert!(assembly.admit_text(5, place).is_err());
        assembly.admit_cells(0, 3, 1, place).unwrap();
        assert!(matches!(assembly.admit_cells(0, 1, 1, place).unwrap_err().kind, ErrorKind::TooManyCells { .. }));
    }
}
