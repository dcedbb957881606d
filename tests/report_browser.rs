//! The report checked as a person would see it: rendered by headless Chromium.
//!
//! For a bundled Nijmegen scenario the test writes the Dutch and English
//! reports, then lets Chromium lay them out. A small check script, added to a
//! copy of the report (the report itself has no scripts), records for every
//! `figure.chart` whether its SVG was laid out with a visible size and has
//! drawn marks. The test fails on any console message (Chromium logs errors
//! and uncaught exceptions to stderr), on a chart without a laid-out SVG, on a missing chart kind,
//! and when the summary does not show both benefit/cost ratios (financieel and maatschappelijk) or
//! the PM-posten list.
//! Screenshots are kept in `target/report-screenshots/` for a person to look at.
//!
//! Chromium is the Debian package `chromium`; `.ci/run` installs it.

mod common;

use common::{scenario, tmpdir, wijkimpact};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Proc;

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Proc::new("sh").args(["-c", &format!("command -v {name}")]).output() {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !path.is_empty() {
                return PathBuf::from(path);
            }
        }
    }
    panic!("headless Chromium is needed for this test: apt-get install chromium (.ci/run does this)");
}

const CHECK: &str = r#"<script>
(function () {
  var figs = Array.prototype.slice.call(document.querySelectorAll('figure.chart'));
  var bad = [];
  var kinds = {};
  figs.forEach(function (f, i) {
    kinds[f.getAttribute('data-chart')] = true;
    var svg = f.querySelector('svg');
    if (!svg) { bad.push(i + ': no svg'); return; }
    var r = svg.getBoundingClientRect();
    var marks = svg.querySelectorAll('rect, path, polygon, polyline, line, circle').length;
    var texts = svg.querySelectorAll('text').length;
    if (r.width < 100 || r.height < 60) bad.push(i + ': size ' + r.width + 'x' + r.height);
    if (marks < 3) bad.push(i + ': ' + marks + ' marks');
    if (texts < 2) bad.push(i + ': no axis labels');
  });
  var shown = function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  var levels = Array.prototype.slice.call(document.querySelectorAll('table.levels th')).filter(shown)
    .map(function (e) { return e.textContent; });
  var pm = Array.prototype.slice.call(document.querySelectorAll('ul.pm li')).filter(shown).length;
  var out = document.createElement('pre');
  out.id = 'wijkimpact-check';
  out.textContent = JSON.stringify({ figures: figs.length, bad: bad, kinds: Object.keys(kinds).sort(),
    h2: document.querySelectorAll('h2').length, monitoring: !!document.getElementById('monitoring'),
    levels: levels, pm: pm });
  document.body.appendChild(out);
})();
</script>"#;

struct Rendered {
    check: serde_json::Value,
    console: Vec<String>,
    screenshot: PathBuf,
}

fn render(html: &Path, screenshot: &Path) -> Rendered {
    let chrome = chromium();
    let work = tmpdir();
    let page = work.path().join("page.html");
    let text = fs::read_to_string(html).unwrap();
    fs::write(&page, text.replacen("</body>", &format!("{CHECK}</body>"), 1)).unwrap();
    let common = |c: &mut Proc| {
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", work.path().join("profile").display()));
    };
    let mut dump = Proc::new(&chrome);
    common(&mut dump);
    dump.args(["--window-size=1280,2000", "--dump-dom"]).arg(format!("file://{}", page.display()));
    let out = dump.output().expect("run chromium");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    // Chromium logs every console message of the page (errors, uncaught
    // exceptions, warnings alike) as `INFO:CONSOLE`; the report has no scripts
    // and the check script logs nothing, so any such line is a failure.
    let console = stderr.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    let start = dom.find("<pre id=\"wijkimpact-check\">").expect("the check script ran") + 27;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end].replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    let check = serde_json::from_str(&json).unwrap();

    // A full-page screenshot of the report itself (without the check script).
    let mut shot = Proc::new(&chrome);
    common(&mut shot);
    shot.args(["--window-size=1280,6000"])
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("file://{}", html.display()));
    let out = shot.output().expect("run chromium");
    assert!(out.status.success() && screenshot.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    Rendered { check, console, screenshot: screenshot.to_path_buf() }
}

