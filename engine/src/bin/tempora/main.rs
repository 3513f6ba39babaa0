//! `tempora`: run Tempora's presets natively and write their window summaries as JSON,
//! benchmark the scheduler's pacing, or soak a preset for an hour.

mod bench;
mod bench_networks;
mod network;
mod soak;
mod synapses;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tempora_engine::clock::MonotonicClock;
use tempora_engine::fann::{export_network, import_network, MAX_NETWORK_FILE_BYTES};
use tempora_engine::params::{self, ParamValues};
use tempora_engine::preset::{self, PresetError};
use tempora_engine::runner::Runner;
use tempora_engine::session::DEFAULT_CATCH_UP_BOUND_NS;
use tempora_engine::simulation::{content_hash, run_to, Report, Simulation};
use tempora_engine::time::{TimePoint, TimeSpan};
use tempora_engine::wait::{HybridWait, SleepWait, Wait};
use tempora_protocol::Pacing;
use tempora_protocol::WindowSummary;

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
    /// Run a preset and write its window summaries as JSON; a network preset or a model file
    /// (--model) writes its spikes, statistics, traces and weights.
    Run {
        /// The preset (see `tempora presets`); none with --model.
        #[arg(required_unless_present = "model")]
        preset: Option<String>,
        /// A network model file (JSON, format 1) to run instead of a preset.
        #[arg(long, value_name = "FILE", conflicts_with = "preset")]
        model: Option<PathBuf>,
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
        /// Network presets: start from this network (a ruv-fann JSON file, e.g. from --save-net)
        /// instead of seeded random weights. Its shape must match the preset's.
        #[arg(long, value_name = "FILE")]
        init_net: Option<PathBuf>,
        /// Network presets: write the network at the end of the run here (ruv-fann JSON).
        #[arg(long, value_name = "FILE")]
        save_net: Option<PathBuf>,
        /// Spiking networks: step on this many threads (the spikes are the same for any
        /// number; a network with a plastic projection uses one).
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Spiking networks: write every projection's synapses into this directory as NumPy
        /// arrays (source, target, weight, delay_s; listed in synapses.json), for running the
        /// same network in another simulator.
        #[arg(long, value_name = "DIR")]
        synapses: Option<PathBuf>,
    },
    /// List the presets and their parameters.
    Presets,
    /// Print a network preset's model file (with --set applied), or with --pynn a PyNN script
    /// that builds the same network on NEST.
    Model {
        /// The network preset; none with --model.
        #[arg(required_unless_present = "model")]
        preset: Option<String>,
        /// A network model file to read instead of a preset.
        #[arg(long, value_name = "FILE", conflicts_with = "preset")]
        model: Option<PathBuf>,
        /// Override a parameter of the preset (`we=2mV`) or of its model (`E.tau_m=10ms`).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Print the model as a PyNN script (PyNN 0.13 on NEST 3.10) instead of its JSON.
        #[arg(long)]
        pynn: bool,
    },
    /// Run a preset at full speed for a long wall time (through the worker's session loop),
    /// writing CSV samples of memory (RSS) and event counts; a summary goes to standard error.
    Soak {
        /// The preset (see `tempora presets`).
        preset: String,
        /// RNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Wall time to run, in seconds (the documented soak is 3600).
        #[arg(long, default_value_t = 3600.0)]
        seconds: f64,
        /// Seconds between samples.
        #[arg(long, default_value_t = 60.0)]
        every: f64,
    },
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
            model,
            seed,
            duration,
            set,
            out,
            pacing,
            speed,
            wait,
            catch_up_bound,
            init_net,
            save_net,
            threads,
            synapses,
        } => {
            let pacing = match pacing {
                PacingArg::Fast => None,
                PacingArg::Realtime => Some((Pacing::RealTime { speed }, wait, catch_up_bound)),
            };
            let files = NetFiles {
                init: init_net,
                save: save_net,
            };
            let is_network = |name: &str| preset::find(name).is_ok_and(|p| p.model.is_some());
            match (&model, preset.as_deref()) {
                (Some(path), _) => network::run(
                    &network::Source::File(path),
                    seed,
                    duration,
                    &set,
                    out.as_ref(),
                    threads,
                    synapses.as_deref(),
                ),
                (None, Some(name)) if is_network(name) => network::run(
                    &network::Source::Preset(name),
                    seed,
                    duration,
                    &set,
                    out.as_ref(),
                    threads,
                    synapses.as_deref(),
                ),
                (None, Some(name)) if synapses.is_some() => Err(format!(
                    "--synapses: `{name}` is not a spiking network (see `tempora presets`)"
                )),
                (None, Some(name)) => run(name, seed, duration, &set, out.as_ref(), pacing, &files),
                (None, None) => Err("give a preset or --model FILE".to_string()),
            }
        }
        Command::Presets => {
            print_presets();
            Ok(())
        }
        Command::Model {
            preset,
            model,
            set,
            pynn,
        } => match (&model, preset.as_deref()) {
            (Some(path), _) => network::print_model(&network::Source::File(path), &set, pynn),
            (None, Some(name)) => network::print_model(&network::Source::Preset(name), &set, pynn),
            (None, None) => Err("give a network preset or --model FILE".to_string()),
        },
        Command::Soak {
            preset,
            seed,
            seconds,
            every,
        } => soak::run(&preset, seed, seconds, every),
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

