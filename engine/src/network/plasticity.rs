//! Pair-based additive STDP on a projection, with all-to-all pairing through traces, as
//! Brian2's `examples/synapses/STDP.py` (Song, Miller & Abbott 2000):
//! - a presynaptic spike arriving at step s: the target takes the weight, then
//!   `Apre += a_pre`, `w = clip(w + Apost, 0, w_max)`;
//! - a postsynaptic spike: `Apost += a_post`, `w = clip(w + Apre, 0, w_max)`;
//! - the traces decay with `tau_pre`, `tau_post` between events.
//!
//! Brian2 keeps the traces per synapse; with one delay per projection a synapse's `Apre`
//! depends on its source's arrivals only and its `Apost` on its target's spikes only, so one
//! trace per neuron is the same number.

#[cfg(test)]
use super::connect::Targets;
use super::connect::{PerSynapse, Synapses};
use super::spec::StdpSpec;
use crate::models::stdp::Decay;

/// A trace per neuron, updated at its events.
#[derive(Debug, Clone)]
struct Traces {
    value: Vec<f64>,
    last: Vec<u64>,
    decay: Decay,
}

impl Traces {
    fn new(n: usize, decay: Decay) -> Self {
        Traces {
            value: vec![0.0; n],
            last: vec![0; n],
            decay,
        }
    }

    /// Neuron i's trace at `step`.
    #[inline]
    fn at(&self, i: usize, step: u64) -> f64 {
        self.value[i] * self.decay.over(step - self.last[i])
    }

    /// Adds `a` to neuron i's trace at `step`.
    #[inline]
    fn bump(&mut self, i: usize, step: u64, a: f64) {
        self.value[i] = self.at(i, step) + a;
        self.last[i] = step;
    }
}

/// A projection's plasticity state.
#[derive(Debug, Clone)]
pub struct Stdp {
    spec: StdpSpec,
    pre: Traces,
    post: Traces,
    /// Target j's incoming synapses: `incoming[incoming_offsets[j]..incoming_offsets[j + 1]]`.
    incoming_offsets: Vec<usize>,
    incoming: Vec<u32>,
    /// The source of each synapse (for the postsynaptic update).
    source_of: Vec<u32>,
    /// Weight updates done (both kinds).
    pub updates: u64,
}

impl Stdp {
    /// Plasticity of `synapses` from `ns` sources onto `nt` targets.
    pub fn new(spec: StdpSpec, synapses: &Synapses, (ns, nt): (usize, usize), dt: f64) -> Self {
        let mut counts = vec![0usize; nt + 1];
        synapses
            .targets
            .each(0..synapses.len(), |_, j| counts[j + 1] += 1);
        for j in 0..nt {
            counts[j + 1] += counts[j];
        }
        let incoming_offsets = counts.clone();
        let mut fill = counts;
        let mut incoming = vec![0u32; synapses.len()];
        let mut source_of = vec![0u32; synapses.len()];
        for i in 0..ns {
            synapses.targets.each(synapses.row(i), |k, j| {
                incoming[fill[j]] = k as u32;
                fill[j] += 1;
                source_of[k] = i as u32;
            });
        }
        Stdp {
            spec,
            pre: Traces::new(ns, Decay::new(spec.tau_pre, dt)),
            post: Traces::new(nt, Decay::new(spec.tau_post, dt)),
            incoming_offsets,
            incoming,
            source_of,
            updates: 0,
        }
    }

    /// Source `i`'s spike arrives at `step`: each target takes its synapse's weight (through
    /// `deliver(target, w)`), then the weights are potentiated or depressed.
    pub fn on_pre(
        &mut self,
        i: usize,
        step: u64,
        synapses: &mut Synapses,
        mut deliver: impl FnMut(usize, f64),
    ) {
        self.pre.bump(i, step, self.spec.a_pre);
        let range = synapses.row(i);
        let PerSynapse::Each(weights) = &mut synapses.weights else {
            unreachable!("plastic projections keep a weight per synapse")
        };
        let (post, w_max) = (&self.post, self.spec.w_max);
        synapses.targets.each(range, |k, j| {
            deliver(j, weights[k]);
            weights[k] = (weights[k] + post.at(j, step)).clamp(0.0, w_max);
        });
        self.updates += 1;
    }

    /// Target `j` spiked at `step`.
    pub fn on_post(&mut self, j: usize, step: u64, synapses: &mut Synapses) {
        self.post.bump(j, step, self.spec.a_post);
        let PerSynapse::Each(weights) = &mut synapses.weights else {
            unreachable!("plastic projections keep a weight per synapse")
        };
        for &k in &self.incoming[self.incoming_offsets[j]..self.incoming_offsets[j + 1]] {
            let k = k as usize;
            let i = self.source_of[k] as usize;
            weights[k] = (weights[k] + self.pre.at(i, step)).clamp(0.0, self.spec.w_max);
        }
        self.updates += 1;
    }

    /// The largest weight.
    pub fn w_max(&self) -> f64 {
        self.spec.w_max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Stdp, Synapses) {
        let synapses = Synapses {
            offsets: vec![0, 1],
            targets: Targets::Narrow(vec![0]),
            weights: PerSynapse::Each(vec![0.5]),
            delays: PerSynapse::Same(0),
        };
        let spec = StdpSpec {
            tau_pre: 0.02,
            tau_post: 0.02,
            a_pre: 0.01,
            a_post: -0.0105,
            w_max: 1.0,
        };
        (Stdp::new(spec, &synapses, (1, 1), 1e-4), synapses)
    }

    fn weight(s: &Synapses) -> f64 {
        s.weights.get(0)
    }

    #[test]
    fn pre_before_post_potentiates_by_the_decayed_trace_and_post_before_pre_depresses() {
        // Pre at step 0, post 100 steps (10 ms) later: dw = a_pre exp(-10/20).
        let (mut stdp, mut syn) = pair();
        let mut taken = Vec::new();
        stdp.on_pre(0, 0, &mut syn, |j, w| taken.push((j, w)));
        assert_eq!(
            taken,
            vec![(0, 0.5)],
            "the target takes the weight before the update"
        );
        stdp.on_post(0, 100, &mut syn);
        let expected = 0.5 + 0.01 * libm::exp(-100.0 * 1e-4 / 0.02);
        assert!((weight(&syn) - expected).abs() < 1e-15, "{}", weight(&syn));
        // Post at 0, pre 10 ms later: dw = a_post exp(-1/2).
        let (mut stdp, mut syn) = pair();
        stdp.on_post(0, 0, &mut syn);
        stdp.on_pre(0, 100, &mut syn, |_, _| {});
        let expected = 0.5 - 0.0105 * libm::exp(-0.5);
        assert!((weight(&syn) - expected).abs() < 1e-15);
        // Weights stay in [0, w_max].
        let (mut stdp, mut syn) = pair();
        for step in 0..1000 {
            stdp.on_pre(0, step * 1000, &mut syn, |_, _| {});
            stdp.on_post(0, step * 1000 + 1, &mut syn);
        }
        assert_eq!(weight(&syn), 1.0);
        assert_eq!(stdp.updates, 2000);
    }
}
