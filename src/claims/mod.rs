//! Claims: what each paragraph says about its figures. A stated percent is
//! read with the connective words around it and paired with the part and
//! the base it is about; ranks and scores are claims of their own.
//!
//! ```text
//! claim     := explicit | implicit | rank | score
//! explicit  := FRACTION … (share_word)? PERCENT          "843/847 hồ sơ đạt 99,52%"
//!            | PERCENT "(" FRACTION ")"                  "Trên 80% (1.397/1.725 TTHC)"
//! implicit  := BASE … PART … (share_word | growth_word) PERCENT (base_after BASE)?
//!              BASE in the same sentence, an earlier sentence of the paragraph, the
//!              previous paragraph, or after the percent ("trong tổng số … (58 hồ sơ)",
//!              "so cùng kỳ (10.482 tỷ đồng)")
//! kind      := growth     growth word right before the percent ("vượt", "tăng", "giảm")
//!            | share      otherwise, when a part and base fit or the pairing is confident
//!            | target     a plan's level ("phấn đấu", "mục tiêu", "tối thiểu" in the clause)
//!            | threshold  a bound ("dưới 90%") that is not the share of the figures beside it
//!            | rank | score
//! ```
//!
//! Explain before accusing: every base candidate of a compatible unit is
//! tried (rounded, truncated, approximate), preferring the likeliest pairing
//! ([`pairing`]); a claim is `inconsistent` only when no reading fits and
//! the pairing is confident, `unverifiable` when the base is not known.
//! Vocabulary: `[claims]` in `schemas/vocab.toml`.

pub mod arith;
mod pairing;
mod words;

use crate::layout::Para;
use crate::model::{Claim, ClaimForm, ClaimKind, Figure, Kind, Verdict};
use crate::parse::sections::short;

use pairing::{Amount, Pairing, Role};
use std::collections::HashSet;

pub use crate::parse::prose::Placed;

/// One figure of the paragraph being read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    pub f: &'a Figure,
    pub idx: usize,
    pub start: usize,
    pub end: usize,
    pub sent: usize,
}

/// Claims of a document, in reading order. `placed[i]` locates `figures[i]`.
pub fn extract(doc_id: &str, paras: &[Para], figures: &[Figure], placed: &[Placed]) -> Vec<Claim> {
    let mut out = Vec::new();
    let mut prev: Vec<Amount> = Vec::new();
    let mut k = 0;
    while k < figures.len() {
        let para = placed.get(k).map_or(usize::MAX, |p| p.para);
        let mut end = k;
        while end < figures.len() && placed.get(end).map(|p| p.para) == Some(para) {
            end += 1;
        }
        if end == k {
            break;
        }
        let Some(p) = paras.get(para) else {
            k = end;
            continue;
        };
        let amounts = paragraph(doc_id, p, &figures[k..end], &placed[k..end], k, &prev, &mut out);
        // Only the closing amounts of a paragraph can be the base of the next one.
        prev = amounts
            .into_iter()
            .rev()
            .take(pairing::PREV_PARAGRAPH_AMOUNTS)
            .rev()
            .map(|mut a| {
                a.same_para = false;
                a
            })
            .collect();
        k = end;
    }
    for (n, c) in out.iter_mut().enumerate() {
        c.claim_id = format!("{}:c{}", short(doc_id), n + 1);
    }
    out
}

