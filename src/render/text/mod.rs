//! Every word of the report and of the claim page: one catalogue per language
//! ([`nl`], [`en`]; the committee's claim page has its own, [`claim`] and [`claim_en`]).
//!
//! Templates carry `{name}` placeholders filled by [`fill`]; a template and its
//! translation must use the same placeholders (a test checks this).

pub(crate) mod allocation;
mod claim;
mod claim_en;
mod decision;
mod en;
mod nl;

pub(crate) use claim::ClaimTexts;
pub(crate) use decision::DecisionTexts;

/// Every word of the report's decision section in `lang`.
pub(crate) fn decision_texts(lang: Lang) -> &'static DecisionTexts {
    match lang {
        Lang::Nl => &decision::DECISION_NL,
        Lang::En => &decision::DECISION_EN,
    }
}

/// Every word of the claim page in `lang`.
pub(crate) fn claim_texts(lang: Lang) -> &'static ClaimTexts {
    match lang {
        Lang::Nl => &claim::CLAIM,
        Lang::En => &claim_en::CLAIM_EN,
    }
}

/// Funders as a sentence of the claim page in `lang` names them.
pub(crate) fn funders(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Nl => &claim::FUNDERS,
        Lang::En => &claim_en::FUNDERS_EN,
    }
}

/// Language of the advisor's report: it is written in Dutch for the
/// municipality and its partners, or in English for outside readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Dutch (`nl`), the report's default language.
    Nl,
    /// English (`en`).
    En,
}

impl Lang {
    /// The texts of this language.
    pub(crate) fn texts(self) -> &'static Texts {
        match self {
            Lang::Nl => &nl::NL,
            Lang::En => &en::EN,
        }
    }

    /// The `lang` attribute of the HTML document.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// Fill `{name}` placeholders in `template`.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// All text of the report in one language, grouped by section in reading
/// order; each field says where its text appears. Templates carry `{name}`
/// placeholders that [`fill`] replaces.
pub(crate) struct Texts {
    // Head of the report.
    /// Title of the report (top of the page and the `<title>`).
    pub title: &'static str,
    /// Line under the title: scenario file, number of scenarios and years (`{file}`, `{scenarios}`, `{start}`, `{end}`).
    pub subtitle: &'static str,
    /// How the run was made, under the subtitle: draws, mode, seed, version.
    pub generated: &'static str,
    /// Heading of the table of contents.
    pub contents: &'static str,
    /// Name of the nulalternatief (baseline) in legends and tables.
    pub baseline: &'static str,
    /// Name of the sum over the run's areas when it has more than one (`{n}`);
    /// a run with one area names that area instead (see `Report::area_label`).
    pub total_areas: &'static str,
    /// Line under the subtitle listing the run's areas (`{areas}`).
    pub areas_line: &'static str,

