//! What Tempora's UI and its worker say to each other, as plain, versioned serde types.
//!
//! The UI depends on this crate and on no other Tempora crate, so the compiler keeps it from
//! reaching into the engine; the worker and the engine depend on it too. Nothing here runs a
//! model: these are the nouns both sides share and the codecs that read them from text.
//!
//! Layers, from the ground up: `unit` (dimensions, parsing and formatting values) -> `param`
//! (values by name, their description, their errors) -> `pacing`, `timing`, `panel` (plots
//! described by data: what a window shows) -> `window` (a closed window's summary) -> `command`, `event` (the messages) -> `envelope` (the version) ->
//! `model` (the network model file) ->
//! `settings` (a run's settings as a file and as a URL fragment), `js` (messages as JavaScript
//! values, feature `js`).
//!
//! Decoding never panics: anything malformed is an error that says what is wrong.

pub mod command;
pub mod envelope;
pub mod event;
pub mod gallery;
#[cfg(feature = "js")]
pub mod js;
pub mod model;
pub mod pacing;
pub mod panel;
pub mod param;
pub mod settings;
pub mod spikes;
pub mod timing;
pub mod unit;
pub mod window;

pub use command::{Command, MAX_DURATION_S, MAX_SEED, MODEL_RUN};
pub use envelope::{Envelope, VersionProbe, PROTOCOL_VERSION};
pub use event::{Event, PickedNeuron, PresetInfo, RunState, Status};
pub use gallery::Example;
pub use model::{ModelError, NetworkModel};
pub use pacing::Pacing;
pub use panel::WindowContent;
pub use param::{ParamError, ParamInfo, ParamValues};
pub use timing::{KindReport, Stats, TimingReport};
pub use unit::Unit;
pub use window::WindowSummary;
