//! Three-valued logic for conditions that may meet unknown values
//! (`None`): Kleene's AND and OR, stopping at the first deciding value.

/// False if any is false; otherwise unknown if any is unknown; else true.
pub fn all(values: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut result = Some(true);
    for v in values {
        match v {
            Some(false) => return Some(false),
            None => result = None,
            Some(true) => {}
        }
    }
    result
}

/// True if any is true; otherwise unknown if any is unknown; else false.
pub fn any(values: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    all(values.into_iter().map(|v| v.map(|b| !b))).map(|b| !b)
}

#[cfg(test)]
mod tests {
    use super::{all, any};

    #[test]
    fn kleene() {
        assert_eq!(all([Some(true), None]), None);
        assert_eq!(all([None, Some(false)]), Some(false));
        assert_eq!(all([]), Some(true));
        assert_eq!(any([Some(false), None]), None);
        assert_eq!(any([None, Some(true)]), Some(true));
        assert_eq!(any([]), Some(false));
    }
}
