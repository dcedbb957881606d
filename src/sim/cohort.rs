//! Cohort mode: expected (fractional) numbers of people, with each
//! [`Block`]'s joint distribution over its chains and exposures.
//!
//! Layout: per block, per group (area × sex), a matrix `[joint state][age]`
//! with age fastest. Within a run of ages where every row, risk factor and
//! target is the same ([`super::Plan::age_runs`]), one transition row updates
//! the whole run, and ageing is a shift of each row by one column.
//!
//! How the work is kept small, without changing a single bit of the result:
//!
//! - **Blocks are simulated one at a time**, over every year. Blocks interact
//!   only through the population (deaths and migration, kept by the first
//!   block when the model has death states, else by a demography pass shared
//!   by every arm) and through participation shares (computed in an exposure's
//!   home block); both are recorded per year and read by the other blocks.
//! - **Reuse**: a block whose [`Block::key`] was already simulated in this
//!   draw (by another arm) is not simulated again, and in an area that none of
//!   its interventions reach it takes the numbers of the same block without
//!   exposures ([`Block::neutral`]).
//! - **In place**: a chain step reads the `n` states of a joint index into
//!   registers, a few ages at a time, and writes the `n` new states back; no
//!   scratch matrix is zeroed or copied.
//! - **Structural zeros are skipped**: joint states in which a chain outside
//!   its age range is not in state 0, and ages outside the occupied range of a
//!   group (a closed cohort holds a single age each year).
//!
//! Every sum is formed in the same order as in the straightforward engine
//! ([`super::reference`]), and terms that are skipped are exactly zero, so the
//! result is bit-for-bit the same (a test compares the two on every bundled
//! scenario and on generated models).

use super::accum::{self, Acc, AccLayout};
use super::plan::{Block, Dim, Plan};
use super::realise::{BirthVals, Realised};
use super::{Kernel, Warnings};
use crate::model::Model;

/// Entry distributions per block and (area, age), computed on first use.
struct Entries {
    n_ages: usize,
    cache: Vec<Option<Vec<f64>>>,
}

impl Entries {
    fn new(n_areas: usize, n_ages: usize) -> Self {
        Entries { n_ages, cache: vec![None; n_areas * n_ages] }
    }

    /// Joint distribution of someone entering block `b` at (area, age): each
    /// chain's initial row (independently), exposures "not exposed".
    fn get(&mut self, k: &Kernel<'_>, b: &Block, area: usize, age: usize) -> &[f64] {
        let n_ages = self.n_ages;
        self.cache[area * n_ages + age].get_or_insert_with(|| {
            let mut out = vec![0.0; b.size];
            out[0] = 1.0;
            let mut filled = 1;
            for (p, &d) in b.dims.iter().enumerate() {
                if let Dim::Chain(c) = k.arm.dims[d] {
                    let ch = &k.model.chains[c];
                    if ch.in_range(age) {
                        let row = &k.vals.chains[c].initial[ch.initial_for[area * n_ages + age] as usize];
                        for s in (0..b.sizes[p]).rev() {
                            for x in 0..filled {
                                out[s * b.strides[p] + x] = out[x] * row[s];
                            }
                        }
                    }
                }
                filled *= b.sizes[p];
            }
            out
        })
    }
}

/// What one block computed in one draw.
#[derive(Debug, Clone)]
pub struct BlockOut {
    /// The raw counts this block is responsible for (the flows and occupancy
    /// of its home chains, participants of its home exposures, and the
    /// population counts when it keeps the population); zero elsewhere.
    pub acc: Acc,
    /// Participation share per year of each exposure whose home it is, by
    /// model intervention index.
    pub shares: Vec<(usize, Vec<f64>)>,
    /// The population record when this block keeps the population.
    pub pop: Option<PopRecord>,
    /// Multiply-adds of its chain steps (`n × n` per joint index and age):
    /// the useful work, for throughput figures.
    pub madds: u64,
}

/// What the blocks that do not keep the population need from the one that
/// does, per year and group (area × sex).
#[derive(Debug, Clone)]
pub struct PopRecord {
    /// `keep[(t * groups + g) * n_ages + age]`: the share that stays after
    /// emigration (1 where nobody leaves).
    keep: Vec<f64>,
    /// `births[t * groups + g]`.
    births: Vec<f64>,
}

/// Ages that can hold anybody in a group: a function of the model and the
/// draw's demography only, the same in every block.
#[derive(Debug, Clone, Copy)]
struct Occupied {
    lo: usize,
    /// Inclusive; `lo > hi` means empty.
    hi: usize,
}

impl Occupied {
    fn clip(self, lo: usize, hi: usize) -> (usize, usize) {
        let l = lo.max(self.lo);
        let h = hi.min(self.hi + 1);
        (l, h.max(l))
    }
}

/// Occupied ages per group and year, derived from the start population,
/// arrivals and births (mass outside them is exactly zero).
fn occupied(model: &Model, vals: &Realised) -> Vec<Occupied> {
    let s = &model.settings;
    let n_ages = s.n_ages();
    let sexes = model.sexes;
    let n_groups = model.areas.len() * sexes;
    let mut out = Vec::with_capacity(s.horizon * n_groups);
    let mut cur: Vec<Occupied> = (0..n_groups)
        .map(|gi| {
            let pop = &model.areas[gi / sexes].population[gi % sexes];
            let lo = pop.iter().position(|&n| n != 0.0);
            let hi = pop.iter().rposition(|&n| n != 0.0);
            match (lo, hi) {
                (Some(lo), Some(hi)) => Occupied { lo, hi },
                _ => Occupied { lo: n_ages, hi: 0 },
            }
        })
        .collect();
    for _ in 0..s.horizon {
        for (gi, o) in cur.iter_mut().enumerate() {
            let (a, sex) = (gi / sexes, gi % sexes);
            // Arrivals during the year widen the range before ageing.
            let nm = &vals.areas[a].migration[sex];
            if let Some(l) = nm.iter().position(|&v| v > 0.0) {
                let h = nm.iter().rposition(|&v| v > 0.0).unwrap_or(l);
                if o.lo > o.hi {
                    *o = Occupied { lo: l, hi: h };
                } else {
                    *o = Occupied { lo: o.lo.min(l), hi: o.hi.max(h) };
                }
            }
            out.push(*o);
        }
        for (gi, o) in cur.iter_mut().enumerate() {
            let births = !matches!(vals.areas[gi / sexes].births, BirthVals::None);
            let max = s.max_age;
            let aged =
                if o.lo > o.hi { None } else { Some(Occupied { lo: (o.lo + 1).min(max), hi: (o.hi + 1).min(max) }) };
            *o = match (aged, births) {
                (Some(x), true) => Occupied { lo: 0, hi: x.hi },
                (Some(x), false) => x,
                (None, true) => Occupied { lo: 0, hi: 0 },
                (None, false) => Occupied { lo: n_ages, hi: 0 },
            };
        }
    }
    out
}

