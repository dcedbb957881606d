//! The one-page summary of a claim check for the fund committee, in Dutch
//! (or in English with `--lang en`): self-contained HTML ([`html`]: inline CSS and SVG, no scripts, no external
//! resources) and GitHub-flavoured Markdown ([`markdown`]) with the same
//! content.
//!
//! Both renderers lay out one `Page` built from the [`ClaimReport`], so they
//! cannot disagree about a number; every word is in the claim catalogue of
//! the crate's text module (`render::text`) and every number is formatted by the page's [`Lang`]. Order: title and
//! application, verdict per claim, plain sentences, one chart per claim (HTML
//! only; Markdown has a one-line summary), assumptions, how to reproduce.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use super::result::{ClaimKind, ClaimOutcome, ClaimReport, Level, Solve, Spread, Verdict};
use crate::render::format::round_sig;
pub use crate::render::text::Lang;
use crate::render::text::{claim_texts, fill, funders, ClaimTexts};
use crate::render::words;

/// The page's language: its words ([`ClaimTexts`]) and how it writes numbers.
#[derive(Clone, Copy)]
struct W {
    l: Lang,
    t: &'static ClaimTexts,
}

impl W {
    fn new(l: Lang) -> W {
        W { l, t: claim_texts(l) }
    }
}

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
    w: W,
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
    /// The business case at both levels, when the report has them.
    levels: Option<Table>,
    levels_intro: String,
    /// PM-posten: named, not valued in money.
    pm: Vec<String>,
    method: Vec<String>,
    reproduce_intro: String,
    reproduce: Table,
    inputs: Table,
    footer: String,
}

impl Page {
    fn new(r: &ClaimReport, lang: Lang) -> Page {
        let w = W::new(lang);
        let a = &r.application;
        let draws = w.l.num(r.run.draws as f64, 0);
        let years = if a.years == 1 {
            fill(w.t.years_one, &[("start", &a.start_year.to_string())])
        } else {
            fill(w.t.years_many, &[("years", &a.years.to_string()), ("start", &a.start_year.to_string())])
        };
        let meta = fill(
            w.t.meta,
            &[
                ("group", &a.target_group.join(", ")),
                ("years", &years),
                ("participants", &trimmed(w, a.participants_per_year, 1)),
                ("profile", &fill(w.t.profile, &[("profile", &a.profile)])),
            ],
        );
        Page {
            w,
            title: fill(w.t.title, &[("name", &a.name)]),
            applicant: fill(w.t.applicant, &[("applicant", &a.applicant)]),
            description: a.description.clone(),
            meta,
            verdicts: verdict_table(w, r),
            verdict_note: fill(w.t.verdict_note, &[("draws", &draws)]),
            sentences: sentences(w, r),
            charts_intro: fill(w.t.charts_intro, &[("draws", &draws)]),
            charts: r.claims.iter().map(|c| chart_text(w, r, c)).collect(),
            effects: effects_table(w, r),
            costs: costs_table(w, r),
            sroi: r.application.sroi.iter().map(|s| sroi_line(w, s)).collect(),
            levels: levels_table(w, r),
            levels_intro: fill(w.t.levels_intro, &[("draws", &draws)]),
            pm: pm_lines(w, r),
            method: method(w, r),
            reproduce_intro: w.t.reproduce_intro.into(),
            reproduce: reproduce_table(w, r),
            inputs: Table {
                class: "",
                header: vec![w.t.col_file.into(), "SHA-256".into()],
                rows: (r.run.inputs.iter())
                    .map(|(f, h)| vec![Cell::Code(words::base_name(f)), Cell::Code(h.clone())])
                    .collect(),
            },
            footer: fill(w.t.footer, &[("version", &r.run.engine_version)]),
        }
    }
}

