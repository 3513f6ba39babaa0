//! `swarm`: a swarm of 4-8-2 micro-nets governs a multichannel stream with regime shifts
//! (see [`crate::swarm`]). A sample task reads the stream and steps the members due (time
//! division); each window closes with the vote, its confidence, the JSD to the previous
//! window and, when those say so, an escalation to the backstop network.
//!
//! Before t = 0 the members and the backstop are trained offline (iRPROP-) on `train_time` of
//! a training stream with the same signature, other noise, and a regime shift every eighth of
//! it; the last quarter is held out to set each member's vote weight.

use super::{
    hop_spec, inconsistent, spec, window_config, window_spec, BuildContext, Preset, PresetError,
};
use crate::params::{ParamError, ParamSpec, ParamValues, Unit};
use crate::rng::Stream;
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Model, Report, Sim, Simulation};
use crate::swarm::ensemble::Vote;
use crate::swarm::governor::{Backstop, Governor, Policy, MEMBER_MACS};
use crate::swarm::members::{History, MemberConfig, Members};
use crate::swarm::shards::{member_ranges, BlockLayout, RemoteShard, ShardJob, ShardRunner};
use crate::swarm::stream::{RegimeStream, StreamSpec};
use crate::time::{TimePoint, TimeSpan};
use crate::window::{schedule_windows, WindowBounds, WindowConfig, WindowSink};
use hdrhistogram::Histogram;
use panels::{Sample, SwarmWindow, MAX_SAMPLES};
use std::collections::VecDeque;
use tempora_protocol::WindowSummary;
use totals::Totals;

mod panels;
mod totals;

pub(super) const PRESET: Preset = Preset {
    name: "swarm",
    description: "A swarm of 4-8-2 micro-nets, each on two channels of a 16-channel stream with regime shifts, votes in time division; windows of low confidence or broken continuity (JSD) go to a larger backstop net, whose answer returns as a prior.",
    params: PARAMS,
    live: &["confidence_min", "jsd_max", "prior_weight", "prior_decay"],
    build,
};

const PARAMS: &[ParamSpec] = &[
    spec("members", Unit::Count, 64.0, 1.0, 4096.0, "Micro-nets (4-8-2) in the swarm."),
    spec("stride", Unit::Count, 4.0, 1.0, 64.0, "Samples between two evaluations of one member (time division: members / stride evaluations per sample)."),
    spec("shards", Unit::Count, 1.0, 1.0, 64.0, "Parts the members are split into, each a block of samples ahead on its own thread natively or worker in the browser (up to its helper workers + 1); the results are the same for any count."),
    spec("channels", Unit::Count, 16.0, 2.0, 64.0, "Channels of the stream."),
    spec("dt", Unit::Seconds, 1e-4, 1e-6, 1e-2, "Sample period of the stream."),
    spec("lag", Unit::Count, 3.0, 1.0, 100.0, "Samples between a net's two readings of a channel."),
    spec("shift_every", Unit::Seconds, 0.5, 0.01, 1000.0, "Time between regime shifts."),
    spec("offset", Unit::Dimensionless, 0.5, 0.0, 10.0, "Each channel's regime offset |mu| (the regimes' signature)."),
    spec("clutter", Unit::Dimensionless, 0.5, 0.0, 10.0, "Amplitude of each channel's slow sinusoid (2-20 Hz), which hides the offsets at some phases."),
    spec("sigma", Unit::Dimensionless, 1.0, 0.0, 10.0, "Noise standard deviation."),
    spec("drift", Unit::Hertz, 0.02, 0.0, 1.0, "Relative drift of every channel's frequency per second."),
    spec("anomaly_rate", Unit::Hertz, 2.0, 0.0, 1000.0, "Anomalies (5 samples of +5 on one channel) per second."),
    spec("train_time", Unit::Seconds, 0.2, 0.0, 10.0, "Training stream for the nets, before t = 0 (its last quarter weighs the votes)."),
    spec("epochs", Unit::Count, 20.0, 0.0, 1000.0, "iRPROP- epochs per micro-net (0: untrained)."),
    spec("backstop_hidden", Unit::Count, 48.0, 2.0, 1024.0, "Neurons in each of the backstop's two hidden layers."),
    spec("backstop_epochs", Unit::Count, 40.0, 0.0, 1000.0, "iRPROP- epochs of the backstop."),
    spec("backstop_latency", Unit::Seconds, 2e-3, 0.0, 1.0, "Logical time an escalated window waits for the backstop (the latency reported)."),
    spec("confidence_min", Unit::Dimensionless, 0.6, 0.0, 1.0, "Escalate a window whose winner's lower 95 % bound is below this."),
    spec("jsd_max", Unit::Dimensionless, 0.012, 0.0, 1.0, "Escalate a window whose JSD to the previous one exceeds this (bits)."),
    spec("prior_weight", Unit::Dimensionless, 0.5, 0.0, 1.0, "Weight of the backstop's answer in the vote right after an escalation."),
    spec("prior_decay", Unit::Dimensionless, 0.5, 0.0, 1.0, "The prior's weight is multiplied by this at each window without escalation."),
    window_spec(0.05),
    hop_spec(0.025),
];

