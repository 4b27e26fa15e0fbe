//! Properties that must hold for any input, checked on generated cases in every CI run (the fuzz
//! targets in `fuzz/` explore further, by hand): code normalisation is idempotent and canonical,
//! arbitrary grids never panic the layout, and a standard survives JSON → CSV → JSON.

mod common;
use common::*;
use ocs::code::{self, Kind};
use ocs::model::*;
use ocs::read::{Grid, Merge};
use proptest::prelude::*;

const KINDS: [Kind; 7] = [Kind::Duty, Kind::Task, Kind::Output, Kind::Indicator, Kind::Knowledge, Kind::Skill, Kind::Attitude];

/// Spellings of codes as clerks type them: either case, full-width, spaces, odd separators,
/// leading zeros, trailing punctuation.
fn code_like() -> impl Strategy<Value = String> {
    let letter = prop::sample::select(vec!["T", "t", "O", "o", "P", "p", "K", "k", "S", "A", "Ｔ", "Ｋ", "Ｏ", "0"]);
    let number = prop::sample::select(vec!["1", "01", "12", "007", "１", "２３", "9"]);
    let separator = prop::sample::select(vec![".", "．", "。", "-", "－"]);
    let tail = prop::sample::select(vec!["", ".", "、", "：", " "]);
    (letter, prop::bool::ANY, prop::collection::vec((separator, number.clone()), 0..3), number, tail).prop_map(
        |(l, space, rest, first, tail)| {
            let mut s = l.to_string();
            if space {
                s.push(' ');
            }
            s.push_str(first);
            for (sep, n) in rest {
                s.push_str(sep);
                s.push_str(n);
            }
            s.push_str(tail);
            s
        },
    )
}

fn canonical(code: &str, kind: Kind) -> bool {
    let letter = kind.letter();
    let Some(rest) = code.strip_prefix(letter) else { return false };
    let numbers: Vec<&str> = rest.split('.').collect();
    let digits = numbers.iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    match kind {
        Kind::Knowledge | Kind::Skill | Kind::Attitude => digits && numbers.len() == 1 && numbers[0].len() >= 2,
        _ => digits && numbers.iter().all(|n| n == &"0" || !n.starts_with('0')),
    }
}

proptest! {
    #[test]
    fn normalising_a_code_is_idempotent_and_canonical(raw in code_like()) {
        for kind in KINDS {
            if let Some(parsed) = code::parse(&raw, kind) {
                prop_assert!(canonical(&parsed.text, parsed.kind), "{raw:?} → {:?} is not canonical", parsed.text);
                let again = code::parse(&parsed.text, kind).unwrap();
                prop_assert_eq!(&again.text, &parsed.text);
                prop_assert!(again.rewrites.is_empty());
            }
        }
    }

    #[test]
    fn standard_codes_normalise_once(raw in "[a-zA-Z]{3}[0-9０-９]{4}[-－–—][0-9]{3}([vV][0-9])?") {
        let once = code::standard_code(&raw);
        prop_assert!(once.well_formed, "{raw:?} → {:?}", once.text);
        prop_assert_eq!(code::standard_code(&once.text).text, once.text);
    }

    #[test]
    fn arbitrary_grids_never_panic_the_layout(
        rows in prop::collection::vec(prop::collection::vec(cell_text(), 0..9), 0..40),
        merges in prop::collection::vec((0u32..40, 0u32..9, 0u32..10, 0u32..3), 0..12),
        merges_known in prop::bool::ANY,
    ) {
        let merges = merges.into_iter().map(|(r, c, h, w)| Merge { first: Cell { row: r, col: c }, last: Cell { row: r + h, col: c + w } }).collect();
        let grid = Grid::new("p", rows, merges, merges_known);
        for laid in ocs::read::form::standards(&grid, "p.csv").unwrap_or_default() {
            let (fixed, _) = ocs::check::fix(&laid.standard);
            let _ = ocs::check::check(&fixed);
        }
    }

    #[test]
    fn json_to_csv_to_json_is_the_identity(standard in any_standard()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{}.csv", standard.code));
        std::fs::write(&path, ocs::render::csv::csv(&standard)).unwrap();
        let back = only_standard(&path);
        prop_assert_eq!(json_of(&back), json_of(&standard));
    }
}

