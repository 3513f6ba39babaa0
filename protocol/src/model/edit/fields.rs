//! The fields of a population or projection as the editor shows them: path, text, unit,
//! range and choices, in a fixed order.

use super::{value_of, weight_unit, Element};
use crate::model::NetworkModel;
use crate::unit::Unit;
use serde_json::Value;

/// One editable field of an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its JSON path in the model (`populations[0].lif.tau_m`).
    pub path: String,
    /// Its path inside the element (`lif.tau_m`).
    pub label: String,
    /// Its value as written (`20 ms`, `0.02`, `current_exp`).
    pub text: String,
    /// The dimension its values are in, if any.
    pub unit: Option<Unit>,
    /// The values it may take, for a choice.
    pub choices: &'static [&'static str],
    /// Its range and meaning, short.
    pub help: &'static str,
}

/// Fields that are a choice, by their last key.
const CHOICES: &[(&str, &[&str])] = &[
    ("type", &["delta", "current_exp", "conductance_exp"]),
    ("driving_force", &["membrane", "reset"]),
    ("integrator", &["exact", "euler"]),
    ("receptor", &["excitatory", "inhibitory"]),
    (
        "rule",
        &[
            "fixed_probability",
            "fixed_indegree",
            "one_to_one",
            "all_to_all",
        ],
    ),
    ("allow_self", &["true", "false"]),
];

/// A field's unit and range by its key (distribution parts take their parent's).
fn describe(keys: &[&str], weights_in_volts: bool) -> (Option<Unit>, &'static str) {
    let key = keys
        .iter()
        .rev()
        .find(|k| {
            !matches!(
                **k,
                "uniform" | "normal" | "low" | "high" | "mean" | "sd" | "min" | "max"
            )
        })
        .copied()
        .unwrap_or("");
    let weight_unit = if weights_in_volts {
        (
            Some(Unit::Volts),
            "Volts for delta and current synapses (e.g. 0.5 mV, negative inhibits).",
        )
    } else {
        (
            Some(Unit::Dimensionless),
            "Leak conductances for conductance synapses (>= 0).",
        )
    };
    match key {
        "name" => (None, "Unique in the model."),
        "size" => (Some(Unit::Count), "Neurons, 1 .. 4 000 000."),
        "tau_m" => (Some(Unit::Seconds), "Membrane time constant, > 0."),
        "tau_e" | "tau_i" => (Some(Unit::Seconds), "Synaptic decay time constant, > 0."),
        "t_ref" => (
            Some(Unit::Seconds),
            "Refractory period, >= 0 (membrane clamped at reset).",
        ),
        "v_rest" => (Some(Unit::Volts), "Resting potential."),
        "v_thresh" => (Some(Unit::Volts), "Threshold, above the reset."),
        "v_reset" => (Some(Unit::Volts), "Reset after a spike."),
        "e_e" | "e_i" => (Some(Unit::Volts), "Reversal potential."),
        "rate" => (Some(Unit::Hertz), "Rate of each source, >= 0."),
        "sources" => (Some(Unit::Count), "Independent sources per neuron."),
        "p" => (
            Some(Unit::Dimensionless),
            "Connection probability of each pair, 0 .. 1.",
        ),
        "k" => (
            Some(Unit::Count),
            "Inputs per target, at most the source's size.",
        ),
        "delay" => (Some(Unit::Seconds), "Synaptic delay, >= 0, on the dt grid."),
        "weight" | "w_max" | "a_pre" | "a_post" => weight_unit,
        "tau_pre" | "tau_post" => (Some(Unit::Seconds), "STDP trace time constant, > 0."),
        "source" | "target" => (None, "A population's name (the target: LIF neurons)."),
        "v" | "ge" | "gi" => (None, "Initial value: a value or a distribution."),
        "amplitude" | "offset" => (Some(Unit::Volts), "Drive, as a potential."),
        "frequency" => (Some(Unit::Hertz), "Drive frequency."),
        "phase" => (Some(Unit::Dimensionless), "Drive phase, radians."),
        "type" => (
            None,
            "Synapse kind: jump of v, exponential current or conductance.",
        ),
        "driving_force" => (
            None,
            "Conductance driving force at e - v, or frozen at e - v_reset.",
        ),
        "integrator" => (
            None,
            "exact (closed form / exponential Euler) or euler (forward).",
        ),
        "receptor" => (None, "Which synaptic variable a spike acts on."),
        "rule" => (None, "Connectivity rule."),
        "allow_self" => (None, "Whether a neuron may connect to itself."),
        _ => (None, ""),
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn collect(value: &Value, keys: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k.clone());
                collect(v, keys, out);
                keys.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let last = keys.pop().unwrap_or_default();
                keys.push(format!("{last}[{i}]"));
                collect(v, keys, out);
                keys.pop();
                keys.push(last);
            }
        }
        leaf => out.push((keys.clone(), leaf.clone())),
    }
}

