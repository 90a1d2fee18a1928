//! Comments blanked out, for handing JSON with comments to `serde_json`.

use std::borrow::Cow;

/// `text` with every `//` and `/* */` comment (outside strings) replaced by
/// spaces, byte for byte, so offsets and line numbers are unchanged. Text that
/// is not valid JSON with comments comes back in some form that `serde_json`
/// then rejects; callers fall back to [`super::parse`] for the error.
pub fn blank_comments(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(first) = memchr::memchr(b'/', bytes) else {
        return Cow::Borrowed(text);
    };
    let mut out: Option<Vec<u8>> = None;
    // Strings before the first slash cannot hide it.
    let mut i = bytes[..first].iter().rposition(|&b| b == b'"').map_or(first, |_| 0);
    while let Some(n) = memchr::memchr2(b'"', b'/', &bytes[i..]) {
        i += n;
        if bytes[i] == b'"' {
            i = string_end(bytes, i + 1);
            continue;
        }
        let end = match bytes.get(i + 1) {
            Some(b'/') => memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n),
            Some(b'*') => memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |n| i + 2 + n + 2),
            _ => {
                i += 1;
                continue;
            }
        };
        blank(&mut out.get_or_insert_with(|| bytes.to_vec())[i..end]);
        i = end;
    }
    match out {
        // Only comments changed, each into spaces (line breaks kept), and
        // whole characters at that: a comment is cut at ASCII delimiters.
        Some(out) => Cow::Owned(String::from_utf8(out).expect("blanking whole comments keeps UTF-8")),
        None => Cow::Borrowed(text),
    }
}

/// The offset just past the string whose contents start at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(n) = memchr::memchr2(b'"', b'\\', &bytes[i..]) {
        i += n;
        if bytes[i] == b'"' {
            return i + 1;
        }
        i += 2;
        if i >= bytes.len() {
            break;
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
        let text =
            "{ // über\n \"a\": \"//not /* a comment\", /* x\r\n é */ \"b\": \"\\\"//\", \"c\": \"\\\\\" // tail\n }";
        let blanked = blank_comments(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        let value: serde_json::Value = serde_json::from_str(&blanked).expect("valid JSON");
        assert_eq!(value["a"], "//not /* a comment");
        assert_eq!(value["b"], "\"//");
        assert_eq!(value["c"], "\\");
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
