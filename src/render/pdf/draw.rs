//! Draws laid-out pages with printpdf: each font of the chain that draws a character, subset to the
//! characters it draws (allsorts, since printpdf without its heavy `text_layout` feature silently
//! embeds the whole 7 MB font), fixed resource names and a content-derived document ID, so the
//! same pages give the same bytes.

use super::layout::{Document, Item};
use crate::text::{Face, FaceId, Font, FontFile};
use printpdf::{
    Color, FontId, Greyscale, Mm, Op, PageAnnotId, PageAnnotation, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Pt, TextItem, TextMatrix, TextRenderingMode,
};
use std::collections::{BTreeMap, BTreeSet};

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot subset the font: {0}")]
    Subset(String),
    #[error("the subset font does not parse")]
    Font,
}

const PT_PER_MM: f32 = 72.0 / 25.4;

/// FNV-1a, for stable tags and IDs derived from content.
fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A face reduced to the glyphs drawn, `.notdef` first, with a Unicode cmap.
fn subset(font: &Face, chars: &BTreeSet<char>) -> Result<(Vec<u8>, String), Error> {
    let mut glyphs: Vec<u16> = chars.iter().filter_map(|&c| font.glyph(c)).collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    let scope = allsorts::binary::read::ReadScope::new(font.data());
    let file = scope.read::<allsorts::font_data::FontData<'_>>().map_err(|e| Error::Subset(e.to_string()))?;
    let provider = file.table_provider(font.index() as usize).map_err(|e| Error::Subset(e.to_string()))?;
    let bytes = allsorts::subset::subset(&provider, &glyphs, &allsorts::subset::SubsetProfile::Pdf, allsorts::subset::CmapTarget::Unicode)
        .map_err(|e| Error::Subset(e.to_string()))?;
    // A subset is tagged with six capital letters (ISO 32000-1, 9.6.4), here derived from its glyphs.
    let mut hash = fnv(glyphs.iter().flat_map(|g| g.to_le_bytes()));
    let tag: String = (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (hash % 26) as u8);
            hash /= 26;
            letter
        })
        .collect();
    Ok((bytes, tag))
}

/// A face subset and parsed for printpdf.
fn embed(face: &Face, chars: &BTreeSet<char>) -> Result<(ParsedFont, Vec<u8>), Error> {
    let (bytes, tag) = subset(face, chars)?;
    let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or(Error::Font)?;
    parsed.font_name = Some(format!("{tag}+{}", face.name));
    Ok((parsed, bytes))
}

/// A PDF drawn from laid-out pages.
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// The font files drawn with: the chosen font first, then the fallbacks in the chain's order.
    pub fonts: Vec<FontFile>,
    /// Characters whose fallback font could not be embedded: drawn as the chosen font's empty box.
    pub undrawn: BTreeSet<char>,
}

