//! A swarm of micro-nets as a temporal governor: many tiny ruv-FANN networks, each on a
//! narrow slice of a multichannel stream, stepped in time division, voting as an ensemble with
//! a confidence interval; continuity measured as the Jensen-Shannon divergence between
//! consecutive overlapping windows; hard windows escalated to a larger backstop network whose
//! answer returns to the swarm as a prior.
//!
//! - [`stream`]: the seeded synthetic stream with known truth (regime shifts, drift, anomalies);
//! - [`members`]: the micro-nets (struct of arrays, time division, parts);
//! - [`ensemble`]: the vote, its interval, and the JSD;
//! - [`governor`]: the escalation rule, the backstop and the prior;
//! - [`shards`]: the members split into parts that helpers evaluate a block of samples ahead;
//! - `threads`: the helpers natively (the browser's are workers, in the worker crate).
//!
//! The preset that wires them onto the scheduler is `preset::swarm`.

pub mod ensemble;
pub mod governor;
pub mod members;
pub mod shards;
pub mod stream;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;
