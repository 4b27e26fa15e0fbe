//! Text from inputs (cell text, sheet and file names) made safe to print on a terminal: control
//! characters, escape sequences and invisible bidi or zero-width characters are shown as `\u{…}`,
//! so that a file can neither drive the terminal nor fake a diagnostic line.

/// The text with every control or invisible formatting character escaped (line breaks included:
/// one diagnostic is one line).
pub fn escape(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            shown.push_str(&c.escape_unicode().to_string());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// Control characters (C0, DEL, C1) and the invisible characters that reorder or hide text: bidi
/// embeddings, overrides and isolates, zero-width spaces and joiners, the BOM, interlinear marks.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_fake_lines_are_shown_not_obeyed() {
        assert_eq!(escape("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape("x\nf.csv: error[read]: fake"), "x\\u{a}f.csv: error[read]: fake");
        assert_eq!(escape("BAS\u{202E}200"), "BAS\\u{202e}200");
        assert_eq!(escape("職能基準 T1.1（續）"), "職能基準 T1.1（續）");
    }
}
