//! The keys of the business case's levels: `[valuation]` (euros per outcome
//! unit, the maatschappelijk level), `model.shadow_priced` (funders whose
//! costs are time or goods at a shadow price) and `model.after_horizon` with
//! its drop-off. Also the validator's warnings, which never stop a run.

use super::names::{hint, list_or_none};
use super::values::Domain;
use super::V;
use crate::model::{AfterHorizon, Value};
use crate::scenario::file::ValueSpec;

impl<'a> V<'a> {
    /// Record a warning at `span` of file `f` (dropped inside a placeholder,
    /// like an error: the file has errors then and no model is returned).
    pub(super) fn warn(&mut self, f: usize, span: std::ops::Range<usize>, field: String, message: &str) {
        if let Some(e) = self.files[f].error(span, field, message) {
            self.warnings.push(e.into());
        }
    }

    /// `[valuation]`: euros per unit of each declared outcome, `None` where
    /// none is given. A key set in several files is taken from the first in
    /// merge order (the main file overrides what it includes).
    pub(super) fn valuation(&mut self) -> Vec<Option<Value>> {
        let mut out: Vec<Option<Value>> = vec![None; self.outcomes.len()];
        let files = self.files;
        for (f, p) in files.iter().enumerate() {
            let Some(map) = &p.file.valuation else { continue };
            for (k, v) in &map.0 {
                let field = format!("valuation.{}", k.get_ref());
                match self.outcomes.iter().position(|o| o == k.get_ref()) {
                    Some(o) if out[o].is_none() => out[o] = Some(self.value(f, v, &field, Domain::Price)),
                    Some(_) => {}
                    None => {
                        let known = list_or_none(&self.outcomes);
                        let reason = format!(
                            "`{}` is not an outcome of the model; a valuation prices an outcome declared in model.outcomes (declared: {known}){}",
                            k.get_ref(),
                            hint(k.get_ref(), &self.outcomes)
                        );
                        self.err(f, k.span(), field, reason);
                    }
                }
            }
        }
        out
    }

    /// `model.shadow_priced`: per funder, whether its costs are valued at a
    /// shadow price; every name must be one of `model.funders`.
    pub(super) fn shadow_priced(&mut self) -> Vec<bool> {
        let mut out = vec![false; self.funders.len()];
        let Some((f, l)) = self.model_key(|m| m.shadow_priced.as_ref()) else { return out };
        self.unique_list(f, l, "model.shadow_priced", "funder");
        for (i, s) in l.get_ref().iter().enumerate() {
            match self.funders.iter().position(|x| x == s.get_ref()) {
                Some(k) => out[k] = true,
                None => {
                    let reason = format!(
                        "unknown funder `{}`; a shadow-priced funder must be declared in model.funders ({}){}",
                        s.get_ref(),
                        list_or_none(&self.funders),
                        hint(s.get_ref(), &self.funders)
                    );
                    self.err(f, s.span(), format!("model.shadow_priced[{i}]"), reason);
                }
            }
        }
        out
    }

    /// `model.after_horizon` and `model.after_horizon_drop_off`. A drop-off
    /// without `"decay"` is an error (it would silently do nothing), as is
    /// `"decay"` without a drop-off.
    pub(super) fn after_horizon(&mut self) -> AfterHorizon {
        let mode = self.model_key(|m| m.after_horizon.as_ref());
        let drop = self.model_key(|m| m.after_horizon_drop_off.as_ref());
        let decay = match mode {
            None => false,
            Some((_, c)) if c.get_ref() == "cut" => false,
            Some((_, c)) if c.get_ref() == "decay" => true,
            Some((f, c)) => {
                let reason = format!(
                    "unknown after_horizon \"{}\"; use \"cut\" (flows stop at the horizon, the default) or \"decay\" (the last year's flows go on, shrinking by after_horizon_drop_off a year)",
                    c.get_ref()
                );
                self.err(f, c.span(), "model.after_horizon", reason);
                return AfterHorizon::Cut;
            }
        };
        match (decay, mode, drop) {
            (true, _, Some((f, d))) => {
                let field = "model.after_horizon_drop_off";
                if matches!(d.get_ref(), ValueSpec::Number(x) if *x == 0.0) {
                    let reason = "a drop-off of 0 would carry the last year's flows on undiminished for 50 years; it must lie in (0, 1]";
                    self.err(f, d.span(), field, reason);
                    return AfterHorizon::Cut;
                }
                AfterHorizon::Decay { drop_off: self.value(f, d, field, Domain::Probability) }
            }
            (true, Some((f, c)), None) => {
                let reason = "after_horizon = \"decay\" needs after_horizon_drop_off: the share of the last simulated year's flows lost each year after the horizon, in (0, 1] (a number, a parameter or a distribution)";
                self.err(f, c.span(), "model.after_horizon", reason);
                AfterHorizon::Cut
            }
            (false, _, Some((f, d))) => {
                let reason = "after_horizon_drop_off is only used with after_horizon = \"decay\"; set that, or remove the drop-off (under the default \"cut\" nothing is counted after the horizon)";
                self.err(f, d.span(), "model.after_horizon_drop_off", reason);
                AfterHorizon::Cut
            }
            _ => AfterHorizon::Cut,
        }
    }
}
