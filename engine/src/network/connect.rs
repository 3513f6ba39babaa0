//! A projection's synapses, drawn from its rule and the run's seed (one random stream per
//! projection for the pairs, another for weights and delays), stored by source neuron
//! (compressed rows): a spike of source i walks `targets[offsets[i]..offsets[i + 1]]`.

use super::draw::{draw, Gaps};
use super::spec::{DelaySpec, DistSpec, ProjSpec};
use crate::rng::{part_rng, PartStream};
use rand::Rng;
use tempora_protocol::model::Connect;

/// One value for every synapse, or one each.
#[derive(Debug, Clone, PartialEq)]
pub enum PerSynapse<T> {
    /// The same for all.
    Same(T),
    /// Synapse k's is `[k]`, in row order.
    Each(Vec<T>),
}

impl<T: Copy> PerSynapse<T> {
    /// Synapse `k`'s value.
    #[inline]
    pub fn get(&self, k: usize) -> T {
        match self {
            PerSynapse::Same(v) => *v,
            PerSynapse::Each(values) => values[k],
        }
    }
}

/// Target neurons of the synapses, in row order: 16 bits each when the target population has
/// at most 65 536 neurons (the common case: half the memory, and half the bytes a spike
/// reads), 32 otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Indices below 2^16.
    Narrow(Vec<u16>),
    /// Any index.
    Wide(Vec<u32>),
}

impl Targets {
    /// The narrowest form that holds indices into a population of `size`.
    pub fn new(indices: Vec<u32>, size: u32) -> Self {
        if size <= 1 << 16 {
            Targets::Narrow(indices.into_iter().map(|j| j as u16).collect())
        } else {
            Targets::Wide(indices)
        }
    }

