//! Phase coding: spikes tagged with the phase of an oscillation, the circular statistics of a
//! set of phases (mean direction and vector strength; Goldberg & Brown 1969, Mardia & Jupp 2000),
//! and a phase-bias rule that pulls a neuron toward a target phase.

use std::f64::consts::TAU;

/// The phase (rad, in [0, 2 pi)) of an oscillation of `frequency` Hz at time `t` s, with phase 0
/// at t = 0 (the upward zero crossing of sin(2 pi f t)).
pub fn phase_at(t: f64, frequency: f64) -> f64 {
    let cycles = t * frequency;
    (cycles - libm::floor(cycles)) * TAU
}

/// Running circular statistics of phases.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PhaseStats {
    count: u64,
    sum_cos: f64,
    sum_sin: f64,
}

impl PhaseStats {
    /// Adds one phase (rad).
    pub fn add(&mut self, phase: f64) {
        self.count += 1;
        self.sum_cos += libm::cos(phase);
        self.sum_sin += libm::sin(phase);
    }

    /// Phases added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Circular mean (rad, in [0, 2 pi)), or `None` without phases or with a zero resultant.
    pub fn circular_mean(&self) -> Option<f64> {
        if self.count == 0 || (self.sum_cos == 0.0 && self.sum_sin == 0.0) {
            return None;
        }
        Some(libm::atan2(self.sum_sin, self.sum_cos).rem_euclid(TAU))
    }

    /// Vector strength: the length of the mean resultant, 1 for perfect locking, ~0 for none.
    pub fn vector_strength(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        libm::hypot(self.sum_cos, self.sum_sin) / self.count as f64
    }
}

/// Counts phases (rad) into `bins` equal bins over [0, 2 pi).
pub fn phase_histogram(phases: impl IntoIterator<Item = f64>, bins: usize) -> Vec<u32> {
    let mut counts = vec![0u32; bins];
    for phase in phases {
        let bin = ((phase / TAU) * bins as f64) as usize;
        counts[bin.min(bins - 1)] += 1;
    }
    counts
}

/// Pulls a neuron's firing phase toward `target` by adjusting its drive after each spike.
///
/// The first spike of each cycle moves the drive by `rate * sin(phase - target)`: firing late
/// (phase > target) adds drive, which makes the neuron reach threshold earlier, and vice versa;
/// the sine keeps the pull bounded and continuous across the 0 / 2 pi seam. Any further spike in
/// the same cycle takes `rate` of drive away: without that, extra spikes at later phases would
/// each add drive and run away into tonic firing instead of one locked spike per cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseBias {
    /// Target phase, rad.
    pub target: f64,
    /// Drive change per spike at 90 degrees of error, in the drive's unit (V for R I).
    pub rate: f64,
    last_cycle: Option<u64>,
}

impl PhaseBias {
    /// A bias toward `target` (rad) with gain `rate`.
    pub fn new(target: f64, rate: f64) -> Self {
        PhaseBias {
            target,
            rate,
            last_cycle: None,
        }
    }

    /// The drive correction for a spike at `phase` in oscillation cycle number `cycle`.
    pub fn on_spike(&mut self, cycle: u64, phase: f64) -> f64 {
        if self.last_cycle == Some(cycle) {
            return -self.rate;
        }
        self.last_cycle = Some(cycle);
        self.rate * libm::sin(phase - self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn phases_wrap_per_cycle() {
        assert_eq!(phase_at(0.0, 10.0), 0.0);
        assert!((phase_at(0.025, 10.0) - PI / 2.0).abs() < 1e-12);
        assert!((phase_at(1.025, 10.0) - PI / 2.0).abs() < 1e-9);
    }

    #[test]
    fn circular_statistics_of_known_sets() {
        let mut locked = PhaseStats::default();
        for _ in 0..10 {
            locked.add(0.3);
        }
        assert!((locked.circular_mean().unwrap() - 0.3).abs() < 1e-12);
        assert!((locked.vector_strength() - 1.0).abs() < 1e-12);

        // Across the seam: 350 and 10 degrees average to 0, not 180.
        let mut seam = PhaseStats::default();
        seam.add(350f64.to_radians());
        seam.add(10f64.to_radians());
        let mean = seam.circular_mean().unwrap();
        assert!(mean < 1e-9 || (TAU - mean) < 1e-9, "{mean}");
        assert!((seam.vector_strength() - 10f64.to_radians().cos()).abs() < 1e-12);

        // Uniform phases: no preferred direction.
        let mut uniform = PhaseStats::default();
        for k in 0..8 {
            uniform.add(k as f64 * TAU / 8.0);
        }
        assert!(uniform.vector_strength() < 1e-12);
    }

    #[test]
    fn histogram_and_bias() {
        assert_eq!(
            phase_histogram([0.1, 0.2, 3.2, TAU - 1e-12], 4),
            vec![2, 0, 1, 1]
        );
        let mut bias = PhaseBias::new(PI, 1e-3);
        assert!(bias.on_spike(0, PI + 0.5) > 0.0, "late: more drive");
        assert_eq!(
            bias.on_spike(0, PI + 1.0),
            -1e-3,
            "a second spike in a cycle: less drive"
        );
        assert!(bias.on_spike(1, PI - 0.5) < 0.0, "early: less drive");
        assert_eq!(bias.on_spike(2, PI), 0.0);
    }
}
