//! The command line's run over many input files: folders walked, files read from disk, each
//! standard's outputs placed atomically under `OUT/CODE/`, on rayon's threads, with a progress bar
//! and Ctrl-C. What a run decides and makes is `convert`'s, shared with the web page; a bad file is
//! reported and the others are still converted. `main` only parses arguments and prints the result.

use crate::convert::{self, Files, Host};
use crate::diag::Diagnostic;
use crate::i18n::{Message, text};
use crate::output;
use crate::read::{self, Limits};
use crate::report::Report;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A run of the command line: what to make, and where and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where `OUT/CODE/` folders go; `None` for `ocs check` (read and validate only).
    pub out: Option<PathBuf>,
    /// What to make of each standard.
    pub convert: convert::Options,
    /// Threads; 0 for one per core.
    pub jobs: usize,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
    /// Set (by Ctrl-C) to stop: the files being converted finish, the others are skipped.
    pub stop: Arc<AtomicBool>,
}

impl Options {
    /// Options with the official template, the embedded font and a fixed date.
    pub fn new(out: Option<PathBuf>) -> Options {
        let convert = convert::Options { build: out.is_some(), ..convert::Options::new() };
        Options { out, convert, jobs: 0, progress: false, stop: Arc::default() }
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

/// Convert every input file, in parallel on `options.jobs` threads (see [`convert::convert`]).
pub fn run(files: &[PathBuf], options: &Options) -> Report {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build();
    let disk = Disk {
        files,
        out: options.out.as_deref(),
        stop: &options.stop,
        progress: progress_bar(files.len() as u64, options.progress),
        done: AtomicUsize::new(0),
    };
    let work = || convert::convert(&names, &options.convert, &disk);
    let report = match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    disk.progress.finish_and_clear();
    report
}

/// Files on disk in, folders on disk out.
struct Disk<'a> {
    files: &'a [PathBuf],
    out: Option<&'a Path>,
    stop: &'a AtomicBool,
    progress: ProgressBar,
    /// Standards converted, to give freed memory back every so many (`release_freed_memory`).
    done: AtomicUsize,
}

impl Host for Disk<'_> {
    fn read(&self, index: usize, limits: &Limits) -> Result<read::Workbook, read::Error> {
        read::read_file(&self.files[index], limits)
    }

    fn place(&self, code: &str, files: &Files) -> Result<(), Message> {
        let Some(out) = self.out else { return Ok(()) };
        output::write_standard(out, code, files)
            .map_err(|e| Message::new("write-failed").arg("path", out.join(code).display()).arg("error", e))
    }

    fn each<T: Send>(&self, count: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
        (0..count).into_par_iter().map(work).collect()
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn converted(&self) {
        self.progress.inc(1);
        if self.done.fetch_add(1, Ordering::Relaxed) % 32 == 31 {
            release_freed_memory();
        }
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

/// Memory freed by a standard's outputs handed back to the system. glibc keeps what a thread freed
/// in its arena, and over thousands of standards the arenas' holes grew a 2,700-standard run's peak
/// from 42 MiB (100 standards) to 92–104 MiB; trimmed every 32 standards, 82 MiB (BENCHMARKS.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_memory() {
    // SAFETY: malloc_trim only returns free memory of the allocator's own arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}
