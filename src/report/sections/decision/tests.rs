//! The decision section on a hand-made run: two areas and the total, three
//! arms, a grid of five willingness-to-pay points, three parameter groups
//! and twelve single parameters.

use super::*;
use crate::output::schema::InputFile;
use crate::report::data::{RunData, SummaryFile};
use crate::report::html::render as render_report;
use serde_json::json;

const ARMS: [&str; 3] = ["nulalternatief", "wor", "ouders"];

/// The `decision` section: `warning` as given; at the total `wor` is optimal
/// at λ = 50,000 with p_optimal `p_optimal`.
fn decision(warning: Option<&str>, p_optimal: Option<f64>) -> serde_json::Value {
    let inc = |effect_scale: f64| {
        json!([
            {"arm": "nulalternatief", "cost": 1.0e6, "effect": 0.0, "status": "frontier", "compared_with": null,
             "d_cost": null, "d_effect": null, "icer": null},
            {"arm": "ouders", "cost": 1.2e6, "effect": -effect_scale, "status": "strongly_dominated",
             "compared_with": null, "d_cost": null, "d_effect": null, "icer": null},
            {"arm": "wor", "cost": 1.5e6, "effect": 20.0 * effect_scale, "status": "frontier",
             "compared_with": "nulalternatief", "d_cost": 5.0e5, "d_effect": 20.0 * effect_scale,
             "icer": 5.0e5 / (20.0 * effect_scale)},
        ])
    };
    let group = |name: &str, v: f64, se: f64, warning: Option<&str>| {
        json!({"name": name, "kind": "group", "parameters": [format!("{name}_a"), format!("{name}_b")],
               "evppi": v, "se": se, "per_person": v / 1000.0, "warning": warning})
    };
    let mut evppi = vec![
        group("kosten", 4.0e4, 5.0e3, None),
        group("effect", 9.0e4, 1.0e4, Some("Its standard error is more than half the estimate")),
        group("waardering", 1.0e3, 2.0e3, None),
    ];
    for i in 0..12 {
        let v = 1000.0 * (i + 1) as f64;
        evppi.push(json!({"name": format!("par{i}"), "kind": "parameter", "parameters": [format!("par{i}")],
                          "evppi": v, "se": 100.0, "per_person": v / 1000.0, "warning": null}));
    }
    let area = |pop: f64, optimal: &str, p: Option<f64>, evpi: f64, evppi: Vec<serde_json::Value>| {
        json!({"population": pop, "optimal": optimal, "p_optimal": p,
               "nmb": {"nulalternatief": -1.0e6, "wor": -0.5e6, "ouders": -1.25e6},
               "evpi": evpi, "evpi_per_person": evpi / pop,
               "incremental": {"qaly": inc(1.0), "wellby": inc(3.0)}, "evppi": evppi})
    };
    json!({"effect": "qaly", "wtp": 50000.0, "draws": 400, "warning": warning,
           "areas": {"Noord": area(600.0, "nulalternatief", None, 2.0e4, vec![]),
                     "Zuid": area(400.0, "wor", Some(0.55), 3.0e4, vec![]),
                     "totaal": area(1000.0, "wor", p_optimal, 1.2e5, evppi)}})
}

/// acceptability.csv of the total and Noord: λ = 0, 25k, 50k, 75k, 100k;
/// `wor` is optimal from 50k, best in 30 + 10·k % of the draws.
fn curves() -> Vec<AcceptabilityRow> {
    let mut out = vec![];
    for area in ["Noord", "totaal"] {
        for k in 0..5 {
            let w = 25000.0 * k as f64;
            let p_wor = 0.3 + 0.1 * k as f64;
            let ps = [1.0 - p_wor - 0.05, p_wor, 0.05];
            for (a, p) in ARMS.iter().zip(ps) {
                out.push(AcceptabilityRow {
                    area: area.into(),
                    wtp: w,
                    arm: a.to_string(),
                    p_best: Some(p),
                    expected_loss: Some(1000.0 * (k + 1) as f64),
                    optimal: *a == if k >= 2 { "wor" } else { "nulalternatief" },
                    evpi: Some(1000.0 * (k + 1) as f64),
                });
            }
        }
    }
    out
}

