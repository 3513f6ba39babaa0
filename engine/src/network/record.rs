//! What a network run keeps: per-neuron spike counts and inter-spike-interval sums (always, for
//! rates and CVs), spike times of the recorded neurons (bounded), per-step population counts,
//! and state traces of chosen neurons.
//!
//! The ISI statistics are accumulated online (count, sum, sum of squares per neuron) rather
//! than computed by a statistics crate from stored spike trains, so they cost no memory per
//! spike and cover every neuron, recorded or not.

use serde::Serialize;

/// Spikes a run records at most (all populations together; 12 bytes each); beyond it, spike
/// times stop being recorded (counts and statistics go on) and the run says so.
pub const MAX_RECORDED_SPIKES: usize = 20_000_000;

/// A population's spike record.
#[derive(Debug, Clone)]
pub struct PopRecord {
    /// Spikes per neuron.
    pub counts: Vec<u32>,
    /// Step of each neuron's last spike (meaningful when its count > 0).
    last: Vec<u64>,
    /// Sum of the neuron's ISIs and of their squares, in steps.
    isi_sum: Vec<f64>,
    isi_sq: Vec<f64>,
    /// Neurons below this index have their spike times recorded.
    pub first: u32,
    /// Recorded spikes: step and neuron, in time order (by neuron within a step).
    pub steps: Vec<u64>,
    /// See `steps`.
    pub neurons: Vec<u32>,
    /// Spikes of the whole population per step.
    pub per_step: Vec<u32>,
}

impl PopRecord {
    /// A record of `n` neurons, spike times of the first `first`.
    pub fn new(n: usize, first: u32) -> Self {
        PopRecord {
            counts: vec![0; n],
            last: vec![0; n],
            isi_sum: vec![0.0; n],
            isi_sq: vec![0.0; n],
            first,
            steps: Vec::new(),
            neurons: Vec::new(),
            per_step: Vec::new(),
        }
    }

    /// The spikes of `step`; times recorded while `room` allows (returns the times recorded).
    pub fn spikes(&mut self, step: u64, spiked: &[u32], room: usize) -> usize {
        let mut recorded = 0;
        for &i in spiked {
            let n = i as usize;
            if self.counts[n] > 0 {
                let isi = (step - self.last[n]) as f64;
                self.isi_sum[n] += isi;
                self.isi_sq[n] += isi * isi;
            }
            self.counts[n] += 1;
            self.last[n] = step;
            if i < self.first && recorded < room {
                self.steps.push(step);
                self.neurons.push(i);
                recorded += 1;
            }
        }
        // Only a recorded population keeps its counts per step (a run in a page records none
        // and must not grow).
        if self.first > 0 {
            self.per_step.push(spiked.len() as u32);
        }
        recorded
    }

    /// The ISI CV (standard deviation over mean, population form) of each neuron with at
    /// least 3 spikes (2 intervals: a CV that is not 0 by construction).
    pub fn cvs(&self) -> Vec<f64> {
        (0..self.counts.len())
            .filter(|&i| self.counts[i] >= 3)
            .map(|i| {
                let m = f64::from(self.counts[i] - 1);
                let mean = self.isi_sum[i] / m;
                let var = (self.isi_sq[i] / m - mean * mean).max(0.0);
                var.sqrt() / mean
            })
            .collect()
    }

    /// Rate, CV and silence over `steps` steps of `dt` s.
    pub fn stats(&self, steps: u64, dt: f64) -> PopStats {
        let n = self.counts.len();
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        let duration = steps as f64 * dt;
        let cvs = self.cvs();
        let cv_isi_mean = mean(&cvs);
        PopStats {
            size: n,
            spikes: total,
            rate_hz: if duration > 0.0 {
                total as f64 / (n as f64 * duration)
            } else {
                0.0
            },
            cv_isi_mean,
            cv_neurons: cvs.len(),
            silent_fraction: self.counts.iter().filter(|&&c| c == 0).count() as f64 / n as f64,
        }
    }
}

/// The mean of `values`, none if empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A population's statistics over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopStats {
    /// Neurons.
    pub size: usize,
    /// Spikes of all of them.
    pub spikes: u64,
    /// Mean rate per neuron, Hz.
    pub rate_hz: f64,
    /// Mean over neurons with at least 3 spikes of their ISI's CV (standard deviation over
    /// mean, population form); none if no neuron has 3 spikes.
    pub cv_isi_mean: Option<f64>,
    /// Neurons the CV is averaged over.
    pub cv_neurons: usize,
    /// Fraction of neurons without a spike.
    pub silent_fraction: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_count_rates_cvs_and_silence() {
        let mut r = PopRecord::new(4, 2);
        // Neuron 0 every 10 steps (CV 0), neuron 1 at ISIs 10 and 30 (CV 0.5), neuron 2 twice
        // (no CV), neuron 3 silent.
        let mut events: Vec<(u64, u32)> = (0..10).map(|k| (k * 10, 0)).collect();
        events.extend([(5, 1), (15, 1), (45, 1), (7, 2), (8, 2)]);
        events.sort();
        for step in 0..100u64 {
            let spiked: Vec<u32> = events.iter().filter(|e| e.0 == step).map(|e| e.1).collect();
            r.spikes(step, &spiked, usize::MAX);
        }
        let s = r.stats(100, 1e-3);
        assert_eq!(s.spikes, 15);
        assert!((s.rate_hz - 15.0 / (4.0 * 0.1)).abs() < 1e-12);
        assert_eq!(s.cv_neurons, 2);
        assert!((s.cv_isi_mean.unwrap() - 0.25).abs() < 1e-12, "{s:?}");
        assert_eq!(s.silent_fraction, 0.25);
        // Times of neurons 0 and 1 only.
        assert_eq!(r.steps.len(), 13);
        assert!(r.neurons.iter().all(|&i| i < 2));
        assert_eq!(r.per_step.iter().sum::<u32>(), 15);
        assert_eq!(r.per_step.len(), 100);
    }
}
