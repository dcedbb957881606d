//! The monitoring section on a hand-made monitor report.

use super::*;
use crate::monitor::MonitorReport;
use crate::render::html::esc;
use crate::report::data::RunData;
use crate::report::data::{SeriesKey, SummaryFile};
use crate::report::html::render as render_report;
use serde_json::json;

const MEASURE: &str = "prevalence/loneliness/severe";

/// A monitor report on `wor` with two observations of a prevalence in
/// Noord (one inside, one above the band) and one count in the city total.
fn monitor(updated: bool) -> MonitorReport {
    let obs = |line: u64, year: i32, area: &str, measure: &str, value: f64, pct: f64, inside: bool| {
        json!({"line": line, "year": year, "area": area, "measure": measure, "value": value, "percentile": pct,
               "p5": 0.08, "p50": 0.1, "p95": 0.12, "inside_band": inside, "posterior_p50": 0.105})
    };
    let parameters: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            json!({"parameter": format!("par{i}"), "prior_mean": 0.5, "posterior_mean": 0.5 + 0.01 * i as f64,
                   "shift_sd": if i % 2 == 0 { 0.1 * i as f64 } else { -0.1 * i as f64 },
                   "prior_p5": 0.25, "prior_p95": 0.75, "posterior_p5": 0.3, "posterior_p95": 0.8})
        })
        .collect();
    serde_json::from_value(json!({
        "scenario": "wor",
        "draws": 400,
        "observations": [
            obs(2, 2026, "Noord", MEASURE, 0.11, 0.7, true),
            obs(3, 2027, "Noord", MEASURE, 0.15, 1.0, false),
            obs(4, 2026, "totaal", "starts/loneliness", 950.0, 0.4, true),
        ],
        "verdicts": [
            {"area": "Noord", "measure": MEASURE, "observations": 2, "inside": 1, "verdict": "let op"},
            {"area": "totaal", "measure": "starts/loneliness", "observations": 1, "inside": 1, "verdict": "op koers"},
        ],
        "ess": if updated { 187.4 } else { 12.3 },
        "min_ess": 100.0,
        "updated": updated,
        "message": if updated { serde_json::Value::Null } else { json!("too few draws <resemble> the data") },
        "business_case": [
            {"metric": "npv", "prior_mean": -2.4e6, "prior_p5": -3.1e6, "prior_p95": -1.7e6,
             "posterior_mean": -1.9e6, "posterior_p5": -2.5e6, "posterior_p95": -1.2e6},
            {"metric": "bcr", "prior_mean": 0.41, "prior_p5": 0.3, "prior_p95": 0.52,
             "posterior_mean": 0.5, "posterior_p5": 0.4, "posterior_p95": 0.61},
            {"metric": "pv_net/gemeente/6.71", "prior_mean": 1.2e5, "prior_p5": 0.9e5, "prior_p95": 1.5e5,
             "posterior_mean": 1.3e5, "posterior_p5": 1.0e5, "posterior_p95": 1.6e5},
        ],
        "p_npv_positive": [0.12, if updated { 0.31 } else { 0.0 }],
        "parameters": if updated { json!(parameters) } else { json!([]) },
    }))
    .expect("a monitor report")
}

