//! The evaluation kernel: every member's weights in one flat vector and the last `lag + 1`
//! samples in a ring, so evaluating a member walks memory in order and allocates nothing; the
//! forward pass is [`crate::fann::PackedNet::forward`]'s arithmetic for the fixed 4-8-2 shape.

use super::{probability, HIDDEN, HIDDEN_ACTIVATION, MEMBER_WEIGHTS, OUTPUT_ACTIVATION, STEEPNESS};
use crate::fann::dot;

/// What evaluating members reads (apart from `latest`, which evaluations write).
#[derive(Debug, Clone)]
pub(super) struct Nets {
    pub(super) lag: usize,
    pub(super) channels: usize,
    /// `MEMBER_WEIGHTS` per member, member after member.
    pub(super) weights: Vec<f64>,
    /// Each member's two channels.
    pub(super) slices: Vec<[usize; 2]>,
    /// The last `lag + 1` samples of every channel, a ring: `ring[(k % (lag + 1)) * channels + c]`.
    pub(super) ring: Vec<f64>,
}

impl Nets {
    /// The view for evaluating members at sample `k`.
    pub(super) fn at(&self, k: u64) -> EvalContext<'_> {
        EvalContext { nets: self, k }
    }
}

/// What evaluating a member at one sample needs.
pub(super) struct EvalContext<'a> {
    nets: &'a Nets,
    k: u64,
}

impl EvalContext<'_> {
    /// Evaluates members `start, start + stride, ...` into `out[0], out[stride], ...`.
    pub(super) fn eval_run(&self, start: usize, out: &mut [f64], stride: usize) {
        for (offset, slot) in out.iter_mut().enumerate().step_by(stride) {
            *slot = self.eval(start + offset);
        }
    }

    /// Member `i`'s inputs at sample `k`, from the ring.
    #[inline]
    pub(super) fn input(&self, i: usize) -> [f64; 4] {
        let Nets {
            ring,
            channels,
            lag,
            slices,
            ..
        } = self.nets;
        let k = self.k;
        member_input(
            |c, back| ring[((k - back as u64) % (*lag as u64 + 1)) as usize * channels + c],
            slices[i],
            *lag,
        )
    }

    #[inline]
    pub(super) fn eval(&self, i: usize) -> f64 {
        forward(
            &self.nets.weights[i * MEMBER_WEIGHTS..][..MEMBER_WEIGHTS],
            &self.input(i),
        )
    }
}

/// A member's input: `[a now, a lag ago, b now, b lag ago]`, reading `value(channel, back)`.
#[inline]
pub(super) fn member_input(
    value: impl Fn(usize, usize) -> f64,
    [a, b]: [usize; 2],
    lag: usize,
) -> [f64; 4] {
    [value(a, 0), value(a, lag), value(b, 0), value(b, lag)]
}

/// A member's forward pass, [`PackedNet::forward`]'s arithmetic for the fixed 4-8-2 shape
/// (weights in ruv-fann's order: per neuron its inputs' weights, then its bias), as the
/// probability of regime 1.
#[inline]
fn forward(w: &[f64], x: &[f64; 4]) -> f64 {
    let mut hidden = [0.0; HIDDEN];
    for (h, row) in hidden.iter_mut().zip(w[..5 * HIDDEN].chunks_exact(5)) {
        *h = HIDDEN_ACTIVATION.apply(dot(&row[..4], x) + row[4], STEEPNESS);
    }
    let out = &w[5 * HIDDEN..];
    let y0 = OUTPUT_ACTIVATION.apply(dot(&out[..HIDDEN], &hidden) + out[HIDDEN], STEEPNESS);
    let y1 = OUTPUT_ACTIVATION.apply(
        dot(&out[HIDDEN + 1..2 * HIDDEN + 1], &hidden) + out[2 * HIDDEN + 1],
        STEEPNESS,
    );
    probability(y0, y1)
}
