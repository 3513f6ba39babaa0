//! Presets: named, parameterised models wired onto the scheduler and its windows.
//!
//! A preset validates all its parameters before it builds anything, so a bad value is an error
//! that names the parameter and leaves any running simulation untouched.

mod divergence;
mod gallery;
#[cfg(test)]
mod model_file_tests;
mod multirate_stdp;
mod net_core;
mod network;
mod phase_lock;
mod poisson_lif;
mod predict;
mod random_walk;
mod spiking;
mod stdp;
mod swarm;
mod xor;

use crate::params::{self, ParamError, ParamSpec, ParamValues};
use crate::scheduler::{Priority, Scheduler, Task};
use crate::simulation::{Model, Sim, Simulation};
use crate::swarm::shards::Spawn;
#[cfg(not(target_arch = "wasm32"))]
use crate::swarm::threads::ThreadHelpers;
use crate::time::TimePoint;
use crate::time::TimeSpan;
use crate::window::schedule_windows;
use crate::window::WindowConfig;
use std::rc::Rc;
use tempora_protocol::model::NetworkModel;
use tempora_protocol::{ParamInfo, PresetInfo};
use thiserror::Error;

pub use gallery::gallery;
pub use network::{model_run, network_run, MODEL_WINDOW_S};
pub use swarm::shard_runner;

/// Errors of building a preset.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PresetError {
    /// No preset of that name.
    #[error("unknown preset `{name}` (known: {known})")]
    Unknown {
        /// The name given.
        name: String,
        /// The known names.
        known: String,
    },
    /// A parameter is unknown, unreadable, out of range or inconsistent with another.
    #[error(transparent)]
    Param(#[from] ParamError),
}

impl PresetError {
    /// The parameter the error is about, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            PresetError::Param(e) => e.param(),
            PresetError::Unknown { .. } => None,
        }
    }
}

/// Builds a preset's run from validated parameter values and a seed.
type BuildFn = fn(&ParamValues, u64, &BuildContext) -> Result<Box<dyn Simulation>, ParamError>;

/// What the platform lends a build: the helpers a swarm may hand its parts to. Passed down by
/// whoever builds (the session, the CLI, a test), never found in a global.
#[derive(Clone)]
pub struct BuildContext {
    /// Helpers for a swarm's parts (`shards > 1`); none: every member is evaluated here.
    pub helpers: Option<Rc<dyn Spawn>>,
}

impl BuildContext {
    /// No helpers: everything runs on the building thread.
    pub fn alone() -> Self {
        BuildContext { helpers: None }
    }
}

impl Default for BuildContext {
    /// The platform's own: helper threads natively; in a browser none until the worker lends
    /// its helper workers.
    fn default() -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        return BuildContext {
            helpers: Some(Rc::new(ThreadHelpers::new(swarm::shard_runner_for_threads))),
        };
        #[cfg(target_arch = "wasm32")]
        BuildContext::alone()
    }
}

impl std::fmt::Debug for BuildContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildContext")
            .field("helpers", &self.helpers.as_ref().map(|h| h.helpers()))
            .finish()
    }
}

/// A preset: what it is called, its parameters, and how to build it.
pub struct Preset {
    /// The name used in commands, URLs and the CLI.
    pub name: &'static str,
    /// One line on what it shows.
    pub description: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSpec],
    /// The parameters that may change during a run (at a window boundary, see
    /// [`crate::simulation::Model::set_live_params`]).
    pub live: &'static [&'static str],
    /// Builds a run from validated parameter values and a seed.
    build: BuildFn,
    /// Network presets: the model file their parameters describe (the CLI runs it directly).
    pub model: Option<fn(&ParamValues) -> NetworkModel>,
    /// Presets that run on their own engine but are a network too (`stdp`, `phase-lock`): that
    /// network as a model file, which the network engine runs, the editor opens and PyNN
    /// exports (the same statistics, not the same spikes: see the preset).
    pub as_model: Option<fn(&ParamValues) -> NetworkModel>,
}

impl Preset {
    /// Resolves `overrides` against the defaults, validates them, and builds the run with the
    /// platform's own [`BuildContext`].
    pub fn build(
        &self,
        seed: u64,
        overrides: &ParamValues,
    ) -> Result<(Box<dyn Simulation>, ParamValues), PresetError> {
        self.build_in(&BuildContext::default(), seed, overrides)
    }

    /// As [`Preset::build`], with what `context` lends.
    pub fn build_in(
        &self,
        context: &BuildContext,
        seed: u64,
        overrides: &ParamValues,
    ) -> Result<(Box<dyn Simulation>, ParamValues), PresetError> {
        let values = params::resolve(self.params, overrides)?;
        let sim = (self.build)(&values, seed, context)?;
        Ok((sim, values))
    }

    /// The description sent to the UI.
    pub fn info(&self) -> PresetInfo {
        PresetInfo {
            name: self.name.to_string(),
            description: self.description.to_string(),
            params: self
                .params
                .iter()
                .map(|spec| ParamInfo {
                    live: self.live.contains(&spec.name),
                    ..ParamInfo::from(spec)
                })
                .collect(),
        }
    }
}

