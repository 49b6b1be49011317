//! Glyphs → words → lines: combining-mark attachment, baseline clustering,
//! word gaps from real glyph extents, splitting at column rules, reading order.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::content::Glyph;
use super::table_model::is_value;
use super::{PdfLine, PdfRule, PdfWord};

/// A gap wider than this fraction of the font size separates words.
const WORD_GAP: f32 = 0.1;
/// A gap wider than this many font sizes splits a line into two fragments.
const COLUMN_GAP: f32 = 2.0;
/// Baselines closer than this fraction of the font size are one line.
const BASELINE_TOLERANCE: f32 = 0.35;
/// Narrowest gutter between two side-by-side blocks (font sizes).
const GUTTER_EM: f32 = 1.0;
/// Lines of one block are this close (font sizes); a title below a header
/// block stands further off.
const BLOCK_GAP_EM: f32 = 0.8;
/// Smaller fonts than this fraction of a line's size may join it (superscripts).
const SUPERSCRIPT_RATIO: f32 = 0.85;

/// A glyph in top-down page coordinates.
#[derive(Debug, Clone)]
struct Placed {
    text: compact_str::CompactString,
    x0: f32,
    x1: f32,
    /// Baseline as distance from the page top.
    base: f32,
    top: f32,
    bottom: f32,
    size: f32,
    /// Marked-content id (tagged PDF).
    mcid: Option<i64>,
}

/// A word with the marked-content id of its first glyph.
struct MarkedWord {
    word: PdfWord,
    mcid: Option<i64>,
}

/// Lines of a page plus, per line and word, the marked-content id.
pub struct PageLines {
    pub lines: Vec<PdfLine>,
    pub mcids: Vec<Vec<Option<i64>>>,
}

/// Turn a page's glyphs into lines in reading order. `page_top` is the y of
/// the page's upper edge and `page_left` its x (both PDF user space).
#[cfg(test)]
pub(crate) fn build_lines(glyphs: &[Glyph], page_left: f32, page_top: f32, rules: &[PdfRule]) -> Vec<PdfLine> {
    build_page_lines(glyphs, page_left, page_top, rules).lines
}

/// [`build_lines`], keeping each word's marked-content id.
pub(crate) fn build_page_lines(glyphs: &[Glyph], page_left: f32, page_top: f32, rules: &[PdfRule]) -> PageLines {
    let rules = &Verticals::new(rules);
    let placed: Vec<Placed> = glyphs.iter().map(|g| place(g, page_left, page_top)).collect();
    let placed = attach_marks(placed);
    let lines: Vec<(PdfLine, Vec<Option<i64>>)> = cluster_baselines(placed)
        .into_iter()
        .flat_map(|mut cluster| {
            cluster.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let cluster = drop_overprint(cluster);
            split_fragments(words_of(&cluster, rules), rules)
        })
        .map(line_of)
        .collect();
    let (lines, mcids) = reading_order(lines).into_iter().unzip();
    PageLines { lines, mcids }
}

/// Top to bottom by bands of nearly equal bottoms, left to right within a
/// band; side-by-side blocks are then read one after the other
/// ([`side_by_side`]).
fn reading_order<T>(mut lines: Vec<(PdfLine, T)>) -> Vec<(PdfLine, T)> {
    lines.sort_by(|(a, _), (b, _)| a.bottom.total_cmp(&b.bottom));
    let mut bands: Vec<Vec<(PdfLine, T)>> = Vec::new();
    let mut band_bottom = f32::NEG_INFINITY;
    for l in lines {
        if l.0.bottom - band_bottom > BASELINE_TOLERANCE * l.0.font_size || bands.is_empty() {
            band_bottom = l.0.bottom;
            bands.push(Vec::new());
        }
        if let Some(b) = bands.last_mut() {
            b.push(l);
        }
    }
    for b in &mut bands {
        b.sort_by(|x, y| x.0.x0.total_cmp(&y.0.x0));
    }
    side_by_side(bands)
}

