//! The ledger of one simulated arm in one draw: per area and year, every
//! counted quantity (population, person-years per state, care starts, costs per
//! account, outcomes, social value, participants).
//!
//! The set of measures depends on the model, so it is described by a
//! [`MeasureLayout`] built once per model; a [`Ledger`] is a flat array indexed
//! `[area][year][measure]`.

use crate::model::{DiscountTiming, Model};
use ndarray::{s, Array2, ArrayView3, ArrayViewMut3, Axis, CowArray, Ix2};

/// What a measure counts, so writers and the business case can find them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    /// People alive at the start of the year.
    PopulationStart,
    /// People alive at the end of the year (after deaths and migration, before ageing).
    PopulationEnd,
    /// Person-years lived (with the cycle correction): life-years.
    LifeYears,
    /// Live births in the area.
    Births,
    /// Deaths from background mortality and from death states.
    Deaths,
    /// People moving into the area (positive net migration).
    Arrivals,
    /// People moving out of the area (negative net migration).
    Departures,
    /// Person-years inside the chain's age range.
    ChainActive {
        /// Index into [`Model::chains`].
        chain: usize,
    },
    /// Person-years in a state.
    PersonYears {
        /// Index into [`Model::chains`].
        chain: usize,
        /// State index within the chain.
        state: usize,
    },
    /// Transitions into a state from another state.
    Entries {
        /// Index into [`Model::chains`].
        chain: usize,
        /// State index within the chain.
        state: usize,
    },
    /// Trajectory starts: transitions out of the chain's rest state.
    Starts {
        /// Index into [`Model::chains`].
        chain: usize,
    },
    /// Deaths through a chain's death states.
    ChainDeaths {
        /// Index into [`Model::chains`].
        chain: usize,
    },
    /// Cost of care (state costs and transition costs) charged to an account.
    CareCost {
        /// Index into [`Model::accounts`].
        account: usize,
    },
    /// Intervention costs (fixed and per participant) charged to an account.
    InterventionCost {
        /// Index into [`Model::accounts`].
        account: usize,
    },
    /// Outcome units (QALYs, WELLBYs…).
    Outcome {
        /// Index into [`Model::outcomes`].
        outcome: usize,
    },
    /// Monetised social value (euros), kept apart from cash flows.
    SocialValue,
    /// Participants of an intervention in the year.
    Participants {
        /// Index into [`Model::interventions`].
        intervention: usize,
    },
    /// The year's amount of another measure (costs, an outcome, social value,
    /// life-years) discounted to the start year at the boundaries where the
    /// cycle convention counts it (only under `discount_timing = "boundary"`).
    Discounted {
        /// Index of the undiscounted measure.
        of: usize,
    },
}

/// A yearly measure's name split into its parts: what is counted and of
/// which chain, state, account, outcome or intervention. These are the label
/// columns of `yearly.csv` / `yearly.parquet`, so an analyst filters on
/// `measure == "prevalence" & chain == "eenzaamheid"` without splitting
/// strings. Parts that do not apply are `None` (an empty cell, a null).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureLabel {
    /// What is counted: `population_start`, `person_years`, `care_cost`,
    /// `prevalence`, … (see `docs/outputs.md` for every kind).
    pub measure: &'static str,
    /// The chain (keten), for chain measures.
    pub chain: Option<String>,
    /// The state within the chain, for per-state measures.
    pub state: Option<String>,
    /// The funder (financier), for cost measures.
    pub funder: Option<String>,
    /// The budget line (taakveld) code, for costs charged to a funder with budget lines.
    pub taakveld: Option<String>,
    /// The outcome (QALY, WELLBY, …), for outcome measures.
    pub outcome: Option<String>,
    /// The intervention, for participant counts.
    pub intervention: Option<String>,
}

