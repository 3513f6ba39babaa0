//! `divergence`: a recurrent ruv-FANN network feeds its own output back,
//! `y_t = W2 f(W1 [y_{t-1}, u_t] + b1) + b2`, driven by a small sine `u_t`. With large initial
//! weights and no guard the map is expansive and the state blows up; the watchdog catches it and
//! acts as configured. With spectral normalisation to a bound below 1 the map is a contraction
//! (Lipschitz <= bound^2 x the activation's slope) and the state stays bounded.
//!
//! `fault_at` injects NaN into the state at a time, to see the watchdog's reaction.

use super::net_core::{build_core, GuardWatchdog, NetCore, NetSetup, NetWorld};
use super::{
    inconsistent, span_of, window_grid, BuildContext, Preset, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S,
    WINDOW_MIN_S,
};
use crate::fann::{Activation, NetSpec};
use crate::params::{model_params, spec_table, ParamError, ParamSpec, ParamValues};
use crate::scheduler::{Priority, Scheduler, Task, TaskContext};
use crate::simulation::{Sim, Simulation};
use crate::time::{TimePoint, TimeSpan};
use crate::window::schedule_windows;
use std::f64::consts::TAU;

pub(super) const PRESET: Preset = Preset {
    name: "divergence",
    description: "A recurrent ruv-FANN network fed its own output: unguarded it blows up and the watchdog acts; with spectral normalisation it stays bounded.",
    params: PARAMS,
    live: &["drive_amplitude", "drive_frequency"],
    build,
    model: None,
    as_model: None,
};

model_params! {
    /// The preset's own parameters (beside the shared [`GuardWatchdog`] block).
    struct DivergenceOwn / DivergenceChanges {
        state: Count = 4.0, [1.0, 64.0], "Outputs fed back as inputs (the state's size).";
        hidden: Count = 16.0, [1.0, 256.0], "Hidden neurons.";
        hidden_activation: Count = 5.0, [0.0, (Activation::NAMES.len() - 1) as f64], "Activation of the hidden layer (the output is linear).", choices Activation::NAMES;
        init_scale: Dimensionless = 0.9, [0.0, 100.0], "Weights are uniform in [-init_scale, init_scale].";
        step_period: Seconds = 1e-5, [1e-7, 1.0], "Logical time between steps.";
        drive_amplitude: Dimensionless = 0.1, [0.0, 100.0], "Amplitude of the sine drive u.";
        drive_frequency: Hertz = 50.0, [0.0, 1e6], "Frequency of the drive.";
        oscillation_steps: Count = 32.0, [0.0, 10_000.0], "Steps of alternation (with a swing over min(1, norm_bound)) the watchdog calls an oscillation; 0: off.";
        fault_at: Seconds = 0.0, [0.0, 1e6], "Inject NaN into the state at this time (0: never).";
        window: Seconds = 0.01, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.005, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

/// The model first, then the guard and watchdog, then the windows.
const PARAMS: &[ParamSpec] = spec_table!(DivergenceOwn, 9, GuardWatchdog);

fn build(
    values: &ParamValues,
    seed: u64,
    _: &BuildContext,
) -> Result<Box<dyn Simulation>, ParamError> {
    let p = DivergenceOwn::from_values(values);
    let window = window_grid(p.window, p.hop)?;
    let period = span_of("step_period", p.step_period)?;
    let k = p.state as usize;
    let spec = NetSpec {
        layers: vec![k + 1, p.hidden as usize, k],
        hidden: Activation::from_index(p.hidden_activation as usize).expect("range-checked"),
        output: Activation::Linear,
        steepness: 1.0,
    };
    let setup = NetSetup {
        spec,
        feedback: k,
        // Start off the origin so an expansive map has something to expand.
        initial_state: (0..k).map(|i| 0.1 * (1.0 + i as f64 / k as f64)).collect(),
        trainer: None,
        oscillation_steps: p.oscillation_steps as usize,
        init_scale: p.init_scale,
        guard: GuardWatchdog::from_values(values),
    };
    let (core, _) = build_core(seed, setup, window)?;
    let fault_at = (p.fault_at > 0.0)
        .then(|| span_of("fault_at", p.fault_at).map(|s| TimePoint(s.as_nanos())))
        .transpose()?;
    let world = DivergenceWorld {
        core,
        period,
        omega: TAU * p.drive_frequency,
        amplitude: p.drive_amplitude,
    };
    let mut scheduler = Scheduler::new(seed);
    scheduler
        .schedule_every(TimePoint::ZERO, period, Priority::MODEL, Box::new(StepTask))
        .map_err(|e| inconsistent("step_period", e.to_string()))?;
    if let Some(at) = fault_at {
        scheduler
            .schedule_at(at, Priority::INPUT, Box::new(FaultTask))
            .map_err(|e| inconsistent("fault_at", e.to_string()))?;
    }
    schedule_windows(&mut scheduler, window).map_err(|e| inconsistent("window", e.to_string()))?;
    Ok(Box::new(Sim::new(scheduler, world)))
}

struct DivergenceWorld {
    core: NetCore,
    period: TimeSpan,
    omega: f64,
    amplitude: f64,
}

struct StepTask;

impl Task<DivergenceWorld> for StepTask {
    fn kind(&self) -> &'static str {
        "inference"
    }

    fn run(&mut self, w: &mut DivergenceWorld, ctx: &mut TaskContext<'_, DivergenceWorld>) {
        let u = w.amplitude * libm::sin(w.omega * ctx.now().as_secs_f64());
        if w.core.step(ctx.now(), &[u], w.period).is_some() {
            w.core.record(ctx.now(), None, None);
        }
    }
}

/// Sets the state to NaN (fault injection).
struct FaultTask;

impl Task<DivergenceWorld> for FaultTask {
    fn kind(&self) -> &'static str {
        "fault"
    }

    fn run(&mut self, w: &mut DivergenceWorld, _: &mut TaskContext<'_, DivergenceWorld>) {
        let nan = vec![f64::NAN; w.core.net().state().len()];
        w.core.inject_state(&nan);
    }
}