fn verdict_word(w: W, v: Verdict) -> &'static str {
    match v {
        Verdict::Realistisch => w.t.realistisch,
        Verdict::Optimistisch => w.t.optimistisch,
        Verdict::Onrealistisch => w.t.onrealistisch,
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
fn trimmed(w: W, x: f64, decimals: usize) -> String {
    w.l.num_trimmed(x, decimals)
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
fn money(w: W, xs: &[f64]) -> Vec<String> {
    if xs.iter().any(|x| x.abs() >= 1e6) {
        xs.iter().map(|&x| w.l.eur_short(x)).collect()
    } else {
        xs.iter().map(|&x| w.l.eur(round_sig(x, 3))).collect()
    }
}

/// A value in the claim's unit without a "per year".
fn plain(w: W, unit: &str, x: f64) -> String {
    match unit {
        "eur" | "eur_per_year" => w.l.eur(x),
        "ratio" => w.l.num(x, 2),
        "count" => w.l.num(x, 1),
        other => format!("{} {other}", trimmed(w, x, 2)),
    }
}

/// A value in the claim's unit: `€ 12.000`, `€ 12.000 per jaar`, `2,50`, `3,0`.
fn value(w: W, unit: &str, x: f64) -> String {
    if unit == "eur_per_year" {
        format!("{} {}", plain(w, unit, x), w.t.per_year)
    } else {
        plain(w, unit, x)
    }
}

/// A range in the claim's unit: `€ 2.000 – € 9.000 per jaar`.
fn range(w: W, unit: &str, a: f64, b: f64) -> String {
    let r = format!("{} – {}", plain(w, unit, simulated(unit, a)), plain(w, unit, simulated(unit, b)));
    if unit == "eur_per_year" {
        format!("{r} {}", w.t.per_year)
    } else {
        r
    }
}

/// A probability for a table: whole percents, but never a misleading 0 % or 100 %.
fn share(w: W, p: f64) -> String {
    w.l.share(p)
}

/// How often, in words: "in 23 van de 100 trekkingen".
fn freq(w: W, p: f64) -> String {
    let k = (p * 100.0).round();
    if !p.is_finite() {
        w.t.freq_unknown.into()
    } else if p <= 0.0 {
        w.t.freq_none.into()
    } else if k < 1.0 {
        w.t.freq_lt1.into()
    } else if p >= 1.0 {
        w.t.freq_all.into()
    } else if k >= 100.0 {
        w.t.freq_gt99.into()
    } else {
        fill(w.t.freq_k, &[("k", &format!("{k:.0}"))])
    }
}

/// A funder as a sentence names it: `de gemeente`.
fn funder_text(w: W, funder: &str) -> String {
    match funders(w.l).iter().find(|(k, _)| k.eq_ignore_ascii_case(funder)) {
        Some((_, v)) => v.to_string(),
        None => fill(w.t.funder_other, &[("funder", funder)]),
    }
}

/// The claim's label on the page. A label the check generated (Dutch, in
/// `claim.json`) is translated on an English page; one the applicant wrote
/// is shown as written, like the application's other texts.
fn label(w: W, c: &ClaimOutcome) -> String {
    const GENERATED: [(&str, &str); 7] = [
        ("maatschappelijke baten/kostenverhouding", "social benefit/cost ratio"),
        ("maatschappelijke waarde, contante waarde", "social value, present value"),
        ("totale besparing, contante waarde", "total saving, present value"),
        ("baten/kostenverhouding", "benefit/cost ratio"),
        (", contante waarde", ", present value"),
        (" per jaar (", " per year ("),
        ("vermeden starts ", "avoided starts "),
    ];
    if w.l == Lang::Nl {
        return c.label.clone();
    }
    let generated = match c.kind {
        ClaimKind::SavingsPv | ClaimKind::SavingsPerYear => c.label.starts_with("besparing "),
        ClaimKind::AvoidedStarts => c.label.starts_with("vermeden starts "),
        _ => GENERATED.iter().any(|(nl, _)| c.label == *nl),
    };
    if !generated {
        return c.label.clone();
    }
    let mut out = c.label.replacen("besparing ", "saving ", 1);
    for (nl, en) in GENERATED {
        out = out.replacen(nl, en, 1);
    }
    out
}

/// The account of a savings claim for people: `taakveld 6.72 Maatwerkdienstverlening 18-`.
fn account_text(w: W, c: &ClaimOutcome) -> String {
    let Some(acc) = &c.account else { return c.label.clone() };
    let (funder, code) = acc.split_once('/').unwrap_or(("", acc));
    // The taakveld's name, unless empty or already starting with the code.
    let (code, name) = match c.account_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) if n.starts_with(code) => (n, String::new()),
        Some(n) => (code, format!(" {n}")),
        None => (code, String::new()),
    };
    if funder.is_empty() || funder == "gemeente" {
        fill(w.t.acct_taakveld, &[("code", code), ("name", &name)])
    } else {
        fill(w.t.acct_other, &[("code", code), ("name", &name), ("funder", funder)])
    }
}

