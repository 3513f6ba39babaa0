//! A seeded synthetic multichannel stream with known ground truth, for the swarm to read.
//!
//! Two regimes alternate every `shift_every` seconds (regime 0 first). In regime `r`, channel
//! `c` is
//!
//! `x_c(t) = mu[r][c] + A sin(2 pi f[r][c] (1 + drift t) t + phi[c]) + sigma n(t) + a(t)`
//!
//! - `mu[r][c]` = +-`offset` with a seeded sign per (regime, channel): the slow signature of
//!   a regime, weak per channel against the noise, strong over many channels;
//! - a sinusoidal clutter of amplitude `A` (`clutter`): `f[r][c]` uniform in [2, 20] Hz per
//!   (regime, channel), `phi[c]` uniform in [0, 2 pi). Slow against a window, it does not
//!   average out and hides the offsets at some phases: the hard windows away from the shifts;
//! - drift: every frequency drifts by the relative rate `drift` per second (the regimes' fast
//!   signature slowly changes, so what was learnt ages);
//! - `n(t)` standard normal (Box-Muller on the stream's own ChaCha8 RNG, libm);
//! - anomalies: a Poisson process of rate `anomaly_rate` per second; each adds `5` to one
//!   seeded channel for [`ANOMALY_SAMPLES`] samples (ground truth: the anomaly flag).
//!
//! The stream is a pure function of its seed and parameters, sample by sample: two streams
//! built alike produce the same samples bit for bit, natively and in wasm (libm, no std math).

use crate::fann::standard_normal;
use crate::rng::{self, Stream};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Samples an anomaly lasts.
pub const ANOMALY_SAMPLES: u32 = 5;
/// An anomaly's amplitude (in units of the noise-free signal's scale).
pub const ANOMALY_AMPLITUDE: f64 = 5.0;
/// Regimes of the stream (the classes the swarm votes on).
pub const REGIMES: usize = 2;

/// How the stream is made.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamSpec {
    /// Channels.
    pub channels: usize,
    /// Sample period, s.
    pub dt: f64,
    /// Time between regime shifts, s.
    pub shift_every: f64,
    /// |mu|, the regime offset per channel.
    pub offset: f64,
    /// Amplitude of the sinusoidal clutter.
    pub clutter: f64,
    /// Noise standard deviation.
    pub sigma: f64,
    /// Relative frequency drift per second.
    pub drift: f64,
    /// Anomalies per second.
    pub anomaly_rate: f64,
}

/// One sample of every channel and its ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Time of the sample, s.
    pub t: f64,
    /// The regime in force.
    pub regime: u8,
    /// Whether an anomaly is in progress.
    pub anomaly: bool,
}

/// The stream's state: its fixed signature and where it is.
#[derive(Debug, Clone)]
pub struct RegimeStream {
    spec: StreamSpec,
    /// `mu[r * channels + c]`.
    mu: Vec<f64>,
    /// `f[r * channels + c]`, Hz.
    freq: Vec<f64>,
    phase: Vec<f64>,
    rng: ChaCha8Rng,
    index: u64,
    /// Channel and samples left of the anomaly in progress.
    anomaly: Option<(usize, u32)>,
    values: Vec<f64>,
}

impl RegimeStream {
    /// A stream with `spec`; `seed`'s [`Stream::StreamSignature`] fixes its signature, its
    /// `noise` stream the noise and anomalies (a training stream shares the signature and draws
    /// its noise from [`Stream::TrainingNoise`], the run's from [`Stream::StreamNoise`]).
    pub fn new(spec: StreamSpec, seed: u64, noise: Stream) -> Self {
        let mut rng = rng::rng(seed, Stream::StreamSignature);
        let n = spec.channels;
        let mu = (0..REGIMES * n)
            .map(|_| {
                if rng.random::<bool>() {
                    spec.offset
                } else {
                    -spec.offset
                }
            })
            .collect();
        let freq = (0..REGIMES * n)
            .map(|_| rng.random_range(2.0..20.0))
            .collect();
        let phase = (0..n)
            .map(|_| rng.random_range(0.0..std::f64::consts::TAU))
            .collect();
        RegimeStream {
            mu,
            freq,
            phase,
            rng: rng::rng(seed, noise),
            index: 0,
            anomaly: None,
            values: vec![0.0; n],
            spec,
        }
    }

    /// The stream's parameters.
    pub fn spec(&self) -> &StreamSpec {
        &self.spec
    }

    /// The regime in force at `t` seconds.
    pub fn regime_at(&self, t: f64) -> u8 {
        (libm::floor(t / self.spec.shift_every) as u64 % REGIMES as u64) as u8
    }

