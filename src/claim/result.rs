//! The outcome of a claim check: what `claim.json` holds and what the
//! committee page shows. Plain data (serde), no simulation.

use serde::{Deserialize, Serialize};

/// Format version of `claim.json`.
pub const CLAIM_FORMAT_VERSION: u32 = 1;

/// Verdict on one claimed figure (*realistisch* / *optimistisch* / *onrealistisch*),
/// ordered from best to worst (so the weakest of several is their `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// P(reached) ≥ the `realistic` threshold.
    Realistisch,
    /// `optimistic` ≤ P(reached) < `realistic`.
    Optimistisch,
    /// P(reached) < `optimistic`.
    Onrealistisch,
}

impl Verdict {
    /// The Dutch word, as in `claim.json`, on the terminal and as the page's CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Realistisch => "realistisch",
            Verdict::Optimistisch => "optimistisch",
            Verdict::Onrealistisch => "onrealistisch",
        }
    }
}

/// Thresholds on the probability that a claim is reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// A claim reached in at least this share of the draws is *realistisch* (default 0.5).
    pub realistic: f64,
    /// A claim reached in at least this share (below `realistic`) is *optimistisch*; below it *onrealistisch* (default 0.1).
    pub optimistic: f64,
}

impl Default for Thresholds {
    /// Realistic when the claim is reached in at least half of the draws (the
    /// claim is at or below the median); unrealistic when in fewer than one in ten.
    fn default() -> Self {
        Thresholds { realistic: 0.5, optimistic: 0.1 }
    }
}

impl Thresholds {
    /// The verdict on a claim reached with probability `p`.
    pub(crate) fn verdict(&self, p: f64) -> Verdict {
        if p >= self.realistic {
            Verdict::Realistisch
        } else if p >= self.optimistic {
            Verdict::Optimistisch
        } else {
            Verdict::Onrealistisch
        }
    }
}

/// What kind of figure a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// Avoided costs on one funder/taakveld, euros per year (undiscounted
    /// average over the claim's years).
    SavingsPerYear,
    /// Avoided costs on one funder/taakveld, present value over the horizon.
    SavingsPv,
    /// Avoided costs on all accounts, present value over the horizon.
    SavingsTotalPv,
    /// Benefit/cost ratio (avoided costs / intervention costs, present values):
    /// the *financieel* level.
    Bcr,
    /// Maatschappelijke waarde: present value of the welfare valued in money
    /// (`pv_welfare`: QALYs and WELLBYs at the city's `[valuation]`, social
    /// value, avoided shadow-priced costs).
    SocialPv,
    /// Maatschappelijke baten/kostenverhouding (`bcr_societal`): avoided costs
    /// plus welfare over the costs, present values.
    BcrSocietal,
    /// Avoided care-trajectory starts of one chain over the horizon.
    AvoidedStarts,
}

/// Equal-width bins of the simulated values of one claimed figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    /// Bin edges in the claim's unit, one more than `counts`.
    pub edges: Vec<f64>,
    /// Draws per bin.
    pub counts: Vec<u64>,
}

/// Result of solving for an effect size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solve {
    /// False when no effect in the searched range reaches the target (then
    /// `multiplier` is the boundary that came closest).
    pub found: bool,
    /// λ: each effect's relative risk is its evidence mean raised to λ
    /// (λ = 0: no effect, λ = 1: the assumed effect, λ = 2: twice as strong on the log scale).
    pub multiplier: f64,
    /// The relative risk of each effect at λ, in application order.
    pub effects: Vec<SolvedEffect>,
    /// Absolute tolerance on λ of the root search (regula falsi).
    pub tolerance: f64,
    /// Evaluations of the root search.
    pub iterations: u32,
    /// The value of the target function at λ (euros for NPV, the claimed unit otherwise).
    pub residual: f64,
    /// Plain explanation when not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One assumed effect at the solved λ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolvedEffect {
    /// The effect's name, as in the application.
    pub name: String,
    /// Its relative risk at λ (evidence mean raised to λ).
    pub rr: f64,
}

/// One claimed figure against the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimOutcome {
    /// Short label, e.g. `besparing gemeente/6.72 per jaar`.
    pub label: String,
    /// What kind of figure is claimed.
    pub kind: ClaimKind,
    /// `funder/taakveld` for savings claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The taakveld's name for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// The chain of an avoided-starts claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// The claimed value.
    pub claimed: f64,
    /// `eur`, `eur_per_year`, `ratio` or `count`.
    pub unit: String,
    /// Share of draws in which the simulated value is at least the claim.
    pub p_reached: f64,
    /// Monte Carlo standard error of `p_reached`, √(p(1−p)/n).
    pub mcse: f64,
    /// Mean of the simulated values, in `unit`.
    pub mean: f64,
    /// 10th percentile of the simulated values.
    pub p10: f64,
    /// Median of the simulated values.
    pub p50: f64,
    /// 90th percentile of the simulated values.
    pub p90: f64,
    /// The verdict from `p_reached` and the thresholds.
    pub verdict: Verdict,
    /// The effect at which the claim is reached in half of the draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_effect: Option<Solve>,
    /// The simulated values, binned for the committee page's chart.
    pub histogram: Bins,
    /// Warnings about the claim, e.g. `bcr_above_published_range`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// Mean and spread of a figure that is not claimed but shown for context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Mean over the draws.
    pub mean: f64,
    /// Monte Carlo standard error of the mean.
    pub mcse: f64,
    /// 10th percentile over the draws.
    pub p10: f64,
    /// Median over the draws.
    pub p50: f64,
    /// 90th percentile over the draws.
    pub p90: f64,
    /// Share of draws above zero.
    pub p_positive: f64,
}

