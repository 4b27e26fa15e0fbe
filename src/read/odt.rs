//! OpenDocument text (.odt, as the iCAP platform publishes a standard): one streaming pass over
//! `content.xml` turns the tables of `office:text` (merges from `number-rows-spanned`,
//! `number-columns-spanned` and covered cells, repeats counted before they are expanded) and the
//! paragraphs between them into a `Grid`. Read as the document prints: the deleted text kept in
//! `text:tracked-changes`, hidden text (styles with `text:display="none"`), notes, annotations,
//! drawings and text boxes are left out.

use super::document::{Assembly, Block, Events, MAX_NESTING, Place, Skip, Table, TableCell, attribute, stream};
use super::grid::{Error, ErrorKind, Limits, Workbook};
use quick_xml::events::BytesStart;
use std::collections::HashSet;
use std::io::{Cursor, Read};

const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let assembly = Assembly::new(file, limits);
    let content = match content(bytes) {
        Ok(content) => content,
        Err(message) => return Err(assembly.broken("odt", message)),
    };
    let mut reader = OdtReader::new(assembly);
    stream(&content, "content.xml", &mut reader)?;
    Ok(reader.assembly.finish())
}

fn content(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut entry = archive.by_name("content.xml").map_err(|e| format!("content.xml: {e}"))?;
    let mut text = String::new();
    entry.read_to_string(&mut text).map_err(|e| format!("content.xml: {e}"))?;
    Ok(text)
}

/// A count attribute (`number-columns-repeated`, `c`): 1 when absent or unreadable.
fn count(element: &BytesStart<'_>, local: &str) -> u64 {
    attribute(element, local).and_then(|v| v.trim().parse().ok()).unwrap_or(1).max(1)
}

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    Office,
    Text,
    Table,
    Draw,
    Style,
    Other,
}

impl Space {
    fn of(namespace: Option<&str>) -> Space {
        match namespace {
            Some(OFFICE) => Space::Office,
            Some(TEXT) => Space::Text,
            Some(TABLE) => Space::Table,
            Some(DRAW) => Space::Draw,
            Some(STYLE) => Space::Style,
            _ => Space::Other,
        }
    }
}

/// `text:` subtrees that do not print as part of the text: deleted text, note bodies, declarations,
/// ruby annotations, unfilled placeholders.
const SKIPPED_TEXT: [&str; 8] =
    ["tracked-changes", "note", "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls", "ruby-text", "placeholder"];

#[derive(Debug)]
struct OpenRow {
    cells: Vec<TableCell>,
    col: u64,
    repeat: u64,
}

#[derive(Debug)]
struct OpenCell {
    cell: TableCell,
    repeat: u64,
}

/// A table being read: its finished rows, the row and the cell open in it.
#[derive(Debug, Default)]
struct OpenTable {
    rows: Vec<Vec<TableCell>>,
    row: Option<OpenRow>,
    cell: Option<OpenCell>,
}

struct OdtReader<'a> {
    assembly: Assembly<'a>,
    /// The subtree being left out, if any.
    skip: Skip,
    in_body: bool,
    /// The style being declared, and the styles that hide their text (`text:display="none"`).
    style: Option<String>,
    hidden_styles: HashSet<String>,
    paragraph: Option<String>,
    /// White space met since the last character: one space, written before the next character.
    space_pending: bool,
    /// The tables open, outermost first (a table nested in a cell is read inside it).
    tables: Vec<OpenTable>,
}

