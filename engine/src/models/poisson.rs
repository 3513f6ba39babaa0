//! Poisson spike sources on a time grid, event-driven: each source draws its next spike step
//! from a geometric distribution (the discrete-time Poisson process that Brian2's
//! `PoissonGroup` realises with one Bernoulli draw per step), so the cost is per spike, not
//! per source per step.
//!
//! The geometric draw is written out with `libm::log` rather than taken from `rand_distr`:
//! rand_distr computes through `num_traits::Float`, which resolves to std's `ln` when any crate
//! in the build enables num-traits' `std` (hdrhistogram does), and std's `ln` is not
//! bit-identical between native and wasm32.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// `n` independent sources, each spiking with probability `p` per step.
#[derive(Debug, Clone)]
pub struct PoissonGroup {
    /// ln(1 - p), precomputed.
    log_q: f64,
    /// (next spike step, source), earliest first.
    next: BinaryHeap<Reverse<(u64, u32)>>,
}

impl PoissonGroup {
    /// `n` sources at `rate` (Hz) on a grid of `dt` (s); `rate * dt` must be in (0, 1).
    pub fn new(n: u32, rate: f64, dt: f64, rng: &mut ChaCha8Rng) -> Self {
        Self::starting_at(n, rate, dt, 0, rng)
    }

    /// Like [`PoissonGroup::new`], with no spike before step `from` (a rate changed during a
    /// run: the process is memoryless, so each source's next spike is drawn afresh).
    pub fn starting_at(n: u32, rate: f64, dt: f64, from: u64, rng: &mut ChaCha8Rng) -> Self {
        let p = rate * dt;
        assert!(
            p > 0.0 && p < 1.0,
            "spike probability per step {p} outside (0, 1)"
        );
        let mut group = PoissonGroup {
            log_q: libm::log1p(-p),
            next: BinaryHeap::with_capacity(n as usize),
        };
        for source in 0..n {
            // The first spike is at step from + gap - 1 >= from.
            let first = from + group.gap(rng) - 1;
            group.next.push(Reverse((first, source)));
        }
        group
    }

    /// Steps until the next spike (>= 1): 1 + floor(ln U / ln(1 - p)), U uniform in (0, 1].
    fn gap(&self, rng: &mut ChaCha8Rng) -> u64 {
        let u: f64 = 1.0 - rng.random::<f64>();
        let k = libm::log(u) / self.log_q;
        // Spikes more than 2^53 steps away never come within a run.
        1 + k.min(9.0e15) as u64
    }

    /// Calls `on_spike(source)` for every source spiking at `step` (sources in ascending order
    /// of their index for equal steps), and draws their next spikes.
    pub fn spikes_at(&mut self, step: u64, rng: &mut ChaCha8Rng, on_spike: impl FnMut(u32)) {
        self.candidates_at(step, rng, None, on_spike)
    }

    /// Like [`Self::spikes_at`] but keeps each spike with probability `keep` (thinning: with
    /// `keep = rate(t) / rate_max` the group at `rate_max` becomes an inhomogeneous Poisson
    /// process of rate `rate(t)`; Lewis & Shedler 1979).
    pub fn thinned_spikes_at(
        &mut self,
        step: u64,
        rng: &mut ChaCha8Rng,
        keep: f64,
        on_spike: impl FnMut(u32),
    ) {
        self.candidates_at(step, rng, Some(keep), on_spike)
    }

    fn candidates_at(
        &mut self,
        step: u64,
        rng: &mut ChaCha8Rng,
        keep: Option<f64>,
        mut on_spike: impl FnMut(u32),
    ) {
        while let Some(&Reverse((due, source))) = self.next.peek() {
            if due > step {
                break;
            }
            debug_assert_eq!(due, step, "a source's spike step was skipped");
            if keep.is_none_or(|p| rng.random::<f64>() < p) {
                on_spike(source);
            }
            let next = due + self.gap(rng);
            if let Some(mut top) = self.next.peek_mut() {
                *top = Reverse((next, source));
            }
        }
    }

    /// The step of the earliest pending spike.
    pub fn next_step(&self) -> Option<u64> {
        self.next.peek().map(|Reverse((step, _))| *step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn rates_match_and_spikes_come_in_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (n, rate, dt, steps) = (200u32, 15.0, 1e-4, 200_000u64);
        let mut g = PoissonGroup::new(n, rate, dt, &mut rng);
        let mut counts = vec![0u32; n as usize];
        let mut last_step_seen = vec![None::<u64>; n as usize];
        for step in 0..steps {
            g.spikes_at(step, &mut rng, |s| {
                assert_ne!(
                    last_step_seen[s as usize],
                    Some(step),
                    "two spikes in one step"
                );
                last_step_seen[s as usize] = Some(step);
                counts[s as usize] += 1;
            });
        }
        // 200 sources x 20 s x 15 Hz = 60 000 expected spikes; Poisson sd ~ 245.
        let total: u32 = counts.iter().sum();
        assert!((total as f64 - 60_000.0).abs() < 1_500.0, "{total}");
        // Each source's count has mean 300 and sd ~17: none should be wildly off.
        assert!(
            counts.iter().all(|&c| (200..400).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn thinning_follows_the_modulated_rate() {
        // Rate 100 Hz * (1 + sin(2 pi 10 t)) / 2: spikes pile up in the first half of each
        // 100 ms cycle (where the sine is positive): expected share (pi + 2) / (2 pi) = 0.818.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let dt = 1e-4;
        let mut g = PoissonGroup::new(100, 100.0, dt, &mut rng);
        let (mut first_half, mut total) = (0u32, 0u32);
        for step in 0..100_000u64 {
            let t = step as f64 * dt;
            let keep = (1.0 + (std::f64::consts::TAU * 10.0 * t).sin()) / 2.0;
            let in_first_half = (t * 10.0).fract() < 0.5;
            g.thinned_spikes_at(step, &mut rng, keep, |_| {
                total += 1;
                first_half += in_first_half as u32;
            });
        }
        // 100 sources x 10 s x 50 Hz mean = 50 000.
        assert!((total as f64 - 50_000.0).abs() < 1_500.0, "{total}");
        let share = first_half as f64 / total as f64;
        assert!((share - 0.818).abs() < 0.01, "{share}");
    }

    #[test]
    fn intervals_are_geometric() {
        // P(gap = 1) = p, and the mean gap is 1/p.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let g = PoissonGroup::new(1, 1000.0, 1e-4, &mut rng);
        let gaps: Vec<u64> = (0..100_000).map(|_| g.gap(&mut rng)).collect();
        let mean = gaps.iter().sum::<u64>() as f64 / gaps.len() as f64;
        assert!((mean - 10.0).abs() < 0.15, "{mean}");
        let ones = gaps.iter().filter(|&&k| k == 1).count() as f64 / gaps.len() as f64;
        assert!((ones - 0.1).abs() < 0.005, "{ones}");
    }
}
