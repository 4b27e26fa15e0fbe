//! `dist/ocs.exe`, the Windows build, run under Wine: the sample in every input form gives the same
//! bytes as the Linux build, messages, exit codes, Chinese paths, files dropped onto it from another
//! folder, a double-click, Windows-reserved role names, an output held open or read-only, the
//! fonts of `C:\Windows\Fonts`, `ocs.exe diff` with Chinese file names, and the package a clerk
//! downloads (the .exe, the web page, the guide).
//!
//! The .exe is built once per CI run by `bash scripts/release.sh` (before `cargo test`); a missing
//! one fails here with that instruction rather than skipping. Wine 8 lacks `bcryptprimitives.dll`,
//! which Rust's standard library asks for random bytes before `main`: the tests compile a stand-in
//! (`tests/wine/bcryptprimitives.c`) into their own Wine prefix under `target/`.

mod common;
use common::{files_under, input, ocs, text};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const FORMS: [&str; 6] =
    ["BAS2421-002.xlsx", "BAS2421-002.csv", "BAS2421-002.big5.csv", "BAS2421-002.flat.csv", "BAS2421-002.xls", "BAS2421-002.ods"];

/// The Windows binary; its absence is a failure that says how to make it.
fn exe() -> PathBuf {
    let path = common::root().join("dist/ocs.exe");
    assert!(
        path.is_file(),
        "{} is missing: build it first with `bash scripts/release.sh` (or `OCS_RELEASE=windows bash scripts/release.sh` \
         for the .exe alone); CI runs it once before `cargo test`",
        path.display()
    );
    path
}

/// The tests' own Wine prefix, made once (≈ 30 s) and kept under `target/`, with the stand-in DLL
/// in its `system32` and a server kept alive between the tests' many short runs.
fn prefix() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
        let wine = |program: &str, args: &[&str]| {
            let status = Command::new(program)
                .args(args)
                .env("WINEPREFIX", &prefix)
                .env("WINEDEBUG", "-all")
                .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let status = status.unwrap_or_else(|e| panic!("cannot run {program} (apt-get install wine64): {e}"));
            assert!(status.success(), "{program} {args:?} failed: {status}");
        };
        if !prefix.join("system.reg").exists() {
            wine("wineboot", &["-i"]);
        }
        // A server kept alive between runs (exits 2 when wineboot's is still there: fine either way).
        let _ = Command::new("wineserver").arg("-p30").env("WINEPREFIX", &prefix).status();
        let system32 = prefix.join("drive_c/windows/system32");
        compile(&common::root().join("tests/wine/bcryptprimitives.c"), &system32.join("bcryptprimitives.dll"), &["-shared", "-ladvapi32"]);
        prefix
    })
}

/// A C file of `tests/wine` compiled with MinGW (installed by `scripts/release.sh`).
fn compile(source: &Path, target: &Path, flags: &[&str]) {
    let status = Command::new("x86_64-w64-mingw32-gcc")
        .arg("-O2")
        .arg("-o")
        .arg(target)
        .arg(source)
        .args(flags)
        .status()
        .unwrap_or_else(|e| panic!("cannot run x86_64-w64-mingw32-gcc (scripts/release.sh installs it): {e}"));
    assert!(status.success(), "compiling {} failed", source.display());
}

