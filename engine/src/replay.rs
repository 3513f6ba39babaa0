//! Reference runs: a preset built from a seed and parameters, run unpaced for a duration. The
//! CLI prints them; the golden tests compare their hashes natively and in the browser.

use crate::params::ParamValues;
use crate::preset::{self, PresetError};
use crate::simulation::{content_hash, run_to, to_hex, Report};
use crate::time::{TimePoint, TimeSpan};
use serde::{Deserialize, Serialize};
use tempora_protocol::WindowSummary;

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
    /// [`content_hash`] of those windows, extended with the run's report (final weights, every
    /// spike time...), so equal hashes mean bit-identical windows *and* results.
    pub hash: String,
}

impl ReplayCase {
    /// Runs the case and returns `(windows, hash)` as found now.
    pub fn outcome(&self) -> Result<(usize, String), PresetError> {
        let (windows, report) =
            reference_run(&self.preset, self.seed, &self.params, self.duration_s)?;
        Ok((windows.len(), run_hash(&windows, &report)))
    }
}

/// A SHA-256 over the windows' [`content_hash`] and the report's JSON (serde_json writes floats
/// as the shortest text that round-trips, so equal text means bit-equal values).
pub fn run_hash(windows: &[WindowSummary], report: &Report) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(content_hash(windows));
    hasher.update(serde_json::to_vec(report).expect("a report serialises"));
    to_hex(&hasher.finalize())
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
