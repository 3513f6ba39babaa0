//! The network model file (format 1): populations, projections and what to record, as JSON.
//! The CLI, the worker and the UI share these types; the engine checks a model's meaning
//! (units, ranges, references, memory) when it builds it (`tempora_engine::network`).
//!
//! Every value carries its unit: a number in SI units, or a string with a unit (`"20 ms"`).
//! Current-based synapses and drives are in volts (the voltage a current would make across the
//! membrane's resistance, as in Brian2's `CUBA.py`); conductances are in units of the leak
//! conductance (as in Brian 1's `COBA.py`). The README's "Model files" section is the schema's
//! documentation.

pub mod edit;
pub mod pynn;
mod quantity;

pub use quantity::{Dist, Normal, Quantity, Uniform};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The model file format this crate reads and writes.
pub const MODEL_FORMAT: u32 = 1;

/// The largest model file accepted, bytes: a model describes rules, not synapses, so a file
/// near this is almost certainly something else.
pub const MAX_MODEL_FILE_BYTES: usize = 256 * 1024;

/// A network: populations, the projections between them, and what to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkModel {
    /// [`MODEL_FORMAT`].
    pub format: u32,
    /// A short name (`cuba`).
    pub name: String,
    /// What the network is and what to look for.
    #[serde(default)]
    pub description: String,
    /// Integration step.
    pub dt: Quantity,
    /// Step conventions where the peers differ.
    #[serde(default)]
    pub timing: Timing,
    /// Neuron and input populations, in order (each has a name).
    pub populations: Vec<Population>,
    /// Connections between populations.
    #[serde(default)]
    pub projections: Vec<Projection>,
    /// What the run records.
    #[serde(default)]
    pub record: Record,
}

/// Timing conventions of a step, where Brian2 and NEST differ (README, "Timing conventions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// As Brian2: a neuron that spikes at step s is held during steps s+1 .. s+round(t_ref/dt)-1
    /// (49 steps of 5 ms at 0.1 ms) and integrates again in the next; a spike with delay d
    /// acts at step s+d (a zero delay acts within the spike's own step, after the threshold).
    #[default]
    Brian2,
    /// As NEST: held for round(t_ref/dt) steps (50); every delay is at least one step.
    Nest,
}

/// A population: LIF neurons or Poisson sources (exactly one of the two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Its name, unique in the model (projections and records refer to it).
    pub name: String,
    /// Number of neurons or sources.
    pub size: u64,
    /// Leaky integrate-and-fire neurons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lif: Option<Lif>,
    /// Independent Poisson spike sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poisson: Option<PoissonSource>,
}

/// Leaky integrate-and-fire neurons: `tau_m dv/dt = v_rest - v + I_syn + drive`, a spike when
/// `v > v_thresh`, then `v = v_reset` held for `t_ref`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lif {
    /// Membrane time constant.
    pub tau_m: Quantity,
    /// Resting (leak reversal) potential.
    pub v_rest: Quantity,
    /// Threshold.
    pub v_thresh: Quantity,
    /// Reset potential (below the threshold).
    pub v_reset: Quantity,
    /// Refractory period; the membrane is clamped at `v_reset` during it.
    pub t_ref: Quantity,
    /// How synaptic input acts on the membrane.
    pub synapse: Synapse,
    /// How the membrane is integrated; `exact` where the dynamics are linear.
    #[serde(default)]
    pub integrator: Integrator,
    /// A drive every neuron receives besides its synapses, volts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive: Option<Drive>,
    /// Poisson input from `sources` independent sources per neuron, drawn as one binomial
    /// count per neuron and step (Brian2's `PoissonInput`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub poisson_input: Vec<PoissonInput>,
    /// Initial values.
    #[serde(default)]
    pub init: Init,
}

/// How a spike arriving at a neuron acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Synapse {
    /// The membrane jumps by the weight (volts), excitatory or inhibitory by its sign.
    Delta,
    /// Exponential currents: `ge` (excitatory) and `gi` (inhibitory), volts, jump by the weight
    /// and decay with `tau_e` and `tau_i`; `I_syn = ge + gi`.
    CurrentExp {
        /// Excitatory decay time constant.
        tau_e: Quantity,
        /// Inhibitory decay time constant.
        tau_i: Quantity,
    },
    /// Exponential conductances, in units of the leak conductance: `I_syn = ge (e_e - v) +
    /// gi (e_i - v)`.
    ConductanceExp {
        /// Excitatory decay time constant.
        tau_e: Quantity,
        /// Inhibitory decay time constant.
        tau_i: Quantity,
        /// Excitatory reversal potential.
        e_e: Quantity,
        /// Inhibitory reversal potential.
        e_i: Quantity,
        /// Where the driving force is taken: `membrane` (`e - v`, the conductance form of
        /// Song et al. 2000 and Brian 1's COBA) or `reset` (`e - v_reset`, frozen, as Brian2's
        /// `examples/synapses/STDP.py`).
        #[serde(default)]
        driving_force: DrivingForce,
    },
}

