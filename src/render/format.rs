//! Numbers and euros the way each language writes them (Dutch: `€ 1.234.567`,
//! `0,83`; English: `€1,234,567`, `0.83`), for the report, the claim page and
//! the terminal alike, so that one figure never reads two ways.

use super::text::Lang;

impl Lang {
    /// Thousands separator and decimal point.
    fn separators(self) -> (char, char) {
        match self {
            Lang::Nl => ('.', ','),
            Lang::En => (',', '.'),
        }
    }

    /// `x` with `decimals` decimals and grouped thousands; `–` when missing.
    pub(crate) fn num(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let (group, point) = self.separators();
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = group_thousands(int, group);
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        // No minus sign on a value that rounds to zero.
        if x < 0.0 && has_nonzero_digit(&out) {
            format!("−{out}")
        } else {
            out
        }
    }

    /// [`Lang::num`] without trailing zeros in the decimals: `2,50` → `2,5`,
    /// `4.300` (Dutch thousands) stays.
    pub(crate) fn num_trimmed(self, x: f64, decimals: usize) -> String {
        self.trim_zeros(self.num(x, decimals))
    }

    /// Drop trailing zeros of the decimal part of a number this language wrote.
    pub(crate) fn trim_zeros(self, s: String) -> String {
        let (_, point) = self.separators();
        if !s.contains(point) {
            return s;
        }
        s.trim_end_matches('0').trim_end_matches(point).to_string()
    }

    /// Whole euros: `€ 1.234.567` / `€1,234,567`, minus sign in front.
    pub(crate) fn eur(self, x: f64) -> String {
        self.money(x, self.num(x.abs(), 0))
    }

    /// Euros in a compact form for sentences and tables: millions with two
    /// decimals from € 0.1 mln, whole euros below.
    pub(crate) fn eur_short(self, x: f64) -> String {
        if x.is_finite() && x.abs() >= 1e5 {
            let m = self.num(x.abs() / 1e6, 2);
            let unit = match self {
                Lang::Nl => format!("{m}\u{a0}mln"),
                Lang::En => format!("{m}\u{a0}M"),
            };
            self.money(x, unit)
        } else {
            self.eur(x)
        }
    }

    fn money(self, x: f64, digits: String) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let sign = if x < 0.0 && has_nonzero_digit(&digits) { "−" } else { "" };
        match self {
            Lang::Nl => format!("{sign}€\u{a0}{digits}"),
            Lang::En => format!("{sign}€{digits}"),
        }
    }

    /// A share in [0, 1] as a percentage with `decimals` decimals.
    pub(crate) fn pct(self, p: f64, decimals: usize) -> String {
        if !p.is_finite() {
            return "–".into();
        }
        match self {
            Lang::Nl => format!("{}\u{a0}%", self.num(p * 100.0, decimals)),
            Lang::En => format!("{}%", self.num(p * 100.0, decimals)),
        }
    }

    /// A probability in whole percents, but never a misleading 0 % or 100 %:
    /// `< 1 %` and `> 99 %` for chances that are small or large but not nil.
    pub(crate) fn share(self, p: f64) -> String {
        if p > 0.0 && p < 0.005 {
            format!("<\u{a0}{}", self.pct(0.01, 0))
        } else if p < 1.0 && p > 0.995 {
            format!(">\u{a0}{}", self.pct(0.99, 0))
        } else {
            self.pct(p, 0)
        }
    }
}

/// Whole euros for the terminal, in plain ASCII apart from the euro sign:
/// `€1,234,567`, `-€1,000`; `n/a` when missing.
pub fn terminal_eur(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let grouped = group_thousands(&format!("{:.0}", x.abs()), ',');
    format!("{}€{grouped}", if x < 0.0 && grouped != "0" { "-" } else { "" })
}

/// A count for the terminal with thousands grouped: `10,000,000`.
pub fn terminal_count(n: u64) -> String {
    group_thousands(&n.to_string(), ',')
}

/// The digits `int` with `group` between every three from the right.
fn group_thousands(int: &str, group: char) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

fn has_nonzero_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// Decimals that show a parameter value sensibly (costs in whole euros,
/// probabilities and ratios with three decimals).
pub(crate) fn sig_decimals(v: f64) -> usize {
    let a = v.abs();
    if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 1.0 {
        2
    } else if a >= 0.1 {
        3
    } else {
        // Small rates (e.g. 0.0225) keep three significant digits.
        (2 - a.log10().floor() as i64).clamp(3, 8) as usize
    }
}

/// `x` rounded to `digits` significant digits: simulated figures are not known
/// to the euro, so a page does not pretend they are.
pub(crate) fn round_sig(x: f64, digits: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// Quote a command-line word for a POSIX shell when needed.
pub fn shell_word(w: &str) -> String {
    if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=,:@%+".contains(c)) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_number_formats() {
        // Dutch keeps the euro sign, units and % on the line of their number.
        assert_eq!(Lang::Nl.eur(-1234567.4), "−€\u{a0}1.234.567");
        assert_eq!(Lang::En.eur(-1234567.4), "−€1,234,567");
        assert_eq!(Lang::Nl.eur(-0.2), "€\u{a0}0");
        assert_eq!(Lang::Nl.eur_short(-2_417_886.0), "−€\u{a0}2,42\u{a0}mln");
        assert_eq!(Lang::En.eur_short(938_042.0), "€0.94\u{a0}M");
        assert_eq!(Lang::En.eur_short(93_804.2), "€93,804");
        assert_eq!(Lang::Nl.num(0.834, 2), "0,83");
        assert_eq!(Lang::En.num(1234.5, 1), "1,234.5");
        assert_eq!(Lang::Nl.pct(0.22, 0), "22\u{a0}%");
        assert_eq!(Lang::En.pct(f64::NAN, 0), "–");
    }

    #[test]
    fn terminal_euros_are_ascii_apart_from_the_sign() {
        assert_eq!(terminal_eur(1234567.4), "€1,234,567");
        assert_eq!(terminal_eur(-999.6), "-€1,000");
        assert_eq!(terminal_eur(-0.2), "€0");
        assert_eq!(terminal_eur(f64::NAN), "n/a");
    }

    #[test]
    fn shares_never_round_to_nil_or_certain() {
        assert_eq!(Lang::Nl.share(0.001), "<\u{a0}1\u{a0}%");
        assert_eq!(Lang::Nl.share(0.2312), "23\u{a0}%");
        assert_eq!(Lang::En.share(0.999), ">\u{a0}99%");
        assert_eq!(Lang::Nl.num_trimmed(2.5, 2), "2,5");
        assert_eq!(Lang::Nl.num_trimmed(4300.0, 0), "4.300");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("scenarios/nijmegen.toml"), "scenarios/nijmegen.toml");
        assert_eq!(shell_word("runs/my run"), "'runs/my run'");
        assert_eq!(terminal_count(10_000_000), "10,000,000");
        assert_eq!(terminal_count(999), "999");
    }
}
