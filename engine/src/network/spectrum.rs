//! The population rate's oscillation: the peak of the periodogram of a population's spike
//! count per step (FFT by rustfft), after the start's transient. A network in a synchronous
//! regime shows a peak far above the spectrum's mean; an asynchronous one does not.

use rustfft::{num_complex::Complex, FftPlanner};
use serde::Serialize;

/// The band searched for a peak, Hz.
pub const BAND_HZ: (f64, f64) = (5.0, 500.0);
/// The transient left out, s.
pub const TRANSIENT_S: f64 = 0.1;

/// The strongest oscillation of a population's rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Oscillation {
    /// Frequency of the periodogram's peak in [`BAND_HZ`], Hz.
    pub peak_hz: f64,
    /// The peak's power over the band's mean power (about 1 to 10 for noise, far more for an
    /// oscillation).
    pub power_ratio: f64,
}

/// The oscillation of `counts` (spikes per step of `dt` s), if the run is long enough (at least
/// 0.2 s after the transient).
pub fn oscillation(counts: &[u32], dt: f64) -> Option<Oscillation> {
    let skip = (TRANSIENT_S / dt).round() as usize;
    let series = counts.get(skip..)?;
    if (series.len() as f64) * dt < 0.2 {
        return None;
    }
    let mean = series.iter().map(|&c| f64::from(c)).sum::<f64>() / series.len() as f64;
    let mut buffer: Vec<Complex<f64>> = series
        .iter()
        .map(|&c| Complex::new(f64::from(c) - mean, 0.0))
        .collect();
    FftPlanner::new()
        .plan_fft_forward(buffer.len())
        .process(&mut buffer);
    let resolution = 1.0 / (series.len() as f64 * dt);
    let band: Vec<(f64, f64)> = (1..buffer.len() / 2)
        .map(|k| (k as f64 * resolution, buffer[k].norm_sqr()))
        .filter(|(f, _)| (BAND_HZ.0..=BAND_HZ.1).contains(f))
        .collect();
    let mean_power = band.iter().map(|b| b.1).sum::<f64>() / band.len().max(1) as f64;
    let (peak_hz, peak) = band.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    (mean_power > 0.0).then_some(Oscillation {
        peak_hz,
        power_ratio: peak / mean_power,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rhythm_shows_its_frequency_and_noise_does_not_stand_out() {
        // 40 Hz bursts at dt 0.1 ms for 1 s: 5 steps of 10 spikes every 250 steps.
        let counts: Vec<u32> = (0..10_000)
            .map(|s| if s % 250 < 5 { 10 } else { 0 })
            .collect();
        let o = oscillation(&counts, 1e-4).unwrap();
        assert!((o.peak_hz - 40.0).abs() < 1.2, "{o:?}");
        // The bursts' harmonics (80, 120 Hz...) share the power.
        assert!(o.power_ratio > 30.0, "{o:?}");
        // White noise: the largest of ~3500 exponential powers is about ln(3500) = 8 times
        // their mean.
        use rand::Rng;
        let mut rng = crate::rng::part_rng(1, crate::rng::PartStream::PoissonSpikes, 0);
        let noise: Vec<u32> = (0..10_000).map(|_| rng.random_range(0..20)).collect();
        let o = oscillation(&noise, 1e-4).unwrap();
        assert!(o.power_ratio < 16.0, "{o:?}");
        // Constant counts: no power at all, no oscillation.
        assert_eq!(oscillation(&[3; 10_000], 1e-4), None);
        assert_eq!(oscillation(&[3; 2_000], 1e-4), None, "too short");
    }
}