/// Blocks printed side by side — the issuer block beside the national motto,
/// "Nơi nhận" beside the signer, text boxes — are read block by block, not
/// line by line across both. Such a run is two or more consecutive bands
/// (no wider apart than [`BLOCK_GAP_EM`]) whose fragments all stand on
/// either side of one vertical gutter at least [`GUTTER_EM`] wide, at most
/// one fragment a side, the first band with both (the line builder split it
/// at a wide gap); a figure-only fragment ends it (a two-column table keeps
/// its rows).
fn side_by_side<T>(bands: Vec<Vec<(PdfLine, T)>>) -> Vec<(PdfLine, T)> {
    let mut out = Vec::new();
    let mut bands = bands.into_iter().peekable();
    while let Some(first) = bands.next() {
        let gutter = match first.as_slice() {
            [(l, _), (r, _)] if !is_value(&l.text) && !is_value(&r.text) && r.x0 - l.x1 >= GUTTER_EM * l.font_size.max(r.font_size) => Some((l.x1, r.x0)),
            _ => None,
        };
        let Some((mut g0, mut g1)) = gutter else {
            out.extend(first);
            continue;
        };
        let size = first.iter().map(|(l, _)| l.font_size).fold(0.0, f32::max);
        let mut bottom = first.iter().map(|(l, _)| l.bottom).fold(f32::NEG_INFINITY, f32::max);
        let mut run = vec![first];
        while let Some(next) = bands.peek() {
            let top = next.iter().map(|(l, _)| l.top).fold(f32::INFINITY, f32::min);
            if top - bottom > BLOCK_GAP_EM * size {
                break;
            }
            let (mut a, mut b) = (g0, g1);
            let (mut left, mut right) = (0, 0);
            let fits = next.iter().all(|(l, _)| {
                if is_value(&l.text) {
                    false
                } else if l.x1 <= b {
                    left += 1;
                    a = a.max(l.x1);
                    true
                } else if l.x0 >= a {
                    right += 1;
                    b = b.min(l.x0);
                    true
                } else {
                    false
                }
            });
            if !(fits && left <= 1 && right <= 1 && b - a >= GUTTER_EM * size) {
                break;
            }
            (g0, g1) = (a, b);
            bottom = next.iter().map(|(l, _)| l.bottom).fold(bottom, f32::max);
            run.extend(bands.next());
        }
        if run.len() < 2 {
            out.extend(run.into_iter().flatten());
            continue;
        }
        let (mut lefts, mut rights) = (Vec::new(), Vec::new());
        for (l, t) in run.into_iter().flatten() {
            if l.x1 <= g0 + 0.5 {
                lefts.push((l, t));
            } else {
                rights.push((l, t));
            }
        }
        out.extend(lefts);
        out.extend(rights);
    }
    out
}

fn place(g: &Glyph, left: f32, top: f32) -> Placed {
    let base = top - g.baseline;
    Placed {
        text: g.text.clone(),
        x0: g.x0 - left,
        x1: g.x1 - left,
        base,
        top: base - g.ascent * g.size,
        bottom: base - g.descent * g.size,
        size: g.size,
        mcid: g.mcid,
    }
}

fn is_mark(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_combining_mark)
}

/// Attach each combining-mark glyph to the base glyph it overlaps (searching
/// the recent glyphs of the same line, latest first); marks stay in place
/// when no base is found.
fn attach_marks(glyphs: Vec<Placed>) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        if is_mark(&g.text) {
            if let Some(base) = find_base(&out, &g) {
                out[base].text.push_str(&g.text);
                continue;
            }
        }
        out.push(g);
    }
    out
}

/// Index of the glyph a mark belongs to: same line, horizontal overlap.
fn find_base(placed: &[Placed], mark: &Placed) -> Option<usize> {
    let center = (mark.x0 + mark.x1) / 2.0;
    let tol = 0.15 * mark.size;
    placed
        .iter()
        .enumerate()
        .rev()
        .take(12)
        .filter(|(_, b)| !is_mark(&b.text) && (b.base - mark.base).abs() <= mark.size.max(b.size))
        .find(|(_, b)| center >= b.x0 - tol && center <= b.x1 + tol)
        .map(|(i, _)| i)
}

