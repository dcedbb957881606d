//! Every word of the report and of the claim page: one catalogue per language
//! ([`nl`], [`en`]; the committee's claim page is Dutch only, [`claim`]).
//!
//! Templates carry `{name}` placeholders filled by [`fill`]; a template and its
//! translation must use the same placeholders (a test checks this).

mod claim;
mod en;
mod nl;

pub(crate) use claim::{ClaimTexts, CLAIM, FUNDERS};

/// Language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Nl => &nl::NL,
            Lang::En => &en::EN,
        }
    }

    /// The `lang` attribute of the HTML document.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// Fill `{name}` placeholders in `template`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// All text of the report in one language.
pub struct Texts {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub generated: &'static str,
    pub contents: &'static str,
    pub baseline: &'static str,
    pub city_total: &'static str,

    pub s_summary: &'static str,
    pub summary_intro: &'static str,
    pub col_scenario: &'static str,
    pub col_npv_mean: &'static str,
    pub col_interval: &'static str,
    pub col_p_positive: &'static str,
    pub col_bcr: &'static str,
    pub col_break_even: &'static str,
    pub col_social: &'static str,
    pub col_npv_social: &'static str,
    pub col_area: &'static str,
    pub col_year: &'static str,
    pub col_mean: &'static str,
    pub col_median: &'static str,
    pub sent_npv: &'static str,
    pub sent_positive: &'static str,
    pub sent_bcr: &'static str,
    pub sent_no_bcr: &'static str,
    pub sent_break_even: &'static str,
    pub sent_no_break_even: &'static str,
    pub sent_social: &'static str,
    pub not_within_horizon: &'static str,
    pub per_area_title: &'static str,
    pub per_area_intro: &'static str,

    pub s_indicators: &'static str,
    pub indicators_intro: &'static str,
    pub indicator_none: &'static str,
    pub indicator_title: &'static str,
    pub indicator_level: &'static str,
    pub indicator_diff: &'static str,
    pub per_area_multiples: &'static str,
    pub axis_year: &'static str,
    pub axis_prevalence: &'static str,
    pub axis_prevalence_diff: &'static str,
    pub band_median: &'static str,
    pub band_50: &'static str,
    pub band_90: &'static str,
    pub col_difference: &'static str,

    pub s_npv: &'static str,
    pub npv_intro: &'static str,
    pub axis_npv: &'static str,
    pub axis_draws: &'static str,
    pub col_bin: &'static str,
    pub col_count: &'static str,
    pub npv_no_histogram: &'static str,
    pub legend_loss: &'static str,
    pub legend_gain: &'static str,

    pub s_funders: &'static str,
    pub funders_intro: &'static str,
    pub funders_sroi: &'static str,
    pub axis_cashflow: &'static str,
    pub col_account: &'static str,
    pub col_pv_benefits: &'static str,
    pub col_pv_costs: &'static str,
    pub col_pv_net: &'static str,
    pub funders_none: &'static str,

    pub s_drivers: &'static str,
    pub drivers_intro: &'static str,
    pub drivers_missing: &'static str,
    pub drivers_none: &'static str,
    pub axis_tornado: &'static str,
    pub col_parameter: &'static str,
    pub col_value_low: &'static str,
    pub col_value_high: &'static str,
    pub col_npv_low: &'static str,
    pub col_npv_high: &'static str,
    pub col_swing: &'static str,
    pub legend_low: &'static str,
    pub legend_high: &'static str,

