//! What an allocation produces (`allocation.json`): every number the report
//! page and the tidy tables show.

use serde::Serialize;

/// Version of the `allocation.json` layout.
pub const ALLOCATION_FORMAT_VERSION: u32 = 1;

/// Mean and spread of a quantity over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean over the draws.
    pub mean: f64,
    /// Monte Carlo standard error of the mean.
    pub mcse: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Share of draws above zero.
    pub p_positive: f64,
}

impl Spread {
    /// The spread of `xs` (finite values; empty gives zeros).
    pub fn of(xs: &[f64]) -> Self {
        let n = xs.len();
        if n == 0 {
            return Spread { mean: 0.0, mcse: 0.0, p5: 0.0, p10: 0.0, p50: 0.0, p90: 0.0, p95: 0.0, p_positive: 0.0 };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = if n > 1 { xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64 } else { 0.0 };
        let mut s = xs.to_vec();
        s.sort_by(f64::total_cmp);
        let q = |p: f64| crate::stats::exact::type7(&s, p);
        Spread {
            mean,
            mcse: (var / n as f64).sqrt(),
            p5: q(0.05),
            p10: q(0.10),
            p50: q(0.5),
            p90: q(0.90),
            p95: q(0.95),
            p_positive: xs.iter().filter(|x| **x > 0.0).count() as f64 / n as f64,
        }
    }
}

/// One candidate option and how it does alone.
#[derive(Debug, Clone, Serialize)]
pub struct OptionResult {
    /// Unique name.
    pub name: String,
    /// Its intervention or application.
    pub label: String,
    /// `intervention` or `application`.
    pub kind: String,
    /// Stadsdeel.
    pub area: String,
    /// Participants per year (`None`: the intervention's own reach or an application).
    pub scale: Option<f64>,
    /// Mean cash intervention costs per calendar year (as [`AllocationReport::years`]).
    pub cost_per_year: Vec<f64>,
    /// The highest of those: what the budget must hold in its dearest year.
    pub peak_cost_per_year: f64,
    /// Maatschappelijk NPV alone.
    pub npv_societal: Spread,
    /// Financieel NPV alone (cash only).
    pub npv: Spread,
    /// Mean PV of the maatschappelijke baten (cash benefits and welfare).
    pub benefits_pv: f64,
    /// Mean PV of the investment.
    pub costs_pv: f64,
    /// Mean avoided starts of care trajectories.
    pub avoided_starts: f64,
    /// Equity weight of its area at the recommended η (1 without equity weights).
    pub weight: f64,
    /// Share of draws in which it belongs to the best portfolio of that draw.
    pub p_in_best: f64,
    /// True when it is in the recommended portfolio.
    pub chosen: bool,
}

/// A chosen portfolio and what it yields.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioResult {
    /// Names of the chosen options.
    pub options: Vec<String>,
    /// The objective's value (equity-weighted when weights apply).
    pub objective: f64,
    /// An upper bound on the best objective when the method is a heuristic.
    pub bound: Option<f64>,
    /// How it was found: `integer_program`, `dinkelbach` or `local_search`.
    pub method: String,
    /// Maatschappelijk NPV of the portfolio over the draws (unweighted).
    pub npv_societal: Spread,
    /// Financieel NPV of the portfolio (cash only).
    pub npv: Spread,
    /// Mean PV of the investment.
    pub costs_pv: f64,
    /// Mean PV of the maatschappelijke baten.
    pub benefits_pv: f64,
    /// Mean cash costs per calendar year.
    pub cost_per_year: Vec<f64>,
    /// The dearest year's mean cost.
    pub peak_cost_per_year: f64,
    /// Mean cash costs per area and year, summed over years (area order as [`AllocationReport::areas`]).
    pub spend_by_area: Vec<f64>,
    /// True when the values above are exactly what the engine simulates for
    /// the whole portfolio: no joint block holds three or more of its
    /// options, so singles plus simulated pairs are the whole story.
    pub interactions_exact: bool,
    /// When they are not: the whole portfolio simulated at once on the same
    /// draws (maatschappelijk NPV), beside the pairwise values above.
    pub simulated_npv_societal: Option<Spread>,
}

