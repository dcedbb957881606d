//! Sobol indices (`wijkimpact::decision::sobol`) against closed forms: the
//! Ishigami function, an additive linear model and a grouped Ishigami, with
//! tolerances from the bootstrap standard error; a hand-computed small case;
//! the design's row order and shards; reproducibility and errors.
//!
//! `SOBOL_EXPORT=DIR cargo test --release --test sobol_math -- --ignored export`
//! writes the Ishigami designs, outputs and our indices for
//! `python3 scripts/peer/sobol_salib.py DIR` (comparison with SALib).

use std::f64::consts::PI;

use wijkimpact::decision::sobol::{self, Design, Indices, Row, SobolError, Z_95};
use wijkimpact::rng::{self, Prng, Purpose};

/// The inputs (design order) and outputs of `design`, base sample `j` drawing
/// `A_j` then `B_j` with `draw` from the test stream `(seed, j)`.
fn run(
    design: &Design,
    slots: &[Vec<usize>],
    seed: u64,
    draw: impl Fn(&mut Prng) -> Vec<f64>,
    f: impl Fn(&[f64]) -> f64,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    assert_eq!(slots.len(), design.groups);
    let mut base = Vec::new();
    for j in 0..design.n {
        let mut r = rng::stream(seed, j as u64, Purpose::Test, 0);
        let a = draw(&mut r);
        let b = draw(&mut r);
        base.push((a, b));
    }
    let xs: Vec<Vec<f64>> = (0..design.runs())
        .map(|r| match design.row(r) {
            Row::A { j } => base[j].0.clone(),
            Row::B { j } => base[j].1.clone(),
            Row::Mixed { j, group } => sobol::mix(&base[j].0, &base[j].1, &slots[group]),
        })
        .collect();
    let y = xs.iter().map(|x| f(x)).collect();
    (xs, y)
}

fn uniform_pm_pi(r: &mut Prng, k: usize) -> Vec<f64> {
    (0..k).map(|_| -PI + 2.0 * PI * rng::uniform(r)).collect()
}

const A: f64 = 7.0;
const B: f64 = 0.1;

fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + A * x[1].sin().powi(2) + B * x[2].powi(4) * x[0].sin()
}

/// Partial variances of the Ishigami function with x_i ~ U(-π, π)
/// (Sobol' and Levitan 1999; Saltelli et al., Global Sensitivity Analysis. The
/// Primer, Wiley 2008, §4.9): (V1, V2, V13, V).
fn ishigami_variances() -> (f64, f64, f64, f64) {
    let pi4 = PI.powi(4);
    let pi8 = PI.powi(8);
    let v1 = 0.5 * (1.0 + B * pi4 / 5.0).powi(2);
    let v2 = A * A / 8.0;
    let v13 = B * B * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
    let v = A * A / 8.0 + B * pi4 / 5.0 + B * B * pi8 / 18.0 + 0.5;
    (v1, v2, v13, v)
}

/// Bootstrap standard deviation of an index from SALib's half-width.
fn sd(conf: f64) -> f64 {
    conf / Z_95
}

/// |estimate − truth| ≤ 3 bootstrap sd + 0.01, and the percentile interval,
/// widened the same way, holds the truth.
fn assert_close(what: &str, est: f64, conf: f64, interval: (f64, f64), truth: f64) {
    let tol = 3.0 * sd(conf) + 0.01;
    assert!((est - truth).abs() <= tol, "{what}: estimate {est} vs closed form {truth} (tolerance {tol})");
    assert!(
        interval.0 - tol <= truth && truth <= interval.1 + tol,
        "{what}: closed form {truth} outside the widened interval {interval:?}"
    );
}

fn ishigami_indices(n: usize, seed: u64) -> (Design, Vec<Vec<f64>>, Vec<f64>, Indices) {
    let design = Design { n, groups: 3 };
    let slots = vec![vec![0], vec![1], vec![2]];
    let (xs, y) = run(&design, &slots, seed, |r| uniform_pm_pi(r, 3), ishigami);
    let ix = sobol::indices(&y, &design, sobol::DEFAULT_BOOTSTRAP, 2024).unwrap();
    (design, xs, y, ix)
}

