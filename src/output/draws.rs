//! The per-draw tables, streamed while the run goes, in either format:
//! `draws` (`draw,scenario,area,metric,value`: every business-case metric of
//! every draw) and `parameters` (`draw,parameter,value`: the value every
//! parameter slot took in every draw). [`DrawsWriter`] is the sink a run
//! pushes its draws into; it writes CSV ([`DrawsCsv`]) or Parquet
//! ([`DrawsParquet`]) as [`OutputFormat`] says.
//!
//! In Parquet, `draw` is `Int64`, `scenario`, `area`, `metric` and
//! `parameter` are dictionary-encoded names and `value` is `Float64` with
//! null for a missing value. Rows come in draw order, each draw is one batch
//! and a row group holds a fixed number of whole draws (about
//! [`ROW_GROUP_ROWS`] rows), so memory stays bounded and the bytes do not
//! depend on the thread count.

use super::csv::DrawsCsv;
use super::parquet::{draw_column, names_field, values_column, Names, ParquetFile, ROW_GROUP_ROWS};
use super::schema::{OutputFormat, DRAWS_HEADER, PARAMETERS_HEADER};
use super::{OutputError, RunDir};
use crate::runner::{DrawResult, DrawSink, RunContext, SinkError};
use crate::summary::TOTAL_AREA;
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// The sink that writes the per-draw tables of a run in its format.
pub enum DrawsWriter {
    /// `draws.csv` and `parameters.csv`.
    Csv(DrawsCsv),
    /// `draws.parquet` and `parameters.parquet` (boxed: the two Parquet
    /// writers are large, and the sink is moved around by value).
    Parquet(Box<DrawsParquet>),
}

impl DrawsWriter {
    /// Start both tables in `dir` for the model of `ctx`.
    pub fn create(dir: &mut RunDir, ctx: &RunContext<'_>, format: OutputFormat) -> Result<Self, OutputError> {
        Ok(match format {
            OutputFormat::Csv => DrawsWriter::Csv(DrawsCsv::create(dir, ctx)?),
            OutputFormat::Parquet => DrawsWriter::Parquet(Box::new(DrawsParquet::create(dir, ctx)?)),
        })
    }

    /// Finish both files (they become visible at [`RunDir::finish`]).
    pub fn finish(self) -> Result<(), OutputError> {
        match self {
            DrawsWriter::Csv(w) => w.finish(),
            DrawsWriter::Parquet(w) => w.finish(),
        }
    }
}

impl DrawSink for DrawsWriter {
    fn push(&mut self, ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        match self {
            DrawsWriter::Csv(w) => w.push(ctx, r),
            DrawsWriter::Parquet(w) => w.push(ctx, r),
        }
    }
}

/// Rows a per-draw table hands to the Parquet writer at once (whole draws,
/// at least one): few enough to keep the buffer small, enough that a model
/// with a few hundred rows a draw does not pay the writer's per-batch cost
/// on every draw.
const BATCH_ROWS: usize = 8192;

/// One per-draw table in Parquet: `draw`, name columns whose values repeat
/// the same cycle in every draw, and `value`. Draws are buffered a fixed
/// number at a time (about [`BATCH_ROWS`] rows) and a row group holds
/// `group_rows / cells` draws (at least one), so both depend only on the
/// model, never on how the draws were chunked between threads.
struct DrawTable {
    file: ParquetFile,
    /// Each name column's dictionary and its key in each row of a draw.
    names: Vec<(Names, Vec<i32>)>,
    /// Rows per draw.
    cells: usize,
    draws_per_batch: usize,
    draws: Vec<i64>,
    values: Vec<f64>,
}

impl DrawTable {
    /// `names`: per name column (in schema order after `draw`), its
    /// dictionary and the name of each row of a draw; `group_rows`: the
    /// rows a row group aims at ([`ROW_GROUP_ROWS`]).
    fn create(
        dir: &mut RunDir,
        file: &str,
        header: &[&str],
        names: Vec<(Names, Vec<&str>)>,
        group_rows: usize,
    ) -> Result<Self, OutputError> {
        let mut fields = vec![Field::new(header[0], DataType::Int64, false)];
        fields.extend(header[1..header.len() - 1].iter().map(|h| names_field(h, false)));
        fields.push(Field::new(header[header.len() - 1], DataType::Float64, true));
        let cells = names.first().map_or(0, |(_, rows)| rows.len());
        let names: Vec<(Names, Vec<i32>)> = names
            .into_iter()
            .map(|(dict, rows)| {
                let keys = rows.iter().map(|n| dict.key(n).expect("every name is in its dictionary")).collect();
                (dict, keys)
            })
            .collect();
        let draws_per_group = (group_rows / cells.max(1)).max(1);
        let draws_per_batch = (BATCH_ROWS / cells.max(1)).clamp(1, draws_per_group);
        let file = ParquetFile::create(dir, file, Arc::new(Schema::new(fields)), draws_per_group * cells)?;
        Ok(DrawTable { file, names, cells, draws_per_batch, draws: vec![], values: vec![] })
    }

