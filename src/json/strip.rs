//! Comments blanked out, for handing JSON with comments to `serde_json`.

use std::borrow::Cow;

/// `text` with every `//` and `/* */` comment (outside strings) replaced by
/// spaces, byte for byte, so offsets and line numbers are unchanged. Text that
/// is not valid JSON with comments comes back in some form that `serde_json`
/// then rejects; callers fall back to [`super::parse`] for the error.
pub fn blank_comments(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'/') {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| i + n);
                blank(&mut out[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = bytes[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                blank(&mut out[i..end]);
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes outside line breaks were changed, each into a space,
    // and whole characters at that: a comment is cut at ASCII delimiters.
    Cow::Owned(String::from_utf8(out).expect("blanking whole comments keeps UTF-8"))
}

/// The offset just past the string whose contents start at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Spaces for every byte but line breaks (so line numbers stay).
fn blank(bytes: &mut [u8]) {
    for b in bytes {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::blank_comments;

    #[test]
    fn comments_become_spaces_and_strings_stay() {
        let text = "{ // über\n \"a\": \"//not /* a comment\", /* x\r\n é */ \"b\": \"\\\"//\" }";
        let blanked = blank_comments(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        let value: serde_json::Value = serde_json::from_str(&blanked).expect("valid JSON");
        assert_eq!(value["a"], "//not /* a comment");
        assert_eq!(value["b"], "\"//");
    }

    #[test]
    fn text_without_slashes_is_borrowed_and_broken_text_stays_broken() {
        assert!(matches!(blank_comments("{\"a\": 1}"), std::borrow::Cow::Borrowed(_)));
        for broken in ["{\"a\": 1 /* open", "{\"a\": \"open // x", "/", "{\"a\": 1} /"] {
            let blanked = blank_comments(broken);
            assert_eq!(blanked.len(), broken.len(), "{broken}");
            assert!(serde_json::from_str::<serde_json::Value>(&blanked).is_err(), "{broken}");
        }
    }
}