impl MeasureLabel {
    /// The names of the label parts, in column order (`measure` first).
    pub const COLUMNS: [&'static str; 7] =
        ["measure", "chain", "state", "funder", "taakveld", "outcome", "intervention"];

    /// A measure without chain, account, outcome or intervention.
    pub fn new(measure: &'static str) -> Self {
        MeasureLabel { measure, ..Default::default() }
    }

    /// With chain `name`.
    pub fn chain(self, name: &str) -> Self {
        MeasureLabel { chain: Some(name.to_string()), ..self }
    }

    /// With state `name`.
    pub fn state(self, name: &str) -> Self {
        MeasureLabel { state: Some(name.to_string()), ..self }
    }

    /// With the funder and taakveld of account `a` of `model`.
    fn account(self, model: &Model, a: usize) -> Self {
        let acc = &model.accounts[a];
        MeasureLabel {
            funder: Some(model.funders[acc.funder].clone()),
            taakveld: acc.taakveld.map(|t| model.taakvelden[t].code.clone()),
            ..self
        }
    }

    /// The parts after `measure`, in [`MeasureLabel::COLUMNS`] order.
    pub fn parts(&self) -> [Option<&str>; 6] {
        [&self.chain, &self.state, &self.funder, &self.taakveld, &self.outcome, &self.intervention]
            .map(|p| p.as_deref())
    }

    /// The measure's name: `measure` and the parts present, joined with `/`
    /// (`prevalence/eenzaamheid/ernstig`, `care_cost/gemeente/6.72`), as the
    /// monitor's observed figures name it.
    pub fn name(&self) -> String {
        let mut s = self.measure.to_string();
        for p in self.parts().into_iter().flatten() {
            s.push('/');
            s.push_str(p);
        }
        s
    }
}

/// The measures of a model, with their names and positions.
#[derive(Debug, Clone)]
pub struct MeasureLayout {
    /// What each measure counts, in measure-index order.
    pub measures: Vec<Measure>,
    /// Machine-readable names, e.g. `person_years/loneliness/severe`, `care_cost/gemeente/6.71`:
    /// the [`MeasureLabel::name`] of each label.
    pub names: Vec<String>,
    /// The same names split into their parts (the columns of the tidy yearly tables).
    pub labels: Vec<MeasureLabel>,
    /// `chain_active[chain]` → measure index.
    pub chain_active: Vec<usize>,
    /// `person_years[chain][state]` → measure index.
    pub person_years: Vec<Vec<usize>>,
    /// `entries[chain][state]` → measure index.
    pub entries: Vec<Vec<usize>>,
    /// `starts[chain]` → measure index.
    pub starts: Vec<usize>,
    /// `chain_deaths[chain]` → measure index.
    pub chain_deaths: Vec<usize>,
    /// `care_cost[account]` → measure index.
    pub care_cost: Vec<usize>,
    /// `intervention_cost[account]` → measure index.
    pub intervention_cost: Vec<usize>,
    /// `outcome[outcome]` → measure index.
    pub outcome: Vec<usize>,
    /// `participants[intervention]` → measure index.
    pub participants: Vec<usize>,
    /// The discounted measures, present only under `discount_timing = "boundary"`.
    pub discounted: Option<DiscountedMeasures>,
}

impl MeasureLayout {
    /// The discounted counterpart of measure `m` (its yearly present values,
    /// kept under `discount_timing = "boundary"`); `None` without one.
    pub fn discounted_of(&self, m: usize) -> Option<usize> {
        let d = self.discounted.as_ref()?;
        let pairs = (self.care_cost.iter().zip(&d.care_cost))
            .chain(self.intervention_cost.iter().zip(&d.intervention_cost))
            .chain(self.outcome.iter().zip(&d.outcome))
            .chain([(&SOCIAL_VALUE, &d.social_value), (&LIFE_YEARS, &d.life_years)]);
        pairs.into_iter().find(|(&u, _)| u == m).map(|(_, &k)| k)
    }
}

/// Positions of the discounted measures ([`Measure::Discounted`]): each
/// year's present value (to the start year) of the money and outcome
/// measures, at the costs rate for money and the effects rate for the rest.
#[derive(Debug, Clone)]
pub struct DiscountedMeasures {
    /// `care_cost[account]` → measure index (`care_cost_discounted`).
    pub care_cost: Vec<usize>,
    /// `intervention_cost[account]` → measure index (`intervention_cost_discounted`).
    pub intervention_cost: Vec<usize>,
    /// `outcome[outcome]` → measure index (`outcome_discounted`).
    pub outcome: Vec<usize>,
    /// `social_value_discounted`.
    pub social_value: usize,
    /// `life_years_discounted`.
    pub life_years: usize,
}

/// Position of [`Measure::PopulationStart`]; the fixed measures come first in every layout.
pub const POP_START: usize = 0;
/// Position of [`Measure::PopulationEnd`].
pub const POP_END: usize = 1;
/// Position of [`Measure::LifeYears`].
pub const LIFE_YEARS: usize = 2;
/// Position of [`Measure::Births`].
pub const BIRTHS: usize = 3;
/// Position of [`Measure::Deaths`].
pub const DEATHS: usize = 4;
/// Position of [`Measure::Arrivals`].
pub const ARRIVALS: usize = 5;
/// Position of [`Measure::Departures`].
pub const DEPARTURES: usize = 6;
/// Position of [`Measure::SocialValue`].
pub const SOCIAL_VALUE: usize = 7;

impl MeasureLayout {
    /// The layout of `model`: the fixed measures first, then per chain, account, outcome and intervention.
    pub fn new(model: &Model) -> Self {
        let fixed = [
            (Measure::PopulationStart, "population_start"),
            (Measure::PopulationEnd, "population_end"),
            (Measure::LifeYears, "life_years"),
            (Measure::Births, "births"),
            (Measure::Deaths, "deaths"),
            (Measure::Arrivals, "arrivals"),
            (Measure::Departures, "departures"),
            (Measure::SocialValue, "social_value"),
        ];
        let mut measures = vec![];
        let mut labels = vec![];
        let mut push = |m: Measure, label: MeasureLabel| {
            measures.push(m);
            labels.push(label);
            measures.len() - 1
        };
        for (m, name) in fixed {
            push(m, MeasureLabel::new(name));
        }
        let mut chain_active = vec![];
        let mut person_years = vec![];
        let mut entries = vec![];
        let mut starts = vec![];
        let mut chain_deaths = vec![];
        for (c, ch) in model.chains.iter().enumerate() {
            let chain = |name| MeasureLabel::new(name).chain(&ch.name);
            let state = |name, s: usize| chain(name).state(&ch.states[s]);
            chain_active.push(push(Measure::ChainActive { chain: c }, chain("active")));
            person_years.push(
                (0..ch.n_states())
                    .map(|s| push(Measure::PersonYears { chain: c, state: s }, state("person_years", s)))
                    .collect(),
            );
            entries.push(
                (0..ch.n_states())
                    .map(|s| push(Measure::Entries { chain: c, state: s }, state("entries", s)))
                    .collect(),
            );
            starts.push(push(Measure::Starts { chain: c }, chain("starts")));
            chain_deaths.push(push(Measure::ChainDeaths { chain: c }, chain("deaths")));
        }
        let care_cost: Vec<usize> = (0..model.accounts.len())
            .map(|a| push(Measure::CareCost { account: a }, MeasureLabel::new("care_cost").account(model, a)))
            .collect();
        let intervention_cost: Vec<usize> = (0..model.accounts.len())
            .map(|a| {
                push(Measure::InterventionCost { account: a }, MeasureLabel::new("intervention_cost").account(model, a))
            })
            .collect();
        let outcome: Vec<usize> = (0..model.outcomes.len())
            .map(|o| {
                let label = MeasureLabel { outcome: Some(model.outcomes[o].clone()), ..MeasureLabel::new("outcome") };
                push(Measure::Outcome { outcome: o }, label)
            })
            .collect();
        let participants = model
            .interventions
            .iter()
            .enumerate()
            .map(|(i, iv)| {
                let label = MeasureLabel { intervention: Some(iv.name.clone()), ..MeasureLabel::new("participants") };
                push(Measure::Participants { intervention: i }, label)
            })
            .collect();
        let discounted = (model.settings.discount_timing == DiscountTiming::Boundary).then(|| {
            let mut again = |m: usize, kind: &'static str| {
                let label = MeasureLabel { measure: kind, ..labels[m].clone() };
                measures.push(Measure::Discounted { of: m });
                labels.push(label);
                measures.len() - 1
            };
            DiscountedMeasures {
                care_cost: care_cost.iter().map(|&m| again(m, "care_cost_discounted")).collect(),
                intervention_cost: intervention_cost
                    .iter()
                    .map(|&m| again(m, "intervention_cost_discounted"))
                    .collect(),
                outcome: outcome.iter().map(|&m| again(m, "outcome_discounted")).collect(),
                social_value: again(SOCIAL_VALUE, "social_value_discounted"),
                life_years: again(LIFE_YEARS, "life_years_discounted"),
            }
        });
        let names = labels.iter().map(MeasureLabel::name).collect();
        MeasureLayout {
            measures,
            names,
            labels,
            chain_active,
            person_years,
            entries,
            starts,
            chain_deaths,
            care_cost,
            intervention_cost,
            outcome,
            participants,
            discounted,
        }
    }

