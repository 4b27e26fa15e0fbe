//! Fields to fill in, added to a PDF krilla wrote (krilla writes no forms): each placeholder link
//! annotation `draw` left where a field goes — already in its place in the structure tree, as a
//! `Form` element, with its tooltip as alternate text — becomes the widget of an AcroForm field.
//!
//! Fields are named by their full name (`P1.1.1.達成`: the parents `P1`, `1`, `1`, the field
//! `達成`), so a script reads a filled form back by code. Check boxes of one name are one field
//! whose widgets have different on-states, so at most one of them is ticked (達成 or 未達成); a
//! radio field (通過 / 再評量) likewise. Every widget has its appearances: an empty one (the page
//! already shows the box or the blank, so an unfilled form prints as the paper one) and, for a box,
//! a tick drawn as lines (no font). PDF/A-2 forbids `NeedAppearances`; a filler that writes values
//! writes their appearances, as pypdf, Acrobat and pdf.js do.

use super::layout::Widget;
use crate::doc::FieldKind;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use std::collections::BTreeMap;

/// A field's place: the page (0-based) and the widget the layout placed there.
pub struct Placed {
    pub page: usize,
    pub widget: Widget,
}

/// A text string (PDF 7.9.2.2) in UTF-16BE with its byte-order mark.
fn text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

/// An appearance: a form XObject of the widget's size drawing `content`.
fn appearance(doc: &mut lopdf::Document, w: f32, h: f32, content: &str) -> ObjectId {
    let mut dict = Dictionary::new();
    dict.set("Type", name("XObject"));
    dict.set("Subtype", name("Form"));
    dict.set("BBox", Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]));
    dict.set("Resources", Dictionary::new());
    doc.add_object(Stream::new(dict, content.as_bytes().to_vec()))
}

/// A tick in a box of the given size, drawn with two strokes.
fn tick(w: f32, h: f32) -> String {
    format!("q 0 G 1.2 w 1 J 1 j {:.2} {:.2} m {:.2} {:.2} l {:.2} {:.2} l S Q", 0.2 * w, 0.5 * h, 0.42 * w, 0.22 * h, 0.82 * w, 0.85 * h)
}

