//! ocs in the browser: the page's worker (`web/page/worker.js`) hands the chosen files' bytes and
//! the options to a [`Job`], which runs the library's own `convert::convert` — the function the
//! command line runs — with the outputs kept in memory, and returns them, the zip laid out like
//! `OUT/`, and the report; with two inputs, [`Job::compare`] runs `convert::compare` — what `ocs
//! diff` runs — and returns the 修正對照表's files. Nothing here decides what a document says.
#![cfg(target_arch = "wasm32")]

use ocs::convert::{self, Files, Host, Output, Refusal};
use ocs::diag::Severity;
use ocs::i18n::{self, Lang, Message};
use ocs::read::{self, ErrorKind, Limits};
use ocs::text::Font;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::prelude::*;

/// An input: its bytes, or only its size when that is over the limit (the page does not read it).
enum Contents {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

impl Contents {
    /// The input read as the command line reads a file of that name and contents.
    fn read(&self, name: &str, limits: &Limits) -> Result<read::Workbook, read::Error> {
        match self {
            Contents::Bytes(bytes) => read::read_bytes(name, bytes, limits),
            Contents::TooLarge(size) => Err(read::Error::new(name, ErrorKind::FileTooLarge { size: *size, limit: limits.file_size })),
        }
    }
}

/// One conversion being set up by the page: the inputs in order and the options.
#[wasm_bindgen]
pub struct Job {
    names: Vec<String>,
    inputs: Vec<Contents>,
    options: convert::Options,
    lang: Lang,
}

#[wasm_bindgen]
impl Job {
    /// A job in a language (`zh-TW` or `en`) with the command line's defaults: every output, the
    /// official template, the embedded font, and the date 1970-01-01 (the command line's without
    /// SOURCE_DATE_EPOCH), so that the same inputs give the same bytes as `ocs build`.
    #[wasm_bindgen(constructor)]
    pub fn new(lang: &str) -> Job {
        let lang = if lang.to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::ZhTw };
        i18n::set_lang(lang);
        Job { names: Vec::new(), inputs: Vec::new(), options: convert::Options::new(), lang }
    }

    /// Which outputs to make, as for `--only` (`json,pdf`); why not, when a name is unknown.
    pub fn outputs(&mut self, list: &str) -> Option<String> {
        let mut outputs = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match <Output as clap::ValueEnum>::from_str(name, true) {
                Ok(output) => outputs.push(output),
                Err(_) => return Some(Message::new("usage-invalid-value").arg("arg", "--only").arg("value", name).to_string()),
            }
        }
        self.options.outputs = outputs;
        None
    }

    /// `--fix`: apply the repairs a careful editor would make, reporting each.
    pub fn fix(&mut self, fix: bool) {
        self.options.fix = fix;
    }

    /// `--roles`: the roles file's text; why it cannot be used, when it cannot.
    pub fn roles(&mut self, name: &str, text: &str) -> Option<String> {
        match ocs::roles::parse(text) {
            Ok(roles) => {
                self.options.roles = Some(roles);
                None
            }
            Err(problem) => Some(Message::new("roles-unusable").arg("path", name).message("problem", problem).to_string()),
        }
    }

    /// `--font`: a font file's bytes; why it cannot be used, when it cannot.
    pub fn font(&mut self, name: &str, bytes: Vec<u8>) -> Option<String> {
        match Font::from_bytes(name, bytes) {
            Ok(font) => {
                self.options.use_font(font);
                None
            }
            Err(e) => Some(e.to_string()),
        }
    }

    /// The largest input read, in bytes: the page reads no larger file into memory.
    pub fn max_file_size(&self) -> f64 {
        self.options.limits.file_size as f64
    }

    /// An input, named by its path as chosen (`input/BAS2421-002.csv`).
    pub fn input(&mut self, name: String, bytes: Vec<u8>) {
        self.names.push(name);
        self.inputs.push(Contents::Bytes(bytes));
    }

    /// An input over the size limit, not read: it fails as on the command line.
    pub fn too_large(&mut self, name: String, size: f64) {
        self.names.push(name);
        self.inputs.push(Contents::TooLarge(size as u64));
    }

    /// Convert every input, calling `progress(done, total)` as each is done.
    pub fn run(self, progress: &js_sys::Function) -> Built {
        let total = self.inputs.len();
        self.build(&|done: usize| {
            let _ = progress.call2(&JsValue::NULL, &JsValue::from(done as u32), &JsValue::from(total as u32));
        })
    }
}

/// The bundled sample (`input/BAS2421-002.xlsx`), converted by [`warm_up`].
const SAMPLE: &[u8] = include_bytes!("../../input/BAS2421-002.xlsx");

