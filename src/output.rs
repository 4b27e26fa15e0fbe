//! Putting files in place so that a crash, a kill or a planted symlink can never leave a half-written
//! or misplaced output. A standard's files are written into a fresh folder beside `OUT/CODE`, synced
//! to disk, and swapped in whole; leftovers of an interrupted run are cleaned by the next one.
//!
//! Every file is created exclusively (`O_EXCL`, which never follows a symlink) in a folder that this
//! process just created under an unpredictable name, so nobody else can have planted anything there.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Marks the fresh folder of a standard being written: `.CODE.<random>.ocs-new`.
const NEW: &str = ".ocs-new";
/// Marks an earlier folder of a standard set aside during a swap: `.CODE.<random>.ocs-old`.
const OLD: &str = ".ocs-old";
/// Marks a single file being written: `.NAME.<random>.ocs-tmp`.
const TMP: &str = ".ocs-tmp";

/// Write one standard's `files` (name, bytes; a name may lead into a sub-folder such as
/// `checklists/議事組.pdf`) as the folder `out/code`, replacing an earlier one whole: the folder
/// afterwards holds exactly these files, all from this run, or (on an error) the earlier folder is
/// left as it was.
pub fn write_standard(out: &Path, code: &str, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let fresh = tempfile::Builder::new().prefix(&format!(".{code}.")).suffix(NEW).tempdir_in(out)?;
    for (name, bytes) in files {
        let target = fresh.path().join(name);
        if !target.starts_with(fresh.path()) || name.split(['/', '\\']).any(|part| part.is_empty() || part == "." || part == "..") {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("`{name}` is not a file name inside the folder")));
        }
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&target).map_err(|e| {
            let message = if e.kind() == io::ErrorKind::AlreadyExists { format!("two outputs are named {name}") } else { e.to_string() };
            io::Error::new(e.kind(), message)
        })?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    sync_folders(fresh.path())?;
    let fresh = fresh.keep();
    let target = out.join(code);
    let result = swap(out, code, &fresh, &target);
    if result.is_err() {
        let _ = fs::remove_dir_all(&fresh);
    }
    result
}

/// Put `fresh` at `target`. Where the system can exchange two names in one step (Linux), an
/// earlier `target` and `fresh` trade names, so `target` is at every instant whole, the old folder
/// or the new; the old one, now under the fresh name, is then removed (a crash before that leaves
/// an `.ocs-new` that `clean` deletes). Elsewhere, an earlier `target` is first renamed aside, then
/// removed: a crash between the two renames leaves it under its aside name, which `clean` restores.
fn swap(out: &Path, code: &str, fresh: &Path, target: &Path) -> io::Result<()> {
    let earlier = fs::symlink_metadata(target).is_ok();
    if !earlier {
        fs::rename(fresh, target)?;
        return sync_folder(out);
    }
    if exchange(fresh, target).is_ok() {
        sync_folder(out)?;
        return remove_any(fresh);
    }
    let aside = tempfile::Builder::new().prefix(&format!(".{code}.")).suffix(OLD).tempdir_in(out)?.keep();
    // The aside name was reserved as an empty folder; a rename onto an empty folder replaces it.
    let set_aside = fs::rename(target, &aside).or_else(|e| {
        // A file (not a folder) cannot replace a folder: free the name first.
        fs::remove_dir(&aside)?;
        fs::rename(target, &aside).map_err(|_| e)
    });
    if let Err(e) = set_aside {
        let _ = fs::remove_dir(&aside);
        return Err(e);
    }
    if let Err(e) = fs::rename(fresh, target) {
        let _ = fs::rename(&aside, target);
        return Err(e);
    }
    sync_folder(out)?;
    remove_any(&aside)
}

/// Exchange the names of two existing entries atomically (`renameat2` with `RENAME_EXCHANGE`).
/// Fails where the file system or the kernel cannot (then nothing changed), and off Linux.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Write one file at `path`, replacing it whole (a temporary file in the same folder, synced,
/// renamed over it: a symlink at `path` is replaced, never followed).
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    fs::create_dir_all(folder)?;
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP);
    // A temporary file is private (0600) and its mode survives the rename; ask for what a plainly
    // created file gets (0666 less the umask, which `open` applies), so colleagues can read it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_folder(folder)
}

