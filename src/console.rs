//! The command line as a clerk meets it on Windows: what a double-click on `ocs.exe` or files
//! dropped onto it mean, the console window kept open until a key is pressed when Explorer opened
//! it, the user's display language, and a progress bar only where the console understands it.
//!
//! Not for converting anything: this only decides the arguments and talks to the console. The
//! decisions are plain functions (tested on every platform); the console calls are Windows-only.

use crate::i18n::Lang;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How the program was started, as far as its arguments tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Arguments a person or a script typed: taken as they are.
    CommandLine,
    /// No arguments at all: a double-click (or `ocs.exe` typed alone): `build` from `input\` into
    /// `out\`.
    DoubleClick,
    /// Every argument an existing absolute path, as Explorer passes the files and folders dropped
    /// onto the program: they are the inputs, and the outputs go to `out\` beside the first.
    Dropped(Vec<PathBuf>),
}

impl Launch {
    /// What `args` (without the program's own name) mean. `exists` says whether a path exists
    /// (a parameter so that tests need no files). A relative path is never taken as dropped:
    /// Explorer always passes full paths, and `ocs.exe check` must stay a command even where a
    /// file named `check` exists.
    pub fn of(args: &[OsString], exists: impl Fn(&Path) -> bool) -> Launch {
        if args.is_empty() {
            return Launch::DoubleClick;
        }
        let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
        if paths.iter().all(|p| p.is_absolute() && exists(p)) { Launch::Dropped(paths) } else { Launch::CommandLine }
    }

    /// The full argument list (program name first) this launch stands for; `None` for a command
    /// line, which is parsed as typed.
    pub fn arguments(&self, program: &OsString) -> Option<Vec<OsString>> {
        let mut args = vec![program.clone(), OsString::from("build")];
        match self {
            Launch::CommandLine => return None,
            Launch::DoubleClick => {}
            Launch::Dropped(paths) => {
                args.extend(paths.iter().map(|p| p.clone().into_os_string()));
                args.push(OsString::from("--out"));
                args.push(out_beside(&paths[0]).into_os_string());
            }
        }
        Some(args)
    }
}

/// `out` in the folder that holds `input` (a file or a folder): `D:\職能\a.xlsx` → `D:\職能\out`,
/// `D:\職能\input` → `D:\職能\out`. A drive's root stays the root: `D:\` → `D:\out`.
pub fn out_beside(input: &Path) -> PathBuf {
    input.parent().unwrap_or(input).join("out")
}

/// The language for messages when the environment names none (`LC_ALL`, `LC_MESSAGES`, `LANG` are
/// rarely set on Windows): the user's display language, Chinese for any Chinese one.
pub fn system_language() -> Option<Lang> {
    #[cfg(windows)]
    {
        // SAFETY: takes no argument and only reads the user's settings.
        let language = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
        // The primary language is the low ten bits; 0x04 is Chinese (zh-TW 0x0404, zh-HK 0x0C04, …).
        Some(if language & 0x3ff == 0x04 { Lang::ZhTw } else { Lang::En })
    }
    #[cfg(not(windows))]
    None
}

/// Whether this process has its console window to itself: Explorer (a double-click, a drop)
/// opens a fresh console for a console program, while `cmd.exe`, PowerShell or a script's parent
/// shares theirs. Only then is the window kept open at the end, and only when its keyboard is
/// really there (a script that redirects the input never waits).
pub fn owns_its_window() -> bool {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{GetConsoleMode, GetConsoleProcessList, GetStdHandle, STD_INPUT_HANDLE};
        let mut processes = [0u32; 4];
        // SAFETY: the buffer's length is passed with it; the handle is only asked for its mode.
        unsafe {
            let attached = GetConsoleProcessList(processes.as_mut_ptr(), processes.len() as u32);
            let mut mode = 0;
            attached == 1 && GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mut mode) != 0
        }
    }
    #[cfg(not(windows))]
    false
}

