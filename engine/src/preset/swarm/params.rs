//! The swarm preset's parameters and the checks that span several of them.

use super::super::{inconsistent, window_grid, HOP_HELP, WINDOW_HELP, WINDOW_MAX_S, WINDOW_MIN_S};
use crate::params::{model_params, ParamError, ParamSpec};
use crate::window::WindowConfig;

model_params! {
    /// The swarm's parameters.
    pub(super) struct SwarmParams / SwarmChanges {
        members: Count = 64.0, [1.0, 4096.0], "Micro-nets (4-8-2) in the swarm.";
        stride: Count = 4.0, [1.0, 64.0], "Samples between two evaluations of one member (time division: members / stride evaluations per sample).";
        shards: Count = 1.0, [1.0, 64.0], "Parts the members are split into, each a block of samples ahead on its own thread natively or worker in the browser (up to its helper workers + 1); the results are the same for any count.";
        channels: Count = 16.0, [2.0, 64.0], "Channels of the stream.";
        dt: Seconds = 1e-4, [1e-6, 1e-2], "Sample period of the stream.";
        lag: Count = 3.0, [1.0, 100.0], "Samples between a net's two readings of a channel.";
        shift_every: Seconds = 0.5, [0.01, 1000.0], "Time between regime shifts.";
        offset: Dimensionless = 0.5, [0.0, 10.0], "Each channel's regime offset |mu| (the regimes' signature).";
        clutter: Dimensionless = 0.5, [0.0, 10.0], "Amplitude of each channel's slow sinusoid (2-20 Hz), which hides the offsets at some phases.";
        sigma: Dimensionless = 1.0, [0.0, 10.0], "Noise standard deviation.";
        drift: Hertz = 0.02, [0.0, 1.0], "Relative drift of every channel's frequency per second.";
        anomaly_rate: Hertz = 2.0, [0.0, 1000.0], "Anomalies (5 samples of +5 on one channel) per second.";
        train_time: Seconds = 0.2, [0.0, 10.0], "Training stream for the nets, before t = 0 (its last quarter weighs the votes).";
        epochs: Count = 20.0, [0.0, 1000.0], "iRPROP- epochs per micro-net (0: untrained).";
        backstop_hidden: Count = 48.0, [2.0, 1024.0], "Neurons in each of the backstop's two hidden layers.";
        backstop_epochs: Count = 40.0, [0.0, 1000.0], "iRPROP- epochs of the backstop.";
        backstop_latency: Seconds = 2e-3, [0.0, 1.0], "Logical time an escalated window waits for the backstop (the latency reported).";
        confidence_min: Dimensionless = 0.6, [0.0, 1.0], "Escalate a window whose winner's lower 95 % bound is below this.";
        jsd_max: Dimensionless = 0.012, [0.0, 1.0], "Escalate a window whose JSD to the previous one exceeds this (bits).";
        prior_weight: Dimensionless = 0.5, [0.0, 1.0], "Weight of the backstop's answer in the vote right after an escalation.";
        prior_decay: Dimensionless = 0.5, [0.0, 1.0], "The prior's weight is multiplied by this at each window without escalation.";
        window: Seconds = 0.05, [WINDOW_MIN_S, WINDOW_MAX_S], WINDOW_HELP;
        hop: Seconds = 0.025, [WINDOW_MIN_S, WINDOW_MAX_S], HOP_HELP;
    }
}

pub(super) const PARAMS: &[ParamSpec] = SwarmParams::SPECS;

/// The most samples one window may hold.
pub(super) const MAX_SAMPLES_PER_WINDOW: f64 = 50_000.0;

/// The most training work: members x epochs x training samples. Measured at about 93 ns per
/// unit natively (2048 x 40 x 10 000 took 76 s; 115 s in the browser), so this bounds a build
/// to about 19 s natively and 30 s in a browser worker (whose heartbeat allows 120 s for a
/// build), and still lets every member count train at the default epochs and train_time.
pub(super) const MAX_TRAINING_WORK: f64 = 2e8;

/// The checks across parameters, for a run and for a helper's part of one; returns the
/// windows.
pub(super) fn check(p: &SwarmParams) -> Result<WindowConfig, ParamError> {
    let window = window_grid(p.window, p.hop)?;
    let dt = p.dt;
    if p.window / dt > MAX_SAMPLES_PER_WINDOW {
        return Err(inconsistent(
            "dt",
            format!("a window of {} s would hold more than {MAX_SAMPLES_PER_WINDOW} samples; lengthen dt or shorten window", p.window),
        ));
    }
    let train_samples = (p.train_time / dt) as usize;
    let work = p.members * p.epochs * train_samples as f64;
    if work > MAX_TRAINING_WORK {
        return Err(inconsistent(
            "epochs",
            format!("training members x epochs x samples = {work:.2e} is more than {MAX_TRAINING_WORK:.0e}; lower epochs, members or train_time"),
        ));
    }
    Ok(window)
}
