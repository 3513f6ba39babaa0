//! Network files: ruv-fann's own JSON form of `Network<f64>` (its serde derive), so a file
//! written here loads in any program using ruv-fann with `serde`, and vice versa.
//!
//! An import is size-limited before parsing and validated completely (shape limits, wiring,
//! activations, finite weights) before anything uses it.

use super::packed::PackedNet;
use super::spec::NetError;
use ruv_fann::Network;

/// The largest network file accepted: 16 MiB (about 250 k weights in ruv-fann's JSON).
pub const MAX_NETWORK_FILE_BYTES: usize = 16 << 20;

/// Reads a network file; refuses anything too large, unreadable, or not evaluable exactly.
pub fn import_network(bytes: &[u8]) -> Result<PackedNet, NetError> {
    if bytes.len() > MAX_NETWORK_FILE_BYTES {
        return Err(NetError::FileTooLarge {
            bytes: bytes.len(),
            max: MAX_NETWORK_FILE_BYTES,
        });
    }
    let network: Network<f64> =
        serde_json::from_slice(bytes).map_err(|e| NetError::NotANetwork(e.to_string()))?;
    if network.layers.is_empty() {
        return Err(NetError::NotANetwork("it has no layers".into()));
    }
    PackedNet::from_network(&network)
}

/// Writes `net` as a ruv-fann network file.
pub fn export_network(net: &PackedNet) -> String {
    serde_json::to_string(&net.to_network()).expect("a network serialises")
}

#[cfg(test)]
mod tests {
    use super::super::activation::Activation;
    use super::super::spec::NetSpec;
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn net() -> PackedNet {
        let spec = NetSpec {
            layers: vec![3, 5, 2],
            hidden: Activation::Gaussian,
            output: Activation::Sigmoid,
            steepness: 0.75,
        };
        PackedNet::from_network(&spec.build(1.0, &mut ChaCha8Rng::seed_from_u64(2)).unwrap())
            .unwrap()
    }

    #[test]
    fn export_then_import_gives_the_same_network() {
        let original = net();
        let text = export_network(&original);
        assert!(text.contains("\"layers\""), "ruv-fann's JSON form");
        assert_eq!(import_network(text.as_bytes()).unwrap(), original);
    }

    #[test]
    fn files_that_are_not_networks_are_refused_with_a_reason() {
        let err = |bytes: &[u8]| import_network(bytes).unwrap_err();
        assert!(matches!(
            err(b"FANN_FLO_2.1\nnum_layers=3"),
            NetError::NotANetwork(_)
        ));
        assert!(matches!(err(b"{\"layers\": 3}"), NetError::NotANetwork(_)));
        assert!(matches!(
            err(br#"{"layers": [], "connection_rate": 1.0}"#),
            NetError::NotANetwork(_)
        ));
        let huge = vec![b' '; MAX_NETWORK_FILE_BYTES + 1];
        assert!(matches!(err(&huge), NetError::FileTooLarge { .. }));
        // Valid JSON of a network with a NaN weight written as a huge literal (JSON has no NaN).
        let text = export_network(&net()).replacen("\"weight\":", "\"weight\":1e999,\"w\":", 1);
        assert!(import_network(text.as_bytes()).is_err());
    }
}
