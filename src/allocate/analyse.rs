//! From the evaluated draws to the allocation: the recommended portfolio, the
//! efficient frontier, the equity sweep, how often each option is in the
//! best portfolio of a draw, and the fund round.

use rayon::prelude::*;

use super::evaluate::{Evaluation, Series, AVOIDED, BENEFIT, COST, NPV, NPV_CASH};
use super::result::{
    AllocationReport, AllocationRun, EquityInfo, EquityPoint, FrontierPoint, OptionResult, PortfolioResult, Round,
    RoundEntry, Spread, ALLOCATION_FORMAT_VERSION,
};
use super::solve::{self, Constraint, Interaction, Method, Objective, Problem, SolveError};
use super::validate::{Goal, Portfolio, Source};

/// The solver's objective for a goal.
fn objective(goal: Goal) -> Objective {
    match goal {
        Goal::Npv => Objective::Mean,
        Goal::WelfarePerEuro => Objective::WelfarePerEuro,
        Goal::ProbabilityPositive => Objective::ProbabilityPositive,
        Goal::LowerTail(share) => Objective::LowerTail { share },
    }
}

/// Which candidates a problem may choose from.
#[derive(Clone, Copy, PartialEq)]
enum Pool {
    All,
    Applications,
}

/// The optimisation problem over `ev` with area weights `w` and a total budget of `budget` a year.
///
/// An option's (weighted) value in a draw is w_area × maatschappelijke baten − investment:
/// equity weights weigh what residents of an area gain, not the euros spent, so
/// with every weight 1 the value is the maatschappelijk NPV.
fn problem(p: &Portfolio, ev: &Evaluation, w: &[f64], budget: f64, pool: Pool) -> Problem {
    let n = p.candidates.len();
    let draws = ev.draws;
    let weight = |i: usize| w[p.candidates[i].area];
    let mut value = vec![0.0; draws * n];
    let mut benefit = vec![0.0; draws * n];
    for (i, s) in ev.candidates.iter().enumerate() {
        for d in 0..draws {
            benefit[d * n + i] = weight(i) * s.get(d, BENEFIT);
            value[d * n + i] = benefit[d * n + i] - s.get(d, COST);
        }
    }
    let cost: Vec<f64> = ev.candidates.iter().map(|s| mean_of(s, COST, draws)).collect();
    let interactions = p
        .pairs
        .iter()
        .zip(&ev.pairs)
        .map(|(q, s)| {
            let (a, b) = (&ev.candidates[q.i], &ev.candidates[q.j]);
            let wq = weight(q.i);
            let delta_b: Vec<f64> =
                (0..draws).map(|d| wq * (s.get(d, BENEFIT) - a.get(d, BENEFIT) - b.get(d, BENEFIT))).collect();
            let delta_c: Vec<f64> = (0..draws).map(|d| s.get(d, COST) - a.get(d, COST) - b.get(d, COST)).collect();
            Interaction {
                i: q.i,
                j: q.j,
                value: delta_b.iter().zip(&delta_c).map(|(b, c)| b - c).collect(),
                cost: delta_c.iter().sum::<f64>() / draws.max(1) as f64,
                benefit: delta_b,
            }
        })
        .collect();
    let mut constraints = vec![];
    let excluded = |i: usize| pool == Pool::Applications && !matches!(p.candidates[i].source, Source::Application(_));
    let yearly = |i: usize, y: usize| if excluded(i) { 0.0 } else { ev.candidates[i].yearly[y] };
    for (y, year) in ev.years.iter().enumerate() {
        if (0..n).all(|i| yearly(i, y) == 0.0) {
            continue;
        }
        constraints.push(Constraint::new(format!("budget {year}"), (0..n).map(|i| yearly(i, y)).collect(), budget));
        for &(a, cap) in &p.budget.areas {
            constraints.push(Constraint::new(
                format!("{} {year}", p.areas[a]),
                (0..n).map(|i| if p.candidates[i].area == a { yearly(i, y) } else { 0.0 }).collect(),
                cap,
            ));
        }
        for (f, cap) in &p.budget.funders {
            let k = ev.funders.iter().position(|x| x == f).expect("funders are listed");
            constraints.push(Constraint::new(
                format!("{f} {year}"),
                (0..n).map(|i| if excluded(i) { 0.0 } else { ev.candidates[i].yearly_by_funder[k][y] }).collect(),
                *cap,
            ));
        }
    }
    // Excluded candidates: a constraint they alone use, with limit 0 (their cost is positive).
    if pool == Pool::Applications {
        constraints.push(Constraint::new(
            "niet in deze ronde",
            (0..n).map(|i| if excluded(i) { 1.0 } else { 0.0 }).collect(),
            0.0,
        ));
    }
    let mut groups: Vec<Vec<usize>> = vec![];
    for (i, c) in p.candidates.iter().enumerate() {
        if groups.len() <= c.group {
            groups.resize(c.group + 1, vec![]);
        }
        groups[c.group].push(i);
    }
    groups.retain(|g| g.len() > 1);
    Problem { n, draws, value, benefit, cost, interactions, constraints, groups }
}