/// The PDF bytes of laid-out pages. `epoch` (seconds) dates the document.
pub fn draw(document: &Document, font: &Font, epoch: i64) -> Result<Rendered, Error> {
    // Which face draws each character: the chosen font unless it lacks one.
    let mut chars: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    chars.insert(FaceId::PRIMARY, BTreeSet::new());
    for page in &document.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                for c in run.text.chars().filter(|c| !c.is_control()) {
                    chars.entry(face_of(font, c)).or_default().insert(c);
                }
            }
        }
    }
    let mut pdf = PdfDocument::new(&document.title);
    // The chosen font is F1, the fallbacks F2, F3… in the chain's order: fixed names, same bytes.
    let mut ids: BTreeMap<FaceId, FontId> = BTreeMap::new();
    let mut fonts = Vec::new();
    let mut undrawn = BTreeSet::new();
    let mut subsets = Vec::new();
    for (face_id, drawn) in &chars {
        let Some(face) = font.face(*face_id) else { continue };
        let (parsed, bytes) = match embed(face, drawn) {
            Ok(embedded) => embedded,
            // A system face allsorts cannot subset: its characters print as the chosen font's box.
            Err(_) if *face_id != FaceId::PRIMARY => {
                undrawn.extend(drawn.iter().copied());
                continue;
            }
            Err(e) => return Err(e),
        };
        let id = FontId(format!("F{}", ids.len() + 1));
        pdf.resources.fonts.map.insert(id.clone(), PdfFont::new(parsed));
        ids.insert(*face_id, id);
        fonts.push(face.source());
        subsets.push(bytes);
    }
    let info = &mut pdf.metadata.info;
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(epoch) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    info.creator = "ocs".into();
    info.producer = concat!("ocs ", env!("CARGO_PKG_VERSION")).into();
    let draw_with = |c: char| Some(face_of(font, c)).filter(|face| ids.contains_key(face)).unwrap_or(FaceId::PRIMARY);
    let pages = document
        .pages
        .iter()
        .map(|page| PdfPage::new(Mm(page.width / PT_PER_MM), Mm(page.height / PT_PER_MM), ops(page, &ids, &draw_with)))
        .collect();
    pdf.with_pages(pages);
    for (n, bookmark) in document.bookmarks.iter().enumerate() {
        pdf.bookmarks.map.insert(PageAnnotId(format!("B{n:05}")), PageAnnotation { name: bookmark.title.clone(), page: bookmark.page + 1 });
    }
    let options = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut doc = pdf.to_lopdf_document(&options, &mut Vec::new());
    claim_only_what_is_true(&mut doc);
    // printpdf draws the document ID at random; derive it from the content instead.
    let mut id_hash = fnv(document.title.bytes().chain(subsets.iter().flatten().copied()));
    for page in &document.pages {
        id_hash = fnv(id_hash.to_le_bytes().into_iter().chain(format!("{:?}", page.items.len()).into_bytes()));
    }
    let id = format!("{id_hash:016x}{:016x}", fnv(id_hash.to_be_bytes()));
    let id_string = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", lopdf::Object::Array(vec![id_string.clone(), id_string]));
    compress(&mut doc);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| Error::Subset(e.to_string()))?;
    Ok(Rendered { bytes, fonts, undrawn })
}

/// The face of the chain that draws a character; the chosen font (its empty box) when none does.
fn face_of(font: &Font, c: char) -> FaceId {
    font.resolve(c).map_or(FaceId::PRIMARY, |(id, _)| id)
}

/// printpdf writes an empty PDF/X version (`/GTS_PDFXVersion()`) and `/Trapped` into the document
/// information, a conformance the file does not meet: drop them. Set the document's language
/// (Traditional Chinese, Taiwan) and ask viewers to show the title rather than the file name.
fn claim_only_what_is_true(doc: &mut lopdf::Document) {
    if let Ok(info) = doc.trailer.get(b"Info").and_then(lopdf::Object::as_reference)
        && let Ok(lopdf::Object::Dictionary(dict)) = doc.get_object_mut(info)
    {
        dict.remove(b"GTS_PDFXVersion");
        dict.remove(b"Trapped");
    }
    if let Ok(root) = doc.trailer.get(b"Root").and_then(lopdf::Object::as_reference)
        && let Ok(lopdf::Object::Dictionary(catalog)) = doc.get_object_mut(root)
    {
        catalog.set("Lang", lopdf::Object::string_literal("zh-Hant-TW"));
        let mut preferences = lopdf::Dictionary::new();
        preferences.set("DisplayDocTitle", true);
        catalog.set("ViewerPreferences", preferences);
    }
}

/// Deflate every stream at a fast level: lopdf's own `compress` uses the best (slowest) level and
/// took a third of the time of a whole document, for a few percent of size.
fn compress(doc: &mut lopdf::Document) {
    thread_local! {
        // One deflate state per thread, reset between streams: setting one up costs more than
        // compressing a page.
        static DEFLATE: std::cell::RefCell<flate2::Compress> = std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), true));
    }
    DEFLATE.with_borrow_mut(|deflate| {
        for object in doc.objects.values_mut() {
            let lopdf::Object::Stream(stream) = object else { continue };
            if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
                continue;
            }
            deflate.reset();
            let mut compressed = Vec::with_capacity(stream.content.len() / 2 + 64);
            loop {
                let consumed = deflate.total_in() as usize;
                match deflate.compress_vec(&stream.content[consumed..], &mut compressed, flate2::FlushCompress::Finish) {
                    Ok(flate2::Status::StreamEnd) => break,
                    Ok(_) => compressed.reserve(compressed.capacity().max(1024)),
                    Err(_) => return,
                }
            }
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    });
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

