//! `multirate-stdp` (formerly `seed-example`): the cadences of the plan this project grew from, on a small network:
//! inference every 1 us, STDP every 10 us, a 100 Hz oscillation.
//!
//! `N_in` Poisson inputs whose rate follows the oscillation, `F * (1 + m sin(2 pi f t))`
//! (thinning, see `models::poisson`), drive `N_out` conductance-based LIF neurons through plastic
//! all-to-all synapses. Three kinds of scheduled task share the world:
//! - `inference` every `dt` (1 us): inputs of this step, then each neuron's step (as `stdp`);
//!   pre- and postsynaptic events are queued for plasticity;
//! - `plasticity` every `stdp_period` (10 us), after inference at equal times: applies the queued
//!   events in time order with the pair-based rule of `models::stdp`. Deferring is exact for the
//!   traces (they are decayed to each event's own step); the only approximation is that `ge += w`
//!   uses a weight that may lack the last < `stdp_period` of updates;
//! - the window task; output spikes are tagged with the oscillation's phase.

use super::spiking::{NeuronStdp, Oscillation, SpikeRecorder};
use super::{
    grid_on_step, inconsistent, require_order, span_of, window_grid, BuildContext, Preset,
    HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S,
};
use crate::models::lif::ConductanceLif;
use crate::models::poisson::PoissonGroup;
use crate::models::stdp::StdpSynapses;
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues};
use crate::rng::{self, Stream};
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Model, Report, Sim, Simulation};
use crate::time::TimePoint;
use crate::window::{schedule_windows, WindowBounds, WindowSink};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;
use tempora_protocol::WindowSummary;

pub(super) const PRESET: Preset = Preset {
    name: "multirate-stdp",
    description: "The plan's cadences: inference every 1 us, STDP every 10 us, a 100 Hz oscillation modulating the inputs of a small plastic network.",
    params: PARAMS,
    live: &["m"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The preset's own parameters (beside the neuron and STDP block, [`NeuronStdp`]).
    struct MultirateOwn / MultirateChanges {
        N_in: Count = 32.0, [1.0, 10_000.0], "Poisson inputs.";
        N_out: Count = 4.0, [1.0, 64.0], "Output LIF neurons (each receives every input).";
        F: Hertz = 40.0, [0.1, 1000.0], "Mean input rate.";
        m: Dimensionless = 0.8, [0.0, 1.0], "Depth of the oscillation's modulation of the input rate.";
        f_osc: Hertz = 100.0, [0.1, 10_000.0], "Oscillation frequency (phase reference).";
        dt: Seconds = 1e-6, [1e-7, 1e-4], "Inference period (integration step).";
        stdp_period: Seconds = 1e-5, [1e-7, 1e-2], "Plasticity task period.";
        gmax: Dimensionless = 0.1, [1e-6, 10.0], "Maximum weight.";
        window: Seconds = 0.05, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.05, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The inputs, drive and cadences first, then the neuron and STDP, then the weights' bound and
/// the windows.
const PARAMS: &[ParamSpec] = spec_table!(MultirateOwn, 7, NeuronStdp);

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let (p, neuron) = (
        MultirateOwn::from_values(values),
        NeuronStdp::from_values(values),
    );
    require_order(("vr", neuron.vr), ("vt", neuron.vt))?;
    if p.stdp_period < p.dt {
        return Err(inconsistent(
            "stdp_period",
            "stdp_period must be at least dt",
        ));
    }
    neuron.check(p.dt)?;
    let peak = p.F * (1.0 + p.m);
    if peak * p.dt >= 0.5 {
        return Err(inconsistent("F", "F * (1 + m) * dt must be below 0.5"));
    }
    if p.f_osc * p.dt > 0.01 {
        return Err(inconsistent(
            "dt",
            "dt must be at most 1/100 of the oscillation period",
        ));
    }
    let dt = span_of("dt", p.dt)?;
    let stdp_period = span_of("stdp_period", p.stdp_period)?;
    if stdp_period.as_nanos() % dt.as_nanos() != 0 {
        return Err(inconsistent(
            "stdp_period",
            "stdp_period must be a whole multiple of dt",
        ));
    }
    let window = grid_on_step(window_grid(p.window, p.hop)?, dt)?;
    let (n_in, n_out) = (p.N_in as u32, p.N_out as u32);
    let gmax = p.gmax;
    let dt_s = dt.as_secs_f64();

    let mut initial = rng::rng(seed, Stream::InitialWeights);
    let mut rng = rng::rng(seed, Stream::InputSpikes);
    let stdp = neuron.stdp(gmax);
    let synapses: Vec<StdpSynapses> = (0..n_out)
        .map(|_| {
            let w = (0..n_in).map(|_| initial.random::<f64>() * gmax).collect();
            StdpSynapses::new(stdp, w, dt_s)
        })
        .collect();
    let world = SeedWorld {
        neurons: (0..n_out).map(|_| neuron.neuron()).collect(),
        synapses,
        inputs: PoissonGroup::new(n_in, peak, dt_s, &mut rng),
        rng,
        dt_ns: dt.as_nanos(),
        dt_s,
        ge_decay: libm::exp(-dt_s / neuron.taue),
        omega: TAU * p.f_osc,
        depth: p.m,
        gmax,
        pending: Vec::new(),
        recorder: SpikeRecorder::new(
            window,
            n_in,
            n_out,
            dt.as_nanos(),
            Some(Oscillation {
                frequency: p.f_osc,
                target_deg: None,
            }),
        ),
        plasticity_runs: 0,
    };
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(
            TimePoint::ZERO,
            dt,
            Priority::MODEL,
            Box::new(InferenceTask),
        )
        .and_then(|_| {
            scheduler.schedule_every(
                TimePoint::ZERO,
                stdp_period,
                Priority::PLASTICITY,
                Box::new(PlasticityTask),
            )
        })
        .and_then(|_| schedule_windows(&mut scheduler, window))
        .map_err(|e| inconsistent("dt", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, world)))
}

/// A spike waiting for the plasticity task.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// Input `source` spiked at `step`.
    Pre { step: u64, source: u32 },
    /// Output `neuron` spiked at `step`.
    Post { step: u64, neuron: u32 },
}

