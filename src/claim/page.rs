//! The one-page summary of a claim check for the fund committee, in Dutch:
//! self-contained HTML ([`html`]: inline CSS and SVG, no scripts, no external
//! resources) and GitHub-flavoured Markdown ([`markdown`]) with the same
//! content.
//!
//! Both renderers lay out one `Page` built from the [`ClaimReport`], so they
//! cannot disagree about a number; every word is in `T` at the top of this
//! file and every number is formatted by [`Lang::Nl`]. Order: title and
//! application, verdict per claim, plain sentences, one chart per claim (HTML
//! only; Markdown has a one-line summary), assumptions, how to reproduce.

use super::result::{ClaimKind, ClaimOutcome, ClaimReport, Solve, Spread, Verdict};
use crate::report::charts::{self, ChartError, Frame};
use crate::report::html::{esc, figure, shell_word, table, table_with_class};
use crate::report::text::{fill, Lang};

/// The committee reads Dutch.
const L: Lang = Lang::Nl;

/// Every word of the committee page. Templates carry `{name}` placeholders
/// filled by [`fill`].
struct Texts {
    title: &'static str,
    applicant: &'static str,
    meta: &'static str,
    profile: &'static str,
    years_one: &'static str,
    years_many: &'static str,
    per_year: &'static str,

    s_verdict: &'static str,
    s_explain: &'static str,
    s_charts: &'static str,
    s_assumptions: &'static str,
    s_reproduce: &'static str,

    col_claim: &'static str,
    col_claimed: &'static str,
    col_p: &'static str,
    col_range: &'static str,
    median: &'static str,
    col_verdict: &'static str,
    col_needed: &'static str,
    realistisch: &'static str,
    optimistisch: &'static str,
    onrealistisch: &'static str,
    not_feasible: &'static str,
    no_solve: &'static str,
    verdict_note: &'static str,

    acct_taakveld: &'static str,
    acct_other: &'static str,
    subj_per_year: &'static str,
    subj_pv: &'static str,
    subj_total: &'static str,
    subj_bcr: &'static str,
    subj_starts: &'static str,
    sent_claim: &'static str,
    freq_none: &'static str,
    freq_lt1: &'static str,
    freq_k: &'static str,
    freq_gt99: &'static str,
    freq_all: &'static str,
    freq_unknown: &'static str,
    funder_other: &'static str,
    sent_not_feasible: &'static str,
    flag_bcr: &'static str,
    flag_bcr_review: &'static str,
    flag_other: &'static str,
    sent_funder_npv: &'static str,
    sent_npv: &'static str,
    sent_bcr: &'static str,
    sent_break_even: &'static str,
    be_effect: &'static str,
    be_stronger: &'static str,
    be_weaker: &'static str,
    be_same: &'static str,
    sent_no_break_even: &'static str,

    charts_intro: &'static str,
    legend_below: &'static str,
    legend_reached: &'static str,
    legend_claim: &'static str,
    axis_draws: &'static str,
    axis_per_year: &'static str,
    axis_pv: &'static str,
    axis_total: &'static str,
    axis_bcr: &'static str,
    axis_starts: &'static str,
    unit_eur: &'static str,
    unit_eur_mln: &'static str,
    unit_count: &'static str,
    chart_summary: &'static str,
    chart_aria: &'static str,
    col_bin: &'static str,
    col_count: &'static str,
    table_alt: &'static str,
    no_histogram: &'static str,

    h_effects: &'static str,
    col_effect: &'static str,
    col_transition: &'static str,
    col_ages: &'static str,
    col_distribution: &'static str,
    col_mean: &'static str,
    col_cost_mean: &'static str,
    col_source: &'static str,
    col_duration: &'static str,
    duration: &'static str,
    h_costs: &'static str,
    col_account: &'static str,
    col_basis: &'static str,
    col_amount: &'static str,
    basis_per_year: &'static str,
    basis_per_participant: &'static str,
    h_sroi: &'static str,
    sroi_none: &'static str,
    h_method: &'static str,
    thresholds: &'static str,
    method: &'static str,
    mode_cohort: &'static str,
    mode_stochastic: &'static str,

    reproduce_intro: &'static str,
    col_field: &'static str,
    col_value: &'static str,
    row_command: &'static str,
    row_application: &'static str,
    row_version: &'static str,
    row_seed: &'static str,
    row_draws: &'static str,
    row_prng: &'static str,
    col_file: &'static str,
    footer: &'static str,
}

