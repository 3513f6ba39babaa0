//! A run's settings (preset, seed, parameters) in the two forms people share: a JSON file
//! (Save parameters, or the head of a JSON export) and a URL fragment
//! (`#preset=stdp&seed=1&p.taum=0.01`, values in SI). Both decoders are pure and fuzzed
//! (`tests/fuzz.rs`); what they refuse they refuse whole, with a reason, never half applied.

use crate::event::Status;
use crate::param::ParamValues;
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
}

impl From<&Status> for RunSettings {
    fn from(s: &Status) -> Self {
        RunSettings {
            preset: s.preset.clone(),
            seed: s.seed,
            params: s.params.clone(),
        }
    }
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
    query.finish()
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
    Ok(preset.map(|preset| RunSettings {
        preset,
        seed: seed.unwrap_or(DEFAULT_SEED),
        params,
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
        };
        assert_eq!(from_fragment(&to_fragment(&odd)), Ok(Some(odd)));
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
}
