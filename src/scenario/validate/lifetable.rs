//! Background mortality from a life table file (`[demography.X] mortality =
//! { file = "lifetable.csv" }`) and mortality by state (`[chain.state.S]
//! mortality_hr`).
//!
//! The CSV has a header `age,q` or `age,male,female` (probabilities of dying
//! within a year) or `age,rate` / `age,male_rate,female_rate` (hazards,
//! q = 1 − exp(−rate)); `age` is a single age, a band `lo-hi` or an open band
//! `lo+` (to the model's last age). Lines starting with `#` are comments. Every
//! age 0..=max_age must be given exactly once; ages above max_age are ignored.
//! Errors name the CSV file, line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::ages::{band_str, parse_band, Band};
use super::V;
use crate::model::Value;
use crate::scenario::confine::{self, Refused};
use crate::scenario::error::ScenarioError;
use crate::scenario::file::{ChainSpec, MortalityFile};

/// What the header of a life table gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Columns {
    /// `q`, or `male` and `female`: probabilities.
    Probability,
    /// `rate`, or `male_rate` and `female_rate`: hazards per year.
    Rate,
}

/// A parsed life table: `q[sex][age]` (one row when the file does not split
/// by sex), or the problems found, each at a byte offset of the text.
pub(super) type Parsed = Result<Vec<Vec<f64>>, Vec<(usize, String)>>;

/// Byte offset of field `i` (0-based, after leading blanks) of the CSV record
/// starting at byte `start` of `text`.
fn field_offset(text: &str, start: usize, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut field = 0;
    let mut quoted = false;
    while pos < bytes.len() && field < i {
        match bytes[pos] {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
        pos += 1;
    }
    while pos < bytes.len() && (bytes[pos] == b' ' || bytes[pos] == b'\t') {
        pos += 1;
    }
    pos
}

/// True when the header of `text` splits by sex (`male`/`female` columns).
pub(super) fn splits_sex(text: &str) -> bool {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let first = rd.records().next();
    matches!(first, Some(Ok(r)) if r.iter().any(|h| h.eq_ignore_ascii_case("male") || h.eq_ignore_ascii_case("male_rate")))
}

/// Parse a life table for ages 0..=`max_age` and `sexes` sexes (1 or 2).
pub(super) fn parse(text: &str, max_age: usize, sexes: usize) -> Parsed {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut errors: Vec<(usize, String)> = Vec::new();
    let mut records = rd.records();
    let header = match records.next() {
        None => return Err(vec![(0, "the life table is empty: give a header `age,q` (or `age,male,female`, `age,rate`, `age,male_rate,female_rate`) and one line per age or age band".into())]),
        Some(Err(e)) => return Err(vec![(e.position().map_or(0, |p| p.byte() as usize), format!("not a valid CSV file: {e}"))]),
        Some(Ok(h)) => h,
    };
    let hstart = header.position().map_or(0, |p| p.byte() as usize);
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let find = |n: &str| names.iter().position(|h| h == n);
    let layout = match names.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["age", "q"] => Some((Columns::Probability, vec![1])),
        ["age", "rate"] => Some((Columns::Rate, vec![1])),
        _ if names.len() == 3 && names[0] == "age" => {
            match (find("male"), find("female"), find("male_rate"), find("female_rate")) {
                (Some(m), Some(w), None, None) => Some((Columns::Probability, vec![m, w])),
                (None, None, Some(m), Some(w)) => Some((Columns::Rate, vec![m, w])),
                _ => None,
            }
        }
        _ => None,
    };
    let Some((kind, cols)) = layout else {
        return Err(vec![(hstart, format!("header `{}` is not a life table header: write `age,q` or `age,male,female` (probabilities of dying within a year), or `age,rate` or `age,male_rate,female_rate` (hazards per year)", header.iter().collect::<Vec<_>>().join(",")))]);
    };
    let n_ages = max_age + 1;
    let mut table = vec![vec![f64::NAN; n_ages]; cols.len()];
    // Where each age was given: (offset of the age cell, line).
    let mut given: Vec<Option<(usize, u64)>> = vec![None; n_ages];
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push((e.position().map_or(0, |p| p.byte() as usize), format!("not a valid CSV line: {e}")));
                continue;
            }
        };
        let pos = rec.position().expect("records have positions");
        let start = pos.byte() as usize;
        if rec.len() != names.len() {
            errors.push((start, format!("this line has {} fields, the header {}", rec.len(), names.len())));
            continue;
        }
        let cell = &rec[0];
        let band: Option<Band> = match cell.strip_suffix('+') {
            Some(lo) => parse_band(lo).filter(|(a, b)| a == b).map(|(a, _)| (a as usize, max_age.max(a as usize))),
            None => parse_band(cell).filter(|(a, b)| a <= b).map(|(a, b)| (a as usize, b as usize)),
        };
        let Some((lo, hi)) = band else {
            errors.push((start, format!("age `{cell}` is not an age: write a single age like `7`, a band like `0-4` or an open band like `95+`")));
            continue;
        };
        let mut vals = Vec::with_capacity(cols.len());
        for &c in &cols {
            let off = field_offset(text, start, c);
            let raw = &rec[c];
            match raw.parse::<f64>() {
                Ok(x) if x.is_finite() => match kind {
                    Columns::Probability if !(0.0..=1.0).contains(&x) => errors.push((off, format!("`{raw}` ({}) is not a probability of dying within a year (0 to 1); for hazards name the column `{}_rate` or `rate`", names[c], names[c]))),
                    Columns::Rate if x < 0.0 => errors.push((off, format!("`{raw}` ({}) is a negative hazard; a rate of dying is 0 or more per year", names[c]))),
                    Columns::Probability => vals.push(x),
                    Columns::Rate => vals.push(1.0 - (-x).exp()),
                },
                _ => errors.push((off, format!("`{raw}` ({}) is not a number", names[c]))),
            }
        }
        if lo > max_age {
            continue; // ages above the model's last age are not simulated
        }
        let hi = hi.min(max_age);
        let clash: Vec<usize> = (lo..=hi).filter(|&a| given[a].is_some()).collect();
        if let Some(&a) = clash.first() {
            let line = given[a].map_or(0, |(_, l)| l);
            errors.push((
                start,
                format!(
                    "ages {} are given twice (age {a} also on line {line}); give every age once",
                    band_str((lo, hi))
                ),
            ));
            continue;
        }
        given[lo..=hi].fill(Some((start, pos.line())));
        if vals.len() == cols.len() {
            for (row, v) in table.iter_mut().zip(vals) {
                row[lo..=hi].fill(v);
            }
        }
    }
    let missing: Vec<usize> = (0..n_ages).filter(|&a| given[a].is_none()).collect();
    if !missing.is_empty() {
        errors.push((hstart, format!("ages {} are missing: the life table must give every age from 0 to max_age ({max_age}), once each (an open band like `95+` runs to max_age)", ranges(&missing))));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if sexes == 2 && table.len() == 1 {
        table.push(table[0].clone());
    }
    Ok(table)
}