    // Samenvatting (summary) section.
    /// Title of the samenvatting (summary) section.
    pub s_summary: &'static str,
    /// Opening paragraph of the summary: what the figures compare and why social value stands apart.
    pub summary_intro: &'static str,
    /// Column header: scenario name (summary, assumptions and reproduce tables).
    pub col_scenario: &'static str,
    /// Column header: mean NPV.
    pub col_npv_mean: &'static str,
    /// Column header: the 90 % interval (P5–P95).
    pub col_interval: &'static str,
    /// Column header: probability that the NPV is positive.
    pub col_p_positive: &'static str,
    /// Column header: benefit/cost ratio (baten/kosten).
    pub col_bcr: &'static str,
    /// Column header: break-even year and its probability.
    pub col_break_even: &'static str,
    /// Column header: mean NPV at the financieel level, its P5–P95 under it.
    pub col_npv_fin: &'static str,
    /// Column header: benefit/cost ratio at the financieel level.
    pub col_bcr_fin: &'static str,
    /// Column header: mean NPV at the maatschappelijk level (`npv_societal`), its P5–P95 under it.
    pub col_npv_soc: &'static str,
    /// Column header: benefit/cost ratio at the maatschappelijk level (`bcr_societal`).
    pub col_bcr_soc: &'static str,
    /// Column header: probability that the maatschappelijk NPV is positive.
    pub col_p_positive_soc: &'static str,
    /// Sentence under the summary table: what the two ratios count (`{values}`: [`Texts::levels_values`] or nothing).
    pub levels_explain: &'static str,
    /// The euro values per unit the run used, in that sentence (`{values}`).
    pub levels_values: &'static str,
    /// Column header: area (gebied).
    pub col_area: &'static str,
    /// Column header: year.
    pub col_year: &'static str,
    /// Column header: mean.
    pub col_mean: &'static str,
    /// Summary sentence on the mean NPV and its 90 % interval.
    pub sent_npv: &'static str,
    /// Summary sentence: in how many of 100 draws the business case is positive.
    pub sent_positive: &'static str,
    /// Summary sentence: avoided costs per euro spent.
    pub sent_bcr: &'static str,
    /// Summary sentence when a scenario has no costs, so no ratio.
    pub sent_no_bcr: &'static str,
    /// Summary sentence on break-even within the horizon.
    pub sent_break_even: &'static str,
    /// Summary sentence when no draw breaks even within the horizon.
    pub sent_no_break_even: &'static str,
    /// Summary sentence on the maatschappelijk NPV and its 90 % interval.
    pub sent_npv_social: &'static str,
    /// Summary sentence: in how many of 100 draws the maatschappelijk NPV is positive.
    pub sent_positive_social: &'static str,
    /// Summary sentence: maatschappelijke baten per euro of costs.
    pub sent_bcr_social: &'static str,
    /// Summary sentence when the run values no welfare, so both levels are equal.
    pub sent_no_welfare: &'static str,
    /// Sentence naming the largest streams of the maatschappelijke baten (`{list}`).
    pub streams_sentence: &'static str,
    /// Stream: valued QALYs (health).
    pub stream_qaly: &'static str,
    /// Stream: valued WELLBYs (wellbeing).
    pub stream_wellby: &'static str,
    /// Stream: the states' monetised social value.
    pub stream_social_value: &'static str,
    /// Stream: avoided costs of shadow-priced funders (informal care time).
    pub stream_shadow: &'static str,
    /// The maatschappelijke B/C below the published band (`{bcr}`, `{low}`, `{high}`); citations follow.
    pub band_below: &'static str,
    /// The maatschappelijke B/C within the published band.
    pub band_within: &'static str,
    /// The maatschappelijke B/C above the published band.
    pub band_above: &'static str,
    /// Reason below the band: share of the costs met by no counted benefit (`{gap}`).
    pub band_reason_gap: &'static str,
    /// Reason below the band: PM-posten not valued (`{n}`, `{list}`).
    pub band_reason_pm: &'static str,
    /// The flow still running at the horizon, cut off (`{flow}`, `{end}`).
    pub horizon_cut: &'static str,
    /// The flow at the horizon, counted after it under decay (`{flow}`, `{end}`, `{cash}`, `{welfare}`).
    pub horizon_decay: &'static str,
    /// Break-even cell when the costs are not recovered within the horizon.
    pub not_within_horizon: &'static str,
    /// Heading of the summary's NPV-per-area table.
    pub per_area_title: &'static str,
    /// Paragraph above the NPV-per-area table.
    pub per_area_intro: &'static str,
    /// Heading of a scenario's PM-posten (effects named but not valued in money).
    pub pm_title: &'static str,
    /// Sentence naming the nulalternatief's own interventions (`{interventions}`), above the summary table.
    pub baseline_holds: &'static str,

    // Scenarios compared with each other.
    /// Title of the comparison section (shown with two or more scenarios).
    pub s_compare: &'static str,
    /// Opening paragraph of the comparison section.
    pub compare_intro: &'static str,
    /// Heading of one ranking table (`{metric}`).
    pub compare_ranking: &'static str,
    /// Column: share of the draws in which the scenario is the best.
    pub col_p_best: &'static str,
    /// Column: mean rank over the draws.
    pub col_mean_rank: &'static str,
    /// Paragraph above one pair's table (`{a}`, `{b}`).
    pub compare_pair_intro: &'static str,
    /// Column: the chance that A comes out higher than B.
    pub col_p_a_gt_b: &'static str,

