//! A workload for benchmarks (feature `fixtures`, not part of the engine's API otherwise).

use super::{History, MemberConfig, Members};
use crate::rng::Stream;

/// The throughput workload shared by the native benchmark (`benches/swarm.rs`) and the
/// browser's (`worker/tests/bench_worker.rs`): `count` untrained members on a 16-channel stream,
/// stride 1 (every member evaluated at every sample), and the stream to feed them.
pub fn throughput_workload(count: usize) -> (Members, crate::swarm::stream::RegimeStream) {
    use crate::swarm::stream::{RegimeStream, StreamSpec};
    let spec = StreamSpec {
        channels: 16,
        dt: 1e-4,
        shift_every: 0.5,
        offset: 0.5,
        clutter: 0.5,
        sigma: 1.0,
        drift: 0.02,
        anomaly_rate: 2.0,
    };
    let config = MemberConfig {
        count,
        stride: 1,
        lag: 3,
        epochs: 0,
    };
    let history = History {
        channels: 16,
        ..History::default()
    };
    let members = Members::train(config, 16, &history, 1).expect("the member shape is valid");
    (members, RegimeStream::new(spec, 1, Stream::StreamNoise))
}
