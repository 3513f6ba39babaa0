//! Spiking networks from a model file (`tempora_protocol::model`): populations of LIF neurons
//! and Poisson sources, projections with delays and STDP, stepped on a fixed dt grid in a fixed
//! order, the same natively and in wasm32 for the same seed.
//!
//! A step (README, "Timing conventions"), for step s:
//! 1. every population integrates (refractory neurons' membranes are held) and finds its
//!    spikes (`v > v_thresh`, not refractory); Poisson sources draw theirs;
//! 2. each projection, in the file's order, sends its sources' spikes to the inbox of the
//!    step they arrive at (s + delay; NEST timing: s + delay - 1, delay >= 1); a plastic one
//!    delivers at arrival, with the weight of that moment, then updates it;
//! 3. each LIF population draws its Poisson input, then takes the input arriving at s;
//! 4. plastic projections update for their targets' spikes of s;
//! 5. neurons that spiked are reset.
//!
//! Modules: `spec` (a model checked and in SI units), `draw` (distributions), `connect`
//! (synapses), `delivery` (spikes to their targets' state or ring), `binomial` (Poisson input
//! counts), `lif` (neurons), `plasticity` (STDP),
//! `record` (spikes, statistics), `memory` (the size check before building), `spectrum` (the
//! population rate's oscillation), `output` (a finished run as the CLI writes it), `overrides`
//! (`population.param=value`), `split` (the network over threads: neuron ranges, synapses by
//! target), `shard` (the part one thread steps: the order above on its own neurons),
//! `exchange` (the spike lists and the barrier the threads share). The shipped models are
//! presets (`crate::preset`).

mod binomial;
pub mod connect;
mod delivery;
mod draw;
mod exchange;
pub mod lif;
pub mod memory;
pub mod output;
pub mod overrides;
pub mod plasticity;
pub mod record;
mod shard;
pub mod spec;
pub mod spectrum;
pub mod split;
pub mod synapse_list;

use crate::models::poisson::PoissonGroup;
use crate::rng::{part_rng, PartStream};
use connect::{connect, PerSynapse};
use exchange::{Exchange, SpinBarrier};
use lif::LifPopulation;
use plasticity::Stdp;
use rand_chacha::ChaCha8Rng;
use record::{PopRecord, PopStats, MAX_RECORDED_SPIKES};
use shard::{Part, Shard, ShardProj, ShardTrace, Wiring};
use spec::{DriveSpec, NetSpec, PopKind, StateVar};
use tempora_protocol::model::edit::{DriveTerm, Live};
use tempora_protocol::model::{ModelError, NetworkModel, Timing};

pub use memory::{MemoryEstimate, DEFAULT_MAX_BYTES};

/// A state trace being recorded.
#[derive(Debug, Clone)]
pub struct StateTrace {
    /// Population index.
    pub population: usize,
    /// Neuron index.
    pub neuron: u32,
    /// Which variable.
    pub variable: StateVar,
    /// One value per step, at the step's start.
    pub values: Vec<f64>,
}

/// What a run keeps of its spikes (stepped by the first shard's thread, after its delivery).
#[derive(Debug, Clone)]
struct Recorder {
    /// The spikes of the step just done, per population.
    spiked: Vec<Vec<u32>>,
    records: Vec<PopRecord>,
    recorded_spikes: usize,
    truncated: bool,
}

impl Recorder {
    /// Step `s`'s spikes, gathered from every shard.
    fn record(&mut self, s: u64, exchange: &Exchange) {
        for (pop, (record, out)) in self.records.iter_mut().zip(&mut self.spiked).enumerate() {
            out.clear();
            for k in 0..exchange.shards() {
                out.extend_from_slice(&exchange.read(k, s, pop));
            }
            let room = MAX_RECORDED_SPIKES - self.recorded_spikes;
            let recorded = record.spikes(s, out, room);
            self.recorded_spikes += recorded;
            if recorded < out.iter().filter(|&&i| i < record.first).count() {
                self.truncated = true;
            }
        }
    }
}