/// Builds `preset_name` with `values` and `seed`.
pub fn build(
    preset_name: &str,
    seed: u64,
    values: &ParamValues,
) -> Result<Box<dyn Simulation>, String> {
    let (sim, _) = preset::find(preset_name)
        .and_then(|p| p.build(seed, values))
        .map_err(|e| e.to_string())?;
    Ok(sim)
}

/// Runs `sim` paced in real time through `duration_s`; windows carry timing.
pub fn run_realtime(
    sim: &mut dyn Simulation,
    duration_s: f64,
    pacing: Pacing,
    wait: &dyn Wait,
    catch_up_bound_s: f64,
) -> Result<Vec<WindowSummary>, String> {
    let end = TimeSpan::from_secs_f64(duration_s).map_err(|e| format!("--duration: {e}"))?;
    let bound =
        TimeSpan::from_secs_f64(catch_up_bound_s).map_err(|e| format!("--catch-up-bound: {e}"))?;
    let pacing = pacing.validate().map_err(|e| format!("--speed: {e}"))?;
    let clock = MonotonicClock::new();
    let mut runner = Runner::new(pacing, bound.as_nanos());
    Ok(
        runner.run_blocking(sim, &clock, TimePoint(end.as_nanos()), |deadline| {
            wait.wait_until(&clock, deadline)
        }),
    )
}

/// Network files to read before and write after a run.
struct NetFiles {
    init: Option<PathBuf>,
    save: Option<PathBuf>,
}

impl NetFiles {
    /// Loads `--init-net` into `sim`, refusing a file that is not a matching network.
    fn load(&self, sim: &mut dyn Simulation) -> Result<(), String> {
        let Some(path) = &self.init else {
            return Ok(());
        };
        let bytes = read_limited(path, MAX_NETWORK_FILE_BYTES, "a network file")?;
        let net =
            import_network(&bytes).map_err(|e| format!("--init-net {}: {e}", path.display()))?;
        sim.replace_network(net)
            .map_err(|e| format!("--init-net {}: {e}", path.display()))
    }

    /// Writes the run's network to `--save-net`.
    fn save(&self, sim: &dyn Simulation) -> Result<(), String> {
        let Some(path) = &self.save else {
            return Ok(());
        };
        let net = sim
            .network()
            .ok_or("--save-net: this preset has no network")?;
        std::fs::write(path, export_network(&net)).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Reads `what` (a file of at most `max` bytes, checked before reading it all).
pub fn read_limited(path: &Path, max: usize, what: &str) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if size > max as u64 {
        return Err(format!(
            "{}: {size} bytes; {what} is at most {max} bytes",
            path.display()
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(
    name: &str,
    seed: u64,
    duration: f64,
    set: &[String],
    out: Option<&PathBuf>,
    pacing: Option<(Pacing, WaitArg, f64)>,
    files: &NetFiles,
) -> Result<(), String> {
    let values = parse_overrides(name, set)?;
    let end = TimeSpan::from_secs_f64(duration).map_err(|e| format!("--duration: {e}"))?;
    let mut sim = build(name, seed, &values)?;
    files.load(sim.as_mut())?;

    let started = Instant::now();
    let windows = match pacing {
        None => run_to(sim.as_mut(), TimePoint(end.as_nanos())),
        Some((pacing, wait, bound)) => {
            run_realtime(sim.as_mut(), duration, pacing, wait.make().as_ref(), bound)?
        }
    };
    let mut report = sim.report();
    files.save(sim.as_ref())?;
    let wall_time_s = started.elapsed().as_secs_f64();
    // Network presets count their evaluations: their rate over the run's wall time (the build,
    // with any offline training, is not in it).
    if let Some(evaluations) = report.get("evaluations").and_then(|v| v.as_u64()) {
        report.insert(
            "evaluations_per_wall_s".into(),
            (evaluations as f64 / wall_time_s).into(),
        );
    }

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
