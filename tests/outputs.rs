//! The researcher's tables in both formats (`--format csv|parquet`): the
//! Parquet files read back with the `parquet` crate hold the CSV's values
//! with the documented column types, row counts follow from the model, bytes
//! do not depend on the thread count, the tidy yearly table has one row per
//! series and year with statistics that agree with each other, and
//! `summary.csv` holds the numbers of `summary.json`.

mod common;

use arrow_schema::DataType;
use common::tables::{self, assert_same_rows, Cell, Table};
use common::{json, tmpdir, wijkimpact};
use std::collections::{HashMap, HashSet};
use std::path::Path;

const SCENARIO: &str = "scenarios/example-full.toml";
const DRAWS: usize = 7;

fn run(out: &Path, format: &str, extra: &[&str]) {
    let mut args = vec!["--draws", "7", "--seed", "3", "--no-sensitivity", "--format", format];
    args.extend_from_slice(extra);
    common::run(Path::new(SCENARIO), &args, out).success();
}

fn names() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// Each column's Arrow type and nullability, as docs/outputs.md states them.
fn assert_types(name: &str, t: &Table, want: &[(&str, DataType, bool)]) {
    let schema = t.schema.as_ref().unwrap();
    assert_eq!(schema.fields().len(), want.len(), "{name}: {schema:?}");
    for (f, (col, ty, nullable)) in schema.fields().iter().zip(want) {
        assert_eq!((f.name().as_str(), f.data_type(), f.is_nullable()), (*col, ty, *nullable), "{name}");
    }
}

#[test]
fn parquet_tables_hold_the_csv_values_with_the_documented_types() {
    let t = tmpdir();
    let (c, p) = (t.path().join("csv"), t.path().join("parquet"));
    run(&c, "csv", &[]);
    run(&p, "parquet", &[]);
    let m = json(&p.join("manifest.json"));
    assert_eq!(m["format"], "parquet");
    assert_eq!(json(&c.join("manifest.json"))["format"], "csv");
    for f in ["draws.parquet", "parameters.parquet", "yearly.parquet", "summary.csv"] {
        assert!(m["files"].as_array().unwrap().iter().any(|x| x == f), "{f} not in {}", m["files"]);
    }
    assert!(!p.join("draws.csv").exists() && !c.join("draws.parquet").exists());

    // draws: one row per draw × scenario × area slot × metric, the counts from summary.json.
    let s = json(&c.join("summary.json"));
    let scen = s["scenarios"].as_object().unwrap();
    let first = scen.values().next().unwrap()["areas"].as_object().unwrap();
    let n_metrics = first.values().next().unwrap()["metrics"].as_object().unwrap().len();
    let draws = tables::parquet(&p.join("draws.parquet"));
    let f64t = DataType::Float64;
    assert_types(
        "draws",
        &draws,
        &[
            ("draw", DataType::Int64, false),
            ("scenario", names(), false),
            ("area", names(), false),
            ("metric", names(), false),
            ("value", f64t.clone(), true),
        ],
    );
    assert_eq!(draws.rows.len(), DRAWS * scen.len() * first.len() * n_metrics);
    assert_same_rows("draws", &draws, &tables::csv(&c.join("draws.csv")));
    assert!(draws.rows.iter().any(|r| r[4] == Cell::Num(None)), "a missing value (B/C without costs) is null");
    let d: Vec<i64> = draws.rows.iter().map(|r| r[0].int()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]) && d[0] == 0 && *d.last().unwrap() == DRAWS as i64 - 1);

    // parameters: one row per draw × parameter slot.
    let params = tables::parquet(&p.join("parameters.parquet"));
    assert_types(
        "parameters",
        &params,
        &[("draw", DataType::Int64, false), ("parameter", names(), false), ("value", f64t.clone(), true)],
    );
    let slots: HashSet<&str> = params.rows.iter().map(|r| r[1].text()).collect();
    assert!(!slots.is_empty());
    assert_eq!(params.rows.len(), DRAWS * slots.len());
    assert_same_rows("parameters", &params, &tables::csv(&c.join("parameters.csv")));

    // yearly: the same tidy rows in both formats.
    let yearly = tables::parquet(&p.join("yearly.parquet"));
    let mut want = vec![("scenario", names(), false), ("contrast", names(), false), ("area", names(), false)];
    want.push(("year", DataType::Int32, false));
    want.push(("measure", names(), false));
    for c in ["chain", "state", "funder", "taakveld", "outcome", "intervention"] {
        want.push((c, names(), true));
    }
    for c in ["mean", "sd", "mcse", "p5", "p25", "p50", "p75", "p95"] {
        want.push((c, f64t.clone(), true));
    }
    assert_types("yearly", &yearly, &want);
    assert_same_rows("yearly", &yearly, &tables::csv(&c.join("yearly.csv")));
    for f in ["summary.csv", "summary.json", "assumptions.json"] {
        assert!(std::fs::read(c.join(f)).unwrap() == std::fs::read(p.join(f)).unwrap(), "{f} depends on the format");
    }
}