#[test]
fn ishigami_matches_its_closed_form() {
    let (v1, v2, v13, v) = ishigami_variances();
    // The published rounded values, to catch a slip in the formulas above.
    let first = [v1 / v, v2 / v, 0.0];
    let total = [(v1 + v13) / v, v2 / v, v13 / v];
    for (got, want) in first.iter().chain(&total).zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437]) {
        assert!((got - want).abs() < 5e-5, "closed form {got} vs published {want}");
    }
    let (_, _, _, ix) = ishigami_indices(10_000, 11);
    assert!((ix.variance - v).abs() <= 0.05 * v, "variance {} vs {v}", ix.variance);
    for i in 0..3 {
        assert_close(&format!("S{}", i + 1), ix.first[i], ix.first_conf[i], ix.first_interval[i], first[i]);
        assert_close(&format!("ST{}", i + 1), ix.total[i], ix.total_conf[i], ix.total_interval[i], total[i]);
    }
    // x3 acts only through its interaction with x1: first order ~0, total clearly not.
    assert!(ix.first[2].abs() <= 3.0 * sd(ix.first_conf[2]) + 0.01, "S3 = {}", ix.first[2]);
    assert!(ix.total[2] - 3.0 * sd(ix.total_conf[2]) > 0.15, "ST3 = {}", ix.total[2]);
    // The standard errors are those of N = 10,000: a few hundredths at most.
    assert!(ix.first_conf.iter().chain(&ix.total_conf).all(|&c| c > 0.0 && c < 0.1), "{ix:?}");
}

#[test]
fn additive_model_gives_variance_shares() {
    // f = Σ c_i x_i with x1 ~ U(0, 1), x2 ~ U(0, 2), x3 ~ U(-1, 1), x4 ~ U(5, 5.5):
    // var x = width²/12, S_i = ST_i = c_i² var_i / Σ c_j² var_j.
    let c = [1.0, 2.0, 0.5, -3.0];
    let lo = [0.0, 0.0, -1.0, 5.0];
    let width = [1.0, 2.0, 2.0, 0.5];
    let parts: Vec<f64> = (0..4).map(|i| c[i] * c[i] * width[i] * width[i] / 12.0).collect();
    let total_var: f64 = parts.iter().sum();
    let design = Design { n: 4000, groups: 4 };
    let slots: Vec<Vec<usize>> = (0..4).map(|i| vec![i]).collect();
    let draw = |r: &mut Prng| (0..4).map(|i| lo[i] + width[i] * rng::uniform(r)).collect();
    let f = |x: &[f64]| (0..4).map(|i| c[i] * x[i]).sum::<f64>();
    let (_, y) = run(&design, &slots, 5, draw, f);
    let ix = sobol::indices(&y, &design, 1000, 9).unwrap();
    assert!((ix.variance - total_var).abs() <= 0.06 * total_var, "{} vs {total_var}", ix.variance);
    for (i, part) in parts.iter().enumerate() {
        let share = part / total_var;
        assert_close(&format!("S{}", i + 1), ix.first[i], ix.first_conf[i], ix.first_interval[i], share);
        assert_close(&format!("ST{}", i + 1), ix.total[i], ix.total_conf[i], ix.total_interval[i], share);
    }
    // No interactions: Σ S_i = 1 (bounded by the sum of the sds, whatever their correlation).
    let sum: f64 = ix.first.iter().sum();
    let tol = 3.0 * ix.first_conf.iter().map(|&c| sd(c)).sum::<f64>() + 0.01;
    assert!((sum - 1.0).abs() <= tol, "Σ S_i = {sum} (tolerance {tol})");
}

