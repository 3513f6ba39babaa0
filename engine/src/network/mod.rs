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
//! (`population.param=value`). The shipped models are presets (`crate::preset`).

mod binomial;
pub mod connect;
mod delivery;
mod draw;
pub mod lif;
pub mod memory;
pub mod output;
pub mod overrides;
pub mod plasticity;
pub mod record;
pub mod spec;
pub mod spectrum;

use crate::models::poisson::PoissonGroup;
use crate::rng::{part_rng, PartStream};
use connect::{connect, PerSynapse, Synapses};
use delivery::deliver;
use lif::LifPopulation;
use plasticity::Stdp;
use rand_chacha::ChaCha8Rng;
use record::{PopRecord, PopStats, MAX_RECORDED_SPIKES};
use spec::{NetSpec, PopKind, StateVar};
use tempora_protocol::model::{ModelError, NetworkModel, Receptor, Timing};

pub use memory::{MemoryEstimate, DEFAULT_MAX_BYTES};

/// A population being stepped.
// A network has a few populations: their size difference costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum Pop {
    Lif(LifPopulation),
    /// None when the rate is 0.
    Poisson(Option<PoissonGroup>),
}

/// A projection being stepped.
#[derive(Debug, Clone)]
struct Proj {
    synapses: Synapses,
    source: usize,
    target: usize,
    receptor: Receptor,
    stdp: Option<Stdp>,
    /// Plastic projections: sources whose spikes arrive at a step, a ring of `delay + 1`.
    pending: Vec<Vec<u32>>,
}

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

/// A network ready to step.
#[derive(Debug, Clone)]
pub struct Network {
    /// The checked model.
    pub spec: NetSpec,
    step: u64,
    /// Steps subtracted from a delay (1 with NEST timing).
    shift: u64,
    pops: Vec<Pop>,
    projs: Vec<Proj>,
    spiked: Vec<Vec<u32>>,
    records: Vec<PopRecord>,
    states: Vec<StateTrace>,
    poisson_rng: Vec<ChaCha8Rng>,
    recorded_spikes: usize,
    /// Whether spike times stopped being recorded at [`MAX_RECORDED_SPIKES`].
    pub truncated: bool,
    /// What the memory check estimated.
    pub estimate: MemoryEstimate,
}

impl Network {
    /// Checks `model` (its meaning and its size against `max_bytes`) and builds it for `seed`.
    pub fn build(model: &NetworkModel, seed: u64, max_bytes: u64) -> Result<Self, ModelError> {
        let spec = NetSpec::resolve(model)?;
        let estimate = memory::check(&spec, max_bytes)?;
        Ok(Self::from_spec(spec, seed, estimate))
    }

