//! Output writers: a run directory written atomically ([`rundir`]), the
//! per-draw tables ([`draws`]: `draws` and `parameters`) and the tidy yearly
//! table ([`yearly`]) in CSV or Parquet as [`OutputFormat`] says (`--format`;
//! [`parquet`] holds the Parquet conventions and helpers), the other tidy CSV
//! files ([`csv`]: `summary.csv`, `sensitivity.csv`; [`comparisons`]:
//! `comparisons.csv`; [`arms`]: `arms.csv`), the JSON summary
//! ([`json`]: `summary.json`), the model's assumptions for reports
//! ([`assumptions`]: `assumptions.json`) and the run manifest ([`manifest`]:
//! `manifest.json`, which records the format). `docs/outputs.md` is the data
//! dictionary of every file.
//!
//! Missing or non-finite numbers are never written as `NaN` or `inf`: CSV gets
//! an empty cell, Parquet a null and JSON `null`, so R, pandas, polars and
//! strict JSON parsers read every file as is.
//!
//! The writers that stream while the run goes are [`crate::runner::DrawSink`]s; a
//! [`FanOut`] pushes each draw into several sinks (summary and per-draw tables).

pub mod arms;
pub mod assumptions;
pub mod comparisons;
pub mod csv;
pub mod decision;
pub mod draws;
pub mod json;
pub mod manifest;
pub mod parquet;
pub mod rundir;
pub mod schema;
pub mod shard;
pub mod yearly;

use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use std::path::{Path, PathBuf};

pub use rundir::RunDir;

pub use schema::{
    OutputFormat, ACCEPTABILITY_CSV, ARMS_CSV, ASSUMPTIONS_JSON, COMPARISONS_CSV, DRAWS_CSV, DRAWS_PARQUET, EVPPI_CSV,
    INCREMENTAL_CSV, MANIFEST_JSON, MONITOR_JSON, OBSERVED_CSV, PARAMETERS_CSV, PARAMETERS_PARQUET, SENSITIVITY_CSV,
    SUMMARY_CSV, SUMMARY_JSON, YEARLY_CSV, YEARLY_PARQUET,
};

/// Why a run directory or one of its files could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file-system call failed on `path`.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The output directory already holds results and `--force` was not given, so nothing is overwritten by accident.
    #[error("{}: output directory is not empty (use --force to replace its results)", .0.display())]
    NotEmpty(PathBuf),
    /// Another process is writing results into the same directory right now.
    #[error("{}: another wijkimpact process is writing into this directory; wait for it or choose another --out", .0.display())]
    InUse(PathBuf),
    /// The output path exists but is a file.
    #[error("{}: exists and is not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// A file name with a path separator or other character that would escape the run directory.
    #[error("invalid output file name {0:?}")]
    BadName(String),
    /// Any other failure, already worded for the user.
    #[error("{0}")]
    Other(String),
}

impl OutputError {
    /// An [`OutputError::Io`] for `path`, so callers need not copy the path themselves.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io { path: path.to_path_buf(), source }
    }
}

impl From<OutputError> for SinkError {
    fn from(e: OutputError) -> Self {
        SinkError(e.to_string())
    }
}

