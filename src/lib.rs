//! Tempora's dashboard: a Leptos UI on the main thread. It knows only the protocol: it sends
//! commands to the simulation worker ([`worker_client`]), keeps their effects in signals
//! ([`state`]) with a bounded history of window summaries ([`history`]), and draws them
//! ([`plots`], [`plot`]).

pub mod app;
pub mod export;
pub mod export_bar;
pub mod gallery;
pub mod heartbeat;
pub mod history;
pub mod model_editor;
pub mod params_form;
pub mod plot;
pub mod plots;
pub mod side_panel;
pub mod state;
pub mod url_state;
pub mod worker_client;