const T: Texts = Texts {
    title: "Toets van de claim: {name}",
    applicant: "Aanvrager: {applicant}",
    meta: "Doelgroep: {group} · {years} · {participants} deelnemers per jaar · {profile}",
    profile: "kansen van stadsdeel {profile}",
    years_one: "1 jaar ({start})",
    years_many: "{years} jaar vanaf {start}",
    per_year: "per jaar",

    s_verdict: "Oordeel per claim",
    s_explain: "Toelichting",
    s_charts: "Claim tegenover de simulatie",
    s_assumptions: "Aannames",
    s_reproduce: "Reproduceren",

    col_claim: "Claim",
    col_claimed: "Geclaimd",
    col_p: "Kans gehaald (± MCSE)",
    col_range: "Realistisch bereik (P10–P90) en mediaan",
    median: "mediaan {p50}",
    col_verdict: "Oordeel",
    col_needed: "Effect nodig voor 50 % kans",
    realistisch: "realistisch",
    optimistisch: "optimistisch",
    onrealistisch: "onrealistisch",
    not_feasible: "niet haalbaar binnen het onderzochte bereik",
    no_solve: "–",
    verdict_note: "Kans: het aandeel van de {draws} trekkingen waarin de gesimuleerde waarde minstens de claim is, \
        met de Monte Carlo-standaardfout (MCSE). Realistisch bereik: 8 van de 10 trekkingen liggen tussen P10 en P90. \
        Effect nodig: het effect waarbij de claim in de helft van de trekkingen gehaald wordt. \
        λ = 1 is het aangenomen effect, λ = 0 geen effect, λ = 2 tweemaal zo sterk (op logschaal); \
        RR is het relatieve risico op de overgang waar het effect op werkt.",

    acct_taakveld: "taakveld {code}{name}",
    acct_other: "{code}{name} ({funder})",
    subj_per_year: "De geclaimde besparing op {account}",
    subj_pv: "De geclaimde besparing (contante waarde) op {account}",
    subj_total: "De geclaimde totale besparing (contante waarde, alle financiers)",
    subj_bcr: "De geclaimde baten/kostenverhouding",
    subj_starts: "Het geclaimde aantal voorkomen zorgtrajecten in {chain}",
    sent_claim: "{subject} ({claimed}) wordt {freq} gehaald.",
    freq_none: "in geen enkele trekking",
    freq_lt1: "in minder dan 1 van de 100 trekkingen",
    freq_k: "in {k} van de 100 trekkingen",
    freq_gt99: "in meer dan 99 van de 100 trekkingen",
    freq_all: "in alle trekkingen",
    freq_unknown: "in een onbekend aantal trekkingen",
    funder_other: "financier {funder}",
    sent_not_feasible: "Ook met het sterkste onderzochte effect (λ = {lambda}) wordt deze claim niet in de helft \
        van de trekkingen gehaald.",
    flag_bcr: "De geclaimde baten/kostenverhouding ({claimed}) ligt boven de gepubliceerde bandbreedte voor het \
        sociaal domein ({lo}–{hi}, FACTS §3.2).",
    flag_bcr_review: "Dat is meer dan {review}: volgens FACTS §3.2 vraagt zo'n claim om een inhoudelijke toetsing \
        van de onderbouwing.",
    flag_other: "Signaal bij {label}: {flag}.",
    sent_funder_npv: "Voor {funder} is de netto contante waarde gemiddeld {mean} (P10–P90: {p10} tot {p90}); \
        die is {freq} positief.",
    sent_npv: "Over alle financiers samen is de netto contante waarde gemiddeld {mean} (P10–P90: {p10} tot {p90}).",
    sent_bcr: "Elke euro die in het initiatief gaat, levert gemiddeld {bcr} euro aan vermeden kosten op \
        (P10–P90: {p10} tot {p90}).",
    sent_break_even: "De investering van {funder} verdient zich (gemiddeld) terug bij een effect van {effects}; \
        λ = {lambda}.",
    be_effect: "RR {rr} op {transition} (aangenomen: {mean})",
    be_stronger: "Het effect moet dus sterker zijn dan aangenomen.",
    be_weaker: "Het aangenomen effect is dus sterker dan nodig om quitte te spelen.",
    be_same: "Dat is ongeveer het aangenomen effect.",
    sent_no_break_even: "Binnen het onderzochte bereik van effecten (tot λ = {lambda}) verdient de investering van \
        {funder} zich niet terug.",

    charts_intro: "Per claim de verdeling van de gesimuleerde waarde over {draws} trekkingen. De zwarte lijn is de \
        claim; blauw zijn de trekkingen die de claim halen, grijs de trekkingen die eronder blijven.",
    legend_below: "onder de claim",
    legend_reached: "claim gehaald",
    legend_claim: "claim",
    axis_draws: "Aantal trekkingen",
    axis_per_year: "Besparing per jaar",
    axis_pv: "Besparing, contante waarde",
    axis_total: "Totale besparing, contante waarde",
    axis_bcr: "Baten/kostenverhouding",
    axis_starts: "Voorkomen zorgtrajecten",
    unit_eur: "€",
    unit_eur_mln: "€ mln",
    unit_count: "aantal",
    chart_summary: "gesimuleerd P10–P90 {p10} – {p90}, mediaan {p50}; claim {claimed}, {freq} gehaald",
    chart_aria: "Verdeling van {label} over {draws} trekkingen: {summary}",
    col_bin: "Klasse",
    col_count: "Aantal trekkingen",
    table_alt: "Tabel bij deze grafiek",
    no_histogram: "Geen verdeling beschikbaar.",

    h_effects: "Effecten",
    col_effect: "Effect",
    col_transition: "Overgang",
    col_ages: "Leeftijden",
    col_distribution: "Verdeling",
    col_mean: "Gemiddelde (P5–P95)",
    col_cost_mean: "Gemiddeld",
    col_source: "Bron",
    col_duration: "Duur",
    duration: "{years} jaar na deelname, uitdoving {drop} per jaar",
    h_costs: "Kosten",
    col_account: "Post",
    col_basis: "Grondslag",
    col_amount: "Bedrag",
    basis_per_year: "per jaar",
    basis_per_participant: "per deelnemer",
    h_sroi: "SROI-correcties",
    sroi_none: "Geen correcties voor deadweight, attributie of verdringing.",
    h_method: "Oordeel en berekening",
    thresholds: "Oordeel: realistisch bij P ≥ {r}, optimistisch bij {o} ≤ P < {r}, onrealistisch bij P < {o}; \
        P is de kans dat de claim gehaald wordt.",
    method: "Berekend met {draws} trekkingen in {mode}; de benodigde effecten en het terugverdieneffect met \
        {solve_draws} trekkingen per evaluatie (cohortmodus).",
    mode_cohort: "cohortmodus (verwachte aantallen; de onzekerheid zit in de parameters)",
    mode_stochastic: "stochastische modus (hele personen, met toeval per persoon)",

    reproduce_intro: "Met dezelfde invoerbestanden, dezelfde versie en dezelfde seed geeft deze opdracht dezelfde \
        uitkomst.",
    col_field: "Veld",
    col_value: "Waarde",
    row_command: "Opdracht",
    row_application: "Aanvraag",
    row_version: "Versie",
    row_seed: "Seed",
    row_draws: "Trekkingen",
    row_prng: "Toevalsgenerator",
    col_file: "Bestand",
    footer: "Gemaakt met wijkimpact {version}. Deze pagina toetst de aannames van de aanvraag tegen de beschikbare \
        onderbouwing; het is geen oordeel over de waarde van het initiatief.",
};

/// Funders as a sentence names them; any other funder is "financier {name}".
const FUNDERS: [(&str, &str); 5] = [
    ("gemeente", "de gemeente"),
    ("zorgverzekeraar", "de zorgverzekeraar"),
    ("rijk", "het Rijk"),
    ("woningcorporatie", "de woningcorporatie"),
    ("uwv", "het UWV"),
];