    /// Produces the next sample; its channel values are in [`RegimeStream::values`].
    pub fn next_sample(&mut self) -> Sample {
        let spec = &self.spec;
        let t = self.index as f64 * spec.dt;
        self.index += 1;
        let regime = self.regime_at(t);
        // Anomalies: a Bernoulli draw per sample approximates the Poisson process (rate * dt << 1).
        if self.anomaly.is_none() && self.rng.random::<f64>() < spec.anomaly_rate * spec.dt {
            self.anomaly = Some((self.rng.random_range(0..spec.channels), ANOMALY_SAMPLES));
        }
        let base = regime as usize * spec.channels;
        let warp = 1.0 + spec.drift * t;
        for c in 0..spec.channels {
            let angle = std::f64::consts::TAU * self.freq[base + c] * warp * t + self.phase[c];
            self.values[c] = self.mu[base + c]
                + spec.clutter * libm::sin(angle)
                + spec.sigma * standard_normal(&mut self.rng);
        }
        let anomaly = match &mut self.anomaly {
            Some((channel, left)) => {
                self.values[*channel] += ANOMALY_AMPLITUDE;
                *left -= 1;
                if *left == 0 {
                    self.anomaly = None;
                }
                true
            }
            None => false,
        };
        Sample { t, regime, anomaly }
    }

    /// Every channel's value at the last sample.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn spec() -> StreamSpec {
        StreamSpec {
            channels: 8,
            dt: 1e-3,
            shift_every: 0.5,
            offset: 0.3,
            clutter: 1.0,
            sigma: 0.5,
            drift: 0.05,
            anomaly_rate: 4.0,
        }
    }

    #[test]
    fn regimes_alternate_at_the_shift_times() {
        let mut s = RegimeStream::new(spec(), 1, Stream::StreamNoise);
        let regimes: Vec<u8> = (0..2000).map(|_| s.next_sample().regime).collect();
        assert!(regimes[..500].iter().all(|&r| r == 0));
        assert!(regimes[500..1000].iter().all(|&r| r == 1));
        assert!(regimes[1000..1500].iter().all(|&r| r == 0));
        assert_eq!(s.regime_at(1.75), 1);
    }

    #[test]
    fn the_regime_offset_shows_in_the_channel_means() {
        // Over a whole regime the sinusoids and the noise average out: the mean is mu.
        let mut s = RegimeStream::new(
            StreamSpec {
                anomaly_rate: 0.0,
                shift_every: 10.0,
                ..spec()
            },
            5,
            Stream::StreamNoise,
        );
        let mut sum = [0.0; 8];
        for _ in 0..10_000 {
            s.next_sample();
            for (acc, v) in sum.iter_mut().zip(s.values()) {
                *acc += v;
            }
        }
        for (c, acc) in sum.iter().enumerate() {
            let mean = acc / 10_000.0;
            assert!(
                (mean - s.mu[c]).abs() < 0.05,
                "channel {c}: mean {mean} vs mu {}",
                s.mu[c]
            );
        }
    }

    #[test]
    fn anomalies_come_at_about_their_rate_and_last_their_length() {
        let mut s = RegimeStream::new(spec(), 3, Stream::StreamNoise);
        let flags: Vec<bool> = (0..100_000).map(|_| s.next_sample().anomaly).collect();
        let starts = flags.windows(2).filter(|w| !w[0] && w[1]).count();
        // 100 s at 4 per second (minus the time spent inside anomalies): about 400.
        assert!((330..=460).contains(&starts), "{starts} anomalies");
        // Each lasts ANOMALY_SAMPLES; one may be cut by the end, and one may start the sample
        // after another ends (p = anomaly_rate * dt = 0.004 per sample: about 1.6 of 400 do), so
        // the two show as one start. Eight such is far in the tail.
        let flagged = flags.iter().filter(|&&f| f).count();
        let length = ANOMALY_SAMPLES as usize;
        assert!(
            flagged + length >= starts * length && flagged <= (starts + 8) * length,
            "{flagged} samples flagged for {starts} starts"
        );
    }

    #[test]
    fn same_seed_same_samples_other_noise_stream_same_signature() {
        let mut a = RegimeStream::new(spec(), 9, Stream::StreamNoise);
        let mut b = RegimeStream::new(spec(), 9, Stream::StreamNoise);
        let mut c = RegimeStream::new(spec(), 9, Stream::TrainingNoise);
        let mut differs = false;
        for _ in 0..100 {
            assert_eq!(a.next_sample(), b.next_sample());
            c.next_sample();
            assert_eq!(a.values(), b.values());
            differs |= a.values() != c.values();
        }
        assert!(differs);
        assert_eq!(
            (a.mu.clone(), a.freq.clone()),
            (c.mu.clone(), c.freq.clone())
        );
    }
}