#[test]
fn grouped_ishigami_gives_the_closed_group_indices() {
    // Group (x1, x3) and group (x2). S_{13} = (V1 + V3 + V13)/V with V3 = 0, and as
    // the groups do not interact, ST_{13} = S_{13} and S_2 = ST_2 = V2/V.
    let (v1, v2, v13, v) = ishigami_variances();
    let design = Design { n: 10_000, groups: 2 };
    let slots = vec![vec![0, 2], vec![1]];
    let (_, y) = run(&design, &slots, 12, |r| uniform_pm_pi(r, 3), ishigami);
    let ix = sobol::indices(&y, &design, 1000, 3).unwrap();
    let truth = [(v1 + v13) / v, v2 / v];
    for (g, &t) in truth.iter().enumerate() {
        assert_close(&format!("S group {g}"), ix.first[g], ix.first_conf[g], ix.first_interval[g], t);
        assert_close(&format!("ST group {g}"), ix.total[g], ix.total_conf[g], ix.total_interval[g], t);
    }
}

#[test]
fn a_small_case_matches_the_estimators_computed_by_hand() {
    // n = 3 base samples, k = 2 groups; rows [A, AB1, AB2, B] per block.
    let y = [1.0, 2.0, 4.0, 3.0, 5.0, 5.5, 7.0, 2.0, 0.0, -1.0, 1.5, 6.0];
    let design = Design { n: 3, groups: 2 };
    let ix = sobol::indices(&y, &design, 50, 1).unwrap();
    let a = [1.0, 5.0, 0.0];
    let b = [3.0, 2.0, 6.0];
    let ab = [[2.0, 5.5, -1.0], [4.0, 7.0, 1.5]];
    // V over A ∪ B = {1, 5, 0, 3, 2, 6}: mean 17/6.
    let m_ab = 17.0 / 6.0;
    let v = a.iter().chain(&b).map(|x| (x - m_ab) * (x - m_ab)).sum::<f64>() / 6.0;
    assert!((ix.variance - v).abs() < 1e-12 * v, "{} vs {v}", ix.variance);
    // The first-order estimator on outputs centred by the mean of all 12 outputs.
    let m_all = y.iter().sum::<f64>() / 12.0;
    for (i, ab_i) in ab.iter().enumerate() {
        let s: f64 = (0..3).map(|j| (b[j] - m_all) * (ab_i[j] - a[j])).sum::<f64>() / 3.0 / v;
        let st: f64 = (0..3).map(|j| (a[j] - ab_i[j]).powi(2)).sum::<f64>() / 3.0 / (2.0 * v);
        assert!((ix.first[i] - s).abs() < 1e-12, "S{i} {} vs {s}", ix.first[i]);
        assert!((ix.total[i] - st).abs() < 1e-12, "ST{i} {} vs {st}", ix.total[i]);
    }
    // Centring makes the indices invariant to a shift and a scale of the output.
    let moved: Vec<f64> = y.iter().map(|v| 1e6 + 3.0 * v).collect();
    let ix2 = sobol::indices(&moved, &design, 50, 1).unwrap();
    for i in 0..2 {
        assert!((ix2.first[i] - ix.first[i]).abs() < 1e-9 && (ix2.total[i] - ix.total[i]).abs() < 1e-9);
    }
    assert!((ix2.variance - 9.0 * v).abs() < 1e-6);
}

#[test]
fn design_rows_are_in_salib_order() {
    let d = Design { n: 3, groups: 2 };
    assert_eq!(d.runs(), 12);
    let rows: Vec<Row> = (0..d.runs()).map(|r| d.row(r)).collect();
    let mut want = Vec::new();
    for j in 0..3 {
        want.push(Row::A { j });
        want.push(Row::Mixed { j, group: 0 });
        want.push(Row::Mixed { j, group: 1 });
        want.push(Row::B { j });
    }
    assert_eq!(rows, want);
    assert_eq!(d.block(1), 4..8);
    assert_eq!(sobol::mix(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0], &[0, 2]), vec![10.0, 2.0, 30.0]);
    assert_eq!(sobol::mix(&[1.0, 2.0], &[10.0, 20.0], &[]), vec![1.0, 2.0]);
}

