//! Shards: a run split over machines (`run --shard I/N`) keeps every draw's
//! full result in `draws.shard.parquet`; `merge` replays the draws of all
//! shards, in draw order, through the same sinks as a single run, so the merged
//! files are byte-identical to those of one run with the same seed and draws.
//!
//! # The file
//!
//! A Parquet file (zstd-compressed) with one row per draw, in draw order:
//!
//! | column | type | holds |
//! |---|---|---|
//! | `draw` | UInt64 | the draw number |
//! | `params` | List\<Float64\> | the value of every parameter slot |
//! | `ledger` | List\<Float64\> | the ledger of every arm, arm after arm (0 = nulalternatief, `1 + s` scenario `s`), each `[area][year][measure]` |
//! | `metrics` | List\<Float64\> | business-case metrics `[scenario][area slot][metric]` |
//! | `rescaled_rows`, `negative_rest`, `work_units` | UInt64 | the draw's warning counters |
//! | `checksum` | UInt64 | a checksum of the row's values, checked by `merge` |
//!
//! Numbers are stored as their exact 64-bit patterns, so the replay is exact.
//! One row per draw keeps the arms of a draw side by side, where zstd finds
//! what the arms share (most of a scenario's ledger equals the
//! nulalternatief's): about 135 KB per W-city draw, against 594 KB
//! uncompressed. Row groups hold [`DRAWS_PER_ROW_GROUP`] draws, and pages are
//! read one at a time, so writing and merging keep a few megabytes per shard in
//! memory whatever the number of draws.
//!
//! The key-value metadata entry `wijkimpact.shard` holds a [`ShardHeader`] as
//! JSON: format version, the run (scenario hash, seed, draws, mode, shard) and
//! the shapes of the model. `merge` checks it against the shard's
//! `manifest.json` and the reloaded model, and refuses a file that is cut
//! short, corrupt, from another run or from another engine version with an
//! error naming the shard ([`ShardError`]), never a silently wrong number.
//!
//! The `draws.bin` format of earlier versions (raw little-endian records, about
//! 0.6 MB per W-city draw) is no longer read: a shard directory holding it is
//! refused with the advice to rerun the shard.

use super::{OutputError, RunDir};
use crate::ledger::Ledger;
use crate::runner::{DrawResult, DrawSink, RunContext, RunOptions, SinkError};
use crate::sim::Warnings;
use arrow_array::builder::{Float64Builder, ListBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::{KeyValue, ParquetMetaDataReader};
use parquet::file::properties::EnabledStatistics;
use parquet::schema::types::ColumnPath;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::schema::ManifestFile;
pub use super::schema::SHARD_PARQUET;

/// The shard file of earlier versions, recognised only to say it is no longer read.
pub const OLD_DRAWS_BIN: &str = "draws.bin";
/// Version of the shard format; `draws.bin` (magic `WIJKSHD1`) was version 1.
pub const SHARD_FORMAT_VERSION: u32 = 2;
/// Key of the [`ShardHeader`] in the Parquet file's key-value metadata.
pub const HEADER_KEY: &str = "wijkimpact.shard";
/// Draws per Parquet row group: what the writer holds (compressed) before it
/// writes a group out.
pub const DRAWS_PER_ROW_GROUP: usize = 64;
/// How far from the end of a file without a footer the reader looks for one
/// (to tell bytes appended after a complete file from a file cut short).
const FOOTER_SEARCH: u64 = 16 << 20;
const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// The sizes of a draw's record, derived from the model: a shard is only
/// read by a model of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardShape {
    /// Parameter slots per draw.
    pub params: usize,
    /// Arms: the nulalternatief and every scenario.
    pub arms: usize,
    /// Areas (first axis of a ledger).
    pub areas: usize,
    /// Simulated years (second axis).
    pub years: usize,
    /// Ledger measures (third axis).
    pub measures: usize,
    /// Business-case metric values per draw.
    pub metrics: usize,
}

impl ShardShape {
    /// The shape of the draws of `ctx`'s model.
    pub fn of(ctx: &RunContext<'_>) -> Self {
        let m = ctx.model;
        ShardShape {
            params: m.params.slots,
            arms: m.scenarios.len() + 1,
            areas: m.areas.len(),
            years: m.settings.n_years(),
            measures: ctx.measures.len(),
            metrics: m.scenarios.len() * ctx.n_area_slots() * ctx.metrics.len(),
        }
    }

