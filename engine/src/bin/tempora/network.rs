//! `tempora run` for networks: a network preset by name (`tempora run cuba`) or a model file
//! (`--model FILE.json`), stepped directly (no windows), written as spikes, statistics, traces
//! and weights; and `tempora model`, a preset's model file.

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tempora_engine::network::output::RunResults;
use tempora_engine::network::{overrides, Network, DEFAULT_MAX_BYTES};
use tempora_engine::params::{self, ParamValues};
use tempora_engine::preset;
use tempora_protocol::model::{NetworkModel, MAX_MODEL_FILE_BYTES};
use tempora_protocol::MAX_DURATION_S;

/// The most threads a run takes (a split costs a barrier per step for each).
pub const MAX_THREADS: usize = 64;

/// Where a network comes from.
pub enum Source<'a> {
    /// A network preset and `--set` values.
    Preset(&'a str),
    /// A model file.
    File(&'a Path),
}

/// A model, the preset values it came from, and a name for messages.
pub struct Resolved {
    pub model: NetworkModel,
    pub preset: Option<&'static str>,
    pub params: Option<ParamValues>,
}

/// Reads a model file of at most [`MAX_MODEL_FILE_BYTES`].
pub fn read_model(path: &Path) -> Result<NetworkModel, String> {
    let shown = path.display();
    let bytes = crate::read_limited(path, MAX_MODEL_FILE_BYTES, "a model file")?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{shown}: {e}"))?;
    NetworkModel::from_json(&text).map_err(|e| format!("{shown}: {e}"))
}

/// The model of `source` with `set` applied: a preset's own parameters (`we=2mV`) choose its
/// model, dotted names (`E.tau_m=10ms`) and `dt` of a file change the model itself.
pub fn resolve(source: &Source, set: &[String]) -> Result<Resolved, String> {
    let mut model_sets = Vec::new();
    let mut resolved = match source {
        Source::File(path) => {
            for assignment in set {
                model_sets.push(params::split_assignment(assignment).map_err(|e| e.to_string())?);
            }
            Resolved {
                model: read_model(path)?,
                preset: None,
                params: None,
            }
        }
        Source::Preset(name) => {
            let preset = preset::find(name).map_err(|e| e.to_string())?;
            let make = preset
                .model
                .or(preset.as_model)
                .ok_or_else(|| format!("`{}` is not a network preset", preset.name))?;
            let mut own = Vec::new();
            for assignment in set {
                let (name, value) =
                    params::split_assignment(assignment).map_err(|e| e.to_string())?;
                // `timing` is the model's (no preset has a parameter of that name).
                if name.contains('.') || name == "timing" {
                    model_sets.push((name, value));
                } else {
                    own.push(assignment.clone());
                }
            }
            let values = crate::parse_overrides(preset.name, &own)?;
            Resolved {
                model: make(&values),
                preset: Some(preset.name),
                params: Some(values),
            }
        }
    };
    for (name, value) in model_sets {
        overrides::apply(&mut resolved.model, name, value).map_err(|e| format!("--set {e}"))?;
    }
    Ok(resolved)
}

#[derive(Serialize)]
struct Output<'a> {
    preset: Option<&'a str>,
    /// The preset's parameters, SI units.
    params: Option<&'a ParamValues>,
    model: &'a NetworkModel,
    seed: u64,
    duration_s: f64,
    /// Threads it was stepped on.
    threads: usize,
    /// Checking the model and drawing the network, s.
    build_time_s: f64,
    /// Stepping it, s.
    run_time_s: f64,
    /// Both, and collecting the results, s.
    wall_time_s: f64,
    #[serde(flatten)]
    results: RunResults,
}

/// Builds and runs `source` for `duration` s.
pub fn run(
    source: &Source,
    seed: u64,
    duration: f64,
    set: &[String],
    out: Option<&PathBuf>,
    threads: usize,
    synapses: Option<&Path>,
) -> Result<(), String> {
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(format!(
            "--threads: {threads} is outside [1, {MAX_THREADS}]"
        ));
    }
    if !(duration > 0.0 && duration <= MAX_DURATION_S) {
        return Err(format!(
            "--duration: {duration} s is outside (0, {MAX_DURATION_S}] s"
        ));
    }
    let started = Instant::now();
    let resolved = resolve(source, set)?;
    let label = match source {
        Source::File(path) => path.display().to_string(),
        Source::Preset(name) => name.to_string(),
    };
    let mut net = Network::build_split(&resolved.model, seed, DEFAULT_MAX_BYTES, threads)
        .map_err(|e| format!("{label}: {e}"))?;
    let build_time_s = started.elapsed().as_secs_f64();
    let stepping = Instant::now();
    net.run(net.spec.steps_in(duration));
    let run_time_s = stepping.elapsed().as_secs_f64();
    let results = net.results();
    if let Some(dir) = synapses {
        crate::synapses::write(&net, seed, dir)?;
    }
    let output = Output {
        preset: resolved.preset,
        params: resolved.params.as_ref(),
        model: &resolved.model,
        seed,
        duration_s: duration,
        threads: net.threads(),
        build_time_s,
        run_time_s,
        wall_time_s: started.elapsed().as_secs_f64(),
        results,
    };
    let json = serde_json::to_string(&output).map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display())),
        None => print_out(&json),
    }
}

/// Prints the model file of a network preset or file with `set` applied, as JSON or PyNN.
pub fn print_model(source: &Source, set: &[String], pynn: bool) -> Result<(), String> {
    let resolved = resolve(source, set)?;
    let name = &resolved.model.name;
    // Checked as a run would check it: a model printed is one that builds.
    tempora_engine::network::spec::NetSpec::resolve(&resolved.model)
        .map_err(|e| format!("{name}: {e}"))?;
    if pynn {
        let script = tempora_protocol::model::pynn::pynn_script(&resolved.model)
            .map_err(|e| format!("{name}: {e}"))?;
        return print_out(&script);
    }
    print_out(&resolved.model.to_json())
}

/// Writes `text` to standard output; a closed pipe is an error, not a panic.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{text}").map_err(|e| format!("standard output: {e}"))
}
