//! Text measurement and line breaking over a chain of fonts, shared by the PDF layout and the
//! workbook's row heights: the chosen font first, then the embedded Noto Sans TC, then the machine's
//! own fonts (`system`, looked at only when a character is missing), so that every character is
//! measured with the face that will draw it. The fonts are parsed once per run. Breaks follow
//! UAX #14 (unicode-linebreak), which keeps ，。、）」 off line starts and （「 off line ends; a run
//! wider than the line breaks per character.

mod face;
#[cfg(feature = "cli")]
mod system;

/// Without the command line (the web page) there are no machine fonts to fall back on: the chain
/// ends with the embedded Noto Sans TC.
#[cfg(not(feature = "cli"))]
mod system {
    pub(super) fn loaded() -> bool {
        false
    }

    pub(super) fn find(_: char) -> Option<usize> {
        None
    }

    pub(super) fn face(_: usize) -> Option<&'static super::Face> {
        None
    }

    pub(super) fn family(_: &str) -> Option<(String, u32)> {
        None
    }
}

pub use face::{EMBEDDED_FONT, Face, FontError, FontFile};

/// Which face of a chain draws a character: 0 the chosen font, 1 the embedded Noto Sans TC when
/// another font was chosen, 2 and on the system fonts in their order of preference. The same
/// character gets the same face in every document and on every thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaceId(pub usize);

impl FaceId {
    pub const PRIMARY: FaceId = FaceId(0);
    const BUNDLED: FaceId = FaceId(1);
    const FIRST_SYSTEM: usize = 2;
}

/// The chain of fonts text is measured and drawn with: the chosen font, then the embedded Noto Sans
/// TC (when another font was chosen), then the machine's fonts, found only when a character is
/// missing from both (a run whose text they cover never looks at the system).
pub struct Font {
    primary: Face,
    bundled: Option<Face>,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font").field("primary", &self.primary).field("bundled", &self.bundled.is_some()).finish()
    }
}

impl Font {
    /// The embedded Noto Sans TC, then the system fonts.
    pub fn embedded() -> Font {
        Font { primary: Face::embedded(), bundled: None }
    }

    /// A font file given as `PATH` or `PATH:INDEX` (a face of a collection), then the embedded Noto
    /// Sans TC, then the system fonts.
    pub fn from_spec(spec: &str) -> Result<Font, FontError> {
        let (path, index) = match spec.rsplit_once(':') {
            Some((path, index)) if index.chars().all(|c| c.is_ascii_digit()) && !index.is_empty() => (path, index.parse().unwrap_or(0)),
            _ => (spec, 0),
        };
        // Not a file: an installed family by name (`標楷體`, `DFKai-SB`), as Windows users know fonts.
        if !std::path::Path::new(path).exists()
            && let Some((file, index)) = system::family(spec)
        {
            return Ok(Font { primary: Face::from_file(&file, index)?, bundled: Some(Face::embedded()) });
        }
        Ok(Font { primary: Face::from_file(path, index)?, bundled: Some(Face::embedded()) })
    }

    /// The first face of a font file already in memory, `file` naming it, then the embedded Noto
    /// Sans TC, then the system fonts.
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Font, FontError> {
        Ok(Font { primary: Face::from_bytes(bytes, 0, file)?, bundled: Some(Face::embedded()) })
    }

    /// The chosen font.
    pub fn primary(&self) -> &Face {
        &self.primary
    }

    /// The chosen font's PostScript name.
    pub fn name(&self) -> &str {
        &self.primary.name
    }

    /// The chosen font's family name (see [`Face::family`]).
    pub fn family(&self) -> String {
        self.primary.family()
    }

    /// A face of the chain.
    pub fn face(&self, id: FaceId) -> Option<&Face> {
        match id {
            FaceId::PRIMARY => Some(&self.primary),
            FaceId::BUNDLED => self.bundled.as_ref(),
            FaceId(n) => system::face(n.checked_sub(FaceId::FIRST_SYSTEM)?),
        }
    }