    /// Values in one arm's ledger.
    pub fn ledger_len(&self) -> usize {
        self.areas * self.years * self.measures
    }
}

/// What a shard file says about itself (the `wijkimpact.shard` metadata entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// [`SHARD_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the engine that wrote the file.
    pub engine_version: String,
    /// The run's combined input hash (as `manifest.json`'s `scenario_hash`).
    pub scenario_hash: String,
    /// Master seed of the run.
    pub seed: u64,
    /// Draws of the whole run (all shards).
    pub draws: u64,
    /// `cohort` or `stochastic`.
    pub mode: String,
    /// Zero-based index of this shard.
    pub shard_index: u64,
    /// Number of shards of the run.
    pub shard_count: u64,
    /// Draws this shard holds: the `d` in `0..draws` with `d % shard_count == shard_index`.
    pub shard_draws: u64,
    /// Sizes of each draw's record.
    pub shape: ShardShape,
}

impl ShardHeader {
    /// The header of the shard `opts` runs, for `ctx`'s model and the inputs with combined hash `scenario_hash`.
    pub fn new(ctx: &RunContext<'_>, opts: &RunOptions, scenario_hash: &str) -> Self {
        ShardHeader {
            format_version: SHARD_FORMAT_VERSION,
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_hash: scenario_hash.to_string(),
            seed: opts.seed,
            draws: opts.draws,
            mode: opts.mode.as_str().to_string(),
            shard_index: opts.shard_index,
            shard_count: opts.shard_count,
            shard_draws: opts.draw_numbers().count() as u64,
            shape: ShardShape::of(ctx),
        }
    }
}

/// The columns of a shard file, in order.
fn schema() -> SchemaRef {
    let list =
        |name: &str| Field::new(name, DataType::List(Arc::new(Field::new("item", DataType::Float64, false))), false);
    let count = |name: &str| Field::new(name, DataType::UInt64, false);
    Arc::new(Schema::new(vec![
        count("draw"),
        list("params"),
        list("ledger"),
        list("metrics"),
        count("rescaled_rows"),
        count("negative_rest"),
        count("work_units"),
        count("checksum"),
    ]))
}

/// A checksum over every value of a draw's record (bit patterns, lengths
/// included). Each step `h ← (rotl(h, 5) ⊕ w)·K` (K odd) is a bijection of
/// `h` for a fixed word and of the word for a fixed `h`, so changing any one
/// word always changes the sum.
fn checksum(r: &DrawResult) -> u64 {
    let mut h = 0x243f_6a88_85a3_08d3u64;
    let mut word = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    word(r.draw);
    for xs in std::iter::once(&r.params).chain(r.arms.iter().map(|a| &a.data)).chain(std::iter::once(&r.metrics)) {
        word(xs.len() as u64);
        xs.iter().for_each(|x| word(x.to_bits()));
    }
    for w in [r.warnings.rescaled_rows, r.warnings.negative_rest, r.warnings.work_units] {
        word(w);
    }
    h
}

/// Streams every draw's result into `draws.shard.parquet`.
pub struct ShardWriter {
    out: ArrowWriter<BufWriter<File>>,
    schema: SchemaRef,
    path: PathBuf,
}

