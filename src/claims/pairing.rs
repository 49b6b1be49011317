//! Pairing a stated percent with its part and base.
//!
//! The part is the nearest amount before the percent in its sentence. Base
//! candidates, each with a prior (how likely a writer meant it):
//!
//! | where the base is                                             | prior        |
//! |---------------------------------------------------------------|--------------|
//! | after the percent, announced ("trong tổng số … (58 hồ sơ)", "so cùng kỳ (10.482 tỷ đồng)") | 10 |
//! | before the part in the same sentence                          | 6 − ½ · rank |
//! | in an earlier sentence of the paragraph                       | 4 − sentences back − ½ · rank |
//! | at the end of the previous paragraph                          | 1 − ⅕ · rank |
//! | the total right before "trong đó"/"gồm" that opens the part   | +3           |
//! | already the part of an earlier claim (a sibling, not a base)  | −3           |
//! | a side without a unit                                         | −1           |
//!
//! Only amounts of a compatible unit are candidates, and for a share only
//! those at least as large as the part (unless a plan or a past value is
//! compared). Windows are bounded ([`MAX_CANDIDATES`], three sentences, the
//! last [`PREV_PARAGRAPH_AMOUNTS`] amounts of the previous paragraph), so a
//! paragraph of n figures costs O(n).

use super::words::{contains_any, lower_words, slice, Around, Words};
use super::{arith, is_amount, Item};
use crate::model::{Figure, Kind};
use crate::util::vn_auto;
use crate::vocab::vocab;
use std::collections::HashSet;

/// Amounts of the previous paragraph kept as base candidates.
pub const PREV_PARAGRAPH_AMOUNTS: usize = 6;
/// Amounts before the part tried as bases.
const MAX_CANDIDATES: usize = 12;
/// Sentences back from the part.
const MAX_SENTENCES_BACK: usize = 3;
/// Longest gap (bytes) between a part and its percent, and between a percent
/// and a base announced after it.
const PART_GAP: usize = 250;
const BASE_AFTER_GAP: usize = 150;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Whole,
    Numerator,
    Denominator,
}

/// A number that can be a part or a base: an amount figure or one side of
/// a fraction.
#[derive(Debug, Clone, Copy)]
pub struct Amount<'a> {
    pub f: &'a Figure,
    /// Index of the figure in the document.
    pub item: usize,
    pub value: f64,
    pub unit: Option<&'a str>,
    pub money: bool,
    pub start: usize,
    pub end: usize,
    pub sent: usize,
    pub role: Role,
    /// False for amounts of the previous paragraph.
    pub same_para: bool,
    /// The part of an earlier claim (set when the paragraph is done).
    pub was_part: bool,
}

impl<'a> Amount<'a> {
    pub(crate) fn fraction_side(it: &Item<'a>, role: Role, value: f64) -> Amount<'a> {
        Amount {
            f: it.f,
            item: it.idx,
            value,
            unit: it.f.unit.as_deref().map(|u| vocab().figures.canonical_unit(u)),
            money: false,
            start: it.start,
            end: it.end,
            sent: it.sent,
            role,
            same_para: true,
            was_part: false,
        }
    }

    fn compatible(&self, other: &Amount) -> bool {
        if self.money || other.money {
            return self.money && other.money;
        }
        let quantity = |a: &Amount| a.f.kind == Kind::Quantity;
        if quantity(self) != quantity(other) {
            return false;
        }
        match (self.unit, other.unit) {
            (Some(a), Some(b)) => a == b,
            _ => !quantity(self),
        }
    }

    fn approximate(&self) -> bool {
        matches!(self.f.qualifier.as_deref(), Some("~") | Some(">") | Some("<"))
            || vocab().figures.count_multipliers.iter().any(|m| self.f.raw.contains(m.word.as_str()))
    }
}

/// The amounts of a paragraph, in order.
pub(crate) fn amounts<'a>(items: &[Item<'a>]) -> Vec<Amount<'a>> {
    let mut out = Vec::new();
    for it in items {
        if is_amount(it.f) {
            let mut a = Amount::fraction_side(it, Role::Whole, it.f.value.unwrap_or(0.0));
            a.money = it.f.kind == Kind::Money;
            out.push(a);
        } else if it.f.kind == Kind::Fraction {
            if let (Some(n), Some(d)) = (it.f.numerator, it.f.denominator) {
                out.push(Amount::fraction_side(it, Role::Numerator, n));
                out.push(Amount::fraction_side(it, Role::Denominator, d));
            }
        }
    }
    out
}

