//! The business case at its levels in words, for the samenvatting: which
//! streams carry the maatschappelijke baten, where the maatschappelijke
//! baten/kosten lands against the published band for the social domain, and
//! what still flows at the horizon. Everything is read from one scenario's
//! `totaal` metrics (see [`crate::business`] for the levels).

use crate::render::text::{fill, Lang, Texts};
use crate::report::data::StatFile;
use indexmap::IndexMap;

/// The published band of benefit/cost ratios for the social domain
/// (`[SEOR-2020]`, `[REGIOPLAN-2011]`, `[GEZINSHUIZEN-2015]` in docs/sources.md).
pub(super) const BAND: (f64, f64) = (1.3, 2.2);
/// The citations of [`BAND`], as `docs/sources.md` keys.
pub(super) const BAND_SOURCES: [&str; 3] = ["SEOR-2020", "REGIOPLAN-2011", "GEZINSHUIZEN-2015"];
/// How many streams the streams sentence names at most.
const TOP: usize = 4;

/// Where a maatschappelijke baten/kosten lands against [`BAND`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Band {
    /// Below the band's low end.
    Below,
    /// Within the band, ends included.
    Within,
    /// Above the band's high end.
    Above,
}

impl Band {
    /// The band of `bcr`; `None` when the ratio is not a number.
    pub(super) fn of(bcr: f64) -> Option<Band> {
        match bcr {
            b if !b.is_finite() => None,
            b if b < BAND.0 => Some(Band::Below),
            b if b > BAND.1 => Some(Band::Above),
            _ => Some(Band::Within),
        }
    }
}

/// One scenario's `totaal` figures the sentences read.
pub(super) struct Levels<'a> {
    metrics: &'a IndexMap<String, StatFile>,
    pm: &'a [String],
}

impl<'a> Levels<'a> {
    /// The figures of a scenario's `totaal` metrics and its PM-posten.
    pub(super) fn new(metrics: &'a IndexMap<String, StatFile>, pm: &'a [String]) -> Self {
        Levels { metrics, pm }
    }

    /// The mean of `metric`; 0 when absent (every metric read here is a sum).
    fn get(&self, metric: &str) -> f64 {
        self.metrics.get(metric).map_or(0.0, StatFile::mean)
    }

    /// Costs at the maatschappelijk level: the interventions' costs plus time at a shadow price.
    fn costs(&self) -> f64 {
        self.get("pv_intervention_costs") + self.get("pv_shadow_costs")
    }

    /// The maatschappelijke baten by stream, unsorted: cash per funder/taakveld
    /// account (`account` labels it), each valued outcome, social value and
    /// avoided shadow-priced costs. Accounts of shadow-priced funders are left
    /// out, as they are in `pv_shadow_benefits` already.
    pub(super) fn streams(&self, lang: Lang, account: &dyn Fn(&str) -> String) -> Vec<(String, f64)> {
        let accounts: Vec<(&str, f64)> =
            (self.metrics.iter()).filter_map(|(k, s)| k.strip_prefix("pv_benefits/").map(|a| (a, s.mean()))).collect();
        let shadow = shadow_funders(&accounts, self.get("pv_shadow_benefits"));
        let mut out: Vec<(String, f64)> =
            (accounts.iter()).filter(|(a, _)| !shadow.contains(&funder(a))).map(|(a, v)| (account(a), *v)).collect();
        for (k, s) in self.metrics {
            if let Some(outcome) = k.strip_prefix("pv_value/") {
                out.push((outcome_label(outcome, lang), s.mean()));
            }
        }
        let t = lang.texts();
        out.push((t.stream_social_value.into(), self.get("pv_social_value")));
        out.push((t.stream_shadow.into(), self.get("pv_shadow_benefits")));
        out
    }

