//! Phase two of loading: merged [`ScenarioFile`]s → validated [`Model`].
//!
//! The validator never stops at the first problem: each check records an error
//! and carries on with a harmless placeholder (a `Value::Fixed(0.0)`, a skipped
//! entry), so one `check` shows an advisor everything that is wrong with a
//! file. A model is only returned when there are no errors at all, so the
//! placeholders never reach the engine.
//!
//! One file per TOML section, in the order [`validate`] runs them (a section
//! may refer to the ones before it): [`settings`] (`[model]`), [`taakvelden`],
//! [`parameters`], [`demography`], [`areas`], [`chains`] (then [`tunnel`]
//! checks tunnel states; it expands them once the model is built), [`risk_factors`],
//! [`interventions`], [`scenarios`], [`valuation`] (`[valuation]`,
//! `model.shadow_priced`, `model.after_horizon`; the funders are checked
//! right after `[model]`, the rest last). What several sections share lives beside
//! them: [`common`] (positions, errors, merging items across files),
//! [`names`] (resolving names, "did you mean" suggestions, lists in
//! messages), [`values`] (numbers and distributions with their domains),
//! [`rows`] (probability rows), [`ages`] (age bands) and [`costs`] (cost
//! items and accounts).
//!
//! [`ScenarioFile`]: super::file::ScenarioFile

mod ages;
mod areas;
mod chains;
mod common;
mod costs;
mod decision;
mod demography;
mod derived;
mod interventions;
mod lifetable;
mod names;
mod parameters;
mod risk_factors;
mod rows;
mod scenarios;
mod settings;
mod state_effects;
mod taakvelden;
mod timebands;
mod tunnel;
mod valuation;
mod values;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::error::{ScenarioError, ScenarioErrors, ValidationWarning};
use super::Parsed;
use crate::model::*;
use common::Place;
use values::NamedParam;

/// The validator's state: the files, the errors so far, and what earlier
/// sections resolved that later ones refer to.
struct V<'a> {
    files: &'a [Parsed],
    errors: Vec<ScenarioError>,
    params: ParamTable,
    /// `None` = the parameter is invalid and already reported; uses stay silent.
    named: HashMap<String, Option<NamedParam>>,
    max_age: usize,
    sexes: usize,
    funders: Vec<String>,
    taakvelden: Vec<Taakveld>,
    accounts: Vec<Account>,
    outcomes: Vec<String>,
    areas: HashMap<String, usize>,
    /// Areas by the name chains and interventions use for them: their own name
    /// and their profile; declared profiles without areas map to no area.
    area_refs: HashMap<String, Vec<usize>>,
    n_areas: usize,
    chain_index: HashMap<String, usize>,
    /// States of every chain (by chain index), for names in risk factors and targets.
    chain_states: Vec<Vec<String>>,
    chain_names: Vec<String>,
    chain_ages: Vec<(usize, usize)>,
    /// Field path → place, for locating errors the engine reports by field path.
    places: Vec<(String, Place)>,
    /// Warnings so far (kept in the model when there are no errors).
    warnings: Vec<ValidationWarning>,
    /// First simulated year and number of cycles (`[model]`), for `cycles` / `years` bands.
    start_year: i32,
    horizon: usize,
    /// The calendar year of each model cycle, as an index (0 = `start_year`;
    /// see [`Settings::year_index`]).
    year_of_cycle: Vec<usize>,
    /// Where files a scenario names (a life table) may come from.
    opts: super::LoadOptions,
    /// Derived `[parameters]` (expressions) by name → index in `params.derived`;
    /// `None` = invalid and already reported.
    derived_named: HashMap<String, Option<usize>>,
    /// Expressions written in place, by (expression, bound variables as bits)
    /// → index in `params.derived`: the same expression is one slot.
    derived_cache: HashMap<(String, Vec<(String, u64)>), usize>,
    /// Every use of a derived parameter: (index in `params.derived`, file,
    /// span, field), to place an error found at the inputs' means.
    derived_uses: Vec<(usize, usize, std::ops::Range<usize>, String)>,
    /// `[parameters]` expressions that use reserved variables, by name.
    templates: HashMap<String, derived::Template>,
    /// The reserved variables bound while the values being read are read
    /// ([`V::with_bound`]); empty in most sections.
    bound: Vec<(&'static str, f64)>,
    /// True while a template is compiled to check its names.
    checking_template: bool,
    /// Data files read (life tables), each once, as the manifest lists them.
    data_files: Vec<super::SourceFile>,
}