/// Group glyphs whose baselines agree; small raised glyphs (superscripts)
/// join the line they overlap.
fn cluster_baselines(glyphs: Vec<Placed>) -> Vec<Vec<Placed>> {
    // Sorted by baseline then x through small integer keys (moving whole glyphs
    // about in the sort costs more); the index makes equal keys keep their order.
    let mut order: Vec<(u64, usize)> = glyphs.iter().enumerate().map(|(i, g)| ((u64::from(sort_key(g.base)) << 32) | u64::from(sort_key(g.x0)), i)).collect();
    order.sort();
    let mut slots: Vec<Option<Placed>> = glyphs.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&(_, i)| slots.get_mut(i).and_then(Option::take));
    let mut clusters: Vec<Vec<Placed>> = Vec::new();
    // (baseline, size) of each cluster's largest glyph, kept as it grows.
    let mut heads: Vec<(f32, f32)> = Vec::new();
    for g in sorted {
        let n = clusters.len();
        let hit = (n.saturating_sub(4)..n).rev().find(|&i| (g.base - heads[i].0).abs() <= BASELINE_TOLERANCE * heads[i].1.max(g.size));
        match hit {
            Some(i) => {
                if g.size >= heads[i].1 {
                    heads[i] = (g.base, g.size);
                }
                clusters[i].push(g);
            }
            None => {
                heads.push((g.base, g.size));
                clusters.push(vec![g]);
            }
        }
    }
    merge_superscripts(clusters)
}

/// (baseline, size) of a cluster: those of its largest glyph.
fn cluster_baseline(c: &[Placed]) -> (f32, f32) {
    c.iter().max_by(|a, b| a.size.total_cmp(&b.size)).map_or((0.0, 0.0), |g| (g.base, g.size))
}

/// Where a cluster sits: baseline and size of its largest glyph, its box.
#[derive(Debug, Clone, Copy)]
struct Extent {
    base: f32,
    size: f32,
    top: f32,
    bottom: f32,
    x0: f32,
    x1: f32,
}

fn extent(c: &[Placed]) -> Extent {
    let (base, size) = cluster_baseline(c);
    let fold = |init: f32, f: fn(&Placed) -> f32, pick: fn(f32, f32) -> f32| c.iter().map(f).fold(init, pick);
    Extent {
        base,
        size,
        top: fold(f32::INFINITY, |g| g.top, f32::min),
        bottom: fold(f32::NEG_INFINITY, |g| g.bottom, f32::max),
        x0: fold(f32::INFINITY, |g| g.x0, f32::min),
        x1: fold(f32::NEG_INFINITY, |g| g.x1, f32::max),
    }
}

/// Whether small cluster `s` (a superscript or footnote mark) belongs to
/// line `host`: smaller font, vertically inside the host's text, near it.
fn hosts(host: &Extent, s: &Extent) -> bool {
    s.size < SUPERSCRIPT_RATIO * host.size && s.bottom > host.top && s.top < host.base && s.x0 <= host.x1 + host.size && s.x1 >= host.x0 - host.size
}

/// Move clusters made only of small glyphs into a bigger line they overlap.
/// Candidates are searched in a window of baselines, so the work stays
/// near-linear on pages with many lines.
fn merge_superscripts(clusters: Vec<Vec<Placed>>) -> Vec<Vec<Placed>> {
    let ext: Vec<Extent> = clusters.iter().map(|c| extent(c)).collect();
    let reach = 2.0 * ext.iter().map(|e| e.size).fold(0.0, f32::max);
    let mut order: Vec<usize> = (0..ext.len()).collect();
    order.sort_by(|&a, &b| ext[a].base.total_cmp(&ext[b].base));
    let mut host: Vec<Option<usize>> = vec![None; ext.len()];
    for (k, &i) in order.iter().enumerate() {
        let near = |&&j: &&usize| (ext[j].base - ext[i].base).abs() <= reach;
        let below = order[k + 1..].iter().take_while(near);
        let above = order[..k].iter().rev().take_while(near);
        host[i] = below.chain(above).copied().find(|&j| hosts(&ext[j], &ext[i]));
    }
    if host.iter().all(Option::is_none) {
        // Nothing to move (the usual page): the clusters stay as they are.
        return clusters;
    }
    // Follow chains (sizes strictly grow along them, so they end).
    let root = |mut i: usize| {
        for _ in 0..ext.len() {
            match host[i] {
                Some(j) => i = j,
                None => break,
            }
        }
        i
    };
    let mut buckets: Vec<Vec<Placed>> = vec![Vec::new(); clusters.len()];
    for (i, c) in clusters.into_iter().enumerate() {
        buckets[root(i)].extend(c);
    }
    buckets.into_iter().filter(|b| !b.is_empty()).collect()
}

