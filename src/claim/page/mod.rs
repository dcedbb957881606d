//! The one-page summary of a claim check for the fund committee, in Dutch:
//! self-contained HTML ([`html`]: inline CSS and SVG, no scripts, no external
//! resources) and GitHub-flavoured Markdown ([`markdown`]) with the same
//! content.
//!
//! Both renderers lay out one `Page` built from the [`ClaimReport`], so they
//! cannot disagree about a number; every word is in the claim catalogue of
//! the crate's text module (`render::text`) and every number is formatted by [`Lang::Nl`]. Order: title and
//! application, verdict per claim, plain sentences, one chart per claim (HTML
//! only; Markdown has a one-line summary), assumptions, how to reproduce.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use super::result::{ClaimKind, ClaimOutcome, ClaimReport, Solve, Spread, Verdict};
use crate::render::format::round_sig;
use crate::render::text::{fill, ClaimTexts, Lang, CLAIM, FUNDERS};
use crate::render::words;

/// The committee reads Dutch.
const L: Lang = Lang::Nl;
/// Every word of the page.
const T: &ClaimTexts = &CLAIM;

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
    /// A source note: each `[KEY]` becomes the source's citation ([`crate::sources`]).
    Source(String),
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
            sroi: r.application.sroi.iter().map(|s| sroi_line(s)).collect(),
            method: method(r),
            reproduce_intro: T.reproduce_intro.into(),
            reproduce: reproduce_table(r),
            inputs: Table {
                class: "",
                header: vec![T.col_file.into(), "SHA-256".into()],
                rows: (r.run.inputs.iter())
                    .map(|(f, h)| vec![Cell::Code(words::base_name(f)), Cell::Code(h.clone())])
                    .collect(),
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
    L.num_trimmed(x, decimals)
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
    L.share(p)
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
                Cell::Text(words::distribution(&e.distribution, L)),
                Cell::Num(format!("{} ({} – {})", L.num(e.mean, 2), L.num(e.p5, 2), L.num(e.p95, 2))),
                source_cell(&e.source),
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

/// The effect's source: "aanname" for an assumption, otherwise the citation as written.
fn source_cell(note: &str) -> Cell {
    match words::source_note(note, L) {
        (Some(word), _) => Cell::Text(word),
        (None, Some(c)) => Cell::Source(c),
        (None, None) => Cell::Text(String::new()),
    }
}

/// An SROI correction as the application gives it (`deadweight: { dist = "beta", … }`),
/// with its Dutch name and the value in words.
fn sroi_line(s: &str) -> String {
    let Some((key, value)) = s.split_once(':') else { return s.to_string() };
    let name = match key.trim() {
        "attribution" => "attributie",
        "displacement" => "verdringing",
        other => other,
    };
    format!("{name}: {}", words::distribution(value, L))
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
                Cell::Label(c.account.clone(), c.account_name.clone()),
                Cell::Text(basis),
                Cell::Text(words::distribution(&c.amount, L)),
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
    let cmd = words::command_line(&r.run.command_line);
    let row = |k: &str, v: Cell| vec![Cell::Text(k.into()), v];
    Table {
        class: "",
        header: vec![T.col_field.into(), T.col_value.into()],
        rows: vec![
            row(T.row_command, Cell::Code(cmd)),
            row(T.row_application, Cell::Code(words::base_name(&r.application.file))),
            row(T.row_version, Cell::Code(r.run.engine_version.clone())),
            row(T.row_seed, Cell::Code(r.run.seed.to_string())),
            row(T.row_draws, Cell::Code(r.run.draws.to_string())),
            row(T.row_prng, Cell::Code(words::prng(&r.run.prng, L))),
        ],
    }
}

#[cfg(test)]
mod tests;
