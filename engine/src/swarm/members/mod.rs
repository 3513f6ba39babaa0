//! The swarm's members: N micro-nets of one shape (4-8-2: leaky ReLU hidden, sigmoid out),
//! each reading its own slice of the stream (two channels, now and `lag` samples ago), with a
//! phase offset in the time-division schedule and a vote weight.
//!
//! Time division: with stride `S`, member `i` is evaluated at sample `k` when
//! `(k + i) mod S = 0`, i.e. every `S` samples with phase offset `i mod S`; between its
//! evaluations its last answer stands in the vote. So each sample costs `N / S` evaluations.
//!
//! Layout: struct of arrays. Every member's weights sit in one flat vector (ruv-fann's order
//! per member, [`MEMBER_WEIGHTS`] each), so the hot loop walks memory in order and allocates
//! nothing. Each member is built and trained as a ruv-fann network through [`PackedNet`] and
//! [`crate::fann::Trainer`] (iRPROP-), then packed in; the kernel (`eval`) computes exactly what
//! [`PackedNet::forward`] computes (same dot product, same activations; tested).
//!
//! Parts: a member's answer depends only on its weights and the stream, so contiguous parts
//! of the members can be evaluated elsewhere (helper threads or workers, a block of samples
//! ahead; see [`crate::swarm::shards`]) and their answers read back with
//! [`Members::step_parts`]; the vote adds every answer in member order, so the number of parts
//! cannot change a single bit of the result.

use crate::fann::{Activation, NetError, NetSpec, PackedNet};
use crate::swarm::ensemble::VoteSums;
use eval::{EvalContext, Nets};
use thiserror::Error;

mod eval;
#[cfg(feature = "fixtures")]
mod fixtures;
mod train;

#[cfg(feature = "fixtures")]
pub use fixtures::throughput_workload;

/// Why a part of the members could not be had from its helper (helpers are numbered from 1,
/// as people count them).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PartError {
    /// The platform has no such helper, or could not start or reach it.
    #[error("cannot start helper {helper}: {reason}")]
    Start {
        /// The helper.
        helper: usize,
        /// What went wrong.
        reason: String,
    },
    /// The helper refused its part (it checks the job as a run would be checked).
    #[error("helper {helper} cannot build its part: {reason}")]
    Build {
        /// The helper.
        helper: usize,
        /// Why.
        reason: String,
    },
    /// The helper built its part laid out otherwise than the coordinator reads it.
    #[error("helper {helper} built its part as {found}, not {expected}")]
    Layout {
        /// The helper.
        helper: usize,
        /// The layout it built.
        found: String,
        /// The layout expected.
        expected: String,
    },
    /// The helper failed or ended while running.
    #[error("helper {helper} stopped: {reason}")]
    Stopped {
        /// The helper.
        helper: usize,
        /// What is known of why.
        reason: String,
    },
    /// The helper gave no answers in time.
    #[error("helper {helper} gave no answers for {seconds} s")]
    Silent {
        /// The helper.
        helper: usize,
        /// How long it was waited for.
        seconds: f64,
    },
    /// A sample was asked for after a later block had been read (a bug in the reader).
    #[error("sample {k} was asked for after a later block had been read")]
    OutOfOrder {
        /// The sample.
        k: u64,
    },
}

/// No part elsewhere: [`Members::step`] evaluates every member here.
enum NoRemote {}

impl RemotePart for NoRemote {
    fn range(&self) -> std::ops::Range<usize> {
        match *self {}
    }
    fn answers(&mut self, _: u64) -> Result<&[f64], PartError> {
        match *self {}
    }
}

/// A part of the members evaluated elsewhere (another thread or worker; see
/// [`crate::swarm::shards`]), whose answers are read back in member order.
pub trait RemotePart {
    /// The members it evaluates.
    fn range(&self) -> std::ops::Range<usize>;
    /// Its answers at sample `k`: the members of its range due at `k`, in member order. Fails
    /// when the part cannot answer.
    fn answers(&mut self, k: u64) -> Result<&[f64], PartError>;
}

