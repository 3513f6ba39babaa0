//! Tempora's engine: logical nanosecond time, a deterministic scheduler, temporal windows,
//! pacing against a wall clock, the models, and the session a worker runs.
//!
//! Pure Rust with no web-sys: the same code runs natively (CLI, benches, tests) and in a Web
//! Worker, and gives the same results for the same seed. What the UI and the worker say to each
//! other is the `tempora-protocol` crate, below this one.
//!
//! Layers, as the imports follow them (a module imports only from the layers below it, and no
//! two modules import each other):
//! 1. `time`, `clock`, `rng` (named random streams), `tempora_protocol`;
//! 2. `scheduler`, `metrics` (distributions, a window's timing), `params` (spec tables),
//!    `models` (LIF, Poisson, STDP, phase: pure dynamics, no scheduler), `wait`, `network`
//!    (spiking networks from a model file: populations, projections, their step);
//! 3. `window` (grids, recent events), `fann` (ruv-FANN networks, guards, watchdog, recovery);
//! 4. `simulation` (a running model behind one object-safe trait), `swarm` (stream, members,
//!    ensemble, governor, parts);
//! 5. `preset` (models wired onto the scheduler and windows; each window described as panels),
//!    `runner` (pacing a simulation against a clock);
//! 6. `session` (a worker's run and its commands), `replay` (reference runs);
//! 7. the `tempora` CLI and the benches; above the engine, the worker.

pub mod clock;
pub mod fann;
pub mod metrics;
pub mod models;
pub mod network;
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
