//! Seeded input streams for the network presets: a mixture of sines with Gaussian noise and an
//! optional regime shift, sampled at a fixed period on the logical clock.
//!
//! `x(t) = sum_i a_i sin(theta_i(t)) + noise`, where each phase advances at `2 pi f_i` before the
//! shift and at `2 pi f_i k_f` after it (phase-continuous), and the amplitudes become `a_i k_a`.
//! The noise is `N(0, sigma^2)` ([`crate::rng::standard_normal`]), drawn by Box-Muller through `libm` rather than rand_distr:
//! rand_distr's normal sampler uses std's `exp`/`ln`, whose last bits differ between native and
//! wasm32, and the streams must be bit-identical on both.

use crate::rng::standard_normal;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;

/// One sine component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sine {
    /// Amplitude.
    pub amplitude: f64,
    /// Frequency, Hz.
    pub frequency_hz: f64,
}

/// A change of the stream's regime at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegimeShift {
    /// When, in seconds of logical time.
    pub at_s: f64,
    /// Factor on every frequency after the shift.
    pub frequency_factor: f64,
    /// Factor on every amplitude after the shift.
    pub amplitude_factor: f64,
}

/// A sine mixture with noise and an optional regime shift.
#[derive(Debug, Clone)]
pub struct SineStream {
    sines: Vec<Sine>,
    noise_sigma: f64,
    shift: Option<RegimeShift>,
    rng: ChaCha8Rng,
}

impl SineStream {
    /// A stream drawing its noise from `rng`.
    pub fn new(
        sines: Vec<Sine>,
        noise_sigma: f64,
        shift: Option<RegimeShift>,
        rng: ChaCha8Rng,
    ) -> Self {
        SineStream {
            sines,
            noise_sigma,
            shift,
            rng,
        }
    }

    /// Changes the noise's standard deviation (from the next sample on).
    pub fn set_noise(&mut self, sigma: f64) {
        self.noise_sigma = sigma;
    }

    /// The noiseless value at `t_s`.
    pub fn clean(&self, t_s: f64) -> f64 {
        let (before, after, amp) = match self.shift {
            Some(s) if t_s > s.at_s => (
                s.at_s,
                (t_s - s.at_s) * s.frequency_factor,
                s.amplitude_factor,
            ),
            _ => (t_s, 0.0, 1.0),
        };
        self.sines
            .iter()
            .map(|s| amp * s.amplitude * libm::sin(TAU * s.frequency_hz * (before + after)))
            .sum()
    }

    /// The next noisy sample at `t_s` (call in time order: each call draws fresh noise).
    pub fn sample(&mut self, t_s: f64) -> f64 {
        let noise = if self.noise_sigma > 0.0 {
            self.noise_sigma * standard_normal(&mut self.rng)
        } else {
            0.0
        };
        self.clean(t_s) + noise
    }

    /// Whether `t_s` is after the regime shift.
    pub fn shifted(&self, t_s: f64) -> bool {
        self.shift.is_some_and(|s| t_s > s.at_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn stream(sigma: f64, shift: Option<RegimeShift>) -> SineStream {
        SineStream::new(
            vec![Sine {
                amplitude: 1.0,
                frequency_hz: 2.0,
            }],
            sigma,
            shift,
            ChaCha8Rng::seed_from_u64(4),
        )
    }

    #[test]
    fn noise_has_the_set_spread_and_is_seeded() {
        let mut s = stream(0.1, None);
        let n = 20_000;
        let residuals: Vec<f64> = (0..n)
            .map(|i| {
                let t = i as f64 * 1e-3;
                s.sample(t) - s.clean(t)
            })
            .collect();
        let mean = residuals.iter().sum::<f64>() / n as f64;
        let var = residuals
            .iter()
            .map(|r| (r - mean) * (r - mean))
            .sum::<f64>()
            / n as f64;
        assert!(mean.abs() < 0.003, "{mean}");
        assert!((var.sqrt() - 0.1).abs() < 0.003, "{}", var.sqrt());
        let mut a = stream(0.1, None);
        let mut b = stream(0.1, None);
        assert_eq!(a.sample(0.5), b.sample(0.5));
    }

    #[test]
    fn the_shift_changes_frequency_and_amplitude_continuously() {
        let shift = RegimeShift {
            at_s: 1.0,
            frequency_factor: 3.0,
            amplitude_factor: 0.5,
        };
        let s = stream(0.0, Some(shift));
        // Before: 2 Hz; after: 6 Hz at half amplitude, the phase continuing from t = 1 s.
        assert_eq!(s.clean(0.125), libm::sin(TAU * 2.0 * 0.125));
        let t = 1.0 + 1.0 / 24.0; // a quarter period of 6 Hz after the shift
        assert!((s.clean(t) - 0.5 * libm::sin(TAU * 2.0 * (1.0 + 3.0 / 24.0))).abs() < 1e-12);
        assert!(!s.shifted(1.0));
        assert!(s.shifted(1.001));
    }
}