/// A member's layer sizes.
pub const MEMBER_LAYERS: [usize; 3] = [4, 8, 2];
/// Weights per member: (4 + 1) * 8 + (8 + 1) * 2.
pub const MEMBER_WEIGHTS: usize = 58;
const HIDDEN: usize = MEMBER_LAYERS[1];
/// The hidden and output activations and their steepness (ruv-fann's default 0.5 for sigmoid
/// outputs would flatten them; 1.0 keeps the output range in reach of small weights).
const HIDDEN_ACTIVATION: Activation = Activation::ReluLeaky;
const OUTPUT_ACTIVATION: Activation = Activation::Sigmoid;
const STEEPNESS: f64 = 1.0;
/// The smallest vote weight: a member no better than chance still counts a little.
const MIN_VOTE_WEIGHT: f64 = 0.01;

/// The member shape as a network spec.
pub fn member_spec() -> NetSpec {
    NetSpec {
        layers: MEMBER_LAYERS.to_vec(),
        hidden: HIDDEN_ACTIVATION,
        output: OUTPUT_ACTIVATION,
        steepness: STEEPNESS,
    }
}

/// Labelled training data for the members: every channel at every sample, and the regime.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// `values[k * channels + c]`.
    pub values: Vec<f64>,
    /// The regime at each sample.
    pub regimes: Vec<u8>,
    /// Channels per sample.
    pub channels: usize,
}

impl History {
    /// Samples held.
    pub fn len(&self) -> usize {
        self.regimes.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.regimes.is_empty()
    }

    fn at(&self, k: usize, c: usize) -> f64 {
        self.values[k * self.channels + c]
    }
}

/// The swarm's members.
#[derive(Debug, Clone)]
pub struct Members {
    stride: usize,
    nets: Nets,
    /// Each member's vote weight (from its accuracy on held-out data).
    vote_weights: Vec<f64>,
    /// Each member's last answer (probability of regime 1); 0.5 before its first evaluation.
    latest: Vec<f64>,
    samples_seen: u64,
    evaluations: u64,
}

/// How the members are made and trained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberConfig {
    /// Members.
    pub count: usize,
    /// Samples between two evaluations of a member.
    pub stride: usize,
    /// Samples between a member's two readings of a channel.
    pub lag: usize,
    /// iRPROP- epochs per member (0: untrained, seeded random weights).
    pub epochs: u32,
}

impl Members {
    /// Members in the swarm.
    pub fn len(&self) -> usize {
        self.nets.slices.len()
    }

    /// True without members.
    pub fn is_empty(&self) -> bool {
        self.nets.slices.is_empty()
    }

    /// Each member's vote weight.
    pub fn vote_weights(&self) -> &[f64] {
        &self.vote_weights
    }

    /// Each member's last answer (probability of regime 1).
    pub fn latest(&self) -> &[f64] {
        &self.latest
    }

    /// Member evaluations so far.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Samples between two evaluations of a member.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Member `i`'s network (for checks against ruv-fann).
    pub fn member_net(&self, i: usize) -> Result<PackedNet, NetError> {
        let mut net = PackedNet::zeros(&member_spec())?;
        net.set_weights(&self.nets.weights[i * MEMBER_WEIGHTS..][..MEMBER_WEIGHTS])?;
        Ok(net)
    }

    /// Takes the next sample of every channel, evaluates the members due at it and returns
    /// the vote's sums over every member, added in member order.
    pub fn step(&mut self, values: &[f64]) -> VoteSums {
        let everyone = 0..self.len();
        self.step_parts(values, everyone, &mut [] as &mut [NoRemote])
            .expect("without remotes nothing can fail")
    }

