//! The `ocs` command: parse arguments, run the library, print diagnostics and the summary in the
//! chosen language, map the result to an exit status (0 all converted, 1 an input failed, 2 usage).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ocs::console::{self, Launch};
use ocs::convert::Output;
use ocs::diag::Severity;
use ocs::i18n::{self, Lang, Message, text};
use ocs::read::Limits;
use ocs::report::Report;
use ocs::run::{self, Options};
use ocs::template::Template;
use ocs::terminal;
use ocs::text::Font;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The help texts are the catalogue's (`help-…` ids, set in `localised`); the doc comments here
/// are for readers of the code.
#[derive(Parser)]
#[command(name = "ocs", version, disable_help_flag = true, disable_version_flag = true, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages and help: zh-TW or en (default: from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<Lang>,
}

#[derive(Subcommand)]
enum Command {
    /// Convert every standard of the inputs into OUT/CODE/ and write OUT/report.html.
    Build {
        #[command(flatten)]
        inputs: Inputs,
        /// Output folder.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Write only these outputs (comma-separated); all by default.
        #[arg(long, value_enum, value_delimiter = ',', value_name = "OUTPUT")]
        only: Vec<Output>,
        /// A template replacing the official one (labels, sizes, paper; see templates/official.toml).
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// A font file for the PDFs instead of the embedded Noto Sans TC (`PATH` or `PATH:INDEX`).
        #[arg(long, value_name = "PATH[:INDEX]")]
        font: Option<String>,
        /// Roles for the per-role checklists (TOML: role name = ["T2.1", "T3.1"]).
        #[arg(long, value_name = "FILE")]
        roles: Option<PathBuf>,
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
    /// Compare two versions of a standard: write its 修正對照表 into OUT and print the 更新說明.
    Diff {
        /// The earlier version (any input format).
        old: PathBuf,
        /// The later version (any input format).
        new: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Compare even when the two files hold different standards (their codes differ).
        #[arg(long)]
        force: bool,
        /// Apply the repairs of `build --fix` to both versions before comparing.
        #[arg(long)]
        fix: bool,
        /// Print info diagnostics too.
        #[arg(short, long)]
        verbose: bool,
        /// A template replacing the official one.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
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

/// What `build` and `check` share: the inputs and how they are read and judged.
#[derive(Args)]
struct Inputs {
    /// Input files or folders.
    #[arg(default_value = "input")]
    inputs: Vec<PathBuf>,
    /// Apply the repairs a careful editor would make, reporting each.
    #[arg(long)]
    fix: bool,
    /// Treat warnings as failures.
    #[arg(long)]
    strict: bool,
    /// Print info diagnostics too.
    #[arg(short, long)]
    verbose: bool,
    /// Threads to convert with; one per core when not given.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Limits on what an input may hold; sizes accept K, M and G suffixes. Defaults: `Limits::default`.
#[derive(Args)]
struct LimitArgs {
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_file_size: Option<u64>,
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_unzipped: Option<u64>,
    #[arg(long, value_name = "N")]
    max_ratio: Option<u64>,
    #[arg(long, value_name = "N")]
    max_rows: Option<u32>,
    #[arg(long, value_name = "N")]
    max_cols: Option<u32>,
    #[arg(long, value_name = "N")]
    max_cells: Option<u64>,
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_cell_len: Option<u64>,
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
    let number: u64 = number.parse().map_err(|_| Message::new("size-not-a-size").arg("text", text).to_string())?;
    let factor = match unit.trim().to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(Message::new("size-unit").arg("text", text).to_string()),
    };
    number.checked_mul(factor).ok_or_else(|| Message::new("size-too-large").arg("text", text).to_string())
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            file_size: self.max_file_size.unwrap_or(d.file_size),
            unzipped: self.max_unzipped.unwrap_or(d.unzipped),
            ratio: self.max_ratio.unwrap_or(d.ratio),
            rows: self.max_rows.unwrap_or(d.rows),
            cols: self.max_cols.unwrap_or(d.cols),
            cells: self.max_cells.unwrap_or(d.cells),
            cell_len: self.max_cell_len.map_or(d.cell_len, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        }
    }
}

/// The language asked for by `--lang` (read before clap, so that its own help and errors are in
/// it), else by the locale.
fn language(args: &[String]) -> Lang {
    let mut chosen = None;
    for (i, arg) in args.iter().enumerate() {
        let value = match arg.strip_prefix("--lang") {
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_string()),
            Some("") => args.get(i + 1).cloned(),
            _ => None,
        };
        if let Some(lang) = value.and_then(|v| Lang::from_str(&v, true).ok()) {
            chosen = Some(lang);
        }
    }
    let locale = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let named = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().any(|name| locale(name).is_some());
    // Windows sets none of the POSIX variables: there the display language decides.
    chosen.or_else(|| if named { None } else { console::system_language() }).unwrap_or_else(|| Lang::from_env(locale))
}

/// The command with every help text, heading and flag description from the catalogue, and clap's
/// own `[default: …]` and `[possible values: …]` hidden (the catalogue's texts say them, readably).
fn localised() -> clap::Command {
    let limits = Limits::default();
    let defaults = |message: Message| {
        message
            .arg("file-size", i18n::size(limits.file_size))
            .arg("unzipped", i18n::size(limits.unzipped))
            .num("ratio", limits.ratio)
            .num("rows", limits.rows)
            .num("cols", limits.cols)
            .num("cells", limits.cells)
            .arg("cell-len", i18n::size(limits.cell_len as u64))
            .to_string()
    };
    let headings = |command: clap::Command| {
        let name = command.get_name().to_string();
        let mut command = command
            .help_template(format!("{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}", text("help-usage")))
            .subcommand_help_heading(text("help-commands"))
            .disable_help_flag(true)
            .arg(
                clap::Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(text("help-help"))
                    .help_heading(text("help-options"))
                    .display_order(usize::MAX),
            );
        if command.get_about().is_some() || name == "ocs" {
            command = command.about(text(help_id(&name, None)));
        }
        let ids: Vec<(String, bool)> =
            command.get_arguments().filter(|a| a.get_id() != "help").map(|a| (a.get_id().to_string(), a.is_positional())).collect();
        for (id, positional) in ids {
            let help = defaults(Message::new(help_id(&name, Some(&id))));
            let heading = if positional { text("help-arguments") } else { text("help-options") };
            command = command.mut_arg(id, |arg| {
                let takes_values = arg.get_action().takes_values();
                let arg = arg.help(help).help_heading(heading);
                if takes_values { arg.hide_default_value(true).hide_possible_values(true) } else { arg }
            });
        }
        command
    };
    let mut command = headings(Cli::command()).version(version()).disable_version_flag(true).arg(
        clap::Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(text("help-version"))
            .help_heading(text("help-options"))
            .display_order(usize::MAX),
    );
    for name in ["build", "check", "diff", "init"] {
        command = command.mut_subcommand(name, headings);
    }
    command
}

/// The catalogue id of a command's or an argument's help text: `help-build`, `help-build-out`.
fn help_id(command: &str, arg: Option<&str>) -> String {
    match arg {
        Some("lang") => "help-lang".to_string(),
        Some(arg) => format!("help-{command}-{}", arg.replace('_', "-")),
        None => format!("help-{command}"),
    }
}

/// A usage error from clap, said in the chosen language.
fn usage_error(error: &clap::Error) -> Message {
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (arg, value) = (context(ContextKind::InvalidArg), context(ContextKind::InvalidValue));
    let valid = match error.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(list)) => list.iter().map(|v| Message::new("plain").arg("text", v)).collect(),
        _ => Vec::new(),
    };
    let message = match error.kind() {
        ErrorKind::UnknownArgument => Message::new("usage-unknown-argument").arg("arg", arg),
        ErrorKind::InvalidSubcommand => Message::new("usage-unknown-command").arg("arg", context(ContextKind::InvalidSubcommand)),
        ErrorKind::InvalidValue if value.is_empty() => Message::new("usage-missing-value").arg("arg", arg),
        ErrorKind::InvalidValue => Message::new("usage-invalid-value").arg("arg", arg).arg("value", value).list("valid", valid),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
            Message::new("usage-bad-value").arg("arg", arg).arg("value", value).arg("reason", reason)
        }
        ErrorKind::MissingRequiredArgument | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            Message::new("usage-missing-value").arg("arg", arg)
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Message::new("usage-no-command"),
        ErrorKind::ArgumentConflict => Message::new("usage-conflict").arg("arg", arg),
        ErrorKind::TooManyValues => Message::new("usage-too-many").arg("arg", arg),
        _ => Message::new("usage-other").arg("arg", arg),
    };
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .map(context)
        .find(|s| !s.is_empty())
        .map(|s| Message::new("usage-suggest").arg("suggestion", s));
    Message::new("usage-error").message("problem", message).list("suggestion", suggested.into_iter().collect())
}