/// `out[x] = Σ m[x * n_ages + age]` over `age` in `lo..hi`, each sum formed in
/// age order (bit-identical to a sequential sum), for the joint states `xs`.
/// The loop runs over states inside ages so the additions of different states
/// overlap instead of waiting on each other.
#[inline(always)]
fn row_sums(m: &[f64], n_ages: usize, size: usize, lo: usize, hi: usize, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F; the function checks its bounds.
            unsafe { row_sums_avx512(m, n_ages, size, lo, hi, out) };
            return;
        }
    }
    row_sums_portable(m, n_ages, size, lo, hi, out)
}

/// [`row_sums`] with AVX-512: sixteen rows at a time, each 8 × 8 tile of
/// (row, age) transposed in registers so that lane `j` adds row `j`'s ages in
/// order, starting from zero; the last tile is loaded with its missing ages as
/// zeros (adding zero to a sum of non-negative numbers leaves it unchanged).
/// The same additions in the same order as the portable version.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn row_sums_avx512(m: &[f64], n_ages: usize, size: usize, lo: usize, hi: usize, out: &mut [f64]) {
    use std::arch::x86_64::*;
    out[..size].fill(0.0);
    if lo >= hi {
        return;
    }
    /// Transpose the 8 × 8 tile whose row `j` starts at `base + j * n_ages`
    /// (its first `mask.count_ones()` ages) and add its columns to `acc` in order.
    #[inline(always)]
    unsafe fn add_tile(m: &[f64], base: usize, n_ages: usize, mask: u8, acc: __m512d) -> __m512d {
        let width = mask.count_ones() as usize;
        let r: [__m512d; 8] = std::array::from_fn(|j| {
            let start = base + j * n_ages;
            assert!(start + width <= m.len(), "tile inside the block");
            // SAFETY: the lanes the mask loads lie inside `m` (checked above);
            // masked-out lanes are not read.
            unsafe { _mm512_maskz_loadu_pd(mask, m.as_ptr().add(start)) }
        });
        let t0 = _mm512_unpacklo_pd(r[0], r[1]);
        let t1 = _mm512_unpackhi_pd(r[0], r[1]);
        let t2 = _mm512_unpacklo_pd(r[2], r[3]);
        let t3 = _mm512_unpackhi_pd(r[2], r[3]);
        let t4 = _mm512_unpacklo_pd(r[4], r[5]);
        let t5 = _mm512_unpackhi_pd(r[4], r[5]);
        let t6 = _mm512_unpacklo_pd(r[6], r[7]);
        let t7 = _mm512_unpackhi_pd(r[6], r[7]);
        let u0 = _mm512_shuffle_f64x2::<0x88>(t0, t2);
        let u1 = _mm512_shuffle_f64x2::<0x88>(t1, t3);
        let u2 = _mm512_shuffle_f64x2::<0xdd>(t0, t2);
        let u3 = _mm512_shuffle_f64x2::<0xdd>(t1, t3);
        let u4 = _mm512_shuffle_f64x2::<0x88>(t4, t6);
        let u5 = _mm512_shuffle_f64x2::<0x88>(t5, t7);
        let u6 = _mm512_shuffle_f64x2::<0xdd>(t4, t6);
        let u7 = _mm512_shuffle_f64x2::<0xdd>(t5, t7);
        let mut acc = acc;
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0x88>(u0, u4)); // ages +0
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0x88>(u1, u5)); // +1
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0x88>(u2, u6)); // +2
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0x88>(u3, u7)); // +3
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0xdd>(u0, u4)); // +4
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0xdd>(u1, u5)); // +5
        acc = _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0xdd>(u2, u6)); // +6
        _mm512_add_pd(acc, _mm512_shuffle_f64x2::<0xdd>(u3, u7)) // +7
    }
    let store = |x: usize, acc: __m512d, out: &mut [f64]| {
        // SAFETY: `out[x..x + 8]` holds 8 doubles.
        unsafe { _mm512_storeu_pd(out[x..x + 8].as_mut_ptr(), acc) };
    };
    let mask_at = |i: usize| -> u8 {
        if hi - i >= 8 {
            0xff
        } else {
            (1u8 << (hi - i)) - 1
        }
    };
    let mut x = 0;
    // Two groups of eight rows side by side, so their additions overlap.
    while x + 16 <= size {
        let (mut a0, mut a1) = (_mm512_setzero_pd(), _mm512_setzero_pd());
        let mut i = lo;
        while i < hi {
            let mask = mask_at(i);
            a0 = add_tile(m, x * n_ages + i, n_ages, mask, a0);
            a1 = add_tile(m, (x + 8) * n_ages + i, n_ages, mask, a1);
            i += 8;
        }
        store(x, a0, out);
        store(x + 8, a1, out);
        x += 16;
    }
    while x + 8 <= size {
        let mut a0 = _mm512_setzero_pd();
        let mut i = lo;
        while i < hi {
            a0 = add_tile(m, x * n_ages + i, n_ages, mask_at(i), a0);
            i += 8;
        }
        store(x, a0, out);
        x += 8;
    }
    row_sums_portable_from(m, n_ages, size, lo, hi, out, x);
}

