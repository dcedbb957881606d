//! `manifest.json`: everything needed to reproduce a run and judge its cost.
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "engine": { "name": "wijkimpact", "version": "0.1.0" },
//!   "prng": "xoshiro256++ …",
//!   "scenario_hash": "<sha256>",
//!   "inputs": [ { "path": "scenarios/example-full.toml", "sha256": "<sha256>" }, … ],
//!   "seed": 1, "draws": 1000, "draws_completed": 1000, "mode": "cohort",
//!   "threads": 8, "shard": { "index": 0, "count": 1 },
//!   "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95],
//!   "command_line": ["wijkimpact", "run", …],
//!   "started_at": "2025-01-31T12:00:00Z",
//!   "wall_time_seconds": 1.25, "draws_per_second": 800.0,
//!   "work_units": 123456, "work_units_per_second": 98765.0,
//!   "peak_memory_bytes": 12345678,            // null where /proc is unavailable
//!   "warnings": { "rescaled_rows": 0, "negative_rest": 0 },
//!   "format": "parquet",                      // or "csv" (--format)
//!   "files": ["draws.parquet", "parameters.parquet", "yearly.parquet", "summary.json",
//!             "summary.csv", "comparisons.csv", "arms.csv", "sensitivity.csv", "assumptions.json",
//!             "manifest.json"]   // as written
//! }
//! ```
//!
//! The manifest does not ask git for anything: a run from a tarball is as
//! reproducible as one from a checkout, given the engine version and the input
//! hashes. `scenario_hash` is the SHA-256 of the input files' SHA-256 digests
//! (lowercase hex, one per line, in load order), so it identifies the inputs by
//! content whatever directory they were read from.

use super::schema::{EngineFile, ManifestFile, FORMAT_VERSION};
use super::{finite, OutputError, RunDir, MANIFEST_JSON};
use std::time::{SystemTime, UNIX_EPOCH};

pub use super::schema::InputFile;

/// SHA-256 of `bytes`, lowercase hex (the input files' digests).
pub use crate::hash::sha256_hex;

/// The combined hash of a run's inputs (see the module docs).
pub fn combined_hash(inputs: &[InputFile]) -> String {
    crate::hash::sha256_of_lines(inputs.iter().map(|f| f.sha256.as_str()))
}

/// A UTC time as RFC 3339 (`2025-01-31T12:00:00Z`), without a date crate:
/// civil-from-days after Howard Hinnant's algorithm.
pub(crate) fn rfc3339_utc(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Peak resident memory of this process (VmHWM in /proc/self/status), where available.
pub fn peak_memory_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&s)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let mut it = line["VmHWM:".len()..].split_whitespace();
    let n: u64 = it.next()?.parse().ok()?;
    let mult = match it.next() {
        Some("kB") | Some("KB") => 1024,
        Some("mB") | Some("MB") => 1024 * 1024,
        None => 1,
        Some(_) => return None,
    };
    Some(n * mult)
}

/// When a run started and how long it took: the part of `manifest.json` that
/// is read from the clock rather than known from the run itself.
#[derive(Debug, Clone, Copy)]
pub struct RunTiming {
    /// When the run started.
    pub started_at: SystemTime,
    /// Elapsed wall-clock time, seconds.
    pub wall_time_seconds: f64,
}

/// `manifest.json` from the run's facts (`run`: inputs, seed, draws, mode,
/// threads, shard, quantiles, command line, work units, warnings, files) and
/// its timing; the engine, PRNG, input hash, rates and peak memory (read now)
/// are filled in here, so every writer derives them alike.
pub(crate) fn manifest_file(run: &ManifestFile, timing: &RunTiming) -> ManifestFile {
    let secs = timing.wall_time_seconds;
    let rate = |x: f64| if secs > 0.0 { finite(x / secs) } else { None };
    ManifestFile {
        format_version: FORMAT_VERSION,
        engine: EngineFile::current(),
        prng: crate::rng::PRNG_NAME.to_string(),
        scenario_hash: combined_hash(&run.inputs),
        started_at: rfc3339_utc(timing.started_at),
        wall_time_seconds: finite(secs),
        draws_per_second: rate(run.draws_completed as f64),
        work_units_per_second: rate(run.work_units as f64),
        peak_memory_bytes: peak_memory_bytes(),
        ..run.clone()
    }
}

/// The JSON text of `manifest.json`.
pub(crate) fn manifest_json(run: &ManifestFile, timing: &RunTiming) -> Result<String, OutputError> {
    super::json::pretty(&manifest_file(run, timing))
}

/// Write `manifest.json`; call it last, so its presence marks a complete run.
pub fn write_manifest(dir: &mut RunDir, run: &ManifestFile, timing: &RunTiming) -> Result<(), OutputError> {
    let text = manifest_json(run, timing)?;
    dir.write_file(MANIFEST_JSON, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::ShardFile;
    use std::time::Duration;

    #[test]
    fn rfc3339_known_instants() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(UNIX_EPOCH + Duration::from_secs(1_735_689_599)), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn combined_hash_ignores_paths() {
        let a = InputFile { path: "x".into(), sha256: sha256_hex(b"abc") };
        let b = InputFile { path: "elsewhere/x".into(), sha256: sha256_hex(b"abc") };
        assert_eq!(combined_hash(&[a]), combined_hash(&[b]));
    }

    #[test]
    fn vm_hwm_parsing() {
        assert_eq!(parse_vm_hwm("Name:\tx\nVmHWM:\t   2048 kB\n"), Some(2048 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None);
    }

    #[test]
    fn manifest_never_contains_non_finite_numbers() {
        let run = ManifestFile {
            draws: 0,
            mode: "cohort".into(),
            threads: 1,
            shard: ShardFile { index: 0, count: 1 },
            quantiles: vec![0.5],
            ..Default::default()
        };
        let timing = RunTiming { started_at: UNIX_EPOCH, wall_time_seconds: 0.0 };
        let s = manifest_json(&run, &timing).unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert!(v["draws_per_second"].is_null());
        assert!(!s.contains("NaN") && !s.contains("inf"));
    }
}
