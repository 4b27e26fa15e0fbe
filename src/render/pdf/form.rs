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
//!
//! The fields are objects that `file::pack` writes in the file in place of krilla's: each
//! placeholder redefined under its own number as a widget (so the page's `Annots` and the structure
//! tree's reference to it stay right), the fields, appearances and the `AcroForm` as new objects,
//! the catalog redefined with the `AcroForm`. Only the objects this needs are read: the
//! placeholders and the catalog, found through krilla's cross-reference table (parsing the whole
//! file with a PDF library took half the time of a checklist).

use super::file::{Changes, Written, decimal, number_at};
use super::layout::Widget;
use crate::doc::FieldKind;
use memchr::memmem::Finder;
use pdf_writer::{Chunk, Name, Rect, Ref, Str, TextStr};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// A field's place: the page (0-based) and the widget the layout placed there.
pub struct Placed<'a> {
    pub page: usize,
    pub widget: &'a Widget,
}

/// A placeholder: its object and what its widget keeps (the place, the structure tree's key).
struct Placeholder {
    id: i32,
    rect: Rect,
    struct_parent: Option<i32>,
}

/// The placeholders of fields `0..count`, by field number, found by their link target
/// `ocs-field:N`.
fn placeholders(written: &Written<'_>, count: usize) -> Result<Vec<Option<Placeholder>>, String> {
    let mut found: Vec<Option<Placeholder>> = (0..count).map(|_| None).collect();
    // Each searched for in every placeholder: made once (making a searcher cost more than using
    // it on an object of a few hundred bytes).
    let [field_key, link_key, rect_key, parent_key] = [b"(ocs-field:".as_slice(), b"/Link", b"/Rect", b"/StructParent"].map(Finder::new);
    let mut from = 0;
    while let Some(at) = written.bytes.get(from..).and_then(|rest| field_key.find(rest)).map(|at| at + from) {
        from = at + 1;
        let digits = &written.bytes[at + 11..];
        let n = decimal(&digits[..digits.iter().take_while(|b| b.is_ascii_digit()).count()]);
        let (Some(n), Some(id)) = (n, written.object_at(at)) else { continue };
        let text = written.object(id)?;
        let bytes = text.as_bytes();
        if link_key.find(bytes).is_none() || n >= count {
            continue;
        }
        let struct_parent = parent_key.find(bytes).and_then(|at| number_at(&bytes[at + b"/StructParent".len()..]));
        let rect = rect_key
            .find(bytes)
            .and_then(|at| {
                let rest = &bytes[at + 5..];
                let (open, close) = (rest.iter().position(|&b| b == b'[')?, rest.iter().position(|&b| b == b']')?);
                let values = std::str::from_utf8(rest.get(open + 1..close)?).ok()?;
                let mut values = values.split_ascii_whitespace().filter_map(|v| v.parse::<f32>().ok());
                let rect = Rect::new(values.next()?, values.next()?, values.next()?, values.next()?);
                values.next().is_none().then_some(rect)
            })
            .ok_or_else(|| format!("the place of field {n} has no rectangle"))?;
        found[n] = Some(Placeholder { id, rect, struct_parent });
    }
    Ok(found)
}

/// A tick in a box of the given size, drawn with two strokes.
fn tick(w: f32, h: f32) -> String {
    format!("q 0 G 1.2 w 1 J 1 j {:.2} {:.2} m {:.2} {:.2} l {:.2} {:.2} l S Q", 0.2 * w, 0.5 * h, 0.42 * w, 0.22 * h, 0.82 * w, 0.85 * h)
}

/// A field of the tree: a parent (`P1`, `1`) or a terminal field with its widgets.
struct Node<'p> {
    partial: &'p str,
    parent: Option<usize>,
    kids: Vec<Ref>,
    terminal: Option<&'p Placed<'p>>,
}

/// The objects of the form, written one after another in one chunk, each with its number.
struct Update {
    chunk: Chunk,
    ranges: Vec<(i32, std::ops::Range<usize>)>,
}