/// A finite number as `Some`, anything else as `None` (written as null / empty).
#[inline]
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Append a number in its shortest round-trip form (`{}` of f64, which never
/// uses exponents that R or pandas misread); non-finite → nothing (empty cell).
#[inline]
pub(crate) fn push_num(buf: &mut String, x: f64) {
    let mut b = ryu::Buffer::new();
    if let Some(s) = num_text(&mut b, x) {
        buf.push_str(s);
    } else if x.is_finite() {
        use std::fmt::Write;
        let _ = write!(buf, "{}", if x == 0.0 { 0.0 } else { x });
    }
}

/// [`push_num`] onto bytes (the per-draw CSV files are written as bytes).
#[inline]
pub(crate) fn push_num_bytes(buf: &mut Vec<u8>, x: f64) {
    let mut b = ryu::Buffer::new();
    if let Some(s) = num_text(&mut b, x) {
        buf.extend_from_slice(s.as_bytes());
    } else if x.is_finite() {
        use std::io::Write;
        let _ = write!(buf, "{}", if x == 0.0 { 0.0 } else { x });
    }
}

/// The fast path of [`push_num`]: `Some(text)` when it is the text of `{}`,
/// `None` for a non-finite `x` or one that needs the slow path.
///
/// `{}` and ryu both print the shortest digits that read back as `x`, the
/// one closest to `x` when several are that short. They differ in layout
/// (ryu adds `.0` to whole numbers and switches to an exponent, `1e16`,
/// `1e-7`, where `{}` writes every digit out) and in exact ties: when `x` lies
/// exactly halfway between two shortest candidates (684768181588610.25),
/// ryu rounds to even (`…610.2`) and `{}` up (`…610.3`). So `.0` is dropped,
/// and text with an exponent and every `x` that could be such a tie go to
/// `write!`. The unit tests compare the two on millions of values.
#[inline]
fn num_text(b: &mut ryu::Buffer, x: f64) -> Option<&str> {
    if !x.is_finite() || may_be_tie(x) {
        return None;
    }
    // -0 and 0 print differently; write 0 for both so equal numbers give equal bytes.
    let x = if x == 0.0 { 0.0 } else { x };
    let s = b.format_finite(x);
    if s.as_bytes().contains(&b'e') {
        None
    } else {
        Some(s.strip_suffix(".0").unwrap_or(s))
    }
}

/// Whether `x` could lie exactly halfway between two shortest decimal
/// candidates (a superset of those that do). The shortest text has at most
/// 17 significant digits, so a tie needs an exact decimal expansion of at
/// most 18. A double with `k > 0` fractional bits has exactly `k` decimals
/// (the last a 5), plus its integer digits, of which there are at least
/// `⌊e·log10 2⌋ + 1` for a binary exponent `e ≥ 0`; below 1 (ryu writes no
/// exponent down to 1e-5) up to 4 leading zeros do not count. Whole numbers
/// have no tie: below 2^53 they print in full, above it a trailing 5 would
/// make them odd, which no double that large is. Most computed values have
/// far too many fractional bits to qualify.
#[inline]
fn may_be_tie(x: f64) -> bool {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let mant = if biased == 0 { (bits & ((1 << 52) - 1)) << 1 } else { (bits & ((1 << 52) - 1)) | (1 << 52) };
    if mant == 0 {
        return false;
    }
    // x = mant · 2^(biased − 1075); fractional bits after dropping trailing zeros.
    let k = -(biased - 1075 + mant.trailing_zeros() as i64);
    if k <= 0 {
        return false;
    }
    let e = biased - 1023; // ⌊log2 |x|⌋ for normal x
    let int_digits = if e >= 0 { e * 30103 / 100_000 + 1 } else { -4 };
    // Margin of two digits over the bound of 18.
    k + int_digits <= 20
}

/// A number as a CSV cell (see `push_num`).
pub fn num_cell(x: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, x);
    s
}

/// Pushes every draw into several sinks, in order; the first error stops the run.
pub struct FanOut<'a> {
    sinks: Vec<&'a mut dyn DrawSink>,
}

impl<'a> FanOut<'a> {
    /// A fan-out over `sinks`, pushed in the order given.
    pub fn new(sinks: Vec<&'a mut dyn DrawSink>) -> Self {
        FanOut { sinks }
    }
}

