//! The committee's claim page in English (`wijkimpact claim --lang en`), for
//! readers outside the Dutch fund committee. Same placeholders as the Dutch
//! catalogue ([`super::claim`]); a test checks this.

use super::claim::ClaimTexts;

pub(crate) static CLAIM_EN: ClaimTexts = ClaimTexts {
    title: "Claim check: {name}",
    applicant: "Applicant: {applicant}",
    meta: "Target group: {group} · {years} · {participants} participants per year · {profile}",
    profile: "rates of district {profile}",
    years_one: "1 year ({start})",
    years_many: "{years} years from {start}",
    per_year: "per year",

    s_verdict: "Verdict per claim",
    s_explain: "Explanation",
    s_charts: "Claim against the simulation",
    s_assumptions: "Assumptions",
    s_reproduce: "Reproduce",

    col_claim: "Claim",
    col_claimed: "Claimed",
    col_p: "Chance reached (± MCSE)",
    col_range: "Realistic range (P10–P90) and median",
    median: "median {p50}",
    col_verdict: "Verdict",
    col_needed: "Effect needed for a 50 % chance",
    realistisch: "realistic",
    optimistisch: "optimistic",
    onrealistisch: "unrealistic",
    not_feasible: "not feasible within the searched range",
    no_solve: "–",
    verdict_note: "Chance: the share of the {draws} draws in which the simulated value is at least the claim, \
        with its Monte Carlo standard error (MCSE). Realistic range: 8 of 10 draws lie between P10 and P90. \
        Effect needed: the effect at which the claim is reached in half of the draws. \
        λ = 1 is the assumed effect, λ = 0 no effect, λ = 2 twice as strong (on the log scale); \
        RR is the relative risk on the transition the effect acts on.",

    acct_taakveld: "taakveld {code}{name}",
    acct_other: "{code}{name} ({funder})",
    subj_per_year: "The claimed saving on {account}",
    subj_pv: "The claimed saving (present value) on {account}",
    subj_total: "The claimed total saving (present value, all funders)",
    subj_bcr: "The claimed benefit/cost ratio",
    subj_starts: "The claimed number of avoided care trajectories in {chain}",
    subj_social_pv: "The claimed social value (present value of health and wellbeing in euros)",
    subj_bcr_societal: "The claimed social benefit/cost ratio",
    sent_claim: "{subject} ({claimed}) is reached {freq}.",
    freq_none: "in no draw",
    freq_lt1: "in fewer than 1 of 100 draws",
    freq_k: "in {k} of 100 draws",
    freq_gt99: "in more than 99 of 100 draws",
    freq_all: "in every draw",
    freq_unknown: "in an unknown number of draws",
    funder_other: "funder {funder}",
    sent_not_feasible: "Even with the strongest effect searched (λ = {lambda}) this claim is not reached in half \
        of the draws.",
    flag_bcr: "The claimed benefit/cost ratio ({claimed}) lies above the published range for the social domain \
        ({lo}–{hi}; SEOR 2020, Regioplan 2011, Sinzer 2015).",
    flag_bcr_review: "That is more than {review}, far above the published business cases (meta-analysis of social \
        work, SEOR 2020): such a claim calls for a review of its evidence.",
    flag_other: "Flag on {label}: {flag}.",
    flag_cash_bcr: "The claimed financial benefit/cost ratio ({claimed}) lies above the published range for the \
        social domain ({lo}–{hi}; SEOR 2020, Regioplan 2011, Sinzer 2015). Those studies count health and wellbeing \
        as benefits too; a ratio of avoided costs alone above that range needs even stronger evidence and a review \
        of its grounds.",
    sent_funder_npv: "For {funder} the net present value is {mean} on average (P10–P90: {p10} to {p90}); \
        it is positive {freq}.",
    sent_npv: "Over all funders together the net present value is {mean} on average (P10–P90: {p10} to {p90}).",
    sent_bcr: "Every euro put into the initiative yields {bcr} euros of avoided costs on average \
        (P10–P90: {p10} to {p90}).",
    sent_break_even: "The investment of {funder} pays for itself (on average) at an effect of {effects}; \
        λ = {lambda}.",
    be_effect: "RR {rr} on {transition} (assumed: {mean})",
    be_stronger: "The effect must therefore be stronger than assumed.",
    be_weaker: "The assumed effect is therefore stronger than needed to break even.",
    be_same: "That is about the assumed effect.",
    sent_no_break_even: "Within the searched range of effects (up to λ = {lambda}) the investment of {funder} \
        does not pay for itself.",

    charts_intro: "Per claim the distribution of the simulated value over {draws} draws. The black line is the \
        claim; blue are the draws that reach the claim, grey the draws that stay below it.",
    legend_below: "below the claim",
    legend_reached: "claim reached",
    legend_claim: "claim",
    axis_draws: "Number of draws",
    axis_per_year: "Saving per year",
    axis_pv: "Saving, present value",
    axis_total: "Total saving, present value",
    axis_bcr: "Benefit/cost ratio",
    axis_starts: "Avoided care trajectories",
    axis_social_pv: "Social value, present value",
    axis_bcr_societal: "Social benefit/cost ratio",
    unit_eur: "€",
    unit_eur_mln: "€ mln",
    unit_count: "number",
    chart_summary: "simulated P10–P90 {p10} – {p90}, median {p50}; claim {claimed}, reached {freq}",
    chart_aria: "Distribution of {label} over {draws} draws: {summary}",
    col_bin: "Class",
    col_count: "Number of draws",
    table_alt: "Table for this chart",
    no_histogram: "No distribution available.",

    h_effects: "Effects",
    col_effect: "Effect",
    col_transition: "Transition",
    col_ages: "Ages",
    col_distribution: "Distribution",
    col_mean: "Mean (P5–P95)",
    col_cost_mean: "Mean",
    col_source: "Source",
    col_duration: "Duration",
    duration: "{years} years after taking part, fading {drop} per year",
    h_costs: "Costs",
    col_account: "Account",
    col_basis: "Basis",
    col_amount: "Amount",
    basis_per_year: "per year",
    basis_per_participant: "per participant",
    h_sroi: "SROI corrections",
    sroi_none: "No corrections for deadweight, attribution or displacement.",
    h_method: "Verdict and calculation",
    thresholds: "Verdict: realistic at P ≥ {r}, optimistic at {o} ≤ P < {r}, unrealistic at P < {o}; \
        P is the chance that the claim is reached.",
    method: "Calculated with {draws} draws in {mode}; the needed effects and the break-even effect with \
        {solve_draws} draws per evaluation (cohort mode).",
    mode_cohort: "cohort mode (expected numbers; the uncertainty lies in the parameters)",
    mode_stochastic: "stochastic mode (whole persons, with chance per person)",

    s_levels: "Financial and social",
    levels_intro: "The initiative's business case over all funders together, at two levels \
        (mean and 90 % interval over {draws} draws).",
    col_level: "Level",
    col_npv_mean: "Net present value",
    col_npv_range: "NPV P5–P95",
    col_bcr_mean: "Benefit/cost",
    col_bcr_range: "B/C P5–P95",
    col_p_npv: "Chance NPV > 0",
    level_financieel: "financial",
    level_maatschappelijk: "social",
    levels_explain: "The social B/C counts, besides avoided costs, health gained (QALYs) and wellbeing (WELLBYs) \
        in euros; the financial B/C only money that funders save.",
    h_pm: "PM items (not expressed in money)",
    pm_none: "No PM items named.",
    pm_unvalued: "{outcome} (counted, not valued in euros)",
    sroi_deadweight: "deadweight",
    sroi_attribution: "attribution",
    sroi_displacement: "displacement",

    reproduce_intro: "With the same input files, the same version and the same seed this command gives the same \
        result.",
    col_field: "Field",
    col_value: "Value",
    row_command: "Command",
    row_application: "Application",
    row_version: "Version",
    row_seed: "Seed",
    row_draws: "Draws",
    row_prng: "Random number generator",
    col_file: "File",
    footer: "Made with wijkimpact {version}. This page tests the application's assumptions against the available \
        evidence; it is not a judgement of the initiative's worth.",
};

/// Funders as an English sentence names them; any other funder is "funder {name}".
pub(crate) const FUNDERS_EN: [(&str, &str); 5] = [
    ("gemeente", "the municipality"),
    ("zorgverzekeraar", "the health insurer"),
    ("rijk", "the national government"),
    ("woningcorporatie", "the housing association"),
    ("uwv", "the UWV"),
];