/// `x` as a u32 that sorts as [`f32::total_cmp`] does.
pub(crate) fn sort_key(x: f32) -> u32 {
    let bits = x.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 0x8000_0000
    }
}

/// Drop glyphs painted twice at (almost) the same place (fake bold).
fn drop_overprint(cluster: Vec<Placed>) -> Vec<Placed> {
    let dup = |p: &Placed, g: &Placed| (p.x0 - g.x0).abs() < 0.1 * g.size && (p.base - g.base).abs() < 0.1 * g.size && p.text == g.text;
    // Usually none: then the cluster stays as it is, not copied.
    if !cluster.iter().enumerate().any(|(i, g)| cluster[i.saturating_sub(3)..i].iter().any(|p| dup(p, g))) {
        return cluster;
    }
    let mut out: Vec<Placed> = Vec::with_capacity(cluster.len());
    for g in cluster {
        let dup = out.iter().rev().take(3).any(|p| dup(p, &g));
        if !dup {
            out.push(g);
        }
    }
    out
}

/// Words of one x-sorted cluster: split at whitespace glyphs, real gaps and
/// vertical rules.
fn words_of(cluster: &[Placed], rules: &Verticals) -> Vec<MarkedWord> {
    let mut words = Vec::new();
    // The current word is cluster[start..i]: a blank glyph ends it and is
    // left out, a gap ends it before the glyph.
    let mut start = 0;
    for (i, g) in cluster.iter().enumerate() {
        let blank = g.text.chars().all(char::is_whitespace);
        let split = i > start
            && cluster.get(i - 1).is_some_and(|p| g.x0 - p.x1 > WORD_GAP * g.size.max(p.size) || rule_between(rules, p.x1, g.x0, (g.top + g.bottom) / 2.0));
        if blank || split {
            words.extend(word_of(&cluster[start..i]));
            start = if blank { i + 1 } else { i };
        }
    }
    words.extend(word_of(&cluster[start.min(cluster.len())..]));
    words
}

/// A word from its glyphs (text in NFC).
fn word_of(glyphs: &[Placed]) -> Option<MarkedWord> {
    let first = glyphs.first()?;
    let mut raw = String::with_capacity(glyphs.iter().map(|g| g.text.len()).sum());
    raw.extend(glyphs.iter().map(|g| g.text.as_str()));
    // Most words are NFC already (precomposed ToUnicode text): no rebuild.
    let clean = unicode_normalization::is_nfc_quick(raw.chars()) == unicode_normalization::IsNormalized::Yes && !raw.chars().any(char::is_control);
    let text: String = if clean { raw } else { raw.nfc().filter(|c| !c.is_control()).collect() };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let text = if trimmed.len() == text.len() { text } else { trimmed.to_string() };
    let word = PdfWord {
        text,
        x0: first.x0,
        x1: glyphs.iter().map(|g| g.x1).fold(first.x1, f32::max),
        top: glyphs.iter().map(|g| g.top).fold(first.top, f32::min),
        bottom: glyphs.iter().map(|g| g.bottom).fold(first.bottom, f32::max),
        font_size: dominant(glyphs.iter().map(|g| (g.size, g.text.chars().count()))),
    };
    Some(MarkedWord { word, mcid: first.mcid })
}

