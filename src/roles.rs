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

/// The file name (without extension) of each role's checklist, in order: the role's name made safe
/// on Windows (see [`safe_stem`]), else `role-N`; names that would collide (two titles giving the
/// same role name, or names differing only in case, which Windows and macOS fold) get `-2`, `-3` …
pub fn file_stems(roles: &[Role]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    roles
        .iter()
        .enumerate()
        .map(|(n, role)| {
            let base = safe_stem(&role.name).unwrap_or_else(|| format!("role-{}", n + 1));
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

/// A role's name as a file name that every platform accepts, Windows shares included (outputs are
/// copied there): characters Windows refuses (`<>:"/\|?*`, controls) and other punctuation become
/// `_`, trailing dots and spaces go, a device name (`CON`, `aux.txt`, `COM¹`) gets `_` after it, and
/// the name is cut to 64 characters. `None` when nothing usable is left.
pub fn safe_stem(name: &str) -> Option<String> {
    let replaced: String = name
        .trim()
        .chars()
        .map(|c| if matches!(c, '.' | ' ') || crate::code::file_name_problem(&c.to_string()).is_none() { c } else { '_' })
        .collect();
    let mut stem: String = replaced.trim_start_matches('.').chars().take(64).collect();
    while stem.contains("..") {
        stem = stem.replace("..", ".");
    }
    let mut stem = stem.trim_end_matches(['.', ' ']).to_string();
    if let Some(problem) = crate::code::file_name_problem(&stem)
        && problem.id == "name-reserved"
    {
        let device = stem.find('.').unwrap_or(stem.len());
        stem.insert(device, '_');
    }
    (crate::code::file_name_problem(&stem).is_none() && stem.chars().any(char::is_alphanumeric)).then_some(stem)
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
        let roles = [role("議事組"), role("議事組"), role("a/b"), role("Team"), role("team"), role("議事組-2"), role("??")];
        assert_eq!(file_stems(&roles), ["議事組", "議事組-2", "a_b", "Team", "team-2", "議事組-2-2", "role-7"]);
    }

    /// Names Windows refuses become names it accepts, on every platform (outputs go to shares).
    #[test]
    fn role_file_names_are_safe_on_windows() {
        let stem = |name: &str| safe_stem(name);
        assert_eq!(stem("CON").as_deref(), Some("CON_"));
        assert_eq!(stem("aux.txt").as_deref(), Some("aux_.txt"));
        assert_eq!(stem("com1").as_deref(), Some("com1_"));
        assert_eq!(stem("COM¹").as_deref(), Some("COM¹_"));
        assert_eq!(stem("LPT9 .x").as_deref(), Some("LPT9 _.x"));
        assert_eq!(stem("議事組: 前/後?").as_deref(), Some("議事組_ 前_後_"));
        assert_eq!(stem("結尾. ").as_deref(), Some("結尾"));
        assert_eq!(stem("a<b>c|d\"e*f").as_deref(), Some("a_b_c_d_e_f"));
        assert_eq!(stem(".hidden").as_deref(), Some("hidden"));
        assert_eq!(stem("a..b").as_deref(), Some("a.b"));
        assert_eq!(stem(&"長".repeat(300)).map(|s| s.chars().count()), Some(64), "cut well under 255 UTF-16 units");
        assert_eq!(stem("?*"), None);
        assert_eq!(stem("..."), None);
        for name in ["CON", "aux.txt", "COM¹", "議事組: 前/後?", "結尾. ", "NUL.tar.gz"] {
            let made = stem(name).unwrap();
            assert!(crate::code::file_name_problem(&made).is_none(), "{name} → {made}");
        }
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
