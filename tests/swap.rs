//! A rebuild replaces `OUT/CODE` whole, and at every instant the folder is there: the old one or the
//! new one, never missing, never mixed. The build is run under `strace` (Debian's `strace`), which
//! kills it (SIGKILL) on entering its first, second, … rename, one run per rename, so every state
//! between two renames of a rebuild is looked at; then a clean run must leave the new folder and no
//! temporaries. Linux only: the exchange of two names in one step is Linux's `renameat2`.

#![cfg(target_os = "linux")]

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// The sample as standard `code`, its 工作描述 marked with `tag` so that two versions differ.
fn version(folder: &Path, code: &str, tag: &str) {
    std::fs::create_dir_all(folder).unwrap();
    let csv = std::fs::read_to_string(input("BAS2421-002.csv")).unwrap();
    let csv = csv.replace("BAS2421-002", code).replacen("在專案執行過程中", &format!("{tag}在專案執行過程中"), 1);
    std::fs::write(folder.join(format!("{code}.csv")), csv).unwrap();
}

const RENAMES: &str = "rename,renameat,renameat2";

/// `ocs build INPUT -o OUT` under strace, killed on entering its `kill_at`-th rename (`None`: not
/// killed, every rename logged to `log`).
fn traced_build(dir: &Path, input: &Path, out: &str, kill_at: Option<usize>, log: &Path) -> std::process::Output {
    let mut command = Command::new("strace");
    command.args(["-f", "-qq", "-o"]).arg(log).args(["-e", &format!("trace={RENAMES}")]);
    if let Some(n) = kill_at {
        command.args(["-e", &format!("inject={RENAMES}:signal=SIGKILL:when={n}")]);
    }
    command
        .arg(env!("CARGO_BIN_EXE_ocs"))
        .args(["build", input.to_str().unwrap(), "-o", out, "--only", "json,csv", "--jobs", "1"])
        .current_dir(dir)
        .env("LANG", "C")
        .output()
        .expect("strace (apt-get install strace)")
}

#[test]
fn at_every_rename_of_a_rebuild_the_folder_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (folder, tag) in [(&a, "甲"), (&b, "乙")] {
        version(folder, "BAS2421-201", tag);
        version(folder, "BAS2421-202", tag);
    }
    let build = |input: &Path, out: &str| {
        let output = ocs(&["build", input.to_str().unwrap(), "-o", out, "--only", "json,csv"], dir.path());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    };
    build(&a, "ref-a");
    build(&b, "ref-b");
    let codes = ["BAS2421-201", "BAS2421-202"];
    let old: Vec<_> = codes.iter().map(|c| files_under(&dir.path().join("ref-a").join(c))).collect();
    let new: Vec<_> = codes.iter().map(|c| files_under(&dir.path().join("ref-b").join(c))).collect();
    assert_ne!(old, new);

    // How many renames a rebuild makes. strace counts `when=N` per thread: the standards are
    // placed by one worker (`--jobs 1`), the reports after them by the main thread, so killing at
    // the N-th rename of any thread, for N up to the most one thread makes, stops the rebuild
    // before each rename of the standards in turn.
    build(&a, "out");
    let log = dir.path().join("strace.log");
    let traced = traced_build(dir.path(), &b, "out", None, &log);
    assert_eq!(traced.status.code(), Some(0), "{}", text(&traced.stderr));
    let logged = std::fs::read_to_string(&log).unwrap();
    let mut per_thread = std::collections::BTreeMap::new();
    for line in logged.lines().filter(|l| l.contains("rename")) {
        *per_thread.entry(line.split_whitespace().next().unwrap_or_default()).or_insert(0) += 1;
    }
    let renames = per_thread.values().copied().max().unwrap_or(0);
    assert!(renames >= 2, "a rebuild renames a folder per standard: {logged}");

    for kill_at in 1..=renames {
        std::fs::remove_dir_all(dir.path().join("out")).unwrap();
        build(&a, "out");
        let killed = traced_build(dir.path(), &b, "out", Some(kill_at), &log);
        assert_ne!(killed.status.code(), Some(0), "killed at rename {kill_at}");
        for (n, code) in codes.iter().enumerate() {
            let folder = dir.path().join("out").join(code);
            let meta = std::fs::symlink_metadata(&folder);
            assert!(meta.is_ok_and(|m| m.is_dir()), "killed at rename {kill_at} of {renames}: out/{code} is missing");
            let files = files_under(&folder);
            assert!(files == old[n] || files == new[n], "killed at rename {kill_at}: out/{code} is mixed");
        }
        // The next run puts the new folder in place and leaves no temporary.
        build(&b, "out");
        for (n, code) in codes.iter().enumerate() {
            assert_eq!(files_under(&dir.path().join("out").join(code)), new[n], "after a rerun");
        }
        let hidden: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "temporaries left after a rerun: {hidden:?}");
    }
}