/// On Windows a double-click or files dropped onto `ocs.exe` stand for a `build` (see
/// `ocs::console`); the window Explorer opened stays until a key is pressed.
fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let launch = match args.split_first() {
        Some((_, rest)) if cfg!(windows) => Launch::of(rest, Path::exists),
        _ => Launch::CommandLine,
    };
    let pause = launch != Launch::CommandLine && console::owns_its_window();
    if let Some(program) = args.first()
        && let Some(meant) = launch.arguments(program)
    {
        // Explorer starts a double-clicked program in its own folder, but say so: `input` and
        // `out` are the folders beside ocs.exe.
        if launch == Launch::DoubleClick
            && pause
            && let Some(folder) = std::env::current_exe().ok().as_deref().and_then(Path::parent)
        {
            let _ = std::env::set_current_dir(folder);
        }
        args = meant;
    }
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let code = command_line(&args);
    if pause {
        console::wait_for_key(&text("press-any-key"));
    }
    code
}

/// `ocs` and `ocs --version`: the version, and the commit when built by `scripts/release.sh`.
fn version() -> String {
    match option_env!("OCS_COMMIT") {
        Some(commit) if !commit.is_empty() => format!("{} ({commit})", env!("CARGO_PKG_VERSION")),
        _ => env!("CARGO_PKG_VERSION").to_string(),
    }
}

