//! Observed figures (the monitor's input): a tidy CSV, one observation per row.
//!
//! ```text
//! year,area,measure,value,n,se
//! 2026,Noord,prevalence/eenzaamheid/ernstig,0.14,620,
//! 2026,Noord,starts/jeugdhulp,95,,
//! 2027,totaal,care_cost/gemeente/6.72,5400000,,350000
//! ```
//!
//! `measure` is a yearly measure's name: the label columns of the yearly table
//! (`measure`, then `chain`, `state`, `funder`, `taakveld`, `outcome`,
//! `intervention` where present) joined with `/` (`prevalence/CHAIN/STATE`,
//! `starts/CHAIN`, `entries/CHAIN/STATE`, `person_years/CHAIN/STATE`,
//! `care_cost/FUNDER/TAAKVELD`, …; see [`crate::ledger::MeasureLabel::name`]);
//! `area` an area of the scenario or `totaal`.
//! The sampling uncertainty decides the likelihood: `n` (survey sample size) for
//! a prevalence → binomial; `se` (standard error) → normal; neither, for a
//! count → Poisson.

use std::path::{Path, PathBuf};

use crate::ledger::MeasureLayout;
use crate::model::Model;
use crate::output::schema::OBSERVED_HEADER as HEADER;
use crate::summary::TOTAL_AREA;

/// How an observation's sampling error is modelled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampling {
    /// A survey share from `n` respondents: `value × n` of them in the state.
    Binomial {
        /// Number of respondents.
        n: f64,
    },
    /// A measurement with this standard error.
    Normal {
        /// Standard error, in the measure's unit.
        se: f64,
    },
    /// A count of events or clients.
    Poisson,
}

/// What is observed, resolved to the ledger.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// Person-years in a state over person-years in the chain's ages.
    Prevalence {
        /// Ledger measure of person-years in the state.
        person_years: usize,
        /// Ledger measure of person-years in the chain's ages.
        active: usize,
    },
    /// A ledger measure as it is (count, person-years, euros).
    Measure(usize),
}

/// One observed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// 1-based line in the file.
    pub line: u64,
    /// Calendar year observed.
    pub year: i32,
    /// Year index from the model's start year.
    pub t: usize,
    /// Area (wijk) name or `totaal`.
    pub area: String,
    /// Area index; `n_areas` for the city total.
    pub area_slot: usize,
    /// Measure as named in the file.
    pub measure: String,
    /// What the measure resolves to in the ledger.
    pub quantity: Quantity,
    /// Observed value.
    pub value: f64,
    /// Its sampling error.
    pub sampling: Sampling,
}

/// A bad row or file: names the file, line, column and reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: column {column}: {reason}", file.display())]
pub struct ObservedError {
    /// The observed-figures file.
    pub file: PathBuf,
    /// 1-based line (0 for the file as a whole).
    pub line: u64,
    /// Column at fault.
    pub column: String,
    /// What is wrong.
    pub reason: String,
}

/// All problems of a file; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct ObservedErrors(pub Vec<ObservedError>);

/// Read and check an observed-data file against the model.
pub fn read(path: &Path, model: &Model, layout: &MeasureLayout) -> Result<Vec<Observation>, ObservedErrors> {
    let bytes = std::fs::read(path).map_err(|e| {
        ObservedErrors(vec![ObservedError { file: path.into(), line: 0, column: String::new(), reason: e.to_string() }])
    })?;
    parse(path, &bytes, model, layout)
}

/// Parse observed data from bytes (`path` names the file in errors).
pub fn parse(
    path: &Path,
    bytes: &[u8],
    model: &Model,
    layout: &MeasureLayout,
) -> Result<Vec<Observation>, ObservedErrors> {
    let mut errs = vec![];
    let err = |errs: &mut Vec<ObservedError>, line: u64, column: &str, reason: String| {
        errs.push(ObservedError { file: path.into(), line, column: column.into(), reason })
    };
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            err(&mut errs, 1, "", format!("not a CSV file: {e}"));
            return Err(ObservedErrors(errs));
        }
    };
    let cols: Vec<&str> = header.iter().collect();
    if cols != HEADER {
        err(&mut errs, 1, "", format!("the header must be `{}`, found `{}`", HEADER.join(","), cols.join(",")));
        return Err(ObservedErrors(errs));
    }
    let rows = Rows { path, model, layout };
    let mut out = vec![];
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                err(&mut errs, line, "", format!("unreadable row: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        out.extend(rows.row(&rec, line, &mut errs));
    }
    if out.is_empty() && errs.is_empty() {
        err(&mut errs, 1, "", "no observations: add rows below the header".into());
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(ObservedErrors(errs))
    }
}

/// Reads the rows of one file against the model.
struct Rows<'a> {
    path: &'a Path,
    model: &'a Model,
    layout: &'a MeasureLayout,
}