    /// Number of measures.
    pub fn len(&self) -> usize {
        self.measures.len()
    }

    /// True when there are no measures (never: the fixed measures are always present).
    pub fn is_empty(&self) -> bool {
        self.measures.is_empty()
    }
}

/// Counted quantities of one arm in one draw, `[area][year][measure]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Number of areas (first axis).
    pub n_areas: usize,
    /// Number of simulated years (second axis).
    pub n_years: usize,
    /// Number of measures (third axis), the length of the [`MeasureLayout`].
    pub n_measures: usize,
    /// Values in row-major `[area][year][measure]` order.
    pub data: Vec<f64>,
}

impl Ledger {
    /// An all-zero ledger of the given shape.
    pub fn new(n_areas: usize, n_years: usize, n_measures: usize) -> Self {
        Ledger { n_areas, n_years, n_measures, data: vec![0.0; n_areas * n_years * n_measures] }
    }

    /// Position of (`area`, `year`, `measure`) in `data`.
    #[inline]
    pub fn idx(&self, area: usize, year: usize, measure: usize) -> usize {
        (area * self.n_years + year) * self.n_measures + measure
    }

    /// The value of one measure in one area and year.
    #[inline]
    pub fn get(&self, area: usize, year: usize, measure: usize) -> f64 {
        self.data[self.idx(area, year, measure)]
    }

