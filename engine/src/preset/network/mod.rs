//! Network presets: the shipped model files (`cuba`, `coba`, `brunel`, `stdp-network`), each
//! built from parameters named as in its reference, and the run of any network model on the
//! scheduler with windows (`NetworkWorld`): one task steps the network every dt, windows
//! summarise the populations' spikes as panels.

mod brunel;
mod coba;
mod cuba;
mod panels;
mod stdp_network;
#[cfg(test)]
mod tests;
mod vogels_abbott;

pub(super) use brunel::PRESET as BRUNEL;
pub(super) use coba::PRESET as COBA;
pub(super) use cuba::PRESET as CUBA;
pub(super) use stdp_network::PRESET as STDP_NETWORK;

use super::{grid_on_step, inconsistent, span_of, stepped_run, window_grid};
use crate::network::spec::PopKind;
use crate::network::{Network, DEFAULT_MAX_BYTES};
use crate::params::{format_value, ParamError, ParamValues, Unit};
use crate::scheduler::{Task, TaskContext};
use crate::simulation::{Model, Report, Simulation};
use crate::time::TimePoint;
use crate::window::{Recent, WindowBounds, WindowConfig, WindowSink};
use std::collections::VecDeque;
use tempora_protocol::model::edit::Live;
use tempora_protocol::model::{ModelError, NetworkModel, SpikeRecord};
use tempora_protocol::spikes::{PopulationSpikes, SpikeTable, MAX_LOGGED_SPIKES};
use tempora_protocol::WindowSummary;

/// A live parameter of a network preset: the projections whose (single) weight it sets, as
/// its value times `scale`.
#[derive(Debug, Clone, Copy)]
pub struct LiveWeight {
    /// The parameter.
    pub param: &'static str,
    /// Projection names.
    pub projections: &'static [&'static str],
    /// weight = value * scale.
    pub scale: f64,
}

/// `value` (SI) as the text a person writes in a model file: `"20 ms"`, `"-60 mV"`.
pub fn with_unit(unit: Unit, value: f64) -> serde_json::Value {
    serde_json::Value::String(format_value(unit, value))
}

/// Two populations `E` and `I` of the same `neuron`, connected all four ways (projections
/// `EE`, `EI`, `IE`, `II`) by `connect` (the rule from E, the rule from I), with weight `we` from E and `wi` from I, and one
/// `delay`: the shape of the Vogels-Abbott and Brunel networks.
pub struct ExcitatoryInhibitory {
    /// The model's name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Integration step, s.
    pub dt: f64,
    /// Sizes of E and I.
    pub sizes: (f64, f64),
    /// The neurons' `lif` object.
    pub neuron: serde_json::Value,
    /// The projections' `connect` objects: from E, from I.
    pub connect: (serde_json::Value, serde_json::Value),
    /// Weights from E and from I.
    pub weights: (f64, f64),
    /// Delay of every synapse, s.
    pub delay: f64,
    /// The weights' unit (`None`: leak conductances, a pure number).
    pub weight_unit: Option<Unit>,
}

impl ExcitatoryInhibitory {
    /// The model file.
    pub fn model(&self) -> NetworkModel {
        let projection = |name: &str, w: f64| {
            let (source, target) = name.split_at(1);
            let (receptor, connect) = if source == "E" {
                ("excitatory", &self.connect.0)
            } else {
                ("inhibitory", &self.connect.1)
            };
            serde_json::json!({
                "name": name, "source": source, "target": target, "connect": connect,
                "weight": self.weight_unit.map_or(serde_json::json!(w), |u| with_unit(u, w)),
                "delay": with_unit(Unit::Seconds, self.delay), "receptor": receptor
            })
        };
        let (we, wi) = self.weights;
        let model = serde_json::json!({
            "format": 1,
            "name": self.name,
            "description": self.description,
            "dt": with_unit(Unit::Seconds, self.dt),
            "populations": [
                {"name": "E", "size": self.sizes.0 as u64, "lif": self.neuron},
                {"name": "I", "size": self.sizes.1 as u64, "lif": self.neuron}
            ],
            "projections": [
                projection("EE", we), projection("EI", we), projection("IE", wi), projection("II", wi)
            ]
        });
        serde_json::from_value(model).expect("an excitatory-inhibitory model is well-formed")
    }
}

