//! The lazy yearly series of the summariser (see the module docs of
//! [`crate::summary`]): how one draw's values of a (year, measure) column are
//! computed from its ledgers, and the per-series state that builds its
//! accumulators only when a value breaks the pattern.

use crate::runner::DrawResult;
use crate::stats::{P2Quantile, Welford};

/// Columns summarised by one parallel task: enough to amortise the task, few
/// enough for both threads to get work on the smallest models.
pub(super) const COLUMNS_PER_TASK: usize = 8;

/// How one draw's values of a column are computed from its ledgers.
pub(super) struct ValueLayout<'a> {
    pub(super) n_scen: usize,
    pub(super) n_slots: usize,
    /// Ledger measures.
    pub(super) nm: usize,
    /// Yearly measures: ledger measures, then prevalences.
    pub(super) nym: usize,
    pub(super) prevalence: &'a [(usize, usize)],
}

impl ValueLayout<'_> {
    /// Level of `arm` in area slot `slot` (the last is the city total), year
    /// `t`, yearly measure `ym`, computed exactly as a row of levels: totals
    /// summed over areas in order from 0, prevalence as a ratio of totals.
    #[inline]
    fn level(&self, r: &DrawResult, arm: usize, slot: usize, t: usize, ym: usize) -> f64 {
        let l = &r.arms[arm];
        let n_areas = self.n_slots - 1;
        let get = |m: usize| {
            if slot < n_areas {
                l.data[l.idx(slot, t, m)]
            } else {
                let mut s = 0.0;
                for a in 0..n_areas {
                    s += l.data[l.idx(a, t, m)];
                }
                s
            }
        };
        if ym < self.nm {
            get(ym)
        } else {
            let (active, py) = self.prevalence[ym - self.nm];
            let den = get(active);
            if den == 0.0 {
                0.0
            } else {
                get(py) / den
            }
        }
    }

    /// Every series value of column (`t`, `ym`) of draw `r`, by local index
    /// `contrast * n_slots + slot` (levels of each arm, then differences).
    pub(super) fn values(&self, r: &DrawResult, t: usize, ym: usize, out: &mut [f64]) {
        let ns = self.n_slots;
        for arm in 0..=self.n_scen {
            for slot in 0..ns {
                out[arm * ns + slot] = self.level(r, arm, slot, t, ym);
            }
        }
        for s in 0..self.n_scen {
            let c = 1 + self.n_scen + s;
            for slot in 0..ns {
                out[c * ns + slot] = out[(1 + s) * ns + slot] - out[slot];
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Lazy yearly series
// ---------------------------------------------------------------------------

/// Where a yearly series stands. Most series never need their accumulators:
/// many are exactly constant (e.g. a cost no scenario touches: its difference
/// is 0.0 in every draw), and a scenario's level often equals the
/// nulalternatief's bit for bit. Such series cost a comparison per draw; their
/// [`Welford`] and [`P2Quantile`] states are only built when a value breaks
/// the pattern, by replaying the values seen so far, so every state (and so
/// every output byte) is exactly what pushing every value would give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum SeriesState {
    /// Every value so far had the same bits as its leader's value in the same
    /// draw (or both were `NaN`): the leader's state is this series' state.
    Follow,
    /// Every non-missing value so far had the bits `bits` (meaningless before
    /// the first one); the count of non-missing values is the number of draws
    /// so far minus `missing`.
    Const { bits: u64, missing: u64 },
    /// Accumulators built: `Column::welford[i]` and the sketches
    /// `Column::sketches[i * K..(i + 1) * K]` (K quantiles).
    Full(u32),
}

/// The series of one (year, yearly measure) column: every contrast and area
/// slot, local index `contrast * n_slots + slot`. Keeping them together lets a
/// follower be compared with its leader in the same draw, and keeps one
/// column's accumulators in cache while a chunk of draws is pushed.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) states: Vec<SeriesState>,
    pub(super) welford: Vec<Welford>,
    pub(super) sketches: Vec<P2Quantile>,
}

/// Which series follow which, the same in every column.
#[derive(Debug, Clone)]
pub(super) struct ColumnShape {
    pub(super) n_contrasts: usize,
    /// By local index: the series this one starts as a copy of.
    pub(super) leader: Vec<Option<usize>>,
    /// Local indices with every follower before its leader, so a follower that
    /// breaks away copies its leader's state from before this draw.
    pub(super) order: Vec<usize>,
}

impl ColumnShape {
    /// A scenario's level follows the nulalternatief's level in the same slot;
    /// with a single area, the city total follows that area (same contrast).
    pub(super) fn new(n_scen: usize, n_slots: usize) -> Self {
        let n_contrasts = 1 + 2 * n_scen;
        let total = n_slots - 1;
        let leader: Vec<Option<usize>> = (0..n_contrasts * n_slots)
            .map(|li| {
                let (c, slot) = (li / n_slots, li % n_slots);
                if n_slots == 2 && slot == total {
                    Some(c * n_slots)
                } else if (1..=n_scen).contains(&c) {
                    Some(slot)
                } else {
                    None
                }
            })
            .collect();
        let depth = |mut li: usize| {
            let mut d = 0;
            while let Some(l) = leader[li] {
                li = l;
                d += 1;
            }
            d
        };
        let mut order: Vec<usize> = (0..leader.len()).collect();
        order.sort_by_key(|&li| std::cmp::Reverse(depth(li)));
        ColumnShape { n_contrasts, leader, order }
    }

    pub(super) fn len(&self) -> usize {
        self.leader.len()
    }
}

/// `x` and `y` would leave a series in the same state (same bits, or both missing).
#[inline]
fn same(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}

impl Column {
    pub(super) fn new(shape: &ColumnShape) -> Self {
        let states = shape
            .leader
            .iter()
            .map(|l| match l {
                Some(_) => SeriesState::Follow,
                None => SeriesState::Const { bits: 0, missing: 0 },
            })
            .collect();
        Column { states, welford: vec![], sketches: vec![] }
    }

    /// The state that holds series `li`'s statistics (its own, or a leader's).
    pub(super) fn effective(&self, shape: &ColumnShape, mut li: usize) -> SeriesState {
        loop {
            match self.states[li] {
                SeriesState::Follow => li = shape.leader[li].expect("a follower has a leader"),
                st => return st,
            }
        }
    }

    /// Push one draw: `vals` by local index, `seen` draws already pushed.
    #[inline]
    pub(super) fn push(&mut self, shape: &ColumnShape, vals: &[f64], seen: u64, quantiles: &[f64]) {
        for &li in &shape.order {
            let x = vals[li];
            if self.states[li] == SeriesState::Follow {
                let leader = shape.leader[li].expect("a follower has a leader");
                if same(x, vals[leader]) {
                    continue;
                }
                self.states[li] = match self.effective(shape, leader) {
                    SeriesState::Full(i) => {
                        let k = quantiles.len();
                        let i = i as usize;
                        self.welford.push(self.welford[i]);
                        self.sketches.extend_from_within(i * k..(i + 1) * k);
                        SeriesState::Full((self.welford.len() - 1) as u32)
                    }
                    st => st,
                };
            }
            self.push_own(li, x, seen, quantiles);
        }
    }

    /// Push `x` into series `li`, which has a state of its own.
    #[inline]
    pub(super) fn push_own(&mut self, li: usize, x: f64, seen: u64, quantiles: &[f64]) {
        let k = quantiles.len();
        match &mut self.states[li] {
            SeriesState::Const { bits, missing } => {
                if x.is_nan() {
                    *missing += 1;
                } else if seen == *missing || *bits == x.to_bits() {
                    *bits = x.to_bits();
                } else {
                    let (w, q) = materialise(f64::from_bits(*bits), seen - *missing, *missing, quantiles);
                    self.welford.push(w);
                    self.sketches.extend(q);
                    let i = self.welford.len() - 1;
                    self.states[li] = SeriesState::Full(i as u32);
                    push_full(&mut self.welford[i], &mut self.sketches[i * k..(i + 1) * k], x);
                }
            }
            SeriesState::Full(i) => {
                let i = *i as usize;
                push_full(&mut self.welford[i], &mut self.sketches[i * k..(i + 1) * k], x);
            }
            SeriesState::Follow => unreachable!("push_own on a follower"),
        }
    }

    /// Final Welford state of series `li` after `draws` draws; its quantile
    /// estimates go to `est`.
    pub(super) fn finals(
        &self,
        shape: &ColumnShape,
        li: usize,
        draws: u64,
        quantiles: &[f64],
        est: &mut [f64],
    ) -> Welford {
        let k = quantiles.len();
        match self.effective(shape, li) {
            SeriesState::Full(i) => {
                let i = i as usize;
                for (e, q) in est.iter_mut().zip(&self.sketches[i * k..(i + 1) * k]) {
                    *e = q.estimate();
                }
                self.welford[i]
            }
            SeriesState::Const { bits, missing } => {
                let (c, n) = (f64::from_bits(bits), draws - missing);
                if let Some(w) = Welford::constant(c, n, missing) {
                    // Every P² estimate of a constant finite value is that value.
                    est.fill(if n == 0 { f64::NAN } else { c });
                    w
                } else {
                    let (w, q) = materialise(c, n, missing, quantiles);
                    for (e, q) in est.iter_mut().zip(&q) {
                        *e = q.estimate();
                    }
                    w
                }
            }
            SeriesState::Follow => unreachable!("effective state of a follower"),
        }
    }
}

/// The accumulators after `n` pushes of `c` and `missing` pushes of `NaN`.
pub(super) fn materialise(c: f64, n: u64, missing: u64, quantiles: &[f64]) -> (Welford, Vec<P2Quantile>) {
    let mut w = Welford::new();
    let mut q: Vec<P2Quantile> = quantiles.iter().map(|&p| P2Quantile::new(p)).collect();
    for _ in 0..n {
        w.push(c);
    }
    for s in &mut q {
        for _ in 0..n {
            s.push(c);
        }
    }
    w.set_missing(missing);
    (w, q)
}

#[inline]
pub(super) fn push_full(w: &mut Welford, sketches: &mut [P2Quantile], x: f64) {
    w.push(x);
    for q in sketches {
        q.push(x);
    }
}
