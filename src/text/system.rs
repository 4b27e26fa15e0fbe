//! The machine's own fonts, for characters the chosen font and the embedded Noto Sans TC lack
//! (産, 捜, 俢, 缝, 㮷). Found with fontdb once per process and only when first asked, so that a run
//! whose text the fonts in hand cover never scans the system; a face is read whole only once it
//! draws a character. Broken files are skipped. Not for measuring: that is `Font`'s.

use super::face::Face;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

/// Families tried first, in this order (a family matches when its name contains the pattern): the
/// Traditional Chinese faces of Noto CJK, the Kai and Sung faces of the national CNS 11643 fonts
/// (全字庫), then the faces of Windows in `C:\Windows\Fonts` (細明體 and 新細明體 `mingliu.ttc`,
/// 標楷體 `kaiu.ttf`, 微軟正黑體 `msjh.ttc`; fontdb reads that folder and the user's own fonts
/// folder on Windows). Then the other CJK faces of Noto, then any face at all.
const PREFERRED: [&str; 10] = [
    "Noto Sans CJK TC",
    "Noto Serif CJK TC",
    "TW-Kai",
    "TW-Sung",
    "MingLiU",
    "DFKai-SB",
    "PMingLiU",
    "Microsoft JhengHei",
    "Noto Sans CJK",
    "Noto Serif CJK",
];

/// A font file larger than this is not read (no real font comes near it).
const MAX_FILE: u64 = 256 << 20;

/// A system face in the order of preference.
struct Candidate {
    id: fontdb::ID,
    path: String,
    index: u32,
    /// Read and parsed once it draws a character; `None` when it cannot be.
    face: OnceLock<Option<Face>>,
}

struct System {
    database: fontdb::Database,
    candidates: Vec<Candidate>,
    /// The candidate that draws each character asked about so far.
    found: RwLock<HashMap<char, Option<usize>>>,
}

static SYSTEM: OnceLock<System> = OnceLock::new();

fn system() -> &'static System {
    SYSTEM.get_or_init(System::load)
}

/// Whether this process has looked for the system fonts yet.
pub(super) fn loaded() -> bool {
    SYSTEM.get().is_some()
}

/// The position in the order of preference of the first system face that draws `c`.
pub(super) fn find(c: char) -> Option<usize> {
    system().find(c)
}

/// The file and face index of the installed face whose family is `name` in any of its languages
/// (`標楷體` or `DFKai-SB`), ignoring case; the regular upright face when there are several.
pub(super) fn family(name: &str) -> Option<(String, u32)> {
    let wanted = name.trim().to_lowercase();
    let system = system();
    system
        .candidates
        .iter()
        .find(|c| system.database.face(c.id).is_some_and(|info| info.families.iter().any(|(family, _)| family.to_lowercase() == wanted)))
        .map(|c| (c.path.clone(), c.index))
}

/// A system face found by [`find`].
pub(super) fn face(n: usize) -> Option<&'static Face> {
    system().candidates.get(n)?.face.get()?.as_ref()
}

impl System {
    fn load() -> System {
        let mut database = fontdb::Database::new();
        database.load_system_fonts();
        let mut candidates: Vec<(Rank, Candidate)> = database
            .faces()
            .filter_map(|info| {
                let fontdb::Source::File(path) = &info.source else { return None };
                let path = path.to_str()?.to_string();
                let candidate = Candidate { id: info.id, path, index: info.index, face: OnceLock::new() };
                Some((Rank::of(info, &candidate.path), candidate))
            })
            .collect();
        // Sorted by preference, then by name and path: never by the order directories list files.
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let candidates = candidates.into_iter().map(|(_, c)| c).collect();
        System { database, candidates, found: RwLock::new(HashMap::new()) }
    }

    fn find(&self, c: char) -> Option<usize> {
        if let Some(found) = self.found.read().ok().and_then(|f| f.get(&c).copied()) {
            return found;
        }
        let found = self.candidates.iter().position(|candidate| self.draws(candidate, c));
        if let Ok(mut cache) = self.found.write() {
            cache.insert(c, found);
        }
        found
    }

    /// Whether a candidate draws a character: first asked of its cmap through fontdb (the file is
    /// mapped, not read), then of the face read whole, which is kept.
    fn draws(&self, candidate: &Candidate, c: char) -> bool {
        if let Some(face) = candidate.face.get() {
            return face.as_ref().is_some_and(|face| face.glyph(c).is_some());
        }
        let listed = self.database.with_face_data(candidate.id, |data, index| {
            ttf_parser::Face::parse(data, index).is_ok_and(|face| face.glyph_index(c).is_some_and(|g| g.0 != 0))
        });
        if listed != Some(true) {
            return false;
        }
        let face = candidate.face.get_or_init(|| {
            let small = std::fs::metadata(&candidate.path).is_ok_and(|m| m.len() <= MAX_FILE);
            small.then(|| Face::from_file(&candidate.path, candidate.index).ok()).flatten().filter(Face::has_outlines)
        });
        face.as_ref().is_some_and(|face| face.glyph(c).is_some())
    }
}

/// Where a face stands in the order of preference: its preferred family, then regular upright
/// proportional faces before bold, italic or monospaced ones, then family name, file and index.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    preferred: usize,
    weight: u16,
    italic: bool,
    monospaced: bool,
    family: String,
    path: String,
    index: u32,
}

impl Rank {
    fn of(info: &fontdb::FaceInfo, path: &str) -> Rank {
        let preferred = info
            .families
            .iter()
            .filter_map(|(name, _)| {
                let name = name.to_lowercase();
                PREFERRED.iter().position(|p| name.contains(&p.to_lowercase()))
            })
            .min()
            .unwrap_or(PREFERRED.len());
        Rank {
            preferred,
            weight: info.weight.0.abs_diff(400),
            italic: info.style != fontdb::Style::Normal,
            monospaced: info.monospaced,
            family: info.families.first().map(|(name, _)| name.clone()).unwrap_or_default(),
            path: path.to_string(),
            index: info.index,
        }
    }
}
