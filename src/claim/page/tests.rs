//! The committee page on a hand-made claim report.

use super::markdown::md;
use super::*;
use crate::claim::result::*;
use crate::render::html::esc;

/// The Dutch page's words and number format.
const NL: fn() -> W = || W::new(Lang::Nl);
/// The Dutch words.
const T: fn() -> &'static ClaimTexts = || NL().t;

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
    let bins: Vec<(f64, f64, f64)> =
        histogram.edges.windows(2).zip(&histogram.counts).map(|(e, &c)| (e[0], e[1], c as f64 / n as f64)).collect();
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
    let mut c3 = outcome("baten/kostenverhouding", ClaimKind::Bcr, "ratio", 3.5, bell(0.0, 2.6, 26, 1.1, 0.4, draws));
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
                    account_name: Some("Samenkracht en burgerparticipatie".into()),
                    basis: "per_year".into(),
                    amount: "normal(60000, 5000)".into(),
                    mean: 60_000.0,
                },
                CostInfo {
                    account: "gemeente/6.1".into(),
                    account_name: None,
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
        levels: Some(Levels {
            financieel: Level {
                npv: Band { mean: -30_000.0, p5: -70_000.0, p95: 10_000.0 },
                bcr: Band { mean: 0.45, p5: 0.05, p95: 1.2 },
                p_npv_positive: 0.12,
            },
            maatschappelijk: Level {
                npv: Band { mean: 12_000.0, p5: -40_000.0, p95: 90_000.0 },
                bcr: Band { mean: 1.35, p5: 0.3, p95: 2.6 },
                p_npv_positive: 0.58,
            },
            pm: vec!["buurtnetwerk van ouders".into()],
            unvalued_outcomes: vec!["wellby".into()],
        }),
    }
}

