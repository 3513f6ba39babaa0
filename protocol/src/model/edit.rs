//! Editing a model as the dashboard's network editor does: the fields of one population or
//! projection (each with its JSON path, unit and range), a change to one field given as text,
//! and the structural edits (add, remove, rename) that keep the projections consistent.
//!
//! Edits go through the model's JSON form, so a field is addressed by the same path the
//! engine names in a refusal (`populations[1].lif.tau_m`), and every result is read back by
//! [`NetworkModel::from_json`]: an edit that makes the file malformed is refused with the
//! field's path and leaves the model as it was.

use super::{ModelError, NetworkModel};
use crate::unit::Unit;
use serde_json::{json, Map, Value};

/// A population or a projection, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    /// `populations[i]`.
    Population(usize),
    /// `projections[i]`.
    Projection(usize),
}

impl Element {
    /// Its JSON path.
    pub fn path(self) -> String {
        match self {
            Element::Population(i) => format!("populations[{i}]"),
            Element::Projection(i) => format!("projections[{i}]"),
        }
    }

    /// The element a field's path lies in (`projections[2].weight` -> projection 2).
    pub fn of_path(path: &str) -> Option<Element> {
        let index = |rest: &str| rest.split(']').next()?.parse::<usize>().ok();
        if let Some(rest) = path.strip_prefix("populations[") {
            return index(rest).map(Element::Population);
        }
        path.strip_prefix("projections[")
            .and_then(index)
            .map(Element::Projection)
    }
}

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

/// The model as JSON.
fn value_of(model: &NetworkModel) -> Value {
    serde_json::to_value(model).expect("a model serialises")
}