#[test]
fn both_formats_are_byte_identical_on_one_and_four_threads() {
    let t = tmpdir();
    for format in ["parquet", "csv"] {
        let (a, b) = (t.path().join(format!("{format}1")), t.path().join(format!("{format}4")));
        run(&a, format, &["--threads", "1"]);
        run(&b, format, &["--threads", "4"]);
        for f in ["draws", "parameters", "yearly"] {
            let f = format!("{f}.{format}");
            assert!(std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(), "{f}: 1 vs 4 threads");
        }
    }
}

/// The key of a yearly row: everything before the statistics.
fn key(t: &Table, r: &[Cell]) -> Vec<String> {
    r[..t.col("mean")].iter().map(|c| if let Cell::Int(i) = c { i.to_string() } else { c.text().to_string() }).collect()
}

#[test]
fn the_tidy_yearly_table_has_one_row_per_series_and_year_and_consistent_statistics() {
    let t = tmpdir();
    let out = t.path().join("run");
    run(&out, "parquet", &["--quantiles", "0.1,0.9"]);
    let y = tables::parquet(&out.join("yearly.parquet"));
    let stats: Vec<&str> = y.header[y.col("mean")..].iter().map(String::as_str).collect();
    assert_eq!(stats, ["mean", "sd", "mcse", "p10", "p50", "p90"], "quantile columns follow --quantiles");
    let c = |name: &str| y.col(name);
    let mut rows: HashMap<Vec<String>, &Vec<Cell>> = HashMap::new();
    for r in &y.rows {
        assert!(rows.insert(key(&y, r), r).is_none(), "duplicate row {:?}", key(&y, r));
        // Which label parts a measure has: chain measures name a chain, per-state ones a state, costs a funder.
        let (m, has) = (r[c("measure")].text(), |col: &str| !r[c(col)].text().is_empty());
        let chain = matches!(m, "active" | "starts" | "person_years" | "entries" | "prevalence")
            || (m == "deaths" && has("chain"));
        assert_eq!(has("chain"), chain, "{:?}", key(&y, r));
        assert_eq!(has("state"), matches!(m, "person_years" | "entries" | "prevalence"), "{:?}", key(&y, r));
        assert_eq!(has("funder"), matches!(m, "care_cost" | "intervention_cost"), "{:?}", key(&y, r));
        assert_eq!(has("outcome"), m == "outcome");
        assert_eq!(has("intervention"), m == "participants");
        assert!(!has("taakveld") || has("funder"));
        let (mean, sd, mcse) = (r[c("mean")].num(), r[c("sd")].num(), r[c("mcse")].num());
        if mean.is_nan() {
            continue;
        }
        assert!(sd >= 0.0 && (mcse - sd / (DRAWS as f64).sqrt()).abs() <= 1e-9 * sd.max(1.0), "{:?}", key(&y, r));
        if m == "prevalence" && r[c("contrast")].text() == "level" {
            for s in ["mean", "p10", "p50", "p90"] {
                let x = r[c(s)].num();
                assert!((0.0..=1.0).contains(&x), "prevalence {s} {x} outside [0, 1]: {:?}", key(&y, r));
            }
        }
    }
    let scenarios: HashSet<&str> = y.rows.iter().map(|r| r[0].text()).filter(|s| *s != "nulalternatief").collect();
    let areas: HashSet<&str> = y.rows.iter().map(|r| r[2].text()).filter(|a| *a != "totaal").collect();
    assert!(!scenarios.is_empty() && areas.len() >= 2);
    let mut checked = 0;
    for (k, r) in &rows {
        let get = |scenario: &str, contrast: &str, area: &str| {
            let mut k2 = k.clone();
            k2[0] = scenario.into();
            k2[1] = contrast.into();
            k2[2] = area.into();
            rows[&k2][c("mean")].num()
        };
        // Equal up to rounding relative to the magnitude of the terms compared.
        let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= 1e-9 * scale.max(1.0);
        // The mean of the per-draw differences is the difference of the means.
        if k[1] == "difference" {
            let (scen, base) = (get(&k[0], "level", &k[2]), get("nulalternatief", "level", &k[2]));
            let got = r[c("mean")].num();
            assert!(close(got, scen - base, scen.abs().max(base.abs())), "{k:?}: {got} vs {scen} − {base}");
            checked += 1;
        }
        // Counts and euros of the city total are the sums over the areas.
        if k[2] == "totaal" && k[1] == "level" && k[4] != "prevalence" {
            let terms: Vec<f64> = areas.iter().map(|a| get(&k[0], "level", a)).collect();
            let (sum, scale) = (terms.iter().sum::<f64>(), terms.iter().map(|x| x.abs()).sum::<f64>());
            let got = r[c("mean")].num();
            assert!(close(got, sum, scale), "{k:?}: total {got} vs sum of areas {sum}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} invariants checked");
}

/// Parses `summary.csv` and compares it, number for number, with `summary.json`.
#[test]
fn summary_csv_holds_the_metrics_of_summary_json() {
    let t = tmpdir();
    let out = t.path().join("run");
    run(&out, "parquet", &[]);
    let s = json(&out.join("summary.json"));
    let csv = tables::csv(&out.join("summary.csv"));
    let head = ["scenario", "area", "metric", "n", "missing", "mean", "sd", "mcse", "p5", "p25", "p50", "p75", "p95"];
    assert_eq!(csv.header, head.iter().chain(&["p_positive"]).map(|h| h.to_string()).collect::<Vec<_>>());
    let by_key: HashMap<[&str; 3], &Vec<Cell>> =
        csv.rows.iter().map(|r| ([r[0].text(), r[1].text(), r[2].text()], r)).collect();
    let mut n = 0;
    for (scen, sv) in s["scenarios"].as_object().unwrap() {
        for (area, av) in sv["areas"].as_object().unwrap() {
            for (metric, st) in av["metrics"].as_object().unwrap() {
                let row = by_key[&[scen.as_str(), area, metric]];
                n += 1;
                let want = |v: &serde_json::Value| v.as_f64().map_or(String::new(), |x| x.to_string());
                let json_cells = [&st["n"], &st["missing"], &st["mean"], &st["sd"], &st["mcse"]]
                    .into_iter()
                    .chain(["p5", "p25", "p50", "p75", "p95"].map(|q| &st["quantiles"][q]))
                    .chain([&st["p_positive"]]);
                for (i, v) in json_cells.enumerate() {
                    let cell = row[3 + i].text();
                    // Through serde_json's own number parser, which (without its
                    // float_roundtrip feature) may land one ulp off the exact value.
                    let same = match (serde_json::from_str::<f64>(cell), v.as_f64()) {
                        (Ok(a), Some(b)) => a == b,
                        (Err(_), None) => cell.is_empty(),
                        _ => false,
                    };
                    assert!(same, "{scen}/{area}/{metric} {}: csv {cell:?} json {}", csv.header[3 + i], want(v));
                }
            }
        }
    }
    assert_eq!(n, csv.rows.len());
}

/// `merge` writes the format the shards were run with, or the one `--format` asks for.
#[test]
fn merge_writes_the_shards_format_unless_told_otherwise() {
    let t = tmpdir();
    let d = |n: &str| t.path().join(n);
    run(&d("single"), "parquet", &[]);
    for i in 0..2 {
        run(&d(&format!("s{i}")), "csv", &["--shard", &format!("{i}/2")]);
    }
    let merge = |out: &Path, extra: &[&str]| {
        let mut args = vec!["merge".to_string(), d("s0").display().to_string(), d("s1").display().to_string()];
        args.extend(["--out".into(), out.display().to_string(), "--no-sensitivity".into()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        wijkimpact().args(&args).assert().success();
    };
    merge(&d("as-shards"), &[]);
    assert!(d("as-shards").join("draws.csv").exists() && !d("as-shards").join("draws.parquet").exists());
    assert_eq!(json(&d("as-shards").join("manifest.json"))["format"], "csv");
    merge(&d("told"), &["--format", "parquet"]);
    for f in ["draws.parquet", "parameters.parquet", "yearly.parquet", "summary.csv"] {
        let (a, b) = (std::fs::read(d("single").join(f)).unwrap(), std::fs::read(d("told").join(f)).unwrap());
        assert!(a == b, "{f}: merged differs from the single run");
    }
}
