//! `tempora soak`: run one preset through a [`Session`] (the worker's own loop, natively) for a
//! long wall time and sample memory and event counts, to show that memory stays flat and
//! counts grow steadily. A run that finishes (a watchdog pause) is reset and started again,
//! and counted.
//!
//! Memory is the process's resident set from `/proc/self/statm` (Linux), the figure an
//! operator sees; the run keeps no history, so it should stop growing after warm-up.

use std::time::{Duration, Instant};
use tempora_engine::clock::MonotonicClock;
use tempora_engine::params::ParamValues;
use tempora_engine::session::Session;
use tempora_protocol::Pacing;
use tempora_protocol::{Command, Event, RunState};

/// Wall time per slice, as in the worker.
const SLICE_BUDGET_NS: u64 = 4_000_000;

/// One row of the soak's CSV.
#[derive(serde::Serialize)]
struct Sample {
    wall_s: f64,
    logical_s: f64,
    windows: u64,
    events: u64,
    restarts: u64,
    rss_kib: u64,
}

/// Resident set size in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // Linux pages are 4 KiB on the machines this runs on (x86_64, aarch64 default).
    pages * 4
}

/// Runs `preset` at full speed for `seconds` of wall time, writing a CSV row every `every` s
/// to standard output and a summary to standard error.
pub fn run(preset: &str, seed: u64, seconds: f64, every: f64) -> Result<(), String> {
    if !(seconds > 0.0 && every > 0.0 && every <= seconds) {
        return Err(format!(
            "need 0 < --every ({every} s) <= --seconds ({seconds} s)"
        ));
    }
    let mut session = Session::new();
    let configure = Command::Configure {
        preset: preset.to_string(),
        seed,
        params: ParamValues::new(),
    };
    for command in [
        configure,
        Command::SetPacing {
            pacing: Pacing::AsFastAsPossible,
        },
        Command::Start,
    ] {
        if let Some(Event::Error { message, .. }) = session.handle(command).first() {
            return Err(message.clone());
        }
    }
    let clock = MonotonicClock::new();
    let started = Instant::now();
    let mut writer = csv::Writer::from_writer(std::io::stdout());
    let (mut windows, mut events, mut restarts, mut logical_before) = (0u64, 0u64, 0u64, 0.0);
    let mut samples = Vec::new();
    let mut next_sample = Duration::ZERO;
    loop {
        let elapsed = started.elapsed();
        if elapsed >= next_sample {
            let sample = Sample {
                wall_s: elapsed.as_secs_f64(),
                logical_s: logical_before + session.status().now_ns as f64 * 1e-9,
                windows,
                events,
                restarts,
                rss_kib: rss_kib(),
            };
            writer.serialize(&sample).map_err(|e| e.to_string())?;
            writer.flush().map_err(|e| e.to_string())?;
            samples.push(sample);
            if elapsed.as_secs_f64() >= seconds {
                break;
            }
            next_sample += Duration::from_secs_f64(every);
        }
        let (_, out) = session.run_slice(&clock, SLICE_BUDGET_NS);
        events += out.len() as u64;
        windows += out.iter().filter(|e| matches!(e, Event::Window(_))).count() as u64;
        if session.status().state == RunState::Finished {
            logical_before += session.status().now_ns as f64 * 1e-9;
            session.handle(Command::Reset);
            session.handle(Command::Start);
            restarts += 1;
        }
    }
    summarize(preset, &samples);
    Ok(())
}

/// Memory after warm-up (the first tenth) against the end, and the spread of window rates
/// between samples, to standard error.
fn summarize(preset: &str, samples: &[Sample]) {
    let warm = &samples[samples.len() / 10..];
    let (first, last) = (&warm[0], &samples[samples.len() - 1]);
    let max_rss = warm.iter().map(|s| s.rss_kib).max().unwrap_or(0);
    let rates: Vec<f64> = warm
        .windows(2)
        .map(|p| (p[1].windows - p[0].windows) as f64 / (p[1].wall_s - p[0].wall_s))
        .collect();
    let min_rate = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let max_rate = rates.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "{preset}: {:.0} s wall, {:.1} s logical, {} windows, {} events, {} restarts; RSS after warm-up {} KiB, at end {} KiB, max {} KiB ({:+.2} %); windows/s between samples {:.0}..{:.0}",
        last.wall_s,
        last.logical_s,
        last.windows,
        last.events,
        last.restarts,
        first.rss_kib,
        last.rss_kib,
        max_rss,
        (max_rss as f64 / first.rss_kib.max(1) as f64 - 1.0) * 100.0,
        min_rate,
        max_rate
    );
}
