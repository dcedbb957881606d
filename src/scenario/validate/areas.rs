//! The `[[area]]` tables and `model.profiles`: each area's name (unique), its
//! profile (a declared profile or another area), its demography (by name,
//! possibly closed here), its population per age band (count, or male and
//! female) and its net migration per age band (none for a closed cohort).

use toml::Spanned;

use super::common::Item;
use super::demography::{placeholder, Demographies};
use super::names::{hint, list_or_none, sorted};
use super::values::{scale, Domain, MAX_PEOPLE};
use super::V;
use crate::model::{Area, Births, Value};
use crate::scenario::file::{AreaSpec, MigrationEntry, ValueSpec};

impl<'a> V<'a> {
    /// Every `[[area]]`, in merge order; also fills the area lookups chains and
    /// interventions resolve names with.
    pub(super) fn areas(&mut self, demographies: &Demographies) -> Vec<Area> {
        let items = self.all(|f| &f.area);
        self.areas = self.unique_items("area", &items, |a| &a.name);
        self.n_areas = items.len();
        self.area_refs.clear();
        self.area_refs(&items);
        let dem_names = sorted(demographies.keys());
        let mut out = Vec::with_capacity(items.len());
        for (f, a) in items {
            out.push(self.area(f, a, demographies, &dem_names));
        }
        out
    }

