//! The application file as written: a one-to-one mirror of the TOML (phase one;
//! [`validate`](super::validate) checks the meaning). Values that may be a number, a
//! parameter name or a distribution reuse the scenario format's
//! [`ValueSpec`], so an applicant writes evidence exactly like a scenario
//! author does; everything an error may point at keeps its position.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::file::{OneOrMany, PersistenceSpec, SList, SString, SroiSpec, ValueSpec};

/// One application to the investeringsfonds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationFile {
    /// `[application]`: who asks and which city description applies.
    pub application: ApplicationSpec,
    /// `[initiative]`: target group, reach, years and costs.
    pub initiative: InitiativeSpec,
    /// `[[effect]]`: the assumed effects with their evidence.
    #[serde(default)]
    pub effect: Vec<Spanned<EffectSpec>>,
    /// `[[claim]]`: the claimed figures.
    #[serde(default)]
    pub claim: Vec<Spanned<ClaimSpec>>,
    /// `[verdict]`: thresholds on P(reached) (optional).
    pub verdict: Option<VerdictSpec>,
}

impl ApplicationFile {
    /// Parse an application's text. Syntax, type and unknown-key errors come
    /// back as toml's error, whose `span()` gives the position.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// `[application]`: who asks, and which city description the check runs on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSpec {
    /// `name`: the initiative's name; the page title.
    pub name: SString,
    /// `applicant`: who applies; shown on the committee page.
    pub applicant: Option<SString>,
    /// `description`: one paragraph for the committee page.
    pub description: Option<SString>,
    /// The city description (model, chains, costs, demography, profiles),
    /// relative to the application file, e.g. `"../nijmegen-chains.toml"`.
    pub city: SString,
    /// The stadsdeel whose rates apply to the target group.
    pub profile: SString,
    /// The demography whose mortality applies (default: the only one, or `nijmegen`).
    pub demography: Option<SString>,
    /// Whose NPV the break-even effect is solved for (default: the funder of the first cost).
    pub funder: Option<SString>,
}

/// `[initiative]`: target group, reach, years and costs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiativeSpec {
    /// `start_year`: first calendar year of the initiative.
    pub start_year: Spanned<i64>,
    /// `years`: number of years it runs (≥ 1).
    pub years: Spanned<i64>,
    /// The people the initiative works with, as a closed cohort.
    pub target_group: Spanned<Vec<Spanned<GroupEntry>>>,
    /// Participants per year (default: the whole target group).
    pub participants_per_year: Option<Spanned<f64>>,
    /// `costs`: what the initiative costs, per funder and taakveld.
    #[serde(default)]
    pub costs: Vec<Spanned<CostSpec>>,
    /// `sroi`: SROI corrections on the avoided costs (deadweight, attribution, displacement).
    pub sroi: Option<SroiSpec>,
    /// `pm`: effects the initiative names but does not value in money
    /// (PM-posten); they become the generated scenario's `pm`.
    pub pm: Option<SList>,
}

/// One age band of the target group: `{ ages, count }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    /// `ages`: age band on 1 January of `start_year`.
    pub ages: SString,
    /// `count`: people in the band.
    pub count: Spanned<f64>,
}

/// One cost line: euros per year of the initiative, or per participant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// `funder`: who pays; a funder of the city model.
    pub funder: SString,
    /// `taakveld`: the budget line it is paid from (optional).
    pub taakveld: Option<SString>,
    /// `per_year`: euros in every year the initiative runs.
    pub per_year: Option<Spanned<ValueSpec>>,
    /// `per_participant`: euros per participant-year.
    pub per_participant: Option<Spanned<ValueSpec>>,
}

/// `[[effect]]`: what participation does, with the evidence behind it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectSpec {
    /// `name`: shown on the committee page (default `effect N`).
    pub name: Option<SString>,
    /// Who it applies to (default: every age of the target group).
    pub ages: Option<SString>,
    /// `chain`: the city model's chain the effect acts on.
    pub chain: SString,
    /// `from`: origin states (default every state not in `to`).
    pub from: Option<Spanned<OneOrMany>>,
    /// `to`: destination states whose transitions are multiplied.
    pub to: Spanned<OneOrMany>,
    /// Relative risk on `from → to`: a distribution table, or a number (a point estimate).
    pub rr: Option<Spanned<ValueSpec>>,
    /// Where the effect size comes from (study, meta-analysis, or "assumption").
    pub source: Option<SString>,
    /// `persistence`: how long the effect lasts after participation.
    pub persistence: Option<PersistenceSpec>,
}

/// `[[claim]]`: one claimed figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSpec {
    /// `label`: the claim's name in the outputs (generated when absent).
    pub label: Option<SString>,
    /// Savings claims: the funder (default: the application's) and taakveld.
    pub funder: Option<SString>,
    /// `taakveld`: the taakveld of a savings claim.
    pub taakveld: Option<SString>,
    /// Avoided costs on the taakveld, euros per year (undiscounted mean over `years`).
    pub per_year: Option<Spanned<f64>>,
    /// First and last calendar year averaged by `per_year`.
    pub years: Option<Spanned<Vec<i64>>>,
    /// Avoided costs on the taakveld, present value over the horizon.
    pub pv: Option<Spanned<f64>>,
    /// Avoided costs on every account, present value over the horizon.
    pub total_pv: Option<Spanned<f64>>,
    /// Benefit/cost ratio at the financieel level (avoided costs / intervention costs).
    pub bcr: Option<Spanned<f64>>,
    /// Maatschappelijke waarde: present value of the welfare valued in money (`pv_welfare`).
    pub social_pv: Option<Spanned<f64>>,
    /// Maatschappelijke baten/kostenverhouding (`bcr_societal`).
    pub bcr_societal: Option<Spanned<f64>>,
    /// Avoided care-trajectory starts of `chain` over the horizon.
    pub avoided_starts: Option<Spanned<f64>>,
    /// `chain`: the chain whose starts `avoided_starts` counts.
    pub chain: Option<SString>,
}

/// `[verdict]`: thresholds on P(reached).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictSpec {
    /// `realistic`: share of draws from which a claim is *realistisch* (default 0.5).
    pub realistic: Option<Spanned<f64>>,
    /// `optimistic`: share of draws from which a claim is *optimistisch* (default 0.1).
    pub optimistic: Option<Spanned<f64>>,
}