    /// The face that draws a character and the character it draws: the character itself, or the
    /// canonical twin of a compatibility ideograph copied from a PDF (U+F911 for 螺) when a face
    /// earlier in the chain has the twin. `None` when no font on the machine has either.
    pub fn resolve(&self, c: char) -> Option<(FaceId, char)> {
        if self.primary.has(c) {
            return Some((FaceId::PRIMARY, c));
        }
        let twin = canonical_twin(c);
        if let Some(d) = twin.filter(|&d| self.primary.has(d)) {
            return Some((FaceId::PRIMARY, d));
        }
        if let Some(bundled) = &self.bundled {
            if bundled.has(c) {
                return Some((FaceId::BUNDLED, c));
            }
            if let Some(d) = twin.filter(|&d| bundled.has(d)) {
                return Some((FaceId::BUNDLED, d));
            }
        }
        if c.is_whitespace() {
            return None;
        }
        let found = system::find(c).map(|n| (n, c));
        found.or_else(|| twin.and_then(|d| system::find(d).map(|n| (n, d)))).map(|(n, d)| (FaceId(n + FaceId::FIRST_SYSTEM), d))
    }

    /// The character drawn for `c` (see [`Font::resolve`]).
    pub fn drawable(&self, c: char) -> char {
        self.resolve(c).map_or(c, |(_, d)| d)
    }

    /// Whether some font of the chain draws the character.
    pub fn has(&self, c: char) -> bool {
        self.resolve(c).is_some()
    }

    /// Whether the chosen font draws the character as it is (no fallback needed).
    pub fn primary_has(&self, c: char) -> bool {
        self.primary.has(c)
    }

    /// The chosen font's glyph for a character and its advance in em, when that font has one: what
    /// [`Font::resolve`] with [`Face::glyph`] and [`Font::width`] at size 1 give then, in one lookup.
    pub fn primary_glyph(&self, c: char) -> Option<(u16, f32)> {
        let (glyph, advance) = self.primary.looked_up(c);
        (glyph != 0).then(|| (glyph, f32::from(advance) / self.primary.units_per_em))
    }

    /// Advance width of a character in em, in the face that draws it.
    fn advance(&self, c: char) -> f32 {
        let (advance, has) = self.primary.metrics(c);
        if has || c.is_control() {
            return f32::from(advance) / self.primary.units_per_em;
        }
        match self.resolve(c).and_then(|(id, d)| Some((self.face(id)?, d))) {
            Some((face, d)) => face.advance(d),
            None => self.primary.advance(c),
        }
    }

    /// Width of a text at a size, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().filter(|c| !c.is_control()).map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Ascender of the chosen font in em.
    pub fn ascent(&self) -> f32 {
        f32::from(self.primary.face.ascender()) / self.primary.units_per_em
    }