/// Live weights `we` (from E) and `wi` (from I) of an [`ExcitatoryInhibitory`] network.
pub fn we_wi_live() -> Vec<LiveWeight> {
    vec![
        LiveWeight {
            param: "we",
            projections: &["EE", "EI"],
            scale: 1.0,
        },
        LiveWeight {
            param: "wi",
            projections: &["IE", "II"],
            scale: 1.0,
        },
    ]
}

/// Builds `model` for `seed` and runs it with windows of `window` and `hop` seconds.
pub fn network_run(
    model: NetworkModel,
    seed: u64,
    (window, hop): (f64, f64),
    live: Vec<LiveWeight>,
) -> Result<Box<dyn Simulation>, ParamError> {
    let net = Network::build(&without_records(model), seed, DEFAULT_MAX_BYTES)
        .map_err(|e| inconsistent("model", e.to_string()))?;
    run_built(net, seed, (window, hop), live)
}

/// Windows of a run of a model file (no preset's parameters set them).
pub const MODEL_WINDOW_S: f64 = 0.1;

/// Builds a model file's network for `seed` and runs it with windows of [`MODEL_WINDOW_S`]; a
/// refusal names the model's field by its JSON path.
pub fn model_run(model: NetworkModel, seed: u64) -> Result<Box<dyn Simulation>, ModelError> {
    let net = Network::build(&without_records(model), seed, DEFAULT_MAX_BYTES)?;
    run_built(net, seed, (MODEL_WINDOW_S, MODEL_WINDOW_S), Vec::new())
        .map_err(|e| ModelError::at("dt", e.to_string()))
}

/// The run keeps its own bounded records (windows); the network records no spike times.
fn without_records(mut model: NetworkModel) -> NetworkModel {
    model.record.spikes = Some(Vec::<SpikeRecord>::new());
    model.record.state.clear();
    model
}

fn run_built(
    net: Network,
    seed: u64,
    (window, hop): (f64, f64),
    live: Vec<LiveWeight>,
) -> Result<Box<dyn Simulation>, ParamError> {
    let dt = span_of("dt", net.spec.dt)?;
    let window = grid_on_step(window_grid(window, hop)?, dt)?;
    let live = live
        .into_iter()
        .map(|l| {
            let indices = l
                .projections
                .iter()
                .map(|name| {
                    net.spec
                        .projections
                        .iter()
                        .position(|p| p.name == *name)
                        .expect("a live weight names a projection of its preset")
                })
                .collect();
            (l, indices)
        })
        .collect();
    let world = NetworkWorld::new(net, window, live);
    stepped_run(seed, dt, Box::new(StepTask), window, world)
}

/// A network and what its windows need.
pub struct NetworkWorld {
    net: Network,
    window: WindowConfig,
    /// Each population's spikes (neuron) since the oldest open window.
    spikes: Vec<Recent<u32>>,
    /// Membranes recorded: neuron 0 of the first two LIF populations, or the neurons picked
    /// ([`Model::probe`]), at most [`MAX_PROBES`].
    membranes: Vec<Probe>,
    /// Every spike of the run for export, per population (time ns, neuron), up to
    /// [`MAX_LOGGED_SPIKES`] in all.
    log: Vec<(Vec<u64>, Vec<u32>)>,
    /// Spikes in `log`.
    logged: usize,
    /// Spikes not logged (over the bound).
    log_dropped: u64,
    live: Vec<(LiveWeight, Vec<usize>)>,
    closed: VecDeque<WindowSummary>,
}

impl NetworkWorld {
    fn new(net: Network, window: WindowConfig, live: Vec<(LiveWeight, Vec<usize>)>) -> Self {
        let membranes = net
            .spec
            .populations
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PopKind::Lif(_)))
            .take(MAX_PROBES)
            .map(|(pop, _)| Probe::new(pop, 0))
            .collect();
        NetworkWorld {
            spikes: vec![Recent::default(); net.spec.populations.len()],
            log: vec![(Vec::new(), Vec::new()); net.spec.populations.len()],
            logged: 0,
            log_dropped: 0,
            net,
            window,
            membranes,
            live,
            closed: VecDeque::new(),
        }
    }

    /// One step at `t`.
    fn step(&mut self, t: TimePoint) {
        for probe in &mut self.membranes {
            if let Some(v) = self.net.membrane(probe.pop, probe.neuron as usize) {
                probe.samples.push(t, v);
            }
        }
        self.net.step();
        for (p, recent) in self.spikes.iter_mut().enumerate() {
            let (times, neurons) = &mut self.log[p];
            for &i in self.net.last_spikes(p) {
                recent.push(t, i);
                if self.logged < MAX_LOGGED_SPIKES {
                    times.push(t.as_nanos());
                    neurons.push(i);
                    self.logged += 1;
                } else {
                    self.log_dropped += 1;
                }
            }
        }
    }
}

