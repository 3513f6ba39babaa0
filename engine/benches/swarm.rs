//! Swarm throughput: 4-8-2 member evaluations per second, at every sample of a 16-channel
//! stream (stride 1): all members in one thread, then split into one part per core, the
//! first evaluated by the coordinator and the others by helper threads a block of samples
//! ahead (`swarm::threads`, the protocol the browser's helper workers follow). The browser's
//! one-worker figure comes from the same workload in `worker/tests/bench_worker.rs`.
//!
//! `cargo bench -p tempora-engine --features fixtures --bench swarm`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tempora_engine::swarm::members::throughput_workload;
use tempora_engine::swarm::shards::{member_ranges, BlockLayout, RemoteShard, ShardRunner};
use tempora_engine::swarm::threads::spawn_runner;

const MEMBERS: usize = 1024;

fn swarm(c: &mut Criterion) {
    let mut group = c.benchmark_group("swarm step, 1024 members of 4-8-2");
    group.throughput(Throughput::Elements(MEMBERS as u64));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for parts in [1, cores] {
        let (mut members, _) = throughput_workload(MEMBERS);
        let ranges = member_ranges(MEMBERS, parts);
        let mut remotes: Vec<RemoteShard> = ranges[1..]
            .iter()
            .enumerate()
            .map(|(i, range)| {
                let layout = BlockLayout::new(range.len(), 1);
                let part = range.clone();
                let source = spawn_runner(i + 1, layout, move || {
                    let (members, stream) = throughput_workload(MEMBERS);
                    Ok(ShardRunner::new(stream, members, part))
                })
                .expect("a helper thread starts");
                RemoteShard::new(range.clone(), layout, source)
            })
            .collect();
        // The stream's samples in order (the helpers make the same); every step past the lag
        // of 3 evaluates every member.
        let (_, mut stream) = throughput_workload(MEMBERS);
        let local = ranges[0].clone();
        group.bench_function(format!("{parts} part(s)"), |b| {
            b.iter(|| {
                stream.next_sample();
                let sums = members.step_parts(stream.values(), local.clone(), &mut remotes);
                black_box(sums.expect("the helpers answer"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, swarm);
criterion_main!(benches);