/// Mean and 90 % interval of a figure of the business case.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Mean over the draws.
    pub mean: f64,
    /// 5th percentile over the draws.
    pub p5: f64,
    /// 95th percentile over the draws.
    pub p95: f64,
}

/// One level of the business case of the application's scenario, over every funder.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// Net present value (`npv` or `npv_societal`), euros.
    pub npv: Band,
    /// Benefit/cost ratio (`bcr` or `bcr_societal`).
    pub bcr: Band,
    /// Share of draws with an NPV above zero.
    pub p_npv_positive: f64,
}

/// The business case at its levels: *financieel* (cash that funders save),
/// *maatschappelijk* (cash plus welfare valued in money) and the *PM-posten*
/// (named, not valued).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    /// Financieel: `npv`, `bcr` (cash per funder; shadow-priced funders excluded).
    pub financieel: Level,
    /// Maatschappelijk: `npv_societal`, `bcr_societal` (with QALYs and WELLBYs
    /// at the city's `[valuation]`, social value and avoided shadow-priced costs).
    pub maatschappelijk: Level,
    /// PM-posten: effects the application (`[initiative] pm`) or the city's
    /// interventions name but do not value in money.
    pub pm: Vec<String>,
    /// Outcomes the city model counts but does not value (no `[valuation]`
    /// price): PM-posten too, left out of the maatschappelijk figures.
    pub unvalued_outcomes: Vec<String>,
}

/// An effect the applicant assumes, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectInfo {
    /// The effect's name (`effect N` when the application gives none).
    pub name: String,
    /// `chain: from → to`.
    pub transition: String,
    /// Who it applies to (ages).
    pub ages: String,
    /// The evidence as a distribution (`lognormal(median 0.8, 95% CI 0.6-1)`) or a point value.
    pub distribution: String,
    /// Mean relative risk of the evidence.
    pub mean: f64,
    /// 5th percentile of the relative risk.
    pub p5: f64,
    /// 95th percentile of the relative risk.
    pub p95: f64,
    /// Where the effect size comes from (study, meta-analysis or assumption).
    pub source: String,
    /// Years the effect lasts after participation and its yearly drop-off.
    pub persistence_years: u32,
    /// Share of the effect lost per year after participation.
    pub drop_off: f64,
}

/// A cost line of the initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostInfo {
    /// `funder/taakveld` that pays.
    pub account: String,
    /// The taakveld's name for people, when the account has a taakveld the model names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// `per_year` or `per_participant`.
    pub basis: String,
    /// The amount as written (a number or a distribution), in euros.
    pub amount: String,
    /// Mean amount in euros.
    pub mean: f64,
}

/// The application as checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationInfo {
    /// The initiative's name.
    pub name: String,
    /// Who applies.
    pub applicant: String,
    /// The application's paragraph for the committee.
    pub description: String,
    /// The application file as given.
    pub file: String,
    /// The stadsdeel whose rates apply to the target group.
    pub profile: String,
    /// First calendar year of the initiative.
    pub start_year: i32,
    /// Number of years it runs.
    pub years: u32,
    /// People taking part in each year.
    pub participants_per_year: f64,
    /// `ages: count` of the target group.
    pub target_group: Vec<String>,
    /// The funder whose NPV the break-even effect is solved for.
    pub funder: String,
    /// The assumed effects with their evidence.
    pub effects: Vec<EffectInfo>,
    /// The initiative's cost lines.
    pub costs: Vec<CostInfo>,
    /// SROI corrections applied (deadweight, attribution, displacement) as text.
    pub sroi: Vec<String>,
}

/// How the check was run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRun {
    /// Monte Carlo draws behind the probabilities.
    pub draws: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// `cohort` or `stochastic` (for the probabilities; solves use cohort).
    pub mode: String,
    /// Draws used by each evaluation of the solves.
    pub solve_draws: u64,
    /// wijkimpact version that ran the check.
    pub engine_version: String,
    /// Name of the random number generator.
    pub prng: String,
    /// The command line, word by word, to reproduce the check.
    pub command_line: Vec<String>,
    /// SHA-256 of the application file and everything it includes.
    pub inputs: Vec<(String, String)>,
}

/// Everything `wijkimpact claim` found: `claim.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReport {
    /// Format version of `claim.json` (`CLAIM_FORMAT_VERSION`).
    pub format_version: u32,
    /// The application as checked.
    pub application: ApplicationInfo,
    /// How the check was run.
    pub run: CheckRun,
    /// The thresholds the verdicts use.
    pub thresholds: Thresholds,
    /// Every claimed figure against the simulation, in application order.
    pub claims: Vec<ClaimOutcome>,
    /// The business case at both levels with its PM-posten (absent in files
    /// written before the levels were added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Levels>,
    /// The funder's NPV (present value of its avoided costs minus its costs).
    pub funder_npv: Spread,
    /// NPV over all funders (financieel).
    pub npv: Spread,
    /// Benefit/cost ratio over all funders (financieel).
    pub bcr: Spread,
    /// The effect at which the funder's mean NPV is zero.
    pub break_even: Solve,
    /// The published range of benefit/cost ratios in the social domain (SEOR 2020, Regioplan
    /// 2011, Gezinshuizen 2015).
    pub published_bcr_range: (f64, f64),
}
