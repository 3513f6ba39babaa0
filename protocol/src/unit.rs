//! Physical units of parameter values: the dimension of a value, and the text a person types or
//! reads for it. Values are stored in SI units (seconds, volts, hertz); text may carry a suffix
//! that matches the dimension: `10ms`, `-70mV`, `15Hz`, `2.5e-6 s`.

use serde::{Deserialize, Serialize};

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
            Unit::Volts => &[("uV", -6), ("mV", -3), ("V", 0)],
            Unit::Hertz => &[("kHz", 3), ("Hz", 0)],
            Unit::Degrees => &[("deg", 0)],
            Unit::Dimensionless | Unit::Count => &[],
        }
    }
}

/// Reads `text` as a number in `unit`'s dimension, converting a suffix to SI; `None` if it is
/// not a number with an accepted suffix.
pub fn read_si(unit: Unit, text: &str) -> Option<f64> {
    let text = text.trim();
    // Longest suffix first, so "ms" wins over "s".
    let mut suffixes = unit.suffixes().to_vec();
    suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    let (number, exponent) = suffixes
        .iter()
        .find_map(|(suffix, e)| text.strip_suffix(suffix).map(|n| (n.trim_end(), *e)))
        .unwrap_or((text, 0));
    let value: f64 = number.parse().ok()?;
    // Divide for sub-units: 5 / 1e6 rounds to the double nearest 5e-6; 5 * 1e-6 does not.
    let scale = 10f64.powi(exponent.abs());
    Some(if exponent < 0 {
        value / scale
    } else {
        value * scale
    })
}

/// Shows an SI value in the unit a person would type: `10 ms`, `-70 mV`, `15 Hz`, `1000`.
/// [`read_si`] reads it back to the same value.
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

/// What [`read_si`] accepts for `unit`, for error messages.
pub fn unit_hint(unit: Unit) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            let back = read_si(unit, text).unwrap();
            assert!(
                (back - v).abs() <= 1e-12 * v.abs().max(1.0),
                "{text}: {back}"
            );
        }
    }
}
