//! The review page: one self-contained HTML file (inline CSS, JS and SVG, no
//! network) that shows every finding in its source paragraph, every claim
//! with its verdict, the appendix tables with the flagged cells, and the
//! most reported indicators across units.
//!
//! Files: `data.rs` (dataset → view structs, numbers formatted), `highlight.rs`
//! (the quote inside its paragraph, figures marked), `chart.rs` (bar charts
//! and the unit × indicator table from `report::compare`'s values), and the
//! template `templates/review.html` rendered by minijinja with HTML
//! autoescape; `review.css` and `review.js` are inlined verbatim.
//!
//! Size: every finding, claim, section and table cell is rendered in the
//! HTML (the page is complete without JavaScript, and searchable); per
//! document blocks are `<details>` closed above `data::OPEN_DOCS_UP_TO`
//! documents and use `content-visibility: auto`, so the browser lays out only
//! what is on screen.

mod chart;
mod data;
mod highlight;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use minijinja::{escape_formatter, AutoEscape, Environment, Output, State, Value};

use crate::canon::indicators::Catalog;
use crate::model::Dataset;
use crate::util::write_atomically;

pub use data::{anchor_of, Page};

/// Indicators drawn as charts and as columns of the unit × indicator table
/// unless told otherwise.
pub const DEFAULT_INDICATORS: usize = 10;
/// `Details::Auto` packs the per-document details above this many documents.
pub const LAZY_ABOVE: usize = 100;

const TEMPLATE: &str = include_str!("templates/review.html");
const HEAVY: &str = include_str!("templates/heavy.html");
const CSS: &str = include_str!("templates/review.css");
const JS: &str = include_str!("templates/review.js");

/// How the per-document details (section tree, claims, appendix tables) are
/// put in the page.  Findings are always plain HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Details {
    /// Inline up to `LAZY_ABOVE` documents, packed above.
    #[default]
    Auto,
    /// Plain HTML: printable and readable without JavaScript.
    Inline,
    /// Rendered to HTML, gzip'ed and base64'ed in the page; the browser
    /// unpacks (DecompressionStream) a document's details when it is opened.
    /// About a quarter of the size, and nothing to lay out until then.
    Lazy,
}

/// What to show.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// How many indicators get a chart and a column (the most reported).
    pub indicators: usize,
    /// Shown in the page header (the dataset folder).
    pub dataset_label: String,
    pub details: Details,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions { indicators: DEFAULT_INDICATORS, dataset_label: String::new(), details: Details::Auto }
    }
}

/// HTML escaping of `& < > " '` only (minijinja's default also escapes `/`,
/// which grows a page of dates and document numbers for nothing).
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    if value.is_safe() || state.auto_escape() != AutoEscape::Html {
        return escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i])?;
        out.write_str(rep)?;
        last = i + 1;
    }
    out.write_str(&text[last..])?;
    Ok(())
}

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(html_formatter);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template("review.html", TEMPLATE).context("review template")?;
    env.add_template("heavy.html", HEAVY).context("review details template")?;
    Ok(env)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn gzip(text: &str) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).context("gzip")?;
    enc.finish().context("gzip")
}

/// The page as a string.
pub fn render(ds: &Dataset, cat: &Catalog, opts: &ReviewOptions) -> Result<String> {
    let mut page = data::gather(ds, cat, &opts.dataset_label, opts.indicators);
    let env = environment()?;
    let lazy = match opts.details {
        Details::Auto => page.docs.len() > LAZY_ABOVE,
        Details::Inline => false,
        Details::Lazy => true,
    };
    if lazy {
        let heavy = env.get_template("heavy.html").context("review details template")?;
        for d in &mut page.docs {
            let html =
                heavy.render(minijinja::context! { d => Value::from_serialize(&*d), open_docs => page.open_docs }).context("rendering a document's details")?;
            d.heavy_gz = base64(&gzip(&html)?);
        }
    }
    let tmpl = env.get_template("review.html").context("review template")?;
    let ctx = minijinja::context! {
        page => Value::from_serialize(&page),
        open_docs => page.open_docs,
        css => Value::from_safe_string(CSS.to_string()),
        js => Value::from_safe_string(JS.to_string()),
    };
    tmpl.render(ctx).context("rendering the review page")
}

/// Renders the page and writes it atomically to `out`.
pub fn write_review(ds: &Dataset, cat: &Catalog, out: &Path, opts: &ReviewOptions) -> Result<()> {
    let html = render(ds, cat, opts)?;
    write_atomically(out, |f| f.write_all(html.as_bytes()).with_context(|| format!("writing {}", out.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        for (raw, enc) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(raw.as_bytes()), enc);
        }
    }

    #[test]
    fn escapes_html_but_not_slashes() {
        let env = environment().unwrap_or_else(|e| panic!("{e:#}"));
        let out = env.render_str("{{ x }}|{{ n }}", minijinja::context! { x => "<b>02/KH-UBND</b> & \"x\"", n => () }).unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(out, "&lt;b&gt;02/KH-UBND&lt;/b&gt; &amp; &quot;x&quot;|");
    }
}