#[test]
fn every_claim_appears_with_its_verdict() {
    let r = fixture();
    let verdicts: Vec<Verdict> = r.claims.iter().map(|c| c.verdict).collect();
    assert!(verdicts.contains(&Verdict::Realistisch));
    assert!(verdicts.contains(&Verdict::Optimistisch));
    assert!(verdicts.contains(&Verdict::Onrealistisch));
    let h = html(&r, Lang::Nl).unwrap();
    let m = markdown(&r, Lang::Nl);
    for c in &r.claims {
        let w = verdict_word(NL(), c.verdict);
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
    let h = html(&fixture(), Lang::Nl).unwrap();
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
    let h = html(&r, Lang::Nl).unwrap();
    assert_eq!(h.matches("<svg").count(), r.claims.len());
    assert_eq!(h.matches("<details>").count(), r.claims.len());
    assert_eq!(h.matches("<svg role=\"img\" aria-label=\"Verdeling van ").count(), r.claims.len());
    // The chart of the first claim shows the claim line, labelled, and both colours in its legend.
    let first = &h[h.find("<svg").unwrap()..h.find("</svg>").unwrap()];
    for text in [T().legend_claim, T().legend_below, T().legend_reached] {
        assert!(first.contains(&format!("\n{text}\n</text>")), "{text}");
    }
    assert!(first.contains("Besparing per jaar (€)"));
}

#[test]
fn markdown_has_one_row_per_claim_and_a_summary_per_chart() {
    let r = fixture();
    let m = markdown(&r, Lang::Nl);
    let verdicts = m.split(&format!("## {}", T().s_verdict)).nth(1).unwrap().split("\n\n").nth(1).unwrap();
    assert_eq!(verdicts.lines().count(), 2 + r.claims.len(), "{verdicts}");
    let charts = m.split(&format!("## {}", T().s_charts)).nth(1).unwrap().split("\n## ").next().unwrap();
    assert_eq!(charts.lines().filter(|l| l.starts_with("- **")).count(), r.claims.len());
    assert!(charts.contains("gesimuleerd P10–P90 €\u{a0}"), "{charts}");
    assert!(!m.contains("<svg"));
}

#[test]
fn infeasible_needed_effect_is_said_in_words() {
    let r = fixture();
    assert!(r.claims.iter().any(|c| c.needed_effect.as_ref().is_some_and(|n| !n.found)));
    let h = html(&r, Lang::Nl).unwrap();
    let m = markdown(&r, Lang::Nl);
    let bcr_row = m.lines().find(|l| l.starts_with("| baten/kostenverhouding")).unwrap();
    assert!(bcr_row.contains(T().not_feasible), "{bcr_row}");
    assert!(h.contains(&format!("<td>{}</td>", T().not_feasible)));
    // A found one gives λ and the RR of every effect.
    assert!(
        h.contains("λ\u{a0}=\u{a0}1,62<br>taal_eenzaamheid: RR\u{a0}0,70<br>ouders_jeugdhulp: RR\u{a0}0,77"),
        "{h}"
    );
}

#[test]
fn sentences_follow_the_numbers() {
    let r = fixture();
    let s = sentences(NL(), &r);
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
                                   bandbreedte voor het sociaal domein (1,3–2,2; SEOR 2020, Regioplan 2011, Sinzer 2015)."));
    let be = s.last().unwrap();
    assert!(
        be.starts_with(
            "De investering van de gemeente verdient zich (gemiddeld) terug bij een effect van \
                            RR 0,74 op eenzaamheid: matig → ernstig (aangenomen: 0,81) en RR 0,80 op \
                            jeugdhulp: geen → ambulant (aangenomen: 0,85); λ = 1,35."
        ),
        "{be}"
    );
    assert!(be.ends_with(T().be_stronger));
    assert!(s.iter().any(|x| x.starts_with("Voor de gemeente is de netto contante waarde gemiddeld −€\u{a0}38.000")));
    let mut r = r;
    r.claims[0].account_name = Some("6.72 Maatwerkdienstverlening 18-".into());
    assert_eq!(account_text(NL(), &r.claims[0]), "taakveld 6.72 Maatwerkdienstverlening 18-");
    r.break_even.found = false;
    r.break_even.note = Some("not reached even with the effect 10 times as strong".into());
    let be = sentences(NL(), &r).pop().unwrap();
    assert!(be.ends_with("verdient de investering van de gemeente zich niet terug."), "{be}");
    // The machine note (English) stays out of the Dutch page.
    assert!(!be.contains("not reached"), "{be}");
}

#[test]
fn values_print_in_their_unit() {
    assert_eq!(value(NL(), "eur", 12_000.0), "€\u{a0}12.000");
    assert_eq!(value(NL(), "eur_per_year", 12_000.0), "€\u{a0}12.000 per jaar");
    assert_eq!(value(NL(), "ratio", 2.5), "2,50");
    assert_eq!(value(NL(), "count", 3.0), "3,0");
    assert_eq!(share(NL(), 0.001), "<\u{a0}1\u{a0}%");
    assert_eq!(share(NL(), 0.2312), "23\u{a0}%");
    assert_eq!(freq(NL(), 0.0), T().freq_none);
    assert_eq!(freq(NL(), 0.23), "in 23 van de 100 trekkingen");
    assert_eq!(freq(NL(), f64::NAN), T().freq_unknown);
    assert_eq!(funder_text(NL(), "zorgverzekeraar"), "de zorgverzekeraar");
    assert_eq!(funder_text(NL(), "fonds-x"), "financier fonds-x");
    assert_eq!(range(NL(), "eur_per_year", 3_791.4, 16_412.0), "€\u{a0}3.790 – €\u{a0}16.400 per jaar");
    assert_eq!(range(NL(), "ratio", 0.594, 1.613), "0,59 – 1,61");
    assert_eq!(money(NL(), &[-38_000.0, -108_400.0, 32_449.0]), ["−€\u{a0}38.000", "−€\u{a0}108.000", "€\u{a0}32.400"]);
    assert_eq!(money(NL(), &[1.2e6, 3e5])[1], "€\u{a0}0,30\u{a0}mln");
}

#[test]
fn names_are_escaped() {
    let mut r = fixture();
    r.application.name = "Buurt <&> \"Co\"".into();
    r.claims[0].label = "a|b <x>".into();
    let h = html(&r, Lang::Nl).unwrap();
    assert!(h.contains("<h1>Toets van de claim: Buurt &lt;&amp;&gt; &quot;Co&quot;</h1>"));
    assert!(h.contains("<title>Toets van de claim: Buurt &lt;&amp;&gt; &quot;Co&quot;</title>"));
    assert!(!h.contains("<&>") && !h.contains("<x>"));
    let m = markdown(&r, Lang::Nl);
    assert!(m.starts_with("# Toets van de claim: Buurt \\<&\\> \"Co\"\n"));
    assert!(m.contains("| a\\|b \\<x\\> ("), "a pipe in a label does not split the cell");
}

/// Write the fixture's page for a look in a browser:
/// `cargo test --lib claim::page -- --ignored` writes `claim-page.html` and `.md` to the temp dir.
#[test]
#[ignore]
fn write_fixture_page() {
    let dir = std::env::temp_dir();
    std::fs::write(dir.join("claim-page.html"), html(&fixture(), Lang::Nl).unwrap()).unwrap();
    std::fs::write(dir.join("claim-page.md"), markdown(&fixture(), Lang::Nl)).unwrap();
}

/// The levels table has one row per level with NPV, B/C and P(NPV > 0), the
/// sentence that tells the two B/C ratios apart, and the PM-posten (named, then
/// the outcomes not valued), in Dutch and in English.
#[test]
fn both_levels_and_the_pm_posten_are_on_the_page() {
    let r = fixture();
    let h = html(&r, Lang::Nl).unwrap();
    let row = |page: &str, name: &str| {
        let at = page.find(&format!("<td>{name}</td>")).unwrap_or_else(|| panic!("no row {name}"));
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    let m = row(&h, "maatschappelijk");
    for cell in ["€\u{a0}12.000", "1,35", "0,30 – 2,60", "58\u{a0}%"] {
        assert!(m.contains(cell), "{cell} in {m}");
    }
    assert!(row(&h, "financieel").contains("0,45"));
    assert!(h.contains(T().levels_explain) && h.contains(T().h_pm));
    assert!(
        h.contains("<li>buurtnetwerk van ouders</li>")
            && h.contains("<li>wellby (geteld, niet in euro's gewaardeerd)</li>")
    );
    let e = html(&r, Lang::En).unwrap();
    assert!(row(&e, "social").contains("1.35") && row(&e, "financial").contains("0.45"));
    assert!(e.contains("<li>wellby (counted, not valued in euros)</li>"));
    let md = markdown(&r, Lang::En);
    assert!(md.contains("| social | €\u{a0}12,000") || md.contains("| social |"), "{md}");
    // Without levels (a claim.json from before) the section is left out.
    let mut old = fixture();
    old.levels = None;
    assert!(!html(&old, Lang::Nl).unwrap().contains(T().s_levels));
}

/// A cash B/C above the published band says that the band includes welfare;
/// a maatschappelijk B/C above it gets the plain band sentence.
#[test]
fn cash_ratio_above_the_band_is_told_the_band_includes_welfare() {
    let mut r = fixture();
    r.claims[2].flags = vec!["cash_bcr_above_published_range".into()];
    let s = sentences(NL(), &r);
    assert!(
        s.iter().any(|x| x.starts_with("De geclaimde financiële baten/kostenverhouding (3,50)")
            && x.contains("ook gezondheid en welzijn")),
        "{s:?}"
    );
}