/// Where a conductance's driving force is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrivingForce {
    /// `e - v`.
    #[default]
    Membrane,
    /// `e - v_reset`: a current, not a conductance.
    Reset,
}

/// Membrane integrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Integrator {
    /// The closed-form solution over a step (delta and current synapses, and conductances
    /// with a frozen driving force); for conductances with `e - v`, exponential Euler (exact
    /// for the conductances held over the step, Brian2's `exponential_euler`).
    #[default]
    Exact,
    /// Forward Euler (Brian 1's `COBA.py`): `v += dt f(v)`, synapses decayed exactly.
    Euler,
}

/// A drive besides synapses, volts (a current times the membrane resistance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Drive {
    /// Constant.
    Constant(Quantity),
    /// `offset + amplitude sin(2 pi frequency t + phase)`, taken at each step's start.
    Sine {
        /// Amplitude, volts.
        amplitude: Quantity,
        /// Frequency, Hz.
        frequency: Quantity,
        /// Offset, volts.
        #[serde(default = "zero")]
        offset: Quantity,
        /// Phase, radians.
        #[serde(default = "zero")]
        phase: Quantity,
    },
}

fn zero() -> Quantity {
    Quantity::Si(0.0)
}

/// `sources` independent Poisson sources at `rate` onto each neuron of the population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoissonInput {
    /// Sources per neuron.
    pub sources: u64,
    /// Rate of each source.
    pub rate: Quantity,
    /// Weight of each input spike (volts for delta and current synapses, leak conductances
    /// for conductance synapses).
    pub weight: Quantity,
    /// Which synapse it acts on.
    #[serde(default)]
    pub receptor: Receptor,
}

/// Independent Poisson spike sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoissonSource {
    /// Rate of each source.
    pub rate: Quantity,
}

/// Initial values of a population's state (defaults: `v = v_reset`... see each field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Init {
    /// Membrane potential, volts (default `v_rest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Dist>,
    /// Excitatory synaptic variable (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ge: Option<Dist>,
    /// Inhibitory synaptic variable (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gi: Option<Dist>,
}

/// Which synaptic variable a spike acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Receptor {
    /// `ge` (or `v` with delta synapses).
    #[default]
    Excitatory,
    /// `gi` (or `v` with delta synapses).
    Inhibitory,
}

/// Connections from every neuron of `source` to neurons of `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// Its name (default `source->target`), unique in the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The presynaptic population.
    pub source: String,
    /// The postsynaptic population (LIF neurons).
    pub target: String,
    /// Which pairs are connected.
    pub connect: Connect,
    /// Synaptic weight (volts for delta and current synapses, leak conductances for
    /// conductance synapses, where it must not be negative).
    pub weight: Dist,
    /// Synaptic delay, rounded to the dt grid (it must lie on it within 1e-9 dt).
    #[serde(default = "zero_dist")]
    pub delay: Dist,
    /// Which synaptic variable it acts on.
    #[serde(default)]
    pub receptor: Receptor,
    /// Pair-based additive STDP on the weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdp: Option<Stdp>,
}

fn zero_dist() -> Dist {
    Dist::Constant(Quantity::Si(0.0))
}

/// Connectivity rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Connect {
    /// Each pair independently with probability `p`.
    FixedProbability {
        /// In [0, 1].
        p: f64,
        /// Whether a neuron may connect to itself (source = target only).
        #[serde(default = "yes")]
        allow_self: bool,
    },
    /// Each target draws exactly `k` distinct sources.
    FixedIndegree {
        /// Inputs per target.
        k: u64,
        /// Whether a neuron may connect to itself (source = target only).
        #[serde(default = "yes")]
        allow_self: bool,
    },
    /// Neuron i to neuron i (equal sizes).
    OneToOne,
    /// Every pair.
    AllToAll {
        /// Whether a neuron may connect to itself (source = target only).
        #[serde(default = "yes")]
        allow_self: bool,
    },
}

fn yes() -> bool {
    true
}

/// Pair-based additive STDP with all-to-all pairing through traces (Song et al. 2000, Brian2's
/// `examples/synapses/STDP.py`): a presynaptic spike adds `a_pre` to its trace and the
/// postsynaptic trace to the weight; a postsynaptic spike adds `a_post` to its trace and the
/// presynaptic trace to the weight; weights are clipped to [0, w_max].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stdp {
    /// Presynaptic trace time constant.
    pub tau_pre: Quantity,
    /// Postsynaptic trace time constant.
    pub tau_post: Quantity,
    /// Presynaptic trace increment, in the weight's unit (potentiation).
    pub a_pre: Quantity,
    /// Postsynaptic trace increment, in the weight's unit (depression when negative).
    pub a_post: Quantity,
    /// Largest weight.
    pub w_max: Quantity,
}

