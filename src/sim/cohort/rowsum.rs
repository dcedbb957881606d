//! Row sums of a block's matrix over a run of ages, in portable code and with
//! AVX-512: the sums the chain steps count flows from and the snapshots count
//! occupancy from.

/// `out[x] = Σ m[x * n_ages + age]` over `age` in `lo..hi`, each sum formed in
/// age order (bit-identical to a sequential sum), for the joint states `xs`.
/// The loop runs over states inside ages so the additions of different states
/// overlap instead of waiting on each other.
#[inline(always)]
pub(super) fn row_sums(m: &[f64], n_ages: usize, size: usize, lo: usize, hi: usize, out: &mut [f64]) {
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
