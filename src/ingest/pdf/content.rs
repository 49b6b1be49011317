//! Content-stream interpreter: the text and graphics state machine that turns
//! operators into positioned glyphs, ruling segments and image boxes.
//! Coordinates are PDF user space of the page (y up); `words.rs` flips them.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{DecodedGlyph, Font};
use super::lexer::Operand;
use super::objects::{as_dict, get_dict, get_name, num_array, resolve};
use super::PdfError;

/// Deepest nesting of Form XObjects we follow.
const MAX_FORM_DEPTH: usize = 12;
/// Largest decoded content stream (bytes).
const MAX_CONTENT_BYTES: usize = 256 << 20;
/// Thickness under which a filled rectangle counts as a rule.
const RULE_THICKNESS: f32 = 3.0;

/// A glyph placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: compact_str::CompactString,
    pub x0: f32,
    pub x1: f32,
    /// Baseline, PDF user space (y up).
    pub baseline: f32,
    /// Effective font size (text matrix and CTM applied).
    pub size: f32,
    pub ascent: f32,
    pub descent: f32,
    /// Index into the document's [`FontCache`].
    pub font: usize,
    pub code: u32,
    /// Marked-content id of the innermost tagged sequence (tagged PDF).
    pub mcid: Option<i64>,
}

/// A straight horizontal or vertical painted segment (table rules).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// Everything one page's content produced.
#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// Image bounding boxes [x0, y0, x1, y1].
    pub images: Vec<[f32; 4]>,
    /// Glyphs dropped because their text direction is not horizontal.
    pub rotated_glyphs: usize,
    /// Warnings met while interpreting (bad streams, missing fonts).
    pub warnings: Vec<String>,
}

/// Fonts loaded once per document, shared by all pages.
#[derive(Debug, Default)]
pub struct FontCache {
    pub fonts: Vec<Font>,
    by_id: HashMap<ObjectId, usize>,
    by_address: HashMap<usize, usize>,
}

impl FontCache {
    /// Index of the font that `obj` (a font dictionary or a reference) denotes.
    fn index_of(&mut self, doc: &Document, obj: &Object) -> Option<usize> {
        if let Object::Reference(id) = obj {
            if let Some(&i) = self.by_id.get(id) {
                return Some(i);
            }
            let dict = as_dict(resolve(doc, obj))?;
            self.fonts.push(Font::load(doc, dict));
            self.by_id.insert(*id, self.fonts.len() - 1);
            return Some(self.fonts.len() - 1);
        }
        // A direct font dictionary: cached by its address in the document,
        // which does not move while the document is borrowed.
        let dict = as_dict(obj)?;
        let key = dict as *const Dictionary as usize;
        if let Some(&i) = self.by_address.get(&key) {
            return Some(i);
        }
        self.fonts.push(Font::load(doc, dict));
        self.by_address.insert(key, self.fonts.len() - 1);
        Some(self.fonts.len() - 1)
    }
}

/// Counts operators against the per-file limit.
#[derive(Debug)]
pub struct OpBudget {
    pub used: usize,
    pub max: usize,
}

impl OpBudget {
    fn spend(&mut self) -> Result<(), PdfError> {
        self.used += 1;
        if self.used > self.max {
            return Err(PdfError::TooComplex(format!("more than {} content operators", self.max)));
        }
        Ok(())
    }
}

/// A 2-D affine matrix [a b c d e f].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn from_slice(v: &[f32]) -> Option<Matrix> {
        let m: [f32; 6] = v.get(..6)?.try_into().ok()?;
        m.iter().all(|x| x.is_finite()).then_some(Matrix(m))
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// self × other (apply self first, then other).
    fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od, e * oa + f * oc + oe, e * ob + f * od + of])
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

