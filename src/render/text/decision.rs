//! The words of the report's decision section ("Welke keuze, hoe zeker, wat
//! onderzoeken"), in Dutch and English: their own catalogue, as the claim
//! page has, so the section's many words stay together. Same placeholders in
//! both languages; a test checks this.

/// Every word of the decision section in one language, in reading order.
pub(crate) struct DecisionTexts {
    /// Title of the section.
    pub s_decision: &'static str,
    /// Opening paragraph: all arms compared on cost and effect (`{effect}`, `{area}`).
    pub intro: &'static str,
    /// Label of the warning box.
    pub warning_title: &'static str,
    /// The run's warning of too few draws (`{n}`, `{min}`, `{cmd}`: a command-line option).
    pub warn_draws: &'static str,
    /// The run's warning of stochastic mode.
    pub warn_stochastic: &'static str,
    /// In front of a message of the analysis quoted as it is (in English).
    pub engine_note: &'static str,

    // 1. Incremental analysis.
    /// Heading of the incremental analysis.
    pub inc_title: &'static str,
    /// How to read the incremental table.
    pub inc_intro: &'static str,
    /// Heading of the table of the decision effect (`{effect}`).
    pub inc_effect: &'static str,
    /// Heading of the compact tables of the other effect measures.
    pub inc_other_title: &'static str,
    /// Paragraph above them.
    pub inc_other_intro: &'static str,
    /// Column: arm (keuze).
    pub col_arm: &'static str,
    /// Column: expected discounted costs.
    pub col_cost: &'static str,
    /// Column: expected effect (`{unit}`).
    pub col_effect: &'static str,
    /// Column: dominance status.
    pub col_status: &'static str,
    /// Column: the arm the increments are against.
    pub col_compared: &'static str,
    /// Column: incremental costs.
    pub col_d_cost: &'static str,
    /// Column: incremental effect.
    pub col_d_effect: &'static str,
    /// Column: ICER (`{unit}`).
    pub col_icer: &'static str,
    /// Column: expected net monetary benefit at the willingness to pay (`{wtp}`, `{unit}`).
    pub col_nmb: &'static str,
    /// Status: on the frontier.
    pub status_frontier: &'static str,
    /// Status: strongly dominated.
    pub status_strong: &'static str,
    /// Status: extendedly dominated.
    pub status_extended: &'static str,
    /// The optimal arm at the willingness to pay (`{wtp}`, `{unit}`, `{arm}`, `{nmb}`).
    pub sent_optimal: &'static str,
    /// How often it is best (`{k}` of 100, `{arm}`).
    pub sent_p_best: &'static str,
    /// The same read at the nearest point of the curves (`{k}`, `{arm}`, `{grid}`, `{unit}`).
    pub sent_p_best_near: &'static str,

    // 2. Acceptability.
    /// Heading of the acceptability curves.
    pub ceac_title: &'static str,
    /// How to read them.
    pub ceac_intro: &'static str,
    /// X axis: willingness to pay in thousands of euros (`{unit}`).
    pub axis_wtp: &'static str,
    /// Y axis: chance of being the best choice.
    pub axis_p_best: &'static str,
    /// Legend of the vertical line at the willingness to pay.
    pub legend_wtp: &'static str,
    /// Caption of the acceptability chart (`{area}`).
    pub ceac_caption: &'static str,
    /// Column: willingness to pay (`{unit}`).
    pub col_wtp: &'static str,
    /// Column: the arm with the highest expected net benefit.
    pub col_frontier: &'static str,
    /// Under the grid point nearest the willingness to pay.
    pub near_wtp: &'static str,
    /// Shown when the run has no acceptability.csv.
    pub curves_missing: &'static str,

