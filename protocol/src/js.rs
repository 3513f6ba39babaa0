//! The protocol's JavaScript form (feature `js`): envelopes to and from `JsValue` through
//! serde-wasm-bindgen. Used by both ends, the worker and the UI, so they decode alike.
//!
//! Decoding never panics: anything that is not a valid envelope of the current version becomes
//! a [`CodecError`] that names what is wrong.

use crate::envelope::{Envelope, VersionProbe, PROTOCOL_VERSION};
use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;
use wasm_bindgen::JsValue;

/// Why a message could not be read or written.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CodecError {
    /// Not an object with a protocol version `v`.
    #[error("malformed message (no protocol version `v`): {0}")]
    NoVersion(String),
    /// Another protocol version.
    #[error("protocol version {0} is not supported: this side speaks version {PROTOCOL_VERSION}")]
    Version(u32),
    /// The right version, but not a message of this type.
    #[error("malformed message: {0}")]
    Malformed(String),
    /// The message could not be turned into a JS value.
    #[error("cannot encode message: {0}")]
    Encode(String),
}

/// Reads an envelope's message, checking the protocol version first.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, CodecError> {
    let probe: VersionProbe = serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| CodecError::NoVersion(e.to_string()))?;
    if probe.v != PROTOCOL_VERSION {
        return Err(CodecError::Version(probe.v));
    }
    let envelope: Envelope<T> =
        serde_wasm_bindgen::from_value(value).map_err(|e| CodecError::Malformed(e.to_string()))?;
    Ok(envelope.msg)
}

/// Wraps `msg` in an envelope of the current version as a plain JS object (maps become objects).
pub fn encode<T: Serialize>(msg: &T) -> Result<JsValue, CodecError> {
    Envelope::new(msg)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| CodecError::Encode(e.to_string()))
}
