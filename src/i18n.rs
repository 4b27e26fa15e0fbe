//! Messages for people: every sentence ocs prints comes from a Fluent catalogue (`locales/*/ocs.ftl`)
//! in Traditional Chinese (zh-TW) and English. Not for ids that scripts read: rule ids stay ASCII.
//!
//! A `Message` is an id with named arguments; it is rendered in a language only when printed, so
//! `report.json` stays the same whatever the locale.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language ocs speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// 正體中文（臺灣）.
    #[value(name = "zh-TW", alias = "zh", alias = "zh-tw")]
    ZhTw,
    /// English.
    #[value(name = "en")]
    En,
}

impl Lang {
    /// The language the environment asks for: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// (POSIX order); Chinese when it starts with `zh`, English otherwise.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().filter_map(|name| get(name)).find(|value| !value.is_empty());
        match locale {
            Some(value) if value.to_ascii_lowercase().starts_with("zh") => Lang::ZhTw,
            _ => Lang::En,
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::ZhTw => 0,
            Lang::En => 1,
        }
    }

    /// The BCP 47 tag (`zh-TW`, `en`), as used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhTw => "zh-TW",
            Lang::En => "en",
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(1);

/// Choose the language messages are printed in (once, at start-up; English until then).
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang.index() as u8, Ordering::Relaxed);
}

/// The language messages are printed in.
pub fn lang() -> Lang {
    if CURRENT.load(Ordering::Relaxed) == 0 { Lang::ZhTw } else { Lang::En }
}

/// The catalogues, in `Lang::index` order.
const SOURCES: [(&str, &str); 2] = [("zh-TW", include_str!("../locales/zh-TW/ocs.ftl")), ("en", include_str!("../locales/en/ocs.ftl"))];

fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| SOURCES.map(|(tag, text)| bundle(tag, text)))
}

/// A bundle of one catalogue. The catalogues are compiled in and checked by the tests, so a syntax
/// error cannot reach a user; should one slip through, the messages that did parse are kept.
fn bundle(tag: &str, text: &str) -> FluentBundle<FluentResource> {
    let langid = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Terminals and report files show the text as is: no bidi isolation marks around arguments.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
    // Only an id defined twice fails here; the first definition stays.
    let _ = bundle.add_resource(resource);
    bundle
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// Another message, rendered in the same language.
    Message(Box<Message>),
    /// Messages rendered in the same language and joined (、 or , ).
    List(Vec<Message>),
}

/// A sentence for people: a catalogue id and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    pub id: Cow<'static, str>,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: impl Into<Cow<'static, str>>) -> Message {
        Message { id: id.into(), args: Vec::new() }
    }

    /// Add a text argument.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Add a number argument (plural forms choose by it).
    pub fn num(mut self, name: &'static str, value: impl TryInto<i64>) -> Message {
        self.args.push((name, Arg::Number(value.try_into().unwrap_or(i64::MAX))));
        self
    }

    /// Add another message, rendered in the same language, as an argument.
    pub fn message(mut self, name: &'static str, message: Message) -> Message {
        self.args.push((name, Arg::Message(Box::new(message))));
        self
    }

    /// Add a list of messages, rendered in the same language and joined.
    pub fn list(mut self, name: &'static str, messages: Vec<Message>) -> Message {
        self.args.push((name, Arg::List(messages)));
        self
    }

    /// Rename a cell wherever an argument names it (`E40` → `表2!R5C4`), nested messages too.
    pub fn rename_cell(&mut self, old: &str, new: &str) {
        for (_, value) in &mut self.args {
            match value {
                Arg::Text(text) if text == old => *text = new.to_string(),
                Arg::Message(message) => message.rename_cell(old, new),
                Arg::List(messages) => messages.iter_mut().for_each(|m| m.rename_cell(old, new)),
                _ => {}
            }
        }
    }

    /// The message in a language. An id missing from the catalogue (the tests see that none is)
    /// prints as the id and its arguments, so nothing is lost.
    pub fn render(&self, lang: Lang) -> String {
        let bundle = &bundles()[lang.index()];
        let Some(pattern) = bundle.get_message(&self.id).and_then(|m| m.value()) else {
            let args: Vec<String> = self.args.iter().map(|(name, value)| format!("{name}={}", value.render(lang))).collect();
            return format!("{} {}", self.id, args.join(" "));
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                Arg::Number(n) => args.set(*name, FluentValue::from(*n)),
                other => args.set(*name, FluentValue::from(other.render(lang))),
            }
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
    }

    /// The message in English, as `report.json` and `--format json` carry it.
    pub fn english(&self) -> String {
        self.render(Lang::En)
    }

    /// The arguments as a JSON object, for scripts.
    pub fn args_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Number(n) => serde_json::Value::from(*n),
                    other => serde_json::Value::from(other.render(Lang::En)),
                };
                (name.to_string(), value)
            })
            .collect()
    }
}

