//! Draws laid-out pages with krilla as a tagged, archival PDF: PDF/A-2a together with PDF/UA-1,
//! both checked by krilla while it writes (a document that breaks a rule it can check is not
//! written). What the layout placed is drawn unchanged; what the document *is* comes from the
//! document model and the origin the layout gave each line:
//!
//! - the structure tree in reading order: the title an `H1`; a grid table a `Table` of `TR` rows,
//!   its head's cells `TH` (scope column), a label cell `TH` (scope row), a body cell `TD`, each
//!   with its row and column span; a titled section (態度, 說明與補充事項) an `H2` and its items a list
//!   (`L`/`LI`/`Lbl`/`LBody`, the second level nested in the first);
//! - what pagination adds, marked as artifacts so that it is read once: a table head repeated on
//!   later pages, （續） labels, the running head, page numbers, every rule and box;
//! - each font of the chain that draws a character, subset by krilla, with a ToUnicode map; a
//!   compatibility ideograph drawn with its canonical twin's glyph keeps its own code point as the
//!   span's actual text;
//! - an outline entry per bookmark (a duty), the title shown in the window, the language;
//! - XMP with the PDF/A and PDF/UA identification and the sRGB output intent (krilla's).
//!
//! Fields to fill in (the checklist) are written here as placeholder link annotations in their
//! place of the structure tree (`Form`) and turned into form fields by `form`, which krilla does
//! not write; `file` then writes the file again with its dictionaries in object streams.

use super::file;
use super::form::{self, Placed};
use super::layout::{self, Item, Run};
use crate::doc::{self, Block, Cell, Role};
use crate::text::{FaceId, Font, FontFile};
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::luma;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document as PdfDocument, SerializeSettings};
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet};
use std::num::{NonZeroU16, NonZeroU32};

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the fillable form could not be written: {0}")]
    Form(String),
}

/// A PDF drawn from laid-out pages.
pub struct Drawn {
    pub bytes: Vec<u8>,
    /// The font files drawn with: the chosen font first, then the fallbacks in the chain's order.
    pub fonts: Vec<FontFile>,
    /// Characters no font could draw (or whose font could not be embedded): left blank.
    pub undrawn: BTreeSet<char>,
}

/// The language of a document: its template's, told by the footer the template words
/// (`第 {page} 頁` or `Page {page}`): Traditional Chinese (Taiwan) when it has a Han character.
pub fn language(document: &doc::Document) -> &'static str {
    if crate::text::has_han(&document.page.footer) { "zh-Hant-TW" } else { "en" }
}

/// The settings every ocs PDF is written with: PDF/A-2a and PDF/UA-1 (PDF 1.7), compressed.
fn settings() -> SerializeSettings {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .unwrap_or_default();
    SerializeSettings { configuration, compress_content_streams: true, enable_tagging: true, ..SerializeSettings::default() }
}

/// A line's leaf in the structure tree: where it came from and its marked-content identifier.
type Leaves = BTreeMap<(usize, bool, usize), Vec<(usize, bool, Identifier)>>;