    // Indicators and care use over time.
    /// Title of the indicators and care use (zorggebruik) section.
    pub s_indicators: &'static str,
    /// Opening paragraph of the indicators section: how to read the fan charts.
    pub indicators_intro: &'static str,
    /// Shown when a scenario changes no indicator noticeably.
    pub indicator_none: &'static str,
    /// Heading of one indicator (`{chain}: {state}`).
    pub indicator_title: &'static str,
    /// Caption of the level chart: scenario against the nulalternatief.
    pub indicator_level: &'static str,
    /// Caption of the difference chart: scenario minus nulalternatief per draw.
    pub indicator_diff: &'static str,
    /// Heading of the small charts per area.
    pub per_area_multiples: &'static str,
    /// X-axis label: year.
    pub axis_year: &'static str,
    /// Y-axis label: share of the target group, in percent.
    pub axis_prevalence: &'static str,
    /// Y-axis label: difference in percentage points.
    pub axis_prevalence_diff: &'static str,
    /// Legend: the median line of a fan.
    pub band_median: &'static str,
    /// Legend: the P5–P95 band of a fan.
    pub band_90: &'static str,
    /// Column header: mean difference with the nulalternatief.
    pub col_difference: &'static str,

    // NPV distribution.
    /// Title of the NPV distribution section.
    pub s_npv: &'static str,
    /// Opening paragraph of the NPV section: how to read the histogram.
    pub npv_intro: &'static str,
    /// X-axis label of the NPV histogram (€ mln, present value).
    pub axis_npv: &'static str,
    /// Y-axis label: number of draws.
    pub axis_draws: &'static str,
    /// Column header of the histogram table: NPV from – to.
    pub col_bin: &'static str,
    /// Column header of the histogram table: draws in the bin.
    pub col_count: &'static str,
    /// Shown when the run directory has no NPV histogram (older runs).
    pub npv_no_histogram: &'static str,
    /// Histogram legend: bins with NPV below zero.
    pub legend_loss: &'static str,
    /// Histogram legend: bins with NPV at or above zero.
    pub legend_gain: &'static str,

    // Who pays, who benefits (funders and taakvelden).
    /// Title of the section on who pays and who benefits (funders).
    pub s_funders: &'static str,
    /// Opening paragraph of the funders section: cash flows per funder and taakveld.
    pub funders_intro: &'static str,
    /// Note on the SROI correction factor applied to avoided costs (`{f}`).
    pub funders_sroi: &'static str,
    /// Y-axis label of cash-flow charts (€ thousand per year).
    pub axis_cashflow: &'static str,
    /// Column header: funder / taakveld.
    pub col_account: &'static str,
    /// Column header: present value of benefits.
    pub col_pv_benefits: &'static str,
    /// Column header: present value of costs.
    pub col_pv_costs: &'static str,
    /// Column header: net present value per account.
    pub col_pv_net: &'static str,
    /// Shown when a scenario has no cash flows.
    pub funders_none: &'static str,

    // Drivers: one-way sensitivity (tornado).
    /// Title of the drivers section (one-way sensitivity).
    pub s_drivers: &'static str,
    /// Opening paragraph of the drivers section: how the tornado chart is made.
    pub drivers_intro: &'static str,
    /// Shown when the run has no sensitivity.csv.
    pub drivers_missing: &'static str,
    /// Shown when no uncertain parameter moves the scenario's NPV.
    pub drivers_none: &'static str,
    /// X-axis label of the tornado chart (NPV, € mln).
    pub axis_tornado: &'static str,
    /// Column header: parameter name.
    pub col_parameter: &'static str,
    /// Column header: parameter value at P5.
    pub col_value_low: &'static str,
    /// Column header: parameter value at P95.
    pub col_value_high: &'static str,
    /// Column header: NPV with the parameter at P5.
    pub col_npv_low: &'static str,
    /// Column header: NPV with the parameter at P95.
    pub col_npv_high: &'static str,
    /// Column header: swing (difference between the two NPVs).
    pub col_swing: &'static str,
    /// Tornado legend: parameter at P5.
    pub legend_low: &'static str,
    /// Tornado legend: parameter at P95.
    pub legend_high: &'static str,

