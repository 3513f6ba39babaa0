//! `tempora`: run Tempora's presets natively and write their window summaries as JSON.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tempora_engine::params::{self, ParamValues};
use tempora_engine::preset::{self, PresetError};
use tempora_engine::protocol::WindowSummary;
use tempora_engine::replay::reference_run;
use tempora_engine::simulation::content_hash;
use tempora_engine::time::TimeSpan;

/// Tempora: small neural systems on a precise, deterministic time base.
#[derive(Parser)]
#[command(name = "tempora", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a preset as fast as possible and write its summaries as JSON.
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
    },
    /// List the presets and their parameters.
    Presets,
}

#[derive(serde::Serialize)]
struct RunOutput<'a> {
    preset: &'a str,
    seed: u64,
    /// Every parameter, SI units.
    params: ParamValues,
    duration_s: f64,
    /// SHA-256 of the windows' deterministic content: equal hashes mean bit-identical runs.
    content_hash: String,
    wall_time_s: f64,
    windows: Vec<WindowSummary>,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run {
            preset,
            seed,
            duration,
            set,
            out,
        } => match run(&preset, seed, duration, &set, out.as_ref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Presets => {
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
            ExitCode::SUCCESS
        }
    }
}

fn run(
    name: &str,
    seed: u64,
    duration: f64,
    set: &[String],
    out: Option<&PathBuf>,
) -> Result<(), String> {
    let preset = preset::find(name).map_err(|e| e.to_string())?;
    let mut overrides = ParamValues::new();
    for assignment in set {
        let (param, text) = params::split_assignment(assignment).map_err(|e| e.to_string())?;
        let spec = params::find_spec(preset.params, param)
            .map_err(|e| PresetError::from(e).to_string())?;
        let value = params::parse_value(spec, text).map_err(|e| e.to_string())?;
        overrides.insert(param.to_string(), value);
    }
    TimeSpan::from_secs_f64(duration).map_err(|e| format!("--duration: {e}"))?;
    let values = params::resolve(preset.params, &overrides).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let windows = reference_run(preset.name, seed, &values, duration).map_err(|e| e.to_string())?;
    let wall_time_s = started.elapsed().as_secs_f64();

    let output = RunOutput {
        preset: preset.name,
        seed,
        params: values,
        duration_s: duration,
        content_hash: content_hash(&windows),
        wall_time_s,
        windows,
    };
    let json = serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}
