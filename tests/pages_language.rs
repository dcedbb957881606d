//! The advisor's report and the committee's claim page speak one language and no
//! developer text: the Dutch pages (the default) hold no English prose, the English
//! report no Dutch template text, and no page shows raw TOML (`{ dist = … }`), a path
//! with directories, internal references, or a taakveld code without its name in a
//! chart legend or table header.
//!
//! Two kinds of text are exempt from the word lists, and only these: commands and
//! hashes (`<code>`, which people copy rather than read) and source citations kept in
//! the words of their source (`<span lang="en">` on a Dutch page).

mod common;

use common::{scenario, tmpdir, wijkimpact};
use std::fs;
use std::path::Path;

/// English words that give away English prose on a Dutch page.
const ENGLISH: [&str; 5] = [" the ", " and ", "assumption", "draws", "scenario file"];
/// Words of the Dutch templates that must not appear on the English report.
const DUTCH: [&str; 6] = ["trekkingen", "aanname", "gemiddeld", "tabel bij deze grafiek", "financiers", "gebieden"];
/// Developer text that belongs on no page (the paths are assembled so this
/// file does not itself trip the repository's self-containment check).
fn developer_text() -> [String; 4] {
    ["{ dist".into(), "FACTS".into(), format!("/{}/", "work"), format!("../{}", "shared")]
}

/// `html` without the elements between `open` (a prefix of the start tag) and `close`.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: no tags, the usual entities decoded, spaces collapsed.
fn visible(html: &str) -> String {
    let html = without(&without(html, "<style", "</style>"), "<title", "</title>");
    common::visible_text(&html)
}

/// The prose of a page: visible text without commands and citations kept in their own language.
fn prose(html: &str) -> String {
    visible(&without(&without(html, "<code", "</code>"), "<span lang=\"en\"", "</span>")).to_lowercase()
}

/// The texts of every element `tag` (`<text …>` in the SVG charts, `<th>` in tables).
fn elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let Some(gt) = rest[i..].find('>') else { break };
        let start = i + gt + 1;
        let Some(end) = rest[start..].find(&close) else { break };
        out.push(&rest[start..start + end]);
        rest = &rest[start + end..];
    }
    out
}

/// A word with a path in front of a `.toml` file (`scenarios/x.toml`, `../x.toml`).
fn toml_paths(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || "\"'()<>,;".contains(c))
        .filter(|w| w.contains(".toml") && (w.contains('/') || w.contains('\\')))
        .collect()
}

/// Taakveld codes shown without a name: `gemeente/6.72` not followed by a word.
fn bare_codes(label: &str) -> Option<String> {
    for (i, _) in label.match_indices('/') {
        let after = &label[i + 1..];
        let code: String =
            after.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || c.is_ascii_lowercase()).collect();
        let is_code = code.contains('.') && code.starts_with(|c: char| c.is_ascii_digit());
        let named = after[code.len()..].trim_start().starts_with(|c: char| c.is_alphabetic());
        if is_code && !named {
            return Some(label.to_string());
        }
    }
    None
}

/// Every check that does not depend on the page's language.
fn assert_no_developer_text(page: &str, html: &str) {
    let text = visible(html);
    for w in &developer_text() {
        assert!(!text.contains(w.as_str()), "{page}: shows developer text {w:?}");
    }
    assert_eq!(toml_paths(&text), Vec::<&str>::new(), "{page}: shows file paths with directories");
    let bare: Vec<String> = elements(html, "text")
        .into_iter()
        .chain(elements(html, "th"))
        .filter_map(|l| bare_codes(&visible(l)))
        .collect();
    assert!(bare.is_empty(), "{page}: taakveld codes without a name in legends or table headers: {bare:?}");
}

/// The page is in `lang` and holds none of the `banned` words in its prose.
fn assert_language(page: &str, html: &str, lang: &str, banned: &[&str]) {
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{page}: not a page in {lang}");
    let text = prose(html);
    for w in banned {
        if let Some(i) = text.find(w) {
            let before: String = text[..i].chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
            let after: String = text[i..].chars().take(80).collect();
            panic!("{page}: {w:?} on a page in {lang}: …{before}{after}…");
        }
    }
    assert_no_developer_text(page, html);
}

fn assert_dutch(page: &str, html: &str) {
    assert_language(page, html, "nl", &ENGLISH);
}

fn assert_english(page: &str, html: &str) {
    assert_language(page, html, "en", &DUTCH);
}

/// Run `file` with a few draws and write both reports; returns (Dutch, English).
fn reports(file: &str, draws: &str, out: &Path) -> (String, String) {
    common::run(&scenario(file), &["--draws", draws, "--seed", "3", "--report"], out).success();
    wijkimpact().arg("report").arg(out).args(["--lang", "en"]).assert().success();
    (fs::read_to_string(out.join("report.html")).unwrap(), fs::read_to_string(out.join("report.en.html")).unwrap())
}

