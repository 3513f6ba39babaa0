//! Live parameter changes: checked at once (only the preset's live parameters, and valid as a
//! new run would check them, with the others), staged, and handed to the model exactly at the
//! next window boundary, so a run with the same changes at the same windows is reproducible.

use super::{Refusal, Session};
use crate::params::ParamValues;
use crate::preset::BuildContext;

impl Session {
    /// Checks live parameter changes (only live ones; valid alone and with the others, as a new
    /// run would check them) and queues them for the next window boundary.
    pub(super) fn accept_live(&mut self, params: ParamValues) -> Result<(), Refusal> {
        let preset = match &self.run.source {
            super::Source::Preset(preset) => *preset,
            super::Source::Model(_) => {
                return Err(Refusal {
                    message: "a model file's run has no live parameters: change the model and apply it (the network is rebuilt)".to_string(),
                    param: params.keys().next().cloned(),
                })
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

    /// Hands queued live changes to the model (at a window boundary); whether there were any.
    pub(super) fn apply_pending_live(&mut self) -> bool {
        if self.pending_live.is_empty() {
            return false;
        }
        let pending = std::mem::take(&mut self.pending_live);
        self.run.sim.set_live_params(&pending);
        self.run.params.extend(pending);
        true
    }
}