/// The needed effect: `λ = 1,45` and the RR of every effect, or why there is none.
fn needed_lines(w: W, s: Option<&Solve>) -> Vec<String> {
    match s {
        None => vec![w.t.no_solve.into()],
        Some(s) if !s.found => vec![w.t.not_feasible.into()],
        Some(s) => {
            let mut out = vec![format!("λ\u{a0}=\u{a0}{}", w.l.num(s.multiplier, 2))];
            out.extend(s.effects.iter().map(|e| format!("{}: RR\u{a0}{}", e.name, w.l.num(e.rr, 2))));
            out
        }
    }
}

fn verdict_table(w: W, r: &ClaimReport) -> Table {
    let rows = r
        .claims
        .iter()
        .map(|c| {
            let sub = c.account.as_ref().map(|_| account_text(w, c));
            let p = if c.mcse > 0.0 {
                format!("{}\u{a0}±\u{a0}{}", share(w, c.p_reached), w.l.pct(c.mcse, 1))
            } else {
                share(w, c.p_reached)
            };
            vec![
                Cell::Label(label(w, c), sub),
                Cell::Num(value(w, &c.unit, c.claimed)),
                Cell::Num(p),
                Cell::Lines(vec![
                    range(w, &c.unit, c.p10, c.p90),
                    fill(w.t.median, &[("p50", &value(w, &c.unit, simulated(&c.unit, c.p50)))]),
                ]),
                Cell::Verdict(c.verdict),
                Cell::Lines(needed_lines(w, c.needed_effect.as_ref())),
            ]
        })
        .collect();
    Table {
        class: "verdicts",
        header: vec![
            w.t.col_claim.into(),
            format!("#{}", w.t.col_claimed),
            format!("#{}", w.t.col_p),
            format!("#{}", w.t.col_range),
            w.t.col_verdict.into(),
            w.t.col_needed.into(),
        ],
        rows,
    }
}

fn claim_sentence(w: W, c: &ClaimOutcome) -> String {
    let subject = match c.kind {
        ClaimKind::SavingsPerYear => fill(w.t.subj_per_year, &[("account", &account_text(w, c))]),
        ClaimKind::SavingsPv => fill(w.t.subj_pv, &[("account", &account_text(w, c))]),
        ClaimKind::SavingsTotalPv => w.t.subj_total.into(),
        ClaimKind::Bcr => w.t.subj_bcr.into(),
        ClaimKind::SocialPv => w.t.subj_social_pv.into(),
        ClaimKind::BcrSocietal => w.t.subj_bcr_societal.into(),
        ClaimKind::AvoidedStarts => fill(w.t.subj_starts, &[("chain", c.chain.as_deref().unwrap_or(c.label.as_str()))]),
    };
    fill(
        w.t.sent_claim,
        &[("subject", &subject), ("claimed", &value(w, &c.unit, c.claimed)), ("freq", &freq(w, c.p_reached))],
    )
}

