//! The application file as written: a one-to-one mirror of the TOML (phase one;
//! [`super::validate`] checks the meaning). Values that may be a number, a
//! parameter name or a distribution reuse the scenario format's
//! [`ValueSpec`], so an applicant writes evidence exactly like a scenario
//! author does; everything an error may point at keeps its position.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::file::{OneOrMany, PersistenceSpec, SString, SroiSpec, ValueSpec};

/// One application to the investeringsfonds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationFile {
    pub application: ApplicationSpec,
    pub initiative: InitiativeSpec,
    #[serde(default)]
    pub effect: Vec<Spanned<EffectSpec>>,
    #[serde(default)]
    pub claim: Vec<Spanned<ClaimSpec>>,
    pub verdict: Option<VerdictSpec>,
}

impl ApplicationFile {
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// `[application]`: who asks, and which city description the check runs on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSpec {
    pub name: SString,
    pub applicant: Option<SString>,
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
    pub start_year: Spanned<i64>,
    pub years: Spanned<i64>,
    /// The people the initiative works with, as a closed cohort.
    pub target_group: Spanned<Vec<Spanned<GroupEntry>>>,
    /// Participants per year (default: the whole target group).
    pub participants_per_year: Option<Spanned<f64>>,
    #[serde(default)]
    pub costs: Vec<Spanned<CostSpec>>,
    pub sroi: Option<SroiSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    pub ages: SString,
    pub count: Spanned<f64>,
}

/// One cost line: euros per year of the initiative, or per participant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    pub funder: SString,
    pub taakveld: Option<SString>,
    pub per_year: Option<Spanned<ValueSpec>>,
    pub per_participant: Option<Spanned<ValueSpec>>,
}

/// `[[effect]]`: what participation does, with the evidence behind it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectSpec {
    pub name: Option<SString>,
    /// Who it applies to (default: every age of the target group).
    pub ages: Option<SString>,
    pub chain: SString,
    pub from: Option<Spanned<OneOrMany>>,
    pub to: Spanned<OneOrMany>,
    /// Relative risk on `from → to`: a distribution table, or a number (a point estimate).
    pub rr: Option<Spanned<ValueSpec>>,
    /// Where the effect size comes from (study, meta-analysis, or "assumption").
    pub source: Option<SString>,
    pub persistence: Option<PersistenceSpec>,
}

/// `[[claim]]`: one claimed figure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSpec {
    pub label: Option<SString>,
    /// Savings claims: the funder (default: the application's) and taakveld.
    pub funder: Option<SString>,
    pub taakveld: Option<SString>,
    /// Avoided costs on the taakveld, euros per year (undiscounted mean over `years`).
    pub per_year: Option<Spanned<f64>>,
    /// First and last calendar year averaged by `per_year`.
    pub years: Option<Spanned<Vec<i64>>>,
    /// Avoided costs on the taakveld, present value over the horizon.
    pub pv: Option<Spanned<f64>>,
    /// Avoided costs on every account, present value over the horizon.
    pub total_pv: Option<Spanned<f64>>,
    /// Benefit/cost ratio.
    pub bcr: Option<Spanned<f64>>,
    /// Avoided care-trajectory starts of `chain` over the horizon.
    pub avoided_starts: Option<Spanned<f64>>,
    pub chain: Option<SString>,
}

/// `[verdict]`: thresholds on P(reached).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictSpec {
    pub realistic: Option<Spanned<f64>>,
    pub optimistic: Option<Spanned<f64>>,
}
