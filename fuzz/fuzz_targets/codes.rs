//! The code parser on any text: never a panic, and normalising twice changes nothing. The folder
//! name check and the terminal escaping too: an accepted name or an escaped text holds no control.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocs::code::{self, Kind};

const KINDS: [Kind; 7] = [Kind::Duty, Kind::Task, Kind::Output, Kind::Indicator, Kind::Knowledge, Kind::Skill, Kind::Attitude];

fuzz_target!(|text: &str| {
    for kind in KINDS {
        if let Some(code) = code::parse(text, kind) {
            let again = code::parse(&code.text, kind).expect("a canonical code parses");
            assert_eq!(again.text, code.text);
            assert!(again.rewrites.is_empty());
        }
        for piece in code::split(text, kind) {
            let _ = piece.code.map(|c| code::parent(&c.text));
        }
    }
    let standard = code::standard_code(text);
    assert_eq!(code::standard_code(&standard.text).text, standard.text);
    let _ = code::parse_level(text);
    let _ = code::find_standard_code(text);
    if code::file_name_problem(text).is_none() {
        assert!(!text.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | ':')), "{text:?} accepted as a folder name");
    }
    assert!(!ocs::terminal::escape(text).chars().any(char::is_control));
});
