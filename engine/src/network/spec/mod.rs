//! A model file checked and resolved: every value in SI units and in range, every reference a
//! population index, every delay a whole number of steps. Whatever is wrong is a
//! [`ModelError`] at the field's JSON path, found before anything is allocated.
//!
//! `check` reads values in their unit and range, `population` and `projection` check those
//! parts; this module holds the checked types and the model's own checks (names, references,
//! records).

mod check;
mod population;
mod projection;

use check::{err, value};
use population::population;
use projection::projection;
use tempora_protocol::model::{
    Connect, DrivingForce, Integrator, ModelError, NetworkModel, Receptor, Timing,
};
use tempora_protocol::Unit;

/// Most neurons (or sources) in one population.
pub const MAX_POPULATION_SIZE: u64 = 4_000_000;
/// Most populations and most projections in one model.
pub const MAX_PARTS: usize = 64;
/// Longest synaptic delay, steps (per-synapse delays are stored in 16 bits).
pub const MAX_DELAY_STEPS: u64 = u16::MAX as u64;

/// A checked model.
#[derive(Debug, Clone, PartialEq)]
pub struct NetSpec {
    /// The model's name.
    pub name: String,
    /// Integration step, s.
    pub dt: f64,
    /// The step in logical nanoseconds.
    pub dt_ns: u64,
    /// Step conventions.
    pub timing: Timing,
    /// Populations, in the file's order.
    pub populations: Vec<PopSpec>,
    /// Projections, in the file's order.
    pub projections: Vec<ProjSpec>,
    /// Spikes recorded: (population, how many of its first neurons).
    pub spike_records: Vec<(usize, u32)>,
    /// State recorded: (population, neuron, variable).
    pub state_records: Vec<(usize, u32, StateVar)>,
}

/// A population, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PopSpec {
    /// Its name.
    pub name: String,
    /// Neurons or sources.
    pub size: u32,
    /// What they are.
    pub kind: PopKind,
}

/// LIF neurons or Poisson sources.
// A model has a few populations: their size difference costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum PopKind {
    /// Integrate-and-fire neurons.
    Lif(LifSpec),
    /// Poisson sources at `rate` Hz each.
    Poisson {
        /// Hz.
        rate: f64,
    },
}

/// LIF parameters in SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct LifSpec {
    /// s.
    pub tau_m: f64,
    /// V.
    pub v_rest: f64,
    /// V.
    pub v_thresh: f64,
    /// V.
    pub v_reset: f64,
    /// s.
    pub t_ref: f64,
    /// Synapse kind and constants.
    pub synapse: SynSpec,
    /// Membrane integrator.
    pub integrator: Integrator,
    /// Drive, V.
    pub drive: DriveSpec,
    /// Binomial Poisson inputs.
    pub poisson_input: Vec<PoissonInputSpec>,
    /// Initial v, V.
    pub init_v: DistSpec,
    /// Initial ge.
    pub init_ge: DistSpec,
    /// Initial gi.
    pub init_gi: DistSpec,
}

/// Synapses, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SynSpec {
    /// Jumps of v.
    Delta,
    /// Exponential currents, time constants in s.
    CurrentExp {
        /// s.
        tau_e: f64,
        /// s.
        tau_i: f64,
    },
    /// Exponential conductances.
    ConductanceExp {
        /// s.
        tau_e: f64,
        /// s.
        tau_i: f64,
        /// V.
        e_e: f64,
        /// V.
        e_i: f64,
        /// Where the driving force is taken.
        driving: DrivingForce,
    },
}

impl SynSpec {
    /// Whether weights are conductances (and may not be negative).
    pub fn is_conductance(&self) -> bool {
        matches!(self, SynSpec::ConductanceExp { .. })
    }
}

/// A drive in volts at time t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DriveSpec {
    /// None.
    None,
    /// Constant, V.
    Constant(f64),
    /// `offset + amplitude sin(2 pi f t + phase)`.
    Sine {
        /// V.
        amplitude: f64,
        /// Hz.
        frequency: f64,
        /// V.
        offset: f64,
        /// rad.
        phase: f64,
    },
}

/// `sources` Poisson sources at `rate` onto each neuron, each spike adding `weight`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonInputSpec {
    /// Sources per neuron.
    pub sources: u32,
    /// Hz.
    pub rate: f64,
    /// V or leak conductances.
    pub weight: f64,
    /// Which variable.
    pub receptor: Receptor,
}

/// A distribution in SI units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DistSpec {
    /// One value.
    Constant(f64),
    /// Uniform in [low, high).
    Uniform(f64, f64),
    /// Normal, clipped to [min, max].
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Lower clip (-inf if none).
        min: f64,
        /// Upper clip (+inf if none).
        max: f64,
    },
}

impl DistSpec {
    /// The smallest value it can give.
    pub fn lowest(&self) -> f64 {
        match *self {
            DistSpec::Constant(v) => v,
            DistSpec::Uniform(low, _) => low,
            DistSpec::Normal {
                sd: 0.0, mean, min, ..
            } => mean.max(min),
            DistSpec::Normal { min, .. } => min,
        }
    }
}

/// Synaptic delays on the step grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DelaySpec {
    /// The same number of steps for every synapse.
    Steps(u32),
    /// Drawn per synapse in seconds and rounded to the nearest step.
    Drawn(DistSpec),
}

/// A projection, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjSpec {
    /// Its name (`source->target` if the file gives none).
    pub name: String,
    /// Source population index.
    pub source: usize,
    /// Target population index (LIF).
    pub target: usize,
    /// The rule.
    pub connect: Connect,
    /// Weights.
    pub weight: DistSpec,
    /// Delays.
    pub delay: DelaySpec,
    /// The target variable.
    pub receptor: Receptor,
    /// Plasticity.
    pub stdp: Option<StdpSpec>,
}

