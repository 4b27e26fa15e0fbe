//! The `ocs` command: parse arguments, run the library, print diagnostics, map the result to an
//! exit status (0 all converted, 1 an input failed, 2 usage error).

use clap::{Args, Parser, Subcommand, ValueEnum};
use ocs::diag::Severity;
use ocs::read::Limits;
use ocs::run::{self, Options, Output, Report};
use ocs::template::Template;
use ocs::terminal;
use ocs::text::Font;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ocs",
    version,
    about = "職能基準 (iCAP occupational competency standards) from Excel or CSV to the official table, JSON and CSV"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert every standard of the inputs into OUT/CODE/ (CODE.json, CODE.csv).
    Build {
        #[command(flatten)]
        inputs: Inputs,
        /// Output folder.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Write only these outputs (comma-separated); all by default.
        #[arg(long, value_enum, value_delimiter = ',', value_name = "OUTPUT")]
        only: Vec<Output>,
    },
    /// Write a blank input workbook in the official layout for a clerk to fill (.xlsx, or .ods by its name).
    Init {
        /// Where to write it.
        #[arg(default_value = "職能基準範本.xlsx")]
        path: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        /// A template replacing the official one.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
    },
    /// Read and validate only; print every diagnostic.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Args)]
struct Inputs {
    /// Input files or folders (.xlsx, .xlsm, .xls, .ods, .csv).
    #[arg(default_value = "input")]
    inputs: Vec<PathBuf>,
    /// Apply the repairs a careful editor would make (renumber O/P within their task, drop
    /// repeated K/S and attitudes), reporting each.
    #[arg(long)]
    fix: bool,
    /// Treat warnings as failures.
    #[arg(long)]
    strict: bool,
    /// Print info diagnostics too (code rewrites, encodings).
    #[arg(short, long)]
    verbose: bool,
    /// A template replacing the official one (labels, sizes, paper; see templates/official.toml).
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// A font file for the PDFs instead of the embedded Noto Sans TC (`PATH` or `PATH:INDEX`).
    #[arg(long, value_name = "PATH[:INDEX]")]
    font: Option<String>,
    /// Threads to convert with; one per core by default.
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Roles for the per-role checklists (TOML: role name = ["T2.1", "T3.1"]), replacing the ones
    /// found from task titles that recur across duties.
    #[arg(long, value_name = "FILE")]
    roles: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Limits on what an input may hold; sizes accept K, M and G suffixes.
#[derive(Args)]
struct LimitArgs {
    /// Largest input file.
    #[arg(long, value_name = "SIZE", default_value_t = Limits::default().file_size, value_parser = parse_size)]
    max_file_size: u64,
    /// Largest total size of an xlsx/ods once decompressed.
    #[arg(long, value_name = "SIZE", default_value_t = Limits::default().unzipped, value_parser = parse_size)]
    max_unzipped: u64,
    /// Highest expansion ratio of one large zip entry.
    #[arg(long, value_name = "N", default_value_t = Limits::default().ratio)]
    max_ratio: u64,
    /// Most rows in one sheet.
    #[arg(long, value_name = "N", default_value_t = Limits::default().rows)]
    max_rows: u32,
    /// Most columns in one sheet.
    #[arg(long, value_name = "N", default_value_t = Limits::default().cols)]
    max_cols: u32,
    /// Most non-empty cells in one file.
    #[arg(long, value_name = "N", default_value_t = Limits::default().cells)]
    max_cells: u64,
    /// Longest text of one cell.
    #[arg(long, value_name = "SIZE", default_value_t = Limits::default().cell_len as u64, value_parser = parse_size)]
    max_cell_len: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size such as 64M"))?;
    let factor = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{text}`: the unit must be K, M or G")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("`{text}` is too large"))
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            file_size: self.max_file_size,
            unzipped: self.max_unzipped,
            ratio: self.max_ratio,
            rows: self.max_rows,
            cols: self.max_cols,
            cells: self.max_cells,
            cell_len: usize::try_from(self.max_cell_len).unwrap_or(usize::MAX),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { inputs, out, only } => execute(&inputs, Some(out), &only, None),
        Command::Check { inputs, format } => execute(&inputs, None, &[], Some(format)),
        Command::Init { path, force, template } => init(&path, force, template.as_deref()),
    }
}

fn execute(inputs: &Inputs, out: Option<PathBuf>, only: &[Output], check_format: Option<Format>) -> ExitCode {
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(e) => {
            eprintln!("ocs: {e}");
            return ExitCode::from(2);
        }
    };
    let (files, problems) = run::collect_inputs(&inputs.inputs, out.as_deref());
    if files.is_empty() && problems.is_empty() {
        eprintln!(
            "ocs: no input files (.xlsx, .xlsm, .xls, .ods, .csv) in {}",
            terminal::escape(&inputs.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))
        );
        return ExitCode::from(2);
    }
    let mut options = Options::new(out.clone());
    options.fix = inputs.fix;
    options.jobs = inputs.jobs;
    options.progress = out.is_some() && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !only.is_empty() {
        options.outputs = only.to_vec();
    }
    options.strict = inputs.strict;
    options.limits = inputs.limits.limits();
    options.epoch = epoch;
    if let Some(path) = &inputs.template {
        match Template::from_file(path) {
            Ok(template) => options.template = template,
            Err(e) => {
                eprintln!("ocs: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(path) = &inputs.roles {
        match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|text| ocs::roles::parse(&text)) {
            Ok(roles) => options.roles = Some(roles),
            Err(e) => {
                eprintln!("ocs: {}: not a usable roles file: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    if let Some(spec) = &inputs.font {
        match Font::from_spec(spec) {
            Ok(font) => {
                // The workbooks and ODF documents name the face the PDFs are drawn with.
                options.template.font.name = font.family();
                options.font = std::sync::Arc::new(font);
            }
            Err(e) => {
                eprintln!("ocs: {e}");
                return ExitCode::from(2);
            }
        }
    }
    // The output folder is checked once, before any work: one clear error rather than one per standard.
    if let Some(out) = &out
        && let Err(e) = prepare_output(out)
    {
        eprintln!("ocs: {}", terminal::escape(&e));
        return ExitCode::from(2);
    }
    let stop = options.stop.clone();
    // The first Ctrl-C lets the standards being written finish and skips the rest; a second one
    // ends the process at once (an interrupted standard's fresh folder is cleaned by the next run).
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    let started = std::time::Instant::now();
    let mut report = run::run(&files, &options);
    let elapsed = started.elapsed();
    let missing = problems.iter().any(|d| d.severity == Severity::Error);
    report.diagnostics.splice(0..0, problems);
    match check_format {
        Some(Format::Json) => println!("{}", serde_json::to_string_pretty(&report.diagnostics).unwrap_or_default()),
        Some(Format::Text) => {
            for diagnostic in &report.diagnostics {
                println!("{}", terminal::escape(&diagnostic.to_string()));
            }
        }
        None => {
            for diagnostic in report.diagnostics.iter().filter(|d| inputs.verbose || d.severity > Severity::Info) {
                eprintln!("{}", terminal::escape(&diagnostic.to_string()));
            }
        }
    }
    let mut unwritten_report = false;
    if let Some(out) = &out {
        let json = serde_json::to_vec_pretty(&report.to_file()).unwrap_or_default();
        if let Err(e) = ocs::write::output::write_file(&out.join("report.json"), &json) {
            eprintln!("ocs: cannot write {}: {e}", terminal::escape(&out.join("report.json").display().to_string()));
            unwritten_report = true;
        }
    }
    for line in summary(&report, out.as_ref(), elapsed).lines() {
        eprintln!("{}", terminal::escape(line));
    }
    if options.stop.load(std::sync::atomic::Ordering::SeqCst) {
        let written = report.outcomes.iter().filter(|o| o.written).count();
        eprintln!("ocs: interrupted: {written} standard{} written, the other inputs were not converted", plural(written));
        return ExitCode::from(130);
    }
    if report.failed() || missing || unwritten_report { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn init(path: &std::path::Path, force: bool, template: Option<&std::path::Path>) -> ExitCode {
    if path.exists() && !force {
        eprintln!("ocs: {} exists already; use --force to replace it", path.display());
        return ExitCode::from(1);
    }
    let template = match template.map(Template::from_file).transpose() {
        Ok(template) => template.unwrap_or_else(Template::official),
        Err(e) => {
            eprintln!("ocs: {e}");
            return ExitCode::from(2);
        }
    };
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(e) => {
            eprintln!("ocs: {e}");
            return ExitCode::from(2);
        }
    };
    let bytes = match ocs::sheet::blank(ocs::sheet::Kind::of(path), &template, &Font::embedded(), epoch) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("ocs: cannot make the workbook: {e}");
            return ExitCode::from(1);
        }
    };
    match ocs::write::output::write_file(path, &bytes) {
        Ok(()) => {
            eprintln!("ocs: wrote {}: fill in sheet 職能基準 (see sheet 填寫說明), then `ocs build {}`", path.display(), path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ocs: cannot write {}: {e}", path.display());
            ExitCode::from(1)
        }
    }
}

/// `SOURCE_DATE_EPOCH`: whole seconds since 1970 up to the end of year 9999 (the documents' dates
/// have four-digit years); unset or empty means 0. Anything else is a usage error.
fn source_date_epoch() -> Result<i64, String> {
    const LAST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else { return Ok(0) };
    let value = value.to_string_lossy();
    let text = value.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(epoch) if (0..=LAST).contains(&epoch) => Ok(epoch),
        Ok(_) => Err(format!("SOURCE_DATE_EPOCH={} is outside 0..={LAST} (1970 to the end of 9999)", terminal::escape(text))),
        Err(_) => Err(format!("SOURCE_DATE_EPOCH={} is not a whole number of seconds since 1970", terminal::escape(text))),
    }
}

/// Make sure the output folder can be written before any work: create it, try a file in it, and
/// clean what an interrupted earlier run left there.
fn prepare_output(out: &std::path::Path) -> Result<(), String> {
    let shown = out.display().to_string();
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        return Err(format!("the output folder {shown} is a file, not a folder"));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create the output folder {shown}: {e}"))?;
    tempfile::tempfile_in(out).map_err(|e| format!("cannot write in the output folder {shown}: {e}"))?;
    let cleaned = ocs::write::output::clean(out).map_err(|e| format!("cannot clean what an earlier run left in {shown}: {e}"))?;
    if !cleaned.is_empty() {
        eprintln!("ocs: removed what an interrupted run left in {shown}: {}", cleaned.join(", "));
    }
    Ok(())
}

fn summary(report: &Report, out: Option<&PathBuf>, elapsed: std::time::Duration) -> String {
    let good = report.converted();
    let verb = if out.is_some() { "converted" } else { "read" };
    let mut line = format!(
        "ocs: {good} standard{} {verb}, {} failed; {} error{}, {} warning{}, {} note{}",
        plural(good),
        report.failures(),
        report.count(Severity::Error),
        plural(report.count(Severity::Error)),
        report.count(Severity::Warning),
        plural(report.count(Severity::Warning)),
        report.count(Severity::Info),
        plural(report.count(Severity::Info)),
    );
    if let Some(out) = out {
        line.push_str(&format!(" → {}", out.display()));
    }
    line.push_str(&format!(" in {:.2} s", elapsed.as_secs_f64()));
    let rules = report.by_rule();
    if !rules.is_empty() {
        let listed: Vec<String> = rules.iter().take(8).map(|(rule, n)| format!("{rule} {n}")).collect();
        line.push_str(&format!("\n     by rule: {}", listed.join(", ")));
        if rules.len() > 8 {
            line.push_str(&format!(", … ({} rules)", rules.len()));
        }
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
