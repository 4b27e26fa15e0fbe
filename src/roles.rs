//! Roles for per-role training checklists: a role is a group of tasks that a trainee learns as one
//! job. Found automatically as a task title that recurs across two or more duties (the sample's
//! 執行議事組工作 in T2.1, T3.1 and T5.1: before, during and after the event), or named in a file.

use crate::i18n::Message;
use crate::model::Standard;
use std::collections::HashMap;

/// A role: its name and its tasks' codes, in the order of the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub tasks: Vec<String>,
}

/// Verbs that open a task title and say nothing of the role.
const LEADING_VERBS: [&str; 6] = ["執行", "完成", "協助", "辦理", "進行", "負責"];
/// Words that close a task title and say nothing of the role.
const TRAILING_WORDS: [&str; 3] = ["工作", "作業", "事宜"];

/// A role's name from its recurring task title: 執行議事組工作 → 議事組.
pub fn name_of(title: &str) -> String {
    let mut name = title.trim();
    if let Some(rest) = LEADING_VERBS.iter().find_map(|v| name.strip_prefix(v)) {
        name = rest;
    }
    if let Some(rest) = TRAILING_WORDS.iter().find_map(|w| name.strip_suffix(w)) {
        name = rest;
    }
    let name = name.trim();
    if name.is_empty() { title.trim().to_string() } else { name.to_string() }
}

/// The roles of a standard: task titles found under two or more duties, in order of first use.
pub fn detect(standard: &Standard) -> Vec<Role> {
    let mut order: Vec<String> = Vec::new();
    let mut found: HashMap<String, (Vec<String>, Vec<usize>)> = HashMap::new();
    for (d, duty) in standard.duties.iter().enumerate() {
        for task in &duty.tasks {
            let title = task.title.trim().to_string();
            if title.is_empty() || task.code.is_empty() {
                continue;
            }
            let entry = found.entry(title.clone()).or_insert_with(|| {
                order.push(title.clone());
                (Vec::new(), Vec::new())
            });
            entry.0.push(task.code.clone());
            if !entry.1.contains(&d) {
                entry.1.push(d);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|title| {
            let (tasks, duties) = found.remove(&title)?;
            (duties.len() >= 2).then(|| Role { name: name_of(&title), tasks })
        })
        .collect()
}

/// The file name (without extension) of each role's checklist, in order: the role's name when it
/// is a safe file name, else `role-N`; names that would collide (two titles giving the same role
/// name, or names differing only in case, which some file systems fold) get `-2`, `-3` …
pub fn file_stems(roles: &[Role]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    roles
        .iter()
        .enumerate()
        .map(|(n, role)| {
            let base = if crate::code::file_name_problem(&role.name).is_none() { role.name.clone() } else { format!("role-{}", n + 1) };
            let mut stem = base.clone();
            let mut k = 1;
            while !taken.insert(stem.to_lowercase()) {
                k += 1;
                stem = format!("{base}-{k}");
            }
            stem
        })
        .collect()
}

/// Roles named in a TOML file: `role name = ["T2.1", "T3.1"]`, in the file's order.
pub fn parse(text: &str) -> Result<Vec<Role>, Message> {
    let table: toml::Table = toml::from_str(text).map_err(|e| Message::new("roles-toml").arg("detail", e.message()))?;
    let mut roles = Vec::new();
    for (name, value) in table {
        let codes = value.as_array().ok_or_else(|| Message::new("roles-not-a-list").arg("role", &name))?;
        let tasks = codes
            .iter()
            .map(|c| c.as_str().map(|s| crate::code::parse(s, crate::code::Kind::Task).map_or(s.trim().to_string(), |c| c.text)))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| Message::new("roles-not-strings").arg("role", &name))?;
        if tasks.is_empty() {
            return Err(Message::new("roles-empty").arg("role", &name));
        }
        roles.push(Role { name, tasks });
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_titles() {
        assert_eq!(name_of("執行議事組工作"), "議事組");
        assert_eq!(name_of("執行贊助與外包廠商聯繫工作"), "贊助與外包廠商聯繫");
        assert_eq!(name_of("工作"), "工作");
        assert_eq!(name_of("品質稽核"), "品質稽核");
    }

    #[test]
    fn colliding_role_names_get_distinct_files() {
        let role = |name: &str| Role { name: name.into(), tasks: vec!["T1.1".into()] };
        let roles = [role("議事組"), role("議事組"), role("a/b"), role("Team"), role("team"), role("議事組-2")];
        assert_eq!(file_stems(&roles), ["議事組", "議事組-2", "role-3", "Team", "team-2", "議事組-2-2"]);
    }

    #[test]
    fn a_roles_file_keeps_its_order_and_normalises_codes() {
        let roles = parse("\"議事組\" = [\"T2.1\", \"Ｔ３．１\"]\n\"A組\" = [\"T1.1\"]\n").unwrap();
        assert_eq!(roles[0], Role { name: "議事組".into(), tasks: vec!["T2.1".into(), "T3.1".into()] });
        assert_eq!(roles[1].name, "A組");
        assert!(parse("x = 1").is_err());
        assert!(parse("x = []").is_err());
    }
}
