//! One conversion, bytes in and bytes out: read each input, decide which standards repeat or
//! conflict, check (and fix), render every output. The command line and the web page both call
//! [`convert`]; what differs between them (files or bytes in hand, a folder or a zip to put the
//! outputs in, threads, progress, Ctrl-C) is a [`Host`]. No file system, no threads here.

use crate::check;
use crate::diag::{Diagnostic, Severity};
use crate::i18n::{Lang, Message};
use crate::model::Standard;
use crate::read::{self, Limits, form};
use crate::render;
use crate::report::{Outcome, PdfFonts, Report};
use crate::template::Template;
use crate::text::Font;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What a conversion does with each standard.
#[derive(Debug, Clone)]
pub struct Options {
    /// Make the outputs; `false` for `ocs check` (read and validate only).
    pub build: bool,
    pub fix: bool,
    /// Warnings fail a standard.
    pub strict: bool,
    pub limits: Limits,
    pub template: Template,
    /// Parsed once per run, shared by every standard.
    pub font: Arc<Font>,
    /// Seconds since 1970 that date the outputs (`SOURCE_DATE_EPOCH`, else 0): same input, same bytes.
    pub epoch: i64,
    /// Which files to make.
    pub outputs: Vec<Output>,
    /// Roles named by `--roles`, replacing the ones found from task titles.
    pub roles: Option<Vec<crate::roles::Role>>,
}

/// A kind of output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// `CODE.json`, the canonical JSON.
    Json,
    /// `CODE.csv`, the flat table.
    Csv,
    /// `CODE.pdf`, the official table.
    Pdf,
    /// `CODE.xlsx`, the official workbook.
    Xlsx,
    /// `CODE.ods`, the official workbook as OpenDocument spreadsheet.
    Ods,
    /// `CODE.odt`, the official table as OpenDocument text.
    Odt,
    /// `CODE-matrix.pdf`, the competency matrix.
    Matrix,
    /// `CODE-checklist.pdf`, `.odt`, `.ods`, `.xlsx`, and the same per role under `checklists/`.
    Checklist,
}

impl Output {
    pub const ALL: [Output; 8] =
        [Output::Json, Output::Csv, Output::Xlsx, Output::Ods, Output::Pdf, Output::Odt, Output::Matrix, Output::Checklist];
}

impl Options {
    /// Options that build every output with the official template, the embedded font and a fixed date.
    pub fn new() -> Options {
        Options {
            build: true,
            fix: false,
            strict: false,
            limits: Limits::default(),
            template: Template::official(),
            font: Arc::new(Font::embedded()),
            epoch: 0,
            outputs: Output::ALL.to_vec(),
            roles: None,
        }
    }
}

impl Options {
    /// Draw the PDFs with a font; the workbooks and ODF documents then name that face.
    pub fn use_font(&mut self, font: Font) {
        self.template.font.name = font.family();
        self.font = Arc::new(font);
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new()
    }
}

