//! Every file ocs writes gets the permissions a plainly created file would: `0666` less the umask
//! (and folders `0777` less the umask), so that colleagues on a shared folder can open the report
//! and the standards alike. (report.json, report.html and the `ocs init` workbook once came out
//! 0600: the private mode of their temporary file survived the rename.)

#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// Run ocs under a umask (through `sh`, which sets it before starting ocs).
fn ocs_with_umask(umask: u32, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask:03o} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ocs"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .output()
        .expect("sh")
}

/// Every entry under `root` (itself included) with its permission bits.
fn modes(root: &Path) -> Vec<(String, bool, u32)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        found.push((path.display().to_string(), meta.is_dir(), meta.permissions().mode() & 0o7777));
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }
    found
}

#[test]
fn every_file_written_follows_the_umask() {
    for umask in [0o022, 0o027, 0o002] {
        let dir = folder_with(&["BAS2421-002.xlsx"]);
        let out = ocs_with_umask(umask, &["build", "in", "-o", "out"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let init = ocs_with_umask(umask, &["init", "範本.xlsx"], dir.path());
        assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
        let init_ods = ocs_with_umask(umask, &["init", "範本.ods"], dir.path());
        assert_eq!(init_ods.status.code(), Some(0), "{}", text(&init_ods.stderr));

        let mut written = modes(&dir.path().join("out"));
        written.extend(modes(&dir.path().join("範本.xlsx")));
        written.extend(modes(&dir.path().join("範本.ods")));
        assert!(written.len() > 40, "{written:?}");
        for name in ["report.json", "report.html", "BAS2421-002.pdf", "議事組.xlsx", "範本.xlsx", "範本.ods"] {
            assert!(written.iter().any(|(path, _, _)| path.ends_with(name)), "{name} not written");
        }
        for (path, is_dir, mode) in &written {
            let plain = if *is_dir { 0o777 & !umask } else { 0o666 & !umask };
            assert_eq!(*mode, plain, "umask {umask:03o}: {path} is {mode:03o}, a plainly created one would be {plain:03o}");
        }
    }
}
