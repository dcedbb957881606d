//! The allocation page on hand-built reports.

use super::html;
use crate::allocate::result::*;

/// A spread around `mean`: P5/P95 at ±200 000, P10/P90 at ±150 000.
fn spread(mean: f64, p_positive: f64) -> Spread {
    Spread {
        mean,
        mcse: 1000.0,
        p5: mean - 200_000.0,
        p10: mean - 150_000.0,
        p50: mean,
        p90: mean + 150_000.0,
        p95: mean + 200_000.0,
        p_positive,
    }
}

fn option(name: &str, area: &str, cost: [f64; 3], npv: f64, p_in_best: f64, chosen: bool) -> OptionResult {
    OptionResult {
        name: name.into(),
        label: name.split(' ').next().unwrap_or(name).into(),
        kind: "intervention".into(),
        area: area.into(),
        scale: Some(40.0),
        cost_per_year: cost.to_vec(),
        peak_cost_per_year: cost.iter().copied().fold(0.0, f64::max),
        npv_societal: spread(npv, 0.6),
        npv: spread(npv - 50_000.0, 0.3),
        benefits_pv: 500_000.0,
        costs_pv: 400_000.0,
        avoided_starts: 3.0,
        weight: 1.0,
        p_in_best,
        chosen,
    }
}

fn portfolio(options: &[&str], peak: f64, mean: f64, spend_by_area: Vec<f64>) -> PortfolioResult {
    PortfolioResult {
        options: options.iter().map(|s| s.to_string()).collect(),
        objective: mean,
        bound: None,
        method: "integer_program".into(),
        npv_societal: spread(mean, 0.72),
        npv: spread(mean - 100_000.0, 0.2),
        costs_pv: 900_000.0,
        benefits_pv: 1_250_000.0,
        cost_per_year: vec![0.0, 80_000.0, peak],
        peak_cost_per_year: peak,
        spend_by_area,
        interactions_exact: true,
        simulated_npv_societal: None,
    }
}

const AREAS: [&str; 10] =
    ["Centrum", "Oost", "Oud-West", "Nieuw-West", "Midden", "Zuid", "Dukenburg", "Lindenholt", "Noord", "Wijchen"];

/// Options in Zuid (chosen, 50 000 then 100 000 a year) and Dukenburg (chosen,
/// 30 000 a year), one in Noord not chosen; budget 200 000 a year.
fn report() -> AllocationReport {
    let options = vec![
        option("opvoedsteun Zuid 40", "Zuid", [0.0, 50_000.0, 100_000.0], 240_000.0, 0.83, true),
        option("schulden Dukenburg 40", "Dukenburg", [0.0, 30_000.0, 30_000.0], 110_000.0, 0.55, true),
        option("opvoedsteun Noord 40", "Noord", [0.0, 50_000.0, 100_000.0], -20_000.0, 0.04, false),
    ];
    let mut spend = vec![0.0; AREAS.len()];
    spend[5] = 150_000.0;
    spend[6] = 60_000.0;
    let recommended = portfolio(&["opvoedsteun Zuid 40", "schulden Dukenburg 40"], 130_000.0, 350_000.0, spend.clone());
    AllocationReport {
        format_version: ALLOCATION_FORMAT_VERSION,
        name: "Fonds sociale basis".into(),
        description: "Welke combinatie levert het meeste op?".into(),
        objective: "npv".into(),
        tail: None,
        budget: 200_000.0,
        area_caps: vec![],
        funder_caps: vec![],
        areas: AREAS.iter().map(|s| s.to_string()).collect(),
        years: vec![2025, 2026, 2027],
        equity: None,
        options,
        interactions: vec![("opvoedsteun Zuid 40".into(), "schulden Dukenburg 40".into(), 1234.0)],
        additive_pairs: 3,
        frontier: vec![
            FrontierPoint { budget: 0.0, portfolio: portfolio(&[], 0.0, 0.0, vec![0.0; AREAS.len()]) },
            FrontierPoint {
                budget: 100_000.0,
                portfolio: portfolio(&["opvoedsteun Zuid 40"], 100_000.0, 240_000.0, spend.clone()),
            },
            FrontierPoint { budget: 200_000.0, portfolio: recommended.clone() },
        ],
        recommended,
        equity_sweep: vec![],
        round: None,
        run: AllocationRun {
            draws: 100,
            seed: 7,
            engine_version: "0.1.0".into(),
            prng: "xoshiro256++".into(),
            command_line: vec!["wijkimpact".into(), "allocate".into(), "fonds.toml".into()],
            inputs: vec![(
                "fonds.toml".into(),
                "26f48e4656a551d84e6dbb617f127e45a9f9ce6ce383c4496f7c51a2f646e487".into(),
            )],
            work_units: 123_456,
        },
    }
}

