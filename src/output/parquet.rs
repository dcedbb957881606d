//! Parquet files of a run directory: the writer settings every table shares,
//! column builders for the types the tables use, and the reading side.
//!
//! Every Parquet file the engine writes has the same conventions, so R
//! (`arrow::read_parquet`), pandas and polars read them typed without options:
//!
//! - names (scenario, area, metric, parameter, chain, …) are dictionary-encoded
//!   UTF-8 ([`names_type`]: Arrow `Dictionary(Int32, Utf8)`), which R reads as a
//!   factor, pandas as a categorical and polars as `Categorical`; a name that
//!   does not apply is null;
//! - numbers are `Float64`, a missing or non-finite value is null (as the CSV
//!   files write an empty cell); draw numbers are `Int64`, years `Int32`;
//! - zstd compression ([`COMPRESSION_LEVEL`]), Parquet format 1.0 pages (read
//!   by every Parquet reader in use), page statistics, and `created_by` fixed
//!   to the engine and parquet-rs versions ([`created_by`]): no clock, host or
//!   thread count reaches the bytes, so a file is byte-identical for the same
//!   rows;
//! - rows go to the file in batches ([`ParquetFile::write`]), which are
//!   encoded and compressed at once; a row group is cut every
//!   `rows_per_group` rows (a whole number of draws for the per-draw tables,
//!   about [`ROW_GROUP_ROWS`]), so a writer holds at most one compressed row
//!   group however many draws the run has, and the bytes depend only on the
//!   rows and the batches (one per draw), not on how draws were chunked
//!   between threads.
//!
//! Writing a table takes three steps:
//!
//! ```no_run
//! # use wijkimpact::output::{parquet::*, RunDir, OutputError};
//! # use std::sync::Arc;
//! # fn demo(dir: &mut RunDir) -> Result<(), OutputError> {
//! use arrow_schema::{DataType, Field, Schema};
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("draw", DataType::Int64, false),
//!     names_field("area", false),
//!     Field::new("value", DataType::Float64, true),
//! ]));
//! let mut file = ParquetFile::create(dir, "example.parquet", schema, ROW_GROUP_ROWS)?;
//! let areas = Names::new(["Noord", "Zuid"]);
//! file.write(vec![
//!     draw_column(vec![0, 0]),
//!     areas.column([Some(0), Some(1)]),
//!     values_column([1.5, f64::NAN]), // NaN → null
//! ])?;
//! file.finish()?; // the file appears at RunDir::finish, like every other file
//! # Ok(()) }
//! ```
//!
//! and reading one back goes through [`open`] and the column accessors
//! ([`text_column`], [`f64_column`], [`i32_column`], [`i64_column`]), which
//! accept both dictionary-encoded and plain UTF-8 names.

