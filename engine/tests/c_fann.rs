//! The packed forward pass against C FANN 2.2 (feature `c-fann`, Debian's libfann-dev): same
//! weights, same inputs, same outputs, for every activation both libraries have.
#![cfg(feature = "c-fann")]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tempora_engine::fann::c_fann::CFann;
use tempora_engine::fann::{Activation, NetSpec, PackedNet};

#[test]
fn packed_forward_equals_c_fann() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let shared = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::SigmoidSymmetric,
        Activation::Gaussian,
    ];
    let mut compared = 0;
    for hidden in shared {
        for output in shared {
            for layers in [vec![8, 16, 4], vec![3, 5, 5, 2]] {
                let spec = NetSpec {
                    layers: layers.clone(),
                    hidden,
                    output,
                    steepness: 0.8,
                };
                let mut packed =
                    PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap()).unwrap();
                let mut c = CFann::new(&layers, hidden, output, 0.8).unwrap();
                c.set_weights(packed.weights());
                for _ in 0..20 {
                    let x: Vec<f64> = (0..layers[0])
                        .map(|_| rng.random_range(-2.0..2.0))
                        .collect();
                    let ours = packed.forward(&x).unwrap().to_vec();
                    let theirs = c.run(&x);
                    for (a, b) in ours.iter().zip(theirs) {
                        assert!((a - b).abs() <= 1e-9, "{hidden:?}/{output:?}: {a} vs {b}");
                    }
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 4 * 4 * 2 * 20);
    assert!(CFann::new(&[2, 2, 1], Activation::Relu, Activation::Linear, 1.0).is_none());
}