/// [`row_sums`] in portable code.
#[inline(always)]
fn row_sums_portable(m: &[f64], n_ages: usize, size: usize, lo: usize, hi: usize, out: &mut [f64]) {
    const ROWS: usize = 8;
    out[..size].fill(0.0);
    if lo >= hi {
        return;
    }
    let mut x = 0;
    while x + ROWS <= size {
        let rows = &m[x * n_ages..(x + ROWS) * n_ages];
        let mut acc = [0.0; ROWS];
        for j in 0..ROWS {
            acc[j] = rows[j * n_ages + lo];
        }
        let mut i = lo + 1;
        // Tiles of ROWS × ROWS: the compiler transposes them in registers, so
        // each lane adds one row's ages in order.
        while i + ROWS <= hi {
            let mut tile = [[0.0; ROWS]; ROWS];
            for j in 0..ROWS {
                tile[j].copy_from_slice(&rows[j * n_ages + i..j * n_ages + i + ROWS]);
            }
            for k in 0..ROWS {
                for j in 0..ROWS {
                    acc[j] += tile[j][k];
                }
            }
            i += ROWS;
        }
        for i in i..hi {
            for j in 0..ROWS {
                acc[j] += rows[j * n_ages + i];
            }
        }
        out[x..x + ROWS].copy_from_slice(&acc);
        x += ROWS;
    }
    row_sums_portable_from(m, n_ages, size, lo, hi, out, x);
}

/// Sequential row sums of the joint states from `x` on.
#[inline(always)]
fn row_sums_portable_from(m: &[f64], n_ages: usize, size: usize, lo: usize, hi: usize, out: &mut [f64], x: usize) {
    for (xx, o) in out.iter_mut().enumerate().take(size).skip(x) {
        let row = &m[xx * n_ages + lo..xx * n_ages + hi];
        let mut acc = row[0];
        for &v in &row[1..] {
            acc += v;
        }
        *o = acc;
    }
}

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
fn shift_up(v: &mut [f64], max: usize, occ: Occupied, newborn: f64) {
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

/// Replace chain member `pos` in one age column by `row` (independently of the
/// other members), or collapse it into state 0 when `row` is None.
fn reset_column(b: &Block, pos: usize, m: &mut [f64], n_ages: usize, age: usize, row: Option<&[f64]>) {
    let stride = b.strides[pos];
    for &base in &b.bases[pos] {
        let total: f64 = (0..b.sizes[pos]).map(|s| m[(base + s * stride) * n_ages + age]).sum();
        for s in 0..b.sizes[pos] {
            m[(base + s * stride) * n_ages + age] = match row {
                Some(r) => total * r[s],
                None if s == 0 => total,
                None => 0.0,
            };
        }
    }
}

/// Inputs shared by the blocks of one draw.
pub struct DrawShared<'a> {
    pub model: &'a Model,
    pub plan: &'a Plan,
    pub vals: &'a Realised,
    pub lay: &'a AccLayout,
    /// Whether blocks are reused across arms and areas (on by default; the
    /// result is the same either way, which a test checks).
    pub reuse: bool,
    occupied: Vec<Occupied>,
    /// Per group: whether any age has net migration.
    migration: Vec<bool>,
    /// Population counts and record of the demography pass (models without
    /// death states: the population is the same in every arm).
    demography: Option<(Acc, PopRecord)>,
}

impl<'a> DrawShared<'a> {
    pub fn new(model: &'a Model, plan: &'a Plan, vals: &'a Realised, lay: &'a AccLayout) -> Self {
        let occupied = occupied(model, vals);
        let migration = (0..model.areas.len() * model.sexes)
            .map(|gi| vals.areas[gi / model.sexes].migration[gi % model.sexes].iter().any(|&v| v != 0.0))
            .collect();
        let mut d = DrawShared { model, plan, vals, lay, reuse: true, occupied, migration, demography: None };
        if !model.chains.iter().any(|c| c.has_death()) {
            let mut acc = Acc::new(model.areas.len(), model.settings.horizon, lay);
            let mut rec = PopRecord { keep: vec![], births: vec![] };
            let mut pop = Population::new(model);
            for t in 0..model.settings.horizon {
                pop.year(&d, t, None, &mut acc, &mut rec);
            }
            d.demography = Some((acc, rec));
        }
        d
    }
}

/// The population of one arm (area × sex × age), kept by block 0 or by the
/// demography pass.
struct Population {
    pop: Vec<f64>,
}

impl Population {
    fn new(model: &Model) -> Self {
        let n_ages = model.settings.n_ages();
        let mut pop = Vec::with_capacity(model.areas.len() * model.sexes * n_ages);
        for a in &model.areas {
            for sex in 0..model.sexes {
                pop.extend_from_slice(&a.population[sex]);
            }
        }
        Population { pop }
    }

    fn start(&self, d: &DrawShared<'_>, t: usize, acc: &mut Acc) {
        let n_ages = d.model.settings.n_ages();
        for gi in 0..self.pop.len() / n_ages {
            let occ = d.occupied[t * (self.pop.len() / n_ages) + gi];
            let (lo, hi) = occ.clip(0, n_ages);
            acc.at(gi / d.model.sexes, t)[accum::POP_START] +=
                self.pop[gi * n_ages + lo..gi * n_ages + hi].iter().sum::<f64>();
        }
    }

