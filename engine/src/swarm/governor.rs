//! The temporal governor: per window, the swarm's answer, its confidence and continuity, the
//! escalation rule, the backstop, and the prior fed back from the backstop.
//!
//! - Window distribution `P_w`: the mean over the window's samples of the (prior-blended)
//!   vote, as a distribution over the two regimes; its confidence is the mean of the samples'
//!   95 % bounds for the winner (see [`super::ensemble`]).
//! - Continuity: `JSD(P_w, P_{w-1})` in bits between consecutive (overlapping) windows.
//! - Escalation: a window is escalated when its confidence is below `confidence_min` or the
//!   JSD exceeds `jsd_max`. The truth is not used: it is unknown online; the residual against
//!   it is measured, not acted on.
//! - Backstop: a larger ruv-FANN network (all channels, now and `lag` ago, two hidden layers)
//!   trained offline, evaluated on every sample of an escalated window. Its window
//!   distribution decides the window, and becomes a prior `pi` for the swarm: later samples
//!   vote `(1 - beta) p + beta pi1`, with `beta = prior_weight` after an escalation, multiplied
//!   by `prior_decay` at each window without one.
//! - Baseline: the backstop is also run on every window (that is the always-escalate
//!   baseline), counted apart, to measure accuracy against it and the compute the swarm saves.
//!   Compute is counted in multiply-adds (biases included), deterministic; wall time is in the
//!   benchmarks.

use crate::fann::{
    Activation, Algorithm, Examples, Guard, GuardKind, NetError, NetSpec, PackedNet, Trainer,
};
use crate::rng::{self, Stream};
use crate::swarm::ensemble::{jensen_shannon, Vote};
use crate::swarm::members::{probability, History, MEMBER_WEIGHTS};

/// What the governor decided for one window.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The window's distribution over the two regimes (prior-blended swarm vote).
    pub distribution: [f64; 2],
    /// Lower 95 % bound of the winning regime's probability.
    pub confidence: f64,
    /// Jensen-Shannon divergence to the previous window's distribution, bits (none for the
    /// first window).
    pub jsd: Option<f64>,
    /// Why the window was escalated to the backstop, if it was.
    pub escalated: Option<String>,
    /// The swarm's label.
    pub swarm_label: u8,
    /// The backstop's label (computed for every window: the always-escalate baseline).
    pub backstop_label: u8,
    /// The label given: the backstop's if escalated, else the swarm's.
    pub label: u8,
}

/// Multiply-adds per member evaluation (its weights, biases included).
pub const MEMBER_MACS: u64 = MEMBER_WEIGHTS as u64;

/// The escalation rule and the prior's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Escalate below this confidence (lower 95 % bound of the winner's probability).
    pub confidence_min: f64,
    /// Escalate above this JSD between consecutive windows, bits.
    pub jsd_max: f64,
    /// The backstop's prior weight right after an escalation.
    pub prior_weight: f64,
    /// The prior weight's factor per window without an escalation.
    pub prior_decay: f64,
}

/// The backstop network and what it reads.
#[derive(Debug, Clone)]
pub struct Backstop {
    net: PackedNet,
    channels: usize,
    lag: usize,
    input: Vec<f64>,
}

impl Backstop {
    /// Trains a `[2 channels, hidden, hidden, 2]` network on `history` (iRPROP-, `epochs`).
    pub fn train(
        history: &History,
        lag: usize,
        hidden: usize,
        epochs: u32,
        seed: u64,
    ) -> Result<Backstop, NetError> {
        let channels = history.channels;
        let spec = NetSpec {
            layers: vec![2 * channels, hidden, hidden, 2],
            hidden: Activation::ReluLeaky,
            output: Activation::Sigmoid,
            steepness: 1.0,
        };
        let mut rng = rng::rng(seed, Stream::BackstopWeights);
        let mut net = PackedNet::from_network(&spec.build(0.3, &mut rng)?)?;
        let mut backstop = Backstop {
            input: vec![0.0; 2 * channels],
            net: PackedNet::zeros(&spec)?,
            channels,
            lag,
        };
        if epochs > 0 && history.len() > lag {
            let rows: Vec<(Vec<f64>, [f64; 2])> = (lag..history.len())
                .map(|k| {
                    let now = &history.values[k * channels..][..channels];
                    let before = &history.values[(k - lag) * channels..][..channels];
                    let target = if history.regimes[k] == 1 {
                        [0.0, 1.0]
                    } else {
                        [1.0, 0.0]
                    };
                    ([now, before].concat(), target)
                })
                .collect();
            let pairs: Vec<(&[f64], &[f64])> = rows.iter().map(|(x, t)| (&x[..], &t[..])).collect();
            let examples = Examples::new(&pairs, 2 * channels, 2)?;
            let mut trainer = Trainer::new(Algorithm::Rprop, &net)?;
            let mut guard = Guard::new(GuardKind::None, &net);
            for _ in 0..epochs {
                trainer.train_epoch(&mut net, &examples, &mut guard);
            }
        }
        backstop.net = net;
        Ok(backstop)
    }

    /// Multiply-adds per evaluation.
    pub fn macs(&self) -> u64 {
        self.net.weights().len() as u64
    }