/// The PDF bytes of laid-out pages of `document`. `epoch` (seconds) dates the document.
pub fn draw(pages: &layout::Document, document: &doc::Document, font: &Font, epoch: i64) -> Result<Drawn, Error> {
    // Which face draws each character: the chosen font unless it lacks one.
    let mut chars: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    chars.insert(FaceId::PRIMARY, BTreeSet::new());
    let mut undrawn = BTreeSet::new();
    // Each character looked up once (a document has ~1,000 different ones among ~10,000).
    let mut seen: FxHashSet<char> = FxHashSet::default();
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                for c in run.text.chars().filter(|c| !c.is_control()) {
                    if !seen.insert(c) {
                        continue;
                    }
                    match font.resolve(c) {
                        Some((face, _)) => {
                            chars.entry(face).or_default().insert(c);
                        }
                        None if c.is_whitespace() => {}
                        None => {
                            undrawn.insert(c);
                        }
                    }
                }
            }
        }
    }
    let mut faces: BTreeMap<FaceId, krilla::text::Font> = BTreeMap::new();
    let mut fonts = Vec::new();
    for (id, drawn) in &chars {
        let Some(face) = font.face(*id) else { continue };
        match krilla::text::Font::new(krilla::Data::from(face.data()), face.index()) {
            Some(embedded) => {
                faces.insert(*id, embedded);
                fonts.push(face.source());
            }
            // A face krilla cannot read: its characters are left blank, with a warning.
            None => undrawn.extend(drawn.iter().copied()),
        }
    }
    if !faces.contains_key(&FaceId::PRIMARY) {
        return Err(Error::Pdf(format!("the font {} cannot be embedded", font.name())));
    }
    let mut pdf = PdfDocument::new_with(settings());
    let mut leaves: Leaves = BTreeMap::new();
    let mut widgets: Vec<(Placed, Identifier)> = Vec::new();
    for (n, page) in pages.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.width, page.height).ok_or_else(|| Error::Pdf("a page of no size".into()))?;
        let mut pdf_page = pdf.start_page_with(settings);
        let mut surface = pdf_page.surface();
        draw_page(&mut surface, page, font, &faces, &mut leaves);
        surface.finish();
        for item in &page.items {
            if let Item::Widget(widget) = item {
                let rect = Rect::from_xywh(widget.rect.x, widget.rect.y, widget.rect.w.max(1.0), widget.rect.h.max(1.0))
                    .ok_or_else(|| Error::Pdf("a field of no size".into()))?;
                // A placeholder `form` turns into the field; its alternate text is the field's tooltip.
                let link = LinkAnnotation::new(rect, Target::Action(LinkAction::new(format!("ocs-field:{}", widgets.len())).into()));
                let id = pdf_page.add_tagged_annotation(Annotation::new_link(link, Some(widget.field.tooltip.clone())));
                widgets.push((Placed { page: n, widget }, id));
            }
        }
        pdf_page.finish();
    }
    let lang = language(document);
    pdf.set_tag_tree(tree(document, leaves, &widgets, lang));
    let mut outline = Outline::new();
    for bookmark in &pages.bookmarks {
        outline.push_child(OutlineNode::new(bookmark.title.clone(), XyzDestination::new(bookmark.page, Point::from_xy(0.0, 0.0))));
    }
    pdf.set_outline(outline);
    pdf.set_metadata(metadata(&document.title, lang, epoch));
    let bytes = pdf.finish().map_err(|e| Error::Pdf(format!("{e:?}")))?;
    let placed: Vec<Placed> = widgets.into_iter().map(|(placed, _)| placed).collect();
    let written = file::Written::read(&bytes).map_err(Error::Pdf)?;
    let changes = if placed.is_empty() { file::Changes::new() } else { form::fields(&written, &placed).map_err(Error::Form)? };
    let bytes = file::pack(&written, &changes).map_err(Error::Pdf)?;
    Ok(Drawn { bytes, fonts, undrawn })
}

/// Title, language, dates from `epoch`, and the producer: no clock and no randomness, so the same
/// document gives the same bytes (krilla derives the document ID from the content).
fn metadata(title: &str, lang: &str, epoch: i64) -> Metadata {
    let mut metadata = Metadata::new()
        .title(title.to_string())
        .language(lang.to_string())
        .creator("ocs".to_string())
        .producer(concat!("ocs ", env!("CARGO_PKG_VERSION")).to_string());
    if let Some(date) = date(epoch) {
        metadata = metadata.creation_date(date);
    }
    metadata
}

