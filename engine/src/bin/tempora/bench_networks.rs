//! `tempora bench networks`: the network presets at their benchmark durations (cuba and coba
//! 10 s, brunel 1 s, as Brette et al. 2007 and Brian2's examples), timed natively on one thread:
//! build and run times, ns per neuron update and per synaptic event, bytes per synapse, against
//! a baseline measured in the same run (delivering through every synapse with nothing else
//! simulated: what this machine does at best for the layout), and, with `--peers FILE`, the
//! peers' figures from `tests/bench/bench_networks.py` side by side. With `--threads N`, each
//! network also runs split over N threads: its run time, the speed-up over one thread in the
//! same run, and whether its spikes hash to those of one thread.

use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use tempora_engine::network::{Network, DEFAULT_MAX_BYTES};
use tempora_engine::params::{self, ParamValues};
use tempora_engine::preset;

/// What is benchmarked: preset, simulated seconds.
const CASES: &[(&str, f64)] = &[("cuba", 10.0), ("coba", 10.0), ("brunel", 1.0)];

#[derive(Serialize)]
struct Figure {
    preset: &'static str,
    simulated_s: f64,
    neurons: u64,
    synapses: usize,
    bytes_per_synapse: f64,
    build_s: f64,
    run_s: f64,
    /// Simulated seconds per wall second.
    realtime_factor: f64,
    spikes: u64,
    synaptic_events: u64,
    /// Run time over neuron updates (neurons x steps), ns.
    ns_per_neuron_update: f64,
    /// Run time over synaptic events, ns (both per-figure costs include the other's work).
    ns_per_synaptic_event: f64,
    /// The baseline: one pass through every synapse, nothing else, ns per synapse.
    baseline_ns_per_event: f64,
    /// Split over `threads` threads (with --threads above 1): run time, s.
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<Split>,
    /// The peers' figures for this network, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    peers: Option<serde_json::Value>,
}

/// A network's run split over threads.
#[derive(Serialize)]
struct Split {
    threads: usize,
    run_s: f64,
    /// One thread's run time over this one's.
    speedup: f64,
    /// Whether the spikes hash to one thread's.
    same_spikes: bool,
}

/// Runs the benchmark and prints a table (standard error) and JSON (standard output).
pub fn run(
    seed: u64,
    only: &[String],
    peers: Option<&PathBuf>,
    threads: usize,
) -> Result<(), String> {
    if !(1..=crate::network::MAX_THREADS).contains(&threads) {
        return Err(format!(
            "--threads: {threads} is outside [1, {}]",
            crate::network::MAX_THREADS
        ));
    }
    let peers: Option<serde_json::Value> = match peers {
        Some(path) => Some(
            serde_json::from_str(
                &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
            )
            .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
        None => None,
    };
    let mut figures = Vec::new();
    for &(name, seconds) in CASES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let p = preset::find(name).map_err(|e| e.to_string())?;
        let values = params::resolve(p.params, &ParamValues::new()).map_err(|e| e.to_string())?;
        let model = (p.model.expect("a network preset"))(&values);
        let started = Instant::now();
        let mut net = Network::build(&model, seed, DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
        let build_s = started.elapsed().as_secs_f64();
        let steps = net.spec.steps_in(seconds);
        let stepping = Instant::now();
        net.run(steps);
        let run_s = stepping.elapsed().as_secs_f64();
        let mut scratch = net.scratch();
        let passes = 5;
        let baseline = Instant::now();
        for _ in 0..passes {
            net.deliver_through_every_synapse(&mut scratch);
        }
        let baseline_s = baseline.elapsed().as_secs_f64();
        std::hint::black_box(&scratch);
        let neurons: u64 = net.spec.populations.iter().map(|p| u64::from(p.size)).sum();
        let spikes = (0..net.spec.populations.len())
            .map(|i| net.stats(i).spikes)
            .sum();
        let events = net.synaptic_events();
        let split = if threads > 1 {
            let mut split = Network::build_split(&model, seed, DEFAULT_MAX_BYTES, threads)
                .map_err(|e| e.to_string())?;
            let stepping = Instant::now();
            split.run(steps);
            let split_s = stepping.elapsed().as_secs_f64();
            Some(Split {
                threads: split.threads(),
                run_s: split_s,
                speedup: run_s / split_s,
                same_spikes: split.results().content_hash == net.results().content_hash,
            })
        } else {
            None
        };
        figures.push(Figure {
            preset: p.name,
            simulated_s: seconds,
            neurons,
            synapses: net.synapse_count(),
            bytes_per_synapse: net.bytes() as f64 / net.synapse_count().max(1) as f64,
            build_s,
            run_s,
            realtime_factor: seconds / run_s,
            spikes,
            synaptic_events: events,
            ns_per_neuron_update: run_s * 1e9 / (neurons * steps) as f64,
            ns_per_synaptic_event: run_s * 1e9 / events.max(1) as f64,
            baseline_ns_per_event: baseline_s * 1e9
                / (passes as f64 * net.synapse_count().max(1) as f64),
            split,
            peers: peers.as_ref().and_then(|p| p.get(name).cloned()),
        });
    }
    eprintln!(
        "{:<8} {:>6} {:>8} {:>10} {:>8} {:>8} {:>9} {:>10} {:>10} {:>9}",
        "network",
        "sim s",
        "neurons",
        "synapses",
        "B/syn",
        "build s",
        "run s",
        "ns/update",
        "ns/event",
        "base ns"
    );
    for f in &figures {
        eprintln!(
            "{:<8} {:>6} {:>8} {:>10} {:>8.2} {:>8.3} {:>9.3} {:>10.2} {:>10.2} {:>9.2}",
            f.preset,
            f.simulated_s,
            f.neurons,
            f.synapses,
            f.bytes_per_synapse,
            f.build_s,
            f.run_s,
            f.ns_per_neuron_update,
            f.ns_per_synaptic_event,
            f.baseline_ns_per_event
        );
        if let Some(s) = &f.split {
            eprintln!(
                "         on {} threads: run {:.3} s, {:.2}x one thread, same spikes: {}",
                s.threads, s.run_s, s.speedup, s.same_spikes
            );
        }
        if let Some(peers) = &f.peers {
            eprintln!("         peers: {peers}");
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&figures).map_err(|e| e.to_string())?
    );
    Ok(())
}