/// The plain sentences: one per claim (with its flags), then the funder's
/// NPV, all funders' NPV, the B/C ratio and the break-even effect.
fn sentences(w: W, r: &ClaimReport) -> Vec<String> {
    let mut out = vec![];
    for c in &r.claims {
        let mut s = claim_sentence(w, c);
        if let Some(n) = c.needed_effect.as_ref().filter(|n| !n.found) {
            s.push(' ');
            s.push_str(&fill(w.t.sent_not_feasible, &[("lambda", &w.l.num(n.multiplier, 2))]));
        }
        out.push(s);
        let above_band = |tpl: &str| {
            let lo = trimmed(w, r.published_bcr_range.0, 2);
            let hi = trimmed(w, r.published_bcr_range.1, 2);
            fill(tpl, &[("claimed", &value(w, &c.unit, c.claimed)), ("lo", &lo), ("hi", &hi)])
        };
        for f in &c.flags {
            out.push(match f.as_str() {
                "bcr_above_published_range" => above_band(w.t.flag_bcr),
                "cash_bcr_above_published_range" => above_band(w.t.flag_cash_bcr),
                "bcr_far_above_published_range" => {
                    fill(w.t.flag_bcr_review, &[("review", &trimmed(w, crate::claim::check::BCR_REVIEW, 1))])
                }
                other => fill(w.t.flag_other, &[("label", &label(w, c)), ("flag", other)]),
            });
        }
    }
    let spread = |tpl: &str, s: &Spread, extra: &[(&str, &str)]| {
        let mut v: Vec<(&str, &str)> = extra.to_vec();
        let m = money(w, &[s.mean, s.p10, s.p90]);
        let f = freq(w, s.p_positive);
        v.extend([("mean", m[0].as_str()), ("p10", m[1].as_str()), ("p90", m[2].as_str()), ("freq", f.as_str())]);
        fill(tpl, &v)
    };
    let funder = funder_text(w, &r.application.funder);
    if r.funder_npv.mean.is_finite() {
        out.push(spread(w.t.sent_funder_npv, &r.funder_npv, &[("funder", &funder)]));
    }
    if r.npv.mean.is_finite() {
        out.push(spread(w.t.sent_npv, &r.npv, &[]));
    }
    if r.bcr.mean.is_finite() {
        out.push(fill(
            w.t.sent_bcr,
            &[("bcr", &w.l.num(r.bcr.mean, 2)), ("p10", &w.l.num(r.bcr.p10, 2)), ("p90", &w.l.num(r.bcr.p90, 2))],
        ));
    }
    out.push(break_even_sentence(w, r));
    out
}

fn break_even_sentence(w: W, r: &ClaimReport) -> String {
    let be = &r.break_even;
    let funder = funder_text(w, &r.application.funder);
    let funder = funder.as_str();
    let lambda = w.l.num(be.multiplier, 2);
    if !be.found {
        // `note` is for machines (English, in claim.json); the sentence says it in Dutch.
        return fill(w.t.sent_no_break_even, &[("lambda", &lambda), ("funder", funder)]);
    }
    let effects: Vec<String> = be
        .effects
        .iter()
        .map(|e| {
            let info = r.application.effects.iter().find(|i| i.name == e.name);
            fill(
                w.t.be_effect,
                &[
                    ("rr", &w.l.num(e.rr, 2)),
                    ("transition", info.map_or(e.name.as_str(), |i| i.transition.as_str())),
                    ("mean", &info.map_or("–".into(), |i| w.l.num(i.mean, 2))),
                ],
            )
        })
        .collect();
    let effects = match effects.split_last() {
        None => format!("λ = {lambda}"),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
    };
    let s = fill(w.t.sent_break_even, &[("funder", funder), ("effects", &effects), ("lambda", &lambda)]);
    let how = if (be.multiplier - 1.0).abs() < 0.05 {
        w.t.be_same
    } else if be.multiplier > 1.0 {
        w.t.be_stronger
    } else {
        w.t.be_weaker
    };
    format!("{s} {how}")
}

/// Divisor and unit word of a claim's chart axis.
fn axis_unit(w: W, c: &ClaimOutcome) -> (f64, &'static str) {
    match c.unit.as_str() {
        "eur" | "eur_per_year" => {
            let m = c.histogram.edges.iter().chain([&c.claimed]).fold(0f64, |m, x| m.max(x.abs()));
            if m >= 1e6 {
                (1e6, w.t.unit_eur_mln)
            } else {
                (1.0, w.t.unit_eur)
            }
        }
        "count" => (1.0, w.t.unit_count),
        _ => (1.0, ""),
    }
}

