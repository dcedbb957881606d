//! Every word of the report, in one place per language, and number formatting
//! the way each language writes it (Dutch: `€ 1.234.567`, `0,83`; English:
//! `€1,234,567`, `0.83`).
//!
//! Templates carry `{name}` placeholders filled by [`fill`]; a template and its
//! translation must use the same placeholders (a test checks this).

/// Language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// The `lang` attribute of the HTML document.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::Nl => ('.', ','),
            Lang::En => (',', '.'),
        }
    }

    /// `x` with `decimals` decimals and grouped thousands; `–` when missing.
    pub fn num(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let (group, point) = self.separators();
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        // No minus sign on a value that rounds to zero.
        if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("−{out}")
        } else {
            out
        }
    }

    /// Whole euros: `€ 1.234.567` / `€1,234,567`, minus sign in front.
    pub fn eur(self, x: f64) -> String {
        self.money(x, self.num(x.abs(), 0))
    }

    /// Euros in a compact form for sentences and tables: millions with two
    /// decimals from € 0.1 mln, whole euros below.
    pub fn eur_short(self, x: f64) -> String {
        if x.is_finite() && x.abs() >= 1e5 {
            let m = self.num(x.abs() / 1e6, 2);
            let unit = match self {
                Lang::Nl => format!("{m}\u{a0}mln"),
                Lang::En => format!("{m}\u{a0}M"),
            };
            self.money(x, unit)
        } else {
            self.eur(x)
        }
    }

    fn money(self, x: f64, digits: String) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let sign = if x < 0.0 && digits.chars().any(|c| c.is_ascii_digit() && c != '0') { "−" } else { "" };
        match self {
            Lang::Nl => format!("{sign}€\u{a0}{digits}"),
            Lang::En => format!("{sign}€{digits}"),
        }
    }

    /// A share in [0, 1] as a percentage with `decimals` decimals.
    pub fn pct(self, p: f64, decimals: usize) -> String {
        if !p.is_finite() {
            return "–".into();
        }
        match self {
            Lang::Nl => format!("{}\u{a0}%", self.num(p * 100.0, decimals)),
            Lang::En => format!("{}%", self.num(p * 100.0, decimals)),
        }
    }
}

/// Fill `{name}` placeholders in `template`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// All text of the report in one language.
pub struct Texts {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub generated: &'static str,
    pub contents: &'static str,
    pub baseline: &'static str,
    pub city_total: &'static str,

    pub s_summary: &'static str,
    pub summary_intro: &'static str,
    pub col_scenario: &'static str,
    pub col_npv_mean: &'static str,
    pub col_interval: &'static str,
    pub col_p_positive: &'static str,
    pub col_bcr: &'static str,
    pub col_break_even: &'static str,
    pub col_social: &'static str,
    pub col_npv_social: &'static str,
    pub col_area: &'static str,
    pub col_year: &'static str,
    pub col_mean: &'static str,
    pub col_median: &'static str,
    pub sent_npv: &'static str,
    pub sent_positive: &'static str,
    pub sent_bcr: &'static str,
    pub sent_no_bcr: &'static str,
    pub sent_break_even: &'static str,
    pub sent_no_break_even: &'static str,
    pub sent_social: &'static str,
    pub not_within_horizon: &'static str,
    pub per_area_title: &'static str,
    pub per_area_intro: &'static str,

    pub s_indicators: &'static str,
    pub indicators_intro: &'static str,
    pub indicator_none: &'static str,
    pub indicator_title: &'static str,
    pub indicator_level: &'static str,
    pub indicator_diff: &'static str,
    pub per_area_multiples: &'static str,
    pub axis_year: &'static str,
    pub axis_prevalence: &'static str,
    pub axis_prevalence_diff: &'static str,
    pub band_median: &'static str,
    pub band_50: &'static str,
    pub band_90: &'static str,
    pub col_difference: &'static str,

    pub s_npv: &'static str,
    pub npv_intro: &'static str,
    pub axis_npv: &'static str,
    pub axis_draws: &'static str,
    pub col_bin: &'static str,
    pub col_count: &'static str,
    pub npv_no_histogram: &'static str,
    pub legend_loss: &'static str,
    pub legend_gain: &'static str,