/// A part and a base with the prior of the pairing.
#[derive(Debug, Clone, Copy)]
pub struct Pairing<'a> {
    pub part: Amount<'a>,
    pub base: Amount<'a>,
    pub prior: f64,
}

/// The part of the percent `items[k]`: the nearest whole amount before it in
/// its sentence, with no other percent between (growths may share a part:
/// "11.580 tỷ đồng, vượt 11,69% so dự toán, tăng 10,48% so cùng kỳ").
pub(crate) fn part_of<'a>(_text: &str, items: &[Item<'a>], k: usize, amounts: &[Amount<'a>], ctx: &Around) -> Option<Amount<'a>> {
    let p = &items[k];
    let a = amounts[..amounts.partition_point(|a| a.end <= p.start)].last()?;
    if a.role != Role::Whole || a.sent != p.sent || p.start - a.end > PART_GAP {
        return None;
    }
    let between = items[items.partition_point(|g| g.start < a.end)..k].iter();
    let mut percents = 0;
    for g in between {
        match g.f.kind {
            Kind::Percent => percents += 1,
            Kind::Date | Kind::Period => {}
            _ => return None,
        }
    }
    (percents == 0 || ctx.growth.is_some()).then_some(*a)
}

/// Every base candidate for `part` with its prior.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bases<'a>(
    text: &str,
    items: &[Item<'a>],
    k: usize,
    part: &Amount<'a>,
    amounts: &[Amount<'a>],
    prev: &[Amount<'a>],
    parts_of_claims: &HashSet<usize>,
    ctx: &Around,
) -> Vec<Pairing<'a>> {
    let p = &items[k];
    let stated = p.f.value.unwrap_or(0.0);
    let may_exceed = stated > 100.0 || ctx.comparison_after || ctx.growth.is_some();
    let ok = |b: &Amount| b.compatible(part) && b.value > 0.0 && (may_exceed || b.value >= part.value) && !(b.item == part.item && b.role == part.role);
    let mut out = Vec::new();
    // Announced after the percent.
    if ctx.base_after || (ctx.comparison_after && ctx.growth.is_some()) {
        let after = amounts.get(amounts.partition_point(|a| a.start < p.end));
        if let Some(b) = after.filter(|b| b.sent == p.sent && b.start - p.end <= BASE_AFTER_GAP && b.role == Role::Whole) {
            let no_percent_between = items[k + 1..items.partition_point(|g| g.start < b.start)].iter().all(|g| g.f.kind != Kind::Percent);
            // In the same clause: "so cùng kỳ (10.482 tỷ đồng)", not "so cùng kỳ; sản lượng … 8.223"
            // nor "so với cùng kỳ (trong đó, 131.000 lượt …".
            let between = slice(text, p.end, b.start);
            let same_clause = !between.contains([',', ';', '.']) && !contains_any(between, &lower_words().breakdown);
            if no_percent_between && same_clause && ok(b) {
                out.push(Pairing { part: *part, base: *b, prior: 10.0 });
            }
        }
    }
    // Before the part, nearest first.
    let breakdown = &lower_words().breakdown;
    let mut rank_in_sentence = std::collections::HashMap::new();
    let before = &amounts[..amounts.partition_point(|a| a.end <= part.start)];
    for b in before.iter().rev().take(MAX_CANDIDATES) {
        let back = part.sent.saturating_sub(b.sent);
        if back > MAX_SENTENCES_BACK {
            break;
        }
        if !ok(b) {
            continue;
        }
        let rank = rank_in_sentence.entry(b.sent).or_insert(0usize);
        let mut prior = if back == 0 { 6.0 } else { 4.0 - (back - 1) as f64 } - 0.5 * *rank as f64;
        *rank += 1;
        let between = slice(text, b.end, part.start);
        let marker = contains_any(between, breakdown);
        if marker && opens_breakdown(text, b, amounts, breakdown) {
            prior += 3.0;
        }
        if parts_of_claims.contains(&b.item) && b.role == Role::Whole && !marker {
            prior -= 3.0;
        }
        if b.unit.is_none() || part.unit.is_none() {
            prior -= 1.0;
        }
        out.push(Pairing { part: *part, base: *b, prior });
        // Read the other way round: "5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97%",
        // the earlier amount is the part and the nearest one its base.
        if back == 0 && b.role == Role::Whole && b.compatible(part) && b.value > 0.0 && (may_exceed || part.value >= b.value) {
            out.push(Pairing { part: *b, base: *part, prior: prior - 2.0 });
        }
    }
    // The closing amounts of the previous paragraph (news pages: "tiếp nhận
    // 10,18 ngàn hồ sơ." then "đã giải quyết 8,98 ngàn HS (đạt 88,2%)").
    for (rank, b) in prev.iter().rev().enumerate() {
        if ok(b) {
            let sibling = if b.was_part { 3.0 } else { 0.0 };
            out.push(Pairing { part: *part, base: *b, prior: 1.0 - 0.2 * rank as f64 - sibling });
        }
    }
    out
}

/// True when `b` is the last amount before the breakdown word that follows it.
/// `words` are lower case ([`lower_words`]).
fn opens_breakdown(text: &str, b: &Amount, amounts: &[Amount], words: &Words) -> bool {
    let rest = slice(text, b.end, b.end + 120);
    let lower = rest.to_lowercase();
    let Some(m) = words.first_in(&lower) else { return false };
    // Byte offsets of the lowercase copy may differ slightly; the window is bounded either way.
    let next = amounts.partition_point(|a| a.start <= b.end);
    amounts.get(next).is_none_or(|a| a.start >= b.end + m)
}

/// How a stated percent is read against candidate pairings.
pub(crate) enum Judged<'a> {
    Fits { pairing: Pairing<'a>, computed: f64, explained_by: Option<String>, level: u8 },
    Fails { pairing: Pairing<'a>, computed: f64, confident: bool },
    NoBase,
}

/// The computed percent of a pairing: share, or growth part/base − 1.
fn computed(pairing: &Pairing, ctx: &Around) -> f64 {
    let r = pairing.part.value / pairing.base.value * 100.0;
    match ctx.growth {
        Some(sign) => sign * (r - 100.0),
        None => r,
    }
}

/// 3 rounded, 2 truncated or the qualifier's inequality holds, 1 within a
/// point for approximate figures, 0 no fit.
pub(crate) fn fits(exact: f64, stated: f64, decimals: usize, qualifier: Option<&str>, approximate: bool) -> u8 {
    match qualifier {
        Some(">") | Some(">=") if exact >= stated - 1e-9 => return 2,
        Some("<") | Some("<=") if exact <= stated + 1e-9 => return 2,
        Some("~") if (exact - stated).abs() < 1.0 => return 1,
        _ => {}
    }
    match arith::fit_level(exact, stated, decimals) {
        0 if approximate && (exact - stated).abs() <= 1.0 => 1,
        level => level,
    }
}

/// The likeliest pairing that fits, else the likeliest pairing and whether
/// it is confident enough to accuse.
pub(crate) fn judge<'a>(part: &Amount<'a>, bases: &[Pairing<'a>], stated: f64, decimals: usize, p: &Figure, ctx: &Around) -> Judged<'a> {
    let Some(primary) = bases.iter().copied().max_by(|a, b| a.prior.total_cmp(&b.prior)) else { return Judged::NoBase };
    let level_of = |c: &Pairing| {
        let approx = ctx.approximate || c.part.approximate() || c.base.approximate();
        fits(computed(c, ctx), stated, decimals, p.qualifier.as_deref(), approx)
    };
    let bonus = |l: u8| match l {
        3 => 3.0,
        2 => 1.5,
        _ => 0.5,
    };
    let best = bases
        .iter()
        .copied()
        .map(|c| (c, level_of(&c)))
        .filter(|(_, l)| *l > 0)
        .max_by(|(a, la), (b, lb)| (a.prior + bonus(*la)).total_cmp(&(b.prior + bonus(*lb))));
    let primary_fits = level_of(&primary) > 0;
    if let Some((c, level)) = best {
        let explained_by = (!primary_fits).then(|| {
            let subject = c.base.f.subject.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
            format!("cơ sở là {}{} (không phải {})", vn_auto(c.base.value), subject, vn_auto(primary.base.value))
        });
        return Judged::Fits { pairing: c, computed: computed(&c, ctx), explained_by, level };
    }
    let own = |c: &&Pairing| c.part.item == part.item && c.part.role == part.role;
    let same_sentence_candidates = bases.iter().filter(own).filter(|c| c.base.same_para && c.base.sent == part.sent && c.prior < 10.0).count();
    let units_named = matches!((part.unit, primary.base.unit), (Some(a), Some(b)) if a == b) || (part.money && primary.base.money);
    let confident = primary.prior >= 10.0
        || (ctx.growth.is_none()
            && ctx.share_word
            && units_named
            && primary.base.same_para
            && primary.base.sent == part.sent
            && same_sentence_candidates == 1
            && !ctx.approximate
            && !part.approximate()
            && !primary.base.approximate());
    Judged::Fails { pairing: primary, computed: computed(&primary, ctx), confident }
}