const CSS: &str = "
:root { --ink: #1d1d1b; --muted: #5b5b5b; --line: #d6d6d6; --band: #f4f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif;
       color: var(--ink); margin: 0; line-height: 1.45; background: #fff; font-size: 15px; }
main { max-width: 1040px; margin: 0 auto; padding: 20px 24px 48px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 10px; padding-bottom: 6px; }
h1 { font-size: 1.6em; margin: 0.1em 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.3em 0 0.4em; border-bottom: 1px solid var(--line); padding-bottom: 3px; }
h3 { font-size: 1em; margin: 0.9em 0 0.3em; }
p { margin: 0.35em 0; }
p.applicant { font-weight: 600; }
.meta, .muted, .note { color: var(--muted); }
.note { font-size: 0.85em; }
div.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.88em; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
table.verdicts { width: 100%; }
table.verdicts td:first-child { font-weight: 600; min-width: 9em; }
table.verdicts td.n { white-space: normal; }
table.effects code, table.costs code { word-break: normal; overflow-wrap: break-word; }
table.verdicts td .muted { font-weight: 400; font-size: 0.85em; }
.badge { display: inline-block; white-space: nowrap; font-weight: 700; padding: 0 8px; border-radius: 10px;
         border: 2px solid; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.realistisch { color: #00486f; background: #e1f0fa; border-color: #0072B2; }
.badge.optimistisch { color: #5c3f00; background: #fcefcf; border-color: #E69F00; border-style: dashed; }
.badge.onrealistisch { color: #7a3500; background: #fbe3d4; border-color: #D55E00; border-width: 3px; border-style: double; }
.sentences p { margin: 0.3em 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 4px 24px; }
.claim-chart { break-inside: avoid; }
figure.chart { margin: 4px 0 10px; }
figure.chart figcaption { font-size: 0.85em; color: var(--muted); }
svg.chart-svg { max-width: 100%; height: auto; display: block; }
details { margin: 2px 0 8px; font-size: 0.9em; }
details summary { cursor: pointer; color: var(--accent); }
code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 0.82em; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 0.82em; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  div.table-wrap { overflow: visible; }
  th, td { padding: 2px 5px; }
  details summary { color: var(--muted); }
  #verdeling { break-before: page; }
  .charts { grid-template-columns: 1fr 1fr; }
}
";

// ------------------------------------------------------------- model ----

/// A table cell, escaped by each renderer in its own way.
enum Cell {
    Text(String),
    /// A number (right-aligned when its column's header starts with `#`).
    Num(String),
    Code(String),
    /// Main text with an optional muted second line.
    Label(String, Option<String>),
    Lines(Vec<String>),
    Verdict(Verdict),
}

/// A table: header cells starting with `#` are numeric columns.
struct Table {
    class: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// The text of one claim's chart.
struct ChartText {
    title: String,
    summary: String,
    aria: String,
    x_label: String,
    unit: f64,
}

/// Everything on the page except the SVG charts, as plain (unescaped) text.
struct Page {
    title: String,
    applicant: String,
    description: String,
    meta: String,
    verdicts: Table,
    verdict_note: String,
    sentences: Vec<String>,
    charts_intro: String,
    charts: Vec<ChartText>,
    effects: Table,
    costs: Table,
    sroi: Vec<String>,
    method: Vec<String>,
    reproduce_intro: String,
    reproduce: Table,
    inputs: Table,
    footer: String,
}

impl Page {
    fn new(r: &ClaimReport) -> Page {
        let a = &r.application;
        let draws = L.num(r.run.draws as f64, 0);
        let years = if a.years == 1 {
            fill(T.years_one, &[("start", &a.start_year.to_string())])
        } else {
            fill(T.years_many, &[("years", &a.years.to_string()), ("start", &a.start_year.to_string())])
        };
        let meta = fill(
            T.meta,
            &[
                ("group", &a.target_group.join(", ")),
                ("years", &years),
                ("participants", &trimmed(a.participants_per_year, 1)),
                ("profile", &fill(T.profile, &[("profile", &a.profile)])),
            ],
        );
        Page {
            title: fill(T.title, &[("name", &a.name)]),
            applicant: fill(T.applicant, &[("applicant", &a.applicant)]),
            description: a.description.clone(),
            meta,
            verdicts: verdict_table(r),
            verdict_note: fill(T.verdict_note, &[("draws", &draws)]),
            sentences: sentences(r),
            charts_intro: fill(T.charts_intro, &[("draws", &draws)]),
            charts: r.claims.iter().map(|c| chart_text(r, c)).collect(),
            effects: effects_table(r),
            costs: costs_table(r),
            sroi: r.application.sroi.clone(),
            method: method(r),
            reproduce_intro: T.reproduce_intro.into(),
            reproduce: reproduce_table(r),
            inputs: Table {
                class: "",
                header: vec![T.col_file.into(), "SHA-256".into()],
                rows: r.run.inputs.iter().map(|(f, h)| vec![Cell::Code(f.clone()), Cell::Code(h.clone())]).collect(),
            },
            footer: fill(T.footer, &[("version", &r.run.engine_version)]),
        }
    }
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Realistisch => T.realistisch,
        Verdict::Optimistisch => T.optimistisch,
        Verdict::Onrealistisch => T.onrealistisch,
    }
}

/// A symbol that goes with the verdict word, so the badge differs in shape as well as colour.
fn verdict_symbol(v: Verdict) -> &'static str {
    match v {
        Verdict::Realistisch => "✓",
        Verdict::Optimistisch => "!",
        Verdict::Onrealistisch => "✗",
    }
}

/// `x` with at most `decimals` decimals, trailing zeros dropped: `2,50` → `2,5`.
fn trimmed(x: f64, decimals: usize) -> String {
    let s = L.num(x, decimals);
    if s.contains(',') {
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    } else {
        s
    }
}

/// `x` rounded to `digits` significant digits: simulated figures are not known
/// to the euro, so the page does not pretend they are.
fn round_sig(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// A simulated value in the claim's unit: euros to three significant digits.
fn simulated(unit: &str, x: f64) -> f64 {
    if unit.starts_with("eur") {
        round_sig(x, 3)
    } else {
        x
    }
}

/// Euro amounts of one sentence in one form: whole euros to three significant
/// digits, or millions when any of them reaches a million.
fn money(xs: &[f64]) -> Vec<String> {
    if xs.iter().any(|x| x.abs() >= 1e6) {
        xs.iter().map(|&x| L.eur_short(x)).collect()
    } else {
        xs.iter().map(|&x| L.eur(round_sig(x, 3))).collect()
    }
}

/// A value in the claim's unit without a "per year".
fn plain(unit: &str, x: f64) -> String {
    match unit {
        "eur" | "eur_per_year" => L.eur(x),
        "ratio" => L.num(x, 2),
        "count" => L.num(x, 1),
        other => format!("{} {other}", trimmed(x, 2)),
    }
}

/// A value in the claim's unit: `€ 12.000`, `€ 12.000 per jaar`, `2,50`, `3,0`.
fn value(unit: &str, x: f64) -> String {
    if unit == "eur_per_year" {
        format!("{} {}", plain(unit, x), T.per_year)
    } else {
        plain(unit, x)
    }
}

/// A range in the claim's unit: `€ 2.000 – € 9.000 per jaar`.
fn range(unit: &str, a: f64, b: f64) -> String {
    let r = format!("{} – {}", plain(unit, simulated(unit, a)), plain(unit, simulated(unit, b)));
    if unit == "eur_per_year" {
        format!("{r} {}", T.per_year)
    } else {
        r
    }
}

/// A probability for a table: whole percents, but never a misleading 0 % or 100 %.
fn share(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        format!("<\u{a0}{}", L.pct(0.01, 0))
    } else if p < 1.0 && p > 0.995 {
        format!(">\u{a0}{}", L.pct(0.99, 0))
    } else {
        L.pct(p, 0)
    }
}

/// How often, in words: "in 23 van de 100 trekkingen".
fn freq(p: f64) -> String {
    let k = (p * 100.0).round();
    if !p.is_finite() {
        T.freq_unknown.into()
    } else if p <= 0.0 {
        T.freq_none.into()
    } else if k < 1.0 {
        T.freq_lt1.into()
    } else if p >= 1.0 {
        T.freq_all.into()
    } else if k >= 100.0 {
        T.freq_gt99.into()
    } else {
        fill(T.freq_k, &[("k", &format!("{k:.0}"))])
    }
}

/// A funder as a sentence names it: `de gemeente`.
fn funder_text(funder: &str) -> String {
    match FUNDERS.iter().find(|(k, _)| k.eq_ignore_ascii_case(funder)) {
        Some((_, v)) => v.to_string(),
        None => fill(T.funder_other, &[("funder", funder)]),
    }
}

/// The account of a savings claim for people: `taakveld 6.72 Maatwerkdienstverlening 18-`.
fn account_text(c: &ClaimOutcome) -> String {
    let Some(acc) = &c.account else { return c.label.clone() };
    let (funder, code) = acc.split_once('/').unwrap_or(("", acc));
    // The taakveld's name, unless empty or already starting with the code.
    let (code, name) = match c.account_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) if n.starts_with(code) => (n, String::new()),
        Some(n) => (code, format!(" {n}")),
        None => (code, String::new()),
    };
    if funder.is_empty() || funder == "gemeente" {
        fill(T.acct_taakveld, &[("code", code), ("name", &name)])
    } else {
        fill(T.acct_other, &[("code", code), ("name", &name), ("funder", funder)])
    }
}

/// The needed effect: `λ = 1,45` and the RR of every effect, or why there is none.
fn needed_lines(s: Option<&Solve>) -> Vec<String> {
    match s {
        None => vec![T.no_solve.into()],
        Some(s) if !s.found => vec![T.not_feasible.into()],
        Some(s) => {
            let mut out = vec![format!("λ\u{a0}=\u{a0}{}", L.num(s.multiplier, 2))];
            out.extend(s.effects.iter().map(|e| format!("{}: RR\u{a0}{}", e.name, L.num(e.rr, 2))));
            out
        }
    }
}

fn verdict_table(r: &ClaimReport) -> Table {
    let rows = r
        .claims
        .iter()
        .map(|c| {
            let sub = c.account.as_ref().map(|_| account_text(c));
            let p = if c.mcse > 0.0 {
                format!("{}\u{a0}±\u{a0}{}", share(c.p_reached), L.pct(c.mcse, 1))
            } else {
                share(c.p_reached)
            };
            vec![
                Cell::Label(c.label.clone(), sub),
                Cell::Num(value(&c.unit, c.claimed)),
                Cell::Num(p),
                Cell::Lines(vec![
                    range(&c.unit, c.p10, c.p90),
                    fill(T.median, &[("p50", &value(&c.unit, simulated(&c.unit, c.p50)))]),
                ]),
                Cell::Verdict(c.verdict),
                Cell::Lines(needed_lines(c.needed_effect.as_ref())),
            ]
        })
        .collect();
    Table {
        class: "verdicts",
        header: vec![
            T.col_claim.into(),
            format!("#{}", T.col_claimed),
            format!("#{}", T.col_p),
            format!("#{}", T.col_range),
            T.col_verdict.into(),
            T.col_needed.into(),
        ],
        rows,
    }
}

fn claim_sentence(c: &ClaimOutcome) -> String {
    let subject = match c.kind {
        ClaimKind::SavingsPerYear => fill(T.subj_per_year, &[("account", &account_text(c))]),
        ClaimKind::SavingsPv => fill(T.subj_pv, &[("account", &account_text(c))]),
        ClaimKind::SavingsTotalPv => T.subj_total.into(),
        ClaimKind::Bcr => T.subj_bcr.into(),
        ClaimKind::AvoidedStarts => fill(T.subj_starts, &[("chain", c.chain.as_deref().unwrap_or(c.label.as_str()))]),
    };
    fill(T.sent_claim, &[("subject", &subject), ("claimed", &value(&c.unit, c.claimed)), ("freq", &freq(c.p_reached))])
}

/// The plain sentences: one per claim (with its flags), then the funder's
/// NPV, all funders' NPV, the B/C ratio and the break-even effect.
fn sentences(r: &ClaimReport) -> Vec<String> {
    let mut out = vec![];
    for c in &r.claims {
        let mut s = claim_sentence(c);
        if let Some(n) = c.needed_effect.as_ref().filter(|n| !n.found) {
            s.push(' ');
            s.push_str(&fill(T.sent_not_feasible, &[("lambda", &L.num(n.multiplier, 2))]));
        }
        out.push(s);
        for f in &c.flags {
            out.push(match f.as_str() {
                "bcr_above_published_range" => fill(
                    T.flag_bcr,
                    &[
                        ("claimed", &value(&c.unit, c.claimed)),
                        ("lo", &trimmed(r.published_bcr_range.0, 2)),
                        ("hi", &trimmed(r.published_bcr_range.1, 2)),
                    ],
                ),
                "bcr_far_above_published_range" => {
                    fill(T.flag_bcr_review, &[("review", &trimmed(crate::claim::check::BCR_REVIEW, 1))])
                }
                other => fill(T.flag_other, &[("label", &c.label), ("flag", other)]),
            });
        }
    }
    let spread = |tpl: &str, s: &Spread, extra: &[(&str, &str)]| {
        let mut v: Vec<(&str, &str)> = extra.to_vec();
        let m = money(&[s.mean, s.p10, s.p90]);
        let f = freq(s.p_positive);
        v.extend([("mean", m[0].as_str()), ("p10", m[1].as_str()), ("p90", m[2].as_str()), ("freq", f.as_str())]);
        fill(tpl, &v)
    };
    let funder = funder_text(&r.application.funder);
    if r.funder_npv.mean.is_finite() {
        out.push(spread(T.sent_funder_npv, &r.funder_npv, &[("funder", &funder)]));
    }
    if r.npv.mean.is_finite() {
        out.push(spread(T.sent_npv, &r.npv, &[]));
    }
    if r.bcr.mean.is_finite() {
        out.push(fill(
            T.sent_bcr,
            &[("bcr", &L.num(r.bcr.mean, 2)), ("p10", &L.num(r.bcr.p10, 2)), ("p90", &L.num(r.bcr.p90, 2))],
        ));
    }
    out.push(break_even_sentence(r));
    out
}

fn break_even_sentence(r: &ClaimReport) -> String {
    let be = &r.break_even;
    let funder = funder_text(&r.application.funder);
    let funder = funder.as_str();
    let lambda = L.num(be.multiplier, 2);
    if !be.found {
        // `note` is for machines (English, in claim.json); the sentence says it in Dutch.
        return fill(T.sent_no_break_even, &[("lambda", &lambda), ("funder", funder)]);
    }
    let effects: Vec<String> = be
        .effects
        .iter()
        .map(|e| {
            let info = r.application.effects.iter().find(|i| i.name == e.name);
            fill(
                T.be_effect,
                &[
                    ("rr", &L.num(e.rr, 2)),
                    ("transition", info.map_or(e.name.as_str(), |i| i.transition.as_str())),
                    ("mean", &info.map_or("–".into(), |i| L.num(i.mean, 2))),
                ],
            )
        })
        .collect();
    let effects = match effects.split_last() {
        None => format!("λ = {lambda}"),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
    };
    let s = fill(T.sent_break_even, &[("funder", funder), ("effects", &effects), ("lambda", &lambda)]);
    let how = if (be.multiplier - 1.0).abs() < 0.05 {
        T.be_same
    } else if be.multiplier > 1.0 {
        T.be_stronger
    } else {
        T.be_weaker
    };
    format!("{s} {how}")
}

/// Divisor and unit word of a claim's chart axis.
fn axis_unit(c: &ClaimOutcome) -> (f64, &'static str) {
    match c.unit.as_str() {
        "eur" | "eur_per_year" => {
            let m = c.histogram.edges.iter().chain([&c.claimed]).fold(0f64, |m, x| m.max(x.abs()));
            if m >= 1e6 {
                (1e6, T.unit_eur_mln)
            } else {
                (1.0, T.unit_eur)
            }
        }
        "count" => (1.0, T.unit_count),
        _ => (1.0, ""),
    }
}

fn chart_text(r: &ClaimReport, c: &ClaimOutcome) -> ChartText {
    let axis = match c.kind {
        ClaimKind::SavingsPerYear => T.axis_per_year,
        ClaimKind::SavingsPv => T.axis_pv,
        ClaimKind::SavingsTotalPv => T.axis_total,
        ClaimKind::Bcr => T.axis_bcr,
        ClaimKind::AvoidedStarts => T.axis_starts,
    };
    let (unit, word) = axis_unit(c);
    let x_label = if word.is_empty() { axis.to_string() } else { format!("{axis} ({word})") };
    let summary = fill(
        T.chart_summary,
        &[
            ("p10", &plain(&c.unit, simulated(&c.unit, c.p10))),
            ("p90", &plain(&c.unit, simulated(&c.unit, c.p90))),
            ("p50", &plain(&c.unit, simulated(&c.unit, c.p50))),
            ("claimed", &value(&c.unit, c.claimed)),
            ("freq", &freq(c.p_reached)),
        ],
    );
    let aria =
        fill(T.chart_aria, &[("label", &c.label), ("draws", &L.num(r.run.draws as f64, 0)), ("summary", &summary)]);
    let title = match (&c.account, c.kind) {
        (Some(_), _) => format!("{} – {}", c.label, account_text(c)),
        _ => c.label.clone(),
    };
    ChartText { title, summary, aria, x_label, unit }
}

fn effects_table(r: &ClaimReport) -> Table {
    let rows = r
        .application
        .effects
        .iter()
        .map(|e| {
            vec![
                Cell::Code(e.name.clone()),
                Cell::Text(e.transition.clone()),
                Cell::Text(e.ages.clone()),
                Cell::Text(e.distribution.clone()),
                Cell::Num(format!("{} ({} – {})", L.num(e.mean, 2), L.num(e.p5, 2), L.num(e.p95, 2))),
                Cell::Text(e.source.clone()),
                Cell::Text(fill(
                    T.duration,
                    &[("years", &e.persistence_years.to_string()), ("drop", &L.pct(e.drop_off, 0))],
                )),
            ]
        })
        .collect();
    Table {
        class: "effects",
        header: vec![
            T.col_effect.into(),
            T.col_transition.into(),
            T.col_ages.into(),
            T.col_distribution.into(),
            format!("#{}", T.col_mean),
            T.col_source.into(),
            T.col_duration.into(),
        ],
        rows,
    }
}

fn costs_table(r: &ClaimReport) -> Table {
    let rows = r
        .application
        .costs
        .iter()
        .map(|c| {
            let basis = match c.basis.as_str() {
                "per_year" => T.basis_per_year.to_string(),
                "per_participant" => T.basis_per_participant.to_string(),
                other => other.to_string(),
            };
            vec![
                Cell::Code(c.account.clone()),
                Cell::Text(basis),
                Cell::Text(c.amount.clone()),
                Cell::Num(L.eur(c.mean)),
            ]
        })
        .collect();
    Table {
        class: "costs",
        header: vec![T.col_account.into(), T.col_basis.into(), T.col_amount.into(), format!("#{}", T.col_cost_mean)],
        rows,
    }
}

fn method(r: &ClaimReport) -> Vec<String> {
    let th = &r.thresholds;
    let mode = match r.run.mode.as_str() {
        "cohort" => T.mode_cohort.to_string(),
        "stochastic" => T.mode_stochastic.to_string(),
        other => other.to_string(),
    };
    vec![
        fill(T.thresholds, &[("r", &L.pct(th.realistic, 0)), ("o", &L.pct(th.optimistic, 0))]),
        fill(
            T.method,
            &[
                ("draws", &L.num(r.run.draws as f64, 0)),
                ("mode", &mode),
                ("solve_draws", &L.num(r.run.solve_draws as f64, 0)),
            ],
        ),
    ]
}

fn reproduce_table(r: &ClaimReport) -> Table {
    let cmd = r.run.command_line.iter().map(|w| shell_word(w)).collect::<Vec<_>>().join(" ");
    let row = |k: &str, v: Cell| vec![Cell::Text(k.into()), v];
    Table {
        class: "",
        header: vec![T.col_field.into(), T.col_value.into()],
        rows: vec![
            row(T.row_command, Cell::Code(cmd)),
            row(T.row_application, Cell::Code(r.application.file.clone())),
            row(T.row_version, Cell::Code(r.run.engine_version.clone())),
            row(T.row_seed, Cell::Code(r.run.seed.to_string())),
            row(T.row_draws, Cell::Code(r.run.draws.to_string())),
            row(T.row_prng, Cell::Code(r.run.prng.clone())),
        ],
    }
}

// -------------------------------------------------------------- HTML ----

/// The committee page as one self-contained Dutch HTML document.
pub fn html(r: &ClaimReport) -> Result<String, ChartError> {
    let p = Page::new(r);
    let mut h = String::with_capacity(64 << 10);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&p.title)
    ));
    h.push_str(&format!("<header>\n<h1>{}</h1>\n<p class=\"applicant\">{}</p>\n", esc(&p.title), esc(&p.applicant)));
    if !p.description.is_empty() {
        h.push_str(&format!("<p>{}</p>\n", esc(&p.description)));
    }
    h.push_str(&format!("<p class=\"meta\">{}</p>\n</header>\n", esc(&p.meta)));

    section(&mut h, "oordeel", T.s_verdict);
    h.push_str(&html_table(&p.verdicts));
    h.push_str(&format!("<p class=\"note\">{}</p>\n</section>\n", esc(&p.verdict_note)));

    section(&mut h, "toelichting", T.s_explain);
    h.push_str("<div class=\"sentences\">\n");
    for s in &p.sentences {
        h.push_str(&format!("<p>{}</p>\n", esc(s)));
    }
    h.push_str("</div>\n</section>\n");

    section(&mut h, "verdeling", T.s_charts);
    h.push_str(&format!("<p>{}</p>\n<div class=\"charts\">\n", esc(&p.charts_intro)));
    for (c, t) in r.claims.iter().zip(&p.charts) {
        h.push_str(&format!("<div class=\"claim-chart\">\n<h3>{}</h3>\n", esc(&t.title)));
        claim_chart(&mut h, c, t)?;
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</section>\n");

    section(&mut h, "aannames", T.s_assumptions);
    h.push_str(&format!("<h3>{}</h3>\n{}", esc(T.h_effects), html_table(&p.effects)));
    h.push_str(&format!("<h3>{}</h3>\n{}", esc(T.h_costs), html_table(&p.costs)));
    h.push_str(&format!("<h3>{}</h3>\n", esc(T.h_sroi)));
    if p.sroi.is_empty() {
        h.push_str(&format!("<p>{}</p>\n", esc(T.sroi_none)));
    } else {
        h.push_str("<ul>\n");
        for s in &p.sroi {
            h.push_str(&format!("<li>{}</li>\n", esc(s)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str(&format!("<h3>{}</h3>\n", esc(T.h_method)));
    for s in &p.method {
        h.push_str(&format!("<p>{}</p>\n", esc(s)));
    }
    h.push_str("</section>\n");

    section(&mut h, "reproduceren", T.s_reproduce);
    h.push_str(&format!("<p>{}</p>\n", esc(&p.reproduce_intro)));
    h.push_str(&html_table(&p.reproduce));
    if !p.inputs.rows.is_empty() {
        h.push_str(&html_table(&p.inputs));
    }
    h.push_str("</section>\n");
    h.push_str(&format!("<footer>{}</footer>\n</main>\n</body>\n</html>\n", esc(&p.footer)));
    Ok(h)
}

fn section(h: &mut String, id: &str, title: &str) {
    h.push_str(&format!("<section id=\"{id}\">\n<h2>{}</h2>\n", esc(title)));
}

fn html_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) | Cell::Num(s) => esc(s),
        Cell::Code(s) => format!("<code>{}</code>", esc(s)),
        Cell::Label(s, None) => esc(s),
        Cell::Label(s, Some(sub)) => format!("{}<br><span class=\"muted\">{}</span>", esc(s), esc(sub)),
        Cell::Lines(l) => l.iter().map(|s| esc(s)).collect::<Vec<_>>().join("<br>"),
        Cell::Verdict(v) => {
            let w = verdict_word(*v);
            format!(
                "<span class=\"badge {w}\"><span aria-hidden=\"true\">{}</span>\u{a0}{}</span>",
                verdict_symbol(*v),
                esc(w)
            )
        }
    }
}

fn html_table(t: &Table) -> String {
    let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.iter().map(html_cell).collect()).collect();
    if t.class.is_empty() {
        table(&header, &rows)
    } else {
        table_with_class(t.class, &header, &rows)
    }
}

