//! Leaf grammars shared by several stages (they depend only on the
//! vocabulary): section markers (layout and sections), Roman numerals.

pub mod markers;
pub mod roman;

use nom::IResult;
use rustc_hash::FxHashSet;

use crate::vocab::{first_char_key, starts_with_word};

/// A vocabulary word as a nom parser (case-insensitive, whole word): the one
/// "tag" of the Vietnamese grammars (section markers, dates and periods).
pub(crate) fn word<'a, 'w>(w: &'w str) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> + 'w {
    move |i: &'a str| match starts_with_word(i, w) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
    }
}

/// The keys ([`first_char_key`]) of the last characters of a word list: a
/// text that ends in another character ends with none of the words
/// ([`crate::vocab::ends_with_word`] compares that character first), so a
/// look-up over the whole list can be skipped.
pub(crate) struct EndKeys(Option<FxHashSet<char>>);

impl EndKeys {
    pub(crate) fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> EndKeys {
        // An empty word ends any text: then no text is ruled out.
        EndKeys(words.into_iter().map(|w| w.chars().next_back().map(first_char_key)).collect())
    }

    /// False when `text` cannot end with any of the words.
    pub(crate) fn may_end(&self, text: &str) -> bool {
        match &self.0 {
            Some(keys) => text.chars().next_back().is_some_and(|c| keys.contains(&first_char_key(c))),
            None => true,
        }
    }
}