/// Merge and validate parsed files (main file first) into a model, or every
/// error found.
/// Also returns the data files the scenario names (life tables), read and
/// hashed once, for the run's manifest.
pub(crate) fn validate(
    files: &[Parsed],
    opts: super::LoadOptions,
) -> Result<(Model, Vec<super::SourceFile>), ScenarioErrors> {
    let mut v = V {
        files,
        errors: Vec::new(),
        params: ParamTable::default(),
        named: HashMap::new(),
        max_age: 100,
        sexes: 1,
        funders: Vec::new(),
        taakvelden: Vec::new(),
        accounts: Vec::new(),
        outcomes: Vec::new(),
        areas: HashMap::new(),
        area_refs: HashMap::new(),
        n_areas: 0,
        chain_index: HashMap::new(),
        chain_states: Vec::new(),
        chain_names: Vec::new(),
        chain_ages: Vec::new(),
        places: Vec::new(),
        warnings: Vec::new(),
        start_year: 2025,
        horizon: 15,
        year_of_cycle: Vec::new(),
        opts,
        derived_named: HashMap::new(),
        derived_cache: HashMap::new(),
        derived_uses: Vec::new(),
        templates: HashMap::new(),
        bound: Vec::new(),
        checking_template: false,
        data_files: Vec::new(),
    };
    let mut settings = v.settings();
    v.start_year = settings.start_year;
    v.horizon = settings.horizon;
    v.year_of_cycle = (0..settings.horizon).map(|t| settings.year_index(t)).collect();
    let shadow_priced = v.shadow_priced();
    v.taakvelden();
    v.parameters();
    let base_outcome = v.base_outcome();
    v.sexes = v.detect_sexes();
    let demographies = v.demographies();
    let areas = v.areas(&demographies);
    let chains = v.chains();
    let tunnels = v.tunnels(&chains);
    let risk_factors = v.risk_factors();
    let (interventions, intervention_index) = v.interventions(&settings);
    let (baseline_description, baseline_interventions) = v.nulalternatief(&intervention_index);
    let scenarios = v.scenarios(&intervention_index, &baseline_interventions);
    // Last, so that their inline distributions take the last parameter slots.
    settings.after_horizon = v.after_horizon();
    let valuation = v.valuation();
    let decision = v.decision(&valuation);
    v.check_derived_at_means();

    if !v.errors.is_empty() {
        return Err(ScenarioErrors(v.errors));
    }
    let mut model = Model {
        settings,
        params: v.params.clone(),
        funders: v.funders.clone(),
        taakvelden: v.taakvelden.clone(),
        accounts: v.accounts.clone(),
        outcomes: v.outcomes.clone(),
        base_outcome,
        sexes: v.sexes,
        areas,
        chains,
        risk_factors,
        interventions,
        scenarios,
        baseline_interventions,
        baseline_description,
        valuation,
        shadow_priced,
        warnings: v.warnings.clone(),
        decision,
    };
    tunnel::expand(&mut model, &tunnels);
    v.tunnel_joint_warnings(&model, &tunnels);
    model.warnings = v.warnings.clone();
    // Structural problems only the engine can see (e.g. risk factors that
    // depend on each other in a cycle) are reported like any other error,
    // placed at the item the engine names.
    for (field, reason) in crate::sim::check_model(&model) {
        let place = v.place_of(&field);
        v.err(place.file, place.span, field, reason);
    }
    if v.errors.is_empty() {
        Ok((model, v.data_files))
    } else {
        Err(ScenarioErrors(v.errors))
    }
}
