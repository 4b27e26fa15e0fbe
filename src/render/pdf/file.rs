//! The file around krilla's objects. krilla writes PDF 1.7 with a classic cross-reference table and
//! every object on its own: in a tagged table that is a structure element of ~95 bytes per cell,
//! uncompressed (a 1,600-cell matrix carries 200 KB of them). `pack` writes the file again with
//! the objects that are not streams gathered into compressed object streams and a compressed
//! cross-reference stream (ISO 32000-1, 7.5.7 and 7.5.8; PDF/A-2 and PDF/UA-1 allow both, PDF/A-1
//! did not). The streams — content, fonts, the XMP metadata, which PDF/A wants unfiltered — are
//! copied byte for byte, and every object keeps its number, so no reference changes.
//!
//! `Written::read` reads only what that needs: the cross-reference table and the trailer (krilla
//! writes one table and no object streams; `form` reads its placeholders through it too). An
//! object `form` redefines (a placeholder that becomes a widget, the catalog with its form) takes
//! the place of krilla's in the packed file, so nothing dead is left behind.

use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;

/// libdeflate's level for what `pack` compresses (the object streams and the cross-reference
/// stream), as krilla's streams (vendor/krilla/OCS-PATCH.md): on the object streams and content of
/// 10 standards' PDFs (13 MB) its level 1 made 2.47 MB in 40 ms, where zlib-rs's level 2 (used
/// before) made 2.57 MB in 64 ms and its level 6 2.32 MB in 136 ms (BENCHMARKS.md, ninth round).
const LEVEL: i32 = 1;

/// Objects per object stream: a reader inflates a whole stream to reach one object of it.
const PER_STREAM: usize = 512;

/// What is read of krilla's PDF: where each object starts, the trailer, the catalog.
pub struct Written<'a> {
    pub bytes: &'a [u8],
    /// Object number → byte offset, from the cross-reference table (`None`: a free number).
    offsets: Vec<Option<usize>>,
    /// (byte offset, object number), by offset.
    starts: Vec<(usize, i32)>,
    /// The trailer dictionary's text, `<<` to `>>`.
    trailer: &'a str,
    /// Where the cross-reference table starts.
    xref: usize,
    /// The trailer's `/Size`: one more than the highest object number.
    pub size: i32,
    /// The catalog's object number.
    pub root: i32,
}

pub fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|at| at + from)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(haystack, needle)
}

/// The number written in ASCII digits (no sign, at most 15 of them: no overflow, also where
/// `usize` has 32 bits, as in the browser).
pub fn decimal(digits: &[u8]) -> Option<usize> {
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    let value = digits.iter().try_fold(0u64, |v, &d| d.is_ascii_digit().then(|| v * 10 + u64::from(d - b'0')))?;
    usize::try_from(value).ok()
}

/// The integer after `key` in `text` (`/Size 337` → 337), searched as bytes (SIMD substring
/// search).
pub fn number_after(text: &str, key: &str) -> Option<i32> {
    number_at(&text.as_bytes()[find(text.as_bytes(), key.as_bytes(), 0)? + key.len()..])
}

