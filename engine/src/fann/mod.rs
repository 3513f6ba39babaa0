//! ruv-FANN networks as Tempora models: a packed forward pass and trainers over ruv-fann's
//! weights, Lipschitz guards, a divergence watchdog, seeded input streams, and a network file
//! format (ruv-fann's own JSON).
//!
//! `ruv_fann::Network<f64>` is the network of record: it is built, imported and exported as
//! ruv-fann defines it. Tempora evaluates and trains a [`PackedNet`] copy of its weights (same
//! order, same formulas, `libm` maths) because that is several times faster, allocation-free and
//! bit-identical natively and in the browser, and writes weights back with
//! [`PackedNet::to_network`].

mod activation;
#[cfg(feature = "c-fann")]
pub mod c_fann;
mod file;
mod guard;
mod packed;
mod recovery;
mod recurrent;
mod spec;
mod stream;
mod train;
mod watchdog;

pub use crate::rng::standard_normal;
pub use activation::Activation;
pub use file::{export_network, import_network, MAX_NETWORK_FILE_BYTES};
pub use guard::{spectral_norm, Guard, GuardKind, LipschitzEstimate};
pub(crate) use packed::dot;
pub use packed::{check_vector, PackedNet};
pub use recovery::Recovery;
pub use recurrent::Recurrent;
pub use spec::{
    validate_sizes, weight_count, NetError, NetSpec, MAX_LAYERS, MAX_LAYER_SIZE, MAX_WEIGHTS,
};
pub use stream::{RegimeShift, Sine, SineStream};
pub use train::{Algorithm, Examples, Trainer};
pub use watchdog::{Action, Alarm, Watchdog, WatchdogConfig};