/// The value carrying the most weight (e.g. the size of most characters).
fn dominant(mut items: impl Iterator<Item = (f32, usize)>) -> f32 {
    let Some(mut first) = items.next() else { return 0.0 };
    // The first value's tally apart: most words and lines have one size,
    // and need no list then.
    let mut others: Vec<(f32, usize)> = Vec::new();
    for (v, w) in items {
        match std::iter::once(&mut first).chain(others.iter_mut()).find(|(t, _)| (*t - v).abs() < 0.05) {
            Some(e) => e.1 += w,
            None => others.push((v, w)),
        }
    }
    std::iter::once(first).chain(others).max_by_key(|(_, w)| *w).map_or(0.0, |(v, _)| v)
}

/// Split a row of words where a wide gap or a vertical rule separates them.
fn split_fragments(words: Vec<MarkedWord>, rules: &Verticals) -> Vec<Vec<MarkedWord>> {
    let mut out: Vec<Vec<MarkedWord>> = Vec::new();
    for mw in words {
        let w = &mw.word;
        let split = out
            .last()
            .and_then(|f| f.last())
            .map(|m| &m.word)
            .is_none_or(|p| w.x0 - p.x1 > COLUMN_GAP * w.font_size.max(p.font_size) || rule_between(rules, p.x1, w.x0, (w.top + w.bottom) / 2.0));
        if split {
            out.push(vec![mw]);
        } else if let Some(f) = out.last_mut() {
            f.push(mw);
        }
    }
    out
}

/// A vertical rule crossing height `mid` between x `left` and `right` (a
/// table column border).
fn rule_between(rules: &Verticals, left: f32, right: f32, mid: f32) -> bool {
    let v = &rules.0;
    let from = v.partition_point(|r| r.x0 <= left - 1.0);
    v[from..].iter().take_while(|r| r.x0 < right + 1.0).any(|r| r.y0 <= mid && r.y1 >= mid)
}

/// A page's vertical rules sorted by x, searched by position (words and
/// glyph gaps are checked against them: no scan of every rule per gap).
pub(crate) struct Verticals(Vec<PdfRule>);

impl Verticals {
    fn new(rules: &[PdfRule]) -> Self {
        let mut v: Vec<PdfRule> = rules.iter().filter(|r| r.is_vertical()).copied().collect();
        v.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        Verticals(v)
    }
}