/// Text state parameters (saved with q/Q).
#[derive(Debug, Clone, Copy)]
struct TextState {
    font: Option<usize>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for TextState {
    fn default() -> Self {
        TextState { font: None, size: 0.0, char_spacing: 0.0, word_spacing: 0.0, h_scale: 1.0, leading: 0.0, rise: 0.0 }
    }
}

/// The part of the graphics state we track.
#[derive(Debug, Clone, Copy)]
struct GraphicsState {
    ctm: Matrix,
    text: TextState,
    /// The fill and stroke colours are not white (paint would show on paper).
    fill_shows: bool,
    stroke_shows: bool,
}

/// Whether colour components (gray, RGB or CMYK by their count) are
/// visible on white paper; anything else (patterns, named spaces) is.
fn shows(components: &[f32]) -> bool {
    const WHITE: f32 = 0.97;
    match components {
        [g] => *g < WHITE,
        [r, g, b] => *r < WHITE || *g < WHITE || *b < WHITE,
        [c, m, y, k] => [c, m, y, k].iter().any(|v| **v > 1.0 - WHITE),
        _ => true,
    }
}

/// The path being built (already in page space).
#[derive(Debug, Default)]
struct PathBuilder {
    segments: Vec<Segment>,
    current: Option<(f32, f32)>,
    start: Option<(f32, f32)>,
}

/// Interprets the content streams of one page (and its forms).
pub struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    budget: &'a mut OpBudget,
    gs: GraphicsState,
    stack: Vec<GraphicsState>,
    tm: Matrix,
    tlm: Matrix,
    path: PathBuilder,
    depth: usize,
    /// Marked-content sequences open (with their MCID when they have one).
    marked: Vec<Option<i64>>,
    /// The glyphs of the string being shown (reused from string to string).
    decoded: Vec<DecodedGlyph>,
    /// The bytes of a hex string being shown (reused likewise).
    string_buf: Vec<u8>,
    out: PageContent,
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, fonts: &'a mut FontCache, budget: &'a mut OpBudget) -> Self {
        Interpreter {
            doc,
            fonts,
            budget,
            gs: GraphicsState { ctm: Matrix::IDENTITY, text: TextState::default(), fill_shows: true, stroke_shows: true },
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: PathBuilder::default(),
            depth: 0,
            marked: Vec::new(),
            decoded: Vec::new(),
            string_buf: Vec::new(),
            out: PageContent::default(),
        }
    }

    /// Start from a page's initial matrix [a b c d e f] instead of the
    /// identity: the page's /Rotate turned back, so that what the viewer
    /// shows upright is upright here.
    pub fn with_initial_matrix(mut self, m: [f32; 6]) -> Self {
        if let Some(m) = Matrix::from_slice(&m) {
            self.gs.ctm = m;
        }
        self
    }

    /// Room for `n` glyphs up front.
    pub fn with_glyph_capacity(mut self, n: usize) -> Self {
        self.out.glyphs.reserve(n);
        self
    }

    /// Run a page's content with its resources and return what it painted.
    pub fn run_page(mut self, content: &[u8], resources: Option<&Dictionary>) -> Result<PageContent, PdfError> {
        self.run(content, resources)?;
        Ok(self.out)
    }

    fn run(&mut self, content: &[u8], resources: Option<&Dictionary>) -> Result<(), PdfError> {
        let mut ops = super::lexer::operations(content);
        let mut operands = Vec::new();
        while let Some(op) = ops.next_op(&mut operands) {
            self.budget.spend()?;
            match op {
                Ok(operator) => self.execute(operator, &operands, resources)?,
                Err(e) => {
                    self.out.warnings.push(format!("content stream truncated: {e}"));
                    break;
                }
            }
        }
        Ok(())
    }

    fn execute(&mut self, operator: &[u8], operands: &[Operand], res: Option<&Dictionary>) -> Result<(), PdfError> {
        let n = |i: usize| operands.get(i).and_then(Operand::num).unwrap_or(0.0);
        let t = &mut self.gs.text;
        match operator {
            b"q" => self.stack.push(self.gs),
            b"Q" => self.gs = self.stack.pop().unwrap_or(self.gs),
            b"cm" => {
                let (m, len) = first_numbers(operands);
                if let Some(m) = Matrix::from_slice(&m[..len]) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"Tf" => {
                let font = self.font_resource(res, operands.first());
                self.gs.text.size = n(1);
                self.gs.text.font = font;
            }
            b"Tc" => t.char_spacing = n(0),
            b"Tw" => t.word_spacing = n(0),
            b"Tz" => t.h_scale = n(0) / 100.0,
            b"TL" => t.leading = n(0),
            b"Ts" => t.rise = n(0),
            b"Td" => self.next_line(n(0), n(1)),
            b"TD" => {
                self.gs.text.leading = -n(1);
                self.next_line(n(0), n(1));
            }
            b"Tm" => {
                let (m, len) = first_numbers(operands);
                if let Some(m) = Matrix::from_slice(&m[..len]) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.text.leading),
            b"Tj" => self.show_operand(operands.first()),
            b"'" => {
                self.next_line(0.0, -self.gs.text.leading);
                self.show_operand(operands.first());
            }
            b"\"" => {
                self.gs.text.word_spacing = n(0);
                self.gs.text.char_spacing = n(1);
                self.next_line(0.0, -self.gs.text.leading);
                self.show_operand(operands.get(2));
            }
            b"TJ" => self.show_array(operands.first()),
            b"Do" => self.do_xobject(res, operands.first())?,
            b"BI" => self.add_image(),
            b"BMC" => self.marked.push(None),
            b"BDC" => {
                let mcid = self.mcid_of(res, operands.get(1));
                self.marked.push(mcid);
            }
            b"EMC" => {
                self.marked.pop();
            }
            _ => self.path_op(operator, operands),
        }
        Ok(())
    }

    /// Path construction and painting operators.
    fn path_op(&mut self, operator: &[u8], operands: &[Operand]) {
        let (buf, n) = first_numbers(operands);
        match (operator, &buf[..n]) {
            (b"m", [x, y, ..]) => {
                let p = self.gs.ctm.apply(*x, *y);
                self.path.current = Some(p);
                self.path.start = Some(p);
            }
            (b"l", [x, y, ..]) => {
                let p = self.gs.ctm.apply(*x, *y);
                if let Some(c) = self.path.current {
                    self.path.segments.push(Segment { x0: c.0, y0: c.1, x1: p.0, y1: p.1 });
                }
                self.path.current = Some(p);
            }
            (b"c", [.., x, y]) | (b"v", [.., x, y]) | (b"y", [.., x, y]) => self.path.current = Some(self.gs.ctm.apply(*x, *y)),
            (b"h", _) => {
                if let (Some(c), Some(s)) = (self.path.current, self.path.start) {
                    self.path.segments.push(Segment { x0: c.0, y0: c.1, x1: s.0, y1: s.1 });
                    self.path.current = Some(s);
                }
            }
            (b"re", [x, y, w, h, ..]) => self.rect(*x, *y, *w, *h),
            // Colours: a white fill or stroke paints nothing visible (page
            // backgrounds, cell fills in white), so it draws no rule.
            (b"g" | b"rg" | b"k" | b"sc" | b"scn", c) => self.gs.fill_shows = shows(c),
            (b"G" | b"RG" | b"K" | b"SC" | b"SCN", c) => self.gs.stroke_shows = shows(c),
            (b"cs", _) => self.gs.fill_shows = true,
            (b"CS", _) => self.gs.stroke_shows = true,
            (b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*", _) => {
                let visible = match operator {
                    b"S" | b"s" => self.gs.stroke_shows,
                    b"f" | b"F" | b"f*" => self.gs.fill_shows,
                    _ => self.gs.fill_shows || self.gs.stroke_shows,
                };
                if visible {
                    self.out.segments.append(&mut self.path.segments);
                }
                self.path = PathBuilder::default();
            }
            (b"n", _) => self.path = PathBuilder::default(),
            _ => {}
        }
    }

    /// A rectangle: a thin one is one rule along its middle, else its edges.
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let ctm = self.gs.ctm;
        let seg = |ax: f32, ay: f32, bx: f32, by: f32| {
            let (p, q) = (ctm.apply(ax, ay), ctm.apply(bx, by));
            Segment { x0: p.0, y0: p.1, x1: q.0, y1: q.1 }
        };
        let (sw, sh) = (w.abs() * scale_x(&ctm), h.abs() * scale_y(&ctm));
        if sh <= RULE_THICKNESS && sw > sh {
            self.path.segments.push(seg(x, y + h / 2.0, x + w, y + h / 2.0));
        } else if sw <= RULE_THICKNESS {
            self.path.segments.push(seg(x + w / 2.0, y, x + w / 2.0, y + h));
        } else {
            self.path.segments.extend([seg(x, y, x + w, y), seg(x + w, y, x + w, y + h), seg(x + w, y + h, x, y + h), seg(x, y + h, x, y)]);
        }
        let start = ctm.apply(x, y);
        self.path.current = Some(start);
        self.path.start = Some(start);
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn font_resource(&mut self, res: Option<&Dictionary>, name: Option<&Operand>) -> Option<usize> {
        let name = name?.as_name()?;
        let fonts = get_dict(self.doc, res?, b"Font")?;
        let obj = fonts.get(name).ok()?;
        let idx = self.fonts.index_of(self.doc, obj);
        if idx.is_none() {
            self.out.warnings.push(format!("font /{} not found", String::from_utf8_lossy(name)));
        }
        idx
    }

    /// The /MCID of a BDC property list (inline, or named in /Properties).
    fn mcid_of(&self, res: Option<&Dictionary>, props: Option<&Operand>) -> Option<i64> {
        match props? {
            props @ Operand::Dictionary(_) => match props.get(b"MCID")? {
                Operand::Integer(i) => Some(*i),
                _ => None,
            },
            Operand::Name(n) => get_dict(self.doc, get_dict(self.doc, res?, b"Properties")?, n)?.get(b"MCID").ok()?.as_i64().ok(),
            _ => None,
        }
    }

    fn show_operand(&mut self, obj: Option<&Operand>) {
        let mut buf = std::mem::take(&mut self.string_buf);
        if let Some(bytes) = obj.and_then(|o| o.string_bytes(&mut buf)) {
            self.show(bytes);
        }
        self.string_buf = buf;
    }

    fn show_array(&mut self, obj: Option<&Operand>) {
        let Some(Operand::Array(items)) = obj else { return };
        let mut buf = std::mem::take(&mut self.string_buf);
        for item in items {
            if let Some(bytes) = item.string_bytes(&mut buf) {
                self.show(bytes);
            } else if let Some(adj) = item.num() {
                let t = self.gs.text;
                let tx = -adj / 1000.0 * t.size * t.h_scale;
                self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
            }
        }
        self.string_buf = buf;
    }

    /// Show a string: place each glyph and advance the text matrix.
    fn show(&mut self, bytes: &[u8]) {
        let t = self.gs.text;
        let Some(font_idx) = t.font else { return };
        let Some(font) = self.fonts.fonts.get(font_idx) else { return };
        let mut decoded = std::mem::take(&mut self.decoded);
        font.decode_into(bytes, &mut decoded);
        for g in decoded.drain(..) {
            let m = self.tm.then(&self.gs.ctm);
            let adv = g.width * t.size * t.h_scale;
            let (x0, baseline) = m.apply(0.0, t.rise);
            let (x1, _) = m.apply(adv, t.rise);
            let size = t.size * scale_y(&m);
            if m.0[1].abs() > 0.1 * m.0[0].abs() || m.0[0] <= 0.0 {
                self.out.rotated_glyphs += 1;
            } else if !g.text.is_empty() && size > 0.0 {
                self.out.glyphs.push(Glyph {
                    text: g.text,
                    x0,
                    x1: x1.max(x0),
                    baseline,
                    size,
                    ascent: font.ascent,
                    descent: font.descent,
                    font: font_idx,
                    code: g.code,
                    mcid: self.marked.iter().rev().find_map(|m| *m),
                });
            }
            let spacing = t.char_spacing + if g.is_space_byte { t.word_spacing } else { 0.0 };
            let tx = adv + spacing * t.h_scale;
            self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
        }
        self.decoded = decoded;
    }

    fn do_xobject(&mut self, res: Option<&Dictionary>, name: Option<&Operand>) -> Result<(), PdfError> {
        let Some(name) = name.and_then(Operand::as_name) else { return Ok(()) };
        let Some(xobjects) = res.and_then(|r| get_dict(self.doc, r, b"XObject")) else { return Ok(()) };
        let Some(Object::Stream(stream)) = xobjects.get(name).ok().map(|o| resolve(self.doc, o)) else {
            return Ok(());
        };
        match get_name(self.doc, &stream.dict, b"Subtype") {
            Some(b"Image") => self.add_image(),
            Some(b"Form") if self.depth < MAX_FORM_DEPTH => {
                let content = match stream.get_plain_content_with_limit(MAX_CONTENT_BYTES) {
                    Ok(c) => c,
                    Err(e) => {
                        self.out.warnings.push(format!("form XObject unreadable: {e}"));
                        return Ok(());
                    }
                };
                let form_res = get_dict(self.doc, &stream.dict, b"Resources").or(res);
                let matrix = stream.dict.get(b"Matrix").map(|m| num_array(self.doc, m)).unwrap_or_default();
                self.run_form(&content, form_res, Matrix::from_slice(&matrix).unwrap_or(Matrix::IDENTITY))?;
            }
            _ => {}
        }
        Ok(())
    }

    fn run_form(&mut self, content: &[u8], res: Option<&Dictionary>, matrix: Matrix) -> Result<(), PdfError> {
        let saved = (self.gs, self.stack.len(), self.tm, self.tlm);
        self.gs.ctm = matrix.then(&self.gs.ctm);
        self.depth += 1;
        let result = self.run(content, res);
        self.depth -= 1;
        self.gs = saved.0;
        self.stack.truncate(saved.1);
        self.tm = saved.2;
        self.tlm = saved.3;
        result
    }

    /// An image paints the unit square under the CTM.
    fn add_image(&mut self) {
        let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(x, y)| self.gs.ctm.apply(x, y));
        let xs = corners.map(|c| c.0);
        let ys = corners.map(|c| c.1);
        let min = |v: [f32; 4]| v.iter().copied().fold(f32::INFINITY, f32::min);
        let max = |v: [f32; 4]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        self.out.images.push([min(xs), min(ys), max(xs), max(ys)]);
    }
}

