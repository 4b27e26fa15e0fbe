//! The source tree reads as the pipeline: every module imports only from modules above it in
//! `LAYERS`, and no two files import each other (directly or round a longer circle). Checked on the
//! text of `src/`, so a new arrow back up the pipeline fails here, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules from the bottom of the pipeline to the top. A module may use those before
/// it (and itself), never one after it.
const LAYERS: &[&str] = &[
    "model", "i18n", "code", "diag", "template", "text", "read", "check", "diff", "roles", "doc", "report", "render", "convert", "output",
    "run", "terminal", "console",
];

/// Every `.rs` file under `src/` with its module path (`src/read/form/mod.rs` → `read::form`).
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .filter(|f| !f.ends_with("main.rs") && !f.ends_with("lib.rs"))
        .map(|f| {
            let relative = f.strip_prefix(&root).unwrap().with_extension("");
            let mut path: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if path.last().is_some_and(|last| last == "mod") {
                path.pop();
            }
            (path, f)
        })
        .collect()
}

/// The source without comments and string literals, so that a path in a doc comment is no import.
fn code_of(source: &str) -> String {
    let mut code = String::new();
    for line in source.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        let mut previous = ' ';
        for c in line.chars() {
            if c == '"' && previous != '\\' {
                in_string = !in_string;
            } else if !in_string {
                code.push(c);
            }
            previous = c;
        }
        code.push('\n');
    }
    // Visibility is no import.
    code.replace("pub(super)", "pub").replace("pub(crate)", "pub")
}

/// The module paths a file refers to: `crate::a::b`, `super::x`, and the items of groups
/// (`use crate::{a, b::c}`, `use super::{Cell, form::X}`).
fn references(module: &[String], source: &str) -> Vec<Vec<String>> {
    let text = code_of(source);
    // Children declared here (`mod layout;`) are named without `self::` in this file.
    let children: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().trim_start_matches("pub ").strip_prefix("mod ")?.strip_suffix(';').map(str::to_string))
        .collect();
    let code: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let starts_word = i == 0 || !(code[i - 1].is_alphanumeric() || code[i - 1] == '_' || code[i - 1] == ':');
        if starts_word && code[i].is_alphabetic() {
            let (paths, next) = path_at(&code, i);
            for path in paths {
                match path.first().map(String::as_str) {
                    Some("crate") => found.push(path[1..].to_vec()),
                    Some("super") => {
                        let mut full = module.to_vec();
                        let mut rest = &path[..];
                        while rest.first().map(String::as_str) == Some("super") {
                            full.pop();
                            rest = &rest[1..];
                        }
                        full.extend(rest.iter().cloned());
                        found.push(full);
                    }
                    Some(first) if children.iter().any(|c| c == first) && path.len() > 1 => {
                        found.push(module.iter().cloned().chain(path.iter().cloned()).collect());
                    }
                    _ => {}
                }
            }
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// The path (or paths, for a group) starting at `i`, and where it ends.
fn path_at(code: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut path = Vec::new();
    loop {
        let start = i;
        while i < code.len() && (code[i].is_alphanumeric() || code[i] == '_') {
            i += 1;
        }
        if i > start {
            path.push(code[start..i].iter().collect::<String>());
        }
        if i + 2 < code.len() && code[i] == ':' && code[i + 1] == ':' {
            i += 2;
            if code[i] == '{' {
                // A group: each item is a path below `path`.
                let mut paths = vec![path.clone()];
                i += 1;
                loop {
                    while i < code.len() && (code[i].is_whitespace() || code[i] == ',') {
                        i += 1;
                    }
                    if i >= code.len() || code[i] == '}' {
                        return (paths, i + 1);
                    }
                    let (items, next) = path_at(code, i);
                    paths.extend(items.into_iter().map(|item| path.iter().cloned().chain(item).collect()));
                    i = if next > i { next } else { i + 1 };
                }
            }
            continue;
        }
        return (vec![path], i);
    }
}

/// The longest prefix of `path` that is a file's module.
fn file_of<'a>(path: &[String], modules: &'a BTreeMap<Vec<String>, PathBuf>) -> Option<&'a Vec<String>> {
    (1..=path.len()).rev().find_map(|n| modules.get_key_value(&path[..n]).map(|(k, _)| k))
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules();
    let mut edges = BTreeMap::new();
    for (module, file) in &modules {
        let source = std::fs::read_to_string(file).unwrap();
        // Tests inside a file may use anything of their module.
        let source = source.split("#[cfg(test)]").next().unwrap_or("");
        let targets: BTreeSet<Vec<String>> = references(module, source)
            .iter()
            .filter_map(|path| file_of(path, &modules))
            .filter(|target| *target != module)
            .cloned()
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

#[test]
fn every_import_points_down_the_pipeline() {
    let rank = |module: &[String]| LAYERS.iter().position(|l| *l == module[0]);
    let mut wrong = Vec::new();
    for (module, targets) in graph() {
        let Some(from) = rank(&module) else {
            wrong.push(format!("{} is in no layer: add it to LAYERS", module.join("::")));
            continue;
        };
        for target in targets {
            match rank(&target) {
                Some(to) if to <= from => {}
                _ => wrong.push(format!("{} imports {} (further down the pipeline)", module.join("::"), target.join("::"))),
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the pipeline:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_files_import_each_other() {
    let graph = graph();
    // Depth-first search for a back edge; report the circle found.
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next) {
                Some(1) => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut circle = stack[start..].to_vec();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Some(_) => {}
                None => {
                    if let Some(circle) = visit(next, graph, state, stack) {
                        return Some(circle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            let circle = visit(node, &graph, &mut state, &mut Vec::new());
            let shown = circle.map(|c| c.iter().map(|m| m.join("::")).collect::<Vec<_>>().join(" → "));
            assert!(shown.is_none(), "files that import each other: {}", shown.unwrap_or_default());
        }
    }
}

#[test]
fn the_checker_sees_an_arrow_back_up() {
    // The checks above must be able to fail: a reference from `model` to `run` is found, in a group
    // too, and a path in a comment or a string is not.
    let refs = references(&["model".to_string()], "use crate::run::Options; // crate::doc\nlet s = \"crate::check\";");
    assert_eq!(refs, vec![vec!["run".to_string(), "Options".to_string()]]);
    let refs = references(&["doc".into(), "notes".into()], "use super::{Cell, form::X};\nuse crate::{render::{odt, pdf}, run};");
    for expected in [&["doc", "Cell"][..], &["doc", "form", "X"], &["render", "odt"], &["render", "pdf"], &["run"]] {
        assert!(refs.iter().any(|r| r == expected), "{expected:?} not in {refs:?}");
    }
}
