//! A finished network run as the CLI writes it: every recorded spike by population, the
//! populations' statistics, state traces, plastic weights, and a content hash of the spikes
//! (equal hashes: bit-identical spike trains).

use super::record::PopStats;
use super::spectrum::{self, Oscillation};
use super::Network;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A population's spikes: times in s and neuron indices, in time order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpikeTrains {
    /// Neurons in the population.
    pub size: u32,
    /// Spike times, s (the step's start; with NEST timing its end).
    pub t_s: Vec<f64>,
    /// The neuron of each spike.
    pub i: Vec<u32>,
}

/// A recorded state trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceOut {
    /// Population.
    pub population: String,
    /// Neuron.
    pub neuron: u32,
    /// `v`, `ge` or `gi`.
    pub variable: &'static str,
    /// Sample interval (dt), s.
    pub dt_s: f64,
    /// Values at each step's start (V for v and current synapses; leak conductances).
    pub values: Vec<f64>,
}

/// A plastic projection's weights at the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightStats {
    /// Synapses.
    pub synapses: usize,
    /// Mean weight.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Fraction within 10 % of w_max of 0, and of w_max.
    pub near_zero: f64,
    /// See `near_zero`.
    pub near_max: f64,
    /// w_max.
    pub w_max: f64,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResults {
    /// SHA-256 of every recorded spike (population, step, neuron).
    pub content_hash: String,
    /// Steps simulated.
    pub steps: u64,
    /// Synapses.
    pub synapses: usize,
    /// Bytes of neurons and synapses.
    pub memory_bytes: usize,
    /// Whether spike times stopped being recorded at the limit.
    pub spikes_truncated: bool,
    /// Spikes by population.
    pub spikes: BTreeMap<String, SpikeTrains>,
    /// Statistics by population.
    pub stats: BTreeMap<String, PopStats>,
    /// The population rate's strongest oscillation, by recorded population (after
    /// [`super::spectrum::TRANSIENT_S`]).
    pub oscillation: BTreeMap<String, Option<Oscillation>>,
    /// State traces.
    pub traces: Vec<TraceOut>,
    /// Plastic projections' weights.
    pub weights: BTreeMap<String, WeightStats>,
}

impl Network {
    /// The run so far.
    pub fn results(&self) -> RunResults {
        let dt = self.spec.dt;
        let stamp = match self.spec.timing {
            tempora_protocol::model::Timing::Brian2 => 0,
            tempora_protocol::model::Timing::Nest => 1,
        };
        let mut hasher = Sha256::new();
        let mut spikes = BTreeMap::new();
        let mut stats = BTreeMap::new();
        let mut oscillation = BTreeMap::new();
        for (index, pop) in self.spec.populations.iter().enumerate() {
            let record = self.record_of(index);
            hasher.update(pop.name.as_bytes());
            for (&s, &i) in record.steps.iter().zip(&record.neurons) {
                hasher.update(s.to_le_bytes());
                hasher.update(i.to_le_bytes());
            }
            if record.first > 0 {
                spikes.insert(
                    pop.name.clone(),
                    SpikeTrains {
                        size: pop.size,
                        t_s: record
                            .steps
                            .iter()
                            .map(|&s| (s + stamp) as f64 * dt)
                            .collect(),
                        i: record.neurons.clone(),
                    },
                );
            }
            stats.insert(pop.name.clone(), self.stats(index));
            if record.first > 0 {
                oscillation.insert(
                    pop.name.clone(),
                    spectrum::oscillation(&record.per_step, dt),
                );
            }
        }
        let traces = self
            .states()
            .iter()
            .map(|t| TraceOut {
                population: self.spec.populations[t.population].name.clone(),
                neuron: t.neuron,
                variable: t.variable.name(),
                dt_s: dt,
                values: t.values.clone(),
            })
            .collect();
        let weights = (0..self.spec.projections.len())
            .filter_map(|i| {
                let (w, w_max) = self.plastic_weights(i)?;
                let n = w.len().max(1) as f64;
                let mean = w.iter().sum::<f64>() / n;
                let sd = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
                let share =
                    |f: &dyn Fn(f64) -> bool| w.iter().filter(|&&x| f(x)).count() as f64 / n;
                Some((
                    self.spec.projections[i].name.clone(),
                    WeightStats {
                        synapses: w.len(),
                        mean,
                        sd,
                        near_zero: share(&|x| x < 0.1 * w_max),
                        near_max: share(&|x| x > 0.9 * w_max),
                        w_max,
                    },
                ))
            })
            .collect();
        RunResults {
            content_hash: format!("{:x}", hasher.finalize()),
            steps: self.steps(),
            synapses: self.synapse_count(),
            memory_bytes: self.bytes(),
            spikes_truncated: self.truncated(),
            spikes,
            stats,
            oscillation,
            traces,
            weights,
        }
    }
}
