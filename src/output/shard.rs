//! Shards: a run split over machines (`run --shard I/N`) keeps every draw's
//! full result in `draws.bin`; `merge` replays the draws of all shards, in
//! draw order, through the same sinks as a single run, so the merged files are
//! byte-identical to those of one run with the same seed and draws.
//!
//! `draws.bin` is little-endian: the magic `WIJKSHD1`, then one record per draw:
//! `draw: u64`, then four length-prefixed `f64` arrays (parameters, one per arm
//! the ledger values concatenated, business-case metrics) and the warning
//! counters (`rescaled_rows`, `negative_rest`, `work_units`: `u64`). Lengths are
//! checked against the model on reading, so a shard from another model is an
//! error, never a silently wrong number.

use super::{OutputError, RunDir};
use crate::ledger::Ledger;
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use crate::sim::Warnings;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub use super::schema::DRAWS_BIN;
const MAGIC: &[u8; 8] = b"WIJKSHD1";

/// Streams every draw's result into `draws.bin`.
pub struct ShardWriter {
    out: BufWriter<File>,
    path: PathBuf,
}

impl ShardWriter {
    /// Start `draws.bin` in `dir` (a temporary file until the run directory is finished), magic bytes written.
    pub fn create(dir: &mut RunDir) -> Result<Self, OutputError> {
        let mut out = dir.create_file(DRAWS_BIN)?;
        let path = dir.temp_path(DRAWS_BIN);
        out.write_all(MAGIC).map_err(|e| OutputError::io(&path, e))?;
        Ok(ShardWriter { out, path })
    }

    /// Flush and sync the file; the run directory renames it into place when it finishes.
    pub fn finish(self) -> Result<(), OutputError> {
        super::rundir::finish_writer(self.out, &self.path)
    }

    fn write(&mut self, r: &DrawResult) -> std::io::Result<()> {
        let w = &mut self.out;
        w.write_all(&r.draw.to_le_bytes())?;
        write_f64s(w, &r.params)?;
        w.write_all(&(r.arms.len() as u64).to_le_bytes())?;
        for arm in &r.arms {
            write_f64s(w, &arm.data)?;
        }
        write_f64s(w, &r.metrics)?;
        for x in [r.warnings.rescaled_rows, r.warnings.negative_rest, r.warnings.work_units] {
            w.write_all(&x.to_le_bytes())?;
        }
        Ok(())
    }
}

fn write_f64s(w: &mut impl Write, xs: &[f64]) -> std::io::Result<()> {
    w.write_all(&(xs.len() as u64).to_le_bytes())?;
    for x in xs {
        w.write_all(&x.to_bits().to_le_bytes())?;
    }
    Ok(())
}

impl DrawSink for ShardWriter {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        self.write(r).map_err(|e| OutputError::io(&self.path, e).into())
    }
}

/// Reads the draw records of one shard, checking every length against the model.
pub struct ShardReader {
    input: BufReader<File>,
    path: PathBuf,
    n_params: usize,
    n_arms: usize,
    ledger_shape: (usize, usize, usize),
    n_metrics: usize,
}

impl ShardReader {
    /// Open the `draws.bin` of shard directory `dir`, checking its header against the model shapes of `ctx`.
    pub fn open(dir: &Path, ctx: &RunContext<'_>) -> Result<Self, OutputError> {
        let path = dir.join(DRAWS_BIN);
        let file = File::open(&path).map_err(|e| OutputError::io(&path, e))?;
        let mut input = BufReader::new(file);
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic).map_err(|e| OutputError::io(&path, e))?;
        if &magic != MAGIC {
            return Err(OutputError::Other(format!("{}: not a wijkimpact shard file", path.display())));
        }
        let m = ctx.model;
        Ok(ShardReader {
            input,
            path,
            n_params: m.params.slots,
            n_arms: m.scenarios.len() + 1,
            ledger_shape: (m.areas.len(), m.settings.horizon, ctx.measures.len()),
            n_metrics: m.scenarios.len() * ctx.n_area_slots() * ctx.metrics.len(),
        })
    }

    fn bad(&self, what: String) -> OutputError {
        OutputError::Other(format!(
            "{}: {what} (is this shard from another scenario or engine version?)",
            self.path.display()
        ))
    }

    fn u64(&mut self) -> Result<u64, OutputError> {
        let mut b = [0u8; 8];
        self.input.read_exact(&mut b).map_err(|e| OutputError::io(&self.path, e))?;
        Ok(u64::from_le_bytes(b))
    }

    fn f64s(&mut self, expected: usize, what: &str) -> Result<Vec<f64>, OutputError> {
        let n = self.u64()? as usize;
        if n != expected {
            return Err(self.bad(format!("{what}: {n} values, the model has {expected}")));
        }
        (0..n).map(|_| self.u64().map(f64::from_bits)).collect()
    }

    /// The next draw, or `None` at the end of the file.
    pub fn next_draw(&mut self) -> Result<Option<DrawResult>, OutputError> {
        let mut b = [0u8; 8];
        match self.input.read(&mut b[..1]) {
            Ok(0) => return Ok(None),
            Ok(_) => self.input.read_exact(&mut b[1..]).map_err(|e| OutputError::io(&self.path, e))?,
            Err(e) => return Err(OutputError::io(&self.path, e)),
        }
        let draw = u64::from_le_bytes(b);
        let params = self.f64s(self.n_params, "parameters")?;
        let n_arms = self.u64()? as usize;
        if n_arms != self.n_arms {
            return Err(self.bad(format!("{n_arms} arms, the model has {}", self.n_arms)));
        }
        let (a, y, m) = self.ledger_shape;
        let mut arms = Vec::with_capacity(n_arms);
        for _ in 0..n_arms {
            let data = self.f64s(a * y * m, "ledger")?;
            arms.push(Ledger { n_areas: a, n_years: y, n_measures: m, data });
        }
        let metrics = self.f64s(self.n_metrics, "metrics")?;
        let warnings = Warnings { rescaled_rows: self.u64()?, negative_rest: self.u64()?, work_units: self.u64()? };
        Ok(Some(DrawResult { draw, params, arms, metrics, warnings }))
    }
}