/// The drawing operations of one page: fills, then rules, then text in reading order.
fn ops(page: &super::layout::Page, ids: &BTreeMap<FaceId, FontId>, draw_with: &dyn Fn(char) -> FaceId) -> Vec<Op> {
    let flip = |y: f32| page.height - y;
    let mut ops = Vec::new();
    for item in &page.items {
        if let Item::Box { rect, fill: Some(level), .. } = item {
            ops.push(Op::SetFillColor { col: grey(*level) });
            ops.push(Op::DrawRectangle { rectangle: pdf_rect(rect, flip, printpdf::PaintMode::Fill) });
        }
    }
    ops.push(Op::SetOutlineColor { col: grey(0.0) });
    for item in &page.items {
        if let Item::Box { rect, stroke: Some(width), .. } = item {
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawRectangle { rectangle: pdf_rect(rect, flip, printpdf::PaintMode::Stroke) });
        }
    }
    // Underlines: plain lines, after the rules.
    for item in &page.items {
        if let Item::Line { from, to, width } = item {
            let point = |(x, y): (f32, f32)| printpdf::LinePoint { p: printpdf::Point { x: Pt(x), y: Pt(flip(y)) }, bezier: false };
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawLine { line: printpdf::Line { points: vec![point(*from), point(*to)], is_closed: false } });
        }
    }
    ops.push(Op::SetFillColor { col: grey(0.0) });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.3) });
    // One text section per page; the font and the rendering mode are set only when they change.
    ops.push(Op::StartTextSection);
    let mut current: Option<(FaceId, f32)> = None;
    let mut bold = None;
    for item in &page.items {
        if let Item::Text(run) = item {
            // Each stretch of characters in its own face; the text position moves on by the
            // advances of what was shown, so a stretch starts where the one before ended.
            let mut set_font = |face: FaceId, ops: &mut Vec<Op>| {
                if current == Some((face, run.size)) {
                    return;
                }
                if let Some(id) = ids.get(&face).or_else(|| ids.get(&FaceId::PRIMARY)) {
                    ops.push(Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(run.size) });
                    current = Some((face, run.size));
                }
            };
            let stretches = stretches(&run.text, draw_with);
            if let Some((face, _)) = stretches.first() {
                set_font(*face, &mut ops);
            }
            if bold != Some(run.bold) {
                // Bold is drawn as fill and stroke: one font file, one subset per face.
                let mode = if run.bold { TextRenderingMode::FillStroke } else { TextRenderingMode::Fill };
                ops.push(Op::SetTextRenderingMode { mode });
                bold = Some(run.bold);
            }
            let matrix = if run.rotated {
                TextMatrix::TranslateRotate(Pt(run.x), Pt(flip(run.baseline)), 90.0)
            } else {
                TextMatrix::Translate(Pt(run.x), Pt(flip(run.baseline)))
            };
            ops.push(Op::SetTextMatrix { matrix });
            for (face, text) in stretches {
                set_font(face, &mut ops);
                ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
            }
        }
    }
    ops.push(Op::EndTextSection);
    ops
}

/// A text cut where the face that draws it changes.
fn stretches(text: &str, draw_with: &dyn Fn(char) -> FaceId) -> Vec<(FaceId, String)> {
    let mut stretches: Vec<(FaceId, String)> = Vec::new();
    for c in text.chars() {
        // A space too is drawn by the face that has it, the one whose subset holds it.
        let face = draw_with(c);
        match stretches.last_mut() {
            Some((last, stretch)) if *last == face => stretch.push(c),
            _ => stretches.push((face, c.to_string())),
        }
    }
    stretches
}

fn pdf_rect(rect: &super::layout::Rect, flip: impl Fn(f32) -> f32, mode: printpdf::PaintMode) -> printpdf::Rect {
    printpdf::Rect {
        x: Pt(rect.x),
        y: Pt(flip(rect.y + rect.h)),
        width: Pt(rect.w),
        height: Pt(rect.h),
        mode: Some(mode),
        winding_order: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_cut_where_its_face_changes() {
        let fallback = FaceId(2);
        let draw_with = |c: char| if "産捜".contains(c) { fallback } else { FaceId::PRIMARY };
        let cut = stretches("大綱産捜 俢", &draw_with);
        let expected = [(FaceId::PRIMARY, "大綱".to_string()), (fallback, "産捜".to_string()), (FaceId::PRIMARY, " 俢".to_string())];
        assert_eq!(cut, expected);
        assert_eq!(stretches("職能", &draw_with), [(FaceId::PRIMARY, "職能".to_string())]);
    }
}