/// A network ready to step, on one thread or split over several (see `split`): the spikes
/// are the same for every split.
#[derive(Debug, Clone)]
pub struct Network {
    /// The checked model.
    pub spec: NetSpec,
    step: u64,
    /// Steps subtracted from a delay (1 with NEST timing).
    shift: u64,
    wiring: Vec<Wiring>,
    shards: Vec<Shard>,
    exchange: Exchange,
    recorder: Recorder,
    states: Vec<StateTrace>,
    /// What the memory check estimated.
    pub estimate: MemoryEstimate,
}

impl Network {
    /// Checks `model` (its meaning and its size against `max_bytes`) and builds it for `seed`,
    /// to step on one thread.
    pub fn build(model: &NetworkModel, seed: u64, max_bytes: u64) -> Result<Self, ModelError> {
        Self::build_split(model, seed, max_bytes, 1)
    }

    /// Like [`Network::build`], split to step on `threads` threads; a network with a plastic
    /// projection stays on one (its weight updates read and write both sides).
    pub fn build_split(
        model: &NetworkModel,
        seed: u64,
        max_bytes: u64,
        threads: usize,
    ) -> Result<Self, ModelError> {
        let spec = NetSpec::resolve(model)?;
        let estimate = memory::check(&spec, max_bytes)?;
        let plastic = spec.projections.iter().any(|p| p.stdp.is_some());
        let shards = if plastic { 1 } else { threads.max(1) };
        Ok(Self::from_spec(spec, seed, estimate, shards))
    }

