//! What a run found and did, as data: what became of each standard, the inputs that failed, every
//! diagnostic. The batch (`run`) fills it; `main` prints it and `render::html`/`report.json` write it.

use crate::diag::{Diagnostic, Severity};
use crate::i18n::Message;
use crate::text::FontFile;

/// What became of one standard.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub code: String,
    /// 職能基準名稱.
    pub name: String,
    pub file: String,
    pub sheet: String,
    pub written: bool,
    pub failed: bool,
    /// The files written into `OUT/CODE/`, relative to it, in the order written.
    pub files: Vec<String>,
    /// The input this standard repeats (the same content under the same code), when it does:
    /// its outputs and defects are those of that one.
    pub same_as: Option<String>,
    /// The font files each PDF written was drawn with, in the order written.
    pub fonts: Vec<PdfFonts>,
}

/// The font files one PDF was drawn with: the chosen font first, then the fallbacks it used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PdfFonts {
    /// The PDF, relative to `OUT/CODE/`.
    pub pdf: String,
    pub fonts: Vec<FontFile>,
}

/// Everything a run found and did.
#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Inputs that gave no standard at all.
    pub failed_files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The run's report as written to `OUT/report.json`: what became of each standard and input, the
/// counts by severity and by rule, and every diagnostic. No timings, so that the same inputs give
/// the same bytes.
#[derive(Debug, serde::Serialize)]
pub struct ReportFile<'a> {
    pub converted: usize,
    pub failed: usize,
    pub standards: Vec<ReportedStandard<'a>>,
    pub failed_files: &'a [String],
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Warnings and errors by rule.
    pub rules: std::collections::BTreeMap<&'static str, usize>,
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Debug, serde::Serialize)]
pub struct ReportedStandard<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub file: &'a str,
    pub sheet: &'a str,
    pub written: bool,
    pub failed: bool,
    /// Files written into `OUT/CODE/`.
    pub files: &'a [String],
    /// The input this one repeats (same code, same content): written once, defects listed there.
    pub same_as: Option<&'a str>,
    /// The font files each PDF was drawn with.
    pub fonts: &'a [PdfFonts],
}

impl Report {
    /// The summary's first sentence: standards converted, repeated and failed, told by `headline`
    /// (`summary-standards`, or `summary-standards-read` when nothing is written), then the errors,
    /// warnings and notes. The command line adds the folder, the time and the rules; the web page
    /// shows it as it is.
    pub fn tally(&self, headline: &'static str) -> String {
        let mut line = Message::new(headline)
            .num("good", self.converted() - self.repeats())
            .num("repeats", self.repeats())
            .num("failed", self.failures())
            .to_string();
        let counts = Message::new("summary-counts")
            .num("errors", self.count(Severity::Error))
            .num("warnings", self.count(Severity::Warning))
            .num("notes", self.count(Severity::Info));
        line.push_str(&counts.to_string());
        line
    }

    /// Standards converted (not failed).
    pub fn converted(&self) -> usize {
        self.outcomes.iter().filter(|o| !o.failed).count()
    }

    /// Standards read again from another input with the same content (written once).
    pub fn repeats(&self) -> usize {
        self.outcomes.iter().filter(|o| o.same_as.is_some() && !o.failed).count()
    }

    /// Standards and inputs that failed.
    pub fn failures(&self) -> usize {
        self.outcomes.len() - self.converted() + self.failed_files.len()
    }

    /// Warnings and errors by rule, most frequent first, then by name.
    pub fn by_rule(&self) -> Vec<(&'static str, usize)> {
        let mut counts: std::collections::BTreeMap<&'static str, usize> = std::collections::BTreeMap::new();
        for d in self.diagnostics.iter().filter(|d| d.severity > Severity::Info) {
            *counts.entry(d.rule).or_default() += 1;
        }
        let mut rules: Vec<_> = counts.into_iter().collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules
    }

    pub fn to_file(&self) -> ReportFile<'_> {
        ReportFile {
            converted: self.converted(),
            failed: self.failures(),
            standards: self
                .outcomes
                .iter()
                .map(|o| ReportedStandard {
                    code: &o.code,
                    name: &o.name,
                    file: &o.file,
                    sheet: &o.sheet,
                    written: o.written,
                    failed: o.failed,
                    files: &o.files,
                    same_as: o.same_as.as_deref(),
                    fonts: &o.fonts,
                })
                .collect(),
            failed_files: &self.failed_files,
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            notes: self.count(Severity::Info),
            rules: self.by_rule().into_iter().collect(),
            diagnostics: &self.diagnostics,
        }
    }

    pub fn failed(&self) -> bool {
        self.failures() > 0
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}