struct SeedWorld {
    neurons: Vec<ConductanceLif>,
    /// One synapse set per output neuron.
    synapses: Vec<StdpSynapses>,
    inputs: PoissonGroup,
    rng: ChaCha8Rng,
    dt_ns: u64,
    dt_s: f64,
    ge_decay: f64,
    omega: f64,
    depth: f64,
    gmax: f64,
    /// Events since the last plasticity run, in time order (pre before post within a step).
    pending: Vec<Event>,
    recorder: SpikeRecorder,
    plasticity_runs: u64,
}

struct InferenceTask;

impl Task<SeedWorld> for InferenceTask {
    fn kind(&self) -> &'static str {
        "inference"
    }

    fn run(&mut self, w: &mut SeedWorld, ctx: &mut TaskContext<'_, SeedWorld>) {
        let t = ctx.now();
        let step = t.as_nanos() / w.dt_ns;
        let mut fired = 0u64; // bit k: neuron k fired (N_out <= 64)
        if step > 0 {
            for (k, neuron) in w.neurons.iter_mut().enumerate() {
                if neuron.step_with_decay(w.dt_s, w.ge_decay) {
                    fired |= 1 << k;
                }
            }
        }
        let keep = (1.0 + w.depth * libm::sin(w.omega * t.as_secs_f64())) / (1.0 + w.depth);
        let SeedWorld {
            neurons,
            synapses,
            inputs,
            rng,
            pending,
            recorder,
            ..
        } = w;
        let mut count = 0;
        inputs.thinned_spikes_at(step, rng, keep, |source| {
            for (neuron, syn) in neurons.iter_mut().zip(synapses.iter()) {
                neuron.receive(syn.weights()[source as usize]);
            }
            pending.push(Event::Pre { step, source });
            recorder.input_spike(t, source);
            count += 1;
        });
        w.recorder.input_count(t, count);
        for k in 0..w.neurons.len() {
            if fired & (1 << k) != 0 {
                w.pending.push(Event::Post {
                    step,
                    neuron: k as u32,
                });
                w.recorder.output_spike(t, k as u32);
            }
        }
        w.recorder.membrane(t, step, w.neurons[0].v());
    }
}