/// Convert the bundled sample into one output (phase `n`: the nth of [`Output::ALL`]) and drop what
/// it made; whether a phase comes after it. The browser runs a new worker's WebAssembly first as
/// quickly compiled code and recompiles what runs often while it runs: the first conversion of a
/// worker took several times as long as the next (the sample: 1.4 s against 0.3 s). The worker runs
/// the phases one by one while the clerk is choosing files, so that their first conversion runs as
/// fast as any later one; one output at a time, so that a conversion asked for meanwhile waits for
/// one phase at most (worker.js stops after it). Every global it sets is set again by the next
/// [`Job::new`].
#[wasm_bindgen]
pub fn warm_up(n: usize) -> bool {
    let Some(&output) = Output::ALL.get(n) else { return false };
    let mut job = Job::new("zh-TW");
    job.options.outputs = vec![output];
    job.input("BAS2421-002.xlsx".to_string(), SAMPLE.to_vec());
    drop(job.build(&|_| {}));
    n + 1 < Output::ALL.len()
}

impl Job {
    /// Convert every input, calling `progress(done)` as each is done.
    fn build(self, progress: &dyn Fn(usize)) -> Built {
        let memory =
            Memory { names: &self.names, inputs: &self.inputs, placed: Mutex::new(Vec::new()), done: AtomicUsize::new(0), progress };
        let report = convert::convert(&self.names, &self.options, &memory);
        let mut outputs: Files = memory.placed.into_inner().unwrap_or_else(|e| e.into_inner());
        outputs.extend(convert::report_files(&report, self.lang));
        Built {
            made: Made::of(outputs),
            report: ocs::render::html::fragment(&report, self.lang),
            summary: report.tally("summary-standards"),
            failed: report.failed(),
        }
    }
}

#[wasm_bindgen]
impl Job {
    /// `ocs diff` on the two inputs, the earlier version first: the 修正對照表 (PDF, ODT, XLSX,
    /// ODS), the changes as JSON and the 更新說明, named as the command line names them. `force`
    /// compares two different standards (codes) too. Fix and font as set for a conversion.
    pub fn compare(self, force: bool) -> Compared {
        if self.inputs.len() != 2 {
            // The page sends two files or none; said plainly should another caller not.
            let message = format!("a comparison takes two files, the earlier version first, not {}", self.inputs.len());
            return Compared { messages: vec![message], refused: true, ..Compared::default() };
        }
        let version = |index: usize| {
            let name = self.names[index].as_str();
            (name, self.inputs[index].read(name, &self.options.limits))
        };
        let comparison = convert::compare(version(0), version(1), &self.options, force);
        // What the command line prints on its error stream, but info (its --verbose).
        let mut messages: Vec<String> = comparison
            .diagnostics
            .iter()
            .filter(|d| d.severity > Severity::Info)
            .map(ToString::to_string)
            .chain(comparison.warnings.iter().map(ToString::to_string))
            .collect();
        match comparison.result {
            Ok(amendment) => {
                messages.extend(amendment.notes.iter().map(ToString::to_string));
                Compared {
                    made: Made::of(amendment.files),
                    messages,
                    summary: amendment.summary,
                    codes: [amendment.diff.old.code, amendment.diff.new.code],
                    changes: amendment.diff.changes.len(),
                    needs_force: false,
                    refused: false,
                }
            }
            Err(refusal) => {
                let needs_force = matches!(refusal, Refusal::Different);
                // The page has its own words for the command line's `--force` hint.
                if !needs_force {
                    messages.push(refusal.message().to_string());
                }
                Compared { messages, needs_force, refused: true, ..Compared::default() }
            }
        }
    }
}

/// What comparing two versions made, or why nothing was made.
#[wasm_bindgen]
#[derive(Default)]
pub struct Compared {
    made: Made,
    messages: Vec<String>,
    summary: String,
    codes: [String; 2],
    changes: usize,
    needs_force: bool,
    refused: bool,
}

#[wasm_bindgen]
impl Compared {
    /// The files made, named as `ocs diff` names them (`BAS2421-002-修正對照表.pdf`); none when
    /// refused. Handed over once: a second call gets none.
    pub fn files(&mut self) -> Made {
        std::mem::take(&mut self.made)
    }

    /// The diagnostics of both versions (warnings and errors) and why nothing was compared, one a line.
    pub fn messages(&self) -> Vec<String> {
        self.messages.clone()
    }

    /// The 更新說明 (empty when the versions say the same).
    pub fn summary(&self) -> String {
        self.summary.clone()
    }

