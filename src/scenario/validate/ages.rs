//! Age bands ("18-64", "7") wherever a section takes one: parsed within the
//! model's or a chain's ages, lists of bands checked for overlaps, and the
//! coverage check for lists that must give every age.

use std::ops::Range;

use toml::Spanned;

use super::V;
use crate::scenario::file::SString;

/// An age band, inclusive: (first age, last age).
pub(super) type Band = (usize, usize);

/// Parse an age band "lo-hi" (inclusive) or "a" (no range check).
pub(super) fn parse_band(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        let t = t.trim();
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    match s.split_once('-') {
        Some((a, b)) => Some((num(a)?, num(b)?)),
        None => num(s).map(|a| (a, a)),
    }
}

/// "0-17, 65, 70-80": a compact list of ages for messages.
fn age_ranges(ages: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ages.len() {
        let mut j = i;
        while j + 1 < ages.len() && ages[j + 1] == ages[j] + 1 {
            j += 1;
        }
        out.push(if i == j { ages[i].to_string() } else { format!("{}-{}", ages[i], ages[j]) });
        i = j + 1;
    }
    out.join(", ")
}

/// A band as the user writes it: "7" or "18-64".
pub(super) fn band_str((lo, hi): Band) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}-{hi}")
    }
}

impl V<'_> {
    /// An age band inside `lo..=hi` (the chain's or model's age range).
    pub(super) fn band(&mut self, f: usize, s: &SString, field: &str, within: Band, range_name: &str) -> Option<Band> {
        let text = s.get_ref();
        let Some((lo, hi)) = parse_band(text) else {
            self.err(f, s.span(), field, format!("age band \"{text}\" is not valid: write \"lo-hi\" (inclusive, e.g. \"18-64\") or a single age like \"7\""));
            return None;
        };
        if lo > hi {
            self.err(
                f,
                s.span(),
                field,
                format!("empty age range {lo}-{hi}: the first age must not be above the last"),
            );
            return None;
        }
        let (wlo, whi) = (within.0 as i64, within.1 as i64);
        if lo < wlo || hi > whi {
            self.err(f, s.span(), field, format!("ages {text} lie outside {range_name} {}", band_str(within)));
            return None;
        }
        Some((lo as usize, hi as usize))
    }

    /// An optional `ages` key: the whole of `within` when absent or invalid
    /// (an invalid band is reported).
    pub(super) fn band_or_all(
        &mut self,
        f: usize,
        s: Option<&SString>,
        field: &str,
        within: Band,
        range_name: &str,
    ) -> Band {
        match s {
            None => within,
            Some(a) => self.band(f, a, field, within, range_name).unwrap_or(within),
        }
    }

    /// The `ages` of every entry of a list (`{prefix}[i].ages`), parsed within
    /// the model's ages, with overlaps reported. None where a band is invalid.
    pub(super) fn entry_bands<T>(
        &mut self,
        f: usize,
        list: &[Spanned<T>],
        ages: impl Fn(&T) -> &SString,
        prefix: &str,
        within: Band,
        range_name: &str,
    ) -> Vec<Option<Band>> {
        let bands: Vec<(&SString, String)> =
            list.iter().enumerate().map(|(i, e)| (ages(e.get_ref()), format!("{prefix}[{i}].ages"))).collect();
        self.band_list(f, &bands, within, range_name)
    }

    /// Parse a list of bands and report overlaps. Returns the bands (None where invalid).
    fn band_list(
        &mut self,
        f: usize,
        bands: &[(&SString, String)],
        within: Band,
        range_name: &str,
    ) -> Vec<Option<Band>> {
        let mut out: Vec<Option<Band>> = Vec::with_capacity(bands.len());
        for (s, field) in bands {
            let b = self.band(f, s, field, within, range_name);
            if let Some((lo, hi)) = b {
                if let Some(j) = out.iter().position(|o| matches!(o, Some((l2, h2)) if lo <= *h2 && *l2 <= hi)) {
                    let other = out[j].map(band_str).unwrap_or_default();
                    self.err(
                        f,
                        s.span(),
                        field.as_str(),
                        format!(
                            "ages {} overlap ages {other} of entry {j}; age bands in one list must not overlap",
                            band_str((lo, hi))
                        ),
                    );
                }
            }
            out.push(b);
        }
        out
    }

    /// Report ages of `within` that no band covers (skipped when a band was invalid,
    /// to avoid a second error for the same mistake).
    pub(super) fn check_cover(
        &mut self,
        f: usize,
        span: Range<usize>,
        field: &str,
        bands: &[Option<Band>],
        within: Band,
        what: &str,
    ) -> bool {
        if bands.iter().any(Option::is_none) {
            return false;
        }
        let missing: Vec<usize> =
            (within.0..=within.1).filter(|a| !bands.iter().flatten().any(|(l, h)| a >= l && a <= h)).collect();
        if missing.is_empty() {
            return true;
        }
        self.err(f, span, field, format!("ages {} are not covered; {what}", age_ranges(&missing)));
        false
    }
}
