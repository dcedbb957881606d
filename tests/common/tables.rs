//! The tables of a run directory read back for tests: a Parquet file with the
//! `parquet` crate's own reader (not the engine's helpers) and a CSV file with
//! the `csv` crate, into one shape, so a test compares the two formats of a
//! run cell by cell.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A name (dictionary-encoded or plain UTF-8 in Parquet; any CSV cell); `None` for null.
    Text(Option<String>),
    /// An integer column (draw, year).
    Int(i64),
    /// A `Float64` column; `None` for null.
    Num(Option<f64>),
}

impl Cell {
    /// Whether this Parquet cell holds what the CSV cell `text` says: the same
    /// name (null ↔ empty), integer or number (exactly; null ↔ empty).
    pub fn matches_csv(&self, text: &str) -> bool {
        match self {
            Cell::Text(t) => t.as_deref().unwrap_or("") == text,
            Cell::Int(i) => text.parse::<i64>() == Ok(*i),
            Cell::Num(None) => text.is_empty(),
            Cell::Num(Some(x)) => text.parse::<f64>().is_ok_and(|y| y == *x),
        }
    }

    /// The text of a name cell (empty for null); panics on another kind.
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) => t.as_deref().unwrap_or(""),
            other => panic!("not a name: {other:?}"),
        }
    }

    /// The number of a `Float64` cell (NaN for null); panics on another kind.
    pub fn num(&self) -> f64 {
        match self {
            Cell::Num(x) => x.unwrap_or(f64::NAN),
            other => panic!("not a number: {other:?}"),
        }
    }

    /// The value of an integer cell; panics on another kind.
    pub fn int(&self) -> i64 {
        match self {
            Cell::Int(i) => *i,
            other => panic!("not an integer: {other:?}"),
        }
    }
}

/// A table as read: its Arrow schema (Parquet only), header and rows.
pub struct Table {
    pub schema: Option<SchemaRef>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Row groups in the file (Parquet only).
    pub row_groups: usize,
}

impl Table {
    /// Index of column `name`; panics when absent.
    pub fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }
}

fn cells(batch: &RecordBatch, col: usize) -> Vec<Cell> {
    let a = batch.column(col);
    let n = a.len();
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().values().iter().map(|&v| Cell::Int(v)).collect(),
        DataType::Int32 => a.as_primitive::<Int32Type>().values().iter().map(|&v| Cell::Int(v.into())).collect(),
        DataType::Float64 => {
            let f = a.as_primitive::<Float64Type>();
            (0..n).map(|i| Cell::Num((!f.is_null(i)).then(|| f.value(i)))).collect()
        }
        DataType::Dictionary(_, _) => {
            let d = a.as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            (0..n)
                .map(|i| Cell::Text((!d.is_null(i)).then(|| values.value(d.keys().value(i) as usize).into())))
                .collect()
        }
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            (0..n).map(|i| Cell::Text((!s.is_null(i)).then(|| s.value(i).into()))).collect()
        }
        t => panic!("unexpected column type {t}"),
    }
}

/// Read a whole Parquet file with `ParquetRecordBatchReaderBuilder`.
pub fn parquet(path: &Path) -> Table {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let row_groups = builder.metadata().num_row_groups();
    let header = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = vec![];
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        let columns: Vec<Vec<Cell>> = (0..batch.num_columns()).map(|c| cells(&batch, c)).collect();
        for i in 0..batch.num_rows() {
            rows.push(columns.iter().map(|c| c[i].clone()).collect());
        }
    }
    Table { schema: Some(schema), header, rows, row_groups }
}

/// Read a whole CSV file; every cell is text.
pub fn csv(path: &Path) -> Table {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(|s| Cell::Text(Some(s.into()))).collect()).collect();
    Table { schema: None, header, rows, row_groups: 0 }
}

/// Assert that a Parquet table holds exactly the rows of a CSV table of the same run.
pub fn assert_same_rows(name: &str, pq: &Table, csv: &Table) {
    assert_eq!(pq.header, csv.header, "{name}: columns");
    assert_eq!(pq.rows.len(), csv.rows.len(), "{name}: rows");
    for (i, (p, c)) in pq.rows.iter().zip(&csv.rows).enumerate() {
        for (j, (pc, cc)) in p.iter().zip(c).enumerate() {
            assert!(pc.matches_csv(cc.text()), "{name} row {i} column {}: Parquet {pc:?}, CSV {cc:?}", pq.header[j]);
        }
    }
}