    fn from_spec(spec: NetSpec, seed: u64, estimate: MemoryEstimate) -> Self {
        let sizes: Vec<u32> = spec.populations.iter().map(|p| p.size).collect();
        let (shift, min_delay) = match spec.timing {
            Timing::Brian2 => (0, 0),
            Timing::Nest => (1, 1),
        };
        let projs: Vec<Proj> = spec
            .projections
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let (ns, nt) = (sizes[p.source], sizes[p.target]);
                let synapses = connect(p, index as u32, (ns, nt), seed, spec.dt, min_delay);
                let stdp = p
                    .stdp
                    .map(|s| Stdp::new(s, &synapses, (ns as usize, nt as usize), spec.dt));
                let pending = match (&stdp, &synapses.delays) {
                    (Some(_), PerSynapse::Same(d)) => vec![Vec::new(); *d as usize + 1],
                    _ => Vec::new(),
                };
                Proj {
                    synapses,
                    source: p.source,
                    target: p.target,
                    receptor: p.receptor,
                    stdp,
                    pending,
                }
            })
            .collect();
        let max_delay = |target: usize| {
            projs
                .iter()
                .filter(|p| p.target == target)
                .map(|p| match &p.synapses.delays {
                    PerSynapse::Same(d) => *d as u64,
                    PerSynapse::Each(d) => d.iter().copied().max().unwrap_or(0) as u64,
                })
                .max()
                .unwrap_or(0)
        };
        // Each population's Poisson stream: a Poisson group draws its first spikes from it
        // here, and the run continues it.
        let mut poisson_rng: Vec<ChaCha8Rng> = (0..spec.populations.len())
            .map(|index| part_rng(seed, PartStream::PoissonSpikes, index as u32))
            .collect();
        let pops =
            spec.populations
                .iter()
                .enumerate()
                .map(|(index, p)| match &p.kind {
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
                        Pop::Lif(LifPopulation::new(
                            lif,
                            spec.timing,
                            spec.dt,
                            state,
                            max_delay(index),
                        ))
                    }
                    PopKind::Poisson { rate } => Pop::Poisson((*rate > 0.0).then(|| {
                        PoissonGroup::new(p.size, *rate, spec.dt, &mut poisson_rng[index])
                    })),
                })
                .collect();
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
        let states = spec
            .state_records
            .iter()
            .map(|&(population, neuron, variable)| StateTrace {
                population,
                neuron,
                variable,
                values: Vec::new(),
            })
            .collect();
        Network {
            spiked: vec![Vec::new(); spec.populations.len()],
            spec,
            step: 0,
            shift,
            pops,
            projs,
            records,
            states,
            poisson_rng,
            recorded_spikes: 0,
            truncated: false,
            estimate,
        }
    }

    /// Steps done.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// One step (see the module's documentation for its order).
    pub fn step(&mut self) {
        let s = self.step;
        let Network {
            pops,
            projs,
            spiked,
            poisson_rng,
            shift,
            ..
        } = self;
        for ((pop, out), rng) in pops
            .iter_mut()
            .zip(spiked.iter_mut())
            .zip(poisson_rng.iter_mut())
        {
            out.clear();
            match pop {
                Pop::Lif(lif) => lif.integrate(s, out),
                Pop::Poisson(Some(group)) => group.spikes_at(s, rng, |i| out.push(i)),
                Pop::Poisson(None) => {}
            }
        }
        for proj in projs.iter_mut() {
            let Pop::Lif(target) = &mut pops[proj.target] else {
                unreachable!("projections target LIF populations (checked)")
            };
            let sources = &spiked[proj.source];
            let syn = &mut proj.synapses;
            match &mut proj.stdp {
                None => deliver(syn, sources, s, *shift, target, proj.receptor),
                Some(stdp) => {
                    let slots = proj.pending.len() as u64;
                    let d = syn.delays.get(0) as u64;
                    proj.pending[((s + d - *shift) % slots) as usize].extend_from_slice(sources);
                    let arriving = std::mem::take(&mut proj.pending[(s % slots) as usize]);
                    let mut now = target.direct(proj.receptor, s);
                    for &i in &arriving {
                        stdp.on_pre(i as usize, s, syn, |j, w| now.add(j, w));
                    }
                    let mut arriving = arriving;
                    arriving.clear();
                    proj.pending[(s % slots) as usize] = arriving;
                }
            }
        }
        for (index, pop) in pops.iter_mut().enumerate() {
            if let Pop::Lif(lif) = pop {
                lif.draw_poisson_input(s, &mut poisson_rng[index]);
                lif.take_input(s);
            }
        }
        for proj in projs.iter_mut() {
            if let Some(stdp) = &mut proj.stdp {
                for &j in &spiked[proj.target] {
                    stdp.on_post(j as usize, s, &mut proj.synapses);
                }
            }
        }
        for (pop, out) in pops.iter_mut().zip(spiked.iter()) {
            if let Pop::Lif(lif) = pop {
                lif.reset(out);
            }
        }
        self.record(s);
        self.step += 1;
    }

    fn record(&mut self, s: u64) {
        for (record, out) in self.records.iter_mut().zip(&self.spiked) {
            let room = MAX_RECORDED_SPIKES - self.recorded_spikes;
            let recorded = record.spikes(s, out, room);
            self.recorded_spikes += recorded;
            if recorded < out.iter().filter(|&&i| i < record.first).count() {
                self.truncated = true;
            }
        }
        for trace in &mut self.states {
            let Pop::Lif(lif) = &self.pops[trace.population] else {
                continue;
            };
            let n = trace.neuron as usize;
            trace.values.push(match trace.variable {
                StateVar::V => lif.v[n],
                StateVar::Ge => lif.synaptic(n).0,
                StateVar::Gi => lif.synaptic(n).1,
            });
        }
    }

    /// Runs `steps` steps.
    pub fn run(&mut self, steps: u64) {
        for _ in 0..steps {
            self.step();
        }
    }

    /// The spikes of population `index` in the step just done.
    pub fn last_spikes(&self, index: usize) -> &[u32] {
        &self.spiked[index]
    }

    /// Population `index`'s record.
    pub fn record_of(&self, index: usize) -> &PopRecord {
        &self.records[index]
    }

    /// Takes the recorded spike times of population `index` so far (its record keeps counts).
    pub fn drain_spikes(&mut self, index: usize) -> (Vec<u64>, Vec<u32>) {
        let r = &mut self.records[index];
        self.recorded_spikes -= r.steps.len();
        (std::mem::take(&mut r.steps), std::mem::take(&mut r.neurons))
    }

    /// Statistics of population `index` over the steps done.
    pub fn stats(&self, index: usize) -> PopStats {
        self.records[index].stats(self.step, self.spec.dt)
    }

    /// Membrane potential of neuron `neuron` of population `index`, if it is LIF.
    pub fn membrane(&self, index: usize, neuron: usize) -> Option<f64> {
        match &self.pops[index] {
            Pop::Lif(lif) => lif.v.get(neuron).copied(),
            Pop::Poisson(_) => None,
        }
    }

    /// The recorded state traces.
    pub fn states(&self) -> &[StateTrace] {
        &self.states
    }

    /// Synapses of every projection.
    pub fn synapse_count(&self) -> usize {
        self.projs.iter().map(|p| p.synapses.len()).sum()
    }

    /// Projection `index`'s synapses.
    pub fn synapses(&self, index: usize) -> &Synapses {
        &self.projs[index].synapses
    }

    /// Projection `index`'s weights and largest weight, if it is plastic.
    pub fn plastic_weights(&self, index: usize) -> Option<(&[f64], f64)> {
        let p = &self.projs[index];
        match (&p.stdp, &p.synapses.weights) {
            (Some(stdp), PerSynapse::Each(w)) => Some((w, stdp.w_max())),
            _ => None,
        }
    }

    /// Sets the weight of every synapse of a non-plastic projection with one weight.
    pub fn set_weight(&mut self, index: usize, weight: f64) -> bool {
        let p = &mut self.projs[index];
        match (&p.stdp, &mut p.synapses.weights) {
            (None, PerSynapse::Same(w)) => {
                *w = weight;
                true
            }
            _ => false,
        }
    }

    /// Spikes delivered through synapses so far: the sum over projections of each source's
    /// spike count times its number of synapses.
    pub fn synaptic_events(&self) -> u64 {
        self.projs
            .iter()
            .map(|p| {
                let counts = &self.records[p.source].counts;
                (0..counts.len())
                    .map(|i| u64::from(counts[i]) * p.synapses.row(i).len() as u64)
                    .sum::<u64>()
            })
            .sum()
    }

    /// Delivers one spike of every source through every projection into `scratch` (one
    /// vector per population, see [`Network::scratch`]): the work of delivery alone for this
    /// layout, nothing else simulated. Timed by the benchmark as its baseline per event.
    pub fn deliver_through_every_synapse(&self, scratch: &mut [Vec<f64>]) {
        for p in &self.projs {
            let slot = &mut scratch[p.target];
            for i in 0..p.synapses.offsets.len() - 1 {
                let w = &p.synapses.weights;
                p.synapses
                    .targets
                    .each(p.synapses.row(i), |k, j| slot[j] += w.get(k));
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
        self.projs.iter().map(|p| p.synapses.bytes()).sum::<usize>()
            + self.estimate.neuron_bytes as usize
    }
}

#[cfg(test)]
mod tests;