fn run_data(monitor: Option<MonitorReport>, observed: Option<Vec<ObservedRow>>) -> RunData {
    let summary: SummaryFile = serde_json::from_value(json!({
        "format_version": crate::output::json::FORMAT_VERSION,
        "engine": {"name": "wijkimpact", "version": "0.0.0"},
        "run": {"seed": 1, "draws": 400, "mode": "cohort", "start_year": 2025, "horizon": 4,
                "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95]},
        "scenarios": {"wor": {"areas": {"totaal": {"metrics": {}}}}},
    }))
    .unwrap();
    let mut series = crate::report::data::Series::default();
    for (k, v) in [("p5", 0.08), ("p25", 0.09), ("p50", 0.1), ("p75", 0.11), ("p95", 0.12)] {
        series.stats.insert(k.to_string(), vec![v; 4]);
    }
    let key =
        SeriesKey { scenario: "wor".into(), contrast: Contrast::Level, area: "Noord".into(), measure: MEASURE.into() };
    RunData {
        dir: std::path::PathBuf::new(),
        summary,
        manifest: Default::default(),
        yearly: [(key, series)].into_iter().collect(),
        sensitivity: None,
        assumptions: None,
        monitor,
        observed,
        acceptability: None,
        sobol: None,
    }
}

fn observed_rows() -> Vec<ObservedRow> {
    let row = |line, year, area: &str, measure: &str, value, n| ObservedRow {
        line,
        year,
        area: area.into(),
        measure: measure.into(),
        value,
        n,
        se: None,
    };
    vec![
        row(2, 2026, "Noord", MEASURE, 0.11, Some(600.0)),
        row(3, 2027, "Noord", MEASURE, 0.15, Some(400.0)),
        row(4, 2026, "totaal", "starts/loneliness", 950.0, None),
    ]
}

fn section(data: &RunData, lang: Lang) -> String {
    let mut h = Html::default();
    render(&Report::new(data, lang), &mut h).unwrap();
    h.into_string()
}

#[test]
fn sampling_intervals_follow_the_monitors_likelihoods() {
    let row =
        |value, n, se| ObservedRow { line: 2, year: 2026, area: "Noord".into(), measure: MEASURE.into(), value, n, se };
    // Binomial: 0.2 ± 1.96 √(0.2 · 0.8 / 400) = 0.2 ± 0.0392.
    let (lo, hi) = sampling_interval(0.2, &row(0.2, Some(400.0), None), MeasureKind::Prevalence).unwrap();
    assert!((lo - 0.1608).abs() < 1e-12 && (hi - 0.2392).abs() < 1e-12, "{lo} {hi}");
    // Clipped to [0, 1]; a share of 0 has no binomial spread.
    let (lo, _) = sampling_interval(0.01, &row(0.01, Some(20.0), None), MeasureKind::Prevalence).unwrap();
    assert_eq!(lo, 0.0);
    assert_eq!(sampling_interval(0.0, &row(0.0, Some(20.0), None), MeasureKind::Prevalence), None);
    // Normal with the given standard error.
    assert_eq!(sampling_interval(100.0, &row(100.0, None, Some(10.0)), MeasureKind::Money), Some((80.4, 119.6)));
    // Poisson for a count: 100 ± 1.96 · 10.
    assert_eq!(sampling_interval(100.0, &row(100.0, None, None), MeasureKind::Other), Some((80.4, 119.6)));
    // A prevalence without n or se: unknown.
    assert_eq!(sampling_interval(0.2, &row(0.2, None, None), MeasureKind::Prevalence), None);
}

#[test]
fn the_section_sits_between_drivers_and_assumptions_and_only_with_a_monitor() {
    for lang in [Lang::Nl, Lang::En] {
        let t = lang.texts();
        let html = render_report(&run_data(Some(monitor(true)), Some(observed_rows())), lang).unwrap();
        let heads: Vec<&str> = html.match_indices("<h2>").map(|(i, _)| &html[i + 4..i + 4 + 3]).collect();
        assert_eq!(heads, ["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. ", "8. "]);
        let at = |s: &str| html.find(&format!(". {}</h2>", esc(s))).unwrap_or_else(|| panic!("{s}"));
        assert!(at(t.s_drivers) < at(t.s_monitoring) && at(t.s_monitoring) < at(t.s_assumptions));
        assert!(html.ends_with(&html[html.rfind("<footer>").unwrap()..]));
        assert!(at(t.s_reproduce) > at(t.s_assumptions), "Reproduceren stays last");
        assert!(html.contains("<li><a href=\"#monitoring\">Monitoring</a></li>"));
        assert!(html.contains("<section id=\"monitoring\">\n<h2>6. Monitoring</h2>"));
        let without = render_report(&run_data(None, None), lang).unwrap();
        assert_eq!(without.matches("<h2>").count(), 7);
        assert!(!without.contains("monitoring"));
    }
}

#[test]
fn an_update_shows_verdicts_points_the_posterior_and_the_parameters_that_moved() {
    let data = run_data(Some(monitor(true)), Some(observed_rows()));
    let h = section(&data, Lang::Nl);
    // Status in words.
    assert!(h.contains("2 van de 3 waarnemingen liggen binnen het 90 %-interval"), "{h}");
    assert!(h.contains("als 187 van de 400 trekkingen") && h.contains(NL_UPDATED));
    // Verdicts with a symbol and a word, not colour alone.
    assert!(h.contains("<span class=\"verdict verdict-watch\"><span aria-hidden=\"true\">!</span> let op</span>"));
    assert!(h.contains("<td class=\"n\">1 / 2</td>"));
    assert!(h.contains("verdict-ok") && h.contains("> op koers</span>"));
    // One chart for the prevalence in Noord (two dots and the legend swatch); the
    // count in the city total has no yearly series in this run: a table only.
    assert_eq!(h.matches("data-chart=\"fan-monitor\"").count(), 1);
    assert_eq!(h.matches("<circle").count(), 3);
    assert!(h.contains(Lang::Nl.texts().mon_no_series));
    // Percentages for the prevalence with its binomial interval; plain numbers and Poisson for the count.
    assert!(h.contains("<td class=\"n\">11,0\u{a0}% (8,5\u{a0}% – 13,5\u{a0}%)</td>"), "{h}");
    assert!(h.contains("<td class=\"n\">950 (890 – 1.010)</td>"), "{h}");
    assert!(h.contains("<td class=\"n\">P70</td>") && h.contains("<td>nee</td>"));
    assert!(h.contains(">Mediaan na bijwerken</th>"));
    // Prior and posterior business case; the account with its name.
    assert!(h.contains("−€\u{a0}2,40\u{a0}mln (−€\u{a0}3,10\u{a0}mln – −€\u{a0}1,70\u{a0}mln)"));
    assert!(h.contains("−€\u{a0}1,90\u{a0}mln (−€\u{a0}2,50\u{a0}mln – −€\u{a0}1,20\u{a0}mln)"));
    assert!(h.contains("<td>Netto (CW): gemeente/6.71</td>"));
    assert!(h.contains("12\u{a0}% vóór de waarnemingen, 31\u{a0}% erna"));
    // Ten parameters, largest |shift| first, with a sign.
    let rows: Vec<&str> =
        h.match_indices("<span class=\"mono\">par").map(|(i, _)| h[i + 19..].split('<').next().unwrap()).collect();
    assert_eq!(rows.len(), TOP_SHIFTS);
    assert_eq!(rows[..3], ["par11", "par10", "par9"]);
    assert!(h.contains("<td class=\"n\">−1,10</td>") && h.contains("<td class=\"n\">+1,00</td>"));
    assert!(h.contains("<td class=\"n\">0,500 (0,250 – 0,750)</td>"));
}

const NL_UPDATED: &str = "Dat is genoeg: hieronder staat de businesscase vóór en na de waarnemingen.";

#[test]
fn without_an_update_only_the_prior_and_the_message() {
    let data = run_data(Some(monitor(false)), Some(observed_rows()));
    for lang in [Lang::Nl, Lang::En] {
        let t = lang.texts();
        let h = section(&data, lang);
        assert!(h.contains(&esc(t.mon_not_updated)) && !h.contains(&esc(t.mon_updated)));
        assert!(h.contains("too few draws &lt;resemble&gt; the data"), "the message, escaped");
        assert!(h.contains(&esc(t.col_prior)) && !h.contains(&esc(t.col_posterior)));
        assert!(!h.contains(&esc(t.col_posterior_median)));
        assert!(!h.contains(&esc(t.mon_params_title)), "no parameter shifts without a posterior");
        let prior_only = fill(t.mon_p_positive_prior, &[("prior", &lang.pct(0.12, 0))]);
        assert!(h.contains(&esc(&prior_only)), "{h}");
        // The verdicts and observations do not depend on the update.
        assert_eq!(h.matches("data-chart=\"fan-monitor\"").count(), 1);
    }
    let en = section(&data, Lang::En);
    assert!(en.contains("as 12 of its 400 draws") && en.contains("> watch</span>"));
}

#[test]
fn without_observed_csv_the_dots_have_no_bars_and_the_reader_is_told() {
    let data = run_data(Some(monitor(true)), None);
    let h = section(&data, Lang::En);
    assert!(h.contains(&esc(Lang::En.texts().mon_no_sampling)));
    assert_eq!(h.matches("<circle").count(), 3, "the dots are still drawn");
    assert!(h.contains("<td class=\"n\">11.0% </td>") || h.contains("<td class=\"n\">11.0%</td>"), "{h}");
}