    /// Deaths (given the dead mass per age of death states, already counted in
    /// `acc`), background mortality and migration of group `gi` in year `t`;
    /// records the share kept after emigration.
    fn deaths_and_migration(
        &mut self,
        d: &DrawShared<'_>,
        t: usize,
        gi: usize,
        dead: Option<&[f64]>,
        acc: &mut Acc,
        rec: &mut PopRecord,
    ) {
        let model = d.model;
        let n_ages = model.settings.n_ages();
        let n_groups = model.areas.len() * model.sexes;
        let (a, sex) = (gi / model.sexes, gi % model.sexes);
        let q = acc.at(a, t);
        let p = &mut self.pop[gi * n_ages..(gi + 1) * n_ages];
        // Outside the occupied ages nobody lives or dies: the terms skipped there are zero.
        let (lo, hi) = d.occupied[t * n_groups + gi].clip(0, n_ages);
        if let Some(col) = dead {
            for (pa, &dd) in p[lo..hi].iter_mut().zip(&col[lo..hi]) {
                q[accum::DEATHS] += dd;
                *pa = (*pa - dd).max(0.0);
            }
        }
        let qd = &d.vals.areas[a].q[sex];
        if qd.iter().any(|&x| x > 0.0) {
            for (pa, &qa) in p[lo..hi].iter_mut().zip(&qd[lo..hi]) {
                q[accum::DEATHS] += qa * *pa;
                *pa *= 1.0 - qa;
            }
        }
        let nm = &d.vals.areas[a].migration[sex];
        let first = rec.keep.len();
        rec.keep.resize(first + n_ages, 1.0);
        if d.migration[gi] {
            for age in 0..n_ages {
                let (v, pa) = (nm[age], p[age]);
                if v < 0.0 && pa > 0.0 {
                    let frac = (-v / pa).min(1.0);
                    q[accum::DEPARTURES] += frac * pa;
                    p[age] = pa * (1.0 - frac);
                    rec.keep[first + age] = 1.0 - frac;
                } else if v > 0.0 {
                    q[accum::ARRIVALS] += v;
                    p[age] += v;
                }
            }
        }
    }

    fn end(&self, d: &DrawShared<'_>, t: usize, acc: &mut Acc) {
        let n_ages = d.model.settings.n_ages();
        for gi in 0..self.pop.len() / n_ages {
            acc.at(gi / d.model.sexes, t)[accum::POP_END] +=
                self.pop[gi * n_ages..(gi + 1) * n_ages].iter().sum::<f64>();
        }
    }

    /// Births from the end-of-year population, recorded per group, then ageing.
    fn births_and_ageing(&mut self, d: &DrawShared<'_>, t: usize, acc: &mut Acc, rec: &mut PopRecord) {
        let model = d.model;
        let n_ages = model.settings.n_ages();
        let sexes = model.sexes;
        let pop = &mut self.pop;
        let first = rec.births.len();
        for a in 0..model.areas.len() {
            let total = match &d.vals.areas[a].births {
                BirthVals::None => 0.0,
                BirthVals::Crude(r) => r * pop[a * sexes * n_ages..(a + 1) * sexes * n_ages].iter().sum::<f64>(),
                BirthVals::Fertility(fr) => {
                    let (women, share) = if sexes == 2 { ((a * 2 + 1) * n_ages, 1.0) } else { (a * n_ages, 0.5) };
                    (0..n_ages).map(|age| fr[age] * share * pop[women + age]).sum()
                }
            };
            acc.at(a, t)[accum::BIRTHS] += total;
            if sexes == 2 {
                let male = model.areas[a].demography.male_birth_share;
                rec.births.push(total * male);
                rec.births.push(total * (1.0 - male));
            } else {
                rec.births.push(total);
            }
        }
        let max = model.settings.max_age;
        for gi in 0..pop.len() / n_ages {
            let p = &mut pop[gi * n_ages..(gi + 1) * n_ages];
            p[max] += p[max - 1];
            p.copy_within(0..max - 1, 1);
            p[0] = rec.births[first + gi];
        }
    }

    /// A whole year of the demography pass (no death states).
    fn year(&mut self, d: &DrawShared<'_>, t: usize, dead: Option<&[f64]>, acc: &mut Acc, rec: &mut PopRecord) {
        self.start(d, t, acc);
        for gi in 0..self.pop.len() / d.model.settings.n_ages() {
            self.deaths_and_migration(d, t, gi, dead, acc, rec);
        }
        self.end(d, t, acc);
        self.births_and_ageing(d, t, acc, rec);
    }
}

/// Simulate the arms of `plan` marked in `which` (index 0 the
/// nulalternatief), reusing blocks within the draw; returns one accumulator
/// per marked arm.
///
/// `cache` holds one slot per block key ([`Plan::n_block_keys`]): blocks found
/// there are not simulated again (a variant of the draw passes the blocks of
/// the draw whose inputs it did not change, see [`unchanged_blocks`]); it
/// returns holding every block of the draw.
pub fn simulate_arms(
    d: &DrawShared<'_>,
    kernels: &[Option<Kernel<'_>>],
    cache: &mut [Option<BlockOut>],
    w: &mut Warnings,
) -> Vec<Option<Acc>> {
    let model = d.model;
    let s = &model.settings;
    let mut out = Vec::with_capacity(kernels.len());
    for k in kernels {
        let Some(k) = k else {
            out.push(None);
            continue;
        };
        let mut acc = match &d.demography {
            Some((a, _)) => a.clone(),
            None => Acc::new(model.areas.len(), s.horizon, d.lay),
        };
        if !d.reuse {
            cache.iter_mut().for_each(|c| *c = None);
        }
        for (bi, b) in k.arm.blocks.iter().enumerate() {
            if cache[b.key].is_none() {
                let o = simulate_block(d, k, bi, cache);
                w.work_units += o.madds;
                cache[b.key] = Some(o);
            }
            let o = cache[b.key].as_ref().expect("just simulated");
            for (x, &y) in acc.data.iter_mut().zip(&o.acc.data) {
                *x += y;
            }
        }
        out.push(Some(acc));
    }
    out
}

/// The blocks of `cache` (simulated with the numbers `a`) whose inputs are
/// bit for bit the same in `b`: the rows and risk factors of their chains, the
/// demography, the numbers of their interventions, and the blocks they read
/// participation shares or the population from. The others are emptied.
pub fn unchanged_blocks(
    model: &Model,
    plan: &Plan,
    a: &Realised,
    b: &Realised,
    cache: &[Option<BlockOut>],
) -> Vec<Option<BlockOut>> {
    let deaths = model.chains.iter().any(|c| c.has_death());
    let demography = super::same_demography(a, b);
    let mut same: Vec<Option<bool>> = vec![None; plan.n_block_keys];
    for arm in &plan.arms {
        for (bi, blk) in arm.blocks.iter().enumerate() {
            if same[blk.key].is_some() {
                continue;
            }
            let mut ok = demography && (!deaths || bi == 0 || same[arm.blocks[0].key] == Some(true));
            for &dim in &blk.dims {
                ok = ok
                    && match arm.dims[dim] {
                        Dim::Chain(c) => {
                            super::same_chain(model, a, b, c)
                                && model
                                    .risk_factors
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, rf)| rf.chain == c)
                                    .all(|(r, _)| a.risk_rr[r].to_bits() == b.risk_rr[r].to_bits())
                        }
                        Dim::Exposure(e) => {
                            let home = arm.home[dim];
                            super::same_intervention(a, b, arm.interventions[e])
                                && (home == bi || same[arm.blocks[home].key] == Some(true))
                        }
                    };
            }
            same[blk.key] = Some(ok);
        }
    }
    cache.iter().zip(&same).map(|(c, s)| if *s == Some(true) { c.clone() } else { None }).collect()
}

