//! Small helpers shared by several stages (one per concern).

pub mod row_key;

/// Vietnamese number: dot thousands, comma decimals, `decimals` digits.
pub fn vn_num(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A count or amount: no decimals when whole, else up to two.
pub fn vn_auto(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        vn_num(v, 0)
    } else {
        let s = vn_num(v, 2);
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    }
}