/// Equity weights on `report()`: need per area, η = 1 recommended, a sweep over 0 and 1.
fn with_equity(mut r: AllocationReport) -> AllocationReport {
    let need = vec![45.0, 60.0, 70.0, 80.0, 63.0, 93.0, 100.0, 100.0, 31.0, 70.0];
    let mean = need.iter().sum::<f64>() / need.len() as f64;
    let relative: Vec<f64> = need.iter().map(|n| n / mean).collect();
    r.equity = Some(EquityInfo {
        indicator: "Wmo-cliënten per 1.000 inwoners".into(),
        source: "CBS 2023".into(),
        need,
        relative_need: relative.clone(),
        eta: 1.0,
    });
    let rec = r.recommended.clone();
    let mut zero = portfolio(&["opvoedsteun Noord 40", "opvoedsteun Zuid 40"], 200_000.0, 380_000.0, vec![0.0; 10]);
    zero.spend_by_area[5] = 150_000.0;
    r.equity_sweep = vec![
        EquityPoint { eta: 0.0, area_weights: vec![1.0; 10], portfolio: zero },
        EquityPoint { eta: 1.0, area_weights: relative, portfolio: rec },
    ];
    r
}

fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<section id=\"{id}\">")).unwrap_or_else(|| panic!("no section {id}"));
    let end = page[start..].find("</section>").unwrap() + start;
    &page[start..end]
}

#[test]
fn each_stadsdeel_is_once_on_the_map_and_other_areas_follow() {
    let page = html(&report()).unwrap();
    let map = section(&page, "kaart");
    let grid_end = map.find("Overige gebieden").expect("Wijchen is not a stadsdeel of Nijmegen");
    let (grid, rest) = map.split_at(grid_end);
    for area in &AREAS[..9] {
        assert_eq!(grid.matches(&format!("<h3>{area}</h3>")).count(), 1, "{area} once on the map");
        assert!(!rest.contains(&format!("<h3>{area}</h3>")));
    }
    assert!(rest.contains("<h3>Wijchen</h3>") && !grid.contains("Wijchen"));
    // Noord in the top row, across the Waal; Dukenburg in the bottom row.
    assert!(grid.contains("grid-row: 1; grid-column: 2 / span 2; "), "{grid}");
    assert!(grid.contains("class=\"river\""));
    // Per area the dearest year of its chosen options: Zuid 100 000, Dukenburg 30 000.
    let cell = |area: &str| {
        let h = grid.find(&format!("<h3>{area}</h3>")).unwrap();
        let at = grid[..h].rfind("<div class=\"area\"").unwrap();
        &grid[at..h + grid[h..].find("</div>\n").unwrap()]
    };
    assert!(cell("Zuid").contains("€\u{a0}100.000 per jaar"), "{}", cell("Zuid"));
    assert!(cell("Zuid").contains("€\u{a0}150.000 in totaal"));
    assert!(cell("Zuid").contains("<li>opvoedsteun, 40 deelnemers per jaar</li>"));
    assert!(cell("Dukenburg").contains("€\u{a0}30.000 per jaar"));
    assert!(cell("Noord").contains("geen geld") && !cell("Noord").contains("<li>"));
    // The shade follows the money: Zuid has the most (0,04 + 0,32), Dukenburg 30 % of it.
    assert!(cell("Zuid").contains("rgba(0, 114, 178, 0.360)"));
    assert!(cell("Dukenburg").contains("rgba(0, 114, 178, 0.136)"));
}

