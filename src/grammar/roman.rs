//! Roman numerals of headings and quarters ("III", "Quý IV").

/// "IV" → 4 (subtractive notation); None for anything that is not a Roman
/// numeral below 40.
pub fn roman_value(s: &str) -> Option<u32> {
    let vals: Vec<i64> = s
        .chars()
        .map(|c| match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => 0,
        })
        .collect();
    if vals.is_empty() || vals.contains(&0) {
        return None;
    }
    // Standard subtractive evaluation ("IV" = 4).
    let total: i64 = vals.iter().enumerate().map(|(k, v)| if vals.get(k + 1).is_some_and(|n| n > v) { -v } else { *v }).sum();
    u32::try_from(total).ok().filter(|v| *v > 0 && *v < 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("VIII"), Some(8));
        assert_eq!(roman_value("IX"), Some(9));
        assert_eq!(roman_value("A"), None);
        assert_eq!(roman_value(""), None);
    }
}
