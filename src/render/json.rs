//! The canonical JSON of SPEC section 4.

use crate::model::Standard;

/// The standard as canonical JSON: pretty-printed, UTF-8, a final newline.
pub fn json(standard: &Standard) -> Vec<u8> {
    // Serialising plain data to a Vec cannot fail.
    let mut bytes = serde_json::to_vec_pretty(standard).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A comparison of two versions (`ocs diff`) as JSON for scripts: both versions, the 更新說明
/// paragraph and every change with its kind, field, codes, parents, old and new text.
pub fn diff(diff: &crate::diff::Diff, summary: &str) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct File<'a> {
        old: &'a crate::diff::Side,
        new: &'a crate::diff::Side,
        summary: &'a str,
        changes: &'a [crate::diff::Change],
    }
    let file = File { old: &diff.old, new: &diff.new, summary, changes: &diff.changes };
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Read a standard back from its canonical JSON.
pub fn from_json(bytes: &[u8]) -> serde_json::Result<Standard> {
    serde_json::from_slice(bytes)
}