fn command_line(args: &[String]) -> ExitCode {
    i18n::set_lang(language(args));
    let matches = match localised().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("ocs: {}", usage_error(&error));
            return ExitCode::from(2);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => {
            eprintln!("ocs: {}", usage_error(&error));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build { inputs, out, only, template, font, roles } => {
            let extras = BuildExtras { only, template, font, roles };
            execute(&inputs, Some(out), Some(&extras), None)
        }
        Command::Check { inputs, format } => execute(&inputs, None, None, Some(format)),
        Command::Init { path, force, template } => init(&path, force, template.as_deref()),
        Command::Diff { old, new, out, force, fix, verbose, template, limits } => {
            diff(&DiffArgs { old, new, out, force, fix, verbose, template, limits: limits.limits() })
        }
    }
}

/// What `diff` takes.
struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    out: PathBuf,
    force: bool,
    fix: bool,
    verbose: bool,
    template: Option<PathBuf>,
    limits: Limits,
}

/// `ocs diff`: exit 0 when the versions say the same, 1 when they differ, 2 on trouble (an input
/// unreadable or holding no standard, two different standards without `--force`, a file unwritten).
fn diff(args: &DiffArgs) -> ExitCode {
    const TROUBLE: u8 = 2;
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(e) => return usage(e),
    };
    let mut options = ocs::convert::Options { fix: args.fix, limits: args.limits, epoch, ..ocs::convert::Options::new() };
    if let Some(path) = &args.template {
        match Template::from_file(path) {
            Ok(template) => options.template = template,
            Err(e) => return usage(Message::new("plain").arg("text", e)),
        }
    }
    let read = |path: &PathBuf| ocs::read::read_file(path, &options.limits);
    let (old_name, new_name) = (args.old.display().to_string(), args.new.display().to_string());
    let comparison = ocs::convert::compare((&old_name, read(&args.old)), (&new_name, read(&args.new)), &options, args.force);
    for diagnostic in comparison.diagnostics.iter().filter(|d| args.verbose || d.severity > Severity::Info) {
        eprintln!("{}", terminal::escape(&diagnostic.to_string()));
    }
    for warning in &comparison.warnings {
        eprintln!("ocs: {}", terminal::escape(&warning.to_string()));
    }
    let amendment = match comparison.result {
        Ok(amendment) => amendment,
        Err(refusal) => {
            eprintln!("ocs: {}", terminal::escape(&refusal.message().to_string()));
            return ExitCode::from(TROUBLE);
        }
    };
    for note in &amendment.notes {
        eprintln!("{}", terminal::escape(&note.to_string()));
    }
    if let Err(e) = prepare_output(&args.out) {
        return usage(e);
    }
    // Every file is rendered before any is written; each is put in place whole.
    for (name, bytes) in &amendment.files {
        let path = args.out.join(name);
        if let Err(e) = ocs::output::write_file(&path, bytes) {
            eprintln!("ocs: {}", Message::new("write-failed").arg("path", path.display()).arg("error", e));
            return ExitCode::from(TROUBLE);
        }
    }
    if !amendment.summary.is_empty() {
        println!("{}", terminal::escape(&amendment.summary));
    }
    let names: Vec<&str> = amendment.files.iter().map(|(name, _)| name.as_str()).collect();
    let compared = &amendment.diff;
    let done =
        if compared.is_empty() { Message::new("diff-same") } else { Message::new("diff-changes").num("changes", compared.changes.len()) };
    let done =
        done.arg("old", &compared.old.code).arg("new", &compared.new.code).arg("out", args.out.display()).arg("files", names.join(", "));
    eprintln!("ocs: {}", terminal::escape(&done.to_string()));
    if compared.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// What only `build` takes.
