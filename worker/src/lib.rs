//! Tempora's Web Worker, as a library so that browser tests can drive the same code.
//!
//! The worker decodes commands (`tempora_protocol::js`), keeps a [`tempora_engine::session::Session`], and
//! runs it in slices under the worker's `performance.now()` clock ([`clock`]), sleeping between
//! due tasks ([`driver`]).

pub mod clock;
pub mod driver;
pub mod helpers;
#[cfg(feature = "profiling")]
pub mod profiling;
pub mod scope;
pub mod wait;