    // 3. EVPI.
    /// Heading of the EVPI.
    pub evpi_title: &'static str,
    /// What the EVPI means (`{population}`).
    pub evpi_intro: &'static str,
    /// The EVPI at the willingness to pay (`{wtp}`, `{unit}`, `{evpi}`, `{pp}`).
    pub sent_evpi: &'static str,
    /// The expected loss explained.
    pub loss_note: &'static str,
    /// Y axis of the EVPI curve (`{money}`).
    pub axis_evpi: &'static str,
    /// Caption of the EVPI chart (`{area}`).
    pub evpi_caption: &'static str,
    /// Column: EVPI for the population.
    pub col_evpi: &'static str,
    /// Column: EVPI per person.
    pub col_evpi_pp: &'static str,
    /// Column: expected loss of one arm (`{arm}`).
    pub col_loss: &'static str,
    /// Heading of the per-area table.
    pub per_area_title: &'static str,
    /// Paragraph above it.
    pub per_area_intro: &'static str,
    /// Column: inhabitants at the start.
    pub col_population: &'static str,
    /// Column: optimal arm.
    pub col_optimal: &'static str,
    /// Column: chance that it is the best.
    pub col_p_optimal: &'static str,

    // 4. EVPPI.
    /// Heading of the EVPPI.
    pub evppi_title: &'static str,
    /// How to read the EVPPI chart (`{area}`).
    pub evppi_intro: &'static str,
    /// X axis of the EVPPI chart (`{money}`).
    pub axis_evppi: &'static str,
    /// Caption of the EVPPI chart (`{area}`).
    pub evppi_caption: &'static str,
    /// Legend: the EVPPI bars.
    pub legend_evppi: &'static str,
    /// Legend: the EVPI line.
    pub legend_evpi: &'static str,
    /// Column: parameter group.
    pub col_group: &'static str,
    /// Column: its parameters.
    pub col_parameters: &'static str,
    /// Column: EVPPI.
    pub col_evppi: &'static str,
    /// Column: standard error.
    pub col_se: &'static str,
    /// Column: per person.
    pub col_per_person: &'static str,
    /// Column: why the estimate may be unreliable.
    pub col_note: &'static str,
    /// Shown when no group has an estimate.
    pub evppi_none: &'static str,
    /// Shown when the scenario declares no parameter groups (`{key}`).
    pub evppi_no_groups: &'static str,
    /// Heading of the single-parameter table.
    pub singles_title: &'static str,
    /// Paragraph above it.
    pub singles_intro: &'static str,
    /// Column: parameter.
    pub col_parameter: &'static str,

    // 5. Sobol.
    /// Heading of the Sobol indices.
    pub sobol_title: &'static str,
    /// How to read them.
    pub sobol_intro: &'static str,
    /// The Sobol run's settings (`{runs}`, `{n}`, `{seed}`, `{bootstrap}`).
    pub sobol_settings: &'static str,
    /// Caption of one scenario's chart (`{scenario}`, `{area}`).
    pub sobol_caption: &'static str,
    /// X axis of the Sobol chart.
    pub axis_sobol: &'static str,
    /// Legend: first-order index.
    pub legend_first: &'static str,
    /// Legend: total index.
    pub legend_total: &'static str,
    /// Column: factor.
    pub col_factor: &'static str,
    /// Column: first-order index with its interval.
    pub col_first: &'static str,
    /// Column: total index with its interval.
    pub col_total: &'static str,
    /// Shown when the scenario's NPV does not vary in the area.
    pub sobol_constant: &'static str,
    /// How to add the Sobol indices (`{sobol}`, `{report}`: commands).
    pub sobol_missing: &'static str,

    // Units.
    /// Money axis unit: millions of euros.
    pub unit_mln: &'static str,
    /// Money axis unit: thousands of euros.
    pub unit_k: &'static str,
    /// Money axis unit: euros.
    pub unit_eur: &'static str,
    /// Effect measure QALY: plural name, unit.
    pub effect_qaly: (&'static str, &'static str),
    /// Effect measure WELLBY: plural name, unit.
    pub effect_wellby: (&'static str, &'static str),
    /// Effect measure life-years: plural name, unit.
    pub effect_life_years: (&'static str, &'static str),
    /// Effect measure avoided starts: plural name, unit.
    pub effect_avoided: (&'static str, &'static str),
}

