//! The run's settings in the page's URL (`#preset=stdp&seed=1&p.taum=0.01...`, values in SI),
//! so a link reproduces the run. Encoding and decoding go through the browser's
//! `URLSearchParams`; a link that does not decode is reported, never half applied.

use crate::export::RunSettings;
use tempora_engine::params::ParamValues;
use web_sys::UrlSearchParams;

/// Prefix of parameter keys, keeping them apart from `preset` and `seed`.
const PARAM_PREFIX: &str = "p.";
/// The longest fragment read; a real one is a few hundred characters.
const MAX_FRAGMENT: usize = 8 * 1024;

/// The URL fragment (without `#`) for `settings`.
pub fn to_fragment(settings: &RunSettings) -> Result<String, String> {
    let query = UrlSearchParams::new().map_err(|e| format!("{e:?}"))?;
    query.append("preset", &settings.preset);
    query.append("seed", &settings.seed.to_string());
    for (name, value) in &settings.params {
        query.append(&format!("{PARAM_PREFIX}{name}"), &value.to_string());
    }
    Ok(String::from(query.to_string()))
}

/// The settings in a URL fragment (with or without `#`); `Ok(None)` when it names no preset.
pub fn from_fragment(fragment: &str) -> Result<Option<RunSettings>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT {
        return Err(format!(
            "the link's settings are longer than {MAX_FRAGMENT} characters"
        ));
    }
    let query = UrlSearchParams::new_with_str(fragment).map_err(|e| format!("{e:?}"))?;
    let Some(preset) = query.get("preset") else {
        return Ok(None);
    };
    let seed = match query.get("seed") {
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| format!("the link's seed `{text}` is not a whole number"))?,
        None => 1,
    };
    let mut params = ParamValues::new();
    let entries = js_sys::try_iter(&query)
        .map_err(|e| format!("{e:?}"))?
        .ok_or("the link's settings cannot be read")?;
    for entry in entries {
        let pair: js_sys::Array = entry.map_err(|e| format!("{e:?}"))?.into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let Some(name) = key.strip_prefix(PARAM_PREFIX) else {
            continue;
        };
        let text = pair.get(1).as_string().unwrap_or_default();
        let value = text
            .parse::<f64>()
            .map_err(|_| format!("the link's value `{text}` for `{name}` is not a number"))?;
        params.insert(name.to_string(), value);
    }
    Ok(Some(RunSettings {
        preset,
        seed,
        params,
    }))
}

/// The current page's fragment.
pub fn current_fragment() -> Option<String> {
    web_sys::window()?.location().hash().ok()
}

/// Replaces the page's URL fragment without a new history entry.
pub fn replace_fragment(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{fragment}")),
        );
    }
}