    /// The probability of regime 1 from every channel now (`now`) and `lag` samples before.
    pub fn eval(&mut self, now: &[f64], before: &[f64]) -> f64 {
        self.input[..self.channels].copy_from_slice(now);
        self.input[self.channels..].copy_from_slice(before);
        let y = self.net.forward_unchecked(&self.input);
        probability(y[0], y[1])
    }

    /// Samples between the backstop's two readings of a channel.
    pub fn lag(&self) -> usize {
        self.lag
    }
}

/// The governor's memory between windows.
#[derive(Debug, Clone)]
pub struct Governor {
    /// The rule (live).
    pub policy: Policy,
    previous: Option<[f64; 2]>,
    prior: [f64; 2],
    beta: f64,
}

impl Governor {
    /// A governor with no history and no prior.
    pub fn new(policy: Policy) -> Self {
        Governor {
            policy,
            previous: None,
            prior: [0.5, 0.5],
            beta: 0.0,
        }
    }

    /// The vote blended with the current prior.
    pub fn blend(&self, vote: Vote) -> Vote {
        let (b, pi) = (self.beta, self.prior[1]);
        Vote {
            p1: (1.0 - b) * vote.p1 + b * pi,
            low: (1.0 - b) * vote.low + b * pi,
            high: (1.0 - b) * vote.high + b * pi,
        }
    }

    /// The prior's current weight.
    pub fn prior_weight(&self) -> f64 {
        self.beta
    }

    /// Decides a window from its samples' blended votes and the backstop's window
    /// distribution (probability of regime 1).
    pub fn decide(&mut self, votes: &[Vote], backstop_p1: f64) -> Decision {
        let n = votes.len().max(1) as f64;
        let p1 = votes.iter().map(|v| v.p1).sum::<f64>() / n;
        let low = votes.iter().map(|v| v.low).sum::<f64>() / n;
        let high = votes.iter().map(|v| v.high).sum::<f64>() / n;
        let window = Vote { p1, low, high };
        let distribution = [1.0 - p1, p1];
        let confidence = window.confidence();
        let jsd = self
            .previous
            .map(|prev| jensen_shannon(&prev, &distribution));
        self.previous = Some(distribution);
        let policy = self.policy;
        let escalated = if confidence < policy.confidence_min {
            Some(format!(
                "confidence {confidence:.3} < {:.3}",
                policy.confidence_min
            ))
        } else {
            jsd.filter(|&d| d > policy.jsd_max)
                .map(|d| format!("JSD {d:.3} bits > {:.3}", policy.jsd_max))
        };
        let backstop_label = u8::from(backstop_p1 > 0.5);
        let swarm_label = window.winner();
        let label = if escalated.is_some() {
            self.prior = [1.0 - backstop_p1, backstop_p1];
            self.beta = policy.prior_weight;
            backstop_label
        } else {
            self.beta *= policy.prior_decay;
            swarm_label
        };
        Decision {
            distribution,
            confidence,
            jsd,
            escalated,
            swarm_label,
            backstop_label,
            label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            confidence_min: 0.7,
            jsd_max: 0.1,
            prior_weight: 0.5,
            prior_decay: 0.5,
        }
    }

    fn sure(p1: f64) -> Vote {
        Vote {
            p1,
            low: p1,
            high: p1,
        }
    }

    #[test]
    fn confident_continuous_windows_stay_with_the_swarm() {
        let mut g = Governor::new(policy());
        let d = g.decide(&[sure(0.9), sure(0.95)], 0.2);
        assert_eq!((d.label, d.swarm_label, d.backstop_label), (1, 1, 0));
        assert_eq!(d.escalated, None);
        assert_eq!(d.jsd, None);
        let d = g.decide(&[sure(0.92)], 0.9);
        assert!(d.jsd.unwrap() < 1e-3 && d.escalated.is_none());
    }

    #[test]
    fn low_confidence_or_a_jump_escalates_and_the_backstop_becomes_a_decaying_prior() {
        let mut g = Governor::new(policy());
        g.decide(&[sure(0.1)], 0.1);
        // A wide interval: confidence = 1 - mean high = 0.45 < 0.7.
        let wide = Vote {
            p1: 0.3,
            low: 0.1,
            high: 0.55,
        };
        let d = g.decide(&[wide], 0.8);
        assert_eq!(d.escalated.as_deref(), Some("confidence 0.450 < 0.700"));
        assert_eq!(d.label, 1, "the backstop decides");
        // The prior now pulls the swarm halfway to the backstop's 0.8...
        assert!((g.blend(sure(0.2)).p1 - 0.5).abs() < 1e-12);
        // ...and a sure jump (JSD from (0.7, 0.3) to (0.1, 0.9)) escalates on continuity.
        let d = g.decide(&[g.blend(sure(1.0))], 0.95);
        assert!(d.escalated.unwrap().starts_with("JSD "), "{:?}", d.jsd);
        // A quiet window halves the prior weight.
        g.decide(&[g.blend(sure(0.97))], 0.97);
        assert!((g.prior_weight() - 0.25).abs() < 1e-12);
    }
}