    /// Add `x` to one measure in one area and year.
    #[inline]
    pub fn add(&mut self, area: usize, year: usize, measure: usize, x: f64) {
        let i = self.idx(area, year, measure);
        self.data[i] += x;
    }

    /// The measures of one area and year.
    pub fn row(&self, area: usize, year: usize) -> &[f64] {
        let i = self.idx(area, year, 0);
        &self.data[i..i + self.n_measures]
    }

    /// The measures of one area and year, writable.
    pub fn row_mut(&mut self, area: usize, year: usize) -> &mut [f64] {
        let i = self.idx(area, year, 0);
        &mut self.data[i..i + self.n_measures]
    }

    /// The whole ledger as a table `[area][year][measure]` (a view of `data`).
    pub fn view(&self) -> ArrayView3<'_, f64> {
        ArrayView3::from_shape((self.n_areas, self.n_years, self.n_measures), &self.data).expect("ledger shape")
    }

    /// The whole ledger as a writable table `[area][year][measure]`.
    pub fn view_mut(&mut self) -> ArrayViewMut3<'_, f64> {
        ArrayViewMut3::from_shape((self.n_areas, self.n_years, self.n_measures), &mut self.data).expect("ledger shape")
    }

    /// Sum over areas of a measure in a year (the city total), in area order.
    pub fn total(&self, year: usize, measure: usize) -> f64 {
        self.view().slice(s![.., year, measure]).iter().sum()
    }

    /// The table `[year][measure]` of `area`, where `area == n_areas` means the
    /// total over areas (computed once here rather than on every read).
    pub fn area_table(&self, area: usize) -> CowArray<'_, f64, Ix2> {
        if area == self.n_areas {
            Array2::from_shape_fn((self.n_years, self.n_measures), |(t, m)| self.total(t, m)).into()
        } else {
            self.view().index_axis_move(Axis(0), area).into()
        }
    }

    /// Value for `area`, where `area == n_areas` means the total over areas.
    pub fn get_or_total(&self, area: usize, year: usize, measure: usize) -> f64 {
        if area == self.n_areas {
            self.total(year, measure)
        } else {
            self.get(area, year, measure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every measure's name is its label parts joined with `/`, in the form
    /// the monitor's observed figures use, and the parts sit in the columns
    /// their kind needs.
    #[test]
    fn measure_names_are_their_label_parts_joined() {
        let mut model = crate::summary::tests::tiny_model();
        model.taakvelden.push(crate::model::Taakveld { code: "6.72".into(), name: "maatwerk 18-".into() });
        model.accounts.push(crate::model::Account { funder: 0, taakveld: Some(0) });
        let ml = MeasureLayout::new(&model);
        assert_eq!(ml.names.len(), ml.labels.len());
        let named = |n: &str| &ml.labels[ml.names.iter().position(|x| x == n).unwrap_or_else(|| panic!("no {n}"))];
        assert_eq!(named("population_start"), &MeasureLabel::new("population_start"));
        assert_eq!(named("person_years/ggz/care"), &MeasureLabel::new("person_years").chain("ggz").state("care"));
        assert_eq!(named("deaths/ggz").chain.as_deref(), Some("ggz"));
        let cost = named("care_cost/gemeente/6.72");
        assert_eq!((cost.funder.as_deref(), cost.taakveld.as_deref()), (Some("gemeente"), Some("6.72")));
        assert_eq!(named("intervention_cost/gemeente").taakveld, None);
        assert_eq!(named("outcome/qaly").outcome.as_deref(), Some("qaly"));
        for (n, l) in ml.names.iter().zip(&ml.labels) {
            assert_eq!(n, &l.name());
            assert_eq!(n.split('/').count(), 1 + l.parts().iter().flatten().count(), "{n}");
        }
    }
}
