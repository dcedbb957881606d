//! The ledger of one simulated arm in one draw: per area and year, every
//! counted quantity (population, person-years per state, care starts, costs per
//! account, outcomes, social value, participants).
//!
//! The set of measures depends on the model, so it is described by a
//! [`MeasureLayout`] built once per model; a [`Ledger`] is a flat array indexed
//! `[area][year][measure]`.

use crate::model::Model;
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
}

/// The measures of a model, with their names and positions.
#[derive(Debug, Clone)]
pub struct MeasureLayout {
    /// What each measure counts, in measure-index order.
    pub measures: Vec<Measure>,
    /// Machine-readable names, e.g. `person_years/loneliness/severe`, `care_cost/gemeente/6.71`.
    pub names: Vec<String>,
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
        let mut measures = vec![
            Measure::PopulationStart,
            Measure::PopulationEnd,
            Measure::LifeYears,
            Measure::Births,
            Measure::Deaths,
            Measure::Arrivals,
            Measure::Departures,
            Measure::SocialValue,
        ];
        let mut names: Vec<String> = [
            "population_start",
            "population_end",
            "life_years",
            "births",
            "deaths",
            "arrivals",
            "departures",
            "social_value",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut push = |m: Measure, n: String, measures: &mut Vec<Measure>| {
            measures.push(m);
            names.push(n);
            measures.len() - 1
        };
        let mut chain_active = vec![];
        let mut person_years = vec![];
        let mut entries = vec![];
        let mut starts = vec![];
        let mut chain_deaths = vec![];
        for (c, ch) in model.chains.iter().enumerate() {
            chain_active.push(push(Measure::ChainActive { chain: c }, format!("active/{}", ch.name), &mut measures));
            person_years.push(
                (0..ch.n_states())
                    .map(|s| {
                        push(
                            Measure::PersonYears { chain: c, state: s },
                            format!("person_years/{}/{}", ch.name, ch.states[s]),
                            &mut measures,
                        )
                    })
                    .collect(),
            );
            entries.push(
                (0..ch.n_states())
                    .map(|s| {
                        push(
                            Measure::Entries { chain: c, state: s },
                            format!("entries/{}/{}", ch.name, ch.states[s]),
                            &mut measures,
                        )
                    })
                    .collect(),
            );
            starts.push(push(Measure::Starts { chain: c }, format!("starts/{}", ch.name), &mut measures));
            chain_deaths.push(push(Measure::ChainDeaths { chain: c }, format!("deaths/{}", ch.name), &mut measures));
        }
        let care_cost = (0..model.accounts.len())
            .map(|a| {
                push(Measure::CareCost { account: a }, format!("care_cost/{}", model.account_label(a)), &mut measures)
            })
            .collect();
        let intervention_cost = (0..model.accounts.len())
            .map(|a| {
                push(
                    Measure::InterventionCost { account: a },
                    format!("intervention_cost/{}", model.account_label(a)),
                    &mut measures,
                )
            })
            .collect();
        let outcome = model
            .outcomes
            .iter()
            .enumerate()
            .map(|(o, n)| push(Measure::Outcome { outcome: o }, format!("outcome/{n}"), &mut measures))
            .collect();
        let participants = model
            .interventions
            .iter()
            .enumerate()
            .map(|(i, iv)| {
                push(Measure::Participants { intervention: i }, format!("participants/{}", iv.name), &mut measures)
            })
            .collect();
        MeasureLayout {
            measures,
            names,
            chain_active,
            person_years,
            entries,
            starts,
            chain_deaths,
            care_cost,
            intervention_cost,
            outcome,
            participants,
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
