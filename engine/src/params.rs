//! Named, unit-carrying parameters: their specs, parsing (`name=value[unit]`) and validation.
//!
//! Values are stored in SI units (seconds, volts, hertz). Text may carry a unit suffix that
//! matches the parameter's dimension: `10ms`, `-70mV`, `15Hz`, `2.5e-6 s`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The physical dimension of a parameter, which fixes its SI unit and the suffixes it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Seconds (`s`, `ms`, `us`, `ns`).
    Seconds,
    /// Volts (`V`, `mV`).
    Volts,
    /// Hertz (`Hz`, `kHz`).
    Hertz,
    /// Degrees of phase (`deg`).
    Degrees,
    /// A pure number.
    Dimensionless,
    /// A whole count (must be an integer).
    Count,
}

impl Unit {
    /// The SI symbol shown next to values ("" for pure numbers).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Volts => "V",
            Unit::Hertz => "Hz",
            Unit::Degrees => "deg",
            Unit::Dimensionless | Unit::Count => "",
        }
    }

    /// Accepted suffixes and their power of ten to SI (`ms` is 10^-3 s).
    fn suffixes(self) -> &'static [(&'static str, i32)] {
        match self {
            Unit::Seconds => &[("ns", -9), ("us", -6), ("ms", -3), ("s", 0)],
            Unit::Volts => &[("mV", -3), ("V", 0)],
            Unit::Hertz => &[("kHz", 3), ("Hz", 0)],
            Unit::Degrees => &[("deg", 0)],
            Unit::Dimensionless | Unit::Count => &[],
        }
    }
}

/// The description of one parameter: what the UI shows and what validation enforces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Its name, as used in `--set name=value` and in URLs.
    pub name: &'static str,
    /// Its dimension.
    pub unit: Unit,
    /// The default value (SI).
    pub default: f64,
    /// The smallest valid value (SI, inclusive).
    pub min: f64,
    /// The largest valid value (SI, inclusive).
    pub max: f64,
    /// One line saying what it does.
    pub help: &'static str,
    /// For a choice among named options: their names; the value is the chosen index (a
    /// [`Unit::Count`] from 0). Empty for numeric parameters.
    pub choices: &'static [&'static str],
}

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

/// Splits `name=value` into its parts.
pub fn split_assignment(text: &str) -> Result<(&str, &str), ParamError> {
    text.split_once('=')
        .map(|(n, v)| (n.trim(), v.trim()))
        .ok_or_else(|| ParamError::NoEquals(text.to_string()))
}

/// Reads `text` as a value of `spec`'s dimension, converting a unit suffix to SI; for a choice,
/// also accepts the option's name (`guard=spectral`).
pub fn parse_value(spec: &ParamSpec, text: &str) -> Result<f64, ParamError> {
    if let Some(index) = spec.choices.iter().position(|c| *c == text.trim()) {
        return Ok(index as f64);
    }
    parse_text(spec.name, spec.unit, text).map_err(|e| match e {
        ParamError::Unreadable { name, text, .. } if !spec.choices.is_empty() => {
            ParamError::Unreadable {
                name,
                text,
                unit_hint: format!("one of {}", spec.choices.join(", ")),
            }
        }
        other => other,
    })
}

/// Reads `text` as a value of parameter `name` in `unit`'s dimension, converting a suffix to SI.
pub fn parse_text(name: &str, unit: Unit, text: &str) -> Result<f64, ParamError> {
    let text = text.trim();
    let unreadable = || ParamError::Unreadable {
        name: name.to_string(),
        text: text.to_string(),
        unit_hint: unit_hint(unit),
    };
    // Longest suffix first, so "ms" wins over "s".
    let mut suffixes = unit.suffixes().to_vec();
    suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    let (number, exponent) = suffixes
        .iter()
        .find_map(|(suffix, e)| text.strip_suffix(suffix).map(|n| (n.trim_end(), *e)))
        .unwrap_or((text, 0));
    let value: f64 = number.parse().map_err(|_| unreadable())?;
    // Divide for sub-units: 5 / 1e6 rounds to the double nearest 5e-6; 5 * 1e-6 does not.
    let scale = 10f64.powi(exponent.abs());
    Ok(if exponent < 0 {
        value / scale
    } else {
        value * scale
    })
}

/// Shows an SI value in the unit a person would type: `10 ms`, `-70 mV`, `15 Hz`, `1000`.
/// [`parse_text`] reads it back to the same value.
pub fn format_value(unit: Unit, value: f64) -> String {
    let (scaled, suffix) = match unit {
        Unit::Seconds if value != 0.0 && value.abs() < 1e-3 => (value * 1e6, "us"),
        Unit::Seconds if value != 0.0 && value.abs() < 1.0 => (value * 1e3, "ms"),
        Unit::Seconds => (value, "s"),
        Unit::Volts => (value * 1e3, "mV"),
        Unit::Hertz => (value, "Hz"),
        Unit::Degrees => (value, "deg"),
        Unit::Dimensionless | Unit::Count => (value, ""),
    };
    // Round away float noise from the scaling (0.01 * 1e3 = 10.000000000000002).
    let rounded = (scaled * 1e9).round() / 1e9;
    if suffix.is_empty() {
        format!("{rounded}")
    } else {
        format!("{rounded} {suffix}")
    }
}

fn unit_hint(unit: Unit) -> String {
    match unit {
        Unit::Dimensionless => "plain numbers".to_string(),
        Unit::Count => "whole numbers".to_string(),
        other => {
            let names: Vec<_> = other.suffixes().iter().map(|(s, _)| *s).collect();
            format!(
                "{} (SI if no suffix; suffixes {})",
                other.symbol(),
                names.join(", ")
            )
        }
    }
}

