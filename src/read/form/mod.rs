//! The official form: turns a `Grid` into `Standard`s by the labels and structure of the official form, never by
//! fixed cell positions. Handles the official layout, flat tables (values repeated or blank under the
//! first occurrence), database exports with metadata columns, and both column-name generations.

pub mod labels;

use crate::code::{self, Code, Kind, Piece, Rewrite};
use crate::diag::{Diagnostic, Severity};
use crate::i18n::Message;
use crate::model::{Cell, Classification, Duty, Indicator, Item, NameKind, Named, Output, Row, Source, Standard, Task, Version};
use crate::read::Grid;
use labels::{Column, Field, Section, VersionColumn};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A standard read from a sheet, with what was noticed while reading it.
#[derive(Debug, Clone)]
pub struct Reading {
    pub standard: Standard,
    pub diagnostics: Vec<Diagnostic>,
}

/// Read every standard on a sheet; `None` when the sheet holds no competency table.
/// `file` names the input, and gives the standard code when the sheet has none.
pub fn standards(grid: &Grid, file: &str) -> Option<Vec<Reading>> {
    // Private-use bullets mark items in any field; the notes alone read them, for their levels.
    let cleaned = grid.rewritten(labels::without_private_bullets);
    let raw = grid;
    let grid = cleaned.as_ref().unwrap_or(grid);
    let table = find_table(grid)?;
    let mut reader = SheetReader::new(grid, raw, file, &table);
    reader.read_header_block(0, table.header_row);
    let sections_at = reader.read_body(&table);
    if let Some(row) = sections_at {
        reader.read_sections(row);
    }
    let mut laid = reader.finish();
    if let Some((cell, code)) = second_standard(grid, &table)
        && let Some(first) = laid.first_mut()
    {
        let message = Message::new("two-standards").arg("code", code).num("row", cell.row + 1);
        first.diagnostics.push(Diagnostic::new(Severity::Error, "two-standards", Some(cell), message).located(file, &grid.sheet));
    }
    Some(laid)
}

/// A 職能基準代碼 label row below the table's header and followed by another table header: a second
/// standard pasted below the first (two files joined into one CSV). Returns its code's cell and text.
fn second_standard(grid: &Grid, table: &Table) -> Option<(Cell, String)> {
    // Only a cell naming 行為指標 makes a row such a header: the cheap test first, as most rows are content.
    let last_header = (table.first_body_row..grid.height()).rev().find(|&r| {
        grid.row_cells(r).any(|(_, t)| t.contains('標') && matches!(labels::column(t), Some(Column::Indicator | Column::IndicatorCode)))
    })?;
    for row in table.first_body_row..last_header {
        let mut cells = grid.row_cells(row);
        let Some((col, first)) = cells.next() else { continue };
        let value = match labels::inline_field(first) {
            Some((Field::Code, value)) => Some((col, value)),
            _ if labels::field(first) == Some(Field::Code) => cells.next().map(|(c, t)| (c, t.trim().to_string())),
            _ => None,
        };
        if let Some((col, code)) = value {
            return Some((Cell { row, col }, code));
        }
    }
    None
}

/// Where the main table is and what each of its columns holds.
#[derive(Debug, Clone)]
struct Table {
    header_row: u32,
    first_body_row: u32,
    columns: HashMap<Column, u32>,
}

impl Table {
    fn col(&self, column: Column) -> Option<u32> {
        self.columns.get(&column).copied()
    }
}

fn header_columns(grid: &Grid, row: u32) -> HashMap<Column, u32> {
    let mut columns = HashMap::default();
    for (col, text) in grid.row_cells(row) {
        if let Some(column) = labels::column(text) {
            columns.entry(column).or_insert(col);
        }
    }
    columns
}

/// The first row that names an indicator column and a task (or duty) column is the table header.
fn find_table(grid: &Grid) -> Option<Table> {
    for row in 0..grid.height() {
        let mut columns = header_columns(grid, row);
        let has_indicators = columns.contains_key(&Column::Indicator) || columns.contains_key(&Column::IndicatorCode);
        let has_tasks = [Column::Task, Column::TaskCode, Column::Activity, Column::Duty].iter().any(|c| columns.contains_key(c));
        let table_columns = columns.keys().filter(|c| !matches!(c, Column::Meta(_))).count();
        if !(has_indicators && has_tasks && table_columns >= 3) {
            continue;
        }
        // Older documents: 工作任務 | 工作活動 mean duty | task.
        if columns.contains_key(&Column::Activity) {
            let renames = [
                (Column::Task, Column::Duty),
                (Column::TaskCode, Column::DutyCode),
                (Column::Activity, Column::Task),
                (Column::ActivityCode, Column::TaskCode),
            ];
            let mut renamed = HashMap::default();
            for (column, col) in columns {
                let new = renames.iter().find(|(old, _)| *old == column).map_or(column, |(_, new)| *new);
                renamed.insert(new, col);
            }
            columns = renamed;
        }
        // A two-row header: 職能內涵 over 知識 | 技能 on the next row, every cell of which is a label.
        let below = header_columns(grid, row + 1);
        let below_is_header = !below.is_empty() && grid.row_cells(row + 1).count() == below.len();
        // One 職能內涵 column for both K and S: codes are filed by their letter.
        if !columns.contains_key(&Column::Knowledge) && !columns.contains_key(&Column::Skills) && !below_is_header {
            let combined = grid.row_cells(row).find(|(_, t)| labels::normalise(t).starts_with("職能內涵") && labels::section(t).is_none());
            if let Some((col, _)) = combined {
                columns.insert(Column::Knowledge, col);
            }
        }
        let mut first_body_row = row + 1;
        if !columns.contains_key(&Column::Knowledge) || !columns.contains_key(&Column::Skills) {
            let sub: Vec<_> = below.iter().filter(|(c, _)| matches!(c, Column::Knowledge | Column::Skills | Column::Level)).collect();
            if !sub.is_empty() && below_is_header {
                for (column, col) in sub {
                    columns.entry(*column).or_insert(*col);
                }
                first_body_row = row + 2;
            }
        }
        return Some(Table { header_row: row, first_body_row, columns });
    }
    None
}

