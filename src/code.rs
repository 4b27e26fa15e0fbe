//! The one place that parses and prints codes: T/O/P (positional), K/S/A (catalogue numbers), the
//! standard code and 職能級別. Every rewrite of a spelling is returned so the caller can report it.

use crate::i18n::Message;

/// What a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 主要職責 `T1`.
    Duty,
    /// 工作任務 `T1.1`.
    Task,
    /// 工作產出 `O1.1.1`.
    Output,
    /// 行為指標 `P1.1.1`.
    Indicator,
    /// 知識 `K01`.
    Knowledge,
    /// 技能 `S01`.
    Skill,
    /// 態度 `A01`.
    Attitude,
}

/// A code read from the source, in canonical spelling, with what was rewritten to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub kind: Kind,
    /// Canonical spelling (`T1.1`, `K01`).
    pub text: String,
    /// The spelling in the source, as found.
    pub original: String,
    /// Each rewrite applied, as a short phrase; empty when the source was canonical.
    pub rewrites: Vec<Rewrite>,
}

/// One kind of rewrite applied to a code's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    FullWidth,
    Spaces,
    LowerCase,
    Separator,
    TrailingPunctuation,
    Padded,
    LeadingZeros,
    /// The digit 0 typed for the letter O of an output code: a warning, not just info.
    ZeroForO,
    VersionCase,
    Dash,
}

impl Rewrite {
    /// The catalogue id of the rewrite's description (`i18n`).
    pub fn message_id(self) -> &'static str {
        match self {
            Rewrite::FullWidth => "rewrite-full-width",
            Rewrite::Spaces => "rewrite-spaces",
            Rewrite::LowerCase => "rewrite-lower-case",
            Rewrite::Separator => "rewrite-separator",
            Rewrite::TrailingPunctuation => "rewrite-trailing-punctuation",
            Rewrite::Padded => "rewrite-padded",
            Rewrite::LeadingZeros => "rewrite-leading-zeros",
            Rewrite::ZeroForO => "rewrite-zero-for-o",
            Rewrite::VersionCase => "rewrite-version-case",
            Rewrite::Dash => "rewrite-dash",
        }
    }
}

impl Kind {
    /// The letter that starts codes of this kind.
    pub fn letter(self) -> char {
        match self {
            Kind::Duty | Kind::Task => 'T',
            Kind::Output => 'O',
            Kind::Indicator => 'P',
            Kind::Knowledge => 'K',
            Kind::Skill => 'S',
            Kind::Attitude => 'A',
        }
    }

    fn is_positional(self) -> bool {
        matches!(self, Kind::Duty | Kind::Task | Kind::Output | Kind::Indicator)
    }

    /// The Chinese name of what the code names, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Duty => "主要職責",
            Kind::Task => "工作任務",
            Kind::Output => "工作產出",
            Kind::Indicator => "行為指標",
            Kind::Knowledge => "知識",
            Kind::Skill => "技能",
            Kind::Attitude => "態度",
        }
    }
}

/// Map one character to its half-width form; the second value says whether it changed.
fn half_width(c: char) -> (char, bool) {
    match c {
        '\u{FF01}'..='\u{FF5E}' => (char::from_u32(c as u32 - 0xFEE0).unwrap_or(c), true),
        '\u{3000}' => (' ', true),
        '。' => ('.', true),
        _ => (c, false),
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' | '\u{FF0D}')
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{00A0}'
}

/// Punctuation that may follow a code and belongs to no text (`K01.`, `T1、`, `K01：`).
fn is_trailing_punctuation(c: char) -> bool {
    matches!(c, '.' | '．' | '。' | '、' | ':' | '：' | ',' | '，' | ')' | '）' | ';' | '；')
}

/// Which code letters may start an item in a cell of the given kind.
fn letters_for(kind: Kind) -> &'static [Kind] {
    match kind {
        Kind::Duty | Kind::Task => &[Kind::Duty, Kind::Task],
        Kind::Output => &[Kind::Output],
        Kind::Indicator => &[Kind::Indicator],
        // K codes printed in the S column (and the reverse) are seen in real documents.
        Kind::Knowledge | Kind::Skill => &[Kind::Knowledge, Kind::Skill],
        Kind::Attitude => &[Kind::Attitude],
    }
}

