//! Swarm throughput: 4-8-2 member evaluations per second, at every sample of a 16-channel
//! stream (stride 1), one shard (one core) and one shard per core (rayon). The browser's
//! figure comes from the same workload in `tests/bench_worker.rs`.
//!
//! `cargo bench -p tempora-engine --bench swarm`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tempora_engine::swarm::members::throughput_workload;

const MEMBERS: usize = 1024;

fn swarm(c: &mut Criterion) {
    let mut group = c.benchmark_group("swarm step, 1024 members of 4-8-2");
    group.throughput(Throughput::Elements(MEMBERS as u64));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for shards in [1, cores] {
        let (mut members, mut stream) = throughput_workload(MEMBERS);
        // Past the lag, so every step evaluates every member.
        for _ in 0..4 {
            stream.next_sample();
            members.step(stream.values(), shards);
        }
        let values = stream.values().to_vec();
        group.bench_function(format!("{shards} shard(s)"), |b| {
            b.iter(|| black_box(members.step(black_box(&values), shards)))
        });
    }
    group.finish();
}

criterion_group!(benches, swarm);
criterion_main!(benches);