/// STDP constants, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StdpSpec {
    /// s.
    pub tau_pre: f64,
    /// s.
    pub tau_post: f64,
    /// Weight unit.
    pub a_pre: f64,
    /// Weight unit.
    pub a_post: f64,
    /// Weight unit.
    pub w_max: f64,
}

/// A recordable state variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateVar {
    /// Membrane potential.
    V,
    /// Excitatory synaptic variable.
    Ge,
    /// Inhibitory synaptic variable.
    Gi,
}

impl StateVar {
    /// Its name in model files.
    pub fn name(self) -> &'static str {
        match self {
            StateVar::V => "v",
            StateVar::Ge => "ge",
            StateVar::Gi => "gi",
        }
    }
}

impl NetSpec {
    /// Checks `model` and resolves it to SI units.
    pub fn resolve(model: &NetworkModel) -> Result<NetSpec, ModelError> {
        let dt = value(&model.dt, Unit::Seconds, "dt", 1e-6, 1e-2)?;
        let dt_ns = (dt * 1e9).round() as u64;
        if ((dt_ns as f64) * 1e-9 - dt).abs() > 1e-12 * dt {
            return Err(err("dt", "must be a whole number of nanoseconds"));
        }
        if model.populations.is_empty() {
            return Err(err(
                "populations",
                "a network needs at least one population",
            ));
        }
        if model.populations.len() > MAX_PARTS || model.projections.len() > MAX_PARTS {
            return Err(err(
                if model.populations.len() > MAX_PARTS {
                    "populations"
                } else {
                    "projections"
                },
                format!("at most {MAX_PARTS} populations and {MAX_PARTS} projections"),
            ));
        }
        let mut populations = Vec::with_capacity(model.populations.len());
        for (i, p) in model.populations.iter().enumerate() {
            let path = format!("populations[{i}]");
            if p.name.trim().is_empty() || p.name.contains(['.', '=']) {
                return Err(err(
                    format!("{path}.name"),
                    "a name must not be empty or contain `.` or `=`",
                ));
            }
            if model.populations[..i].iter().any(|q| q.name == p.name) {
                return Err(err(
                    format!("{path}.name"),
                    format!("`{}` names two populations", p.name),
                ));
            }
            populations.push(population(p, &path, dt)?);
        }
        let find = |name: &str, path: String| {
            model
                .populations
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| {
                    let known: Vec<_> = model.populations.iter().map(|p| p.name.as_str()).collect();
                    err(
                        path,
                        format!("unknown population `{name}` (known: {})", known.join(", ")),
                    )
                })
        };
        let mut projections: Vec<ProjSpec> = Vec::with_capacity(model.projections.len());
        for (i, p) in model.projections.iter().enumerate() {
            let path = format!("projections[{i}]");
            let source = find(&p.source, format!("{path}.source"))?;
            let target = find(&p.target, format!("{path}.target"))?;
            let proj = projection(p, &path, &populations, source, target, dt)?;
            if projections.iter().any(|q| q.name == proj.name) {
                return Err(err(
                    format!("{path}.name"),
                    format!("`{}` names two projections", proj.name),
                ));
            }
            projections.push(proj);
        }
        let spike_records = match &model.record.spikes {
            None => (0..populations.len())
                .map(|i| (i, populations[i].size))
                .collect(),
            Some(list) => {
                let mut out = Vec::new();
                for (i, r) in list.iter().enumerate() {
                    let path = format!("record.spikes[{i}]");
                    let pop = find(&r.population, format!("{path}.population"))?;
                    let size = populations[pop].size;
                    let first = r.first.unwrap_or(size as u64);
                    if first > size as u64 {
                        return Err(err(
                            format!("{path}.first"),
                            format!("{first} is more than the population's {size} neurons"),
                        ));
                    }
                    out.push((pop, first as u32));
                }
                out
            }
        };
        let mut state_records = Vec::new();
        for (i, r) in model.record.state.iter().enumerate() {
            let path = format!("record.state[{i}]");
            let pop = find(&r.population, format!("{path}.population"))?;
            let PopKind::Lif(lif) = &populations[pop].kind else {
                return Err(err(
                    format!("{path}.population"),
                    "Poisson sources have no state to record",
                ));
            };
            for (j, &n) in r.neurons.iter().enumerate() {
                if n >= populations[pop].size as u64 {
                    return Err(err(
                        format!("{path}.neurons[{j}]"),
                        format!(
                            "neuron {n} is not in a population of {}",
                            populations[pop].size
                        ),
                    ));
                }
                for (k, var) in r.variables.iter().enumerate() {
                    let var = match (var.as_str(), lif.synapse) {
                        ("v", _) => StateVar::V,
                        ("ge", s) if s != SynSpec::Delta => StateVar::Ge,
                        ("gi", s) if s != SynSpec::Delta => StateVar::Gi,
                        (other, _) => {
                            return Err(err(
                                format!("{path}.variables[{k}]"),
                                format!("`{other}` is not a variable of these neurons (v, and ge, gi with exponential synapses)"),
                            ))
                        }
                    };
                    state_records.push((pop, n as u32, var));
                }
            }
        }
        Ok(NetSpec {
            name: model.name.clone(),
            dt,
            dt_ns,
            timing: model.timing,
            populations,
            projections,
            spike_records,
            state_records,
        })
    }

    /// The number of steps of `duration_s` (rounded down).
    pub fn steps_in(&self, duration_s: f64) -> u64 {
        (duration_s * 1e9 / self.dt_ns as f64 + 1e-9).floor() as u64
    }
}