/// The most samples one window may hold.
const MAX_SAMPLES_PER_WINDOW: f64 = 50_000.0;
/// The most training work: members x epochs x training samples. Measured at about 93 ns per
/// unit natively (2048 x 40 x 10 000 took 76 s; 115 s in the browser), so this bounds a build
/// to about 19 s natively and 30 s in a browser worker (whose heartbeat allows 120 s for a
/// build), and still lets every member count train at the default epochs and train_time.
const MAX_TRAINING_WORK: f64 = 2e8;
/// Escalation times listed in the report.
const MAX_REPORTED_ESCALATIONS: usize = 10_000;

fn count(values: &ParamValues, name: &str) -> usize {
    values[name] as usize
}

/// The checks across parameters, for a run and for a helper's part of one; returns the
/// windows.
fn check(values: &ParamValues) -> Result<WindowConfig, ParamError> {
    let window = window_config(values)?;
    let dt = values["dt"];
    if values["window"] / dt > MAX_SAMPLES_PER_WINDOW {
        return Err(inconsistent(
            "dt",
            format!("a window of {} s would hold more than {MAX_SAMPLES_PER_WINDOW} samples; lengthen dt or shorten window", values["window"]),
        ));
    }
    let train_samples = (values["train_time"] / dt) as usize;
    let work = values["members"] * values["epochs"] * train_samples as f64;
    if work > MAX_TRAINING_WORK {
        return Err(inconsistent(
            "epochs",
            format!("training members x epochs x samples = {work:.2e} is more than {MAX_TRAINING_WORK:.0e}; lower epochs, members or train_time"),
        ));
    }
    Ok(window)
}

