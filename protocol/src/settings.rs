//! A run's settings (preset, seed, parameters) in the two forms people share: a JSON file
//! (Save parameters, or the head of a JSON export) and a URL fragment
//! (`#preset=stdp&seed=1&p.taum=0.01`, values in SI). Both decoders are pure and fuzzed
//! (`tests/fuzz.rs`); what they refuse they refuse whole, with a reason, never half applied.

use crate::command::MODEL_RUN;
use crate::event::{PickedNeuron, Status};
use crate::model::{NetworkModel, MAX_MODEL_FILE_BYTES};
use crate::param::ParamValues;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The largest file accepted for import. A saved parameter set is well under 1 KiB; a run's
/// JSON export (whose settings are read and whose windows are skipped) of the 400 windows the
/// dashboard holds is at most a few MiB for the largest preset. Anything bigger is refused
/// before it is read.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;

/// Prefix of parameter keys in a URL fragment, keeping them apart from `preset` and `seed`.
const PARAM_PREFIX: &str = "p.";
/// The longest fragment read; a real one is a few hundred characters.
pub const MAX_FRAGMENT: usize = 8 * 1024;
/// Key of a model run's model in a fragment: its JSON, deflated, in URL-safe base64.
const MODEL_KEY: &str = "m";
/// Key of a picked neuron in a fragment (`probe=E:12`, repeated, the newest first).
const PROBE_KEY: &str = "probe";
/// The seed when a link names none.
const DEFAULT_SEED: u64 = 1;

/// Why a file or a link's settings were refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SettingsError {
    /// The file is larger than [`MAX_IMPORT_BYTES`].
    #[error("the file is {bytes} bytes; an importable file (saved parameters or a run's JSON export) is at most {} MiB", MAX_IMPORT_BYTES >> 20)]
    FileTooLarge {
        /// Its size.
        bytes: f64,
    },
    /// The file is not JSON with a preset, a seed and parameters.
    #[error("not a Tempora parameter set (needs preset, seed and params): {0}")]
    NotSettings(String),
    /// The fragment is longer than [`MAX_FRAGMENT`].
    #[error("the link's settings are longer than {MAX_FRAGMENT} characters")]
    LinkTooLong,
    /// A parameter's value in the link is not a finite number.
    #[error("the link's value `{value}` for `{name}` is not a number")]
    LinkValue {
        /// The parameter.
        name: String,
        /// The text found.
        value: String,
    },
    /// The link's seed is not a whole number.
    #[error("the link's seed `{0}` is not a whole number")]
    LinkSeed(String),
    /// The link's model cannot be read.
    #[error("the link's model cannot be read: {0}")]
    LinkModel(String),
    /// The link names a model run without its model.
    #[error("the link names a model run but holds no model (it was too large for a link: load its file instead)")]
    LinkWithoutModel,
    /// A picked neuron in the link is not `population:index`.
    #[error("the link's picked neuron `{0}` is not population:index")]
    LinkProbe(String),
}

/// A run's parameters: what a JSON export starts with and what import reads back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// The preset.
    pub preset: String,
    /// The seed.
    pub seed: u64,
    /// Every parameter, SI units.
    pub params: ParamValues,
    /// The model of a model run (preset [`MODEL_RUN`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<NetworkModel>,
    /// Neurons picked for their membrane, the newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<PickedNeuron>,
}

impl RunSettings {
    /// The settings of the run `status` describes; `model` is its network model, kept only for
    /// a model run (a preset's parameters rebuild its own).
    pub fn of(status: &Status, model: Option<&NetworkModel>) -> Self {
        RunSettings {
            preset: status.preset.clone(),
            seed: status.seed,
            params: status.params.clone(),
            model: model.filter(|_| status.preset == MODEL_RUN).cloned(),
            probes: status.probes.clone(),
        }
    }

    /// The commands that set this run up: its configuration, then its picked neurons (the
    /// oldest first, so the newest ends up first again).
    pub fn commands(self) -> Vec<crate::Command> {
        let probes: Vec<crate::Command> = self
            .probes
            .iter()
            .rev()
            .map(|p| crate::Command::Probe {
                population: p.population.clone(),
                neuron: p.neuron,
            })
            .collect();
        std::iter::once(self.configure()).chain(probes).collect()
    }