/// Every preset, in the order the UI lists them.
pub fn all() -> &'static [Preset] {
    &[
        stdp::PRESET,
        phase_lock::PRESET,
        multirate_stdp::PRESET,
        poisson_lif::PRESET,
        network::CUBA,
        network::COBA,
        network::BRUNEL,
        network::STDP_NETWORK,
        xor::PRESET,
        predict::PRESET,
        divergence::PRESET,
        swarm::PRESET,
        random_walk::PRESET,
    ]
}

/// The range of every preset's `window` and `hop`, s.
const WINDOW_MIN_S: f64 = 1e-6;
/// See [`WINDOW_MIN_S`].
const WINDOW_MAX_S: f64 = 60.0;
/// What `window` is, in every preset.
const WINDOW_HELP: &str = "Length of a temporal window (one summary each).";
/// What `hop` is, in every preset.
const HOP_HELP: &str = "Logical time between window starts; overlap = window - hop.";

/// An error about `name` for values that are valid alone but not together.
fn inconsistent(name: &str, reason: impl Into<String>) -> ParamError {
    ParamError::Inconsistent {
        name: name.to_string(),
        reason: reason.into(),
    }
}

/// Parameter `name`'s `seconds` as logical time.
fn span_of(name: &str, seconds: f64) -> Result<TimeSpan, ParamError> {
    TimeSpan::from_secs_f64(seconds).map_err(|e| inconsistent(name, e.to_string()))
}

/// The window grid of `window` and `hop` seconds.
fn window_grid(window: f64, hop: f64) -> Result<WindowConfig, ParamError> {
    WindowConfig::new(span_of("window", window)?, span_of("hop", hop)?)
        .map_err(|e| inconsistent("hop", e.to_string()))
}

/// `window`, required to fall on the model's step grid of `dt`.
fn grid_on_step(window: WindowConfig, dt: TimeSpan) -> Result<WindowConfig, ParamError> {
    let dt = dt.as_nanos().max(1);
    if !window.hop().as_nanos().is_multiple_of(dt) || !window.length().as_nanos().is_multiple_of(dt)
    {
        return Err(inconsistent(
            "window",
            "window and hop must be whole multiples of dt",
        ));
    }
    Ok(window)
}

/// Requires parameter `a`'s value below `b`'s, naming `a` otherwise.
fn require_order((a, low): (&str, f64), (b, high): (&str, f64)) -> Result<(), ParamError> {
    if low < high {
        Ok(())
    } else {
        Err(inconsistent(
            a,
            format!("{a} ({low}) must be below {b} ({high})"),
        ))
    }
}

/// A run whose one model task steps every `dt` from t = 0, with windows on `window` (the
/// single-neuron spiking presets). The step's period is `dt`'s, the grid `window`'s: a
/// scheduling error is theirs.
fn stepped_run<W: Model + 'static>(
    seed: u64,
    dt: TimeSpan,
    task: Box<dyn Task<W>>,
    window: WindowConfig,
    world: W,
) -> Result<Box<dyn Simulation>, ParamError> {
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(TimePoint::ZERO, dt, Priority::MODEL, task)
        .map_err(|e| inconsistent("dt", e.to_string()))?;
    schedule_windows(&mut scheduler, window).map_err(|e| inconsistent("window", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, world)))
}

/// Requires the step of `dt` seconds to resolve the time constant `(name, seconds)`
/// (dt <= tau / 10), naming `dt` otherwise.
fn require_step_resolves(dt: f64, (tau, value): (&str, f64)) -> Result<(), ParamError> {
    if dt > value / 10.0 {
        return Err(inconsistent(
            "dt",
            format!(
                "dt ({dt} s) must be at most {tau} / 10 ({} s) to resolve {tau}",
                value / 10.0
            ),
        ));
    }
    Ok(())
}

/// Names presets had before, and the presets they name now: old links, saved settings and
/// scripts keep working.
const ALIASES: &[(&str, &str)] = &[("tick", "random-walk"), ("seed-example", "multirate-stdp")];

/// The preset named `name`, or once named so (`tick`, `seed-example`).
pub fn find(name: &str) -> Result<&'static Preset, PresetError> {
    let name = ALIASES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new);
    all()
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| PresetError::Unknown {
            name: name.to_string(),
            known: all().iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_find_the_renamed_presets_and_unknown_names_list_the_known() {
        assert_eq!(find("tick").unwrap().name, "random-walk");
        assert_eq!(find("seed-example").unwrap().name, "multirate-stdp");
        assert_eq!(find("stdp").unwrap().name, "stdp");
        for (old, new) in ALIASES {
            assert!(all().iter().any(|p| p.name == *new), "{old} -> {new}");
            assert!(all().iter().all(|p| p.name != *old), "{old} is taken");
        }
        let Err(err) = find("tik") else {
            panic!("`tik` is no preset")
        };
        assert_eq!(
            err.to_string(),
            format!(
                "unknown preset `tik` (known: {})",
                all().iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
            )
        );
        assert_eq!(err.param(), None);
    }
}