impl<'a> OdtReader<'a> {
    fn new(assembly: Assembly<'a>) -> OdtReader<'a> {
        OdtReader {
            assembly,
            skip: Skip::default(),
            in_body: false,
            style: None,
            hidden_styles: HashSet::new(),
            paragraph: None,
            space_pending: false,
            tables: Vec::new(),
        }
    }

    /// Where the reader is, for a message.
    fn place(&self) -> Place {
        self.assembly.place(self.tables.first().map(|t| (t.rows.len(), t.row.as_ref().map(|r| r.cells.len()))))
    }

    /// Text written as an element (`text:s`, `text:tab`, `text:line-break`): kept as it is.
    fn push_literal(&mut self, literal: &str) {
        if let Some(paragraph) = &mut self.paragraph {
            if std::mem::take(&mut self.space_pending) {
                paragraph.push(' ');
            }
            paragraph.push_str(literal);
        }
    }

    /// Bytes of the cell or paragraph being read, for the text limit.
    fn pending_len(&self) -> usize {
        let cells: usize = self.tables.iter().filter_map(|t| t.cell.as_ref()).map(|c| c.cell.len()).sum();
        cells + self.paragraph.as_ref().map_or(0, String::len)
    }

    fn paragraph_end(&mut self) -> Result<(), Error> {
        let Some(text) = self.paragraph.take() else { return Ok(()) };
        self.space_pending = false;
        let place = self.place();
        self.assembly.admit_text(self.pending_len() + text.len() + 1, place)?;
        match self.tables.last_mut() {
            None => self.assembly.paragraph(&text),
            Some(table) => {
                if let Some(open) = &mut table.cell {
                    open.cell.push(Block::Paragraph(text));
                }
                Ok(())
            }
        }
    }

    fn table_start(&mut self) -> Result<(), Error> {
        if self.tables.len() as u32 >= MAX_NESTING {
            return Err(self.assembly.error(self.place(), ErrorKind::Nesting { limit: MAX_NESTING }));
        }
        self.tables.push(OpenTable::default());
        Ok(())
    }

    /// A cell and its repeats take their grid columns; an empty cell repeated past the last column
    /// (trailing space some generators write) is not kept.
    fn cell_end(&mut self) -> Result<(), Error> {
        let place = self.place();
        let Some(table) = self.tables.last_mut() else { return Ok(()) };
        let (Some(open), Some(row)) = (table.cell.take(), table.row.as_mut()) else { return Ok(()) };
        let cell = open.cell;
        let blank = cell.text().is_empty() && cell.cols == 1 && cell.rows == 1;
        let room = u64::from(self.assembly.columns_left(row.col));
        let kept = if blank { open.repeat.min(room) } else { open.repeat };
        self.assembly.admit_cells(row.col, kept, 1, place)?;
        if cell.cols > 1 {
            // The columns it covers must lie within the limit too.
            self.assembly.admit_width(row.col, u64::from(cell.cols), place)?;
        }
        for copy in 0..kept {
            let mut copy_cell = cell.clone();
            copy_cell.col = cell.col + copy as u32;
            row.cells.push(copy_cell);
        }
        row.col = row.col.saturating_add(open.repeat);
        Ok(())
    }

    fn row_end(&mut self) -> Result<(), Error> {
        let place = self.place();
        let Some(table) = self.tables.last_mut() else { return Ok(()) };
        let Some(row) = table.row.take() else { return Ok(()) };
        let copies = row.repeat - 1;
        self.assembly.admit_count((row.cells.len() as u64).saturating_mul(copies), place)?;
        for _ in 0..copies {
            table.rows.push(row.cells.clone());
        }
        table.rows.push(row.cells);
        Ok(())
    }

    /// A table ends: an outer one joins the grid, a nested one its cell.
    fn table_end(&mut self) -> Result<(), Error> {
        let Some(table) = self.tables.pop() else { return Ok(()) };
        let table = Table { rows: table.rows };
        if self.tables.is_empty() {
            return self.assembly.table(table);
        }
        if let Some(open) = self.tables.last_mut().and_then(|outer| outer.cell.as_mut()) {
            open.cell.push(Block::Table(table));
        }
        Ok(())
    }
}

impl Events for OdtReader<'_> {
    fn start(&mut self, namespace: Option<&str>, e: &BytesStart<'_>) -> Result<(), Error> {
        let space = Space::of(namespace);
        if self.skip.active() {
            self.skip.open();
            return Ok(());
        }
        let local = e.local_name();
        let local = local.as_ref();
        match (space, local) {
            (Space::Office, "text") => self.in_body = true,
            (Space::Office, "annotation" | "forms") => self.skip.begin(),
            (Space::Draw, _) => {
                self.skip.begin_drawing();
            }
            (Space::Style, "style") => self.style = attribute(e, "name"),
            (Space::Style, "text-properties") if attribute(e, "display").as_deref() == Some("none") => {
                if let Some(style) = &self.style {
                    self.hidden_styles.insert(style.clone());
                }
            }
            _ if !self.in_body => {}
            (Space::Text, _) if SKIPPED_TEXT.contains(&local) => self.skip.begin(),
            // Hidden text (a character or paragraph style with display none) does not print.
            (Space::Text, "span" | "p" | "h") if attribute(e, "style-name").is_some_and(|s| self.hidden_styles.contains(&s)) => {
                self.skip.begin()
            }
            (Space::Text, "p" | "h") => {
                self.paragraph.get_or_insert_with(String::new);
                self.space_pending = false;
            }
            (Space::Text, "s") => {
                let spaces = count(e, "c");
                let place = self.place();
                let len = self.pending_len() as u64 + spaces;
                self.assembly.admit_text(usize::try_from(len).unwrap_or(usize::MAX), place)?;
                self.push_literal(&" ".repeat(spaces as usize));
            }
            (Space::Text, "tab") => self.push_literal("\t"),
            (Space::Text, "line-break") => self.push_literal("\n"),
            (Space::Table, "table") => self.table_start()?,
            (Space::Table, "table-row") => {
                let repeat = count(e, "number-rows-repeated");
                let rows = self.tables.iter().map(|t| t.rows.len()).sum();
                self.assembly.admit_rows(rows, repeat, self.place())?;
                if let Some(table) = self.tables.last_mut() {
                    table.row = Some(OpenRow { cells: Vec::new(), col: 0, repeat });
                }
            }
            (Space::Table, "table-cell" | "covered-table-cell") => {
                if let Some(table) = self.tables.last_mut() {
                    let col = table.row.as_ref().map_or(0, |r| r.col);
                    let mut cell = TableCell::at(u32::try_from(col).unwrap_or(u32::MAX));
                    cell.cols = u32::try_from(count(e, "number-columns-spanned")).unwrap_or(u32::MAX);
                    cell.rows = u32::try_from(count(e, "number-rows-spanned")).unwrap_or(u32::MAX);
                    cell.covered = local == "covered-table-cell";
                    table.cell = Some(OpenCell { cell, repeat: count(e, "number-columns-repeated") });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, namespace: Option<&str>, local: &str) -> Result<(), Error> {
        let space = Space::of(namespace);
        if self.skip.active() {
            if self.skip.close() {
                let place = self.place();
                self.assembly.drawing_text(place);
            }
            return Ok(());
        }
        match (space, local) {
            (Space::Office, "text") => self.in_body = false,
            (Space::Style, "style") => self.style = None,
            (Space::Text, "p" | "h") => self.paragraph_end()?,
            (Space::Table, "table-cell" | "covered-table-cell") => self.cell_end()?,
            (Space::Table, "table-row") => self.row_end()?,
            (Space::Table, "table") => self.table_end()?,
            _ => {}
        }
        Ok(())
    }

    /// Character data of a paragraph: runs of XML white space are one space, none at its start.
    fn text(&mut self, text: &str) -> Result<(), Error> {
        self.skip.saw(text);
        if self.skip.active() || self.paragraph.is_none() {
            return Ok(());
        }
        let place = self.place();
        self.assembly.admit_text(self.pending_len() + text.len(), place)?;
        let Some(paragraph) = &mut self.paragraph else { return Ok(()) };
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\r' | '\n') {
                self.space_pending = !paragraph.is_empty();
            } else {
                if std::mem::take(&mut self.space_pending) {
                    paragraph.push(' ');
                }
                paragraph.push(c);
            }
        }
        Ok(())
    }

    fn broken(&self, message: String) -> Error {
        self.assembly.broken("odt", message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;
    use crate::read::Grid;
    use crate::read::document::zip_of;

    fn workbook(styles: &str, body: &str, limits: &Limits) -> Result<Workbook, Error> {
        let xml = format!(
            r#"<o:document-content xmlns:o="{OFFICE}" xmlns:t="{TEXT}" xmlns:tb="{TABLE}" xmlns:d="{DRAW}" xmlns:s="{STYLE}"><o:automatic-styles>{styles}</o:automatic-styles><o:body><o:text>{body}</o:text></o:body></o:document-content>"#
        );
        read("t.odt", &zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", &xml)]), limits)
    }

    fn grid(body: &str) -> Grid {
        workbook("", body, &Limits::default()).unwrap_or_else(|e| panic!("{e}")).grids.remove(0)
    }

    fn texts(grid: &Grid) -> Vec<&str> {
        (0..grid.height()).map(|row| grid.text(row, 0)).collect()
    }

    #[test]
    fn white_space_as_odf_defines_it() {
        let grid = grid("<t:p>\n   T1   協助\n提案 <t:s/>企劃 </t:p><t:p>K01<t:s t:c=\"3\"/>x<t:tab/>y<t:line-break/>z &amp; &#x41;</t:p>");
        assert_eq!(texts(&grid), ["T1 協助 提案  企劃", "K01   x\ty\nz & A"], "any prefix: the namespaces decide");
    }

    #[test]
    fn what_does_not_print_is_left_out() {
        let styles = r#"<s:style s:name="T9" s:family="text"><s:text-properties t:display="none"/></s:style>"#;
        let body = r#"<t:tracked-changes><t:changed-region><t:deletion><t:p>deleted</t:p></t:deletion></t:changed-region></t:tracked-changes>
            <t:p>調閱<t:change t:change-id="c1"/><t:change-start t:change-id="c2"/>以往<t:change-end t:change-id="c2"/>檔案<t:note><t:note-citation>1</t:note-citation><t:note-body><t:p>footnote</t:p></t:note-body></t:note></t:p>
            <t:p>text<o:annotation><t:p>comment</t:p></o:annotation><d:frame><d:text-box><t:p>box</t:p></d:text-box></d:frame><t:span t:style-name="T9">hidden</t:span><t:soft-page-break/> shown</t:p>
            <t:p t:style-name="T9">hidden paragraph</t:p>"#;
        let workbook = workbook(styles, body, &Limits::default()).unwrap();
        assert_eq!(texts(&workbook.grids[0]), ["調閱以往檔案", "text shown"]);
        assert!(
            workbook.notes.iter().any(|n| n.rule == "drawing-text" && (n.sheet.as_str(), n.cell.as_deref()) == ("段落2", None)),
            "{:?}",
            workbook.notes
        );
    }

    #[test]
    fn spans_covered_cells_and_repeats() {
        let body = r#"<t:h>Title</t:h><tb:table><tb:table-column tb:number-columns-repeated="3"/>
            <tb:table-header-rows><tb:table-row><tb:table-cell><t:p>主要職責</t:p></tb:table-cell><tb:table-cell tb:number-columns-spanned="2"><t:p>wide</t:p></tb:table-cell><tb:covered-table-cell/></tb:table-row></tb:table-header-rows>
            <t:soft-page-break/>
            <tb:table-row><tb:table-cell tb:number-rows-spanned="3"><t:p>T1</t:p><t:list><t:list-item><t:p>duty</t:p></t:list-item></t:list></tb:table-cell><tb:table-cell tb:number-columns-repeated="2"><t:p>r</t:p></tb:table-cell><tb:table-cell tb:number-columns-repeated="1000"/></tb:table-row>
            <tb:table-row tb:number-rows-repeated="2"><tb:covered-table-cell><t:p>typed under</t:p></tb:covered-table-cell><tb:table-cell><t:p>a</t:p></tb:table-cell><tb:table-cell/></tb:table-row>
            </tb:table><t:p>說明與補充事項</t:p>"#;
        let grid = grid(body);
        assert_eq!(texts(&grid), ["Title", "主要職責", "T1\nduty\ntyped under\ntyped under", "", "", "說明與補充事項"]);
        assert_eq!((grid.text(2, 1), grid.text(2, 2), grid.text(3, 1), grid.text(4, 1)), ("r", "r", "a", "a"));
        assert_eq!(grid.merge_at(4, 0).map(|m| (m.first, m.last)), Some((Cell { row: 2, col: 0 }, Cell { row: 4, col: 0 })));
        assert_eq!(grid.merge_at(1, 2).map(|m| m.first), Some(Cell { row: 1, col: 1 }));
        let places = grid.places.as_ref().unwrap();
        assert_eq!(places.name(Cell { row: 3, col: 1 }), Some(("表1".into(), Some("R3C2".into()))));
        assert_eq!(places.name(Cell { row: 5, col: 0 }), Some(("段落2".into(), None)));
    }

    #[test]
    fn nested_tables_are_lines_of_their_cell() {
        let body = r#"<tb:table><tb:table-row><tb:table-cell><t:p>知識</t:p><tb:table><tb:table-row><tb:table-cell><t:p>K01 a</t:p></tb:table-cell><tb:table-cell><t:p>K02 b</t:p></tb:table-cell></tb:table-row></tb:table></tb:table-cell><tb:table-cell><t:p>S01</t:p></tb:table-cell></tb:table-row></tb:table>"#;
        let workbook = workbook("", body, &Limits::default()).unwrap();
        assert_eq!((workbook.grids[0].text(0, 0), workbook.grids[0].text(0, 1)), ("知識\nK01 a\tK02 b", "S01"));
        assert!(workbook.notes.iter().any(|n| n.rule == "nested-table" && (n.sheet.as_str(), n.cell.as_deref()) == ("表1", Some("R1C1"))));
    }

    #[test]
    fn repeats_are_counted_before_they_are_expanded() {
        let limits = Limits { rows: 100, cells: 50, ..Limits::default() };
        let rows = r#"<tb:table><tb:table-row tb:number-rows-repeated="101"><tb:table-cell><t:p>x</t:p></tb:table-cell></tb:table-row></tb:table>"#;
        let error = workbook("", rows, &limits).err().unwrap().to_string();
        assert!(error.starts_with("t.odt:表1!R1C1: the cell is beyond the limit of 100 rows"), "{error}");
        let cells = r#"<tb:table><tb:table-row tb:number-rows-repeated="30"><tb:table-cell tb:number-columns-repeated="2"><t:p>x</t:p></tb:table-cell></tb:table-row></tb:table>"#;
        let error = workbook("", cells, &limits).err().unwrap().to_string();
        assert!(error.contains("over 50 non-empty cells"), "{error}");
        let span = r#"<tb:table><tb:table-row><tb:table-cell tb:number-columns-spanned="4000000000" tb:number-rows-spanned="4000000000"><t:p>x</t:p></tb:table-cell></tb:table-row></tb:table>"#;
        let error = workbook("", span, &limits).err().unwrap().to_string();
        assert!(error.starts_with("t.odt:表1!R1C1: the cell is beyond"), "a span past the last column: {error}");
        let truncated = "<t:p>cut";
        let error = workbook("", truncated, &limits).err().unwrap().to_string();
        assert!(error.contains("not a readable odt document"), "{error}");
    }
}