impl Arg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Text(text) => text.clone(),
            Arg::Number(n) => n.to_string(),
            Arg::Message(message) => message.render(lang),
            Arg::List(messages) => {
                let separator = if lang == Lang::ZhTw { "、" } else { ", " };
                messages.iter().map(|m| m.render(lang)).collect::<Vec<_>>().join(separator)
            }
        }
    }
}

/// In the current language (`set_lang`).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(lang()))
    }
}

/// The text of a message id without arguments in the current language.
pub fn text(id: impl Into<Cow<'static, str>>) -> String {
    Message::new(id).to_string()
}

/// Whether a catalogue defines an id (for the tests of the help texts).
pub fn has(lang: Lang, id: &str) -> bool {
    bundles()[lang.index()].has_message(id)
}

/// A rule's name for people (`rule-prefix-mismatch` in the catalogue), else its id.
pub fn rule_title(rule: &str, lang: Lang) -> String {
    let id = format!("rule-{rule}");
    if has(lang, &id) { Message::new(id).render(lang) } else { rule.to_string() }
}

/// A human size: 64 MiB, 256 KiB, 1,000 bytes (limits in `--help` and in messages).
pub fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (factor, unit) in UNITS {
        if bytes >= factor && bytes.is_multiple_of(factor) {
            return format!("{} {unit}", bytes / factor);
        }
        if bytes >= factor * 10 {
            return format!("{:.1} {unit}", bytes as f64 / factor as f64);
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .collect()
    }

    #[test]
    fn both_catalogues_parse_and_define_the_same_ids() {
        for (tag, text) in SOURCES {
            assert!(FluentResource::try_new(text.to_string()).is_ok(), "{tag}: the catalogue does not parse");
        }
        let (zh, en) = (ids(SOURCES[0].1), ids(SOURCES[1].1));
        assert!(zh.len() > 100, "{} ids", zh.len());
        assert_eq!(zh.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "only in zh-TW");
        assert_eq!(en.difference(&zh).collect::<Vec<_>>(), Vec::<&String>::new(), "only in en");
    }

    /// Every `Message::new("…")` and `text("…")` in the sources names an id both catalogues define.
    #[test]
    fn every_id_used_in_the_sources_is_defined() {
        let mut used = BTreeSet::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for opener in ["Message::new(\"", "text(\"", "\"fix-", "\"field-", "\"severity-", "\"rewrite-", "\"encoding-", "\"format-"] {
                for (at, _) in source.match_indices(opener) {
                    let start = at + opener.rfind('"').unwrap() + 1;
                    let rest = &source[start..];
                    let id = &rest[..rest.find('"').unwrap()];
                    if id.starts_with(|c: char| c.is_ascii_lowercase())
                        && !id.ends_with('-')
                        && id.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    {
                        used.insert(id.to_string());
                    }
                }
            }
        }
        assert!(used.len() > 50, "{} ids used", used.len());
        for id in &used {
            assert!(has(Lang::ZhTw, id) && has(Lang::En, id), "`{id}` is not in both catalogues");
        }
    }

    /// An id defined twice keeps its first definition and silently loses the second (once the
    /// defects table's head 檔案 read `{$kind}（{$format}）`): each catalogue adds without a clash.
    #[test]
    fn no_id_is_defined_twice() {
        for (tag, text) in SOURCES {
            let mut bundle = FluentBundle::new_concurrent(vec![tag.parse().unwrap()]);
            let resource = FluentResource::try_new(text.to_string()).unwrap();
            let clashes = bundle.add_resource(resource).err().unwrap_or_default();
            assert!(clashes.is_empty(), "{tag}: {clashes:?}");
        }
    }

    /// The variables a message of a catalogue uses (`$name`), from its text: its first line and the
    /// lines that continue it (indented, or the `}` closing a selector), and those of the messages
    /// it refers to (`{ other-id }`), which format with the same arguments.
    fn variables(text: &str) -> Vec<(String, BTreeSet<String>)> {
        let mut messages: Vec<(String, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
        let word = |rest: &str| -> String { rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect() };
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            if line.starts_with(|c: char| c.is_ascii_lowercase())
                && let Some((id, _)) = line.split_once(" =")
            {
                messages.push((id.trim().to_string(), BTreeSet::new(), BTreeSet::new()));
            }
            let Some((_, names, references)) = messages.last_mut() else { continue };
            for (at, _) in line.match_indices('$') {
                names.insert(word(&line[at + 1..]));
            }
            for (at, _) in line.match_indices('{') {
                let reference = word(line[at + 1..].trim_start());
                if reference.starts_with(|c: char| c.is_ascii_lowercase()) {
                    references.insert(reference);
                }
            }
        }
        let direct: std::collections::BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> =
            messages.iter().map(|(id, names, references)| (id.clone(), (names.clone(), references.clone()))).collect();
        messages
            .iter()
            .map(|(id, names, references)| {
                let mut all = names.clone();
                let mut pending: Vec<&String> = references.iter().collect();
                let mut seen = BTreeSet::new();
                while let Some(reference) = pending.pop() {
                    if seen.insert(reference.clone())
                        && let Some((more, further)) = direct.get(reference)
                    {
                        all.extend(more.iter().cloned());
                        pending.extend(further.iter());
                    }
                }
                (id.clone(), all)
            })
            .collect()
    }

    /// Every message of both catalogues formats with its arguments — as numbers (plural forms) and
    /// as texts — without an error and without a placeholder left in what it prints.
    #[test]
    fn every_message_formats_with_its_arguments() {
        for (index, (tag, text)) in SOURCES.iter().enumerate() {
            let bundle = &bundles()[index];
            let messages = variables(text);
            assert!(messages.len() > 100, "{tag}: {} messages", messages.len());
            for (id, names) in &messages {
                let pattern = bundle.get_message(id).and_then(|m| m.value()).unwrap_or_else(|| panic!("{tag}: {id} has no value"));
                for as_number in [true, false] {
                    let mut args = FluentArgs::new();
                    for name in names {
                        args.set(name.clone(), if as_number { FluentValue::from(2) } else { FluentValue::from("X1") });
                    }
                    let mut errors = Vec::new();
                    let shown = bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{tag}: {id}: {errors:?}");
                    assert!(!shown.contains("{$") && !shown.contains("{ $") && !shown.contains("{-"), "{tag}: {id}: {shown}");
                }
            }
        }
    }

    #[test]
    fn locale_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "zh_TW.UTF-8")])), Lang::ZhTw);
        assert_eq!(Lang::from_env(env(&[("LANG", "C")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "zh_TW.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "C"), ("LC_MESSAGES", "zh_TW")])), Lang::ZhTw);
        assert_eq!(Lang::from_env(env(&[("LC_ALL", ""), ("LANG", "zh_HK")])), Lang::ZhTw);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
    }

    #[test]
    fn renders_arguments_and_plurals_in_both_languages() {
        let message = Message::new("summary-standards").num("good", 1).num("repeats", 0).num("failed", 0);
        assert_eq!(message.render(Lang::En), "1 standard converted, 0 failed");
        assert_eq!(message.render(Lang::ZhTw), "已轉換 1 份職能基準，0 份失敗");
        let message = Message::new("summary-standards").num("good", 2).num("repeats", 5).num("failed", 1);
        assert_eq!(message.render(Lang::En), "2 standards converted (5 more inputs were the same standard, written once), 1 failed");
        assert_eq!(message.render(Lang::ZhTw), "已轉換 2 份職能基準（另有 5 個輸入是同一份職能基準，只輸出一次），1 份失敗");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size(256 << 10), "256 KiB");
        assert_eq!(size(1000), "1000 B");
        assert_eq!(size((64 << 20) + 1), "64.0 MiB");
    }
}