/// The PDF with its placeholders turned into fields. `lang` is the document's language.
pub fn fields(bytes: &[u8], placed: &[Placed], _lang: &str) -> Result<Vec<u8>, String> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    // The placeholders, found by their target `ocs-field:N`.
    let mut annots: BTreeMap<usize, (ObjectId, ObjectId)> = BTreeMap::new();
    for (_, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        let list = match page.get(b"Annots") {
            Ok(Object::Array(list)) => list.clone(),
            Ok(Object::Reference(r)) => doc.get_object(*r).and_then(Object::as_array).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        for annot in list {
            let Ok(id) = annot.as_reference() else { continue };
            let Ok(dict) = doc.get_dictionary(id) else { continue };
            let uri = dict.get(b"A").and_then(|a| match a {
                Object::Reference(r) => doc.get_dictionary(*r).and_then(|d| d.get(b"URI")).cloned(),
                Object::Dictionary(d) => d.get(b"URI").cloned(),
                _ => Err(lopdf::Error::DictKey("URI".into())),
            });
            if let Ok(Object::String(uri, _)) = uri
                && let Some(n) = std::str::from_utf8(&uri).ok().and_then(|u| u.strip_prefix("ocs-field:")).and_then(|n| n.parse().ok())
            {
                annots.insert(n, (id, page_id));
            }
        }
    }
    // Filled values are shown in Helvetica (a viewer's own font for what it cannot encode): the
    // document's fonts are subsets without the characters a trainer may type.
    let da = "/Helv 9 Tf 0 g".to_string();
    // Fields by full name: a terminal field per name, its widgets as kids.
    let mut terminal: BTreeMap<String, ObjectId> = BTreeMap::new();
    let mut nonterminal: BTreeMap<String, ObjectId> = BTreeMap::new();
    let mut top: Vec<ObjectId> = Vec::new();
    // A box's appearances are shared by the boxes they fit (a filler only switches between them):
    // one empty one (it draws nothing, whatever the size) and one tick per box size.
    let empty = appearance(&mut doc, 1.0, 1.0, "");
    let mut ticks: BTreeMap<(u32, u32), ObjectId> = BTreeMap::new();
    for (n, place) in placed.iter().enumerate() {
        let Some(&(annot_id, page_id)) = annots.get(&n) else {
            return Err(format!("the place of field {} was lost", place.widget.field.name));
        };
        let field = &place.widget.field;
        let (w, h) = (place.widget.rect.w.max(1.0), place.widget.rect.h.max(1.0));
        let field_id = match terminal.get(&field.name) {
            Some(id) => *id,
            None => {
                let mut dict = Dictionary::new();
                let (parent, partial) = match field.name.rsplit_once('.') {
                    Some((parent, partial)) => (Some(parent_of(&mut doc, &mut nonterminal, &mut top, parent)), partial),
                    None => (None, field.name.as_str()),
                };
                dict.set("T", text(partial));
                dict.set("TU", text(&field.tooltip));
                dict.set("Kids", Object::Array(Vec::new()));
                match &field.kind {
                    FieldKind::Text { multiline } => {
                        dict.set("FT", name("Tx"));
                        dict.set("DA", Object::string_literal(da.clone()));
                        if *multiline {
                            dict.set("Ff", 4096);
                        }
                    }
                    FieldKind::Choice(options) => {
                        dict.set("FT", name("Ch"));
                        dict.set("Ff", 1 << 17);
                        dict.set("DA", Object::string_literal(da.clone()));
                        dict.set("Opt", Object::Array(options.iter().map(|o| text(o)).collect()));
                    }
                    FieldKind::Boxes { radio, .. } => {
                        dict.set("FT", name("Btn"));
                        // A radio pair, or check boxes that behave as one (different on-states).
                        dict.set("Ff", if *radio { (1 << 15) | (1 << 25) } else { 0 });
                        dict.set("V", name("Off"));
                    }
                }
                let id = doc.add_object(dict);
                match parent {
                    Some(parent) => {
                        add_kid(&mut doc, parent, id);
                        if let Ok(d) = doc.get_dictionary_mut(id) {
                            d.set("Parent", parent);
                        }
                    }
                    None => top.push(id),
                }
                terminal.insert(field.name.clone(), id);
                id
            }
        };
        add_kid(&mut doc, field_id, annot_id);
        let mut ap = Dictionary::new();
        match (&field.kind, &place.widget.state) {
            (FieldKind::Boxes { .. }, Some(state)) => {
                let key = ((w * 100.0).round() as u32, (h * 100.0).round() as u32);
                let on = *ticks.entry(key).or_insert_with(|| appearance(&mut doc, w, h, &tick(w, h)));
                let mut states = Dictionary::new();
                states.set(state.as_bytes().to_vec(), on);
                states.set("Off", empty);
                ap.set("N", states);
            }
            // A text or a choice gets its own: a filler writes the value's appearance into it.
            _ => ap.set("N", appearance(&mut doc, w, h, "")),
        }
        let dict = doc.get_dictionary_mut(annot_id).map_err(|e| e.to_string())?;
        dict.remove(b"A");
        dict.remove(b"Border");
        dict.remove(b"BS");
        dict.remove(b"H");
        dict.remove(b"QuadPoints");
        dict.set("Subtype", name("Widget"));
        dict.set("F", 4);
        dict.set("P", page_id);
        dict.set("Parent", field_id);
        dict.set("AP", ap);
        dict.set("MK", Dictionary::new());
        if let (FieldKind::Boxes { .. }, Some(_)) = (&field.kind, &place.widget.state) {
            dict.set("AS", name("Off"));
        }
    }
    let mut acroform = Dictionary::new();
    acroform.set("Fields", Object::Array(top.into_iter().map(Object::Reference).collect()));
    acroform.set("DA", Object::string_literal(da));
    let mut helvetica = Dictionary::new();
    helvetica.set("Type", name("Font"));
    helvetica.set("Subtype", name("Type1"));
    helvetica.set("BaseFont", name("Helvetica"));
    helvetica.set("Encoding", name("WinAnsiEncoding"));
    let mut fonts = Dictionary::new();
    fonts.set("Helv", doc.add_object(helvetica));
    let mut dr = Dictionary::new();
    dr.set("Font", fonts);
    acroform.set("DR", dr);
    let acroform = doc.add_object(acroform);
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| e.to_string())?;
    doc.get_dictionary_mut(root).map_err(|e| e.to_string())?.set("AcroForm", acroform);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The field `full` (`P1.1.1`) as a parent of others, made with its own parents when first met.
fn parent_of(doc: &mut lopdf::Document, made: &mut BTreeMap<String, ObjectId>, top: &mut Vec<ObjectId>, full: &str) -> ObjectId {
    if let Some(id) = made.get(full) {
        return *id;
    }
    let (parent, partial) = match full.rsplit_once('.') {
        Some((parent, partial)) => (Some(parent_of(doc, made, top, parent)), partial),
        None => (None, full),
    };
    let mut dict = Dictionary::new();
    dict.set("T", text(partial));
    dict.set("Kids", Object::Array(Vec::new()));
    if let Some(parent) = parent {
        dict.set("Parent", parent);
    }
    let id = doc.add_object(dict);
    match parent {
        Some(parent) => add_kid(doc, parent, id),
        None => top.push(id),
    }
    made.insert(full.to_string(), id);
    id
}

fn add_kid(doc: &mut lopdf::Document, parent: ObjectId, kid: ObjectId) {
    if let Ok(dict) = doc.get_dictionary_mut(parent) {
        match dict.get_mut(b"Kids") {
            Ok(Object::Array(kids)) => kids.push(Object::Reference(kid)),
            _ => dict.set("Kids", Object::Array(vec![Object::Reference(kid)])),
        }
    }
}
