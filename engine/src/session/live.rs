//! Live parameter changes: checked at once (only the preset's live parameters, and valid as a
//! new run would check them, with the others), staged, and handed to the model exactly at the
//! next window boundary, so a run with the same changes at the same windows is reproducible.

use super::{Refusal, Session};
use crate::network::spec::NetSpec;
use crate::params::{format_value, ParamValues, Unit};
use crate::preset::BuildContext;
use tempora_protocol::model::edit::{weight_index, weight_unit};
use tempora_protocol::model::{Dist, NetworkModel, Quantity};

impl Session {
    /// Checks live parameter changes (only live ones; valid alone and with the others, as a new
    /// run would check them) and queues them for the next window boundary.
    pub(super) fn accept_live(&mut self, params: ParamValues) -> Result<(), Refusal> {
        let preset = match &self.run.source {
            super::Source::Preset(preset) => *preset,
            super::Source::Model(model) => {
                let checked = self.model_with_weights(model, &params)?;
                // Valid as a new run would check it (no synapse is drawn for that).
                NetSpec::resolve(&checked).map_err(|e| Refusal {
                    message: e.to_string(),
                    param: Some(e.path.clone()),
                })?;
                self.pending_live.extend(params);
                return Ok(());
            }
        };
        for name in params.keys() {
            crate::params::find_spec(preset.params, name).map_err(|e| Refusal {
                message: e.to_string(),
                param: Some(name.clone()),
            })?;
            if !preset.live.contains(&name.as_str()) {
                return Err(Refusal {
                    message: format!(
                        "`{name}` cannot change during a run (live parameters of {}: {}); Apply restarts the run with it",
                        preset.name,
                        preset.live.join(", ")
                    ),
                    param: Some(name.clone()),
                });
            }
        }
        let mut merged = self.run.params.clone();
        merged.extend(self.pending_live.clone());
        merged.extend(params.clone());
        // A throwaway build checks the values exactly as a new run would; it needs no helpers
        // (parts give the same results).
        let alone = BuildContext::alone();
        preset
            .build_in(&alone, self.run.seed, &merged)
            .map_err(|e| Refusal {
                message: e.to_string(),
                param: e.param().map(str::to_string),
            })?;
        self.pending_live.extend(params);
        Ok(())
    }

    /// `model` with the pending and the new weight changes `params` (a model run's live
    /// parameters are the constant weights of its static projections, by their JSON path).
    fn model_with_weights(
        &self,
        model: &NetworkModel,
        params: &ParamValues,
    ) -> Result<NetworkModel, Refusal> {
        let mut changed = model.clone();
        for (key, &value) in self.pending_live.iter().chain(params) {
            let refuse = |message: String| Refusal {
                message,
                param: Some(key.clone()),
            };
            let Some(i) = weight_index(key).filter(|&i| i < changed.projections.len()) else {
                return Err(refuse(format!(
                    "`{key}` cannot change during a model run: its live parameters are its projections' weights (`projections[i].weight`); anything else is applied by rebuilding the network"
                )));
            };
            let projection = &mut changed.projections[i];
            if projection.stdp.is_some() || !matches!(projection.weight, Dist::Constant(_)) {
                return Err(refuse(format!(
                    "{key}: a plastic or distributed weight cannot change live; apply it to rebuild the network"
                )));
            }
            // Volts as a person writes them (`2 mV`); leak conductances are pure numbers.
            let weight = match weight_unit(model, &projection.target) {
                Unit::Volts => Quantity::Text(format_value(Unit::Volts, value)),
                _ => Quantity::Si(value),
            };
            projection.weight = Dist::Constant(weight);
        }
        Ok(changed)
    }

    /// Hands queued live changes to the model (at a window boundary); whether there were any.
    /// A model run's model takes the new weights too (what Reset and a link rebuild).
    pub(super) fn apply_pending_live(&mut self) -> bool {
        if self.pending_live.is_empty() {
            return false;
        }
        let pending = std::mem::take(&mut self.pending_live);
        self.run.sim.set_live_params(&pending);
        // Checked when accepted (nothing is pending now, so `pending` alone applies).
        let changed = match &self.run.source {
            super::Source::Model(model) => self.model_with_weights(model, &pending).ok(),
            super::Source::Preset(_) => None,
        };
        match changed {
            Some(model) => self.run.source = super::Source::Model(Box::new(model)),
            None => self.run.params.extend(pending),
        }
        true
    }
}
