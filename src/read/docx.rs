//! Word documents (.docx): one streaming pass over the main document part turns its tables (merges
//! from `gridSpan`, `vMerge`, `hMerge`) and the paragraphs between them into a `Grid`, read as the
//! document prints: tracked insertions kept, deletions dropped, field instructions, hidden text,
//! drawings and properties left out. Elements are matched by namespace and local name, so Strict
//! OOXML and any prefix read the same.

use super::document::{Assembly, MAX_NESTING, Place, Table, TableCell, is_on};
use super::{Error, ErrorKind, Limits, Workbook};
use crate::diag::Diagnostic;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::collections::HashMap;
use std::io::{Cursor, Read};

const WORD: [&str; 2] =
    ["http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"];
const COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Workbook, Error> {
    let assembly = Assembly::new(file, limits);
    let xml = match main_part(bytes) {
        Ok(xml) => xml,
        Err(message) => return Err(assembly.broken("docx", message)),
    };
    let mut reader = DocxReader::new(assembly);
    reader.read(&xml)?;
    Ok(reader.assembly.finish())
}

/// The main document part: the target of the `officeDocument` relationship, else `word/document.xml`.
fn main_part(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut name = "word/document.xml".to_string();
    if let Ok(rels) = entry_text(&mut archive, "_rels/.rels")
        && let Some(target) = office_document_target(&rels)
    {
        name = target.trim_start_matches('/').to_string();
    }
    entry_text(&mut archive, &name)
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

/// An attribute's value by its local name (`w:val` → `val`).
fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
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
    fn of(ns: &ResolveResult<'_>) -> Space {
        match ns {
            ResolveResult::Bound(ns) if WORD.contains(&ns.as_ref()) => Space::Word,
            ResolveResult::Bound(ns) if ns.as_ref() == COMPATIBILITY => Space::Compatibility,
            _ => Space::Other,
        }
    }
}

/// Subtrees that do not print or hold no text of the document: deleted text, field instructions,
/// properties and their tracked changes, content-control properties, drawings and text boxes, ruby
/// annotations.
const SKIPPED: [&str; 21] = [
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
    "drawing",
    "pict",
    "object",
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
    paragraphs: u32,
    nested_noted: bool,
}

#[derive(Debug, Default)]
struct OpenRow {
    cells: Vec<(TableCell, VMerge)>,
    next_col: u32,
    deleted: bool,
}

struct DocxReader<'a> {
    assembly: Assembly<'a>,
    /// Elements open, to tell a complete part from a truncated one.
    open: u64,
    /// Depth inside a subtree that is not read.
    skip: u32,
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
    /// Tables open; cells of tables nested in a cell are read as lines of that cell.
    depth: u32,
    rows: Vec<Vec<(TableCell, VMerge)>>,
    row: Option<OpenRow>,
    cell: Option<OpenCell>,
}