struct BuildExtras {
    only: Vec<Output>,
    template: Option<PathBuf>,
    font: Option<String>,
    roles: Option<PathBuf>,
}

fn usage(message: Message) -> ExitCode {
    eprintln!("ocs: {}", terminal::escape(&message.to_string()));
    ExitCode::from(2)
}

/// Inputs that do not exist are a usage error (exit 2), said with what to do; the default `input/`
/// missing gets its own explanation.
fn missing_inputs(inputs: &Inputs) -> Option<ExitCode> {
    let missing: Vec<&PathBuf> = inputs.inputs.iter().filter(|p| !p.exists()).collect();
    if missing.is_empty() {
        return None;
    }
    if inputs.inputs == [PathBuf::from("input")] {
        let here = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
        return Some(usage(Message::new("no-input-folder").arg("here", here)));
    }
    for path in &missing {
        eprintln!("ocs: {}", terminal::escape(&Message::new("input-missing").arg("path", path.display()).to_string()));
    }
    Some(usage(Message::new("input-missing-hint")))
}

fn execute(inputs: &Inputs, out: Option<PathBuf>, build: Option<&BuildExtras>, check_format: Option<Format>) -> ExitCode {
    if let Some(code) = missing_inputs(inputs) {
        return code;
    }
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(e) => return usage(e),
    };
    let (files, problems) = run::collect_inputs(&inputs.inputs, out.as_deref());
    if files.is_empty() && problems.is_empty() {
        let paths = inputs.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        return usage(Message::new("no-input-files").arg("paths", paths));
    }
    let mut options = Options::new(out.clone());
    options.convert.fix = inputs.fix;
    options.jobs = inputs.jobs.unwrap_or(0);
    options.progress =
        out.is_some() && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && console::escapes_understood();
    options.convert.strict = inputs.strict;
    options.convert.limits = inputs.limits.limits();
    options.convert.epoch = epoch;
    if let Some(build) = build {
        if !build.only.is_empty() {
            options.convert.outputs = build.only.clone();
        }
        if let Some(path) = &build.template {
            match Template::from_file(path) {
                Ok(template) => options.convert.template = template,
                Err(e) => return usage(Message::new("plain").arg("text", e)),
            }
        }
        if let Some(path) = &build.roles {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| Message::new("roles-unreadable").arg("error", e))
                .and_then(|text| ocs::roles::parse(&text));
            match parsed {
                Ok(roles) => options.convert.roles = Some(roles),
                Err(e) => return usage(Message::new("roles-unusable").arg("path", path.display()).message("problem", e)),
            }
        }
        if let Some(spec) = &build.font {
            match Font::from_spec(spec) {
                Ok(font) => options.convert.use_font(font),
                Err(e) => return usage(Message::new("plain").arg("text", e)),
            }
        }
    }
    // The output folder is checked once, before any work: one clear error rather than one per standard.
    if let Some(out) = &out
        && let Err(e) = prepare_output(out)
    {
        return usage(e);
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
        for (name, bytes) in ocs::convert::report_files(&report, i18n::lang()) {
            if let Err(e) = ocs::output::write_file(&out.join(&name), &bytes) {
                let message = Message::new("write-failed").arg("path", out.join(&name).display()).arg("error", e);
                eprintln!("ocs: {}", terminal::escape(&message.to_string()));
                unwritten_report = true;
            }
        }
    }
    for line in summary(&report, out.as_ref(), elapsed).lines() {
        eprintln!("{}", terminal::escape(line));
    }
    if options.stop.load(std::sync::atomic::Ordering::SeqCst) {
        let written = report.outcomes.iter().filter(|o| o.written).count();
        eprintln!("ocs: {}", Message::new("interrupted").num("written", written));
        return ExitCode::from(130);
    }
    if report.failed() || missing || unwritten_report { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn init(path: &Path, force: bool, template: Option<&Path>) -> ExitCode {
    if path.exists() && !force {
        eprintln!("ocs: {}", Message::new("init-exists").arg("path", path.display()));
        return ExitCode::from(1);
    }
    let template = match template.map(Template::from_file).transpose() {
        Ok(template) => template.unwrap_or_else(Template::official),
        Err(e) => return usage(Message::new("plain").arg("text", e)),
    };
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(e) => return usage(e),
    };
    let bytes = match ocs::render::sheet::blank(ocs::render::sheet::Kind::of(path), &template, &Font::embedded(), epoch) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("ocs: {}", Message::new("init-failed").arg("error", e));
            return ExitCode::from(1);
        }
    };
    match ocs::output::write_file(path, &bytes) {
        Ok(()) => {
            eprintln!("ocs: {}", Message::new("init-wrote").arg("path", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ocs: {}", Message::new("write-failed").arg("path", path.display()).arg("error", e));
            ExitCode::from(1)
        }
    }
}

/// `SOURCE_DATE_EPOCH`: whole seconds since 1970 up to the end of year 9999 (the documents' dates
/// have four-digit years); unset or empty means 0. Anything else is a usage error.
fn source_date_epoch() -> Result<i64, Message> {
    const LAST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else { return Ok(0) };
    let value = value.to_string_lossy();
    let text = value.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(epoch) if (0..=LAST).contains(&epoch) => Ok(epoch),
        Ok(_) => Err(Message::new("epoch-range").arg("value", terminal::escape(text)).num("last", LAST)),
        Err(_) => Err(Message::new("epoch-not-a-number").arg("value", terminal::escape(text))),
    }
}