    /// Break a text into lines no wider than `width` points at `size`. Line breaks in the text are
    /// kept; an empty text is one empty line.
    pub fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in paragraphs(text) {
            self.wrap_paragraph(paragraph, width, size, &mut lines);
        }
        lines
    }

    /// How many lines [`Font::wrap`] makes of a text, without making them: a paragraph no wider
    /// than the line is one line (every partial width of it is within the line too).
    pub fn line_count(&self, text: &str, width: f32, size: f32) -> usize {
        let mut lines = Vec::new();
        let mut count = 0;
        for paragraph in paragraphs(text) {
            if self.width(paragraph, size) <= width {
                count += 1;
                continue;
            }
            lines.clear();
            self.wrap_paragraph(paragraph, width, size, &mut lines);
            count += lines.len();
        }
        count
    }

    /// Break a label into lines only between its words: at spaces, before an opening bracket and at
    /// the text's own line breaks (`(K=knowledge 知識)` never becomes `知` / `識)`). A word wider
    /// than the line is broken as ordinary text.
    pub fn wrap_label(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut words: Vec<String> = Vec::new();
            for (n, piece) in paragraph.split(' ').enumerate() {
                let mut rest = piece;
                while let Some((at, _)) = rest.char_indices().skip(1).find(|(_, c)| matches!(c, '(' | '（')) {
                    words.push(rest[..at].to_string());
                    rest = &rest[at..];
                }
                // A word after a space carries the space, so that it is measured and kept.
                let word = if n > 0 { format!(" {rest}") } else { rest.to_string() };
                words.push(word);
            }
            let mut line = String::new();
            for word in words {
                if line.is_empty() || self.width(&format!("{line}{word}"), size) <= width + 0.01 {
                    line.push_str(&word);
                    continue;
                }
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                line = word.trim_start().to_string();
            }
            if self.width(&line, size) <= width + 0.01 {
                lines.push(line);
            } else {
                self.wrap_paragraph(line.trim(), width, size, &mut lines);
            }
        }
        // A word wider than the line was kept whole above: break such lines as ordinary text.
        let mut fitted = Vec::new();
        for line in lines {
            if self.width(&line, size) <= width + 0.01 {
                fitted.push(line);
            } else {
                self.wrap_paragraph(&line, width, size, &mut fitted);
            }
        }
        fitted
    }

    fn wrap_paragraph(&self, paragraph: &str, width: f32, size: f32, lines: &mut Vec<String>) {
        let first = lines.len();
        self.fill_paragraph(paragraph, width, size, lines);
        // A single CJK character alone on the last line (「卡」, 「力」) takes one more from the line
        // above, which then ends earlier: two characters read as a word, one looks like a slip.
        let n = lines.len();
        if n - first >= 2 && lines[n - 1].chars().count() == 1 && lines[n - 1].chars().all(is_ideograph) {
            let above: Vec<char> = lines[n - 2].chars().collect();
            let mut take = 1;
            while take < above.len() && NO_LINE_START.contains(above[above.len() - take]) {
                take += 1;
            }
            if above.len() >= take + 2 && above[above.len() - take..].iter().all(|&c| is_ideograph(c) || NO_LINE_START.contains(c)) {
                let moved: String = above[above.len() - take..].iter().collect();
                lines[n - 2] = above[..above.len() - take].iter().collect();
                lines[n - 1] = format!("{moved}{}", lines[n - 1]);
            }
        }
    }

    fn fill_paragraph(&self, paragraph: &str, width: f32, size: f32, lines: &mut Vec<String>) {
        if paragraph.is_empty() {
            lines.push(String::new());
            return;
        }
        // One buffer for every line, with room for a line at once rather than by doubling (each
        // line is kept as a copy of its own length).
        let mut line = String::with_capacity(paragraph.len().min(120));
        let mut line_width = 0.0;
        let mut start = 0;
        for (end, _) in unicode_linebreak::linebreaks(paragraph) {
            let segment = &paragraph[start..end];
            start = end;
            // The segment's trailing spaces may hang past the line's end.
            let full_width = self.width(segment, size);
            let visible = segment.trim_end();
            let segment_width = if visible.len() == segment.len() { full_width } else { self.width(visible, size) };
            if line_width + segment_width <= width + 0.01 {
                line.push_str(segment);
                line_width += full_width;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line.clear();
            line_width = 0.0;
            if segment_width <= width + 0.01 {
                line.push_str(segment);
                line_width = full_width;
                continue;
            }
            // Wider than a whole line: break per character, still keeping a closing mark off the
            // line start and an opening mark off the line end by pushing one character down.
            for c in segment.chars() {
                let w = self.width(c.encode_utf8(&mut [0; 4]), size);
                if line_width + w > width + 0.01 && !line.is_empty() {
                    let mut carried = String::new();
                    while line.chars().count() >= 2 && carried.chars().count() < 2 {
                        let next = carried.chars().next().unwrap_or(c);
                        let last = line.chars().last().unwrap_or(' ');
                        if !NO_LINE_START.contains(next) && !NO_LINE_END.contains(last) {
                            break;
                        }
                        if let Some(moved) = line.pop() {
                            carried.insert(0, moved);
                        }
                    }
                    lines.push(std::mem::take(&mut line).trim_end().to_string());
                    line_width = self.width(&carried, size);
                    line = carried;
                }
                line.push(c);
                line_width += w;
            }
        }
        let last = line.trim_end();
        if !last.is_empty() || lines.is_empty() {
            lines.push(last.to_string());
        }
    }

    /// The characters of a text that no font of the chain has.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !self.has(*c)).collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }
}