    fn push(&mut self, draw: u64, values: &[f64]) -> Result<(), OutputError> {
        debug_assert_eq!(values.len(), self.cells);
        self.draws.extend(std::iter::repeat_n(draw as i64, self.cells));
        self.values.extend_from_slice(values);
        if self.draws.len() >= self.draws_per_batch * self.cells {
            self.write_batch()?;
        }
        Ok(())
    }

    fn write_batch(&mut self) -> Result<(), OutputError> {
        if self.draws.is_empty() {
            return Ok(());
        }
        let n_draws = self.draws.len() / self.cells;
        let mut columns: Vec<ArrayRef> = vec![draw_column(std::mem::take(&mut self.draws))];
        for (dict, keys) in &self.names {
            columns.push(dict.column(keys.iter().cycle().take(n_draws * keys.len()).map(|&k| Some(k))));
        }
        columns.push(values_column(self.values.drain(..)));
        self.file.write(columns)
    }

    fn finish(mut self) -> Result<(), OutputError> {
        self.write_batch()?;
        self.file.finish()
    }
}

/// Streams `draws.parquet` and `parameters.parquet` as draws arrive.
pub struct DrawsParquet {
    draws: DrawTable,
    params: DrawTable,
    n_params: usize,
}

impl DrawsParquet {
    /// Start `draws.parquet` and `parameters.parquet` in `dir` for the areas,
    /// metrics and parameter slots of `ctx`.
    pub fn create(dir: &mut RunDir, ctx: &RunContext<'_>) -> Result<Self, OutputError> {
        let model = ctx.model;
        let scenarios: Vec<&str> = model.scenarios.iter().map(|s| s.name.as_str()).collect();
        let mut areas: Vec<&str> = model.areas.iter().map(|a| a.name.as_str()).collect();
        areas.push(TOTAL_AREA);
        let metrics: Vec<&str> = ctx.metrics.names.iter().map(String::as_str).collect();
        // One row per scenario × area slot × metric, in `DrawResult::metrics` order.
        let (mut s_rows, mut a_rows, mut m_rows) = (vec![], vec![], vec![]);
        for &s in &scenarios {
            for &a in &areas {
                for &m in &metrics {
                    s_rows.push(s);
                    a_rows.push(a);
                    m_rows.push(m);
                }
            }
        }
        let names =
            vec![(Names::new(&scenarios), s_rows), (Names::new(&areas), a_rows), (Names::new(&metrics), m_rows)];
        let draws = DrawTable::create(dir, OutputFormat::Parquet.draws_file(), &DRAWS_HEADER, names, ROW_GROUP_ROWS)?;
        let slots = model.params.slot_names();
        let slot_refs: Vec<&str> = slots.iter().map(String::as_str).collect();
        let names = vec![(Names::new(&slot_refs), slot_refs.clone())];
        let file = OutputFormat::Parquet.parameters_file();
        let params = DrawTable::create(dir, file, &PARAMETERS_HEADER, names, ROW_GROUP_ROWS)?;
        Ok(DrawsParquet { draws, params, n_params: slots.len() })
    }

    /// Write the last row groups and the footers.
    pub fn finish(self) -> Result<(), OutputError> {
        self.draws.finish()?;
        self.params.finish()
    }
}

impl DrawSink for DrawsParquet {
    fn push(&mut self, _ctx: &RunContext<'_>, r: &DrawResult) -> Result<(), SinkError> {
        if r.metrics.len() != self.draws.cells || r.params.len() != self.n_params {
            return Err(SinkError(format!("draw {}: result does not match the model's layout", r.draw)));
        }
        self.draws.push(r.draw, &r.metrics)?;
        self.params.push(r.draw, &r.params)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    /// A row group holds whole draws: with room for 10 rows and 3 rows a
    /// draw, 10 draws make row groups of 3, 3, 3 and 1 draws.
    #[test]
    fn row_groups_hold_whole_draws() {
        let t = tempfile::tempdir().unwrap();
        let mut dir = RunDir::create(t.path(), false).unwrap();
        let names = vec![(Names::new(["a", "b"]), vec!["a", "b", "a"])];
        let mut table = DrawTable::create(&mut dir, "t.parquet", &["draw", "name", "value"], names, 10).unwrap();
        for d in 0..10 {
            table.push(d, &[d as f64, f64::NAN, 1.0]).unwrap();
        }
        table.finish().unwrap();
        dir.finish().unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(t.path().join("t.parquet")).unwrap()).unwrap();
        let rows: Vec<i64> = reader.metadata().row_groups().iter().map(|g| g.num_rows()).collect();
        assert_eq!(rows, [9, 9, 9, 3]);
    }
}
