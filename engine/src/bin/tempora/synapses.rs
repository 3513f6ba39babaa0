//! `tempora run --synapses DIR`: the network's synapses as NumPy arrays, so that another
//! simulator (Brian2, NEST through PyNN's FromListConnector) can run the very network Tempora
//! ran (`tests/bench/peers/brian2_net.py --synapses DIR`).
//!
//! For projection k named NAME: `k_NAME.source.npy`, `k_NAME.target.npy` (uint32, indices in
//! their populations), `k_NAME.weight.npy` (float64, SI as the model's weight) and
//! `k_NAME.delay_s.npy` (float64, s); `synapses.json` lists them with their populations.

use serde::Serialize;
use std::path::Path;
use tempora_engine::network::Network;

#[derive(Serialize)]
struct Manifest {
    model: String,
    seed: u64,
    dt_s: f64,
    projections: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    name: String,
    source: String,
    target: String,
    synapses: usize,
    /// File stem: `<stem>.source.npy` and so on.
    stem: String,
}

/// A file-name-safe form of a projection's name (`E->I` becomes `E__I`).
fn safe(name: &str) -> String {
    name.replace("->", "__")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes every projection of `net` (built for `seed`) into `dir`, which is created if missing.
pub fn write(net: &Network, seed: u64, dir: &Path) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("--synapses {}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(fail)?;
    let spec = &net.spec;
    let mut projections = Vec::new();
    for (k, proj) in spec.projections.iter().enumerate() {
        let list = net.synapse_list(k);
        let stem = format!("{k}_{}", safe(&proj.name));
        let path = |what: &str| dir.join(format!("{stem}.{what}.npy"));
        npyz::to_file_1d(path("source"), list.sources.iter().copied()).map_err(fail)?;
        npyz::to_file_1d(path("target"), list.targets.iter().copied()).map_err(fail)?;
        npyz::to_file_1d(path("weight"), list.weights.iter().copied()).map_err(fail)?;
        npyz::to_file_1d(path("delay_s"), list.delays_s.iter().copied()).map_err(fail)?;
        projections.push(Entry {
            name: proj.name.clone(),
            source: spec.populations[proj.source].name.clone(),
            target: spec.populations[proj.target].name.clone(),
            synapses: list.sources.len(),
            stem,
        });
    }
    let manifest = Manifest {
        model: spec.name.clone(),
        seed,
        dt_s: spec.dt,
        projections,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("synapses.json"), json).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn projection_names_become_safe_file_stems() {
        assert_eq!(safe("E->I"), "E__I");
        assert_eq!(safe("in put/x"), "in_put_x");
        assert_eq!(safe("EE"), "EE");
    }
}