/// One claim's histogram with the claim line, its caption and its table.
fn claim_chart(h: &mut String, c: &ClaimOutcome, t: &ChartText) -> Result<(), ChartError> {
    let hist = &c.histogram;
    if hist.counts.is_empty() || hist.edges.len() != hist.counts.len() + 1 || !c.claimed.is_finite() {
        h.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(T.no_histogram)));
        return Ok(());
    }
    let svg = charts::claim_histogram(
        &Frame { width: 440, height: 260, caption: None, x_label: &t.x_label, y_label: T.axis_draws, aria: &t.aria },
        &hist.edges,
        &hist.counts,
        c.claimed,
        t.unit,
        (T.legend_below, T.legend_reached, T.legend_claim),
        L,
    )?;
    let rows: Vec<Vec<String>> = hist
        .edges
        .windows(2)
        .zip(&hist.counts)
        .map(|(w, &n)| vec![esc(&format!("{} – {}", plain(&c.unit, w[0]), plain(&c.unit, w[1]))), n.to_string()])
        .collect();
    let tab = table(&[T.col_bin, &format!("#{}", T.col_count)], &rows);
    figure(h, "claim", &svg, &t.summary, &tab, T.table_alt);
    Ok(())
}

// ---------------------------------------------------------- Markdown ----