impl ShardWriter {
    /// Start `draws.shard.parquet` in `dir` (a temporary file until the run
    /// directory is finished), with `header` in its metadata.
    pub fn create(dir: &mut RunDir, header: &ShardHeader) -> Result<Self, OutputError> {
        let out = dir.create_file(SHARD_PARQUET)?;
        let path = dir.temp_path(SHARD_PARQUET);
        let header = serde_json::to_string(header).map_err(|e| OutputError::Other(e.to_string()))?;
        let props = super::parquet::writer_builder(DRAWS_PER_ROW_GROUP)
            // Float bit patterns rarely repeat within a column chunk: a dictionary only costs.
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::None)
            .set_column_statistics_enabled(ColumnPath::from("draw"), EnabledStatistics::Chunk)
            .set_key_value_metadata(Some(vec![KeyValue::new(HEADER_KEY.to_string(), header)]))
            .build();
        let schema = schema();
        let out = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(|e| parquet_error(&path, e))?;
        Ok(ShardWriter { out, schema, path })
    }

    /// Write the footer, flush and sync the file; the run directory renames it into place when it finishes.
    pub fn finish(self) -> Result<(), OutputError> {
        let out = self.out.into_inner().map_err(|e| parquet_error(&self.path, e))?;
        super::rundir::finish_writer(out, &self.path)
    }

    /// One draw as a one-row batch: the writer compresses it into the current
    /// row group, so nothing but compressed pages accumulates.
    fn batch(&self, r: &DrawResult) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let list = |parts: &[&[f64]]| -> ArrayRef {
            let n = parts.iter().map(|p| p.len()).sum();
            let mut b = ListBuilder::with_capacity(Float64Builder::with_capacity(n), 1)
                .with_field(Arc::new(Field::new("item", DataType::Float64, false)));
            parts.iter().for_each(|p| b.values().append_slice(p));
            b.append(true);
            Arc::new(b.finish())
        };
        let count = |x: u64| -> ArrayRef { Arc::new(UInt64Array::from(vec![x])) };
        let arms: Vec<&[f64]> = r.arms.iter().map(|a| a.data.as_slice()).collect();
        let w = &r.warnings;
        RecordBatch::try_new(
            self.schema.clone(),
            vec![
                count(r.draw),
                list(&[&r.params]),
                list(&arms),
                list(&[&r.metrics]),
                count(w.rescaled_rows),
                count(w.negative_rest),
                count(w.work_units),
                count(checksum(r)),
            ],
        )
    }
}

fn parquet_error(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError::Other(format!("{}: {e}", path.display()))
}

impl ShardWriter {
    fn write_draw(&mut self, r: &DrawResult) -> Result<(), OutputError> {
        let batch = self.batch(r).map_err(|e| parquet_error(&self.path, e))?;
        self.out.write(&batch).map_err(|e| parquet_error(&self.path, e))
    }
}

impl DrawSink for ShardWriter {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        Ok(self.write_draw(r)?)
    }
}

/// What is wrong with a shard's file.
#[derive(Debug, thiserror::Error)]
pub enum ShardProblem {
    /// The shard directory has no `draws.shard.parquet`.
    #[error("no such file: the shard directory is incomplete (did its run finish?) — rerun the shard")]
    Missing,
    /// The shard directory holds only the `draws.bin` of an earlier version.
    #[error(
        "this is the draws.bin shard format of earlier wijkimpact versions, which this version no longer reads \
         (shards are now {SHARD_PARQUET}) — rerun the shard with this version"
    )]
    OldFormat,
    /// Reading the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file does not start like a Parquet file.
    #[error("corrupt shard: not a Parquet file (it starts with {0}, not PAR1) — rerun the shard or copy it again")]
    NotParquet(String),
    /// The file ends without its Parquet footer.
    #[error(
        "incomplete shard: the file ({0} bytes) ends without its Parquet footer; the shard's run was probably \
         interrupted or the file was cut short while copying — rerun the shard or copy it again"
    )]
    Incomplete(u64),
    /// A complete Parquet file with more bytes after its footer.
    #[error(
        "corrupt shard: {extra} bytes follow the end of its Parquet footer at byte {end} (appended to the file?) \
         — rerun the shard or copy it again"
    )]
    TrailingBytes {
        /// Where the footer ends.
        end: u64,
        /// Bytes after it.
        extra: u64,
    },
    /// The file cannot be decoded.
    #[error("corrupt shard: {0} — rerun the shard or copy it again")]
    Corrupt(String),
    /// A Parquet file, but not one a shard run wrote.
    #[error("not a wijkimpact shard file: {0}")]
    NotAShard(String),
    /// Written by another version of the shard format.
    #[error("shard format version {found}, this engine reads version {expected} — rerun the shard with this engine")]
    Version {
        /// The file's version.
        found: u32,
        /// The version this engine reads.
        expected: u32,
    },
    /// The file's header disagrees with the shard's `manifest.json`.
    #[error(
        "the file's {what} is {file} but manifest.json says {manifest}: the file belongs to another run \
         (copied into the wrong shard directory?)"
    )]
    Mismatch {
        /// Which field.
        what: &'static str,
        /// The file's value.
        file: String,
        /// The manifest's value.
        manifest: String,
    },
    /// The file's shapes differ from the model's.
    #[error("{what}: the file has {file}, the model has {model} (is this shard from another engine version?)")]
    Shape {
        /// Which size.
        what: &'static str,
        /// The file's size.
        file: usize,
        /// The model's size.
        model: usize,
    },
    /// The file holds fewer draws than its header announces.
    #[error(
        "ends before its announced draw count: holds {found} of its {announced} draws, so the file is \
         incomplete — rerun the shard"
    )]
    Short {
        /// Draws in the file.
        found: u64,
        /// Draws announced.
        announced: u64,
    },
    /// The file holds more draws than its header announces.
    #[error("holds {found} draws, more than the {announced} it announces: the file is corrupt — rerun the shard")]
    Long {
        /// Draws in the file.
        found: u64,
        /// Draws announced.
        announced: u64,
    },
}

