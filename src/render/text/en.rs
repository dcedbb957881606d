//! The report in English.

use super::Texts;

pub(super) static EN: Texts = Texts {
    title: "Social cost-benefit analysis",
    subtitle: "{file}: {scenarios} scenarios against the nulalternatief (no-intervention baseline), {start}–{end}",
    generated: "{draws} Monte Carlo draws, {mode} mode, seed {seed}; wijkimpact {version}.",
    contents: "Contents",
    baseline: "nulalternatief (baseline)",
    total_areas: "total of {n} areas",
    areas_line: "Areas in this run: {areas}.",

    s_summary: "Summary",
    summary_intro: "For each scenario, the difference with the nulalternatief (the same areas without the \
        interventions), over all draws, at the three levels of a Dutch social cost-benefit analysis. Financial \
        (financieel): the money of the public funders together (gemeente, zorgverzekeraar, Rijk, housing \
        corporation), their avoided costs of care and support minus the cost of the interventions. Societal \
        (maatschappelijk): on top of that, gains in health and wellbeing and the time of informal carers, valued in \
        euros; no funder pays these out. PM items (PM-posten): effects that are named but not valued in money. \
        Amounts are present values in euros.",
    col_scenario: "Scenario",
    col_npv_mean: "NPV (mean)",
    col_interval: "90% interval (P5–P95)",
    col_p_positive: "P(NPV > 0)",
    col_bcr: "Benefit/cost",
    col_break_even: "Break-even: year (chance)",
    col_npv_fin: "Financial: NPV mean (P5–P95)",
    col_bcr_fin: "Financial B/C",
    col_npv_soc: "Societal: NPV mean (P5–P95)",
    col_bcr_soc: "Societal B/C",
    col_p_positive_soc: "P(societal NPV > 0)",
    levels_explain: "The financial benefit/cost ratio (B/C) counts only the money the funders save; the societal \
        B/C adds health (QALY) and wellbeing (WELLBY) gains and the time of informal carers, valued in euros {values}.",
    levels_values: "(value per unit used, mean over the draws: {values})",
    col_area: "Area",
    col_year: "Year",
    col_mean: "Mean",
    sent_npv: "Financially, the net present value (NPV) to the funders together is {mean} on average; in 90 out of \
        100 draws it lies between {p5} and {p95}.",
    sent_positive: "In {k} out of 100 draws the financial return to the funders together is positive.",
    sent_bcr: "Each euro spent on the interventions returns {bcr} euros of avoided costs to the funders on average.",
    sent_no_bcr: "No benefit/cost ratio: the scenario has no costs.",
    sent_break_even: "In {k} out of 100 draws the costs are recovered within the horizon (median: {year}).",
    sent_no_break_even: "In no draw are the costs recovered before {end}.",
    sent_npv_social: "At the societal level, with health, wellbeing and informal care time in euros added, the \
        NPV is {mean} on average; in 90 out of 100 draws it lies between {p5} and {p95}.",
    sent_positive_social: "In {k} out of 100 draws the societal return is positive.",
    sent_bcr_social: "At the societal level each euro of cost returns {bcr} euros of benefits on average.",
    sent_no_welfare: "This run values no health, wellbeing or informal care time in money: the societal return \
        equals the financial one here.",
    streams_sentence: "The societal benefits come mainly from: {list}.",
    stream_qaly: "health (QALYs)",
    stream_wellby: "wellbeing (WELLBYs)",
    stream_social_value: "other social value",
    stream_shadow: "informal care and volunteer time (shadow price)",
    band_below: "The societal B/C of {bcr} is below the band of {low}–{high} that published business cases in the \
        social domain show",
    band_within: "The societal B/C of {bcr} is within the band of {low}–{high} that published business cases in \
        the social domain show",
    band_above: "The societal B/C of {bcr} is above the band of {low}–{high} that published business cases in the \
        social domain show",
    band_reason_gap: "What this run shows: {gap} of the costs is met by no counted benefit.",
    band_reason_pm: "{n} PM items (PM-posten) are not valued in money, so they do not count: {list}.",
    horizon_cut: "In the last year of the horizon ({end}) the scenario still yields {flow} a year in avoided costs \
        and wellbeing. The calculation stops at the horizon, so what flows on after it is not counted.",
    horizon_decay: "In the last year of the horizon ({end}) the scenario still yields {flow} a year in avoided costs \
        and wellbeing. That flow goes on after the horizon, shrinking, and is counted: {cash} of avoided costs and \
        {welfare} of wellbeing after the horizon (present value), reported apart in the output.",
    not_within_horizon: "not within the horizon",
    per_area_title: "Per area",
    per_area_intro: "NPV per area; only areas where the scenario changes something.",
    pm_title: "PM items (not valued in money)",
    baseline_holds: "The nulalternatief (baseline) holds what happens anyway: {interventions}. These interventions \
        also run in every scenario; their effects and costs appear in the yearly tables and cancel in the business case.",

    s_compare: "Scenarios compared",
    compare_intro: "The scenarios side by side, for the total of all areas in this run. Every draw computes all scenarios with the same \
        parameters and the same random numbers, so the difference between two scenarios is exact in each draw. The \
        chance that a scenario is the best counts the draws in which it has the highest value (ties shared).",
    compare_ranking: "Ranking on {metric}",
    col_p_best: "P(best)",
    col_mean_rank: "Mean rank",
    compare_pair_intro: "{a} minus {b}, per funder and taakveld: mean difference, 90 % interval and the chance that \
        {a} comes out higher than {b}.",
    col_p_a_gt_b: "P(A > B)",

    s_indicators: "Indicators and care use over time",
    indicators_intro: "For each scenario the indicators it changes most (most avoided person-years). The dark band \
        holds the middle 50% of draws (P25–P75), the light band 90% (P5–P95), the line is the median. Grey is the \
        nulalternatief. Percentages are shares of the people the indicator applies to (e.g. children for youth care).",
    indicator_none: "This scenario changes no indicator noticeably.",
    indicator_title: "{chain}: {state}",
    indicator_level: "Level: scenario against nulalternatief",
    indicator_diff: "Difference with the nulalternatief (within the same draw)",
    per_area_multiples: "Per area",
    axis_year: "year",
    axis_prevalence: "% of the target population",
    axis_prevalence_diff: "difference in percentage points",
    band_median: "median",
    band_90: "P5–P95",
    col_difference: "Difference (mean)",

    s_npv: "Distribution of the net present value (financial return)",
    npv_intro: "How often each NPV occurs across draws ({total}). The NPV is the money of the public funders together \
        (gemeente, zorgverzekeraar, Rijk, housing corporation): left of the zero line the interventions cost them more \
        than they save on care and support, right of it the funders recover their investment. Well-being (valued in \
        money) is not counted here. The width says how uncertain the result is.",
    axis_npv: "NPV (€ M, present value)",
    axis_draws: "number of draws",
    col_bin: "NPV from – to",
    col_count: "Draws",
    npv_no_histogram: "This run has no NPV distribution (histogram); run the scenario again with this version.",
    legend_loss: "NPV < 0",
    legend_gain: "NPV ≥ 0",

    s_funders: "Who pays, who benefits (wie betaalt, wie baat): financial",
    funders_intro: "Cash flows per year per funder and taakveld (mean over draws, undiscounted): above the zero line \
        avoided costs (benefit), below it the cost of the interventions. Below the chart the present value per \
        funder and taakveld with its 90% interval.",
    funders_sroi: "Avoided costs are corrected for deadweight, attribution and displacement (factor {f} at the \
        parameters' means).",
    axis_cashflow: "€ thousand per year",
    col_account: "Funder / taakveld",
    col_pv_benefits: "Benefits (PV)",
    col_pv_costs: "Costs (PV)",
    col_pv_net: "Net (PV)",
    funders_none: "This scenario has no cash flows.",

    s_drivers: "What drives the result",
    drivers_intro: "One-way sensitivity: each uncertain parameter moved on its own to its P5 and P95, all others at \
        their mean (expected values, no person-level chance). The ten parameters with the largest swing are shown. \
        The vertical line is the NPV with every parameter at its mean.",
    drivers_missing: "This run has no sensitivity analysis (sensitivity.csv), for instance because it ran with \
        --no-sensitivity.",
    drivers_none: "No uncertain parameter changes this scenario's NPV.",
    axis_tornado: "NPV (€ M)",
    col_parameter: "Parameter",
    col_value_low: "Value at P5",
    col_value_high: "Value at P95",
    col_npv_low: "NPV at P5",
    col_npv_high: "NPV at P95",
    col_swing: "Swing",
    legend_low: "parameter at P5",
    legend_high: "parameter at P95",

    s_monitoring: "Monitoring",
    mon_intro: "What was actually measured, next to what the model predicted for scenario {scenario}. \
        Each observation gets its place in the distribution of the draws (its percentile) and falls inside or \
        outside the 90% interval (P5–P95). The monitor then weights each draw by how well it explains the \
        observations, counting their sampling error: this gives an updated business case.",
    mon_inside: "{inside} of the {total} observations lie inside the simulation's 90% interval.",
    mon_ess: "After weighting, the simulation counts as {ess} of its {draws} draws (the effective sample size, \
        ESS); the monitor reports an updated business case from {min}.",
    mon_updated: "That is enough: below is the business case before and after the observations.",
    mon_not_updated: "That is too few to rely on: there is no updated business case. Below is only the business \
        case before the observations.",
    mon_message: "Message from the monitor: {message}",
    mon_track_title: "On track?",
    mon_track_intro: "Per area and indicator: how many observations fall inside the simulation's 90% interval \
        (P5–P95). On track: all of them; watch: at least half; off track: fewer than half.",
    col_measure: "Indicator",
    col_inside: "Inside P5–P95",
    col_verdict: "Verdict",
    verdict_on_track: "on track",
    verdict_watch: "watch",
    verdict_off_track: "off track",
    mon_series_title: "Observations against the simulation",
    mon_series_intro: "For each observed indicator its level in scenario {scenario} (median, P25–P75 and P5–P95 \
        over the draws) with the observations as black dots. The vertical bar is the 95% interval of the sampling \
        error: for a survey it follows from the number of respondents, otherwise from the given standard error or, \
        for counts, from the Poisson distribution.",
    mon_chart_caption: "{area} – {measure}: scenario {scenario} with the observations",
    mon_no_series: "This run has no yearly series of this indicator in this area; only the table.",
    mon_no_sampling: "The observations' sampling error is unknown: the run directory has no observed.csv.",
    observed: "observed",
    col_observed: "Observed (95% interval)",
    col_percentile: "Percentile",
    col_band: "Simulation P5–P95",
    col_inside_band: "Inside P5–P95",
    col_posterior_median: "Median after updating",
    yes: "yes",
    no: "no",
    mon_bc_title: "Business case before and after the observations",
    mon_bc_intro: "Mean and 90% interval over the draws of scenario {scenario}, {total}: first without the \
        observations (as in the rest of this report), then with the draws weighted by the observations.",
    mon_bc_intro_prior: "Mean and 90% interval over the draws of scenario {scenario}, {total}, without the \
        observations (as in the rest of this report).",
    col_metric: "Figure",
    col_prior: "Before the observations (P5–P95)",
    col_posterior: "After the observations (P5–P95)",
    mon_p_positive: "Chance of a positive business case (NPV > 0): {prior} before the observations, {posterior} after.",
    mon_p_positive_prior: "Chance of a positive business case (NPV > 0) before the observations: {prior}.",
    metric_npv: "NPV",
    metric_bcr: "Benefit/cost",
    metric_pv_benefits: "Benefits (PV)",
    metric_pv_costs: "Cost of the interventions (PV)",
    metric_npv_social: "NPV incl. social value",
    metric_pv_net: "Net (PV): {account}",
    mon_params_title: "Parameters that moved most",
    mon_params_intro: "The ten uncertain parameters whose mean the observations moved furthest, measured in standard \
        deviations of the distribution before the observations. A large shift means the observations say something \
        about that parameter.",
    mon_params_none: "No uncertain parameter moved.",
    col_prior_param: "Before: mean (P5–P95)",
    col_posterior_param: "After: mean (P5–P95)",
    col_shift: "Shift (sd)",

    s_assumptions: "Assumptions",
    assumptions_intro:
        "Every uncertain number in the model with its distribution and the source given in the scenario \
        file. Where it says 'assumption', the number is estimated rather than measured; the width of the distribution \
        says how little we know.",
    assumptions_missing: "This run has no assumptions.json; run the scenario again with this version.",
    model_settings: "Model settings",
    sroi_title: "SROI corrections per scenario",
    sroi_intro: "Share of the effect that would have happened anyway (deadweight), is due to others (attribution) or \
        is lost elsewhere (displacement).",
    col_deadweight: "Deadweight",
    col_attribution: "Attribution",
    col_displacement: "Displacement",
    params_title: "Parameters",
    col_distribution: "Distribution",
    col_p5_p95: "P5 – P95",
    col_source: "Source / note",
    inline_param: "(written in place)",

    s_reproduce: "Reproduce this",
    reproduce_intro: "With the same input files (same SHA-256), seed, number of draws and mode, wijkimpact gives \
        exactly the same numbers on any number of threads.",
    mcse_title: "Monte Carlo standard errors",
    mcse_intro: "How precise the means are given the finite number of draws (not the uncertainty about the result \
        itself; that is in the intervals).",
    col_mcse_npv: "MCSE of mean NPV",
    col_mcse_p: "MCSE of P(NPV > 0)",
    col_mcse_bcr: "MCSE of benefit/cost",
    col_file: "File",
    col_field: "Field",
    col_value: "Value",

    table_alt: "Table for this chart",
    footer: "Made with wijkimpact {version}. All amounts in euros (the scenario's price level); present values use \
        the discount rates of the model settings.",
};