#[test]
fn the_answer_comes_first_with_the_recommended_figures() {
    let page = html(&report()).unwrap();
    let answer = section(&page, "antwoord");
    assert!(page.find("id=\"antwoord\"").unwrap() < page.find("id=\"kaart\"").unwrap());
    assert!(answer.contains(
        "Aanbevolen: 2 opties, kosten in het duurste jaar €\u{a0}130.000 van €\u{a0}200.000 budget per jaar; \
         verwachte maatschappelijke netto contante waarde (NCW) €\u{a0}350.000 (90\u{a0}%-interval €\u{a0}150.000 tot \
         €\u{a0}550.000), kans op een positief saldo 72\u{a0}%."
    ));
    assert!(answer
        .contains("De keuze maximaliseert de verwachte maatschappelijke NCW; voor deze keuze is dat €\u{a0}350.000."));
    assert!(!answer.contains("benadering"), "an exact method has no bound sentence");
    // The chosen options are listed with their area and dearest-year cost.
    assert!(answer.contains("opvoedsteun, 40 deelnemers per jaar in Zuid: €\u{a0}100.000 per jaar"));
    // Sections without equity weights or a round are left out.
    assert!(!page.contains("id=\"gelijkheid\"") && !page.contains("id=\"fondsronde\""));
    assert!(page.contains("id=\"verantwoording\">\n<h2>6. Verantwoording</h2>"));
}

#[test]
fn a_heuristic_says_so_with_its_bound() {
    let mut r = report();
    r.objective = "p_positive".into();
    r.recommended.objective = 0.72;
    r.recommended.bound = Some(0.75);
    r.recommended.method = "local_search".into();
    let page = html(&r).unwrap();
    let answer = section(&page, "antwoord");
    assert!(answer.contains("maximaliseert de kans dat de NCW positief is; voor deze keuze is dat 72\u{a0}%."));
    assert!(answer.contains(
        "gevonden met een lokale zoekmethode met bovengrens: dat is een benadering. De best haalbare waarde is \
         hoogstens 75\u{a0}%; deze keuze ligt daar ten hoogste 3 procentpunt onder."
    ));
    assert!(section(&page, "verantwoording").contains("lokale zoekmethode met bovengrens"));
}

#[test]
fn the_frontier_is_a_chart_and_a_table_marking_the_budget() {
    let page = html(&report()).unwrap();
    let f = section(&page, "grens");
    assert!(f.contains("<svg"), "the frontier is drawn");
    assert_eq!(f.matches("<tr class=\"marked\">").count(), 1, "the row at the budget");
    let marked = &f[f.find("<tr class=\"marked\">").unwrap()..];
    assert!(marked.starts_with("<tr class=\"marked\"><td class=\"n\">€\u{a0}200.000</td><td class=\"n\">2</td>"));
    assert!(!f.contains("doel (gewogen NCW)"), "no weighted objective line without equity weights");
}

#[test]
fn options_are_sorted_by_how_often_they_are_best() {
    let page = html(&report()).unwrap();
    let s = section(&page, "zekerheid");
    let at = |n: &str| s.find(&format!("<td>{n}</td>")).unwrap();
    assert!(at("opvoedsteun Zuid 40") < at("schulden Dukenburg 40"));
    assert!(at("schulden Dukenburg 40") < at("opvoedsteun Noord 40"));
    // 0,83 in the best portfolio: 83 %, with a bar of that width; P10–P90 under the mean.
    assert!(s.contains("83\u{a0}%<span class=\"pbar\" aria-hidden=\"true\"><span style=\"width:83%\">"));
    assert!(s.contains(
        "€\u{a0}240.000<br><span class=\"muted\">P10–P90: <span class=\"nw\">€\u{a0}90.000</span> tot \
         <span class=\"nw\">€\u{a0}390.000</span></span>"
    ));
    assert!(s.contains("4\u{a0}%"));
}

