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
use minijinja::{AutoEscape, Environment, Value};

use crate::canon::indicators::Catalog;
use crate::model::Dataset;
use crate::util::write_atomically;

pub use data::{anchor_of, Page};

/// Indicators drawn as charts and as columns of the unit × indicator table
/// unless told otherwise.
pub const DEFAULT_INDICATORS: usize = 10;

const TEMPLATE: &str = include_str!("templates/review.html");
const CSS: &str = include_str!("templates/review.css");
const JS: &str = include_str!("templates/review.js");

/// What to show.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// How many indicators get a chart and a column (the most reported).
    pub indicators: usize,
    /// Shown in the page header (the dataset folder).
    pub dataset_label: String,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions { indicators: DEFAULT_INDICATORS, dataset_label: String::new() }
    }
}

/// The page as a string.
pub fn render(ds: &Dataset, cat: &Catalog, opts: &ReviewOptions) -> Result<String> {
    let page = data::gather(ds, cat, &opts.dataset_label, opts.indicators);
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template("review.html", TEMPLATE).context("review template")?;
    let tmpl = env.get_template("review.html").context("review template")?;
    let ctx = minijinja::context! {
        page => Value::from_serialize(&page),
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