impl<'a> DocxReader<'a> {
    fn new(assembly: Assembly<'a>) -> DocxReader<'a> {
        DocxReader {
            assembly,
            open: 0,
            skip: 0,
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
            depth: 0,
            rows: Vec::new(),
            row: None,
            cell: None,
        }
    }

    fn read(&mut self, xml: &str) -> Result<(), Error> {
        let mut reader = NsReader::from_str(xml);
        loop {
            let (ns, event) = reader.read_resolved_event().map_err(|e| self.assembly.broken("docx", format!("document.xml: {e}")))?;
            let space = Space::of(&ns);
            match event {
                Event::Start(e) => {
                    self.open += 1;
                    self.start(space, &e)?;
                }
                Event::Empty(e) => {
                    self.start(space, &e)?;
                    self.end(space, e.local_name().as_ref())?;
                }
                Event::End(e) => {
                    self.open = self.open.saturating_sub(1);
                    self.end(space, e.local_name().as_ref())?;
                }
                Event::Text(t) => self.text(&t.xml10_content())?,
                Event::CData(t) => self.text(&t.xml10_content())?,
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default().to_string(),
                    };
                    self.text(&resolved)?;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if self.open > 0 {
            return Err(self.assembly.broken("docx", "document.xml ends in the middle of the document (a truncated file?)"));
        }
        Ok(())
    }

    /// Where the reader is, for a message.
    fn place(&self) -> Place {
        if self.depth == 0 {
            return self.assembly.next_paragraph();
        }
        let cell = self.row.as_ref().map_or(1, |r| r.cells.len() as u32 + 1);
        Place::Cell { table: self.assembly.next_table(), row: self.rows.len() as u32 + 1, cell }
    }

    fn start(&mut self, space: Space, e: &BytesStart<'_>) -> Result<(), Error> {
        let local = e.local_name();
        let local = local.as_ref();
        if self.skip > 0 {
            // A content control showing its placeholder ("click here to enter text") is not filled in.
            if self.in_sdt_pr
                && local == "showingPlcHdr"
                && let Some(placeholder) = self.controls.last_mut()
            {
                *placeholder = true;
            }
            self.skip += 1;
            return Ok(());
        }
        match space {
            Space::Compatibility if local == "Fallback" => self.skip = 1,
            Space::Word => self.word_start(local, e)?,
            _ => {}
        }
        Ok(())
    }

    fn word_start(&mut self, local: &str, e: &BytesStart<'_>) -> Result<(), Error> {
        let top = self.depth == 1;
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
            "del" if self.in_trpr && top => {
                if let Some(row) = &mut self.row {
                    row.deleted = true;
                }
            }
            "cellDel" if self.in_tcpr && top => {
                if let Some(cell) = &mut self.cell {
                    cell.deleted = true;
                }
            }
            "sdt" => self.controls.push(false),
            "sdtPr" => {
                self.skip = 1;
                self.in_sdt_pr = true;
            }
            "sdtContent" if self.controls.last() == Some(&true) => self.skip = 1,
            _ if SKIPPED.contains(&local) => self.skip = 1,
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
            "altChunk" => self.assembly.note(Diagnostic::warning(
                "embedded-content",
                None,
                format!("{}: content embedded from another file (altChunk) cannot be read; paste it as text", self.place()),
            )),
            "tbl" => self.table_start()?,
            "tr" if top => {
                self.assembly.admit_rows(self.rows.len(), 1, self.place())?;
                self.row = Some(OpenRow::default());
            }
            "trPr" if top => self.in_trpr = true,
            "gridBefore" if self.in_trpr && top => {
                if let Some(row) = &mut self.row {
                    row.next_col = row.next_col.saturating_add(number(e));
                }
            }
            "tc" if top => {
                let col = self.row.as_ref().map_or(0, |r| r.next_col);
                self.cell = Some(OpenCell {
                    cell: TableCell::at(col),
                    vmerge: VMerge::None,
                    hmerge: false,
                    deleted: false,
                    paragraphs: 0,
                    nested_noted: false,
                });
            }
            "tcPr" if top => self.in_tcpr = true,
            "gridSpan" if self.in_tcpr && top => {
                if let Some(cell) = &mut self.cell {
                    cell.cell.cols = number(e).max(1);
                }
            }
            "vMerge" if self.in_tcpr && top => {
                if let Some(cell) = &mut self.cell {
                    cell.vmerge = if attribute(e, "val").as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue };
                }
            }
            "hMerge" if self.in_tcpr && top => {
                if let Some(cell) = &mut self.cell {
                    cell.hmerge = attribute(e, "val").as_deref() != Some("restart");
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, space: Space, local: &str) -> Result<(), Error> {
        if self.skip > 0 {
            self.skip -= 1;
            self.in_sdt_pr &= self.skip > 0;
            return Ok(());
        }
        if space != Space::Word {
            return Ok(());
        }
        let top = self.depth == 1;
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
            "tc" if top => self.cell_end()?,
            "tr" if top => {
                if let Some(row) = self.row.take()
                    && !row.deleted
                {
                    self.rows.push(row.cells);
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
        if self.skip > 0 || self.text.is_none() {
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
        let cell = self.cell.as_ref().map_or(0, |c| c.cell.text.len());
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
        if self.depth == 0 {
            return self.assembly.paragraph(text);
        }
        if let Some(cell) = &mut self.cell {
            cell.cell.push_paragraph(text, cell.paragraphs == 0);
            cell.paragraphs += 1;
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
        if self.depth == 0 {
            self.flush_carry()?;
        }
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.assembly.error(self.place(), ErrorKind::Nesting { limit: MAX_NESTING }));
        }
        if self.depth == 2 {
            let place = self.place();
            if let Some(cell) = self.cell.as_mut().filter(|c| !c.nested_noted) {
                cell.nested_noted = true;
                self.assembly.note(Diagnostic::info(
                    "nested-table",
                    None,
                    format!("{place}: the table inside this cell is read as lines of the cell"),
                ));
            }
        }
        Ok(())
    }

    fn cell_end(&mut self) -> Result<(), Error> {
        self.flush_carry()?;
        let place = self.place();
        let Some(open) = self.cell.take() else { return Ok(()) };
        let Some(row) = &mut self.row else { return Ok(()) };
        if open.deleted {
            return Ok(());
        }
        let mut cell = open.cell;
        row.next_col = cell.col.saturating_add(cell.cols);
        if open.hmerge
            && let Some((before, _)) = row.cells.last_mut()
        {
            before.cols = before.cols.saturating_add(cell.cols);
            if !cell.text.trim().is_empty() {
                before.push_paragraph(&cell.text, before.text.is_empty());
            }
            return Ok(());
        }
        self.assembly.admit_cells(u64::from(cell.col), 1, u64::from(cell.cols), place)?;
        cell.text.truncate(cell.text.trim_end().len());
        row.cells.push((cell, open.vmerge));
        Ok(())
    }

    fn table_end(&mut self) -> Result<(), Error> {
        self.depth = self.depth.saturating_sub(1);
        if self.depth > 0 {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        self.assembly.table(vertical_merges(rows));
        Ok(())
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
