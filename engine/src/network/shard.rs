//! A shard: the part of a network that one thread steps (see `split`): a range of each LIF
//! population's neurons with every synapse onto them, and (shard 0) the Poisson sources.
//!
//! A step is [`Shard::integrate`] (step 1 of the order in the module above), then, once every
//! shard has integrated, [`Shard::deliver`] (steps 2 to 5), each on the shard's own neurons.

use super::connect::Synapses;
use super::delivery::deliver;
use super::exchange::Exchange;
use super::lif::LifPopulation;
use super::plasticity::Stdp;
use super::spec::StateVar;
use crate::models::poisson::PoissonGroup;
use rand_chacha::ChaCha8Rng;
use tempora_protocol::model::Receptor;

/// What a shard steps of one population.
// A network has a few populations: their size difference costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Part {
    /// LIF neurons `first .. first + lif.len()` of a population of `size`.
    Lif {
        lif: LifPopulation,
        first: u32,
        size: u32,
    },
    /// The population's Poisson sources (None when the rate is 0).
    Poisson(Option<PoissonGroup>),
    /// Nothing: Poisson sources another shard steps.
    Elsewhere,
}

/// A projection as every shard sees it.
#[derive(Debug, Clone, Copy)]
pub struct Wiring {
    pub source: usize,
    pub target: usize,
    pub receptor: Receptor,
}

/// A shard's synapses of one projection (those onto its neurons).
#[derive(Debug, Clone)]
pub struct ShardProj {
    pub synapses: Synapses,
    /// Plastic projections (whose network is never split).
    pub stdp: Option<Stdp>,
    /// Plastic projections: sources whose spikes arrive at a step, a ring of `delay + 1`.
    pub pending: Vec<Vec<u32>>,
}

/// A state trace of one of the shard's neurons, recorded since the network last took it.
#[derive(Debug, Clone)]
pub struct ShardTrace {
    /// Index among the network's traces.
    pub index: usize,
    pub population: usize,
    /// Neuron index within the shard's range.
    pub neuron: usize,
    pub variable: StateVar,
    pub values: Vec<f64>,
}

/// See the module's documentation.
#[derive(Debug, Clone)]
pub struct Shard {
    /// Its index: where its spikes go in the exchange.
    pub index: usize,
    pub parts: Vec<Part>,
    pub projs: Vec<ShardProj>,
    /// Each population's Poisson stream (a LIF population's input draws are placed in it by
    /// step and neuron, see `LifPopulation::draw_poisson_input`).
    pub rngs: Vec<ChaCha8Rng>,
    /// This step's spikes of each population, indices within the shard's range.
    local: Vec<Vec<u32>>,
    pub traces: Vec<ShardTrace>,
}

impl Shard {
    /// A shard of `parts` and `projs` (in the network's orders).
    pub fn new(
        index: usize,
        parts: Vec<Part>,
        projs: Vec<ShardProj>,
        rngs: Vec<ChaCha8Rng>,
        traces: Vec<ShardTrace>,
    ) -> Self {
        Shard {
            index,
            local: vec![Vec::new(); parts.len()],
            parts,
            projs,
            rngs,
            traces,
        }
    }

    /// Step `s`'s integration: every part's spikes into the exchange.
    pub fn integrate(&mut self, s: u64, exchange: &Exchange) {
        for (pop, part) in self.parts.iter_mut().enumerate() {
            let local = &mut self.local[pop];
            local.clear();
            let mut out = exchange.write(self.index, s, pop);
            out.clear();
            match part {
                Part::Lif { lif, first, .. } => {
                    lif.integrate(s, local);
                    out.extend(local.iter().map(|&i| i + *first));
                }
                Part::Poisson(Some(group)) => {
                    group.spikes_at(s, &mut self.rngs[pop], |i| out.push(i))
                }
                Part::Poisson(None) | Part::Elsewhere => {}
            }
        }
    }

    /// The rest of step `s`, once all `shards` have integrated it: every shard's spikes
    /// through the synapses onto this shard's neurons, then Poisson input, plasticity, resets
    /// and state traces.
    pub fn deliver(&mut self, s: u64, shift: u64, wiring: &[Wiring], exchange: &Exchange) {
        let shards = exchange.shards();
        for (proj, w) in self.projs.iter_mut().zip(wiring) {
            let Part::Lif { lif: target, .. } = &mut self.parts[w.target] else {
                unreachable!("projections target LIF populations (checked)")
            };
            let syn = &mut proj.synapses;
            match &mut proj.stdp {
                None => {
                    // Shards in order: their lists together are the population's spikes in
                    // neuron order, as one thread sees them.
                    for k in 0..shards {
                        let sources = exchange.read(k, s, w.source);
                        deliver(syn, &sources, s, shift, target, w.receptor);
                    }
                }
                Some(stdp) => {
                    let sources = exchange.read(0, s, w.source);
                    let slots = proj.pending.len() as u64;
                    let d = syn.delays.get(0) as u64;
                    proj.pending[((s + d - shift) % slots) as usize].extend_from_slice(&sources);
                    let mut arriving = std::mem::take(&mut proj.pending[(s % slots) as usize]);
                    let mut now = target.direct(w.receptor, s);
                    for &i in &arriving {
                        stdp.on_pre(i as usize, s, syn, |j, w| now.add(j, w));
                    }
                    arriving.clear();
                    proj.pending[(s % slots) as usize] = arriving;
                }
            }
        }
        for (pop, part) in self.parts.iter_mut().enumerate() {
            if let Part::Lif { lif, first, size } = part {
                lif.draw_poisson_input(s, &mut self.rngs[pop], *first, *size);
                lif.take_input(s);
            }
        }
        for (proj, w) in self.projs.iter_mut().zip(wiring) {
            if let Some(stdp) = &mut proj.stdp {
                for &j in &self.local[w.target] {
                    stdp.on_post(j as usize, s, &mut proj.synapses);
                }
            }
        }
        for (part, spiked) in self.parts.iter_mut().zip(&self.local) {
            if let Part::Lif { lif, .. } = part {
                lif.reset(spiked);
            }
        }
        for trace in &mut self.traces {
            let Part::Lif { lif, .. } = &self.parts[trace.population] else {
                unreachable!("traces are of LIF neurons (assigned so)")
            };
            let n = trace.neuron;
            trace.values.push(match trace.variable {
                StateVar::V => lif.v[n],
                StateVar::Ge => lif.synaptic(n).0,
                StateVar::Gi => lif.synaptic(n).1,
            });
        }
    }

    /// The LIF part holding neuron `neuron` of population `pop`, and its index in it.
    pub fn lif_of(&self, pop: usize, neuron: usize) -> Option<(&LifPopulation, usize)> {
        match &self.parts[pop] {
            Part::Lif { lif, first, .. } => {
                let local = neuron.checked_sub(*first as usize)?;
                (local < lif.len()).then_some((lif, local))
            }
            _ => None,
        }
    }
}