    pub s_monitoring: &'static str,
    pub mon_intro: &'static str,
    pub mon_inside: &'static str,
    pub mon_ess: &'static str,
    pub mon_updated: &'static str,
    pub mon_not_updated: &'static str,
    pub mon_message: &'static str,
    pub mon_track_title: &'static str,
    pub mon_track_intro: &'static str,
    pub col_measure: &'static str,
    pub col_inside: &'static str,
    pub col_verdict: &'static str,
    pub verdict_on_track: &'static str,
    pub verdict_watch: &'static str,
    pub verdict_off_track: &'static str,
    pub mon_series_title: &'static str,
    pub mon_series_intro: &'static str,
    pub mon_chart_caption: &'static str,
    pub mon_no_series: &'static str,
    pub mon_no_sampling: &'static str,
    pub observed: &'static str,
    pub col_observed: &'static str,
    pub col_percentile: &'static str,
    pub col_band: &'static str,
    pub col_inside_band: &'static str,
    pub col_posterior_median: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub mon_bc_title: &'static str,
    pub mon_bc_intro: &'static str,
    pub mon_bc_intro_prior: &'static str,
    pub col_metric: &'static str,
    pub col_prior: &'static str,
    pub col_posterior: &'static str,
    pub mon_p_positive: &'static str,
    pub mon_p_positive_prior: &'static str,
    pub metric_npv: &'static str,
    pub metric_bcr: &'static str,
    pub metric_pv_benefits: &'static str,
    pub metric_pv_costs: &'static str,
    pub metric_npv_social: &'static str,
    pub metric_pv_net: &'static str,
    pub mon_params_title: &'static str,
    pub mon_params_intro: &'static str,
    pub mon_params_none: &'static str,
    pub col_prior_param: &'static str,
    pub col_posterior_param: &'static str,
    pub col_shift: &'static str,

    pub s_assumptions: &'static str,
    pub assumptions_intro: &'static str,
    pub assumptions_missing: &'static str,
    pub model_settings: &'static str,
    pub sroi_title: &'static str,
    pub sroi_intro: &'static str,
    pub col_deadweight: &'static str,
    pub col_attribution: &'static str,
    pub col_displacement: &'static str,
    pub params_title: &'static str,
    pub col_distribution: &'static str,
    pub col_p5_p95: &'static str,
    pub col_source: &'static str,
    pub inline_param: &'static str,

    pub s_reproduce: &'static str,
    pub reproduce_intro: &'static str,
    pub mcse_title: &'static str,
    pub mcse_intro: &'static str,
    pub col_mcse_npv: &'static str,
    pub col_mcse_p: &'static str,
    pub col_mcse_bcr: &'static str,
    pub col_file: &'static str,
    pub col_field: &'static str,
    pub col_value: &'static str,

    pub table_alt: &'static str,
    pub footer: &'static str,
}

#[cfg(test)]
mod tests {
    use super::en::EN;
    use super::nl::NL;
    use super::*;

    /// Every placeholder of a Dutch template appears in its English one and back,
    /// so neither language loses a number.
    #[test]
    fn both_languages_use_the_same_placeholders() {
        fn placeholders(s: &str) -> Vec<String> {
            let mut out: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string())).collect();
            out.sort();
            out
        }
        let pairs = [
            (NL.subtitle, EN.subtitle),
            (NL.generated, EN.generated),
            (NL.sent_npv, EN.sent_npv),
            (NL.sent_positive, EN.sent_positive),
            (NL.sent_bcr, EN.sent_bcr),
            (NL.sent_break_even, EN.sent_break_even),
            (NL.sent_no_break_even, EN.sent_no_break_even),
            (NL.sent_social, EN.sent_social),
            (NL.indicator_title, EN.indicator_title),
            (NL.funders_sroi, EN.funders_sroi),
            (NL.footer, EN.footer),
            (NL.mon_intro, EN.mon_intro),
            (NL.mon_inside, EN.mon_inside),
            (NL.mon_ess, EN.mon_ess),
            (NL.mon_message, EN.mon_message),
            (NL.mon_series_intro, EN.mon_series_intro),
            (NL.mon_chart_caption, EN.mon_chart_caption),
            (NL.mon_bc_intro, EN.mon_bc_intro),
            (NL.mon_bc_intro_prior, EN.mon_bc_intro_prior),
            (NL.mon_p_positive, EN.mon_p_positive),
            (NL.mon_p_positive_prior, EN.mon_p_positive_prior),
            (NL.metric_pv_net, EN.metric_pv_net),
        ];
        for (nl, en) in pairs {
            assert_eq!(placeholders(nl), placeholders(en), "{nl} / {en}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("In {k} van de 100", &[("k", "78")]), "In 78 van de 100");
    }
}