fn line_of(marked: Vec<MarkedWord>) -> (PdfLine, Vec<Option<i64>>) {
    let (words, mcids): (Vec<PdfWord>, Vec<Option<i64>>) = marked.into_iter().map(|m| (m.word, m.mcid)).unzip();
    let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let fold = |f: fn(&PdfWord) -> f32, init: f32, pick: fn(f32, f32) -> f32| words.iter().map(f).fold(init, pick);
    let line = PdfLine {
        text,
        x0: fold(|w| w.x0, f32::INFINITY, f32::min),
        x1: fold(|w| w.x1, f32::NEG_INFINITY, f32::max),
        top: fold(|w| w.top, f32::INFINITY, f32::min),
        bottom: fold(|w| w.bottom, f32::NEG_INFINITY, f32::max),
        font_size: dominant(words.iter().map(|w| (w.font_size, w.text.chars().count()))),
        words,
    };
    (line, mcids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x0: f32, w: f32, baseline: f32, size: f32) -> Glyph {
        Glyph { text: text.into(), x0, x1: x0 + w, baseline, size, ascent: 0.8, descent: -0.2, font: 0, code: 0, mcid: None }
    }

    fn texts(lines: &[PdfLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn combining_marks_attach_and_compose() {
        // "Trọng": o with a separate dot-below glyph of zero width placed over it.
        let g = vec![
            glyph("T", 0.0, 6.0, 700.0, 12.0),
            glyph("r", 6.0, 4.0, 700.0, 12.0),
            glyph("o", 10.0, 6.0, 700.0, 12.0),
            glyph("n", 16.0, 6.0, 700.0, 12.0),
            glyph("\u{323}", 12.0, 0.0, 700.0, 12.0),
            glyph("g", 22.0, 6.0, 700.0, 12.0),
        ];
        let lines = build_lines(&g, 0.0, 800.0, &[]);
        assert_eq!(texts(&lines), vec!["Trọng"]);
        assert_eq!(lines[0].words[0].text, "Trọng");
    }

    #[test]
    fn gaps_spaces_and_font_switch() {
        // "Việt" split over two font runs stays one word; a 3pt gap at 12pt splits.
        let g = vec![
            glyph("V", 0.0, 8.0, 700.0, 12.0),
            glyph("i", 8.0, 3.0, 700.0, 12.0),
            glyph("ệ", 11.0, 5.0, 700.0, 12.0),
            glyph("t", 16.0, 3.0, 700.0, 12.0),
            glyph("N", 22.0, 8.0, 700.0, 12.0),
            glyph("a", 30.0, 5.0, 700.0, 12.0),
            glyph(" ", 35.0, 3.0, 700.0, 12.0),
            glyph("m", 38.0, 9.0, 700.0, 12.0),
        ];
        let lines = build_lines(&g, 0.0, 800.0, &[]);
        assert_eq!(texts(&lines), vec!["Việt Na m"]);
    }

    #[test]
    fn baseline_clustering_and_order() {
        let g = vec![
            glyph("b", 0.0, 6.0, 680.0, 12.0),
            glyph("a", 0.0, 6.0, 700.0, 12.0),
            glyph("c", 6.5, 6.0, 680.5, 12.0),
            glyph("1", 6.0, 3.0, 705.0, 7.0),    // superscript on line "a"
            glyph("5", 200.0, 6.0, 700.2, 12.0), // far right: own fragment, a value
        ];
        let lines = build_lines(&g, 0.0, 800.0, &[]);
        assert_eq!(texts(&lines), vec!["a1", "5", "bc"]);
        assert!(lines[0].top < lines[2].top);
    }

    fn word_glyphs(text: &str, x0: f32, baseline: f32) -> Vec<Glyph> {
        text.chars().enumerate().map(|(i, c)| glyph(&c.to_string(), x0 + 6.0 * i as f32, 6.0, baseline, 12.0)).collect()
    }

    #[test]
    fn side_by_side_blocks_read_one_after_the_other() {
        // Issuer block | motto block, lines 13 pt apart, then a title further down.
        let mut g = Vec::new();
        for (text, x, base) in [
            ("UBND", 20.0, 700.0),
            ("MOTTO", 300.0, 700.0),
            ("PHUONG", 20.0, 687.0),
            ("DOC", 300.0, 687.0),
            ("SO", 20.0, 674.0),
            ("NGAY", 300.0, 674.0),
            ("TITLE", 150.0, 640.0),
        ] {
            g.extend(word_glyphs(text, x, base));
        }
        let lines = build_lines(&g, 0.0, 800.0, &[]);
        assert_eq!(texts(&lines), vec!["UBND", "PHUONG", "SO", "MOTTO", "DOC", "NGAY", "TITLE"]);
        // Rows of a two-column table with figures keep their order.
        let mut g = Vec::new();
        for (text, x, base) in [("Thu", 20.0, 700.0), ("12", 300.0, 700.0), ("Chi", 20.0, 687.0), ("10", 300.0, 687.0)] {
            g.extend(word_glyphs(text, x, base));
        }
        assert_eq!(texts(&build_lines(&g, 0.0, 800.0, &[])), vec!["Thu", "12", "Chi", "10"]);
    }

    #[test]
    fn sort_keys_order_as_total_cmp() {
        let v = [f32::NEG_INFINITY, -1e9, -2.5, -0.0, 0.0, 1e-30, 2.5, 842.0, f32::INFINITY, f32::NAN, -f32::NAN];
        for a in v {
            for b in v {
                assert_eq!(sort_key(a).cmp(&sort_key(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn vertical_rule_splits_row() {
        let g = vec![glyph("a", 0.0, 6.0, 700.0, 12.0), glyph("b", 7.0, 6.0, 700.0, 12.0)];
        let rule = PdfRule { x0: 6.5, y0: 80.0, x1: 6.5, y1: 120.0 };
        let lines = build_lines(&g, 0.0, 800.0, &[rule]);
        assert_eq!(texts(&lines), vec!["a", "b"]);
    }
}