/// The integer that `bytes` start with, after white space.
pub fn number_at(bytes: &[u8]) -> Option<i32> {
    let rest = bytes.trim_ascii_start();
    let end = rest.iter().position(|b| !b.is_ascii_digit() && *b != b'-').unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

impl<'a> Written<'a> {
    pub fn read(bytes: &'a [u8]) -> Result<Written<'a>, String> {
        let broken = |what: &str| format!("krilla's PDF has no readable {what}");
        let tail = bytes.len().saturating_sub(1024);
        let at = rfind(&bytes[tail..], b"startxref").ok_or_else(|| broken("startxref"))? + tail;
        let text = std::str::from_utf8(&bytes[at + 9..]).map_err(|_| broken("startxref"))?;
        let xref: usize = text.split_whitespace().next().and_then(|n| n.parse().ok()).ok_or_else(|| broken("startxref"))?;
        let trailer_at = find(bytes, b"trailer", xref).ok_or_else(|| broken("trailer"))?;
        let table = bytes.get(xref..trailer_at).ok_or_else(|| broken("xref"))?;
        // Read as bytes: a table has a line for every object (tens of thousands in a checklist),
        // each subsection a line `start count` and then an entry of exactly 20 bytes per object,
        // `oooooooooo ggggg n` and a two-byte end of line (ISO 32000-1, 7.5.4).
        let mut rest = table.strip_prefix(b"xref").ok_or_else(|| broken("cross-reference table"))?.trim_ascii_start();
        let mut offsets: Vec<Option<usize>> = Vec::new();
        while !rest.is_empty() {
            let end = rest.iter().position(|&b| b == b'\n').ok_or_else(|| broken("xref"))?;
            let mut head = rest[..end].trim_ascii().split(|&b| b == b' ').filter(|t| !t.is_empty());
            rest = &rest[end + 1..];
            let (Some(start), Some(count), None) = (head.next().and_then(decimal), head.next().and_then(decimal), head.next()) else {
                return Err(broken("xref"));
            };
            // krilla writes one subsection from 0, an entry for every number: a number past the
            // table's room for entries is not krilla's (and would size `offsets` unbounded).
            if start.saturating_add(count) > table.len() / 20 {
                return Err(broken("xref"));
            }
            for n in start..start + count {
                let entry = rest.get(..20).ok_or_else(|| broken("xref"))?;
                rest = &rest[20..];
                let offset = decimal(&entry[..10]).filter(|_| entry[10] == b' ' && entry[16] == b' ').ok_or_else(|| broken("xref"))?;
                match entry[17] {
                    b'n' if offset < xref => {
                        if offsets.len() <= n {
                            offsets.resize(n + 1, None);
                        }
                        offsets[n] = Some(offset);
                    }
                    b'f' => {}
                    _ => return Err(broken("xref")),
                }
            }
            rest = rest.trim_ascii_start();
        }
        let trailer_text = std::str::from_utf8(&bytes[trailer_at + 7..at]).map_err(|_| broken("trailer"))?;
        let (open, close) =
            (trailer_text.find("<<").ok_or_else(|| broken("trailer"))?, trailer_text.rfind(">>").ok_or_else(|| broken("trailer"))?);
        let trailer = &trailer_text[open..close + 2];
        let size = number_after(trailer, "/Size").ok_or_else(|| broken("/Size"))?;
        let root = number_after(trailer, "/Root").ok_or_else(|| broken("/Root"))?;
        let mut starts: Vec<(usize, i32)> =
            offsets.iter().enumerate().filter_map(|(n, offset)| Some(((*offset)?, i32::try_from(n).ok()?))).collect();
        starts.sort_unstable();
        Ok(Written { bytes, offsets, starts, trailer, xref, size, root })
    }

    /// The whole text of object `n`, `N 0 obj` to `endobj` and the blank lines after it.
    fn whole(&self, n: i32) -> Option<&'a [u8]> {
        let start = (*self.offsets.get(usize::try_from(n).ok()?)?)?;
        let next = self.starts.partition_point(|(offset, _)| *offset <= start);
        let end = self.starts.get(next).map_or(self.xref, |(offset, _)| *offset);
        self.bytes.get(start..end)
    }

    /// The text of object `n` from `N 0 obj` to `endobj` (both excluded).
    pub fn object(&self, n: i32) -> Result<&'a str, String> {
        let whole = self.whole(n).ok_or_else(|| format!("object {n} is not in krilla's PDF"))?;
        let text = body(n, whole).ok_or_else(|| format!("object {n} is not written as PDF writes objects"))?;
        std::str::from_utf8(text).map_err(|_| format!("object {n} is not text"))
    }

    /// The object whose text holds byte `at`.
    pub fn object_at(&self, at: usize) -> Option<i32> {
        let after = self.starts.partition_point(|(offset, _)| *offset <= at);
        after.checked_sub(1).map(|k| self.starts[k].1)
    }
}