/// A shard that cannot be merged: which shard, which file, what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("shard {label}: {}: {problem}", path.display())]
pub struct ShardError {
    /// `I/N`, from the shard's manifest.
    pub label: String,
    /// The file (or directory) at fault.
    pub path: PathBuf,
    /// What is wrong.
    pub problem: ShardProblem,
}

/// Reads the draw records of one shard, checking every length and checksum.
pub struct ShardReader {
    batches: ParquetRecordBatchReader,
    label: String,
    path: PathBuf,
    shape: ShardShape,
    /// Rows read so far.
    read: u64,
}

impl ShardReader {
    /// Open the `draws.shard.parquet` of shard directory `dir`, checking its
    /// header against the shard's `manifest` and the model's `shape`
    /// ([`ShardShape::of`] the reloaded model).
    pub fn open(dir: &Path, shape: &ShardShape, manifest: &ManifestFile) -> Result<Self, ShardError> {
        let label = format!("{}/{}", manifest.shard.index, manifest.shard.count);
        let path = dir.join(SHARD_PARQUET);
        let fail = |path: &Path, problem| ShardError { label: label.clone(), path: path.to_path_buf(), problem };
        if !path.exists() {
            let old = dir.join(OLD_DRAWS_BIN);
            return Err(match old.exists() {
                true => fail(&old, ShardProblem::OldFormat),
                false => fail(&path, ShardProblem::Missing),
            });
        }
        let (batches, header) = open_parquet(&path).map_err(|p| fail(&path, p))?;
        check_header(&header, manifest, shape).map_err(|p| fail(&path, p))?;
        Ok(ShardReader { batches, label, path, shape: header.shape, read: 0 })
    }

    fn corrupt(&self, what: String) -> ShardError {
        ShardError { label: self.label.clone(), path: self.path.clone(), problem: ShardProblem::Corrupt(what) }
    }

    /// The next draw, or `None` after the last.
    pub fn next_draw(&mut self) -> Result<Option<DrawResult>, ShardError> {
        let batch = match self.batches.next() {
            None => return Ok(None),
            Some(Err(e)) => return Err(self.corrupt(format!("reading record {} of the file: {e}", self.read + 1))),
            Some(Ok(b)) => b,
        };
        self.read += 1;
        if batch.num_rows() != 1 {
            return Err(self.corrupt(format!("record {} holds {} rows", self.read, batch.num_rows())));
        }
        let draw = batch.column(0).as_primitive::<UInt64Type>().value(0);
        // The list of column `i` in this row, checked to hold `expected` numbers.
        let floats = |i: usize, expected: usize, what: &str| -> Result<ArrayRef, ShardError> {
            let list = batch.column(i).as_list::<i32>().value(0);
            match list.len() == expected {
                true => Ok(list),
                false => Err(self.corrupt(format!("draw {draw} has {} {what} values, not {expected}", list.len()))),
            }
        };
        let values = |a: &ArrayRef| a.as_primitive::<Float64Type>().values().to_vec();
        let s = self.shape;
        let params = values(&floats(1, s.params, "parameter")?);
        let ledger = floats(2, s.arms * s.ledger_len(), "ledger")?;
        let metrics = values(&floats(3, s.metrics, "metric")?);
        let count = |i: usize| batch.column(i).as_primitive::<UInt64Type>().value(0);
        let warnings = Warnings { rescaled_rows: count(4), negative_rest: count(5), work_units: count(6) };
        let (all, n) = (ledger.as_primitive::<Float64Type>().values(), s.ledger_len());
        let arms = (0..s.arms)
            .map(|a| Ledger {
                n_areas: s.areas,
                n_years: s.years,
                n_measures: s.measures,
                data: all[a * n..][..n].to_vec(),
            })
            .collect();
        let r = DrawResult { draw, params, arms, metrics, warnings };
        if checksum(&r) != count(7) {
            return Err(self.corrupt(format!("draw {draw}'s record fails its checksum")));
        }
        Ok(Some(r))
    }
}

