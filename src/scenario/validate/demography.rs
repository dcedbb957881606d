//! The `[demography.X]` tables: background mortality (q per age band, or per
//! sex), births (a crude birth rate or age-specific fertility, never both, none
//! for a closed demography) and the share of boys at birth. Mortality must
//! cover every age. Also decides whether the model tracks one sex or two.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::values::Domain;
use super::V;
use crate::model::{Births, Demography, Value};
use crate::scenario::file::{DemographySpec, MortalitySpec};

/// Share of boys among births when none is given.
const MALE_BIRTH_SHARE: f64 = 0.512;

/// Every demography by name: (demography, closed); `None` when it is invalid
/// (already reported, so areas using it stay silent).
pub(super) type Demographies = HashMap<String, Option<(Demography, bool)>>;

/// The demography of an area whose own is unknown or invalid (the error is
/// reported elsewhere; this only lets validation carry on).
pub(super) fn placeholder() -> Demography {
    Demography { mortality: None, births: Births::None, male_birth_share: MALE_BIRTH_SHARE }
}

impl V<'_> {
    /// Two sexes are tracked when any population or mortality entry splits by sex.
    pub(super) fn detect_sexes(&self) -> usize {
        for p in self.files {
            for a in &p.file.area {
                if a.get_ref()
                    .population
                    .get_ref()
                    .iter()
                    .any(|e| e.get_ref().male.is_some() || e.get_ref().female.is_some())
                {
                    return 2;
                }
            }
            if let Some(d) = &p.file.demography {
                for (_, d) in &d.0 {
                    if let Some(m) = &d.mortality {
                        if let MortalitySpec::Bands(b) = m.get_ref() {
                            if b.iter().any(|e| e.get_ref().male.is_some() || e.get_ref().female.is_some()) {
                                return 2;
                            }
                        }
                        if let MortalitySpec::File(mf) = m.get_ref() {
                            let f = self.files.iter().position(|q| std::ptr::eq(q, p)).unwrap_or(0);
                            if self.life_table_splits_sex(f, mf) {
                                return 2;
                            }
                        }
                    }
                }
            }
        }
        1
    }

    /// Every `[demography.X]` by name.
    pub(super) fn demographies(&mut self) -> Demographies {
        let items = self.entries(|f| f.demography.as_ref());
        let map = self.unique_entries("demography", &items);
        let mut out = HashMap::new();
        for (i, (f, name, d)) in items.iter().enumerate() {
            if map.get(name.get_ref()) != Some(&i) {
                continue;
            }
            let n_err = self.errors.len();
            let field = format!("demography.{}", name.get_ref());
            self.remember(field.clone(), *f, name.span());
            let dem = self.demography(*f, d, name.span(), &field);
            let ok = self.errors.len() == n_err;
            out.insert(name.get_ref().clone(), ok.then_some(dem));
        }
        out
    }

    fn demography(&mut self, f: usize, spec: &DemographySpec, at: Range<usize>, field: &str) -> (Demography, bool) {
        let closed = spec.closed.as_ref().is_some_and(|c| *c.get_ref());
        let mortality = match &spec.mortality {
            None if closed => None,
            None => {
                self.err(
                    f,
                    at,
                    field,
                    "no mortality given: add mortality = [{ ages = \"0-100\", q = 0.01 }, ...] (probability of dying within the year), or mortality = \"none\" for no background mortality",
                );
                None
            }
            Some(m) => self.mortality(f, m, field),
        };
        let births = self.births(f, spec, closed, field);
        let male_birth_share = match &spec.male_birth_share {
            None => MALE_BIRTH_SHARE,
            Some(s) => {
                let x = *s.get_ref();
                if (0.0..=1.0).contains(&x) {
                    x
                } else {
                    self.err(
                        f,
                        s.span(),
                        format!("{field}.male_birth_share"),
                        format!("male_birth_share {x} must lie between 0 and 1 (a share, e.g. 0.512)"),
                    );
                    MALE_BIRTH_SHARE
                }
            }
        };
        (Demography { mortality, births, male_birth_share }, closed)
    }

    /// `mortality`: "none", or q per age band (both sexes, or male and female),
    /// covering every age; as a table per sex and age.
    fn mortality(&mut self, f: usize, m: &Spanned<MortalitySpec>, field: &str) -> Option<Vec<Vec<Value>>> {
        let list = match m.get_ref() {
            MortalitySpec::Word(w) if w == "none" => return None,
            MortalitySpec::Word(w) => {
                self.err(f, m.span(), format!("{field}.mortality"), format!("mortality must be \"none\" or a list of {{ ages, q }} or {{ ages, male, female }}, got \"{w}\""));
                return None;
            }
            MortalitySpec::Bands(list) => list,
            MortalitySpec::File(mf) => return self.life_table(f, mf, field),
        };
        let sexes = self.sexes;
        let all_ages = (0, self.max_age);
        let prefix = format!("{field}.mortality");
        let parsed = self.entry_bands(f, list, |e| &e.ages, &prefix, all_ages, "the model's ages");
        self.check_cover(
            f,
            m.span(),
            &prefix,
            &parsed,
            all_ages,
            "mortality must give every age from 0 to max_age (or write mortality = \"none\")",
        );
        let mut table = vec![vec![Value::Fixed(0.0); self.max_age + 1]; sexes];
        for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
            let ef = format!("{prefix}[{i}]");
            let e_ref = e.get_ref();
            let vals: Vec<Value> = match (&e_ref.q, &e_ref.male, &e_ref.female) {
                (Some(q), None, None) => {
                    let v = self.value(f, q, &format!("{ef}.q"), Domain::Probability);
                    vec![v; sexes]
                }
                (None, Some(m), Some(w)) => {
                    let vm = self.value(f, m, &format!("{ef}.male"), Domain::Probability);
                    let vw = self.value(f, w, &format!("{ef}.female"), Domain::Probability);
                    vec![vm, vw]
                }
                _ => {
                    self.err(f, e.span(), ef, "give either q (both sexes) or both male and female");
                    continue;
                }
            };
            if let Some((lo, hi)) = b {
                for (row, v) in table.iter_mut().zip(&vals) {
                    row[*lo..=*hi].fill(*v);
                }
            }
        }
        Some(table)
    }

    /// Births: a crude birth rate or age-specific fertility (not both), none
    /// for a closed demography.
    fn births(&mut self, f: usize, spec: &DemographySpec, closed: bool, field: &str) -> Births {
        match (&spec.crude_birth_rate, &spec.fertility) {
            (Some(c), Some(_)) => {
                self.err(
                    f,
                    c.span(),
                    format!("{field}.crude_birth_rate"),
                    "give either crude_birth_rate or fertility, not both",
                );
                Births::None
            }
            (Some(c), None) if closed => {
                self.err(
                    f,
                    c.span(),
                    format!("{field}.crude_birth_rate"),
                    "a closed demography has no births: remove crude_birth_rate or set closed = false",
                );
                Births::None
            }
            (None, Some(fe)) if closed => {
                self.err(
                    f,
                    fe.span(),
                    format!("{field}.fertility"),
                    "a closed demography has no births: remove fertility or set closed = false",
                );
                Births::None
            }
            (Some(c), None) => Births::Crude(self.value(f, c, &format!("{field}.crude_birth_rate"), Domain::Rate)),
            (None, Some(fe)) => {
                let list = fe.get_ref();
                let prefix = format!("{field}.fertility");
                let parsed = self.entry_bands(f, list, |e| &e.ages, &prefix, (0, self.max_age), "the model's ages");
                let mut rates = vec![Value::Fixed(0.0); self.max_age + 1];
                for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
                    let v = self.value(f, &e.get_ref().rate, &format!("{prefix}[{i}].rate"), Domain::Rate);
                    if let Some((lo, hi)) = b {
                        rates[*lo..=*hi].fill(v);
                    }
                }
                Births::Fertility(rates)
            }
            (None, None) => Births::None,
        }
    }
}
