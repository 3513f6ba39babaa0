//! `random-walk` (formerly `tick`): a recurring tick on the logical clock adds a seeded uniform
//! step to a random walk; overlapping windows summarise it. The smallest preset: the scheduler,
//! windows and their blending, and nothing else.
//!
//! Blending across overlapping windows: each window carries a mean forward,
//! `carried_k = (overlap / length) * carried_{k-1} + (hop / length) * mean_k`,
//! so the weight of the past equals the fraction of the window it shares with the previous one
//! (no overlap: no memory).

use super::{
    inconsistent, span_of, window_grid, BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S,
    WINDOW_MIN_S,
};
use crate::params::{model_params, ParamError, ParamSpec, ParamValues};
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Model, Sim, Simulation};
use crate::time::TimePoint;
use crate::window::{schedule_windows, Recent, WindowBounds, WindowConfig, WindowSink};
use rand::Rng;
use std::collections::VecDeque;
use tempora_protocol::panel::{Axis, Panel, Plot, Readout, Trace};
use tempora_protocol::{WindowContent, WindowSummary};

pub(super) const PRESET: Preset = Preset {
    name: "random-walk",
    description: "A recurring tick on the logical clock drives a seeded random walk; overlapping windows blend its mean.",
    params: PARAMS,
    live: &["step"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The random walk's parameters.
    struct WalkParams / WalkChanges {
        tick_period: Seconds = 1e-3, [1e-6, 1.0], "Logical time between two steps of the walk.";
        step: Dimensionless = 1.0, [0.0, 1e6], "Each tick adds a uniform draw from [-step, step].";
        window: Seconds = 0.1, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.05, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

const PARAMS: &[ParamSpec] = WalkParams::SPECS;

/// The most samples one window may hold, so summaries stay small.
const MAX_SAMPLES_PER_WINDOW: f64 = 10_000.0;

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = WalkParams::from_values(values);
    let tick = span_of("tick_period", p.tick_period)?;
    let window = window_grid(p.window, p.hop)?;
    if p.window / p.tick_period > MAX_SAMPLES_PER_WINDOW {
        return Err(inconsistent(
            "tick_period",
            format!(
                "a window of {} s would hold more than {MAX_SAMPLES_PER_WINDOW} ticks; lengthen tick_period or shorten window",
                p.window
            ),
        ));
    }
    let mut scheduler = Scheduler::new(seed);
    let step = p.step;
    scheduler
        .schedule_every(TimePoint::ZERO, tick, Priority::MODEL, Box::new(TickTask))
        .and_then(|_| schedule_windows(&mut scheduler, window))
        .map_err(|e| inconsistent("tick_period", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, Walk::new(window, step))))
}

/// The random walk and what it keeps for its windows.
struct Walk {
    value: f64,
    /// Each tick adds a uniform draw from [-step, step] (live).
    step: f64,
    window: WindowConfig,
    /// Samples an open window may still need.
    samples: Recent<f64>,
    carried_mean: Option<f64>,
    closed: VecDeque<WindowSummary>,
}

impl Walk {
    fn new(window: WindowConfig, step: f64) -> Self {
        Walk {
            value: 0.0,
            step,
            window,
            samples: Recent::default(),
            carried_mean: None,
            closed: VecDeque::new(),
        }
    }
}

struct TickTask;

impl Task<Walk> for TickTask {
    fn kind(&self) -> &'static str {
        "tick"
    }

    fn run(&mut self, walk: &mut Walk, ctx: &mut TaskContext<'_, Walk>) {
        if walk.step > 0.0 {
            walk.value += ctx.rng().random_range(-walk.step..=walk.step);
        }
        walk.samples.push(ctx.now(), walk.value);
    }
}

impl WindowSink for Walk {
    fn close_window(&mut self, bounds: WindowBounds) {
        let points: Vec<[f64; 2]> = self
            .samples
            .within(bounds)
            .map(|(t, v)| [t.as_secs_f64(), *v])
            .collect();
        let mean = if points.is_empty() {
            0.0
        } else {
            points.iter().map(|p| p[1]).sum::<f64>() / points.len() as f64
        };
        let length = self.window.length().as_nanos() as f64;
        let past_weight = self.window.overlap().as_nanos() as f64 / length;
        let blended_mean = match self.carried_mean {
            Some(carried) => past_weight * carried + (1.0 - past_weight) * mean,
            None => mean,
        };
        self.carried_mean = Some(blended_mean);
        self.samples.release(bounds, &self.window);
        self.closed.push_back(WindowSummary {
            index: bounds.index,
            start_ns: bounds.start.0,
            end_ns: bounds.end.0,
            data: content(points, blended_mean),
            timing: None,
        });
    }
}