    /// "De maatschappelijke baten komen vooral van: …": the largest streams with
    /// their share of all maatschappelijke baten; `None` when there are none.
    pub(super) fn streams_sentence(&self, lang: Lang, account: &dyn Fn(&str) -> String) -> Option<String> {
        let mut streams = self.streams(lang, account);
        let total: f64 = streams.iter().map(|(_, v)| v).sum();
        if total <= 0.5 {
            return None;
        }
        // Streams that round to 0 % say nothing.
        streams.retain(|(_, v)| *v > 0.5 && v / total >= 0.005);
        streams.sort_by(|a, b| b.1.total_cmp(&a.1));
        let list: Vec<String> =
            streams.iter().take(TOP).map(|(name, v)| format!("{name} {}", lang.pct(v / total, 0))).collect();
        Some(fill(lang.texts().streams_sentence, &[("list", &list.join(", "))]))
    }

    /// Where the maatschappelijke baten/kosten lands against [`BAND`], and,
    /// below it, the reasons the run shows; without the citations (the caller
    /// adds [`BAND_SOURCES`]). `None` without a ratio.
    pub(super) fn band_sentences(&self, lang: Lang) -> Option<(String, Vec<String>)> {
        let (t, bcr) = (lang.texts(), self.get("bcr_societal"));
        let band = Band::of(bcr)?;
        let template = match band {
            Band::Below => t.band_below,
            Band::Within => t.band_within,
            Band::Above => t.band_above,
        };
        let vals = [("bcr", lang.num(bcr, 2)), ("low", lang.num(BAND.0, 1)), ("high", lang.num(BAND.1, 1))];
        let vals: Vec<(&str, &str)> = vals.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut reasons = vec![];
        if band == Band::Below {
            let baten = self.get("pv_benefits") + self.get("pv_welfare");
            let costs = self.costs();
            if costs > 0.0 && baten < costs {
                let gap = lang.pct(1.0 - baten.max(0.0) / costs, 0);
                reasons.push(fill(t.band_reason_gap, &[("gap", &gap)]));
            }
            if !self.pm.is_empty() {
                let n = self.pm.len().to_string();
                reasons.push(fill(t.band_reason_pm, &[("n", &n), ("list", &self.pm.join("; "))]));
            }
        }
        Some((fill(template, &vals), reasons))
    }

    /// What still flows at the horizon, when it is more than 1 % of the costs:
    /// left out (`cut`) or counted after the horizon (`decay`, with its values).
    pub(super) fn horizon_sentence(&self, lang: Lang, end_year: i32) -> Option<String> {
        let (t, flow) = (lang.texts(), self.get("flow_at_horizon"));
        let material = flow.abs() > 0.01 * self.costs().abs() && flow.abs() > 0.5;
        if !material {
            return None;
        }
        let (cash, welfare) = (self.get("pv_after_horizon"), self.get("pv_welfare_after_horizon"));
        let decay = cash.abs() > 0.5 || welfare.abs() > 0.5;
        let vals = [
            ("flow", lang.eur_short(flow)),
            ("end", end_year.to_string()),
            ("cash", lang.eur_short(cash)),
            ("welfare", lang.eur_short(welfare)),
        ];
        let vals: Vec<(&str, &str)> = vals.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Some(fill(if decay { t.horizon_decay } else { t.horizon_cut }, &vals))
    }
}

/// The funder of an account (`gemeente/6.72` → `gemeente`).
fn funder(account: &str) -> &str {
    account.split('/').next().unwrap_or(account)
}