/// A UTC date and time from seconds since 1970 (Howard Hinnant's days-to-civil).
fn date(epoch: i64) -> Option<DateTime> {
    let days = epoch.div_euclid(86_400);
    let seconds = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
    Some(
        DateTime::new(year)
            .month(month as u8)
            .day(day as u8)
            .hour((seconds / 3600) as u8)
            .minute((seconds / 60 % 60) as u8)
            .second((seconds % 60) as u8)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

fn grey(level: f32) -> luma::Color {
    luma::Color::new((level.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// The path of the page's rules of a width, begun when the first of them is met.
fn rule_path(rules: &mut Vec<(f32, PathBuilder)>, width: f32) -> &mut PathBuilder {
    let at = rules.iter().position(|(w, _)| *w == width).unwrap_or_else(|| {
        rules.push((width, PathBuilder::new()));
        rules.len() - 1
    });
    &mut rules[at].1
}

/// One page: fills, then rules, boxes and lines (artifacts), then the text in reading order, each
/// line a span of the structure tree or, when pagination added it, an artifact.
fn draw_page(
    surface: &mut Surface<'_>,
    page: &layout::Page,
    font: &Font,
    faces: &BTreeMap<FaceId, krilla::text::Font>,
    leaves: &mut Leaves,
) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
    surface.set_stroke(None);
    // Shaded boxes in their order, those of one shade in a row as one path; then every rule of a
    // width as one path (all black: their order does not show). One path for many keeps the page's
    // content short, where a path each repeated its graphics state.
    let mut shade: Option<(f32, PathBuilder)> = None;
    let fill = |surface: &mut Surface<'_>, shade: Option<(f32, PathBuilder)>| {
        if let Some((level, path)) = shade
            && let Some(path) = path.finish()
        {
            surface.set_fill(Some(Fill { paint: grey(level).into(), ..Fill::default() }));
            surface.draw_path(&path);
        }
    };
    for item in &page.items {
        if let Item::Box { rect, fill: Some(level), .. } = item
            && let Some(rect) = Rect::from_xywh(rect.x, rect.y, rect.w, rect.h)
        {
            if shade.as_ref().is_some_and(|(l, _)| l != level) {
                fill(surface, shade.take());
            }
            shade.get_or_insert_with(|| (*level, PathBuilder::new())).1.push_rect(rect);
        }
    }
    fill(surface, shade);
    surface.set_fill(None);
    let mut rules: Vec<(f32, PathBuilder)> = Vec::new();
    for item in &page.items {
        match item {
            Item::Box { rect, stroke: Some(width), .. } => {
                let builder = rule_path(&mut rules, *width);
                if let Some(rect) = Rect::from_xywh(rect.x, rect.y, rect.w, rect.h) {
                    builder.push_rect(rect);
                }
            }
            Item::Line { from, to, width } => {
                let builder = rule_path(&mut rules, *width);
                builder.move_to(from.0, from.1);
                builder.line_to(to.0, to.1);
            }
            _ => {}
        }
    }
    for (width, builder) in rules {
        if let Some(path) = builder.finish() {
            surface.set_stroke(Some(Stroke { paint: grey(0.0).into(), width, ..Stroke::default() }));
            surface.draw_path(&path);
        }
    }
    surface.end_tagged();
    surface.set_fill(Some(Fill::default()));
    // An empty cell draws nothing: it is still a TD of its table, made from the document (`tree`).
    for item in &page.items {
        if let Item::Text(run) = item {
            draw_run(surface, run, font, faces, leaves);
        }
    }
}

fn artifact_kind(role: Role) -> ArtifactType {
    match role {
        Role::Footer => ArtifactType::PageNumber,
        _ => ArtifactType::PaginationOther,
    }
}

fn draw_run(surface: &mut Surface<'_>, run: &Run, font: &Font, faces: &BTreeMap<FaceId, krilla::text::Font>, leaves: &mut Leaves) {
    let tag = match &run.origin {
        Some(origin) => ContentTag::Span(
            SpanTag::empty().with_actual_text(run.actual.as_deref()).with_alt_text(origin.alt.as_deref().filter(|_| !origin.label)),
        ),
        None => ContentTag::Artifact(Artifact::with_kind(artifact_kind(run.role))),
    };
    let id = surface.start_tagged(tag);
    surface.set_stroke(run.bold.then(|| Stroke { paint: grey(0.0).into(), width: 0.3, ..Stroke::default() }));
    if run.rotated {
        // Turned 90° counter-clockwise about the start of the baseline (y grows downwards here).
        surface.push_transform(&Transform::from_rotate_at(-90.0, run.x, run.baseline));
    }
    // Each stretch of characters in the face that draws it, the pen moving on by their advances.
    let mut x = run.x;
    let mut stretch: Vec<KrillaGlyph> = Vec::with_capacity(run.text.len());
    let mut stretch_face = FaceId::PRIMARY;
    let mut stretch_x = x;
    let flush = |surface: &mut Surface<'_>, glyphs: &mut Vec<KrillaGlyph>, face: FaceId, at: f32| {
        if let (false, Some(embedded)) = (glyphs.is_empty(), faces.get(&face)) {
            surface.draw_glyphs(Point::from_xy(at, run.baseline), glyphs, embedded.clone(), &run.text, run.size, false);
        }
        glyphs.clear();
    };
    // A byte-order mark or a noncharacter in the text (U+FEFF, U+FFFE) draws nothing and has no
    // place in a ToUnicode map (PDF/UA forbids it): the pen moves on as for a missing glyph.
    let unmappable = |c: char| matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}');
    for (at, c) in run.text.char_indices().filter(|(_, c)| !c.is_control()) {
        // Most characters are the chosen font's: its glyph and advance in one lookup.
        let (advance, drawn) = match font.primary_glyph(c) {
            Some((glyph, advance)) => (advance, Some((FaceId::PRIMARY, glyph))),
            None => (
                font.width(c.encode_utf8(&mut [0; 4]), 1.0),
                font.resolve(c).and_then(|(face, d)| Some((face, font.face(face)?.glyph(d)?))),
            ),
        };
        // The chosen font is always embedded (`draw` stops otherwise).
        let drawn = drawn.filter(|(face, _)| (*face == FaceId::PRIMARY || faces.contains_key(face)) && !unmappable(c));
        match drawn {
            Some((face, glyph)) => {
                if face != stretch_face || stretch.is_empty() {
                    flush(surface, &mut stretch, stretch_face, stretch_x);
                    stretch_face = face;
                    stretch_x = x;
                }
                stretch.push(KrillaGlyph::new(GlyphId::new(u32::from(glyph)), advance, 0.0, 0.0, 0.0, at..at + c.len_utf8(), None));
            }
            // No glyph (a space no face has, a character no font has): the pen moves on.
            None => {
                flush(surface, &mut stretch, stretch_face, stretch_x);
                stretch_x = x + advance * run.size;
            }
        }
        x += advance * run.size;
    }
    flush(surface, &mut stretch, stretch_face, stretch_x);
    if run.rotated {
        surface.pop();
    }
    surface.set_stroke(None);
    surface.end_tagged();
    if let Some(origin) = &run.origin {
        leaves.entry((origin.block, origin.header, origin.cell)).or_default().push((origin.item, origin.label, id));
    }
}

/// The structure tree of the document in reading order.
fn tree(document: &doc::Document, mut leaves: Leaves, widgets: &[(Placed, Identifier)], lang: &str) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
    let mut fields: BTreeMap<(usize, usize), Vec<Identifier>> = BTreeMap::new();
    for (placed, id) in widgets.iter() {
        let origin = &placed.widget.origin;
        fields.entry((origin.block, origin.cell)).or_default().push(*id);
    }
    let mut take = |key: (usize, bool, usize)| leaves.remove(&key).unwrap_or_default();
    for (b, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Title { text, .. } => {
                let lines = take((b, false, 0));
                if !lines.is_empty() {
                    let level = NonZeroU16::MIN;
                    let heading = TagGroup::with_children(Tag::Hn(level, Some(text.clone())), nodes(lines));
                    tree.push(heading);
                }
            }
            Block::Table(table) if table.section => {
                let title: String = table.header.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
                let mut heading = Vec::new();
                for h in 0..table.header.len() {
                    heading.extend(nodes(take((b, true, h))));
                }
                if !heading.is_empty() {
                    let level = NonZeroU16::new(2).unwrap_or(NonZeroU16::MIN);
                    tree.push(TagGroup::with_children(Tag::Hn(level, Some(title)), heading));
                }
                for (c, cell) in table.cells.iter().enumerate() {
                    let lines = take((b, false, c));
                    if let Some(group) = section_cell(cell, lines) {
                        tree.push(group);
                    }
                }
            }
            Block::Table(table) => {
                let mut group = TagGroup::new(Tag::Table);
                let mut head = TagGroup::new(Tag::THead);
                for row in 0..table.header_rows() {
                    let mut tr = TagGroup::new(Tag::TR);
                    for (c, cell) in table.header.iter().enumerate().filter(|(_, cell)| cell.rows.0 == row) {
                        let tag = Tag::TH(TableHeaderScope::Column).with_row_span(span(cell.rows)).with_col_span(span(cell.cols));
                        tr.push(TagGroup::with_children(tag, nodes(take((b, true, c)))));
                    }
                    head.push(tr);
                }
                if table.header_rows() > 0 {
                    group.push(head);
                }
                let mut by_row: BTreeMap<usize, Vec<(usize, &Cell)>> = BTreeMap::new();
                for (c, cell) in table.cells.iter().enumerate() {
                    by_row.entry(cell.rows.0).or_default().push((c, cell));
                }
                // Each row's and the body's children collected at once (a tag is large: growing a
                // group by pushes copied them).
                let rows: Vec<Node> = (0..table.rows)
                    .map(|row| {
                        let mut cells = by_row.remove(&row).unwrap_or_default();
                        cells.sort_by_key(|(_, cell)| cell.cols.0);
                        let tr: Vec<Node> = cells
                            .into_iter()
                            .map(|(c, cell)| {
                                let mut children = nodes(take((b, false, c)));
                                for id in fields.remove(&(b, c)).unwrap_or_default() {
                                    children.push(Node::Group(TagGroup::with_children(Tag::Form, vec![Node::Leaf(id)])));
                                }
                                let group = if cell.role == Role::Label {
                                    TagGroup::with_children(
                                        Tag::TH(TableHeaderScope::Row).with_row_span(span(cell.rows)).with_col_span(span(cell.cols)),
                                        children,
                                    )
                                } else {
                                    TagGroup::with_children(Tag::TD.with_row_span(span(cell.rows)).with_col_span(span(cell.cols)), children)
                                };
                                Node::Group(group)
                            })
                            .collect();
                        Node::Group(TagGroup::with_children(Tag::TR, tr))
                    })
                    .collect();
                group.push(TagGroup::with_children(Tag::TBody, rows));
                tree.push(group);
            }
            Block::Gap(_) | Block::PageBreak => {}
        }
    }
    // Whatever the blocks did not claim (none in a document built by `doc`) is read at the end: a
    // leaf without a place in the tree would make the PDF invalid.
    let rest: Vec<(usize, bool, Identifier)> = leaves.into_values().flatten().collect();
    if !rest.is_empty() {
        tree.push(TagGroup::with_children(Tag::P, nodes(rest)));
    }
    for id in fields.into_values().flatten() {
        tree.push(TagGroup::with_children(Tag::Form, vec![Node::Leaf(id)]));
    }
    tree
}