fn sobol() -> SobolFile {
    let ix = |f: &str, s: f64, st: f64| {
        json!({"factor": f, "first": s, "first_interval": [s - 0.1, s + 0.1], "total": st,
               "total_interval": [st - 0.05, st + 0.05]})
    };
    serde_json::from_value(json!({
        "format_version": 1, "base_samples": 500, "runs": 2500, "seed": 7, "metric": "npv", "bootstrap": 1000,
        "interval": "95 % percentile bootstrap over base samples",
        "inputs": [{"path": "scenarios/x.toml", "sha256": "ab".repeat(32)}],
        "factors": [{"name": "kosten", "parameters": ["k1", "k2"]}, {"name": "effect", "parameters": ["e1"]},
                    {"name": "overige parameters", "parameters": (0..10).map(|i| format!("p{i}")).collect::<Vec<_>>()}],
        "scenarios": {
            "wor": {"Noord": {"variance": 0.0, "note": "the output does not vary across the sample; Sobol indices are undefined", "factors": []},
                    "totaal": {"variance": 4.0e10, "factors": [ix("kosten", 0.2, 0.25), ix("effect", 0.6, 0.7), ix("overige parameters", 0.05, 0.08)]}},
            "ouders": {"totaal": {"variance": 0.0, "note": "the output does not vary across the sample; Sobol indices are undefined", "factors": []}},
        },
    }))
    .expect("a sobol.json")
}

fn run_data(decision: Option<serde_json::Value>) -> RunData {
    let mut summary = json!({
        "format_version": crate::output::json::FORMAT_VERSION,
        "engine": {"name": "wijkimpact", "version": "0.0.0"},
        "run": {"seed": 1, "draws": 400, "mode": "cohort", "start_year": 2025, "horizon": 4,
                "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95]},
        "scenarios": {"wor": {"areas": {"Noord": {"metrics": {}}, "Zuid": {"metrics": {}}, "totaal": {"metrics": {}}}}},
    });
    if let Some(d) = decision {
        summary["decision"] = d;
    }
    let summary: SummaryFile = serde_json::from_value(summary).unwrap();
    let acceptability = summary.decision.is_some().then(curves);
    RunData {
        dir: std::path::PathBuf::from("runs/wor"),
        summary,
        manifest: Default::default(),
        yearly: Default::default(),
        sensitivity: None,
        assumptions: None,
        monitor: None,
        observed: None,
        acceptability,
        sobol: None,
    }
}

fn section(data: &RunData, lang: Lang) -> String {
    let r = Report::new(data, lang);
    let mut h = Html::default();
    render(&r, &mut h).unwrap();
    h.into_string()
}

/// The `<table>` that follows the first occurrence of `after`.
fn table_after<'a>(html: &'a str, after: &str) -> &'a str {
    let i = html.find(after).unwrap_or_else(|| panic!("no {after}"));
    let start = i + html[i..].find("<table").unwrap();
    &html[start..start + html[start..].find("</table>").unwrap()]
}

fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .split("<tr>")
        .skip(2)
        .map(|r| r.split("<td").skip(1).map(|c| cell_text(&c[c.find('>').unwrap() + 1..])).collect())
        .collect()
}

/// The text of a cell: tags dropped, entities decoded.
fn cell_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&").trim().to_string()
}

#[test]
fn incremental_table_names_statuses_icers_and_the_optimal_arm() {
    let data = run_data(Some(decision(None, Some(0.62))));
    let nl = section(&data, Lang::Nl);
    for h3 in [
        "Kosten en effecten van alle keuzes",
        "Hoe zeker: de kans dat elke keuze de beste is",
        "Wat zekerheid waard is: de verwachte waarde van perfecte informatie (EVPI)",
        "Wat onderzoeken: de waarde van informatie per parametergroep (EVPPI)",
        "Wat de spreiding van de NPV verklaart: Sobol-indices",
    ] {
        assert!(nl.contains(&format!("<h3>{h3}</h3>")), "{h3}");
    }
    let inc = rows(table_after(&nl, "Effectmaat: QALY's"));
    assert_eq!(inc.len(), 3, "{inc:?}");
    // Arms in cost order, as the file has them; the ICER of wor is 500,000 / 20 = € 25.000 per QALY.
    assert_eq!(inc[0][0], "nulalternatief");
    assert_eq!(inc[1][..4], ["ouders", "€\u{a0}1,20\u{a0}mln", "−1,00", "sterk gedomineerd"]);
    assert_eq!(inc[2][3..8], ["op de grens", "nulalternatief", "€\u{a0}0,50\u{a0}mln", "20,00", "€\u{a0}25.000"]);
    // The net benefit at λ: the file's per-arm NMB.
    assert_eq!(inc[2][8], "−€\u{a0}0,50\u{a0}mln");
    assert!(nl.contains("Netto baten bij €\u{a0}50.000 per QALY"));
    assert!(nl.contains(
        "Bij een betalingsbereidheid van €\u{a0}50.000 per QALY heeft wor de hoogste verwachte netto baten \
         (−€\u{a0}0,50\u{a0}mln)."
    ));
    assert!(nl.contains("In 62 van de 100 trekkingen is wor ook echt de beste keuze;"));
    // WELLBY compactly: the effect × 3, so wor's ICER is 500,000 / 60 = € 8.333.
    let wellby = rows(table_after(&nl, "<h4>Andere effectmaten</h4>"));
    assert_eq!(wellby[2], ["wor", "€\u{a0}1,50\u{a0}mln", "60,00", "op de grens", "€\u{a0}8.333"]);
    let en = section(&data, Lang::En);
    assert!(en.contains("<td>strongly dominated</td>") && en.contains("<td>on the frontier</td>"));
    assert!(en.contains("At a willingness to pay of €50,000 per QALY, wor has the highest expected net benefit"));
    assert!(en.contains("In 62 out of 100 draws wor is indeed the best choice;"));
}