/// A Linux path as Wine shows it to a Windows program: `Z:\tmp\…`.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// One run of a Windows program under Wine.
struct Run {
    program: PathBuf,
    args: Vec<String>,
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl Run {
    fn new(dir: &Path, args: &[&str]) -> Run {
        Run { program: exe(), args: args.iter().map(|s| s.to_string()).collect(), dir: dir.to_path_buf(), env: Vec::new() }
    }

    fn program(mut self, program: &Path) -> Run {
        self.program = program.to_path_buf();
        self
    }

    fn env(mut self, name: &str, value: &str) -> Run {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new("wine");
        command
            .arg(&self.program)
            .args(&self.args)
            .current_dir(&self.dir)
            .env("WINEPREFIX", prefix())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            // Wine writes non-ASCII file names in the Unix locale's encoding: UTF-8 it must be.
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("CI")
            .stdin(Stdio::null());
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }

    /// Run to the end (a minute at most: a run that waits for a key would hang the suite).
    fn output(&self) -> Output {
        let mut child = self.command().stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run wine");
        let started = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("{:?} did not end within two minutes (waiting for a key?)", self.args);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.wait_with_output().expect("output")
    }
}

fn code(output: &Output) -> Option<i32> {
    output.status.code()
}

/// Every file under `root` but the run's report, whose paths differ by platform.
fn outputs(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = files_under(root);
    files.retain(|name, _| !name.starts_with("report."));
    files
}

/// A fresh folder holding the sample's input files in `input/`.
fn sample_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("input")).expect("mkdir");
    for name in FORMS {
        std::fs::copy(input(name), dir.path().join("input").join(name)).expect("copy the sample");
    }
    dir
}

#[test]
fn version_names_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let out = Run::new(dir.path(), &["--version"]).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let version = env!("CARGO_PKG_VERSION");
    assert!(line.starts_with(&format!("ocs {version} (")) && line.trim_end().ends_with(')'), "version and commit: {line}");
}

#[test]
fn the_exe_needs_no_dll_beside_it() {
    let dump = Command::new("x86_64-w64-mingw32-objdump").arg("-p").arg(exe()).output().expect("objdump (binutils-mingw-w64)");
    let imports: Vec<String> =
        text(&dump.stdout).lines().filter_map(|l| l.trim().strip_prefix("DLL Name: ")).map(|s| s.to_ascii_lowercase()).collect();
    let system = ["kernel32.dll", "ntdll.dll", "advapi32.dll", "bcryptprimitives.dll", "ws2_32.dll", "userenv.dll", "msvcrt.dll"];
    let system = |dll: &String| system.contains(&dll.as_str()) || dll.starts_with("api-ms-win-");
    assert!(!imports.is_empty(), "objdump found the imports");
    assert!(imports.iter().all(system), "only DLLs every Windows has: {imports:?}");
}

#[test]
fn every_input_form_gives_the_bytes_of_the_linux_build() {
    let dir = sample_folder();
    for (n, form) in FORMS.iter().enumerate() {
        let input = format!("input\\{form}");
        let (win, linux) = (format!("win{n}"), format!("linux{n}"));
        let out = Run::new(dir.path(), &["build", &input, "-o", &win]).env("SOURCE_DATE_EPOCH", "1700000000").output();
        assert_eq!(code(&out), Some(0), "{form} under Wine: {}", text(&out.stderr));
        let linux_run = Command::new(env!("CARGO_BIN_EXE_ocs"))
            .args(["build", &format!("input/{form}"), "-o", &linux])
            .current_dir(dir.path())
            .env("LANG", "C")
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .unwrap();
        assert_eq!(code(&linux_run), Some(0), "{form} on Linux: {}", text(&linux_run.stderr));
        let (win_files, linux_files) = (outputs(&dir.path().join(&win)), outputs(&dir.path().join(&linux)));
        assert_eq!(
            win_files.keys().collect::<Vec<_>>(),
            linux_files.keys().collect::<Vec<_>>(),
            "{form}: the same files on both platforms"
        );
        assert_eq!(win_files.len(), 43, "{form}: every output");
        for (name, bytes) in &win_files {
            assert!(linux_files[name] == *bytes, "{form}: {name} differs between the Windows and the Linux build");
        }
        // The report differs only in how paths are written.
        let report = |folder: &str| std::fs::read_to_string(dir.path().join(folder).join("report.json")).unwrap();
        let windows_report = report(&win);
        assert!(windows_report.contains(&format!("input\\\\{form}")), "Windows paths in report.json: {windows_report}");
        assert_eq!(windows_report.replace("\\\\", "/"), report(&linux), "{form}: report.json apart from the paths");
    }
}