/// Simulate block `bi` of the arm of `k` over the horizon, taking areas its
/// interventions do not reach from `cache` where the neutral block is there.
fn simulate_block(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports the features enabled on the callee.
            return unsafe { simulate_block_avx512(d, k, bi, cache) };
        }
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { simulate_block_avx2(d, k, bi, cache) };
        }
    }
    simulate_block_impl(d, k, bi, cache)
}

// The same code compiled for wider vector units, chosen at run time so the
// binary stays portable. Rust never fuses a multiply and an add on its own,
// so every instruction set gives the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn simulate_block_avx512(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    simulate_block_impl(d, k, bi, cache)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn simulate_block_avx2(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    simulate_block_impl(d, k, bi, cache)
}

#[inline(always)]
fn simulate_block_impl(d: &DrawShared<'_>, k: &Kernel<'_>, bi: usize, cache: &[Option<BlockOut>]) -> BlockOut {
    let model = d.model;
    let s = &model.settings;
    let lay = d.lay;
    let runs = &d.plan.age_runs;
    let n_ages = s.n_ages();
    let max = s.max_age;
    let sexes = model.sexes;
    let n_areas = model.areas.len();
    let n_groups = n_areas * sexes;
    let arm = k.arm;
    let b = &arm.blocks[bi];
    let size = b.size;
    let deaths = model.chains.iter().any(|c| c.has_death());
    let owner = deaths && bi == 0;
    let mut acc = Acc::new(n_areas, s.horizon, lay);

    // Areas taken from the neutral block (simulated earlier in this draw). The
    // block that keeps the population simulates every area, so its record is whole.
    let borrowed: Vec<Option<&BlockOut>> = (0..n_areas)
        .map(|a| {
            if owner || !d.reuse {
                None
            } else {
                b.neutral[a].filter(|&n| n != b.key).and_then(|n| cache[n].as_ref())
            }
        })
        .collect();
    let simulate: Vec<bool> = borrowed.iter().map(|x| x.is_none()).collect();
    let groups: Vec<usize> = (0..n_groups).filter(|&gi| simulate[gi / sexes]).collect();

    // The population record this block follows (or builds, as owner).
    let mut own_rec = PopRecord { keep: Vec::new(), births: Vec::new() };
    let follow: Option<&PopRecord> = if owner {
        None
    } else if deaths {
        cache[arm.blocks[0].key].as_ref().and_then(|o| o.pop.as_ref())
    } else {
        d.demography.as_ref().map(|(_, r)| r)
    };
    let mut population = owner.then(|| Population::new(model));

    // Participation shares of exposures whose home is another block.
    let mut shares: Vec<(usize, Vec<f64>)> = vec![];
    let n_expo = arm.interventions.len();
    let mut f_from: Vec<Option<&[f64]>> = vec![None; n_expo];
    for &pe in &b.exposures {
        let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
        let home = arm.home[b.dims[pe]];
        if home != bi {
            let iv = arm.interventions[e];
            let o = cache[arm.blocks[home].key].as_ref().expect("an exposure's home block is simulated first");
            let (_, v) = o.shares.iter().find(|(i, _)| *i == iv).expect("the home block records the exposure's shares");
            f_from[e] = Some(v.as_slice());
        } else {
            shares.push((arm.interventions[e], Vec::with_capacity(s.horizon)));
        }
    }

    let mut entries = Entries::new(n_areas, n_ages);
    // Start population: each chain's initial distribution, independently.
    let mut mass = vec![0.0; n_groups * size * n_ages];
    for &gi in &groups {
        let (a, sex) = (gi / sexes, gi % sexes);
        for age in 0..n_ages {
            let n = model.areas[a].population[sex][age];
            if n == 0.0 {
                continue;
            }
            let e = entries.get(k, b, a, age);
            let m = &mut mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            for x in 0..size {
                m[x * n_ages + age] = n * e[x];
            }
        }
    }

    let death_chains: Vec<usize> = (0..model.chains.len()).filter(|&c| model.chains[c].has_death()).collect();
    let dead: Vec<bool> =
        (0..size).map(|x| death_chains.iter().any(|&dc| model.chains[dc].death[b.state(x, b.pos_of[dc])])).collect();
    // Per age run, whether joint state x can hold anybody: a chain outside its
    // ages holds everyone in state 0.
    let possible: Vec<Vec<bool>> = runs
        .iter()
        .map(|&(lo, _)| {
            (0..size)
                .map(|x| {
                    b.dims.iter().enumerate().all(|(p, &dim)| match arm.dims[dim] {
                        Dim::Chain(c) => model.chains[c].in_range(lo) || b.state(x, p) == 0,
                        Dim::Exposure(_) => true,
                    })
                })
                .collect()
        })
        .collect();
    // The context of every chain row depends only on the joint state and the
    // age run: `contexts[pos][run][base index]`.
    let contexts: Vec<Vec<Vec<usize>>> = (0..b.dims.len())
        .map(|p| match arm.dims[b.dims[p]] {
            Dim::Chain(c) => runs
                .iter()
                .map(|&(lo, _)| {
                    b.bases[p]
                        .iter()
                        .map(|&base| {
                            let st = |dd: usize| b.state(base, b.pos_of[dd]);
                            k.context(c, lo, &st, &|e| st(arm.exposure_dim(e)))
                        })
                        .collect()
                })
                .collect(),
            Dim::Exposure(_) => vec![],
        })
        .collect();
    // Transition coefficients of every chain step, `[base][from][to]` per
    // (chain position, run, matrix), shared by the areas with the same matrix:
    // `table_of[(chain index * runs + run) * areas + area]`.
    let mut tables: Vec<Vec<f64>> = vec![];
    let mut table_of = vec![usize::MAX; b.chain_order.len() * runs.len() * n_areas];
    for (ci, &pc) in b.chain_order.iter().enumerate() {
        let Dim::Chain(c) = arm.dims[b.dims[pc]] else { unreachable!("chain position") };
        let n = b.sizes[pc];
        for (ri, &(lo0, _)) in runs.iter().enumerate() {
            if !model.chains[c].in_range(lo0) {
                continue;
            }
            let mut built: Vec<(usize, usize)> = vec![];
            for a in (0..n_areas).filter(|&a| simulate[a]) {
                let mi = k.matrix(c, a, lo0);
                let ti = match built.iter().find(|&&(m, _)| m == mi) {
                    Some(&(_, ti)) => ti,
                    None => {
                        let mut t = Vec::with_capacity(b.bases[pc].len() * n * n);
                        for &ctx in &contexts[pc][ri] {
                            for from in 0..n {
                                t.extend_from_slice(k.cached_row(c, mi, ctx, from));
                            }
                        }
                        tables.push(t);
                        built.push((mi, tables.len() - 1));
                        tables.len() - 1
                    }
                };
                table_of[(ci * runs.len() + ri) * n_areas + a] = ti;
            }
        }
    }
    // Which joint states are in each exposure's target group, per (exposure
    // index, run, area): `target_x[(xi * runs + run) * areas + area][x]`.
    let target_x: Vec<Vec<bool>> = (0..b.exposures.len())
        .flat_map(|xi| {
            let Dim::Exposure(e) = arm.dims[b.dims[b.exposures[xi]]] else { unreachable!("exposure position") };
            runs.iter().flat_map(move |&(lo0, _)| {
                (0..n_areas)
                    .map(move |a| (0..size).map(|x| k.in_target(e, a, lo0, &|ch| b.state(x, b.pos_of[ch]))).collect())
            })
        })
        .collect();
    // Home chains in the order the snapshot reads them.
    // Grouped by age range (each chain writes only its own counts, so the
    // order of chains does not matter), so each range is summed once.
    let mut home_chains: Vec<usize> = (0..model.chains.len()).filter(|&c| arm.home[c] == bi).collect();
    home_chains.sort_by_key(|&c| (model.chains[c].age_lo, model.chains[c].age_hi, c));
    let mut sums = vec![0.0; size];
    let mut scratch = Vec::new();
    let mut col = vec![0.0; n_ages];
    let mut madds = 0u64;
    // Participation shares per year of this block's exposures, the states
    // that can hold anybody this year, and per run the joint states that can.
    let mut f_hist: Vec<Vec<f64>> = vec![Vec::with_capacity(s.horizon); n_expo];
    let max_ne = b.exposures.iter().map(|&pe| b.sizes[pe]).max().unwrap_or(0);
    let mut live_now = vec![true; b.exposures.len() * max_ne];
    let mut live_x: Vec<Vec<bool>> = possible.clone();
    let mut survive = vec![0.0; n_ages];
    let mut arrival_ages: Vec<usize> = Vec::with_capacity(n_ages);
    // Entry distributions `[joint state][age]` per area, for arrivals.
    let mut entry_cols: Vec<Option<Vec<f64>>> = vec![None; n_areas];

    for t in 0..s.horizon {
        let year = s.start_year + t as i32;
        let occ_of = |gi: usize| d.occupied[t * n_groups + gi];
        if let Some(p) = &population {
            p.start(d, t, &mut acc);
        }
        snapshot(d, b, &home_chains, &mass, &groups, &occ_of, &mut acc, t, true, &mut sums);

        // Participation shares from the target groups at the start of the year.
        let mut f = vec![0.0; n_expo];
        for &pe in &b.exposures {
            let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
            f[e] = match f_from[e] {
                Some(v) => v[t],
                None => {
                    let mut target = 0.0;
                    // Outside its years the share is 0 whatever the target group.
                    let active = model.interventions[arm.interventions[e]].active_in(year);
                    let xi = b.exposures.iter().position(|&p| p == pe).expect("exposure of the block");
                    for gi in (0..n_groups).filter(|_| active) {
                        if !simulate[gi / sexes] {
                            continue; // not reached by the intervention: nobody in its target group
                        }
                        let a = gi / sexes;
                        let m = &mass[gi * size * n_ages..(gi + 1) * size * n_ages];
                        for (ri, &(lo, hi)) in runs.iter().enumerate() {
                            let tx = &target_x[(xi * runs.len() + ri) * n_areas + a];
                            for x in (0..size).filter(|&x| tx[x]) {
                                target += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                            }
                        }
                    }
                    let fe = k.participation(e, year, target);
                    let iv = arm.interventions[e];
                    shares.iter_mut().find(|(i, _)| *i == iv).expect("home exposure").1.push(fe);
                    fe
                }
            };
        }

        // Which exposure states can hold anybody: state j ≥ 1 only if someone
        // joined j − 1 years ago (the share was positive then). Before this
        // year's exposure step the states are last year's.
        let mut expo_quiet = vec![false; b.exposures.len()];
        for (xi, &pe) in b.exposures.iter().enumerate() {
            let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
            f_hist[e].push(f[e]);
            let h = &f_hist[e];
            let live = |after: usize, j: usize| j == 0 || (after + 1 >= j && h[after + 1 - j] > 0.0);
            for j in 0..b.sizes[pe] {
                live_now[xi * max_ne + j] = live(t, j);
            }
            // Nobody joins and nobody is exposed yet: the step is the identity.
            let joins = f[e] > 0.0;
            expo_quiet[xi] = !joins && (1..b.sizes[pe]).all(|j| t == 0 || !live(t - 1, j));
        }
        for (ri, pr) in possible.iter().enumerate() {
            for x in 0..size {
                live_x[ri][x] =
                    pr[x] && b.exposures.iter().enumerate().all(|(xi, &pe)| live_now[xi * max_ne + b.state(x, pe)]);
            }
        }

        // Exposure steps as linear maps `[from][to]`: with joining (in the
        // target group) and without.
        let expo_coef: Vec<[Vec<f64>; 2]> = b
            .exposures
            .iter()
            .map(|&pe| {
                let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
                let ne = b.sizes[pe];
                let coef = |fx: f64| {
                    let mut c = vec![0.0; ne * ne];
                    for ex in 0..ne {
                        if fx > 0.0 {
                            c[ex * ne + 1] = fx;
                        }
                        // Joining is state 1, and no state progresses into 1, so
                        // no entry holds two terms.
                        c[ex * ne + k.progress(e, ex)] = 1.0 - fx;
                    }
                    c
                };
                [coef(f[e]), coef(0.0)]
            })
            .collect();

        for &gi in &groups {
            let a = gi / sexes;
            let occ = occ_of(gi);
            let q = acc.at(a, t);
            let m = &mut mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            // 1. Exposures: join this year, or move one year further from participation.
            for (xi, &pe) in b.exposures.iter().enumerate() {
                let Dim::Exposure(e) = arm.dims[b.dims[pe]] else { unreachable!("exposure position") };
                let stride = b.strides[pe];
                let ne = b.sizes[pe];
                let (join, rest) = (&expo_coef[xi][0], &expo_coef[xi][1]);
                for (ri, &(lo0, hi0)) in runs.iter().enumerate() {
                    if expo_quiet[xi] {
                        break;
                    }
                    let (lo, hi) = occ.clip(lo0, hi0);
                    if lo >= hi {
                        continue;
                    }
                    let target = &target_x[(xi * runs.len() + ri) * n_areas + a];
                    let bases = &b.bases[pe];
                    run_steps(
                        m,
                        &b.bases[pe],
                        &possible[ri],
                        ne,
                        (n_ages, stride * n_ages),
                        lo,
                        hi - lo,
                        &mut scratch,
                        |bn| {
                            if target[bases[bn]] {
                                join.as_slice()
                            } else {
                                rest.as_slice()
                            }
                        },
                    );
                }
                if arm.home[b.dims[pe]] == bi {
                    let iv = arm.interventions[e];
                    let (lo, hi) = occ.clip(0, n_ages);
                    for x in (0..size).filter(|&x| b.state(x, pe) == 1) {
                        q[lay.participants + iv] += m[x * n_ages + lo..x * n_ages + hi].iter().sum::<f64>();
                    }
                }
            }
            // 2. Chain transitions, children before parents.
            for (ci, &pc) in b.chain_order.iter().enumerate() {
                let Dim::Chain(c) = arm.dims[b.dims[pc]] else { unreachable!("chain position") };
                let ch = &model.chains[c];
                let home = arm.home[b.dims[pc]] == bi;
                let stride = b.strides[pc];
                let n = b.sizes[pc];
                for (ri, &(lo0, hi0)) in runs.iter().enumerate() {
                    if !ch.in_range(lo0) {
                        continue; // outside the chain's ages nothing moves
                    }
                    let (lo, hi) = occ.clip(lo0, hi0);
                    if lo >= hi {
                        continue;
                    }
                    let table = &tables[table_of[(ci * runs.len() + ri) * n_areas + a]];
                    if home {
                        row_sums(m, n_ages, size, lo, hi, &mut sums);
                        for (bn, &base) in b.bases[pc].iter().enumerate() {
                            if !live_x[ri][base] {
                                continue;
                            }
                            let p = &table[bn * n * n..(bn + 1) * n * n];
                            for from in 0..n {
                                let total = sums[base + from * stride];
                                if total == 0.0 {
                                    continue;
                                }
                                let r = &p[from * n..(from + 1) * n];
                                for (to, &pt) in r.iter().enumerate() {
                                    if pt != 0.0 && to != from {
                                        let flow = total * pt;
                                        q[lay.entries[c] + to] += flow;
                                        if from == ch.rest_state {
                                            q[lay.starts[c]] += flow;
                                        }
                                    }
                                }
                                for (kk, tc) in ch.transition_costs.iter().enumerate() {
                                    if tc.from == from {
                                        q[lay.tc[c] + kk] += total * r[tc.to];
                                    }
                                }
                            }
                        }
                    }
                    madds += run_steps(
                        m,
                        &b.bases[pc],
                        &live_x[ri],
                        n,
                        (n_ages, stride * n_ages),
                        lo,
                        hi - lo,
                        &mut scratch,
                        |bn| &table[bn * n * n..(bn + 1) * n * n],
                    );
                }
            }

            // 3. Deaths: death states (counted in the death block), then background mortality.
            let sex = gi % sexes;
            if deaths {
                if owner {
                    col.fill(0.0);
                    for x in (0..size).filter(|&x| dead[x]) {
                        let v = &m[x * n_ages..(x + 1) * n_ages];
                        let sum: f64 = v.iter().sum();
                        for &dc in &death_chains {
                            if model.chains[dc].death[b.state(x, b.pos_of[dc])] {
                                q[lay.chain_deaths[dc]] += sum;
                            }
                        }
                        for (c, &vv) in col.iter_mut().zip(v) {
                            *c += vv;
                        }
                    }
                }
                for x in (0..size).filter(|&x| dead[x]) {
                    m[x * n_ages..(x + 1) * n_ages].fill(0.0);
                }
            }
            if let Some(p) = population.as_mut() {
                p.deaths_and_migration(d, t, gi, deaths.then_some(&col[..]), &mut acc, &mut own_rec);
            }
            let m = &mut mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            // Background mortality, then net migration: one pass of shares kept
            // over every age, then arrivals at the few ages that have them.
            let qd = &k.vals.areas[a].q[sex];
            let mortality = qd.iter().any(|&x| x > 0.0);
            let rec = follow.unwrap_or(&own_rec);
            let keep = &rec.keep[(t * n_groups + gi) * n_ages..(t * n_groups + gi + 1) * n_ages];
            let nm = &k.vals.areas[a].migration[sex];
            let (lo, hi) = occ.clip(0, n_ages);
            arrival_ages.clear();
            for age in lo..hi {
                survive[age] = if mortality { 1.0 - qd[age] } else { 1.0 };
                if keep[age] == 1.0 && nm[age] > 0.0 {
                    arrival_ages.push(age);
                }
            }
            // Shares kept: survival, then (where people leave) emigration, each
            // a multiplication of its own, in that order.
            for x in 0..size {
                let row = &mut m[x * n_ages + lo..x * n_ages + hi];
                if mortality {
                    for ((v, &sv), &kp) in row.iter_mut().zip(&survive[lo..hi]).zip(&keep[lo..hi]) {
                        *v = *v * sv * kp;
                    }
                } else {
                    for (v, &kp) in row.iter_mut().zip(&keep[lo..hi]) {
                        *v *= kp;
                    }
                }
            }
            // Arrivals (where nobody leaves), with the entry distribution.
            if !arrival_ages.is_empty() {
                let ent = entry_cols[a].get_or_insert_with(|| {
                    let mut t = vec![0.0; size * n_ages];
                    for age in 0..n_ages {
                        for (x, &v) in entries.get(k, b, a, age).iter().enumerate() {
                            t[x * n_ages + age] = v;
                        }
                    }
                    t
                });
                for x in 0..size {
                    for &age in &arrival_ages {
                        m[x * n_ages + age] += nm[age] * ent[x * n_ages + age];
                    }
                }
            }
        }
        if let Some(p) = &population {
            p.end(d, t, &mut acc);
        }
        snapshot(d, b, &home_chains, &mass, &groups, &occ_of, &mut acc, t, false, &mut sums);

        // 5. Births (from the end-of-year population) and ageing.
        if let Some(p) = population.as_mut() {
            p.births_and_ageing(d, t, &mut acc, &mut own_rec);
        }
        let rec = follow.unwrap_or(&own_rec);
        for &gi in &groups {
            let a = gi / sexes;
            let births = rec.births[t * n_groups + gi];
            let occ = occ_of(gi); // before ageing
            let e0 = if births > 0.0 { Some(entries.get(k, b, a, 0).to_vec()) } else { None };
            let m = &mut mass[gi * size * n_ages..(gi + 1) * size * n_ages];
            // Those about to enter or leave a chain's ages are reset before the shift.
            for (pos, &dd) in b.dims.iter().enumerate() {
                if let Dim::Chain(c) = arm.dims[dd] {
                    let ch = &model.chains[c];
                    if ch.age_lo >= 1 {
                        let row = &k.vals.chains[c].initial[ch.initial_for[a * n_ages + ch.age_lo] as usize];
                        reset_column(b, pos, m, n_ages, ch.age_lo - 1, Some(row));
                    }
                    if ch.age_hi < max {
                        reset_column(b, pos, m, n_ages, ch.age_hi, None);
                    }
                }
            }
            for x in 0..size {
                let newborn = e0.as_ref().map_or(0.0, |e| births * e[x]);
                shift_up(&mut m[x * n_ages..(x + 1) * n_ages], max, occ, newborn);
            }
        }
    }

    // Areas not simulated: the neutral block's numbers.
    let per_area = s.horizon * acc.n;
    for (a, src) in borrowed.iter().enumerate() {
        if let Some(o) = src {
            acc.data[a * per_area..(a + 1) * per_area].copy_from_slice(&o.acc.data[a * per_area..(a + 1) * per_area]);
        }
    }
    let pop = owner.then_some(own_rec);
    BlockOut { acc, shares, pop, madds }
}