/// The claims of one paragraph; returns its amounts (bases for the next one).
fn paragraph<'a>(doc_id: &str, para: &Para, figs: &'a [Figure], placed: &[Placed], first: usize, prev: &[Amount<'a>], out: &mut Vec<Claim>) -> Vec<Amount<'a>> {
    let text = para.text.as_str();
    let items: Vec<Item> = figs
        .iter()
        .zip(placed)
        .enumerate()
        .map(|(i, (f, p))| Item { f, idx: first + i, start: p.start.min(text.len()), end: p.end.min(text.len()), sent: p.sent })
        .collect();
    let mut amounts = pairing::amounts(&items);
    let mut parts_of_claims: HashSet<usize> = HashSet::new();
    for (k, it) in items.iter().enumerate() {
        let claim = match it.f.kind {
            Kind::Rank | Kind::Score => Some(rank_or_score(it)),
            Kind::Percent if it.f.value.is_some() => Some(percent_claim(text, &items, k, &amounts, prev, &parts_of_claims)),
            _ => None,
        };
        if let Some(c) = claim {
            if let Some(pi) = c.part_item {
                parts_of_claims.insert(pi);
            }
            out.push(c.into_row(doc_id, text, it));
        }
    }
    for a in &mut amounts {
        a.was_part = parts_of_claims.contains(&a.item);
    }
    amounts
}

/// A claim before it becomes a row.
struct Draft<'a> {
    kind: ClaimKind,
    form: ClaimForm,
    pairing: Option<Pairing<'a>>,
    part_only: Option<&'a Figure>,
    part_item: Option<usize>,
    stated: Option<&'a Figure>,
    computed: Option<f64>,
    verdict: Verdict,
    explained_by: Option<String>,
    confidence: f64,
    quote: (usize, usize),
    /// Line/page anchor: the fraction for explicit claims, the percent otherwise.
    anchor: &'a Figure,
}

impl Draft<'_> {
    fn into_row(self, doc_id: &str, text: &str, it: &Item) -> Claim {
        let (part, base) = match &self.pairing {
            Some(p) => (Some(p.part), Some(p.base)),
            None => (None, None),
        };
        let part_fig = part.map(|a| a.f).or(self.part_only);
        let part_value = part.map(|a| a.value).or_else(|| self.part_only.and_then(|f| f.value));
        let quote = text.get(self.quote.0..self.quote.1).unwrap_or(it.f.raw.as_str()).to_string();
        let base_line = base.filter(|b| b.f.line != self.anchor.line).map(|b| b.f.line);
        Claim {
            doc_id: doc_id.to_string(),
            claim_id: String::new(),
            section_id: self.anchor.section_id.clone(),
            page: self.anchor.page,
            line: self.anchor.line,
            kind: self.kind,
            part_value,
            part_figure_id: part_fig.map(|f| f.figure_id.clone()),
            part_subject: part_fig.and_then(|f| f.subject.clone()),
            base_value: base.map(|b| b.value),
            base_figure_id: base.map(|b| b.f.figure_id.clone()),
            base_subject: base.and_then(|b| b.f.subject.clone()),
            stated_percent: self.stated.and_then(|f| f.value),
            stated_raw: self.stated.map(|f| f.raw.clone()),
            qualifier: self.stated.and_then(|f| f.qualifier.clone()),
            computed_percent: self.computed.map(|v| (v * 10000.0).round() / 10000.0),
            verdict: self.verdict,
            explained_by: self.explained_by,
            confidence: (self.confidence * 100.0).round() / 100.0,
            indicator: None,
            quote,
            form: self.form,
            unit: part.and_then(|a| a.unit.map(str::to_string)).or_else(|| part_fig.and_then(|f| f.unit.clone())),
            stated_figure_id: self.stated.map(|f| f.figure_id.clone()),
            base_line,
        }
    }
}

/// "xếp hạng 13/63", "69,63/100 điểm": position within the field, points
/// within the scale.
fn rank_or_score<'a>(it: &Item<'a>) -> Draft<'a> {
    let f = it.f;
    let kind = if f.kind == Kind::Rank { ClaimKind::Rank } else { ClaimKind::Score };
    let (n, d) = (f.numerator.unwrap_or(0.0), f.denominator.unwrap_or(0.0));
    let low = if kind == ClaimKind::Rank { 1.0 } else { 0.0 };
    let ok = d > 0.0 && n >= low && n <= d;
    let whole = Amount::fraction_side(it, Role::Numerator, n);
    let field = Amount::fraction_side(it, Role::Denominator, d);
    Draft {
        kind,
        form: ClaimForm::Explicit,
        pairing: Some(Pairing { part: whole, base: field, prior: 10.0 }),
        part_only: None,
        part_item: None,
        stated: None,
        computed: None,
        verdict: if ok { Verdict::Consistent } else { Verdict::Inconsistent },
        explained_by: None,
        confidence: 0.9,
        quote: (it.start, it.end),
        anchor: f,
    }
}