/// The 修正對照表 under Windows: two versions with Chinese names give Linux's files byte for
/// byte, the 更新說明 on the console, and exit status 1 (the versions differ).
#[test]
fn diff_gives_the_files_of_the_linux_build() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("職能基準");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), folder.join("修正前.xlsx")).unwrap();
    let sample = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    let task = "T1.1 調閱公司以往相關活動檔案";
    assert!(sample.contains(task), "the sample has the task reworded here");
    std::fs::write(folder.join("修正後.csv"), sample.replacen(task, "T1.1 調閱公司以往相關活動與會議檔案", 1)).unwrap();
    let args = ["diff", "職能基準\\修正前.xlsx", "職能基準\\修正後.csv", "-o", "修正對照表", "--lang", "zh-TW"];
    let win = Run::new(dir.path(), &args).env("SOURCE_DATE_EPOCH", "1700000000").output();
    assert_eq!(code(&win), Some(1), "the versions differ: {}", text(&win.stderr));
    let linux_args = ["diff", "職能基準/修正前.xlsx", "職能基準/修正後.csv", "-o", "linux", "--lang", "zh-TW"];
    let linux = Command::new(env!("CARGO_BIN_EXE_ocs"))
        .args(linux_args)
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(code(&linux), Some(1), "{}", text(&linux.stderr));
    let (win_files, linux_files) = (files_under(&dir.path().join("修正對照表")), files_under(&dir.path().join("linux")));
    assert_eq!(win_files.keys().collect::<Vec<_>>(), linux_files.keys().collect::<Vec<_>>(), "the same files");
    assert!(win_files.keys().any(|name| name == "BAS2421-002-修正對照表.pdf"), "{:?}", win_files.keys());
    for (name, bytes) in &win_files {
        if name.ends_with("-diff.json") {
            // The JSON names each version's file as given: with `\` on Windows.
            let json = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).expect("JSON");
            let (mut windows, mut linux) = (json(bytes), json(&linux_files[name]));
            for side in ["old", "new"] {
                assert!(windows[side]["file"].as_str().is_some_and(|f| f.starts_with("職能基準\\")), "{}", windows[side]);
                windows[side]["file"] = serde_json::Value::Null;
                linux[side]["file"] = serde_json::Value::Null;
            }
            assert_eq!(windows, linux, "{name} apart from the file names");
        } else {
            assert!(linux_files[name] == *bytes, "{name} differs between the Windows and the Linux build");
        }
    }
    let summary = text(&win_files["BAS2421-002-更新說明.txt"]);
    assert!(summary.contains("T1.1"), "the 更新說明 names the reworded task: {summary}");
    assert_eq!(text(&win.stdout).replace("\r\n", "\n").trim(), summary.trim(), "the 更新說明 is printed");
}

/// What a clerk downloads for Windows: the .exe that was tested, the web page (the 修正對照表 and
/// conversion without a command line) byte for byte as built, the sample, the guide in Chinese
/// for Notepad (BOM, CRLF) that points to both, and the font's licence.
#[test]
fn the_package_holds_the_exe_the_page_and_the_guide() {
    let path = common::root().join("dist/ocs-windows-x64.zip");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}: build it with `bash scripts/release.sh`", path.display()));
    let entries = common::zip_entries(&bytes);
    let mut expected = vec!["ocs.exe", "ocs.html", "使用說明.txt", "字型授權-OFL.txt"];
    let samples: Vec<String> = FORMS.iter().map(|form| format!("input/{form}")).collect();
    expected.extend(samples.iter().map(String::as_str));
    for name in &expected {
        assert!(entries.contains_key(*name), "the package holds {name}: {:?}", entries.keys());
    }
    assert!(entries["ocs.exe"] == std::fs::read(exe()).unwrap(), "the package's ocs.exe is the one tested here");
    let page = std::fs::read(common::root().join("dist/ocs.html")).expect("dist/ocs.html (scripts/build-web.sh)");
    assert!(entries["ocs.html"] == page, "the package's ocs.html is the page tested by tests/web.rs");
    let guide = &entries["使用說明.txt"];
    assert!(guide.starts_with(b"\xef\xbb\xbf"), "the guide starts with a BOM for Notepad");
    let guide = text(&guide[3..]);
    assert!(guide.lines().count() > 10 && guide.split('\n').all(|l| l.is_empty() || l.ends_with('\r')), "CRLF line ends");
    for needed in ["ocs.html", "修正對照表", "ocs.exe diff"] {
        assert!(guide.contains(needed), "the guide tells of {needed}");
    }
}

