//! The run's settings in the page's URL (`#preset=stdp&seed=1&p.taum=0.01...`, values in SI),
//! so a link reproduces the run. The codec is the protocol's ([`tempora_protocol::settings`],
//! fuzzed natively); this module reads and writes the page's fragment.

pub use tempora_protocol::settings::{from_fragment, to_fragment};

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
