//! One face of a font file, parsed once, with a cache of advances: what `Font` measures with and
//! what the system font lookup hands back.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The font embedded in `ocs`: Noto Sans TC Regular (SIL OFL 1.1), so no install is needed.
pub static EMBEDDED_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansTC-Regular.ttf");

/// A font file a PDF was drawn with, for `report.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FontFile {
    /// The path; `null` for the Noto Sans TC embedded in ocs.
    pub file: Option<String>,
    /// The face within the file (a collection holds several).
    pub index: u32,
    /// The face's PostScript name.
    pub name: String,
}

/// One face of a font file, ready for measuring: its bytes, its parsed face, and a cache of advances.
pub struct Face {
    data: &'static [u8],
    index: u32,
    pub(super) face: ttf_parser::Face<'static>,
    pub(super) units_per_em: f32,
    /// PostScript name, for the PDF.
    pub name: String,
    /// The file it was read from; `None` for the embedded Noto Sans TC.
    pub file: Option<String>,
    /// Glyph and advance of each BMP character, filled as characters are met: 0 unknown, else
    /// `1 << 32 | glyph << 16 | advance` (glyph 0: none). Lock-free, shared by every thread.
    bmp: Vec<AtomicU64>,
}

/// A font that cannot be used.
#[derive(Debug)]
pub enum FontError {
    Io(String, std::io::Error),
    Parse(String, u32, String),
}

/// In the current language, from the catalogue.
impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = match self {
            FontError::Io(file, e) => crate::i18n::Message::new("font-io").arg("file", file).arg("error", e),
            FontError::Parse(file, face, detail) => {
                crate::i18n::Message::new("font-parse").arg("file", file).num("face", *face).arg("detail", detail)
            }
        };
        write!(f, "{message}")
    }
}

impl std::error::Error for FontError {}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).field("file", &self.file).field("index", &self.index).finish()
    }
}

impl Face {
    /// The embedded Noto Sans TC.
    pub fn embedded() -> Face {
        // The embedded font is checked by a test.
        Face::from_static(EMBEDDED_FONT, 0, None).expect("the embedded font parses")
    }

    /// Face `index` of a font file, read whole. Kept for the whole run: leaking gives the face a
    /// 'static life.
    pub(super) fn from_file(path: &str, index: u32) -> Result<Face, FontError> {
        let bytes = std::fs::read(Path::new(path)).map_err(|e| FontError::Io(path.to_string(), e))?;
        Face::from_bytes(bytes, index, path)
    }

    /// Face `index` of a font file already in memory (the web page's), `file` naming it. Kept for
    /// the whole run, as [`Face::from_file`].
    pub(super) fn from_bytes(bytes: Vec<u8>, index: u32, file: &str) -> Result<Face, FontError> {
        Face::from_static(Box::leak(bytes.into_boxed_slice()), index, Some(file))
    }

    pub(super) fn from_static(data: &'static [u8], index: u32, file: Option<&str>) -> Result<Face, FontError> {
        let name = file.unwrap_or("embedded");
        let face = ttf_parser::Face::parse(data, index).map_err(|e| FontError::Parse(name.to_string(), index, e.to_string()))?;
        let units_per_em = f32::from(face.units_per_em());
        let postscript = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .or_else(|| {
                // No readable PostScript name (TW-Kai has none in Unicode): the English family name.
                let family = face.names().into_iter().filter(|n| n.name_id == ttf_parser::name_id::FAMILY);
                family.filter(|n| n.language_id == 0x0409 || n.language_id == 0).find_map(|n| n.to_string()).map(|f| f.replace(' ', ""))
            })
            .unwrap_or_else(|| "Font".to_string());
        let bmp = (0..=0xFFFF).map(|_| AtomicU64::new(0)).collect();
        Ok(Face { data, index, face, units_per_em, name: postscript, file: file.map(str::to_string), bmp })
    }

    /// The font's family name, as a workbook or text document names it (`Noto Sans TC`), preferring
    /// the Traditional Chinese (Taiwan) name where the font has one (`標楷體`).
    pub fn family(&self) -> String {
        let names: Vec<ttf_parser::name::Name<'_>> =
            self.face.names().into_iter().filter(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode()).collect();
        let taiwan = names.iter().find(|n| n.language_id == 0x0404).and_then(|n| n.to_string());
        taiwan.or_else(|| names.iter().find_map(|n| n.to_string())).unwrap_or_else(|| self.name.clone())
    }

    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    /// The glyph of a character, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        let (glyph, _) = self.looked_up(c);
        (glyph != 0).then_some(glyph)
    }

    pub fn has(&self, c: char) -> bool {
        c.is_control() || self.metrics(c).1
    }

    /// (advance in font units, whether the face has a glyph), cached for the BMP.
    pub(super) fn metrics(&self, c: char) -> (u16, bool) {
        let (glyph, advance) = self.looked_up(c);
        (advance, glyph != 0)
    }

    /// (glyph, 0 for none; its advance in font units, or the missing glyph's), cached for the BMP.
    pub(super) fn looked_up(&self, c: char) -> (u16, u16) {
        let lookup = || {
            let glyph = self.face.glyph_index(c).map_or(0, |g| g.0);
            (glyph, self.face.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0))
        };
        let Some(slot) = self.bmp.get(c as usize) else { return lookup() };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let (glyph, advance) = lookup();
                slot.store(1 << 32 | u64::from(glyph) << 16 | u64::from(advance), Ordering::Relaxed);
                (glyph, advance)
            }
            packed => ((packed >> 16) as u16, packed as u16),
        }
    }

    /// Advance width of a character in em (multiply by the size in points).
    pub(super) fn advance(&self, c: char) -> f32 {
        f32::from(self.metrics(c).0) / self.units_per_em
    }

    /// Whether the face has outlines a PDF can embed (TrueType or CFF; not a bitmap-only face).
    #[cfg(feature = "cli")]
    pub(super) fn has_outlines(&self) -> bool {
        let tables = self.face.tables();
        tables.glyf.is_some() || tables.cff.is_some()
    }

    /// Where the face comes from, as `report.json` records it.
    pub fn source(&self) -> FontFile {
        FontFile { file: self.file.clone(), index: self.index, name: self.name.clone() }
    }
}