/// A span of rows or columns, when over one.
fn span((first, last): (usize, usize)) -> Option<NonZeroU32> {
    u32::try_from(last.saturating_sub(first) + 1).ok().and_then(NonZeroU32::new).filter(|n| n.get() > 1)
}

fn nodes(lines: Vec<(usize, bool, Identifier)>) -> Vec<Node> {
    lines.into_iter().map(|(_, _, id)| Node::Leaf(id)).collect()
}

/// A cell of a titled section: a list when it holds items (a list with marks, or several lines
/// each an item), else a paragraph.
fn section_cell(cell: &Cell, lines: Vec<(usize, bool, Identifier)>) -> Option<TagGroup> {
    if lines.is_empty() {
        return None;
    }
    let items = cell.text.split('\n').count();
    if cell.hang.is_empty() && items < 2 {
        return Some(TagGroup::with_children(Tag::P, nodes(lines)));
    }
    // Group the lines by item, each item's mark apart from its text.
    let mut by_item: BTreeMap<usize, (Vec<Node>, Vec<Node>)> = BTreeMap::new();
    for (item, label, id) in lines {
        let entry = by_item.entry(item).or_default();
        if label { entry.0.push(Node::Leaf(id)) } else { entry.1.push(Node::Leaf(id)) }
    }
    let numbering = |level: u8, mark: &str| match (level, mark) {
        (_, "") if cell.hang.is_empty() => ListNumbering::None,
        (_, "") => ListNumbering::Decimal,
        (1, _) => ListNumbering::Disc,
        _ => ListNumbering::Circle,
    };
    let first = cell.hang.first().map_or(ListNumbering::None, |h| numbering(1, &h.mark));
    let mut list = TagGroup::new(Tag::L(first));
    // A first-level item waits for the second-level items after it: they are a list in its body.
    let mut pending: Option<(Vec<Node>, Vec<Node>, Option<TagGroup>)> = None;
    let item_of = |label: Vec<Node>, mut text: Vec<Node>, nested: Option<TagGroup>| {
        let mut li = TagGroup::new(Tag::LI);
        if !label.is_empty() {
            li.push(TagGroup::with_children(Tag::Lbl, label));
        }
        if let Some(nested) = nested {
            text.push(Node::Group(nested));
        }
        li.push(TagGroup::with_children(Tag::LBody, text));
        li
    };
    for (item, (label, text)) in by_item {
        let level = cell.hang.get(item).map_or(1, |h| h.level);
        let mark = cell.hang.get(item).map_or("", |h| h.mark.as_str());
        if level >= 2 {
            match &mut pending {
                Some((_, _, nested)) => {
                    nested.get_or_insert_with(|| TagGroup::new(Tag::L(numbering(2, mark)))).push(item_of(label, text, None))
                }
                None => list.push(item_of(label, text, None)),
            }
            continue;
        }
        if let Some((label, text, nested)) = pending.take() {
            list.push(item_of(label, text, nested));
        }
        pending = Some((label, text, None));
    }
    if let Some((label, text, nested)) = pending.take() {
        list.push(item_of(label, text, nested));
    }
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_seconds_since_1970() {
        let fmt = |d: DateTime| format!("{d:?}");
        assert_eq!(
            fmt(date(0).unwrap()),
            fmt(DateTime::new(1970).month(1).day(1).hour(0).minute(0).second(0).utc_offset_hour(0).utc_offset_minute(0))
        );
        // 2026-12-03 03:50:02 UTC; 2024-02-29 (a leap day).
        let expected = DateTime::new(2026).month(12).day(3).hour(3).minute(50).second(2).utc_offset_hour(0).utc_offset_minute(0);
        assert_eq!(fmt(date(1_796_269_802).unwrap()), fmt(expected));
        let leap = DateTime::new(2024).month(2).day(29).hour(12).minute(0).second(0).utc_offset_hour(0).utc_offset_minute(0);
        assert_eq!(fmt(date(1_709_208_000).unwrap()), fmt(leap));
        assert!(date(-100_000_000_000).is_none(), "before year 0: no date rather than a wrong one");
    }

    #[test]
    fn the_language_is_the_templates() {
        let official = doc::Document {
            page: doc::PageSetup { footer: "第 {page} 頁，總共 {pages} 頁".into(), ..Default::default() },
            ..Default::default()
        };
        assert_eq!(language(&official), "zh-Hant-TW");
        let english =
            doc::Document { page: doc::PageSetup { footer: "Page {page} of {pages}".into(), ..Default::default() }, ..Default::default() };
        assert_eq!(language(&english), "en");
    }
}