    /// As [`Members::step`], with the members in `local` evaluated here and every other
    /// member's answer read from the `remotes` that own them (other workers; see
    /// [`crate::swarm::shards`]). Together `local` and the remotes' ranges must cover every
    /// member. Fails when a remote cannot answer.
    pub fn step_parts(
        &mut self,
        values: &[f64],
        local: std::ops::Range<usize>,
        remotes: &mut [impl RemotePart],
    ) -> Result<VoteSums, PartError> {
        if let Some(k) = self.push(values) {
            self.evaluations += self.due(k, 0..self.len()).len() as u64;
            let start = self.first_due(k, local.start);
            if start < local.end {
                let ctx = self.nets.at(k);
                ctx.eval_run(start, &mut self.latest[start..local.end], self.stride);
            }
            for remote in remotes {
                let range = remote.range();
                for (i, &answer) in self.due(k, range).zip(remote.answers(k)?) {
                    self.latest[i] = answer;
                }
            }
        }
        Ok(self.sums())
    }

    /// Takes the next sample of every channel into the ring; returns its index `k` when the
    /// members read it (once `lag` samples have passed; before, a member would read before
    /// the start).
    pub fn push(&mut self, values: &[f64]) -> Option<u64> {
        let (channels, lag) = (self.nets.channels, self.nets.lag as u64);
        debug_assert_eq!(values.len(), channels);
        let k = self.samples_seen;
        let slot = (k % (lag + 1)) as usize;
        self.nets.ring[slot * channels..][..channels].copy_from_slice(values);
        self.samples_seen += 1;
        (k >= lag).then_some(k)
    }

    /// Evaluates the members of `part` due at sample `k` (the one [`Members::push`] returned
    /// last), in member order, into `out[0], out[1], ...`.
    pub fn eval_due(&self, k: u64, part: std::ops::Range<usize>, out: &mut [f64]) {
        let ctx = self.nets.at(k);
        for (i, slot) in self.due(k, part).zip(out) {
            *slot = ctx.eval(i);
        }
    }

    /// The vote's sums over every member's latest answer, added in member order.
    fn sums(&self) -> VoteSums {
        let mut sums = VoteSums::default();
        for (&p, &w) in self.latest.iter().zip(&self.vote_weights) {
            sums.add(p, w);
        }
        sums
    }

    /// The members of `part` due at sample `k`, in member order.
    fn due(
        &self,
        k: u64,
        part: std::ops::Range<usize>,
    ) -> std::iter::StepBy<std::ops::Range<usize>> {
        (self.first_due(k, part.start)..part.end).step_by(self.stride)
    }

    /// The first member from `from` on that is due at sample `k`: `(k + i) mod stride = 0`.
    fn first_due(&self, k: u64, from: usize) -> usize {
        let s = self.stride as u64;
        from + ((s - (k + from as u64) % s) % s) as usize
    }

    /// What evaluating a member at the current sample needs (for tests and checks).
    fn context_now(&self) -> EvalContext<'_> {
        self.nets.at(self.samples_seen.saturating_sub(1))
    }

    /// Evaluates member `i` on its slice at the current sample (for tests and checks).
    pub fn eval_member(&self, i: usize) -> f64 {
        self.context_now().eval(i)
    }

    /// Member `i`'s inputs at the current sample.
    pub fn member_input(&self, i: usize) -> [f64; 4] {
        self.context_now().input(i)
    }
}

