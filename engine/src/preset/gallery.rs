//! The gallery the dashboard opens with: every shipped model, the four regimes of `brunel`,
//! and the divergence demo guarded and not, each with what its run shows. The figures in the
//! lines were measured (README "Spiking networks", `tests/bench/validation.md`).

use crate::params::{self, ParamValues};
use crate::preset;
use tempora_protocol::{Example, MODEL_RUN};

/// An entry: (id, title, preset, overrides, what to look for).
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, f64)],
    &'static str,
);

const ENTRIES: &[Entry] = &[
    ("cuba", "CUBA: Vogels & Abbott, current synapses", "cuba", &[],
     "Asynchronous irregular firing: a raster without stripes, both populations near 6 Hz, ISI CVs about 0.5."),
    ("coba", "COBA: Vogels & Abbott, conductance synapses", "coba", &[],
     "Self-sustained activity near 20 Hz with bursty neurons: ISI CVs above 1."),
    ("brunel-sr", "Brunel A: synchronous regular", "brunel", &[("g", 3.0), ("eta", 2.0)],
     "Excitation wins: every neuron fires at about 300 Hz, near its refractory limit, in lock-step (CV near 0)."),
    ("brunel-ai", "Brunel B: asynchronous irregular", "brunel", &[("g", 6.0), ("eta", 4.0)],
     "Strong inhibition, strong drive: irregular single neurons near 57 Hz (CV 0.65) over a fast, weak population rhythm."),
    ("brunel-si-fast", "Brunel C: synchronous irregular, fast", "brunel", &[("g", 5.0), ("eta", 2.0)],
     "Neurons fire irregularly near 36 Hz while the population rate oscillates at about 120 Hz."),
    ("brunel-si-slow", "Brunel D: synchronous irregular, slow", "brunel", &[("g", 4.5), ("eta", 0.9)],
     "Weak drive: sparse firing near 5 Hz, with slow population waves at about 20 Hz in the rates."),
    ("stdp-network", "STDP network: competition through plasticity", "stdp-network", &[],
     "The input weights spread from uniform to a bimodal histogram as the 100 neurons compete (run at 100x)."),
    ("stdp", "STDP onto one neuron (Song et al. 2000)", "stdp", &[],
     "1000 Poisson inputs through additive STDP: the weight histogram splits towards 0 and gmax over tens of seconds."),
    ("phase-lock", "Phase locking to a sine drive", "phase-lock", &[],
     "One spike per cycle of the drive, at a phase that settles to a fixed value."),
    ("multirate-stdp", "Multirate clock: 1 us, 10 us, 100 Hz", "multirate-stdp", &[],
     "Tasks at three cadences on one logical clock, falling due together in a fixed order."),
    ("poisson-lif", "Poisson inputs onto one LIF neuron", "poisson-lif", &[],
     "The output rate against the input rate, weight and threshold, and the free membrane's mean."),
    ("xor", "ruv-FANN learns XOR", "xor", &[],
     "The training error falls and the four XOR answers separate while inference runs every microsecond."),
    ("predict", "ruv-FANN predicts a noisy signal", "predict", &[],
     "The prediction follows the signal, loses it at the regime shift and learns it again."),
    ("divergence-unguarded", "Divergence, unguarded", "divergence", &[],
     "A recurrent net fed its own output blows up; the watchdog catches it and pauses the run, saying why."),
    ("divergence-guarded", "Divergence, spectrally normalised", "divergence", &[("guard", 2.0), ("guard_bound", 0.95)],
     "The same net with every layer's spectral norm held at 0.95: the state stays bounded."),
    ("swarm", "Swarm of micro-nets governing a stream", "swarm", &[],
     "Micro-nets vote on a 16-channel stream; windows of low confidence go to the backstop net, most at the regime shifts."),
    ("random-walk", "Random walk on the logical clock", "random-walk", &[],
     "A tick drives a seeded walk; overlapping windows blend its mean."),
];

/// The gallery, in the order shown.
pub fn gallery() -> Vec<Example> {
    ENTRIES
        .iter()
        .map(|&(id, title, preset, params, look_for)| Example {
            id: id.to_string(),
            title: title.to_string(),
            preset: preset.to_string(),
            params: params
                .iter()
                .map(|&(name, value)| (name.to_string(), value))
                .collect::<ParamValues>(),
            look_for: look_for.to_string(),
            model: None,
        })
        .chain(MODEL_FILES.iter().map(|&(id, title, preset, look_for)| {
            let preset = preset::find(preset).expect("a shipped preset");
            let defaults = params::resolve(preset.params, &ParamValues::new())
                .expect("a preset's defaults are valid");
            Example {
                id: id.to_string(),
                title: title.to_string(),
                preset: MODEL_RUN.to_string(),
                params: ParamValues::new(),
                look_for: look_for.to_string(),
                model: Some((preset.as_model.expect("a preset with a model file"))(
                    &defaults,
                )),
            }
        }))
        .collect()
}

/// Presets shown again as their model files (run by the network engine, open in the editor):
/// (id, title, preset, what to look for).
const MODEL_FILES: &[(&str, &str, &str, &str)] = &[
    ("stdp-file", "STDP onto one neuron, as a model file", "stdp",
     "The stdp preset's network in the network engine: edit it in the Network tab (more neurons, another rule); its input weights turn bimodal as the preset's do."),
    ("phase-lock-file", "Phase locking, as a model file", "phase-lock",
     "The phase-lock neuron in the network engine (its drive is a model field, live in the editor); it locks at the preset's phase, without its phase-bias rule."),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;
    use crate::preset;

    #[test]
    fn every_entry_names_a_preset_and_valid_parameters_and_every_preset_is_shown() {
        let examples = gallery();
        let mut ids: Vec<&str> = examples.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), examples.len(), "ids are unique");
        for example in &examples {
            if let Some(model) = &example.model {
                // A model file: valid as a model run would check it.
                assert_eq!(example.preset, MODEL_RUN);
                crate::network::spec::NetSpec::resolve(model)
                    .unwrap_or_else(|e| panic!("{}: {e}", example.id));
                continue;
            }
            let preset = preset::find(&example.preset).expect("a known preset");
            assert_eq!(preset.name, example.preset, "by its name, not an alias");
            params::resolve(preset.params, &example.params)
                .unwrap_or_else(|e| panic!("{}: {e}", example.id));
        }
        for preset in preset::all() {
            assert!(
                examples.iter().any(|e| e.preset == preset.name),
                "{} is in the gallery",
                preset.name
            );
        }
    }

    #[test]
    fn the_four_brunel_regimes_are_the_papers() {
        let regime = |id: &str| {
            let e = gallery().into_iter().find(|e| e.id == id).expect(id);
            (e.params["g"], e.params["eta"])
        };
        assert_eq!(regime("brunel-sr"), (3.0, 2.0));
        assert_eq!(regime("brunel-ai"), (6.0, 4.0));
        assert_eq!(regime("brunel-si-fast"), (5.0, 2.0));
        assert_eq!(regime("brunel-si-slow"), (4.5, 0.9));
    }
}
