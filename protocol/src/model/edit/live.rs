//! Live weights: which edits of a running model a network takes at its next window boundary
//! without a rebuild, and how they are named.

use crate::model::NetworkModel;
use crate::unit::Unit;

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
                .is_some_and(|l| matches!(l.synapse, crate::model::Synapse::ConductanceExp { .. }))
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
        let (crate::model::Dist::Constant(_), crate::model::Dist::Constant(q)) =
            (&was.weight, &now.weight)
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