use super::rundir::{finish_writer, RunDir};
use super::OutputError;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::{WriterProperties, WriterPropertiesBuilder, DEFAULT_CREATED_BY};
use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows a streaming writer aims at per row group (a row group is cut after
/// the whole draw that reaches it). About 1 M rows keeps a writer's buffers
/// at tens of megabytes whatever the number of draws, and is the row-group
/// size Arrow's own writers default to.
pub const ROW_GROUP_ROWS: usize = 1 << 20;

/// zstd level of every column: zstd's own default. On W-city tables level 1
/// is 3 % larger and level 9 under 1 % smaller; snappy is 10–15 % larger and
/// loads no faster in pandas or polars (measured; see docs/outputs.md).
pub const COMPRESSION_LEVEL: i32 = 3;

/// Why a Parquet file could not be read as the table a reader expects.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file is not Parquet, is truncated, or could not be read.
    #[error("{0}")]
    Parquet(#[from] ParquetError),
    /// A batch could not be decoded.
    #[error("{0}")]
    Arrow(#[from] ArrowError),
    /// A column the reader needs is not in the file.
    #[error("no column `{0}`")]
    MissingColumn(String),
    /// A value the reader cannot use (a null where a name is required, a year outside the run).
    #[error("column `{column}`: {reason}")]
    BadValue {
        /// The column.
        column: String,
        /// What is wrong.
        reason: String,
    },
    /// A column has another type than the reader expects.
    #[error("column `{column}` is {found}, expected {expected}")]
    WrongType {
        /// The column.
        column: String,
        /// The Arrow type expected.
        expected: &'static str,
        /// The Arrow type found.
        found: String,
    },
}

/// The `created_by` string of every file: the engine's and parquet-rs's
/// versions, nothing that varies between runs.
pub fn created_by() -> String {
    format!("wijkimpact {} ({DEFAULT_CREATED_BY})", env!("CARGO_PKG_VERSION"))
}

/// The writer settings of every Parquet file (see the module docs), with a
/// row group every `rows_per_group` rows (at least 1).
pub fn writer_properties(rows_per_group: usize) -> WriterProperties {
    writer_builder(rows_per_group).build()
}

/// [`writer_properties`] still open for a file's own additions (the shard
/// file adds its header and turns dictionaries off).
pub fn writer_builder(rows_per_group: usize) -> WriterPropertiesBuilder {
    let level = ZstdLevel::try_new(COMPRESSION_LEVEL).expect("a valid zstd level");
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_created_by(created_by())
        .set_max_row_group_row_count(Some(rows_per_group.max(1)))
}

/// The Arrow type of a name column: dictionary-encoded UTF-8.
pub fn names_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// A name column's field (see [`names_type`]); `nullable` where a name may not apply.
pub fn names_field(name: &str, nullable: bool) -> Field {
    Field::new(name, names_type(), nullable)
}

/// The distinct names of one column (its dictionary), each with its key.
#[derive(Debug, Clone)]
pub struct Names {
    values: ArrayRef,
    keys: HashMap<String, i32>,
}

impl Names {
    /// The dictionary of `names`, duplicates dropped, in first-seen order.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        let mut keys = HashMap::new();
        let mut values = vec![];
        for n in names {
            let n = n.as_ref();
            if !keys.contains_key(n) {
                keys.insert(n.to_string(), values.len() as i32);
                values.push(n.to_string());
            }
        }
        Names { values: Arc::new(StringArray::from(values)), keys }
    }

    /// The key of `name`, `None` when it is not in the dictionary.
    pub fn key(&self, name: &str) -> Option<i32> {
        self.keys.get(name).copied()
    }

    /// A column of these names from their keys (`None`: null).
    pub fn column(&self, keys: impl IntoIterator<Item = Option<i32>>) -> ArrayRef {
        let keys: Int32Array = keys.into_iter().collect();
        Arc::new(DictionaryArray::<Int32Type>::try_new(keys, self.values.clone()).expect("keys index the dictionary"))
    }
}

/// A `Float64` column; non-finite values become null.
pub fn values_column(xs: impl IntoIterator<Item = f64>) -> ArrayRef {
    Arc::new(xs.into_iter().map(super::finite).collect::<Float64Array>())
}

/// An `Int64` draw-number column.
pub fn draw_column(draws: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(draws))
}

/// An `Int32` column (years).
pub fn i32_values(xs: Vec<i32>) -> ArrayRef {
    Arc::new(Int32Array::from(xs))
}

/// A Parquet file of a run directory being written: written under its
/// temporary name, renamed into place by [`RunDir::finish`].
pub struct ParquetFile {
    writer: ArrowWriter<BufWriter<File>>,
    schema: SchemaRef,
    path: PathBuf,
}

impl ParquetFile {
    /// Start file `name` in `dir` with columns `schema`, [`writer_properties`]
    /// and a row group every `rows_per_group` rows.
    pub fn create(dir: &mut RunDir, name: &str, schema: SchemaRef, rows_per_group: usize) -> Result<Self, OutputError> {
        let path = dir.temp_path(name);
        let file = dir.create_file(name)?;
        let props = writer_properties(rows_per_group);
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| fail(&path, e))?;
        Ok(ParquetFile { writer, schema, path })
    }

    /// Append rows: `columns` in schema order, of equal lengths. They are
    /// encoded and compressed now; the writer keeps only the compressed pages
    /// of the row group in progress.
    pub fn write(&mut self, columns: Vec<ArrayRef>) -> Result<(), OutputError> {
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| fail(&self.path, e))?;
        self.writer.write(&batch).map_err(|e| fail(&self.path, e))
    }

    /// Write the footer and flush the file to disk (it becomes visible at [`RunDir::finish`]).
    pub fn finish(self) -> Result<(), OutputError> {
        let inner = self.writer.into_inner().map_err(|e| fail(&self.path, e))?;
        finish_writer(inner, &self.path)
    }
}

fn fail(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError::Other(format!("{}: {e}", path.display()))
}

