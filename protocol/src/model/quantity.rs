//! Values of a model file: a number in SI units or a string with a unit (`"20 ms"`, `"-60 mV"`),
//! and distributions of them (constant, uniform, normal). A model keeps what its author wrote
//! (so an editor shows `"20 ms"` back); the engine reads the SI value in the dimension the field
//! has, and refuses a unit of the wrong dimension there.

use crate::unit::{read_si, unit_hint, Unit};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A number in SI units, or a string with a unit suffix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Quantity {
    /// SI units (seconds, volts, hertz, or a pure number).
    Si(f64),
    /// A number with a unit suffix, e.g. `"0.1 ms"`.
    Text(String),
}

impl Quantity {
    /// The SI value in `unit`'s dimension, or why it is not one (finite values only).
    pub fn si(&self, unit: Unit) -> Result<f64, String> {
        let value = match self {
            Quantity::Si(v) => Some(*v),
            Quantity::Text(text) => read_si(unit, text),
        };
        match value {
            Some(v) if v.is_finite() => Ok(v),
            Some(v) => Err(format!("{v} is not a finite number")),
            None => Err(format!(
                "{} is not a value in {}",
                self.shown(),
                unit_hint(unit)
            )),
        }
    }

    /// The value as written.
    pub fn shown(&self) -> String {
        match self {
            Quantity::Si(v) => format!("{v}"),
            Quantity::Text(t) => format!("\"{t}\""),
        }
    }
}

impl From<f64> for Quantity {
    fn from(v: f64) -> Self {
        Quantity::Si(v)
    }
}

impl From<&str> for Quantity {
    fn from(text: &str) -> Self {
        Quantity::Text(text.to_string())
    }
}

/// A value drawn for each neuron or synapse.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Dist {
    /// The same value for all.
    Constant(Quantity),
    /// `{"uniform": {"low": .., "high": ..}}`: uniform in [low, high).
    Uniform {
        /// The bounds.
        uniform: Uniform,
    },
    /// `{"normal": {"mean": .., "sd": .., "min": .., "max": ..}}`: normal, clipped to
    /// [min, max] where given.
    Normal {
        /// Its parameters.
        normal: Normal,
    },
}

/// Bounds of a uniform distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uniform {
    /// Lowest value.
    pub low: Quantity,
    /// Upper bound (excluded).
    pub high: Quantity,
}

/// A normal distribution, optionally clipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normal {
    /// Mean.
    pub mean: Quantity,
    /// Standard deviation (>= 0).
    pub sd: Quantity,
    /// Values below are set to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Quantity>,
    /// Values above are set to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Quantity>,
}

impl Dist {
    /// The distribution as written (compact JSON for the non-constant ones), for messages.
    pub fn shown(&self) -> String {
        match self {
            Dist::Constant(q) => q.shown(),
            other => serde_json::to_string(other).expect("a distribution serialises"),
        }
    }
}

impl From<f64> for Dist {
    fn from(v: f64) -> Self {
        Dist::Constant(Quantity::Si(v))
    }
}

impl From<&str> for Dist {
    fn from(text: &str) -> Self {
        Dist::Constant(Quantity::from(text))
    }
}

// Written out rather than `#[serde(untagged)]`, whose error ("data did not match any variant")
// does not say what a distribution may be.
impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let expected = "a value (a number in SI units or a string with a unit), \
                        {\"uniform\": {\"low\", \"high\"}} or {\"normal\": {\"mean\", \"sd\"}}";
        match value {
            Value::Number(n) => Ok(Dist::Constant(Quantity::Si(
                n.as_f64().ok_or_else(|| D::Error::custom(expected))?,
            ))),
            Value::String(s) => Ok(Dist::Constant(Quantity::Text(s))),
            Value::Object(map) if map.len() == 1 => {
                let (key, inner) = map.into_iter().next().expect("one entry");
                match key.as_str() {
                    "uniform" => serde_json::from_value(inner)
                        .map(|uniform| Dist::Uniform { uniform })
                        .map_err(|e| D::Error::custom(format!("uniform: {e}"))),
                    "normal" => serde_json::from_value(inner)
                        .map(|normal| Dist::Normal { normal })
                        .map_err(|e| D::Error::custom(format!("normal: {e}"))),
                    other => Err(D::Error::custom(format!(
                        "unknown distribution `{other}`: expected {expected}"
                    ))),
                }
            }
            _ => Err(D::Error::custom(format!("expected {expected}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_in_their_dimension_and_refuse_others() {
        assert_eq!(Quantity::from("20 ms").si(Unit::Seconds), Ok(0.02));
        assert_eq!(Quantity::from(-0.06).si(Unit::Volts), Ok(-0.06));
        assert_eq!(Quantity::from("-60 mV").si(Unit::Volts), Ok(-0.06));
        let err = Quantity::from("20 ms").si(Unit::Volts).unwrap_err();
        assert!(err.starts_with("\"20 ms\" is not a value in V"), "{err}");
    }

    #[test]
    fn distributions_parse_from_values_and_objects_with_clear_errors() {
        let d: Dist = serde_json::from_str(r#""5 ms""#).unwrap();
        assert_eq!(d, Dist::from("5 ms"));
        let d: Dist =
            serde_json::from_str(r#"{"normal": {"mean": "4", "sd": 1.5, "min": 0}}"#).unwrap();
        let Dist::Normal { normal } = &d else {
            panic!("{d:?}")
        };
        assert_eq!(normal.min, Some(Quantity::Si(0.0)));
        let back: Dist = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        let err = serde_json::from_str::<Dist>(r#"{"gamma": {}}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown distribution `gamma`"),
            "{err}"
        );
        let err = serde_json::from_str::<Dist>(r#"{"uniform": {"low": 1}}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `high`"), "{err}");
    }
}
