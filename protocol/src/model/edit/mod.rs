//! Editing a model as the dashboard's network editor does: the fields of one population or
//! projection (each with its JSON path, unit and range), a change to one field given as text,
//! and the structural edits (add, remove, rename) that keep the projections consistent.
//!
//! Edits go through the model's JSON form, so a field is addressed by the same path the
//! engine names in a refusal (`populations[1].lif.tau_m`), and every result is read back by
//! [`NetworkModel::from_json`]: an edit that makes the file malformed is refused with the
//! field's path and leaves the model as it was.

mod change;
mod fields;
mod live;
#[cfg(test)]
mod tests;

pub use change::{
    add_population, add_projection, remove_population, remove_projection, set_field, toggle_stdp,
};
pub use fields::{fields, Field};
pub use live::{live_changes, weight_unit, DriveTerm, Live};

use super::{ModelError, NetworkModel};
use serde_json::Value;

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

/// The model as JSON.
pub(super) fn value_of(model: &NetworkModel) -> Value {
    serde_json::to_value(model).expect("a model serialises")
}

/// The JSON read back as a model (with the path of what is wrong, if anything).
pub(super) fn model_of(value: &Value) -> Result<NetworkModel, ModelError> {
    NetworkModel::from_json(&value.to_string())
}
