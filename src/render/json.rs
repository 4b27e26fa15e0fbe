//! The canonical JSON of SPEC section 4.

use crate::model::Standard;

/// The standard as canonical JSON: pretty-printed, UTF-8, a final newline.
pub fn json(standard: &Standard) -> Vec<u8> {
    // Serialising plain data to a Vec cannot fail.
    let mut bytes = serde_json::to_vec_pretty(standard).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Read a standard back from its canonical JSON.
pub fn from_json(bytes: &[u8]) -> serde_json::Result<Standard> {
    serde_json::from_slice(bytes)
}