/// Try to read a code of one of the `kinds` at the start of `chars`; returns the code and how many
/// characters it took (trailing punctuation included).
fn scan(chars: &[char], expected: Kind) -> Option<(Code, usize)> {
    let first = *chars.first()?;
    let (letter, first_wide) = half_width(first);
    let mut rewrites = Vec::new();
    if first_wide {
        rewrites.push(Rewrite::FullWidth);
    }
    let upper = letter.to_ascii_uppercase();
    let mut kind = letters_for(expected).iter().copied().find(|k| k.letter() == upper);
    let mut i = 1;
    if kind.is_none() && expected == Kind::Output && letter == '0' {
        // `04.2.1`: the digit 0 typed for the letter O; only when a number follows directly.
        let (next, _) = half_width(*chars.get(1)?);
        if !next.is_ascii_digit() {
            return None;
        }
        kind = Some(Kind::Output);
        rewrites.push(Rewrite::ZeroForO);
    } else if kind.is_some() && letter != upper {
        rewrites.push(Rewrite::LowerCase);
    }
    let kind_letter = kind?;
    // Spaces between the letter and the first number (`K 01`).
    let mut spaced = false;
    while i < chars.len() && is_space(chars[i]) {
        spaced = true;
        i += 1;
    }
    // Where each number's digits are in `chars` (each digit one character).
    let mut numbers: Vec<(usize, usize)> = Vec::new();
    loop {
        let start = i;
        while let Some(&c) = chars.get(i) {
            let (h, wide) = half_width(c);
            if !h.is_ascii_digit() {
                break;
            }
            if wide && !rewrites.contains(&Rewrite::FullWidth) {
                rewrites.push(Rewrite::FullWidth);
            }
            i += 1;
        }
        if i == start {
            if numbers.is_empty() {
                return None;
            }
            break;
        }
        numbers.push((start, i));
        if !kind_letter.is_positional() {
            break;
        }
        // A separator, then another number, continues the code.
        let Some(&sep) = chars.get(i) else { break };
        let (h, wide) = half_width(sep);
        let separator = h == '.' || is_dash(sep) || sep == '．';
        let next_is_digit = chars.get(i + 1).is_some_and(|&c| half_width(c).0.is_ascii_digit());
        if !(separator && next_is_digit) {
            break;
        }
        if h != '.' || sep == '。' {
            rewrites.push(Rewrite::Separator);
        } else if wide && !rewrites.contains(&Rewrite::FullWidth) {
            rewrites.push(Rewrite::FullWidth);
        }
        i += 1;
    }
    // A code ends at a boundary: `K8s` or `P1.1.1a` is not a code.
    if let Some(&c) = chars.get(i) {
        let h = half_width(c).0;
        if h.is_ascii_alphanumeric() || h == '_' {
            return None;
        }
    }
    let kind = match kind_letter {
        Kind::Duty | Kind::Task if numbers.len() >= 2 => Kind::Task,
        Kind::Duty | Kind::Task => Kind::Duty,
        other => other,
    };
    if spaced {
        rewrites.push(Rewrite::Spaces);
    }
    let mut end = i;
    while chars.get(end).is_some_and(|&c| is_trailing_punctuation(c)) {
        end += 1;
    }
    if end > i {
        rewrites.push(Rewrite::TrailingPunctuation);
    }
    let text = canonical_text(kind, chars, &numbers, &mut rewrites);
    let original: String = chars[..end].iter().collect();
    Some((Code { kind, text, original, rewrites }, end))
}

/// A number's digits (`from..to` in `chars`) without its leading zeros; `0` for zeros only.
fn significant(chars: &[char], (from, to): (usize, usize)) -> std::ops::Range<usize> {
    let mut start = from;
    while start + 1 < to && half_width(chars[start]).0 == '0' {
        start += 1;
    }
    start..to
}

