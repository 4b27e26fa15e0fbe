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
//! The fields are an incremental update (ISO 32000-1, 7.5.6) after krilla's bytes, which are left
//! as they are: each placeholder redefined under its own number as a widget (so the page's
//! `Annots` and the structure tree's reference to it stay right), the fields, appearances and the
//! `AcroForm` as new objects, the catalog redefined with the `AcroForm`, and a cross-reference
//! section for those alone. Parsing and rewriting the whole file took half the time of a checklist.
//! Only the objects this needs are read: the cross-reference table, the trailer, the placeholders
//! and the catalog; krilla writes a classic cross-reference table and no object streams.

use super::layout::Widget;
use crate::doc::FieldKind;
use pdf_writer::{Chunk, Name, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;

/// A field's place: the page (0-based) and the widget the layout placed there.
pub struct Placed {
    pub page: usize,
    pub widget: Widget,
}

/// What is read of krilla's PDF: where each object starts, the trailer, the catalog.
struct Written<'a> {
    bytes: &'a [u8],
    /// Object number → byte offset, from the cross-reference table.
    offsets: BTreeMap<i32, usize>,
    /// (byte offset, object number), by offset.
    starts: Vec<(usize, i32)>,
    /// The trailer dictionary's text, `<<` to `>>`.
    trailer: &'a str,
    /// Where the cross-reference table starts.
    xref: usize,
    size: i32,
    root: i32,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| at + from)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The integer after `key` in `text` (`/Size 337` → 337).
fn number_after(text: &str, key: &str) -> Option<i32> {
    let rest = text[text.find(key)? + key.len()..].trim_start();
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != '-').unwrap_or(rest.len());
    rest[..end].parse().ok()
}

impl<'a> Written<'a> {
    fn read(bytes: &'a [u8]) -> Result<Written<'a>, String> {
        let broken = |what: &str| format!("krilla's PDF has no readable {what}");
        let tail = bytes.len().saturating_sub(1024);
        let at = rfind(&bytes[tail..], b"startxref").ok_or_else(|| broken("startxref"))? + tail;
        let text = std::str::from_utf8(&bytes[at + 9..]).map_err(|_| broken("startxref"))?;
        let xref: usize = text.split_whitespace().next().and_then(|n| n.parse().ok()).ok_or_else(|| broken("startxref"))?;
        let trailer_at = find(bytes, b"trailer", xref).ok_or_else(|| broken("trailer"))?;
        let table = std::str::from_utf8(bytes.get(xref..trailer_at).ok_or_else(|| broken("xref"))?).map_err(|_| broken("xref"))?;
        let mut tokens = table.split_whitespace();
        if tokens.next() != Some("xref") {
            return Err(broken("cross-reference table"));
        }
        let mut offsets = BTreeMap::new();
        while let (Some(start), Some(count)) = (tokens.next(), tokens.next()) {
            let (Ok(start), Ok(count)) = (start.parse::<i32>(), count.parse::<i32>()) else { return Err(broken("xref")) };
            for n in start..start + count {
                let (Some(offset), Some(_), Some(kind)) = (tokens.next(), tokens.next(), tokens.next()) else {
                    return Err(broken("xref"));
                };
                if kind == "n" {
                    offsets.insert(n, offset.parse().map_err(|_| broken("xref"))?);
                }
            }
        }
        let trailer_text = std::str::from_utf8(&bytes[trailer_at + 7..at]).map_err(|_| broken("trailer"))?;
        let (open, close) =
            (trailer_text.find("<<").ok_or_else(|| broken("trailer"))?, trailer_text.rfind(">>").ok_or_else(|| broken("trailer"))?);
        let trailer = &trailer_text[open..close + 2];
        let size = number_after(trailer, "/Size").ok_or_else(|| broken("/Size"))?;
        let root = number_after(trailer, "/Root").ok_or_else(|| broken("/Root"))?;
        let mut starts: Vec<(usize, i32)> = offsets.iter().map(|(n, offset)| (*offset, *n)).collect();
        starts.sort_unstable();
        Ok(Written { bytes, offsets, starts, trailer, xref, size, root })
    }

    /// The text of object `n` from `N 0 obj` to `endobj` (both excluded).
    fn object(&self, n: i32) -> Result<&'a str, String> {
        let start = *self.offsets.get(&n).ok_or_else(|| format!("object {n} is not in krilla's PDF"))?;
        let end = find(self.bytes, b"endobj", start).ok_or_else(|| format!("object {n} does not end"))?;
        let text = std::str::from_utf8(&self.bytes[start..end]).map_err(|_| format!("object {n} is not text"))?;
        let body = text.find("obj").map(|at| &text[at + 3..]).ok_or_else(|| format!("object {n} has no head"))?;
        Ok(body.trim())
    }

    /// The object whose text holds byte `at`.
    fn object_at(&self, at: usize) -> Option<i32> {
        let after = self.starts.partition_point(|(offset, _)| *offset <= at);
        after.checked_sub(1).map(|k| self.starts[k].1)
    }
}

/// A placeholder: its object and what its widget keeps (the place, the structure tree's key).
struct Placeholder {
    id: i32,
    rect: Rect,
    struct_parent: Option<i32>,
}