/// The problem the recommended portfolio solves, at equity weight `eta` and a
/// total budget of `budget` a year (for tests and research: the same numbers
/// [`analyse`] optimises).
pub fn problem_at(p: &Portfolio, ev: &Evaluation, eta: f64, budget: f64) -> Problem {
    let w = p.equity.as_ref().map_or_else(|| vec![1.0; p.areas.len()], |e| e.area_weights(eta));
    problem(p, ev, &w, budget, Pool::All)
}

fn mean_of(s: &Series, k: usize, draws: usize) -> f64 {
    (0..draws).map(|d| s.get(d, k)).sum::<f64>() / draws.max(1) as f64
}

/// Per-draw totals of quantity `k` of a chosen set, interactions included.
fn portfolio_draws(p: &Portfolio, ev: &Evaluation, chosen: &[bool], k: usize) -> Vec<f64> {
    (0..ev.draws)
        .map(|d| {
            let singles: f64 = (0..chosen.len()).filter(|&i| chosen[i]).map(|i| ev.candidates[i].get(d, k)).sum();
            let pairs: f64 = p
                .pairs
                .iter()
                .zip(&ev.pairs)
                .filter(|(q, _)| chosen[q.i] && chosen[q.j])
                .map(|(q, s)| s.get(d, k) - ev.candidates[q.i].get(d, k) - ev.candidates[q.j].get(d, k))
                .sum();
            singles + pairs
        })
        .collect()
}

fn method_name(m: &Method) -> String {
    match m {
        Method::IntegerProgram => "integer_program".into(),
        Method::Dinkelbach { .. } => "dinkelbach".into(),
        Method::LocalSearch => "local_search".into(),
        Method::Enumeration => "enumeration".into(),
    }
}

fn portfolio_result(p: &Portfolio, ev: &Evaluation, sol: &solve::Solution) -> PortfolioResult {
    let chosen = &sol.chosen;
    let npv = portfolio_draws(p, ev, chosen, NPV);
    let cash = portfolio_draws(p, ev, chosen, NPV_CASH);
    let mean = |k| portfolio_draws(p, ev, chosen, k).iter().sum::<f64>() / ev.draws.max(1) as f64;
    let cost_per_year: Vec<f64> = (0..ev.years.len())
        .map(|y| (0..chosen.len()).filter(|&i| chosen[i]).map(|i| ev.candidates[i].yearly[y]).sum())
        .collect();
    let mut spend_by_area = vec![0.0; p.areas.len()];
    for (i, c) in p.candidates.iter().enumerate() {
        if chosen[i] {
            spend_by_area[c.area] += ev.candidates[i].yearly.iter().sum::<f64>();
        }
    }
    PortfolioResult {
        options: (0..chosen.len()).filter(|&i| chosen[i]).map(|i| p.candidates[i].name.clone()).collect(),
        objective: sol.objective,
        bound: sol.bound,
        method: method_name(&sol.method),
        npv_societal: Spread::of(&npv),
        npv: Spread::of(&cash),
        costs_pv: mean(COST),
        benefits_pv: mean(BENEFIT),
        peak_cost_per_year: cost_per_year.iter().copied().fold(0.0, f64::max),
        cost_per_year,
        spend_by_area,
        interactions_exact: p.pairwise_exact(chosen),
        simulated_npv_societal: None,
    }
}

/// The round's claim-check results, computed by the caller (one per application).
pub struct RoundChecks<'a> {
    /// The claim check of every application, in file order.
    pub reports: &'a [crate::claim::result::ClaimReport],
    /// Where each check's files are, relative to the output directory.
    pub dirs: Vec<String>,
}