/// The committee page as GitHub-flavoured Markdown: the same content as
/// [`html`], with a one-line summary in place of each chart.
pub fn markdown(r: &ClaimReport) -> String {
    let p = Page::new(r);
    let mut m = String::with_capacity(16 << 10);
    m.push_str(&format!("# {}\n\n**{}**\n\n", md(&p.title), md(&p.applicant)));
    if !p.description.is_empty() {
        m.push_str(&format!("{}\n\n", md(&p.description)));
    }
    m.push_str(&format!("*{}*\n\n", md(&p.meta)));
    m.push_str(&format!("## {}\n\n{}\n{}\n\n", T.s_verdict, md_table(&p.verdicts), md(&p.verdict_note)));
    m.push_str(&format!("## {}\n\n", T.s_explain));
    for s in &p.sentences {
        m.push_str(&format!("{}\n\n", md(s)));
    }
    m.push_str(&format!("## {}\n\n", T.s_charts));
    for t in &p.charts {
        m.push_str(&format!("- **{}**: {}.\n", md(&t.title), md(&t.summary)));
    }
    m.push_str(&format!("\n## {}\n\n", T.s_assumptions));
    m.push_str(&format!("### {}\n\n{}\n", T.h_effects, md_table(&p.effects)));
    m.push_str(&format!("### {}\n\n{}\n", T.h_costs, md_table(&p.costs)));
    m.push_str(&format!("### {}\n\n", T.h_sroi));
    if p.sroi.is_empty() {
        m.push_str(&format!("{}\n\n", md(T.sroi_none)));
    } else {
        for s in &p.sroi {
            m.push_str(&format!("- {}\n", md(s)));
        }
        m.push('\n');
    }
    m.push_str(&format!("### {}\n\n", T.h_method));
    for s in &p.method {
        m.push_str(&format!("{}\n\n", md(s)));
    }
    m.push_str(&format!("## {}\n\n{}\n\n{}\n", T.s_reproduce, md(&p.reproduce_intro), md_table(&p.reproduce)));
    if !p.inputs.rows.is_empty() {
        m.push_str(&format!("{}\n", md_table(&p.inputs)));
    }
    m.push_str(&format!("---\n\n{}\n", md(&p.footer)));
    m
}