#[test]
fn shards_cover_the_design_once_in_whole_blocks() {
    for (n, groups) in [(1, 1), (7, 3), (10, 20), (1000, 4)] {
        let d = Design { n, groups };
        let w = groups + 2;
        for of in [1, 2, 3, 7, 8, 13] {
            let mut next = 0;
            let mut sizes = Vec::new();
            for s in 0..of {
                let r = d.rows_of_shard(s, of);
                assert_eq!(r.start, next, "n {n} k {groups} shard {s}/{of}");
                assert_eq!(r.start % w, 0);
                assert_eq!(r.end % w, 0);
                sizes.push((r.end - r.start) / w);
                next = r.end;
            }
            assert_eq!(next, d.runs(), "n {n} k {groups} of {of}");
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "unbalanced {sizes:?}");
        }
    }
}

#[test]
fn same_seed_same_bits_on_any_thread_count() {
    let design = Design { n: 500, groups: 3 };
    let slots = vec![vec![0], vec![1], vec![2]];
    let (_, y) = run(&design, &slots, 4, |r| uniform_pm_pi(r, 3), ishigami);
    let on = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| sobol::indices(&y, &design, 300, seed).unwrap())
    };
    let bits = |ix: &Indices| {
        let mut v = vec![ix.variance.to_bits()];
        for x in [&ix.first, &ix.total, &ix.first_conf, &ix.total_conf] {
            v.extend(x.iter().map(|x| x.to_bits()));
        }
        for x in [&ix.first_interval, &ix.total_interval] {
            v.extend(x.iter().flat_map(|(l, h)| [l.to_bits(), h.to_bits()]));
        }
        v
    };
    let one = on(1, 77);
    assert_eq!(bits(&one), bits(&on(3, 77)));
    assert_eq!(bits(&one), bits(&sobol::indices(&y, &design, 300, 77).unwrap()));
    // Another seed: the same point estimates, other resamples.
    let other = on(2, 78);
    assert_eq!(one.first, other.first);
    assert_eq!(one.total, other.total);
    assert_ne!(one.first_conf, other.first_conf);
}

#[test]
fn bad_input_gives_clear_errors() {
    let d = Design { n: 4, groups: 2 };
    let good: Vec<f64> = (0..16).map(|i| ((i * 7) % 5) as f64).collect();
    assert!(sobol::indices(&good, &d, 10, 1).is_ok());

    let e = sobol::indices(&good[..15], &d, 10, 1).unwrap_err();
    assert_eq!(e, SobolError::WrongLength { expected: 16, got: 15, n: 4, groups: 2 });
    assert_eq!(e.to_string(), "expected 16 model outputs (4 base samples × (2 groups + 2)) in design order, got 15");

    let e = sobol::indices(&good[..4], &Design { n: 1, groups: 2 }, 10, 1).unwrap_err();
    assert_eq!(e.to_string(), "the Sobol design has 1 base sample(s); at least 2 are needed");

    let e = sobol::indices(&good[..8], &Design { n: 4, groups: 0 }, 10, 1).unwrap_err();
    assert_eq!(e, SobolError::NoGroups);

    let e = sobol::indices(&good, &d, 1, 1).unwrap_err();
    assert_eq!(e.to_string(), "the bootstrap needs at least 2 resamples, got 1");

    let mut bad = good.clone();
    bad[6] = f64::NAN;
    let e = sobol::indices(&bad, &d, 10, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the model output of design row 6 (draw A of base sample 1 with group 1 from draw B) is NaN; \
         Sobol indices need finite outputs"
    );
    bad[6] = 1.0;
    bad[15] = f64::NEG_INFINITY;
    let e = sobol::indices(&bad, &d, 10, 1).unwrap_err();
    assert_eq!(e, SobolError::NonFinite { row: 15, which: Row::B { j: 3 }, value: f64::NEG_INFINITY });

    let constant = vec![2.5; 16];
    let e = sobol::indices(&constant, &d, 10, 1).unwrap_err();
    assert_eq!(e.to_string(), "the output does not vary across the sample; Sobol indices are undefined");
    // Rounding noise is not variation: 0.1 + 0.2 and 0.3 differ in the last bit only.
    let noisy: Vec<f64> = (0..16).map(|i| if i % 2 == 0 { 0.1 + 0.2 } else { 0.3 }).collect();
    assert_eq!(sobol::indices(&noisy, &d, 10, 1).unwrap_err(), SobolError::ConstantOutput);
    // A and B constant, only mixed rows vary: V = 0 as well.
    let mixed_only: Vec<f64> = (0..16).map(|r| if r % 4 == 1 { r as f64 } else { 1.0 }).collect();
    assert_eq!(sobol::indices(&mixed_only, &d, 10, 1).unwrap_err(), SobolError::ConstantOutput);
}

