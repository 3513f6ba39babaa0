//! `tempora bench`: measured figures that a criterion bench cannot give (real-time pacing).

use crate::{build, parse_overrides, run_realtime, WaitArg};
use clap::Subcommand;
use serde::Serialize;
use tempora_protocol::Pacing;
use tempora_protocol::Stats;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// A recurring task at --rate-hz in real time for --seconds, once per wait method: lateness
    /// (actual minus ideal wall time) p50/p99/max as JSON.
    Pacing {
        /// Task rate, Hz.
        #[arg(long, default_value_t = 10_000.0)]
        rate_hz: f64,
        /// Wall seconds per wait method.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Wait methods to compare.
        #[arg(long, value_enum, value_delimiter = ',', default_values_t = [WaitArg::Hybrid, WaitArg::Sleep])]
        wait: Vec<WaitArg>,
    },
    /// The network presets at the benchmarks' durations (cuba, coba 10 s; brunel 1 s), one
    /// thread: build and run times, ns per neuron update and synaptic event, bytes per synapse,
    /// a baseline measured in the same run; with --threads N also split over N threads (the
    /// speed-up, and whether the spikes are those of one thread); JSON on standard output, a
    /// table on standard error.
    Networks {
        /// RNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these networks (comma-separated: cuba, coba, brunel).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// The peers' figures (JSON by network, from tests/bench/bench_networks.py) to show beside.
        #[arg(long, value_name = "FILE")]
        peers: Option<std::path::PathBuf>,
        /// Also run each network split over this many threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
}

#[derive(Serialize)]
struct PacingFigure {
    wait: String,
    rate_hz: f64,
    seconds: f64,
    /// Lateness of every tick, ns.
    lateness: Stats,
    reanchor_events: u64,
}

pub fn run(command: BenchCommand) -> Result<(), String> {
    match command {
        BenchCommand::Networks {
            seed,
            only,
            peers,
            threads,
        } => crate::bench_networks::run(seed, &only, peers.as_ref(), threads),
        BenchCommand::Pacing {
            rate_hz,
            seconds,
            wait,
        } => {
            let period = 1.0 / rate_hz;
            // One window per second keeps the summaries small; the runner's run-level lateness
            // in the last window covers every tick.
            let set = [
                format!("tick_period={period}"),
                "window=1".to_string(),
                "hop=1".to_string(),
            ];
            let values = parse_overrides("random-walk", &set)?;
            let mut figures = Vec::new();
            for method in wait {
                let waiter = method.make();
                let mut sim = build("random-walk", 1, &values)?;
                let windows = run_realtime(
                    sim.as_mut(),
                    seconds,
                    Pacing::RealTime { speed: 1.0 },
                    waiter.as_ref(),
                    1.0,
                )?;
                let timing = windows
                    .last()
                    .and_then(|w| w.timing.clone())
                    .ok_or("the run closed no window: use --seconds >= 1")?;
                figures.push(PacingFigure {
                    wait: waiter.name().to_string(),
                    rate_hz,
                    seconds,
                    lateness: timing.run_lateness,
                    reanchor_events: timing.reanchor_events,
                });
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&figures).map_err(|e| e.to_string())?
            );
            Ok(())
        }
    }
}
