//! Tempora's engine: logical nanosecond time, a deterministic scheduler, temporal windows,
//! pacing against a wall clock, the models, and the protocol the browser worker speaks.
//!
//! Pure Rust with no web-sys: the same code runs natively (CLI, benches, tests) and in a Web
//! Worker, and gives the same results for the same seed. Layers, from the ground up:
//! `time` -> `scheduler`, `metrics` -> `window`, `runner` -> `simulation` -> `preset`, `protocol`.

pub mod clock;
pub mod fann;
pub mod metrics;
pub mod models;
pub mod params;
pub mod preset;
pub mod replay;
pub mod rng;
pub mod runner;
pub mod scheduler;
pub mod session;
pub mod simulation;
pub mod swarm;
pub mod time;
#[cfg(not(target_arch = "wasm32"))]
pub mod wait;
pub mod window;