    // Monitoring: observed figures against the simulation.
    /// Title of the monitoring section (observed against simulated).
    pub s_monitoring: &'static str,
    /// Opening paragraph of the monitoring section (`{scenario}`).
    pub mon_intro: &'static str,
    /// Sentence: how many observations fall inside the simulated 90 % interval.
    pub mon_inside: &'static str,
    /// Sentence on the effective sample size (ESS) after re-weighting.
    pub mon_ess: &'static str,
    /// Sentence when the ESS suffices for an updated business case.
    pub mon_updated: &'static str,
    /// Sentence when the ESS is too small for an updated business case.
    pub mon_not_updated: &'static str,
    /// The monitor's own message, quoted (in English).
    pub mon_message: &'static str,
    /// Heading of the on-track (op koers) table.
    pub mon_track_title: &'static str,
    /// Paragraph above the on-track table: what each verdict means.
    pub mon_track_intro: &'static str,
    /// Column header: indicator (measure).
    pub col_measure: &'static str,
    /// Column header: observations inside P5–P95.
    pub col_inside: &'static str,
    /// Column header: verdict.
    pub col_verdict: &'static str,
    /// Verdict: all observations inside the band (op koers).
    pub verdict_on_track: &'static str,
    /// Verdict: at least half inside (let op).
    pub verdict_watch: &'static str,
    /// Verdict: fewer than half inside (uit koers).
    pub verdict_off_track: &'static str,
    /// Heading of the observed-against-simulated charts.
    pub mon_series_title: &'static str,
    /// Paragraph above those charts: bands, dots and sampling intervals.
    pub mon_series_intro: &'static str,
    /// Caption of one monitoring chart (`{area}`, `{measure}`, `{scenario}`).
    pub mon_chart_caption: &'static str,
    /// Shown when the run has no yearly series for an observed indicator.
    pub mon_no_series: &'static str,
    /// Shown when observed.csv is missing, so sampling uncertainty is unknown.
    pub mon_no_sampling: &'static str,
    /// Legend and label for observed figures.
    pub observed: &'static str,
    /// Column header: observed value with its 95 % interval.
    pub col_observed: &'static str,
    /// Column header: percentile of the observation among the draws.
    pub col_percentile: &'static str,
    /// Column header: simulated P5–P95.
    pub col_band: &'static str,
    /// Column header: whether the observation is inside P5–P95.
    pub col_inside_band: &'static str,
    /// Column header: median after updating.
    pub col_posterior_median: &'static str,
    /// Cell text: yes.
    pub yes: &'static str,
    /// Cell text: no.
    pub no: &'static str,
    /// Heading of the business case before and after the observations.
    pub mon_bc_title: &'static str,
    /// Paragraph above the before/after table when there is an update.
    pub mon_bc_intro: &'static str,
    /// Paragraph above that table when there is only the prior.
    pub mon_bc_intro_prior: &'static str,
    /// Column header: metric.
    pub col_metric: &'static str,
    /// Column header: before the observations (prior).
    pub col_prior: &'static str,
    /// Column header: after the observations (posterior).
    pub col_posterior: &'static str,
    /// Sentence: probability of a positive business case before and after.
    pub mon_p_positive: &'static str,
    /// Sentence: that probability before the observations only.
    pub mon_p_positive_prior: &'static str,
    /// Metric row: NPV.
    pub metric_npv: &'static str,
    /// Metric row: benefit/cost ratio.
    pub metric_bcr: &'static str,
    /// Metric row: present value of benefits.
    pub metric_pv_benefits: &'static str,
    /// Metric row: present value of the interventions' costs.
    pub metric_pv_costs: &'static str,
    /// Metric row: NPV including social value.
    pub metric_npv_social: &'static str,
    /// Metric row: net present value of one account (`{account}`).
    pub metric_pv_net: &'static str,
    /// Heading of the table of parameters that shifted most.
    pub mon_params_title: &'static str,
    /// Paragraph above that table: shift in prior standard deviations.
    pub mon_params_intro: &'static str,
    /// Shown when no uncertain parameter shifted.
    pub mon_params_none: &'static str,
    /// Column header: parameter mean (P5–P95) before.
    pub col_prior_param: &'static str,
    /// Column header: parameter mean (P5–P95) after.
    pub col_posterior_param: &'static str,
    /// Column header: shift in standard deviations.
    pub col_shift: &'static str,

    // Assumptions (aannames).
    /// Title of the assumptions (aannames) section.
    pub s_assumptions: &'static str,
    /// Opening paragraph of the assumptions section.
    pub assumptions_intro: &'static str,
    /// Shown when the run has no assumptions.json.
    pub assumptions_missing: &'static str,
    /// Heading of the model settings table.
    pub model_settings: &'static str,
    /// Heading of the SROI corrections per scenario.
    pub sroi_title: &'static str,
    /// Paragraph explaining deadweight, attribution and displacement.
    pub sroi_intro: &'static str,
    /// Column header: deadweight.
    pub col_deadweight: &'static str,
    /// Column header: attribution (attributie).
    pub col_attribution: &'static str,
    /// Column header: displacement (verdringing).
    pub col_displacement: &'static str,
    /// Heading of the parameter table.
    pub params_title: &'static str,
    /// Column header: distribution.
    pub col_distribution: &'static str,
    /// Column header: P5 – P95.
    pub col_p5_p95: &'static str,
    /// Column header: source / note.
    pub col_source: &'static str,
    /// Source cell of a number written inline in the scenario file.
    pub inline_param: &'static str,

