//! Named random streams. Every random draw of a run comes from the run's seed and one of these
//! streams (ChaCha8 has 2^64 independent streams per key; the key is the seed): one stream per
//! independent purpose. So two parts of a model never see correlated numbers by sharing a
//! sequence, and a change in how much one part draws (more inputs, a longer training) never
//! shifts the numbers another part sees.
//!
//! ChaCha8 is a fixed algorithm (unlike `StdRng`), so the same seed gives the same numbers
//! natively and in wasm32.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a stream of random numbers is for. The discriminant is the ChaCha stream number: never
/// reuse or renumber one (it would change every run that draws from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The scheduler's, handed to tasks as they run (`TaskContext::rng`): the random walk's
    /// steps.
    Scheduler = 0,
    /// Spike times of Poisson input sources.
    InputSpikes = 1,
    /// What is fed to a network besides its signal: predict's sensor noise, xor's choice of
    /// pattern and its input noise.
    InputNoise = 2,
    /// Initial synaptic weights (stdp, multirate-stdp) and a network's initial weights (xor,
    /// predict, divergence, each swarm member).
    InitialWeights = 3,
    /// The swarm stream's signature: each regime's channel offsets and clutter frequencies, the
    /// channels' phases.
    StreamSignature = 4,
    /// The swarm stream's noise and anomalies during the run.
    StreamNoise = 5,
    /// The noise and anomalies of the stream the swarm is trained on (same signature).
    TrainingNoise = 6,
    /// Which two channels each swarm member reads.
    MemberSlices = 7,
    /// The swarm backstop's initial weights.
    BackstopWeights = 8,
}

/// Streams of a network (`crate::network`), one per population or projection: the stream
/// number is the kind's in the high 32 bits and the part's index in the low ones, so no two
/// parts (and no part and a [`Stream`]) share numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStream {
    /// Which pairs a projection connects.
    Connectivity = 1,
    /// A projection's weights and delays.
    SynapseValues = 2,
    /// A population's initial state.
    InitialState = 3,
    /// A population's Poisson spikes (its sources, or the Poisson input of its neurons).
    PoissonSpikes = 4,
}

/// The generator of `stream` for part `index` of a network, in a run of `seed`.
pub fn part_rng(seed: u64, stream: PartStream, index: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((stream as u64) << 32) | u64::from(index));
    rng
}

/// A standard normal draw by Box-Muller (one of the pair; simplicity over speed), through
/// `libm`: rand_distr's normal sampler uses std's `exp`/`ln`, whose last bits differ between
/// native and wasm32.
pub fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    use rand::Rng;
    // u1 in (0, 1]: never ln(0).
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
}

/// The generator of `stream` for a run of `seed`.
pub fn rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_of_one_seed_differ_and_repeat() {
        let first = |stream| rng(7, stream).random::<u64>();
        let all = [
            Stream::Scheduler,
            Stream::InputSpikes,
            Stream::InputNoise,
            Stream::InitialWeights,
            Stream::StreamSignature,
            Stream::StreamNoise,
            Stream::TrainingNoise,
            Stream::MemberSlices,
            Stream::BackstopWeights,
        ];
        let draws: Vec<u64> = all.iter().map(|&s| first(s)).collect();
        for (i, a) in draws.iter().enumerate() {
            assert_eq!(*a, first(all[i]), "a stream repeats for its seed");
            for b in &draws[i + 1..] {
                assert_ne!(a, b, "streams differ");
            }
        }
        // Stream 0 is the seed's default stream: the scheduler's numbers are those of
        // `seed_from_u64` alone.
        assert_eq!(
            rng(7, Stream::Scheduler).random::<u64>(),
            ChaCha8Rng::seed_from_u64(7).random::<u64>()
        );
        assert_ne!(
            first(Stream::InputSpikes),
            rng(8, Stream::InputSpikes).random::<u64>()
        );
    }
}
