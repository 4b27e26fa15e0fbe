//! One run over many inputs: read, lay out, check (and fix), write. A bad file is reported and the
//! others are still converted. `main` only parses arguments and prints what this returns.

use crate::check;
use crate::diag::{Diagnostic, Severity};
use crate::layout;
use crate::model::Standard;
use crate::read::{self, Limits};
use crate::template::Template;
use crate::text::Font;
use crate::write;
use std::collections::HashMap;
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
    /// `CODE-matrix.pdf`, the competency matrix.
    Matrix,
    /// `CODE-checklist.pdf` and `.xlsx`, and one per role under `checklists/`.
    Checklist,
}

impl Output {
    pub const ALL: [Output; 6] = [Output::Json, Output::Csv, Output::Xlsx, Output::Pdf, Output::Matrix, Output::Checklist];
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
        }
    }
}

/// What became of one standard.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: String,
    pub file: String,
    pub sheet: String,
    pub written: bool,
    pub failed: bool,
}

/// Everything a run found and did.
#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Inputs that gave no standard at all.
    pub failed_files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn failed(&self) -> bool {
        !self.failed_files.is_empty() || self.outcomes.iter().any(|o| o.failed)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Expand folders into the input files they hold (sorted, recursively); files are kept as named.
/// A path that does not exist is an error diagnostic.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, &mut problems);
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems
                .push(Diagnostic::new(Severity::Error, "input", None, "no such file or folder").located(&path.display().to_string(), ""));
        }
    }
    (files, problems)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, problems: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(
                Diagnostic::new(Severity::Error, "input", None, format!("cannot list the folder: {e}"))
                    .located(&dir.display().to_string(), ""),
            );
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with(['.', '~']);
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found, problems);
        } else if read::is_input_file(&path) {
            found.push(path);
        }
    }
}

/// Run over every input file.
pub fn run(files: &[PathBuf], options: &Options) -> Report {
    let mut report = Report::default();
    let mut codes: HashMap<String, Seen> = HashMap::new();
    for file in files {
        process(file, options, &mut codes, &mut report);
    }
    report
}

/// Read one file and handle each standard on it.
fn process(path: &Path, options: &Options, codes: &mut HashMap<String, Seen>, report: &mut Report) {
    let file = path.display().to_string();
    let workbook = match read::read_file(path, &options.limits) {
        Ok(workbook) => workbook,
        Err(error) => {
            let sheet = error.sheet.clone().unwrap_or_default();
            let mut diagnostic = Diagnostic::new(Severity::Error, "read", error.cell, error.kind.to_string()).located(&file, &sheet);
            diagnostic.file = file.clone();
            report.diagnostics.push(diagnostic);
            report.failed_files.push(file);
            return;
        }
    };
    report.diagnostics.extend(workbook.notes);
    let mut found = 0;
    let mut sheets_by_code: HashMap<String, String> = HashMap::new();
    for grid in &workbook.grids {
        let Some(laid) = layout::layout(grid, &file) else {
            if grid.height() > 0 {
                report
                    .diagnostics
                    .push(Diagnostic::info("no-table", None, "no competency table on this sheet; ignored").located(&file, &grid.sheet));
            }
            continue;
        };
        for standard in laid {
            // A later sheet of the same workbook with the same code is another view of it (the
            // 資料 sheet of ocs's own workbook, a clerk's copy): the first sheet is the standard.
            let code = standard.standard.code.clone();
            if let Some(first) = sheets_by_code.get(&code).filter(|_| !code.is_empty()) {
                let note = format!(
                    "{code} was read from sheet {first} of this file already; this sheet is taken as another view of it and ignored"
                );
                report.diagnostics.push(Diagnostic::info("same-standard", None, note).located(&file, &grid.sheet));
                continue;
            }
            sheets_by_code.insert(code, grid.sheet.clone());
            found += 1;
            handle(standard, options, codes, report);
        }
    }
    if found == 0 {
        report.diagnostics.push(
            Diagnostic::new(
                Severity::Error,
                "no-table",
                None,
                "no sheet holds a competency table (a header row with 工作任務 and 行為指標)",
            )
            .located(&file, ""),
        );
        report.failed_files.push(file);
    }
}

/// The first standard of a code seen in this run: where, and its canonical JSON.
struct Seen {
    place: String,
    json: Vec<u8>,
}

