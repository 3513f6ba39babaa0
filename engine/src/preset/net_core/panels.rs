//! What a network window shows: output against target, and per window the errors, the
//! Lipschitz constant, the state norm, accuracy and training error where the preset has them.

use super::{Evaluation, NetCore, WatchdogEvent};
use crate::time::TimePoint;
use tempora_protocol::panel::{
    Axis, EventMarker, Panel, PerWindow, Plot, Readout, Trace, WindowContent,
};

/// Output samples a window carries, at most (evenly spaced).
pub(super) const MAX_SAMPLES: usize = 400;
/// Output samples shown in the output plot (the newest).
const OUTPUT_SAMPLES_SHOWN: usize = 150;

/// The ids of the network presets' panels.
pub(super) mod ids {
    /// Output 0 against its target.
    pub const OUTPUT: &str = "output-plot";
    /// Prediction error per window.
    pub const ERROR: &str = "error-plot";
    /// Lipschitz estimate and bound per window.
    pub const LIPSCHITZ: &str = "lipschitz-plot";
    /// State norm per window.
    pub const STATE_NORM: &str = "state-norm-plot";
    /// Classification accuracy per window.
    pub const ACCURACY: &str = "accuracy-plot";
    /// Training-set error per window.
    pub const TRAINING: &str = "training-plot";
}

/// A window's figures, for its panels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Figures {
    pub rmse: Option<f64>,
    pub baseline_rmse: Option<f64>,
    pub accuracy: Option<f64>,
    pub estimate: Option<f64>,
    pub bound: f64,
    pub state_norm: f64,
    pub max_ratio: Option<f64>,
}

impl NetCore {
    /// The window's readouts, event markers and panels.
    pub(super) fn content(
        &self,
        records: &[&(TimePoint, Evaluation)],
        figures: &Figures,
        events: &[WatchdogEvent],
        layer_norms: &[f64],
    ) -> WindowContent {
        let Figures {
            rmse,
            baseline_rmse,
            accuracy,
            estimate,
            bound,
            state_norm,
            max_ratio,
        } = *figures;
        let mut content = WindowContent::default();
        content.readouts.push(Readout::count(
            "evaluations",
            "evaluations",
            records.len() as u64,
        ));
        if let Some(rmse) = rmse {
            content
                .readouts
                .push(Readout::number("rmse", "RMS error", Some(rmse), "", 4));
        }
        if let Some(baseline) = baseline_rmse {
            content.readouts.push(Readout::number(
                "baseline_rmse",
                "baseline",
                Some(baseline),
                "",
                4,
            ));
        }
        if let Some(accuracy) = accuracy {
            content.readouts.push(Readout::number(
                "accuracy_pct",
                "accuracy",
                Some(accuracy * 100.0),
                "%",
                1,
            ));
        }
        if let Some(tr) = &self.trainer {
            content.readouts.extend([
                Readout::count("training_epochs", "epochs trained", tr.epochs()),
                Readout::text(
                    "training_algorithm",
                    "training algorithm",
                    tr.algorithm().name(),
                ),
                Readout::number(
                    "training_rmse",
                    "training RMS error",
                    self.training_rmse,
                    "",
                    4,
                ),
            ]);
            content.readouts.push(Readout::count(
                "training_epochs_in_window",
                "epochs in the window",
                tr.epochs() - self.epochs_at_close,
            ));
        }
        content.readouts.extend([
            Readout::number("lipschitz_estimate", "Lipschitz estimate", estimate, "", 3),
            Readout::number("lipschitz_bound", "Lipschitz bound", Some(bound), "", 3),
            Readout::number(
                "lipschitz_max_ratio",
                "largest ratio in the window",
                max_ratio,
                "",
                3,
            ),
            Readout::text("guard", "guard", self.guard.kind().name()),
            Readout::number("state_norm", "state norm", Some(state_norm), "", 4),
            Readout::count("watchdog_events", "watchdog events", events.len() as u64),
        ]);
        content
            .readouts
            .extend(layer_norms.iter().enumerate().map(|(i, norm)| {
                Readout::number(
                    &format!("layer_norm_{}", i + 1),
                    &format!("layer {} spectral norm", i + 1),
                    Some(*norm),
                    "",
                    3,
                )
            }));
        if let Some(first) = events.first() {
            content.readouts.push(Readout::text(
                "watchdog_first",
                "first alarm",
                format!("{} at {:.6} s", first.describe(), first.t_s),
            ));
        }
        if self.halted {
            content.readouts.push(Readout::text(
                "watchdog_state",
                "network",
                "PAUSED by the watchdog (Reset to resume)",
            ));
        }
        content.events = events
            .iter()
            .map(|e| EventMarker {
                t_s: e.t_s,
                label: e.describe(),
            })
            .collect();
        content.panels = self.panels(records, figures);
        content
    }