/// Remove what an interrupted earlier run left in `out`: fresh folders and temporary files are
/// deleted; a folder set aside during a swap is put back when its standard has no folder (the
/// crash came between the two renames), else deleted. Returns the names cleaned.
pub fn clean(out: &Path) -> io::Result<Vec<String>> {
    let mut cleaned = Vec::new();
    let Ok(entries) = fs::read_dir(out) else { return Ok(cleaned) };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, suffix)) = leftover(&name) else { continue };
        let path = entry.path();
        if suffix == OLD && fs::symlink_metadata(out.join(stem)).is_err() {
            fs::rename(&path, out.join(stem))?;
        } else {
            remove_any(&path)?;
        }
        cleaned.push(name);
    }
    cleaned.sort();
    Ok(cleaned)
}

/// `.STEM.<random>.SUFFIX` as this module names its temporaries: (STEM, SUFFIX).
fn leftover(name: &str) -> Option<(&str, &'static str)> {
    let suffix = [NEW, OLD, TMP].into_iter().find(|s| name.ends_with(s))?;
    let inner = name.strip_prefix('.')?.strip_suffix(suffix)?;
    let (stem, random) = inner.rsplit_once('.')?;
    (!stem.is_empty() && !random.is_empty() && random.chars().all(|c| c.is_ascii_alphanumeric())).then_some((stem, suffix))
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Sync a folder and every folder below it, so that the names of the files written are on disk.
fn sync_folders(root: &Path) -> io::Result<()> {
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            }
        }
        sync_folder(&folder)?;
    }
    Ok(())
}

fn sync_folder(folder: &Path) -> io::Result<()> {
    // Folders can be opened and synced on Unix; elsewhere the renames are the best there is.
    #[cfg(unix)]
    fs::File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_standard_is_written_whole_and_replaces_the_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let files = [("X.json".to_string(), b"{}".to_vec()), ("checklists/a.pdf".to_string(), b"a".to_vec())];
        write_standard(dir.path(), "X", &files).unwrap();
        assert_eq!(names(&dir.path().join("X")), ["X.json", "checklists"]);
        write_standard(dir.path(), "X", &[("X.json".to_string(), b"new".to_vec())]).unwrap();
        assert_eq!(names(&dir.path().join("X")), ["X.json"], "a file this run does not write is gone");
        assert_eq!(fs::read(dir.path().join("X/X.json")).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["X"], "no temporaries");
    }

    #[test]
    fn a_failure_keeps_the_earlier_folder() {
        let dir = tempfile::tempdir().unwrap();
        write_standard(dir.path(), "X", &[("X.json".to_string(), b"old".to_vec())]).unwrap();
        let twice = [("a".to_string(), b"1".to_vec()), ("a".to_string(), b"2".to_vec())];
        let error = write_standard(dir.path(), "X", &twice).unwrap_err();
        assert!(error.to_string().contains("two outputs are named a"), "{error}");
        assert_eq!(fs::read(dir.path().join("X/X.json")).unwrap(), b"old");
        assert!(write_standard(dir.path(), "X", &[("../escape".to_string(), Vec::new())]).is_err());
        assert_eq!(names(dir.path()), ["X"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"precious").unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("report.json")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("X")).unwrap();
        write_file(&out.join("report.json"), b"{}").unwrap();
        write_standard(&out, "X", &[("victim".to_string(), b"evil".to_vec())]).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(out.join("report.json")).unwrap(), b"{}");
        assert!(fs::symlink_metadata(out.join("X")).unwrap().is_dir());
    }

    #[test]
    fn leftovers_are_cleaned_and_a_folder_set_aside_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".A.x1Y2.ocs-new")).unwrap();
        fs::create_dir(dir.path().join(".B.q9.ocs-old")).unwrap();
        fs::write(dir.path().join(".B.q9.ocs-old/B.json"), b"b").unwrap();
        fs::create_dir(dir.path().join("C")).unwrap();
        fs::create_dir(dir.path().join(".C.zz.ocs-old")).unwrap();
        fs::write(dir.path().join(".report.json.r4.ocs-tmp"), b"").unwrap();
        fs::write(dir.path().join(".user-file"), b"mine").unwrap();
        let cleaned = clean(dir.path()).unwrap();
        assert_eq!(cleaned.len(), 4);
        assert_eq!(names(dir.path()), [".user-file", "B", "C"]);
        assert_eq!(fs::read(dir.path().join("B/B.json")).unwrap(), b"b");
    }
}
