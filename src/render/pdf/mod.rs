//! The PDF backend, in two layers as in typst: `layout` (pure: a document's blocks measured, wrapped
//! and broken into pages of positioned text and boxes, testable as data), and `draw` (draws the
//! pages with krilla as tagged PDF/A-2a and PDF/UA-1, `form` adding the fields of a fillable one,
//! `file` packing the objects into object streams).
//! What the document says comes from `doc`.

pub mod draw;
pub mod file;
pub mod form;
pub mod layout;

use crate::diag::Diagnostic;
use crate::doc::{Block, Document};
use crate::text::{Font, FontFile};
use layout::{Composer, Geometry};
use std::collections::BTreeSet;

/// Why a document gives no PDF.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Render(#[from] draw::Error),
    #[error("{title}: the PDF would need over {pages} pages, or a line taller than a page; not written")]
    TooLong { title: String, pages: usize },
}

/// A document laid out into pages.
pub fn lay_out(document: &Document, font: &Font) -> layout::Document {
    let page = &document.page;
    let (width, height) = page.size();
    let geometry = Geometry {
        width,
        height,
        top: page.top,
        bottom: page.bottom,
        left: page.left,
        right: page.right,
        padding: page.padding,
        line_height: page.line_height,
        rule: 0.5,
    };
    let mut composer = Composer::new(font, geometry, &document.title);
    composer.continued = page.continued.clone();
    for (n, block) in document.blocks.iter().enumerate() {
        composer.block = n;
        match block {
            Block::Title { text, size } => composer.centered(text, *size, true, layout::Role::Title),
            Block::Gap(points) => composer.gap(*points),
            Block::Table(table) => composer.table(table),
            Block::PageBreak => composer.new_page(),
        }
    }
    let mut pages = composer.finish(&page.head, &page.footer, page.footer_size);
    // A compatibility ideograph copied from a PDF (U+F911 for 螺) is drawn with the glyph of its
    // canonical twin when the font lacks it (NFC maps it so; the text then reads as 螺 too).
    for page in &mut pages.pages {
        for item in &mut page.items {
            if let layout::Item::Text(run) = item
                && run.text.chars().any(|c| !font.primary_has(c))
            {
                let drawn: String = run.text.chars().map(|c| font.drawable(c)).collect();
                if drawn != run.text {
                    run.actual = Some(std::mem::replace(&mut run.text, drawn));
                }
            }
        }
    }
    pages
}

/// A PDF made from a document: its bytes, a warning for each character no font has, and the font
/// files it was drawn with (the chosen font first, then the fallbacks used).
#[derive(Debug)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub missing: Vec<Diagnostic>,
    pub fonts: Vec<FontFile>,
}

/// A document as PDF.
pub fn pdf(document: &Document, font: &Font, epoch: i64) -> Result<Pdf, Error> {
    let pages = lay_out(document, font);
    if pages.overflow {
        return Err(Error::TooLong { title: document.title.clone(), pages: layout::MAX_PAGES });
    }
    let rendered = draw::draw(&pages, document, font, epoch)?;
    let missing = missing_glyphs(font, rendered.undrawn);
    Ok(Pdf { bytes: rendered.bytes, missing, fonts: rendered.fonts })
}

/// A warning naming each character that was left blank: drawing looked every character of the
/// pages up, and left out those no font on the machine has a glyph for (white space aside) and
/// those whose font could not be embedded.
fn missing_glyphs(font: &Font, undrawn: BTreeSet<char>) -> Vec<Diagnostic> {
    undrawn
        .into_iter()
        .map(|c| {
            Diagnostic::warning(
                "missing-glyph",
                None,
                crate::i18n::Message::new("missing-glyph")
                    .arg("font", font.name())
                    .arg("char", c)
                    .arg("code", format!("U+{:04X}", c as u32)),
            )
        })
        .collect()
}
