//! Random-number streams keyed by (seed, draw, purpose, index).
//!
//! Every random number in a run comes from a stream derived from the run seed,
//! the draw number, what the numbers are for ([`Purpose`]) and an index (the
//! year, say). Streams never depend on the thread that runs the draw, so a run
//! gives bit-identical results on any number of threads, and a shard of draws
//! on another machine gives exactly the draws of a single run.
//!
//! The generator is xoshiro256++ ([`rand_xoshiro::Xoshiro256PlusPlus`]), seeded
//! by SplitMix64 from the key; the name is recorded in every run manifest.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Name of the PRNG and seeding scheme, written to the manifest.
pub const PRNG_NAME: &str = "xoshiro256++ (rand_xoshiro 0.7) seeded by SplitMix64 over (seed, draw, purpose, FNV-1a of the parameter name) for parameters; person-level chance from a counter-based SplitMix64/fmix64 hash of (seed, draw, year, person id, slot)";

/// The generator type used everywhere.
pub type Prng = Xoshiro256PlusPlus;

/// What a stream's numbers are used for; part of the stream key so that, for
/// instance, adding a parameter never shifts the person-level chance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Sampling the uncertain parameters of a draw.
    Parameters = 1,
    /// Rounding the start population to whole people (stochastic mode).
    Population = 2,
    /// Person-level chance in one simulated year (index = year).
    Year = 3,
    /// Samples for the quantiles of the one-way sensitivity analysis
    /// ([`crate::sensitivity`]; index = FNV-1a of the parameter name, seed and
    /// draw 0), so they do not depend on the run's seed.
    Sensitivity = 4,
    /// Test streams.
    Test = 99,
    /// Bootstrap resamples of the Sobol indices ([`crate::decision::sobol`];
    /// draw = resample number, index 0), keyed by the analysis seed.
    SobolBootstrap = 5,
    /// Normal deviates for the standard error of an EVPPI estimate
    /// ([`crate::decision::voi`]; draw = sample, index = arm).
    EvppiStandardError = 6,
}

#[inline]
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for `(seed, draw, purpose, index)`.
pub fn stream(seed: u64, draw: u64, purpose: Purpose, index: u64) -> Prng {
    // Absorb the key words one at a time through SplitMix64 so that nearby keys
    // give unrelated states.
    let mut h = seed;
    let mut acc = splitmix64(&mut h);
    for w in [draw, purpose as u64, index] {
        h ^= w.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ acc;
        acc = splitmix64(&mut h);
    }
    let mut bytes = [0u8; 32];
    let mut s = acc;
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut s).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// A 64-bit key for (seed, draw, purpose, index), for counter-based uniforms.
pub fn key(seed: u64, draw: u64, purpose: Purpose, index: u64) -> u64 {
    use rand::RngCore;
    stream(seed, draw, purpose, index).next_u64()
}

#[inline]
fn fmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    z ^ (z >> 33)
}

/// A counter-based uniform in [0, 1): the same (key, id, slot) always gives
/// the same number, so person `id` sees the same chance in every arm of a draw
/// (common random numbers) however the arms' populations diverge.
#[inline]
pub fn hash_uniform(key: u64, id: u64, slot: u64) -> f64 {
    hash_bits(key, id, slot) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The 53 random bits behind [`hash_uniform`]:
/// `hash_uniform(key, id, slot) == hash_bits(key, id, slot) as f64 * 2⁻⁵³`.
#[inline]
pub fn hash_bits(key: u64, id: u64, slot: u64) -> u64 {
    hash_bits_word(key, id_word(id).wrapping_add(slot_word(slot)))
}

/// The part of [`hash_bits`]' input that depends on the person id; add a
/// [`slot_word`] (wrapping) and pass the sum to [`hash_bits_word`].
#[inline]
pub fn id_word(id: u64) -> u64 {
    id.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x2545_F491_4F6C_DD1D)
}