/// Membrane lines at most.
const MAX_PROBES: usize = 2;

/// A neuron whose membrane is recorded.
pub struct Probe {
    /// Its population.
    pop: usize,
    /// Its index there.
    neuron: u32,
    /// `v` each step, volts.
    samples: Recent<f64>,
    /// Whether a person picked it (the others are each population's neuron 0).
    picked: bool,
}

impl Probe {
    fn new(pop: usize, neuron: u32) -> Self {
        Probe {
            pop,
            neuron,
            samples: Recent::default(),
            picked: false,
        }
    }
}

/// Steps the network.
struct StepTask;

impl Task<NetworkWorld> for StepTask {
    fn kind(&self) -> &'static str {
        "network step"
    }

    fn run(&mut self, world: &mut NetworkWorld, ctx: &mut TaskContext<'_, NetworkWorld>) {
        world.step(ctx.now());
    }
}

impl WindowSink for NetworkWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        let summary = panels::summarise(self, bounds);
        self.closed.push_back(summary);
        for recent in &mut self.spikes {
            recent.release(bounds, &self.window);
        }
        for probe in &mut self.membranes {
            probe.samples.release(bounds, &self.window);
        }
    }
}

impl Model for NetworkWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.closed.pop_front()
    }

    /// Picks a neuron to record: the first line of the membrane plot, replacing its
    /// population's line (or the oldest).
    fn probe(&mut self, population: &str, neuron: u32) -> Result<(), String> {
        let pops = &self.net.spec.populations;
        let lif: Vec<&str> = pops
            .iter()
            .filter(|p| matches!(p.kind, PopKind::Lif(_)))
            .map(|p| p.name.as_str())
            .collect();
        let Some(pop) = pops
            .iter()
            .position(|p| p.name == population && matches!(p.kind, PopKind::Lif(_)))
        else {
            return Err(format!(
                "`{population}` is not a population of LIF neurons here (those are: {})",
                lif.join(", ")
            ));
        };
        if neuron >= pops[pop].size {
            return Err(format!(
                "{population} has {} neurons: {neuron} is not one",
                pops[pop].size
            ));
        }
        self.membranes.retain(|p| p.pop != pop);
        self.membranes.insert(
            0,
            Probe {
                picked: true,
                ..Probe::new(pop, neuron)
            },
        );
        self.membranes.truncate(MAX_PROBES);
        Ok(())
    }

    fn probes(&self) -> Vec<tempora_protocol::PickedNeuron> {
        let pops = &self.net.spec.populations;
        self.membranes
            .iter()
            .filter(|p| p.picked)
            .map(|p| tempora_protocol::PickedNeuron {
                population: pops[p.pop].name.clone(),
                neuron: p.neuron,
            })
            .collect()
    }

    fn spikes(&self) -> Option<SpikeTable> {
        let populations = self
            .net
            .spec
            .populations
            .iter()
            .zip(&self.log)
            .map(|(pop, (times, neurons))| PopulationSpikes {
                population: pop.name.clone(),
                size: pop.size,
                t_s: times
                    .iter()
                    .map(|&ns| TimePoint(ns).as_secs_f64())
                    .collect(),
                i: neurons.clone(),
            })
            .collect();
        Some(SpikeTable {
            run_id: 0,
            populations,
            dropped: self.log_dropped,
        })
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        // A model run's live quantities, by their JSON path (checked by the session).
        for (key, &value) in values {
            if let Some(live) = Live::parse(key) {
                self.net.set_live(live, value);
            }
        }
        for (live, indices) in &self.live {
            if let Some(value) = values.get(live.param) {
                for &index in indices {
                    self.net.set_weight(index, value * live.scale);
                }
            }
        }
    }

    fn report(&self) -> Report {
        let mut r = Report::new();
        r.insert("steps".into(), self.net.steps().into());
        r.insert("synapses".into(), (self.net.synapse_count() as u64).into());
        let stats: serde_json::Map<String, serde_json::Value> = self
            .net
            .spec
            .populations
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p.name.clone(),
                    serde_json::to_value(self.net.stats(i)).expect("stats serialise"),
                )
            })
            .collect();
        r.insert("stats".into(), stats.into());
        r
    }
}
