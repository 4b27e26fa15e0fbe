//! One run over many inputs: read, lay out, check (and fix), write. A bad file is reported and the
//! others are still converted. `main` only parses arguments and prints what this returns.

use crate::check;
use crate::diag::{Diagnostic, Severity};
use crate::i18n::{Message, text};
use crate::model::Standard;
use crate::output;
use crate::read::form;
use crate::read::{self, Limits};
use crate::render::{csv, json};
use crate::report::{Outcome, PdfFonts, Report};
use crate::template::Template;
use crate::text::Font;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a run does with each standard.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where `OUT/CODE/` folders go; `None` for `ocs check` (read and validate only).
    pub out: Option<PathBuf>,
    pub fix: bool,
    /// Warnings fail a standard.
    pub strict: bool,
    pub limits: Limits,
    pub template: Template,
    /// Parsed once per run, shared by every standard.
    pub font: Arc<Font>,
    /// Seconds since 1970 that date the outputs (`SOURCE_DATE_EPOCH`, else 0): same input, same bytes.
    pub epoch: i64,
    /// Which files to write.
    pub outputs: Vec<Output>,
    /// Roles named by `--roles`, replacing the ones found from task titles.
    pub roles: Option<Vec<crate::roles::Role>>,
    /// Threads; 0 for one per core.
    pub jobs: usize,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
    /// Set (by Ctrl-C) to stop: the files being converted finish, the others are skipped.
    pub stop: Arc<std::sync::atomic::AtomicBool>,
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
    /// Options with the official template, the embedded font and a fixed date.
    pub fn new(out: Option<PathBuf>) -> Options {
        Options {
            out,
            fix: false,
            strict: false,
            limits: Limits::default(),
            template: Template::official(),
            font: Arc::new(Font::embedded()),
            epoch: 0,
            outputs: Output::ALL.to_vec(),
            roles: None,
            jobs: 0,
            progress: false,
            stop: Arc::default(),
        }
    }
}

/// Expand folders into the input files they hold (sorted, recursively, each file once); files are
/// kept as named. Only regular files are inputs: a device, a pipe or a socket is skipped with a
/// warning. A folder walk never enters the output folder `out`, nor an earlier output folder of ocs
/// (one holding its `report.json`), and never takes ocs's own checklists or matrix for a standard;
/// symlinks are followed, a loop is reported once. A path that does not exist is an error.
pub fn collect_inputs(paths: &[PathBuf], out: Option<&Path>) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let out = out.and_then(|o| std::fs::canonicalize(o).ok());
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for path in paths {
        let place = path.display().to_string();
        let Ok(metadata) = std::fs::metadata(path) else {
            problems.push(Diagnostic::error("input", None, Message::new("input-missing").arg("path", &place)).located(&place, ""));
            continue;
        };
        let found = if metadata.is_dir() {
            walk(path, out.as_deref(), &mut problems)
        } else if let Some(why) = not_an_input(path, &metadata) {
            problems.push(Diagnostic::warning("input", None, Message::new("input-skipped").message("why", why)).located(&place, ""));
            Vec::new()
        } else {
            vec![path.clone()]
        };
        for file in found {
            if seen.insert(std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone())) {
                files.push(file);
            }
        }
    }
    (files, problems)
}

/// The input files under a folder, sorted.
fn walk(dir: &Path, out: Option<&Path>, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with(['.', '~']);
        let skipped_folder = entry.file_type().is_dir()
            && entry.depth() > 0
            && (is_output_folder(entry.path()) || out.is_some_and(|o| std::fs::canonicalize(entry.path()).is_ok_and(|p| p == o)));
        !hidden && !skipped_folder
    });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let place = e.path().unwrap_or(dir).display().to_string();
                let message = if e.loop_ancestor().is_some() {
                    Message::new("input-symlink-loop")
                } else {
                    Message::new("input-unlistable").arg("error", e.io_error().map_or_else(|| e.to_string(), ToString::to_string))
                };
                problems.push(Diagnostic::warning("input", None, message).located(&place, ""));
                continue;
            }
        };
        if entry.file_type().is_dir() || !read::is_input_file(entry.path()) {
            continue;
        }
        let place = entry.path().display().to_string();
        match entry.metadata() {
            Ok(metadata) => match not_an_input(entry.path(), &metadata) {
                Some(why) => {
                    problems.push(Diagnostic::warning("input", None, Message::new("input-skipped").message("why", why)).located(&place, ""))
                }
                None => found.push(entry.into_path()),
            },
            Err(e) => {
                problems.push(Diagnostic::warning("input", None, Message::new("input-unreadable").arg("error", e)).located(&place, ""))
            }
        }
    }
    found
}

