//! Building and training the members: each gets a seeded slice of two channels and seeded
//! initial weights, is trained with iRPROP- on the first three quarters of a training stream
//! and given a vote weight from its accuracy on the rest (held out).

use super::eval::{member_input, Nets};
use super::{
    member_spec, probability, History, MemberConfig, Members, MEMBER_WEIGHTS, MIN_VOTE_WEIGHT,
};
use crate::fann::{Algorithm, Examples, Guard, GuardKind, NetError, PackedNet, Trainer};
use crate::rng::{self, Stream};
use rand::Rng;

impl Members {
    /// Builds `config.count` members over a stream of `channels` channels, each with a seeded
    /// slice and initial weights, trained on the first part of `history` and weighted by its
    /// accuracy on the rest.
    pub fn train(
        config: MemberConfig,
        channels: usize,
        history: &History,
        seed: u64,
    ) -> Result<Members, NetError> {
        Self::train_part(config, channels, history, seed, 0..config.count)
    }

    /// As [`Members::train`], but trains and weighs only the members in `part` (a helper
    /// worker's share, see [`crate::swarm::shards`]): the others get their slices and initial
    /// weights from the same seeded draws, so the part's members come out the same as in a
    /// full build, and the others' vote weights are left at the minimum.
    pub fn train_part(
        config: MemberConfig,
        channels: usize,
        history: &History,
        seed: u64,
        part: std::ops::Range<usize>,
    ) -> Result<Members, NetError> {
        let MemberConfig {
            count,
            stride,
            lag,
            epochs,
        } = config;
        let spec = member_spec();
        // Slices and weights from streams of their own: a member's weights do not depend on
        // how many channels there are to pick from.
        let mut slices_rng = rng::rng(seed, Stream::MemberSlices);
        let mut weights_rng = rng::rng(seed, Stream::InitialWeights);
        let split = history.len() * 3 / 4;
        let mut weights = Vec::with_capacity(count * MEMBER_WEIGHTS);
        let mut slices = Vec::with_capacity(count);
        let mut vote_weights = Vec::with_capacity(count);
        for i in 0..count {
            let a = slices_rng.random_range(0..channels);
            let b = (a + slices_rng.random_range(1..channels.max(2))) % channels;
            let slice = [a, b];
            let mut net = PackedNet::from_network(&spec.build(0.5, &mut weights_rng)?)?;
            if !part.contains(&i) {
                weights.extend_from_slice(net.weights());
                slices.push(slice);
                vote_weights.push(MIN_VOTE_WEIGHT);
                continue;
            }
            let examples = |range: std::ops::Range<usize>| -> Result<Examples, NetError> {
                let rows: Vec<([f64; 4], [f64; 2])> = range
                    .filter(|&k| k >= lag)
                    .map(|k| {
                        let x = member_input(|c, back| history.at(k - back, c), slice, lag);
                        let r = history.regimes[k];
                        (x, if r == 1 { [0.0, 1.0] } else { [1.0, 0.0] })
                    })
                    .collect();
                let pairs: Vec<(&[f64], &[f64])> =
                    rows.iter().map(|(x, t)| (&x[..], &t[..])).collect();
                Examples::new(&pairs, 4, 2)
            };
            if epochs > 0 && split > lag {
                let train = examples(0..split)?;
                let mut trainer = Trainer::new(Algorithm::Rprop, &net)?;
                let mut guard = Guard::new(GuardKind::None, &net);
                for _ in 0..epochs {
                    trainer.train_epoch(&mut net, &train, &mut guard);
                }
            }
            let accuracy = if history.len() > split + lag {
                let held_out = examples(split..history.len())?;
                let right = (0..held_out.len())
                    .filter(|&i| {
                        let (x, t) = held_out.get(i);
                        let y = net.forward_unchecked(x);
                        (probability(y[0], y[1]) > 0.5) == (t[1] > 0.5)
                    })
                    .count();
                right as f64 / held_out.len().max(1) as f64
            } else {
                0.5
            };
            weights.extend_from_slice(net.weights());
            slices.push(slice);
            vote_weights.push((2.0 * accuracy - 1.0).max(MIN_VOTE_WEIGHT));
        }
        Ok(Members {
            stride,
            nets: Nets {
                lag,
                channels,
                weights,
                slices,
                ring: vec![0.0; (lag + 1) * channels],
            },
            vote_weights,
            latest: vec![0.5; count],
            samples_seen: 0,
            evaluations: 0,
        })
    }
}
