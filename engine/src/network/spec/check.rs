//! Values of a model read in their unit and checked against their range, each error at its
//! field's path.

use super::DistSpec;
use tempora_protocol::model::{Dist, ModelError, Quantity};
use tempora_protocol::Unit;

/// An error at `path`.
pub(super) fn err(path: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError::at(path, message)
}

/// `q` in `unit`, within [low, high].
pub(super) fn value(
    q: &Quantity,
    unit: Unit,
    path: &str,
    low: f64,
    high: f64,
) -> Result<f64, ModelError> {
    let v = q.si(unit).map_err(|m| err(path, m))?;
    if !(low..=high).contains(&v) {
        return Err(err(
            path,
            format!(
                "{} is outside [{}, {}]",
                q.shown(),
                tempora_protocol::unit::format_value(unit, low),
                tempora_protocol::unit::format_value(unit, high)
            ),
        ));
    }
    Ok(v)
}

/// A time constant or period, s: positive and at most 100 s.
pub(super) fn seconds(q: &Quantity, path: &str) -> Result<f64, ModelError> {
    let v = value(q, Unit::Seconds, path, 0.0, 100.0)?;
    if v == 0.0 {
        return Err(err(path, "must be above 0 s"));
    }
    Ok(v)
}

/// A potential, V, within +-1 V.
pub(super) fn volts(q: &Quantity, path: &str) -> Result<f64, ModelError> {
    value(q, Unit::Volts, path, -1.0, 1.0)
}

/// A distribution in `unit`, within [low, high] for its bounds and mean.
pub(super) fn dist(
    d: &Dist,
    unit: Unit,
    path: &str,
    low: f64,
    high: f64,
) -> Result<DistSpec, ModelError> {
    Ok(match d {
        Dist::Constant(q) => DistSpec::Constant(value(q, unit, path, low, high)?),
        Dist::Uniform { uniform } => {
            let lo = value(
                &uniform.low,
                unit,
                &format!("{path}.uniform.low"),
                low,
                high,
            )?;
            let hi = value(
                &uniform.high,
                unit,
                &format!("{path}.uniform.high"),
                low,
                high,
            )?;
            if lo > hi {
                return Err(err(format!("{path}.uniform.high"), "must not be below low"));
            }
            DistSpec::Uniform(lo, hi)
        }
        Dist::Normal { normal } => {
            let mean = value(
                &normal.mean,
                unit,
                &format!("{path}.normal.mean"),
                low,
                high,
            )?;
            let span = high - low;
            let sd = value(&normal.sd, unit, &format!("{path}.normal.sd"), 0.0, span)?;
            let bound = |q: &Option<Quantity>, name: &str, default: f64| {
                q.as_ref().map_or(Ok(default), |q| {
                    value(q, unit, &format!("{path}.normal.{name}"), low, high)
                })
            };
            let min = bound(&normal.min, "min", f64::NEG_INFINITY)?;
            let max = bound(&normal.max, "max", f64::INFINITY)?;
            if min > max {
                return Err(err(format!("{path}.normal.max"), "must not be below min"));
            }
            DistSpec::Normal { mean, sd, min, max }
        }
    })
}
