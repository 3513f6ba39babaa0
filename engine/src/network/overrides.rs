//! `--set name=value` on a model: `dt`, `timing`, `<population>.<parameter>` and
//! `<projection>.<parameter>`, written into the model as the text given (so its units are
//! checked with the rest when the model is built).

use tempora_protocol::model::{
    Connect, Dist, Drive, ModelError, NetworkModel, Quantity, Synapse, Timing,
};

/// What can be set on a population, and on a projection.
pub const POPULATION_PARAMS: &[&str] = &[
    "size",
    "tau_m",
    "v_rest",
    "v_thresh",
    "v_reset",
    "t_ref",
    "tau_e",
    "tau_i",
    "e_e",
    "e_i",
    "drive",
    "rate",
    "input_rate",
    "input_weight",
];
/// See [`POPULATION_PARAMS`].
pub const PROJECTION_PARAMS: &[&str] = &["weight", "delay", "p", "k"];

/// Sets `name` (`dt`, `E.tau_m`, `EI.weight`...) to `text` in `model`.
pub fn apply(model: &mut NetworkModel, name: &str, text: &str) -> Result<(), ModelError> {
    let fail = |message: String| ModelError::at(name, message);
    let quantity = Quantity::Text(text.trim().to_string());
    if name == "dt" {
        model.dt = quantity;
        return Ok(());
    }
    if name == "timing" {
        model.timing = match text.trim() {
            "brian2" => Timing::Brian2,
            "nest" => Timing::Nest,
            other => return Err(fail(format!("`{other}` is not a timing: brian2 or nest"))),
        };
        return Ok(());
    }
    let Some((part, param)) = name.split_once('.') else {
        return Err(fail(
            "expected dt, timing, <population>.<parameter> or <projection>.<parameter>".into(),
        ));
    };
    let number = || -> Result<f64, ModelError> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| fail(format!("`{text}` is not a number")))
    };
    if let Some(pop) = model.populations.iter_mut().find(|p| p.name == part) {
        if param == "size" {
            let n = number()?;
            if n < 1.0 || n.fract() != 0.0 {
                return Err(fail(format!("`{text}` is not a whole number of neurons")));
            }
            pop.size = n as u64;
            return Ok(());
        }
        if let Some(source) = &mut pop.poisson {
            if param == "rate" {
                source.rate = quantity;
                return Ok(());
            }
            return Err(fail(format!(
                "Poisson sources have `size` and `rate`, not `{param}`"
            )));
        }
        let lif = pop.lif.as_mut().expect("a population is LIF or Poisson");
        let slot = match (param, &mut lif.synapse) {
            ("tau_m", _) => &mut lif.tau_m,
            ("v_rest", _) => &mut lif.v_rest,
            ("v_thresh", _) => &mut lif.v_thresh,
            ("v_reset", _) => &mut lif.v_reset,
            ("t_ref", _) => &mut lif.t_ref,
            ("tau_e", Synapse::CurrentExp { tau_e, .. } | Synapse::ConductanceExp { tau_e, .. }) => tau_e,
            ("tau_i", Synapse::CurrentExp { tau_i, .. } | Synapse::ConductanceExp { tau_i, .. }) => tau_i,
            ("e_e", Synapse::ConductanceExp { e_e, .. }) => e_e,
            ("e_i", Synapse::ConductanceExp { e_i, .. }) => e_i,
            ("drive", _) => {
                lif.drive = Some(Drive::Constant(quantity));
                return Ok(());
            }
            ("input_rate" | "input_weight", _) => {
                let Some(input) = lif.poisson_input.first_mut() else {
                    return Err(fail(format!("`{part}` has no Poisson input")));
                };
                if param == "input_rate" {
                    input.rate = quantity;
                } else {
                    input.weight = quantity;
                }
                return Ok(());
            }
            _ => {
                return Err(fail(format!(
                    "`{param}` is not a parameter of `{part}`'s neurons and synapses (population parameters: {})",
                    POPULATION_PARAMS.join(", ")
                )))
            }
        };
        *slot = quantity;
        return Ok(());
    }
    let index = model.projections.iter().position(|p| {
        p.name.as_deref() == Some(part) || format!("{}->{}", p.source, p.target) == part
    });
    let Some(index) = index else {
        let pops: Vec<&str> = model.populations.iter().map(|p| p.name.as_str()).collect();
        let projs: Vec<String> = model
            .projections
            .iter()
            .map(|p| {
                p.name
                    .clone()
                    .unwrap_or_else(|| format!("{}->{}", p.source, p.target))
            })
            .collect();
        return Err(fail(format!(
            "no population or projection `{part}` (populations: {}; projections: {})",
            pops.join(", "),
            projs.join(", ")
        )));
    };
    let proj = &mut model.projections[index];
    match (param, &mut proj.connect) {
        ("weight", _) => proj.weight = Dist::Constant(quantity),
        ("delay", _) => proj.delay = Dist::Constant(quantity),
        ("p", Connect::FixedProbability { p, .. }) => *p = number()?,
        ("k", Connect::FixedIndegree { k, .. }) => {
            let n = number()?;
            if n < 0.0 || n.fract() != 0.0 {
                return Err(fail(format!("`{text}` is not a whole number of inputs")));
            }
            *k = n as u64;
        }
        _ => {
            return Err(fail(format!(
                "`{param}` is not a parameter of projection `{part}` (weight, delay, and p or k as its rule has)"
            )))
        }
    }
    Ok(())
}
