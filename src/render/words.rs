//! Developer text turned into words for readers of the pages: a distribution as
//! `gamma, gemiddelde 450, sd 90` instead of TOML or `gamma(mean 450, sd 90)`, a
//! file by its base name, a command line without directories, a parameter's
//! source note without English free text on a Dutch page, and the setting names
//! of the model and the manifest.

use super::format::sig_decimals;
use super::text::Lang;

/// The last component of a path (`scenarios/noord-ouders.toml` → `noord-ouders.toml`);
/// a generated input keeps its `#…` suffix.
pub(crate) fn base_name(path: &str) -> String {
    let (file, suffix) = path.split_once('#').map_or((path, ""), |(f, s)| (f, s));
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    if suffix.is_empty() {
        name.to_string()
    } else {
        format!("{name}#{suffix}")
    }
}

/// A command line as people retype it: every word that is a path reduced to
/// its base name (`./target/release/wijkimpact` → `wijkimpact`), quoted for a shell.
pub(crate) fn command_line(words: &[String]) -> String {
    let shown = words.iter().map(|w| if w.contains('/') || w.contains('\\') { base_name(w) } else { w.clone() });
    shown.map(|w| super::format::shell_word(&w)).collect::<Vec<_>>().join(" ")
}

/// A number as a parameter is shown: Dutch or English separators, trailing zeros dropped.
fn number(x: f64, l: Lang) -> String {
    l.num_trimmed(x, sig_decimals(x))
}

/// A distribution family for people.
fn family(kind: &str, l: Lang) -> String {
    let (nl, en) = match kind {
        "normal" => ("normaal", "normal"),
        "lognormal" => ("lognormaal", "lognormal"),
        "beta" => ("bèta", "beta"),
        "gamma" => ("gamma", "gamma"),
        "uniform" => ("uniform", "uniform"),
        "triangular" => ("driehoek", "triangular"),
        "pert" => ("PERT", "PERT"),
        "dirichlet" => ("Dirichlet", "Dirichlet"),
        other => return other.to_string(),
    };
    match l {
        Lang::Nl => nl.into(),
        Lang::En => en.into(),
    }
}

/// A distribution parameter's name for people, in the order a sentence gives them.
const KEYS: [(&str, &str, &str); 19] = [
    ("median", "mediaan", "median"),
    ("mean", "gemiddelde", "mean"),
    ("sd", "sd", "sd"),
    ("meanlog", "gemiddelde van ln", "mean of ln"),
    ("sdlog", "sd van ln", "sd of ln"),
    ("ratio", "verhouding", "ratio"),
    ("95% CI", "95 %-interval", "95% interval"),
    ("ci95", "95 %-interval", "95% interval"),
    ("events", "gebeurtenissen", "events"),
    ("trials", "waarnemingen", "trials"),
    ("alpha", "alfa", "alpha"),
    ("beta", "bèta", "beta"),
    ("shape", "vorm", "shape"),
    ("scale", "schaal", "scale"),
    ("low", "laag", "low"),
    ("mode", "meest waarschijnlijk", "most likely"),
    ("high", "hoog", "high"),
    ("lambda", "gewicht van de modus", "weight of the mode"),
    ("counts", "tellingen", "counts"),
];

fn key_word(key: &str, kind: &str, l: Lang) -> String {
    if kind == "dirichlet" && (key == "alpha" || key == "counts") {
        return match l {
            Lang::Nl => "gewichten".into(),
            Lang::En => "weights".into(),
        };
    }
    match (KEYS.iter().find(|(k, _, _)| *k == key), l) {
        (Some((_, nl, _)), Lang::Nl) => nl.to_string(),
        (Some((_, _, en)), Lang::En) => en.to_string(),
        (None, _) => key.to_string(),
    }
}

/// Put the parts together: bounds (`laag … – meest waarschijnlijk … – hoog …`)
/// with dashes, the rest with commas.
fn sentence(kind: &str, parts: Vec<(String, String)>, l: Lang) -> String {
    let bounds = ["low", "mode", "high"];
    let mut out = family(kind, l);
    let mut prev_bound = false;
    for (k, v) in parts {
        let bound = bounds.contains(&k.as_str());
        out.push_str(if bound && prev_bound { " – " } else { ", " });
        out.push_str(&format!("{} {v}", key_word(&k, kind, l)));
        prev_bound = bound;
    }
    out
}

/// A list of numbers (`0,2; 0,7; 0,1`) or a range `lo – hi` for an interval.
fn numbers(xs: &[f64], l: Lang, range: bool) -> String {
    let shown: Vec<String> = xs.iter().map(|&x| number(x, l)).collect();
    shown.join(if range { " – " } else { "; " })
}