/// Wait for one key on the console (not for Enter: the window says "any key").
pub fn wait_for_key(prompt: &str) {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = writeln!(err);
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{
            FlushConsoleInputBuffer, GetStdHandle, INPUT_RECORD, KEY_EVENT, ReadConsoleInputW, STD_INPUT_HANDLE,
        };
        // SAFETY: one record is read into a zeroed record of the right type; the loop ends on a
        // failed read (no console) as well as on a key.
        unsafe {
            let input = GetStdHandle(STD_INPUT_HANDLE);
            // Keys pressed during the run (an impatient Enter) must not close the window unseen.
            FlushConsoleInputBuffer(input);
            loop {
                let mut record: INPUT_RECORD = std::mem::zeroed();
                let mut read = 0;
                if ReadConsoleInputW(input, &mut record, 1, &mut read) == 0 || read == 0 {
                    break;
                }
                if u32::from(record.EventType) == KEY_EVENT && record.Event.KeyEvent.bKeyDown != 0 {
                    break;
                }
            }
        }
    }
    let _ = writeln!(err);
}

/// Whether a progress bar drawn with ANSI escapes shows as a bar on standard error. On Windows the
/// console is asked to interpret them (Windows 10 and later can); a console that cannot (the
/// legacy console, Windows 8) gets no bar rather than a screen of `←[1A` garbage.
pub fn escapes_understood() -> bool {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{
            ENABLE_PROCESSED_OUTPUT, ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleMode, GetStdHandle, STD_ERROR_HANDLE, SetConsoleMode,
        };
        // SAFETY: the handle is only asked for its mode and given one.
        unsafe {
            let handle = GetStdHandle(STD_ERROR_HANDLE);
            let mut mode = 0;
            if GetConsoleMode(handle, &mut mode) == 0 {
                return false;
            }
            let wanted = mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING;
            mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 || SetConsoleMode(handle, wanted) != 0
        }
    }
    #[cfg(not(windows))]
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// Paths that are absolute on the platform the test runs on.
    fn absolute(name: &str) -> String {
        if cfg!(windows) { format!("C:\\職能\\{name}") } else { format!("/職能/{name}") }
    }

    #[test]
    fn no_arguments_is_a_double_click() {
        assert_eq!(Launch::of(&[], |_| true), Launch::DoubleClick);
        let program = OsString::from("ocs.exe");
        assert_eq!(Launch::DoubleClick.arguments(&program), Some(args(&["ocs.exe", "build"])));
    }

    #[test]
    fn dropped_files_are_the_inputs_and_out_goes_beside_the_first() {
        let (a, b) = (absolute("a.xlsx"), absolute("b.csv"));
        let launch = Launch::of(&args(&[&a, &b]), |_| true);
        assert_eq!(launch, Launch::Dropped(vec![PathBuf::from(&a), PathBuf::from(&b)]));
        let out = Path::new(&a).parent().unwrap().join("out");
        let expected = args(&["ocs.exe", "build", &a, &b, "--out", out.to_str().unwrap()]);
        assert_eq!(launch.arguments(&OsString::from("ocs.exe")), Some(expected));
    }

    #[test]
    fn a_dropped_folder_gets_out_beside_it() {
        let folder = absolute("input");
        assert_eq!(out_beside(Path::new(&folder)), Path::new(&folder).parent().unwrap().join("out"));
    }

    #[test]
    fn typed_commands_and_relative_or_missing_paths_are_a_command_line() {
        assert_eq!(Launch::of(&args(&["build", "input"]), |_| true), Launch::CommandLine);
        assert_eq!(Launch::of(&args(&["check"]), |_| true), Launch::CommandLine, "a file named check does not make a drop");
        assert_eq!(Launch::of(&args(&[&absolute("a.xlsx")]), |_| false), Launch::CommandLine);
        assert_eq!(Launch::of(&args(&["--version"]), |_| true), Launch::CommandLine);
        assert_eq!(Launch::CommandLine.arguments(&OsString::from("ocs")), None);
    }
}