/// The JSON read back as a model (with the path of what is wrong, if anything).
fn model_of(value: &Value) -> Result<NetworkModel, ModelError> {
    NetworkModel::from_json(&value.to_string())
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether the weights onto population `target` are in volts (delta and current synapses).
fn weights_in_volts(model: &Value, target: &str) -> bool {
    model["populations"]
        .as_array()
        .and_then(|pops| pops.iter().find(|p| p["name"] == target))
        .is_none_or(|p| p["lif"]["synapse"]["type"] != "conductance_exp")
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
    let (value, volts) = match element {
        Element::Population(i) => (&root["populations"][i], true),
        Element::Projection(i) => {
            let target = root["projections"][i]["target"].as_str().unwrap_or("");
            (&root["projections"][i], weights_in_volts(&root, target))
        }
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
            let (unit, help) = if plain.first() == Some(&"lif") && plain.contains(&"poisson_input")
            {
                // A Poisson drive's weight acts on the population's own synapses.
                let own = value["lif"]["synapse"]["type"] != "conductance_exp";
                describe(&plain, own)
            } else {
                describe(&plain, volts)
            };
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

/// One step of a path: a key, then optional indices.
fn steps(path: &str) -> Vec<(String, Vec<usize>)> {
    path.split('.')
        .map(|part| {
            let mut pieces = part.split('[');
            let key = pieces.next().unwrap_or("").to_string();
            let indices = pieces
                .filter_map(|p| p.trim_end_matches(']').parse().ok())
                .collect();
            (key, indices)
        })
        .collect()
}

fn at_mut<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut here = root;
    for (key, indices) in steps(path) {
        here = here.get_mut(&key)?;
        for i in indices {
            here = here.get_mut(i)?;
        }
    }
    Some(here)
}

/// A typed text as JSON: booleans and plain numbers as such, anything else as a string (a
/// value with its unit, a name, a choice).
fn typed(text: &str) -> Value {
    let text = text.trim();
    match text {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            if v.fract() == 0.0 && v.abs() < 9.0e15 && !text.contains(['.', 'e', 'E']) {
                json!(v as i64)
            } else {
                json!(v)
            }
        }
        _ => Value::String(text.to_string()),
    }
}

/// Objects a choice brings with it: a new synapse type or connectivity rule keeps the fields
/// the old one shares with it and takes defaults for the rest.
fn template(key: &str, choice: &str) -> Option<Value> {
    Some(match (key, choice) {
        ("type", "delta") => json!({"type": "delta"}),
        ("type", "current_exp") => {
            json!({"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"})
        }
        ("type", "conductance_exp") => json!({"type": "conductance_exp", "tau_e": "5 ms",
            "tau_i": "10 ms", "e_e": "0 mV", "e_i": "-80 mV", "driving_force": "membrane"}),
        ("rule", "fixed_probability") => {
            json!({"rule": "fixed_probability", "p": 0.1, "allow_self": true})
        }
        ("rule", "fixed_indegree") => {
            json!({"rule": "fixed_indegree", "k": 10, "allow_self": true})
        }
        ("rule", "one_to_one") => json!({"rule": "one_to_one"}),
        ("rule", "all_to_all") => json!({"rule": "all_to_all", "allow_self": true}),
        _ => return None,
    })
}

fn keep_shared(old: &Value, mut new: Value) -> Value {
    if let (Value::Object(old), Value::Object(fresh)) = (old, &mut new) {
        for (k, v) in fresh.iter_mut() {
            if let Some(kept) = old.get(k) {
                if k != "type" && k != "rule" {
                    *v = kept.clone();
                }
            }
        }
    }
    new
}

/// `model` with the field at `path` set to `text` (a renamed population keeps its
/// projections); refused with the field's path if the result is not a model.
pub fn set_field(model: &NetworkModel, path: &str, text: &str) -> Result<NetworkModel, ModelError> {
    let mut root = value_of(model);
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let old = at_mut(&mut root, path)
        .ok_or_else(|| ModelError::at(path, "no such field"))?
        .clone();
    let new = typed(text);
    if let (Some(choice), Some(fresh)) = (new.as_str(), new.as_str().and_then(|c| template(key, c)))
    {
        if old.as_str() != Some(choice) {
            let object = at_mut(&mut root, parent).expect("the parent of a field exists");
            *object = keep_shared(object, fresh);
            return model_of(&root);
        }
    }
    if key == "name" {
        if let (Some(Element::Population(_)), Some(from), Some(to)) =
            (Element::of_path(path), old.as_str(), new.as_str())
        {
            rename_references(&mut root, from, to);
        }
    }
    *at_mut(&mut root, path).expect("found above") = new;
    model_of(&root)
}

fn rename_references(root: &mut Value, from: &str, to: &str) {
    // `get_mut`, not indexing: indexing a missing key would insert a null.
    let projections = root.get_mut("projections").and_then(Value::as_array_mut);
    for item in projections.into_iter().flatten() {
        for key in ["source", "target"] {
            if item[key] == from {
                item[key] = json!(to);
            }
        }
    }
    for kind in ["spikes", "state"] {
        let records = root
            .get_mut("record")
            .and_then(|r| r.get_mut(kind))
            .and_then(Value::as_array_mut);
        for item in records.into_iter().flatten() {
            if item["population"] == from {
                item["population"] = json!(to);
            }
        }
    }
}

/// A name not yet taken: `base`, or `base2`, `base3`...
fn fresh_name(taken: impl Fn(&str) -> bool, base: &str) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|name| !taken(name))
        .expect("some name is free")
}

/// `model` with a new population of 100 LIF neurons like its first LIF population (or
/// Brian2's CUBA neuron when it has none); the new population's index.
pub fn add_population(model: &NetworkModel) -> (NetworkModel, usize) {
    let mut root = value_of(model);
    let lif = root["populations"]
        .as_array()
        .and_then(|pops| pops.iter().find_map(|p| p.get("lif").cloned()))
        .unwrap_or_else(|| {
            json!({"tau_m": "20 ms", "v_rest": "-49 mV", "v_thresh": "-50 mV", "v_reset": "-60 mV",
                   "t_ref": "5 ms", "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"}})
        });
    let name = fresh_name(|n| model.populations.iter().any(|p| p.name == n), "P");
    let pops = root["populations"]
        .as_array_mut()
        .expect("populations is a list");
    pops.push(json!({"name": name, "size": 100, "lif": lif}));
    let index = pops.len() - 1;
    (
        model_of(&root).expect("a population like the others reads"),
        index,
    )
}