/// A distribution in words and numbers for the page's language. Takes the
/// engine's short form (`pert(low 0.85, mode 0.95, high 1.02)`, see the
/// `Display` of [`crate::dist::Distribution`]) or a TOML value as written in a
/// file (`{ dist = "gamma", mean = 450, sd = 90 }`, or a plain number); anything
/// else comes back unchanged.
pub(crate) fn distribution(text: &str, l: Lang) -> String {
    let s = text.trim();
    if let Ok(x) = s.parse::<f64>() {
        return number(x, l);
    }
    if s.starts_with('{') {
        return from_toml(s, l).unwrap_or_else(|| s.to_string());
    }
    from_short(s, l).unwrap_or_else(|| s.to_string())
}

/// `kind(key value, key value, …)`; a Dirichlet's further values follow its `alpha`,
/// a lognormal's interval is `95% CI lo-hi`.
fn from_short(s: &str, l: Lang) -> Option<String> {
    let (kind, rest) = s.split_once('(')?;
    let args = rest.strip_suffix(')')?;
    let mut parts: Vec<(String, String)> = vec![];
    let mut list: Vec<f64> = vec![];
    for a in args.split(", ") {
        if let Ok(x) = a.parse::<f64>() {
            list.push(x);
            continue;
        }
        if let Some(ci) = a.strip_prefix("95% CI ") {
            // `lo-hi`: the dash after the first character separates the bounds.
            let i = ci.char_indices().skip(1).find(|&(_, c)| c == '-')?.0;
            let (lo, hi) = (ci[..i].parse().ok()?, ci[i + 1..].parse().ok()?);
            parts.push(("95% CI".into(), numbers(&[lo, hi], l, true)));
            continue;
        }
        let (k, v) = a.rsplit_once(' ')?;
        let x: f64 = v.parse().ok()?;
        if k == "alpha" && kind == "dirichlet" {
            list.push(x);
        } else {
            parts.push((k.to_string(), number(x, l)));
        }
    }
    if !list.is_empty() {
        parts.push(("alpha".into(), numbers(&list, l, false)));
    }
    Some(sentence(kind, parts, l))
}

/// A distribution as a TOML inline table; `note` is left out (it is the source).
fn from_toml(s: &str, l: Lang) -> Option<String> {
    let table: toml::Table = toml::from_str(&format!("v = {s}")).ok()?;
    let v = table.get("v")?.as_table()?;
    let kind = v.get("dist")?.as_str()?;
    let num = |x: &toml::Value| x.as_float().or_else(|| x.as_integer().map(|i| i as f64));
    let mut parts = vec![];
    for (key, _, _) in KEYS {
        let Some(x) = v.get(key) else { continue };
        let text = match x.as_array() {
            Some(xs) => numbers(&xs.iter().filter_map(num).collect::<Vec<_>>(), l, key == "ci95"),
            None => number(num(x)?, l),
        };
        parts.push((key.to_string(), text));
    }
    Some(sentence(kind, parts, l))
}

/// A parameter's source note as a page in language `l` shows it: the Dutch
/// word for an assumption, or the citation as written (marked as not Dutch on a
/// Dutch page, since citations are kept as the source words them). Returns the
/// word shown in the page's language, if any, and the citation, if any.
///
/// On a Dutch page a note that starts with "assumption" is only "aanname": the
/// English reasoning after it is free text, which the Dutch page leaves out.
pub(crate) fn source_note(note: &str, l: Lang) -> (Option<String>, Option<String>) {
    let n = note.trim();
    if n.is_empty() {
        return (None, None);
    }
    if l == Lang::En {
        return (None, Some(n.to_string()));
    }
    if n.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("assumption")) {
        return (Some("aanname".into()), None);
    }
    // The engine's own note on a band total spread over single ages (scenario::validate).
    if let Some(k) = n.strip_prefix("per age and sex: the band total divided by ") {
        let dutch = format!("per leeftijd en geslacht: het totaal van de leeftijdsband gedeeld door {k}");
        return (Some(dutch), None);
    }
    (None, Some(n.to_string()))
}