impl NetWorld for DivergenceWorld {
    fn core(&self) -> &NetCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut NetCore {
        &mut self.core
    }

    /// A new drive frequency restarts the drive's phase from `omega t` (a jump, like a new
    /// signal generator setting).
    fn set_live(&mut self, values: &ParamValues) {
        let changes = DivergenceOwn::changes(values);
        if let Some(a) = changes.drive_amplitude {
            self.amplitude = a;
        }
        if let Some(f) = changes.drive_frequency {
            self.omega = TAU * f;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fann::{Action, Alarm};

    use crate::simulation::Report;
    use serde_json::Value;
    use tempora_protocol::{WindowContent, WindowSummary};

    fn run(overrides: &[(&str, f64)], seconds: f64) -> (Vec<WindowSummary>, Report) {
        let o: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        crate::replay::reference_run(PRESET.name, 3, &o, seconds).unwrap()
    }

    fn net(w: &WindowSummary) -> &WindowContent {
        &w.data
    }

    fn halted(n: &WindowContent) -> bool {
        n.readout("watchdog_state").is_some()
    }

    fn state_norm(n: &WindowContent) -> f64 {
        n.number("state_norm").unwrap()
    }

    #[test]
    fn unguarded_it_diverges_and_the_watchdog_pauses_it() {
        // No watchdog to speak of: a bound beyond any f64 lets it run into infinity.
        let (_, free) = run(&[("norm_bound", 1e300), ("oscillation_steps", 0.0)], 0.05);
        let events = free["watchdog_events"].as_array().unwrap();
        assert!(
            events.iter().any(|e| [Alarm::NonFinite, Alarm::NormBound]
                .map(Alarm::name)
                .contains(&e["alarm"].as_str().unwrap())),
            "the unguarded net blows up: {events:?}"
        );

        let (windows, report) = run(&[], 0.05);
        let first = net(&windows[0]);
        let alarm = &first.events[0];
        assert_eq!(
            alarm.label,
            format!("{} -> {}", Alarm::NormBound.name(), Action::Pause.name())
        );
        assert!(
            first
                .readout("watchdog_first")
                .unwrap()
                .value
                .display()
                .starts_with("norm_bound -> pause at 0.00"),
            "{first:?}"
        );
        assert!(
            alarm.t_s < 0.005,
            "caught within the first window: {}",
            alarm.t_s
        );
        assert!(halted(net(windows.last().unwrap())));
        assert_eq!(
            report["watchdog_event_count"], 1,
            "paused: no further alarms"
        );
        let state: Vec<f64> = serde_json::from_value(report["final_state"].clone()).unwrap();
        assert!(state.iter().all(|v| v.is_finite() && v.abs() <= 1e6));
    }

    #[test]
    fn spectral_normalisation_keeps_it_bounded() {
        let (windows, report) = run(&[("guard", 2.0), ("guard_bound", 0.95)], 0.2);
        assert_eq!(report["watchdog_event_count"], 0);
        for w in &windows {
            let n = net(w);
            assert!(state_norm(n) < 10.0, "{}", state_norm(n));
            let bound = n.number("lipschitz_bound").unwrap();
            assert!(bound <= 0.95 * 0.95 * (1.0 + 1e-9));
            if let Some(r) = n.number("lipschitz_max_ratio") {
                assert!(r <= bound * (1.0 + 1e-9), "{r} > {bound}");
            }
        }
    }

    #[test]
    fn rollback_restores_the_last_good_state_and_goes_on() {
        let (windows, report) = run(&[("watchdog_action", 1.0)], 0.03);
        assert!(report["watchdog_event_count"].as_u64().unwrap() > 1);
        assert!(!halted(net(windows.last().unwrap())));
        assert!(windows.iter().all(|w| state_norm(net(w)).is_finite()));
    }

    #[test]
    fn an_injected_nan_is_caught_at_once() {
        let (windows, report) = run(
            &[
                ("guard", 2.0),
                ("fault_at", 0.012),
                ("watchdog_action", 2.0),
            ],
            0.03,
        );
        let events = report["watchdog_events"].as_array().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["alarm"], Alarm::NonFinite.name());
        assert_eq!(events[0]["action"], Action::Reset.name());
        assert_eq!(events[0]["value"], Value::Null, "NaN is not a JSON number");
        assert!(
            (events[0]["t_s"].as_f64().unwrap() - 0.012).abs() < 1e-12,
            "the step right after the fault"
        );
        assert!(windows.iter().all(|w| state_norm(net(w)).is_finite()));
    }
}