/// What a run records. Spike counts per neuron (rates, CVs) are always kept.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Spike times of these populations (default: every population, all neurons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spikes: Option<Vec<SpikeRecord>>,
    /// State variables of chosen neurons, every step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<StateRecord>,
}

/// Spikes of a population's first `first` neurons (all if absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeRecord {
    /// The population.
    pub population: String,
    /// How many of its neurons, from index 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u64>,
}

/// State variables of some neurons of a population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRecord {
    /// The population.
    pub population: String,
    /// Indices of its neurons.
    pub neurons: Vec<u64>,
    /// `v`, `ge`, `gi`.
    pub variables: Vec<String>,
}

/// A model file that cannot be read: where (a JSON path such as `projections[1].connect.p`)
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct ModelError {
    /// Where in the file; `.` for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ModelError {
    /// An error at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        ModelError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl NetworkModel {
    /// Reads a model file's text: size, JSON syntax, shape and format version. What the values
    /// mean is checked by the engine when it builds the network.
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        if text.len() > MAX_MODEL_FILE_BYTES {
            return Err(ModelError::at(
                ".",
                format!(
                    "the file is {} bytes; a model file is at most {MAX_MODEL_FILE_BYTES} bytes",
                    text.len()
                ),
            ));
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        let model: NetworkModel = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            // A syntax error has no path ("?"); its message gives the line and column.
            let path = if path.is_empty() || path == "?" {
                ".".into()
            } else {
                path
            };
            ModelError::at(path, message)
        })?;
        reader
            .end()
            .map_err(|e| ModelError::at(".", e.to_string()))?;
        if model.format != MODEL_FORMAT {
            return Err(ModelError::at(
                "format",
                format!(
                    "format {} is not one this version reads (it reads {MODEL_FORMAT})",
                    model.format
                ),
            ));
        }
        Ok(model)
    }

    /// The model as pretty JSON (what [`NetworkModel::from_json`] reads back).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
        "format": 1, "name": "two", "dt": "0.1 ms",
        "populations": [
            {"name": "in", "size": 10, "poisson": {"rate": "5 Hz"}},
            {"name": "E", "size": 4, "lif": {
                "tau_m": "20 ms", "v_rest": "-60 mV", "v_thresh": "-50 mV",
                "v_reset": "-60 mV", "t_ref": "5 ms",
                "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"},
                "init": {"v": {"uniform": {"low": "-60 mV", "high": "-50 mV"}}}}}
        ],
        "projections": [
            {"source": "in", "target": "E", "connect": {"rule": "fixed_indegree", "k": 3},
             "weight": "1 mV", "delay": "1 ms"}
        ]
    }"#;

    #[test]
    fn a_model_reads_and_writes_back_the_same() {
        let model = NetworkModel::from_json(SMALL).unwrap();
        assert_eq!(model.populations.len(), 2);
        assert_eq!(model.timing, Timing::Brian2);
        assert_eq!(
            model.projections[0].connect,
            Connect::FixedIndegree {
                k: 3,
                allow_self: true
            }
        );
        assert_eq!(NetworkModel::from_json(&model.to_json()).unwrap(), model);
    }

    #[test]
    fn malformed_files_name_the_field() {
        let bad = |from: &str, to: &str| {
            let text = SMALL.replacen(from, to, 1);
            assert_ne!(text, SMALL, "{from}");
            NetworkModel::from_json(&text).unwrap_err()
        };
        // Tagged enums are read whole: the path ends at the rule, the message names the value.
        let e = bad(r#""k": 3"#, r#""k": -3"#);
        assert_eq!(e.path, "projections[0].connect", "{e}");
        assert!(e.message.contains("integer `-3`, expected u64"), "{e}");
        let e = bad(r#""rule": "fixed_indegree""#, r#""rule": "nearest""#);
        assert_eq!(e.path, "projections[0].connect.rule", "{e}");
        assert!(e.message.contains("unknown variant `nearest`"), "{e}");
        let e = bad(r#""tau_m""#, r#""taum""#);
        assert_eq!(e.path, "populations[1].lif.taum", "{e}");
        let e = bad(r#""format": 1"#, r#""format": 7"#);
        assert_eq!(e.path, "format");
        let e = bad("\"dt\": \"0.1 ms\",", "\"dt\": ");
        assert_eq!(e.path, ".", "{e}");
        assert!(e.message.contains("line 3"), "{e}");
        let e = bad(r#""dt": "0.1 ms""#, r#""dt": [1]"#);
        assert_eq!(e.path, "dt", "{e}");
        let e = NetworkModel::from_json(&format!("{SMALL} x")).unwrap_err();
        assert_eq!(e.path, ".", "{e}");
        let big = format!("{SMALL}{}", " ".repeat(MAX_MODEL_FILE_BYTES));
        let e = NetworkModel::from_json(&big).unwrap_err();
        assert!(e.message.contains("at most 262144 bytes"), "{e}");
    }
}