/// The trace panel's id.
pub const TRACE_PANEL: &str = "trace-plot";
/// Logical seconds of the walk shown.
const TRACE_SPAN_S: f64 = 2.0;

/// What a window of the walk shows: its samples, and the mean blended across windows.
fn content(points: Vec<[f64; 2]>, blended_mean: f64) -> WindowContent {
    let samples = points.len() as u64;
    let mut trace = Trace::single(Axis::new("value", "a.u."), points);
    trace.span_s = Some(TRACE_SPAN_S);
    WindowContent {
        panels: vec![Panel::new(TRACE_PANEL, "Seeded random walk", Plot::Trace(trace)).wide()],
        readouts: vec![
            Readout::count("samples", "samples", samples),
            Readout::number(
                "blended_mean",
                "mean blended with the previous window",
                Some(blended_mean),
                "a.u.",
                4,
            ),
        ],
        events: vec![],
    }
}

impl Model for Walk {
    fn take_window(&mut self) -> Option<WindowSummary> {
        self.closed.pop_front()
    }

    fn set_live_params(&mut self, values: &ParamValues) {
        if let Some(step) = WalkParams::changes(values).step {
            self.step = step;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValues;
    use crate::simulation::{content_hash, run_to};

    fn run(seed: u64, overrides: &[(&str, f64)]) -> Vec<WindowSummary> {
        let overrides: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let (mut sim, _) = PRESET.build(seed, &overrides).unwrap();
        run_to(sim.as_mut(), TimePoint(1_000_000_000))
    }

    fn points(w: &WindowSummary) -> &[[f64; 2]] {
        &w.data.trace(TRACE_PANEL).unwrap().lines[0].points
    }

    #[test]
    fn windows_overlap_and_hold_their_samples() {
        let windows = run(3, &[]);
        // 1 s with 100 ms windows every 50 ms: windows end at 100, 150, ..., 1000 ms.
        assert_eq!(windows.len(), 19);
        let points = points(&windows[1]);
        assert_eq!(windows[1].start_ns, 50_000_000);
        assert_eq!(points.len(), 100, "1 ms ticks in [50 ms, 150 ms)");
        assert_eq!(windows[1].data.number("samples"), Some(100.0));
        assert_eq!(points[0][0], 0.05);
        // The overlap: window 1's first half is window 0's second half, sample for sample.
        let p0 = self::points(&windows[0]);
        assert_eq!(&p0[50..], &points[..50]);
    }

    #[test]
    fn the_walk_moves_by_at_most_step_per_tick() {
        let windows = run(9, &[("step", 0.5)]);
        let points = points(&windows[0]);
        for pair in points.windows(2) {
            assert!((pair[1][1] - pair[0][1]).abs() <= 0.5);
        }
        assert!(points.iter().any(|p| p[1] != 0.0));
    }

    #[test]
    fn blended_mean_weights_the_past_by_the_overlap() {
        let windows = run(5, &[("hop", 0.025)]);
        let mean = |w: &WindowSummary| {
            let points = points(w);
            points.iter().map(|p| p[1]).sum::<f64>() / points.len() as f64
        };
        let carried = |w: &WindowSummary| w.data.number("blended_mean").unwrap();
        // overlap / length = 75 / 100.
        let expected = 0.75 * carried(&windows[0]) + 0.25 * mean(&windows[1]);
        assert!((carried(&windows[1]) - expected).abs() < 1e-12);
    }

    #[test]
    fn same_seed_same_log_other_seed_other_log() {
        assert_eq!(content_hash(&run(42, &[])), content_hash(&run(42, &[])));
        assert_ne!(content_hash(&run(42, &[])), content_hash(&run(43, &[])));
    }

    #[test]
    fn bad_parameters_name_themselves() {
        let build = |k: &str, v: f64| {
            let o: ParamValues = [(k.to_string(), v)].into_iter().collect();
            PRESET.build(1, &o).err().expect("should be refused")
        };
        assert_eq!(build("hop", 0.5).param(), Some("hop"));
        assert_eq!(build("tick_period", 0.0).param(), Some("tick_period"));
        assert_eq!(build("window", 30.0).param(), Some("tick_period"));
        assert_eq!(build("speed", 1.0).param(), Some("speed"));
    }
}
