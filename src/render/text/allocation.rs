//! The words of the allocation page (`allocation.html`), in Dutch: the
//! policy advisor and the fund committee read it. Templates carry `{name}`
//! placeholders filled by [`super::fill`].

/// Every word of the allocation page, in reading order.
pub(crate) struct AllocationTexts {
    /// Line under the title.
    pub subtitle: &'static str,
    /// How the run was made, under the subtitle (`{draws}`, `{seed}`, `{version}`).
    pub generated: &'static str,
    /// Heading of the table of contents.
    pub contents: &'static str,

    // 1. The answer.
    /// Title of the answer section.
    pub s_answer: &'static str,
    /// The answer (`{lead}`, `{options}`, `{peak}`, `{budget}`, `{mean}`, `{p5}`, `{p95}`, `{p}`).
    pub answer: &'static str,
    /// `{lead}` of the recommended portfolio.
    pub lead_recommended: &'static str,
    /// `{lead}` of the round's funded applications.
    pub lead_funded: &'static str,
    /// The answer when nothing is chosen (`{lead}`, `{budget}`).
    pub answer_none: &'static str,
    /// Number of options: none, one, `{n}`.
    pub options_0: &'static str,
    pub options_1: &'static str,
    pub options_n: &'static str,
    /// Number of applications: none, one, `{n}`.
    pub applications_0: &'static str,
    pub applications_1: &'static str,
    pub applications_n: &'static str,
    /// What is maximised and its value (`{objective}`, `{weighting}`, `{value}`).
    pub objective: &'static str,
    /// The objectives in words.
    pub obj_npv: &'static str,
    pub obj_welfare_per_euro: &'static str,
    pub obj_p_positive: &'static str,
    /// `{tail}`: the share of worst draws.
    pub obj_lower_tail: &'static str,
    /// The equity weighting in the objective sentence (`{eta}`).
    pub weighting: &'static str,
    /// After a weighted euro value.
    pub weighted: &'static str,
    /// Euros of benefit per euro of cost (`{x}`).
    pub per_euro: &'static str,
    /// A heuristic's bound (`{method}`, `{bound}`, `{gap}`).
    pub bound: &'static str,
    /// Costs, benefits and the cash-only NPV (`{costs}`, `{benefits}`, `{npv}`).
    pub pv_line: &'static str,
    /// Three or more options meet in one joint block: the whole portfolio simulated (`{npv}`, `{p5}`, `{p95}`).
    pub simulated_whole: &'static str,
    /// Heading of the list of chosen options.
    pub chosen_title: &'static str,
    /// One chosen option (`{option}`, `{area}`, `{peak}`).
    pub chosen_line: &'static str,
    /// Participants per year in an option's name (`{n}`).
    pub scale: &'static str,
    /// Caps per area (`{list}`).
    pub caps_area: &'static str,
    /// Caps per funder (`{list}`).
    pub caps_funder: &'static str,
    /// One cap (`{who}`, `{eur}`).
    pub cap: &'static str,

    // 2. Map.
    /// Title of the map section.
    pub s_map: &'static str,
    /// How to read the map (`{years}`).
    pub map_intro: &'static str,
    /// The equity part of that paragraph (`{indicator}`).
    pub map_equity: &'static str,
    /// The river between Noord and the rest.
    pub river: &'static str,
    /// The compass label.
    pub north: &'static str,
    /// Heading of the areas that are not on the map.
    pub map_other: &'static str,
    /// Spend in the dearest year (`{eur}`).
    pub per_year: &'static str,
    /// Spend over all years (`{eur}`).
    pub total: &'static str,
    /// An area without money.
    pub no_money: &'static str,
    /// Need and weight (`{need}`, `{weight}`).
    pub need_weight: &'static str,

    // 3. Frontier.
    /// Title of the frontier section.
    pub s_frontier: &'static str,
    /// How to read the chart (`{budget}`).
    pub frontier_intro: &'static str,
    /// When the chart also shows the objective (`{objective}`).
    pub frontier_objective: &'static str,
    /// Axis labels.
    pub axis_budget: &'static str,
    pub axis_value: &'static str,
    /// Legend entries.
    pub legend_mean: &'static str,
    pub legend_band: &'static str,
    pub legend_objective: &'static str,
    /// The objective line of the `lower_tail` objective (`{tail}`).
    pub legend_tail: &'static str,
    pub legend_budget: &'static str,
    /// No frontier budgets in the portfolio file.
    pub frontier_none: &'static str,
    /// Accessible name of the chart.
    pub frontier_aria: &'static str,
    /// Summary of the table behind the chart.
    pub table_alt: &'static str,
    /// Columns of the frontier table.
    pub col_budget: &'static str,
    pub col_options: &'static str,
    pub col_peak: &'static str,
    pub col_npv: &'static str,
    pub col_p_positive: &'static str,
    pub col_objective: &'static str,
    /// Marks the row at the actual budget.
    pub this_budget: &'static str,