#[test]
fn without_p_optimal_the_sentence_reads_the_nearest_grid_point() {
    let mut d = decision(None, None);
    d["wtp"] = json!(56000.0);
    let data = run_data(Some(d));
    let nl = section(&data, Lang::Nl);
    // The nearest point of 0, 25k, 50k, 75k, 100k to 56k is 50k, where wor is best in 50 %.
    assert!(
        nl.contains("In 50 van de 100 trekkingen is wor ook echt de beste keuze (afgelezen op het dichtstbijzijnde punt van de curve, €\u{a0}50.000 per QALY)"),
        "{nl}"
    );
    // Per area: Zuid has its own p_optimal; Noord reads its curve (nulalternatief at 50k: 1 − 0.5 − 0.05).
    let areas = rows(table_after(&nl, "<h4>Per gebied</h4>"));
    assert_eq!(areas.iter().map(|r| r[3].as_str()).collect::<Vec<_>>(), ["45\u{a0}%", "55\u{a0}%", "50\u{a0}%"]);
    assert_eq!(areas[2][0], "totaal van 2 gebieden");
    assert_eq!(areas[2][4..], ["€\u{a0}0,12\u{a0}mln", "€\u{a0}120"]);
    assert_eq!(areas[0][5], "€\u{a0}33,33", "20,000 / 600 with cents");
}

#[test]
fn curves_are_drawn_with_their_frontier_and_tabled() {
    let data = run_data(Some(decision(None, Some(0.5))));
    let nl = section(&data, Lang::Nl);
    assert_eq!(nl.matches("data-chart=\"ceac\"").count(), 1);
    assert_eq!(nl.matches("data-chart=\"evpi\"").count(), 1);
    let ceac = &nl[nl.find("data-chart=\"ceac\"").unwrap()..nl.find("data-chart=\"evpi\"").unwrap()];
    // Frontier: nulalternatief at 0 and 25k, wor at 50k–100k: five dots, one thick segment each
    // between neighbours (1 + 2).
    assert_eq!(ceac.matches("<circle").count(), 5, "five frontier points");
    assert_eq!(ceac.matches("stroke-width=\"6\"").count(), 3);
    let tab = rows(table_after(ceac, "<details>"));
    // Five grid points, all shown; λ = 50k is the nearest and marked.
    assert_eq!(tab.len(), 5);
    assert_eq!(tab[2][0], "€\u{a0}50.000dichtst bij de betalingsbereidheid");
    // Arms in the order of the file's `nmb` (here alphabetical, as `json!` sorts its keys).
    assert_eq!(tab[2][1..], ["45\u{a0}%", "5\u{a0}%", "50\u{a0}%", "wor"]);
    assert_eq!(tab[0][4], "nulalternatief");
    let evpi = rows(table_after(&nl[nl.find("data-chart=\"evpi\"").unwrap()..], "<details>"));
    // EVPI 1,000 × (k + 1) for 1,000 people: € 3.000 and € 3,00 at 50k; expected loss columns per arm.
    assert_eq!(evpi[2][1..], ["€\u{a0}3.000", "€\u{a0}3,00", "€\u{a0}3.000", "€\u{a0}3.000", "€\u{a0}3.000"]);
    assert!(nl.contains(
        "Bij €\u{a0}50.000 per QALY is de EVPI €\u{a0}0,12\u{a0}mln voor de hele bevolking, €\u{a0}120 per inwoner."
    ));
}

