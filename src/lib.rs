//! cchc — Vietnamese administrative-reform (CCHC) reports to clean, checked data.
//!
//! Stages (see ARCHITECTURE.md): `ingest` (bytes → normalized lines) →
//! `layout` (pages, footnotes, paragraphs, table regions) → `parse`
//! (sections, figures, metadata) + `tables` → `canon` (indicators) →
//! `check` (consistency findings) → `write` (Parquet, XLSX).

pub mod grammar;
pub mod model;
pub mod util;
pub mod vocab;

pub mod vn {
    pub mod normalize;
    pub mod syllable;
}

pub mod ingest;
pub mod layout;

pub mod parse {
    pub mod figures;
    pub mod metadata;
    pub mod prose;
    pub mod sections;
    pub mod sentence;
}

pub mod claims;

pub mod check;
pub mod tables;

pub mod canon {
    pub mod indicators;
}

pub mod guard;
pub mod pipeline;
pub mod report;

pub mod write {
    pub mod dataset;
    pub mod parquet;
}

pub mod cli;