struct PlasticityTask;

impl Task<SeedWorld> for PlasticityTask {
    fn kind(&self) -> &'static str {
        "plasticity"
    }

    fn run(&mut self, w: &mut SeedWorld, _: &mut TaskContext<'_, SeedWorld>) {
        for event in w.pending.drain(..) {
            match event {
                Event::Pre { step, source } => {
                    for syn in &mut w.synapses {
                        syn.on_pre(source as usize, step);
                    }
                }
                Event::Post { step, neuron } => w.synapses[neuron as usize].on_post(step),
            }
        }
        w.plasticity_runs += 1;
    }
}

impl WindowSink for SeedWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        let all: Vec<f64> = self
            .synapses
            .iter()
            .flat_map(|s| s.weights().iter().copied())
            .collect();
        self.recorder.close(bounds, Some((&all, self.gmax)));
    }
}

impl Model for SeedWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.recorder.take()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        if let Some(m) = MultirateOwn::changes(values).m {
            self.depth = m;
        }
    }

    fn report(&self) -> Report {
        let mut r = Report::new();
        r.insert(
            "output_spike_times_s".into(),
            self.recorder.spike_times.clone().into(),
        );
        let weights: Vec<Vec<f64>> = self.synapses.iter().map(|s| s.weights().to_vec()).collect();
        r.insert(
            "final_weights".into(),
            serde_json::to_value(weights).unwrap_or_default(),
        );
        r.insert("plasticity_runs".into(), self.plasticity_runs.into());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::spiking::panels;
    use crate::simulation::run_to;
    use tempora_protocol::panel::RasterSpikes;

    #[test]
    fn runs_at_the_plan_cadences_and_locks_to_the_oscillation() {
        let (mut sim, _) = PRESET.build(3, &ParamValues::new()).unwrap();
        let mut kinds = std::collections::BTreeMap::new();
        // The first 100 us: 101 inference steps (0..=100 us) and 11 plasticity runs, in order.
        let mut order = Vec::new();
        while let Some(done) = sim.run_next(TimePoint(100_000)) {
            *kinds.entry(done.kind).or_insert(0) += 1;
            order.push((done.due.as_nanos(), done.kind));
        }
        assert_eq!(kinds["inference"], 101);
        assert_eq!(kinds["plasticity"], 11);
        // At 10 us both are due: inference (MODEL) runs before plasticity (PLASTICITY).
        let at_10us: Vec<_> = order
            .iter()
            .filter(|(t, _)| *t == 10_000)
            .map(|(_, k)| *k)
            .collect();
        assert_eq!(at_10us, vec!["inference", "plasticity"]);

        let windows = run_to(sim.as_mut(), TimePoint(1_000_000_000));
        let mut phases = crate::models::phase::PhaseStats::default();
        let mut spikes = 0;
        for w in &windows {
            let raster = w.data.raster(panels::RASTER).unwrap();
            let RasterSpikes::Times { spikes: outputs } = &raster.groups[1].spikes else {
                panic!("the output group holds spike times")
            };
            for (t, _) in outputs {
                phases.add(crate::models::phase::phase_at(*t, 100.0));
                spikes += 1;
            }
        }
        assert!(spikes > 20, "{spikes} output spikes in 1 s");
        // The inputs peak at 90 degrees; outputs follow them with some lag.
        assert!(
            phases.vector_strength() > 0.3,
            "{}",
            phases.vector_strength()
        );
        assert!(sim.report()["plasticity_runs"].as_u64().unwrap() >= 100_000);
    }

    #[test]
    fn stdp_period_must_fit_the_step() {
        let o: ParamValues = [("stdp_period".to_string(), 1.5e-6)].into_iter().collect();
        assert_eq!(
            PRESET.build(1, &o).err().unwrap().param(),
            Some("stdp_period")
        );
        let o: ParamValues = [("stdp_period".to_string(), 0.5e-6)].into_iter().collect();
        assert_eq!(
            PRESET.build(1, &o).err().unwrap().param(),
            Some("stdp_period")
        );
    }
}