/// The header-block values found so far, with the cell each came from.
#[derive(Debug, Default, Clone)]
struct Meta {
    values: HashMap<Field, (String, Cell)>,
    title: Option<String>,
    versions: Vec<Version>,
}

impl Meta {
    fn set(&mut self, field: Field, text: &str, cell: Cell) {
        let text = text.trim();
        if !text.is_empty() && field != Field::Group {
            self.values.entry(field).or_insert_with(|| (text.to_string(), cell));
        }
    }

    fn get(&self, field: Field) -> Option<&(String, Cell)> {
        self.values.get(&field)
    }

    fn text(&self, field: Field) -> String {
        self.values.get(&field).map(|(t, _)| t.clone()).unwrap_or_default()
    }
}

/// A cell that spans rows (職能級別, K, S): the cell holding the text, and the text.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    anchor: Cell,
    text: String,
    duty: usize,
}

/// The K and S codes seen so far, each once, with the first name given.
#[derive(Debug, Default)]
struct Catalogue {
    items: Vec<Item>,
    index: HashMap<String, usize>,
}

/// One standard being assembled from the lines of a table.
#[derive(Debug, Default)]
struct Draft {
    meta: Meta,
    duties: Vec<Duty>,
    knowledge: Catalogue,
    skills: Catalogue,
    attitudes: Vec<Item>,
    notes: Vec<String>,
    /// How the source marked each note: indentation and bullet, `None` for a table row.
    note_marks: Vec<Option<(usize, labels::Mark)>>,
    diagnostics: Vec<Diagnostic>,
    /// The duty, task and output cell texts of the current line, to tell a new one from a repeat.
    duty_key: Option<String>,
    task_key: Option<String>,
    output_key: Option<String>,
    /// The 列次 of the current row, when the table numbers its rows.
    row_key: Option<String>,
    /// Whether the current task has a row that indicators can be added to.
    row_open: bool,
    /// Spanning cells already applied to the current task, by anchor and by text.
    applied: HashSet<(Column, Cell)>,
    applied_text: HashSet<(Column, String)>,
    spans: HashMap<Column, Span>,
    has_content: bool,
}

impl Draft {
    /// The lines of a cell of notes, each a note with its bullet mark removed (and its mark and
    /// indentation kept aside, for its level); a line holding tabs is a table row.
    fn add_notes(&mut self, text: &str) {
        let text = labels::bullets_on_lines(text).unwrap_or_else(|| text.to_string());
        for line in text.lines() {
            let (indent, mark, note) = labels::note_line(line);
            if !note.is_empty() {
                self.notes.push(note);
                self.note_marks.push(Some((indent, mark)));
            }
        }
    }

    /// A row of a small table in the notes: one note, its cells joined by tabs.
    fn add_table_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        let cells: Vec<String> = cells.into_iter().map(|c| labels::without_private_bullets(c).unwrap_or_else(|| c.to_string())).collect();
        let note = labels::table_row(cells.iter().map(String::as_str));
        if !note.is_empty() {
            self.notes.push(note);
            self.note_marks.push(None);
        }
    }
}

struct SheetReader<'g> {
    /// The sheet without private-use bullets (`labels::without_private_bullets`).
    grid: &'g Grid,
    /// The sheet as read, for the notes: their bullet marks give their levels.
    raw: &'g Grid,
    file: String,
    /// Whether the table's blank cells are explained by merged ranges (else blank continues a span).
    merges: bool,
    /// Whether every line repeats its task (a flat table), so a blank output means no output.
    filled: bool,
    columns: HashMap<Column, u32>,
    /// The header's labels, normalised, by column (to recognise a header repeated mid-table).
    header_labels: HashMap<u32, String>,
    /// Parsed span cells, so a K/S cell spanning eight tasks is parsed and reported once.
    parsed: HashMap<(Cell, Kind), Vec<Piece>>,
    /// Span cells whose findings were reported already.
    reported: HashSet<(Cell, Column)>,
    done: Vec<Draft>,
    draft: Draft,
}

