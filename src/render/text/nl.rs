//! The report in Dutch.

use super::Texts;

pub(super) static NL: Texts = Texts {
    title: "Maatschappelijke businesscase",
    subtitle: "{file}: {scenarios} scenario's tegen het nulalternatief, {start}–{end}",
    generated: "{draws} Monte Carlo-trekkingen, {mode}-modus, seed {seed}; wijkimpact {version}.",
    contents: "Inhoud",
    baseline: "nulalternatief",
    total_areas: "totaal van {n} gebieden",
    areas_line: "Gebieden in deze run: {areas}.",

    s_summary: "Samenvatting",
    summary_intro: "Per scenario het verschil met het nulalternatief (dezelfde gebieden zonder de interventies), \
        over alle trekkingen, op de drie niveaus van een maatschappelijke kosten-batenanalyse. Financieel: het geld \
        van de publieke financiers samen (gemeente, zorgverzekeraar, Rijk, corporatie), hun vermeden kosten van zorg \
        en ondersteuning min de kosten van de interventies. Maatschappelijk: daarbovenop de winst in gezondheid en \
        welzijn en de tijd van mantelzorgers, in euro's uitgedrukt; geen financier betaalt die uit. PM-posten: \
        effecten die wel genoemd maar niet in geld uitgedrukt zijn. Bedragen zijn contante waarden in euro's.",
    col_scenario: "Scenario",
    col_npv_mean: "NPV (gemiddeld)",
    col_interval: "90 %-interval (P5–P95)",
    col_p_positive: "Kans NPV > 0",
    col_bcr: "Baten/kosten",
    col_break_even: "Terugverdiend: jaar (kans)",
    col_npv_fin: "Financieel: NPV gemiddeld (P5–P95)",
    col_bcr_fin: "Financiële B/C",
    col_npv_soc: "Maatschappelijk: NPV gemiddeld (P5–P95)",
    col_bcr_soc: "Maatschappelijke B/C",
    col_p_positive_soc: "Kans maatsch. NPV > 0",
    levels_explain: "De financiële baten/kosten (B/C) telt alleen het geld dat de financiers besparen; de \
        maatschappelijke B/C telt daar de winst in gezondheid (QALY's) en welzijn (WELLBY's) en de tijd van \
        mantelzorgers bij, in euro's uitgedrukt {values}.",
    levels_values: "(gebruikte waarde per eenheid, gemiddeld over de trekkingen: {values})",
    col_area: "Gebied",
    col_year: "Jaar",
    col_mean: "Gemiddeld",
    sent_npv: "Financieel is de netto contante waarde (NPV) voor de financiers samen gemiddeld {mean}; in 90 van de \
        100 trekkingen ligt ze tussen {p5} en {p95}.",
    sent_positive: "In {k} van de 100 trekkingen is het financiële rendement voor de financiers samen positief.",
    sent_bcr: "Elke euro die in de interventies gaat, levert de financiers gemiddeld {bcr} euro aan vermeden kosten op.",
    sent_no_bcr: "Een baten/kostenverhouding is niet te berekenen: het scenario heeft geen kosten.",
    sent_break_even: "In {k} van de 100 trekkingen zijn de kosten binnen de horizon terugverdiend (mediaan: {year}).",
    sent_no_break_even: "In geen enkele trekking zijn de kosten vóór {end} terugverdiend.",
    sent_npv_social: "Maatschappelijk, met gezondheid, welzijn en mantelzorgtijd in euro's erbij, is de NPV \
        gemiddeld {mean}; in 90 van de 100 trekkingen ligt ze tussen {p5} en {p95}.",
    sent_positive_social: "In {k} van de 100 trekkingen is het maatschappelijk rendement positief.",
    sent_bcr_social: "Maatschappelijk levert elke euro aan kosten gemiddeld {bcr} euro aan baten op.",
    sent_no_welfare: "Deze run drukt geen gezondheid, welzijn of mantelzorgtijd in geld uit: het maatschappelijk \
        rendement is hier gelijk aan het financiële.",
    streams_sentence: "De maatschappelijke baten komen vooral van: {list}.",
    stream_qaly: "gezondheid (QALY's)",
    stream_wellby: "welzijn (WELLBY's)",
    stream_social_value: "overige maatschappelijke waarde",
    stream_shadow: "mantelzorg- en vrijwilligerstijd (schaduwprijs)",
    band_below: "De maatschappelijke B/C van {bcr} ligt onder de band van {low}–{high} die gepubliceerde \
        businesscases in het sociaal domein laten zien",
    band_within: "De maatschappelijke B/C van {bcr} ligt binnen de band van {low}–{high} die gepubliceerde \
        businesscases in het sociaal domein laten zien",
    band_above: "De maatschappelijke B/C van {bcr} ligt boven de band van {low}–{high} die gepubliceerde \
        businesscases in het sociaal domein laten zien",
    band_reason_gap: "Wat deze run laat zien: {gap} van de kosten staat tegenover geen getelde baat.",
    band_reason_pm: "{n} PM-posten zijn niet in geld uitgedrukt en tellen dus niet mee: {list}.",
    horizon_cut: "In het laatste jaar van de horizon ({end}) levert het scenario nog {flow} per jaar op aan vermeden \
        kosten en welzijn. De berekening stopt bij de horizon, dus wat daarna nog doorloopt telt niet mee.",
    horizon_decay: "In het laatste jaar van de horizon ({end}) levert het scenario nog {flow} per jaar op aan \
        vermeden kosten en welzijn. Die stroom loopt daarna afnemend door en telt mee: {cash} aan vermeden kosten \
        en {welfare} aan welzijn na de horizon (contante waarde), apart vermeld in de uitvoer.",
    not_within_horizon: "niet binnen de horizon",
    per_area_title: "Per gebied",
    per_area_intro: "De NPV per gebied; alleen gebieden waar het scenario iets verandert.",
    pm_title: "PM-posten (niet in geld uitgedrukt)",
    baseline_holds: "Het nulalternatief bevat wat hoe dan ook gebeurt: {interventions}. Die interventies lopen in \
        elk scenario mee; hun effecten en kosten staan in de jaartabellen en vallen in de businesscase tegen elkaar weg.",

    s_compare: "Scenario's vergeleken",
    compare_intro: "De scenario's naast elkaar, voor het totaal van alle gebieden in deze run. Elke trekking rekent alle scenario's door met \
        dezelfde parameters en dezelfde toevalsgetallen, dus het verschil tussen twee scenario's is per trekking \
        exact. De kans dat een scenario het beste is telt de trekkingen waarin het de hoogste waarde heeft (bij \
        gelijke stand gedeeld).",
    compare_ranking: "Rangorde op {metric}",
    col_p_best: "Kans beste",
    col_mean_rank: "Gem. rang",
    compare_pair_intro: "{a} min {b}, per financier en taakveld: gemiddeld verschil, 90 %-interval en de kans dat \
        {a} hoger uitkomt dan {b}.",
    col_p_a_gt_b: "Kans A > B",

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
    band_90: "P5–P95",
    col_difference: "Verschil (gemiddeld)",

    s_npv: "Verdeling van de netto contante waarde (financieel rendement)",
    npv_intro: "Hoe vaak elke NPV voorkomt over de trekkingen ({total}). De NPV is het geld van de publieke \
        financiers samen (gemeente, zorgverzekeraar, Rijk, corporatie): links van de nullijn kosten de interventies \
        hen meer dan ze aan zorg en ondersteuning besparen, rechts verdienen zij de investering terug. Welzijn (in geld \
        uitgedrukt) telt hier niet mee. De breedte zegt hoe onzeker de uitkomst is.",
    axis_npv: "NPV (€ mln, contante waarde)",
    axis_draws: "aantal trekkingen",
    col_bin: "NPV van – tot",
    col_count: "Trekkingen",
    npv_no_histogram:
        "Deze run bevat geen verdeling (histogram) van de NPV; draai het scenario opnieuw met deze versie.",
    legend_loss: "NPV < 0",
    legend_gain: "NPV ≥ 0",

    s_funders: "Wie betaalt, wie baat (financieel)",
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
    mon_bc_intro: "Gemiddelde en 90 %-interval over de trekkingen van scenario {scenario}, {total}: eerst zonder \
        de waarnemingen (zoals in de rest van dit rapport), dan met de trekkingen gewogen naar de waarnemingen.",
    mon_bc_intro_prior: "Gemiddelde en 90 %-interval over de trekkingen van scenario {scenario}, {total}, zonder \
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