/// Placeholders by field number, found by their link target `ocs-field:N`.
fn placeholders(written: &Written<'_>) -> Result<BTreeMap<usize, Placeholder>, String> {
    let mut found = BTreeMap::new();
    let mut from = 0;
    while let Some(at) = find(written.bytes, b"(ocs-field:", from) {
        from = at + 1;
        let digits: String = written.bytes[at + 11..].iter().take_while(|b| b.is_ascii_digit()).map(|&b| char::from(b)).collect();
        let (Ok(n), Some(id)) = (digits.parse::<usize>(), written.object_at(at)) else { continue };
        let text = written.object(id)?;
        if !text.contains("/Link") {
            continue;
        }
        let rect = text
            .find("/Rect")
            .and_then(|at| {
                let rest = &text[at + 5..];
                let (open, close) = (rest.find('[')?, rest.find(']')?);
                let values: Vec<f32> = rest[open + 1..close].split_whitespace().filter_map(|v| v.parse().ok()).collect();
                (values.len() == 4).then(|| Rect::new(values[0], values[1], values[2], values[3]))
            })
            .ok_or_else(|| format!("the place of field {n} has no rectangle"))?;
        found.insert(n, Placeholder { id, rect, struct_parent: number_after(text, "/StructParent") });
    }
    Ok(found)
}

/// A tick in a box of the given size, drawn with two strokes.
fn tick(w: f32, h: f32) -> String {
    format!("q 0 G 1.2 w 1 J 1 j {:.2} {:.2} m {:.2} {:.2} l {:.2} {:.2} l S Q", 0.2 * w, 0.5 * h, 0.42 * w, 0.22 * h, 0.82 * w, 0.85 * h)
}

/// A field of the tree: a parent (`P1`, `1`) or a terminal field with its widgets.
struct Node<'p> {
    partial: String,
    parent: Option<usize>,
    kids: Vec<Ref>,
    terminal: Option<&'p Placed>,
}

/// The objects of the update, each written apart so that its offset is known.
struct Update {
    out: Vec<u8>,
    offsets: Vec<(i32, usize)>,
}

impl Update {
    fn add(&mut self, id: Ref, write: impl FnOnce(&mut Chunk)) {
        let mut chunk = Chunk::with_settings(pdf_writer::Settings { pretty: false });
        write(&mut chunk);
        self.offsets.push((id.get(), self.out.len()));
        self.out.extend_from_slice(chunk.as_bytes());
    }
}

/// The PDF with its placeholders turned into fields. `lang` is the document's language.
pub fn fields(bytes: &[u8], placed: &[Placed], _lang: &str) -> Result<Vec<u8>, String> {
    let written = Written::read(bytes)?;
    let places = placeholders(&written)?;
    let mut next = written.size;
    let mut fresh = || {
        next += 1;
        Ref::new(next - 1)
    };
    // The tree of fields by full name (`P1.1.1.達成`: parents `P1`, `1`, `1`): nodes in order of
    // first meeting, each with the widgets (or the fields) under it.
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut refs: Vec<Ref> = Vec::new();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    let mut widget_of: Vec<(usize, &Placeholder)> = Vec::new();
    for (n, place) in placed.iter().enumerate() {
        let Some(placeholder) = places.get(&n) else {
            return Err(format!("the place of field {} was lost", place.widget.field.name));
        };
        let name = &place.widget.field.name;
        // Every prefix of the name at a dot is a node, made when first met.
        let mut parent: Option<usize> = None;
        let mut start = 0;
        let parts: Vec<&str> = name.split('.').collect();
        for (k, part) in parts.iter().enumerate() {
            let full = &name[..start + part.len()];
            start += part.len() + 1;
            let last = k + 1 == parts.len();
            let index = match by_name.get(full) {
                Some(&index) => index,
                None => {
                    let index = nodes.len();
                    nodes.push(Node { partial: part.to_string(), parent, kids: Vec::new(), terminal: last.then_some(place) });
                    refs.push(fresh());
                    if let Some(p) = parent {
                        let kid = refs[index];
                        nodes[p].kids.push(kid);
                    }
                    by_name.insert(full.to_string(), index);
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
    let mut update = Update { out: Vec::new(), offsets: Vec::new() };
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
            d.pair(Name(b"T"), TextStr(&node.partial));
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
    let mut root = format!("{} 0 obj\n{}/AcroForm {} 0 R>>\nendobj\n\n", written.root, &catalog[..close], acroform.get()).into_bytes();
    update.offsets.push((written.root, update.out.len()));
    update.out.append(&mut root);
    // The file: krilla's bytes, the objects, their cross-reference section and the trailer.
    let mut out = Vec::with_capacity(bytes.len() + update.out.len() + 20 * update.offsets.len() + 256);
    out.extend_from_slice(bytes);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let base = out.len();
    out.extend_from_slice(&update.out);
    let xref = out.len();
    let mut entries = update.offsets;
    entries.sort_unstable();
    out.extend_from_slice(b"xref\n");
    let mut k = 0;
    while k < entries.len() {
        let mut end = k + 1;
        while end < entries.len() && entries[end].0 == entries[end - 1].0 + 1 {
            end += 1;
        }
        out.extend_from_slice(format!("{} {}\n", entries[k].0, end - k).as_bytes());
        for (_, offset) in &entries[k..end] {
            out.extend_from_slice(format!("{:010} 00000 n\r\n", base + offset).as_bytes());
        }
        k = end;
    }
    let trailer = written.trailer.replacen(&format!("/Size {}", written.size), &format!("/Size {next}"), 1);
    let trailer = format!("{}/Prev {}>>", &trailer[..trailer.len() - 2], written.xref);
    out.extend_from_slice(format!("trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    Ok(out)
}