impl Update {
    fn add(&mut self, id: Ref, write: impl FnOnce(&mut Chunk)) {
        let start = self.chunk.len();
        write(&mut self.chunk);
        self.ranges.push((id.get(), start..self.chunk.len()));
    }
}

/// The objects that turn the placeholders of krilla's PDF into fields, for `file::pack`.
pub fn fields<'p>(written: &Written<'_>, placed: &'p [Placed<'p>]) -> Result<Changes, String> {
    let places = placeholders(written, placed.len())?;
    let mut next = written.size;
    let mut fresh = || {
        next += 1;
        Ref::new(next - 1)
    };
    // The tree of fields by full name (`P1.1.1.達成`: parents `P1`, `1`, `1`): nodes in order of
    // first meeting, each with the widgets (or the fields) under it.
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut refs: Vec<Ref> = Vec::new();
    let mut by_name: FxHashMap<&'p str, usize> = FxHashMap::default();
    let mut widget_of: Vec<(usize, &Placeholder)> = Vec::new();
    for (n, place) in placed.iter().enumerate() {
        let Some(placeholder) = &places[n] else {
            return Err(format!("the place of field {} was lost", place.widget.field.name));
        };
        let name = place.widget.field.name.as_str();
        // Every prefix of the name at a dot is a node, made when first met.
        let mut parent: Option<usize> = None;
        let mut start = 0;
        let mut parts = name.split('.').peekable();
        while let Some(part) = parts.next() {
            let full = &name[..start + part.len()];
            start += part.len() + 1;
            let last = parts.peek().is_none();
            let index = match by_name.get(full) {
                Some(&index) => index,
                None => {
                    let index = nodes.len();
                    nodes.push(Node { partial: part, parent, kids: Vec::new(), terminal: last.then_some(place) });
                    refs.push(fresh());
                    if let Some(p) = parent {
                        let kid = refs[index];
                        nodes[p].kids.push(kid);
                    }
                    by_name.insert(full, index);
                    index
                }
            };
            parent = Some(index);
        }
        let field = parent.unwrap_or_default();
        nodes[field].kids.push(Ref::new(placeholder.id));
        widget_of.push((field, placeholder));
    }
    // Filled values are shown in Helvetica (a viewer's own font for what it cannot encode): the
    // document's fonts are subsets without the characters a trainer may type.
    let da = b"/Helv 9 Tf 0 g";
    let mut update = Update { chunk: Chunk::with_settings(pdf_writer::Settings { pretty: false }), ranges: Vec::new() };
    // A box's appearances are shared by the boxes they fit (a filler only switches between them):
    // one empty one (it draws nothing, whatever the size) and one tick per box size.
    let empty = fresh();
    update.add(empty, |c| {
        c.form_xobject(empty, b"").bbox(Rect::new(0.0, 0.0, 1.0, 1.0)).resources();
    });
    let mut ticks: BTreeMap<(u32, u32), Ref> = BTreeMap::new();
    for (n, (field, placeholder)) in widget_of.iter().enumerate() {
        let place = &placed[n];
        let (w, h) = (place.widget.rect.w.max(1.0), place.widget.rect.h.max(1.0));
        let boxed = matches!(place.widget.field.kind, FieldKind::Boxes { .. }) && place.widget.state.is_some();
        let own = if boxed {
            let key = ((w * 100.0).round() as u32, (h * 100.0).round() as u32);
            match ticks.get(&key) {
                Some(&on) => on,
                None => {
                    let on = fresh();
                    let content = tick(w, h);
                    update.add(on, |c| {
                        c.form_xobject(on, content.as_bytes()).bbox(Rect::new(0.0, 0.0, w, h)).resources();
                    });
                    ticks.insert(key, on);
                    on
                }
            }
        } else {
            // A text or a choice gets its own: a filler writes the value's appearance into it.
            let own = fresh();
            update.add(own, |c| {
                c.form_xobject(own, b"").bbox(Rect::new(0.0, 0.0, w, h)).resources();
            });
            own
        };
        let id = Ref::new(placeholder.id);
        let parent = refs[*field];
        update.add(id, |c| {
            let mut d = c.indirect(id).dict();
            d.pair(Name(b"Type"), Name(b"Annot"));
            d.pair(Name(b"Subtype"), Name(b"Widget"));
            d.pair(Name(b"Rect"), placeholder.rect);
            d.pair(Name(b"F"), 4);
            if let Some(key) = placeholder.struct_parent {
                d.pair(Name(b"StructParent"), key);
            }
            d.pair(Name(b"Contents"), TextStr(&place.widget.field.tooltip));
            d.pair(Name(b"Parent"), parent);
            {
                let mut ap = d.insert(Name(b"AP")).dict();
                match &place.widget.state {
                    Some(state) if boxed => {
                        let mut states = ap.insert(Name(b"N")).dict();
                        states.pair(Name(state.as_bytes()), own);
                        states.pair(Name(b"Off"), empty);
                    }
                    _ => {
                        ap.pair(Name(b"N"), own);
                    }
                }
            }
            d.insert(Name(b"MK")).dict();
            if boxed {
                d.pair(Name(b"AS"), Name(b"Off"));
            }
        });
    }
    for (index, node) in nodes.iter().enumerate() {
        let id = refs[index];
        update.add(id, |c| {
            let mut d = c.indirect(id).dict();
            d.pair(Name(b"T"), TextStr(node.partial));
            if let Some(parent) = node.parent {
                d.pair(Name(b"Parent"), refs[parent]);
            }
            d.insert(Name(b"Kids")).array().items(node.kids.iter().copied());
            let Some(place) = node.terminal else { return };
            let field = &place.widget.field;
            d.pair(Name(b"TU"), TextStr(&field.tooltip));
            match &field.kind {
                FieldKind::Text { multiline } => {
                    d.pair(Name(b"FT"), Name(b"Tx"));
                    d.pair(Name(b"DA"), Str(da));
                    if *multiline {
                        d.pair(Name(b"Ff"), 4096);
                    }
                }
                FieldKind::Choice(options) => {
                    d.pair(Name(b"FT"), Name(b"Ch"));
                    d.pair(Name(b"Ff"), 1 << 17);
                    d.pair(Name(b"DA"), Str(da));
                    d.insert(Name(b"Opt")).array().items(options.iter().map(|o| TextStr(o)));
                }
                FieldKind::Boxes { radio, .. } => {
                    d.pair(Name(b"FT"), Name(b"Btn"));
                    // A radio pair, or check boxes that behave as one (different on-states).
                    d.pair(Name(b"Ff"), if *radio { (1 << 15) | (1 << 25) } else { 0 });
                    d.pair(Name(b"V"), Name(b"Off"));
                }
            }
        });
    }
    let helvetica = fresh();
    update.add(helvetica, |c| {
        c.type1_font(helvetica).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    });
    let acroform = fresh();
    update.add(acroform, |c| {
        let mut d = c.indirect(acroform).dict();
        d.insert(Name(b"Fields")).array().items(nodes.iter().zip(&refs).filter(|(n, _)| n.parent.is_none()).map(|(_, r)| *r));
        d.pair(Name(b"DA"), Str(da));
        d.insert(Name(b"DR")).dict().insert(Name(b"Font")).dict().pair(Name(b"Helv"), helvetica);
    });
    // The catalog again, with the form.
    let catalog = written.object(written.root)?;
    let close = catalog.rfind(">>").ok_or("krilla's catalog is not a dictionary")?;
    let root = format!("{} 0 obj\n{}/AcroForm {} 0 R>>\nendobj\n", written.root, &catalog[..close], acroform.get());
    let Update { chunk, ranges } = update;
    let mut changes = Changes::from_parts(chunk.as_bytes().to_vec(), ranges);
    changes.insert(written.root, root.as_bytes());
    Ok(changes)
}