/// A setting of the model (`[model]`) or a field of the run's manifest, named for people.
pub(crate) fn setting(key: &str, l: Lang) -> Option<&'static str> {
    const NAMES: [(&str, &str, &str); 23] = [
        ("start_year", "startjaar", "start year"),
        ("horizon", "horizon (jaren)", "horizon (years)"),
        ("discount_rate_costs", "disconteringsvoet kosten", "discount rate, costs"),
        ("discount_rate_effects", "disconteringsvoet effecten", "discount rate, effects"),
        ("first_year_discounted", "eerste jaar verdisconteerd", "first year discounted"),
        ("cycle_correction", "correctie binnen het jaar", "within-year correction"),
        ("rr_convention", "werking relatief risico", "relative-risk convention"),
        ("mode", "modus", "mode"),
        ("max_age", "maximale leeftijd", "maximum age"),
        ("price_year", "prijspeil", "price level"),
        ("command_line", "opdracht", "command"),
        ("engine", "versie", "version"),
        ("prng", "toevalsgenerator", "random number generator"),
        ("scenario_hash", "vingerafdruk van de invoer (SHA-256)", "fingerprint of the input (SHA-256)"),
        ("seed", "seed", "seed"),
        ("draws", "trekkingen", "draws"),
        ("quantiles", "kwantielen", "quantiles"),
        ("threads", "threads", "threads"),
        ("started_at", "gestart op", "started at"),
        ("wall_time_seconds", "rekentijd (seconden)", "run time (seconds)"),
        ("peak_memory_bytes", "piekgeheugen (bytes)", "peak memory (bytes)"),
        ("discount_timing", "moment van disconteren", "discount timing"),
        ("cycle_weights", "gewichten van de jaargrenzen", "weights of the year boundaries"),
    ];
    NAMES.iter().find(|(k, _, _)| *k == key).map(|(_, nl, en)| if l == Lang::Nl { *nl } else { *en })
}

/// The random number generator's description, cut to its name on a Dutch page
/// (the full description is English developer text).
pub(crate) fn prng(text: &str, l: Lang) -> String {
    match l {
        Lang::En => text.to_string(),
        Lang::Nl => text.split(" seeded").next().unwrap_or(text).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_read_as_words_and_numbers() {
        let nl = Lang::Nl;
        assert_eq!(distribution(r#"{ dist = "gamma", mean = 450, sd = 90 }"#, nl), "gamma, gemiddelde 450, sd 90");
        assert_eq!(
            distribution("pert(low 0.85, mode 0.95, high 1.02)", nl),
            "PERT, laag 0,85 – meest waarschijnlijk 0,95 – hoog 1,02"
        );
        assert_eq!(
            distribution("pert(low 0.85, mode 0.95, high 1.02)", Lang::En),
            "PERT, low 0.85 – most likely 0.95 – high 1.02"
        );
        assert_eq!(distribution("gamma(mean 4300, sd 900)", nl), "gamma, gemiddelde 4.300, sd 900");
        assert_eq!(
            distribution("lognormal(median 0.9, 95% CI 0.702171-1.15357)", nl),
            "lognormaal, mediaan 0,9, 95 %-interval 0,702 – 1,15"
        );
        assert_eq!(distribution("dirichlet(alpha 200, 730, 70)", nl), "Dirichlet, gewichten 200; 730; 70");
        assert_eq!(
            distribution(r#"{ dist = "lognormal", ratio = 0.8, ci95 = [0.6, 1.0] }"#, Lang::En),
            "lognormal, ratio 0.8, 95% interval 0.6 – 1"
        );
        assert_eq!(distribution("9000", nl), "9.000");
        assert_eq!(distribution("wmo_cost", nl), "wmo_cost");
    }

    #[test]
    fn paths_lose_their_directories() {
        assert_eq!(base_name("scenarios/fonds/../nijmegen-chains.toml"), "nijmegen-chains.toml");
        assert_eq!(base_name("scenarios/fonds/a.toml#generated"), "a.toml#generated");
        let words: Vec<String> =
            ["./target/release/wijkimpact", "run", "scenarios/x.toml", "--out", "/tmp/a b"].map(String::from).into();
        assert_eq!(command_line(&words), "wijkimpact run x.toml --out 'a b'");
    }

    #[test]
    fn an_assumption_note_is_one_dutch_word() {
        assert_eq!(source_note("assumption (no published unit cost)", Lang::Nl), (Some("aanname".into()), None));
        let spread = source_note("per age and sex: the band total divided by 4", Lang::Nl);
        assert_eq!(
            spread.0.as_deref(),
            Some("per leeftijd en geslacht: het totaal van de leeftijdsband gedeeld door 4")
        );
        assert_eq!(source_note("CBS 84580NED", Lang::Nl), (None, Some("CBS 84580NED".into())));
        assert_eq!(source_note("assumption: x", Lang::En), (None, Some("assumption: x".into())));
    }
}