/// One point of the efficient frontier.
#[derive(Debug, Clone, Serialize)]
pub struct FrontierPoint {
    /// Budget per year.
    pub budget: f64,
    /// The best portfolio within it.
    pub portfolio: PortfolioResult,
}

/// The best portfolio at one equity weight.
#[derive(Debug, Clone, Serialize)]
pub struct EquityPoint {
    /// η: area weight = (need / mean need)^η.
    pub eta: f64,
    /// Weight per area at this η.
    pub area_weights: Vec<f64>,
    /// The best portfolio with these weights.
    pub portfolio: PortfolioResult,
}

/// An area's need and weight.
#[derive(Debug, Clone, Serialize)]
pub struct EquityInfo {
    /// What the need figures are.
    pub indicator: String,
    /// Their source.
    pub source: String,
    /// Need per area.
    pub need: Vec<f64>,
    /// Need relative to the population-weighted mean.
    pub relative_need: Vec<f64>,
    /// The η of the recommended portfolio.
    pub eta: f64,
}

/// A claimed figure of an application and the claim check's verdict on it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    /// What is claimed.
    pub label: String,
    /// The claimed value.
    pub claimed: f64,
    /// Its unit.
    pub unit: String,
    /// Share of draws in which it is reached.
    pub p_reached: f64,
    /// `realistisch`, `optimistisch` or `onrealistisch`.
    pub verdict: String,
}

/// One application of the round.
#[derive(Debug, Clone, Serialize)]
pub struct RoundEntry {
    /// The option's name.
    pub option: String,
    /// The application's name.
    pub name: String,
    /// Who applies.
    pub applicant: String,
    /// Stadsdeel.
    pub area: String,
    /// Funded in the round's best portfolio.
    pub funded: bool,
    /// The claim check's verdicts.
    pub claims: Vec<ClaimLine>,
    /// The weakest verdict over its claims.
    pub verdict: String,
    /// The claim check's files for this application, relative to the output directory.
    pub claim_dir: String,
}

/// The fund committee's view of a round of applications.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// Applications in file order.
    pub applications: Vec<RoundEntry>,
    /// The best set of applications within the budget.
    pub funded: PortfolioResult,
    /// What all applications together would cost per year (mean, dearest year).
    pub asked_peak_per_year: f64,
}

/// How the run was made.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationRun {
    /// Monte Carlo draws.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Engine version.
    pub engine_version: String,
    /// The named PRNG.
    pub prng: String,
    /// The command line.
    pub command_line: Vec<String>,
    /// Input files and their SHA-256.
    pub inputs: Vec<(String, String)>,
    /// Simulation work (multiply-adds in cohort mode, person-steps in stochastic mode).
    pub work_units: u64,
}

/// Everything `allocation.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationReport {
    /// Layout version.
    pub format_version: u32,
    /// Title.
    pub name: String,
    /// One paragraph.
    pub description: String,
    /// The objective (`npv`, `welfare_per_euro`, `p_positive`, `lower_tail`).
    pub objective: String,
    /// For `lower_tail`: the share of worst draws.
    pub tail: Option<f64>,
    /// Budget per year.
    pub budget: f64,
    /// Caps per area `(area, euros per year)`.
    pub area_caps: Vec<(String, f64)>,
    /// Caps per funder.
    pub funder_caps: Vec<(String, f64)>,
    /// The areas.
    pub areas: Vec<String>,
    /// The calendar years of the yearly costs.
    pub years: Vec<i32>,
    /// Equity weights, if any.
    pub equity: Option<EquityInfo>,
    /// Every option alone.
    pub options: Vec<OptionResult>,
    /// Pairs simulated together: `(option, option, mean interaction in maatschappelijk NPV)`.
    pub interactions: Vec<(String, String, f64)>,
    /// Pairs in one area whose values add exactly (no shared joint block).
    pub additive_pairs: usize,
    /// The recommended portfolio.
    pub recommended: PortfolioResult,
    /// The efficient frontier.
    pub frontier: Vec<FrontierPoint>,
    /// The best portfolio per equity weight.
    pub equity_sweep: Vec<EquityPoint>,
    /// The fund committee's view, when there are applications.
    pub round: Option<Round>,
    /// How the run was made.
    pub run: AllocationRun,
}
