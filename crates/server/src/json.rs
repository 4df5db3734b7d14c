//! JSON written by hand, for answers that run to megabytes (a user's 10k effective grants is
//! over 1.2 MB). Through serde's serializer, the per-field machinery and an escape loop that
//! looks at every byte were over a third of such a listing's time. Here a string that needs no
//! escape — every code and action name by their validated alphabets, and most text — is copied
//! whole, and any other is written by serde_json, so the bytes are exactly serde_json's.

use serde::Serialize;

/// `text` as a JSON string.
pub fn string(out: &mut Vec<u8>, text: &str) {
    // JSON escapes only `"`, `\` and control characters, and serde_json nothing else.
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        value(out, text);
    }
}

/// `text` as a JSON string, or `null`.
pub fn optional_string(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// Anything small (a number, an enum's name) as serde_json writes it.
pub fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    serde_json::to_writer(out, value).expect("a value in memory always serializes");
}

/// A JSON array of `items`, each written by `write`.
pub fn array<T>(out: &mut Vec<u8>, items: impl IntoIterator<Item = T>, mut write: impl FnMut(&mut Vec<u8>, T)) {
    out.push(b'[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

/// A page in the contract's shape, `{"totalCount":…,"list":[…]}`.
pub fn page<T>(
    out: &mut Vec<u8>,
    total_count: usize,
    items: impl IntoIterator<Item = T>,
    write: impl FnMut(&mut Vec<u8>, T),
) {
    out.extend_from_slice(br#"{"totalCount":"#);
    value(out, &total_count);
    out.extend_from_slice(br#","list":"#);
    array(out, items, write);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_exactly_what_serde_json_writes() {
        let samples = [
            "",
            "books:1",
            "plain text",
            "quote \" inside",
            "back\\slash",
            "line\nbreak",
            "tab\t",
            "\u{1}\u{1f}",
            "\u{7f}",
            "/slash/",
            "用户池",
            "é😀",
            "</script>",
        ];
        for text in samples {
            assert_eq!(written(|out| string(out, text)), serde_json::to_string(text).unwrap(), "{text:?}");
        }
        assert_eq!(written(|out| optional_string(out, None)), "null");
        assert_eq!(written(|out| optional_string(out, Some("a\"b"))), r#""a\"b""#);
    }

    #[test]
    fn pages_and_arrays_have_the_contract_shape() {
        let page = written(|out| page(out, 7, ["a", "b"], string));
        assert_eq!(page, r#"{"totalCount":7,"list":["a","b"]}"#);
        assert_eq!(written(|out| array(out, Vec::<&str>::new(), string)), "[]");
    }
}