    // 4. Certainty.
    /// Title of the certainty section.
    pub s_certainty: &'static str,
    /// What "in beste portefeuille" means (`{draws}`).
    pub certainty_intro: &'static str,
    /// Columns.
    pub col_option: &'static str,
    pub col_area: &'static str,
    pub col_cost: &'static str,
    pub col_npv_alone: &'static str,
    pub col_in_best: &'static str,
    pub col_chosen: &'static str,
    /// The P10–P90 line under a mean (`{lo}`, `{hi}`).
    pub p10_p90: &'static str,
    /// The P5–P95 line under a mean (`{lo}`, `{hi}`).
    pub p5_p95: &'static str,

    // 5. Equity.
    /// Title of the equity section.
    pub s_equity: &'static str,
    /// What η does (`{eta}`).
    pub equity_intro: &'static str,
    /// The need figures and their source (`{indicator}`, `{source}`).
    pub equity_source: &'static str,
    /// Heading of the need table.
    pub need_title: &'static str,
    pub col_need: &'static str,
    pub col_relative: &'static str,
    /// Weight at one η (`{eta}`).
    pub col_weight_at: &'static str,
    /// Heading of the sweep table.
    pub sweep_title: &'static str,
    /// Paragraph above it (`{high}`: the high-need areas).
    pub sweep_intro: &'static str,
    pub col_eta: &'static str,
    pub col_npv_unweighted: &'static str,
    /// Against the first η (`{eta}`).
    pub col_added: &'static str,
    pub col_removed: &'static str,
    pub col_high_need: &'static str,
    /// Marks the recommended η.
    pub recommended_eta: &'static str,
    /// No change.
    pub none: &'static str,

    // 6. Interactions.
    /// Title of the interactions section.
    pub s_interactions: &'static str,
    /// What is simulated together.
    pub interactions_intro: &'static str,
    /// Pairs that add exactly (`{n}`).
    pub additive: &'static str,
    /// No pair simulated together.
    pub interactions_none: &'static str,
    pub col_option_a: &'static str,
    pub col_option_b: &'static str,
    pub col_interaction: &'static str,
    pub col_both_chosen: &'static str,

    // 7. Round.
    /// Title of the round section.
    pub s_round: &'static str,
    /// Asked against the budget (`{asked}`, `{budget}`).
    pub asked: &'static str,
    /// How to read the table.
    pub round_intro: &'static str,
    pub col_application: &'static str,
    pub col_applicant: &'static str,
    pub col_claims: &'static str,
    pub col_funded: &'static str,
    /// The link text to an application's claim page.
    pub link: &'static str,
    /// One claim (`{label}`, `{claimed}`, `{p}`).
    pub claim_line: &'static str,
    /// Heading of the funded portfolio.
    pub funded_title: &'static str,
    pub yes: &'static str,
    pub no: &'static str,

    // 8. Method.
    /// Title of the method section.
    pub s_method: &'static str,
    /// Same inputs, same numbers.
    pub method_intro: &'static str,
    pub row_draws: &'static str,
    pub row_seed: &'static str,
    pub row_prng: &'static str,
    pub row_version: &'static str,
    pub row_method: &'static str,
    pub row_work: &'static str,
    pub row_command: &'static str,
    pub col_setting: &'static str,
    pub col_value: &'static str,
    pub col_file: &'static str,
    /// The solution methods.
    pub m_integer_program: &'static str,
    pub m_dinkelbach: &'static str,
    pub m_local_search: &'static str,
    pub m_enumeration: &'static str,
    /// How the methods work.
    pub method_note: &'static str,
    /// Footer (`{version}`).
    pub footer: &'static str,
}

