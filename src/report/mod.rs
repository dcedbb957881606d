//! The advisor's report: one self-contained HTML file per run, in Dutch or
//! English, that a policy advisor reads without opening a CSV.
//!
//! [`data::RunData`] reads a run directory back (summary, yearly series,
//! sensitivity, assumptions, manifest, and the monitor's findings when
//! `wijkimpact monitor` made the run); [`html::render`] lays out the seven
//! sections (samenvatting, indicators over time, NPV distribution, wie betaalt
//! wie baat, what drives the result, assumptions, reproduce this), with an
//! eighth, monitoring, after what drives the result when the run has a
//! `monitor.json`, one module each under `sections`; charts, words, numbers and
//! HTML blocks come from [`crate::render`]. The report only reads what
//! `run` wrote, so it takes well under a second however many draws the run had.

pub mod data;
mod decision;
pub mod html;
mod sections;
mod yearly;

use std::path::{Path, PathBuf};

pub use crate::render::text::Lang;
pub use data::RunData;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The path is not a directory, so not the output of `wijkimpact run`.
    #[error("{0}: not a run directory (expected the output directory of `wijkimpact run`)")]
    NotARunDir(PathBuf),
    #[error("{path}: {source}")]
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    /// A CSV or JSON file is malformed at `line`.
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    #[error("{path}: {reason}")]
    /// A file is well-formed but not what the report expects (wrong version, missing key, missing file).
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] crate::render::charts::ChartError),
}

impl ReportError {
    /// An error reading `path`; a missing file becomes [`ReportError::Format`]
    /// saying the run directory is incomplete, which is what it usually means.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            return ReportError::Format {
                path: path.to_path_buf(),
                reason: "missing: the run directory is incomplete (was the run interrupted?)".into(),
            };
        }
        ReportError::Io { path: path.to_path_buf(), source }
    }

    /// True when the error is about what the user pointed us at (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ReportError::Io { .. } | ReportError::Chart(_))
    }
}

/// Read the run in `dir` and render its report as one HTML document.
pub fn render(dir: &Path, lang: Lang) -> Result<String, ReportError> {
    render_with(dir, lang, None)
}

/// [`render`], with the Sobol indices of `wijkimpact sobol` in `sobol_dir`
/// added to the decision section; an error when they are of other input
/// files than the run (by SHA-256, see `manifest.json` `inputs`).
pub fn render_with(dir: &Path, lang: Lang, sobol_dir: Option<&Path>) -> Result<String, ReportError> {
    let mut data = RunData::load(dir)?;
    if let Some(s) = sobol_dir {
        data.sobol = Some(decision::load_sobol(s, &data.manifest)?);
    }
    html::render(&data, lang)
}

/// The default file name of the report in a run directory.
pub fn default_file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "report.html",
        Lang::En => "report.en.html",
    }
}
