//! What the two OpenDocument backends (`sheet::ods`, `odt`) share: the package (a zip whose first
//! entry is the stored `mimetype`, a manifest listing every file, fixed timestamps so the same
//! document gives the same bytes), XML escaping, text runs, and the page styles with the footer
//! 第 N 頁，總共 M 頁. Written by hand: no crate writes valid, deterministic ODF (see notes/odf.md).

use crate::doc::{MM, PageSetup};
use crate::template::Template;
use std::fmt::Write as _;
use std::io::Write as _;
use std::rc::Rc;
use zip::write::SimpleFileOptions;

pub const NAMESPACES: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" "#,
    r#"xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"office:version="1.3""#
);

/// The name the documents give their one font face.
pub const FONT: &str = "F1";

/// A package of the given media type holding `files` (name, XML), with a manifest and metadata.
pub fn package(mimetype: &str, title: &str, latin: Latin, files: &[(&str, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Entries marked as made on Unix whatever the platform (the zip crate's default is DOS on
    // Windows): the same document is then the same bytes from ocs.exe and from the Linux build.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .system(zip::System::Unix)
        .last_modified_time(zip::DateTime::default());
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .system(zip::System::Unix)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    zip.start_file("mimetype", stored)?;
    zip.write_all(mimetype.as_bytes())?;
    let meta = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NAMESPACES}><office:meta><meta:generator>ocs</meta:generator><dc:title>{}</dc:title><dc:language>{}</dc:language></office:meta></office:document-meta>"#,
        escape(title),
        latin.document_language()
    );
    let mut manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{mimetype}"/>"#
    );
    for (name, _) in files.iter().chain(std::iter::once(&("meta.xml", String::new()))) {
        let _ = write!(manifest, r#"<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>"#);
    }
    manifest.push_str("</manifest:manifest>");
    for (name, xml) in files.iter().map(|(n, x)| (*n, x.as_str())).chain([("meta.xml", meta.as_str())]) {
        zip.start_file(name, deflated)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(manifest.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

/// Text escaped for XML content and attribute values; characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Text appended as XML text: markup characters escaped, tab and line ends kept, other control
/// characters and U+FFFE, U+FFFF (which XML 1.0 forbids) dropped. Read as bytes (every one of these
/// is ASCII or, for U+FFFE and U+FFFF, starts with 0xEF), runs without them copied whole.
fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if !SPECIAL[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let (replacement, length) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            0..0x20 => ("", 1),
            _ if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += length;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The bytes `push_escaped` looks at: markup, control characters other than tab and line ends,
/// and 0xEF (which starts U+FFFE and U+FFFF).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[0xEF] = true;
    table
};

/// One line of text as paragraph content: a space is literal only between two other characters;
/// leading, trailing and repeated spaces become `text:s` and tabs `text:tab` (XML would collapse them).
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_line(&mut out, text);
    out
}

/// `line`, appended to `out`. Spaces and tabs are ASCII: the bytes around one tell whether the
/// characters around it are spaces.
pub fn push_line(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for i in memchr::memchr2_iter(b' ', b'\t', bytes) {
        let b = bytes[i];
        push_escaped(out, &text[start..i]);
        start = i + 1;
        if b == b'\t' {
            out.push_str("<text:tab/>");
        } else {
            let between = i > 0 && bytes[i - 1] != b' ' && bytes.get(i + 1).is_some_and(|&n| n != b' ');
            out.push_str(if between { " " } else { "<text:s/>" });
        }
    }
    push_escaped(out, &text[start..]);
}

/// `text` as one `text:p` per line, with the given paragraph style (if any).
pub fn paragraphs(text: &str, style: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    push_paragraphs(&mut out, text, style);
    out
}

/// `paragraphs`, appended to `out`.
pub fn push_paragraphs(out: &mut String, text: &str, style: Option<&str>) {
    for l in lines(text) {
        match style {
            Some(s) => {
                out.push_str(r#"<text:p text:style-name=""#);
                out.push_str(s);
                out.push_str(r#"">"#);
            }
            None => out.push_str("<text:p>"),
        }
        push_line(out, l);
        out.push_str("</text:p>");
    }
}

/// The lines of a text, as `text.split(['\n', ITEM_LINE])` gives them, found by their bytes (a
/// line feed, or U+2028 as E2 80 A8).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = Some(0);
    let mut ends = memchr::memchr2_iter(b'\n', 0xE2, bytes).filter_map(move |i| match bytes[i] {
        b'\n' => Some((i, i + 1)),
        _ if bytes[i..].starts_with("\u{2028}".as_bytes()) => Some((i, i + 3)),
        _ => None,
    });
    std::iter::from_fn(move || {
        let from = start?;
        match ends.next() {
            Some((end, next)) => {
                start = Some(next);
                Some(&text[from..end])
            }
            None => {
                start = None;
                Some(&text[from..])
            }
        }
    })
}

/// Like `paragraphs`, with the byte ranges `underline` of `text` in spans of the text style `span`
/// (`Styles::underline`).
pub fn underlined_paragraphs(text: &str, style: Option<&str>, underline: &[std::ops::Range<usize>], span: &str) -> String {
    let open = match style {
        Some(s) => format!(r#"<text:p text:style-name="{s}">"#),
        None => "<text:p>".to_string(),
    };
    let mut out = String::new();
    let mut start = 0;
    let ends = text.char_indices().filter(|(_, c)| *c == '\n' || *c == crate::doc::ITEM_LINE).map(|(i, c)| (i, i + c.len_utf8()));
    for (end, next) in ends.chain(std::iter::once((text.len(), text.len()))) {
        // The ranges as offsets into this line.
        let ranges: Vec<std::ops::Range<usize>> = underline
            .iter()
            .filter(|r| r.start < end && r.end > start)
            .map(|r| r.start.max(start) - start..r.end.min(end) - start)
            .collect();
        out.push_str(&open);
        for (piece, underlined) in crate::doc::underline_pieces(&text[start..end], &ranges) {
            if underlined {
                let _ = write!(out, r#"<text:span text:style-name="{span}">"#);
                push_line(&mut out, piece);
                out.push_str("</text:span>");
            } else {
                push_line(&mut out, piece);
            }
        }
        out.push_str("</text:p>");
        start = next;
    }
    out
}

/// Millimetres, for a length attribute.
pub fn mm(points: f32) -> String {
    format!("{:.2}mm", points / MM)
}

/// The font face declarations: the template's font for Latin and East-Asian text.
pub fn font_faces(font: &str) -> String {
    format!(
        r#"<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="{}"/></office:font-face-decls>"#,
        escape(&quote_family(font))
    )
}

/// A family name with spaces is quoted in `svg:font-family`.
fn quote_family(name: &str) -> String {
    if name.contains(' ') { format!("'{name}'") } else { name.to_string() }
}

/// The language of a document's Latin text (its East-Asian text is always Traditional Chinese).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Latin {
    /// A Chinese document (the official template): its Latin words are marked Chinese too, so that
    /// LibreOffice breaks its mixed lines as ocs measured them.
    #[default]
    Chinese,
    /// An English document (`templates/en.toml`): Latin text marked Chinese would be broken
    /// anywhere by LibreOffice (「Added work out / put」); marked English, between words.
    English,
}

impl Latin {
    /// The template's language, told by its footer as the PDF's is (`第 {page} 頁` or `Page {page}`).
    pub fn of(template: &Template) -> Latin {
        if crate::text::has_han(&template.labels.footer) { Latin::Chinese } else { Latin::English }
    }

    /// `fo:language` and `fo:country`.
    fn attributes(self) -> &'static str {
        match self {
            Latin::Chinese => r#"fo:language="zh" fo:country="TW""#,
            Latin::English => r#"fo:language="en" fo:country="US""#,
        }
    }

    /// The document's language for `dc:language`.
    fn document_language(self) -> &'static str {
        match self {
            Latin::Chinese => "zh-TW",
            Latin::English => "en",
        }
    }
}

/// Text properties naming the font for Latin and East-Asian text: East-Asian text in Traditional
/// Chinese (Taiwan), Latin text in the document's language.
pub fn text_properties(size: f32, bold: bool, latin: Latin) -> String {
    let weight = if bold { r#" fo:font-weight="bold" style:font-weight-asian="bold""# } else { "" };
    let language = latin.attributes();
    format!(
        r#"<style:text-properties style:font-name="{FONT}" style:font-name-asian="{FONT}" fo:font-size="{size}pt" style:font-size-asian="{size}pt" {language} style:language-asian="zh" style:country-asian="TW"{weight}/>"#
    )
}

/// A page layout named `name`: paper, orientation, margins, room for the header and footer.
/// `fit_width` scales a sheet to one page wide.
pub fn page_layout(name: &str, page: &PageSetup, fit_width: bool) -> String {
    let (width, height) = page.size();
    let orientation = if page.landscape { "landscape" } else { "portrait" };
    // A sheet numbers its pages on from the sheet before it, as the page count is the workbook's.
    let scale = if fit_width { r#" style:first-page-number="continue" style:scale-to-X="1""# } else { "" };
    let band = |kind: &str, margin: &str| {
        format!(r#"<style:{kind}-style><style:header-footer-properties fo:min-height="5mm" {margin}="2mm"/></style:{kind}-style>"#)
    };
    format!(
        r#"<style:page-layout style:name="{name}"><style:page-layout-properties fo:page-width="{}" fo:page-height="{}" style:print-orientation="{orientation}" fo:margin-top="{}" fo:margin-bottom="{}" fo:margin-left="{}" fo:margin-right="{}"{scale}/>{}{}</style:page-layout>"#,
        mm(width),
        mm(height),
        mm((page.top - 6.0 * MM).max(3.0 * MM)),
        mm((page.bottom - 7.0 * MM).max(3.0 * MM)),
        mm(page.left),
        mm(page.right),
        band("header", "fo:margin-bottom"),
        band("footer", "fo:margin-top"),
    )
}

/// A master page named `name` on layout `layout`, with the running head and the footer whose
/// `{page}` and `{pages}` become the page number and count fields.
pub fn master_page(name: &str, layout: &str, page: &PageSetup, paragraph_style: &str) -> String {
    let mut footer = String::new();
    let mut rest = page.footer.as_str();
    while !rest.is_empty() {
        let next = [("{page}", "<text:page-number>1</text:page-number>"), ("{pages}", "<text:page-count>1</text:page-count>")]
            .iter()
            .filter_map(|(key, xml)| rest.find(key).map(|at| (at, *key, *xml)))
            .min_by_key(|(at, _, _)| *at);
        match next {
            Some((at, key, xml)) => {
                footer.push_str(&line(&rest[..at]));
                footer.push_str(xml);
                rest = &rest[at + key.len()..];
            }
            None => {
                footer.push_str(&line(rest));
                rest = "";
            }
        }
    }
    format!(
        r#"<style:master-page style:name="{name}" style:page-layout-name="{layout}"><style:header><text:p text:style-name="{paragraph_style}">{}</text:p></style:header><style:footer><text:p text:style-name="{paragraph_style}">{footer}</text:p></style:footer></style:master-page>"#,
        line(&page.head)
    )
}

/// What tells a style from another of its kind (the kind is its name's prefix): up to four numbers,
/// a float by its bits, flags packed. Looked up for every cell, so it is compared, never formatted.
pub type Key = [u32; 4];

/// Automatic styles named as they are first needed: one per distinct key, its XML written once.
#[derive(Default)]
pub struct Styles {
    pub xml: String,
    /// Names shared (`Rc`): a cell asks for its style's name, which is not copied each time.
    names: rustc_hash::FxHashMap<(&'static str, Key), Rc<str>>,
    /// The language the styles mark Latin text with.
    pub latin: Latin,
}

impl Styles {
    /// No styles yet, marking Latin text with `latin`.
    pub fn new(latin: Latin) -> Styles {
        Styles { latin, ..Styles::default() }
    }

    /// The name of the style for `key`, defined by `definition(name)` the first time.
    pub fn name(&mut self, prefix: &'static str, key: Key, definition: impl FnOnce(&str) -> String) -> Rc<str> {
        let key = (prefix, key);
        if let Some(name) = self.names.get(&key) {
            return Rc::clone(name);
        }
        let name: Rc<str> = format!("{prefix}{}", self.names.len()).into();
        self.xml.push_str(&definition(&name));
        self.names.insert(key, Rc::clone(&name));
        name
    }

    /// The text style of an underlined span (the changed characters of a 修正對照表).
    pub fn underline(&mut self) -> Rc<str> {
        self.name("U", [0; 4], |name| {
            format!(
                r#"<style:style style:name="{name}" style:family="text"><style:text-properties style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>"#
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_escapes_by_bytes_agree_with_chars() {
        let texts = [
            "",
            "\n",
            "a\nb",
            "一\u{2028}二\n三",
            "\u{2028}",
            "…—•\u{2028}",
            "tail\n",
            "x\u{2029}y",
            "a & <b> \"c\"",
            "\u{1}\t\r\u{1f}",
            "\u{FFFE}\u{FFFF}\u{FEFF}\u{FFFD}ｘ",
            "  lead  two\t\ttabs  ",
            "中 文 空 格",
        ];
        for text in texts {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.split(['\n', crate::doc::ITEM_LINE]).collect::<Vec<_>>(), "{text:?}");
            // The escape, character by character.
            let expected: String = text
                .chars()
                .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}') && (c >= ' ' || matches!(c, '\t' | '\n' | '\r')))
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(escape(text), expected, "{text:?}");
        }
    }

    #[test]
    fn spaces_and_tabs_survive_xml() {
        assert_eq!(line("a  b"), "a<text:s/><text:s/>b");
        assert_eq!(line("a b"), "a b");
        assert_eq!(line(" a"), "<text:s/>a");
        assert_eq!(line("a\tb<"), "a<text:tab/>b&lt;");
        assert_eq!(line("a "), "a<text:s/>");
        assert_eq!(escape("x\u{1}y"), "xy");
        assert_eq!(escape("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{EFFF}\t\n"), "abc\u{FFFD}\u{EFFF}\t\n");
        assert_eq!(line("職能 基準\t（一）  & \"x\""), "職能 基準<text:tab/>（一）<text:s/><text:s/>&amp; &quot;x&quot;");
    }

    #[test]
    fn underlined_ranges_become_spans_on_their_lines() {
        // A space at the edge of a span is written as `text:s`, which XML keeps.
        let text = "P2.1.3 確認\n會場 設備";
        let at = |s: &str| text.find(s).unwrap();
        let ranges = [at("1.3")..at("1.3") + 1, at("確認")..at("會場") + "會場".len()];
        assert_eq!(
            underlined_paragraphs(text, None, &ranges, "U0"),
            r#"<text:p>P2.<text:span text:style-name="U0">1</text:span>.3<text:s/><text:span text:style-name="U0">確認</text:span></text:p><text:p><text:span text:style-name="U0">會場</text:span><text:s/>設備</text:p>"#
        );
    }
}
