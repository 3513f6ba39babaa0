//! A running swarm: the stream, the members, the backstop and the governor stepped sample
//! by sample, and each window's decision.

use super::panels::{Sample, SwarmWindow, MAX_SAMPLES};
use super::params::SwarmParams;
use super::parts::Evaluation;
use super::totals::Totals;
use crate::params::ParamValues;
use crate::scheduler::{Task, TaskContext};
use crate::simulation::{Model, Report};
use crate::swarm::ensemble::Vote;
use crate::swarm::governor::{Backstop, Governor, MEMBER_MACS};
use crate::swarm::members::Members;
use crate::swarm::stream::RegimeStream;
use crate::time::TimePoint;
use crate::window::{WindowBounds, WindowConfig, WindowSink};
use hdrhistogram::Histogram;
use std::collections::VecDeque;
use tempora_protocol::WindowSummary;

/// Escalation times listed in the report.
pub(super) const MAX_REPORTED_ESCALATIONS: usize = 10_000;

/// One sample as the windows keep it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recorded {
    pub(super) t: TimePoint,
    pub(super) vote: Vote,
    pub(super) truth: u8,
    pub(super) anomaly: bool,
}

/// The stream, the swarm, the backstop and what the windows need.
pub(super) struct SwarmWorld {
    pub(super) stream: RegimeStream,
    pub(super) members: Members,
    pub(super) backstop: Backstop,
    pub(super) governor: Governor,
    pub(super) evaluation: Evaluation,
    /// Why the run cannot go on (a helper worker failed), once it cannot.
    pub(super) failure: Option<String>,
    pub(super) window: WindowConfig,
    pub(super) backstop_latency_ns: u64,
    /// Samples an open window may still need, oldest first...
    pub(super) recent: VecDeque<Recorded>,
    /// ...and their channel values, `channels` per sample, in the same order.
    pub(super) recent_values: VecDeque<f64>,
    pub(super) totals: Totals,
    pub(super) evaluations_before: u64,
    /// Logical latency of each window's decision, ns.
    pub(super) latencies: Histogram<u64>,
    pub(super) escalation_times: Vec<f64>,
    pub(super) closed: VecDeque<WindowSummary>,
}

pub(super) struct SampleTask;

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
        let changes = SwarmParams::changes(values);
        let p = &mut self.governor.policy;
        for (change, slot) in [
            (changes.confidence_min, &mut p.confidence_min),
            (changes.jsd_max, &mut p.jsd_max),
            (changes.prior_weight, &mut p.prior_weight),
            (changes.prior_decay, &mut p.prior_decay),
        ] {
            if let Some(v) = change {
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
