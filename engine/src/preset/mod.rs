//! Presets: named, parameterised models wired onto the scheduler and its windows.
//!
//! A preset validates all its parameters before it builds anything, so a bad value is an error
//! that names the parameter and leaves any running simulation untouched.

mod tick;

use crate::params::{self, ParamError, ParamSpec, ParamValues};
use crate::protocol::{ParamInfo, PresetInfo};
use crate::simulation::Simulation;
use thiserror::Error;

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
type BuildFn = fn(&ParamValues, u64) -> Result<Box<dyn Simulation>, ParamError>;

/// A preset: what it is called, its parameters, and how to build it.
pub struct Preset {
    /// The name used in commands, URLs and the CLI.
    pub name: &'static str,
    /// One line on what it shows.
    pub description: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSpec],
    /// Builds a run from validated parameter values and a seed.
    build: BuildFn,
}

impl Preset {
    /// Resolves `overrides` against the defaults, validates them, and builds the run.
    pub fn build(
        &self,
        seed: u64,
        overrides: &ParamValues,
    ) -> Result<(Box<dyn Simulation>, ParamValues), PresetError> {
        let values = params::resolve(self.params, overrides)?;
        let sim = (self.build)(&values, seed)?;
        Ok((sim, values))
    }

    /// The description sent to the UI.
    pub fn info(&self) -> PresetInfo {
        PresetInfo {
            name: self.name.to_string(),
            description: self.description.to_string(),
            params: self.params.iter().map(ParamInfo::from).collect(),
        }
    }
}

/// Every preset, in the order the UI lists them.
pub fn all() -> &'static [Preset] {
    &[tick::PRESET]
}

/// The preset named `name`.
pub fn find(name: &str) -> Result<&'static Preset, PresetError> {
    all()
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| PresetError::Unknown {
            name: name.to_string(),
            known: all().iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
        })
}