impl<'g> SheetReader<'g> {
    fn new(grid: &'g Grid, raw: &'g Grid, file: &str, table: &Table) -> SheetReader<'g> {
        let table_cols: Vec<u32> = table.columns.values().copied().collect();
        let merges = grid.merges_known
            && grid
                .merges()
                .iter()
                .any(|m| m.last.row >= table.first_body_row && table_cols.contains(&m.first.col) && m.last.row > m.first.row);
        let task_col = table.col(Column::Task).or(table.col(Column::TaskCode));
        let mut lines = 0;
        let mut lines_with_task = 0;
        for row in table.first_body_row..grid.height() {
            let first = grid.row_cells(row).next();
            if first.is_some_and(|(_, t)| labels::section(t).is_some()) {
                break;
            }
            let row_cols = [Column::Output, Column::OutputCode, Column::Indicator, Column::IndicatorCode].map(|c| table.col(c));
            if row_cols.iter().flatten().any(|&c| !grid.text(row, c).trim().is_empty()) {
                lines += 1;
                if task_col.is_some_and(|c| !grid.text(row, c).trim().is_empty()) {
                    lines_with_task += 1;
                }
            }
        }
        // A database export (the header block repeated in columns) repeats every value.
        let export = table.columns.keys().any(|c| matches!(c, Column::Meta(_)));
        let filled = !merges && (export || (lines > 1 && lines == lines_with_task));
        SheetReader {
            grid,
            raw,
            file: file.to_string(),
            merges,
            filled,
            columns: table.columns.clone(),
            header_labels: table
                .columns
                .iter()
                .filter(|(c, _)| !matches!(c, Column::Meta(_)))
                .map(|(_, &col)| (col, labels::normalise(grid.text(table.header_row, col))))
                .collect(),
            parsed: HashMap::default(),
            reported: HashSet::default(),
            done: Vec::new(),
            draft: Draft::default(),
        }
    }

    fn col(&self, column: Column) -> Option<u32> {
        self.columns.get(&column).copied()
    }

    /// A cell's text, trimmed, with leftover web-form markup (`<p>…</p>`, `<br>`) turned into lines.
    fn text(&mut self, row: u32, col: u32) -> String {
        let raw = self.grid.text(row, col).trim();
        if !(raw.contains("<p>") || raw.contains("<br")) {
            return raw.to_string();
        }
        let cleaned = raw.replace("<br />", "\n").replace("<br/>", "\n").replace("<br>", "\n").replace("</p>", "\n").replace("<p>", "\n");
        let lines: Vec<&str> = cleaned.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        self.warn_info("html-markup", Cell { row, col }, Message::new("html-markup"));
        lines.join("\n")
    }

    fn warn_info(&mut self, rule: &'static str, cell: Cell, message: Message) {
        self.draft.diagnostics.push(Diagnostic::info(rule, Some(cell), message));
    }

    fn warn(&mut self, rule: &'static str, cell: Cell, message: Message) {
        self.draft.diagnostics.push(Diagnostic::warning(rule, Some(cell), message));
    }

    /// Report a code whose spelling was rewritten.
    fn note_code(&mut self, code: &Code, cell: Cell) {
        if code.rewrites.is_empty() {
            return;
        }
        let message = rewritten(code.original.trim(), &code.text, &code.rewrites);
        if code.rewrites.contains(&Rewrite::ZeroForO) {
            self.warn("zero-for-o", cell, message);
        } else {
            self.warn_info("code-rewrite", cell, message);
        }
    }

    // ---------------------------------------------------------------- header block

    /// Labels and their values above the table: `label | value` pairs, the 名稱 boxes, the 版本 table,
    /// the title row, and rows of labels with their values on the row below.
    fn read_header_block(&mut self, from: u32, to: u32) {
        let mut row = from;
        while row < to {
            let cells: Vec<(u32, String)> = self.grid.row_cells(row).map(|(c, t)| (c, t.to_string())).collect();
            if cells.is_empty() {
                row += 1;
                continue;
            }
            if self.is_version_header(&cells) {
                row = self.read_versions(row, &cells, to);
                continue;
            }
            if cells.len() == 1
                && let Some(name) = labels::title_name(&cells[0].1)
            {
                self.draft.meta.title.get_or_insert(name);
                row += 1;
                continue;
            }
            let all_labels = cells.len() >= 2 && cells.iter().all(|(_, t)| labels::field(t).is_some());
            let below_has_labels = self.grid.row_cells(row + 1).any(|(_, t)| labels::field(t).is_some() || labels::column(t).is_some());
            if all_labels && !below_has_labels && row + 1 < to {
                for (col, text) in &cells {
                    if let Some(field) = labels::field(text) {
                        let value = self.grid.text(row + 1, *col).to_string();
                        self.draft.meta.set(field, &value, Cell { row: row + 1, col: *col });
                    }
                }
                row += 2;
                continue;
            }
            for (i, (col, text)) in cells.iter().enumerate() {
                if let Some((field, value)) = labels::inline_field(text) {
                    self.draft.meta.set(field, &value, Cell { row, col: *col });
                    continue;
                }
                let Some(field) = labels::field(text) else { continue };
                // The next cell is the value unless it is itself a label (an empty box: 職類 | 職業).
                let value = cells.get(i + 1).filter(|(_, t)| labels::field(t).is_none());
                if let Some((col, value)) = value {
                    self.draft.meta.set(field, value, Cell { row, col: *col });
                }
            }
            row += 1;
        }
    }

    fn is_version_header(&self, cells: &[(u32, String)]) -> bool {
        let columns: Vec<VersionColumn> = cells.iter().filter_map(|(_, t)| labels::version_column(t)).collect();
        columns.contains(&VersionColumn::Version)
            && columns.iter().any(|c| matches!(c, VersionColumn::Status | VersionColumn::Date | VersionColumn::Note))
    }

    /// Read the 版本 table whose header is on `row`; returns the first row after it.
    fn read_versions(&mut self, row: u32, header: &[(u32, String)], to: u32) -> u32 {
        let columns: Vec<(u32, VersionColumn)> = header.iter().filter_map(|(c, t)| labels::version_column(t).map(|v| (*c, v))).collect();
        let mut next = row + 1;
        while next < to {
            let first = self.grid.row_cells(next).next();
            match first {
                None => break,
                Some((_, text)) if labels::field(text).is_some() || labels::title_name(text).is_some() => break,
                Some(_) => {}
            }
            let mut version = Version::default();
            for (col, column) in &columns {
                let text = self.grid.text(next, *col).trim().to_string();
                let slot = match column {
                    VersionColumn::Version => &mut version.version,
                    VersionColumn::Code => &mut version.code,
                    VersionColumn::Name => &mut version.name,
                    VersionColumn::Status => &mut version.status,
                    VersionColumn::Note => &mut version.note,
                    VersionColumn::Date => &mut version.date,
                };
                *slot = text;
            }
            if !version.code.is_empty() {
                let normalised = code::standard_code(&version.code);
                let cell = columns.iter().find(|(_, c)| *c == VersionColumn::Code).map(|(c, _)| Cell { row: next, col: *c });
                if !normalised.rewrites.is_empty()
                    && let Some(cell) = cell
                {
                    self.warn_info("code-rewrite", cell, rewritten(&normalised.original, &normalised.text, &normalised.rewrites));
                }
                version.code = normalised.text;
            }
            self.draft.meta.versions.push(version);
            next += 1;
        }
        next
    }

    // ---------------------------------------------------------------- main table

    /// Read the table lines; returns the row where the sections after the table start, if any.
    fn read_body(&mut self, table: &Table) -> Option<u32> {
        for row in table.first_body_row..self.grid.height() {
            let Some((_, first)) = self.grid.row_cells(row).next() else { continue };
            if labels::section(first).is_some() {
                return Some(row);
            }
            if self.is_repeated_header(row) {
                continue;
            }
            self.read_meta_columns(row);
            self.read_line(row);
        }
        None
    }

    /// A table header repeated mid-table (a PDF page break copied into the sheet).
    /// It repeats the header's own labels (line breaks and full-width forms aside) in three or
    /// more columns: a row that merely mentions 工作產出 or 行為指標 in its text is content.
    fn is_repeated_header(&self, row: u32) -> bool {
        let same = self.header_labels.iter().filter(|(col, label)| labels::normalises_to(self.grid.text(row, **col), label)).count();
        same >= self.header_labels.len().min(3)
    }

    /// A database export repeats the header block in columns; a new 代碼 starts a new standard.
    fn read_meta_columns(&mut self, row: u32) {
        let metas: Vec<(Field, u32)> =
            self.columns.iter().filter_map(|(c, col)| if let Column::Meta(f) = c { Some((*f, *col)) } else { None }).collect();
        if metas.is_empty() {
            return;
        }
        if let Some(col) = self.col(Column::Meta(Field::Code)) {
            let code = self.grid.text(row, col).trim();
            let current = self.draft.meta.get(Field::Code).map(|(t, _)| t.as_str());
            if !code.is_empty() && current.is_some_and(|c| c != code) && self.draft.has_content {
                let finished = std::mem::take(&mut self.draft);
                self.done.push(finished);
            }
        }
        for (field, col) in metas {
            let text = self.grid.text(row, col).to_string();
            self.draft.meta.set(field, &text, Cell { row, col });
        }
    }

    /// A code column and a title column, or a title column that starts with its code.
    fn combined(&mut self, row: u32, code_column: Column, title_column: Column) -> (String, Option<Cell>) {
        let code = self.col(code_column).map(|c| (self.text(row, c), c));
        let title = self.col(title_column).map(|c| (self.text(row, c), c));
        match (code, title) {
            (Some((code, c)), Some((title, t))) if !code.is_empty() => {
                let cell = Cell { row, col: if title.is_empty() { c } else { t } };
                if title.starts_with(&code) || title.is_empty() {
                    let text = if title.is_empty() { code } else { title };
                    return (text, Some(cell));
                }
                let codes: Vec<&str> = code.lines().collect();
                let titles: Vec<&str> = title.lines().collect();
                let text = if codes.len() > 1 && codes.len() == titles.len() {
                    codes.iter().zip(&titles).map(|(c, t)| format!("{} {}", c.trim(), t.trim())).collect::<Vec<_>>().join("\n")
                } else {
                    format!("{code} {title}")
                };
                (text, Some(cell))
            }
            (_, Some((title, t))) if !title.is_empty() => (title, Some(Cell { row, col: t })),
            _ => (String::new(), None),
        }
    }

    fn read_line(&mut self, row: u32) {
        let (duty_text, duty_cell) = self.combined(row, Column::DutyCode, Column::Duty);
        let (task_text, task_cell) = self.combined(row, Column::TaskCode, Column::Task);
        let (output_text, output_cell) = self.combined(row, Column::OutputCode, Column::Output);
        let (indicator_text, indicator_cell) = self.combined(row, Column::IndicatorCode, Column::Indicator);
        let span_columns = [Column::Level, Column::Knowledge, Column::Skills];
        let has_span_text = span_columns.iter().any(|c| self.col(*c).is_some_and(|col| !self.grid.text(row, col).trim().is_empty()));
        if duty_text.is_empty() && task_text.is_empty() && output_text.is_empty() && indicator_text.is_empty() && !has_span_text {
            return;
        }
        self.draft.has_content = true;
        let mut new_duty = false;
        if let Some(cell) = duty_cell
            && self.draft.duty_key.as_deref() != Some(duty_text.as_str())
        {
            self.start_duty(&duty_text, cell);
            new_duty = true;
        }
        let mut new_task = false;
        if let Some(cell) = task_cell
            && (new_duty || self.draft.task_key.as_deref() != Some(task_text.as_str()))
        {
            self.start_task(&task_text, cell);
            new_task = true;
        }
        let has_row_content = !output_text.is_empty() || !indicator_text.is_empty() || has_span_text;
        if has_row_content && self.draft.duties.last().is_none_or(|d| d.tasks.is_empty()) {
            let cell = Cell { row, col: self.col(Column::Task).or(self.col(Column::Duty)).unwrap_or(0) };
            self.warn("missing-task", cell, Message::new("missing-task"));
            self.start_task("", cell);
            new_task = true;
        }
        // Rows: a new output cell starts a new row; a blank one continues the row above, unless
        // the table repeats its values (a blank then means no output) or merges say otherwise.
        let covered = output_cell.is_none()
            && self.col(Column::Output).is_some_and(|c| self.grid.merge_at(row, c).is_some_and(|m| m.first.row < row));
        let row_number = self.col(Column::RowNumber).map(|c| self.grid.text(row, c).trim().to_string());
        let new_row = if new_task {
            true
        } else if let Some(number) = &row_number {
            // A numbered table says exactly where a row starts.
            self.draft.row_key.as_ref() != Some(number)
        } else if !output_text.is_empty() {
            self.draft.output_key.as_deref() != Some(output_text.as_str())
        } else {
            let current_has_outputs = self.current_task().and_then(|t| t.rows.last()).is_some_and(|r| !r.outputs.is_empty());
            (self.filled || (self.merges && !covered)) && current_has_outputs
        };
        if new_row {
            self.draft.row_key = row_number;
            self.draft.row_open = false;
            self.draft.output_key = (!output_text.is_empty()).then(|| output_text.clone());
            if let Some(cell) = output_cell {
                self.add_outputs(&output_text, cell);
            }
        }
        if let Some(cell) = indicator_cell {
            self.add_indicators(&indicator_text, cell);
        }
        for column in span_columns {
            self.apply_span(row, column);
        }
    }

    fn current_task(&mut self) -> Option<&mut Task> {
        self.draft.duties.last_mut().and_then(|d| d.tasks.last_mut())
    }

    /// The code at the start of a duty or task cell and the title after it; a respelled code, a
    /// code of the other kind and a missing one are reported.
    fn leading_code(&mut self, text: &str, cell: Cell, kind: Kind) -> (String, String) {
        let (code, title) = code::leading(text, kind);
        let Some(code) = code else {
            if !text.is_empty() {
                self.warn("missing-code", cell, Message::new("missing-code").arg("kind", kind.label()).arg("text", one_line(text)));
            }
            return (String::new(), title);
        };
        self.note_code(&code, cell);
        if code.kind != kind {
            let (rule, other) = if kind == Kind::Duty { ("duty-code", Kind::Task) } else { ("task-code", Kind::Duty) };
            let message = Message::new("wrong-code-kind").arg("kind", kind.label()).arg("code", &code.text).arg("other", other.label());
            self.warn(rule, cell, message);
        }
        (code.text, title)
    }

    fn start_duty(&mut self, text: &str, cell: Cell) {
        let (code, title) = self.leading_code(text, cell, Kind::Duty);
        self.draft.duties.push(Duty { code, title, at: Some(cell), ..Duty::default() });
        self.draft.duty_key = Some(text.to_string());
        self.draft.task_key = None;
        self.draft.spans.clear();
    }

    fn start_task(&mut self, text: &str, cell: Cell) {
        let (code, title) = self.leading_code(text, cell, Kind::Task);
        let mut task = Task { code, title, ..Task::default() };
        task.at.task = Some(cell);
        // Where a level or K/S belongs until one is found: the blank cell a clerk has to fill.
        let on_this_row = |column| self.col(column).map(|col| Cell { row: cell.row, col });
        (task.at.level, task.at.knowledge, task.at.skills) =
            (on_this_row(Column::Level), on_this_row(Column::Knowledge), on_this_row(Column::Skills));
        task.at.indicators = on_this_row(Column::Indicator).or_else(|| on_this_row(Column::IndicatorCode));
        if self.draft.duties.is_empty() {
            let parent = code::parent(&task.code).unwrap_or_default();
            self.warn("missing-duty", cell, Message::new("missing-duty").arg("task", one_line(text)));
            self.draft.duties.push(Duty { code: parent, at: Some(cell), ..Duty::default() });
        }
        if let Some(duty) = self.draft.duties.last_mut() {
            duty.tasks.push(task);
        }
        self.draft.task_key = Some(text.to_string());
        self.draft.output_key = None;
        self.draft.row_open = false;
        self.draft.applied.clear();
        self.draft.applied_text.clear();
    }

    fn open_row(&mut self) -> Option<&mut Row> {
        let open = self.draft.row_open;
        self.draft.row_open = true;
        let task = self.current_task()?;
        if !open || task.rows.is_empty() {
            task.rows.push(Row::default());
        }
        task.rows.last_mut()
    }

    fn pieces(&mut self, text: &str, cell: Cell, kind: Kind) -> Vec<Piece> {
        if let Some(pieces) = self.parsed.get(&(cell, kind)) {
            return pieces.clone();
        }
        let pieces = code::split(text, kind);
        for piece in &pieces {
            match &piece.code {
                Some(code) if kind == Kind::Indicator && piece.text.contains('\n') => {
                    self.note_code(code, cell);
                    self.warn_joined(&code.text, &piece.text, cell);
                }
                Some(code) => self.note_code(code, cell),
                None => self.warn(
                    "missing-code",
                    cell,
                    Message::new("missing-code").arg("kind", kind.label()).arg("text", one_line(&piece.text)),
                ),
            }
        }
        self.parsed.insert((cell, kind), pieces.clone());
        pieces
    }

    /// A 行為指標 whose text runs over several lines: each further line has no code of its own and
    /// is read as part of the indicator above, so a checklist gives the two behaviours one box.
    fn warn_joined(&mut self, code: &str, text: &str, cell: Cell) {
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if let Some(second) = lines.get(1) {
            let message = Message::new("joined-indicator").arg("code", code).arg("line", one_line(second)).arg("cell", cell.a1());
            self.warn("joined-indicator", cell, message);
        }
    }

    fn add_outputs(&mut self, text: &str, cell: Cell) {
        let pieces = self.pieces(text, cell, Kind::Output);
        let Some(row) = self.open_row() else { return };
        for piece in pieces {
            row.outputs.push(Output { code: piece.code.map(|c| c.text).unwrap_or_default(), title: piece.text, at: Some(cell) });
        }
    }

    fn add_indicators(&mut self, text: &str, cell: Cell) {
        let pieces = self.pieces(text, cell, Kind::Indicator);
        let Some(row) = self.open_row() else { return };
        for piece in pieces {
            row.indicators.push(Indicator { code: piece.code.map(|c| c.text).unwrap_or_default(), text: piece.text, at: Some(cell) });
        }
    }

    /// The cell that gives a spanning column its value on this line: the cell itself, the top-left
    /// cell of a merged range covering it, or (without merges) the last value above in this duty.
    fn span_cell(&mut self, row: u32, column: Column) -> Option<Span> {
        let col = self.col(column)?;
        let duty = self.draft.duties.len();
        let own = self.grid.text(row, col).trim();
        let span = if !own.is_empty() {
            Some(Span { anchor: Cell { row, col }, text: own.to_string(), duty })
        } else if self.merges {
            self.grid
                .merge_at(row, col)
                .filter(|m| m.first.row < row)
                .map(|m| Span { anchor: m.first, text: self.grid.text(m.first.row, m.first.col).trim().to_string(), duty })
                .filter(|s| !s.text.is_empty())
        } else if !self.filled {
            self.draft.spans.get(&column).filter(|s| s.duty == duty).cloned()
        } else {
            None
        };
        match &span {
            Some(span) => self.draft.spans.insert(column, span.clone()),
            None => self.draft.spans.remove(&column),
        };
        span
    }

    fn apply_span(&mut self, row: u32, column: Column) {
        let Some(span) = self.span_cell(row, column) else { return };
        if !self.draft.applied.insert((column, span.anchor)) || !self.draft.applied_text.insert((column, span.text.clone())) {
            return;
        }
        match column {
            Column::Level => self.apply_level(&span),
            Column::Knowledge => self.apply_competencies(&span, Kind::Knowledge),
            Column::Skills => self.apply_competencies(&span, Kind::Skill),
            _ => {}
        }
    }

    fn apply_level(&mut self, span: &Span) {
        let parsed = code::parse_level(&span.text);
        let first_time = self.reported.insert((span.anchor, Column::Level));
        let level = match parsed {
            Ok(level) => level,
            Err(code::NotALevel) => {
                if first_time {
                    self.warn(
                        "level",
                        span.anchor,
                        Message::new("not-a-level").arg("text", one_line(&span.text)).arg("cell", span.anchor.a1()),
                    );
                }
                None
            }
        };
        if let Some(task) = self.current_task()
            && task.level.is_none()
        {
            task.level = level;
            task.at.level = Some(span.anchor);
        }
    }

    fn apply_competencies(&mut self, span: &Span, column_kind: Kind) {
        let pieces = self.pieces(&span.text, span.anchor, column_kind);
        let column = if column_kind == Kind::Skill { Column::Skills } else { Column::Knowledge };
        let first_time = self.reported.insert((span.anchor, column));
        for piece in pieces {
            let kind = piece.code.as_ref().map_or(column_kind, |c| c.kind);
            let code = piece.code.as_ref().map(|c| c.text.clone()).unwrap_or_default();
            if kind != column_kind && first_time {
                let (other, own) = if kind == Kind::Skill { (Kind::Skill, Kind::Knowledge) } else { (Kind::Knowledge, Kind::Skill) };
                let message = Message::new("competency-column").arg("code", &code).arg("own", own.label()).arg("other", other.label());
                self.warn_info("competency-column", span.anchor, message);
            }
            let item = Item { code: code.clone(), name: piece.text.clone(), at: Some(span.anchor) };
            let catalogue = if kind == Kind::Skill { &mut self.draft.skills } else { &mut self.draft.knowledge };
            if let Some(message) = catalogue.add(item)
                && first_time
            {
                self.warn("two-names", span.anchor, message);
            }
            if let Some(task) = self.current_task() {
                let (list, cell) = if kind == Kind::Skill {
                    (&mut task.skills, &mut task.at.skills)
                } else {
                    (&mut task.knowledge, &mut task.at.knowledge)
                };
                if list.is_empty() {
                    *cell = Some(span.anchor);
                }
                list.push(code);
            }
        }
    }

    // ---------------------------------------------------------------- after the table

    fn read_sections(&mut self, from: u32) {
        let mut section = None;
        for row in from..self.grid.height() {
            // As the source wrote them: a note's bullet mark gives its level (`Draft::add_notes`).
            let cells: Vec<(u32, String)> = self.raw.row_cells(row).map(|(c, t)| (c, t.to_string())).collect();
            let is_label = cells.first().is_some_and(|(_, text)| labels::section(text).is_some());
            if !is_label && cells.len() >= 2 && matches!(section, Some(Section::Notes) | None) {
                // A row of two or more cells among the notes is a row of a small table: one note.
                self.draft.add_table_row(cells.iter().map(|(_, t)| t.as_str()));
                continue;
            }
            for (i, (col, text)) in cells.iter().enumerate() {
                if i == 0
                    && let Some(found) = labels::section(text)
                {
                    section = Some(found);
                    if labels::label(text).base == "入門水準" {
                        self.draft.add_notes(text);
                    }
                    continue;
                }
                let cell = Cell { row, col: *col };
                match section {
                    Some(Section::Attitudes) => {
                        let text = self.grid.text(row, *col).to_string();
                        self.add_attitudes(&text, cell)
                    }
                    Some(Section::Notes) | None => self.draft.add_notes(text),
                }
            }
        }
    }

    fn add_attitudes(&mut self, text: &str, cell: Cell) {
        for piece in self.pieces(text, cell, Kind::Attitude) {
            let code = piece.code.map(|c| c.text).unwrap_or_default();
            self.draft.attitudes.push(Item { code, name: piece.text, at: Some(cell) });
        }
    }

    // ---------------------------------------------------------------- the standard

    fn finish(mut self) -> Vec<Reading> {
        let last = std::mem::take(&mut self.draft);
        self.done.push(last);
        let drafts = std::mem::take(&mut self.done);
        drafts.into_iter().filter(|d| d.has_content || !d.meta.values.is_empty()).map(|d| self.standard(d)).collect()
    }

    fn standard(&mut self, mut draft: Draft) -> Reading {
        let mut diagnostics = std::mem::take(&mut draft.diagnostics);
        // Metadata columns of a database export: attitudes and notes in one cell each.
        if let Some((text, _)) = draft.meta.get(Field::Notes) {
            let text = text.clone();
            draft.add_notes(&text);
        }
        let meta = &draft.meta;
        if let Some((text, cell)) = meta.get(Field::Attitudes) {
            for piece in code::split(text, Kind::Attitude) {
                let code = piece.code.map(|c| c.text).unwrap_or_default();
                draft.attitudes.push(Item { code, name: piece.text, at: Some(*cell) });
            }
        }
        // The levels the source marked, one per note (a table row has none).
        let marks: Vec<(usize, labels::Mark)> = draft.note_marks.iter().flatten().copied().collect();
        let mut levels = labels::note_levels(&marks).into_iter();
        let note_levels: Vec<Option<u8>> = draft.note_marks.iter().map(|m| m.and_then(|_| levels.next().flatten())).collect();
        let note_levels = if note_levels.iter().all(Option::is_none) { Vec::new() } else { note_levels };
        let code = self.standard_code(meta, &mut diagnostics);
        let (name, name_kind) = if let Some((name, _)) = meta.get(Field::NameOccupation) {
            (name.clone(), Some(NameKind::Occupation))
        } else if let Some((name, _)) = meta.get(Field::NameCategory) {
            (name.clone(), Some(NameKind::Category))
        } else {
            let kind = match labels::normalise(&meta.text(Field::NameKind)).as_str() {
                "職業" | "occupation" => Some(NameKind::Occupation),
                "職類" | "category" => Some(NameKind::Category),
                _ => None,
            };
            (meta.get(Field::Name).map(|(n, _)| n.clone()).or(meta.title.clone()).unwrap_or_default(), kind)
        };
        let classification = Classification {
            job_category: named(meta, Field::JobCategory, Field::JobCategoryCode, &mut diagnostics),
            occupation: named(meta, Field::Occupation, Field::OccupationCode, &mut diagnostics),
            industry: named(meta, Field::Industry, Field::IndustryCode, &mut diagnostics),
        };
        let level = match meta.get(Field::Level).map(|(t, c)| (code::parse_level(t), *c)) {
            Some((Ok(level), _)) => level,
            Some((Err(code::NotALevel), cell)) => {
                let message = Message::new("not-a-standard-level").arg("text", meta.text(Field::Level)).arg("cell", cell.a1());
                diagnostics.push(Diagnostic::warning("level", Some(cell), message));
                None
            }
            None => None,
        };
        let standard = Standard {
            code,
            name,
            name_kind,
            classification,
            description: meta.text(Field::Description),
            level,
            versions: draft.meta.versions.clone(),
            duties: draft.duties,
            knowledge: draft.knowledge.items,
            skills: draft.skills.items,
            attitudes: draft.attitudes,
            notes: draft.notes,
            source: Source {
                file: self.file.clone(),
                sheet: self.grid.sheet.clone(),
                code_at: meta.get(Field::Code).map(|(_, c)| *c),
                places: self.grid.places.clone(),
                note_levels,
            },
        };
        diagnostics.extend(leftover_example(&standard, meta.get(Field::Code).map(|(_, c)| *c)));
        let diagnostics = diagnostics.into_iter().map(|d| d.located_in(&standard.source)).collect();
        Reading { standard, diagnostics }
    }

    /// The 職能基準代碼 from the header, else from the sheet name, else from the file name.
    fn standard_code(&self, meta: &Meta, diagnostics: &mut Vec<Diagnostic>) -> String {
        if let Some((raw, cell)) = meta.get(Field::Code) {
            let code = code::standard_code(raw);
            if !code.rewrites.is_empty() {
                diagnostics.push(Diagnostic::info("code-rewrite", Some(*cell), rewritten(&code.original, &code.text, &code.rewrites)));
            }
            return code.text;
        }
        let from_sheet = code::find_standard_code(&self.grid.sheet);
        let from_file = std::path::Path::new(&self.file).file_name().and_then(|n| n.to_str()).and_then(code::find_standard_code);
        match (from_sheet, from_file) {
            (Some(code), _) => {
                diagnostics.push(Diagnostic::info("code-from-name", None, Message::new("code-from-sheet-name").arg("code", &code)));
                code
            }
            (None, Some(code)) => {
                diagnostics.push(Diagnostic::info("code-from-name", None, Message::new("code-from-file-name").arg("code", &code)));
                code
            }
            (None, None) => String::new(),
        }
    }
}