/// The claim of a stated percent: explicit (a fraction beside it) or
/// implicit (part and base in words).
fn percent_claim<'a>(text: &str, items: &[Item<'a>], k: usize, amounts: &[Amount<'a>], prev: &[Amount<'a>], parts_of_claims: &HashSet<usize>) -> Draft<'a> {
    let p = &items[k];
    let ctx = words::Around::of(text, items, k);
    if let Some(j) = explicit_fraction(text, items, k) {
        return explicit(items, j, p, &ctx);
    }
    implicit(text, items, k, amounts, prev, parts_of_claims, &ctx)
}

/// The fraction this percent is stated for: the figures grammar attached it
/// (`stated_percent`), before it in the clause or right after it in brackets.
fn explicit_fraction(text: &str, items: &[Item], k: usize) -> Option<usize> {
    let p = &items[k];
    let v = p.f.value?;
    if let Some(next) = items.get(k + 1) {
        let between = text.get(p.end..next.start).unwrap_or("");
        if next.f.kind == Kind::Fraction && between.trim() == "(" && next.f.stated_percent == Some(v) {
            return Some(k + 1);
        }
    }
    // Bounded look-back (dates and periods may stand between).
    for j in (k.saturating_sub(8)..k).rev() {
        let g = &items[j];
        match g.f.kind {
            Kind::Fraction if g.sent == p.sent => return (g.f.stated_percent == Some(v)).then_some(j),
            Kind::Date | Kind::Period => continue,
            _ => return None,
        }
    }
    None
}

fn explicit<'a>(items: &[Item<'a>], j: usize, p: &Item<'a>, ctx: &words::Around) -> Draft<'a> {
    let fr = &items[j];
    let (n, d) = (fr.f.numerator.unwrap_or(0.0), fr.f.denominator.unwrap_or(0.0));
    let stated = p.f.value.unwrap_or(0.0);
    let decimals = arith::decimals_written(&p.f.raw);
    let pairing = Pairing { part: Amount::fraction_side(fr, Role::Numerator, n), base: Amount::fraction_side(fr, Role::Denominator, d), prior: 10.0 };
    let quote = (fr.start.min(p.start), fr.end.max(p.end));
    let mut draft = Draft {
        kind: ClaimKind::Share,
        form: ClaimForm::Explicit,
        pairing: Some(pairing),
        part_only: None,
        part_item: Some(fr.idx),
        stated: Some(p.f),
        computed: None,
        verdict: Verdict::Unverifiable,
        explained_by: None,
        confidence: 0.95,
        quote,
        anchor: fr.f,
    };
    if d <= 0.0 {
        return draft;
    }
    let approx = ctx.approximate || fr.f.qualifier.as_deref() == Some("~");
    let share = n / d * 100.0;
    let growth = ctx.growth.map(|sign| sign * (n / d * 100.0 - 100.0));
    if let Some(g) = growth {
        draft.kind = ClaimKind::Growth;
        draft.computed = Some(g);
        if pairing::fits(g, stated, decimals, p.f.qualifier.as_deref(), approx) > 0 {
            draft.verdict = Verdict::Consistent;
            return draft;
        }
    }
    if pairing::fits(share, stated, decimals, p.f.qualifier.as_deref(), approx) > 0 {
        draft.kind = ClaimKind::Share;
        draft.computed = Some(share);
        draft.verdict = Verdict::Consistent;
        if growth.is_some() {
            draft.explained_by = Some(format!("tỷ lệ {}/{} (không phải mức tăng)", crate::util::vn_auto(n), crate::util::vn_auto(d)));
        }
        return draft;
    }
    draft.computed = Some(growth.unwrap_or(share));
    if ctx.comparison_qualifier(p.f) {
        draft.kind = ClaimKind::Threshold;
        draft.computed = Some(share);
        draft.verdict = Verdict::Unverifiable;
        draft.explained_by = Some("ngưỡng, không phải tỷ lệ của phân số bên cạnh".into());
        return draft;
    }
    if ctx.target {
        draft.kind = ClaimKind::Target;
        draft.verdict = Verdict::Unverifiable;
        return draft;
    }
    draft.verdict = Verdict::Inconsistent;
    draft
}