/// One linear step of every possible joint index in `bases` over ages
/// `lo..lo + len`: the `n` states of a joint index (row `base`, rows of
/// `n_ages`), `stride` elements apart, are replaced by `coef(base index)ᵀ ·` themselves, where
/// `coef` gives `[from][to]`. Returns the multiply-adds done.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn run_steps<'c>(
    m: &mut [f64],
    bases: &[usize],
    possible: &[bool],
    n: usize,
    (n_ages, stride): (usize, usize),
    lo: usize,
    len: usize,
    scratch: &mut Vec<f64>,
    coef: impl Fn(usize) -> &'c [f64],
) -> u64 {
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

/// Record chain occupancy of the block's home chains at the start or end of year `t`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn snapshot(
    d: &DrawShared<'_>,
    b: &Block,
    home_chains: &[usize],
    mass: &[f64],
    groups: &[usize],
    occ_of: &dyn Fn(usize) -> Occupied,
    acc: &mut Acc,
    t: usize,
    start: bool,
    sums: &mut [f64],
) {
    let model = d.model;
    let lay = d.lay;
    let n_ages = model.settings.n_ages();
    let size = b.size;
    for &gi in groups {
        let a = gi / model.sexes;
        let occ = occ_of(gi);
        let q = acc.at(a, t);
        let m = &mass[gi * size * n_ages..(gi + 1) * size * n_ages];
        // One pass over the block per distinct age range of the chains read from it.
        let mut range = (usize::MAX, 0);
        for &c in home_chains {
            let ch = &model.chains[c];
            if range != (ch.age_lo, ch.age_hi) {
                range = (ch.age_lo, ch.age_hi);
                let (lo, hi) = occ.clip(range.0, range.1 + 1);
                row_sums(m, n_ages, size, lo, hi, sums);
            }
            let p = b.pos_of[c];
            let off = if start { lay.occ_start[c] } else { lay.occ_end[c] };
            for (x, &v) in sums.iter().enumerate() {
                q[off + b.state(x, p)] += v;
            }
        }
    }
}