/// Escape text for Markdown: markup characters get a backslash, line breaks become spaces.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that survives backticks in its text.
fn md_code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    // A pipe ends a table cell even inside a code span in GFM.
    let s = s.replace('|', "\\|");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn md_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) | Cell::Num(s) => md(s),
        Cell::Code(s) => md_code(s),
        Cell::Label(s, None) => md(s),
        Cell::Label(s, Some(sub)) => format!("{} ({})", md(s), md(sub)),
        Cell::Lines(l) => l.iter().map(|s| md(s)).collect::<Vec<_>>().join("; "),
        Cell::Verdict(v) => format!("{} **{}**", verdict_symbol(*v), verdict_word(*v)),
    }
}

fn md_table(t: &Table) -> String {
    let mut s = String::new();
    let head: Vec<String> = t.header.iter().map(|h| md(h.trim_start_matches('#'))).collect();
    s.push_str(&format!("| {} |\n", head.join(" | ")));
    let align: Vec<&str> = t.header.iter().map(|h| if h.starts_with('#') { "---:" } else { "---" }).collect();
    s.push_str(&format!("| {} |\n", align.join(" | ")));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(md_cell).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::result::*;
    use super::*;

    /// Bins of a bell curve between `lo` and `hi` over `draws` draws.
    fn bell(lo: f64, hi: f64, n: usize, mu: f64, sd: f64, draws: u64) -> Bins {
        let w = (hi - lo) / n as f64;
        let edges: Vec<f64> = (0..=n).map(|i| lo + w * i as f64).collect();
        let dens: Vec<f64> =
            edges.windows(2).map(|e| (-((e[0] + e[1]) / 2.0 - mu).powi(2) / (2.0 * sd * sd)).exp()).collect();
        let total: f64 = dens.iter().sum();
        let counts = dens.iter().map(|d| (d / total * draws as f64).round() as u64).collect();
        Bins { edges, counts }
    }

    /// A claim whose statistics follow from its histogram (values uniform within a bin).
    fn outcome(label: &str, kind: ClaimKind, unit: &str, claimed: f64, histogram: Bins) -> ClaimOutcome {
        let n: u64 = histogram.counts.iter().sum();
        let bins: Vec<(f64, f64, f64)> = histogram
            .edges
            .windows(2)
            .zip(&histogram.counts)
            .map(|(e, &c)| (e[0], e[1], c as f64 / n as f64))
            .collect();
        let above: f64 = bins.iter().map(|&(a, b, f)| f * ((b - claimed.max(a)) / (b - a)).clamp(0.0, 1.0)).sum();
        let quantile = |q: f64| {
            let mut acc = 0.0;
            for &(a, b, f) in &bins {
                if acc + f >= q {
                    return a + (b - a) * (q - acc) / f;
                }
                acc += f;
            }
            bins.last().unwrap().1
        };
        let mean = bins.iter().map(|&(a, b, f)| f * (a + b) / 2.0).sum();
        ClaimOutcome {
            label: label.into(),
            kind,
            account: None,
            account_name: None,
            chain: None,
            claimed,
            unit: unit.into(),
            p_reached: above,
            mcse: (above * (1.0 - above) / n as f64).sqrt(),
            mean,
            p10: quantile(0.1),
            p50: quantile(0.5),
            p90: quantile(0.9),
            verdict: Thresholds::default().verdict(above),
            needed_effect: None,
            histogram,
            flags: vec![],
        }
    }

    fn solve(found: bool, multiplier: f64, rrs: &[(&str, f64)], note: Option<&str>) -> Solve {
        Solve {
            found,
            multiplier,
            effects: rrs.iter().map(|&(n, rr)| SolvedEffect { name: n.into(), rr }).collect(),
            tolerance: 0.005,
            iterations: 12,
            residual: 0.0,
            note: note.map(str::to_string),
        }
    }

    fn fixture() -> ClaimReport {
        let draws = 2000;
        let effects = [("taal_eenzaamheid", 0.8), ("ouders_jeugdhulp", 0.85)];
        let mut c1 = outcome(
            "besparing gemeente/6.72 per jaar",
            ClaimKind::SavingsPerYear,
            "eur_per_year",
            15_000.0,
            bell(-2_000.0, 26_000.0, 28, 10_000.0, 5_000.0, draws),
        );
        c1.account = Some("gemeente/6.72".into());
        c1.account_name = Some("Maatwerkdienstverlening 18-".into());
        c1.needed_effect = Some(solve(true, 1.62, &[("taal_eenzaamheid", 0.70), ("ouders_jeugdhulp", 0.77)], None));
        let mut c2 = outcome(
            "besparing gemeente/6.71 contante waarde",
            ClaimKind::SavingsPv,
            "eur",
            40_000.0,
            bell(0.0, 120_000.0, 30, 52_000.0, 18_000.0, draws),
        );
        c2.account = Some("gemeente/6.71".into());
        c2.account_name = Some("Maatwerkdienstverlening 18+".into());
        c2.needed_effect = Some(solve(true, 0.74, &[("taal_eenzaamheid", 0.85), ("ouders_jeugdhulp", 0.89)], None));
        let mut c3 =
            outcome("baten/kostenverhouding", ClaimKind::Bcr, "ratio", 3.5, bell(0.0, 2.6, 26, 1.1, 0.4, draws));
        c3.flags = vec!["bcr_above_published_range".into()];
        c3.needed_effect = Some(solve(
            false,
            3.0,
            &[("taal_eenzaamheid", 0.51), ("ouders_jeugdhulp", 0.61)],
            Some("ook bij λ = 3 blijft de verhouding onder 3,5"),
        ));
        let mut c4 = outcome(
            "voorkomen starts jeugdhulp",
            ClaimKind::AvoidedStarts,
            "count",
            3.0,
            bell(0.0, 8.0, 16, 2.6, 1.3, draws),
        );
        c4.chain = Some("jeugdhulp".into());
        let spread = |mean: f64, sd: f64, p_positive: f64| Spread {
            mean,
            mcse: sd / (draws as f64).sqrt(),
            p10: mean - 1.28 * sd,
            p50: mean,
            p90: mean + 1.28 * sd,
            p_positive,
        };
        ClaimReport {
            format_version: CLAIM_FORMAT_VERSION,
            application: ApplicationInfo {
                name: "Samen Sterk Dukenburg".into(),
                applicant: "Stichting Buurtkracht Nijmegen".into(),
                description: "Taalmaatjes en opvoedondersteuning voor gezinnen in Zwanenveld en Lankforst.".into(),
                file: "aanvraag-samen-sterk.toml".into(),
                profile: "Dukenburg".into(),
                start_year: 2026,
                years: 3,
                participants_per_year: 40.0,
                target_group: vec!["0-17: 60".into(), "25-49: 40".into()],
                funder: "gemeente".into(),
                effects: vec![
                    EffectInfo {
                        name: effects[0].0.into(),
                        transition: "eenzaamheid: matig → ernstig".into(),
                        ages: "25–49".into(),
                        distribution: "lognormal(median 0.8, 95% CI 0.6-1)".into(),
                        mean: 0.81,
                        p5: 0.64,
                        p95: 0.98,
                        source: "Movisie, Effectief tegen eenzaamheid (2021)".into(),
                        persistence_years: 2,
                        drop_off: 0.3,
                    },
                    EffectInfo {
                        name: effects[1].0.into(),
                        transition: "jeugdhulp: geen → ambulant".into(),
                        ages: "0–17".into(),
                        distribution: "pert(0.7, 0.85, 1)".into(),
                        mean: 0.85,
                        p5: 0.75,
                        p95: 0.95,
                        source: "NJi, Databank Effectieve Jeugdinterventies".into(),
                        persistence_years: 3,
                        drop_off: 0.2,
                    },
                ],
                costs: vec![
                    CostInfo {
                        account: "gemeente/6.1".into(),
                        basis: "per_year".into(),
                        amount: "normal(60000, 5000)".into(),
                        mean: 60_000.0,
                    },
                    CostInfo {
                        account: "gemeente/6.1".into(),
                        basis: "per_participant".into(),
                        amount: "450".into(),
                        mean: 450.0,
                    },
                ],
                sroi: vec!["deadweight 20 %".into(), "attributie 70 %".into()],
            },
            run: CheckRun {
                draws,
                seed: 20260101,
                mode: "cohort".into(),
                solve_draws: 500,
                engine_version: "0.1.0".into(),
                prng: "xoshiro256++ (één stroom per trekking)".into(),
                command_line: vec![
                    "wijkimpact".into(),
                    "claim".into(),
                    "aanvraag-samen-sterk.toml".into(),
                    "--draws".into(),
                    "2000".into(),
                ],
                inputs: vec![
                    ("aanvraag-samen-sterk.toml".into(), "9f2c".repeat(16)),
                    ("scenarios/nijmegen.toml".into(), "41ab".repeat(16)),
                ],
            },
            thresholds: Thresholds::default(),
            claims: vec![c1, c2, c3, c4],
            funder_npv: spread(-38_000.0, 55_000.0, 0.24),
            npv: spread(12_000.0, 70_000.0, 0.57),
            bcr: spread(1.1, 0.4, 0.6),
            break_even: solve(true, 1.35, &[("taal_eenzaamheid", 0.74), ("ouders_jeugdhulp", 0.80)], None),
            published_bcr_range: (1.3, 2.2),
        }
    }

    #[test]
    fn every_claim_appears_with_its_verdict() {
        let r = fixture();
        let verdicts: Vec<Verdict> = r.claims.iter().map(|c| c.verdict).collect();
        assert!(verdicts.contains(&Verdict::Realistisch));
        assert!(verdicts.contains(&Verdict::Optimistisch));
        assert!(verdicts.contains(&Verdict::Onrealistisch));
        let h = html(&r).unwrap();
        let m = markdown(&r);
        for c in &r.claims {
            let w = verdict_word(c.verdict);
            let row = format!("<td>{}", esc(&c.label));
            let at = h.find(&row).unwrap_or_else(|| panic!("no row for {}", c.label));
            let end = at + h[at..].find("</tr>").unwrap();
            assert!(h[at..end].contains(&format!("class=\"badge {w}\"")), "{}", &h[at..end]);
            assert!(h[at..end].contains(&format!("\u{a0}{w}</span>")), "the word, not only the colour");
            let line = m.lines().find(|l| l.starts_with(&format!("| {}", md(&c.label)))).unwrap();
            assert!(line.contains(&format!("**{w}**")), "{line}");
        }
    }

    #[test]
    fn html_is_self_contained() {
        let h = html(&fixture()).unwrap();
        assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
        for forbidden in ["<script", "src=", "href=", "url(", "@import", "<link", "<img"] {
            assert!(!h.contains(forbidden), "found {forbidden}");
        }
        // The only http is the SVG namespace, which is not fetched.
        assert_eq!(h.matches("http").count(), h.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    }

    #[test]
    fn one_chart_per_claim_with_a_table_and_a_label() {
        let r = fixture();
        let h = html(&r).unwrap();
        assert_eq!(h.matches("<svg").count(), r.claims.len());
        assert_eq!(h.matches("<details>").count(), r.claims.len());
        assert_eq!(h.matches("<svg role=\"img\" aria-label=\"Verdeling van ").count(), r.claims.len());
        // The chart of the first claim shows the claim line, labelled, and both colours in its legend.
        let first = &h[h.find("<svg").unwrap()..h.find("</svg>").unwrap()];
        for text in [T.legend_claim, T.legend_below, T.legend_reached] {
            assert!(first.contains(&format!("\n{text}\n</text>")), "{text}");
        }
        assert!(first.contains("Besparing per jaar (€)"));
    }

    #[test]
    fn markdown_has_one_row_per_claim_and_a_summary_per_chart() {
        let r = fixture();
        let m = markdown(&r);
        let verdicts = m.split(&format!("## {}", T.s_verdict)).nth(1).unwrap().split("\n\n").nth(1).unwrap();
        assert_eq!(verdicts.lines().count(), 2 + r.claims.len(), "{verdicts}");
        let charts = m.split(&format!("## {}", T.s_charts)).nth(1).unwrap().split("\n## ").next().unwrap();
        assert_eq!(charts.lines().filter(|l| l.starts_with("- **")).count(), r.claims.len());
        assert!(charts.contains("gesimuleerd P10–P90 €\u{a0}"), "{charts}");
        assert!(!m.contains("<svg"));
    }

    #[test]
    fn infeasible_needed_effect_is_said_in_words() {
        let r = fixture();
        assert!(r.claims.iter().any(|c| c.needed_effect.as_ref().is_some_and(|n| !n.found)));
        let h = html(&r).unwrap();
        let m = markdown(&r);
        let bcr_row = m.lines().find(|l| l.starts_with("| baten/kostenverhouding")).unwrap();
        assert!(bcr_row.contains(T.not_feasible), "{bcr_row}");
        assert!(h.contains(&format!("<td>{}</td>", T.not_feasible)));
        // A found one gives λ and the RR of every effect.
        assert!(
            h.contains("λ\u{a0}=\u{a0}1,62<br>taal_eenzaamheid: RR\u{a0}0,70<br>ouders_jeugdhulp: RR\u{a0}0,77"),
            "{h}"
        );
    }

    #[test]
    fn sentences_follow_the_numbers() {
        let r = fixture();
        let s = sentences(&r);
        let k = (r.claims[0].p_reached * 100.0).round();
        assert_eq!(
            s[0],
            format!(
                "De geclaimde besparing op taakveld 6.72 Maatwerkdienstverlening 18- (€\u{a0}15.000 per jaar) \
                 wordt in {k:.0} van de 100 trekkingen gehaald."
            )
        );
        assert!(s.iter().any(|x| x
            == "De geclaimde baten/kostenverhouding (3,50) ligt boven de gepubliceerde \
                                       bandbreedte voor het sociaal domein (1,3–2,2, FACTS §3.2)."));
        let be = s.last().unwrap();
        assert!(
            be.starts_with(
                "De investering van de gemeente verdient zich (gemiddeld) terug bij een effect van \
                                RR 0,74 op eenzaamheid: matig → ernstig (aangenomen: 0,81) en RR 0,80 op \
                                jeugdhulp: geen → ambulant (aangenomen: 0,85); λ = 1,35."
            ),
            "{be}"
        );
        assert!(be.ends_with(T.be_stronger));
        assert!(s
            .iter()
            .any(|x| x.starts_with("Voor de gemeente is de netto contante waarde gemiddeld −€\u{a0}38.000")));
        let mut r = r;
        r.claims[0].account_name = Some("6.72 Maatwerkdienstverlening 18-".into());
        assert_eq!(account_text(&r.claims[0]), "taakveld 6.72 Maatwerkdienstverlening 18-");
        r.break_even.found = false;
        r.break_even.note = Some("not reached even with the effect 10 times as strong".into());
        let be = sentences(&r).pop().unwrap();
        assert!(be.ends_with("verdient de investering van de gemeente zich niet terug."), "{be}");
        // The machine note (English) stays out of the Dutch page.
        assert!(!be.contains("not reached"), "{be}");
    }

    #[test]
    fn values_print_in_their_unit() {
        assert_eq!(value("eur", 12_000.0), "€\u{a0}12.000");
        assert_eq!(value("eur_per_year", 12_000.0), "€\u{a0}12.000 per jaar");
        assert_eq!(value("ratio", 2.5), "2,50");
        assert_eq!(value("count", 3.0), "3,0");
        assert_eq!(share(0.001), "<\u{a0}1\u{a0}%");
        assert_eq!(share(0.2312), "23\u{a0}%");
        assert_eq!(freq(0.0), T.freq_none);
        assert_eq!(freq(0.23), "in 23 van de 100 trekkingen");
        assert_eq!(freq(f64::NAN), T.freq_unknown);
        assert_eq!(funder_text("zorgverzekeraar"), "de zorgverzekeraar");
        assert_eq!(funder_text("fonds-x"), "financier fonds-x");
        assert_eq!(range("eur_per_year", 3_791.4, 16_412.0), "€\u{a0}3.790 – €\u{a0}16.400 per jaar");
        assert_eq!(range("ratio", 0.594, 1.613), "0,59 – 1,61");
        assert_eq!(money(&[-38_000.0, -108_400.0, 32_449.0]), ["−€\u{a0}38.000", "−€\u{a0}108.000", "€\u{a0}32.400"]);
        assert_eq!(money(&[1.2e6, 3e5])[1], "€\u{a0}0,30\u{a0}mln");
    }

    #[test]
    fn names_are_escaped() {
        let mut r = fixture();
        r.application.name = "Buurt <&> \"Co\"".into();
        r.claims[0].label = "a|b <x>".into();
        let h = html(&r).unwrap();
        assert!(h.contains("<h1>Toets van de claim: Buurt &lt;&amp;&gt; &quot;Co&quot;</h1>"));
        assert!(h.contains("<title>Toets van de claim: Buurt &lt;&amp;&gt; &quot;Co&quot;</title>"));
        assert!(!h.contains("<&>") && !h.contains("<x>"));
        let m = markdown(&r);
        assert!(m.starts_with("# Toets van de claim: Buurt \\<&\\> \"Co\"\n"));
        assert!(m.contains("| a\\|b \\<x\\> ("), "a pipe in a label does not split the cell");
    }

    /// Write the fixture's page for a look in a browser:
    /// `cargo test --lib claim::page -- --ignored` writes `claim-page.html` and `.md` to the temp dir.
    #[test]
    #[ignore]
    fn write_fixture_page() {
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("claim-page.html"), html(&fixture()).unwrap()).unwrap();
        std::fs::write(dir.join("claim-page.md"), markdown(&fixture())).unwrap();
    }
}