/// The part of [`hash_bits`]' input that depends on the slot.
#[inline]
pub fn slot_word(slot: u64) -> u64 {
    slot.wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

/// [`hash_bits`] from `id_word(id).wrapping_add(slot_word(slot))`.
#[inline]
pub fn hash_bits_word(key: u64, word: u64) -> u64 {
    fmix64(key ^ fmix64(word)) >> 11
}

/// The integer threshold of a probability: for every 53-bit `m`,
/// `m < below(p)` exactly when `m as f64 * 2⁻⁵³ < p`, so
/// `hash_bits(k, i, s) < below(p)` decides exactly as `hash_uniform(k, i, s) < p`.
#[inline]
pub fn below(p: f64) -> u64 {
    // Scaling by a power of two is exact, and for an integer m, m < t ⇔ m < ⌈t⌉.
    let t = p * (1u64 << 53) as f64;
    if t >= (1u64 << 53) as f64 {
        1u64 << 53
    } else if t > 0.0 {
        t.ceil() as u64
    } else {
        0 // also NaN: `u < NaN` is false
    }
}

/// A uniform in [0, 1) from 53 random bits.
#[inline]
pub fn uniform(rng: &mut Prng) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn streams_differ_by_every_key_part() {
        let base = stream(7, 0, Purpose::Year, 0).next_u64();
        assert_ne!(base, stream(8, 0, Purpose::Year, 0).next_u64());
        assert_ne!(base, stream(7, 1, Purpose::Year, 0).next_u64());
        assert_ne!(base, stream(7, 0, Purpose::Parameters, 0).next_u64());
        assert_ne!(base, stream(7, 0, Purpose::Year, 1).next_u64());
        assert_eq!(base, stream(7, 0, Purpose::Year, 0).next_u64());
    }

    /// Pins the first outputs so a change of generator or seeding is caught.
    #[test]
    fn value_stability() {
        let mut r = stream(7, 0, Purpose::Year, 0);
        let got = [r.next_u64(), r.next_u64()];
        assert_eq!(got, PINNED, "got {got:?}");
    }

    const PINNED: [u64; 2] = [7330452962751235414, 13136412763081886469];

    #[test]
    fn hash_uniforms_are_uniform_and_uncorrelated_across_neighbouring_ids() {
        let k = key(3, 4, Purpose::Year, 5);
        let n = 200_000u64;
        let (mut s, mut sxy) = (0.0, 0.0);
        for id in 0..n {
            let u = hash_uniform(k, id, 7);
            let v = hash_uniform(k, id + 1, 7);
            s += u;
            sxy += (u - 0.5) * (v - 0.5);
        }
        let se = (1.0 / 12.0 / n as f64).sqrt();
        assert!((s / n as f64 - 0.5).abs() < 4.0 * se);
        // Covariance of independent uniforms: 0 with sd 1/12/sqrt(n).
        assert!((sxy / n as f64).abs() < 4.0 / 12.0 / (n as f64).sqrt());
    }

    #[test]
    fn integer_thresholds_decide_as_the_uniform_comparison() {
        let mut r = stream(5, 6, Purpose::Test, 7);
        let scale = 1.0 / (1u64 << 53) as f64;
        let mut ps = vec![0.0, -0.0, -1.0, 1.0, 2.0, f64::NAN, f64::INFINITY, f64::MIN_POSITIVE, 1e-300, scale, 0.5];
        ps.extend((0..2000).map(|_| uniform(&mut r)));
        ps.extend((0..200).map(|_| 1.0 - uniform(&mut r) * 1e-12));
        for &p in &ps {
            let b = below(p);
            let t = (p * (1u64 << 53) as f64).max(0.0);
            let near = if t.is_finite() { t as u64 } else { 0 };
            let mut ms: Vec<u64> = vec![0, 1, (1 << 53) - 1, (1 << 53) - 2, b.saturating_sub(1), b, b + 1];
            ms.extend([near.saturating_sub(1), near, near + 1]);
            ms.extend((0..50).map(|_| r.next_u64() >> 11));
            for m in ms.into_iter().filter(|&m| m < 1 << 53) {
                assert_eq!(m < b, (m as f64 * scale) < p, "p {p} m {m}");
            }
        }
        let k = key(1, 2, Purpose::Year, 3);
        for id in 0..1000 {
            for slot in [0, 5, 1_000, 2_000, 3_008] {
                let w = id_word(id).wrapping_add(slot_word(slot));
                assert_eq!(hash_uniform(k, id, slot), hash_bits_word(k, w) as f64 * scale);
            }
        }
    }

    #[test]
    fn uniforms_lie_in_unit_interval_with_mean_one_half() {
        let mut r = stream(1, 2, Purpose::Test, 3);
        let n = 100_000;
        let mut s = 0.0;
        for _ in 0..n {
            let u = uniform(&mut r);
            assert!((0.0..1.0).contains(&u));
            s += u;
        }
        // sd of the mean = sqrt(1/12 / n)
        assert!((s / n as f64 - 0.5).abs() < 4.0 * (1.0 / 12.0 / n as f64).sqrt());
    }
}