fn build(
    values: &ParamValues,
    seed: u64,
    context: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let window = check(values)?;
    let dt = values["dt"];
    let evaluation = spawn_parts(values, seed, context)?;
    let setup = setup(values, seed);
    let members = Members::train(setup.config, setup.stream.channels, &setup.history, seed)
        .map_err(|e| inconsistent("members", e.to_string()))?;
    let lag = setup.config.lag;
    let backstop = Backstop::train(
        &setup.history,
        lag,
        count(values, "backstop_hidden"),
        values["backstop_epochs"] as u32,
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
        governor: Governor::new(policy(values)),
        evaluation,
        failure: None,
        window,
        backstop_latency_ns: (values["backstop_latency"] * 1e9).round() as u64,
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
struct Setup {
    stream: StreamSpec,
    config: MemberConfig,
    history: History,
}

fn setup(values: &ParamValues, seed: u64) -> Setup {
    let stream = StreamSpec {
        channels: count(values, "channels"),
        dt: values["dt"],
        shift_every: values["shift_every"],
        offset: values["offset"],
        clutter: values["clutter"],
        sigma: values["sigma"],
        drift: values["drift"],
        anomaly_rate: values["anomaly_rate"],
    };
    let history = training_history(
        &stream,
        seed,
        (values["train_time"] / values["dt"]) as usize,
    );
    let config = MemberConfig {
        count: count(values, "members"),
        stride: count(values, "stride"),
        lag: count(values, "lag"),
        epochs: values["epochs"] as u32,
    };
    Setup {
        stream,
        config,
        history,
    }
}

/// The run's stream (the training stream has other noise).
fn run_stream(spec: StreamSpec, seed: u64) -> RegimeStream {
    RegimeStream::new(spec, seed, Stream::StreamNoise)
}

/// Where the members are evaluated: with `shards > 1`, the first part here and the others
/// handed to up to `shards - 1` helpers (threads natively, workers in the browser; see
/// [`crate::swarm::shards`]), which start on them at once.
fn spawn_parts(
    values: &ParamValues,
    seed: u64,
    context: &BuildContext,
) -> Result<Evaluation, ParamError> {
    let shards = count(values, "shards");
    let members = count(values, "members");
    let helpers = match &context.helpers {
        Some(spawner) if shards > 1 && spawner.helpers() > 0 => spawner,
        _ => {
            return Ok(Evaluation {
                local: 0..members,
                remotes: Vec::new(),
            })
        }
    };
    let ranges = member_ranges(members, shards.min(helpers.helpers() + 1));
    let stride = count(values, "stride");
    let mut remotes = Vec::with_capacity(ranges.len() - 1);
    for (helper, range) in ranges[1..].iter().enumerate() {
        let job = ShardJob {
            params: values.clone(),
            seed,
            first: range.start,
            end: range.end,
        };
        let layout = BlockLayout::new(range.len(), stride);
        let source = helpers
            .spawn(helper, &job, layout)
            .map_err(|e| inconsistent("shards", e))?;
        remotes.push(RemoteShard::new(range.clone(), layout, source));
    }
    Ok(Evaluation {
        local: ranges[0].clone(),
        remotes,
    })
}

/// [`shard_runner`] with its error as text: how native helper threads build their parts.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn shard_runner_for_threads(job: &ShardJob) -> Result<ShardRunner, String> {
    shard_runner(job).map_err(|e| e.to_string())
}

/// A helper's part of a swarm run (see [`crate::swarm::shards`]): the parameters are checked
/// as for a run, then the stream and the part's members are built as the coordinator builds
/// them.
pub fn shard_runner(job: &ShardJob) -> Result<ShardRunner, PresetError> {
    let values = crate::params::resolve(PRESET.params, &job.params)?;
    check(&values)?;
    let members = count(&values, "members");
    if job.first >= job.end || job.end > members {
        return Err(PresetError::Param(inconsistent(
            "shards",
            format!(
                "members {}..{} are not a part of a swarm of {members}",
                job.first, job.end
            ),
        )));
    }
    let setup = setup(&values, job.seed);
    let trained = Members::train_part(
        setup.config,
        setup.stream.channels,
        &setup.history,
        job.seed,
        job.members(),
    )
    .map_err(|e| PresetError::Param(inconsistent("members", e.to_string())))?;
    Ok(ShardRunner::new(
        run_stream(setup.stream, job.seed),
        trained,
        job.members(),
    ))
}

fn policy(values: &ParamValues) -> Policy {
    Policy {
        confidence_min: values["confidence_min"],
        jsd_max: values["jsd_max"],
        prior_weight: values["prior_weight"],
        prior_decay: values["prior_decay"],
    }
}

/// `samples` of a training stream: the run's signature, other noise, eight regime periods.
fn training_history(spec: &StreamSpec, seed: u64, samples: usize) -> History {
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

/// One sample as the windows keep it.
#[derive(Debug, Clone, Copy)]
struct Recorded {
    t: TimePoint,
    vote: Vote,
    truth: u8,
    anomaly: bool,
}

/// The stream, the swarm, the backstop and what the windows need.
struct SwarmWorld {
    stream: RegimeStream,
    members: Members,
    backstop: Backstop,
    governor: Governor,
    evaluation: Evaluation,
    /// Why the run cannot go on (a helper worker failed), once it cannot.
    failure: Option<String>,
    window: WindowConfig,
    backstop_latency_ns: u64,
    /// Samples an open window may still need, oldest first...
    recent: VecDeque<Recorded>,
    /// ...and their channel values, `channels` per sample, in the same order.
    recent_values: VecDeque<f64>,
    totals: Totals,
    evaluations_before: u64,
    /// Logical latency of each window's decision, ns.
    latencies: Histogram<u64>,
    escalation_times: Vec<f64>,
    closed: VecDeque<WindowSummary>,
}

/// Where the members are evaluated: `local` here, the rest by helpers.
struct Evaluation {
    local: std::ops::Range<usize>,
    remotes: Vec<RemoteShard>,
}

struct SampleTask;

impl Task<SwarmWorld> for SampleTask {
    fn kind(&self) -> &'static str {
        "swarm-sample"
    }

    fn run(&mut self, w: &mut SwarmWorld, ctx: &mut TaskContext<'_, SwarmWorld>) {
        if w.failure.is_some() {
            return;
        }
        let sample = w.stream.next_sample();
        let values = w.stream.values();
        let Evaluation { local, remotes } = &mut w.evaluation;
        let sums = match w.members.step_parts(values, local.clone(), remotes) {
            Ok(sums) => sums,
            Err(e) => {
                w.failure = Some(format!("a helper of the swarm failed: {e}"));
                return;
            }
        };
        let vote = sums.vote().unwrap_or(Vote {
            p1: 0.5,
            low: 0.0,
            high: 1.0,
        });
        w.recent.push_back(Recorded {
            t: ctx.now(),
            vote: w.governor.blend(vote),
            truth: sample.regime,
            anomaly: sample.anomaly,
        });
        w.recent_values.extend(w.stream.values());
    }
}

impl SwarmWorld {
    /// The backstop's mean probability of regime 1 over the window's samples (those with a
    /// reading `lag` samples before them in the buffer), and how many it evaluated.
    fn backstop_over(&mut self, range: std::ops::Range<usize>) -> (f64, u64) {
        let channels = self.stream.spec().channels;
        let lag = self.backstop.lag();
        let (mut sum, mut n) = (0.0, 0u64);
        let values = self.recent_values.make_contiguous();
        for j in range.start.max(lag)..range.end {
            let now = &values[j * channels..][..channels];
            let before = &values[(j - lag) * channels..][..channels];
            sum += self.backstop.eval(now, before);
            n += 1;
        }
        (if n > 0 { sum / n as f64 } else { 0.5 }, n)
    }

    /// Forgets samples no later window needs.
    fn release(&mut self, bounds: WindowBounds) {
        let channels = self.stream.spec().channels;
        let next_start = bounds.start.0.saturating_add(self.window.hop().0);
        // Keep `lag` samples before the next window's start for the backstop's readings.
        let keep_from = self
            .recent
            .iter()
            .position(|r| r.t.0 >= next_start)
            .unwrap_or(self.recent.len())
            .saturating_sub(self.backstop.lag());
        self.recent.drain(..keep_from);
        self.recent_values.drain(..keep_from * channels);
    }
}

impl WindowSink for SwarmWorld {
    fn close_window(&mut self, bounds: WindowBounds) {
        let first = self.recent.iter().position(|r| bounds.contains(r.t));
        let range = match first {
            Some(first) => {
                first
                    ..first
                        + self
                            .recent
                            .iter()
                            .skip(first)
                            .take_while(|r| bounds.contains(r.t))
                            .count()
            }
            None => 0..0,
        };
        let inside: Vec<Recorded> = self.recent.range(range.clone()).copied().collect();
        let votes: Vec<Vote> = inside.iter().map(|r| r.vote).collect();
        let (backstop_p1, backstop_evals) = self.backstop_over(range);
        let decision = self.governor.decide(&votes, backstop_p1);
        let ones = inside.iter().filter(|r| r.truth == 1).count();
        let truth = u8::from(2 * ones > inside.len());
        let residual = inside
            .iter()
            .map(|r| {
                if r.truth == 1 {
                    1.0 - r.vote.p1
                } else {
                    r.vote.p1
                }
            })
            .sum::<f64>()
            / inside.len().max(1) as f64;

        let evaluations = self.members.evaluations() - self.evaluations_before;
        self.evaluations_before = self.members.evaluations();
        let t = &mut self.totals;
        t.windows += 1;
        t.right_governed += u64::from(decision.label == truth);
        t.right_swarm += u64::from(decision.swarm_label == truth);
        t.right_backstop += u64::from(decision.backstop_label == truth);
        t.evaluations += evaluations;
        t.swarm_macs += evaluations * MEMBER_MACS;
        let backstop_macs = backstop_evals * self.backstop.macs();
        t.baseline_macs += backstop_macs;
        // A window at a shift has one after its start, or starts within one hop after one.
        let shift = self.stream.spec().shift_every;
        let (start_s, end_s) = (bounds.start.as_secs_f64(), bounds.end.as_secs_f64());
        let last_shift = ((end_s - 1e-9) / shift).floor() * shift;
        let at_shift =
            last_shift > 0.0 && last_shift > start_s - self.window.hop().as_secs_f64() - 1e-9;
        t.windows_at_shifts += u64::from(at_shift);
        t.escalations_at_shifts += u64::from(at_shift && decision.escalated.is_some());
        let latency = if decision.escalated.is_some() {
            t.escalations += 1;
            t.escalated_macs += backstop_macs;
            if self.escalation_times.len() < MAX_REPORTED_ESCALATIONS {
                self.escalation_times.push(bounds.end.as_secs_f64());
            }
            self.backstop_latency_ns
        } else {
            0
        };
        self.latencies.saturating_record(latency);

        let step = inside.len().div_ceil(MAX_SAMPLES).max(1);
        let channels = self.stream.spec().channels;
        let first_index = first.unwrap_or(0);
        let samples = inside
            .iter()
            .enumerate()
            .step_by(step)
            .map(|(i, r)| Sample {
                t_s: r.t.as_secs_f64(),
                p1: r.vote.p1,
                low: r.vote.low,
                high: r.vote.high,
                truth: r.truth,
                value: self.recent_values[(first_index + i) * channels],
            })
            .collect();
        let window = SwarmWindow {
            end_s: bounds.end.as_secs_f64(),
            samples,
            decision,
            truth,
            residual,
            anomalies: inside.iter().filter(|r| r.anomaly).count() as u64,
            prior_weight: self.governor.prior_weight(),
            evaluations,
            totals: self.totals,
        };
        self.closed.push_back(WindowSummary {
            index: bounds.index,
            start_ns: bounds.start.0,
            end_ns: bounds.end.0,
            data: window.content(&self.governor.policy, self.stream.spec().dt),
            timing: None,
        });
        self.release(bounds);
    }
}

impl Model for SwarmWorld {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.closed.pop_front()
    }

    fn halted(&self) -> Option<String> {
        self.failure.clone()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        let p = &mut self.governor.policy;
        for (name, slot) in [
            ("confidence_min", &mut p.confidence_min),
            ("jsd_max", &mut p.jsd_max),
            ("prior_weight", &mut p.prior_weight),
            ("prior_decay", &mut p.prior_decay),
        ] {
            if let Some(&v) = values.get(name) {
                *slot = v;
            }
        }
    }

    fn report(&self) -> Report {
        let t = &self.totals;
        let spec = self.stream.spec();
        let end = self.recent.back().map_or(0.0, |r| r.t.as_secs_f64());
        let shifts: Vec<f64> = (1..)
            .map(|i| i as f64 * spec.shift_every)
            .take_while(|&s| s <= end)
            .take(MAX_REPORTED_ESCALATIONS)
            .collect();
        let json = serde_json::json!({
            "windows": t.windows,
            "escalations": t.escalations,
            "escalation_rate": t.rate(t.escalations),
            "accuracy": t.rate(t.right_governed),
            "accuracy_swarm_only": t.rate(t.right_swarm),
            "accuracy_always_escalate": t.rate(t.right_backstop),
            "compute_saved": t.compute_saved(),
            "evaluations": t.evaluations,
            "members": self.members.len(),
            "swarm_macs": t.swarm_macs,
            "escalated_macs": t.escalated_macs,
            "baseline_macs": t.baseline_macs,
            "latency_logical_p50_s": self.latencies.value_at_quantile(0.5) as f64 * 1e-9,
            "latency_logical_p95_s": self.latencies.value_at_quantile(0.95) as f64 * 1e-9,
            "vote_weight_mean": self.members.vote_weights().iter().sum::<f64>() / self.members.len().max(1) as f64,
            "escalation_times_s": self.escalation_times,
            "shift_times_s": shifts,
        });
        match json {
            serde_json::Value::Object(map) => map,
            _ => Report::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::run_to;
    use crate::swarm::shards;

    /// A small, quick swarm (tests run unoptimised): 8 channels at 1 kHz, shifts every 0.5 s.
    fn small(overrides: &[(&str, f64)]) -> ParamValues {
        let mut p: ParamValues = [
            ("members", 24.0),
            ("channels", 8.0),
            ("dt", 1e-3),
            ("train_time", 1.0),
            ("epochs", 15.0),
            ("backstop_hidden", 12.0),
            ("backstop_epochs", 20.0),
            ("window", 0.1),
            ("hop", 0.05),
            ("offset", 0.7),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        p.extend(overrides.iter().map(|(k, v)| (k.to_string(), *v)));
        p
    }

    fn run(seed: u64, params: &ParamValues, seconds: f64) -> (Vec<WindowSummary>, Report) {
        let (mut sim, _) = PRESET.build(seed, params).unwrap();
        let windows = run_to(sim.as_mut(), TimePoint((seconds * 1e9) as u64));
        (windows, sim.report())
    }

    fn evaluations(w: &WindowSummary) -> u64 {
        w.data.number("evaluations").unwrap() as u64
    }

    #[test]
    fn escalations_cluster_at_the_regime_shifts() {
        let (windows, report) = run(3, &small(&[]), 4.0);
        let shift = 0.5;
        // A window "at a shift" has one after its start, or starts within one hop after it.
        let at_shift = |w: &WindowSummary| {
            let (start, end) = (w.start_ns as f64 * 1e-9, w.end_ns as f64 * 1e-9);
            let k = ((end - 1e-9) / shift).floor() * shift;
            k > 0.0 && k > start - 0.05 - 1e-9
        };
        let (near, far): (Vec<&WindowSummary>, Vec<&WindowSummary>) =
            windows.iter().partition(|w| at_shift(w));
        let rate = |ws: &[&WindowSummary]| {
            ws.iter().filter(|w| !w.data.events.is_empty()).count() as f64 / ws.len() as f64
        };
        let (near_rate, far_rate) = (rate(&near), rate(&far));
        // The readouts count the same over the whole run.
        let last = &windows.last().unwrap().data;
        let shown = |key: &str| last.number(key).unwrap() / 100.0;
        assert!((shown("escalation_rate_at_shifts_pct") - near_rate).abs() < 1e-12);
        assert!((shown("escalation_rate_elsewhere_pct") - far_rate).abs() < 1e-12);
        assert!(
            near_rate >= 0.5 && far_rate <= 0.15,
            "near {near_rate}, far {far_rate}"
        );
        // The JSD peaks at the shifts too.
        let mean_jsd = |ws: &[&WindowSummary]| {
            ws.iter()
                .filter_map(|w| w.data.number("jsd_bits"))
                .sum::<f64>()
                / ws.len() as f64
        };
        assert!(mean_jsd(&near) > 5.0 * mean_jsd(&far));
        // Each window is labelled by the swarm or by the backstop: the governed accuracy is at
        // least the worse of the two alone and close to the better (here the small test swarm
        // and its briefly trained backstop are close), for less compute than always escalating.
        let acc = |k: &str| report[k].as_f64().unwrap();
        let (swarm, backstop) = (acc("accuracy_swarm_only"), acc("accuracy_always_escalate"));
        assert!(acc("accuracy") >= swarm.min(backstop), "{report:?}");
        assert!(acc("accuracy") >= swarm.max(backstop) - 0.05, "{report:?}");
        assert!(
            acc("escalation_rate") < 0.5 && acc("compute_saved") > 0.0,
            "{report:?}"
        );
        // Most windows are decided at once; the escalated ones wait for the backstop (2 ms).
        assert_eq!(report["latency_logical_p50_s"].as_f64(), Some(0.0));
        let p95 = report["latency_logical_p95_s"].as_f64().unwrap();
        if acc("escalation_rate") > 0.05 {
            assert!((p95 - 2e-3).abs() < 1e-5, "p95 {p95}");
        }
    }

    #[test]
    fn results_are_identical_whatever_the_shard_count() {
        let params = small(&[("members", 37.0)]);
        let (one, _) = run(5, &params, 1.0);
        for shards in [2.0, 3.0, 8.0] {
            let (many, _) = run(5, &small(&[("members", 37.0), ("shards", shards)]), 1.0);
            assert_eq!(
                crate::simulation::content_hash(&many),
                crate::simulation::content_hash(&one),
                "{shards} shards"
            );
        }
    }

    /// Helpers that run their parts in this thread, block by block on demand: the worker's
    /// protocol (jobs, ranges, layouts, blocks) without the transport.
    struct InProcess {
        helpers: usize,
        jobs: std::rc::Rc<std::cell::RefCell<Vec<ShardJob>>>,
    }

    struct InProcessSource(ShardRunner);

    impl shards::BlockSource for InProcessSource {
        fn next_block(&mut self, out: &mut [f64]) -> Result<(), String> {
            self.0.fill_block(out);
            Ok(())
        }
    }

    impl shards::Spawn for InProcess {
        fn helpers(&self) -> usize {
            self.helpers
        }

        fn spawn(
            &self,
            _helper: usize,
            job: &ShardJob,
            layout: BlockLayout,
        ) -> Result<Box<dyn shards::BlockSource>, String> {
            self.jobs.borrow_mut().push(job.clone());
            let runner = shard_runner(job).map_err(|e| e.to_string())?;
            assert_eq!(runner.layout(), layout);
            Ok(Box::new(InProcessSource(runner)))
        }
    }

    #[test]
    fn results_are_identical_when_helper_workers_evaluate_parts() {
        let params = small(&[("members", 37.0), ("stride", 3.0)]);
        let (one, one_report) = run(5, &params, 1.0);
        for (helpers, shards, parts) in [(1, 2.0, 2), (3, 4.0, 4), (2, 8.0, 3)] {
            let jobs = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
            let context = BuildContext {
                helpers: Some(std::rc::Rc::new(InProcess {
                    helpers,
                    jobs: jobs.clone(),
                })),
            };
            let (mut sim, _) = PRESET
                .build_in(
                    &context,
                    5,
                    &small(&[("members", 37.0), ("stride", 3.0), ("shards", shards)]),
                )
                .unwrap();
            let many = run_to(sim.as_mut(), TimePoint(1_000_000_000));
            let report = sim.report();
            // Up to `helpers` parts go out; the first stays with the coordinator.
            let jobs = jobs.borrow();
            assert_eq!(jobs.len(), parts - 1, "{shards} shards, {helpers} helpers");
            assert_eq!(jobs.last().unwrap().end, 37);
            assert!(jobs[0].first > 0);
            assert_eq!(
                crate::simulation::content_hash(&many),
                crate::simulation::content_hash(&one),
                "{shards} shards, {helpers} helpers"
            );
            assert_eq!(report["evaluations"], one_report["evaluations"]);
        }
    }

    /// A helper that stops answering after its first block.
    struct Dying;

    impl shards::Spawn for Dying {
        fn helpers(&self) -> usize {
            1
        }

        fn spawn(
            &self,
            _helper: usize,
            job: &ShardJob,
            _layout: BlockLayout,
        ) -> Result<Box<dyn shards::BlockSource>, String> {
            struct Once(Option<ShardRunner>);
            impl shards::BlockSource for Once {
                fn next_block(&mut self, out: &mut [f64]) -> Result<(), String> {
                    let mut runner = self.0.take().ok_or("helper 1 stopped answering")?;
                    runner.fill_block(out);
                    Ok(())
                }
            }
            Ok(Box::new(Once(Some(
                shard_runner(job).map_err(|e| e.to_string())?,
            ))))
        }
    }

    #[test]
    fn a_failed_helper_halts_the_run_and_says_why() {
        let context = BuildContext {
            helpers: Some(std::rc::Rc::new(Dying)),
        };
        let built = PRESET.build_in(&context, 5, &small(&[("shards", 2.0)]));
        let (mut sim, _) = built.unwrap();
        let windows = run_to(sim.as_mut(), TimePoint(10_000_000_000));
        let halted = sim.halted().expect("the run halts");
        assert!(halted.contains("helper 1 stopped answering"), "{halted}");
        // It halts at the second block (1024 samples of 1 ms: about 1 s), not at the end.
        assert!(sim.now() < TimePoint(3_000_000_000), "{:?}", sim.now());
        assert!(!windows.is_empty());
    }

    #[test]
    fn a_helper_refuses_a_part_outside_the_swarm() {
        let job = |first, end| ShardJob {
            params: small(&[]),
            seed: 1,
            first,
            end,
        };
        for (first, end) in [(0, 0), (20, 25), (5, 3)] {
            let e = shard_runner(&job(first, end)).unwrap_err();
            assert_eq!(e.param(), Some("shards"), "{e}");
        }
        let mut bad = job(0, 4);
        bad.params.insert("dt".into(), -1.0);
        assert_eq!(shard_runner(&bad).unwrap_err().param(), Some("dt"));
    }

    #[test]
    fn totals_add_up_and_the_time_division_costs_members_over_stride_per_sample() {
        let (windows, report) = run(2, &small(&[("stride", 4.0)]), 1.0);
        let last = &windows.last().unwrap().data;
        let sum: u64 = windows.iter().map(evaluations).sum();
        assert_eq!(last.number("evaluations_total"), Some(sum as f64));
        // Samples at 0, 1, ... ms up to the last window's end (inclusive: the sample task runs
        // before the window closes); 24 members every 4th sample: 6 per sample after the lag of 3.
        let through_ms = windows.last().unwrap().end_ns / 1_000_000;
        assert_eq!(sum, (through_ms + 1 - 3) * 6);
        assert_eq!(report["swarm_macs"].as_u64(), Some(sum * MEMBER_MACS));
        let vote = last.trace(panels::ids::VOTE).unwrap();
        assert!(vote.lines[0].points.len() <= MAX_SAMPLES);
    }

    #[test]
    fn bad_parameters_are_refused_by_name() {
        let refuse = |p: &[(&str, f64)], name: &str| {
            let e = PRESET.build(1, &small(p)).err().unwrap();
            assert_eq!(e.param(), Some(name), "{e}");
        };
        refuse(&[("members", 0.0)], "members");
        refuse(&[("members", 2.5)], "members");
        refuse(&[("dt", 1e-6), ("window", 0.1)], "dt");
        refuse(
            &[
                ("members", 4096.0),
                ("epochs", 1000.0),
                ("train_time", 10.0),
            ],
            "epochs",
        );
    }
}
