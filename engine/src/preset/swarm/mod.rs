//! `swarm`: a swarm of 4-8-2 micro-nets governs a multichannel stream with regime shifts
//! (see [`crate::swarm`]). A sample task reads the stream and steps the members due (time
//! division); each window closes with the vote, its confidence, the JSD to the previous
//! window and, when those say so, an escalation to the backstop network.
//!
//! Before t = 0 the members and the backstop are trained offline (iRPROP-) on `train_time` of
//! a training stream with the same signature, other noise, and a regime shift every eighth of
//! it; the last quarter is held out to set each member's vote weight.

use super::{inconsistent, BuildContext, Preset};
use crate::params::{ParamError, ParamValues};
use crate::rng::Stream;
use crate::scheduler::{Priority, Scheduler};
use crate::simulation::{Sim, Simulation};
use crate::swarm::governor::{Backstop, Governor, Policy};
use crate::swarm::members::{History, MemberConfig, Members};
use crate::swarm::stream::{RegimeStream, StreamSpec};
use crate::time::{TimePoint, TimeSpan};
use crate::window::schedule_windows;
use hdrhistogram::Histogram;
use params::{check, SwarmParams, PARAMS};
pub use parts::shard_runner;
#[cfg(not(target_arch = "wasm32"))]
pub(super) use parts::shard_runner_for_threads;
use parts::spawn_parts;
use std::collections::VecDeque;
use totals::Totals;
use world::{SampleTask, SwarmWorld};

mod panels;
mod params;
mod parts;
#[cfg(test)]
mod tests;
mod totals;
mod world;

pub(super) const PRESET: Preset = Preset {
    name: "swarm",
    description: "A swarm of 4-8-2 micro-nets, each on two channels of a 16-channel stream with regime shifts, votes in time division; windows of low confidence or broken continuity (JSD) go to a larger backstop net, whose answer returns as a prior.",
    params: PARAMS,
    live: &["confidence_min", "jsd_max", "prior_weight", "prior_decay"],
    build,
    model: None,
    as_model: None,
};

pub(super) fn build(
    values: &ParamValues,
    seed: u64,
    context: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = SwarmParams::from_values(values);
    let window = check(&p)?;
    let dt = p.dt;
    let evaluation = spawn_parts(values, &p, seed, context)?;
    let setup = setup(&p, seed);
    let members = Members::train(setup.config, setup.stream.channels, &setup.history, seed)
        .map_err(|e| inconsistent("members", e.to_string()))?;
    let lag = setup.config.lag;
    let backstop = Backstop::train(
        &setup.history,
        lag,
        p.backstop_hidden as usize,
        p.backstop_epochs as u32,
        seed,
    )
    .map_err(|e| inconsistent("backstop_hidden", e.to_string()))?;
    let period = TimeSpan::from_secs_f64(dt).map_err(|e| inconsistent("dt", e.to_string()))?;
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(
            TimePoint::ZERO,
            period,
            Priority::MODEL,
            Box::new(SampleTask),
        )
        .and_then(|_| schedule_windows(&mut scheduler, window))
        .map_err(|e| inconsistent("dt", e.to_string()))?;
    let world = SwarmWorld {
        stream: run_stream(setup.stream, seed),
        members,
        backstop,
        governor: Governor::new(policy(&p)),
        evaluation,
        failure: None,
        window,
        backstop_latency_ns: (p.backstop_latency * 1e9).round() as u64,
        recent: VecDeque::new(),
        recent_values: VecDeque::new(),
        totals: Totals::default(),
        evaluations_before: 0,
        // 1 ns to 1 h of logical latency at 3 significant figures.
        latencies: Histogram::new_with_bounds(1, 3_600_000_000_000, 3).expect("valid bounds"),
        escalation_times: Vec::new(),
        closed: VecDeque::new(),
    };
    Ok(Box::new(Sim::new(scheduler, world)))
}

/// What the coordinator and every helper build alike from the parameters and seed.
pub(super) struct Setup {
    stream: StreamSpec,
    config: MemberConfig,
    history: History,
}

fn setup(p: &SwarmParams, seed: u64) -> Setup {
    let stream = StreamSpec {
        channels: p.channels as usize,
        dt: p.dt,
        shift_every: p.shift_every,
        offset: p.offset,
        clutter: p.clutter,
        sigma: p.sigma,
        drift: p.drift,
        anomaly_rate: p.anomaly_rate,
    };
    let history = training_history(&stream, seed, (p.train_time / p.dt) as usize);
    let config = MemberConfig {
        count: p.members as usize,
        stride: p.stride as usize,
        lag: p.lag as usize,
        epochs: p.epochs as u32,
    };
    Setup {
        stream,
        config,
        history,
    }
}

/// The run's stream (the training stream has other noise).
pub(super) fn run_stream(spec: StreamSpec, seed: u64) -> RegimeStream {
    RegimeStream::new(spec, seed, Stream::StreamNoise)
}

fn policy(p: &SwarmParams) -> Policy {
    Policy {
        confidence_min: p.confidence_min,
        jsd_max: p.jsd_max,
        prior_weight: p.prior_weight,
        prior_decay: p.prior_decay,
    }
}

/// `samples` of a training stream: the run's signature, other noise, eight regime periods.
pub(super) fn training_history(spec: &StreamSpec, seed: u64, samples: usize) -> History {
    let shift_every = (samples as f64 * spec.dt / 8.0).max(spec.dt);
    let mut stream = RegimeStream::new(
        StreamSpec {
            shift_every,
            ..spec.clone()
        },
        seed,
        Stream::TrainingNoise,
    );
    let mut history = History {
        channels: spec.channels,
        ..History::default()
    };
    for _ in 0..samples {
        history.regimes.push(stream.next_sample().regime);
        history.values.extend_from_slice(stream.values());
    }
    history
}