/// Objects that replace krilla's of the same number or are added, each its whole text (`N 0 obj …
/// endobj`) as pdf-writer writes it. They are kept end to end in one buffer (a checklist has
/// thousands), each found by its number.
#[derive(Default)]
pub struct Changes {
    bytes: Vec<u8>,
    /// Object number → its bytes' range in `bytes`, `None` for a number not changed.
    at: Vec<Option<(usize, usize)>>,
}

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    /// The changes written in `bytes`: object number → its range there.
    pub fn from_parts(bytes: Vec<u8>, ranges: impl IntoIterator<Item = (i32, std::ops::Range<usize>)>) -> Changes {
        let mut changes = Changes { bytes, at: Vec::new() };
        for (n, range) in ranges {
            changes.set(n, (range.start, range.end));
        }
        changes
    }

    /// Object `n`'s whole text, in place of krilla's or added.
    pub fn insert(&mut self, n: i32, whole: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(whole);
        self.set(n, (start, self.bytes.len()));
    }

    fn set(&mut self, n: i32, range: (usize, usize)) {
        let Ok(index) = usize::try_from(n) else { return };
        if self.at.len() <= index {
            self.at.resize(index + 1, None);
        }
        self.at[index] = Some(range);
    }

    fn get(&self, n: i32) -> Option<&[u8]> {
        let (start, end) = (*self.at.get(usize::try_from(n).ok()?)?)?;
        self.bytes.get(start..end)
    }

    /// The highest number changed or added.
    fn highest(&self) -> Option<i32> {
        let index = self.at.iter().rposition(Option::is_some)?;
        i32::try_from(index).ok()
    }
}

/// An object's text without its head and `endobj`; `None` when it is not `N 0 obj … endobj`.
fn body(n: i32, whole: &[u8]) -> Option<&[u8]> {
    // `N 0 obj`, read rather than formatted: this runs for every object of every PDF.
    let digits = whole.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = whole[..digits].iter().try_fold(0i32, |v, &d| v.checked_mul(10)?.checked_add(i32::from(d - b'0')))?;
    let rest = whole[digits..].strip_prefix(b" 0 obj").filter(|_| digits > 0 && number == n)?;
    let text = rest.trim_ascii().strip_suffix(b"endobj")?;
    Some(text.trim_ascii())
}

/// `data` deflated with zlib's header, by one compressor per thread (making one allocates its
/// tables).
fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    thread_local! {
        static COMPRESS: RefCell<Compressor> = RefCell::new(Compressor::new(CompressionLvl::new(LEVEL).unwrap_or_default()));
    }
    COMPRESS.with(|compress| {
        let mut compress = compress.borrow_mut();
        // Room for the worst case (stored blocks), so that compressing cannot run out of it.
        let mut out = vec![0; compress.zlib_compress_bound(data.len())];
        let written = compress.zlib_compress(data, &mut out).map_err(|e| format!("deflate failed: {e:?}"))?;
        out.truncate(written);
        Ok(out)
    })
}

/// One entry of the cross-reference stream (`/W [1 4 2]`).
fn entry(xref: &mut Vec<u8>, kind: u8, field: usize, second: u16) -> Result<(), String> {
    let field = u32::try_from(field).map_err(|_| "the PDF would be over 4 GB".to_string())?;
    xref.push(kind);
    xref.extend_from_slice(&field.to_be_bytes());
    xref.extend_from_slice(&second.to_be_bytes());
    Ok(())
}