/// The paragraphs `Font::wrap` breaks one by one, without their trailing white space. An item's
/// own line break (U+2028) is a line break like any other here.
fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\u{2028}']).map(str::trim_end)
}

/// Whether this process has listed the machine's fonts: only once some text had a character the
/// chosen and embedded fonts lack.
pub fn system_fonts_loaded() -> bool {
    system::loaded()
}

/// The one canonical equivalent of a character that has one (a compatibility ideograph).
fn canonical_twin(c: char) -> Option<char> {
    let mut canonical = None;
    let mut count = 0;
    unicode_normalization::char::decompose_canonical(c, |d| {
        canonical = Some(d);
        count += 1;
    });
    canonical.filter(|&d| count == 1 && d != c)
}

/// Whether a text has a Han character (the unified blocks to U+9FFF and the compatibility block):
/// how a template's footer (`第 {page} 頁` or `Page {page}`) tells the documents' language.
pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c))
}

/// A CJK ideograph (the unified blocks and their extensions, and the compatibility block).
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Punctuation that must not start a line (行首禁則).
pub const NO_LINE_START: &str = "，。、）」』；：！？…‥〕】》〉,.;:!?)";
/// Punctuation that must not end a line (行尾禁則).
pub const NO_LINE_END: &str = "（「『〔【《〈(";

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn font() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(Font::embedded)
    }

    #[test]
    fn the_embedded_font_has_the_sample_characters() {
        let font = font();
        assert_eq!(font.name(), "NotoSansTC-Regular");
        assert!(font.missing("會議專案執行人員職能基準，（續）第頁總共").is_empty());
        assert!("會議專案執行人員職能基準，（續）第頁總共".chars().all(|c| font.resolve(c).is_some_and(|(id, _)| id == FaceId::PRIMARY)));
        let face = Face::embedded();
        assert!(!face.has('☐') && !face.has('産'), "the characters the fallback chain is for");
    }

    #[test]
    fn a_compatibility_ideograph_is_drawn_as_its_twin_by_the_chosen_font() {
        assert_eq!(font().resolve('\u{F911}'), Some((FaceId::PRIMARY, '螺')));
        assert_eq!(font().drawable('\u{F911}'), '螺');
    }

    #[test]
    fn a_character_no_font_has_is_missing_and_measured_as_the_empty_box() {
        let font = font();
        // The last private-use character of plane 16: no font is expected to have it (TW-Kai-Plus
        // draws CNS 11643 characters in plane 15).
        let private = '\u{10FFFD}';
        assert_eq!(font.missing(&format!("職{private}")), [private]);
        assert_eq!(font.resolve(private), None);
        let notdef = font.primary().advance(private);
        assert!((font.width(&private.to_string(), 10.0) - notdef * 10.0).abs() < 1e-3);
    }

    #[test]
    fn a_character_the_font_lacks_is_measured_with_the_face_that_draws_it() {
        let font = font();
        match font.resolve('産') {
            // A machine with a CJK font (CI installs Noto CJK): measured with that face.
            Some((id, c)) => {
                assert_ne!(id, FaceId::PRIMARY);
                let face = font.face(id).expect("a resolved face is loaded");
                assert!(face.glyph(c).is_some());
                assert!((font.width("産", 10.0) - face.advance('産') * 10.0).abs() < 1e-3);
                assert_eq!(font.resolve('産'), Some((id, c)), "the same face every time");
            }
            None => assert_eq!(font.missing("産"), ['産']),
        }
    }

    #[test]
    fn cjk_is_one_em_wide() {
        let w = font().width("職能基準", 10.0);
        assert!((w - 40.0).abs() < 0.5, "{w}");
    }

    #[test]
    fn wrapping_keeps_kinsoku_and_fits() {
        let font = font();
        let text = "翻閱公司過往活動檔案加以參考，並藉由過去資料之經驗，擬定在本次專案時負責的工作任務應如何執行之建議（如：報名表），以得知有哪些應注意事項可供參考。";
        for chars in 5..20 {
            let width = chars as f32 * 10.0;
            let lines = font.wrap(text, width, 10.0);
            assert_eq!(lines.concat(), text, "nothing lost at {chars}");
            for line in &lines {
                assert!(font.width(line, 10.0) <= width + 0.01, "`{line}` overflows {width}");
                assert!(!line.starts_with(|c| NO_LINE_START.contains(c)), "`{line}` starts with forbidden punctuation");
                assert!(!line.ends_with(|c| NO_LINE_END.contains(c)), "`{line}` ends with an opening bracket");
            }
        }
    }

    #[test]
    fn per_character_breaks_keep_kinsoku() {
        let font = font();
        // A run with no break opportunity whose per-character break falls right before `)`.
        let text = "abcdefghijk)lmnopq";
        let width = font.width("abcdefghijk", 10.0) + 0.5;
        let lines = font.wrap(text, width, 10.0);
        assert!(lines.iter().all(|l| !l.starts_with(')')), "{lines:?}");
        assert!(lines.iter().all(|l| font.width(l, 10.0) <= width + 0.01), "{lines:?}");
        assert_eq!(lines.concat(), text);
        let lines = font.wrap("abcdefghijk(lmnopq", width + font.width("(", 10.0), 10.0);
        assert!(lines.iter().all(|l| !l.ends_with('(')), "{lines:?}");
    }

    #[test]
    fn long_latin_runs_break_per_character_and_newlines_are_kept() {
        let font = font();
        let lines = font.wrap("https://icap.wda.gov.tw/very/long/path\n第二行", 60.0, 10.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.last().unwrap(), "第二行");
        assert!(lines.iter().all(|l| font.width(l, 10.0) <= 60.01));
        assert_eq!(font.wrap("", 60.0, 10.0), [""]);
    }

    #[test]
    fn line_count_is_the_count_of_wrapped_lines() {
        let font = Font::embedded();
        let texts = [
            "",
            "短",
            "P2.1.3 確認不同學術領域的論文評審方向",
            "K01 會展概論\nK05 溝通協調與人際關係\u{2028}K08 商業套裝軟體",
            "a very long line of Latin words that must break somewhere in the middle of the cell   ",
            "「開啟」、「關閉」。（括號）標點符號不在行首行尾的一段很長的中文句子需要斷行處理",
            "   \n\n  ",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "一二三四五六七八九十一二三四五六七八九十一",
        ];
        for text in texts {
            for width in [8.0, 30.0, 60.0, 95.5, 120.0, 400.0] {
                for size in [9.0, 10.5, 12.0] {
                    assert_eq!(font.line_count(text, width, size), font.wrap(text, width, size).len(), "{text:?} at {width} × {size}");
                }
            }
        }
    }

    #[test]
    fn labels_break_between_words_only() {
        let font = Font::embedded();
        let lines = font.wrap_label("職能內涵\n(K=knowledge 知識)", 70.0, 9.5);
        assert_eq!(lines, ["職能內涵", "(K=knowledge", "知識)"]);
        assert_eq!(font.wrap_label("職能基準名稱\n(擇一填寫)", 200.0, 10.0), ["職能基準名稱", "(擇一填寫)"]);
        assert_eq!(font.wrap_label("職能基準名稱(擇一填寫)", 70.0, 10.0), ["職能基準名稱", "(擇一填寫)"]);
    }

    #[test]
    fn a_single_ideograph_never_ends_a_paragraph_alone() {
        let font = Font::embedded();
        // Six ideographs where five fit: 4 + 2, not 5 + 1.
        let lines = font.wrap("職能基準名稱", 50.0, 10.0);
        assert_eq!(lines, ["職能基準", "名稱"]);
        assert_eq!(font.wrap_label("職能基準名稱\n(擇一填寫)", 50.0, 10.0), ["職能基準", "名稱", "(擇一填寫)"]);
    }
}