/// `model` with a new projection from `source` onto `target` (p = 0.1, excitatory, 1 ms); its
/// index. Refused if `target` is not a LIF population.
pub fn add_projection(
    model: &NetworkModel,
    source: &str,
    target: &str,
) -> Result<(NetworkModel, usize), ModelError> {
    let mut root = value_of(model);
    let volts = weights_in_volts(&root, target);
    let name = fresh_name(
        |n| {
            model
                .projections
                .iter()
                .any(|p| p.name.as_deref() == Some(n))
        },
        &format!("{source}{target}"),
    );
    let weight = if volts { json!("0.5 mV") } else { json!(0.1) };
    let list = root["projections"]
        .as_array_mut()
        .expect("projections is a list");
    list.push(json!({"name": name, "source": source, "target": target,
        "connect": {"rule": "fixed_probability", "p": 0.1, "allow_self": true},
        "weight": weight, "delay": "1 ms", "receptor": "excitatory"}));
    let index = list.len() - 1;
    let path = format!("projections[{index}].target");
    if !model
        .populations
        .iter()
        .any(|p| p.name == target && p.lif.is_some())
    {
        return Err(ModelError::at(
            path,
            format!("`{target}` is not a population of LIF neurons"),
        ));
    }
    Ok((model_of(&root)?, index))
}

/// `model` without population `index` and the projections from or onto it (their names).
pub fn remove_population(model: &NetworkModel, index: usize) -> (NetworkModel, Vec<String>) {
    let mut out = model.clone();
    if index >= out.populations.len() {
        return (out, Vec::new());
    }
    let name = out.populations.remove(index).name;
    let mut removed = Vec::new();
    out.projections.retain(|p| {
        let touches = p.source == name || p.target == name;
        if touches {
            removed.push(
                p.name
                    .clone()
                    .unwrap_or_else(|| format!("{}->{}", p.source, p.target)),
            );
        }
        !touches
    });
    if let Some(spikes) = &mut out.record.spikes {
        spikes.retain(|s| s.population != name);
    }
    out.record.state.retain(|s| s.population != name);
    (out, removed)
}

/// `model` without projection `index`.
pub fn remove_projection(model: &NetworkModel, index: usize) -> NetworkModel {
    let mut out = model.clone();
    if index < out.projections.len() {
        out.projections.remove(index);
    }
    out
}

/// `model` with STDP on projection `index` switched on (Song et al.'s parameters relative to
/// its weight) or off.
pub fn toggle_stdp(model: &NetworkModel, index: usize) -> Result<NetworkModel, ModelError> {
    let mut root = value_of(model);
    let path = format!("projections[{index}]");
    let projection = root["projections"]
        .get_mut(index)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| ModelError::at(&path, "no such projection"))?;
    if projection.remove("stdp").is_none() {
        let mut stdp = Map::new();
        stdp.insert("tau_pre".into(), json!("20 ms"));
        stdp.insert("tau_post".into(), json!("20 ms"));
        let weight = &model.projections[index].weight;
        let w_max = match weight {
            super::Dist::Constant(q) => q.clone(),
            _ => {
                return Err(ModelError::at(
                    format!("{path}.weight"),
                    "STDP here starts from a constant weight",
                ))
            }
        };
        let (a_pre, a_post) = match &w_max {
            super::Quantity::Si(w) => (json!(0.01 * w), json!(-0.0105 * w)),
            super::Quantity::Text(t) => {
                let (number, unit) = t.trim().split_once(' ').unwrap_or((t.as_str(), ""));
                let w: f64 = number
                    .parse()
                    .map_err(|_| ModelError::at(format!("{path}.weight"), "not a number"))?;
                (
                    json!(format!("{} {unit}", 0.01 * w)),
                    json!(format!("{} {unit}", -0.0105 * w)),
                )
            }
        };
        stdp.insert("a_pre".into(), a_pre);
        stdp.insert("a_post".into(), a_post);
        stdp.insert(
            "w_max".into(),
            serde_json::to_value(&w_max).expect("a quantity serialises"),
        );
        projection.insert("stdp".into(), Value::Object(stdp));
    }
    model_of(&root)
}

/// The JSON path of projection `index`'s weight: the key of a live weight change.
pub fn weight_path(index: usize) -> String {
    format!("projections[{index}].weight")
}

/// The projection a live weight key ([`weight_path`]) names.
pub fn weight_index(path: &str) -> Option<usize> {
    path.strip_prefix("projections[")?
        .strip_suffix("].weight")?
        .parse()
        .ok()
}

