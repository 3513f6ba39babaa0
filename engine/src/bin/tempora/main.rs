//! `tempora`: run Tempora's presets natively and write their window summaries as JSON, or
//! benchmark the scheduler's pacing.

mod bench;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tempora_engine::clock::MonotonicClock;
use tempora_engine::params::{self, ParamValues};
use tempora_engine::preset::{self, PresetError};
use tempora_engine::protocol::WindowSummary;
use tempora_engine::replay::reference_run;
use tempora_engine::runner::{Pacing, Runner};
use tempora_engine::session::DEFAULT_CATCH_UP_BOUND_NS;
use tempora_engine::simulation::{content_hash, Report};
use tempora_engine::time::{TimePoint, TimeSpan};
use tempora_engine::wait::{HybridWait, SleepWait, Wait};

/// Tempora: small neural systems on a precise, deterministic time base.
#[derive(Parser)]
#[command(name = "tempora", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How a run is paced against the wall clock.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum PacingArg {
    /// As fast as possible, no clock read: the reference run.
    Fast,
    /// Real time times --speed, waiting with --wait; windows carry timing metrics.
    Realtime,
}

/// How a paced run waits for the next due task.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum WaitArg {
    /// Sleep until a calibrated margin before the deadline, then spin.
    Hybrid,
    /// Plain thread::sleep.
    Sleep,
}

impl WaitArg {
    fn make(self) -> Box<dyn Wait> {
        match self {
            WaitArg::Hybrid => Box::new(HybridWait::calibrate()),
            WaitArg::Sleep => Box::new(SleepWait),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run a preset and write its window summaries as JSON.
    Run {
        /// The preset (see `tempora presets`).
        preset: String,
        /// RNG seed: the same seed gives the same result on every platform.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Logical time to simulate, in seconds.
        #[arg(long, default_value_t = 1.0)]
        duration: f64,
        /// Override a parameter: name=value, in SI units or with a unit suffix (ms, us, mV, Hz).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Write the JSON here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Pacing against the wall clock.
        #[arg(long, value_enum, default_value_t = PacingArg::Fast)]
        pacing: PacingArg,
        /// Logical seconds per wall second with --pacing realtime.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// How a real-time run waits.
        #[arg(long, value_enum, default_value_t = WaitArg::Hybrid)]
        wait: WaitArg,
        /// Lag (s) caught up by running faster; a longer lag drops the backlog and re-anchors.
        #[arg(long, default_value_t = DEFAULT_CATCH_UP_BOUND_NS as f64 * 1e-9)]
        catch_up_bound: f64,
    },
    /// List the presets and their parameters.
    Presets,
    /// Benchmarks: pacing lateness of a recurring task in real time, per wait method.
    Bench {
        #[command(subcommand)]
        which: bench::BenchCommand,
    },
}

#[derive(serde::Serialize)]
struct RunOutput<'a> {
    preset: &'a str,
    seed: u64,
    /// Every parameter, SI units.
    params: ParamValues,
    duration_s: f64,
    pacing: Pacing,
    /// SHA-256 of the windows' deterministic content: equal hashes mean bit-identical runs.
    content_hash: String,
    wall_time_s: f64,
    /// Preset-specific results (spike times, final weights, phases...).
    #[serde(flatten)]
    report: Report,
    windows: Vec<WindowSummary>,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Run {
            preset,
            seed,
            duration,
            set,
            out,
            pacing,
            speed,
            wait,
            catch_up_bound,
        } => {
            let pacing = match pacing {
                PacingArg::Fast => None,
                PacingArg::Realtime => Some((Pacing::RealTime { speed }, wait, catch_up_bound)),
            };
            run(&preset, seed, duration, &set, out.as_ref(), pacing)
        }
        Command::Presets => {
            print_presets();
            Ok(())
        }
        Command::Bench { which } => bench::run(which),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn print_presets() {
    for p in preset::all() {
        println!("{}: {}", p.name, p.description);
        for s in p.params {
            let unit = s.unit.symbol();
            println!(
                "  {:<14} default {} {unit:<3} range [{}, {}]  {}",
                s.name, s.default, s.min, s.max, s.help
            );
        }
    }
}

/// Parses `--set` assignments against a preset's parameters.
pub fn parse_overrides(preset_name: &str, set: &[String]) -> Result<ParamValues, String> {
    let preset = preset::find(preset_name).map_err(|e| e.to_string())?;
    let mut overrides = ParamValues::new();
    for assignment in set {
        let (param, text) = params::split_assignment(assignment).map_err(|e| e.to_string())?;
        let spec = params::find_spec(preset.params, param)
            .map_err(|e| PresetError::from(e).to_string())?;
        let value = params::parse_value(spec, text).map_err(|e| e.to_string())?;
        overrides.insert(param.to_string(), value);
    }
    params::resolve(preset.params, &overrides).map_err(|e| e.to_string())
}

/// Runs `preset` paced in real time through `duration_s`; windows carry timing.
pub fn run_realtime(
    preset_name: &str,
    seed: u64,
    values: &ParamValues,
    duration_s: f64,
    pacing: Pacing,
    wait: &dyn Wait,
    catch_up_bound_s: f64,
) -> Result<(Vec<WindowSummary>, Report), String> {
    let end = TimeSpan::from_secs_f64(duration_s).map_err(|e| format!("--duration: {e}"))?;
    let bound =
        TimeSpan::from_secs_f64(catch_up_bound_s).map_err(|e| format!("--catch-up-bound: {e}"))?;
    let pacing = pacing.validate().map_err(|e| format!("--speed: {e}"))?;
    let (mut sim, _) = preset::find(preset_name)
        .and_then(|p| p.build(seed, values))
        .map_err(|e| e.to_string())?;
    let clock = MonotonicClock::new();
    let mut runner = Runner::new(pacing, bound.as_nanos());
    let windows = runner.run_blocking(
        sim.as_mut(),
        &clock,
        TimePoint(end.as_nanos()),
        |deadline| wait.wait_until(&clock, deadline),
    );
    Ok((windows, sim.report()))
}

fn run(
    name: &str,
    seed: u64,
    duration: f64,
    set: &[String],
    out: Option<&PathBuf>,
    pacing: Option<(Pacing, WaitArg, f64)>,
) -> Result<(), String> {
    let values = parse_overrides(name, set)?;
    TimeSpan::from_secs_f64(duration).map_err(|e| format!("--duration: {e}"))?;

    let started = Instant::now();
    let (windows, report) = match pacing {
        None => reference_run(name, seed, &values, duration).map_err(|e| e.to_string())?,
        Some((pacing, wait, bound)) => run_realtime(
            name,
            seed,
            &values,
            duration,
            pacing,
            wait.make().as_ref(),
            bound,
        )?,
    };
    let wall_time_s = started.elapsed().as_secs_f64();

    let output = RunOutput {
        preset: preset::find(name).map_err(|e| e.to_string())?.name,
        seed,
        params: values,
        duration_s: duration,
        pacing: pacing.map_or(Pacing::AsFastAsPossible, |p| p.0),
        content_hash: content_hash(&windows),
        wall_time_s,
        report,
        windows,
    };
    let json = serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}