#[test]
fn messages_in_chinese_and_english() {
    let dir = sample_folder();
    let zh = Run::new(dir.path(), &["build", "--lang", "zh-TW"]).output();
    assert_eq!(code(&zh), Some(0), "{}", text(&zh.stderr));
    let said = text(&zh.stderr);
    assert!(said.contains("已轉換 1 份職能基準"), "the summary in Traditional Chinese, as UTF-8: {said}");
    assert!(said.contains("out\\report.html"), "the report's path the Windows way: {said}");
    assert!(!said.contains('\u{1b}'), "no progress bar or other escape when the output is not a console: {said:?}");
    let en = Run::new(dir.path(), &["build", "-o", "out-en"]).output();
    assert_eq!(code(&en), Some(0), "{}", text(&en.stderr));
    assert!(text(&en.stderr).contains("1 standard converted"), "English by default under LANG=C.UTF-8: {}", text(&en.stderr));
    let help = Run::new(dir.path(), &["build", "--help", "--lang", "zh-TW"]).output();
    assert!(text(&help.stdout).contains("輸出資料夾"), "help in Chinese: {}", text(&help.stdout));
}

#[test]
fn exit_codes() {
    let dir = sample_folder();
    std::fs::write(dir.path().join("broken.xlsx"), b"not a workbook").unwrap();
    let bad = Run::new(dir.path(), &["build", "input", "broken.xlsx", "-o", "out"]).output();
    assert_eq!(code(&bad), Some(1), "a broken input: {}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("broken.xlsx"), "the broken file is named: {}", text(&bad.stderr));
    assert!(dir.path().join("out/BAS2421-002/BAS2421-002.pdf").exists(), "the good inputs are still converted");
    let usage = Run::new(dir.path(), &["build", "--no-such-flag"]).output();
    assert_eq!(code(&usage), Some(2), "{}", text(&usage.stderr));
    let missing = Run::new(dir.path(), &["check", "nowhere.xlsx"]).output();
    assert_eq!(code(&missing), Some(2), "{}", text(&missing.stderr));
    let check = Run::new(dir.path(), &["check", "input\\BAS2421-002.csv"]).output();
    assert_eq!(code(&check), Some(0), "{}", text(&check.stderr));
}

#[test]
fn chinese_folder_and_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("職能 資料").join("輸入");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), folder.join("會議專案執行人員.xlsx")).unwrap();
    std::fs::write(folder.join("壞掉的.csv"), b"\xff\xfe\x00").unwrap();
    let out = Run::new(dir.path(), &["build", "職能 資料\\輸入", "-o", "職能 資料\\輸出", "--lang", "zh-TW"]).output();
    assert_eq!(code(&out), Some(1), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("職能 資料\\輸入\\壞掉的.csv"), "the broken file named the Windows way: {said}");
    let written = dir.path().join("職能 資料/輸出/BAS2421-002/checklists");
    assert!(written.join("議事組.pdf").exists(), "outputs under a Chinese folder with Chinese names");
}

