//! Indicator ids on figures, cells and claims: figures one by one, an
//! indicator to at most one row of a table.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{match_figure, row_candidates, row_texts, Catalog, Match};
use crate::model::{Cell, Dataset, Figure, Kind};

/// Fill `figures[i].indicator` and `cells[i].indicator` using the builtin
/// catalog.
pub fn assign(ds: &mut Dataset) {
    assign_with(Catalog::builtin(), ds);
}

/// [`assign`] with an explicit catalog.  Within one table (doc_id, table_id)
/// an indicator goes to at most one row: rows carrying a value first, then by
/// confidence; a row that loses its best candidate may take its next one.
pub fn assign_with(cat: &Catalog, ds: &mut Dataset) {
    assign_parts(cat, &mut ds.figures, &mut ds.cells);
}

/// A claim measures the indicator of its stated percent (or, without one,
/// of its part).
pub fn assign_claims(figures: &[Figure], claims: &mut [crate::model::Claim]) {
    let by_id: FxHashMap<&str, &Figure> = figures.iter().map(|f| (f.figure_id.as_str(), f)).collect();
    for c in claims.iter_mut() {
        let of = |id: &Option<String>| id.as_deref().and_then(|i| by_id.get(i)).and_then(|f| f.indicator.clone());
        c.indicator = of(&c.stated_figure_id).or_else(|| of(&c.part_figure_id));
    }
}

/// What decides a prose figure's indicator: kind, unit, subject, whether the
/// value is 0/1, and the sentence before and after the number.
type FigureKey<'a> = (Kind, Option<&'a str>, Option<&'a str>, bool, &'a str, &'a str);

fn figure_key(f: &Figure) -> FigureKey<'_> {
    let at = usize::try_from(f.offset).unwrap_or(0).min(f.sentence.len());
    let around = f.sentence.get(..at).unwrap_or("");
    let after = f.sentence.get(usize::try_from(f.offset).unwrap_or(0).saturating_add(f.raw.len()).min(f.sentence.len())..).unwrap_or("");
    (f.kind, f.unit.as_deref(), f.subject.as_deref(), matches!(f.value, Some(v) if v == 0.0 || v == 1.0), around, after)
}

/// [`assign_with`] on the figures and cells of one document (or several):
/// usable inside the pipeline before the checks, without a `Dataset`.
pub fn assign_parts(cat: &Catalog, figures: &mut [Figure], cells: &mut [Cell]) {
    // Figures with the same words around them get the same indicator: a
    // bounded cache keeps repeated phrasings (and hostile repetitions) cheap.
    const CACHED: usize = 20_000;
    let mut cache: FxHashMap<FigureKey, Option<String>> = FxHashMap::with_capacity_and_hasher(figures.len().min(CACHED), Default::default());
    let mut found: Vec<Option<String>> = Vec::with_capacity(figures.len());
    for f in figures.iter() {
        if cache.len() >= CACHED {
            cache.clear();
        }
        let id = match cache.entry(figure_key(f)) {
            std::collections::hash_map::Entry::Occupied(hit) => hit.get().clone(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(match_figure(cat, f).map(|m| m.id)).clone(),
        };
        found.push(id);
    }
    for (f, id) in figures.iter_mut().zip(found) {
        f.indicator = id;
    }
    for c in cells.iter_mut() {
        c.indicator = None;
    }
    let rows = row_texts(cells);
    // table → [(row position, candidates, has_value)]
    let mut tables: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    let mut cands: Vec<Vec<Match>> = Vec::with_capacity(rows.len());
    for (ri, (k, _, t)) in rows.iter().enumerate() {
        tables.entry((k.0.as_str(), k.1.as_str())).or_default().push(ri);
        cands.push(row_candidates(cat, t));
    }
    let mut chosen: Vec<Option<String>> = vec![None; rows.len()];
    for members in tables.values() {
        let mut options: Vec<(bool, f32, i32, usize, usize)> = Vec::new();
        for &ri in members {
            for (rank, m) in cands[ri].iter().enumerate() {
                options.push((rows[ri].2.has_value, m.confidence, rows[ri].0 .2, ri, rank));
            }
        }
        options.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal)).then(a.2.cmp(&b.2)));
        let mut used: FxHashSet<&str> = FxHashSet::default();
        for (_, _, _, ri, rank) in options {
            if chosen[ri].is_some() {
                continue;
            }
            let id = &cands[ri][rank].id;
            if !used.insert(id) {
                continue;
            }
            chosen[ri] = Some(id.clone());
        }
    }
    for (ri, (_, idx, _)) in rows.iter().enumerate() {
        if let Some(id) = &chosen[ri] {
            for &i in idx {
                cells[i].indicator = Some(id.clone());
            }
        }
    }
}