#[test]
fn evppi_groups_are_sorted_with_evpi_as_reference_and_top_ten_singles() {
    let data = run_data(Some(decision(None, Some(0.5))));
    let nl = section(&data, Lang::Nl);
    let fig = &nl[nl.find("data-chart=\"evppi\"").unwrap()..];
    let groups = rows(table_after(fig, "<details>"));
    assert_eq!(groups.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["effect", "kosten", "waardering"]);
    assert_eq!(groups[0][1..5], ["effect_a, effect_b", "€\u{a0}90.000", "€\u{a0}10.000", "€\u{a0}90,00"]);
    assert_eq!(groups[0][5], "Its standard error is more than half the estimate");
    assert!(fig.contains("<span lang=\"en\">Its standard error"), "an English note is marked as English");
    // The EVPI line's legend and the bars in € thousand (the EVPI, 120,000, is the largest value).
    assert!(fig.contains("\nEVPI\n</text>") && fig.contains("EVPPI (× € 1.000)"), "{fig}");
    let singles = rows(table_after(&nl, "De parameters met de hoogste EVPPI, elk apart"));
    assert_eq!(singles.len(), 10);
    assert_eq!(singles[0][..2], ["par11", "€\u{a0}12.000"]);
    assert_eq!(singles[9][0], "par2");
    // Without estimates (e.g. every fit failed): no chart, the table with its notes.
    let mut d = decision(None, Some(0.5));
    for e in d["areas"]["totaal"]["evppi"].as_array_mut().unwrap() {
        e["evppi"] = json!(null);
        e["se"] = json!(null);
        e["warning"] = json!("not implemented");
    }
    let nl = section(&run_data(Some(d)), Lang::Nl);
    assert!(!nl.contains("data-chart=\"evppi\""));
    assert!(nl.contains("Voor geen enkele groep is er een schatting van de EVPPI"));
    assert!(!nl.contains("elk apart"), "no singles table without estimates");
    // No groups declared: how to declare them.
    let mut d = decision(None, Some(0.5));
    d["areas"]["totaal"]["evppi"] = json!([]);
    let nl = section(&run_data(Some(d)), Lang::Nl);
    assert!(nl.contains("<code>[[parameter_group]]</code>"));
}

#[test]
fn the_runs_warning_is_shown_in_the_pages_words() {
    let w = "200 draws: the value of information estimates are unreliable below 1000 draws; run more draws (e.g. --draws 5000)";
    let nl = section(&run_data(Some(decision(Some(w), Some(0.5)))), Lang::Nl);
    assert!(nl.contains("<div class=\"decision-warning\" role=\"note\"><strong>Let op: </strong>Deze run heeft 200 trekkingen. Onder 1.000 trekkingen"), "{nl}");
    assert!(nl.contains("<code>--draws 5000</code>"));
    let en = section(&run_data(Some(decision(Some(w), Some(0.5)))), Lang::En);
    assert!(en.contains("This run has 200 draws. Below 1,000 draws"));
    let w = "stochastic mode: person-level chance adds to the spread of net benefit, so EVPI is overstated";
    let nl = section(&run_data(Some(decision(Some(w), Some(0.5)))), Lang::Nl);
    assert!(nl.contains("Deze run is in stochastische modus gemaakt"));
    let nl = section(&run_data(Some(decision(Some("something new"), Some(0.5)))), Lang::Nl);
    assert!(nl.contains("Melding van de analyse (in het Engels): <span lang=\"en\">something new</span>"));
    let nl = section(&run_data(Some(decision(None, Some(0.5)))), Lang::Nl);
    assert!(!nl.contains("decision-warning"));
}

#[test]
fn sobol_indices_appear_only_with_sobol_data() {
    let mut data = run_data(Some(decision(None, Some(0.5))));
    let nl = section(&data, Lang::Nl);
    assert!(!nl.contains("data-chart=\"sobol\""));
    assert!(nl.contains(
        "Dit rapport heeft geen Sobol-indices. Bereken ze met <code>wijkimpact sobol scenario --base-samples 2000 \
         --out sobol</code> en maak het rapport opnieuw met <code>wijkimpact report wor --sobol sobol</code>."
    ));
    data.sobol = Some(sobol());
    for lang in [Lang::Nl, Lang::En] {
        let html = section(&data, lang);
        assert!(!html.contains("Bereken ze met") && !html.contains("Compute them with"));
        // One chart: wor's total; ouders' NPV does not vary.
        assert_eq!(html.matches("data-chart=\"sobol\"").count(), 1);
        let constant = decision_texts(lang).sobol_constant;
        assert!(html.contains(&format!("<h4>ouders</h4>\n<p class=\"muted\">{}", esc(constant))), "{html}");
        let fig = &html[html.find("data-chart=\"sobol\"").unwrap()..];
        let tab = rows(table_after(fig, "<details>"));
        // Largest total index first; the rest's parameters listed up to eight.
        assert_eq!(tab.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["effect", "kosten", "overige parameters"]);
        let (s, st) = match lang {
            Lang::Nl => ("0,60 (0,50 – 0,70)", "0,70 (0,65 – 0,75)"),
            Lang::En => ("0.60 (0.50 – 0.70)", "0.70 (0.65 – 0.75)"),
        };
        assert_eq!(tab[0][1..], ["e1", s, st]);
        assert_eq!(tab[2][1], "p0, p1, p2, p3, p4, p5, p6, p7, … (+2)");
        // Two series, first-order and total, in the legend.
        let dt = decision_texts(lang);
        for legend in [dt.legend_first, dt.legend_total] {
            assert!(fig.contains(&format!("\n{legend}\n</text>")), "{legend}");
        }
    }
    let en = section(&data, Lang::En);
    assert!(en.contains("From 2,500 model runs: 500 base samples, seed 7, 1,000 bootstrap resamples."));
}