/// Paths longer than Windows' old limit of 260 characters (an agency's share nests deep): Rust's
/// standard library gives them the `\\?\` form, so reading and writing there work without the
/// long-path setting.
#[test]
fn paths_over_260_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for n in 0..12 {
        deep.push(format!("{n}-勞動部勞動力發展署職能基準發展與應用推動計畫資料夾"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), deep.join("會議專案執行人員.xlsx")).unwrap();
    let input_path = windows_path(&deep.join("會議專案執行人員.xlsx"));
    let out_path = windows_path(&deep.join("輸出"));
    assert!(input_path.chars().count() > 300, "{} characters", input_path.chars().count());
    let out = Run::new(dir.path(), &["build", &input_path, "-o", &out_path, "--lang", "zh-TW"]).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let written = deep.join("輸出/BAS2421-002");
    for name in ["BAS2421-002.pdf", "BAS2421-002.xlsx", "BAS2421-002.odt", "checklists/議事組.pdf"] {
        assert!(written.join(name).is_file(), "{name} written under the long path");
    }
}

#[test]
fn dropped_files_convert_into_out_beside_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("公文").join("職能基準");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(input("BAS2421-002.xlsx"), data.join("BAS2421-002.xlsx")).unwrap();
    let elsewhere = dir.path().join("桌面");
    std::fs::create_dir(&elsewhere).unwrap();
    // Explorer passes full paths and starts the program in a folder of its own choosing; the
    // test's input is not a console, so the run must not wait for a key.
    let dropped = windows_path(&data.join("BAS2421-002.xlsx"));
    let out = Run::new(&elsewhere, &[&dropped, "--lang", "zh-TW"]).output();
    assert_eq!(code(&out), Some(2), "a flag makes it a command line, which needs a command: {}", text(&out.stderr));
    let out = Run::new(&elsewhere, &[&dropped]).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(data.join("out/BAS2421-002/BAS2421-002.pdf").exists(), "out\\ beside the dropped file");
    assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none(), "nothing written where it was started");
    assert!(!text(&out.stderr).contains("any key"), "no pause without a console: {}", text(&out.stderr));
    // A dropped folder: out\ beside it.
    let out = Run::new(&elsewhere, &[&windows_path(&data)]).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("公文/out/BAS2421-002/BAS2421-002.xlsx").exists(), "out\\ beside the dropped folder");
}

#[test]
fn a_double_click_converts_input_into_out() {
    let dir = sample_folder();
    let copy = dir.path().join("ocs.exe");
    std::fs::copy(exe(), &copy).unwrap();
    let out = Run::new(dir.path(), &[]).program(&copy).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(dir.path().join("out/BAS2421-002/BAS2421-002.pdf").exists());
    // Without input\ the clerk is told what to do.
    let empty = tempfile::tempdir().unwrap();
    let out = Run::new(empty.path(), &[]).program(&copy).output();
    assert_eq!(code(&out), Some(2));
    assert!(text(&out.stderr).contains("input"), "{}", text(&out.stderr));
}

