//! Word documents (.docx): one streaming pass over the main document part turns its tables (merges
//! from `gridSpan`, `vMerge`, `hMerge`) and the paragraphs between them into a `Grid`, read as the
//! document prints: tracked insertions kept, deletions dropped, field instructions, hidden text,
//! drawings and properties left out. Elements are matched by namespace and local name, so Strict
//! OOXML and any prefix read the same.

use super::document::{Assembly, Block, Events, MAX_NESTING, Place, Skip, Table, TableCell, attribute, is_on, stream};
use super::grid::{Error, ErrorKind, Limits, Workbook};
use crate::diag::Diagnostic;
use crate::i18n::Message;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

const WORD: [&str; 2] =
    ["http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"];
const COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let assembly = Assembly::new(file, limits);
    let (part, xml) = match main_part(bytes) {
        Ok(found) => found,
        Err(message) => return Err(assembly.broken("docx", message)),
    };
    let mut reader = DocxReader::new(assembly);
    stream(&xml, &part, &mut reader)?;
    Ok(reader.assembly.finish())
}

/// The main document part, its name and text: the target of the `officeDocument` relationship,
/// else `word/document.xml`.
fn main_part(bytes: &[u8]) -> Result<(String, String), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut name = "word/document.xml".to_string();
    if let Ok(rels) = entry_text(&mut archive, "_rels/.rels")
        && let Some(target) = office_document_target(&rels)
    {
        name = target.trim_start_matches('/').to_string();
    }
    let xml = entry_text(&mut archive, &name)?;
    Ok((name, xml))
}

fn entry_text(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let mut entry = archive.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut text = String::new();
    entry.read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
    Ok(text)
}

fn office_document_target(rels: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(rels);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let kind = attribute(&e, "Type").unwrap_or_default();
                if kind.ends_with("/officeDocument") {
                    return attribute(&e, "Target");
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn number(element: &BytesStart<'_>) -> u32 {
    attribute(element, "val").and_then(|v| v.trim().parse().ok()).unwrap_or(1)
}

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    Word,
    Compatibility,
    Other,
}

impl Space {
    fn of(namespace: Option<&str>) -> Space {
        match namespace {
            Some(ns) if WORD.contains(&ns) => Space::Word,
            Some(COMPATIBILITY) => Space::Compatibility,
            _ => Space::Other,
        }
    }
}

/// Subtrees that do not print or hold no text of the document: deleted text, field instructions,
/// properties and their tracked changes, ruby annotations. (Drawings and text boxes are skipped too,
/// and reported when they hold text.)
const SKIPPED: [&str; 18] = [
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "delInstrText",
    "sdtEndPr",
    "rPrChange",
    "pPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "tblGridChange",
    "sectPr",
    "tblPr",
    "tblPrEx",
    "tblGrid",
    "rt",
];

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    /// The paragraph mark is a tracked deletion: the paragraph joins the next one.
    mark_deleted: bool,
}

#[derive(Debug)]
struct OpenCell {
    cell: TableCell,
    vmerge: VMerge,
    /// A legacy `hMerge` continuation: the cell widens the one before it.
    hmerge: bool,
    deleted: bool,
}

#[derive(Debug, Default)]
struct OpenRow {
    cells: Vec<(TableCell, VMerge)>,
    next_col: u32,
    deleted: bool,
}

/// A table being read: its finished rows, the row and the cell open in it.
#[derive(Debug, Default)]
struct OpenTable {
    rows: Vec<Vec<(TableCell, VMerge)>>,
    row: Option<OpenRow>,
    cell: Option<OpenCell>,
}