    pub fn old_code(&self) -> String {
        self.codes[0].clone()
    }

    pub fn new_code(&self) -> String {
        self.codes[1].clone()
    }

    /// How many changes were found.
    pub fn changes(&self) -> usize {
        self.changes
    }

    /// Nothing compared because the versions hold different standards: allowed with `force`.
    pub fn needs_force(&self) -> bool {
        self.needs_force
    }

    /// Nothing was compared (`ocs diff`'s exit status 2).
    pub fn refused(&self) -> bool {
        self.refused
    }
}

/// The page's inputs in memory; each standard's files kept as `CODE/name`.
struct Memory<'a> {
    /// Pushed together with `inputs`.
    names: &'a [String],
    inputs: &'a [Contents],
    placed: Mutex<Files>,
    done: AtomicUsize,
    progress: &'a dyn Fn(usize),
}

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread; `each` below calls
// `work` in turn on it, so the JavaScript progress callback is never reached from another thread.
unsafe impl Sync for Memory<'_> {}

impl Host for Memory<'_> {
    fn read(&self, index: usize, limits: &Limits) -> Result<read::Workbook, read::Error> {
        self.inputs[index].read(&self.names[index], limits)
    }

    fn place(&self, code: &str, files: &Files) -> Result<(), Message> {
        let mut placed = self.placed.lock().unwrap_or_else(|e| e.into_inner());
        placed.extend(files.iter().map(|(name, bytes)| (format!("{code}/{name}"), bytes.clone())));
        Ok(())
    }

    fn each<T: Send>(&self, count: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
        (0..count).map(work).collect()
    }

    fn converted(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        (self.progress)(done);
    }
}

/// What a conversion made: every file as in `OUT/`, all of them as one zip, and the report.
#[wasm_bindgen]
pub struct Built {
    made: Made,
    report: String,
    summary: String,
    failed: bool,
}

#[wasm_bindgen]
impl Built {
    /// The files made, by their paths in `OUT/` (`BAS2421-002/BAS2421-002.pdf`, `report.json`, …).
    /// Handed over once: a second call gets none.
    pub fn files(&mut self) -> Made {
        std::mem::take(&mut self.made)
    }

    /// The report (as `report.html`'s content) for the page.
    pub fn report(&self) -> String {
        self.report.clone()
    }

    /// One line: standards converted and failed, and the defects found.
    pub fn summary(&self) -> String {
        self.summary.clone()
    }

    /// Whether a standard or an input failed (as the command line's exit status 1).
    pub fn failed(&self) -> bool {
        self.failed
    }
}

/// Files made (a conversion's or a comparison's), each and all as one zip.
#[wasm_bindgen]
#[derive(Default)]
pub struct Made {
    files: Files,
    zip: Vec<u8>,
}

impl Made {
    fn of(files: Files) -> Made {
        Made { zip: zip(&files), files }
    }
}

#[wasm_bindgen]
impl Made {
    pub fn count(&self) -> usize {
        self.files.len()
    }

    /// A file's path (`BAS2421-002/BAS2421-002.pdf`).
    pub fn path(&self, index: usize) -> String {
        self.files.get(index).map(|(path, _)| path.clone()).unwrap_or_default()
    }

    /// A file's bytes.
    pub fn bytes(&self, index: usize) -> Vec<u8> {
        self.files.get(index).map(|(_, bytes)| bytes.clone()).unwrap_or_default()
    }

    /// Every file as one zip, laid out by their paths.
    pub fn zip(&self) -> Vec<u8> {
        self.zip.clone()
    }
}

/// The files as one zip, every entry dated 1980-01-01 (the zip format's first day) so that the same
/// outputs give the same zip. Folders are implied by the entries' paths. The text files (JSON, CSV,
/// the report) are deflated; the PDFs, workbooks and ODF documents are compressed already and stored
/// as they are: deflating them again took a sixth of a conversion's time in the page (10 generated
/// standards: 0.98 against 0.82 s) for a zip 13 % smaller (7.1 against 8.2 MB).
fn zip(files: &Files) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in files {
        let compressed = [".pdf", ".xlsx", ".ods", ".odt"].iter().any(|e| path.to_ascii_lowercase().ends_with(e));
        let options = if compressed { options.compression_method(zip::CompressionMethod::Stored) } else { options };
        // Writing into memory fails only when memory runs out, which ends the worker anyway.
        if writer.start_file(path.as_str(), options).is_err() || writer.write_all(bytes).is_err() {
            break;
        }
    }
    writer.finish().map(std::io::Cursor::into_inner).unwrap_or_default()
}