/// The unit of the weights onto population `target` of `model`: leak conductances onto
/// conductance synapses, volts otherwise.
pub fn weight_unit(model: &NetworkModel, target: &str) -> Unit {
    let conductance = model.populations.iter().any(|p| {
        p.name == target
            && p.lif
                .as_ref()
                .is_some_and(|l| matches!(l.synapse, super::Synapse::ConductanceExp { .. }))
    });
    if conductance {
        Unit::Dimensionless
    } else {
        Unit::Volts
    }
}

/// When `new` differs from `old` only in the constant weights of projections without STDP:
/// those weights (SI) keyed by [`weight_path`], which a running network takes at its next
/// window boundary without a rebuild. `None` when anything else changed (a rebuild).
pub fn live_weight_changes(old: &NetworkModel, new: &NetworkModel) -> Option<crate::ParamValues> {
    if old.projections.len() != new.projections.len() {
        return None;
    }
    let mut changes = crate::ParamValues::new();
    let mut rest = new.clone();
    for (i, (was, now)) in old.projections.iter().zip(&new.projections).enumerate() {
        if was.weight == now.weight {
            continue;
        }
        let (super::Dist::Constant(_), super::Dist::Constant(q)) = (&was.weight, &now.weight)
        else {
            return None;
        };
        if was.stdp.is_some() || now.stdp.is_some() {
            return None;
        }
        changes.insert(weight_path(i), q.si(weight_unit(new, &now.target)).ok()?);
        rest.projections[i].weight = was.weight.clone();
    }
    (rest == *old && !changes.is_empty()).then_some(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> NetworkModel {
        NetworkModel::from_json(
            r#"{"format": 1, "name": "two", "dt": "0.1 ms",
                "populations": [
                    {"name": "in", "size": 10, "poisson": {"rate": "5 Hz"}},
                    {"name": "E", "size": 4, "lif": {"tau_m": "20 ms", "v_rest": "-60 mV",
                        "v_thresh": "-50 mV", "v_reset": "-60 mV", "t_ref": "5 ms",
                        "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"},
                        "init": {"v": {"uniform": {"low": "-60 mV", "high": "-50 mV"}}}}}],
                "projections": [{"name": "inE", "source": "in", "target": "E",
                    "connect": {"rule": "fixed_indegree", "k": 3}, "weight": "1 mV", "delay": "1 ms"}],
                "record": {"spikes": [{"population": "E"}]}}"#,
        )
        .unwrap()
    }

    #[test]
    fn fields_carry_their_path_unit_and_choices() {
        let f = fields(&small(), Element::Population(1));
        let by = |label: &str| {
            f.iter()
                .find(|f| f.label == label)
                .unwrap_or_else(|| panic!("{label}: {f:?}"))
        };
        assert_eq!(by("lif.tau_m").path, "populations[1].lif.tau_m");
        assert_eq!(by("lif.tau_m").text, "20 ms");
        assert_eq!(by("lif.tau_m").unit, Some(Unit::Seconds));
        assert_eq!(
            by("lif.init.v.uniform.low").unit,
            None,
            "a distribution's part: its parent's help"
        );
        assert_eq!(
            by("lif.synapse.type").choices,
            &["delta", "current_exp", "conductance_exp"]
        );
        assert_eq!(by("size").text, "4");
        let p = fields(&small(), Element::Projection(0));
        let weight = p.iter().find(|f| f.label == "weight").unwrap();
        assert_eq!(
            (weight.path.as_str(), weight.unit),
            ("projections[0].weight", Some(Unit::Volts))
        );
        assert!(p.iter().any(|f| f.label == "connect.k" && f.text == "3"));
        assert!(fields(&small(), Element::Projection(5)).is_empty());
        let order: Vec<&str> = f.iter().take(4).map(|f| f.label.as_str()).collect();
        assert_eq!(order, ["name", "size", "lif.tau_m", "lif.v_rest"]);
    }

    #[test]
    fn a_field_takes_text_numbers_and_choices_and_refuses_what_is_not_a_model() {
        let m = set_field(&small(), "populations[1].lif.tau_m", "10 ms").unwrap();
        assert_eq!(m.populations[1].lif.as_ref().unwrap().tau_m, "10 ms".into());
        let m = set_field(&m, "populations[1].size", "40").unwrap();
        assert_eq!(m.populations[1].size, 40);
        let m = set_field(&m, "projections[0].connect.rule", "fixed_probability").unwrap();
        assert_eq!(
            m.projections[0].connect,
            super::super::Connect::FixedProbability {
                p: 0.1,
                allow_self: true
            }
        );
        let m = set_field(&m, "populations[1].lif.synapse.type", "conductance_exp").unwrap();
        let lif = m.populations[1].lif.as_ref().unwrap();
        assert!(
            matches!(&lif.synapse, super::super::Synapse::ConductanceExp { tau_e, .. } if *tau_e == "5 ms".into())
        );
        let e = set_field(&m, "populations[1].size", "-4").unwrap_err();
        assert_eq!(e.path, "populations[1].size", "{e}");
        let e = set_field(&m, "populations[1].lif.nothing", "1").unwrap_err();
        assert_eq!(e.path, "populations[1].lif.nothing", "{e}");
    }

    #[test]
    fn renaming_a_population_keeps_its_projections_and_records() {
        let m = set_field(&small(), "populations[1].name", "Exc").unwrap();
        assert_eq!(m.projections[0].target, "Exc");
        assert_eq!(m.record.spikes.as_ref().unwrap()[0].population, "Exc");
    }

    #[test]
    fn structural_edits_keep_the_model_consistent() {
        let (m, i) = add_population(&small());
        assert_eq!(
            (i, m.populations[i].name.as_str(), m.populations[i].size),
            (2, "P", 100)
        );
        assert_eq!(
            m.populations[i].lif, m.populations[1].lif,
            "like the first LIF population"
        );
        let (m, j) = add_projection(&m, "E", "P").unwrap();
        assert_eq!(m.projections[j].name.as_deref(), Some("EP"));
        let e = add_projection(&m, "E", "in").unwrap_err();
        assert_eq!(e.path, "projections[2].target", "{e}");
        let (m, removed) = remove_population(&m, 1);
        assert_eq!(removed, vec!["inE".to_string(), "EP".to_string()]);
        assert!(m.projections.is_empty());
        assert_eq!(m.record.spikes.as_ref().map(Vec::len), Some(0));
        let m = remove_projection(&small(), 0);
        assert!(m.projections.is_empty());
    }

    #[test]
    fn stdp_switches_on_relative_to_the_weight_and_off_again() {
        let m = toggle_stdp(&small(), 0).unwrap();
        let stdp = m.projections[0].stdp.as_ref().unwrap();
        assert_eq!(stdp.w_max, "1 mV".into());
        assert_eq!(stdp.a_pre, "0.01 mV".into());
        let m = toggle_stdp(&m, 0).unwrap();
        assert!(m.projections[0].stdp.is_none());
    }

    #[test]
    fn only_constant_static_weights_change_live() {
        let old = small();
        let new = set_field(&old, "projections[0].weight", "2 mV").unwrap();
        let live = live_weight_changes(&old, &new).expect("a weight alone is live");
        assert_eq!(live.get(&weight_path(0)), Some(&0.002));
        assert_eq!(weight_index(&weight_path(0)), Some(0));
        assert_eq!(weight_index("projections[0].delay"), None);
        // Anything else with it, a distribution, or a plastic projection: a rebuild.
        let more = set_field(&new, "populations[1].size", "5").unwrap();
        assert_eq!(live_weight_changes(&old, &more), None);
        let spread = set_field(&old, "projections[0].connect.k", "4").unwrap();
        assert_eq!(live_weight_changes(&old, &spread), None);
        let plastic = toggle_stdp(&old, 0).unwrap();
        let plastic_new = set_field(&plastic, "projections[0].weight", "2 mV").unwrap();
        assert_eq!(live_weight_changes(&plastic, &plastic_new), None);
        assert_eq!(live_weight_changes(&old, &old), None, "nothing changed");
    }

    #[test]
    fn an_elements_path_is_found_from_a_fields() {
        assert_eq!(
            Element::of_path("projections[2].weight"),
            Some(Element::Projection(2))
        );
        assert_eq!(
            Element::of_path("populations[11].lif.tau_m"),
            Some(Element::Population(11))
        );
        assert_eq!(Element::of_path("dt"), None);
    }
}