/// Under a pseudo-terminal Wine gives the program a console of its own, as Explorer does: the
/// window waits for a key. Run through `cmd /c`, which shares the console, it never waits.
#[test]
fn the_window_stays_open_only_when_the_console_is_its_own() {
    let dir = sample_folder();
    let copy = dir.path().join("ocs.exe");
    std::fs::copy(exe(), &copy).unwrap();
    // Runs `line` on a pseudo-terminal; once `done` exists (the report, written just before the
    // summary) and four more seconds have passed: is it still running? Then `key` is typed (or,
    // with none, the run must end by itself, its input left open).
    let on_terminal = |line: &str, done: &Path, key: Option<&[u8]>| {
        let run = Run::new(dir.path(), &[]).program(&copy);
        let mut shell = String::new();
        for (name, value) in run.command().get_envs() {
            if let Some(value) = value {
                shell.push_str(&format!("{}='{}' ", name.to_string_lossy(), value.to_string_lossy()));
            }
        }
        shell.push_str(line);
        let mut child = Command::new("script")
            .args(["-qefc", &shell, "/dev/null"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("script (bsdutils)");
        let mut stdin = child.stdin.take().unwrap();
        let started = Instant::now();
        let within = |limit: u64| started.elapsed() < Duration::from_secs(limit);
        while !done.exists() && child.try_wait().unwrap().is_none() && within(90) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_secs(4));
        let still_running = child.try_wait().unwrap().is_none();
        if let Some(key) = key {
            stdin.write_all(key).unwrap();
        }
        while child.try_wait().unwrap().is_none() {
            if !within(150) {
                let _ = child.kill();
                panic!("`{line}` did not end");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        (still_running, screen_text(&text(&output.stdout)))
    };
    let (waited, screen) = on_terminal("wine ocs.exe", &dir.path().join("out/report.html"), Some(b"x"));
    assert!(waited, "the window waits for a key: {screen}");
    assert!(screen.contains("Pressanykeytoclosethiswindow"), "it says so: {screen}");
    assert!(screen.contains("1standardconverted"), "{screen}");
    // Through the console (WriteConsoleW, not a pipe) Chinese arrives whole.
    let (waited, screen) = on_terminal("wine cmd /c ocs.exe build --lang zh-TW -o out2", &dir.path().join("out2/report.html"), None);
    assert!(!waited, "a script's console: no pause: {screen}");
    assert!(screen.contains("已轉換1份職能基準"), "{screen}");
    assert!(!screen.contains("按任意鍵"), "{screen}");
}

/// What a terminal shows of Wine's console output, without its cursor escapes and spaces (Wine
/// draws a space as a cursor move, and wraps lines at 80 columns).
fn screen_text(raw: &str) -> String {
    let mut shown = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next_if_eq(&'[').is_some() {
                while chars.next().is_some_and(|c| !('@'..='~').contains(&c)) {}
            } else {
                chars.next();
            }
        } else if !c.is_whitespace() {
            shown.push(c);
        }
    }
    shown
}

/// A role named like a Windows device, or with characters Windows refuses, still gets a
/// checklist, under a name Windows accepts; on Linux the same names.
#[test]
fn roles_named_like_windows_devices() {
    let dir = sample_folder();
    let roles =
        "\"CON\" = [\"T2.1\"]\n\"aux.txt\" = [\"T3.1\"]\n\"議事組: 前/後?\" = [\"T5.1\"]\n\"結尾. \" = [\"T1.1\"]\n\"COM¹\" = [\"T1.1\"]\n";
    std::fs::write(dir.path().join("roles.toml"), roles).unwrap();
    let out = Run::new(dir.path(), &["build", "input\\BAS2421-002.csv", "--roles", "roles.toml"]).output();
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out/BAS2421-002/checklists"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "one checklist a role: {names:?}");
    for name in &names {
        let stem = name.trim_end_matches(".pdf");
        assert!(ocs::output::windows_name_problem(stem).is_none(), "{stem} is a name Windows accepts");
    }
    let linux = ocs(&["build", "input/BAS2421-002.csv", "--roles", "roles.toml", "-o", "linux"], dir.path());
    assert_eq!(code(&linux), Some(0), "{}", text(&linux.stderr));
    let linux_names: Vec<String> =
        outputs(&dir.path().join("linux/BAS2421-002/checklists")).into_keys().filter(|n| n.ends_with(".pdf")).collect();
    assert_eq!(names, linux_names, "the same names on Linux");
}

/// The Excel case: an output of the earlier run is read-only, or held open without sharing. The
/// run fails naming that file and keeps the earlier folder as it was.
#[test]
fn an_output_held_open_or_read_only_keeps_the_earlier_folder() {
    let dir = sample_folder();
    let build = || Run::new(dir.path(), &["build", "input\\BAS2421-002.xlsx"]).output();
    let first = build();
    assert_eq!(code(&first), Some(0), "{}", text(&first.stderr));
    let folder = dir.path().join("out/BAS2421-002");
    // A file no run writes: were the folder replaced, it would be gone.
    std::fs::write(folder.join("earlier.txt"), b"from the earlier folder").unwrap();
    let before = files_under(&folder);
    let refused = |output: &Output| {
        let said = text(&output.stderr);
        assert_eq!(code(output), Some(1), "{said}");
        assert!(said.contains("BAS2421-002.xlsx is open in another program"), "the file is named: {said}");
        assert!(files_under(&folder) == before, "the earlier folder is intact");
        let names: Vec<String> =
            std::fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert!(names.iter().all(|n| !n.contains(".ocs-")), "no temporaries left: {names:?}");
    };
    let workbook = folder.join("BAS2421-002.xlsx");
    let mut permissions = std::fs::metadata(&workbook).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&workbook, permissions.clone()).unwrap();
    refused(&build());
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&workbook, permissions).unwrap();

    // Held open by another Windows program that shares nothing, as Excel holds a workbook.
    let hold = dir.path().join("hold.exe");
    compile(&common::root().join("tests/wine/hold.c"), &hold, &["-municode"]);
    let release = dir.path().join("release");
    let mut holder = Run::new(dir.path(), &[&windows_path(&workbook), &windows_path(&release)])
        .program(&hold)
        .command()
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = [0u8; 8];
    std::io::Read::read_exact(holder.stdout.as_mut().unwrap(), &mut line).expect("the holder opened the file");
    let third = build();
    std::fs::write(&release, b"").unwrap();
    let _ = holder.wait();
    refused(&third);
    // Closed again, the run goes through.
    let fourth = build();
    assert_eq!(code(&fourth), Some(0), "{}", text(&fourth.stderr));
    assert!(!folder.join("earlier.txt").exists(), "now the folder is replaced whole");
}