/// The code's canonical spelling from its letter and numbers (digits in `chars`, full or half
/// width), written in one string.
fn canonical_text(kind: Kind, chars: &[char], numbers: &[(usize, usize)], rewrites: &mut Vec<Rewrite>) -> String {
    let digits = |range: std::ops::Range<usize>| chars[range].iter().map(|&c| half_width(c).0);
    let mut text = String::with_capacity(2 + numbers.iter().map(|(from, to)| to - from + 1).sum::<usize>());
    text.push(kind.letter());
    if kind.is_positional() {
        for (i, &n) in numbers.iter().enumerate() {
            let t = significant(chars, n);
            if t.start != n.0 && !rewrites.contains(&Rewrite::LeadingZeros) {
                rewrites.push(Rewrite::LeadingZeros);
            }
            if i > 0 {
                text.push('.');
            }
            text.extend(digits(t));
        }
    } else {
        // Two digits at least (`K1` → `K01`).
        let n = numbers[0];
        let value = significant(chars, n);
        if value.len() < 2 {
            text.push('0');
        }
        text.extend(digits(value));
        if !text[1..].chars().eq(digits(n.0..n.1)) {
            rewrites.push(if n.1 - n.0 < 2 { Rewrite::Padded } else { Rewrite::LeadingZeros });
        }
    }
    text
}

/// Parse a whole cell or token as one code of `expected` kind (a T cell accepts duty and task
/// codes, a K/S cell both letters). Surrounding white space is ignored.
pub fn parse(token: &str, expected: Kind) -> Option<Code> {
    let trimmed: Vec<char> = token.trim().chars().collect();
    let (code, used) = scan(&trimmed, expected)?;
    let rest: String = trimmed[used..].iter().collect();
    rest.trim().is_empty().then_some(code)
}

/// Read a code of `expected` kind at the start of a cell (`T1 協助提案企劃`, `T1\n協助提案企劃`) and
/// return it with the rest of the text, trimmed. `None` when the cell does not start with a code.
pub fn leading(cell: &str, expected: Kind) -> (Option<Code>, String) {
    let chars: Vec<char> = cell.trim().chars().collect();
    match scan(&chars, expected) {
        Some((code, used)) => (Some(code), chars[used..].iter().collect::<String>().trim().to_string()),
        None => (None, cell.trim().to_string()),
    }
}

/// One item of a cell: a code (if any) and the text that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub code: Option<Code>,
    pub text: String,
}

/// Split a cell that holds several `code text` items, one per line or run together on one line
/// (`O2.3.1 住宿登記表 O2.3.2 交通車登記表`). A code starts an item at the start of the cell, of a line,
/// or after white space. Text before the first code is an item without a code. The text of an
/// item keeps its inner line breaks (sub-bullets of a K/S name).
///
/// In a K or S cell a name may quote a standard or a norm (`K05 ANSI/ESD S20.20靜電防護標準`): there,
/// a code followed by `.digits` is text (K and S codes have no dots), and so is a code of the other
/// kind in the middle of a line (an S code at the start of a line in a K cell still starts an item,
/// as real documents print some there).
pub fn split(cell: &str, expected: Kind) -> Vec<Piece> {
    // Each character, and where it starts in `cell` (and the end): the pieces' texts are slices of it.
    let (mut chars, mut at) = (Vec::with_capacity(cell.len()), Vec::with_capacity(cell.len() + 1));
    for (b, c) in cell.char_indices() {
        chars.push(c);
        at.push(b);
    }
    at.push(cell.len());
    let text = |from: usize, to: usize| cell[at[from]..at[to]].trim().to_string();
    let competency = matches!(expected, Kind::Knowledge | Kind::Skill);
    let mut starts: Vec<(usize, Code, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at_boundary = i == 0 || chars[i - 1] == '\n' || is_space(chars[i - 1]);
        if at_boundary && let Some((code, used)) = scan(&chars[i..], expected) {
            let line_start = chars[..i].iter().rev().take_while(|&&c| c != '\n').all(|&c| is_space(c));
            let in_text = competency && (dotted_number(&chars[i..]) || (!line_start && code.kind != expected));
            if !in_text {
                starts.push((i, code, used));
                i += used;
                continue;
            }
        }
        i += 1;
    }
    let mut pieces = Vec::with_capacity(starts.len() + 1);
    let lead = text(0, starts.first().map_or(chars.len(), |s| s.0));
    if !lead.is_empty() {
        pieces.push(Piece { code: None, text: lead });
    }
    let mut starts = starts.into_iter().peekable();
    while let Some((start, code, used)) = starts.next() {
        let end = starts.peek().map_or(chars.len(), |next| next.0);
        pieces.push(Piece { code: Some(code), text: text(start + used, end) });
    }
    pieces
}

