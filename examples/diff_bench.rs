//! Timing of `ocs diff` on a long standard: the standards of the given files merged into one (their
//! duties one after the other, renumbered), a revision of it with the known edits of the tests
//! (`tests/revise`), both written as CSV into WORK; then the comparison alone timed (median of 21
//! runs), and reading, comparing and rendering the 修正對照表 once. `bench/diff.sh` runs it.
//!
//! usage: cargo run --release --example diff_bench -- WORK FILE...

#[path = "../tests/revise/mod.rs"]
mod revise;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((work, files)) = args.split_first().filter(|(_, files)| !files.is_empty()) else {
        eprintln!("usage: diff_bench WORK FILE...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(work).expect("work folder");
    let mut merged: Option<ocs::model::Standard> = None;
    for file in files {
        let workbook = ocs::read::read_file(file, &Default::default()).expect("readable input");
        let name = file.display().to_string();
        let standard = workbook
            .grids
            .iter()
            .find_map(|g| ocs::read::form::standards(g, &name))
            .and_then(|mut r| r.drain(..).next())
            .expect("a standard");
        let standard = ocs::check::fix(&standard.standard).0;
        match &mut merged {
            None => merged = Some(standard),
            Some(all) => all.duties.extend(standard.duties),
        }
    }
    let mut base = merged.expect("a standard");
    // Renumbered as one standard: T1…Tn, and everything under them.
    for (d, duty) in base.duties.iter_mut().enumerate() {
        duty.code = format!("T{}", d + 1);
        for (t, task) in duty.tasks.iter_mut().enumerate() {
            task.code = format!("T{}.{}", d + 1, t + 1);
            let (mut o, mut p) = (0, 0);
            for row in &mut task.rows {
                for output in &mut row.outputs {
                    o += 1;
                    output.code = format!("O{}.{}.{o}", d + 1, t + 1);
                }
                for indicator in &mut row.indicators {
                    p += 1;
                    indicator.code = format!("P{}.{}.{p}", d + 1, t + 1);
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let (knowledge, skills): (Vec<_>, Vec<_>) = (base.knowledge.clone(), base.skills.clone());
    base.knowledge = knowledge.into_iter().filter(|k| seen.insert(k.code.clone())).collect();
    base.skills = skills.into_iter().filter(|s| seen.insert(s.code.clone())).collect();
    let (old, new, expected) = revise::many_edits(&base).finish();
    let (old_path, new_path) = (work.join("old.csv"), work.join(format!("{}.csv", new.code)));
    std::fs::write(&old_path, ocs::render::csv::csv(&old)).expect("write");
    std::fs::write(&new_path, ocs::render::csv::csv(&new)).expect("write");

    let template = ocs::template::Template::official();
    let font = ocs::text::Font::embedded();
    let pages = ocs::render::pdf::lay_out(&ocs::doc::form::document(&old, &template), &font).pages.len();
    let indicators = old.tasks().flat_map(|t| t.indicators()).count();
    println!(
        "standard: {} duties, {} tasks, {indicators} indicators, {pages} pages as the official PDF",
        old.duties.len(),
        old.tasks().count()
    );

    let started = Instant::now();
    let read = |path: &PathBuf| {
        let workbook = ocs::read::read_file(path, &Default::default()).expect("readable");
        let name = path.display().to_string();
        workbook
            .grids
            .iter()
            .find_map(|g| ocs::read::form::standards(g, &name))
            .and_then(|mut r| r.drain(..).next())
            .expect("a standard")
            .standard
    };
    let (a, b) = (read(&old_path), read(&new_path));
    let reading = started.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    let mut diff = ocs::diff::diff(&a, &b);
    for _ in 0..21 {
        let started = Instant::now();
        diff = std::hint::black_box(ocs::diff::diff(std::hint::black_box(&a), std::hint::black_box(&b)));
        times.push(started.elapsed());
    }
    times.sort();
    assert_eq!(diff.changes.len(), expected.len(), "the revision's changes are all found");
    let started = Instant::now();
    let mut options = ocs::convert::Options::new();
    options.font = std::sync::Arc::new(font);
    let (files, _) = ocs::convert::amendment_files(&diff, &options).expect("rendered");
    let rendering = started.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("changes: {}", diff.changes.len());
    println!("read both versions: {:.1} ms", ms(reading));
    println!("compare (median of 21): {:.2} ms (min {:.2}, max {:.2})", ms(times[10]), ms(times[0]), ms(times[20]));
    println!(
        "render the 修正對照表 (PDF, ODT, XLSX, ODS, JSON, TXT; {} bytes): {:.1} ms",
        files.iter().map(|f| f.1.len()).sum::<usize>(),
        ms(rendering)
    );
    println!("files: {} {}", old_path.display(), new_path.display());
}