fn chart_text(w: W, r: &ClaimReport, c: &ClaimOutcome) -> ChartText {
    let axis = match c.kind {
        ClaimKind::SavingsPerYear => w.t.axis_per_year,
        ClaimKind::SavingsPv => w.t.axis_pv,
        ClaimKind::SavingsTotalPv => w.t.axis_total,
        ClaimKind::Bcr => w.t.axis_bcr,
        ClaimKind::SocialPv => w.t.axis_social_pv,
        ClaimKind::BcrSocietal => w.t.axis_bcr_societal,
        ClaimKind::AvoidedStarts => w.t.axis_starts,
    };
    let (unit, word) = axis_unit(w, c);
    let x_label = if word.is_empty() { axis.to_string() } else { format!("{axis} ({word})") };
    let summary = fill(
        w.t.chart_summary,
        &[
            ("p10", &plain(w, &c.unit, simulated(&c.unit, c.p10))),
            ("p90", &plain(w, &c.unit, simulated(&c.unit, c.p90))),
            ("p50", &plain(w, &c.unit, simulated(&c.unit, c.p50))),
            ("claimed", &value(w, &c.unit, c.claimed)),
            ("freq", &freq(w, c.p_reached)),
        ],
    );
    let aria = fill(
        w.t.chart_aria,
        &[("label", &label(w, c)), ("draws", &w.l.num(r.run.draws as f64, 0)), ("summary", &summary)],
    );
    let title = match (&c.account, c.kind) {
        (Some(_), _) => format!("{} – {}", label(w, c), account_text(w, c)),
        _ => label(w, c),
    };
    ChartText { title, summary, aria, x_label, unit }
}

/// The business case at both levels: NPV, B/C (mean and P5–P95) and P(NPV > 0).
fn levels_table(w: W, r: &ClaimReport) -> Option<Table> {
    let lv = r.levels.as_ref()?;
    let row = |name: &str, l: &Level| {
        let m = money(w, &[l.npv.mean, l.npv.p5, l.npv.p95]);
        vec![
            Cell::Text(name.to_string()),
            Cell::Num(m[0].clone()),
            Cell::Num(format!("{} – {}", m[1], m[2])),
            Cell::Num(w.l.num(l.bcr.mean, 2)),
            Cell::Num(format!("{} – {}", w.l.num(l.bcr.p5, 2), w.l.num(l.bcr.p95, 2))),
            Cell::Num(share(w, l.p_npv_positive)),
        ]
    };
    Some(Table {
        class: "levels",
        header: vec![
            w.t.col_level.into(),
            format!("#{}", w.t.col_npv_mean),
            format!("#{}", w.t.col_npv_range),
            format!("#{}", w.t.col_bcr_mean),
            format!("#{}", w.t.col_bcr_range),
            format!("#{}", w.t.col_p_npv),
        ],
        rows: vec![row(w.t.level_financieel, &lv.financieel), row(w.t.level_maatschappelijk, &lv.maatschappelijk)],
    })
}

/// The PM-posten: the effects named but not valued, then the outcomes counted but not valued.
fn pm_lines(w: W, r: &ClaimReport) -> Vec<String> {
    let Some(lv) = &r.levels else { return vec![] };
    let unvalued = lv.unvalued_outcomes.iter().map(|o| fill(w.t.pm_unvalued, &[("outcome", o)]));
    lv.pm.iter().cloned().chain(unvalued).collect()
}

