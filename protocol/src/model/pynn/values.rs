//! Model values as Python: numbers, strings, PyNN's random distributions and connectors.

use crate::model::{Connect, Dist, ModelError, Quantity, Receptor};
use crate::unit::Unit;

/// A Python number: the value rounded to 12 significant digits (so 1.62e-3 V reads 1.62 mV, not
/// 1.6199999999999999), written as Python reads it.
pub(super) fn num(x: f64) -> String {
    let rounded: f64 = format!("{x:.11e}")
        .parse()
        .expect("a formatted float parses");
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

/// A Python string literal (JSON's escapes are Python's).
pub(super) fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A model value in `unit`, or an error at `path`.
pub(super) fn si(q: &Quantity, unit: Unit, path: &str) -> Result<f64, ModelError> {
    q.si(unit).map_err(|m| ModelError::at(path, m))
}

/// A distribution as PyNN writes it, each value read in `unit` and multiplied by `scale`, at
/// least `floor` (delays: the shortest NEST takes).
pub(super) fn dist(
    d: &Dist,
    unit: Unit,
    scale: f64,
    floor: f64,
    path: &str,
) -> Result<String, ModelError> {
    let v = |q: &Quantity, field: &str| -> Result<f64, ModelError> {
        Ok((si(q, unit, &format!("{path}{field}"))? * scale).max(floor))
    };
    Ok(match d {
        Dist::Constant(q) => num(v(q, "")?),
        Dist::Uniform { uniform } => format!(
            "RandomDistribution(\"uniform\", low={}, high={}, rng=rng)",
            num(v(&uniform.low, ".uniform.low")?),
            num(v(&uniform.high, ".uniform.high")?)
        ),
        Dist::Normal { normal } => {
            let mean = num(v(&normal.mean, ".normal.mean")?);
            let sd = num(si(&normal.sd, unit, &format!("{path}.normal.sd"))? * scale.abs());
            let bound = |b: &Option<Quantity>, field: &str, inf: &str| -> Result<String, _> {
                b.as_ref()
                    .map_or(Ok(inf.to_string()), |q| v(q, field).map(num))
            };
            let (low, high) = (
                bound(&normal.min, ".normal.min", "-math.inf")?,
                bound(&normal.max, ".normal.max", "math.inf")?,
            );
            // A negative scale swaps the bounds (not used: every scale here is positive).
            if normal.min.is_none() && normal.max.is_none() && floor == f64::NEG_INFINITY {
                format!("RandomDistribution(\"normal\", mu={mean}, sigma={sd}, rng=rng)")
            } else {
                let low = if normal.min.is_none() && floor > f64::NEG_INFINITY {
                    num(floor)
                } else {
                    low
                };
                format!(
                    "RandomDistribution(\"normal_clipped\", mu={mean}, sigma={sd}, low={low}, high={high}, rng=rng)"
                )
            }
        }
    })
}

/// PyNN's name of a receptor.
pub(super) fn receptor(r: Receptor) -> &'static str {
    match r {
        Receptor::Excitatory => "excitatory",
        Receptor::Inhibitory => "inhibitory",
    }
}

/// PyNN's connector for a connectivity rule (drawing from the script's `rng`).
pub(super) fn connector(c: &Connect) -> String {
    let py_bool = |b: bool| if b { "True" } else { "False" };
    match c {
        Connect::FixedProbability { p, allow_self } => format!(
            "sim.FixedProbabilityConnector({}, allow_self_connections={}, rng=rng)",
            num(*p),
            py_bool(*allow_self)
        ),
        Connect::FixedIndegree { k, allow_self } => format!(
            "sim.FixedNumberPreConnector({k}, allow_self_connections={}, with_replacement=False, rng=rng)",
            py_bool(*allow_self)
        ),
        Connect::OneToOne => "sim.OneToOneConnector()".to_string(),
        Connect::AllToAll { allow_self } => format!(
            "sim.AllToAllConnector(allow_self_connections={})",
            py_bool(*allow_self)
        ),
    }
}