    /// The number of synapses.
    pub fn len(&self) -> usize {
        match self {
            Targets::Narrow(t) => t.len(),
            Targets::Wide(t) => t.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Synapse `k`'s target.
    #[inline]
    pub fn get(&self, k: usize) -> usize {
        match self {
            Targets::Narrow(t) => t[k] as usize,
            Targets::Wide(t) => t[k] as usize,
        }
    }

    /// Calls `f(k, target)` for the synapses `range` (the form is matched once, not per
    /// synapse).
    #[inline(always)]
    pub fn each(&self, range: std::ops::Range<usize>, mut f: impl FnMut(usize, usize)) {
        let start = range.start;
        match self {
            Targets::Narrow(t) => {
                for (k, &j) in t[range].iter().enumerate() {
                    f(start + k, j as usize);
                }
            }
            Targets::Wide(t) => {
                for (k, &j) in t[range].iter().enumerate() {
                    f(start + k, j as usize);
                }
            }
        }
    }

    /// Bytes per synapse.
    pub fn width(&self) -> usize {
        match self {
            Targets::Narrow(_) => 2,
            Targets::Wide(_) => 4,
        }
    }

    /// The targets of `range` as 32-bit indices.
    pub fn to_vec(&self, range: std::ops::Range<usize>) -> Vec<u32> {
        let mut out = Vec::with_capacity(range.len());
        self.each(range, |_, j| out.push(j as u32));
        out
    }
}

/// A projection's synapses.
#[derive(Debug, Clone, PartialEq)]
pub struct Synapses {
    /// Where each source's row starts; `offsets[n_sources]` is the number of synapses.
    pub offsets: Vec<usize>,
    /// Target neuron of each synapse, ascending within a row.
    pub targets: Targets,
    /// Weights (V or leak conductances).
    pub weights: PerSynapse<f64>,
    /// Delays in steps.
    pub delays: PerSynapse<u16>,
}

impl Synapses {
    /// The number of synapses.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Source `i`'s synapses (their indices).
    #[inline]
    pub fn row(&self, i: usize) -> std::ops::Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }

    /// Bytes of memory it holds.
    pub fn bytes(&self) -> usize {
        let each = |w: usize, per: bool| if per { w } else { 0 };
        self.offsets.len() * 8
            + self.len()
                * (self.targets.width()
                    + each(8, matches!(self.weights, PerSynapse::Each(_)))
                    + each(2, matches!(self.delays, PerSynapse::Each(_))))
    }
}

/// Draws projection `index`'s synapses from `ns` sources onto `nt` targets, for `seed`.
/// `min_delay` steps is the smallest delay the timing convention allows.
pub fn connect(
    proj: &ProjSpec,
    index: u32,
    (ns, nt): (u32, u32),
    seed: u64,
    dt: f64,
    min_delay: u16,
) -> Synapses {
    let mut rng = part_rng(seed, PartStream::Connectivity, index);
    let same = proj.source == proj.target;
    let (offsets, targets) = match proj.connect {
        Connect::FixedProbability { p, allow_self } => {
            let gaps = Gaps::new(p);
            let expected = (p * ns as f64 * nt as f64) as usize;
            let mut targets = Vec::with_capacity(expected + expected / 16 + 16);
            let mut offsets = Vec::with_capacity(ns as usize + 1);
            offsets.push(0);
            for i in 0..ns {
                let mut j = 0u64;
                loop {
                    j = j.saturating_add(gaps.next(&mut rng));
                    if j >= nt as u64 {
                        break;
                    }
                    if allow_self || !same || j != i as u64 {
                        targets.push(j as u32);
                    }
                    j += 1;
                }
                offsets.push(targets.len());
            }
            (offsets, targets)
        }
        Connect::AllToAll { allow_self } => {
            let mut targets = Vec::new();
            let mut offsets = vec![0];
            for i in 0..ns {
                targets.extend((0..nt).filter(|&j| allow_self || !same || j != i));
                offsets.push(targets.len());
            }
            (offsets, targets)
        }
        Connect::OneToOne => ((0..=ns as usize).collect(), (0..ns).collect()),
        Connect::FixedIndegree { k, allow_self } => {
            fixed_indegree(&mut rng, k as u32, (ns, nt), same && !allow_self)
        }
    };
    let mut values = part_rng(seed, PartStream::SynapseValues, index);
    let n = targets.len();
    let weights = match proj.weight {
        DistSpec::Constant(w) => PerSynapse::Same(w),
        dist => PerSynapse::Each((0..n).map(|_| draw(&dist, &mut values)).collect()),
    };
    let steps = |seconds: f64| ((seconds / dt).round() as u16).max(min_delay);
    let delays = match proj.delay {
        DelaySpec::Steps(d) => PerSynapse::Same((d as u16).max(min_delay)),
        DelaySpec::Drawn(dist) => {
            PerSynapse::Each((0..n).map(|_| steps(draw(&dist, &mut values))).collect())
        }
    };
    // A plastic projection's weights change per synapse.
    let weights = match (weights, proj.stdp.is_some()) {
        (PerSynapse::Same(w), true) => PerSynapse::Each(vec![w; n]),
        (w, _) => w,
    };
    Synapses {
        offsets,
        targets: Targets::new(targets, nt),
        weights,
        delays,
    }
}

/// Each target draws `k` distinct sources (Floyd's algorithm; without itself when
/// `exclude_self`), then the pairs are sorted into rows by source.
fn fixed_indegree(
    rng: &mut rand_chacha::ChaCha8Rng,
    k: u32,
    (ns, nt): (u32, u32),
    exclude_self: bool,
) -> (Vec<usize>, Vec<u32>) {
    let pool = if exclude_self { ns - 1 } else { ns };
    let mut chosen = vec![false; pool as usize];
    let mut picked = Vec::with_capacity(k as usize);
    // sources[j * k ..][..k]: target j's sources.
    let mut sources = Vec::with_capacity(k as usize * nt as usize);
    let mut counts = vec![0usize; ns as usize + 1];
    for j in 0..nt {
        picked.clear();
        for r in (pool - k)..pool {
            let t = rng.random_range(0..=r);
            let t = if chosen[t as usize] { r } else { t };
            chosen[t as usize] = true;
            picked.push(t);
        }
        for &t in &picked {
            chosen[t as usize] = false;
            let source = if exclude_self && t >= j { t + 1 } else { t };
            counts[source as usize + 1] += 1;
            sources.push(source);
        }
    }
    for i in 0..ns as usize {
        counts[i + 1] += counts[i];
    }
    let offsets = counts.clone();
    let mut fill = counts;
    let mut targets = vec![0u32; sources.len()];
    // Walking targets in order keeps each row ascending.
    for (pair, &source) in sources.iter().enumerate() {
        let slot = &mut fill[source as usize];
        targets[*slot] = (pair / k as usize) as u32;
        *slot += 1;
    }
    (offsets, targets)
}

/// The number of synapses a projection is expected to have, and a bound it stays below but
/// with negligible probability (mean + 8 sd for Bernoulli pairs), for the memory check.
pub fn expected_synapses(proj: &ProjSpec, (ns, nt): (u32, u32)) -> (f64, f64) {
    let (ns, nt) = (ns as f64, nt as f64);
    let same = proj.source == proj.target;
    let pairs = |allow_self: bool| {
        if same && !allow_self {
            ns * (nt - 1.0)
        } else {
            ns * nt
        }
    };
    match proj.connect {
        Connect::FixedProbability { p, allow_self } => {
            let mean = p * pairs(allow_self);
            (mean, mean + 8.0 * (mean * (1.0 - p)).sqrt() + 8.0)
        }
        Connect::FixedIndegree { k, .. } => (k as f64 * nt, k as f64 * nt),
        Connect::OneToOne => (ns, ns),
        Connect::AllToAll { allow_self } => (pairs(allow_self), pairs(allow_self)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempora_protocol::model::Receptor;

    fn proj(connect: Connect, same: bool) -> ProjSpec {
        ProjSpec {
            name: "p".into(),
            source: 0,
            target: usize::from(!same),
            connect,
            weight: DistSpec::Constant(1e-3),
            delay: DelaySpec::Steps(0),
            receptor: Receptor::Excitatory,
            stdp: None,
        }
    }

    #[test]
    fn fixed_indegree_gives_exactly_k_distinct_inputs_per_target() {
        let rule = Connect::FixedIndegree {
            k: 50,
            allow_self: false,
        };
        let s = connect(&proj(rule, true), 0, (400, 400), 9, 1e-4, 0);
        assert_eq!(s.len(), 50 * 400);
        let mut inputs = vec![Vec::new(); 400];
        for i in 0..400 {
            let row = s.targets.to_vec(s.row(i));
            assert!(
                row.windows(2).all(|w| w[0] < w[1]),
                "rows ascend, no doubles"
            );
            for &j in &row {
                inputs[j as usize].push(i);
            }
        }
        for (j, sources) in inputs.iter().enumerate() {
            assert_eq!(sources.len(), 50, "target {j}");
            assert!(!sources.contains(&j), "no self-connection at {j}");
        }
        // K = all the other sources: every pair but the diagonal.
        let all = Connect::FixedIndegree {
            k: 9,
            allow_self: false,
        };
        let s = connect(&proj(all, true), 0, (10, 10), 9, 1e-4, 0);
        for i in 0..10 {
            let expected: Vec<u32> = (0..10).filter(|&j| j != i).collect();
            assert_eq!(s.targets.to_vec(s.row(i as usize)), expected);
        }
    }

    #[test]
    fn fixed_probability_counts_are_binomial_and_rules_are_exact() {
        // 3200 x 4000 pairs at p = 0.02: mean 256 000, sd sqrt(256000 * 0.98) = 501.
        let rule = Connect::FixedProbability {
            p: 0.02,
            allow_self: true,
        };
        let mut totals = Vec::new();
        for seed in 0..4 {
            let s = connect(&proj(rule.clone(), false), 0, (3200, 4000), seed, 1e-4, 0);
            assert!(
                (s.len() as f64 - 256_000.0).abs() < 4.0 * 501.0,
                "{}",
                s.len()
            );
            totals.push(s.len());
        }
        totals.dedup();
        assert_eq!(totals.len(), 4, "seeds draw different networks");
        let a = connect(&proj(rule.clone(), false), 3, (300, 300), 5, 1e-4, 0);
        assert_eq!(a, connect(&proj(rule, false), 3, (300, 300), 5, 1e-4, 0));
        let no_self = Connect::AllToAll { allow_self: false };
        let s = connect(&proj(no_self, true), 0, (5, 5), 1, 1e-4, 0);
        assert_eq!(s.len(), 20);
        assert!((0..5).all(|i| !s.targets.to_vec(s.row(i)).contains(&(i as u32))));
        let s = connect(&proj(Connect::OneToOne, false), 0, (5, 5), 1, 1e-4, 0);
        assert_eq!(s.targets, Targets::Narrow(vec![0, 1, 2, 3, 4]));
        assert_eq!(s.offsets, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn drawn_delays_land_on_the_grid_and_respect_the_minimum() {
        let mut p = proj(Connect::OneToOne, false);
        p.delay = DelaySpec::Drawn(DistSpec::Uniform(0.0, 2e-3));
        p.weight = DistSpec::Uniform(0.0, 1e-3);
        let s = connect(&p, 0, (1000, 1000), 2, 1e-4, 1);
        let PerSynapse::Each(d) = &s.delays else {
            panic!("per-synapse delays")
        };
        assert!(d.iter().all(|&d| (1..=20).contains(&d)), "{d:?}");
        assert!(d.contains(&20) && d.contains(&1));
        let PerSynapse::Each(w) = &s.weights else {
            panic!("per-synapse weights")
        };
        assert!(w.iter().all(|&w| (0.0..1e-3).contains(&w)));
    }
}