    /// Which areas each name stands for, for chains and interventions: an
    /// area's own name, its profile, and every declared profile (maybe none).
    fn area_refs(&mut self, items: &[Item<'a, AreaSpec>]) {
        let mut profiles: Vec<String> = vec![];
        if let Some((f, l)) = self.model_key(|m| m.profiles.as_ref()) {
            for p in self.unique_list(f, l, "model.profiles", "profile") {
                profiles.push(p.clone());
                self.area_refs.entry(p).or_default();
            }
        }
        let names: Vec<&String> = items.iter().map(|(_, a)| a.get_ref().name.get_ref()).collect();
        for (k, (f, a)) in items.iter().enumerate() {
            let spec = a.get_ref();
            self.area_refs.entry(spec.name.get_ref().clone()).or_default().push(k);
            let Some(p) = &spec.profile else { continue };
            // A profile is a declared one or another area: a typo would silently
            // give the area no area-specific rows at all.
            let known = profiles.contains(p.get_ref()) || names.contains(&p.get_ref());
            if !known {
                let mut choices = profiles.clone();
                choices.extend(names.iter().map(|n| (*n).clone()));
                self.err(
                    *f,
                    p.span(),
                    format!("area.{}.profile", spec.name.get_ref()),
                    format!(
                        "unknown profile `{}`; declared profiles and areas: {}{}",
                        p.get_ref(),
                        list_or_none(&choices),
                        hint(p.get_ref(), &choices)
                    ),
                );
            }
            if p.get_ref() != spec.name.get_ref() {
                self.area_refs.entry(p.get_ref().clone()).or_default().push(k);
            }
        }
    }

    /// One area: its demography (closed here or there), population and migration.
    fn area(&mut self, f: usize, a: &Spanned<AreaSpec>, demographies: &Demographies, dem_names: &[String]) -> Area {
        let spec = a.get_ref();
        let name = spec.name.get_ref().clone();
        let field = format!("area.{name}");
        self.remember(field.clone(), f, a.span());
        let (mut demography, mut closed) = match demographies.get(spec.demography.get_ref()) {
            Some(Some((d, c))) => (d.clone(), *c),
            Some(None) => (placeholder(), false),
            None => {
                self.err(
                    f,
                    spec.demography.span(),
                    format!("{field}.demography"),
                    format!(
                        "unknown demography `{}`; defined: {} (add a [demography.{}] table){}",
                        spec.demography.get_ref(),
                        list_or_none(dem_names),
                        spec.demography.get_ref(),
                        hint(spec.demography.get_ref(), dem_names)
                    ),
                );
                (placeholder(), false)
            }
        };
        // `closed = true` on the area: the demography's mortality, nothing else.
        if spec.closed.as_ref().is_some_and(|c| *c.get_ref()) {
            demography.births = Births::None;
            closed = true;
        }
        let population = self.population(f, spec, &field);
        let net_migration = match &spec.net_migration {
            Some(m) if closed => {
                self.err(
                    f,
                    m.span(),
                    format!("{field}.net_migration"),
                    format!("area `{name}` is a closed cohort (closed = true here or in the demography `{}`), which has no migration: remove net_migration or the closure", spec.demography.get_ref()),
                );
                None
            }
            None if closed => None,
            None => Some(vec![vec![Value::Fixed(0.0); self.max_age + 1]; self.sexes]),
            Some(m) => Some(self.migration(f, m, &field)),
        };
        Area { name, population, demography, net_migration }
    }

    /// Population: literal counts, spread evenly over the band's ages (and sexes).
    fn population(&mut self, f: usize, spec: &AreaSpec, field: &str) -> Vec<Vec<f64>> {
        let sexes = self.sexes;
        let pop_list = spec.population.get_ref();
        let prefix = format!("{field}.population");
        let parsed = self.entry_bands(f, pop_list, |e| &e.ages, &prefix, (0, self.max_age), "the model's ages");
        let mut population = vec![vec![0.0; self.max_age + 1]; sexes];
        for (i, (e, b)) in pop_list.iter().zip(&parsed).enumerate() {
            let ef = format!("{prefix}[{i}]");
            let es = e.get_ref();
            let check = |v: &mut Self, x: &Spanned<f64>, key: &str| -> f64 {
                let val = *x.get_ref();
                if !val.is_finite() || val < 0.0 {
                    v.err(
                        f,
                        x.span(),
                        format!("{ef}.{key}"),
                        format!("a population count must be a number >= 0, got {val}"),
                    );
                    0.0
                } else if val > MAX_PEOPLE {
                    v.err(
                        f,
                        x.span(),
                        format!("{ef}.{key}"),
                        format!("a population count must be at most 1e9 people, got {val:e}; a larger number would overflow the results"),
                    );
                    0.0
                } else {
                    val
                }
            };
            let per_sex: Vec<f64> = match (&es.count, &es.male, &es.female) {
                (Some(c), None, None) => {
                    let c = check(self, c, "count");
                    vec![c / sexes as f64; sexes]
                }
                (None, Some(m), Some(w)) => vec![check(self, m, "male"), check(self, w, "female")],
                _ => {
                    self.err(f, e.span(), ef.clone(), "give either count, or both male and female");
                    continue;
                }
            };
            if let Some((lo, hi)) = b {
                let width = (hi - lo + 1) as f64;
                for (row, n) in population.iter_mut().zip(&per_sex) {
                    row[*lo..=*hi].fill(n / width);
                }
            }
        }
        population
    }

    /// Net migration, persons per year per band, spread evenly over the band's
    /// ages and sexes. A `Value` cannot be scaled after the fact, so an uncertain
    /// band total becomes one parameter holding the per-cell share (all cells of
    /// the band share its slot, so they move together).
    fn migration(&mut self, f: usize, m: &Spanned<Vec<Spanned<MigrationEntry>>>, field: &str) -> Vec<Vec<Value>> {
        let sexes = self.sexes;
        let list = m.get_ref();
        let prefix = format!("{field}.net_migration");
        let parsed = self.entry_bands(f, list, |e| &e.ages, &prefix, (0, self.max_age), "the model's ages");
        let mut table = vec![vec![Value::Fixed(0.0); self.max_age + 1]; sexes];
        for (i, (e, b)) in list.iter().zip(&parsed).enumerate() {
            let Some((lo, hi)) = *b else {
                continue;
            };
            let cells = ((hi - lo + 1) * sexes) as f64;
            let v = self.band_total(f, &e.get_ref().count, &format!("{prefix}[{i}].count"), cells);
            for row in table.iter_mut() {
                row[lo..=hi].fill(v);
            }
        }
        table
    }

    /// One cell's share of a migration band total spread over `cells` age-sex groups.
    fn band_total(&mut self, f: usize, c: &Spanned<ValueSpec>, ef: &str, cells: f64) -> Value {
        match c.get_ref() {
            ValueSpec::Dist(d) if cells > 1.0 => match self.dist(f, d, c.span(), ef) {
                Some(dist) => match scale(&dist, 1.0 / cells) {
                    Some(scaled) => {
                        let mut note = d.note.as_ref().map(|n| format!("{}; ", n.get_ref())).unwrap_or_default();
                        note.push_str(&format!("per age and sex: the band total divided by {cells}"));
                        Value::Slot(self.params.push(ef.to_string(), scaled, Some(note), false))
                    }
                    None => {
                        self.err(f, c.span(), ef, format!("a {} cannot be spread over the band's ages; a migration count is a number of people: use a normal, gamma, lognormal, uniform, triangular or pert", dist.kind()));
                        Value::Fixed(0.0)
                    }
                },
                None => Value::Fixed(0.0),
            },
            ValueSpec::Name(n) if cells > 1.0 && n != "rest" && self.named.contains_key(n) => {
                self.err(
                    f,
                    c.span(),
                    ef,
                    format!(
                        "the named parameter `{n}` cannot be spread over {cells} age-sex groups (the model cannot scale a shared parameter); write the distribution inline here, or give a single-age band"
                    ),
                );
                Value::Fixed(0.0)
            }
            _ => match self.value(f, c, ef, Domain::NetCount) {
                Value::Fixed(x) => Value::Fixed(x / cells),
                slot => slot,
            },
        }
    }
}
