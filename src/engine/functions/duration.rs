//! `duration`: an ISO 8601 duration (`PT8H`, `PT30M`, `PT6H30M`, `P1D`),
//! compared by length, never as text.

use crate::effective::View;
use crate::engine::checks::{Failure, Outcome};
use crate::workspace::NodeRef;

/// A parsed duration, in milliseconds. Years count 365 days and months 30
/// days, as .NET's `XmlConvert.ToTimeSpan` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Duration(pub i64);

impl Duration {
    /// Parses `P[nY][nM][nW][nD][T[nH][nM][nS]]`; a fraction is allowed on the last number.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let upper = text.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix('P').ok_or("does not start with P")?;
        let (date, time) = match rest.split_once('T') {
            Some((d, "")) => return Err(format!("has nothing after T in `{d}T`")),
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        if date.is_empty() && time.is_none() {
            return Err("names no amount of time".into());
        }
        const SEC: f64 = 1000.0;
        let mut total = 0.0;
        let mut fraction_seen = false;
        for (part, units) in [
            (
                date,
                &[
                    ('Y', 365.0 * 86400.0 * SEC),
                    ('M', 30.0 * 86400.0 * SEC),
                    ('W', 7.0 * 86400.0 * SEC),
                    ('D', 86400.0 * SEC),
                ][..],
            ),
            (
                time.unwrap_or(""),
                &[('H', 3600.0 * SEC), ('M', 60.0 * SEC), ('S', SEC)][..],
            ),
        ] {
            let mut number = String::new();
            let mut next_unit = 0;
            for c in part.chars() {
                if c.is_ascii_digit() || c == '.' || c == ',' {
                    number.push(if c == ',' { '.' } else { c });
                    continue;
                }
                let Some(offset) = units[next_unit..].iter().position(|(u, _)| *u == c) else {
                    return Err(format!(
                        "has `{c}` where a unit ({}) in order was expected",
                        unit_names(units)
                    ));
                };
                if number.is_empty() {
                    return Err(format!("has no number before `{c}`"));
                }
                if fraction_seen {
                    return Err("has a fraction that is not on the last number".into());
                }
                let value: f64 = number
                    .parse()
                    .map_err(|_| format!("has an invalid number `{number}`"))?;
                fraction_seen = number.contains('.');
                total += value * units[next_unit + offset].1;
                next_unit += offset + 1;
                number.clear();
            }
            if !number.is_empty() {
                return Err(format!("ends with `{number}` without a unit"));
            }
        }
        if !total.is_finite() || total > i64::MAX as f64 / 2.0 {
            return Err("is too long".into());
        }
        Ok(Duration(total.round() as i64))
    }

    /// The duration in ISO 8601 form, largest units first (`PT6H30M`).
    pub fn iso(self) -> String {
        let mut ms = self.0;
        let days = ms / 86_400_000;
        ms %= 86_400_000;
        let (h, m) = (ms / 3_600_000, ms % 3_600_000 / 60_000);
        let s = ms % 60_000;
        let mut out = String::from("P");
        if days > 0 {
            out.push_str(&format!("{days}D"));
        }
        if h > 0 || m > 0 || s > 0 || days == 0 {
            out.push('T');
            if h > 0 {
                out.push_str(&format!("{h}H"));
            }
            if m > 0 {
                out.push_str(&format!("{m}M"));
            }
            if s > 0 || (h == 0 && m == 0) {
                if s % 1000 == 0 {
                    out.push_str(&format!("{}S", s / 1000));
                } else {
                    out.push_str(&format!("{}S", s as f64 / 1000.0));
                }
            }
        }
        out
    }
}

fn unit_names(units: &[(char, f64)]) -> String {
    units.iter().map(|(u, _)| u.to_string()).collect::<Vec<_>>().join(", ")
}

/// The compiled options of `duration`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DurationCheck {
    pub min: Option<Duration>,
    pub max: Option<Duration>,
    pub multiple_of: Option<Duration>,
}

impl DurationCheck {
    pub fn eval(&self, view: &View<'_>, target: NodeRef) -> Outcome {
        let reason = match view.str(target) {
            None => Some("is not a string".to_string()),
            Some(text) => match Duration::parse(&text) {
                Err(e) => Some(format!("is not an ISO 8601 duration: it {e}")),
                Ok(d) => {
                    if self.min.is_some_and(|m| d < m) {
                        Some(format!(
                            "is shorter than {}",
                            self.min.map(Duration::iso).unwrap_or_default()
                        ))
                    } else if self.max.is_some_and(|m| d > m) {
                        Some(format!(
                            "is longer than {}",
                            self.max.map(Duration::iso).unwrap_or_default()
                        ))
                    } else if self.multiple_of.is_some_and(|m| m.0 > 0 && d.0 % m.0 != 0) {
                        Some(format!(
                            "is not a multiple of {}",
                            self.multiple_of.map(Duration::iso).unwrap_or_default()
                        ))
                    } else {
                        None
                    }
                }
            },
        };
        let Some(reason) = reason else {
            return Outcome::Pass;
        };
        let show = |d: Option<Duration>| d.map(Duration::iso).unwrap_or_default();
        let vars = vec![
            ("reason", reason),
            ("min", show(self.min)),
            ("max", show(self.max)),
            ("multiple-of", show(self.multiple_of)),
        ];
        Outcome::Fail(vec![Failure {
            at: target,
            missing: false,
            vars,
            value_of: Some(target),
            related: Vec::new(),
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    fn ms(text: &str) -> i64 {
        Duration::parse(text).unwrap().0
    }

    #[test]
    fn parses_the_usual_durations() {
        assert_eq!(ms("PT8H"), 8 * 3_600_000);
        assert_eq!(ms("PT30M"), 30 * 60_000);
        assert_eq!(ms("PT6H30M"), 390 * 60_000);
        assert_eq!(ms("P1D"), 86_400_000);
        assert_eq!(ms("P1DT2H"), 26 * 3_600_000);
        assert_eq!(ms("PT0.5H"), 30 * 60_000);
        assert_eq!(ms("PT90S"), 90_000);
        assert_eq!(ms("P1W"), 7 * 86_400_000);
        assert_eq!(ms("pt8h"), 8 * 3_600_000);
        assert_eq!(ms("P1M"), 30 * 86_400_000, "months are 30 days, minutes need T");
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in [
            "",
            "8H",
            "P",
            "PT",
            "PT8",
            "PTH",
            "PT30M8H",
            "P1H",
            "PT1.5H30M",
            "8 hours",
            "-PT8H",
            "PT1.2.3H",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prints_iso() {
        assert_eq!(Duration(390 * 60_000).iso(), "PT6H30M");
        assert_eq!(Duration(8 * 3_600_000).iso(), "PT8H");
        assert_eq!(Duration(86_400_000 + 3_600_000).iso(), "P1DT1H");
        assert_eq!(Duration(0).iso(), "PT0S");
    }
}
