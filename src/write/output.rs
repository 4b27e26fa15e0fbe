//! Putting a standard's files in place: each is written to a temporary name in its folder, and all
//! are renamed only once every one is complete, so a failure leaves no partial file and never
//! clobbers an earlier good output.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Write `files` (name, bytes) into `dir`, all or nothing.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let created = !dir.exists();
    fs::create_dir_all(dir)?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, bytes) in files {
            let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
            temps.push((temp.clone(), dir.join(name)));
            fs::write(&temp, bytes)?;
        }
        for (temp, target) in &temps {
            fs::rename(temp, target)?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (temp, _) in &temps {
            let _ = fs::remove_file(temp);
        }
        if created {
            let _ = fs::remove_dir(dir);
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
        // A name that cannot be created (a folder of that name is in the way).
        fs::create_dir(target.join("b.csv")).unwrap();
        let result = write_all(&target, &[("a.json".into(), b"new".to_vec()), ("b.csv".into(), b"x".to_vec())]);
        assert!(result.is_err());
        assert_eq!(fs::read(target.join("a.json")).unwrap(), b"old");
        assert!(fs::read_dir(&target).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
    }
}
