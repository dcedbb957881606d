//! The portfolio file as written: a one-to-one mirror of the TOML (phase one;
//! [`validate`](super::validate) checks the meaning and builds the options).
//! Everything an error may point at keeps its position.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::file::{OrderedMap, SList, SString};

/// One allocation question: candidate options, a budget and an objective.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioFile {
    /// `[portfolio]`: title, the model file and the objective.
    pub portfolio: PortfolioSpec,
    /// `[budget]`: money per year, in total and optionally per area or funder.
    pub budget: BudgetSpec,
    /// `[equity]`: need per area and the equity weights (optional).
    pub equity: Option<EquitySpec>,
    /// `[[option]]`: an intervention of the model file in one or more areas and scales.
    #[serde(default)]
    pub option: Vec<Spanned<OptionSpec>>,
    /// `[[application]]`: fund applications (application format files).
    #[serde(default)]
    pub application: Vec<Spanned<ApplicationRef>>,
}

impl PortfolioFile {
    /// Parse a portfolio's text; errors carry toml's position.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// `[portfolio]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioSpec {
    /// Title of the report page.
    pub name: SString,
    /// One paragraph for the report page.
    pub description: Option<SString>,
    /// Scenario file (relative to the portfolio) with the city and the
    /// candidate interventions the `[[option]]`s name; needed with options.
    pub model: Option<SString>,
    /// `npv` (default), `welfare_per_euro`, `p_positive` or `lower_tail`.
    pub objective: Option<SString>,
    /// For `lower_tail`: the share of worst draws whose mean is maximised (default 0.1).
    pub tail: Option<Spanned<f64>>,
}

/// `[budget]`: euros per year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetSpec {
    /// All options together, every year.
    pub per_year: Spanned<f64>,
    /// Per area (stadsdeel): at most this much a year on options there.
    pub areas: Option<OrderedMap<Spanned<f64>>>,
    /// Per funder: at most this much a year of that funder's costs.
    pub funders: Option<OrderedMap<Spanned<f64>>>,
    /// Budgets of the efficient frontier (default: eight steps up to twice `per_year`).
    pub frontier: Option<Spanned<Vec<Spanned<f64>>>>,
}

/// `[equity]`: weights per area from an indicator of need.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquitySpec {
    /// What the need figures are, e.g. "Huishoudens met een laag inkomen (%)".
    pub indicator: SString,
    /// The published source of the figures (publisher, table, year, link).
    pub source: SString,
    /// The indicator per area; every area of the model.
    pub need: OrderedMap<Spanned<f64>>,
    /// The equity weights η of the sweep (default `[0, 0.5, 1, 2]`).
    pub weights: Option<Spanned<Vec<Spanned<f64>>>>,
    /// The η of the recommended portfolio (default 1).
    pub weight: Option<Spanned<f64>>,
}

/// `[[option]]`: one candidate intervention, in one or more areas, at one or more scales.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// The intervention of the model file to run (its `areas` and `reach` are replaced).
    pub intervention: SString,
    /// The areas to consider it in, each its own option (default: every area).
    pub areas: Option<SList>,
    /// Participants per year, each scale its own option (default: the intervention's own `participants`).
    pub scales: Option<Spanned<Vec<Spanned<f64>>>>,
    /// A short label for tables (default: the intervention's name).
    pub label: Option<SString>,
}

/// `[[application]]`: a fund application.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRef {
    /// The application file, relative to the portfolio.
    pub file: SString,
}
