//! One forward pass of an 8-16-4 sigmoid network: Tempora's packed evaluation against
//! ruv-fann's `Network::run` and (with `--features c-fann`, Debian's libfann-dev) C FANN 2.2's
//! `fann_run`, on the same weights and inputs (outputs cross-checked before timing).
//!
//! `cargo bench -p tempora-engine --features c-fann --bench forward`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tempora_engine::fann::{Activation, NetSpec, PackedNet};

fn forward(c: &mut Criterion) {
    let layers = vec![8, 16, 4];
    let spec = NetSpec {
        layers: layers.clone(),
        hidden: Activation::Sigmoid,
        output: Activation::Sigmoid,
        steepness: 1.0,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut network = spec.build(1.0, &mut rng).unwrap();
    let mut packed = PackedNet::from_network(&network).unwrap();
    // A few inputs in rotation, so no evaluation is a repeat of the last.
    let inputs: Vec<Vec<f64>> = (0..16)
        .map(|_| (0..8).map(|_| rng.random_range(-1.0..1.0)).collect())
        .collect();
    for x in &inputs {
        let want = network.run(x).unwrap();
        let got = packed.forward(x).unwrap();
        assert!(want.iter().zip(got).all(|(a, b)| (a - b).abs() < 1e-9));
    }

    let mut group = c.benchmark_group("forward 8-16-4 sigmoid");
    let mut i = 0;
    group.bench_function("tempora packed", |b| {
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(packed.forward(black_box(&inputs[i])).unwrap()[0])
        })
    });
    group.bench_function("ruv-fann Network::run", |b| {
        b.iter(|| {
            i = (i + 1) % inputs.len();
            black_box(network.run(black_box(&inputs[i])).unwrap()[0])
        })
    });
    #[cfg(feature = "c-fann")]
    {
        let mut cfann = tempora_engine::fann::c_fann::CFann::new(
            &layers,
            Activation::Sigmoid,
            Activation::Sigmoid,
            1.0,
        )
        .unwrap();
        cfann.set_weights(packed.weights());
        for x in &inputs {
            let want = packed.forward(x).unwrap().to_vec();
            assert!(want
                .iter()
                .zip(cfann.run(x))
                .all(|(a, b)| (a - b).abs() < 1e-9));
        }
        group.bench_function("C FANN 2.2 fann_run", |b| {
            b.iter(|| {
                i = (i + 1) % inputs.len();
                black_box(cfann.run(black_box(&inputs[i]))[0])
            })
        });
    }
    group.finish();
}

criterion_group!(benches, forward);
criterion_main!(benches);