/// k = 20 groups, N = 2000, 1000 resamples: prints the time of `indices`.
#[test]
#[ignore]
fn timing_k20() {
    let design = Design { n: 2000, groups: 20 };
    let slots: Vec<Vec<usize>> = (0..20).map(|i| vec![i]).collect();
    let f = |x: &[f64]| x.iter().enumerate().map(|(i, v)| (i + 1) as f64 * v + v * x[0]).sum::<f64>();
    let (_, y) = run(&design, &slots, 1, |r| (0..20).map(|_| rng::uniform(r)).collect(), f);
    let t = std::time::Instant::now();
    let ix = sobol::indices(&y, &design, 1000, 1).unwrap();
    println!("k = 20, N = 2000, B = 1000: {:?} (S1 of x20 {:.3})", t.elapsed(), ix.first[19]);
}

/// Writes the Ishigami designs (one input per group, and (x1, x3) | x2) with
/// outputs and our indices to `$SOBOL_EXPORT/<case>/` for
/// scripts/peer/sobol_salib.py.
#[test]
#[ignore]
fn export() {
    use std::fmt::Write as _;
    let dir = std::env::var("SOBOL_EXPORT").expect("set SOBOL_EXPORT to the directory to write to");
    let cases = [
        ("ishigami", vec![vec![0usize], vec![1], vec![2]], vec!["x1", "x2", "x3"]),
        ("ishigami_groups", vec![vec![0, 2], vec![1]], vec!["x1_x3", "x2", "x1_x3"]),
    ];
    let (bootstrap, seed) = (sobol::DEFAULT_BOOTSTRAP, 2024u64);
    for (name, slots, groups) in cases {
        let design = Design { n: 10_000, groups: slots.len() };
        let (xs, y) = run(&design, &slots, 11, |r| uniform_pm_pi(r, 3), ishigami);
        let ix = sobol::indices(&y, &design, bootstrap, seed).unwrap();
        let path = std::path::Path::new(&dir).join(name);
        std::fs::create_dir_all(&path).unwrap();
        let mut csv = String::from("x_1,x_2,x_3,y\n");
        for (x, y) in xs.iter().zip(&y) {
            // `{}` prints the shortest text that reads back to the same f64.
            writeln!(csv, "{},{},{},{}", x[0], x[1], x[2], y).unwrap();
        }
        std::fs::write(path.join("design.csv"), csv).unwrap();
        let problem = serde_json::json!({
            "num_vars": 3,
            "names": ["x1", "x2", "x3"],
            "groups": groups,
            "bounds": [[-PI, PI], [-PI, PI], [-PI, PI]],
            "group_slots": slots,
            "num_resamples": bootstrap,
            "seed": seed,
        });
        std::fs::write(path.join("problem.json"), serde_json::to_string_pretty(&problem).unwrap()).unwrap();
        let ours = serde_json::json!({
            "variance": ix.variance,
            "S1": ix.first, "ST": ix.total,
            "S1_conf": ix.first_conf, "ST_conf": ix.total_conf,
            "S1_interval": ix.first_interval, "ST_interval": ix.total_interval,
        });
        std::fs::write(path.join("ours.json"), serde_json::to_string_pretty(&ours).unwrap()).unwrap();
        println!("wrote {}", path.display());
    }
}