/// Checks one value against its spec.
pub fn check_value(spec: &ParamSpec, value: f64) -> Result<(), ParamError> {
    if !value.is_finite() || value < spec.min || value > spec.max {
        return Err(ParamError::OutOfRange {
            name: spec.name.to_string(),
            value,
            min: spec.min,
            max: spec.max,
            unit: spec.unit.symbol().to_string(),
        });
    }
    if spec.unit == Unit::Count && value.fract() != 0.0 {
        return Err(ParamError::NotWhole {
            name: spec.name.to_string(),
            value,
        });
    }
    Ok(())
}

/// Finds the spec named `name`.
pub fn find_spec<'a>(specs: &'a [ParamSpec], name: &str) -> Result<&'a ParamSpec, ParamError> {
    specs
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| ParamError::Unknown {
            name: name.to_string(),
            known: specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
        })
}

/// Every parameter at its default.
pub fn defaults(specs: &[ParamSpec]) -> ParamValues {
    specs
        .iter()
        .map(|s| (s.name.to_string(), s.default))
        .collect()
}

/// Starts from the defaults, applies `overrides` (each checked), and returns the full set.
pub fn resolve(specs: &[ParamSpec], overrides: &ParamValues) -> Result<ParamValues, ParamError> {
    let mut values = defaults(specs);
    for (name, value) in overrides {
        let spec = find_spec(specs, name)?;
        check_value(spec, *value)?;
        values.insert(name.clone(), *value);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            name: "taum",
            unit: Unit::Seconds,
            default: 10e-3,
            min: 1e-4,
            max: 1.0,
            help: "membrane time constant",
            choices: &[],
        },
        ParamSpec {
            name: "N",
            unit: Unit::Count,
            default: 1000.0,
            min: 1.0,
            max: 10_000.0,
            help: "inputs",
            choices: &[],
        },
        ParamSpec {
            name: "El",
            unit: Unit::Volts,
            default: -70e-3,
            min: -0.2,
            max: 0.1,
            help: "rest",
            choices: &[],
        },
        ParamSpec {
            name: "guard",
            unit: Unit::Count,
            default: 0.0,
            min: 0.0,
            max: 2.0,
            help: "guard",
            choices: &["none", "clip", "spectral"],
        },
    ];

    #[test]
    fn choices_read_by_name_or_index() {
        let guard = &SPECS[3];
        assert_eq!(parse_value(guard, "spectral"), Ok(2.0));
        assert_eq!(parse_value(guard, " clip "), Ok(1.0));
        assert_eq!(parse_value(guard, "1"), Ok(1.0));
        let err = parse_value(guard, "spectra").unwrap_err();
        assert!(
            err.to_string().contains("one of none, clip, spectral"),
            "{err}"
        );
    }

    #[test]
    fn suffixes_convert_to_si() {
        let taum = &SPECS[0];
        assert_eq!(parse_value(taum, "20ms"), Ok(20e-3));
        assert_eq!(parse_value(taum, "20 ms"), Ok(20e-3));
        assert_eq!(parse_value(taum, "0.02"), Ok(0.02));
        assert_eq!(parse_value(taum, "5us"), Ok(5e-6));
        assert_eq!(parse_value(&SPECS[2], "-65mV"), Ok(-65e-3));
        assert!(matches!(
            parse_value(taum, "20mV"),
            Err(ParamError::Unreadable { .. })
        ));
        assert!(matches!(
            parse_value(&SPECS[1], "10ms"),
            Err(ParamError::Unreadable { .. })
        ));
    }

    #[test]
    fn resolve_checks_names_ranges_and_whole_counts() {
        let mut o = ParamValues::new();
        o.insert("taum".into(), 0.02);
        let v = resolve(SPECS, &o).unwrap();
        assert_eq!(v["taum"], 0.02);
        assert_eq!(v["N"], 1000.0);

        o.insert("tau".into(), 1.0);
        let e = resolve(SPECS, &o).unwrap_err();
        assert_eq!(e.param(), Some("tau"));
        assert!(e.to_string().contains("known: taum, N, El"), "{e}");

        let mut o = ParamValues::new();
        o.insert("N".into(), 2.5);
        assert_eq!(
            resolve(SPECS, &o),
            Err(ParamError::NotWhole {
                name: "N".into(),
                value: 2.5
            })
        );
        o.insert("N".into(), f64::NAN);
        assert!(matches!(
            resolve(SPECS, &o),
            Err(ParamError::OutOfRange { .. })
        ));
        o.insert("N".into(), 0.0);
        assert!(resolve(SPECS, &o)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }

    #[test]
    fn formatted_values_read_back() {
        for (unit, v, text) in [
            (Unit::Seconds, 10e-3, "10 ms"),
            (Unit::Seconds, 1e-6, "1 us"),
            (Unit::Seconds, 2.5, "2.5 s"),
            (Unit::Volts, -70e-3, "-70 mV"),
            (Unit::Hertz, 15.0, "15 Hz"),
            (Unit::Count, 1000.0, "1000"),
            (Unit::Dimensionless, -0.0105, "-0.0105"),
        ] {
            assert_eq!(format_value(unit, v), text);
            let back = parse_text("x", unit, text).unwrap();
            assert!(
                (back - v).abs() <= 1e-12 * v.abs().max(1.0),
                "{text}: {back}"
            );
        }
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