fn effects_table(w: W, r: &ClaimReport) -> Table {
    let rows = r
        .application
        .effects
        .iter()
        .map(|e| {
            vec![
                Cell::Code(e.name.clone()),
                Cell::Text(e.transition.clone()),
                Cell::Text(e.ages.clone()),
                Cell::Text(words::distribution(&e.distribution, w.l)),
                Cell::Num(format!("{} ({} – {})", w.l.num(e.mean, 2), w.l.num(e.p5, 2), w.l.num(e.p95, 2))),
                source_cell(w, &e.source),
                Cell::Text(fill(
                    w.t.duration,
                    &[("years", &e.persistence_years.to_string()), ("drop", &w.l.pct(e.drop_off, 0))],
                )),
            ]
        })
        .collect();
    Table {
        class: "effects",
        header: vec![
            w.t.col_effect.into(),
            w.t.col_transition.into(),
            w.t.col_ages.into(),
            w.t.col_distribution.into(),
            format!("#{}", w.t.col_mean),
            w.t.col_source.into(),
            w.t.col_duration.into(),
        ],
        rows,
    }
}

/// The effect's source: "aanname" for an assumption, otherwise the citation as written.
fn source_cell(w: W, note: &str) -> Cell {
    match words::source_note(note, w.l) {
        (Some(word), _) => Cell::Text(word),
        (None, Some(c)) => Cell::Source(c),
        (None, None) => Cell::Text(String::new()),
    }
}

/// An SROI correction as the application gives it (`deadweight: { dist = "beta", … }`),
/// with its Dutch name and the value in words.
fn sroi_line(w: W, s: &str) -> String {
    let Some((key, value)) = s.split_once(':') else { return s.to_string() };
    let name = match key.trim() {
        "deadweight" => w.t.sroi_deadweight,
        "attribution" => w.t.sroi_attribution,
        "displacement" => w.t.sroi_displacement,
        other => other,
    };
    format!("{name}: {}", words::distribution(value, w.l))
}

fn costs_table(w: W, r: &ClaimReport) -> Table {
    let rows = r
        .application
        .costs
        .iter()
        .map(|c| {
            let basis = match c.basis.as_str() {
                "per_year" => w.t.basis_per_year.to_string(),
                "per_participant" => w.t.basis_per_participant.to_string(),
                other => other.to_string(),
            };
            vec![
                Cell::Label(c.account.clone(), c.account_name.clone()),
                Cell::Text(basis),
                Cell::Text(words::distribution(&c.amount, w.l)),
                Cell::Num(w.l.eur(c.mean)),
            ]
        })
        .collect();
    Table {
        class: "costs",
        header: vec![
            w.t.col_account.into(),
            w.t.col_basis.into(),
            w.t.col_amount.into(),
            format!("#{}", w.t.col_cost_mean),
        ],
        rows,
    }
}

fn method(w: W, r: &ClaimReport) -> Vec<String> {
    let th = &r.thresholds;
    let mode = match r.run.mode.as_str() {
        "cohort" => w.t.mode_cohort.to_string(),
        "stochastic" => w.t.mode_stochastic.to_string(),
        other => other.to_string(),
    };
    vec![
        fill(w.t.thresholds, &[("r", &w.l.pct(th.realistic, 0)), ("o", &w.l.pct(th.optimistic, 0))]),
        fill(
            w.t.method,
            &[
                ("draws", &w.l.num(r.run.draws as f64, 0)),
                ("mode", &mode),
                ("solve_draws", &w.l.num(r.run.solve_draws as f64, 0)),
            ],
        ),
    ]
}

fn reproduce_table(w: W, r: &ClaimReport) -> Table {
    let cmd = words::command_line(&r.run.command_line);
    let row = |k: &str, v: Cell| vec![Cell::Text(k.into()), v];
    Table {
        class: "",
        header: vec![w.t.col_field.into(), w.t.col_value.into()],
        rows: vec![
            row(w.t.row_command, Cell::Code(cmd)),
            row(w.t.row_application, Cell::Code(words::base_name(&r.application.file))),
            row(w.t.row_version, Cell::Code(r.run.engine_version.clone())),
            row(w.t.row_seed, Cell::Code(r.run.seed.to_string())),
            row(w.t.row_draws, Cell::Code(r.run.draws.to_string())),
            row(w.t.row_prng, Cell::Code(words::prng(&r.run.prng, w.l))),
        ],
    }
}

#[cfg(test)]
mod tests;