/// Open a Parquet file for reading in batches of rows.
pub fn open(path: &Path) -> Result<ParquetRecordBatchReader, TableError> {
    let file = File::open(path).map_err(|e| TableError::Parquet(ParquetError::External(Box::new(e))))?;
    Ok(ParquetRecordBatchReaderBuilder::try_new(file)?.with_batch_size(64 * 1024).build()?)
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, TableError> {
    batch.column_by_name(name).ok_or_else(|| TableError::MissingColumn(name.to_string()))
}

fn wrong_type(name: &str, expected: &'static str, found: &DataType) -> TableError {
    TableError::WrongType { column: name.to_string(), expected, found: found.to_string() }
}

/// A name column as read back: dictionary-encoded or plain UTF-8.
pub enum TextColumn<'a> {
    /// `Dictionary(Int32, Utf8)`, as the engine writes names.
    Dictionary(&'a DictionaryArray<Int32Type>, &'a StringArray),
    /// Plain `Utf8`, as other tools may write them.
    Plain(&'a StringArray),
}

impl TextColumn<'_> {
    /// The text in row `i`, `None` when null.
    pub fn get(&self, i: usize) -> Option<&str> {
        match self {
            TextColumn::Dictionary(d, values) => {
                let keys = d.keys();
                (!keys.is_null(i)).then(|| values.value(keys.value(i) as usize))
            }
            TextColumn::Plain(s) => (!s.is_null(i)).then(|| s.value(i)),
        }
    }
}

/// Column `name` of `batch` as text.
pub fn text_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<TextColumn<'a>, TableError> {
    let col = column(batch, name)?;
    if let Some(d) = col.as_dictionary_opt::<Int32Type>() {
        if let Some(values) = d.values().as_string_opt::<i32>() {
            return Ok(TextColumn::Dictionary(d, values));
        }
    }
    col.as_string_opt::<i32>()
        .map(TextColumn::Plain)
        .ok_or_else(|| wrong_type(name, "Dictionary(Int32, Utf8) or Utf8", col.data_type()))
}

/// Column `name` of `batch` as `Float64` (nulls for missing values).
pub fn f64_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a Float64Array, TableError> {
    let col = column(batch, name)?;
    col.as_primitive_opt::<Float64Type>().ok_or_else(|| wrong_type(name, "Float64", col.data_type()))
}

/// Column `name` of `batch` as `Int32`.
pub fn i32_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a Int32Array, TableError> {
    let col = column(batch, name)?;
    col.as_primitive_opt::<Int32Type>().ok_or_else(|| wrong_type(name, "Int32", col.data_type()))
}

/// Column `name` of `batch` as `Int64`.
pub fn i64_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a Int64Array, TableError> {
    let col = column(batch, name)?;
    col.as_primitive_opt::<Int64Type>().ok_or_else(|| wrong_type(name, "Int64", col.data_type()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::Schema;

    /// A table written with the helpers reads back with the same types and
    /// values, NaN as null, and nothing in the file varies between writes.
    #[test]
    fn a_written_table_reads_back_typed_and_identical_twice() {
        let write = |dir: &Path| {
            let mut rd = RunDir::create(dir, false).unwrap();
            let schema = Arc::new(Schema::new(vec![
                Field::new("draw", DataType::Int64, false),
                names_field("area", true),
                Field::new("year", DataType::Int32, false),
                Field::new("value", DataType::Float64, true),
            ]));
            let mut f = ParquetFile::create(&mut rd, "t.parquet", schema, ROW_GROUP_ROWS).unwrap();
            let areas = Names::new(["Noord", "Zuid", "Noord"]);
            assert_eq!((areas.key("Zuid"), areas.key("Oost")), (Some(1), None));
            f.write(vec![
                draw_column(vec![0, 0, 1]),
                areas.column([Some(0), None, Some(1)]),
                i32_values(vec![2025, 2026, 2025]),
                values_column([1.5, f64::NAN, f64::INFINITY]),
            ])
            .unwrap();
            f.finish().unwrap();
            rd.finish().unwrap();
            std::fs::read(dir.join("t.parquet")).unwrap()
        };
        let t = tempfile::tempdir().unwrap();
        let (a, b) = (write(&t.path().join("a")), write(&t.path().join("b")));
        assert_eq!(a, b, "same rows, same bytes");
        let batches: Vec<RecordBatch> =
            open(&t.path().join("a").join("t.parquet")).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(batches.len(), 1);
        let batch = &batches[0];
        assert_eq!(batch.schema().field(1).data_type(), &names_type());
        let area = text_column(batch, "area").unwrap();
        assert_eq!([area.get(0), area.get(1), area.get(2)], [Some("Noord"), None, Some("Zuid")]);
        assert_eq!(i64_column(batch, "draw").unwrap().values(), &[0, 0, 1]);
        assert_eq!(i32_column(batch, "year").unwrap().value(1), 2026);
        let v = f64_column(batch, "value").unwrap();
        assert_eq!((v.value(0), v.is_null(1), v.is_null(2)), (1.5, true, true));
        assert!(matches!(f64_column(batch, "year"), Err(TableError::WrongType { .. })));
        assert!(matches!(text_column(batch, "nope"), Err(TableError::MissingColumn(_))));
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains(&created_by()), "created_by names the writer");
    }
}