/// The funders whose accounts' benefits add up to `shadow` (the avoided
/// shadow-priced costs): the run does not record which funders are
/// shadow-priced, but their benefits are exactly `pv_shadow_benefits`.
/// Empty when `shadow` is 0 or no set of funders matches.
fn shadow_funders<'s>(accounts: &[(&'s str, f64)], shadow: f64) -> Vec<&'s str> {
    if shadow.abs() <= 0.5 {
        return vec![];
    }
    let mut funders: Vec<(&str, f64)> = vec![];
    for (a, v) in accounts {
        match funders.iter_mut().find(|(f, _)| *f == funder(a)) {
            Some((_, sum)) => *sum += v,
            None => funders.push((funder(a), *v)),
        }
    }
    // Funders without benefits cannot tell; the few others are searched exhaustively.
    funders.retain(|(_, v)| v.abs() > 0.5);
    if funders.len() > 16 {
        return vec![];
    }
    let tol = 1.0 + 1e-6 * shadow.abs();
    (1u32..1 << funders.len())
        .find(|mask| {
            let sum: f64 = (funders.iter().enumerate()).filter(|(i, _)| mask >> i & 1 == 1).map(|(_, (_, v))| v).sum();
            (sum - shadow).abs() <= tol
        })
        .map_or(vec![], |mask| {
            (funders.iter().enumerate()).filter(|(i, _)| mask >> i & 1 == 1).map(|(_, (f, _))| *f).collect()
        })
}

/// A valued outcome for people: QALYs as health, WELLBYs as wellbeing.
fn outcome_label(outcome: &str, lang: Lang) -> String {
    let t = lang.texts();
    match outcome {
        "qaly" => t.stream_qaly.into(),
        "wellby" => t.stream_wellby.into(),
        o => o.into(),
    }
}

/// The euro values per unit of the valued outcomes, from the run's parameters
/// (`valuation.qaly` or a named parameter used by it): `QALY € 50.000`.
pub(super) fn unit_values(params: &[crate::report::data::ParameterFile], lang: Lang) -> Vec<String> {
    let mut out = vec![];
    for p in params {
        let outcome = (p.name.strip_prefix("valuation."))
            .or_else(|| p.used_by.iter().find_map(|u| u.strip_prefix("valuation.")))
            .map(str::to_string);
        let (Some(outcome), Some(mean)) = (outcome, p.mean.as_f64()) else { continue };
        let unit = match outcome.as_str() {
            "qaly" => "QALY".to_string(),
            "wellby" => "WELLBY".to_string(),
            o => o.to_string(),
        };
        out.push(format!("{unit} {}", lang.eur_short(mean)));
    }
    out
}

