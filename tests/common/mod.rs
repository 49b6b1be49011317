//! Shared by the PDF comparison tests: one report read through the
//! pipeline, and the multiset keys its figures and cells are compared by.

use std::collections::HashMap;
use std::path::Path;

use cchc::model::Extracted;
use cchc::pipeline::{process_file, Options};

pub type Keys = HashMap<String, usize>;

/// A fixture (path relative to the crate) through the whole pipeline.
pub fn run(rel: &str) -> Extracted {
    process_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), &Options::default())
}

/// Figures by raw text, kind, value, fraction and stated percent.
pub fn figure_keys(e: &Extracted) -> Keys {
    let mut m = HashMap::new();
    for f in &e.figures {
        *m.entry(format!("{}|{}|{:?}|{:?}|{:?}|{:?}", f.raw, f.kind, f.value, f.numerator, f.denominator, f.stated_percent)).or_insert(0) += 1;
    }
    m
}

/// Cells by STT, label, column, value and coded option.
pub fn cell_keys(e: &Extracted) -> Keys {
    let mut m = HashMap::new();
    for c in &e.cells {
        *m.entry(format!("{:?}|{:?}|{}|{:?}|{:?}", c.stt, c.label, c.column, c.value, c.option)).or_insert(0) += 1;
    }
    m
}