/// Why a file is not read as a standard: not a regular file, or one of ocs's derived outputs (a
/// checklist or matrix; its official workbook and CSV are inputs like any other).
fn not_an_input(path: &Path, metadata: &std::fs::Metadata) -> Option<Message> {
    if !metadata.is_file() {
        return Some(Message::new("read-not-a-file"));
    }
    let stem = path.file_stem()?.to_string_lossy();
    let derived = ["-checklist", "-matrix"]
        .iter()
        .any(|suffix| stem.strip_suffix(suffix).is_some_and(|code| crate::code::find_standard_code(code).as_deref() == Some(code)));
    let in_checklists = path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "checklists")
        && path.parent().and_then(Path::parent).is_some_and(|standard| {
            standard.file_name().is_some_and(|code| standard.join(Path::new(code).with_extension("json")).is_file())
        });
    (derived || in_checklists).then(|| Message::new("input-derived"))
}

/// A folder ocs wrote earlier: it holds ocs's `report.json`.
fn is_output_folder(dir: &Path) -> bool {
    let report = dir.join("report.json");
    if !std::fs::metadata(&report).is_ok_and(|m| m.is_file() && m.len() < 1 << 30) {
        return false;
    }
    let Ok(bytes) = std::fs::read(report) else { return false };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("standards").is_some() && v.get("failed_files").is_some() && v.get("diagnostics").is_some())
}

