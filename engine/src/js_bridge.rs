//! The protocol's JavaScript form (feature `js`): envelopes to and from `JsValue` through
//! serde-wasm-bindgen. Used by both ends, the worker and the UI, so they decode alike.
//!
//! Decoding never panics: anything that is not a valid envelope of the current version becomes
//! an error text that names what is wrong.

use crate::protocol::{Envelope, VersionProbe, PROTOCOL_VERSION};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Reads an envelope's message, checking the protocol version first.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    let probe: VersionProbe = serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| format!("malformed message (no protocol version `v`): {e}"))?;
    if probe.v != PROTOCOL_VERSION {
        return Err(format!(
            "protocol version {} is not supported: this side speaks version {PROTOCOL_VERSION}",
            probe.v
        ));
    }
    let envelope: Envelope<T> =
        serde_wasm_bindgen::from_value(value).map_err(|e| format!("malformed message: {e}"))?;
    Ok(envelope.msg)
}

/// Wraps `msg` in an envelope of the current version as a plain JS object (maps become objects).
pub fn encode<T: Serialize>(msg: &T) -> Result<JsValue, String> {
    Envelope::new(msg)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| format!("cannot encode message: {e}"))
}