/// The Dutch page.
pub(crate) const ALLOCATION_NL: AllocationTexts = AllocationTexts {
    subtitle: "Verdeling van een budget over interventies en stadsdelen, onder onzekerheid",
    generated: "{draws} trekkingen (Monte Carlo), seed {seed}, wijkimpact {version}",
    contents: "Inhoud",

    s_answer: "Het antwoord",
    answer: "{lead}: {options}, kosten in het duurste jaar {peak} van {budget} budget per jaar; verwachte \
             maatschappelijke netto contante waarde (NCW) {mean} (90\u{a0}%-interval {p5} tot {p95}), kans op een \
             positief saldo {p}.",
    lead_recommended: "Aanbevolen",
    lead_funded: "Gefinancierd",
    answer_none: "{lead}: niets. Binnen {budget} per jaar levert geen combinatie meer op dan niets doen.",
    options_0: "geen opties",
    options_1: "1 optie",
    options_n: "{n} opties",
    applications_0: "geen aanvragen",
    applications_1: "1 aanvraag",
    applications_n: "{n} aanvragen",
    objective: "De keuze maximaliseert {objective}{weighting}; voor deze keuze is dat {value}.",
    obj_npv: "de verwachte maatschappelijke NCW",
    obj_welfare_per_euro: "de maatschappelijke baten per euro",
    obj_p_positive: "de kans dat de NCW positief is",
    obj_lower_tail: "het gemiddelde van de slechtste {tail} van de trekkingen",
    weighting: ", met gelijkheidsweging η\u{a0}=\u{a0}{eta} (waarde in stadsdelen met meer behoefte telt zwaarder; \
                zie hoofdstuk 5)",
    weighted: "(gewogen)",
    per_euro: "{x} per euro",
    bound: "Deze keuze is gevonden met een {method}: dat is een benadering. De best haalbare waarde is hoogstens \
            {bound}; deze keuze ligt daar ten hoogste {gap} onder.",
    pv_line: "Contante waarde van de kosten {costs}, van de maatschappelijke baten {benefits}; financiële NCW (alleen \
              geldstromen) {npv}.",
    simulated_whole: "Drie of meer gekozen opties bereiken in één stadsdeel dezelfde mensen via dezelfde ketens; de \
                      keuze rekent met hun samenloop per paar. De hele portefeuille in één keer gesimuleerd op \
                      dezelfde trekkingen geeft een verwachte maatschappelijke NCW van {npv} (90 %-interval {p5} tot \
                      {p95}).",
    chosen_title: "De gekozen opties",
    chosen_line: "{option} in {area}: {peak} per jaar",
    scale: "{n} deelnemers per jaar",
    caps_area: "Plafonds per stadsdeel: {list}.",
    caps_funder: "Plafonds per financier: {list}.",
    cap: "{who} {eur} per jaar",

    s_map: "Waar gaat het geld heen",
    map_intro: "De stadsdelen liggen ongeveer zoals op de kaart van Nijmegen: noord boven, Noord aan de overkant van \
                de Waal. Per stadsdeel staan de kosten van de gekozen opties in hun duurste jaar en opgeteld over \
                {years}, en welke opties er gekozen zijn. Hoe langer de balk en hoe donkerder het vak, hoe meer geld \
                er heen gaat.",
    map_equity: "Met gelijkheidsweging staan er ook de behoefte ({indicator}) en het gewicht van het stadsdeel.",
    river: "Waal",
    north: "↑ noord",
    map_other: "Overige gebieden",
    per_year: "{eur} per jaar",
    total: "{eur} in totaal",
    no_money: "geen geld",
    need_weight: "behoefte {need} · gewicht {weight}",

    s_frontier: "Efficiënte grens",
    frontier_intro: "Wat levert de beste keuze op bij een kleiner of groter budget? Elk punt is de beste combinatie \
                     binnen dat budget per jaar. De doorgetrokken lijn is de verwachte maatschappelijke NCW, de band \
                     het 90\u{a0}%-interval (P5–P95) over de trekkingen; de zwarte stippellijn is het budget van \
                     {budget} per jaar. Waar de lijn vlak wordt, levert meer geld niets meer op.",
    frontier_objective: "De oranje streepjeslijn met vierkantjes is de waarde waarop gekozen wordt: {objective}.",
    axis_budget: "budget per jaar (€ mln)",
    axis_value: "€ mln (contante waarde)",
    legend_mean: "verwachte maatschappelijke NCW",
    legend_band: "90 %-interval (P5–P95)",
    legend_objective: "doel (gewogen NCW)",
    legend_tail: "doel: gemiddelde slechtste {tail}",
    legend_budget: "budget",
    frontier_none: "Geen grens berekend: het portefeuillebestand noemt geen budgetten voor de grens.",
    frontier_aria: "Efficiënte grens: verwachte maatschappelijke NCW per budget",
    table_alt: "De getallen van de grafiek als tabel",
    col_budget: "Budget per jaar",
    col_options: "Opties",
    col_peak: "Kosten in duurste jaar",
    col_npv: "Verwachte NCW",
    col_p_positive: "Kans NCW > 0",
    col_objective: "Doel",
    this_budget: "←\u{a0}budget",

    s_certainty: "Hoe zeker is de keuze",
    certainty_intro: "Alle opties, de vaakst gekozen bovenaan. ‘In beste portefeuille’ is het deel van de {draws} \
                      trekkingen waarin deze optie in de beste portefeuille van die trekking zit: dicht bij 100\u{a0}% \
                      is een zekere keuze, rond 50\u{a0}% hangt ze af van onzekere aannames. Kosten en NCW zijn die \
                      van de optie alleen.",
    col_option: "Optie",
    col_area: "Stadsdeel",
    col_cost: "Kosten per jaar",
    col_npv_alone: "Verwachte NCW alleen",
    col_in_best: "In beste portefeuille",
    col_chosen: "Gekozen",
    p10_p90: "P10–P90: {lo} tot {hi}",
    p5_p95: "P5–P95: {lo} tot {hi}",

    s_equity: "Gelijke kansen: het effect van de gelijkheidsweging",
    equity_intro:
        "Het gewicht van een stadsdeel is (behoefte / gemiddelde behoefte)^η: met η\u{a0}=\u{a0}0 weegt elke \
                   euro maatschappelijke waarde overal gelijk, met een grotere η telt waarde in stadsdelen met meer \
                   behoefte zwaarder. De aanbevolen keuze gebruikt η\u{a0}=\u{a0}{eta}.",
    equity_source: "Behoefte: {indicator}. Bron: {source}.",
    need_title: "Behoefte en gewicht per stadsdeel",
    col_need: "Behoefte",
    col_relative: "Ten opzichte van gemiddeld",
    col_weight_at: "Gewicht bij η\u{a0}=\u{a0}{eta}",
    sweep_title: "De keuze bij elke η",
    sweep_intro: "Per η de beste keuze binnen het budget; de NCW is ongewogen, zodat de rijen te vergelijken zijn. \
                  Stadsdelen met een behoefte boven het gemiddelde: {high}.",
    col_eta: "η",
    col_npv_unweighted: "Verwachte NCW (ongewogen)",
    col_added: "Erbij t.o.v. η\u{a0}=\u{a0}{eta}",
    col_removed: "Eraf t.o.v. η\u{a0}=\u{a0}{eta}",
    col_high_need: "Per jaar naar stadsdelen met hoge behoefte",
    recommended_eta: "(aanbevolen)",
    none: "–",

    s_interactions: "Samenloop",
    interactions_intro: "Opties in hetzelfde stadsdeel die dezelfde mensen bereiken, zijn samen gesimuleerd: hun \
                         gezamenlijke waarde is dan niet precies de som van de twee. De samenloop is de NCW van het \
                         paar samen min die van de twee apart (gemiddeld over de trekkingen); de keuze houdt er \
                         rekening mee.",
    additive: "{n} andere paren in één stadsdeel delen geen gezamenlijk blok: hun waarden tellen precies op.",
    interactions_none: "Geen enkel paar opties is samen gesimuleerd.",
    col_option_a: "Optie",
    col_option_b: "Samen met",
    col_interaction: "Samenloop (€ NCW)",
    col_both_chosen: "Beide gekozen",

    s_round: "Fondsronde",
    asked: "Gevraagd {asked} per jaar (alle aanvragen samen, in het duurste jaar), budget {budget} per jaar.",
    round_intro:
        "Per aanvraag de kosten en de verwachte maatschappelijke NCW volgens de simulatie, het oordeel van de \
                  claimcheck over wat de aanvrager belooft (met de kans dat de belofte gehaald wordt) en of de \
                  aanvraag in de beste combinatie binnen het budget zit.",
    col_application: "Aanvraag",
    col_applicant: "Aanvrager",
    col_claims: "Claimcheck",
    col_funded: "Gefinancierd",
    link: "claimcheck →",
    claim_line: "{label}: {claimed} (kans {p})",
    funded_title: "De gefinancierde aanvragen",
    yes: "✓ ja",
    no: "nee",

    s_method: "Verantwoording",
    method_intro:
        "Met dezelfde invoerbestanden, hetzelfde aantal trekkingen en dezelfde seed geeft wijkimpact precies \
                   dezelfde getallen.",
    row_draws: "Trekkingen (Monte Carlo)",
    row_seed: "Seed",
    row_prng: "Toevalsgenerator",
    row_version: "Versie van wijkimpact",
    row_method: "Rekenmethode van de keuze",
    row_work: "Rekenwerk (eenheden)",
    row_command: "Opdracht",
    col_setting: "Instelling",
    col_value: "Waarde",
    col_file: "Invoerbestand",
    m_integer_program: "geheeltallig programma (exact)",
    m_dinkelbach: "Dinkelbach (exact)",
    m_local_search: "lokale zoekmethode met bovengrens",
    m_enumeration: "volledige opsomming (exact)",
    method_note: "Alle opties zijn op dezelfde trekkingen gesimuleerd, zodat verschillen tussen opties niet van het \
                  toeval afhangen. De keuze optimaliseert het gemiddelde over die trekkingen (sample average \
                  approximation; Kleywegt, Shapiro & Homem-de-Mello, SIAM Journal on Optimization, 2002).",
    footer: "Gemaakt met wijkimpact {version}",
};