    /// The command that configures this run.
    pub fn configure(self) -> crate::Command {
        match self.model {
            Some(model) => crate::Command::ConfigureModel {
                model: Box::new(model),
                seed: self.seed,
            },
            None => crate::Command::Configure {
                preset: self.preset,
                seed: self.seed,
                params: self.params,
            },
        }
    }
}

impl From<&Status> for RunSettings {
    fn from(s: &Status) -> Self {
        RunSettings::of(s, None)
    }
}

/// A model as a link carries it: compact JSON, deflated, URL-safe base64 without padding.
fn pack_model(model: &NetworkModel) -> String {
    let json = serde_json::to_vec(model).expect("a model serialises");
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)
}

/// The model a link carries, read as a model file is (at most [`MAX_MODEL_FILE_BYTES`] once
/// inflated: a link cannot make the page inflate more).
fn unpack_model(text: &str) -> Result<NetworkModel, SettingsError> {
    let bad = |m: String| SettingsError::LinkModel(m);
    let deflated = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| bad(format!("not base64: {e}")))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_MODEL_FILE_BYTES)
        .map_err(|e| {
            bad(format!(
                "not deflated data, or over {MAX_MODEL_FILE_BYTES} bytes inflated ({e})"
            ))
        })?;
    let text = String::from_utf8(json).map_err(|e| bad(e.to_string()))?;
    NetworkModel::from_json(&text).map_err(|e| bad(e.to_string()))
}

/// Refuses a file of `bytes` bytes that cannot be an importable file, before reading it.
pub fn check_import_size(bytes: f64) -> Result<(), SettingsError> {
    if bytes > MAX_IMPORT_BYTES as f64 {
        return Err(SettingsError::FileTooLarge { bytes });
    }
    Ok(())
}

/// Reads a parameter set saved by Save parameters, or the settings at the head of a JSON
/// export (its `windows` are skipped), or says why not. Values are checked by the engine when
/// the settings are applied (a refusal there changes nothing either).
pub fn parse_settings(text: &str) -> Result<RunSettings, SettingsError> {
    check_import_size(text.len() as f64)?;
    serde_json::from_str::<RunSettings>(text).map_err(|e| SettingsError::NotSettings(e.to_string()))
}

/// The URL fragment (without `#`) for `settings`.
pub fn to_fragment(settings: &RunSettings) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("preset", &settings.preset);
    query.append_pair("seed", &settings.seed.to_string());
    for (name, value) in &settings.params {
        query.append_pair(&format!("{PARAM_PREFIX}{name}"), &value.to_string());
    }
    for p in &settings.probes {
        query.append_pair(PROBE_KEY, &format!("{}:{}", p.population, p.neuron));
    }
    if let Some(model) = &settings.model {
        query.append_pair(MODEL_KEY, &pack_model(model));
    }
    query.finish()
}

/// The fragment for `settings`, or `Err(length)` when it is longer than a link may be
/// ([`MAX_FRAGMENT`]: a large model is shared as a file).
pub fn to_link(settings: &RunSettings) -> Result<String, usize> {
    let fragment = to_fragment(settings);
    if fragment.len() > MAX_FRAGMENT {
        return Err(fragment.len());
    }
    Ok(fragment)
}

