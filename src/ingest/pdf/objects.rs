//! Small, panic-free accessors over lopdf objects (references resolved).

use lopdf::{Dictionary, Document, Object};

/// Follow references (bounded by lopdf) to the object itself.
pub(crate) fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

/// `dict[key]`, references resolved.
pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| resolve(doc, o))
}

/// `dict[key]` as a dictionary (a stream's dictionary counts).
pub(crate) fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    get(doc, dict, key).and_then(as_dict)
}

/// An object as a dictionary (a stream's dictionary counts).
pub(crate) fn as_dict(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// `dict[key]` as an array.
pub(crate) fn get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    get(doc, dict, key).and_then(|o| o.as_array().ok())
}

/// `dict[key]` as a name.
pub(crate) fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, dict, key).and_then(|o| o.as_name().ok())
}

/// `dict[key]` as a number.
pub(crate) fn get_num(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    get(doc, dict, key).and_then(num)
}

/// A number object (integer or real) as f32.
pub fn num(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// An array of numbers (references resolved), e.g. a /MediaBox or /Matrix.
pub(crate) fn num_array(doc: &Document, obj: &Object) -> Vec<f32> {
    match resolve(doc, obj) {
        Object::Array(a) => a.iter().filter_map(|o| num(resolve(doc, o))).collect(),
        _ => Vec::new(),
    }
}

/// The decoded bytes of `dict[key]` when it is a stream (bounded size).
pub(crate) fn stream_bytes(doc: &Document, dict: &Dictionary, key: &[u8], limit: usize) -> Option<Vec<u8>> {
    match get(doc, dict, key)? {
        Object::Stream(s) => s.get_plain_content_with_limit(limit).ok(),
        _ => None,
    }
}