    // Reproduce: inputs and Monte Carlo standard errors.
    /// Title of the reproduce section.
    pub s_reproduce: &'static str,
    /// Opening paragraph of the reproduce section: same inputs, same numbers.
    pub reproduce_intro: &'static str,
    /// Heading of the Monte Carlo standard errors table.
    pub mcse_title: &'static str,
    /// Paragraph above that table: precision of the means, not the outcome's uncertainty.
    pub mcse_intro: &'static str,
    /// Column header: MCSE of the mean NPV.
    pub col_mcse_npv: &'static str,
    /// Column header: MCSE of the probability NPV > 0.
    pub col_mcse_p: &'static str,
    /// Column header: MCSE of the benefit/cost ratio.
    pub col_mcse_bcr: &'static str,
    /// Column header: input file.
    pub col_file: &'static str,
    /// Column header: setting (field).
    pub col_field: &'static str,
    /// Column header: value.
    pub col_value: &'static str,

    // Shared by every section.
    /// Summary line of the table that accompanies every chart.
    pub table_alt: &'static str,
    /// Footer line of the report (`{version}`).
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
            (NL.sent_npv_social, EN.sent_npv_social),
            (NL.sent_positive_social, EN.sent_positive_social),
            (NL.sent_bcr_social, EN.sent_bcr_social),
            (NL.levels_explain, EN.levels_explain),
            (NL.levels_values, EN.levels_values),
            (NL.streams_sentence, EN.streams_sentence),
            (NL.band_below, EN.band_below),
            (NL.band_within, EN.band_within),
            (NL.band_above, EN.band_above),
            (NL.band_reason_gap, EN.band_reason_gap),
            (NL.band_reason_pm, EN.band_reason_pm),
            (NL.horizon_cut, EN.horizon_cut),
            (NL.horizon_decay, EN.horizon_decay),
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
            (NL.total_areas, EN.total_areas),
            (NL.areas_line, EN.areas_line),
            (NL.npv_intro, EN.npv_intro),
            (NL.baseline_holds, EN.baseline_holds),
            (NL.compare_ranking, EN.compare_ranking),
            (NL.compare_pair_intro, EN.compare_pair_intro),
        ];
        for (nl, en) in pairs {
            assert_eq!(placeholders(nl), placeholders(en), "{nl} / {en}");
        }
    }

    /// Every template of the claim page has the same placeholders in Dutch
    /// and in English (the field lists are the same struct, so none is missing).
    #[test]
    fn claim_page_templates_agree_on_placeholders() {
        let (nl, en) = (claim_texts(Lang::Nl), claim_texts(Lang::En));
        let holes = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(k, _)| k.to_string()).collect();
            v.sort();
            v
        };
        let pairs = [
            (nl.meta, en.meta),
            (nl.verdict_note, en.verdict_note),
            (nl.sent_claim, en.sent_claim),
            (nl.flag_bcr, en.flag_bcr),
            (nl.flag_cash_bcr, en.flag_cash_bcr),
            (nl.flag_bcr_review, en.flag_bcr_review),
            (nl.sent_funder_npv, en.sent_funder_npv),
            (nl.sent_npv, en.sent_npv),
            (nl.sent_bcr, en.sent_bcr),
            (nl.sent_break_even, en.sent_break_even),
            (nl.be_effect, en.be_effect),
            (nl.sent_no_break_even, en.sent_no_break_even),
            (nl.chart_summary, en.chart_summary),
            (nl.chart_aria, en.chart_aria),
            (nl.duration, en.duration),
            (nl.thresholds, en.thresholds),
            (nl.method, en.method),
            (nl.levels_intro, en.levels_intro),
            (nl.pm_unvalued, en.pm_unvalued),
            (nl.subj_per_year, en.subj_per_year),
            (nl.subj_starts, en.subj_starts),
            (nl.footer, en.footer),
        ];
        for (a, b) in pairs {
            assert_eq!(holes(a), holes(b), "{a} / {b}");
        }
        assert_eq!(funders(Lang::Nl).len(), funders(Lang::En).len());
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("In {k} van de 100", &[("k", "78")]), "In 78 van de 100");
    }
}