struct DocxReader<'a> {
    assembly: Assembly<'a>,
    /// The subtree being left out, if any.
    skip: Skip,
    paragraph: Option<Paragraph>,
    /// Text of paragraphs whose mark was deleted, waiting for the paragraph they join.
    carry: String,
    /// Inside `w:t`: its text so far and whether its spaces are kept (`xml:space="preserve"`).
    text: Option<(String, bool)>,
    hidden_run: bool,
    in_ppr: bool,
    in_rpr: bool,
    in_trpr: bool,
    in_tcpr: bool,
    /// One entry per open content control (`w:sdt`): whether it shows its placeholder.
    controls: Vec<bool>,
    in_sdt_pr: bool,
    /// One entry per open complex field: whether its instruction (not yet its result) is being read.
    fields: Vec<bool>,
    /// The tables open, outermost first (a table nested in a cell is read inside it).
    tables: Vec<OpenTable>,
}

impl<'a> DocxReader<'a> {
    fn new(assembly: Assembly<'a>) -> DocxReader<'a> {
        DocxReader {
            assembly,
            skip: Skip::default(),
            paragraph: None,
            carry: String::new(),
            text: None,
            hidden_run: false,
            in_ppr: false,
            in_rpr: false,
            in_trpr: false,
            in_tcpr: false,
            controls: Vec::new(),
            in_sdt_pr: false,
            fields: Vec::new(),
            tables: Vec::new(),
        }
    }

    /// Where the reader is, for a message.
    fn place(&self) -> Place {
        self.assembly.place(self.tables.first().map(|t| (t.rows.len(), t.row.as_ref().map(|r| r.cells.len()))))
    }

    fn inner(&mut self) -> Option<&mut OpenTable> {
        self.tables.last_mut()
    }

    fn inner_row(&mut self) -> Option<&mut OpenRow> {
        self.tables.last_mut().and_then(|t| t.row.as_mut())
    }

    fn inner_cell(&mut self) -> Option<&mut OpenCell> {
        self.tables.last_mut().and_then(|t| t.cell.as_mut())
    }

    fn word_start(&mut self, local: &str, e: &BytesStart<'_>) -> Result<(), Error> {
        match local {
            "p" => {
                self.paragraph.get_or_insert_with(Paragraph::default);
            }
            "pPr" => self.in_ppr = true,
            "rPr" => self.in_rpr = true,
            "r" => self.hidden_run = false,
            "vanish" if self.in_rpr && !self.in_ppr => self.hidden_run = is_on(attribute(e, "val").as_deref()),
            "del" | "moveFrom" if self.in_ppr && self.in_rpr => {
                if let Some(paragraph) = &mut self.paragraph {
                    paragraph.mark_deleted = true;
                }
            }
            "del" if self.in_trpr => {
                if let Some(row) = self.inner_row() {
                    row.deleted = true;
                }
            }
            "cellDel" if self.in_tcpr => {
                if let Some(cell) = self.inner_cell() {
                    cell.deleted = true;
                }
            }
            "sdt" => self.controls.push(false),
            "sdtPr" => {
                self.skip.begin();
                self.in_sdt_pr = true;
            }
            "sdtContent" if self.controls.last() == Some(&true) => self.skip.begin(),
            "drawing" | "pict" | "object" => {
                self.skip.begin_drawing();
            }
            _ if SKIPPED.contains(&local) => self.skip.begin(),
            "t" => self.text = Some((String::new(), attribute(e, "space").as_deref() == Some("preserve"))),
            "tab" | "ptab" if !self.in_ppr => self.push("\t")?,
            "br" | "cr" => self.push("\n")?,
            "noBreakHyphen" => self.push("-")?,
            "fldChar" => match attribute(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(instruction) = self.fields.last_mut() {
                        *instruction = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "altChunk" => {
                self.assembly.note(self.place(), Diagnostic::warning("embedded-content", None, Message::new("embedded-content")));
            }
            "tbl" => self.table_start()?,
            "tr" => {
                let place = self.place();
                let rows = self.tables.iter().map(|t| t.rows.len()).sum();
                self.assembly.admit_rows(rows, 1, place)?;
                if let Some(table) = self.inner() {
                    table.row = Some(OpenRow::default());
                }
            }
            "trPr" => self.in_trpr = true,
            "gridBefore" if self.in_trpr => {
                if let Some(row) = self.inner_row() {
                    row.next_col = row.next_col.saturating_add(number(e));
                }
            }
            "tc" => {
                if let Some(table) = self.inner() {
                    let col = table.row.as_ref().map_or(0, |r| r.next_col);
                    table.cell = Some(OpenCell { cell: TableCell::at(col), vmerge: VMerge::None, hmerge: false, deleted: false });
                }
            }
            "tcPr" => self.in_tcpr = true,
            "gridSpan" if self.in_tcpr => {
                if let Some(cell) = self.inner_cell() {
                    cell.cell.cols = number(e).max(1);
                }
            }
            "vMerge" if self.in_tcpr => {
                if let Some(cell) = self.inner_cell() {
                    cell.vmerge = if attribute(e, "val").as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue };
                }
            }
            "hMerge" if self.in_tcpr => {
                if let Some(cell) = self.inner_cell() {
                    cell.hmerge = attribute(e, "val").as_deref() != Some("restart");
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Add printed text to the paragraph.
    fn push(&mut self, text: &str) -> Result<(), Error> {
        if self.hidden_run || self.fields.last() == Some(&true) {
            return Ok(());
        }
        let place = self.place();
        self.assembly.admit_text(self.pending_len() + text.len(), place)?;
        if let Some(paragraph) = &mut self.paragraph {
            paragraph.text.push_str(text);
        }
        Ok(())
    }

    /// Bytes of the cell or paragraph being read, for the text limit.
    fn pending_len(&self) -> usize {
        let cell: usize = self.tables.iter().filter_map(|t| t.cell.as_ref()).map(|c| c.cell.len()).sum();
        let paragraph = self.paragraph.as_ref().map_or(0, |p| p.text.len());
        let run = self.text.as_ref().map_or(0, |(t, _)| t.len());
        cell + paragraph + run + self.carry.len()
    }

    fn paragraph_end(&mut self) -> Result<(), Error> {
        let Some(paragraph) = self.paragraph.take() else { return Ok(()) };
        if paragraph.mark_deleted {
            self.carry.push_str(&paragraph.text);
            return Ok(());
        }
        let text = std::mem::take(&mut self.carry) + &paragraph.text;
        self.deliver(&text)
    }

    /// A finished paragraph goes to the cell being read, or becomes a row of its own.
    fn deliver(&mut self, text: &str) -> Result<(), Error> {
        if self.tables.is_empty() {
            return self.assembly.paragraph(text);
        }
        let place = self.place();
        self.assembly.admit_text(self.pending_len() + text.len() + 1, place)?;
        if let Some(cell) = self.inner_cell() {
            cell.cell.push(Block::Paragraph(text.to_string()));
        }
        Ok(())
    }

    fn flush_carry(&mut self) -> Result<(), Error> {
        if self.carry.is_empty() {
            return Ok(());
        }
        let text = std::mem::take(&mut self.carry);
        self.deliver(&text)
    }

    fn table_start(&mut self) -> Result<(), Error> {
        if self.tables.is_empty() {
            self.flush_carry()?;
        }
        if self.tables.len() as u32 >= MAX_NESTING {
            return Err(self.assembly.error(self.place(), ErrorKind::Nesting { limit: MAX_NESTING }));
        }
        self.tables.push(OpenTable::default());
        Ok(())
    }

    fn cell_end(&mut self) -> Result<(), Error> {
        self.flush_carry()?;
        let place = self.place();
        let Some(table) = self.tables.last_mut() else { return Ok(()) };
        let (Some(open), Some(row)) = (table.cell.take(), table.row.as_mut()) else { return Ok(()) };
        if open.deleted {
            return Ok(());
        }
        let cell = open.cell;
        row.next_col = cell.col.saturating_add(cell.cols);
        if open.hmerge
            && let Some((before, _)) = row.cells.last_mut()
        {
            before.cols = before.cols.saturating_add(cell.cols);
            before.append(cell);
            return Ok(());
        }
        self.assembly.admit_cells(u64::from(cell.col), 1, u64::from(cell.cols), place)?;
        row.cells.push((cell, open.vmerge));
        Ok(())
    }

    /// A table ends: an outer one joins the grid, a nested one its cell.
    fn table_end(&mut self) -> Result<(), Error> {
        let Some(table) = self.tables.pop() else { return Ok(()) };
        let table = vertical_merges(table.rows);
        if self.tables.is_empty() {
            return self.assembly.table(table);
        }
        if let Some(open) = self.tables.last_mut().and_then(|outer| outer.cell.as_mut()) {
            open.cell.push(Block::Table(table));
        }
        Ok(())
    }
}

impl Events for DocxReader<'_> {
    fn start(&mut self, namespace: Option<&str>, e: &BytesStart<'_>) -> Result<(), Error> {
        let space = Space::of(namespace);
        let local = e.local_name();
        let local = local.as_ref();
        if self.skip.active() {
            // A content control showing its placeholder ("click here to enter text") is not filled in.
            if self.in_sdt_pr
                && local == "showingPlcHdr"
                && let Some(placeholder) = self.controls.last_mut()
            {
                *placeholder = true;
            }
            self.skip.open();
            return Ok(());
        }
        match space {
            Space::Compatibility if local == "Fallback" => self.skip.begin(),
            Space::Word => self.word_start(local, e)?,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, namespace: Option<&str>, local: &str) -> Result<(), Error> {
        let space = Space::of(namespace);
        if self.skip.active() {
            let drawing_with_text = self.skip.close();
            self.in_sdt_pr &= self.skip.active();
            if drawing_with_text {
                let place = self.place();
                self.assembly.drawing_text(place);
            }
            return Ok(());
        }
        if space != Space::Word {
            return Ok(());
        }
        match local {
            "t" => {
                if let Some((text, preserve)) = self.text.take() {
                    let text = if preserve { text.as_str() } else { text.trim_matches([' ', '\t', '\r', '\n']) };
                    self.push(text)?;
                }
            }
            "p" => self.paragraph_end()?,
            "pPr" => self.in_ppr = false,
            "rPr" => self.in_rpr = false,
            "trPr" => self.in_trpr = false,
            "tcPr" => self.in_tcpr = false,
            "tc" => self.cell_end()?,
            "tr" => {
                if let Some(table) = self.inner()
                    && let Some(row) = table.row.take()
                    && !row.deleted
                {
                    table.rows.push(row.cells);
                }
            }
            "tbl" => self.table_end()?,
            "sdt" => {
                self.controls.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// Text of the document, kept when it prints.
    fn text(&mut self, text: &str) -> Result<(), Error> {
        self.skip.saw(text);
        if self.skip.active() || self.text.is_none() {
            return Ok(());
        }
        let place = self.place();
        let len = self.pending_len() + text.len();
        self.assembly.admit_text(len, place)?;
        if let Some((buffer, _)) = &mut self.text {
            buffer.push_str(text);
        }
        Ok(())
    }

    fn broken(&self, message: String) -> Error {
        self.assembly.broken("docx", message)
    }
}

/// Resolve `vMerge`: a `restart` cell spans down over the `continue` cells below it in the same
/// grid column; a `continue` with no merge above it is an ordinary cell.
fn vertical_merges(mut rows: Vec<Vec<(TableCell, VMerge)>>) -> Table {
    let mut open: HashMap<u32, (usize, usize)> = HashMap::new();
    for r in 0..rows.len() {
        for i in 0..rows[r].len() {
            let (col, vmerge) = (rows[r][i].0.col, rows[r][i].1);
            match vmerge {
                VMerge::Restart => {
                    open.insert(col, (r, i));
                }
                VMerge::Continue => match open.get(&col).copied() {
                    Some((ar, ai)) if ar + rows[ar][ai].0.rows as usize == r => {
                        rows[ar][ai].0.rows += 1;
                        rows[r][i].0.covered = true;
                    }
                    _ => {
                        open.remove(&col);
                    }
                },
                VMerge::None => {
                    open.remove(&col);
                }
            }
        }
    }
    Table { rows: rows.into_iter().map(|row| row.into_iter().map(|(cell, _)| cell).collect()).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;
    use crate::read::Grid;
    use crate::read::document::zip_of;

    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    fn grid(body: &str) -> Grid {
        let xml = format!(r#"<w:document xmlns:w="{}" xmlns:mc="{COMPATIBILITY}"><w:body>{body}</w:body></w:document>"#, WORD[0]);
        let bytes = zip_of(&[("[Content_Types].xml", "<Types/>"), ("_rels/.rels", RELS), ("word/document.xml", &xml)]);
        let mut workbook = read("t.docx", &bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        workbook.grids.remove(0)
    }

    fn p(runs: &str) -> String {
        format!("<w:p>{runs}</w:p>")
    }

    fn r(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    fn tc(props: &str, body: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
    }

    #[test]
    fn tracked_changes_are_read_as_the_document_prints() {
        let body = [
            p(&format!(
                "{}<w:del><w:r><w:delText>過去</w:delText></w:r></w:del><w:ins><w:r><w:t>以往</w:t></w:r></w:ins>{}",
                r("調閱"),
                r("檔案")
            )),
            p(&format!(
                "<w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom>{}<w:moveTo><w:r><w:t>moved here</w:t></w:r></w:moveTo>",
                r("A ")
            )),
            // A deleted paragraph mark joins the paragraph with the next one.
            format!("<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr>{}</w:p>", r("joined ")),
            p(&r("to this")),
        ]
        .concat();
        let grid = grid(&body);
        assert_eq!(grid.text(0, 0), "調閱以往檔案");
        assert_eq!(grid.text(1, 0), "A moved here");
        assert_eq!(grid.text(2, 0), "joined to this");
        assert_eq!(grid.height(), 3);
    }

    #[test]
    fn deleted_rows_and_cells_are_dropped() {
        let row = |props: &str, cells: &str| format!("<w:tr><w:trPr>{props}</w:trPr>{cells}</w:tr>");
        let table = format!(
            "<w:tbl>{}{}{}</w:tbl>",
            row("", &[tc("", &p(&r("a"))), tc("<w:cellDel/>", &p(&r("gone"))), tc("", &p(&r("b")))].concat()),
            row("<w:del/>", &tc("", &p(&r("deleted row")))),
            row("<w:ins/>", &tc("", &p(&r("inserted row")))),
        );
        let grid = grid(&table);
        assert_eq!((grid.text(0, 0), grid.text(0, 1)), ("a", "b"));
        assert_eq!(grid.text(1, 0), "inserted row");
        assert_eq!(grid.height(), 2);
    }

    #[test]
    fn fields_controls_and_hidden_text() {
        let field = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>instruction run</w:t></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#;
        let simple = format!(r#"<w:fldSimple w:instr=" NUMPAGES ">{}</w:fldSimple>"#, r("7"));
        let control =
            format!(r#"<w:sdt><w:sdtPr><w:alias w:val="代碼"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>"#, r("BAS2421-002"));
        let placeholder = r#"<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>按一下這裡以輸入文字。</w:t></w:r></w:sdtContent></w:sdt>"#;
        let hidden =
            r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r>"#;
        let wrapped = format!(
            r#"<w:smartTag w:element="x">{}</w:smartTag><w:hyperlink w:history="1">{}</w:hyperlink><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent>"#,
            r("2421"),
            r(" link"),
            r(" choice"),
            r(" fallback")
        );
        let drawing = r#"<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>text box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>"#;
        let body = [p(field), p(&simple), p(&control), p(placeholder), p(hidden), p(&wrapped), p(&format!("{}{drawing}", r("x")))].concat();
        let xml = format!(r#"<w:document xmlns:w="{}" xmlns:mc="{COMPATIBILITY}"><w:body>{body}</w:body></w:document>"#, WORD[0]);
        let workbook = read("t.docx", &zip_of(&[("x", ""), ("word/document.xml", &xml)]), &Limits::default()).unwrap();
        let grid = &workbook.grids[0];
        let texts: Vec<&str> = (0..grid.height()).map(|row| grid.text(row, 0)).collect();
        assert_eq!(texts, ["4", "7", "BAS2421-002", "shown", "2421 link choice", "x"], "an unfilled control leaves no row");
        let notes: Vec<String> = workbook.notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            ["t.docx:段落6: warning[drawing-text]: text in a text box or drawing is not read; type it into the table or a paragraph"]
        );
    }

    #[test]
    fn breaks_tabs_and_spaces() {
        let body = p(
            r#"<w:r><w:t>職能基準名稱</w:t><w:br/><w:t>(擇一填寫)</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> K01 </w:t><w:t>  trimmed  </w:t><w:noBreakHyphen/><w:t>x&amp;y&#x41;</w:t></w:r>"#,
        );
        let body = format!(r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs></w:pPr></w:p>{body}"#);
        assert_eq!(grid(&body).text(0, 0), "職能基準名稱\n(擇一填寫)\t K01 trimmed-x&yA");
    }

    #[test]
    fn spans_and_vertical_merges_become_merged_ranges() {
        let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
        let shifted = format!(
            r#"<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{}{}</w:tr>"#,
            tc("<w:vMerge/>", &p(&r("orphan"))),
            tc("", &p(&r("z")))
        );
        let table = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{}{}{}{}</w:tbl>",
            row(&[tc(r#"<w:vMerge w:val="restart"/>"#, &p(&r("T1 duty"))), tc(r#"<w:gridSpan w:val="2"/>"#, &p(&r("wide")))]),
            row(&[tc("<w:vMerge/>", &p(&r("typed below"))), tc("", &p(&r("b"))), tc("", &p(&r("c")))]),
            row(&[
                tc(r#"<w:vMerge w:val="continue"/>"#, "<w:p/>"),
                tc(r#"<w:hMerge w:val="restart"/>"#, &p(&r("h"))),
                tc("<w:hMerge/>", &p(&r("h2")))
            ]),
            shifted,
        );
        let grid = grid(&table);
        assert_eq!(grid.text(0, 0), "T1 duty\ntyped below", "text typed in a continuation joins the merged cell");
        assert_eq!(grid.merge_at(2, 0).map(|m| (m.first, m.last)), Some((Cell { row: 0, col: 0 }, Cell { row: 2, col: 0 })));
        assert_eq!(grid.merge_at(0, 2).map(|m| m.first), Some(Cell { row: 0, col: 1 }));
        assert_eq!(grid.text(2, 1), "h\nh2", "a legacy hMerge widens the cell before it");
        assert_eq!(grid.merge_at(2, 2).map(|m| m.first), Some(Cell { row: 2, col: 1 }));
        assert_eq!((grid.text(3, 1), grid.text(3, 2)), ("orphan", "z"), "gridBefore shifts; a continuation with nothing above is a cell");
        let places = grid.places.as_ref().unwrap();
        assert_eq!(places.name(Cell { row: 1, col: 2 }), Some(("表1".into(), Some("R2C3".into()))));
        assert_eq!(places.name(Cell { row: 2, col: 2 }), Some(("表1".into(), Some("R3C2".into()))), "the merged cell counts once");
    }

    #[test]
    fn nested_tables_are_lines_of_their_cell_and_noted() {
        let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("", &p(&r("K01 a"))), tc("", &p(&r("K02 b"))));
        let table = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("", &p(&r("T1"))), tc("", &format!("{}{inner}<w:p/>", p(&r("知識")))));
        let xml = format!(r#"<w:document xmlns:w="{}"><w:body>{table}</w:body></w:document>"#, WORD[0]);
        let bytes = zip_of(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", &xml)]);
        let workbook = read("t.docx", &bytes, &Limits::default()).unwrap();
        assert_eq!(workbook.grids[0].text(0, 1), "知識\nK01 a\tK02 b");
        assert!(
            workbook.notes.iter().any(|n| n.rule == "nested-table" && n.to_string().starts_with("t.docx:表1!R1C2: info[nested-table]")),
            "{:?}",
            workbook.notes
        );
    }

    #[test]
    fn a_frame_around_the_form_gives_way_to_what_it_holds() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("", &p(&r("主要職責"))),
            tc("", &p(&r("行為指標"))),
            tc("", &p(&r("T1"))),
            tc("", &p(&r("P1.1.1")))
        );
        let frame = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &format!("{}{inner}{}", p(&r("Title")), p(&r("說明與補充事項")))));
        let grid = grid(&frame);
        let texts: Vec<&str> = (0..grid.height()).map(|row| grid.text(row, 0)).collect();
        assert_eq!(texts, ["Title", "主要職責", "T1", "說明與補充事項"]);
        assert_eq!(grid.text(2, 1), "P1.1.1");
        let places = grid.places.as_ref().unwrap();
        assert_eq!(places.name(Cell { row: 2, col: 1 }), Some(("表1".into(), Some("R2C2".into()))), "the frame is not counted");
        assert_eq!(places.name(Cell { row: 3, col: 0 }), Some(("段落2".into(), None)));
    }

    #[test]
    fn strict_namespace_any_prefix_and_the_part_named_by_the_relationships() {
        let xml = format!(r#"<x:document xmlns:x="{}"><x:body><x:p><x:r><x:t>strict</x:t></x:r></x:p></x:body></x:document>"#, WORD[1]);
        let rels = RELS.replace("word/document.xml", "/word/main.xml");
        let bytes = zip_of(&[("[Content_Types].xml", "<Types/>"), ("_rels/.rels", &rels), ("word/main.xml", &xml)]);
        assert_eq!(read("t.docx", &bytes, &Limits::default()).unwrap().grids[0].text(0, 0), "strict");
    }

    #[test]
    fn text_and_cells_are_limited_where_they_are() {
        let limits = Limits { cell_len: 10, cols: 3, ..Limits::default() };
        let long = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("", &p(&r("a"))), tc("", &p(&r("0123456789ab"))));
        let xml = format!(r#"<w:document xmlns:w="{}"><w:body>{long}</w:body></w:document>"#, WORD[0]);
        let error = read("t.docx", &zip_of(&[("x", ""), ("word/document.xml", &xml)]), &limits).unwrap_err();
        assert!(error.to_string().starts_with("t.docx:表1!R1C2: the cell holds"), "{error}");
        let wide = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc(r#"<w:gridSpan w:val="3"/>"#, &p(&r("a"))), tc("", &p(&r("b"))));
        let xml = format!(r#"<w:document xmlns:w="{}"><w:body>{wide}</w:body></w:document>"#, WORD[0]);
        let error = read("t.docx", &zip_of(&[("x", ""), ("word/document.xml", &xml)]), &limits).unwrap_err();
        assert!(error.to_string().starts_with("t.docx:表1!R1C2: the cell is beyond"), "{error}");
        // Each paragraph is a line: a cell of 300,000 empty ones is over 256 KiB, found in linear time.
        let empty = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &"<w:p/>".repeat(300_000)));
        let xml = format!(r#"<w:document xmlns:w="{}"><w:body>{empty}</w:body></w:document>"#, WORD[0]);
        let error = read("t.docx", &zip_of(&[("x", ""), ("word/document.xml", &xml)]), &Limits::default()).unwrap_err();
        assert!(error.to_string().starts_with("t.docx:表1!R1C1: the cell holds"), "{error}");
    }
}