/// Make sure the output folder can be written before any work: create it, try a file in it, and
/// clean what an interrupted earlier run left there.
fn prepare_output(out: &Path) -> Result<(), Message> {
    let shown = out.display().to_string();
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        return Err(Message::new("output-is-file").arg("path", &shown));
    }
    std::fs::create_dir_all(out).map_err(|e| Message::new("output-uncreatable").arg("path", &shown).arg("error", e))?;
    tempfile::tempfile_in(out).map_err(|e| Message::new("output-unwritable").arg("path", &shown).arg("error", e))?;
    let cleaned = ocs::output::clean(out).map_err(|e| Message::new("output-uncleanable").arg("path", &shown).arg("error", e))?;
    if !cleaned.is_empty() {
        let message = Message::new("output-cleaned").arg("path", &shown).arg("names", cleaned.join(", "));
        eprintln!("ocs: {}", terminal::escape(&message.to_string()));
    }
    Ok(())
}

fn summary(report: &Report, out: Option<&PathBuf>, elapsed: std::time::Duration) -> String {
    let mut line = report.tally(if out.is_some() { "summary-standards" } else { "summary-standards-read" });
    if let Some(out) = out {
        line.push_str(&Message::new("summary-out").arg("out", out.display()).to_string());
    }
    line.push_str(&Message::new("summary-time").arg("seconds", format!("{:.2}", elapsed.as_secs_f64())).to_string());
    let rules = report.by_rule();
    if !rules.is_empty() {
        line.push('\n');
        line.push_str(&text("summary-by-rule"));
        for (rule, n) in rules.iter().take(8) {
            line.push_str(&format!("\n     {n:>4} × {} [{rule}]", i18n::rule_title(rule, i18n::lang())));
        }
        if rules.len() > 8 {
            line.push_str(&format!("\n     {}", Message::new("summary-more-rules").num("rules", rules.len() - 8)));
        }
    }
    if let Some(out) = out.filter(|o| o.join("report.html").exists()) {
        line.push('\n');
        line.push_str(&Message::new("summary-report").arg("path", out.join("report.html").display()).to_string());
    }
    format!("ocs: {line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument has its help text in both catalogues.
    #[test]
    fn every_help_text_is_in_both_catalogues() {
        let root = Cli::command();
        let mut ids = vec![help_id("ocs", None)];
        for command in root.get_subcommands() {
            let name = command.get_name();
            ids.push(help_id(name, None));
            ids.extend(command.get_arguments().map(|a| help_id(name, Some(a.get_id().as_str()))));
        }
        ids.extend(root.get_arguments().map(|a| help_id("ocs", Some(a.get_id().as_str()))));
        for id in ["help-usage", "help-commands", "help-options", "help-arguments", "help-help", "help-version"] {
            ids.push(id.to_string());
        }
        for id in &ids {
            assert!(i18n::has(Lang::ZhTw, id) && i18n::has(Lang::En, id), "`{id}` is not in both catalogues");
        }
    }

    #[test]
    fn the_localised_command_is_valid_in_both_languages() {
        for lang in [Lang::ZhTw, Lang::En] {
            i18n::set_lang(lang);
            localised().debug_assert();
        }
        i18n::set_lang(Lang::En);
    }

    #[test]
    fn the_language_flag_wins_over_the_locale() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(language(&args(&["ocs", "--lang", "en", "build"])), Lang::En);
        assert_eq!(language(&args(&["ocs", "build", "--lang=zh-TW"])), Lang::ZhTw);
    }

    #[test]
    fn sizes_take_suffixes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("256 KiB"), Ok(256 << 10));
        assert!(parse_size("64X").is_err());
    }
}