/// Open a shard's Parquet file: framing, footer, header, columns and row
/// count checked; rows come one draw at a time.
fn open_parquet(path: &Path) -> Result<(ParquetRecordBatchReader, ShardHeader), ShardProblem> {
    let mut file = File::open(path)?;
    check_framing(&mut file)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| ShardProblem::Corrupt(format!("its Parquet footer cannot be read: {e}")))?;
    let meta = builder.metadata().file_metadata();
    let text = meta
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|e| e.key == HEADER_KEY))
        .and_then(|e| e.value.clone())
        .ok_or_else(|| ShardProblem::NotAShard(format!("no {HEADER_KEY} entry in its metadata")))?;
    let version: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ShardProblem::Corrupt(format!("its {HEADER_KEY} header is not JSON: {e}")))?;
    let found = version.get("format_version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    if found != SHARD_FORMAT_VERSION {
        return Err(ShardProblem::Version { found, expected: SHARD_FORMAT_VERSION });
    }
    let header: ShardHeader = serde_json::from_value(version)
        .map_err(|e| ShardProblem::Corrupt(format!("its {HEADER_KEY} header cannot be read: {e}")))?;
    let (found, expected) = (builder.schema().clone(), schema());
    let same = |a: &Field, b: &Field| a.name() == b.name() && a.data_type() == b.data_type();
    if found.fields().len() != expected.fields().len()
        || !found.fields().iter().zip(expected.fields()).all(|(a, b)| same(a, b))
    {
        let names =
            |s: &Schema| s.fields().iter().map(|f| format!("{}: {}", f.name(), f.data_type())).collect::<Vec<_>>();
        return Err(ShardProblem::NotAShard(format!(
            "its columns are [{}], a shard has [{}]",
            names(&found).join(", "),
            names(&expected).join(", ")
        )));
    }
    let found = meta.num_rows().max(0) as u64;
    if found < header.shard_draws {
        return Err(ShardProblem::Short { found, announced: header.shard_draws });
    }
    if found > header.shard_draws {
        return Err(ShardProblem::Long { found, announced: header.shard_draws });
    }
    let batches = builder.with_batch_size(1).build().map_err(|e| ShardProblem::Corrupt(e.to_string()))?;
    Ok((batches, header))
}

