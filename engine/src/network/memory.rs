//! How much memory a network will take, estimated from its spec before anything is allocated,
//! and the refusal of a network over the limit (naming the part that weighs most).

use super::connect::expected_synapses;
use super::lif::LifPopulation;
use super::spec::{DelaySpec, DistSpec, NetSpec, PopKind, MAX_DELAY_STEPS};
use serde::Serialize;
use tempora_protocol::model::{Connect, ModelError};

/// The memory a network may take unless told otherwise, bytes: 1.5 GiB, what a browser
/// worker's wasm32 memory (4 GiB at most, often less in practice) can give one run.
pub const DEFAULT_MAX_BYTES: u64 = 1536 << 20;

/// A network's size, estimated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct MemoryEstimate {
    /// Neurons and sources.
    pub neurons: u64,
    /// Synapses expected.
    pub synapses: f64,
    /// Bytes of neuron state and records.
    pub neuron_bytes: u64,
    /// Bytes of synapses, at the bound on their number.
    pub synapse_bytes: u64,
    /// The largest total while building (synapse rows being sorted), bytes.
    pub peak_bytes: u64,
}

/// The longest delay `delay` can give, steps.
fn max_delay_steps(delay: &DelaySpec, dt: f64) -> u64 {
    let seconds = match delay {
        DelaySpec::Steps(d) => return *d as u64,
        DelaySpec::Drawn(DistSpec::Constant(v)) => *v,
        DelaySpec::Drawn(DistSpec::Uniform(_, high)) => *high,
        DelaySpec::Drawn(DistSpec::Normal { mean, sd, max, .. }) => max.min(mean + 40.0 * sd),
    };
    ((seconds / dt).round() as u64 + 1).min(MAX_DELAY_STEPS)
}

/// Estimates `spec`'s memory and refuses it over `max_bytes`.
pub fn check(spec: &NetSpec, max_bytes: u64) -> Result<MemoryEstimate, ModelError> {
    let sizes: Vec<u32> = spec.populations.iter().map(|p| p.size).collect();
    let mut parts: Vec<(String, u64)> = Vec::new();
    let mut estimate = MemoryEstimate::default();
    let mut build_extra = 0u64;
    for (i, proj) in spec.projections.iter().enumerate() {
        let (mean, bound) = expected_synapses(proj, (sizes[proj.source], sizes[proj.target]));
        let target_bytes = if sizes[proj.target] <= 1 << 16 { 2 } else { 4 };
        let per_synapse = target_bytes
            + if matches!(proj.weight, DistSpec::Constant(_)) && proj.stdp.is_none() {
                0
            } else {
                8
            }
            + if matches!(proj.delay, DelaySpec::Drawn(_)) {
                2
            } else {
                0
            }
            + if proj.stdp.is_some() { 8 } else { 0 };
        let bytes = (bound * per_synapse as f64) as u64 + 8 * (sizes[proj.source] as u64 + 1);
        // While a projection is drawn its targets are 32-bit (then narrowed); fixed in-degree
        // also holds each target's sources before sorting them into rows.
        let drawing = if matches!(proj.connect, Connect::FixedIndegree { .. }) {
            8.0
        } else {
            4.0
        };
        build_extra = build_extra.max((bound * drawing) as u64);
        estimate.synapses += mean;
        estimate.synapse_bytes += bytes;
        parts.push((format!("projections[{i}]"), bytes));
    }
    for (i, pop) in spec.populations.iter().enumerate() {
        let n = pop.size as u64;
        let per_neuron = 28
            + match &pop.kind {
                PopKind::Poisson { .. } => 16,
                PopKind::Lif(lif) => {
                    let slots = spec
                        .projections
                        .iter()
                        .filter(|p| p.target == i)
                        .map(|p| max_delay_steps(&p.delay, spec.dt))
                        .max()
                        .unwrap_or(0)
                        + 1;
                    LifPopulation::bytes_per_neuron(slots, lif.synapse)
                }
            };
        estimate.neurons += n;
        estimate.neuron_bytes += n * per_neuron;
        parts.push((format!("populations[{i}].size"), n * per_neuron));
    }
    estimate.peak_bytes = estimate.neuron_bytes + estimate.synapse_bytes + build_extra;
    if estimate.peak_bytes > max_bytes {
        let (path, _) = parts
            .iter()
            .max_by_key(|(_, bytes)| *bytes)
            .expect("a network has a population");
        return Err(ModelError::at(
            path.clone(),
            format!(
                "the network would need about {} ({} neurons, {:.3e} synapses), more than the {} allowed",
                megabytes(estimate.peak_bytes),
                estimate.neurons,
                estimate.synapses,
                megabytes(max_bytes)
            ),
        ));
    }
    Ok(estimate)
}

/// Bytes as megabytes for a message.
fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}