/// The two sigmoid outputs as a probability of regime 1.
#[inline]
pub fn probability(y0: f64, y1: f64) -> f64 {
    let total = y0 + y1;
    if total > 0.0 {
        y1 / total
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use crate::swarm::stream::{RegimeStream, StreamSpec};

    fn spec() -> StreamSpec {
        StreamSpec {
            channels: 8,
            dt: 1e-3,
            shift_every: 0.1,
            offset: 0.5,
            clutter: 1.0,
            sigma: 0.5,
            drift: 0.0,
            anomaly_rate: 0.0,
        }
    }

    fn history(samples: usize, seed: u64) -> History {
        let mut stream = RegimeStream::new(spec(), seed, Stream::TrainingNoise);
        let mut h = History {
            channels: 8,
            ..History::default()
        };
        for _ in 0..samples {
            h.regimes.push(stream.next_sample().regime);
            h.values.extend_from_slice(stream.values());
        }
        h
    }

    fn config(count: usize, epochs: u32) -> MemberConfig {
        MemberConfig {
            count,
            stride: 4,
            lag: 3,
            epochs,
        }
    }

    #[test]
    fn a_member_computes_what_its_packed_net_computes() {
        let h = history(200, 1);
        let mut m = Members::train(config(6, 5), 8, &h, 2).unwrap();
        let mut stream = RegimeStream::new(spec(), 1, Stream::StreamNoise);
        for _ in 0..10 {
            stream.next_sample();
            m.step(stream.values());
        }
        for i in 0..m.len() {
            let mut net = m.member_net(i).unwrap();
            let y = net.forward(&m.member_input(i)).unwrap().to_vec();
            assert_eq!(m.eval_member(i), probability(y[0], y[1]), "member {i}");
        }
    }

    #[test]
    fn time_division_evaluates_each_member_every_stride_samples_at_its_phase() {
        let h = history(50, 1);
        let mut m = Members::train(config(10, 0), 8, &h, 2).unwrap();
        let mut stream = RegimeStream::new(spec(), 1, Stream::StreamNoise);
        // Samples 0..2 fill the lag: nothing evaluated.
        for _ in 0..3 {
            stream.next_sample();
            m.step(stream.values());
        }
        assert_eq!(m.evaluations(), 0);
        assert!(m.latest().iter().all(|&p| p == 0.5));
        // Sample 3: members i with (3 + i) % 4 == 0 -> 1, 5, 9.
        stream.next_sample();
        m.step(stream.values());
        let changed: Vec<usize> = (0..10).filter(|&i| m.latest()[i] != 0.5).collect();
        assert_eq!(changed, vec![1, 5, 9]);
        assert_eq!(m.evaluations(), 3);
        // Over 4 more samples every member is evaluated once more: 10 evaluations.
        for _ in 0..4 {
            stream.next_sample();
            m.step(stream.values());
        }
        assert_eq!(m.evaluations(), 13);
    }

    #[test]
    fn trained_members_beat_chance_and_the_vote_beats_most_members() {
        let h = history(1200, 3);
        let m = Members::train(config(24, 40), 8, &h, 4).unwrap();
        let better = m.vote_weights().iter().filter(|&&w| w > 0.1).count();
        assert!(better >= 18, "{:?}", m.vote_weights());
    }

    /// A part evaluated by a runner in this thread, block by block.
    struct Runner(crate::swarm::shards::ShardRunner);

    impl crate::swarm::shards::BlockSource for Runner {
        fn next_block(&mut self, out: &mut [f64]) -> Result<(), PartError> {
            self.0.fill_block(out);
            Ok(())
        }
    }

    #[test]
    fn parts_evaluated_elsewhere_change_no_bit_of_the_vote() {
        use crate::swarm::shards::{member_ranges, BlockLayout, RemoteShard, ShardRunner};
        let h = history(300, 5);
        let trained = Members::train(config(37, 5), 8, &h, 6).unwrap();
        let stream = || RegimeStream::new(spec(), 5, Stream::StreamNoise);
        let run = |parts: usize| {
            let ranges = member_ranges(37, parts);
            let mut remotes: Vec<RemoteShard> = ranges[1..]
                .iter()
                .map(|r| {
                    // Each part trains only its own members, from the same seeded draws.
                    let own = Members::train_part(config(37, 5), 8, &h, 6, r.clone()).unwrap();
                    let runner = ShardRunner::new(stream(), own, r.clone());
                    let layout = BlockLayout::new(r.len(), 4);
                    RemoteShard::new(r.clone(), layout, Box::new(Runner(runner)))
                })
                .collect();
            let mut m = trained.clone();
            let mut s = stream();
            let votes: Vec<_> = (0..2500)
                .map(|_| {
                    s.next_sample();
                    let sums = m.step_parts(s.values(), ranges[0].clone(), &mut remotes);
                    sums.unwrap().vote().unwrap()
                })
                .collect();
            (votes, m.evaluations())
        };
        let one = run(1);
        for parts in [2, 3, 4, 16, 37] {
            assert_eq!(run(parts), one, "{parts} parts");
        }
    }
}
