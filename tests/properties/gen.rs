//! The generator of random but valid scenarios: a `Spec` is drawn by proptest and
//! written as scenario text by `render`.

use proptest::prelude::*;

/// One probability row before rendering: weights for the non-rest entries,
/// the total mass they take, where "rest" goes, and which entries are uncertain.
#[derive(Debug, Clone)]
pub struct RowSpec {
    pub weights: Vec<f64>,
    pub mass: f64,
    pub rest: usize,
    pub beta: Vec<bool>,
}

/// A row of `n` entries.
fn row_spec(n: usize) -> impl Strategy<Value = RowSpec> {
    (
        prop::collection::vec(0.0f64..1.0, n),
        prop_oneof![Just(0.0), 0.0f64..0.999, Just(0.999)],
        0..n,
        prop::collection::vec(prop::bool::weighted(0.2), n),
    )
        .prop_map(|(weights, mass, rest, beta)| RowSpec { weights, mass, rest, beta })
}

/// One chain: its states, ages, matrices, costs and outcomes.
#[derive(Debug, Clone)]
pub struct ChainSpec {
    pub n: usize,
    pub care: bool,
    pub ages: (usize, usize),
    /// The last state is a death state.
    pub death: bool,
    pub matrix: Vec<RowSpec>,
    /// An area-specific matrix for the second area (if there is one).
    pub area_matrix: Option<Vec<RowSpec>>,
    pub initial: RowSpec,
    pub costs: Vec<f64>,
    pub outcome: Vec<f64>,
    pub transition_cost: Option<(usize, usize, f64)>,
}

/// Age fractions are drawn in [0, 1] and scaled to `max_age` when rendering.
fn chain_spec() -> impl Strategy<Value = ChainSpec> {
    (2usize..=4, any::<bool>(), 0.0f64..1.0, 0.0f64..1.0, prop::bool::weighted(0.4)).prop_flat_map(
        |(n, care, a, b, death)| {
            (
                prop::collection::vec(row_spec(n), n),
                prop::option::weighted(0.3, prop::collection::vec(row_spec(n), n)),
                row_spec(n),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..5000.0], n),
                prop::collection::vec(-0.1f64..0.0, n),
                prop::option::weighted(0.5, (0..n, 0..n, 0.0f64..800.0)),
            )
                .prop_map(move |(matrix, area_matrix, initial, costs, outcome, tc)| {
                    let lo = a.min(b);
                    let hi = a.max(b);
                    ChainSpec {
                        n,
                        care,
                        ages: ((lo * 1000.0) as usize, (hi * 1000.0) as usize),
                        death,
                        matrix,
                        area_matrix,
                        initial,
                        costs,
                        outcome,
                        transition_cost: tc.filter(|&(f, t, _)| f != t),
                    }
                })
        },
    )
}

/// One area: population bands, mortality, births and migration.
#[derive(Debug, Clone)]
pub struct AreaSpec {
    /// Cut points (fractions of max_age) of up to three population bands.
    pub cuts: (f64, f64),
    pub counts: [Option<(u32, u32)>; 3],
    pub mortality: Option<f64>,
    pub birth_rate: Option<f64>,
    /// (band start fraction, band end fraction, count, uncertain)
    pub migration: Option<(f64, f64, f64, bool)>,
    pub closed: bool,
}

/// An area.
fn area_spec() -> impl Strategy<Value = AreaSpec> {
    (
        (0.0f64..1.0, 0.0f64..1.0),
        [
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
            prop::option::weighted(0.8, (0u32..300, 0u32..300)),
        ],
        prop::option::weighted(0.7, prop_oneof![Just(0.0), 0.0f64..0.2, Just(1.0)]),
        prop::option::weighted(0.5, 0.0f64..0.08),
        prop::option::weighted(0.6, (0.0f64..1.0, 0.0f64..1.0, -120.0f64..80.0, any::<bool>())),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(cuts, counts, mortality, birth_rate, migration, closed)| AreaSpec {
            cuts,
            counts,
            mortality,
            birth_rate,
            migration,
            closed,
        })
}

/// A risk factor between two chains.
#[derive(Debug, Clone)]
pub struct RiskSpec {
    /// Index pair (when chain, affected chain) before reduction modulo the chain count.
    pub pair: (usize, usize),
    pub when_state: usize,
    pub to_state: usize,
    pub rr: f64,
    pub convention: Option<bool>,
}