pub(super) static DECISION_NL: DecisionTexts = DecisionTexts {
    s_decision: "Welke keuze, hoe zeker, wat onderzoeken",
    intro: "Hier worden alle keuzes met elkaar vergeleken, het nulalternatief en elk scenario, op hun kosten \
        (de contante waarde van de uitgaven aan zorg, ondersteuning en interventies) en hun effect in {effect}. \
        De netto monetaire baten van een keuze zijn de betalingsbereidheid maal het effect min de kosten: de keuze \
        met de hoogste verwachte netto baten is bij die betalingsbereidheid de beste. Alle bedragen gelden voor alle \
        inwoners samen ({area}), over de hele looptijd.",
    warning_title: "Let op",
    warn_draws: "Deze run heeft {n} trekkingen. Onder {min} trekkingen zijn de schattingen van de waarde van \
        informatie (EVPI en EVPPI) onbetrouwbaar; draai meer trekkingen (bijvoorbeeld {cmd}).",
    warn_stochastic: "Deze run is in stochastische modus gemaakt: toeval op persoonsniveau vergroot de spreiding \
        van de netto baten, zodat de EVPI te hoog uitvalt. Gebruik de cohortmodus voor de waarde van informatie.",
    engine_note: "Melding van de analyse (in het Engels):",

    inc_title: "Kosten en effecten van alle keuzes",
    inc_intro: "De keuzes staan op volgorde van kosten. Een keuze is sterk gedomineerd als een andere niet meer kost \
        en niet minder oplevert; uitgebreid gedomineerd als een mengvorm van de keuzes ernaast meer effect per euro \
        geeft. De overige keuzes liggen op de grens: elke stap langs die grens kost de ICER (incrementele \
        kosteneffectiviteitsratio) aan euro's per extra eenheid effect. Een stap is de moeite waard als de ICER onder \
        de betalingsbereidheid ligt.",
    inc_effect: "Effectmaat: {effect}",
    inc_other_title: "Andere effectmaten",
    inc_other_intro: "Dezelfde keuzes, met dezelfde kosten, gemeten aan de andere effecten van het model. Een keuze \
        die op elke maat gedomineerd is, is geen goede keuze, welke maat u ook belangrijk vindt.",
    col_arm: "Keuze",
    col_cost: "Kosten (contante waarde)",
    col_effect: "Effect ({unit})",
    col_status: "Status",
    col_compared: "Vergeleken met",
    col_d_cost: "Extra kosten",
    col_d_effect: "Extra effect",
    col_icer: "ICER (€ per {unit})",
    col_nmb: "Netto baten bij {wtp} per {unit}",
    status_frontier: "op de grens",
    status_strong: "sterk gedomineerd",
    status_extended: "uitgebreid gedomineerd",
    sent_optimal: "Bij een betalingsbereidheid van {wtp} per {unit} heeft {arm} de hoogste verwachte netto baten \
        ({nmb}).",
    sent_p_best: "In {k} van de 100 trekkingen is {arm} ook echt de beste keuze; in de overige is een andere keuze \
        beter.",
    sent_p_best_near:
        "In {k} van de 100 trekkingen is {arm} ook echt de beste keuze (afgelezen op het dichtstbijzijnde \
        punt van de curve, {grid} per {unit}); in de overige is een andere keuze beter.",

    ceac_title: "Hoe zeker: de kans dat elke keuze de beste is",
    ceac_intro: "De acceptatiecurves tonen per betalingsbereidheid (horizontaal) in welk deel van de trekkingen elke \
        keuze de hoogste netto baten heeft (verticaal). De dikke stukken met stippen geven per betalingsbereidheid de \
        keuze met de hoogste verwachte netto baten: dat is de keuze die u maakt, ook als een andere keuze vaker de \
        beste is (die wint dan vaak met kleine verschillen en verliest soms veel). Liggen de curves dicht bij \
        elkaar, dan is de keuze onzeker. De stippellijn staat bij de betalingsbereidheid van deze analyse.",
    axis_wtp: "Betalingsbereidheid (× € 1.000 per {unit})",
    axis_p_best: "Kans de beste keuze (%)",
    legend_wtp: "betalingsbereidheid",
    ceac_caption: "{area}: kans dat elke keuze de beste is, per betalingsbereidheid.",
    col_wtp: "Betalingsbereidheid (per {unit})",
    col_frontier: "Hoogste verwachte netto baten",
    near_wtp: "dichtst bij de betalingsbereidheid",
    curves_missing: "Deze run heeft geen acceptatiecurves (acceptability.csv ontbreekt in de map van de run).",

    evpi_title: "Wat zekerheid waard is: de verwachte waarde van perfecte informatie (EVPI)",
    evpi_intro: "Zolang onzeker is welke keuze de beste is, kan de keuze op grond van de verwachting achteraf \
        verkeerd blijken. De EVPI is wat dat naar verwachting kost, voor alle {population} inwoners samen over de hele \
        looptijd: de bovengrens van wat verder onderzoek ooit waard kan zijn. Kost een studie meer dan de EVPI, dan \
        loont ze niet. Een EVPI die piekt rond de betalingsbereidheid betekent dat de keuze daar op het randje ligt.",
    sent_evpi: "Bij {wtp} per {unit} is de EVPI {evpi} voor de hele bevolking, {pp} per inwoner.",
    loss_note: "Het verwachte verlies van een keuze (in de tabel) is wat u misloopt door haar te kiezen in plaats van \
        de keuze die in elke trekking achteraf de beste blijkt; de EVPI is het kleinste verwachte verlies, dat van de \
        keuze met de hoogste verwachte netto baten.",
    axis_evpi: "EVPI ({money})",
    evpi_caption: "{area}: de EVPI per betalingsbereidheid.",
    col_evpi: "EVPI (bevolking)",
    col_evpi_pp: "EVPI per inwoner",
    col_loss: "Verwacht verlies: {arm}",
    per_area_title: "Per gebied",
    per_area_intro: "De beste keuze en de EVPI bij de betalingsbereidheid, per gebied en voor het totaal.",
    col_population: "Inwoners",
    col_optimal: "Beste keuze",
    col_p_optimal: "Kans de beste",

    evppi_title: "Wat onderzoeken: de waarde van informatie per parametergroep (EVPPI)",
    evppi_intro: "De EVPPI van een groep parameters is wat het waard is de onzekerheid over alleen die groep weg te \
        nemen, bijvoorbeeld met één effectstudie of één monitoringsbron. Groepen met een hoge EVPPI zijn het eerst \
        het onderzoeken waard; een groep met een EVPPI dicht bij nul verandert de keuze niet, hoe onzeker hij ook is. \
        De balken lopen van nul tot de schatting, de streepjes geven het 95 %-interval (± 1,96 × de standaardfout); \
        de stippellijn is de EVPI, de bovengrens voor elke groep. Bedragen gelden voor alle inwoners samen ({area}) \
        over de hele looptijd, bij de betalingsbereidheid van deze analyse.",
    axis_evppi: "EVPPI ({money})",
    evppi_caption: "{area}: EVPPI per parametergroep, met 95 %-interval.",
    legend_evppi: "EVPPI",
    legend_evpi: "EVPI",
    col_group: "Parametergroep",
    col_parameters: "Parameters",
    col_evppi: "EVPPI",
    col_se: "Standaardfout",
    col_per_person: "Per inwoner",
    col_note: "Opmerking (in het Engels)",
    evppi_none: "Voor geen enkele groep is er een schatting van de EVPPI (zie de opmerkingen in de tabel).",
    evppi_no_groups: "Het scenario declareert geen parametergroepen; voeg {key}-tabellen toe om de waarde van \
        informatie per onderzoeksvraag te zien.",
    singles_title: "De parameters met de hoogste EVPPI, elk apart",
    singles_intro: "Dezelfde schatting voor elke onzekere parameter alleen (de tien hoogste). Parameters die samen \
        met één studie bekend worden, horen in één groep: hun EVPPI samen is meer dan elk apart.",
    col_parameter: "Parameter",

    sobol_title: "Wat de spreiding van de NPV verklaart: Sobol-indices",
    sobol_intro: "De Sobol-indices verdelen de variantie van de NPV van een scenario over de factoren: de \
        parametergroepen, en de overige parameters samen. De eerste-orde-index is het deel dat een factor alleen \
        verklaart; de totale index telt ook zijn wisselwerking met andere factoren mee. Een factor met een totale \
        index dicht bij nul kan op een vaste waarde blijven zonder dat de uitkomst verandert. Anders dan de EVPPI gaat \
        dit over de spreiding van de uitkomst, niet over de keuze. De streepjes zijn 95 %-bootstrapintervallen; met \
        weinig basissteekproeven zijn ze breed en kan een index buiten 0–1 vallen.",
    sobol_settings: "Uit {runs} modelruns: {n} basissteekproeven, seed {seed}, {bootstrap} bootstrapherhalingen.",
    sobol_caption: "{scenario}: Sobol-indices van de NPV ({area}).",
    axis_sobol: "Sobol-index (deel van de variantie van de NPV)",
    legend_first: "eerste orde",
    legend_total: "totaal",
    col_factor: "Factor",
    col_first: "Eerste orde (95 %-interval)",
    col_total: "Totaal (95 %-interval)",
    sobol_constant: "De NPV van dit scenario varieert hier niet, dus er zijn geen Sobol-indices.",
    sobol_missing: "Dit rapport heeft geen Sobol-indices. Bereken ze met {sobol} en maak het rapport opnieuw met \
        {report}.",

    unit_mln: "€ mln",
    unit_k: "× € 1.000",
    unit_eur: "€",
    effect_qaly: ("QALY's", "QALY"),
    effect_wellby: ("WELLBY's", "WELLBY"),
    effect_life_years: ("levensjaren", "levensjaar"),
    effect_avoided: ("vermeden starts van zorgtrajecten", "vermeden start"),
};

