//! Changes to a model: one field from text, and the structural edits (add, remove, rename,
//! STDP on or off) that keep projections and records consistent. Each result is read back as a
//! model, or refused at its field.

use super::{model_of, value_of, weight_unit, Element};
use crate::model::{ModelError, NetworkModel};
use crate::unit::Unit;
use serde_json::{json, Map, Value};

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
    let volts = weight_unit(model, target) == Unit::Volts;
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
            crate::model::Dist::Constant(q) => q.clone(),
            _ => {
                return Err(ModelError::at(
                    format!("{path}.weight"),
                    "STDP here starts from a constant weight",
                ))
            }
        };
        let (a_pre, a_post) = match &w_max {
            crate::model::Quantity::Si(w) => (json!(0.01 * w), json!(-0.0105 * w)),
            crate::model::Quantity::Text(t) => {
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