/// A risk factor (chain indices reduced when rendering).
fn risk_spec() -> impl Strategy<Value = RiskSpec> {
    ((0usize..3, 0usize..3), 0usize..4, 0usize..4, prop_oneof![0.0f64..1.0, 1.0f64..8.0], any::<Option<bool>>())
        .prop_map(|(pair, when_state, to_state, rr, convention)| RiskSpec {
            pair,
            when_state,
            to_state,
            rr,
            convention,
        })
}

/// The intervention: who it reaches, when, its effects and costs.
#[derive(Debug, Clone)]
pub struct InterventionSpec {
    pub areas_only_first: bool,
    pub ages: Option<(f64, f64)>,
    pub target: Option<(usize, usize)>,
    pub share: f64,
    pub participants: Option<f64>,
    pub ramp: Vec<f64>,
    pub start: usize,
    pub len: usize,
    pub persistence: usize,
    pub drop_off: f64,
    /// (chain, to state, rr, named lognormal parameter, convention)
    pub rr: Option<(usize, usize, f64, bool, Option<bool>)>,
    /// (chain, from, to, share)
    pub shift: Option<(usize, usize, usize, f64)>,
    pub fixed_cost: f64,
    pub participant_cost: f64,
    pub sroi: Option<(f64, f64, f64)>,
}

/// An intervention (chain and state indices reduced when rendering).
fn intervention_spec() -> impl Strategy<Value = InterventionSpec> {
    (
        (any::<bool>(), prop::option::weighted(0.4, (0.0f64..1.0, 0.0f64..1.0)), any::<Option<(usize, usize)>>()),
        (0.0f64..=1.0, prop::option::weighted(0.25, 0.0f64..400.0), prop::collection::vec(0.0f64..1.5, 0..3)),
        (0usize..6, 0usize..5, 0usize..=2, 0.0f64..=1.0),
        (
            prop::option::weighted(0.8, (0usize..3, 0usize..4, 0.0f64..3.0, any::<bool>(), any::<Option<bool>>())),
            prop::option::weighted(0.5, (0usize..3, 0usize..4, 0usize..4, 0.0f64..=1.0)),
        ),
        (0.0f64..50000.0, 0.0f64..500.0, prop::option::weighted(0.4, (0.0f64..0.5, 0.0f64..0.5, 0.0f64..0.5))),
    )
        .prop_map(
            |(
                (areas_only_first, ages, target),
                (share, participants, ramp),
                (start, len, persistence, drop_off),
                (rr, shift),
                (fixed_cost, participant_cost, sroi),
            )| InterventionSpec {
                areas_only_first,
                ages,
                target: target.map(|(c, s)| (c % 3, s % 4)),
                share,
                participants,
                ramp,
                start,
                len,
                persistence,
                drop_off,
                rr,
                shift,
                fixed_cost,
                participant_cost,
                sroi,
            },
        )
}

/// A whole generated scenario: model settings, areas, chains, risk factors and an intervention.
#[derive(Debug, Clone)]
pub struct Spec {
    pub horizon: usize,
    pub max_age: usize,
    pub cycle: usize,
    pub rr_probability: bool,
    pub two_sexes: bool,
    pub areas: Vec<AreaSpec>,
    pub chains: Vec<ChainSpec>,
    pub risks: Vec<RiskSpec>,
    pub intervention: Option<InterventionSpec>,
}

/// A whole scenario: 1-2 areas, 1-3 chains, up to 2 risk factors, mostly an intervention.
pub fn spec() -> impl Strategy<Value = Spec> {
    (
        (2usize..=6, 20usize..=40, 0usize..3, any::<bool>(), prop::bool::weighted(0.3)),
        prop::collection::vec(area_spec(), 1..=2),
        prop::collection::vec(chain_spec(), 1..=3),
        prop::collection::vec(risk_spec(), 0..=2),
        prop::option::weighted(0.75, intervention_spec()),
    )
        .prop_map(|((horizon, max_age, cycle, rr_probability, two_sexes), areas, chains, risks, intervention)| {
            Spec { horizon, max_age, cycle, rr_probability, two_sexes, areas, chains, risks, intervention }
        })
}