/// Whether a code's letter and number are followed by a dot and more digits (`S20.20`): a K/S code
/// has one number, so this is a name quoting a norm, not a code.
fn dotted_number(chars: &[char]) -> bool {
    let mut i = 1;
    while chars.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    while chars.get(i).is_some_and(|&c| half_width(c).0.is_ascii_digit()) {
        i += 1;
    }
    let dot = chars.get(i).is_some_and(|&c| half_width(c).0 == '.');
    dot && chars.get(i + 1).is_some_and(|&c| half_width(c).0.is_ascii_digit())
}

/// The task a positional code belongs to by its prefix: `O4.1.2` → `T4.1`, `T2.1` → `T2`.
pub fn parent(code: &str) -> Option<String> {
    let numbers = numbers(code)?;
    match (code.chars().next()?, numbers.len()) {
        ('O' | 'P', 3) => Some(format!("T{}.{}", numbers[0], numbers[1])),
        ('T', 2) => Some(format!("T{}", numbers[0])),
        _ => None,
    }
}

/// Whether a word is a canonical T/O/P/K/S/A code (`P2.1.3`, `K01`), as a printed item begins.
pub fn is_item_code(word: &str) -> bool {
    word.starts_with(['T', 'O', 'P', 'K', 'S', 'A']) && word.len() > 1 && numbers(word).is_some()
}

/// The numbers of a canonical positional code: `P2.1.17` → `[2, 1, 17]`.
pub fn numbers(code: &str) -> Option<Vec<u32>> {
    code.get(1..)?.split('.').map(|n| n.parse().ok()).collect()
}

/// The code of the `n`-th (1-based) output or indicator of a task: `(Output, "T5.1", 2)` → `O5.1.2`.
pub fn positional(kind: Kind, task: &str, n: usize) -> String {
    format!("{}{}.{}", kind.letter(), task.trim_start_matches('T'), n)
}

/// A standard code (職能基準代碼) in canonical spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardCode {
    pub text: String,
    pub original: String,
    pub rewrites: Vec<Rewrite>,
    /// Whether it matches `^[A-Z]{3}\d{4}-\d{3}(v\d+)?$`.
    pub well_formed: bool,
}

/// Normalise a 職能基準代碼: half-width, no spaces, letters upper-case, the version suffix lower-case
/// (`bgm1219-002V2` → `BGM1219-002v2`), dash variants made `-`.
pub fn standard_code(raw: &str) -> StandardCode {
    let original = raw.trim().to_string();
    let mut rewrites = Vec::new();
    let mut text = String::new();
    for c in original.chars() {
        let (h, wide) = half_width(c);
        if is_space(c) || c == '\n' || c == '\r' {
            push_once(&mut rewrites, Rewrite::Spaces);
            continue;
        }
        if is_dash(c) {
            if c != '-' {
                push_once(&mut rewrites, Rewrite::Dash);
            }
            text.push('-');
            continue;
        }
        if wide {
            push_once(&mut rewrites, Rewrite::FullWidth);
        }
        text.push(h);
    }
    // Everything upper-case except a version suffix after the serial (`-002v2`).
    let suffix = text.char_indices().rev().find(|&(_, c)| c == 'v' || c == 'V').filter(|&(at, _)| {
        let digits = &text[at + 1..];
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && text[..at].ends_with(|c: char| c.is_ascii_digit())
    });
    let (body, version) = match suffix {
        Some((at, letter)) => {
            if letter == 'V' {
                push_once(&mut rewrites, Rewrite::VersionCase);
            }
            (&text[..at], Some(&text[at + 1..]))
        }
        None => (text.as_str(), None),
    };
    let mut canonical = body.to_uppercase();
    if canonical != body {
        push_once(&mut rewrites, Rewrite::LowerCase);
    }
    if let Some(v) = version {
        canonical.push('v');
        canonical.push_str(v);
    }
    let well_formed = is_well_formed_standard_code(&canonical);
    StandardCode { text: canonical, original, rewrites, well_formed }
}