#[test]
fn the_section_sits_after_the_drivers_and_only_with_a_decision_analysis() {
    let html = render_report(&run_data(Some(decision(None, Some(0.5)))), Lang::Nl).unwrap();
    let at = |id: &str| html.find(&format!("<section id=\"{id}\">")).unwrap_or_else(|| panic!("no {id}"));
    assert!(at("gevoeligheid") < at("keuze") && at("keuze") < at("aannames"));
    assert!(html.contains("<li><a href=\"#keuze\">Welke keuze, hoe zeker, wat onderzoeken</a></li>"));
    assert!(html.contains("6. Welke keuze, hoe zeker, wat onderzoeken</h2>"));
    let html = render_report(&run_data(None), Lang::Nl).unwrap();
    assert!(!html.contains("id=\"keuze\""));
}

#[test]
fn table_points_take_every_kth_the_last_and_the_nearest() {
    assert_eq!(table_points(41, Some(19)), [0, 5, 10, 15, 19, 20, 25, 30, 35, 40]);
    assert_eq!(table_points(5, Some(2)), [0, 1, 2, 3, 4]);
    assert_eq!(table_points(12, None), [0, 2, 4, 6, 8, 10, 11]);
    assert_eq!(table_points(0, None), Vec::<usize>::new());
}

#[test]
fn sobol_results_of_another_scenario_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = |inputs: serde_json::Value| {
        let mut v: serde_json::Value = serde_json::to_value(json!({
            "format_version": 1, "base_samples": 8, "runs": 40, "seed": 7, "metric": "npv", "bootstrap": 100,
            "interval": "95 %", "factors": [], "scenarios": {},
        }))
        .unwrap();
        v["inputs"] = inputs;
        std::fs::write(dir.path().join("sobol.json"), serde_json::to_string(&v).unwrap()).unwrap();
    };
    let manifest = crate::output::schema::ManifestFile {
        inputs: vec![InputFile { path: "scenarios/a.toml".into(), sha256: "aa".repeat(32) }],
        ..Default::default()
    };
    // The same file by content, named from another directory: accepted.
    file(json!([{"path": "/elders/a.toml", "sha256": "aa".repeat(32)}]));
    assert!(crate::report::decision::load_sobol(dir.path(), &manifest).is_ok());
    file(json!([{"path": "scenarios/a.toml", "sha256": "bb".repeat(32)}]));
    match crate::report::decision::load_sobol(dir.path(), &manifest) {
        Err(ReportError::Format { path, reason }) => {
            assert_eq!(path, dir.path().join("sobol.json"));
            assert!(reason.starts_with("the Sobol results are of another scenario file"), "{reason}");
            assert!(reason.contains("bbbbbbbbbbbb") && reason.contains("aaaaaaaaaaaa"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // An include more or less is another input too.
    file(json!([{"path": "a.toml", "sha256": "aa".repeat(32)}, {"path": "b.toml", "sha256": "cc".repeat(32)}]));
    assert!(crate::report::decision::load_sobol(dir.path(), &manifest).is_err());
    // A broken file names the field; a directory without sobol.json says so.
    std::fs::write(dir.path().join("sobol.json"), "{\"format_version\": \"one\"}").unwrap();
    match crate::report::decision::load_sobol(dir.path(), &manifest) {
        Err(ReportError::Parse { reason, .. }) => assert!(reason.contains("format_version"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let empty = tempfile::tempdir().unwrap();
    match crate::report::decision::load_sobol(empty.path(), &manifest) {
        Err(ReportError::Format { reason, .. }) => assert!(reason.starts_with("missing"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