/// "0-4, 7": a compact list of ages.
fn ranges(ages: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ages.len() {
        let mut j = i;
        while j + 1 < ages.len() && ages[j + 1] == ages[j] + 1 {
            j += 1;
        }
        out.push(band_str((ages[i], ages[j])));
        i = j + 1;
    }
    out.join(", ")
}

impl V<'_> {
    /// The path of a file named by file `f`, relative to it, if it may be read;
    /// the reason (for an error at the reference) when not.
    fn data_file(&self, f: usize, rel: &str, what: &str) -> Result<(PathBuf, PathBuf), String> {
        let base = self.files[f].path.parent().map(Path::to_path_buf).unwrap_or_default();
        let shown = base.join(rel);
        match confine::resolve(&base, rel, self.opts) {
            Ok(p) => Ok((shown, p)),
            Err(Refused::NotFound) => Err(format!(
                "{what} {} not found (paths are relative to the scenario file that names it)",
                shown.display()
            )),
            Err(Refused::Outside) => Err(confine::outside_reason(what, rel)),
        }
    }

    /// True when the life table named by `mf` (in file `f`) splits by sex; false
    /// when it cannot be read (reported when the demography is read).
    pub(super) fn life_table_splits_sex(&self, f: usize, mf: &MortalityFile) -> bool {
        self.data_file(f, mf.file.get_ref(), "life table")
            .ok()
            .and_then(|(_, p)| std::fs::read_to_string(p).ok())
            .is_some_and(|t| splits_sex(&t))
    }

    /// `mortality = { file }`: the life table as a table per sex and age.
    pub(super) fn life_table(&mut self, f: usize, mf: &MortalityFile, field: &str) -> Option<Vec<Vec<Value>>> {
        let ff = format!("{field}.mortality.file");
        let rel = mf.file.get_ref();
        let (shown, path) = match self.data_file(f, rel, "life table") {
            Ok(x) => x,
            Err(reason) => {
                self.err(f, mf.file.span(), ff, reason);
                return None;
            }
        };
        let text = match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                self.err(f, mf.file.span(), ff, format!("life table {} is not UTF-8 text", shown.display()));
                return None;
            }
            Err(e) => {
                self.err(f, mf.file.span(), ff, format!("cannot read life table {}: {e}", shown.display()));
                return None;
            }
        };
        if !self.data_files.iter().any(|d| d.path == shown) {
            let sha256 = crate::hash::sha256_hex(text.as_bytes());
            self.data_files.push(crate::scenario::SourceFile { path: shown.clone(), sha256, text: text.clone() });
        }
        match parse(&text, self.max_age, self.sexes) {
            Ok(t) => Some(t.into_iter().map(|row| row.into_iter().map(Value::Fixed).collect()).collect()),
            Err(errs) => {
                for (off, reason) in errs {
                    self.errors.push(ScenarioError::at(&shown, &text, off..off, ff.clone(), reason));
                }
                None
            }
        }
    }

    /// `mortality_hr` of a chain's states (`hrs`, with where each was given):
    /// the hazard ratio per state (1 where not given), or empty when no state
    /// has one. The chain needs exactly one death state, which has none itself.
    pub(super) fn state_mortality(
        &mut self,
        f: usize,
        field: &str,
        states: &[String],
        hrs: &[Option<(Value, Range<usize>)>],
        death: &[bool],
    ) -> Vec<Value> {
        let Some((_, first)) = hrs.iter().flatten().next() else { return Vec::new() };
        let n_death = death.iter().filter(|&&d| d).count();
        if n_death != 1 {
            self.err(f, first.clone(), format!("{field}.state"), format!("mortality_hr makes people die of background mortality through this chain, so it needs exactly one death state (death_states = [\"…\"]); it has {n_death}"));
        }
        for (s, hr) in hrs.iter().enumerate() {
            if let (Some((_, span)), true) = (hr, death[s]) {
                self.err(
                    f,
                    span.clone(),
                    format!("{field}.state.{}.mortality_hr", states[s]),
                    "a death state has no mortality of its own: give mortality_hr on the living states only",
                );
            }
        }
        hrs.iter().map(|h| h.as_ref().map_or(Value::Fixed(1.0), |(v, _)| *v)).collect()
    }

    /// At most one chain with `mortality_hr` may cover an age (else people would die twice).
    pub(super) fn one_mortality_chain_per_age(
        &mut self,
        items: &[(usize, &Spanned<ChainSpec>)],
        ages: &[(usize, usize)],
    ) {
        let mut seen: Vec<(usize, Band)> = Vec::new();
        for (c, (f, spec)) in items.iter().enumerate() {
            let spec = spec.get_ref();
            let Some(st) = &spec.state else { continue };
            let Some((sname, ss)) = st.0.iter().find(|(_, ss)| ss.mortality_hr.is_some()) else { continue };
            let band = ages[c];
            if let Some((o, ob)) = seen.iter().find(|(_, b)| b.0 <= band.1 && band.0 <= b.1) {
                let span = ss.mortality_hr.as_ref().map_or(sname.span(), |v| v.span());
                self.err(*f, span, format!("chain.{}.state.{}.mortality_hr", spec.name.get_ref(), sname.get_ref()), format!("chain `{}` (ages {}) and chain `{}` (ages {}) both take background mortality by state at ages {}; at most one chain with mortality_hr may cover an age", items[*o].1.get_ref().name.get_ref(), band_str(*ob), spec.name.get_ref(), band_str(band), band_str((band.0.max(ob.0), band.1.min(ob.1)))));
            }
            seen.push((c, band));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_open_bands_and_sexes() {
        let t = parse("age,female,male\n0-1,0.1,0.2\n2+,0.3,0.4\n", 3, 2).unwrap();
        // Columns are found by name, whatever their order.
        assert_eq!(t, vec![vec![0.2, 0.2, 0.4, 0.4], vec![0.1, 0.1, 0.3, 0.3]]);
        // One column for both sexes; ages above max_age are ignored.
        let t = parse("age,q\n0,0.5\n1-5,0.25\n6-110,1\n", 2, 2).unwrap();
        assert_eq!(t, vec![vec![0.5, 0.25, 0.25], vec![0.5, 0.25, 0.25]]);
    }

    #[test]
    fn rates_are_hazards() {
        let t = parse("age,male_rate,female_rate\n0+,0.1,0\n", 1, 2).unwrap();
        assert_eq!(t[0], vec![1.0 - (-0.1f64).exp(); 2]);
        assert_eq!(t[1], vec![0.0; 2]);
    }

    #[test]
    fn problems_are_placed_at_their_cell() {
        let text = "age,male,female\n0,0.1,x\n1,-0.2,0.1\n";
        let errs = parse(text, 1, 2).unwrap_err();
        let places: Vec<usize> = errs.iter().map(|(o, _)| *o).collect();
        // `x` is the 3rd field of line 2; `-0.2` the 2nd of line 3.
        assert_eq!(places, vec![text.find('x').unwrap(), text.find("-0.2").unwrap()], "{errs:?}");
        assert!(errs[1].1.contains("not a probability"), "{errs:?}");
        assert!(parse("age,q\n0,0.1\n", 1, 1).unwrap_err()[0].1.starts_with("ages 1 are missing"));
        assert!(parse("age,q\n0,0.1,0.2\n1,0\n", 1, 1).unwrap_err()[0].1.contains("3 fields"));
        assert!(parse("", 1, 1).unwrap_err()[0].1.contains("empty"));
        assert!(splits_sex("# c\nage,male,female\n") && !splits_sex("age,q\n"));
    }
}
