//! Live parameter changes: checked at once (only the preset's live parameters, and valid as a
//! new run would check them, with the others), staged, and handed to the model exactly at the
//! next window boundary, so a run with the same changes at the same windows is reproducible.

use super::{Refusal, Session};
use crate::network::spec::NetSpec;
use crate::params::{format_value, ParamValues, Unit};
use crate::preset::BuildContext;
use tempora_protocol::model::edit::Live;
use tempora_protocol::model::{NetworkModel, Quantity};

impl Session {
    /// Checks live parameter changes (only live ones; valid alone and with the others, as a new
    /// run would check them) and queues them for the next window boundary.
    pub(super) fn accept_live(&mut self, params: ParamValues) -> Result<(), Refusal> {
        let preset = match &self.run.source {
            super::Source::Preset(preset) if is_model_change(preset, &params) => {
                return self.become_model_run(preset, params);
            }
            super::Source::Preset(preset) => *preset,
            super::Source::Model(model) => {
                self.check_model_changes(model, &params)?;
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

    /// A network preset's run takes live changes of its model (by their JSON path, as a
    /// model run does) by becoming a model run of that model: the same network goes on, and
    /// Reset or a link rebuild the model.
    fn become_model_run(
        &mut self,
        preset: &'static crate::preset::Preset,
        params: ParamValues,
    ) -> Result<(), Refusal> {
        let model = (preset.model.expect("a network preset"))(&self.run.params);
        if let Some(name) = self.pending_live.keys().next() {
            return Err(Refusal {
                message: format!(
                    "`{name}` is still to apply at the next window boundary; change the model after it"
                ),
                param: params.keys().next().cloned(),
            });
        }
        self.check_model_changes(&model, &params)?;
        self.run.source = super::Source::Model(Box::new(model));
        self.run.params = ParamValues::new();
        self.pending_live.extend(params);
        Ok(())
    }

    /// Whether `model` with the pending and the new live changes `params` is valid, as a new
    /// run would check it (no synapse is drawn for that).
    fn check_model_changes(
        &self,
        model: &NetworkModel,
        params: &ParamValues,
    ) -> Result<(), Refusal> {
        NetSpec::resolve(&self.model_with_live(model, params)?)?;
        Ok(())
    }

    /// `model` with the pending and the new live changes `params` (a model run's live
    /// quantities, by their JSON path: constant weights of static projections, Poisson rates,
    /// drives; see [`Live`]).
    fn model_with_live(
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
            let Some(live) = Live::parse(key) else {
                return Err(refuse(format!(
                    "`{key}` cannot change during a model run: its live quantities are constant weights of static projections, Poisson rates and drives (by their JSON path); anything else is applied by rebuilding the network"
                )));
            };
            let unit = live.unit(model);
            let Some(quantity) = live.quantity_mut(&mut changed) else {
                return Err(refuse(format!(
                    "{key}: the model has no live quantity there (no such element, a plastic or distributed weight, or another kind of drive); rebuilding the network applies it"
                )));
            };
            // Volts and hertz as a person writes them (`2 mV`); pure numbers as they are.
            *quantity = match unit {
                Unit::Volts | Unit::Hertz => Quantity::Text(format_value(unit, value)),
                _ => Quantity::Si(value),
            };
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
            super::Source::Model(model) => self.model_with_live(model, &pending).ok(),
            super::Source::Preset(_) => None,
        };
        match changed {
            Some(model) => self.run.source = super::Source::Model(Box::new(model)),
            None => self.run.params.extend(pending),
        }
        true
    }
}

/// Whether `params` are live changes of a network preset's model (JSON paths), not of its
/// own parameters.
fn is_model_change(preset: &crate::preset::Preset, params: &ParamValues) -> bool {
    preset.model.is_some() && !params.is_empty() && params.keys().all(|k| Live::parse(k).is_some())
}
