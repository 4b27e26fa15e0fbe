//! Putting a standard's files in place: each is written to a temporary name in its folder, and all
//! are renamed only once every one is complete, so a failure leaves no partial file and never
//! clobbers an earlier good output.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Write `files` (name, bytes) into `dir`, all or nothing: every file is written to a temporary
/// name first; earlier files are set aside before the renames and put back if one fails. A name
/// may lead into a sub-folder (`checklists/議事組.pdf`).
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let created = !dir.exists();
    fs::create_dir_all(dir)?;
    let pid = std::process::id();
    let mut plan: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new();
    for (name, _) in files {
        let target = dir.join(name);
        let folder = target.parent().unwrap_or(dir).to_path_buf();
        fs::create_dir_all(&folder)?;
        let file = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        plan.push((folder.join(format!(".{file}.{pid}.tmp")), target, folder.join(format!(".{file}.{pid}.old"))));
    }
    let written = files.iter().zip(&plan).try_for_each(|((_, bytes), (temp, _, _))| fs::write(temp, bytes));
    let result = written.and_then(|()| swap_in(&plan));
    for (temp, _, old) in &plan {
        let _ = fs::remove_file(temp);
        let _ = fs::remove_file(old);
    }
    if result.is_err() && created {
        let _ = fs::remove_dir(dir);
    }
    result
}

/// Move the earlier files aside, the new ones in; on a failure, undo what was done.
fn swap_in(plan: &[(PathBuf, PathBuf, PathBuf)]) -> io::Result<()> {
    let mut set_aside = Vec::new();
    let mut placed = Vec::new();
    let result = (|| {
        for (_, target, old) in plan {
            if target.is_file() {
                fs::rename(target, old)?;
                set_aside.push((old, target));
            }
        }
        for (temp, target, _) in plan {
            fs::rename(temp, target)?;
            placed.push(target);
        }
        Ok(())
    })();
    if result.is_err() {
        for target in placed {
            let _ = fs::remove_file(target);
        }
        for (old, target) in set_aside {
            let _ = fs::rename(old, target);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("X");
        write_all(&target, &[("a.json".into(), b"{}".to_vec()), ("a.csv".into(), b"x".to_vec())]).unwrap();
        let mut names: Vec<_> = fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["a.csv", "a.json"]);
    }

    #[test]
    fn a_failure_keeps_the_earlier_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("X");
        write_all(&target, &[("a.json".into(), b"old".to_vec())]).unwrap();
        // The temporary file of b.csv cannot be created: a folder of that name is in the way.
        fs::create_dir(target.join(format!(".b.csv.{}.tmp", std::process::id()))).unwrap();
        let result = write_all(&target, &[("a.json".into(), b"new".to_vec()), ("b.csv".into(), b"x".to_vec())]);
        assert!(result.is_err());
        assert_eq!(fs::read(target.join("a.json")).unwrap(), b"old");
        assert!(!target.join("b.csv").exists());
        assert!(!target.join(format!(".a.json.{}.tmp", std::process::id())).exists());
    }
}
