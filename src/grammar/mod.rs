//! Leaf grammars shared by several stages (they depend only on the
//! vocabulary): section markers (layout and sections), Roman numerals.

pub mod markers;
pub mod roman;