/// Everything `allocation.json` holds.
pub fn analyse(
    p: &Portfolio,
    ev: &Evaluation,
    run: AllocationRun,
    checks: Option<RoundChecks<'_>>,
) -> Result<AllocationReport, SolveError> {
    let obj = objective(p.goal);
    let eta = p.equity.as_ref().map_or(0.0, |e| e.weight);
    let weights_at = |eta: f64| p.equity.as_ref().map_or_else(|| vec![1.0; p.areas.len()], |e| e.area_weights(eta));
    let w = weights_at(eta);
    let base = problem(p, ev, &w, p.budget.per_year, Pool::All);
    let best = solve::solve(&base, &obj)?;
    let recommended = portfolio_result(p, ev, &best);
    let per_draw = solve::best_per_draw(&base);
    let n = p.candidates.len();
    let p_in_best: Vec<f64> =
        (0..n).map(|i| per_draw.iter().filter(|c| c[i]).count() as f64 / per_draw.len().max(1) as f64).collect();
    let options = p
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let s = &ev.candidates[i];
            let col = |k: usize| -> Vec<f64> { (0..ev.draws).map(|d| s.get(d, k)).collect() };
            OptionResult {
                name: c.name.clone(),
                label: c.label.clone(),
                kind: match c.source {
                    Source::Intervention { .. } => "intervention".into(),
                    Source::Application(_) => "application".into(),
                },
                area: p.areas[c.area].clone(),
                scale: match c.source {
                    Source::Intervention { scale, .. } => scale,
                    Source::Application(_) => None,
                },
                peak_cost_per_year: s.yearly.iter().copied().fold(0.0, f64::max),
                cost_per_year: s.yearly.clone(),
                npv_societal: Spread::of(&col(NPV)),
                npv: Spread::of(&col(NPV_CASH)),
                benefits_pv: mean_of(s, BENEFIT, ev.draws),
                costs_pv: mean_of(s, COST, ev.draws),
                avoided_starts: mean_of(s, AVOIDED, ev.draws),
                weight: w[c.area],
                p_in_best: p_in_best[i],
                chosen: best.chosen[i],
            }
        })
        .collect();
    let frontier = p
        .budget
        .frontier
        .par_iter()
        .map(|&b| {
            let sol = solve::solve(&problem(p, ev, &w, b, Pool::All), &obj)?;
            Ok(FrontierPoint { budget: b, portfolio: portfolio_result(p, ev, &sol) })
        })
        .collect::<Result<Vec<_>, SolveError>>()?;
    let equity_sweep = match &p.equity {
        None => vec![],
        Some(e) => e
            .weights
            .par_iter()
            .map(|&eta| {
                let aw = weights_at(eta);
                let sol = solve::solve(&problem(p, ev, &aw, p.budget.per_year, Pool::All), &obj)?;
                Ok(EquityPoint { eta, area_weights: aw, portfolio: portfolio_result(p, ev, &sol) })
            })
            .collect::<Result<Vec<_>, SolveError>>()?,
    };
    let round = match checks {
        Some(ch) if !p.applications.is_empty() => {
            let sol = solve::solve(&problem(p, ev, &w, p.budget.per_year, Pool::Applications), &obj)?;
            let funded = portfolio_result(p, ev, &sol);
            let mut asked = vec![0.0; ev.years.len()];
            let mut applications = vec![];
            for (i, c) in p.candidates.iter().enumerate() {
                let Source::Application(k) = c.source else { continue };
                for (y, a) in asked.iter_mut().enumerate() {
                    *a += ev.candidates[i].yearly[y];
                }
                let r = &ch.reports[k];
                let claims: Vec<super::result::ClaimLine> = r
                    .claims
                    .iter()
                    .map(|cl| super::result::ClaimLine {
                        label: cl.label.clone(),
                        claimed: cl.claimed,
                        unit: cl.unit.clone(),
                        p_reached: cl.p_reached,
                        verdict: cl.verdict.as_str().into(),
                    })
                    .collect();
                let worst = r.claims.iter().map(|cl| cl.verdict).max();
                applications.push(RoundEntry {
                    option: c.name.clone(),
                    name: r.application.name.clone(),
                    applicant: r.application.applicant.clone(),
                    area: p.areas[c.area].clone(),
                    funded: sol.chosen[i],
                    claims,
                    verdict: worst.map_or("", |v| v.as_str()).into(),
                    claim_dir: ch.dirs[k].clone(),
                });
            }
            Some(Round { applications, funded, asked_peak_per_year: asked.iter().copied().fold(0.0, f64::max) })
        }
        _ => None,
    };
    Ok(AllocationReport {
        format_version: ALLOCATION_FORMAT_VERSION,
        name: p.name.clone(),
        description: p.description.clone(),
        objective: p.goal.as_str().into(),
        tail: match p.goal {
            Goal::LowerTail(s) => Some(s),
            _ => None,
        },
        budget: p.budget.per_year,
        area_caps: p.budget.areas.iter().map(|(a, c)| (p.areas[*a].clone(), *c)).collect(),
        funder_caps: p.budget.funders.clone(),
        areas: p.areas.clone(),
        years: ev.years.clone(),
        equity: p.equity.as_ref().map(|e| EquityInfo {
            indicator: e.indicator.clone(),
            source: e.source.clone(),
            need: e.need.clone(),
            relative_need: e.relative.clone(),
            eta: e.weight,
        }),
        options,
        interactions: p
            .pairs
            .iter()
            .zip(&ev.pairs)
            .map(|(q, s)| {
                let d = mean_of(s, NPV, ev.draws)
                    - mean_of(&ev.candidates[q.i], NPV, ev.draws)
                    - mean_of(&ev.candidates[q.j], NPV, ev.draws);
                (p.candidates[q.i].name.clone(), p.candidates[q.j].name.clone(), d)
            })
            .collect(),
        additive_pairs: p.additive_pairs,
        recommended,
        frontier,
        equity_sweep,
        round,
        run,
    })
}