/// krilla's PDF, with `changes` in place of its objects, written with object streams and a
/// cross-reference stream.
pub fn pack(written: &Written<'_>, changes: &Changes) -> Result<Vec<u8>, String> {
    let bytes = written.bytes;
    let first = written.starts.first().map_or(written.xref, |(offset, _)| *offset);
    let mut out = Vec::with_capacity(bytes.len());
    // The header: the version and the binary marker PDF/A wants.
    out.extend_from_slice(&bytes[..first]);
    let highest = written.size.max(changes.highest().map_or(0, |n| n + 1));
    // Where each object is: (object stream, index) for one packed, an offset for one copied.
    enum Place {
        Free,
        At(usize),
        Packed(i32, u16),
    }
    let mut places: Vec<Place> = (0..highest).map(|_| Place::Free).collect();
    let mut packed: Vec<(i32, &[u8])> = Vec::new();
    for n in 1..highest {
        let whole = match changes.get(n) {
            Some(changed) => changed,
            None => match written.whole(n) {
                Some(whole) => whole,
                None => continue,
            },
        };
        let text = body(n, whole).ok_or_else(|| format!("object {n} is not written as PDF writes objects"))?;
        if text.ends_with(b"endstream") {
            places[n as usize] = Place::At(out.len());
            out.extend_from_slice(whole.trim_ascii_end());
            out.push(b'\n');
        } else {
            packed.push((n, text));
        }
    }
    let mut next = highest;
    for group in packed.chunks(PER_STREAM) {
        let stream = next;
        next += 1;
        let mut head = String::new();
        let mut data = Vec::new();
        for (index, (n, text)) in group.iter().enumerate() {
            // `N offset ` by itoa (`write!` cost 3.8 M instructions a standard here).
            let mut digits = itoa::Buffer::new();
            head.push_str(digits.format(*n));
            head.push(' ');
            head.push_str(digits.format(data.len()));
            head.push(' ');
            data.extend_from_slice(text);
            data.push(b'\n');
            places[*n as usize] = Place::Packed(stream, index as u16);
        }
        let mut content = head.into_bytes();
        let first_object = content.len();
        content.append(&mut data);
        let deflated = deflate(&content)?;
        places.push(Place::At(out.len()));
        out.extend_from_slice(
            format!(
                "{stream} 0 obj\n<</Type/ObjStm/N {}/First {first_object}/Filter/FlateDecode/Length {}>>\nstream\n",
                group.len(),
                deflated.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&deflated);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    // The cross-reference stream, the last object, with the trailer's keys.
    let xref_object = next;
    let xref_at = out.len();
    places.push(Place::At(xref_at));
    let mut table = Vec::with_capacity(places.len() * 7);
    for (n, place) in places.iter().enumerate() {
        match place {
            Place::Free => entry(&mut table, 0, 0, if n == 0 { 65535 } else { 0 })?,
            Place::At(offset) => entry(&mut table, 1, *offset, 0)?,
            Place::Packed(stream, index) => entry(&mut table, 2, *stream as usize, *index)?,
        }
    }
    let table = deflate(&table)?;
    let size = format!("/Size {}", written.size);
    let keys = written.trailer[2..written.trailer.len() - 2].replacen(&size, "", 1);
    out.extend_from_slice(
        format!(
            "{xref_object} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]/Filter/FlateDecode/Length {}{keys}>>\nstream\n",
            xref_object + 1,
            table.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&table);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use pdf_writer::{Pdf, Rect, Ref};
    use std::collections::BTreeMap;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        ZlibDecoder::new(data).read_to_end(&mut out).expect("deflated");
        out
    }

    /// The dictionary text and the (inflated) data of the stream object at `at`.
    fn stream_at(file: &[u8], at: usize) -> (String, Vec<u8>) {
        let open = find(file, b"<<", at).unwrap();
        let data = find(file, b">>\nstream\n", open).unwrap();
        let dict = String::from_utf8(file[open..data + 2].to_vec()).unwrap();
        let length = number_after(&dict, "/Length").unwrap() as usize;
        let start = data + 10;
        (dict, inflate(&file[start..start + length]))
    }

    /// Every object of a packed file, read back through its cross-reference stream: number → text
    /// (a packed object's body; a copied object's whole text, trimmed).
    fn objects(file: &[u8]) -> (String, BTreeMap<i32, Vec<u8>>) {
        let at = rfind(file, b"startxref").unwrap();
        let xref: usize = std::str::from_utf8(&file[at + 9..]).unwrap().split_whitespace().next().unwrap().parse().unwrap();
        let (dict, table) = stream_at(file, xref);
        assert!(dict.contains("/W[1 4 2]") && dict.contains("/Type/XRef"), "{dict}");
        let mut found = BTreeMap::new();
        // A copied object ends where the next one (or the cross-reference stream) starts.
        let mut starts: Vec<usize> =
            table.chunks(7).filter(|e| e[0] == 1).map(|e| u32::from_be_bytes(e[1..5].try_into().unwrap()) as usize).collect();
        starts.sort_unstable();
        for (n, entry) in table.chunks(7).enumerate() {
            let field = u32::from_be_bytes(entry[1..5].try_into().unwrap()) as usize;
            let second = u16::from_be_bytes(entry[5..7].try_into().unwrap()) as usize;
            match entry[0] {
                0 => {}
                1 => {
                    let end = starts.iter().find(|&&s| s > field).copied().unwrap_or(file.len());
                    found.insert(n as i32, file[field..end].trim_ascii_end().to_vec());
                }
                2 => {
                    let stream_offset = u32::from_be_bytes(table[field * 7 + 1..field * 7 + 5].try_into().unwrap()) as usize;
                    let (dict, data) = stream_at(file, stream_offset);
                    let first = number_after(&dict, "/First").unwrap() as usize;
                    let head: Vec<usize> =
                        std::str::from_utf8(&data[..first]).unwrap().split_whitespace().map(|t| t.parse().unwrap()).collect();
                    assert_eq!(head[2 * second], n, "object {n} is where its entry says");
                    let start = first + head[2 * second + 1];
                    let end = head.get(2 * second + 3).map_or(data.len(), |next| first + next);
                    found.insert(n as i32, data[start..end].trim_ascii().to_vec());
                }
                kind => panic!("entry of type {kind}"),
            }
        }
        (dict, found)
    }

    /// A small PDF as pdf-writer (and so krilla) writes it, with a number left out.
    fn written() -> Vec<u8> {
        let mut pdf = Pdf::new();
        let (catalog, pages, page, content, unused_gap, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), 5, Ref::new(6));
        let _ = unused_gap;
        pdf.catalog(catalog).pages(pages);
        pdf.pages(pages).kids([page]).count(1);
        pdf.page(page).parent(pages).media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).contents(content);
        pdf.stream(content, b"0 0 m 10 10 l S endobj endstream");
        pdf.document_info(info).title(pdf_writer::TextStr("表 endobj (x)"));
        pdf.set_file_id((b"one".to_vec(), b"two".to_vec()));
        pdf.finish()
    }

    #[test]
    fn every_object_is_kept_under_its_number() {
        let input = written();
        let packed = pack(&Written::read(&input).unwrap(), &Changes::new()).unwrap();
        assert!(packed.starts_with(b"%PDF-1.7\n"), "the header is krilla's");
        let (trailer, found) = objects(&packed);
        let before = Written::read(&input).unwrap();
        for n in [1, 2, 3, 6] {
            assert_eq!(found[&n].as_slice(), before.object(n).unwrap().as_bytes(), "object {n}");
        }
        // The stream is copied whole, its bytes (even `endobj` inside it) untouched.
        assert_eq!(&found[&4][..], before.whole(4).unwrap().trim_ascii_end());
        assert!(!found.contains_key(&5), "a number krilla left free stays free");
        assert!(trailer.contains("/Root 1 0 R") && trailer.contains("/Info 6 0 R") && trailer.contains("/ID ["), "{trailer}");
        // The objects streams and the cross-reference stream come after the highest number.
        assert_eq!(number_after(&trailer, "/Size"), Some(9), "{trailer}");
    }

    #[test]
    fn changes_take_the_place_of_krillas_objects_and_add_new_ones() {
        let input = written();
        let mut changes = Changes::new();
        changes.insert(3, b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R/Annots[7 0 R]>>\nendobj\n");
        changes.insert(7, b"7 0 obj\n<</Type/Annot/Subtype/Widget/Rect[0 0 1 1]>>\nendobj\n");
        changes.insert(8, b"8 0 obj\n<</Length 3>>\nstream\nq Q\nendstream\nendobj\n");
        let packed = pack(&Written::read(&input).unwrap(), &changes).unwrap();
        let (trailer, found) = objects(&packed);
        assert_eq!(found[&3], b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R/Annots[7 0 R]>>");
        assert_eq!(found[&7], b"<</Type/Annot/Subtype/Widget/Rect[0 0 1 1]>>");
        assert!(found[&8].ends_with(b"endstream\nendobj"));
        assert!(!packed.windows(17).any(|w| w == b"/MediaBox[0 0 595"), "the replaced page is gone, not left behind");
        assert_eq!(number_after(&trailer, "/Size"), Some(11), "{trailer}");
    }

    /// The cross-reference table pdf-writer writes (its digits set by hand: vendor/pdf-writer,
    /// change 1) is what `{offset:010} {gen:05} n` formats, and `Written::read` reads it back.
    #[test]
    fn the_cross_reference_table_is_written_and_read_as_formatted() {
        let input = written();
        let xref = rfind(&input, b"\nxref\n").unwrap() + 1;
        let trailer = find(&input, b"trailer", xref).unwrap();
        let mut expected = String::from("xref\n0 7\n");
        for n in 0..7 {
            let start = find(&input, format!("\n{n} 0 obj\n").as_bytes(), 0).map(|at| at + 1);
            match start {
                Some(offset) if n > 0 => expected.push_str(&format!("{offset:010} {:05} n\r\n", 0)),
                // The free list: 0 points at the gap (5), the gap back at 0.
                _ => expected.push_str(&format!("{:010} {:05} f\r\n", if n == 0 { 5 } else { 0 }, if n == 0 { 65535 } else { 0 })),
            }
        }
        assert_eq!(std::str::from_utf8(&input[xref..trailer]).unwrap(), expected);
        let read = Written::read(&input).unwrap();
        assert_eq!(read.object(3).unwrap(), "<<\n  /Type /Page\n  /Parent 2 0 R\n  /MediaBox [0 0 595 842]\n  /Contents 4 0 R\n>>");
        assert_eq!((decimal(b"0000012345"), decimal(b""), decimal(b"12a"), decimal(b"1234567890123456")), (Some(12345), None, None, None));
    }

    /// Names: regular characters copied whole (vendor/pdf-writer, change 2), the rest escaped.
    #[test]
    fn names_are_written_whole_or_escaped() {
        let mut chunk = pdf_writer::Chunk::with_settings(pdf_writer::Settings { pretty: false });
        let names = [&b"Widget"[..], b"Off", "達成".as_bytes(), b"A#B C", b"x(y)", b"!~"];
        chunk.indirect(Ref::new(1)).array().items(names.map(pdf_writer::Name));
        assert_eq!(
            std::str::from_utf8(chunk.as_bytes()).unwrap(),
            "1 0 obj\n[/Widget/Off/#E9#81#94#E6#88#90/A#23B#20C/x#28y#29/!~]\nendobj\n"
        );
    }

    #[test]
    fn what_is_not_pdf_writers_is_refused() {
        assert!(Written::read(b"%PDF-1.7\nnothing here").is_err());
        // A subsection of more numbers than the table has entries for: refused before any room
        // is made for them.
        let input = written();
        let at = find(&input, b"\nxref\n0 7\n", 0).unwrap();
        let mut huge = input[..at].to_vec();
        huge.extend_from_slice(b"\nxref\n0 999999999\n");
        huge.extend_from_slice(&input[at + 10..]);
        assert!(Written::read(&huge).err().is_some_and(|e| e.contains("xref")));
        let mut changes = Changes::new();
        changes.insert(3, b"<</Type/Page>>");
        assert!(pack(&Written::read(&written()).unwrap(), &changes).unwrap_err().contains("object 3"));
    }
}