/// The first (up to) six numeric operands, non-numbers skipped, and how many.
fn first_numbers(operands: &[Operand]) -> ([f32; 6], usize) {
    let mut buf = [0.0f32; 6];
    let mut n = 0;
    for v in operands.iter().filter_map(Operand::num).take(6) {
        buf[n] = v;
        n += 1;
    }
    (buf, n)
}

fn scale_x(m: &Matrix) -> f32 {
    (m.0[0] * m.0[0] + m.0[1] * m.0[1]).sqrt()
}

fn scale_y(m: &Matrix) -> f32 {
    (m.0[2] * m.0[2] + m.0[3] * m.0[3]).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A document with one simple font /F1 whose glyphs are all 500 wide.
    fn setup() -> (Document, Dictionary) {
        let mut doc = Document::new();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Test", "FirstChar" => 32,
            "Widths" => (32..127).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
        });
        let res = dictionary! { "Font" => dictionary! { "F1" => font } };
        (doc, res)
    }

    fn run(content: &[u8]) -> PageContent {
        let (doc, res) = setup();
        let mut fonts = FontCache::default();
        let mut budget = OpBudget { used: 0, max: 10_000 };
        Interpreter::new(&doc, &mut fonts, &mut budget).run_page(content, Some(&res)).expect("runs")
    }

    #[test]
    fn tj_kerning_moves_glyphs() {
        let c = run(b"BT /F1 10 Tf 100 700 Td [(AB) -1000 (C)] TJ ET");
        let xs: Vec<f32> = c.glyphs.iter().map(|g| g.x0).collect();
        // A at 100, B at 105, kerning -1000 → +10, C at 120.
        assert_eq!(xs, vec![100.0, 105.0, 120.0]);
        assert_eq!(c.glyphs[2].x1, 125.0);
        assert_eq!(c.glyphs[0].baseline, 700.0);
    }

    #[test]
    fn td_tstar_cm_and_spacing() {
        let c = run(b"q 2 0 0 2 0 0 cm BT /F1 10 Tf 12 TL 5 Tw 1 Tc 10 20 Td (A A) Tj T* (B) Tj ET Q");
        let g = &c.glyphs;
        assert_eq!(g[0].x0, 20.0);
        assert_eq!(g[0].size, 20.0);
        // Text space: A at 10, +5+Tc 1 → space at 16, +5+1+Tw 5 → A at 27; ×2 by the CTM.
        assert_eq!(g[2].x0, 54.0);
        assert_eq!(g[3].baseline, 2.0 * (20.0 - 12.0));
    }

    #[test]
    fn rules_from_rect_and_lines() {
        let c = run(b"0 0 100 0.5 re f 10 10 m 10 200 l S 5 5 m 50 5 l n");
        assert_eq!(c.segments.len(), 2);
        assert_eq!(c.segments[0], Segment { x0: 0.0, y0: 0.25, x1: 100.0, y1: 0.25 });
    }

    #[test]
    fn white_paint_draws_no_rule() {
        // A white page background and a white cell fill, then a black border.
        let c = run(b"1 g 0 0 595 842 re f 1 1 1 rg 10 10 100 20 re f 0 g 10 9.75 100 0.5 re f 1 G 0 0 m 0 100 l S");
        assert_eq!(c.segments, vec![Segment { x0: 10.0, y0: 10.0, x1: 110.0, y1: 10.0 }]);
        // Restored by Q; grey fills show.
        let c = run(b"q 1 g Q 0.9 g 0 0 100 0.5 re f");
        assert_eq!(c.segments.len(), 1);
    }

    #[test]
    fn op_budget_stops_work() {
        let (doc, res) = setup();
        let mut fonts = FontCache::default();
        let mut budget = OpBudget { used: 0, max: 3 };
        let r = Interpreter::new(&doc, &mut fonts, &mut budget).run_page(b"q q q q Q Q Q Q", Some(&res));
        assert!(matches!(r, Err(PdfError::TooComplex(_))));
    }
}
