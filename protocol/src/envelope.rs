//! Every message travels in an [`Envelope`] with the protocol version `v`. A receiver first reads
//! only `v` (so a message from another version gets a clear "version" error, not a confusing
//! decoding error), then the body.

use serde::{Deserialize, Serialize};

/// The version both sides must speak. Bump it on any incompatible change to these types.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message with its protocol version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Protocol version, [`PROTOCOL_VERSION`].
    pub v: u32,
    /// The message.
    pub msg: T,
}

impl<T> Envelope<T> {
    /// Wraps `msg` at the current protocol version.
    pub fn new(msg: T) -> Self {
        Envelope {
            v: PROTOCOL_VERSION,
            msg,
        }
    }
}

/// Only the version of an envelope, read before the body.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct VersionProbe {
    /// The sender's protocol version.
    pub v: u32,
}