#[allow(clippy::too_many_arguments)]
fn implicit<'a>(
    text: &str,
    items: &[Item<'a>],
    k: usize,
    amounts: &[Amount<'a>],
    prev: &[Amount<'a>],
    parts_of_claims: &HashSet<usize>,
    ctx: &words::Around,
) -> Draft<'a> {
    let p = &items[k];
    let stated = p.f.value.unwrap_or(0.0);
    let decimals = arith::decimals_written(&p.f.raw);
    let mut draft = Draft {
        kind: if ctx.growth.is_some() { ClaimKind::Growth } else { ClaimKind::Share },
        form: ClaimForm::Implicit,
        pairing: None,
        part_only: None,
        part_item: None,
        stated: Some(p.f),
        computed: None,
        verdict: Verdict::Unverifiable,
        explained_by: None,
        confidence: 0.2,
        quote: (p.start, p.end),
        anchor: p.f,
    };
    let Some(part) = pairing::part_of(text, items, k, amounts, ctx) else {
        draft.kind = fallback_kind(ctx, p.f, draft.kind);
        return draft;
    };
    draft.part_only = Some(part.f);
    draft.part_item = Some(part.item);
    draft.quote = (part.start.min(p.start), p.end);
    let bases = pairing::bases(text, items, k, &part, amounts, prev, parts_of_claims, ctx);
    let judged = pairing::judge(&part, &bases, stated, decimals, p.f, ctx);
    match judged {
        pairing::Judged::Fits { pairing, computed, explained_by, level } => {
            draft.confidence = if explained_by.is_none() { (0.6 + pairing.prior / 25.0).min(0.95) } else { 0.5 } * if level >= 2 { 1.0 } else { 0.8 };
            draft.quote = quote_of(&pairing, p);
            draft.part_item = Some(pairing.part.item);
            draft.part_only = Some(pairing.part.f);
            draft.pairing = Some(pairing);
            draft.computed = Some(computed);
            draft.verdict = Verdict::Consistent;
            draft.explained_by = explained_by;
        }
        pairing::Judged::Fails { pairing, computed, confident } => {
            draft.quote = quote_of(&pairing, p);
            draft.computed = Some(computed);
            let kind = fallback_kind(ctx, p.f, draft.kind);
            if kind != draft.kind {
                draft.kind = kind;
                draft.pairing = Some(pairing);
                return draft;
            }
            draft.pairing = Some(pairing);
            if confident {
                draft.verdict = Verdict::Inconsistent;
                draft.confidence = 0.85;
            } else {
                draft.confidence = 0.3;
            }
        }
        pairing::Judged::NoBase => {
            draft.kind = fallback_kind(ctx, p.f, draft.kind);
        }
    }
    draft
}

/// A percent that is not a verified share: a plan's target or a bound.
fn fallback_kind(ctx: &words::Around, p: &Figure, kind: ClaimKind) -> ClaimKind {
    if ctx.target {
        ClaimKind::Target
    } else if ctx.comparison_qualifier(p) {
        ClaimKind::Threshold
    } else {
        kind
    }
}

fn quote_of(pairing: &Pairing, p: &Item) -> (usize, usize) {
    let mut lo = pairing.part.start.min(p.start);
    let mut hi = p.end.max(pairing.part.end);
    if pairing.base.same_para {
        lo = lo.min(pairing.base.start);
        hi = hi.max(pairing.base.end);
    }
    // A base far back in the paragraph is named by its id, not quoted.
    if hi - lo > 600 {
        lo = pairing.part.start.min(p.start);
        hi = p.end.max(pairing.part.end);
    }
    (lo, hi)
}

/// True for kinds of figure that can be the part or base of a claim.
pub(crate) fn is_amount(f: &Figure) -> bool {
    matches!(f.kind, Kind::Count | Kind::Money | Kind::Quantity) && f.value.is_some()
}