fn handle(laid: layout::Laid, options: &Options, codes: &mut HashMap<String, Seen>, report: &mut Report) {
    let layout::Laid { mut standard, mut diagnostics } = laid;
    let (file, sheet) = (standard.source.file.clone(), standard.source.sheet.clone());
    if options.fix {
        let (fixed, changes) = check::fix(&standard);
        standard = fixed;
        diagnostics.extend(changes.into_iter().map(|d| d.located(&file, &sheet)));
    }
    diagnostics.extend(check::check(&standard).into_iter().map(|d| d.located(&file, &sheet)));
    let code = standard.code.clone();
    let json = write::json::json(&standard);
    let mut repeat = false;
    if !code.is_empty() {
        let place = format!("{file}:{sheet}");
        match codes.get(&code) {
            Some(first) if first.json == json => {
                repeat = true;
                diagnostics.push(
                    Diagnostic::info(
                        "duplicate-standard",
                        None,
                        format!("{code} is identical to the one read from {}; written once", first.place),
                    )
                    .located(&file, &sheet),
                );
            }
            Some(first) => diagnostics.push(
                Diagnostic::new(
                    Severity::Error,
                    "duplicate-standard",
                    None,
                    format!("{code} was already read from {} with different content; this one is not written", first.place),
                )
                .located(&file, &sheet),
            ),
            None => {
                codes.insert(code.clone(), Seen { place, json });
            }
        }
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error || (options.strict && d.severity == Severity::Warning));
    let mut written = false;
    if !failed
        && !repeat
        && let Some(out) = &options.out
    {
        match render_files(&standard, &diagnostics, options) {
            Ok((files, notes)) => {
                diagnostics.extend(notes.into_iter().map(|d| d.located(&file, &sheet)));
                match write::output::write_all(&out.join(&code), &files) {
                    Ok(()) => written = true,
                    Err(e) => diagnostics.push(
                        Diagnostic::new(Severity::Error, "write", None, format!("cannot write {}: {e}", out.join(&code).display()))
                            .located(&file, &sheet),
                    ),
                }
            }
            Err(e) => diagnostics.push(Diagnostic::new(Severity::Error, "render", None, e).located(&file, &sheet)),
        }
    }
    let failed = failed || (options.out.is_some() && !written && !repeat);
    report.diagnostics.extend(diagnostics);
    report.outcomes.push(Outcome { code, file, sheet, written, failed });
}

/// Output files as (file name, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Every output of one standard, as (file name, bytes), with what rendering noticed.
fn render_files(standard: &Standard, diagnostics: &[Diagnostic], options: &Options) -> Result<(Files, Vec<Diagnostic>), String> {
    let code = &standard.code;
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for output in &options.outputs {
        let (name, bytes) = match output {
            Output::Json => (format!("{code}.json"), write::json::json(standard)),
            Output::Csv => (format!("{code}.csv"), write::csv::csv(standard)),
            Output::Xlsx => {
                let bytes = write::xlsx::workbook(standard, diagnostics, &options.template, &options.font, options.epoch)
                    .map_err(|e| e.to_string())?;
                (format!("{code}.xlsx"), bytes)
            }
            Output::Pdf => {
                let (pdf, mut missing) =
                    crate::pdf::official(standard, &options.template, &options.font, options.epoch).map_err(|e| e.to_string())?;
                notes.append(&mut missing);
                (format!("{code}.pdf"), pdf)
            }
            Output::Matrix => {
                let document = crate::pdf::matrix::document(standard, &options.template, &options.font);
                let (pdf, _) = crate::pdf::to_pdf(&document, &options.font, options.epoch).map_err(|e| e.to_string())?;
                (format!("{code}-matrix.pdf"), pdf)
            }
            Output::Checklist => {
                checklists(standard, options, &mut files, &mut notes)?;
                continue;
            }
        };
        files.push((name, bytes));
    }
    Ok((files, notes))
}

/// The checklist of the whole standard, then one per role (found, or named by `--roles`).
fn checklists(standard: &Standard, options: &Options, files: &mut Files, notes: &mut Vec<Diagnostic>) -> Result<(), String> {
    use crate::pdf::checklist;
    let code = &standard.code;
    let (template, font, epoch) = (&options.template, &options.font, options.epoch);
    let mut one = |tasks: &checklist::Tasks<'_>, role: Option<&str>, stem: String| -> Result<(), String> {
        let document = checklist::document(standard, tasks, role, template, font);
        let (pdf, _) = crate::pdf::to_pdf(&document, font, epoch).map_err(|e| e.to_string())?;
        let xlsx = write::checklist::workbook(standard, tasks, role, template, epoch).map_err(|e| e.to_string())?;
        files.push((format!("{stem}.pdf"), pdf));
        files.push((format!("{stem}.xlsx"), xlsx));
        Ok(())
    };
    one(&checklist::all_tasks(standard), None, format!("{code}-checklist"))?;
    let roles = options.roles.clone().unwrap_or_else(|| crate::roles::detect(standard));
    for (n, role) in roles.iter().enumerate() {
        let (tasks, missing) = checklist::tasks_of(standard, &role.tasks);
        for task in missing {
            notes.push(Diagnostic::warning("role-task", None, format!("role {}: {code} has no task {task}", role.name)));
        }
        if tasks.is_empty() {
            continue;
        }
        let stem = if crate::check::is_safe_file_name(&role.name) { role.name.clone() } else { format!("role-{}", n + 1) };
        one(&tasks, Some(&role.name), format!("checklists/{stem}"))?;
    }
    Ok(())
}
