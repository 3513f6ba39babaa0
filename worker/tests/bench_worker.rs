//! Browser benchmarks (not tests), inside a dedicated worker in headless Chromium: the
//! scheduler's dispatch cost per task (beside `cargo bench --bench dispatch`), the 100 s
//! `stdp` preset (beside `tempora run stdp --duration 100`), the packed forward pass and the
//! swarm (beside `cargo bench --bench forward` / `--bench swarm` and `tempora run swarm`), and
//! the network presets (beside `tempora bench networks`).
//! Ignored by default; run in release:
//! `cargo test -p tempora-worker --release --target wasm32-unknown-unknown --test bench_worker -- --include-ignored`
#![cfg(target_arch = "wasm32")]

use tempora_engine::clock::Clock;
use tempora_engine::scheduler::{Priority, Scheduler, Task, TaskContext};
use tempora_engine::time::{TimePoint, TimeSpan};
use tempora_worker::clock::PerformanceClock;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

struct Empty;
impl Task<u64> for Empty {
    fn kind(&self) -> &'static str {
        "empty"
    }
    fn run(&mut self, n: &mut u64, _: &mut TaskContext<'_, u64>) {
        *n += 1;
    }
}

/// The same workload as the native bench: `n` recurring tasks, periods spread over [n, 2n) ns.
fn ns_per_dispatch(n: usize, dispatches: u64) -> f64 {
    let mut s = Scheduler::new(1);
    for i in 0..n as u64 {
        s.schedule_every(
            TimePoint(i),
            TimeSpan(n as u64 + i),
            Priority::MODEL,
            Box::new(Empty),
        )
        .unwrap();
    }
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let mut count = 0u64;
    for _ in 0..dispatches / 10 {
        s.run_next(&mut count, TimePoint(u64::MAX));
    }
    let start = clock.now_ns();
    for _ in 0..dispatches {
        s.run_next(&mut count, TimePoint(u64::MAX));
    }
    (clock.now_ns() - start) as f64 / dispatches as f64
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn dispatch_cost_per_task_in_a_worker() {
    for n in [1_000, 100_000] {
        let best = (0..5)
            .map(|_| ns_per_dispatch(n, 2_000_000))
            .fold(f64::INFINITY, f64::min);
        console_log!("browser dispatch/recurring/tempora/{n}: {best:.1} ns per task (best of 5)");
    }
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn stdp_100_s_in_a_worker() {
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let params = tempora_engine::params::ParamValues::new();
    let start = clock.now_ns();
    let (windows, report) =
        tempora_engine::replay::reference_run("stdp", 1, &params, 100.0).expect("stdp runs");
    let wall_s = (clock.now_ns() - start) as f64 * 1e-9;
    console_log!(
        "browser stdp 100 s: {wall_s:.3} s wall, {} windows, {} output spikes, hash {}",
        windows.len(),
        report["output_spike_times_s"]
            .as_array()
            .map_or(0, |a| a.len()),
        tempora_engine::simulation::content_hash(&windows)
    );
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn packed_forward_pass_in_a_worker() {
    use rand::{Rng, SeedableRng};
    use tempora_engine::fann::{Activation, NetSpec, PackedNet};
    // The same network and inputs as `cargo bench -p tempora-engine --bench forward`.
    let spec = NetSpec {
        layers: vec![8, 16, 4],
        hidden: Activation::Sigmoid,
        output: Activation::Sigmoid,
        steepness: 1.0,
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let mut net = PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap()).unwrap();
    let inputs: Vec<Vec<f64>> = (0..16)
        .map(|_| (0..8).map(|_| rng.random_range(-1.0..1.0)).collect())
        .collect();
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let evaluations = 1_000_000;
    let mut sink = 0.0;
    let best = (0..5)
        .map(|_| {
            let start = clock.now_ns();
            for i in 0..evaluations {
                sink += net.forward(&inputs[i % inputs.len()]).unwrap()[0];
            }
            (clock.now_ns() - start) as f64 / evaluations as f64
        })
        .fold(f64::INFINITY, f64::min);
    assert!(sink > 0.0);
    console_log!(
        "browser forward 8-16-4 sigmoid/tempora packed: {best:.1} ns per evaluation (best of 5)"
    );
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn swarm_throughput_in_a_worker() {
    // The same workload as `cargo bench -p tempora-engine --bench swarm`, one part (a worker is
    // one thread; `tests/e2e/swarm_scaling.mjs` measures the app with helper workers).
    let members = 1024;
    let (mut swarm, mut stream) = tempora_engine::swarm::members::throughput_workload(members);
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let steps = 2_000;
    let mut sink = 0.0;
    let best = (0..5)
        .map(|_| {
            let start = clock.now_ns();
            for _ in 0..steps {
                stream.next_sample();
                sink += swarm.step(stream.values()).vote().unwrap().p1;
            }
            (clock.now_ns() - start) as f64 / steps as f64
        })
        .fold(f64::INFINITY, f64::min);
    assert!(sink > 0.0);
    console_log!(
        "browser swarm step, {members} members of 4-8-2: {best:.0} ns per step, {:.2} M evaluations/s (best of 5)",
        members as f64 / best * 1e3
    );
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn swarm_run_in_a_worker() {
    // A whole swarm run, beside `tempora run swarm --duration 1 --set members=2048 --set
    // stride=1 --set epochs=0` (its `evaluations_per_wall_s`, the build not timed either): the
    // members plus the stream, the vote, the windows and the backstop, in one worker.
    let params: tempora_engine::params::ParamValues =
        [("members", 2048.0), ("stride", 1.0), ("epochs", 0.0)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
    let (mut sim, _) = tempora_engine::preset::find("swarm")
        .unwrap()
        .build(1, &params)
        .unwrap();
    let clock = PerformanceClock::from_worker_scope().unwrap();
    let start = clock.now_ns();
    let windows = tempora_engine::simulation::run_to(sim.as_mut(), TimePoint(1_000_000_000));
    let wall_s = (clock.now_ns() - start) as f64 * 1e-9;
    let evaluations = sim.report()["evaluations"].as_u64().unwrap();
    console_log!(
        "browser swarm run 1 s, 2048 members: {wall_s:.3} s wall, {:.2} M evaluations/s, hash {}",
        evaluations as f64 / wall_s * 1e-6,
        tempora_engine::simulation::content_hash(&windows)
    );
}

/// The network presets at the benchmark durations of `tempora bench networks` (cuba and coba
/// 10 s, brunel 1 s, seed 1), stepped directly as the CLI does: build and run times and the
/// content hash, to set beside the native figures of the same command.
#[wasm_bindgen_test]
#[ignore = "a benchmark: run with --include-ignored in release"]
fn networks_in_a_worker() {
    use tempora_engine::network::{Network, DEFAULT_MAX_BYTES};
    let clock = PerformanceClock::from_worker_scope().unwrap();
    for (name, seconds) in [("cuba", 10.0), ("coba", 10.0), ("brunel", 1.0)] {
        let preset = tempora_engine::preset::find(name).unwrap();
        let values = tempora_engine::params::resolve(preset.params, &Default::default()).unwrap();
        let model = (preset.model.unwrap())(&values);
        let start = clock.now_ns();
        let mut net = Network::build(&model, 1, DEFAULT_MAX_BYTES).unwrap();
        let built = clock.now_ns();
        net.run(net.spec.steps_in(seconds));
        let done = clock.now_ns();
        console_log!(
            "browser network {name} {seconds} s: build {:.3} s, run {:.3} s, {} synapses, hash {}",
            (built - start) as f64 * 1e-9,
            (done - built) as f64 * 1e-9,
            net.synapse_count(),
            net.results().content_hash
        );
    }
}