impl Rows<'_> {
    /// One row: the observation, or `None` with its problems in `errs`.
    fn row(&self, rec: &csv::StringRecord, line: u64, errs: &mut Vec<ObservedError>) -> Option<Observation> {
        let (path, model, layout) = (self.path, self.model, self.layout);
        let err = |errs: &mut Vec<ObservedError>, line: u64, column: &str, reason: String| {
            errs.push(ObservedError { file: path.into(), line, column: column.into(), reason })
        };
        let first_year = model.settings.start_year;
        let last_year = model.settings.last_year();
        let errs_before = errs.len();
        let year = match rec[0].parse::<i32>() {
            Ok(y) if (first_year..=last_year).contains(&y) => y,
            Ok(y) => {
                err(errs, line, "year", format!("{y} is outside the scenario's years {first_year}–{last_year}"));
                first_year
            }
            Err(_) => {
                err(errs, line, "year", format!("`{}` is not a year", &rec[0]));
                first_year
            }
        };
        let area = rec[1].to_string();
        let area_slot = if area == TOTAL_AREA {
            model.areas.len()
        } else {
            match model.areas.iter().position(|a| a.name == area) {
                Some(i) => i,
                None => {
                    let names: Vec<&str> = model.areas.iter().map(|a| a.name.as_str()).collect();
                    err(
                        errs,
                        line,
                        "area",
                        format!("unknown area `{area}`; the scenario has {} and {TOTAL_AREA}", names.join(", ")),
                    );
                    0
                }
            }
        };
        let measure = rec[2].to_string();
        let quantity = match resolve(&measure, model, layout) {
            Ok(q) => Some(q),
            Err(reason) => {
                err(errs, line, "measure", reason);
                None
            }
        };
        let value = match rec[3].parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                err(errs, line, "value", format!("`{}` is not a number", &rec[3]));
                f64::NAN
            }
        };
        let num = |errs: &mut Vec<ObservedError>, i: usize, name: &str| -> Option<f64> {
            if rec[i].is_empty() {
                return None;
            }
            match rec[i].parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => Some(v),
                _ => {
                    err(errs, line, name, format!("`{}` must be a number > 0 (or empty)", &rec[i]));
                    None
                }
            }
        };
        let n = num(errs, 4, "n");
        let se = num(errs, 5, "se");
        let is_prevalence = matches!(quantity, Some(Quantity::Prevalence { .. }));
        let sampling = match (n, se) {
            (Some(_), Some(_)) => {
                err(errs, line, "n", "give n (survey sample size) or se (standard error), not both".into());
                Sampling::Poisson
            }
            (Some(n), None) => {
                if !is_prevalence {
                    err(
                        errs,
                        line,
                        "n",
                        "a sample size belongs to a prevalence (a survey share); give se for other measures".into(),
                    );
                }
                Sampling::Binomial { n }
            }
            (None, Some(se)) => Sampling::Normal { se },
            (None, None) => {
                if is_prevalence {
                    err(
                        errs,
                        line,
                        "n",
                        "a prevalence needs its sampling error: the survey's sample size n or a standard error se"
                            .into(),
                    );
                }
                Sampling::Poisson
            }
        };
        if is_prevalence && !(0.0..=1.0).contains(&value) {
            err(errs, line, "value", format!("a prevalence is a share in [0, 1], got {value}"));
        }
        if !is_prevalence && value < 0.0 && sampling == Sampling::Poisson {
            err(errs, line, "value", format!("a count is >= 0, got {value}"));
        }
        let quantity = quantity?;
        (errs.len() == errs_before).then(|| Observation {
            line,
            year,
            t: (year - first_year) as usize,
            area,
            area_slot,
            measure,
            quantity,
            value,
            sampling,
        })
    }
}

/// A measure name to what it reads in a ledger.
fn resolve(name: &str, model: &Model, layout: &MeasureLayout) -> Result<Quantity, String> {
    if let Some(rest) = name.strip_prefix("prevalence/") {
        let (chain, state) = rest.split_once('/').ok_or("write prevalence/CHAIN/STATE")?;
        let c = model.chains.iter().position(|x| x.name == chain).ok_or_else(|| {
            let names: Vec<&str> = model.chains.iter().map(|x| x.name.as_str()).collect();
            format!("unknown chain `{chain}`; the scenario has {}", names.join(", "))
        })?;
        let s = model.chains[c].states.iter().position(|x| x == state).ok_or_else(|| {
            format!("chain `{chain}` has no state `{state}`; its states: {}", model.chains[c].states.join(", "))
        })?;
        return Ok(Quantity::Prevalence { person_years: layout.person_years[c][s], active: layout.chain_active[c] });
    }
    match layout.names.iter().position(|n| n == name) {
        Some(m) => Ok(Quantity::Measure(m)),
        None => Err(format!(
            "unknown measure `{name}`; use a yearly measure (its label columns joined with /), e.g. \
             prevalence/CHAIN/STATE, starts/CHAIN, person_years/CHAIN/STATE or care_cost/FUNDER/TAAKVELD"
        )),
    }
}
