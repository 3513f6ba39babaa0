//! Models: pure dynamics that know nothing of the scheduler (presets put them on it).
//!
//! All transcendental functions come from the `libm` crate, not `std`: std's `exp`/`ln`/`sin`
//! call the platform's libm natively and another implementation on wasm32, and their last bits
//! can differ; `libm` is the same code everywhere, so runs are bit-identical across platforms.

pub mod lif;
pub mod phase;
pub mod poisson;
pub mod stdp;
pub mod temporal;