    fn from_spec(spec: NetSpec, seed: u64, estimate: MemoryEstimate, shards: usize) -> Self {
        let sizes: Vec<u32> = spec.populations.iter().map(|p| p.size).collect();
        let bounds: Vec<Vec<u32>> = sizes.iter().map(|&n| split::bounds(n, shards)).collect();
        let (shift, min_delay) = match spec.timing {
            Timing::Brian2 => (0, 0),
            Timing::Nest => (1, 1),
        };
        let wiring: Vec<Wiring> = spec
            .projections
            .iter()
            .map(|p| Wiring {
                source: p.source,
                target: p.target,
                receptor: p.receptor,
            })
            .collect();
        // Each projection's synapses, split by target; parts[k][index] is shard k's.
        let mut parts: Vec<Vec<ShardProj>> = vec![Vec::new(); shards];
        let mut max_delays = vec![0u64; sizes.len()];
        for (index, p) in spec.projections.iter().enumerate() {
            let (ns, nt) = (sizes[p.source], sizes[p.target]);
            let synapses = connect(p, index as u32, (ns, nt), seed, spec.dt, min_delay);
            let longest = match &synapses.delays {
                PerSynapse::Same(d) => *d as u64,
                PerSynapse::Each(d) => d.iter().copied().max().unwrap_or(0) as u64,
            };
            max_delays[p.target] = max_delays[p.target].max(longest);
            let stdp = p
                .stdp
                .map(|s| Stdp::new(s, &synapses, (ns as usize, nt as usize), spec.dt));
            let pending = match (&stdp, &synapses.delays) {
                (Some(_), PerSynapse::Same(d)) => vec![Vec::new(); *d as usize + 1],
                _ => Vec::new(),
            };
            let split = if shards == 1 {
                vec![synapses]
            } else {
                split::split_by_target(&synapses, &bounds[p.target])
            };
            for (k, synapses) in split.into_iter().enumerate() {
                parts[k].push(ShardProj {
                    synapses,
                    stdp: stdp.clone(),
                    pending: pending.clone(),
                });
            }
        }
        // Each population's Poisson stream: a Poisson group draws its first spikes from it
        // here, and the run continues it.
        let mut rngs: Vec<ChaCha8Rng> = (0..spec.populations.len())
            .map(|index| part_rng(seed, PartStream::PoissonSpikes, index as u32))
            .collect();
        let mut pops: Vec<Vec<Part>> = vec![Vec::new(); shards];
        for (index, p) in spec.populations.iter().enumerate() {
            match &p.kind {
                PopKind::Lif(lif) => {
                    let mut rng = part_rng(seed, PartStream::InitialState, index as u32);
                    let mut draw_all = |d| {
                        (0..p.size)
                            .map(|_| draw::draw(d, &mut rng))
                            .collect::<Vec<_>>()
                    };
                    let state = [
                        draw_all(&lif.init_v),
                        draw_all(&lif.init_ge),
                        draw_all(&lif.init_gi),
                    ];
                    for (k, part) in pops.iter_mut().enumerate() {
                        let range = bounds[index][k] as usize..bounds[index][k + 1] as usize;
                        let mine = state.clone().map(|values| values[range.clone()].to_vec());
                        part.push(Part::Lif {
                            lif: LifPopulation::new(
                                lif,
                                spec.timing,
                                spec.dt,
                                mine,
                                max_delays[index],
                            ),
                            first: range.start as u32,
                            size: p.size,
                        });
                    }
                }
                PopKind::Poisson { rate } => {
                    let group = (*rate > 0.0)
                        .then(|| PoissonGroup::new(p.size, *rate, spec.dt, &mut rngs[index]));
                    pops[0].push(Part::Poisson(group));
                    for part in &mut pops[1..] {
                        part.push(Part::Elsewhere);
                    }
                }
            }
        }
        let records = spec
            .populations
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let first = spec
                    .spike_records
                    .iter()
                    .filter(|(pop, _)| *pop == index)
                    .map(|(_, first)| *first)
                    .max()
                    .unwrap_or(0);
                PopRecord::new(p.size as usize, first)
            })
            .collect();
        let states: Vec<StateTrace> = spec
            .state_records
            .iter()
            .map(|&(population, neuron, variable)| StateTrace {
                population,
                neuron,
                variable,
                values: Vec::new(),
            })
            .collect();
        let shards: Vec<Shard> = pops
            .into_iter()
            .zip(parts)
            .enumerate()
            .map(|(k, (pops, projs))| {
                // Each trace is the shard's that steps its neuron (none for Poisson sources).
                let traces = states
                    .iter()
                    .enumerate()
                    .filter_map(|(index, t)| {
                        let Part::Lif { lif, first, .. } = &pops[t.population] else {
                            return None;
                        };
                        let neuron = (t.neuron as usize).checked_sub(*first as usize)?;
                        (neuron < lif.len()).then_some(ShardTrace {
                            index,
                            population: t.population,
                            neuron,
                            variable: t.variable,
                            values: Vec::new(),
                        })
                    })
                    .collect();
                Shard::new(k, pops, projs, rngs.clone(), traces)
            })
            .collect();
        let n_pops = spec.populations.len();
        Network {
            exchange: Exchange::new(shards.len(), n_pops),
            recorder: Recorder {
                spiked: vec![Vec::new(); n_pops],
                records,
                recorded_spikes: 0,
                truncated: false,
            },
            spec,
            step: 0,
            shift,
            wiring,
            shards,
            states,
            estimate,
        }
    }

    /// Steps done.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// The number of threads it steps on.
    pub fn threads(&self) -> usize {
        self.shards.len()
    }

    /// One step (see the module's documentation for its order).
    pub fn step(&mut self) {
        self.run(1);
    }

    /// Runs `steps` steps: on this thread, or with one more thread per further shard.
    pub fn run(&mut self, steps: u64) {
        let (from, to) = (self.step, self.step + steps);
        let Network {
            shards,
            exchange,
            recorder,
            wiring,
            shift,
            ..
        } = self;
        let (exchange, wiring, shift) = (&*exchange, &wiring[..], *shift);
        // The first shard runs here (and records); each other one on a thread of its own, all
        // meeting at the barrier once a step. One shard needs no scope (it allocates) and no
        // barrier: a network stepped a step at a time stays free of both.
        let (first, others) = shards.split_first_mut().expect("a shard");
        let mut lead = |wait: &dyn Fn()| {
            for s in from..to {
                first.integrate(s, exchange);
                wait();
                first.deliver(s, shift, wiring, exchange);
                recorder.record(s, exchange);
            }
        };
        if others.is_empty() {
            lead(&|| {});
        } else {
            let barrier = SpinBarrier::new(others.len() + 1);
            let barrier = &barrier;
            std::thread::scope(|scope| {
                for shard in others {
                    scope.spawn(move || {
                        let _guard = barrier.guard();
                        for s in from..to {
                            shard.integrate(s, exchange);
                            barrier.wait();
                            shard.deliver(s, shift, wiring, exchange);
                        }
                    });
                }
                let _guard = barrier.guard();
                lead(&|| barrier.wait());
            });
        }
        self.step = to;
        for shard in &mut self.shards {
            for trace in &mut shard.traces {
                self.states[trace.index].values.append(&mut trace.values);
            }
        }
    }

    /// Whether spike times stopped being recorded at [`MAX_RECORDED_SPIKES`].
    pub fn truncated(&self) -> bool {
        self.recorder.truncated
    }

    /// The spikes of population `index` in the step just done.
    pub fn last_spikes(&self, index: usize) -> &[u32] {
        &self.recorder.spiked[index]
    }

    /// Population `index`'s record.
    pub fn record_of(&self, index: usize) -> &PopRecord {
        &self.recorder.records[index]
    }

    /// Takes the recorded spike times of population `index` so far (its record keeps counts).
    pub fn drain_spikes(&mut self, index: usize) -> (Vec<u64>, Vec<u32>) {
        let r = &mut self.recorder.records[index];
        self.recorder.recorded_spikes -= r.steps.len();
        (std::mem::take(&mut r.steps), std::mem::take(&mut r.neurons))
    }

    /// Statistics of population `index` over the steps done.
    pub fn stats(&self, index: usize) -> PopStats {
        self.recorder.records[index].stats(self.step, self.spec.dt)
    }

    /// Membrane potential of neuron `neuron` of population `index`, if it is LIF.
    pub fn membrane(&self, index: usize, neuron: usize) -> Option<f64> {
        let (lif, local) = self
            .shards
            .iter()
            .find_map(|shard| shard.lif_of(index, neuron))?;
        Some(lif.v[local])
    }

    /// The recorded state traces.
    pub fn states(&self) -> &[StateTrace] {
        &self.states
    }

    /// Projection `index`'s synapses, one part per shard.
    fn parts(&self, index: usize) -> impl Iterator<Item = &ShardProj> {
        self.shards.iter().map(move |shard| &shard.projs[index])
    }

    /// Every shard's synapses of every projection.
    fn all_parts(&self) -> impl Iterator<Item = &ShardProj> {
        self.shards.iter().flat_map(|shard| &shard.projs)
    }

    /// Synapses of every projection.
    pub fn synapse_count(&self) -> usize {
        self.all_parts().map(|p| p.synapses.len()).sum()
    }

    /// Projection `index`'s weights and largest weight, if it is plastic (on one thread).
    pub fn plastic_weights(&self, index: usize) -> Option<(&[f64], f64)> {
        let p = &self.shards[0].projs[index];
        match (&p.stdp, &p.synapses.weights) {
            (Some(stdp), PerSynapse::Each(w)) => Some((w, stdp.w_max())),
            _ => None,
        }
    }

    /// Sets the weight of every synapse of a non-plastic projection with one weight.
    pub fn set_weight(&mut self, index: usize, weight: f64) -> bool {
        let mut set = false;
        for shard in &mut self.shards {
            let p = &mut shard.projs[index];
            if let (None, PerSynapse::Same(w)) = (&p.stdp, &mut p.synapses.weights) {
                *w = weight;
                set = true;
            }
        }
        set
    }

    /// Changes a live quantity (see [`Live`]) from the next step; whether the network has it
    /// (the session checks the new model before).
    pub fn set_live(&mut self, live: Live, value: f64) -> bool {
        match live {
            Live::Weight(index) => index < self.wiring.len() && self.set_weight(index, value),
            Live::SourceRate(index) => {
                let Some(p) = self.spec.populations.get_mut(index) else {
                    return false;
                };
                let PopKind::Poisson { rate } = &mut p.kind else {
                    return false;
                };
                *rate = value;
                let shard = &mut self.shards[0];
                shard.parts[index] = Part::Poisson((value > 0.0).then(|| {
                    let rng = &mut shard.rngs[index];
                    PoissonGroup::starting_at(p.size, value, self.spec.dt, self.step, rng)
                }));
                true
            }
            Live::InputRate(index, input) => {
                let Some((lif, parts)) = self.lif_mut(index) else {
                    return false;
                };
                let Some(spec) = lif.poisson_input.get_mut(input) else {
                    return false;
                };
                spec.rate = value;
                parts.for_each(|part| part.set_input_rate(input, value));
                true
            }
            Live::Drive(index, term) => {
                let Some((lif, parts)) = self.lif_mut(index) else {
                    return false;
                };
                let mut drive = lif.drive;
                let slot = match (&mut drive, term) {
                    (DriveSpec::Constant(c), DriveTerm::Constant) => c,
                    (DriveSpec::Sine { amplitude, .. }, DriveTerm::Amplitude) => amplitude,
                    (DriveSpec::Sine { frequency, .. }, DriveTerm::Frequency) => frequency,
                    (DriveSpec::Sine { offset, .. }, DriveTerm::Offset) => offset,
                    (DriveSpec::Sine { phase, .. }, DriveTerm::Phase) => phase,
                    _ => return false,
                };
                *slot = value;
                lif.drive = drive;
                parts.for_each(|part| part.set_drive(drive));
                true
            }
        }
    }

    /// LIF population `index`'s spec and its part in every shard, to change together.
    fn lif_mut(
        &mut self,
        index: usize,
    ) -> Option<(&mut spec::LifSpec, impl Iterator<Item = &mut LifPopulation>)> {
        let PopKind::Lif(lif) = &mut self.spec.populations.get_mut(index)?.kind else {
            return None;
        };
        let parts = self
            .shards
            .iter_mut()
            .filter_map(move |shard| match &mut shard.parts[index] {
                Part::Lif { lif, .. } => Some(lif),
                _ => None,
            });
        Some((lif, parts))
    }

    /// Spikes delivered through synapses so far: the sum over projections of each source's
    /// spike count times its number of synapses.
    pub fn synaptic_events(&self) -> u64 {
        (0..self.wiring.len())
            .flat_map(|index| {
                let counts = &self.recorder.records[self.wiring[index].source].counts;
                self.parts(index).map(move |p| {
                    (0..counts.len())
                        .map(|i| u64::from(counts[i]) * p.synapses.row(i).len() as u64)
                        .sum::<u64>()
                })
            })
            .sum()
    }

    /// Delivers one spike of every source through every projection into `scratch` (one
    /// vector per population, see [`Network::scratch`]): the work of delivery alone for this
    /// layout, nothing else simulated. Timed by the benchmark as its baseline per event.
    pub fn deliver_through_every_synapse(&self, scratch: &mut [Vec<f64>]) {
        for (index, w) in self.wiring.iter().enumerate() {
            for shard in &self.shards {
                let Part::Lif { first, .. } = shard.parts[w.target] else {
                    unreachable!("projections target LIF populations (checked)")
                };
                let slot = &mut scratch[w.target][first as usize..];
                let syn = &shard.projs[index].synapses;
                for i in 0..syn.offsets.len() - 1 {
                    syn.targets
                        .each(syn.row(i), |k, j| slot[j] += syn.weights.get(k));
                }
            }
        }
    }

    /// Zeroed inputs, one per population, for [`Network::deliver_through_every_synapse`].
    pub fn scratch(&self) -> Vec<Vec<f64>> {
        self.spec
            .populations
            .iter()
            .map(|p| vec![0.0; p.size as usize])
            .collect()
    }

    /// Bytes the network holds in synapses and neuron state (the figure the memory check
    /// estimated before building).
    pub fn bytes(&self) -> usize {
        self.all_parts().map(|p| p.synapses.bytes()).sum::<usize>()
            + self.estimate.neuron_bytes as usize
    }
}

#[cfg(test)]
mod tests;
