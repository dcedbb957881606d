//! The claim check at the business case's two levels: claims on the
//! maatschappelijke waarde (`social_pv`) and the maatschappelijke B/C
//! (`bcr_societal`) against the generated scenario's own run, the refusal of
//! such claims when the city values no welfare, and the committee page showing
//! both levels and the PM-posten in Dutch and in English.

mod common;

use common::{tmpdir, wijkimpact};
use std::fs;
use std::path::{Path, PathBuf};
use wijkimpact::claim::result::{ClaimKind, ClaimReport};

/// The jeugd fixture in `dir` on `city` (absolute), with `extra` appended.
fn application(dir: &Path, name: &str, city: &str, extra: &str) -> PathBuf {
    let text = fs::read_to_string(common::fixture("fonds/jeugd.toml")).unwrap();
    let city = common::scenario(city);
    let text = text.replacen("../../../scenarios/nijmegen-chains.toml", city.to_str().unwrap(), 1);
    let text = text.replacen("[initiative]\n", "[initiative]\npm = [\"meer zelfvertrouwen van ouders\"]\n", 1);
    let path = dir.join(name);
    fs::write(&path, format!("{text}\n{extra}")).unwrap();
    path
}

/// `metric` of scenario `aanvraag` at the total, per draw, from a run's draws.csv.
fn column(draws_csv: &Path, metric: &str) -> Vec<f64> {
    let text = fs::read_to_string(draws_csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (s, a, m, v) = (col("scenario"), col("area"), col("metric"), col("value"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[s] == "aanvraag" && f[a] == "totaal" && f[m] == metric)
        .map(|f| f[v].parse().unwrap_or(f64::NAN))
        .collect()
}

/// A social_pv claim of 0 and a bcr_societal claim are reached in exactly the
/// share of draws that `wijkimpact run` on the generated scenario (same seed,
/// draws and mode) puts at or above them: the check reads `pv_welfare` and
/// `bcr_societal` of the same draws, not something of its own.
#[test]
fn welfare_claims_are_reached_in_the_share_the_generated_scenarios_own_draws_give() {
    let dir = tmpdir();
    let extra = "[[claim]]\nsocial_pv = 0\n\n[[claim]]\nsocial_pv = 5000\n\n[[claim]]\nbcr_societal = 1.0\n";
    let app = application(dir.path(), "welzijn.toml", "nijmegen-chains.toml", extra);
    let out = dir.path().join("check");
    wijkimpact()
        .arg("claim")
        .arg(&app)
        .args(["--draws", "120", "--solve-draws", "10", "--seed", "4", "--mode", "cohort", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let r: ClaimReport = serde_json::from_str(&fs::read_to_string(out.join("claim.json")).unwrap()).unwrap();
    let run = dir.path().join("run");
    common::run(
        &out.join("scenario.toml"),
        &["--draws", "120", "--seed", "4", "--mode", "cohort", "--format", "csv", "--no-sensitivity", "--quiet"],
        &run,
    )
    .success();
    let welfare = column(&run.join("draws.csv"), "pv_welfare");
    let bcr = column(&run.join("draws.csv"), "bcr_societal");
    assert_eq!(welfare.len(), 120);
    // Draws at or above the claim, as a count (P × draws is a whole number).
    let share = |xs: &[f64], claim: f64| xs.iter().filter(|&&x| x >= claim).count();
    let count = |p: f64| (p * 120.0).round() as usize;
    let kinds: Vec<ClaimKind> = r.claims.iter().map(|c| c.kind).collect();
    assert_eq!(&kinds[5..], [ClaimKind::SocialPv, ClaimKind::SocialPv, ClaimKind::BcrSocietal]);
    // Claim 0: reached in every draw whose welfare is ≥ 0.
    assert_eq!(count(r.claims[5].p_reached), share(&welfare, 0.0));
    assert_eq!(count(r.claims[6].p_reached), share(&welfare, 5000.0));
    assert_eq!(count(r.claims[7].p_reached), share(&bcr, 1.0));
    assert!(r.claims[6].p_reached > 0.0 && r.claims[6].p_reached < 1.0, "a claim inside the spread: {:?}", r.claims[6]);
    assert_eq!((r.claims[5].unit.as_str(), r.claims[7].unit.as_str()), ("eur", "ratio"));
    // The levels are the run's own: the maatschappelijk B/C adds welfare to the financieel one.
    let lv = r.levels.expect("levels");
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((lv.maatschappelijk.bcr.mean - mean(&bcr)).abs() < 1e-9 * mean(&bcr).abs().max(1.0));
    assert!(lv.maatschappelijk.npv.mean > lv.financieel.npv.mean, "welfare gained is counted: {lv:?}");
    assert_eq!(lv.pm, ["meer zelfvertrouwen van ouders"]);
    // The generated scenario carries the application's PM-posten.
    assert!(fs::read_to_string(out.join("scenario.toml")).unwrap().contains("meer zelfvertrouwen van ouders"));
}

/// A welfare claim on a city model that values no welfare (no `[valuation]`)
/// is refused with exit code 2, naming the file, the claim's line and field.
#[test]
fn welfare_claim_on_a_city_without_valuation_is_refused_at_the_claim() {
    let dir = tmpdir();
    // The bundled city values welfare; a copy without its `[valuation]` table does not.
    let chains = fs::read_to_string(common::scenario("nijmegen-chains.toml")).unwrap();
    let start = chains.find("\n[valuation]").expect("the bundled city has a [valuation] table");
    let end = start + 1 + chains[start + 1..].find("\n[").unwrap();
    let city = dir.path().join("stad-zonder-waardering.toml");
    fs::write(&city, format!("{}{}", &chains[..start], &chains[end..])).unwrap();
    for (key, value) in [("social_pv", "20000"), ("bcr_societal", "1.5")] {
        let app = application(
            dir.path(),
            &format!("{key}.toml"),
            city.to_str().unwrap(),
            &format!("[[claim]]\n{key} = {value}\n"),
        );
        let text = fs::read_to_string(&app).unwrap();
        let line = text[..text.find(&format!("{key} = ")).unwrap()].lines().count() + 1;
        let out = dir.path().join(format!("{key}.out"));
        let assert = wijkimpact().arg("claim").arg(&app).arg("--out").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        let err = stderr.lines().find(|l| l.contains(&format!("claim[5].{key}"))).unwrap_or_else(|| panic!("{stderr}"));
        assert!(err.contains(&format!("{}:{line}:", app.display())), "file and line: {err}");
        assert!(err.contains("values no welfare") && err.contains("[valuation]"), "{err}");
        assert!(!out.join("claim.json").exists());
    }
}

/// The committee page shows both B/C ratios, the sentence that tells them
/// apart and the PM-posten, in Dutch and with `--lang en` in English.
#[test]
fn committee_page_shows_both_levels_and_the_pm_list_in_dutch_and_english() {
    let dir = tmpdir();
    let app = application(dir.path(), "pm.toml", "nijmegen-chains.toml", "[[claim]]\nbcr_societal = 0.5\n");
    let pages = |lang: &str| {
        let out = dir.path().join(lang);
        wijkimpact()
            .arg("claim")
            .arg(&app)
            .args(["--draws", "40", "--solve-draws", "10", "--quiet", "--lang", lang, "--out"])
            .arg(&out)
            .assert()
            .success();
        (fs::read_to_string(out.join("claim.html")).unwrap(), fs::read_to_string(out.join("claim.md")).unwrap())
    };
    let (nl, nl_md) = pages("nl");
    let (en, en_md) = pages("en");
    for (page, words) in [
        (
            &nl,
            [
                "<td>financieel</td>",
                "<td>maatschappelijk</td>",
                "PM-posten (niet in geld uitgedrukt)",
                "De maatschappelijke B/C telt",
            ],
        ),
        (
            &nl_md,
            [
                "| financieel |",
                "| maatschappelijk |",
                "### PM-posten (niet in geld uitgedrukt)",
                "De maatschappelijke B/C telt",
            ],
        ),
        (&en, ["<td>financial</td>", "<td>social</td>", "PM items (not expressed in money)", "The social B/C counts"]),
        (&en_md, ["| financial |", "| social |", "### PM items (not expressed in money)", "The social B/C counts"]),
    ] {
        for w in words {
            assert!(page.contains(w), "{w} missing");
        }
        assert!(page.contains("meer zelfvertrouwen van ouders"), "the application's PM-post");
    }
    assert!(en.contains("<html lang=\"en\">") && en.contains("social benefit/cost ratio"));
    assert!(!en.contains("trekkingen") && !en.contains("maatschappelijke baten"), "no Dutch template text");
}
