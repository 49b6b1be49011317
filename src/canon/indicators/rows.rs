//! Table rows: labels (own, inherited by coded option rows, parent row as
//! context), kind hints and candidates.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Catalog, KindHint, Match};
use crate::model::{Cell, Kind};

/// Row key inside a dataset: (doc_id, table_id, row).
type RowKey = (String, String, i32);

/// Text of a row: label, context (parent row label) and kind hint.
#[derive(Debug, Clone)]
pub struct RowText {
    pub label: String,
    pub context: String,
    pub hint: KindHint,
    pub has_value: bool,
    /// Label inherited from the previous labelled row (coded option rows).
    pub inherited: bool,
    /// Coded row with its own label ("Liên thông 3 cấp … | 3 cấp = 2"): the
    /// previous labelled row, tried as an alternative label.
    pub alt_label: Option<String>,
    /// Other rows of the table name this row's STT as their parent.
    pub is_parent: bool,
}

/// "Hoàn thành =1", "3 cấp = 2", "Không=0": a coded option of the row above.
fn is_coded_option(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &ch)| ch == b'=' && b[i + 1..].iter().find(|c| !c.is_ascii_whitespace()).is_some_and(|c| c.is_ascii_digit()))
}

fn cell_has_value(c: &Cell) -> bool {
    c.value.is_some() || c.option.is_some() || !c.raw.trim().is_empty()
}

fn cell_hint(c: &Cell) -> KindHint {
    let unit = c.unit.as_deref().map(str::trim).unwrap_or("");
    match c.kind {
        Some(Kind::Percent) | Some(Kind::Fraction) => return KindHint::Rate,
        Some(Kind::Money) => return KindHint::Money,
        _ => {}
    }
    if unit == "%" {
        KindHint::Rate
    } else if !unit.is_empty() && c.kind == Some(Kind::Count) {
        KindHint::Count
    } else {
        KindHint::Unknown
    }
}

/// Group the cells of a dataset into rows and compute their texts.  Order of
/// the returned rows follows the first appearance of each row.
pub fn row_texts(cells: &[Cell]) -> Vec<(RowKey, Vec<usize>, RowText)> {
    // Keys borrowed from the cells while grouping; owned once per row at the end.
    type Key<'a> = (&'a str, &'a str, i32);
    let mut order: Vec<Key> = Vec::new();
    let mut members: HashMap<Key, Vec<usize>> = HashMap::default();
    for (i, c) in cells.iter().enumerate() {
        let k = (c.doc_id.as_str(), c.table_id.as_str(), c.row);
        members
            .entry(k)
            .or_insert_with(|| {
                order.push(k);
                Vec::new()
            })
            .push(i);
    }
    // Per table: rows sorted by row number, labels by stt.
    let mut by_table: HashMap<(&str, &str), Vec<Key>> = HashMap::default();
    for k in &order {
        by_table.entry((k.0, k.1)).or_default().push(*k);
    }
    let mut texts: HashMap<Key, RowText> = HashMap::default();
    for rows in by_table.values_mut() {
        rows.sort_by_key(|k| k.2);
        let parents: HashSet<String> =
            rows.iter().filter_map(|k| cells[members[k][0]].parent_stt.as_deref()).map(|p| p.trim().trim_end_matches('.').to_string()).collect();
        let mut stt_label: HashMap<String, String> = HashMap::default();
        let mut last_label: Option<String> = None;
        let mut last_numbered: Option<String> = None;
        for k in rows.iter() {
            let idx = &members[k];
            let first = &cells[idx[0]];
            let own = idx.iter().filter_map(|&i| cells[i].label.as_deref()).map(str::trim).find(|s| !s.is_empty()).map(str::to_string);
            let coded =
                idx.iter().any(|&i| cells[i].unit.as_deref().is_some_and(is_coded_option)) && first.stt.as_deref().map(str::trim).unwrap_or("").is_empty();
            // A coded row with its own label may describe an option of the
            // row above ("Liên thông 3 cấp: …") or be an item of its own
            // ("Tổ chức đối thoại …  Không=0"): both are tried.
            let alt_label = if coded && own.is_some() { last_numbered.clone() } else { None };
            let (label, inherited) = match own {
                Some(l) => {
                    last_label = Some(l.clone());
                    (l, false)
                }
                None => (last_label.clone().unwrap_or_default(), true),
            };
            if !inherited && !first.stt.as_deref().map(str::trim).unwrap_or("").is_empty() {
                last_numbered = Some(label.clone());
            }
            if let (Some(stt), false) = (first.stt.as_deref(), inherited) {
                let stt = stt.trim().trim_end_matches('.').to_string();
                if !stt.is_empty() {
                    stt_label.insert(stt, label.clone());
                }
            }
            let parent = first
                .parent_stt
                .as_deref()
                .map(|p| p.trim().trim_end_matches('.').to_string())
                .and_then(|p| stt_label.get(&p).cloned())
                .filter(|p| p != &label)
                .unwrap_or_default();
            let context = parent;
            let mut hint = KindHint::Unknown;
            for &i in idx {
                match cell_hint(&cells[i]) {
                    KindHint::Unknown => {}
                    h => {
                        hint = h;
                        if h == KindHint::Rate {
                            break;
                        }
                    }
                }
            }
            let has_value = idx.iter().any(|&i| cell_has_value(&cells[i]));
            let is_parent = first.stt.as_deref().map(|s| s.trim().trim_end_matches('.').to_string()).is_some_and(|s| !s.is_empty() && parents.contains(&s));
            texts.insert(*k, RowText { label, context, hint, has_value, inherited, alt_label, is_parent });
        }
    }
    order
        .into_iter()
        .map(|k| {
            let idx = members.remove(&k).unwrap_or_default();
            let t = texts.remove(&k).unwrap_or(RowText {
                label: String::new(),
                context: String::new(),
                hint: KindHint::Unknown,
                has_value: false,
                inherited: false,
                alt_label: None,
                is_parent: false,
            });
            ((k.0.to_string(), k.1.to_string(), k.2), idx, t)
        })
        .collect()
}

/// Candidates (best first, above threshold, at most 3) for one table row.
pub fn row_candidates(cat: &Catalog, t: &RowText) -> Vec<Match> {
    // Empty labels, and section headers without a value of their own.
    if t.label.trim().is_empty() || (t.is_parent && !t.has_value) {
        return Vec::new();
    }
    let mut c: Vec<Match> = cat.rank(&t.label, &t.context, t.hint, true);
    if let Some(alt) = &t.alt_label {
        // The row either is an item of its own or an option of the numbered
        // row above; keep whichever reading scores better.
        let ctx = format!("{} {}", t.context, t.label);
        let alt_c: Vec<Match> = cat
            .rank(alt, &ctx, t.hint, true)
            .into_iter()
            .map(|mut m| {
                m.confidence *= 0.98;
                m
            })
            .collect();
        let best = |v: &[Match]| v.first().map_or(0.0, |m| m.confidence);
        if best(&alt_c) > best(&c) {
            c = alt_c;
        }
    }
    c.retain(|m| m.confidence >= cat.threshold);
    // An option row (label inherited from the item above) is that item or
    // nothing: no fallback to a weaker reading.
    c.truncate(if t.inherited { 1 } else { 3 });
    if t.inherited {
        for m in &mut c {
            m.confidence *= 0.98;
        }
    }
    c
}