impl Catalogue {
    /// Add a K/S entry; returns a message when the code already has a different name.
    fn add(&mut self, item: Item) -> Option<Message> {
        match self.index.get(&item.code) {
            Some(&i) => {
                let known = &mut self.items[i];
                if known.name.is_empty() {
                    known.name = item.name;
                    None
                } else if !item.name.is_empty() && known.name != item.name {
                    Some(
                        Message::new("two-names")
                            .arg("code", &item.code)
                            .arg("first", one_line(&known.name))
                            .arg("second", one_line(&item.name)),
                    )
                } else {
                    None
                }
            }
            None => {
                self.index.insert(item.code.clone(), self.items.len());
                self.items.push(item);
                None
            }
        }
    }
}

/// A classification entry: its name and code, the code also accepted in parentheses after the
/// name (`企業經營管理 / 行政支援（BAS）`) when there is no code cell.
fn named(meta: &Meta, name_field: Field, code_field: Field, diagnostics: &mut Vec<Diagnostic>) -> Named {
    let name = meta.text(name_field);
    let code = meta.text(code_field);
    let (bare, in_parens) = split_trailing_code(&name);
    match in_parens {
        Some(paren) if code.is_empty() || code == paren => Named { name: bare, code: paren },
        Some(paren) => {
            let cell = meta.get(name_field).map(|(_, c)| *c);
            let message = Message::new("classification-code").arg("paren", &paren).arg("code", &code);
            diagnostics.push(Diagnostic::new(Severity::Warning, "classification-code", cell, message));
            Named { name: bare, code }
        }
        None => Named { name, code },
    }
}