/// The faces of `C:\Windows\Fonts`: `--font 標楷體` finds 標楷體 by its Chinese family name, and
/// a character the embedded Noto Sans TC lacks (産) is drawn from it. The font is a stand-in
/// (`tests/wine/kaiu.ttf`: a few characters of TW-Kai, 全字庫正楷體, renamed DFKai-SB / 標楷體).
#[test]
fn windows_fonts_by_family_name_and_as_fallback() {
    let fonts = prefix().join("drive_c/windows/Fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(common::root().join("tests/wine/kaiu.ttf"), fonts.join("kaiu.ttf")).unwrap();
    let dir = sample_folder();
    let pdf_fonts = |pdf: &Path| {
        let listed = Command::new("pdffonts").arg(pdf).output().expect("pdffonts (poppler-utils)");
        text(&listed.stdout)
    };
    let named = Run::new(dir.path(), &["build", "input\\BAS2421-002.xlsx", "--font", "標楷體", "-o", "kai"]).output();
    assert_eq!(code(&named), Some(0), "{}", text(&named.stderr));
    let listed = pdf_fonts(&dir.path().join("kai/BAS2421-002/BAS2421-002.pdf"));
    assert!(listed.contains("DFKaiShu-SB-Estd-BF"), "the PDF is drawn with 標楷體: {listed}");
    let unknown = Run::new(dir.path(), &["build", "input\\BAS2421-002.xlsx", "--font", "沒有這個字型", "-o", "none"]).output();
    assert_eq!(code(&unknown), Some(2), "an unknown font is a usage error: {}", text(&unknown.stderr));
    assert!(text(&unknown.stderr).contains("沒有這個字型"), "{}", text(&unknown.stderr));

    let flat = std::fs::read_to_string(input("BAS2421-002.flat.csv")).unwrap();
    assert!(flat.contains("會議專案"), "the sample names its standard");
    std::fs::write(dir.path().join("産.csv"), flat.replacen("會議專案", "會議産業", 1)).unwrap();
    let fallback = Run::new(dir.path(), &["build", "産.csv", "-o", "fallback"]).output();
    assert_eq!(code(&fallback), Some(0), "{}", text(&fallback.stderr));
    let listed = pdf_fonts(&dir.path().join("fallback/BAS2421-002/BAS2421-002.pdf"));
    assert!(listed.contains("DFKaiShu-SB-Estd-BF"), "産 drawn from C:\\Windows\\Fonts\\kaiu.ttf: {listed}");
}