/// A Parquet file starts and ends with `PAR1`. A file that does not end with
/// it was cut short, unless a complete footer is found earlier (bytes appended).
fn check_framing(file: &mut File) -> Result<(), ShardProblem> {
    let len = file.metadata()?.len();
    let mut head = [0u8; 4];
    let n = read_up_to(file, 0, &mut head)?;
    if n < 4 || &head != PARQUET_MAGIC {
        let head = &head[..n];
        let shown = match head {
            [] => "nothing (an empty file)".to_string(),
            _ if head.iter().all(|b| b.is_ascii_graphic() || *b == b' ') => {
                format!("{:?}", String::from_utf8_lossy(head))
            }
            _ => format!("bytes {}", head.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")),
        };
        return Err(ShardProblem::NotParquet(shown));
    }
    let mut tail = [0u8; 4];
    if len >= 12 && read_up_to(file, len - 4, &mut tail)? == 4 && &tail == PARQUET_MAGIC {
        return Ok(());
    }
    let start = len.saturating_sub(FOOTER_SEARCH).max(4);
    let mut buf = vec![0u8; (len - start.min(len)) as usize];
    read_up_to(file, start, &mut buf)?;
    match complete_footer_end(&buf) {
        Some(end) => {
            let end = start + end as u64;
            Err(ShardProblem::TrailingBytes { end, extra: len - end })
        }
        None => Err(ShardProblem::Incomplete(len)),
    }
}

/// The end of the last complete Parquet footer in `buf` (the byte after its
/// `PAR1`), if any: a 4-byte length and `PAR1` preceded by that many bytes
/// that decode as file metadata.
fn complete_footer_end(buf: &[u8]) -> Option<usize> {
    (8..=buf.len()).rev().filter(|&end| &buf[end - 4..end] == PARQUET_MAGIC).find_map(|end| {
        let len = u32::from_le_bytes(buf[end - 8..end - 4].try_into().ok()?) as usize;
        let start = (end - 8).checked_sub(len)?;
        ParquetMetaDataReader::decode_metadata(&buf[start..end - 8]).ok().map(|_| end)
    })
}

/// Read into `buf` from `offset` until it is full or the file ends; returns the bytes read.
fn read_up_to(file: &mut File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    file.seek(SeekFrom::Start(offset))?;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The header must describe the run of the shard's manifest and the reloaded model.
fn check_header(h: &ShardHeader, m: &ManifestFile, shape: &ShardShape) -> Result<(), ShardProblem> {
    let mismatch = |what, file: String, manifest: String| Err(ShardProblem::Mismatch { what, file, manifest });
    if h.scenario_hash != m.scenario_hash {
        return mismatch("scenario hash", h.scenario_hash.clone(), m.scenario_hash.clone());
    }
    if h.seed != m.seed {
        return mismatch("seed", h.seed.to_string(), m.seed.to_string());
    }
    if h.draws != m.draws {
        return mismatch("draw count", h.draws.to_string(), m.draws.to_string());
    }
    if h.mode != m.mode {
        return mismatch("mode", h.mode.clone(), m.mode.clone());
    }
    if (h.shard_index, h.shard_count) != (m.shard.index, m.shard.count) {
        let (a, b) = (format!("{}/{}", h.shard_index, h.shard_count), format!("{}/{}", m.shard.index, m.shard.count));
        return mismatch("shard", a, b);
    }
    if h.shard_draws != m.draws_completed {
        return mismatch("number of draws", h.shard_draws.to_string(), m.draws_completed.to_string());
    }
    let sizes = |s: &ShardShape| {
        [
            ("parameter slots", s.params),
            ("arms", s.arms),
            ("areas", s.areas),
            ("years", s.years),
            ("ledger measures", s.measures),
            ("business-case metric values", s.metrics),
        ]
    };
    for ((what, file), (_, model)) in sizes(&h.shape).into_iter().zip(sizes(shape)) {
        if file != model {
            return Err(ShardProblem::Shape { what, file, model });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::ShardFile;

    const SHAPE: ShardShape = ShardShape { params: 3, arms: 2, areas: 1, years: 2, measures: 3, metrics: 4 };

    /// Values whose bit patterns a careless conversion would change: NaN
    /// payloads and signs, signed zeros, subnormals, infinities, extremes.
    const SPECIAL: [u64; 12] = [
        0x7ff8_0000_dead_beef, // quiet NaN with a payload
        0xfff0_0000_0000_0001, // negative signalling NaN
        0x8000_0000_0000_0000, // -0.0
        0x0000_0000_0000_0000, // 0.0
        0x0000_0000_0000_0001, // smallest subnormal
        0x000f_ffff_ffff_ffff, // largest subnormal
        0x0010_0000_0000_0000, // f64::MIN_POSITIVE
        0x7fef_ffff_ffff_ffff, // f64::MAX
        0xfff0_0000_0000_0000, // -inf
        0x7ff0_0000_0000_0000, // inf
        0x3fd5_5555_5555_5555, // 1/3
        0xc090_9000_0000_0001, // a negative number with its last mantissa bit set
    ];

    /// Draw `d` of the test shape: special values cycled, then its draw number mixed in.
    fn result(d: u64) -> DrawResult {
        let mut i = d as usize;
        let mut next = || {
            i += 1;
            f64::from_bits(SPECIAL[i % SPECIAL.len()] ^ if i.is_multiple_of(5) { d << 20 } else { 0 })
        };
        let params = (0..SHAPE.params).map(|_| next()).collect();
        let arms = (0..SHAPE.arms)
            .map(|_| Ledger {
                n_areas: 1,
                n_years: 2,
                n_measures: 3,
                data: (0..SHAPE.ledger_len()).map(|_| next()).collect(),
            })
            .collect();
        let metrics = (0..SHAPE.metrics).map(|_| next()).collect();
        let warnings = Warnings { rescaled_rows: d, negative_rest: 2 * d, work_units: u64::MAX - d };
        DrawResult { draw: d, params, arms, metrics, warnings }
    }

    fn bits(xs: &[f64]) -> Vec<u64> {
        xs.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn shard_file_keeps_every_bit_pattern_across_row_groups() {
        let tmp = tempfile::tempdir().unwrap();
        let (draws, index, count) = (2 * (2 * DRAWS_PER_ROW_GROUP as u64 + 3), 1, 2);
        let ours: Vec<u64> = (0..draws).filter(|d| d % count == index).collect();
        let header = ShardHeader {
            format_version: SHARD_FORMAT_VERSION,
            engine_version: "test".into(),
            scenario_hash: "abc".into(),
            seed: 5,
            draws,
            mode: "cohort".into(),
            shard_index: index,
            shard_count: count,
            shard_draws: ours.len() as u64,
            shape: SHAPE,
        };
        let mut dir = RunDir::create(tmp.path(), false).unwrap();
        let mut w = ShardWriter::create(&mut dir, &header).unwrap();
        ours.iter().for_each(|&d| w.write_draw(&result(d)).unwrap());
        w.finish().unwrap();
        dir.finish().unwrap();

        let manifest = ManifestFile {
            scenario_hash: "abc".into(),
            seed: 5,
            draws,
            draws_completed: ours.len() as u64,
            mode: "cohort".into(),
            shard: ShardFile { index, count },
            ..Default::default()
        };
        let mut r = ShardReader::open(tmp.path(), &SHAPE, &manifest).unwrap();
        for &d in &ours {
            let (got, want) = (r.next_draw().unwrap().unwrap(), result(d));
            assert_eq!(got.draw, d);
            assert_eq!(bits(&got.params), bits(&want.params), "draw {d}");
            for (a, b) in got.arms.iter().zip(&want.arms) {
                assert_eq!((a.n_areas, a.n_years, a.n_measures), (1, 2, 3));
                assert_eq!(bits(&a.data), bits(&b.data), "draw {d}");
            }
            assert_eq!(got.arms.len(), SHAPE.arms);
            assert_eq!(bits(&got.metrics), bits(&want.metrics), "draw {d}");
            assert_eq!(got.warnings, want.warnings);
        }
        assert!(r.next_draw().unwrap().is_none());
        // Three row groups: the writer kept at most one group's draws.
        let file = File::open(tmp.path().join(SHARD_PARQUET)).unwrap();
        let meta = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().metadata().clone();
        assert_eq!(meta.num_row_groups(), 3);

        // The same file is refused for another model shape or another run.
        let other = ShardShape { measures: 4, ..SHAPE };
        let e = ShardReader::open(tmp.path(), &other, &manifest).err().unwrap().to_string();
        assert!(e.contains("ledger measures: the file has 3, the model has 4"), "{e}");
        let reseeded = ManifestFile { seed: 6, ..manifest };
        let e = ShardReader::open(tmp.path(), &SHAPE, &reseeded).err().unwrap().to_string();
        assert!(e.starts_with("shard 1/2: ") && e.contains("seed is 5 but manifest.json says 6"), "{e}");
    }

    #[test]
    fn checksum_changes_with_any_one_value() {
        let base = result(7);
        let sum = checksum(&base);
        let mut r = base.clone();
        r.arms[1].data[4] = f64::from_bits(r.arms[1].data[4].to_bits() ^ 1);
        assert_ne!(checksum(&r), sum);
        let mut r = base.clone();
        r.params.swap(0, 1);
        assert_ne!(checksum(&r), sum);
        let mut r = base;
        r.warnings.work_units += 1;
        assert_ne!(checksum(&r), sum);
    }
}