/// The settings in a URL fragment (with or without `#`); `Ok(None)` when it names no preset.
pub fn from_fragment(fragment: &str) -> Result<Option<RunSettings>, SettingsError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT {
        return Err(SettingsError::LinkTooLong);
    }
    let mut preset = None;
    let mut seed = None;
    let mut params = ParamValues::new();
    let mut model = None;
    let mut probes = Vec::new();
    for (key, value) in form_urlencoded::parse(fragment.as_bytes()) {
        if let Some(name) = key.strip_prefix(PARAM_PREFIX) {
            let number = value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| SettingsError::LinkValue {
                    name: name.to_string(),
                    value: value.to_string(),
                })?;
            params.insert(name.to_string(), number);
        } else if key == PROBE_KEY {
            let picked = value
                .rsplit_once(':')
                .and_then(|(population, neuron)| {
                    Some(PickedNeuron {
                        population: population.to_string(),
                        neuron: neuron.parse().ok()?,
                    })
                })
                .filter(|p| !p.population.is_empty())
                .ok_or_else(|| SettingsError::LinkProbe(value.to_string()))?;
            probes.push(picked);
        } else if key == MODEL_KEY && model.is_none() {
            model = Some(unpack_model(&value)?);
        } else if key == "preset" {
            preset.get_or_insert_with(|| value.into_owned());
        } else if key == "seed" && seed.is_none() {
            seed = Some(
                value
                    .parse::<u64>()
                    .map_err(|_| SettingsError::LinkSeed(value.to_string()))?,
            );
        }
    }
    if preset.as_deref() == Some(MODEL_RUN) && model.is_none() {
        return Err(SettingsError::LinkWithoutModel);
    }
    Ok(preset.map(|preset| RunSettings {
        preset,
        seed: seed.unwrap_or(DEFAULT_SEED),
        params,
        model,
        probes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RunSettings {
        RunSettings {
            preset: "phase-lock".into(),
            seed: 9_007_199_254_740_991,
            params: [("taum".to_string(), 0.012), ("I1".to_string(), 1.5e-2)]
                .into_iter()
                .collect(),
            model: None,
            probes: Vec::new(),
        }
    }

    #[test]
    fn settings_survive_the_url_exactly() {
        let s = settings();
        let fragment = to_fragment(&s);
        assert_eq!(
            fragment,
            "preset=phase-lock&seed=9007199254740991&p.I1=0.015&p.taum=0.012"
        );
        assert_eq!(from_fragment(&format!("#{fragment}")), Ok(Some(s)));
        // Awkward values travel exactly: shortest round-trip decimal, escaped names.
        let odd = RunSettings {
            preset: "a b&c".into(),
            seed: 0,
            params: [("x=y".to_string(), 0.1 + 0.2), ("tiny".to_string(), 5e-324)]
                .into_iter()
                .collect(),
            model: None,
            probes: Vec::new(),
        };
        assert_eq!(from_fragment(&to_fragment(&odd)), Ok(Some(odd)));
    }

    #[test]
    fn picked_neurons_travel_in_the_link_and_come_back_in_their_order() {
        let mut s = settings();
        let pick = |population: &str, neuron| PickedNeuron {
            population: population.into(),
            neuron,
        };
        // Names may hold a colon: the index is after the last one.
        s.probes = vec![pick("E", 12), pick("a:b", 0)];
        let fragment = to_fragment(&s);
        assert!(
            fragment.contains("probe=E%3A12&probe=a%3Ab%3A0"),
            "{fragment}"
        );
        assert_eq!(from_fragment(&fragment), Ok(Some(s.clone())));
        // Configure first, then the oldest pick, so the newest leads again.
        let commands = s.commands();
        assert_eq!(commands.len(), 3);
        assert!(
            matches!(&commands[1], crate::Command::Probe { population, neuron: 0 } if population == "a:b")
        );
        assert!(
            matches!(&commands[2], crate::Command::Probe { population, neuron: 12 } if population == "E")
        );
        for bad in ["probe=E", "probe=E:x", "probe=:3", "probe=E:-1"] {
            assert!(
                matches!(
                    from_fragment(&format!("preset=cuba&{bad}")),
                    Err(SettingsError::LinkProbe(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_links_are_refused_whole_with_the_reason() {
        assert_eq!(from_fragment(""), Ok(None));
        assert_eq!(from_fragment("#seed=3"), Ok(None));
        assert_eq!(
            from_fragment("preset=stdp&seed=-1"),
            Err(SettingsError::LinkSeed("-1".into()))
        );
        assert_eq!(
            from_fragment("preset=stdp&p.taum=ten"),
            Err(SettingsError::LinkValue {
                name: "taum".into(),
                value: "ten".into()
            })
        );
        assert_eq!(
            from_fragment("preset=stdp&p.taum=NaN")
                .unwrap_err()
                .to_string(),
            "the link's value `NaN` for `taum` is not a number"
        );
        assert!(from_fragment("preset=stdp&p.taum=inf").is_err());
        let long = format!("preset=stdp&p.x={}", "1".repeat(MAX_FRAGMENT));
        assert_eq!(from_fragment(&long), Err(SettingsError::LinkTooLong));
        // No seed: the default.
        assert_eq!(from_fragment("preset=tick").unwrap().unwrap().seed, 1);
    }

    #[test]
    fn json_settings_read_back_and_bad_files_are_refused() {
        let s = settings();
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(parse_settings(&text), Ok(s.clone()));
        // The head of a JSON export: windows are skipped.
        let export = r#"{"preset":"phase-lock","seed":9007199254740991,"params":{"taum":0.012,"I1":0.015},"windows":[{"index":0}]}"#;
        assert_eq!(parse_settings(export), Ok(s));
        let too_big = " ".repeat(MAX_IMPORT_BYTES + 1);
        assert!(parse_settings(&too_big)
            .unwrap_err()
            .to_string()
            .contains("at most 32 MiB"));
        assert!(matches!(
            parse_settings("{\"preset\": 3}"),
            Err(SettingsError::NotSettings(_))
        ));
        assert!(parse_settings("not json").is_err());
    }

    fn model_settings(size: u64) -> RunSettings {
        let model = NetworkModel::from_json(&format!(
            r#"{{"format": 1, "name": "two", "dt": "0.1 ms",
                "populations": [{{"name": "in", "size": {size}, "poisson": {{"rate": "5 Hz"}}}}]}}"#
        ))
        .unwrap();
        RunSettings {
            preset: MODEL_RUN.into(),
            seed: 4,
            params: ParamValues::new(),
            model: Some(model),
            probes: Vec::new(),
        }
    }

    #[test]
    fn a_model_run_travels_in_the_link_compressed_and_bad_ones_are_refused() {
        let s = model_settings(10);
        let link = to_link(&s).unwrap();
        assert!(link.starts_with("preset=model&seed=4&m="), "{link}");
        assert_eq!(from_fragment(&link), Ok(Some(s.clone())));
        // The model is a file's JSON, deflated: far shorter than the JSON itself.
        let json_len = serde_json::to_string(s.model.as_ref().unwrap())
            .unwrap()
            .len();
        assert!(link.len() < json_len + 30, "{} vs {json_len}", link.len());
        assert_eq!(
            from_fragment("preset=model&seed=4"),
            Err(SettingsError::LinkWithoutModel)
        );
        assert!(matches!(
            from_fragment("preset=model&m=%%%"),
            Err(SettingsError::LinkModel(_))
        ));
        assert!(matches!(
            from_fragment("preset=model&m=AAAA"),
            Err(SettingsError::LinkModel(_))
        ));
        // A deflated bomb: inflating stops at the model file's limit.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 4 * MAX_MODEL_FILE_BYTES], 9);
        let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb);
        let e = from_fragment(&format!("preset=model&m={packed}")).unwrap_err();
        assert!(e.to_string().contains("262144 bytes"), "{e}");
        // Saved as a file and read back, the model comes with it.
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(parse_settings(&text), Ok(s.clone()));
        assert!(matches!(
            s.configure(),
            crate::Command::ConfigureModel { seed: 4, .. }
        ));
    }

    #[test]
    fn a_model_too_large_for_a_link_is_refused_with_its_length() {
        // Many distinct populations do not compress away.
        let mut s = model_settings(10);
        let model = s.model.as_mut().unwrap();
        for i in 0..2000u64 {
            let mut p = model.populations[0].clone();
            p.name = format!("p{}", i.wrapping_mul(2_654_435_761) % 1_000_003);
            p.size = i * 7919 % 100_003 + 1;
            model.populations.push(p);
        }
        let length = to_link(&s).unwrap_err();
        assert!(length > MAX_FRAGMENT, "{length}");
    }
}