fn push_once(rewrites: &mut Vec<Rewrite>, rewrite: Rewrite) {
    if !rewrites.contains(&rewrite) {
        rewrites.push(rewrite);
    }
}

/// `^[A-Z]{3}\d{4}-\d{3}(v\d+)?$`.
pub fn is_well_formed_standard_code(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() < 11 {
        return false;
    }
    let head = b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..11].iter().all(u8::is_ascii_digit);
    let tail = &b[11..];
    head && (tail.is_empty() || (tail[0] == b'v' && tail.len() > 1 && tail[1..].iter().all(u8::is_ascii_digit)))
}

/// A standard code without its version suffix: `BAS2421-002v2` → `BAS2421-002`. Two versions of
/// one standard share it.
pub fn standard_code_base(code: &str) -> &str {
    match code.rfind('v') {
        Some(at)
            if at + 1 < code.len()
                && code[at + 1..].bytes().all(|b| b.is_ascii_digit())
                && code[..at].ends_with(|c: char| c.is_ascii_digit()) =>
        {
            &code[..at]
        }
        _ => code,
    }
}

/// The parts of a standard code that must agree with the header: (職類別代碼, 職業別代碼).
pub fn standard_code_parts(code: &str) -> Option<(&str, &str)> {
    is_well_formed_standard_code(code).then(|| (&code[..3], &code[3..7]))
}

/// Find a standard code inside a longer text such as a file name (`BAS2421-002.flat.csv`).
pub fn find_standard_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_alphabetic() {
            continue;
        }
        for len in (11..=16).rev() {
            if start + len > chars.len() {
                continue;
            }
            let candidate: String = chars[start..start + len].iter().collect();
            let normalised = standard_code(&candidate);
            let ends_clean = chars.get(start + len).is_none_or(|c| !c.is_ascii_alphanumeric());
            if normalised.well_formed && ends_clean {
                return Some(normalised.text);
            }
        }
    }
    None
}

/// Why a name (a standard code, a role) cannot be a file or folder name on every system, if it
/// cannot: a spreadsheet error value (`#REF!`), a path, a character that is invisible or reorders
/// text (bidi controls, zero-width or combining characters), a name reserved by Windows (`CON`,
/// `NUL.TXT`), a trailing dot or space, or one over 64 characters.
pub fn file_name_problem(name: &str) -> Option<Message> {
    const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    if name.is_empty() {
        return Some(Message::new("name-empty"));
    }
    if name.chars().count() > 64 {
        return Some(Message::new("name-too-long"));
    }
    if name.starts_with('#') && name.ends_with(['!', '?', 'A']) {
        return Some(Message::new("name-error-value"));
    }
    if let Some(c) = name.chars().find(|&c| !is_name_char(c)) {
        return Some(Message::new("name-character").arg("code", format!("U+{:04X}", c as u32)));
    }
    if name.starts_with('.') || name.ends_with(['.', ' ']) || name.contains("..") {
        return Some(Message::new("name-dot"));
    }
    let device = name.split('.').next().unwrap_or(name).trim_end().to_ascii_uppercase();
    // COM0–COM9 and LPT0–LPT9, and with a superscript digit (COM¹), which Windows reserves too.
    let numbered = ["COM", "LPT"].iter().any(|p| {
        device
            .strip_prefix(p)
            .is_some_and(|n| n.chars().count() == 1 && n.chars().all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³')))
    });
    if RESERVED.contains(&device.as_str()) || numbered {
        return Some(Message::new("name-reserved").arg("device", device));
    }
    None
}

/// Letters and digits of any script, and `-`, `_`, `.`, space and parentheses; never a combining mark
/// (it would join the character before it and make one name look like another).
fn is_name_char(c: char) -> bool {
    let combining = matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}' | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}' | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{302A}'..='\u{302F}' | '\u{3099}' | '\u{309A}' | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}');
    (c.is_alphanumeric() && !combining) || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')' | '（' | '）')
}

/// A cell meant to hold a level holds something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotALevel;

