//! Tempora's dashboard: a Leptos UI on the main thread. It knows only the protocol: it sends
//! commands to the simulation worker ([`worker_client`]), keeps a bounded history of window
//! summaries ([`history`]) and draws them ([`plot`]).

pub mod app;
pub mod history;
pub mod plot;
pub mod worker_client;