/// Output files as (path relative to the standard's folder `OUT/CODE/`, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// Where a conversion gets its inputs and puts its outputs: the command line's folders and
/// threads, or the page's bytes in memory.
pub trait Host: Sync {
    /// Read input `index` (of the names given to [`convert`]). Called once per input.
    fn read(&self, index: usize, limits: &Limits) -> Result<read::Workbook, read::Error>;
    /// Keep one standard's files, as `OUT/CODE/` (all or nothing); why not, when they cannot be.
    fn place(&self, code: &str, files: &Files) -> Result<(), Message>;
    /// `work` for each of `0..count`, the results in that order, on as many threads as there are.
    fn each<T: Send>(&self, count: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T>;
    /// Whether to stop: the inputs not yet begun are skipped.
    fn stopped(&self) -> bool {
        false
    }
    /// One more input has been converted.
    fn converted(&self) {}
}

/// Inputs read and converted together: the most whose standards are held at once.
const CHUNK: usize = 64;

/// What reading an input gave: its standards and notes, or why it has none ([`readings`]).
type Readings = Result<(Vec<form::Reading>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// An input of a chunk once read: its readings with the JSON of each standard the fingerprints
/// made (taken when it is converted), and what it tells to find repeated standards.
type Read = (std::sync::Mutex<Option<(Readings, Vec<Vec<u8>>)>>, Vec<Found>);

/// Convert every input, named as in messages and the report. The inputs go in chunks of
/// [`CHUNK`], in input order, so that the result does not depend on thread timing and memory stays
/// flat: each input of a chunk is read once, with a fingerprint of each standard's JSON (the JSON
/// kept, when `.json` is an output, to be written as the standard's; [`fingerprints`]); a code met
/// again is decided against the first standard of that code in input order (only codes and
/// fingerprints outlive a chunk); then the chunk is converted and its standards dropped once
/// placed. One input cannot repeat a standard of another (a workbook's sheets of one code are one
/// standard, [`standards_of`]), so nothing is fingerprinted when there is one.
pub fn convert(names: &[String], options: &Options, host: &impl Host) -> Report {
    let mut first: HashMap<String, Found> = HashMap::new();
    let mut reports: Vec<Report> = Vec::with_capacity(names.len());
    for start in (0..names.len()).step_by(CHUNK) {
        let count = CHUNK.min(names.len() - start);
        let read: Vec<Read> = host.each(count, &|k| {
            let index = start + k;
            if host.stopped() {
                return (std::sync::Mutex::new(None), Vec::new());
            }
            let read = readings(&names[index], host.read(index, &options.limits));
            let (found, json) = if names.len() < 2 { (Vec::new(), Vec::new()) } else { fingerprints(&names[index], &read, options) };
            (std::sync::Mutex::new(Some((read, json))), found)
        });
        let verdicts = decide(&mut first, read.iter().map(|(_, found)| found.as_slice()));
        reports.extend(host.each(count, &|k| {
            let taken = read[k].0.lock().unwrap_or_else(|e| e.into_inner()).take();
            let Some((readings, json)) = taken.filter(|_| !host.stopped()) else { return Report::default() };
            let report = process(&names[start + k], readings, json, &verdicts[k], options, host);
            host.converted();
            report
        }));
    }
    let mut report = Report::default();
    for mut part in reports {
        report.outcomes.append(&mut part.outcomes);
        report.failed_files.append(&mut part.failed_files);
        report.diagnostics.append(&mut part.diagnostics);
    }
    // A repeat of a standard is the same standard: it fails with the first one (`--strict`).
    let failed: std::collections::HashSet<String> =
        report.outcomes.iter().filter(|o| o.failed && o.same_as.is_none()).map(|o| o.code.clone()).collect();
    for outcome in report.outcomes.iter_mut().filter(|o| o.same_as.is_some() && failed.contains(&o.code)) {
        outcome.failed = true;
    }
    report
}

/// The run's own files at the top of `OUT/`: `report.json` for scripts and `report.html` for
/// people, in a language.
pub fn report_files(report: &Report, lang: Lang) -> Files {
    let json = serde_json::to_vec_pretty(&report.to_file()).unwrap_or_default();
    let html = render::html::report(report, lang);
    vec![("report.json".to_string(), json), ("report.html".to_string(), html.into_bytes())]
}

/// What reading tells of a standard to decide whether it repeats one.
#[derive(Clone)]
struct Found {
    code: String,
    place: String,
    fingerprint: u64,
}

/// How a standard is treated, decided in input order.
#[derive(Debug, Clone)]
enum Verdict {
    /// The first standard of its code: written.
    Write,
    /// The same content as the first one of its code, read from the given place: written once.
    Same(String),
    /// Other content under a code already read from the given place: not written.
    Conflict(String),
}

/// Every standard of a file's readings in the order `process` meets them, and each one's JSON (what
/// the fingerprint is of) when it is one of the outputs; else the JSON is hashed as it is written,
/// compact and never held (one spelling of the same data as the other: the same standards hash the
/// same in a run).
fn fingerprints(file: &str, read: &Readings, options: &Options) -> (Vec<Found>, Vec<Vec<u8>>) {
    let Ok((laid, _)) = read else { return (Vec::new(), Vec::new()) };
    let keep = options.build && options.outputs.contains(&Output::Json);
    let mut kept = Vec::new();
    let found = laid
        .iter()
        .map(|laid| {
            let fixed;
            let standard = if options.fix {
                fixed = check::fix(&laid.standard).0;
                &fixed
            } else {
                &laid.standard
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            if keep {
                let json = render::json::json(standard);
                json.hash(&mut hasher);
                kept.push(json);
            } else {
                let mut writer = std::io::BufWriter::with_capacity(1 << 13, Hashing(&mut hasher));
                // Writing plain data to a hasher cannot fail; dropping the writer hashes its rest.
                let _ = serde_json::to_writer(&mut writer, standard);
            }
            // A text document has no sheet: the file alone names the place.
            let place = if standard.source.sheet.is_empty() { file.to_string() } else { format!("{file}:{}", standard.source.sheet) };
            Found { code: standard.code.clone(), place, fingerprint: hasher.finish() }
        })
        .collect();
    (found, kept)
}

/// A writer that feeds what is written to a hasher.
struct Hashing<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The verdicts of the standards of some inputs, in input order (by input, by standard within
/// it), against `first`: the first standard of each code met so far, to which the new ones are
/// added.
fn decide<'f>(first: &mut HashMap<String, Found>, found: impl Iterator<Item = &'f [Found]>) -> Vec<Vec<Verdict>> {
    found
        .map(|standards| {
            standards
                .iter()
                .map(|standard| match first.get(standard.code.as_str()) {
                    _ if standard.code.is_empty() => Verdict::Write,
                    Some(seen) if seen.fingerprint == standard.fingerprint => Verdict::Same(seen.place.clone()),
                    Some(seen) => Verdict::Conflict(seen.place.clone()),
                    None => {
                        first.insert(standard.code.clone(), standard.clone());
                        Verdict::Write
                    }
                })
                .collect()
        })
        .collect()
}

/// The standards of a workbook's sheets, with notes on sheets that hold none or repeat one. A
/// later sheet of the same workbook with the same code is another view of it (the 資料 sheet of
/// ocs's own workbook, a clerk's copy): the first sheet is the standard.
fn standards_of(workbook: &read::Workbook, file: &str) -> (Vec<form::Reading>, Vec<Diagnostic>) {
    let mut standards = Vec::new();
    let mut notes = Vec::new();
    let mut sheets_by_code: HashMap<String, String> = HashMap::new();
    for grid in &workbook.grids {
        let Some(laid) = form::standards(grid, file) else {
            if grid.height() > 0 {
                notes.push(Diagnostic::info("no-table", None, Message::new("no-table-sheet")).located(file, &grid.sheet));
            }
            continue;
        };
        for standard in laid {
            let code = standard.standard.code.clone();
            if let Some(first) = sheets_by_code.get(&code).filter(|_| !code.is_empty()) {
                let note = Message::new("same-standard").arg("code", &code).arg("first", first);
                notes.push(Diagnostic::info("same-standard", None, note).located(file, &grid.sheet));
                continue;
            }
            sheets_by_code.insert(code, grid.sheet.clone());
            standards.push(standard);
        }
    }
    (standards, notes)
}

/// The standards of a file (`read`, the reading of `file`) with what reading noticed (the
/// workbook's notes, sheets that hold none or repeat one); or, when the file cannot be read or
/// holds no standard, every diagnostic with the error that says so. The workbook is dropped here.
fn readings(file: &str, read: Result<read::Workbook, read::Error>) -> Readings {
    let workbook = match read {
        Ok(workbook) => workbook,
        Err(error) => {
            let sheet = error.sheet.clone().unwrap_or_default();
            return Err(vec![Diagnostic::error("read", error.cell, error.kind.message()).located(file, &sheet)]);
        }
    };
    let mut diagnostics = workbook.notes.clone();
    let (standards, notes) = standards_of(&workbook, file);
    diagnostics.extend(notes);
    if standards.is_empty() {
        diagnostics.push(Diagnostic::error("no-table", None, Message::new("no-table-file")).located(file, ""));
        return Err(diagnostics);
    }
    Ok((standards, diagnostics))
}

/// Handle each standard of one file's readings; `json` holds the JSON of each when the fingerprints
/// made it (empty otherwise).
fn process(file: &str, read: Readings, json: Vec<Vec<u8>>, verdicts: &[Verdict], options: &Options, host: &impl Host) -> Report {
    let mut report = Report::default();
    let (standards, notes) = match read {
        Ok(read) => read,
        Err(why) => {
            report.diagnostics.extend(why);
            report.failed_files.push(file.to_string());
            return report;
        }
    };
    report.diagnostics.extend(notes);
    let mut json = json.into_iter();
    for (n, standard) in standards.into_iter().enumerate() {
        let verdict = verdicts.get(n).cloned().unwrap_or(Verdict::Write);
        handle(standard, json.next(), verdict, options, host, &mut report);
    }
    report
}

/// Check, render and place one standard; `json` is its JSON if made already (by the fingerprints,
/// from the same standard, fixed when `--fix` fixes it here).
fn handle(laid: form::Reading, json: Option<Vec<u8>>, verdict: Verdict, options: &Options, host: &impl Host, report: &mut Report) {
    let form::Reading { mut standard, mut diagnostics } = laid;
    let (file, sheet) = (standard.source.file.clone(), standard.source.sheet.clone());
    let same_as = match &verdict {
        Verdict::Same(first) => Some(first.clone()),
        _ => None,
    };
    if options.fix {
        let (fixed, changes) = check::fix(&standard);
        standard = fixed;
        if same_as.is_none() {
            diagnostics.extend(changes.into_iter().map(|d| d.located_in(&standard.source)));
        }
    }
    let code = standard.code.clone();
    match &verdict {
        // The same standard as one read before: its structural defects and repairs were reported
        // there, and the clerk fixes them once. What reading this file noticed is still reported.
        Verdict::Same(first) => diagnostics.push(
            Diagnostic::info("duplicate-standard", None, Message::new("standard-repeated").arg("code", &code).arg("first", first))
                .located(&file, &sheet),
        ),
        Verdict::Write => diagnostics.extend(check::check(&standard).into_iter().map(|d| d.located_in(&standard.source))),
        Verdict::Conflict(first) => {
            diagnostics.extend(check::check(&standard).into_iter().map(|d| d.located_in(&standard.source)));
            let message = Message::new("standard-conflict").arg("code", &code).arg("first", first);
            diagnostics.push(Diagnostic::error("duplicate-standard", None, message).located(&file, &sheet));
        }
    }
    let repeat = same_as.is_some();
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error || (options.strict && d.severity == Severity::Warning));
    let mut written = false;
    let mut names = Vec::new();
    let mut fonts = Vec::new();
    if !failed && !repeat && options.build {
        match render_files(&standard, json, &diagnostics, options) {
            Ok(Rendered { files, notes, fonts: drawn_with }) => {
                let refused = notes.iter().any(|d| d.severity == Severity::Error);
                diagnostics.extend(notes.into_iter().map(|d| d.located(&file, &sheet)));
                if !refused {
                    match host.place(&code, &files) {
                        Ok(()) => {
                            written = true;
                            names = files.into_iter().map(|(name, _)| name).collect();
                            fonts = drawn_with;
                        }
                        Err(message) => diagnostics.push(Diagnostic::error("write", None, message).located(&file, &sheet)),
                    }
                }
            }
            Err(e) => {
                diagnostics.push(Diagnostic::error("render", None, Message::new("render-failed").arg("error", e)).located(&file, &sheet))
            }
        }
    }
    let failed = failed || (options.build && !written && !repeat);
    report.diagnostics.extend(diagnostics);
    report.outcomes.push(Outcome { code, name: standard.name.clone(), file, sheet, written, failed, files: names, same_as, fonts });
}

/// Every output of one standard, with what rendering noticed and the fonts of each PDF.
struct Rendered {
    files: Files,
    notes: Vec<Diagnostic>,
    fonts: Vec<PdfFonts>,
}

/// Every output of one standard; `json` its JSON if made already.
fn render_files(standard: &Standard, mut json: Option<Vec<u8>>, diagnostics: &[Diagnostic], options: &Options) -> Result<Rendered, String> {
    use crate::doc;
    use crate::render::{odt, pdf, sheet};
    let code = &standard.code;
    let (template, font, epoch) = (&options.template, &*options.font, options.epoch);
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let mut fonts = Vec::new();
    // The workbook's sheets are placed once for both workbook formats, the form built once for
    // the PDF and the ODT.
    let mut placed: Option<Vec<sheet::Sheet>> = None;
    let mut form: Option<doc::Document> = None;
    for output in &options.outputs {
        let (name, bytes) = match output {
            Output::Json => (format!("{code}.json"), json.take().unwrap_or_else(|| render::json::json(standard))),
            Output::Csv => (format!("{code}.csv"), render::csv::csv(standard)),
            Output::Xlsx | Output::Ods => {
                let sheets = placed.get_or_insert_with(|| {
                    let (sheets, mut cut) = sheet::place_all(&doc::workbook::sheets(standard, diagnostics, template), template, font);
                    notes.append(&mut cut);
                    sheets
                });
                let (kind, extension) = if *output == Output::Xlsx { (sheet::Kind::Xlsx, "xlsx") } else { (sheet::Kind::Ods, "ods") };
                let title = format!("{code} {}{}", standard.name, template.labels.title_suffix);
                (format!("{code}.{extension}"), sheet::workbook(kind, sheets, &title, template, epoch)?)
            }
            Output::Pdf => {
                let form = form.get_or_insert_with(|| doc::form::document(standard, template));
                let mut made = pdf::pdf(form, font, epoch).map_err(|e| e.to_string())?;
                notes.append(&mut made.missing);
                let name = format!("{code}.pdf");
                fonts.push(PdfFonts { pdf: name.clone(), fonts: made.fonts });
                (name, made.bytes)
            }
            Output::Odt => {
                let form = form.get_or_insert_with(|| doc::form::document(standard, template));
                (format!("{code}.odt"), odt::text(form, template, font).map_err(|e| e.to_string())?)
            }
            Output::Matrix => {
                let made = pdf::pdf(&doc::matrix::document(standard, template), font, epoch).map_err(|e| e.to_string())?;
                let name = format!("{code}-matrix.pdf");
                fonts.push(PdfFonts { pdf: name.clone(), fonts: made.fonts });
                (name, made.bytes)
            }
            Output::Checklist => {
                checklists(standard, options, &mut files, &mut notes, &mut fonts)?;
                continue;
            }
        };
        files.push((name, bytes));
    }
    Ok(Rendered { files, notes, fonts })
}

/// The checklist of the whole standard, then one per role (found, or named by `--roles`), each as
/// PDF, ODT, ODS and XLSX.
fn checklists(
    standard: &Standard,
    options: &Options,
    files: &mut Files,
    notes: &mut Vec<Diagnostic>,
    fonts: &mut Vec<PdfFonts>,
) -> Result<(), String> {
    use crate::doc::checklist;
    use crate::render::{odt, pdf, sheet};
    let code = &standard.code;
    let (template, font, epoch) = (&options.template, &*options.font, options.epoch);
    let one = |tasks: &checklist::Tasks<'_>,
               role: Option<&str>,
               stem: String,
               files: &mut Files,
               notes: &mut Vec<Diagnostic>,
               fonts: &mut Vec<PdfFonts>|
     -> Result<(), String> {
        let document = checklist::document(standard, tasks, role, template);
        let made = pdf::pdf(&document, font, epoch).map_err(|e| e.to_string())?;
        fonts.push(PdfFonts { pdf: format!("{stem}.pdf"), fonts: made.fonts });
        files.push((format!("{stem}.pdf"), made.bytes));
        files.push((format!("{stem}.odt"), odt::text(&document, template, font).map_err(|e| e.to_string())?));
        let (sheets, mut cut) = sheet::place_all(std::slice::from_ref(&document), template, font);
        notes.append(&mut cut);
        for (kind, extension) in [(sheet::Kind::Ods, "ods"), (sheet::Kind::Xlsx, "xlsx")] {
            files.push((format!("{stem}.{extension}"), sheet::workbook(kind, &sheets, &document.title, template, epoch)?));
        }
        Ok(())
    };
    one(&checklist::all_tasks(standard), None, format!("{code}-checklist"), files, notes, fonts)?;
    let named = options.roles.is_some();
    let roles = options.roles.clone().unwrap_or_else(|| crate::roles::detect(standard));
    let stems = crate::roles::file_stems(&roles);
    let mut written = 0;
    for (role, stem) in roles.iter().zip(stems) {
        let (tasks, missing) = checklist::tasks_of(standard, &role.tasks);
        if !missing.is_empty() {
            let (rule, message) = if tasks.is_empty() {
                ("role-empty", Message::new("role-no-task"))
            } else {
                ("role-task", Message::new("role-missing-tasks"))
            };
            let message = message
                .arg("role", &role.name)
                .arg("code", code)
                .arg("missing", missing.join(", "))
                .arg("tasks", standard.tasks().map(|t| t.code.as_str()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(", "));
            notes.push(Diagnostic::warning(rule, None, message));
        }
        if tasks.is_empty() {
            continue;
        }
        one(&tasks, Some(&role.name), format!("checklists/{stem}"), files, notes, fonts)?;
        written += 1;
    }
    // Roles named on the command line of which not one fits this standard: the user asked for
    // role checklists and would silently get none.
    if named && written == 0 && !roles.is_empty() {
        notes.push(Diagnostic::error("role-empty", None, Message::new("roles-none-fit").arg("code", code)));
    }
    Ok(())
}

/// Why two versions were not compared: `ocs diff` exits 2 and the page says why.
#[derive(Debug)]
pub enum Refusal {
    /// A version gives no standard (its diagnostics say why).
    Unreadable,
    /// The versions hold different standards (said in [`Comparison::warnings`]) and `force` was off.
    Different,
    /// The new version's code cannot name the output files.
    BadCode(Message),
    /// A document could not be made.
    Render(String),
}

impl Refusal {
    /// What to tell the user; for [`Refusal::Different`], the command line's hint (`--force`).
    pub fn message(&self) -> Message {
        match self {
            Refusal::Unreadable => Message::new("diff-unreadable"),
            Refusal::Different => Message::new("diff-force-hint"),
            Refusal::BadCode(message) => message.clone(),
            Refusal::Render(error) => Message::new("render-failed").arg("error", error),
        }
    }
}

/// Two versions compared: the changes, the 修正對照表's files ([`amendment_files`]) and the 更新說明.
pub struct Amendment {
    pub diff: crate::diff::Diff,
    pub files: Files,
    /// The 更新說明 (empty when the versions say the same).
    pub summary: String,
    /// What rendering noticed (a character no font has).
    pub notes: Vec<Diagnostic>,
}

/// What comparing two versions gave: `ocs diff` and the page both show it.
pub struct Comparison {
    /// What reading the old version, then the new one, found.
    pub diagnostics: Vec<Diagnostic>,
    /// Said before the result: the two versions hold different standards (compared anyway when
    /// forced), or they look given in the wrong order (compared as given).
    pub warnings: Vec<Message>,
    pub result: Result<Amendment, Refusal>,
}

/// Compare two versions of a standard, each a file's name and its reading: every file of the
/// comparison is made in memory, or none. `force` compares different standards (codes) too.
pub fn compare(
    old: (&str, Result<read::Workbook, read::Error>),
    new: (&str, Result<read::Workbook, read::Error>),
    options: &Options,
    force: bool,
) -> Comparison {
    let (old, mut diagnostics) = read_version(old.0, old.1, options);
    let (new, more) = read_version(new.0, new.1, options);
    diagnostics.extend(more);
    let mut comparison = Comparison { diagnostics, warnings: Vec::new(), result: Err(Refusal::Unreadable) };
    let (Some(old), Some(new)) = (old, new) else { return comparison };
    if crate::code::standard_code_base(&old.code) != crate::code::standard_code_base(&new.code) {
        comparison.warnings.push(Message::new("diff-different-standards").arg("old", &old.code).arg("new", &new.code));
        if !force {
            comparison.result = Err(Refusal::Different);
            return comparison;
        }
    }
    if let Some(problem) = crate::code::file_name_problem(&new.code) {
        comparison.result = Err(Refusal::BadCode(Message::new("diff-bad-code").arg("code", &new.code).message("problem", problem)));
        return comparison;
    }
    let diff = crate::diff::diff(&old, &new);
    if diff.looks_reversed() {
        let when = |side: &crate::diff::Side| match &side.date {
            Some(date) => format!("{} {date}", side.code),
            None => side.code.clone(),
        };
        comparison.warnings.push(Message::new("diff-reversed").arg("old", when(&diff.old)).arg("new", when(&diff.new)));
    }
    comparison.result = match amendment_files(&diff, options) {
        Ok((files, notes)) => Ok(Amendment { summary: crate::diff::summary(&diff, &options.template.amendment), diff, files, notes }),
        Err(error) => Err(Refusal::Render(error)),
    };
    comparison
}

/// One version for `ocs diff`: the first standard of a file's workbook (`read`, the reading of
/// `file`), read and checked as a conversion reads and checks it (fixed with `fix`), with every
/// diagnostic located; `None` when the file gives no standard (the diagnostics say why).
fn read_version(file: &str, read: Result<read::Workbook, read::Error>, options: &Options) -> (Option<Standard>, Vec<Diagnostic>) {
    let (standards, mut diagnostics) = match readings(file, read) {
        Ok(read) => read,
        Err(why) => return (None, why),
    };
    let mut standards = standards.into_iter();
    let Some(form::Reading { mut standard, diagnostics: read }) = standards.next() else { return (None, diagnostics) };
    diagnostics.extend(read);
    if options.fix {
        let (fixed, changes) = check::fix(&standard);
        standard = fixed;
        diagnostics.extend(changes.into_iter().map(|d| d.located_in(&standard.source)));
    }
    diagnostics.extend(check::check(&standard).into_iter().map(|d| d.located_in(&standard.source)));
    let others: Vec<String> = standards.map(|r| r.standard.code).collect();
    if !others.is_empty() {
        let message = Message::new("diff-first-standard").arg("code", &standard.code).arg("others", others.join(", "));
        diagnostics.push(Diagnostic::warning("diff-first-standard", None, message).located(file, &standard.source.sheet));
    }
    (Some(standard), diagnostics)
}

/// The files of a comparison, named after the new version's code: the 修正對照表 as PDF, ODT, XLSX
/// and ODS (one document, every backend), `CODE-diff.json` and `CODE-更新說明.txt`; with what
/// rendering noticed (a character no font has).
pub fn amendment_files(diff: &crate::diff::Diff, options: &Options) -> Result<(Files, Vec<Diagnostic>), String> {
    use crate::render::{odt, pdf, sheet};
    let (template, font, epoch) = (&options.template, &*options.font, options.epoch);
    let document = crate::doc::amendment::document(diff, template);
    let stem = format!("{}-{}", diff.new.code, template.amendment.title);
    let made = pdf::pdf(&document, font, epoch).map_err(|e| e.to_string())?;
    let mut notes = made.missing;
    let mut files = vec![
        (format!("{stem}.pdf"), made.bytes),
        (format!("{stem}.odt"), odt::text(&document, template, font).map_err(|e| e.to_string())?),
    ];
    let (sheets, mut cut) = sheet::place_all(std::slice::from_ref(&document), template, font);
    notes.append(&mut cut);
    for (kind, extension) in [(sheet::Kind::Xlsx, "xlsx"), (sheet::Kind::Ods, "ods")] {
        files.push((format!("{stem}.{extension}"), sheet::workbook(kind, &sheets, &document.title, template, epoch)?));
    }
    let summary = crate::diff::summary(diff, &template.amendment);
    files.push((format!("{}-diff.json", diff.new.code), render::json::diff(diff, &summary)));
    // Named as the paragraph is in the 版本 table: CODE-更新說明.txt.
    let name = template.labels.version_note.replace('\n', "");
    files.push((format!("{}-{name}.txt", diff.new.code), format!("{summary}\n").into_bytes()));
    Ok((files, notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Inputs in memory, each read counted; nothing placed.
    struct Counting {
        inputs: Vec<(String, Vec<u8>)>,
        reads: Vec<AtomicUsize>,
    }

    impl Host for Counting {
        fn read(&self, index: usize, limits: &Limits) -> Result<read::Workbook, read::Error> {
            self.reads[index].fetch_add(1, Ordering::Relaxed);
            let (name, bytes) = &self.inputs[index];
            read::read_bytes(name, bytes, limits)
        }
        fn place(&self, _: &str, _: &Files) -> Result<(), Message> {
            Ok(())
        }
        fn each<T: Send>(&self, count: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
            (0..count).map(work).collect()
        }
    }

    fn run(names: &[&str]) -> (Report, Vec<usize>) {
        let sample = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/input/BAS2421-002.csv")).expect("the sample");
        let inputs: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), sample.clone())).collect();
        let host = Counting { reads: inputs.iter().map(|_| AtomicUsize::new(0)).collect(), inputs };
        let options = Options { outputs: vec![Output::Json], ..Options::new() };
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let report = convert(&names, &options, &host);
        (report, host.reads.iter().map(|r| r.load(Ordering::Relaxed)).collect())
    }

    /// Every input is read once, and of inputs holding the same standard the first in input order
    /// is written, the others repeat it, across chunks too.
    #[test]
    fn every_input_is_read_once() {
        let (report, reads) = run(&["a.csv"]);
        assert_eq!(reads, [1]);
        assert_eq!(report.outcomes.len(), 1);
        assert!(report.outcomes[0].written && report.outcomes[0].same_as.is_none(), "{:?}", report.outcomes);
        let names: Vec<String> = (0..CHUNK + 2).map(|n| format!("{n}.csv")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (report, reads) = run(&names);
        assert!(reads.iter().all(|&r| r == 1), "{reads:?}");
        assert_eq!(report.outcomes.len(), names.len());
        let repeats: Vec<Option<&str>> = report.outcomes.iter().map(|o| o.same_as.as_deref()).collect();
        assert!(repeats[0].is_none() && report.outcomes[0].written, "{:?}", report.outcomes[0]);
        assert!(repeats[1..].iter().all(|first| first.is_some_and(|first| first.starts_with("0.csv"))), "{repeats:?}");
    }
}
