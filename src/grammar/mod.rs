//! Leaf grammars shared by several stages (they depend only on the
//! vocabulary): section markers (layout and sections), Roman numerals.

pub mod markers;
pub mod roman;

use nom::IResult;

use crate::vocab::starts_with_word;

/// A vocabulary word as a nom parser (case-insensitive, whole word): the one
/// "tag" of the Vietnamese grammars (section markers, dates and periods).
pub(crate) fn word<'a, 'w>(w: &'w str) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> + 'w {
    move |i: &'a str| match starts_with_word(i, w) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
    }
}
