//! The official table as PDF, in two layers as in typst: `layout` (pure: positioned text lines and
//! boxes in points, testable as data) fed by `form` (the 職能基準 form as tables), and `render` (draws
//! the pages with printpdf, embedding a subset of the font).

pub mod checklist;
pub mod form;
pub mod layout;
pub mod matrix;
pub mod render;

use crate::diag::Diagnostic;
use crate::model::Standard;
use crate::template::Template;
use crate::text::Font;

/// The official table of a standard as PDF bytes, with a warning for each character the font lacks.
pub fn official(standard: &Standard, template: &Template, font: &Font, epoch: i64) -> Result<(Vec<u8>, Vec<Diagnostic>), render::Error> {
    to_pdf(&form::document(standard, template, font), font, epoch)
}

/// Laid-out pages as PDF bytes, with a warning for each character the font lacks.
pub fn to_pdf(document: &layout::Document, font: &Font, epoch: i64) -> Result<(Vec<u8>, Vec<Diagnostic>), render::Error> {
    let bytes = render::render(document, font, epoch)?;
    Ok((bytes, missing_glyphs(document, font)))
}

/// A warning naming each character of the pages that the font has no glyph for.
pub fn missing_glyphs(document: &layout::Document, font: &Font) -> Vec<Diagnostic> {
    let mut missing = std::collections::BTreeSet::new();
    for page in &document.pages {
        for item in &page.items {
            if let layout::Item::Text(run) = item {
                missing.extend(font.missing(&run.text));
            }
        }
    }
    missing
        .into_iter()
        .map(|c| {
            Diagnostic::warning(
                "missing-glyph",
                None,
                format!("the font {} has no `{c}` (U+{:04X}); it prints as an empty box (use --font)", font.name, c as u32),
            )
        })
        .collect()
}