/// The sentence under the summary table on the difference between the two ratios.
pub(super) fn levels_explained(t: &Texts, values: &[String]) -> String {
    match values {
        [] => t.levels_explain.replace(" {values}", ""),
        v => fill(t.levels_explain, &[("values", &fill(t.levels_values, &[("values", &v.join(", "))]))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mean: f64) -> StatFile {
        StatFile {
            n: 10,
            missing: 0,
            mean: Some(mean),
            sd: None,
            mcse: None,
            quantiles: IndexMap::new(),
            p_positive: None,
            histogram: None,
        }
    }

    fn metrics(pairs: &[(&str, f64)]) -> IndexMap<String, StatFile> {
        pairs.iter().map(|(k, v)| (k.to_string(), stat(*v))).collect()
    }

    fn label(a: &str) -> String {
        format!("[{a}]")
    }

    /// Costs 1,000,000; maatschappelijke baten = 300k cash + 500k WELLBY + 200k mantelzorg hours.
    fn case(bcr: f64) -> IndexMap<String, StatFile> {
        metrics(&[
            ("pv_benefits", 300_000.0),
            ("pv_intervention_costs", 1_000_000.0),
            ("bcr_societal", bcr),
            ("pv_welfare", 700_000.0),
            ("pv_benefits/gemeente/6.72", 250_000.0),
            ("pv_benefits/zorgverzekeraar", 50_000.0),
            ("pv_benefits/mantelzorgers", 200_000.0),
            ("pv_value/wellby", 500_000.0),
            ("pv_social_value", 0.0),
            ("pv_shadow_benefits", 200_000.0),
        ])
    }

    #[test]
    fn streams_sentence_names_the_largest_stream_first_with_its_share() {
        let m = case(1.0);
        let s = Levels::new(&m, &[]).streams_sentence(Lang::Nl, &label).unwrap();
        assert!(s.starts_with("De maatschappelijke baten komen vooral van: welzijn (WELLBY's) 50\u{a0}%"), "{s}");
        assert!(s.contains("[gemeente/6.72] 25\u{a0}%"), "{s}");
        // The mantelzorgers account is the shadow-priced stream, counted once.
        assert!(!s.contains("[mantelzorgers]") && s.contains("20\u{a0}%"), "{s}");
        let en = Levels::new(&m, &[]).streams_sentence(Lang::En, &label).unwrap();
        assert!(en.contains("wellbeing (WELLBYs) 50%"), "{en}");
    }

    #[test]
    fn shadow_funders_are_the_ones_whose_benefits_make_up_the_shadow_stream() {
        let acc = [("gemeente/6.1", 10e3), ("gemeente/6.2", 20e3), ("mantelzorgers", 5e3), ("rijk", 31e3)];
        assert_eq!(shadow_funders(&acc, 5e3), ["mantelzorgers"]);
        assert_eq!(shadow_funders(&acc, 0.0), Vec::<&str>::new());
        assert_eq!(shadow_funders(&acc, 36e3), ["mantelzorgers", "rijk"]);
    }

    #[test]
    fn band_sentence_says_below_within_or_above() {
        let pm = vec!["meer vertrouwen in de buurt".to_string()];
        for (bcr, band, word) in
            [(1.0, Band::Below, "onder"), (1.5, Band::Within, "binnen"), (2.5, Band::Above, "boven")]
        {
            assert_eq!(Band::of(bcr), Some(band));
            let m = case(bcr);
            let (s, reasons) = Levels::new(&m, &pm).band_sentences(Lang::Nl).unwrap();
            assert!(s.contains(&format!("ligt {word} de")), "{bcr}: {s}");
            assert_eq!(reasons.is_empty(), band != Band::Below, "{bcr}: {reasons:?}");
        }
        assert_eq!(Band::of(1.3), Some(Band::Within));
        assert_eq!(Band::of(f64::NAN), None);
    }

    #[test]
    fn below_the_band_names_the_uncovered_cost_and_the_pm_posten() {
        let pm = vec!["meer vertrouwen in de buurt".to_string(), "minder eenzaamheid".to_string()];
        let mut m = case(0.8);
        m.insert("pv_welfare".into(), stat(500_000.0));
        let (_, reasons) = Levels::new(&m, &pm).band_sentences(Lang::Nl).unwrap();
        assert!(reasons[0].contains("20\u{a0}%"), "{reasons:?}");
        assert!(reasons[1].contains("2 PM-posten") && reasons[1].contains("minder eenzaamheid"), "{reasons:?}");
    }

    #[test]
    fn horizon_sentence_only_when_the_flow_is_material_and_says_cut_or_decay() {
        let mut m = case(1.0);
        assert_eq!(Levels::new(&m, &[]).horizon_sentence(Lang::Nl, 2034), None);
        m.insert("flow_at_horizon".into(), stat(5_000.0));
        assert_eq!(Levels::new(&m, &[]).horizon_sentence(Lang::Nl, 2034), None, "0.5 % of the costs");
        m.insert("flow_at_horizon".into(), stat(50_000.0));
        let cut = Levels::new(&m, &[]).horizon_sentence(Lang::Nl, 2034).unwrap();
        assert!(cut.contains("2034") && cut.contains("niet mee"), "{cut}");
        m.insert("pv_after_horizon".into(), stat(120_000.0));
        m.insert("pv_welfare_after_horizon".into(), stat(300_000.0));
        let decay = Levels::new(&m, &[]).horizon_sentence(Lang::Nl, 2034).unwrap();
        assert!(decay.contains("0,12") && decay.contains("0,30"), "{decay}");
    }
}