/// A 職能級別 or 基準級別 as written: `4`, `4.0`, `４`, `四`, `4級`, `第4級`, `Level 4`.
/// `Ok(None)` for an empty cell, `Err` when the text is not a level at all.
pub fn parse_level(raw: &str) -> Result<Option<u32>, NotALevel> {
    let text: String = raw.chars().map(|c| half_width(c).0).filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Ok(None);
    }
    let lower = text.to_lowercase();
    let core = lower
        .trim_start_matches("level")
        .trim_start_matches("lv")
        .trim_start_matches('l')
        .trim_start_matches('第')
        .trim_end_matches('級')
        .trim_end_matches('级');
    let core = core.strip_suffix(".0").unwrap_or(core);
    if let Ok(n) = core.parse::<u32>() {
        return Ok(Some(n));
    }
    const NUMERALS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut chars = core.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => match NUMERALS.iter().position(|&n| n == c) {
            Some(n) => Ok(Some(n as u32)),
            None if c == '零' => Ok(Some(0)),
            None => Err(NotALevel),
        },
        _ => Err(NotALevel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(token: &str, kind: Kind) -> String {
        parse(token, kind).map(|c| c.text).unwrap_or_else(|| format!("<not a code: {token}>"))
    }

    #[test]
    fn versions_share_the_base_code() {
        assert_eq!(standard_code_base("BAS2421-002v2"), "BAS2421-002");
        assert_eq!(standard_code_base("BAS2421-002"), "BAS2421-002");
        assert_eq!(standard_code_base("BGM1219-002v12"), "BGM1219-002");
        assert_eq!(standard_code_base("v2"), "v2");
    }

    #[test]
    fn canonical_codes_pass_unchanged() {
        for (token, kind) in [
            ("T1", Kind::Duty),
            ("T1.1", Kind::Task),
            ("O1.1.1", Kind::Output),
            ("P10.2.12", Kind::Indicator),
            ("K01", Kind::Knowledge),
            ("S101", Kind::Skill),
            ("A26", Kind::Attitude),
        ] {
            let code = parse(token, kind).unwrap();
            assert_eq!(code.text, token);
            assert!(code.rewrites.is_empty(), "{token}: {:?}", code.rewrites);
        }
    }

    #[test]
    fn full_width_becomes_half_width() {
        let code = parse("Ｔ１．１", Kind::Task).unwrap();
        assert_eq!(code.text, "T1.1");
        assert_eq!(code.kind, Kind::Task);
        assert!(code.rewrites.contains(&Rewrite::FullWidth));
        assert_eq!(canon("Ｋ０１", Kind::Knowledge), "K01");
    }

    #[test]
    fn spaces_are_removed() {
        let code = parse("K 01", Kind::Knowledge).unwrap();
        assert_eq!(code.text, "K01");
        assert_eq!(code.rewrites, vec![Rewrite::Spaces]);
    }

    #[test]
    fn letters_are_upper_cased() {
        assert_eq!(canon("k01", Kind::Knowledge), "K01");
        assert_eq!(canon("p1.1.1", Kind::Indicator), "P1.1.1");
    }

    #[test]
    fn separators_between_numbers_become_dots() {
        for token in ["T1．1", "T1。1", "T1-1", "T1－1"] {
            let code = parse(token, Kind::Task).unwrap();
            assert_eq!(code.text, "T1.1", "{token}");
            assert!(!code.rewrites.is_empty());
        }
        assert_eq!(canon("P2-1-3", Kind::Indicator), "P2.1.3");
    }

    #[test]
    fn trailing_punctuation_is_dropped() {
        let code = parse("K01.", Kind::Knowledge).unwrap();
        assert_eq!(code.text, "K01");
        assert_eq!(code.rewrites, vec![Rewrite::TrailingPunctuation]);
        assert_eq!(canon("T1、", Kind::Duty), "T1");
        assert_eq!(canon("O1.1.1：", Kind::Output), "O1.1.1");
    }

    #[test]
    fn catalogue_numbers_are_padded_to_two_digits() {
        let code = parse("K1", Kind::Knowledge).unwrap();
        assert_eq!(code.text, "K01");
        assert_eq!(code.rewrites, vec![Rewrite::Padded]);
        assert_eq!(canon("K101", Kind::Knowledge), "K101");
        assert_eq!(canon("A001", Kind::Attitude), "A01");
        assert_eq!(canon("S9", Kind::Skill), "S09");
    }

    #[test]
    fn positional_numbers_lose_leading_zeros() {
        let code = parse("T01.1", Kind::Task).unwrap();
        assert_eq!(code.text, "T1.1");
        assert_eq!(code.rewrites, vec![Rewrite::LeadingZeros]);
        assert_eq!(canon("P01.02.03", Kind::Indicator), "P1.2.3");
    }

    #[test]
    fn zero_typed_for_letter_o_in_outputs() {
        let code = parse("04.2.1", Kind::Output).unwrap();
        assert_eq!(code.text, "O4.2.1");
        assert!(code.rewrites.contains(&Rewrite::ZeroForO));
        assert!(parse("04.2.1", Kind::Indicator).is_none());
    }

    #[test]
    fn duty_and_task_are_told_apart() {
        assert_eq!(parse("T1", Kind::Task).unwrap().kind, Kind::Duty);
        assert_eq!(parse("T1.2", Kind::Duty).unwrap().kind, Kind::Task);
    }

    #[test]
    fn words_are_not_codes() {
        assert!(parse("K8s", Kind::Knowledge).is_none());
        assert!(parse("Kotlin", Kind::Knowledge).is_none());
        assert!(parse("P1.1.1a", Kind::Indicator).is_none());
        assert!(parse("T", Kind::Task).is_none());
    }

    #[test]
    fn normalisation_is_idempotent() {
        for (token, kind) in [("Ｔ０１．１", Kind::Task), ("k 1", Kind::Knowledge), ("04.2.1", Kind::Output), ("P2-2-2.", Kind::Indicator)]
        {
            let once = parse(token, kind).unwrap();
            let twice = parse(&once.text, kind).unwrap();
            assert_eq!(once.text, twice.text);
            assert!(twice.rewrites.is_empty());
        }
    }

    #[test]
    fn names_unsafe_for_a_file_system_are_refused() {
        for good in ["BAS2421-002", "BGM1219-002v2", "議事組", "A組 (現場)"] {
            assert_eq!(file_name_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("#REF!", "error value"),
            ("#N/A", "error value"),
            ("BAS\u{202E}200-2421", "U+202E"),
            ("BAS2421\u{200B}-002", "U+200B"),
            ("BAS2421-002\u{0301}", "U+0301"),
            ("CON", "reserved"),
            ("nul.txt", "reserved"),
            ("COM1", "reserved"),
            ("BAS2421-002.", "dot"),
            ("../x", "U+002F"),
            ("a:b", "U+003A"),
            ("", "empty"),
        ] {
            let problem = file_name_problem(bad).map(|m| m.english()).unwrap_or_default();
            assert!(problem.contains(why), "{bad:?}: {problem}");
        }
    }

    #[test]
    fn split_one_per_line() {
        let pieces = split("K01 會展概論\nK49 國際會展趨勢\n", Kind::Knowledge);
        let got: Vec<_> = pieces.iter().map(|p| (p.code.as_ref().unwrap().text.as_str(), p.text.as_str())).collect();
        assert_eq!(got, vec![("K01", "會展概論"), ("K49", "國際會展趨勢")]);
    }

    #[test]
    fn a_code_like_word_inside_a_competency_name_is_text() {
        let pieces = split("K05 ANSI/ESD S20.20靜電防護標準\nK06 品質管理 S5 與 ISO 9001 K07 會議英文", Kind::Knowledge);
        let read: Vec<(String, &str)> =
            pieces.iter().map(|p| (p.code.as_ref().map(|c| c.text.clone()).unwrap_or_default(), p.text.as_str())).collect();
        assert_eq!(
            read,
            [("K05".into(), "ANSI/ESD S20.20靜電防護標準"), ("K06".into(), "品質管理 S5 與 ISO 9001"), ("K07".into(), "會議英文")],
            "a dotted number, an S mid-line: text; a K mid-line: an item"
        );
        let pieces = split("S03 溝通\nK02 專案管理\nS20.20 靜電防護", Kind::Skill);
        let codes: Vec<_> = pieces.iter().map(|p| p.code.as_ref().map(|c| c.text.clone())).collect();
        assert_eq!(codes, [Some("S03".to_string()), Some("K02".to_string())], "a K at a line start is an item; S20.20 is text");
        assert_eq!(pieces[1].text, "專案管理\nS20.20 靜電防護");
        assert!(dotted_number(&"S２０．２".chars().collect::<Vec<_>>()));
        assert!(!dotted_number(&"K01. 會展".chars().collect::<Vec<_>>()));
    }

    #[test]
    fn split_run_together_on_one_line() {
        let pieces = split("O2.3.1 住宿登記表 O2.3.2 交通車登記表", Kind::Output);
        let got: Vec<_> = pieces.iter().map(|p| (p.code.as_ref().unwrap().text.as_str(), p.text.as_str())).collect();
        assert_eq!(got, vec![("O2.3.1", "住宿登記表"), ("O2.3.2", "交通車登記表")]);
    }

    #[test]
    fn split_code_then_name_on_next_line_and_sub_bullets() {
        let pieces = split("K01\n會展概論\nK02 專案管理\n- 時程\n- 成本", Kind::Knowledge);
        assert_eq!(pieces[0].text, "會展概論");
        assert_eq!(pieces[1].code.as_ref().unwrap().text, "K02");
        assert_eq!(pieces[1].text, "專案管理\n- 時程\n- 成本");
    }

    #[test]
    fn split_keeps_text_before_the_first_code() {
        let pieces = split("前言\nP1.1.1 指標", Kind::Indicator);
        assert_eq!(pieces[0].code, None);
        assert_eq!(pieces[0].text, "前言");
        assert_eq!(pieces[1].text, "指標");
    }

    #[test]
    fn split_does_not_cut_inside_words() {
        let pieces = split("P1.1.1 使用 e-mail 通知與會者", Kind::Indicator);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0].text, "使用 e-mail 通知與會者");
    }

    #[test]
    fn parents_and_renumbering() {
        assert_eq!(parent("O4.1.2").as_deref(), Some("T4.1"));
        assert_eq!(parent("P2.2.5").as_deref(), Some("T2.2"));
        assert_eq!(parent("T2.1").as_deref(), Some("T2"));
        assert_eq!(parent("K01"), None);
        assert_eq!(positional(Kind::Output, "T5.1", 2), "O5.1.2");
        assert_eq!(positional(Kind::Indicator, "T2.1", 17), "P2.1.17");
    }

    #[test]
    fn standard_codes() {
        let code = standard_code("bgm1219-002V2");
        assert_eq!(code.text, "BGM1219-002v2");
        assert!(code.well_formed);
        assert!(code.rewrites.contains(&Rewrite::VersionCase));
        assert!(code.rewrites.contains(&Rewrite::LowerCase));
        for dash in ["－", "–", "—"] {
            let code = standard_code(&format!("BAS2421{dash}002"));
            assert_eq!(code.text, "BAS2421-002");
            assert!(code.rewrites.contains(&Rewrite::Dash) || code.rewrites.contains(&Rewrite::FullWidth));
        }
        assert_eq!(standard_code("ＢＡＳ２４２１－００２").text, "BAS2421-002");
        assert_eq!(standard_code("BAS 2421-002").text, "BAS2421-002");
        assert!(standard_code("BAS2421-002").rewrites.is_empty());
        assert!(!standard_code("BAS242-002").well_formed);
        assert!(!standard_code("../../etc/passwd").well_formed);
    }

    #[test]
    fn standard_code_in_file_names() {
        assert_eq!(find_standard_code("BAS2421-002.flat.csv").as_deref(), Some("BAS2421-002"));
        assert_eq!(find_standard_code("copy of bgm1219-002v2.xlsx").as_deref(), Some("BGM1219-002v2"));
        assert_eq!(find_standard_code("notes.csv"), None);
    }

    #[test]
    fn levels_as_numbers_or_text() {
        assert_eq!(parse_level("4"), Ok(Some(4)));
        assert_eq!(parse_level("4.0"), Ok(Some(4)));
        assert_eq!(parse_level("４"), Ok(Some(4)));
        assert_eq!(parse_level("四"), Ok(Some(4)));
        assert_eq!(parse_level("第3級"), Ok(Some(3)));
        assert_eq!(parse_level("Level 5"), Ok(Some(5)));
        assert_eq!(parse_level("7"), Ok(Some(7)));
        assert_eq!(parse_level(" "), Ok(None));
        assert_eq!(parse_level("高"), Err(NotALevel));
    }
}
