//! Section 7, Reproduce this: the run's command line, settings and input hashes from
//! the manifest, and the Monte Carlo standard errors.

use super::{json_text, Report};
use crate::render::html::{code, heading, mono, para, table, text, Html, Markup};
use crate::render::text::Lang;
use crate::render::words;
use crate::summary::TOTAL_AREA;

/// The manifest fields shown, in this order, after the command line.
const FIELDS: [&str; 11] = [
    "engine",
    "prng",
    "scenario_hash",
    "seed",
    "draws",
    "mode",
    "quantiles",
    "threads",
    "started_at",
    "wall_time_seconds",
    "peak_memory_bytes",
];

pub(in crate::report) fn render(r: &Report<'_>, h: &mut Html) {
    let (t, l) = (r.t, r.lang);
    h.push(para(t.reproduce_intro));
    let manifest = &r.data.manifest;
    let cmd = words::command_line(&manifest.command_line);
    // The table lists the fields as `manifest.json` writes them, so it goes through
    // their JSON form (the file's own field names and number text).
    let m = serde_json::to_value(manifest).unwrap_or_default();
    let label = |k: &str| text(words::setting(k, l).unwrap_or(k));
    let mut rows = vec![vec![label("command_line"), code(&cmd)]];
    for k in FIELDS {
        if let Some(v) = m.get(k) {
            let value = match k {
                "engine" => format!("{} {}", v["name"].as_str().unwrap_or(""), v["version"].as_str().unwrap_or("")),
                "prng" => words::prng(v.as_str().unwrap_or(""), l),
                _ => json_text(v, Lang::En),
            };
            rows.push(vec![label(k), mono(&value)]);
        }
    }
    h.push(table("", &[t.col_field, t.col_value], &rows));
    let rows: Vec<Vec<Markup>> =
        (manifest.inputs.iter()).map(|i| vec![code(&words::base_name(&i.path)), code(&i.sha256)]).collect();
    h.push(table("", &[t.col_file, "SHA-256"], &rows));
    h.push(heading(3, t.mcse_title));
    h.push(para(t.mcse_intro));
    let rows: Vec<Vec<Markup>> = (r.data.summary.scenarios.keys())
        .map(|name| {
            let npv = r.stat(name, TOTAL_AREA, "npv");
            let bcr = r.stat(name, TOTAL_AREA, "bcr");
            let p_mcse = npv
                .and_then(|s| s.p_positive.map(|p| (p * (1.0 - p) / (s.n.max(1) as f64)).sqrt()))
                .unwrap_or(f64::NAN);
            vec![
                text(name),
                text(&npv.map_or("–".into(), |s| l.eur(s.mcse.unwrap_or(f64::NAN)))),
                text(&l.num(p_mcse, 3)),
                text(&bcr.map_or("–".into(), |s| l.num(s.mcse.unwrap_or(f64::NAN), 3))),
            ]
        })
        .collect();
    let header = [
        t.col_scenario,
        &format!("#{}", t.col_mcse_npv),
        &format!("#{}", t.col_mcse_p),
        &format!("#{}", t.col_mcse_bcr),
    ];
    h.push(table("", &header, &rows));
}