impl DrawSink for FanOut<'_> {
    fn push(&mut self, ctx: &RunContext<'_>, result: &DrawResult) -> Result<(), SinkError> {
        for s in &mut self.sinks {
            s.push(ctx, result)?;
        }
        Ok(())
    }

    /// Every sink gets the whole chunk, the sinks side by side on the run's
    /// pool (they share nothing), so writing `draws.csv` does not wait for
    /// the summary or the other way round. The first error in sink order wins.
    fn push_chunk(&mut self, ctx: &RunContext<'_>, results: &[DrawResult]) -> Result<(), SinkError> {
        use rayon::prelude::*;
        let outcomes: Vec<Result<(), SinkError>> =
            self.sinks.par_iter_mut().map(|s| s.push_chunk(ctx, results)).collect();
        outcomes.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_become_empty() {
        assert_eq!(num_cell(f64::NAN), "");
        assert_eq!(num_cell(f64::INFINITY), "");
        assert_eq!(num_cell(f64::NEG_INFINITY), "");
        assert_eq!(num_cell(-0.0), "0");
        assert_eq!(num_cell(1.5), "1.5");
        assert_eq!(num_cell(1e21), "1000000000000000000000");
        assert_eq!(finite(f64::NAN), None);
    }

    /// The fast number text is the text of `{}` (with -0 as 0): special
    /// values, the ranges where ryu switches to exponents, whole numbers,
    /// decimals and random bit patterns.
    #[test]
    fn fast_number_text_is_display() {
        fn check(x: f64) {
            let want = if x.is_finite() { format!("{}", if x == 0.0 { 0.0 } else { x }) } else { String::new() };
            let mut s = String::new();
            push_num(&mut s, x);
            assert_eq!(s, want, "{x:e} (bits {:#x})", x.to_bits());
            let mut b = vec![];
            push_num_bytes(&mut b, x);
            assert_eq!(b, want.as_bytes(), "{x:e}");
        }
        for x in [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 100.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e-4, 1e-5, 1e-6, 1e-7] {
            check(x);
            check(-x);
        }
        for x in [f64::MAX, f64::MIN, f64::MIN_POSITIVE, f64::EPSILON, 5e-324, f64::NAN, f64::INFINITY] {
            check(x);
        }
        for e in -330..=310 {
            check(10f64.powi(e));
            check(1.234_567_890_123_456_7 * 10f64.powi(e));
            check(-(3.0f64.powi(e.clamp(-600, 600) / 2)));
        }
        // Exact ties between two shortest candidates: `{}` rounds them up, ryu to even.
        check(f64::from_bits(0x4303_7658_21bc_9412)); // 684768181588610.25
        for k in 1..=30 {
            for m in [1u64, 3, 5, 123, 99_999, 684768181588610, 12345678901] {
                let x = m as f64 / (1u64 << k) as f64;
                check(x);
                check(x + 1e6);
                check(x * 1e9);
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..1_000_000u64 {
            check(f64::from_bits(next()));
            check((next() % 2_000_000_000) as f64 / 100.0 - 1e7);
            check((next() >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((i % 40) as i32 - 20));
            check((next() % 100_000) as f64 * 0.01);
            check((next() >> 20) as f64 / (1u64 << (next() % 40)) as f64);
            check((next() >> 30) as f64 / (1u64 << (next() % 20)) as f64);
        }
    }

    /// Every CSV and JSON writer on a run with missing and infinite values:
    /// all six files appear, and none contains `NaN` or `inf`.
    #[test]
    fn writers_never_emit_non_finite_numbers() {
        use crate::ledger::Ledger;
        use crate::summary::Summariser;
        let model = crate::summary::tests::tiny_model();
        let ctx = RunContext::new(&model).unwrap();
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("run");
        let mut dir = RunDir::create(&out, false).unwrap();
        let mut sum = Summariser::new(&ctx, &[0.05, 0.95]).unwrap();
        let mut draws = csv::DrawsCsv::create(&mut dir, &ctx).unwrap();
        for d in 0..3 {
            let arms = vec![Ledger::new(2, 2, ctx.measures.len()); 2];
            let mut metrics = vec![f64::NAN; 3 * ctx.metrics.len()];
            metrics[0] = f64::INFINITY;
            metrics[1] = d as f64;
            let r = DrawResult { draw: d, params: vec![], arms, metrics, warnings: Default::default() };
            let mut fan = FanOut::new(vec![&mut sum, &mut draws]);
            fan.push(&ctx, &r).unwrap();
        }
        draws.finish().unwrap();
        let s = sum.finish();
        yearly::write_yearly(&mut dir, &s, OutputFormat::Csv).unwrap();
        json::write_summary(&mut dir, &s, &model, 1, "cohort").unwrap();
        csv::write_summary_csv(&mut dir, &s).unwrap();
        let run = schema::ManifestFile {
            inputs: vec![schema::InputFile { path: "x.toml".into(), sha256: manifest::sha256_hex(b"x") }],
            seed: 1,
            draws: 3,
            draws_completed: 3,
            mode: "cohort".into(),
            threads: 1,
            shard: schema::ShardFile { index: 0, count: 1 },
            quantiles: s.quantiles.clone(),
            command_line: vec!["wijkimpact".into()],
            work_units: 10,
            ..Default::default()
        };
        let timing = manifest::RunTiming { started_at: std::time::SystemTime::now(), wall_time_seconds: 0.5 };
        manifest::write_manifest(&mut dir, &run, &timing).unwrap();
        dir.finish().unwrap();
        for name in [DRAWS_CSV, PARAMETERS_CSV, YEARLY_CSV, SUMMARY_JSON, SUMMARY_CSV, MANIFEST_JSON] {
            let text = std::fs::read_to_string(out.join(name)).unwrap();
            let lower = text.to_lowercase();
            assert!(!lower.contains("nan") && !lower.contains("inf"), "{name} contains a non-finite number");
        }
        let draws_csv = std::fs::read_to_string(out.join(DRAWS_CSV)).unwrap();
        assert!(draws_csv.starts_with(
            "draw,scenario,area,metric,value\n0,plus,Noord,pv_benefits,\n0,plus,Noord,pv_benefits_gross,0\n"
        ));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(SUMMARY_JSON)).unwrap()).unwrap();
        let npv = &v["scenarios"]["plus"]["areas"]["totaal"]["metrics"]["npv"];
        assert!(npv["mean"].is_null());
        assert_eq!(npv["missing"], 3);
        assert!(npv["p_positive"].is_null());
        assert!(v["scenarios"]["plus"]["areas"]["Noord"]["metrics"]["bcr"].get("p_positive").is_none());
        let yearly = std::fs::read_to_string(out.join(YEARLY_CSV)).unwrap();
        assert!(yearly.starts_with(
            "scenario,contrast,area,year,measure,chain,state,funder,taakveld,outcome,intervention,mean,sd,mcse,p5,p50,p95\n\
             nulalternatief,level,Noord,2025,population_start,,,,,,,0,0,0,0,0,0\n"
        ));
        let summary_csv = std::fs::read_to_string(out.join(SUMMARY_CSV)).unwrap();
        assert!(
            summary_csv.starts_with(
                "scenario,area,metric,n,missing,mean,sd,mcse,p5,p50,p95,p_positive\n\
                 plus,Noord,pv_benefits,3,0,,0,0,,,,\nplus,Noord,pv_benefits_gross,3,0,1,1,"
            ),
            "{summary_csv}"
        );
        assert!(summary_csv.contains("\nplus,totaal,npv,0,3,,,,,,,\n"), "no draw had an NPV: p_positive is empty");
    }
}