/// Cell text: labels of the form, codes, Chinese text, numbers, blanks.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "主要職責",
            "工作任務",
            "工作產出",
            "行為指標",
            "職能級別",
            "職能內涵(K=knowledge 知識)",
            "技能",
            "職能基準代碼",
            "BAS2421-002",
            "說明與補充事項",
            "職能內涵 (A=attitude 態度)",
            "工作活動",
            "基準級別"
        ])
        .prop_map(String::from),
        code_like().prop_map(|c| format!("{c} 文字")),
        "[一-龥，。、（）]{0,12}",
        "[0-9]{1,2}",
        Just(String::new()),
    ]
}

/// Text as a clerk writes it: trimmed, no code at its start, no bullet mark, line breaks inside.
fn text() -> impl Strategy<Value = String> {
    "[一-龥]{1,6}([，、（）：][一-龥]{1,6}){0,3}(\n[一-龥]{1,8}){0,1}"
}

fn any_task(duty: usize, task: usize) -> impl Strategy<Value = Task> {
    let row = (prop::collection::vec(text(), 0..3), prop::collection::vec(text(), 1..4));
    (
        text(),
        prop::option::of(1u32..7),
        prop::collection::vec(row, 0..3),
        prop::collection::vec(0usize..4, 0..4),
        prop::collection::vec(0usize..3, 0..3),
    )
        .prop_map(move |(title, level, rows, knowledge, skills)| {
            let (mut n_output, mut n_indicator) = (0, 0);
            let rows = rows
                .into_iter()
                .map(|(outputs, indicators)| Row {
                    outputs: outputs
                        .into_iter()
                        .map(|t| {
                            n_output += 1;
                            Output { code: format!("O{duty}.{task}.{n_output}"), title: t, at: None }
                        })
                        .collect(),
                    indicators: indicators
                        .into_iter()
                        .map(|t| {
                            n_indicator += 1;
                            Indicator { code: format!("P{duty}.{task}.{n_indicator}"), text: t, at: None }
                        })
                        .collect(),
                })
                .collect();
            Task {
                code: format!("T{duty}.{task}"),
                title,
                level,
                rows,
                knowledge: knowledge.into_iter().map(|k| format!("K{:02}", k + 1)).collect(),
                skills: skills.into_iter().map(|s| format!("S{:02}", s + 1)).collect(),
                at: TaskCells::default(),
            }
        })
}

fn any_standard() -> impl Strategy<Value = Standard> {
    let duties = prop::collection::vec((text(), prop::collection::vec(Just(()), 0..4)), 1..4);
    // A note is one paragraph (the reader makes one of each line).
    let note = "[一-龥]{1,6}([，、：][一-龥]{1,6}){0,3}";
    (duties, text(), prop::option::of(1u32..7), prop::collection::vec(note, 0..3), prop::bool::ANY)
        .prop_flat_map(|(duties, name, level, notes, occupation)| {
            let tasks: Vec<_> =
                duties.iter().enumerate().map(|(d, (_, ts))| (0..ts.len()).map(|t| any_task(d + 1, t + 1)).collect::<Vec<_>>()).collect();
            let titles: Vec<String> = duties.into_iter().map(|(t, _)| t).collect();
            (Just(titles), tasks, Just(name), Just(level), Just(notes), Just(occupation))
        })
        .prop_map(|(titles, tasks, name, level, notes, occupation)| {
            let duties: Vec<Duty> = titles
                .into_iter()
                .zip(tasks)
                .enumerate()
                .map(|(d, (title, tasks))| Duty { code: format!("T{}", d + 1), title, tasks, at: None })
                .collect();
            let mut standard = Standard {
                code: "PRP1234-001".into(),
                name,
                name_kind: Some(if occupation { NameKind::Occupation } else { NameKind::Category }),
                level,
                notes,
                duties,
                attitudes: vec![Item { code: "A01".into(), name: "誠信".into(), at: None }],
                ..Standard::default()
            };
            // The K/S lists: every code used, once, first-seen order, each with a name.
            for task in standard.duties.iter().flat_map(|d| d.tasks.iter()) {
                for code in &task.knowledge {
                    if !standard.knowledge.iter().any(|k| k.code == *code) {
                        standard.knowledge.push(Item { code: code.clone(), name: format!("知識{code}"), at: None });
                    }
                }
                for code in &task.skills {
                    if !standard.skills.iter().any(|s| s.code == *code) {
                        standard.skills.push(Item { code: code.clone(), name: format!("技能{code}"), at: None });
                    }
                }
            }
            standard
        })
}