    /// The window's plots: output against target, and per window the errors, Lipschitz
    /// constant, state norm, accuracy and training error where the preset has them.
    pub(super) fn panels(
        &self,
        records: &[&(TimePoint, Evaluation)],
        figures: &Figures,
    ) -> Vec<Panel> {
        let Figures {
            rmse,
            baseline_rmse,
            accuracy,
            estimate,
            bound,
            state_norm,
            ..
        } = *figures;
        let stride = records.len().div_ceil(MAX_SAMPLES).max(1);
        let sampled: Vec<&&(TimePoint, Evaluation)> = records.iter().step_by(stride).collect();
        let output: Vec<[f64; 2]> = sampled
            .iter()
            .map(|(t, e)| [t.as_secs_f64(), e.output])
            .collect();
        let target: Vec<[f64; 2]> = sampled
            .iter()
            .filter_map(|(t, e)| e.target.map(|target| [t.as_secs_f64(), target]))
            .collect();
        let mut lines = vec![("output".to_string(), output)];
        if !target.is_empty() {
            lines.push(("target".to_string(), target));
        }
        let mut outputs = Trace::lines(Axis::new("output", "a.u."), lines);
        outputs.newest = Some(OUTPUT_SAMPLES_SHOWN);
        outputs.markers = true;
        let mut panels = vec![Panel::new(
            ids::OUTPUT,
            "Network output 0 against its target, newest samples (red lines: watchdog events)",
            Plot::Trace(outputs),
        )
        .wide()];
        if rmse.is_some() {
            let mut errors = vec![("network", rmse)];
            if baseline_rmse.is_some() {
                errors.push(("baseline: last sample", baseline_rmse));
            }
            panels.push(Panel::new(
                ids::ERROR,
                "Prediction error per window",
                Plot::PerWindow(PerWindow::lines(Axis::new("RMS error", "a.u."), &errors)),
            ));
        }
        let mut lipschitz = PerWindow::lines(
            Axis::new("|dy| / |dx|", "").logarithmic(),
            &[
                ("estimate", estimate),
                ("bound (product of layer norms)", Some(bound)),
            ],
        );
        lipschitz.markers = true;
        let mut norm = PerWindow::single(Axis::new("|y|", "").logarithmic(), Some(state_norm));
        norm.markers = true;
        panels.extend([
            Panel::new(
                ids::LIPSCHITZ,
                "Lipschitz constant: online estimate and layer bound",
                Plot::PerWindow(lipschitz),
            ),
            Panel::new(
                ids::STATE_NORM,
                "State norm at each window's end",
                Plot::PerWindow(norm),
            ),
        ]);
        if let Some(accuracy) = accuracy {
            panels.push(Panel::new(
                ids::ACCURACY,
                "Outputs with the target's sign per window",
                Plot::PerWindow(PerWindow::single(
                    Axis::new("accuracy", "%").with_range(0.0, 105.0),
                    Some(accuracy * 100.0),
                )),
            ));
        }
        if self.trainer.is_some() {
            panels.push(Panel::new(
                ids::TRAINING,
                "Training-set RMS error by prediction",
                Plot::PerWindow(PerWindow::single(
                    Axis::new("RMS error", "a.u."),
                    self.training_rmse,
                )),
            ));
        }
        panels
    }
}
