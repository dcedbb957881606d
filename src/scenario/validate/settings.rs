//! The `[model]` section: start year, horizon, maximum age, discount rates,
//! cycle correction, simulation mode, relative-risk convention, funders,
//! outcomes and the outcomes' base values. Each key is taken from the first
//! file in merge order that sets it, so the main file overrides its includes.
//! (`model.profiles` is checked with the areas, which it names.)

use toml::Spanned;

use super::names::list_or_none;
use super::values::Domain;
use super::V;
use crate::model::{AfterHorizon, CycleCorrection, DiscountTiming, Mode, RrConvention, Settings, Value};
use crate::scenario::file::{ModelSpec, OrderedMap, SString, ValueSpec};

/// Default yearly discount rate for costs and effects (2.25 %).
const DISCOUNT: f64 = 0.0225;

impl<'a> V<'a> {
    /// One key of `[model]`: from the first file in merge order that sets it
    /// (the main file comes first, so it overrides what it includes).
    pub(super) fn model_key<T>(&self, get: impl Fn(&'a ModelSpec) -> Option<&'a T>) -> Option<(usize, &'a T)> {
        self.files.iter().enumerate().find_map(|(f, p)| p.file.model.as_ref().and_then(&get).map(|x| (f, x)))
    }

    /// `[model]` as settings; also sets the model's ages, funders and outcomes.
    pub(super) fn settings(&mut self) -> Settings {
        let mut s = Settings {
            start_year: 2025,
            horizon: 15,
            discount_costs: DISCOUNT,
            discount_effects: DISCOUNT,
            first_year_discounted: false,
            cycle_correction: CycleCorrection::None,
            mode: Mode::Cohort,
            rr_convention: RrConvention::Rate,
            max_age: 100,
            after_horizon: AfterHorizon::Cut,
            cycle_length: 1.0,
            cycle_weights: vec![],
            discount_timing: DiscountTiming::CycleStart,
        };
        if let Some(y) = self.start_year() {
            s.start_year = y;
        }
        s.cycle_length = self.cycle_length();
        // At most 100 years, and at most 5200 cycles (a century of weeks).
        let max_cycles =
            if s.cycle_length == 1.0 { 100 } else { ((100.0 / s.cycle_length + 1e-9).floor() as i64).min(5200) };
        s.horizon = self.model_int("horizon", self.model_key(|m| m.horizon.as_ref()), (1, max_cycles), 15);
        s.max_age = self.model_int("max_age", self.model_key(|m| m.max_age.as_ref()), (1, 120), 100);
        self.max_age = s.max_age;
        s.discount_costs = self.model_rate("discount_rate_costs", self.model_key(|m| m.discount_rate_costs.as_ref()));
        s.discount_effects =
            self.model_rate("discount_rate_effects", self.model_key(|m| m.discount_rate_effects.as_ref()));
        if let Some((_, b)) = self.model_key(|m| m.first_year_discounted.as_ref()) {
            s.first_year_discounted = *b.get_ref();
        }
        let corrections = [
            ("none", CycleCorrection::None),
            ("half-cycle", CycleCorrection::HalfCycle),
            ("simpson", CycleCorrection::Simpson),
            ("start", CycleCorrection::None),
            ("end", CycleCorrection::End),
            ("life-table", CycleCorrection::HalfCycle),
            ("all-boundaries", CycleCorrection::AllBoundaries),
        ];
        let cycle_correction = self.model_key(|m| m.cycle_correction.as_ref());
        if let Some(c) = self.model_choice(
            "cycle_correction",
            cycle_correction,
            &corrections,
            "\"start\" (or \"none\"), \"end\", \"half-cycle\" (or \"life-table\"), \"simpson\" or \"all-boundaries\"",
        ) {
            s.cycle_correction = c;
        }
        if let Some(w) = self.cycle_weights(s.horizon, cycle_correction.is_some()) {
            s.cycle_correction = CycleCorrection::Custom;
            s.cycle_weights = w;
        }
        let timings = [("cycle-start", DiscountTiming::CycleStart), ("boundary", DiscountTiming::Boundary)];
        let timing = self.model_key(|m| m.discount_timing.as_ref());
        if let Some(t) = self.model_choice("discount_timing", timing, &timings, "\"cycle-start\" or \"boundary\"") {
            s.discount_timing = t;
        }
        let modes = [("cohort", Mode::Cohort), ("stochastic", Mode::Stochastic)];
        if let Some(m) =
            self.model_choice("mode", self.model_key(|m| m.mode.as_ref()), &modes, "\"cohort\" or \"stochastic\"")
        {
            s.mode = m;
        }
        if let Some((f, c)) = self.model_key(|m| m.rr_convention.as_ref()) {
            s.rr_convention = self.convention(f, c, "model.rr_convention").unwrap_or_default();
        }
        self.funders = match self.model_key(|m| m.funders.as_ref()) {
            None => vec!["gemeente".to_string()],
            Some((f, l)) => self.unique_list(f, l, "model.funders", "funder"),
        };
        self.outcomes = match self.model_key(|m| m.outcomes.as_ref()) {
            None => vec![],
            Some((f, l)) => self.unique_list(f, l, "model.outcomes", "outcome"),
        };
        s
    }

    /// `cycle_length`: `"year"` (1, the default), `"month"` (1/12), `"week"`
    /// (7/365.25) or a number of years in (0, 1]; 1 when absent or invalid (reported).
    fn cycle_length(&mut self) -> f64 {
        let Some((f, c)) = self.model_key(|m| m.cycle_length.as_ref()) else { return 1.0 };
        let field = "model.cycle_length";
        let allowed = "use \"year\", \"month\", \"week\" or a number of years in (0, 1], e.g. 0.5 for half a year";
        match c.get_ref() {
            ValueSpec::Name(w) => match w.as_str() {
                "year" => 1.0,
                "month" => 1.0 / 12.0,
                "week" => 7.0 / 365.25,
                o => {
                    self.err(f, c.span(), field, format!("unknown cycle_length \"{o}\"; {allowed}"));
                    1.0
                }
            },
            ValueSpec::Number(x) if *x > 0.0 && *x <= 1.0 => *x,
            ValueSpec::Number(x) => {
                let why = if *x > 1.0 { "cycles longer than a year are not supported" } else { "it must be positive" };
                self.err(f, c.span(), field, format!("cycle_length {x} years: {why}; {allowed}"));
                1.0
            }
            ValueSpec::Dist(_) => {
                self.err(f, c.span(), field, format!("cycle_length is fixed, not uncertain: {allowed}"));
                1.0
            }
        }
    }

    /// `start_year`, which is required; `None` when missing or implausible (reported).
    fn start_year(&mut self) -> Option<i32> {
        let Some((f, y)) = self.model_key(|m| m.start_year.as_ref()) else {
            // `[model]` may be implicit or dotted (no span): point at its header when there is one.
            let (f, span) = self
                .files
                .iter()
                .enumerate()
                .find_map(|(f, p)| {
                    p.file.model.as_ref().map(|_| (f, p.text.find("[model]").map_or(0..0, |i| i..i + 7)))
                })
                .unwrap_or((0, 0..0));
            self.err(f, span, "model.start_year", "start_year is required in [model] (e.g. start_year = 2025)");
            return None;
        };
        let v = *y.get_ref();
        if (1900..=2200).contains(&v) {
            Some(v as i32)
        } else {
            self.err(f, y.span(), "model.start_year", format!("start_year {v} must lie between 1900 and 2200"));
            None
        }
    }

    /// A key with a fixed set of words (`choices`); `None` when absent or unknown.
    fn model_choice<T: Copy>(
        &mut self,
        name: &str,
        x: Option<(usize, &SString)>,
        choices: &[(&str, T)],
        allowed: &str,
    ) -> Option<T> {
        let (f, c) = x?;
        let found = choices.iter().find(|(word, _)| word == c.get_ref()).map(|(_, t)| *t);
        if found.is_none() {
            let o = c.get_ref();
            self.err(f, c.span(), format!("model.{name}"), format!("unknown {name} \"{o}\"; use {allowed}"));
        }
        found
    }

    /// `cycle_weights`: H + 1 finite, non-negative weights, not all 0, and no
    /// named `cycle_correction` beside them; `None` when absent or invalid (reported).
    fn cycle_weights(&mut self, horizon: usize, named: bool) -> Option<Vec<f64>> {
        let (f, ws) = self.model_key(|m| m.cycle_weights.as_ref())?;
        let field = "model.cycle_weights";
        if named {
            let msg = "give either cycle_weights or cycle_correction, not both: the weights are a cycle correction of their own";
            self.err(f, ws.span(), field, msg);
            return None;
        }
        let list = ws.get_ref();
        if list.len() != horizon + 1 {
            let msg = format!(
                "{} weights for a horizon of {horizon} years: give one per year boundary, {} (w_0 at the start of the first year … w_{horizon} at the end of the last)",
                list.len(),
                horizon + 1
            );
            self.err(f, ws.span(), field, msg);
            return None;
        }
        let mut ok = true;
        for (k, w) in list.iter().enumerate() {
            let x = *w.get_ref();
            if !(x.is_finite() && x >= 0.0) {
                self.err(f, w.span(), format!("{field}[{k}]"), format!("weight {x} must be a finite number ≥ 0"));
                ok = false;
            }
        }
        if ok && list.iter().all(|w| *w.get_ref() == 0.0) {
            self.err(f, ws.span(), field, "every weight is 0: no person-year would be counted");
            ok = false;
        }
        ok.then(|| list.iter().map(|w| *w.get_ref()).collect())
    }

    /// A whole-number key within `lo..=hi`; `default` when absent or out of range.
    fn model_int(
        &mut self,
        name: &str,
        x: Option<(usize, &Spanned<i64>)>,
        (lo, hi): (i64, i64),
        default: usize,
    ) -> usize {
        let Some((f, y)) = x else { return default };
        let val = *y.get_ref();
        if (lo..=hi).contains(&val) {
            val as usize
        } else {
            self.err(f, y.span(), format!("model.{name}"), format!("{name} {val} must lie between {lo} and {hi}"));
            default
        }
    }

    /// A yearly discount rate, a fraction in (-0.5, 1).
    fn model_rate(&mut self, name: &str, x: Option<(usize, &Spanned<f64>)>) -> f64 {
        let Some((f, r)) = x else { return DISCOUNT };
        let val = *r.get_ref();
        if val > -0.5 && val < 1.0 {
            val
        } else {
            self.err(
                f,
                r.span(),
                format!("model.{name}"),
                format!("{name} {val} is not a plausible yearly rate: it must be a fraction above -0.5 and below 1 (2.25 % is 0.0225)"),
            );
            DISCOUNT
        }
    }

    /// A relative-risk convention, in `[model]` or on a risk factor or effect.
    pub(super) fn convention(&mut self, f: usize, c: &SString, field: &str) -> Option<RrConvention> {
        match c.get_ref().as_str() {
            "rate" => Some(RrConvention::Rate),
            "probability" => Some(RrConvention::Probability),
            "hazard" => Some(RrConvention::Hazard),
            o => {
                self.err(
                    f,
                    c.span(),
                    field,
                    format!(
                        "unknown convention \"{o}\"; use \"rate\" (multiply the competing hazards), \"probability\" or \"hazard\" (multiply each exit's own hazard)"
                    ),
                );
                None
            }
        }
    }

    /// The model's convention, for risk factors and effects that give none
    /// (an invalid one is reported with `[model]` and counts as "rate").
    pub(super) fn default_convention(&self) -> RrConvention {
        match self.model_key(|m| m.rr_convention.as_ref()) {
            Some((_, c)) if c.get_ref() == "probability" => RrConvention::Probability,
            Some((_, c)) if c.get_ref() == "hazard" => RrConvention::Hazard,
            _ => RrConvention::Rate,
        }
    }

    /// `model.base_outcome`: a value per declared outcome (0 where not given).
    pub(super) fn base_outcome(&mut self) -> Vec<Value> {
        let mut out = vec![Value::Fixed(0.0); self.outcomes.len()];
        let Some((f, m)) = self.model_key(|m| m.base_outcome.as_ref()) else {
            return out;
        };
        let unknown = |name: &str, known: &str| format!("`{name}` is not in model.outcomes ({known})");
        for (o, v) in self.outcome_values(f, m, "model.base_outcome", Domain::Outcome, unknown) {
            out[o] = v;
        }
        out
    }

    /// The outcomes named in `map` (field `{prefix}.NAME`) with their values
    /// in domain `dom`; a name not in `model.outcomes` is an error worded by
    /// `unknown(name, declared)`.
    pub(super) fn outcome_values(
        &mut self,
        f: usize,
        map: &OrderedMap<Spanned<ValueSpec>>,
        prefix: &str,
        dom: Domain,
        unknown: impl Fn(&str, &str) -> String,
    ) -> Vec<(usize, Value)> {
        let mut out = Vec::new();
        for (k, v) in &map.0 {
            let field = format!("{prefix}.{}", k.get_ref());
            match self.outcomes.iter().position(|o| o == k.get_ref()) {
                Some(o) => out.push((o, self.value(f, v, &field, dom))),
                None => {
                    let known = list_or_none(&self.outcomes);
                    self.err(f, k.span(), field, unknown(k.get_ref(), &known));
                }
            }
        }
        out
    }
}
