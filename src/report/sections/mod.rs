//! The report's sections, one module each, in the order an advisor reads them,
//! and the [`Report`] they all read from: the run's data, the language and
//! the lookups more than one section needs.

pub(super) mod assumptions;
pub(super) mod compare;
pub(super) mod decision;
pub(super) mod drivers;
pub(super) mod funders;
pub(super) mod indicators;
mod levels;
pub(super) mod monitoring;
pub(super) mod npv;
pub(super) mod reproduce;
pub(super) mod summary;

use super::data::{Contrast, RunData, StatFile};
use crate::render::charts::Fan;
use crate::render::text::{fill, Lang, Texts};
use crate::render::words::base_name;
use crate::summary::TOTAL_AREA;

/// Name of the nulalternatief in the yearly file.
pub(super) const BASELINE: &str = crate::model::Model::BASELINE;

/// What every section reads: the run, its language and its words.
pub(crate) struct Report<'a> {
    pub(crate) data: &'a RunData,
    pub(crate) lang: Lang,
    pub(crate) t: &'static Texts,
}

impl<'a> Report<'a> {
    pub(crate) fn new(data: &'a RunData, lang: Lang) -> Self {
        Report { data, lang, t: lang.texts() }
    }

    /// The calendar years of the horizon.
    pub(super) fn years(&self) -> Vec<i32> {
        let run = &self.data.summary.run;
        (0..run.horizon as i32).map(|t| run.start_year + t).collect()
    }

    pub(super) fn end_year(&self) -> i32 {
        let run = &self.data.summary.run;
        run.start_year + run.horizon as i32 - 1
    }

    /// The base name of the scenario file the run read first (`noord-ouders.toml`):
    /// the reader has the file, not the directory it was run from.
    pub(super) fn input_name(&self) -> String {
        self.data.manifest.inputs.first().map_or("scenario".into(), |i| base_name(&i.path))
    }

    /// The run's areas (without the total), in the order of the first scenario.
    pub(super) fn areas(&self) -> Vec<&str> {
        let first = self.data.summary.scenarios.values().next();
        first.map_or(vec![], |s| s.areas.keys().map(String::as_str).filter(|a| *a != TOTAL_AREA).collect())
    }

    /// What the total slot (`totaal`) sums, for people: the area's own name when
    /// the run has one area, otherwise "totaal van N gebieden". The engine does not
    /// know whether the areas make up a whole city (a scenario may hold a subset of
    /// the stadsdelen, or wijken), so the report never says "hele stad"; the header
    /// lists the areas.
    pub(super) fn total_label(&self) -> String {
        match self.areas().as_slice() {
            [one] => one.to_string(),
            areas => fill(self.t.total_areas, &[("n", &areas.len().to_string())]),
        }
    }

    pub(super) fn stat(&self, scenario: &str, area: &str, metric: &str) -> Option<&StatFile> {
        self.data.summary.scenarios.get(scenario)?.areas.get(area)?.metrics.get(metric)
    }

    /// The mean of a metric in the city total; NaN when absent.
    pub(super) fn total(&self, scenario: &str, metric: &str) -> f64 {
        self.stat(scenario, TOTAL_AREA, metric).map_or(f64::NAN, StatFile::mean)
    }

    /// An area for people: its name, or [`Report::total_label`] for the total.
    pub(super) fn area_label(&self, area: &str) -> String {
        if area == TOTAL_AREA {
            self.total_label()
        } else {
            area.to_string()
        }
    }

    /// `P5 – P95` in short euros; empty when the metric does not vary.
    pub(super) fn interval(&self, st: &StatFile) -> String {
        let l = self.lang;
        if st.q("p5") == st.q("p95") {
            return String::new();
        }
        format!("{} – {}", l.eur_short(st.q("p5")), l.eur_short(st.q("p95")))
    }

    /// The fan of one yearly series, drawn in `colour` under `label`.
    pub(super) fn fan(&self, key: SeriesRef<'_>, label: &str, colour: plotters::style::RGBColor) -> Option<Fan> {
        let s = self.data.series(key.scenario, key.contrast, key.area, key.measure)?;
        let get = |k: &str| s.stat(k).map(<[f64]>::to_vec);
        Some(Fan {
            label: label.to_string(),
            colour,
            p5: get("p5")?,
            p25: get("p25"),
            p50: get("p50").or_else(|| get("mean"))?,
            p75: get("p75"),
            p95: get("p95")?,
        })
    }

    /// A business-case metric in words (`npv`, `pv_net/<account>`, …); other names as they are.
    pub(super) fn metric_label(&self, metric: &str) -> String {
        let t = self.t;
        match metric {
            "npv" => t.metric_npv.into(),
            "bcr" => t.metric_bcr.into(),
            "pv_benefits" => t.metric_pv_benefits.into(),
            "pv_intervention_costs" => t.metric_pv_costs.into(),
            "npv_societal" => t.metric_npv_social.into(),
            m => match m.strip_prefix("pv_net/") {
                Some(acc) => fill(t.metric_pv_net, &[("account", &self.account_label(acc))]),
                None => m.into(),
            },
        }
    }

    /// `gemeente/6.72 Maatwerkdienstverlening 18+`: the account with its taakveld's name when known.
    pub(super) fn account_label(&self, acc: &str) -> String {
        self.data
            .assumptions
            .as_ref()
            .and_then(|x| x.accounts.iter().find(|a| a.name == acc))
            .and_then(|a| a.taakveld_name.as_ref().map(|n| format!("{acc} {n}")))
            .unwrap_or_else(|| acc.to_string())
    }
}

/// One yearly series of the run: scenario, contrast, area and measure.
#[derive(Debug, Clone, Copy)]
pub(super) struct SeriesRef<'a> {
    pub(super) scenario: &'a str,
    pub(super) contrast: Contrast,
    pub(super) area: &'a str,
    pub(super) measure: &'a str,
}

/// A JSON value as short text for a table cell.
pub(super) fn json_text(v: &serde_json::Value, l: Lang) -> String {
    match v {
        serde_json::Value::Null => "–".into(),
        serde_json::Value::Bool(b) => match (b, l) {
            (true, Lang::Nl) => "ja".into(),
            (false, Lang::Nl) => "nee".into(),
            _ => b.to_string(),
        },
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            // Years, counts and seeds: no thousands separator.
            (Some(i), _) => i.to_string(),
            (None, Some(x)) => l.num_trimmed(x, crate::render::format::sig_decimals(x)),
            _ => n.to_string(),
        },
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => {
            format!("[{}]", a.iter().map(|x| json_text(x, l)).collect::<Vec<_>>().join("; "))
        }
        serde_json::Value::Object(o) => {
            o.iter().map(|(k, v)| format!("{k}: {}", json_text(v, l))).collect::<Vec<_>>().join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_parameters_print_like_people_write_them() {
        let l = Lang::Nl;
        assert_eq!(json_text(&serde_json::json!(2025), l), "2025");
        assert_eq!(json_text(&serde_json::json!(0.0225), l), "0,0225");
        assert_eq!(json_text(&serde_json::json!(4300.0), l), "4.300");
        assert_eq!(json_text(&serde_json::json!([0.5, 0.25]), l), "[0,5; 0,25]");
        assert_eq!(json_text(&serde_json::json!(0.05), l), "0,05");
        assert_eq!(json_text(&serde_json::json!(1234.6), Lang::En), "1,235");
    }
}