#[test]
fn user_text_is_escaped() {
    let mut r = report();
    r.name = "Fonds <script>alert(1)</script>".into();
    r.description = "a & b".into();
    r.options[0].name = "<b>opvoedsteun</b>".into();
    let page = html(&r).unwrap();
    assert!(!page.contains("<script") && !page.contains("<b>"));
    assert!(page.contains("<title>Fonds &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    assert!(page.contains("<h1>Fonds &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(page.contains("a &amp; b"));
}

#[test]
fn equity_weighting_shows_need_and_what_shifts_per_eta() {
    let page = html(&with_equity(report())).unwrap();
    let e = section(&page, "gelijkheid");
    assert!(e.contains("<h2>5. Gelijke kansen: het effect van de gelijkheidsweging</h2>"));
    assert!(e.contains("(behoefte / gemiddelde behoefte)^η"));
    assert!(e.contains("Behoefte: Wmo-cliënten per 1.000 inwoners. Bron: CBS 2023."));
    // Mean need 71.2: Zuid 93 / 71,2 = 1,31; the high-need areas are named.
    assert!(e.contains("<td>Zuid</td><td class=\"n\">93</td><td class=\"n\">1,31</td>"), "{e}");
    assert!(e.contains("boven het gemiddelde: Nieuw-West, Zuid, Dukenburg, Lindenholt."));
    // η = 1 against η = 0: Dukenburg's option comes in, Noord's goes out.
    let row = &e[e.find("<td>1 (aanbevolen)</td>").expect("the recommended η is marked")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains(
            "<td><span class=\"nw\">+\u{a0}schulden Dukenburg 40</span></td>\
             <td><span class=\"nw\">−\u{a0}opvoedsteun Noord 40</span></td>"
        ),
        "{row}"
    );
    assert!(row.contains("Dukenburg: €\u{a0}30.000"), "{row}");
    // The answer names the weighting, the map the need and weight.
    assert!(section(&page, "antwoord").contains("met gelijkheidsweging η\u{a0}=\u{a0}1"));
    assert!(section(&page, "antwoord").contains("€\u{a0}350.000 (gewogen)"));
    assert!(section(&page, "kaart").contains("behoefte 93 · gewicht 1,00"));
    assert!(section(&page, "grens").contains("doel (gewogen NCW)"));
}

#[test]
fn interactions_and_additive_pairs() {
    let page = html(&report()).unwrap();
    let s = section(&page, "samenloop");
    assert!(s.contains("<td>opvoedsteun Zuid 40</td><td>schulden Dukenburg 40</td><td>Zuid</td><td class=\"n\">€\u{a0}1.230</td><td>✓ ja</td>"), "{s}");
    assert!(s.contains("3 andere paren in één stadsdeel delen geen gezamenlijk blok"));
}

fn with_round(mut r: AllocationReport) -> AllocationReport {
    let mut app = option("Buurtkracht", "Oost", [0.0, 40_000.0, 40_000.0], 90_000.0, 0.6, false);
    app.kind = "application".into();
    app.scale = None;
    r.options.push(app);
    r.round = Some(Round {
        applications: vec![RoundEntry {
            option: "Buurtkracht".into(),
            name: "Buurtkracht <Oost>".into(),
            applicant: "Stichting Wijk & Co".into(),
            area: "Oost".into(),
            funded: true,
            claims: vec![ClaimLine {
                label: "Vermeden zorgkosten".into(),
                claimed: 50_000.0,
                unit: "eur_per_year".into(),
                p_reached: 0.31,
                verdict: "optimistisch".into(),
            }],
            verdict: "optimistisch".into(),
            claim_dir: "claim-buurtkracht.html".into(),
        }],
        funded: portfolio(&["Buurtkracht"], 40_000.0, 90_000.0, vec![0.0; AREAS.len()]),
        asked_peak_per_year: 40_000.0,
    });
    r
}

#[test]
fn the_fund_round_lists_applications_verdicts_and_links() {
    let page = html(&with_round(report())).unwrap();
    let s = section(&page, "fondsronde");
    assert!(s.contains(
        "Gevraagd €\u{a0}40.000 per jaar (alle aanvragen samen, in het duurste jaar), budget €\u{a0}200.000 per jaar."
    ));
    assert!(s.contains(
        "</a></td><td>✓ ja</td><td>Stichting Wijk &amp; Co</td><td>Oost</td><td class=\"n\">€\u{a0}40.000</td>"
    ));
    assert!(s.contains(
        "<span class=\"verdict verdict-watch\"><span aria-hidden=\"true\">!</span>&nbsp;optimistisch</span>"
    ));
    assert!(s.contains("Vermeden zorgkosten: €\u{a0}50.000 per jaar (kans 31\u{a0}%)"));
    assert!(s.contains("<td>Buurtkracht &lt;Oost&gt;<br><a href=\"claim-buurtkracht.html\">claimcheck →</a></td>"));
    assert!(s.contains("Gefinancierd: 1 aanvraag, kosten in het duurste jaar €\u{a0}40.000 van €\u{a0}200.000"));
    assert!(page.contains("<h2>7. Verantwoording</h2>"));
}

#[test]
fn reproduction_shows_run_and_shortened_hashes() {
    let page = html(&report()).unwrap();
    let s = section(&page, "verantwoording");
    assert!(s.contains(
        "<code title=\"26f48e4656a551d84e6dbb617f127e45a9f9ce6ce383c4496f7c51a2f646e487\">26f48e4656a5…</code>"
    ));
    assert!(s.contains("geheeltallig programma (exact)"));
    assert!(s.contains("<code>wijkimpact allocate fonds.toml</code>"));
    assert!(s.contains("123.456"));
}

/// A page to look at: `cargo test --release --lib allocate::page -- --ignored`
/// writes /tmp/alloc-page.html.
#[test]
#[ignore]
fn write_a_page_to_look_at() {
    let mut r = with_round(with_equity(report()));
    for (i, a) in AREAS.iter().enumerate().take(9) {
        for (k, scale) in [40.0, 80.0].into_iter().enumerate() {
            let mut o = option(
                &format!("gezinscoach {a} {scale}"),
                a,
                [0.0, 20_000.0 * (k + 1) as f64, 35_000.0 * (k + 1) as f64],
                (i as f64 - 3.0) * 25_000.0 + k as f64 * 10_000.0,
                (i as f64 * 0.09 + k as f64 * 0.05).min(1.0),
                false,
            );
            o.scale = Some(scale);
            r.options.push(o);
        }
    }
    std::fs::write("/tmp/alloc-page.html", html(&r).unwrap()).unwrap();
}

#[test]
fn nothing_chosen_says_so() {
    let mut r = report();
    r.recommended = portfolio(&[], 0.0, 0.0, vec![0.0; AREAS.len()]);
    for o in &mut r.options {
        o.chosen = false;
    }
    let page = html(&r).unwrap();
    let answer = section(&page, "antwoord");
    assert!(answer
        .contains("Aanbevolen: niets. Binnen €\u{a0}200.000 per jaar levert geen combinatie meer op dan niets doen."));
    assert!(!answer.contains("De gekozen opties"));
    assert_eq!(section(&page, "kaart").matches("geen geld").count(), AREAS.len());
}

#[test]
fn the_frontier_table_shows_the_objective_only_when_it_differs_from_the_ncw() {
    let page = html(&report()).unwrap();
    assert!(!section(&page, "grens").contains(">Doel</th>"));
    let mut r = with_equity(report());
    r.frontier[2].portfolio.objective = 512_345.0;
    let f = html(&r).unwrap();
    let f = section(&f, "grens");
    assert!(f.contains(">Doel</th>") && f.contains("€\u{a0}512.000</td>"), "{f}");
}

/// Draw the page of an `allocation.json` to look at:
/// `ALLOCATION_JSON=run/allocation.json cargo test --release --lib allocate::page -- --ignored`
/// writes /tmp/alloc-json.html (the report types only serialise, so this reads the JSON by hand).
#[test]
#[ignore]
fn write_the_page_of_an_allocation_json() {
    use serde_json::Value;
    let Ok(path) = std::env::var("ALLOCATION_JSON") else { return };
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let fs = |v: &Value| v.as_array().map(|a| a.iter().map(f).collect::<Vec<f64>>()).unwrap_or_default();
    let ss = |v: &Value| v.as_array().map(|a| a.iter().map(s).collect::<Vec<String>>()).unwrap_or_default();
    let spread = |v: &Value| Spread {
        mean: f(&v["mean"]),
        mcse: f(&v["mcse"]),
        p5: f(&v["p5"]),
        p10: f(&v["p10"]),
        p50: f(&v["p50"]),
        p90: f(&v["p90"]),
        p95: f(&v["p95"]),
        p_positive: f(&v["p_positive"]),
    };
    let pf = |v: &Value| PortfolioResult {
        options: ss(&v["options"]),
        objective: f(&v["objective"]),
        bound: v["bound"].as_f64(),
        method: s(&v["method"]),
        npv_societal: spread(&v["npv_societal"]),
        npv: spread(&v["npv"]),
        costs_pv: f(&v["costs_pv"]),
        benefits_pv: f(&v["benefits_pv"]),
        cost_per_year: fs(&v["cost_per_year"]),
        peak_cost_per_year: f(&v["peak_cost_per_year"]),
        spend_by_area: fs(&v["spend_by_area"]),
        interactions_exact: v["interactions_exact"].as_bool().unwrap_or(true),
        simulated_npv_societal: None,
    };
    let arr = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let pairs = |v: &Value| arr(v).iter().map(|p| (s(&p[0]), f(&p[1]))).collect::<Vec<_>>();
    let r = AllocationReport {
        format_version: 1,
        name: s(&v["name"]),
        description: s(&v["description"]),
        objective: s(&v["objective"]),
        tail: v["tail"].as_f64(),
        budget: f(&v["budget"]),
        area_caps: pairs(&v["area_caps"]),
        funder_caps: pairs(&v["funder_caps"]),
        areas: ss(&v["areas"]),
        years: arr(&v["years"]).iter().map(|y| y.as_i64().unwrap_or(0) as i32).collect(),
        equity: v["equity"].as_object().map(|_| EquityInfo {
            indicator: s(&v["equity"]["indicator"]),
            source: s(&v["equity"]["source"]),
            need: fs(&v["equity"]["need"]),
            relative_need: fs(&v["equity"]["relative_need"]),
            eta: f(&v["equity"]["eta"]),
        }),
        options: arr(&v["options"])
            .iter()
            .map(|o| OptionResult {
                name: s(&o["name"]),
                label: s(&o["label"]),
                kind: s(&o["kind"]),
                area: s(&o["area"]),
                scale: o["scale"].as_f64(),
                cost_per_year: fs(&o["cost_per_year"]),
                peak_cost_per_year: f(&o["peak_cost_per_year"]),
                npv_societal: spread(&o["npv_societal"]),
                npv: spread(&o["npv"]),
                benefits_pv: f(&o["benefits_pv"]),
                costs_pv: f(&o["costs_pv"]),
                avoided_starts: f(&o["avoided_starts"]),
                weight: f(&o["weight"]),
                p_in_best: f(&o["p_in_best"]),
                chosen: o["chosen"].as_bool().unwrap_or(false),
            })
            .collect(),
        interactions: arr(&v["interactions"]).iter().map(|p| (s(&p[0]), s(&p[1]), f(&p[2]))).collect(),
        additive_pairs: v["additive_pairs"].as_u64().unwrap_or(0) as usize,
        recommended: pf(&v["recommended"]),
        frontier: arr(&v["frontier"])
            .iter()
            .map(|p| FrontierPoint { budget: f(&p["budget"]), portfolio: pf(&p["portfolio"]) })
            .collect(),
        equity_sweep: arr(&v["equity_sweep"])
            .iter()
            .map(|p| EquityPoint {
                eta: f(&p["eta"]),
                area_weights: fs(&p["area_weights"]),
                portfolio: pf(&p["portfolio"]),
            })
            .collect(),
        round: None,
        run: AllocationRun {
            draws: v["run"]["draws"].as_u64().unwrap_or(0),
            seed: v["run"]["seed"].as_u64().unwrap_or(0),
            engine_version: s(&v["run"]["engine_version"]),
            prng: s(&v["run"]["prng"]),
            command_line: ss(&v["run"]["command_line"]),
            inputs: arr(&v["run"]["inputs"]).iter().map(|p| (s(&p[0]), s(&p[1]))).collect(),
            work_units: v["run"]["work_units"].as_u64().unwrap_or(0),
        },
    };
    std::fs::write("/tmp/alloc-json.html", html(&r).unwrap()).unwrap();
}