    pub s_funders: &'static str,
    pub funders_intro: &'static str,
    pub funders_sroi: &'static str,
    pub axis_cashflow: &'static str,
    pub col_account: &'static str,
    pub col_pv_benefits: &'static str,
    pub col_pv_costs: &'static str,
    pub col_pv_net: &'static str,
    pub funders_none: &'static str,

    pub s_drivers: &'static str,
    pub drivers_intro: &'static str,
    pub drivers_missing: &'static str,
    pub drivers_none: &'static str,
    pub axis_tornado: &'static str,
    pub col_parameter: &'static str,
    pub col_value_low: &'static str,
    pub col_value_high: &'static str,
    pub col_npv_low: &'static str,
    pub col_npv_high: &'static str,
    pub col_swing: &'static str,
    pub legend_low: &'static str,
    pub legend_high: &'static str,

    pub s_monitoring: &'static str,
    pub mon_intro: &'static str,
    pub mon_inside: &'static str,
    pub mon_ess: &'static str,
    pub mon_updated: &'static str,
    pub mon_not_updated: &'static str,
    pub mon_message: &'static str,
    pub mon_track_title: &'static str,
    pub mon_track_intro: &'static str,
    pub col_measure: &'static str,
    pub col_inside: &'static str,
    pub col_verdict: &'static str,
    pub verdict_on_track: &'static str,
    pub verdict_watch: &'static str,
    pub verdict_off_track: &'static str,
    pub mon_series_title: &'static str,
    pub mon_series_intro: &'static str,
    pub mon_chart_caption: &'static str,
    pub mon_no_series: &'static str,
    pub mon_no_sampling: &'static str,
    pub observed: &'static str,
    pub col_observed: &'static str,
    pub col_percentile: &'static str,
    pub col_band: &'static str,
    pub col_inside_band: &'static str,
    pub col_posterior_median: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub mon_bc_title: &'static str,
    pub mon_bc_intro: &'static str,
    pub mon_bc_intro_prior: &'static str,
    pub col_metric: &'static str,
    pub col_prior: &'static str,
    pub col_posterior: &'static str,
    pub mon_p_positive: &'static str,
    pub mon_p_positive_prior: &'static str,
    pub metric_npv: &'static str,
    pub metric_bcr: &'static str,
    pub metric_pv_benefits: &'static str,
    pub metric_pv_costs: &'static str,
    pub metric_npv_social: &'static str,
    pub metric_pv_net: &'static str,
    pub mon_params_title: &'static str,
    pub mon_params_intro: &'static str,
    pub mon_params_none: &'static str,
    pub col_prior_param: &'static str,
    pub col_posterior_param: &'static str,
    pub col_shift: &'static str,

    pub s_assumptions: &'static str,
    pub assumptions_intro: &'static str,
    pub assumptions_missing: &'static str,
    pub model_settings: &'static str,
    pub sroi_title: &'static str,
    pub sroi_intro: &'static str,
    pub col_deadweight: &'static str,
    pub col_attribution: &'static str,
    pub col_displacement: &'static str,
    pub params_title: &'static str,
    pub col_distribution: &'static str,
    pub col_p5_p95: &'static str,
    pub col_source: &'static str,
    pub inline_param: &'static str,

    pub s_reproduce: &'static str,
    pub reproduce_intro: &'static str,
    pub mcse_title: &'static str,
    pub mcse_intro: &'static str,
    pub col_mcse_npv: &'static str,
    pub col_mcse_p: &'static str,
    pub col_mcse_bcr: &'static str,
    pub col_file: &'static str,
    pub col_field: &'static str,
    pub col_value: &'static str,

    pub table_alt: &'static str,
    pub footer: &'static str,
}