/// Run over every input file, in parallel on `options.jobs` threads. Two passes keep the result
/// independent of thread timing and the memory flat: the first reads every standard only to learn
/// its code and a fingerprint of its JSON, so that a code met twice is decided in input order; the
/// second converts each file and drops its standards once written.
pub fn run(files: &[PathBuf], options: &Options) -> Report {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build();
    let work = || {
        let found: Vec<Vec<Found>> = files
            .par_iter()
            .map(|file| if options.stop.load(std::sync::atomic::Ordering::SeqCst) { Vec::new() } else { fingerprints(file, options) })
            .collect();
        let verdicts = decide(&found);
        let progress = progress_bar(files.len() as u64, options.progress);
        let reports: Vec<Report> = files
            .par_iter()
            .enumerate()
            .map(|(index, file)| {
                if options.stop.load(std::sync::atomic::Ordering::SeqCst) {
                    return Report::default();
                }
                let report = process(file, index, options, &verdicts);
                progress.inc(1);
                report
            })
            .collect();
        progress.finish_and_clear();
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
    };
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

fn progress_bar(length: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length);
    let template = format!(
        "{{spinner}} {{pos}}/{{len}} {} {{wide_bar}} {{elapsed_precise}} ({} {{eta_precise}})",
        text("progress-files"),
        text("progress-remaining")
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// What the first pass learns of a standard.
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

/// Every standard of a file in the order `process` meets them (the sheets' views left out).
fn fingerprints(path: &Path, options: &Options) -> Vec<Found> {
    let file = path.display().to_string();
    let Ok(workbook) = read::read_file(path, &options.limits) else { return Vec::new() };
    let (laid, _) = standards_of(&workbook, &file);
    laid.into_iter()
        .map(|laid| {
            let standard = if options.fix { check::fix(&laid.standard).0 } else { laid.standard };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            json::json(&standard).hash(&mut hasher);
            // A text document has no sheet: the file alone names the place.
            let place = if standard.source.sheet.is_empty() { file.clone() } else { format!("{file}:{}", standard.source.sheet) };
            Found { code: standard.code.clone(), place, fingerprint: hasher.finish() }
        })
        .collect()
}

/// Verdicts by (file index, standard index within the file).
fn decide(found: &[Vec<Found>]) -> HashMap<(usize, usize), Verdict> {
    let mut first: HashMap<&str, &Found> = HashMap::new();
    let mut verdicts = HashMap::new();
    for (f, standards) in found.iter().enumerate() {
        for (n, standard) in standards.iter().enumerate() {
            let verdict = match first.get(standard.code.as_str()) {
                _ if standard.code.is_empty() => Verdict::Write,
                Some(seen) if seen.fingerprint == standard.fingerprint => Verdict::Same(seen.place.clone()),
                Some(seen) => Verdict::Conflict(seen.place.clone()),
                None => {
                    first.insert(&standard.code, standard);
                    Verdict::Write
                }
            };
            verdicts.insert((f, n), verdict);
        }
    }
    verdicts
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

/// Read one file and handle each standard on it.
fn process(path: &Path, index: usize, options: &Options, verdicts: &HashMap<(usize, usize), Verdict>) -> Report {
    let mut report = Report::default();
    let file = path.display().to_string();
    let workbook = match read::read_file(path, &options.limits) {
        Ok(workbook) => workbook,
        Err(error) => {
            let sheet = error.sheet.clone().unwrap_or_default();
            report.diagnostics.push(Diagnostic::error("read", error.cell, error.kind.message()).located(&file, &sheet));
            report.failed_files.push(file);
            return report;
        }
    };
    report.diagnostics.extend(workbook.notes.iter().cloned());
    let (standards, notes) = standards_of(&workbook, &file);
    drop(workbook);
    report.diagnostics.extend(notes);
    if standards.is_empty() {
        report.diagnostics.push(Diagnostic::error("no-table", None, Message::new("no-table-file")).located(&file, ""));
        report.failed_files.push(file);
        return report;
    }
    for (n, standard) in standards.into_iter().enumerate() {
        let verdict = verdicts.get(&(index, n)).cloned().unwrap_or(Verdict::Write);
        handle(standard, verdict, options, &mut report);
    }
    report
}

fn handle(laid: form::Reading, verdict: Verdict, options: &Options, report: &mut Report) {
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
    if !failed
        && !repeat
        && let Some(out) = &options.out
    {
        match render_files(&standard, &diagnostics, options) {
            Ok(Rendered { files, notes, fonts: drawn_with }) => {
                let refused = notes.iter().any(|d| d.severity == Severity::Error);
                diagnostics.extend(notes.into_iter().map(|d| d.located(&file, &sheet)));
                if !refused {
                    match output::write_standard(out, &code, &files) {
                        Ok(()) => {
                            written = true;
                            names = files.into_iter().map(|(name, _)| name).collect();
                            fonts = drawn_with;
                        }
                        Err(e) => {
                            let message = Message::new("write-failed").arg("path", out.join(&code).display()).arg("error", e);
                            diagnostics.push(Diagnostic::error("write", None, message).located(&file, &sheet));
                        }
                    }
                }
            }
            Err(e) => {
                diagnostics.push(Diagnostic::error("render", None, Message::new("render-failed").arg("error", e)).located(&file, &sheet))
            }
        }
    }
    let failed = failed || (options.out.is_some() && !written && !repeat);
    report.diagnostics.extend(diagnostics);
    report.outcomes.push(Outcome { code, name: standard.name.clone(), file, sheet, written, failed, files: names, same_as, fonts });
}

/// Output files as (file name, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Every output of one standard, with what rendering noticed and the fonts of each PDF.
struct Rendered {
    files: Files,
    notes: Vec<Diagnostic>,
    fonts: Vec<PdfFonts>,
}

/// Every output of one standard.
fn render_files(standard: &Standard, diagnostics: &[Diagnostic], options: &Options) -> Result<Rendered, String> {
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
            Output::Json => (format!("{code}.json"), json::json(standard)),
            Output::Csv => (format!("{code}.csv"), csv::csv(standard)),
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