/// `名稱（BAS）` → (`名稱`, `BAS`) when the parentheses hold a code (letters and digits only).
fn split_trailing_code(text: &str) -> (String, Option<String>) {
    let trimmed = text.trim();
    let Some(body) = trimmed.strip_suffix(')').or_else(|| trimmed.strip_suffix('）')) else { return (trimmed.to_string(), None) };
    let Some(open) = body.rfind(['(', '（']) else { return (trimmed.to_string(), None) };
    let inner = body[open..].trim_start_matches(['(', '（']).trim();
    if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_alphanumeric()) || open == 0 {
        return (trimmed.to_string(), None);
    }
    (body[..open].trim().to_string(), Some(inner.to_string()))
}

/// The mark `ocs init` puts on every example value, and the example's code.
const EXAMPLE_MARK: &str = "（範例）";
const EXAMPLE_CODE: &str = "ABC1234-001";

/// Rows and header values left over from `ocs init`'s example: one warning for the header block
/// (the example code or a marked name), one per task that still holds a marked value.
fn leftover_example(standard: &Standard, code_cell: Option<Cell>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let header =
        [&standard.name, &standard.description, &standard.classification.job_category.name, &standard.classification.occupation.name];
    if standard.code == EXAMPLE_CODE || header.iter().any(|t| t.contains(EXAMPLE_MARK)) {
        let message = Message::new("example-header").arg("code", &standard.code);
        found.push(Diagnostic::warning("example-left", code_cell, message));
    }
    for duty in &standard.duties {
        for task in &duty.tasks {
            let texts = std::iter::once(duty.title.as_str())
                .chain([task.title.as_str()])
                .chain(task.outputs().map(|o| o.title.as_str()))
                .chain(task.indicators().map(|p| p.text.as_str()));
            if texts.into_iter().any(|t| t.contains(EXAMPLE_MARK)) {
                let label = if task.code.is_empty() { one_line(&task.title) } else { task.code.clone() };
                let cell = task.at.task;
                let message = Message::new("example-row").arg("task", label).arg("cell", cell.map(Cell::a1).unwrap_or_default());
                found.push(Diagnostic::warning("example-left", cell, message));
            }
        }
    }
    found
}

/// A code respelled: `Ｔ１．１` read as `T1.1` (full-width made half-width, …).
fn rewritten(original: &str, text: &str, rewrites: &[Rewrite]) -> Message {
    let what = rewrites.iter().map(|r| Message::new(r.message_id())).collect();
    Message::new("code-rewrite").arg("original", original).arg("code", text).list("what", what)
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let short: String = line.chars().take(40).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_codes_in_parentheses() {
        assert_eq!(split_trailing_code("企業經營管理 / 行政支援（BAS）"), ("企業經營管理 / 行政支援".to_string(), Some("BAS".to_string())));
        assert_eq!(split_trailing_code("組織及政策管理專業人員(2421)"), ("組織及政策管理專業人員".to_string(), Some("2421".to_string())));
        assert_eq!(split_trailing_code("支援服務業（含行政）"), ("支援服務業（含行政）".to_string(), None));
    }
}
