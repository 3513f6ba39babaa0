//! The timing of the slices that produce one window: per task kind how late tasks ran and how
//! long they took, the tasks dispatched, the busy share of the wall time, and the pacing's
//! backlog events. Accumulated while a window is open, reported when it closes, then cleared
//! (the run-long lateness excepted).

use super::{Distribution, KindMetrics};
use std::collections::BTreeMap;
use tempora_protocol::{KindReport, TimingReport};

/// Timing figures since the last window closed.
#[derive(Debug, Default)]
pub struct WindowTiming {
    kinds: BTreeMap<&'static str, KindMetrics>,
    all_lateness: Distribution,
    tasks: u64,
    busy_ns: u64,
    /// Wall time the figures are counted from (the last window close, or the first slice).
    since_wall_ns: Option<u64>,
    catch_up_events: u64,
    reanchor_events: u64,
    skipped_wall_ns: u64,
    clock_jumps_back: u64,
    /// Lateness over the whole run (since the pacing last changed): not cleared per window.
    run_lateness: Distribution,
}

impl WindowTiming {
    /// Starts counting wall time at `wall_ns` unless already counting.
    pub fn start(&mut self, wall_ns: u64) {
        self.since_wall_ns.get_or_insert(wall_ns);
    }

    /// One task dispatched.
    pub fn dispatched(&mut self) {
        self.tasks += 1;
    }

    /// A task of `kind` took `duration_ns`, and ran `lateness_ns` behind its ideal wall time
    /// when paced.
    pub fn record(&mut self, kind: &'static str, duration_ns: u64, lateness_ns: Option<u64>) {
        let metrics = self.kinds.entry(kind).or_default();
        metrics.duration.record(duration_ns);
        if let Some(lateness) = lateness_ns {
            metrics.lateness.record(lateness);
            self.all_lateness.record(lateness);
            self.run_lateness.record(lateness);
        }
    }

    /// `ns` of wall time spent running tasks.
    pub fn busy(&mut self, ns: u64) {
        self.busy_ns += ns;
    }

    /// The runner began catching up a backlog.
    pub fn caught_up(&mut self) {
        self.catch_up_events += 1;
    }

    /// The runner dropped a backlog of `skipped_ns` wall time and re-anchored.
    pub fn reanchored(&mut self, skipped_ns: u64) {
        self.reanchor_events += 1;
        self.skipped_wall_ns += skipped_ns;
    }

    /// The wall clock went backwards.
    pub fn clock_jumped_back(&mut self) {
        self.clock_jumps_back += 1;
    }

    /// A new pacing: the run-long lateness starts over.
    pub fn new_pacing(&mut self) {
        self.run_lateness.clear();
    }

    /// The figures at wall time `now`.
    pub fn report(&self, now: u64) -> TimingReport {
        let elapsed = now.saturating_sub(self.since_wall_ns.unwrap_or(now)).max(1);
        TimingReport {
            kinds: self
                .kinds
                .iter()
                .map(|(kind, m)| KindReport {
                    kind: kind.to_string(),
                    lateness: m.lateness.stats(),
                    duration: m.duration.stats(),
                })
                .collect(),
            lateness: self.all_lateness.stats(),
            lateness_buckets: self.all_lateness.log2_buckets(),
            tasks_per_s: self.tasks as f64 * 1e9 / elapsed as f64,
            slice_load: (self.busy_ns as f64 / elapsed as f64).min(1.0),
            catch_up_events: self.catch_up_events,
            reanchor_events: self.reanchor_events,
            skipped_wall_ns: self.skipped_wall_ns,
            clock_jumps_back: self.clock_jumps_back,
            run_lateness: self.run_lateness.stats(),
        }
    }

    /// A window closed at wall time `now`: the per-window figures start over (the backlog
    /// counts and the run-long lateness go on).
    pub fn window_closed(&mut self, now: u64) {
        for m in self.kinds.values_mut() {
            m.lateness.clear();
            m.duration.clear();
        }
        self.all_lateness.clear();
        self.tasks = 0;
        self.busy_ns = 0;
        self.since_wall_ns = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_reports_its_own_tasks_and_the_run_keeps_its_lateness() {
        let mut t = WindowTiming::default();
        t.start(1_000);
        for lateness in [10, 20, 30] {
            t.dispatched();
            t.record("step", 100, Some(lateness));
        }
        t.record("window", 50, None);
        t.busy(500);
        t.caught_up();
        t.reanchored(7_000);
        let r = t.report(1_000 + 1_000_000);
        assert_eq!(r.kinds.len(), 2);
        assert_eq!(
            (r.kinds[0].kind.as_str(), r.kinds[0].duration.count),
            ("step", 3)
        );
        assert_eq!(r.kinds[1].lateness.count, 0, "unpaced: no lateness");
        assert_eq!(r.lateness.count, 3);
        assert_eq!(r.tasks_per_s, 3.0 * 1e9 / 1e6);
        assert_eq!(r.slice_load, 500.0 / 1e6);
        assert_eq!(
            (r.catch_up_events, r.reanchor_events, r.skipped_wall_ns),
            (1, 1, 7_000)
        );
        t.window_closed(2_000_000);
        let next = t.report(3_000_000);
        assert_eq!((next.lateness.count, next.tasks_per_s), (0, 0.0));
        assert_eq!(next.run_lateness.count, 3, "the run's lateness goes on");
        assert_eq!(next.reanchor_events, 1, "backlog counts go on");
        t.new_pacing();
        assert_eq!(t.report(3_000_000).run_lateness.count, 0);
    }
}