/// Writes the English report of `run` next to the Dutch one, renders both (screenshots
/// `NAME-nl.png` and `NAME-en.png`) and checks that neither logs to the console nor has
/// a chart that was not laid out. Returns the language and the rendering of each.
fn render_both_languages(run: &Path, name: &str) -> Vec<(&'static str, Rendered)> {
    wijkimpact().args(["report", run.to_str().unwrap(), "--lang", "en"]).assert().success();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    fs::create_dir_all(&shots).unwrap();
    let mut out = vec![];
    for (file, lang) in [("report.html", "nl"), ("report.en.html", "en")] {
        let shot = shots.join(format!("{name}-{lang}.png"));
        let r = render(&run.join(file), &shot);
        assert!(r.console.is_empty(), "{lang}: console messages: {:#?}", r.console);
        let bad = r.check["bad"].as_array().unwrap();
        assert!(bad.is_empty(), "{lang}: charts not rendered: {bad:?}");
        eprintln!("{lang}: {} charts rendered; screenshot {}", r.check["figures"], shot.display());
        out.push((lang, r));
    }
    out
}

/// The summary table shows both benefit/cost ratios, financieel and maatschappelijk, in the page's language.
fn assert_both_ratios_shown(lang: &str, r: &Rendered) {
    let headers: Vec<&str> = r.check["levels"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    let wanted =
        if lang == "nl" { ["Financiële B/C", "Maatschappelijke B/C"] } else { ["Financial B/C", "Societal B/C"] };
    for w in wanted {
        assert!(headers.contains(&w), "{lang}: {w} not visible among {headers:?}");
    }
}

/// The chart kinds of a rendering.
fn kinds(r: &Rendered) -> Vec<&str> {
    r.check["kinds"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect()
}

#[test]
fn nijmegen_report_renders_in_chromium_in_both_languages() {
    let t = tmpdir();
    let run = t.path().join("run");
    common::run(&scenario("noord-ouders.toml"), &["--draws", "40", "--seed", "5", "--report"], &run).success();
    for (lang, r) in render_both_languages(&run, "noord-ouders") {
        assert_eq!(r.check["monitoring"], false, "{lang}: a plain run has no monitoring section");
        assert_both_ratios_shown(lang, &r);
        // Two scenarios: the seven sections plus Scenario's vergeleken and the decision analysis.
        assert_eq!(r.check["h2"], 9, "{lang}: nine sections");
        let kinds = kinds(&r);
        for kind in ["fan", "fan-difference", "fan-area", "histogram", "stacked-bars", "tornado", "ceac", "evpi"] {
            assert!(kinds.contains(&kind), "{lang}: no {kind} chart among {kinds:?}");
        }
        assert!(r.check["figures"].as_u64().unwrap() >= 8);
        // A blank page compresses to almost nothing; a page of charts does not.
        assert!(fs::metadata(&r.screenshot).unwrap().len() > 100_000, "{lang}: screenshot looks empty");
    }
}

/// A run of `wijkimpact monitor` gets an eighth section, Monitoring, whose
/// charts (the running scenario's fan with the observed points) render too.
#[test]
fn monitored_report_renders_its_monitoring_section_in_chromium() {
    let t = tmpdir();
    let run = t.path().join("run");
    let observed = t.path().join("observed.csv");
    fs::write(
        &observed,
        "year,area,measure,value,n,se\n\
         2026,Noord,prevalence/loneliness/severe,0.108,900,\n\
         2028,Noord,prevalence/loneliness/severe,0.099,850,\n\
         2027,Noord,starts/loneliness,1081,,\n\
         2027,Noord,care_cost/gemeente/6.71,1900000,,60000\n",
    )
    .unwrap();
    wijkimpact()
        .arg("monitor")
        .arg(scenario("example-full.toml"))
        .args(["--draws", "200", "--seed", "5", "--report", "--observed"])
        .arg(&observed)
        .arg("--out")
        .arg(&run)
        .assert()
        .success();
    for (lang, r) in render_both_languages(&run, "example-monitor") {
        assert_eq!(r.check["monitoring"], true, "{lang}: no monitoring section");
        assert_both_ratios_shown(lang, &r);
        // The example names two PM-posten under its scenario.
        assert_eq!(r.check["pm"], 2, "{lang}: the PM-posten list is not visible");
        assert_eq!(r.check["h2"], 9, "{lang}: seven sections, the decision analysis and Monitoring");
        let kinds = kinds(&r);
        assert!(kinds.contains(&"fan-monitor"), "{lang}: no monitoring chart among {kinds:?}");
    }
}

/// The detector itself: a page with a script error and a chart without an SVG
/// must fail both checks (so a passing report test means something).
#[test]
fn the_browser_check_catches_script_errors_and_missing_charts() {
    let t = tmpdir();
    let page = t.path().join("broken.html");
    fs::write(
        &page,
        "<!DOCTYPE html><html><body><figure class=\"chart\" data-chart=\"fan\"></figure>\
         <script>undefinedFunction();</script></body></html>",
    )
    .unwrap();
    let r = render(&page, &t.path().join("broken.png"));
    assert!(r.console.iter().any(|l| l.contains("undefinedFunction")), "{:?}", r.console);
    assert_eq!(r.check["bad"].as_array().unwrap().len(), 1);
}
