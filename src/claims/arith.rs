//! Percent arithmetic shared by the claims stage and the checker: how many
//! decimals a written percent shows, and whether a stated percent is the
//! exact ratio rounded or truncated to them (reports do both).

/// Decimals shown in a written percent ("91,17%" → 2, "98%" → 0).
pub fn decimals_written(raw: &str) -> usize {
    let digits: String = raw.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.').collect();
    match digits.rsplit_once([',', '.']) {
        Some((_, d)) if d.len() <= 3 && !d.is_empty() && raw.contains(['%']) => d.len(),
        _ => 0,
    }
}

/// Decimals of a value when no raw text is known (99.82 → 2).
pub fn decimals_of_value(v: f64) -> usize {
    (0..=4)
        .find(|d| {
            let p = 10f64.powi(i32::try_from(*d).unwrap_or(0));
            ((v * p) - (v * p).round()).abs() < 1e-6
        })
        .unwrap_or(4)
}

/// True when `stated` is `exact` rounded or truncated to `decimals`.
pub fn percent_matches(exact: f64, stated: f64, decimals: usize) -> bool {
    let p = 10f64.powi(i32::try_from(decimals).unwrap_or(2));
    let eps = 1e-6;
    let rounded = (exact * p + eps).round() / p;
    let truncated = (exact * p + eps).floor() / p;
    let close = |x: f64| (x - stated).abs() < 0.5 / p * 0.01 + 1e-9;
    close(rounded) || close(truncated)
}

/// How well `stated` is `exact` as written: 3 rounded, 2 truncated, 0 not.
pub(crate) fn fit_level(exact: f64, stated: f64, decimals: usize) -> u8 {
    let p = 10f64.powi(i32::try_from(decimals).unwrap_or(2));
    let eps = 1e-6;
    let close = |x: f64| (x - stated).abs() < 0.5 / p * 0.01 + 1e-9;
    if close((exact * p + eps).round() / p) {
        3
    } else if close((exact * p + eps).floor() / p) {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_beats_truncated() {
        // 023: "Có 90 hồ sơ (chiếm 2,16%)": 90/4.169 = 2,159 (rounded) but 90/4.157 = 2,165 (truncated only).
        assert_eq!(fit_level(90.0 / 4169.0 * 100.0, 2.16, 2), 3);
        assert_eq!(fit_level(90.0 / 4157.0 * 100.0, 2.16, 2), 2);
        assert_eq!(fit_level(40.0 / 58.0 * 100.0, 79.37, 2), 0);
        assert!(percent_matches(4157.0 / 4169.0 * 100.0, 99.71, 2));
    }
}