static NL: Texts = Texts {
    title: "Maatschappelijke businesscase",
    subtitle: "{file}: {scenarios} scenario's tegen het nulalternatief, {start}–{end}",
    generated: "{draws} Monte Carlo-trekkingen, {mode}-modus, seed {seed}; wijkimpact {version}.",
    contents: "Inhoud",
    baseline: "nulalternatief",
    city_total: "hele stad",

    s_summary: "Samenvatting",
    summary_intro: "Per scenario het verschil met het nulalternatief (dezelfde stad zonder de interventies), \
        over alle trekkingen. Bedragen zijn contante waarden in euro's; de NPV telt alleen vermeden kosten van \
        zorg en ondersteuning min de kosten van de interventies. Maatschappelijke waarde (welzijn, in geld \
        uitgedrukt) staat apart, omdat niemand haar uitbetaalt.",
    col_scenario: "Scenario",
    col_npv_mean: "NPV (gemiddeld)",
    col_interval: "90 %-interval (P5–P95)",
    col_p_positive: "Kans NPV > 0",
    col_bcr: "Baten/kosten",
    col_break_even: "Terugverdiend: jaar (kans)",
    col_social: "Maatschappelijke waarde",
    col_npv_social: "NPV incl. maatsch. waarde",
    col_area: "Gebied",
    col_year: "Jaar",
    col_mean: "Gemiddeld",
    col_median: "Mediaan",
    sent_npv:
        "De netto contante waarde (NPV) is gemiddeld {mean}; in 90 van de 100 trekkingen ligt ze tussen {p5} en {p95}.",
    sent_positive: "In {k} van de 100 trekkingen is de businesscase positief.",
    sent_bcr: "Elke euro die in de interventies gaat, levert gemiddeld {bcr} euro aan vermeden kosten op.",
    sent_no_bcr: "Een baten/kostenverhouding is niet te berekenen: het scenario heeft geen kosten.",
    sent_break_even: "In {k} van de 100 trekkingen zijn de kosten binnen de horizon terugverdiend (mediaan: {year}).",
    sent_no_break_even: "In geen enkele trekking zijn de kosten vóór {end} terugverdiend.",
    sent_social:
        "Daarnaast levert het scenario gemiddeld {sv} aan maatschappelijke waarde op (P5–P95: {p5} tot {p95}); \
        met die waarde meegeteld is de NPV gemiddeld {npv}.",
    not_within_horizon: "niet binnen de horizon",
    per_area_title: "Per gebied",
    per_area_intro: "De NPV per gebied; alleen gebieden waar het scenario iets verandert.",

    s_indicators: "Indicatoren en zorggebruik door de tijd",
    indicators_intro: "Per scenario de indicatoren waarop het scenario het meeste verschil maakt (meeste vermeden \
        persoonsjaren). Het donkere vlak is het middelste 50 % van de trekkingen (P25–P75), het lichte vlak 90 % \
        (P5–P95), de lijn de mediaan. Grijs is het nulalternatief. Percentages zijn aandelen van de mensen voor wie \
        de indicator geldt (bijvoorbeeld kinderen voor jeugdhulp).",
    indicator_none: "Dit scenario verandert geen enkele indicator merkbaar.",
    indicator_title: "{chain}: {state}",
    indicator_level: "Niveau: scenario tegen nulalternatief",
    indicator_diff: "Verschil met het nulalternatief (in dezelfde trekking)",
    per_area_multiples: "Per gebied",
    axis_year: "jaar",
    axis_prevalence: "% van de doelgroep",
    axis_prevalence_diff: "verschil in procentpunten",
    band_median: "mediaan",
    band_50: "P25–P75",
    band_90: "P5–P95",
    col_difference: "Verschil (gemiddeld)",

    s_npv: "Verdeling van de netto contante waarde",
    npv_intro: "Hoe vaak elke NPV voorkomt over de trekkingen (hele stad). Links van de nullijn verliest de \
        samenleving geld, rechts verdient de investering zich terug. De breedte zegt hoe onzeker de uitkomst is.",
    axis_npv: "NPV (€ mln, contante waarde)",
    axis_draws: "aantal trekkingen",
    col_bin: "NPV van – tot",
    col_count: "Trekkingen",
    npv_no_histogram:
        "Deze run bevat geen verdeling (histogram) van de NPV; draai het scenario opnieuw met deze versie.",
    legend_loss: "NPV < 0",
    legend_gain: "NPV ≥ 0",

    s_funders: "Wie betaalt, wie baat",
    funders_intro:
        "Kasstromen per jaar per financier en taakveld (gemiddelde over de trekkingen, niet verdisconteerd): \
        boven de nullijn vermeden kosten (baat), eronder de kosten van de interventies. Daaronder de contante waarde \
        per financier en taakveld met het 90 %-interval.",
    funders_sroi: "Vermeden kosten zijn gecorrigeerd voor deadweight, attributie en verdringing (factor {f} bij de \
        gemiddelde parameterwaarden).",
    axis_cashflow: "€ duizend per jaar",
    col_account: "Financier / taakveld",
    col_pv_benefits: "Baten (CW)",
    col_pv_costs: "Kosten (CW)",
    col_pv_net: "Netto (CW)",
    funders_none: "Dit scenario heeft geen kasstromen.",

    s_drivers: "Wat bepaalt de uitkomst",
    drivers_intro: "Eénwegsgevoeligheid: elke onzekere parameter apart op zijn P5 en P95, alle andere op hun \
        gemiddelde (verwachte waarden, zonder toeval op persoonsniveau). De tien parameters met de grootste \
        uitslag staan bovenaan. De verticale lijn is de NPV met alle parameters op hun gemiddelde.",
    drivers_missing: "Deze run heeft geen gevoeligheidsanalyse (sensitivity.csv), bijvoorbeeld omdat hij met \
        --no-sensitivity is gedraaid.",
    drivers_none: "Geen enkele onzekere parameter verandert de NPV van dit scenario.",
    axis_tornado: "NPV (€ mln)",
    col_parameter: "Parameter",
    col_value_low: "Waarde P5",
    col_value_high: "Waarde P95",
    col_npv_low: "NPV bij P5",
    col_npv_high: "NPV bij P95",
    col_swing: "Uitslag",
    legend_low: "parameter op P5",
    legend_high: "parameter op P95",

    s_monitoring: "Monitoring",
    mon_intro: "Wat er in werkelijkheid is gemeten, naast wat het model voor scenario {scenario} \
        voorspelde. Elke waarneming krijgt een plaats in de verdeling van de trekkingen (het percentiel) en valt \
        binnen of buiten het 90 %-interval (P5–P95). Daarna weegt de monitor elke trekking naar hoe goed ze de \
        waarnemingen verklaart, met de steekproefonzekerheid van de waarnemingen meegerekend: zo ontstaat een \
        bijgewerkte businesscase.",
    mon_inside: "{inside} van de {total} waarnemingen liggen binnen het 90 %-interval van de simulatie.",
    mon_ess: "Na het wegen telt de simulatie nog als {ess} van de {draws} trekkingen (de effectieve \
        steekproefgrootte, ESS); de monitor rapporteert een bijgewerkte businesscase vanaf {min}.",
    mon_updated: "Dat is genoeg: hieronder staat de businesscase vóór en na de waarnemingen.",
    mon_not_updated: "Dat is te weinig om op te vertrouwen: er is geen bijgewerkte businesscase. Hieronder staat \
        alleen de businesscase vóór de waarnemingen.",
    mon_message: "Melding van de monitor (in het Engels): {message}",
    mon_track_title: "Op koers?",
    mon_track_intro: "Per gebied en indicator: hoeveel waarnemingen binnen het 90 %-interval (P5–P95) van de \
        simulatie vallen. Op koers: allemaal; let op: minstens de helft; uit koers: minder dan de helft.",
    col_measure: "Indicator",
    col_inside: "Binnen P5–P95",
    col_verdict: "Oordeel",
    verdict_on_track: "op koers",
    verdict_watch: "let op",
    verdict_off_track: "uit koers",
    mon_series_title: "Waarnemingen tegen de simulatie",
    mon_series_intro: "Per waargenomen indicator het niveau in scenario {scenario} (mediaan, P25–P75 en P5–P95 over \
        de trekkingen) met de waarnemingen als zwarte stippen. De verticale streep is het 95 %-interval van de \
        steekproefonzekerheid: bij een enquête volgt het uit het aantal respondenten, anders uit de opgegeven \
        standaardfout of, bij tellingen, uit de Poissonverdeling.",
    mon_chart_caption: "{area} – {measure}: scenario {scenario} met de waarnemingen",
    mon_no_series: "Deze run heeft geen jaarreeks van deze indicator in dit gebied; alleen de tabel.",
    mon_no_sampling: "De steekproefonzekerheid van de waarnemingen is onbekend: de run-map heeft geen observed.csv.",
    observed: "waargenomen",
    col_observed: "Waargenomen (95 %-interval)",
    col_percentile: "Percentiel",
    col_band: "Simulatie P5–P95",
    col_inside_band: "Binnen P5–P95",
    col_posterior_median: "Mediaan na bijwerken",
    yes: "ja",
    no: "nee",
    mon_bc_title: "Businesscase vóór en na de waarnemingen",
    mon_bc_intro: "Gemiddelde en 90 %-interval over de trekkingen van scenario {scenario}, hele stad: eerst zonder \
        de waarnemingen (zoals in de rest van dit rapport), dan met de trekkingen gewogen naar de waarnemingen.",
    mon_bc_intro_prior: "Gemiddelde en 90 %-interval over de trekkingen van scenario {scenario}, hele stad, zonder \
        de waarnemingen (zoals in de rest van dit rapport).",
    col_metric: "Grootheid",
    col_prior: "Vóór de waarnemingen (P5–P95)",
    col_posterior: "Na de waarnemingen (P5–P95)",
    mon_p_positive: "Kans op een positieve businesscase (NPV > 0): {prior} vóór de waarnemingen, {posterior} erna.",
    mon_p_positive_prior: "Kans op een positieve businesscase (NPV > 0) vóór de waarnemingen: {prior}.",
    metric_npv: "NPV",
    metric_bcr: "Baten/kosten",
    metric_pv_benefits: "Baten (CW)",
    metric_pv_costs: "Kosten van de interventies (CW)",
    metric_npv_social: "NPV incl. maatschappelijke waarde",
    metric_pv_net: "Netto (CW): {account}",
    mon_params_title: "Parameters die het meest verschoven",
    mon_params_intro: "De tien onzekere parameters waarvan het gemiddelde door de waarnemingen het verst verschoof, \
        gemeten in standaardafwijkingen van de verdeling vóór de waarnemingen. Een grote verschuiving betekent dat \
        de waarnemingen iets over die parameter zeggen.",
    mon_params_none: "Geen enkele onzekere parameter verschoof.",
    col_prior_param: "Vóór: gemiddelde (P5–P95)",
    col_posterior_param: "Na: gemiddelde (P5–P95)",
    col_shift: "Verschuiving (sd)",

    s_assumptions: "Aannames",
    assumptions_intro:
        "Alle onzekere getallen van het model met hun kansverdeling en de bron uit het scenariobestand. \
        Waar 'aanname' staat, is het getal niet gemeten maar geschat; de breedte van de verdeling zegt hoe weinig \
        we weten.",
    assumptions_missing: "Deze run bevat geen assumptions.json; draai het scenario opnieuw met deze versie.",
    model_settings: "Modelinstellingen",
    sroi_title: "SROI-correcties per scenario",
    sroi_intro: "Deel van het effect dat ook zonder interventie was opgetreden (deadweight), aan anderen toe te \
        schrijven is (attributie) of elders weer verloren gaat (verdringing).",
    col_deadweight: "Deadweight",
    col_attribution: "Attributie",
    col_displacement: "Verdringing",
    params_title: "Parameters",
    col_distribution: "Verdeling",
    col_p5_p95: "P5 – P95",
    col_source: "Bron / toelichting",
    inline_param: "(in het bestand zelf)",

    s_reproduce: "Reproduceren",
    reproduce_intro: "Met dezelfde invoerbestanden (zelfde SHA-256), seed, aantal trekkingen en modus geeft \
        wijkimpact exact dezelfde getallen, op elk aantal threads.",
    mcse_title: "Monte Carlo-standaardfouten",
    mcse_intro: "Hoe nauwkeurig de gemiddelden zijn door het eindige aantal trekkingen (niet de onzekerheid \
        over de uitkomst zelf; die staat in de intervallen).",
    col_mcse_npv: "MCSE gemiddelde NPV",
    col_mcse_p: "MCSE kans NPV > 0",
    col_mcse_bcr: "MCSE baten/kosten",
    col_file: "Bestand",
    col_field: "Veld",
    col_value: "Waarde",

    table_alt: "Tabel bij deze grafiek",
    footer: "Gemaakt met wijkimpact {version}. Alle bedragen in euro's (prijspeil van het scenario); contante \
        waarden met de disconteringsvoet uit de modelinstellingen.",
};

