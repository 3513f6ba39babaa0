//! Parameters as both sides see them: values by name in SI units, the description the UI shows,
//! and the errors of reading and checking them (each names the parameter).

use crate::unit::{read_si, unit_hint, Unit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// Errors of parameter parsing and validation. Each names the parameter.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum ParamError {
    /// No parameter of that name in this preset.
    #[error("unknown parameter `{name}` (known: {known})")]
    Unknown {
        /// The name given.
        name: String,
        /// The names this preset knows, comma-separated.
        known: String,
    },
    /// The text is not a number with an accepted unit.
    #[error("parameter `{name}`: cannot read `{text}` as a value in {unit_hint}")]
    Unreadable {
        /// The parameter.
        name: String,
        /// The text given.
        text: String,
        /// What would be accepted.
        unit_hint: String,
    },
    /// Outside the parameter's range, or not finite.
    #[error("parameter `{name}` = {value} is out of range [{min}, {max}] {unit}")]
    OutOfRange {
        /// The parameter.
        name: String,
        /// The value, SI.
        value: f64,
        /// Lower bound, SI.
        min: f64,
        /// Upper bound, SI.
        max: f64,
        /// The SI unit symbol.
        unit: String,
    },
    /// A count that is not a whole number.
    #[error("parameter `{name}` = {value} must be a whole number")]
    NotWhole {
        /// The parameter.
        name: String,
        /// The value.
        value: f64,
    },
    /// Values that are each valid but make no sense together (e.g. hop > window).
    #[error("parameter `{name}`: {reason}")]
    Inconsistent {
        /// The parameter to change.
        name: String,
        /// Why.
        reason: String,
    },
    /// `--set` text without `=`.
    #[error("expected name=value, got `{0}`")]
    NoEquals(String),
}

impl ParamError {
    /// The parameter the error is about, for showing it next to the right field.
    pub fn param(&self) -> Option<&str> {
        match self {
            ParamError::Unknown { name, .. }
            | ParamError::Unreadable { name, .. }
            | ParamError::OutOfRange { name, .. }
            | ParamError::NotWhole { name, .. }
            | ParamError::Inconsistent { name, .. } => Some(name),
            ParamError::NoEquals(_) => None,
        }
    }
}

/// Parameter values by name, in SI units. A `BTreeMap` so iteration (and serialisation) is ordered.
pub type ParamValues = BTreeMap<String, f64>;

/// Reads `text` as a value of parameter `name` in `unit`'s dimension, converting a suffix to SI.
pub fn parse_text(name: &str, unit: Unit, text: &str) -> Result<f64, ParamError> {
    read_si(unit, text).ok_or_else(|| ParamError::Unreadable {
        name: name.to_string(),
        text: text.trim().to_string(),
        unit_hint: unit_hint(unit),
    })
}

/// Splits `name=value` into its parts.
pub fn split_assignment(text: &str) -> Result<(&str, &str), ParamError> {
    text.split_once('=')
        .map(|(n, v)| (n.trim(), v.trim()))
        .ok_or_else(|| ParamError::NoEquals(text.to_string()))
}

/// A parameter as the UI shows it: its name, unit, default, range and help, as the engine's spec table gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its dimension (fixes the SI unit).
    pub unit: Unit,
    /// Default, SI.
    pub default: f64,
    /// Smallest valid value, SI.
    pub min: f64,
    /// Largest valid value, SI.
    pub max: f64,
    /// One line on what it does.
    pub help: String,
    /// For a choice: the options' names (the value is the index); empty otherwise.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Whether it can change during a run (at the next window boundary).
    #[serde(default)]
    pub live: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_text_names_the_parameter_and_what_it_accepts() {
        assert_eq!(parse_text("taum", Unit::Seconds, " 20 ms "), Ok(0.02));
        let err = parse_text("taum", Unit::Seconds, "20 mV").unwrap_err();
        assert_eq!(err.param(), Some("taum"));
        assert_eq!(
            err.to_string(),
            "parameter `taum`: cannot read `20 mV` as a value in s (SI if no suffix; suffixes ns, us, ms, s)"
        );
        assert!(parse_text("N", Unit::Count, "ten")
            .unwrap_err()
            .to_string()
            .ends_with("whole numbers"));
    }

    #[test]
    fn assignments_need_an_equals_sign() {
        assert_eq!(split_assignment("a = 5ms"), Ok(("a", "5ms")));
        assert_eq!(
            split_assignment("a5"),
            Err(ParamError::NoEquals("a5".into()))
        );
    }
}