/// The order fields are shown in (JSON objects have none): identity, then structure, then the
/// neuron's parameters as the schema lists them; unknown keys last.
const ORDER: &[&str] = &[
    "name",
    "size",
    "source",
    "target",
    "receptor",
    "connect",
    "rule",
    "p",
    "k",
    "allow_self",
    "weight",
    "delay",
    "stdp",
    "poisson",
    "rate",
    "lif",
    "tau_m",
    "v_rest",
    "v_thresh",
    "v_reset",
    "t_ref",
    "synapse",
    "type",
    "tau_e",
    "tau_i",
    "e_e",
    "e_i",
    "driving_force",
    "integrator",
    "drive",
    "poisson_input",
    "sources",
    "init",
    "v",
    "ge",
    "gi",
    "tau_pre",
    "tau_post",
    "a_pre",
    "a_post",
    "w_max",
];

fn rank(keys: &[String]) -> Vec<usize> {
    keys.iter()
        .map(|k| {
            let plain = k.split('[').next().unwrap_or(k);
            ORDER
                .iter()
                .position(|o| *o == plain)
                .unwrap_or(ORDER.len())
        })
        .collect()
}

/// The editable fields of `element`, in a fixed order ([`ORDER`]); empty if it does not exist.
pub fn fields(model: &NetworkModel, element: Element) -> Vec<Field> {
    let root = value_of(model);
    // Weights in an element act on a population's synapses: a projection's target's, or (a
    // Poisson drive's) the population's own.
    let volts_onto = |name: &str| weight_unit(model, name) == Unit::Volts;
    let (value, volts) = match element {
        Element::Population(i) => (
            &root["populations"][i],
            model
                .populations
                .get(i)
                .is_some_and(|p| volts_onto(&p.name)),
        ),
        Element::Projection(i) => (
            &root["projections"][i],
            model
                .projections
                .get(i)
                .is_some_and(|p| volts_onto(&p.target)),
        ),
    };
    if value.is_null() {
        return Vec::new();
    }
    let mut leaves = Vec::new();
    collect(value, &mut Vec::new(), &mut leaves);
    leaves.sort_by_cached_key(|(keys, _)| rank(keys));
    leaves
        .into_iter()
        .map(|(keys, leaf)| {
            let plain: Vec<&str> = keys
                .iter()
                .map(|k| k.split('[').next().unwrap_or(k))
                .collect();
            let (unit, help) = describe(&plain, volts);
            let last = plain.last().copied().unwrap_or("");
            Field {
                path: format!("{}.{}", element.path(), keys.join(".")),
                label: keys.join("."),
                text: shown(&leaf),
                unit,
                choices: CHOICES
                    .iter()
                    .find(|(k, _)| *k == last)
                    .map_or(&[], |(_, c)| c),
                help,
            }
        })
        .collect()
}
