//! Deflate and the zip container of the workbooks and ODF files, with libdeflate.
//!
//! Every place ocs compresses goes through [`deflate`]: the PDFs' object streams (zlib-wrapped, as
//! PDF's `FlateDecode` wants; krilla's own streams use the same library, vendor/krilla) and the
//! entries of the ODF packages and workbooks (raw, as zip wants). libdeflate's level 1 is smaller
//! than zlib-rs's level 2 in half the time on the PDFs' streams and 28 % smaller than its level 1
//! on their text (BENCHMARKS.md, ninth round).
//!
//! [`Zip`] writes an archive whose entries are all in memory. The zip crate, which reads every
//! input, cannot write an entry compressed elsewhere, so the few records a zip needs are written
//! here (APPNOTE.TXT 4.3): a local header with the sizes and CRC known before the data (no data
//! descriptor), the data, then the central directory and its end record. Fixed timestamps
//! (1980-01-01, zip's epoch) and every entry marked as made on Unix, so that one document is the
//! same bytes whoever makes it, on whatever platform. No ZIP64: an entry or archive over 4 GiB,
//! or over 65,535 entries, is an error (a standard's files are well under a megabyte).

use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;

/// libdeflate's level, for every stream and entry.
const LEVEL: i32 = 1;

/// `data` deflated, with zlib's header and checksum (`zlib`) or raw; by one compressor per thread
/// (making one allocates its tables).
pub fn deflate(data: &[u8], zlib: bool) -> Result<Vec<u8>, String> {
    thread_local! {
        static COMPRESS: RefCell<Compressor> = RefCell::new(Compressor::new(CompressionLvl::new(LEVEL).unwrap_or_default()));
    }
    COMPRESS.with(|compress| {
        let mut compress = compress.borrow_mut();
        // Room for the worst case (stored blocks), so that compressing cannot run out of it.
        let bound = if zlib { compress.zlib_compress_bound(data.len()) } else { compress.deflate_compress_bound(data.len()) };
        let mut out = vec![0; bound];
        let written = if zlib { compress.zlib_compress(data, &mut out) } else { compress.deflate_compress(data, &mut out) }
            .map_err(|e| format!("deflate failed: {e:?}"))?;
        out.truncate(written);
        Ok(out)
    })
}

/// How an entry is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

/// A zip archive being written, entry by entry, in memory.
#[derive(Default)]
pub struct Zip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// The DOS date of 1980-01-01 (the time is 00:00:00, 0).
const DOS_DATE: u16 = 1 << 5 | 1;
/// Version 2.0 of the format: deflate (and what a stored entry needs).
const VERSION: u16 = 20;
/// "Made by" Unix (3), version 2.0.
const MADE_BY: u16 = 3 << 8 | VERSION;
/// A regular file, rw-r--r--, in the high half of the external attributes (as Unix zips write).
const ATTRIBUTES: u32 = 0o100644 << 16;
/// The general-purpose flag saying the name is UTF-8.
const UTF8: u16 = 1 << 11;

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl Zip {
    pub fn new() -> Zip {
        Zip::default()
    }

    /// Adds an entry named `name` holding `data`.
    pub fn add(&mut self, name: &str, data: &[u8], method: Method) -> Result<(), String> {
        let too_big = || format!("{name}: the zip would be over 4 GiB or 65,535 entries");
        let deflated;
        let (code, body) = match method {
            Method::Stored => (0u16, data),
            Method::Deflated => {
                deflated = deflate(data, false)?;
                (8, deflated.as_slice())
            }
        };
        let crc = libdeflater::crc32(data);
        let size = u32::try_from(data.len()).ok().filter(|&s| s < u32::MAX).ok_or_else(too_big)?;
        let compressed = u32::try_from(body.len()).ok().filter(|&s| s < u32::MAX).ok_or_else(too_big)?;
        let offset = u32::try_from(self.bytes.len()).ok().filter(|&s| s < u32::MAX).ok_or_else(too_big)?;
        let name_len = u16::try_from(name.len()).map_err(|_| format!("{name}: a name over 65,535 bytes"))?;
        self.entries = self.entries.checked_add(1).filter(|&n| n < u16::MAX).ok_or_else(too_big)?;
        let flags = if name.is_ascii() { 0 } else { UTF8 };
        // The fields the local header and the central directory's header share, from "version
        // needed" to the extra field's length.
        let mut common = Vec::with_capacity(26);
        for v in [VERSION, flags, code, 0, DOS_DATE] {
            u16le(&mut common, v);
        }
        for v in [crc, compressed, size] {
            u32le(&mut common, v);
        }
        u16le(&mut common, name_len);
        u16le(&mut common, 0);

        self.bytes.reserve(30 + name.len() + body.len());
        u32le(&mut self.bytes, 0x0403_4b50);
        self.bytes.extend_from_slice(&common);
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(body);

        u32le(&mut self.central, 0x0201_4b50);
        u16le(&mut self.central, MADE_BY);
        self.central.extend_from_slice(&common);
        for v in [0u16, 0, 0] {
            // Comment length, starting disk, internal attributes.
            u16le(&mut self.central, v);
        }
        u32le(&mut self.central, ATTRIBUTES);
        u32le(&mut self.central, offset);
        self.central.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// The archive's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        let too_big = || "the zip would be over 4 GiB".to_string();
        let start = u32::try_from(self.bytes.len()).ok().filter(|&s| s < u32::MAX).ok_or_else(too_big)?;
        let size = u32::try_from(self.central.len()).map_err(|_| too_big())?;
        self.bytes.extend_from_slice(&self.central);
        u32le(&mut self.bytes, 0x0605_4b50);
        for v in [0u16, 0, self.entries, self.entries] {
            u16le(&mut self.bytes, v);
        }
        u32le(&mut self.bytes, size);
        u32le(&mut self.bytes, start);
        u16le(&mut self.bytes, 0);
        Ok(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_crate_reads_back_what_is_written() {
        let text = "<x>職能基準 ".repeat(2000);
        let mut zip = Zip::new();
        zip.add("mimetype", b"application/vnd.oasis.opendocument.text", Method::Stored).unwrap();
        zip.add("content.xml", text.as_bytes(), Method::Deflated).unwrap();
        zip.add("資料/空.xml", b"", Method::Deflated).unwrap();
        let bytes = zip.finish().unwrap();
        // The mimetype's text at byte 38, where ODF sniffers look for it.
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..77], b"application/vnd.oasis.opendocument.text");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        let mut read = |i: usize| {
            let mut entry = archive.by_index(i).unwrap();
            let mut out = Vec::new();
            entry.read_to_end(&mut out).unwrap(); // checks the CRC
            (entry.name().unwrap().to_string(), entry.compression(), entry.unix_mode(), out)
        };
        let (name, method, mode, data) = read(0);
        assert_eq!((name.as_str(), method, mode), ("mimetype", zip::CompressionMethod::Stored, Some(0o100644)));
        assert_eq!(data, b"application/vnd.oasis.opendocument.text");
        let (name, method, _, data) = read(1);
        assert_eq!((name.as_str(), method), ("content.xml", zip::CompressionMethod::Deflated));
        assert_eq!(data, text.as_bytes());
        assert_eq!(read(2).0, "資料/空.xml");
    }

    #[test]
    fn deflate_round_trips_raw_and_zlib() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let raw = deflate(&data, false).unwrap();
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(raw.as_slice()).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        let wrapped = deflate(&data, true).unwrap();
        out.clear();
        flate2::read::ZlibDecoder::new(wrapped.as_slice()).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        assert!(wrapped.len() < data.len() / 10, "{} bytes", wrapped.len());
    }
}
