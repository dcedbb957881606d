//! The linear steps of the joint distribution (one transition row applied to
//! every age of a run at once) and ageing by one year.

use super::occupied::Occupied;

/// Lanes (ages) per register group in the chain step.
const LANES: usize = 8;

/// In-place transition of one joint index: `m[off[t] + i] = Σ_f p[f][t] · m[off[f] + i]`
/// for `i < len`, the sum in from-state order (bit-identical to accumulating
/// into a zeroed buffer, since every term is finite and non-negative).
#[inline(always)]
fn step_n<const N: usize>(m: &mut [f64], off: &[usize; N], len: usize, p: &[[f64; N]; N]) {
    let mut i = 0;
    while i + LANES <= len {
        let mut x = [[0.0f64; LANES]; N];
        for f in 0..N {
            x[f].copy_from_slice(&m[off[f] + i..off[f] + i + LANES]);
        }
        for t in 0..N {
            let mut y = [0.0f64; LANES];
            for l in 0..LANES {
                y[l] = p[0][t] * x[0][l];
            }
            for f in 1..N {
                for l in 0..LANES {
                    y[l] += p[f][t] * x[f][l];
                }
            }
            m[off[t] + i..off[t] + i + LANES].copy_from_slice(&y);
        }
        i += LANES;
    }
    while i < len {
        let mut x = [0.0f64; N];
        for f in 0..N {
            x[f] = m[off[f] + i];
        }
        for t in 0..N {
            let mut y = p[0][t] * x[0];
            for f in 1..N {
                y += p[f][t] * x[f];
            }
            m[off[t] + i] = y;
        }
        i += 1;
    }
}

/// [`step_n`] for any number of states, through a small scratch buffer.
fn step_dyn(m: &mut [f64], off: &[usize], len: usize, p: &[f64], n: usize, scratch: &mut Vec<f64>) {
    scratch.clear();
    for &o in off {
        scratch.extend_from_slice(&m[o..o + len]);
    }
    for t in 0..n {
        let dst = &mut m[off[t]..off[t] + len];
        for (i, d) in dst.iter_mut().enumerate() {
            let mut y = p[t] * scratch[i];
            for f in 1..n {
                y += p[f * n + t] * scratch[f * len + i];
            }
            *d = y;
        }
    }
}

/// Age a row by one year within its occupied columns `lo..=hi`: the last age
/// is open-ended; `newborn` enters age 0.
#[inline(always)]
pub(super) fn shift_up(v: &mut [f64], max: usize, occ: Occupied, newborn: f64) {
    if occ.lo <= occ.hi {
        if occ.hi + 1 >= max {
            v[max] += v[max - 1];
        }
        let end = (occ.hi + 1).min(max - 1);
        if occ.lo < end {
            v.copy_within(occ.lo..end, occ.lo + 1);
        }
        if occ.lo < max {
            v[occ.lo] = 0.0;
        }
    }
    v[0] = newborn;
}

/// Where one linear step applies: the joint indices of a member in state 0
/// (`bases`) that can hold anybody (`possible[base]`), and the run of ages
/// `lo..lo + len`. Passed by reference into the inlined step, so it costs nothing.
pub(super) struct StepSpan<'a> {
    pub bases: &'a [usize],
    pub possible: &'a [bool],
    /// States of the member.
    pub n: usize,
    /// Length of a row (ages).
    pub n_ages: usize,
    /// Elements between the rows of two consecutive states of the member.
    pub stride: usize,
    pub lo: usize,
    pub len: usize,
}

/// One linear step of every possible joint index of `span`: the `n` states of a
/// joint index (row `base`, rows of `n_ages`), `stride` elements apart, are
/// replaced by `coef(base index)ᵀ ·` themselves, where `coef` gives
/// `[from][to]`. Returns the multiply-adds done.
#[inline(always)]
pub(super) fn run_steps<'c>(
    m: &mut [f64],
    span: &StepSpan<'_>,
    scratch: &mut Vec<f64>,
    coef: impl Fn(usize) -> &'c [f64],
) -> u64 {
    let &StepSpan { bases, possible, n, n_ages, stride, lo, len } = span;
    macro_rules! fixed {
        ($n:literal) => {{
            let mut count = 0u64;
            for (bn, &base) in bases.iter().enumerate() {
                if !possible[base] {
                    continue;
                }
                let c = coef(bn);
                let mut p = [[0.0; $n]; $n];
                let mut off = [0usize; $n];
                let o = base * n_ages + lo;
                for f in 0..$n {
                    p[f].copy_from_slice(&c[f * $n..(f + 1) * $n]);
                    off[f] = o + f * stride;
                }
                step_n::<$n>(m, &off, len, &p);
                count += ($n * $n * len) as u64;
            }
            count
        }};
    }
    match n {
        2 => fixed!(2),
        3 => fixed!(3),
        4 => fixed!(4),
        5 => fixed!(5),
        6 => fixed!(6),
        _ => {
            let mut count = 0u64;
            let mut off = vec![0; n];
            for (bn, &base) in bases.iter().enumerate() {
                if !possible[base] {
                    continue;
                }
                let o = base * n_ages + lo;
                for (f, x) in off.iter_mut().enumerate() {
                    *x = o + f * stride;
                }
                step_dyn(m, &off, len, coef(bn), n, scratch);
                count += (n * n * len) as u64;
            }
            count
        }
    }
}
