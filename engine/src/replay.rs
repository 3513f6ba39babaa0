//! Reference runs: a preset built from a seed and parameters, run unpaced for a duration. The
//! CLI prints them; the golden tests compare their hashes natively and in the browser.

use crate::params::ParamValues;
use crate::preset::{self, PresetError};
use crate::protocol::WindowSummary;
use crate::simulation::{content_hash, run_to, Report};
use crate::time::{TimePoint, TimeSpan};
use serde::{Deserialize, Serialize};

/// A reference run and its expected outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayCase {
    /// The preset.
    pub preset: String,
    /// The seed.
    pub seed: u64,
    /// Logical seconds to run.
    pub duration_s: f64,
    /// Parameter overrides (SI).
    pub params: ParamValues,
    /// Windows the run closes.
    pub windows: usize,
    /// [`content_hash`] of those windows.
    pub hash: String,
}

impl ReplayCase {
    /// Runs the case and returns `(windows, hash)` as found now.
    pub fn outcome(&self) -> Result<(usize, String), PresetError> {
        let (windows, _) = reference_run(&self.preset, self.seed, &self.params, self.duration_s)?;
        Ok((windows.len(), content_hash(&windows)))
    }
}

/// Builds `preset` and runs it without pacing through `duration_s` of logical time; returns its
/// windows and its report.
pub fn reference_run(
    preset: &str,
    seed: u64,
    params: &ParamValues,
    duration_s: f64,
) -> Result<(Vec<WindowSummary>, Report), PresetError> {
    let (mut sim, _) = preset::find(preset)?.build(seed, params)?;
    let end = TimeSpan::from_secs_f64(duration_s).map_err(|e| {
        PresetError::Param(crate::params::ParamError::Inconsistent {
            name: "duration".to_string(),
            reason: e.to_string(),
        })
    })?;
    let windows = run_to(sim.as_mut(), TimePoint(end.as_nanos()));
    Ok((windows, sim.report()))
}