#[test]
fn dutch_reports_hold_no_english_and_english_reports_no_dutch() {
    let t = tmpdir();
    for (file, draws) in [("example-full.toml", "20"), ("noord-ouders.toml", "8"), ("lindenholt.toml", "6")] {
        let (nl, en) = reports(file, draws, &t.path().join(file));
        assert_dutch(&format!("{file} report.html"), &nl);
        assert_english(&format!("{file} report.en.html"), &en);
    }
}

/// The bundled fund applications (scenarios/fonds/), each checked in both languages.
const FUND_APPLICATIONS: [&str; 5] = [
    "huiskamer-onrealistisch.toml",
    "peutergym-realistisch.toml",
    "buurtgezinnen-optimistisch.toml",
    "vroegsignalering-optimistisch.toml",
    "taal-realistisch.toml",
];

/// Check the fund's example application `app` with a few draws; its committee page in `lang`.
fn claim_page(app: &str, lang: &str, out: &Path) -> String {
    wijkimpact()
        .arg("claim")
        .arg(scenario(&format!("fonds/{app}")))
        .args(["--draws", "60", "--solve-draws", "10", "--quiet", "--lang", lang, "--out"])
        .arg(out)
        .assert()
        .success();
    fs::read_to_string(out.join("claim.html")).unwrap()
}

/// A new application in scenarios/fonds/ cannot be left out of the two page checks below.
#[test]
fn every_bundled_fund_application_is_checked() {
    let mut bundled: Vec<String> =
        common::toml_files(&scenario("fonds")).iter().map(|p| common::file_name(p)).collect();
    let mut listed: Vec<String> = FUND_APPLICATIONS.iter().map(|s| s.to_string()).collect();
    bundled.sort();
    listed.sort();
    assert_eq!(bundled, listed, "scenarios/fonds/ and FUND_APPLICATIONS differ: list every bundled application");
}

#[test]
fn committee_pages_hold_no_english_and_no_developer_text() {
    let t = tmpdir();
    for app in FUND_APPLICATIONS {
        assert_dutch(&format!("{app} claim.html"), &claim_page(app, "nl", &t.path().join(app)));
    }
}

/// `claim --lang en` writes the committee page in English: no Dutch template
/// text, and the two B/C ratios and the PM-posten visible in English words.
#[test]
fn english_committee_pages_hold_no_dutch_and_show_both_levels() {
    let t = tmpdir();
    for app in FUND_APPLICATIONS {
        let html = claim_page(app, "en", &t.path().join(app));
        // The application's own texts (description, effect names, PM-posten) are the applicant's words.
        let own = without(&without(&html, "<p class=\"description\"", "</p>"), "<ul class=\"pm\"", "</ul>");
        assert_english(&format!("{app} claim.html (en)"), &own);
        let text = visible(&html);
        for w in ["financial", "social", "The social B/C counts", "PM items (not expressed in money)"] {
            assert!(text.contains(w), "{app}: {w} not visible");
        }
    }
}

#[test]
fn a_run_over_part_of_the_city_is_not_called_the_whole_city() {
    let t = tmpdir();
    // The peutergym simulates one area (its 80 participants in Dukenburg): the totals carry its name.
    let (nl, en) = reports("dukenburg-peutergym.toml", "20", &t.path().join("one"));
    assert!(!nl.contains("hele stad") && !en.contains("whole city"));
    assert!(
        visible(&nl).contains("Hoe vaak elke NPV voorkomt over de trekkingen (Dukenburg-peutergym)."),
        "one area: its name"
    );
    // Nine stadsdelen are nine areas, whatever city they are.
    let (nl, en) = reports("noord-ouders.toml", "6", &t.path().join("nine"));
    assert!(!nl.contains("hele stad") && !en.contains("whole city"));
    assert!(visible(&nl).contains("totaal van 9 gebieden") && visible(&en).contains("total of 9 areas"));
    assert!(visible(&nl).contains("Gebieden in deze run: Centrum, Oost,"));
}

#[test]
fn the_checks_catch_what_they_guard() {
    let dutch = "<html lang=\"nl\"><p>In 3 van de 100 trekkingen.</p><code>--draws 3</code>\
        <span lang=\"en\">CBS and the rest</span></html>";
    assert_dutch("clean", dutch);
    for bad in [
        "<html lang=\"nl\"><p>Left of the line</p></html>",
        "<html lang=\"nl\"><td>pert, an assumption</td></html>",
        "<html lang=\"nl\"><td>{ dist = \"gamma\", mean = 450 }</td></html>",
        "<html lang=\"nl\"><td>scenarios/noord-ouders.toml</td></html>",
        "<html lang=\"nl\"><svg><text x=\"1\">gemeente/6.72</text></svg></html>",
    ] {
        assert!(std::panic::catch_unwind(|| assert_dutch("bad", bad)).is_err(), "not caught: {bad}");
    }
    assert_eq!(bare_codes("gemeente/6.72 Maatwerkdienstverlening 18-"), None);
    assert_eq!(bare_codes("zorgverzekeraar"), None);
    assert!(
        std::panic::catch_unwind(|| assert_english("bad", "<html lang=\"en\"><p>20 trekkingen</p></html>")).is_err()
    );
}
