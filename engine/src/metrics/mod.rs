//! Timing metrics of the scheduler: per task kind, how late tasks ran against their ideal wall
//! time and how long they took, as HDR histograms (1 ns .. 1 hour, 3 significant digits).

use hdrhistogram::Histogram;
use tempora_protocol::Stats;

mod window;

pub use window::WindowTiming;

/// The largest value a histogram records; larger values are clamped to it (1 hour in ns).
const MAX_TRACKED_NS: u64 = 3_600_000_000_000;

/// A distribution of nanosecond values.
#[derive(Debug, Clone)]
pub struct Distribution {
    histogram: Histogram<u64>,
}

impl Default for Distribution {
    fn default() -> Self {
        Distribution {
            histogram: Histogram::new_with_bounds(1, MAX_TRACKED_NS, 3)
                .expect("static histogram bounds are valid"),
        }
    }
}

impl Distribution {
    /// Records one value (clamped to the tracked range).
    pub fn record(&mut self, ns: u64) {
        self.histogram.saturating_record(ns.min(MAX_TRACKED_NS));
    }

    /// min / mean / p50 / p99 / max; all zero when empty.
    pub fn stats(&self) -> Stats {
        let h = &self.histogram;
        if h.is_empty() {
            return Stats::default();
        }
        Stats {
            count: h.len(),
            min: h.min(),
            mean: h.mean(),
            p50: h.value_at_quantile(0.5),
            p99: h.value_at_quantile(0.99),
            max: h.max(),
        }
    }

    /// `(upper bound ns, count)` buckets on a log2 scale, for a lateness histogram plot.
    pub fn log2_buckets(&self) -> Vec<(u64, u64)> {
        let mut buckets = Vec::new();
        let mut upper = 1u64;
        let mut below = 0u64;
        while below < self.histogram.len() && upper <= MAX_TRACKED_NS {
            let total = self.histogram.count_between(0, upper);
            buckets.push((upper, total - below));
            below = total;
            upper *= 2;
        }
        buckets
    }

    /// Forgets every sample.
    pub fn clear(&mut self) {
        self.histogram.reset();
    }
}

/// Metrics of one task kind.
#[derive(Debug, Clone, Default)]
pub struct KindMetrics {
    /// Actual wall time minus ideal wall time at dispatch (0 if early, which the runner prevents).
    pub lateness: Distribution,
    /// Wall time the task's `run` took.
    pub duration: Distribution,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_follow_the_samples() {
        let mut d = Distribution::default();
        assert_eq!(d.stats(), Stats::default());
        for v in 1..=100 {
            d.record(v * 1_000);
        }
        let s = d.stats();
        assert_eq!(s.count, 100);
        assert_eq!(s.min, 1_000);
        assert!((s.mean - 50_500.0).abs() < 50.0, "{s:?}");
        // HDR precision: 3 significant digits.
        assert!((49_900..=50_100).contains(&s.p50), "{s:?}");
        assert!((98_900..=99_100).contains(&s.p99), "{s:?}");
        assert!((99_900..=100_100).contains(&s.max), "{s:?}");
        let buckets = d.log2_buckets();
        assert_eq!(buckets.iter().map(|b| b.1).sum::<u64>(), 100);
        d.clear();
        assert_eq!(d.stats().count, 0);
    }

    #[test]
    fn huge_values_are_clamped_not_lost() {
        let mut d = Distribution::default();
        d.record(u64::MAX);
        assert_eq!(d.stats().count, 1);
        assert!(d.stats().max >= MAX_TRACKED_NS);
    }
}