static EN: Texts = Texts {
    title: "Social cost-benefit analysis",
    subtitle: "{file}: {scenarios} scenarios against the nulalternatief (no-intervention baseline), {start}–{end}",
    generated: "{draws} Monte Carlo draws, {mode} mode, seed {seed}; wijkimpact {version}.",
    contents: "Contents",
    baseline: "nulalternatief (baseline)",
    city_total: "whole city",

    s_summary: "Summary",
    summary_intro: "For each scenario, the difference with the nulalternatief (the same city without the \
        interventions), over all draws. Amounts are present values in euros; the NPV counts only avoided costs \
        of care and support minus the cost of the interventions. Social value (well-being expressed in money) is \
        shown apart, because nobody pays it out.",
    col_scenario: "Scenario",
    col_npv_mean: "NPV (mean)",
    col_interval: "90% interval (P5–P95)",
    col_p_positive: "P(NPV > 0)",
    col_bcr: "Benefit/cost",
    col_break_even: "Break-even: year (chance)",
    col_social: "Social value",
    col_npv_social: "NPV incl. social value",
    col_area: "Area",
    col_year: "Year",
    col_mean: "Mean",
    col_median: "Median",
    sent_npv:
        "The net present value (NPV) is {mean} on average; in 90 out of 100 draws it lies between {p5} and {p95}.",
    sent_positive: "In {k} out of 100 draws the business case is positive.",
    sent_bcr: "Each euro spent on the interventions returns {bcr} euros of avoided costs on average.",
    sent_no_bcr: "No benefit/cost ratio: the scenario has no costs.",
    sent_break_even: "In {k} out of 100 draws the costs are recovered within the horizon (median: {year}).",
    sent_no_break_even: "In no draw are the costs recovered before {end}.",
    sent_social: "In addition the scenario yields {sv} of social value on average (P5–P95: {p5} to {p95}); \
        counting that value, the NPV is {npv} on average.",
    not_within_horizon: "not within the horizon",
    per_area_title: "Per area",
    per_area_intro: "NPV per area; only areas where the scenario changes something.",

    s_indicators: "Indicators and care use over time",
    indicators_intro: "For each scenario the indicators it changes most (most avoided person-years). The dark band \
        holds the middle 50% of draws (P25–P75), the light band 90% (P5–P95), the line is the median. Grey is the \
        nulalternatief. Percentages are shares of the people the indicator applies to (e.g. children for youth care).",
    indicator_none: "This scenario changes no indicator noticeably.",
    indicator_title: "{chain}: {state}",
    indicator_level: "Level: scenario against nulalternatief",
    indicator_diff: "Difference with the nulalternatief (within the same draw)",
    per_area_multiples: "Per area",
    axis_year: "year",
    axis_prevalence: "% of the target population",
    axis_prevalence_diff: "difference in percentage points",
    band_median: "median",
    band_50: "P25–P75",
    band_90: "P5–P95",
    col_difference: "Difference (mean)",

    s_npv: "Distribution of the net present value",
    npv_intro: "How often each NPV occurs across draws (whole city). Left of the zero line society loses money, right \
        of it the investment pays for itself. The width says how uncertain the result is.",
    axis_npv: "NPV (€ M, present value)",
    axis_draws: "number of draws",
    col_bin: "NPV from – to",
    col_count: "Draws",
    npv_no_histogram: "This run has no NPV distribution (histogram); run the scenario again with this version.",
    legend_loss: "NPV < 0",
    legend_gain: "NPV ≥ 0",

    s_funders: "Who pays, who benefits (wie betaalt, wie baat)",
    funders_intro: "Cash flows per year per funder and taakveld (mean over draws, undiscounted): above the zero line \
        avoided costs (benefit), below it the cost of the interventions. Below the chart the present value per \
        funder and taakveld with its 90% interval.",
    funders_sroi: "Avoided costs are corrected for deadweight, attribution and displacement (factor {f} at the \
        parameters' means).",
    axis_cashflow: "€ thousand per year",
    col_account: "Funder / taakveld",
    col_pv_benefits: "Benefits (PV)",
    col_pv_costs: "Costs (PV)",
    col_pv_net: "Net (PV)",
    funders_none: "This scenario has no cash flows.",

    s_drivers: "What drives the result",
    drivers_intro: "One-way sensitivity: each uncertain parameter moved on its own to its P5 and P95, all others at \
        their mean (expected values, no person-level chance). The ten parameters with the largest swing are shown. \
        The vertical line is the NPV with every parameter at its mean.",
    drivers_missing: "This run has no sensitivity analysis (sensitivity.csv), for instance because it ran with \
        --no-sensitivity.",
    drivers_none: "No uncertain parameter changes this scenario's NPV.",
    axis_tornado: "NPV (€ M)",
    col_parameter: "Parameter",
    col_value_low: "Value at P5",
    col_value_high: "Value at P95",
    col_npv_low: "NPV at P5",
    col_npv_high: "NPV at P95",
    col_swing: "Swing",
    legend_low: "parameter at P5",
    legend_high: "parameter at P95",

    s_monitoring: "Monitoring",
    mon_intro: "What was actually measured, next to what the model predicted for scenario {scenario}. \
        Each observation gets its place in the distribution of the draws (its percentile) and falls inside or \
        outside the 90% interval (P5–P95). The monitor then weights each draw by how well it explains the \
        observations, counting their sampling error: this gives an updated business case.",
    mon_inside: "{inside} of the {total} observations lie inside the simulation's 90% interval.",
    mon_ess: "After weighting, the simulation counts as {ess} of its {draws} draws (the effective sample size, \
        ESS); the monitor reports an updated business case from {min}.",
    mon_updated: "That is enough: below is the business case before and after the observations.",
    mon_not_updated: "That is too few to rely on: there is no updated business case. Below is only the business \
        case before the observations.",
    mon_message: "Message from the monitor: {message}",
    mon_track_title: "On track?",
    mon_track_intro: "Per area and indicator: how many observations fall inside the simulation's 90% interval \
        (P5–P95). On track: all of them; watch: at least half; off track: fewer than half.",
    col_measure: "Indicator",
    col_inside: "Inside P5–P95",
    col_verdict: "Verdict",
    verdict_on_track: "on track",
    verdict_watch: "watch",
    verdict_off_track: "off track",
    mon_series_title: "Observations against the simulation",
    mon_series_intro: "For each observed indicator its level in scenario {scenario} (median, P25–P75 and P5–P95 \
        over the draws) with the observations as black dots. The vertical bar is the 95% interval of the sampling \
        error: for a survey it follows from the number of respondents, otherwise from the given standard error or, \
        for counts, from the Poisson distribution.",
    mon_chart_caption: "{area} – {measure}: scenario {scenario} with the observations",
    mon_no_series: "This run has no yearly series of this indicator in this area; only the table.",
    mon_no_sampling: "The observations' sampling error is unknown: the run directory has no observed.csv.",
    observed: "observed",
    col_observed: "Observed (95% interval)",
    col_percentile: "Percentile",
    col_band: "Simulation P5–P95",
    col_inside_band: "Inside P5–P95",
    col_posterior_median: "Median after updating",
    yes: "yes",
    no: "no",
    mon_bc_title: "Business case before and after the observations",
    mon_bc_intro: "Mean and 90% interval over the draws of scenario {scenario}, whole city: first without the \
        observations (as in the rest of this report), then with the draws weighted by the observations.",
    mon_bc_intro_prior: "Mean and 90% interval over the draws of scenario {scenario}, whole city, without the \
        observations (as in the rest of this report).",
    col_metric: "Figure",
    col_prior: "Before the observations (P5–P95)",
    col_posterior: "After the observations (P5–P95)",
    mon_p_positive: "Chance of a positive business case (NPV > 0): {prior} before the observations, {posterior} after.",
    mon_p_positive_prior: "Chance of a positive business case (NPV > 0) before the observations: {prior}.",
    metric_npv: "NPV",
    metric_bcr: "Benefit/cost",
    metric_pv_benefits: "Benefits (PV)",
    metric_pv_costs: "Cost of the interventions (PV)",
    metric_npv_social: "NPV incl. social value",
    metric_pv_net: "Net (PV): {account}",
    mon_params_title: "Parameters that moved most",
    mon_params_intro: "The ten uncertain parameters whose mean the observations moved furthest, measured in standard \
        deviations of the distribution before the observations. A large shift means the observations say something \
        about that parameter.",
    mon_params_none: "No uncertain parameter moved.",
    col_prior_param: "Before: mean (P5–P95)",
    col_posterior_param: "After: mean (P5–P95)",
    col_shift: "Shift (sd)",

    s_assumptions: "Assumptions",
    assumptions_intro:
        "Every uncertain number in the model with its distribution and the source given in the scenario \
        file. Where it says 'assumption', the number is estimated rather than measured; the width of the distribution \
        says how little we know.",
    assumptions_missing: "This run has no assumptions.json; run the scenario again with this version.",
    model_settings: "Model settings",
    sroi_title: "SROI corrections per scenario",
    sroi_intro: "Share of the effect that would have happened anyway (deadweight), is due to others (attribution) or \
        is lost elsewhere (displacement).",
    col_deadweight: "Deadweight",
    col_attribution: "Attribution",
    col_displacement: "Displacement",
    params_title: "Parameters",
    col_distribution: "Distribution",
    col_p5_p95: "P5 – P95",
    col_source: "Source / note",
    inline_param: "(written in place)",

    s_reproduce: "Reproduce this",
    reproduce_intro: "With the same input files (same SHA-256), seed, number of draws and mode, wijkimpact gives \
        exactly the same numbers on any number of threads.",
    mcse_title: "Monte Carlo standard errors",
    mcse_intro: "How precise the means are given the finite number of draws (not the uncertainty about the result \
        itself; that is in the intervals).",
    col_mcse_npv: "MCSE of mean NPV",
    col_mcse_p: "MCSE of P(NPV > 0)",
    col_mcse_bcr: "MCSE of benefit/cost",
    col_file: "File",
    col_field: "Field",
    col_value: "Value",

    table_alt: "Table for this chart",
    footer: "Made with wijkimpact {version}. All amounts in euros (the scenario's price level); present values use \
        the discount rates of the model settings.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_number_formats() {
        // Dutch keeps the euro sign, units and % on the line of their number.
        assert_eq!(Lang::Nl.eur(-1234567.4), "−€\u{a0}1.234.567");
        assert_eq!(Lang::En.eur(-1234567.4), "−€1,234,567");
        assert_eq!(Lang::Nl.eur(-0.2), "€\u{a0}0");
        assert_eq!(Lang::Nl.eur_short(-2_417_886.0), "−€\u{a0}2,42\u{a0}mln");
        assert_eq!(Lang::En.eur_short(938_042.0), "€0.94\u{a0}M");
        assert_eq!(Lang::En.eur_short(93_804.2), "€93,804");
        assert_eq!(Lang::Nl.num(0.834, 2), "0,83");
        assert_eq!(Lang::En.num(1234.5, 1), "1,234.5");
        assert_eq!(Lang::Nl.pct(0.22, 0), "22\u{a0}%");
        assert_eq!(Lang::En.pct(f64::NAN, 0), "–");
    }

    /// Every placeholder of a Dutch template appears in its English one and back,
    /// so neither language loses a number.
    #[test]
    fn both_languages_use_the_same_placeholders() {
        fn placeholders(s: &str) -> Vec<String> {
            let mut out: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string())).collect();
            out.sort();
            out
        }
        let pairs = [
            (NL.subtitle, EN.subtitle),
            (NL.generated, EN.generated),
            (NL.sent_npv, EN.sent_npv),
            (NL.sent_positive, EN.sent_positive),
            (NL.sent_bcr, EN.sent_bcr),
            (NL.sent_break_even, EN.sent_break_even),
            (NL.sent_no_break_even, EN.sent_no_break_even),
            (NL.sent_social, EN.sent_social),
            (NL.indicator_title, EN.indicator_title),
            (NL.funders_sroi, EN.funders_sroi),
            (NL.footer, EN.footer),
            (NL.mon_intro, EN.mon_intro),
            (NL.mon_inside, EN.mon_inside),
            (NL.mon_ess, EN.mon_ess),
            (NL.mon_message, EN.mon_message),
            (NL.mon_series_intro, EN.mon_series_intro),
            (NL.mon_chart_caption, EN.mon_chart_caption),
            (NL.mon_bc_intro, EN.mon_bc_intro),
            (NL.mon_bc_intro_prior, EN.mon_bc_intro_prior),
            (NL.mon_p_positive, EN.mon_p_positive),
            (NL.mon_p_positive_prior, EN.mon_p_positive_prior),
            (NL.metric_pv_net, EN.metric_pv_net),
        ];
        for (nl, en) in pairs {
            assert_eq!(placeholders(nl), placeholders(en), "{nl} / {en}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("In {k} van de 100", &[("k", "78")]), "In 78 van de 100");
    }
}