pub(super) static DECISION_EN: DecisionTexts = DecisionTexts {
    s_decision: "Which choice, how sure, what to research",
    intro: "Here every choice is compared with every other, the nulalternatief (baseline) and each scenario, on its \
        costs (the present value of spending on care, support and interventions) and its effect in {effect}. The net \
        monetary benefit of a choice is the willingness to pay times the effect minus the costs: the choice with the \
        highest expected net benefit is the best at that willingness to pay. All amounts are for all inhabitants \
        together ({area}), over the whole horizon.",
    warning_title: "Caution",
    warn_draws: "This run has {n} draws. Below {min} draws the value of information estimates (EVPI and EVPPI) are \
        unreliable; run more draws (for instance {cmd}).",
    warn_stochastic: "This run was made in stochastic mode: person-level chance adds to the spread of the net \
        benefit, so the EVPI comes out too high. Use cohort mode for the value of information.",
    engine_note: "Message from the analysis:",

    inc_title: "Costs and effects of every choice",
    inc_intro: "The choices are in order of cost. A choice is strongly dominated when another costs no more and \
        yields no less; extendedly dominated when a mix of its neighbours gives more effect per euro. The other \
        choices lie on the frontier: each step along it costs the ICER (incremental cost-effectiveness ratio) in \
        euros per extra unit of effect. A step is worth taking when its ICER is below the willingness to pay.",
    inc_effect: "Effect measure: {effect}",
    inc_other_title: "Other effect measures",
    inc_other_intro: "The same choices, with the same costs, measured by the model's other effects. A choice that is \
        dominated on every measure is not a good choice, whichever measure you care about.",
    col_arm: "Choice",
    col_cost: "Costs (present value)",
    col_effect: "Effect ({unit})",
    col_status: "Status",
    col_compared: "Compared with",
    col_d_cost: "Extra costs",
    col_d_effect: "Extra effect",
    col_icer: "ICER (€ per {unit})",
    col_nmb: "Net benefit at {wtp} per {unit}",
    status_frontier: "on the frontier",
    status_strong: "strongly dominated",
    status_extended: "extendedly dominated",
    sent_optimal: "At a willingness to pay of {wtp} per {unit}, {arm} has the highest expected net benefit ({nmb}).",
    sent_p_best: "In {k} out of 100 draws {arm} is indeed the best choice; in the others another choice is better.",
    sent_p_best_near: "In {k} out of 100 draws {arm} is indeed the best choice (read at the nearest point of the \
        curve, {grid} per {unit}); in the others another choice is better.",

    ceac_title: "How sure: the chance that each choice is best",
    ceac_intro: "The acceptability curves show, for each willingness to pay (across), in what share of the draws \
        each choice has the highest net benefit (up). The thick stretches with dots mark, at each willingness to pay, \
        the choice with the highest expected net benefit: the choice you make, even when another is best more often \
        (it then tends to win by small margins and sometimes lose a lot). Curves close together mean an uncertain \
        choice. The dashed line is at this analysis' willingness to pay.",
    axis_wtp: "Willingness to pay (€ thousand per {unit})",
    axis_p_best: "Chance of being the best choice (%)",
    legend_wtp: "willingness to pay",
    ceac_caption: "{area}: chance that each choice is best, by willingness to pay.",
    col_wtp: "Willingness to pay (per {unit})",
    col_frontier: "Highest expected net benefit",
    near_wtp: "nearest the willingness to pay",
    curves_missing: "This run has no acceptability curves (acceptability.csv is missing from the run directory).",

    evpi_title: "What certainty is worth: the expected value of perfect information (EVPI)",
    evpi_intro: "As long as it is uncertain which choice is best, the choice made on expectation may turn out wrong. \
        The EVPI is what that is expected to cost, for all {population} inhabitants together over the whole horizon: \
        the upper limit of what further research can ever be worth. A study that costs more than the EVPI does not \
        pay. An EVPI that peaks around the willingness to pay means the choice is a close call there.",
    sent_evpi: "At {wtp} per {unit} the EVPI is {evpi} for the whole population, {pp} per inhabitant.",
    loss_note: "The expected loss of a choice (in the table) is what you forgo by making it instead of the choice \
        that turns out best in each draw; the EVPI is the smallest expected loss, that of the choice with the highest \
        expected net benefit.",
    axis_evpi: "EVPI ({money})",
    evpi_caption: "{area}: the EVPI by willingness to pay.",
    col_evpi: "EVPI (population)",
    col_evpi_pp: "EVPI per inhabitant",
    col_loss: "Expected loss: {arm}",
    per_area_title: "Per area",
    per_area_intro: "The best choice and the EVPI at the willingness to pay, per area and for the total.",
    col_population: "Inhabitants",
    col_optimal: "Best choice",
    col_p_optimal: "Chance best",

    evppi_title: "What to research: the value of information per parameter group (EVPPI)",
    evppi_intro: "The EVPPI of a group of parameters is what removing the uncertainty about that group alone is \
        worth, for instance with one effect study or one monitoring source. Groups with a high EVPPI are the first \
        worth researching; a group with an EVPPI near zero does not change the choice, however uncertain it is. The \
        bars run from zero to the estimate, the whiskers give the 95% interval (± 1.96 × the standard error); the \
        dashed line is the EVPI, the upper limit for every group. Amounts are for all inhabitants together ({area}) \
        over the whole horizon, at this analysis' willingness to pay.",
    axis_evppi: "EVPPI ({money})",
    evppi_caption: "{area}: EVPPI per parameter group, with 95% interval.",
    legend_evppi: "EVPPI",
    legend_evpi: "EVPI",
    col_group: "Parameter group",
    col_parameters: "Parameters",
    col_evppi: "EVPPI",
    col_se: "Standard error",
    col_per_person: "Per inhabitant",
    col_note: "Note",
    evppi_none: "No group has an EVPPI estimate (see the notes in the table).",
    evppi_no_groups: "The scenario declares no parameter groups; add {key} tables to see the value of information \
        per research question.",
    singles_title: "The parameters with the highest EVPPI, each alone",
    singles_intro: "The same estimate for each uncertain parameter alone (the ten highest). Parameters that one study \
        would resolve together belong in one group: their EVPPI together exceeds each alone.",
    col_parameter: "Parameter",

    sobol_title: "What explains the spread of the NPV: Sobol indices",
    sobol_intro: "The Sobol indices divide the variance of a scenario's NPV among the factors: the parameter groups, \
        and the other parameters together. The first-order index is the share a factor explains alone; the total \
        index also counts its interactions with other factors. A factor with a total index near zero can be fixed at \
        a value without changing the outcome. Unlike the EVPPI this is about the spread of the outcome, not about the \
        choice. The whiskers are 95% bootstrap intervals; with few base samples they are wide and an index can fall \
        outside 0–1.",
    sobol_settings: "From {runs} model runs: {n} base samples, seed {seed}, {bootstrap} bootstrap resamples.",
    sobol_caption: "{scenario}: Sobol indices of the NPV ({area}).",
    axis_sobol: "Sobol index (share of the NPV's variance)",
    legend_first: "first order",
    legend_total: "total",
    col_factor: "Factor",
    col_first: "First order (95% interval)",
    col_total: "Total (95% interval)",
    sobol_constant: "This scenario's NPV does not vary here, so there are no Sobol indices.",
    sobol_missing: "This report has no Sobol indices. Compute them with {sobol} and make the report again with \
        {report}.",

    unit_mln: "€ M",
    unit_k: "€ thousand",
    unit_eur: "€",
    effect_qaly: ("QALYs", "QALY"),
    effect_wellby: ("WELLBYs", "WELLBY"),
    effect_life_years: ("life-years", "life-year"),
    effect_avoided: ("avoided care trajectory starts", "avoided start"),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(s: &str) -> Vec<String> {
        let mut v: Vec<String> =
            s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(k, _)| k.to_string()).collect();
        v.sort();
        v
    }

    /// Every template has the same placeholders in Dutch and English, and the
    /// ones the section fills (so no `{name}` is left on a page).
    #[test]
    fn both_languages_use_the_same_placeholders() {
        let (nl, en) = (&DECISION_NL, &DECISION_EN);
        let pairs = [
            (nl.intro, en.intro, vec!["area", "effect"]),
            (nl.warn_draws, en.warn_draws, vec!["cmd", "min", "n"]),
            (nl.inc_effect, en.inc_effect, vec!["effect"]),
            (nl.col_effect, en.col_effect, vec!["unit"]),
            (nl.col_icer, en.col_icer, vec!["unit"]),
            (nl.col_nmb, en.col_nmb, vec!["unit", "wtp"]),
            (nl.sent_optimal, en.sent_optimal, vec!["arm", "nmb", "unit", "wtp"]),
            (nl.sent_p_best, en.sent_p_best, vec!["arm", "k"]),
            (nl.sent_p_best_near, en.sent_p_best_near, vec!["arm", "grid", "k", "unit"]),
            (nl.axis_wtp, en.axis_wtp, vec!["unit"]),
            (nl.ceac_caption, en.ceac_caption, vec!["area"]),
            (nl.col_wtp, en.col_wtp, vec!["unit"]),
            (nl.evpi_intro, en.evpi_intro, vec!["population"]),
            (nl.sent_evpi, en.sent_evpi, vec!["evpi", "pp", "unit", "wtp"]),
            (nl.axis_evpi, en.axis_evpi, vec!["money"]),
            (nl.evpi_caption, en.evpi_caption, vec!["area"]),
            (nl.col_loss, en.col_loss, vec!["arm"]),
            (nl.evppi_intro, en.evppi_intro, vec!["area"]),
            (nl.axis_evppi, en.axis_evppi, vec!["money"]),
            (nl.evppi_caption, en.evppi_caption, vec!["area"]),
            (nl.evppi_no_groups, en.evppi_no_groups, vec!["key"]),
            (nl.sobol_settings, en.sobol_settings, vec!["bootstrap", "n", "runs", "seed"]),
            (nl.sobol_caption, en.sobol_caption, vec!["area", "scenario"]),
            (nl.sobol_missing, en.sobol_missing, vec!["report", "sobol"]),
        ];
        for (a, b, want) in pairs {
            assert_eq!(holes(a), want, "{a}");
            assert_eq!(holes(b), want, "{b}");
        }
    }
}
