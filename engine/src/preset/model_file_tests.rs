//! The model files of `stdp` and `phase-lock` (their networks, run by the network engine)
//! against the presets themselves: the same statistics (not the same spikes: the random
//! streams and, for phase-lock, the drive's integration differ; see each preset's
//! `model_file`).

use super::find;
use crate::models::phase::{phase_at, PhaseStats};
use crate::network::{Network, DEFAULT_MAX_BYTES};
use crate::params::{self, ParamValues};
use crate::simulation::run_to;
use crate::time::TimePoint;
use tempora_protocol::model::NetworkModel;

fn model_file(name: &str) -> NetworkModel {
    let preset = find(name).unwrap();
    let values = params::resolve(preset.params, &ParamValues::new()).unwrap();
    (preset.as_model.expect("a model file"))(&values)
}

#[test]
fn the_stdp_model_file_turns_its_weights_bimodal_as_the_preset_does() {
    // 30 s: the preset's own test of bimodality, and its thresholds.
    let (mut sim, _) = find("stdp").unwrap().build(1, &ParamValues::new()).unwrap();
    let windows = run_to(sim.as_mut(), TimePoint(30_000_000_000));
    let last = &windows.last().unwrap().data;
    let share = |key: &str| last.number(key).unwrap() / 100.0;
    let preset = (share("weights_near_0_pct"), share("weights_near_max_pct"));
    let mut net = Network::build(&model_file("stdp"), 1, DEFAULT_MAX_BYTES).unwrap();
    net.run(300_000);
    let results = net.results();
    let w = &results.weights["input"];
    let file = (w.near_zero, w.near_max);
    for (near_zero, near_max) in [preset, file] {
        assert!(near_zero > 0.15 && near_max > 0.12, "{preset:?} {file:?}");
    }
    // One neuron's run: the shares move by several points between seeds.
    assert!(
        (preset.0 - file.0).abs() < 0.15,
        "near 0: {preset:?} {file:?}"
    );
    assert!(
        (preset.1 - file.1).abs() < 0.15,
        "near max: {preset:?} {file:?}"
    );
    // Its inputs fire at F: 1000 x 15 Hz.
    let inputs = results.stats["inputs"].rate_hz;
    assert!((inputs - 15.0).abs() < 0.2, "{inputs}");
}

#[test]
fn the_phase_lock_model_file_locks_at_the_presets_phase() {
    // 5 s: the last second of each, one spike per cycle of the 10 Hz drive.
    let (mut sim, _) = find("phase-lock")
        .unwrap()
        .build(1, &ParamValues::new())
        .unwrap();
    let windows = run_to(sim.as_mut(), TimePoint(5_000_000_000));
    let last = &windows.last().unwrap().data;
    let preset_deg = last.number("phase_mean_deg").unwrap();
    let model = model_file("phase-lock");
    let mut net = Network::build(&model, 1, DEFAULT_MAX_BYTES).unwrap();
    net.run(50_000);
    let record = net.record_of(0);
    let dt = net.spec.dt;
    let mut stats = PhaseStats::default();
    let mut spikes = 0;
    for &step in &record.steps {
        let t = step as f64 * dt;
        if t >= 4.0 {
            stats.add(phase_at(t, 10.0));
            spikes += 1;
        }
    }
    assert_eq!(spikes, 10, "one spike per cycle");
    let file_deg = stats.circular_mean().unwrap().to_degrees();
    // Within a step and a half of the drive's phase (0.36 degrees a step at 10 Hz).
    assert!(
        (file_deg - preset_deg).abs() < 0.6,
        "model file {file_deg} deg, preset {preset_deg} deg"
    );
}
