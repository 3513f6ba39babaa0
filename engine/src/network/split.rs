//! A network split over threads: each population's neurons in contiguous ranges, one per
//! shard, and each projection's synapses split by the range their target falls in.
//!
//! A shard keeps, for every source, the synapses onto its own targets in the order the whole
//! row has them, so each target receives the same additions in the same order whatever the
//! split: the spikes are bit for bit those of one thread.

use super::connect::{PerSynapse, Synapses, Targets};

/// Where `size` neurons split into `shards` contiguous ranges as equal as possible: shard k
/// holds `bounds[k]..bounds[k + 1]` (`shards + 1` entries, the last `size`).
pub fn bounds(size: u32, shards: usize) -> Vec<u32> {
    let shards = shards.max(1) as u64;
    (0..=shards)
        .map(|k| (u64::from(size) * k / shards) as u32)
        .collect()
}

/// The shard holding neuron `j` of a population split at `bounds`.
pub fn shard_of(bounds: &[u32], j: u32) -> usize {
    bounds.partition_point(|&b| b <= j) - 1
}

/// `synapses` split by target at `bounds` (see [`bounds`]): part k has a row for every source,
/// with the synapses onto `bounds[k]..bounds[k + 1]` in their original order and target
/// indices local to the part.
pub fn split_by_target(synapses: &Synapses, bounds: &[u32]) -> Vec<Synapses> {
    let parts = bounds.len() - 1;
    let sources = synapses.offsets.len() - 1;
    let mut offsets = vec![vec![0usize]; parts];
    let mut targets = vec![Vec::new(); parts];
    let mut weights = vec![Vec::new(); parts];
    let mut delays = vec![Vec::new(); parts];
    for i in 0..sources {
        synapses.targets.each(synapses.row(i), |k, j| {
            let part = shard_of(bounds, j as u32);
            targets[part].push(j as u32 - bounds[part]);
            if let PerSynapse::Each(w) = &synapses.weights {
                weights[part].push(w[k]);
            }
            if let PerSynapse::Each(d) = &synapses.delays {
                delays[part].push(d[k]);
            }
        });
        for (part, offsets) in offsets.iter_mut().enumerate() {
            offsets.push(targets[part].len());
        }
    }
    offsets
        .into_iter()
        .zip(targets)
        .zip(weights.into_iter().zip(delays))
        .enumerate()
        .map(|(part, ((offsets, targets), (weights, delays)))| Synapses {
            offsets,
            targets: Targets::new(targets, bounds[part + 1] - bounds[part]),
            weights: in_form_of(&synapses.weights, weights),
            delays: in_form_of(&synapses.delays, delays),
        })
        .collect()
}

/// A part's values in the whole's form: the one value, or the part's own list.
fn in_form_of<T: Copy>(whole: &PerSynapse<T>, mine: Vec<T>) -> PerSynapse<T> {
    match whole {
        PerSynapse::Same(v) => PerSynapse::Same(*v),
        PerSynapse::Each(_) => PerSynapse::Each(mine),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_every_neuron_once() {
        assert_eq!(bounds(10, 3), vec![0, 3, 6, 10]);
        assert_eq!(bounds(1, 2), vec![0, 0, 1]);
        assert_eq!(bounds(7, 1), vec![0, 7]);
        let b = bounds(12_500, 4);
        assert_eq!((b[0], b[4]), (0, 12_500));
        assert_eq!(shard_of(&b, 0), 0);
        assert_eq!(shard_of(&b, b[1]), 1);
        assert_eq!(shard_of(&b, 12_499), 3);
        // An empty range is skipped: neuron 0 of a 1-neuron population is in the last shard.
        assert_eq!(shard_of(&bounds(1, 2), 0), 1);
    }

    #[test]
    fn parts_keep_each_rows_synapses_in_order_with_local_targets() {
        // Two sources onto 6 targets: row 0 -> 1, 4, 5; row 1 -> 0, 2, 3, 5.
        let whole = Synapses {
            offsets: vec![0, 3, 7],
            targets: Targets::new(vec![1, 4, 5, 0, 2, 3, 5], 6),
            weights: PerSynapse::Each(vec![0.1, 0.4, 0.5, 1.0, 1.2, 1.3, 1.5]),
            delays: PerSynapse::Same(3),
        };
        let parts = split_by_target(&whole, &bounds(6, 2));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].offsets, vec![0, 1, 3]);
        assert_eq!(parts[0].targets.to_vec(0..3), vec![1, 0, 2]);
        assert_eq!(parts[1].offsets, vec![0, 2, 4]);
        assert_eq!(parts[1].targets.to_vec(0..4), vec![1, 2, 0, 2]);
        assert_eq!(parts[1].weights, PerSynapse::Each(vec![0.4, 0.5, 1.3, 1.5]));
        assert_eq!(parts[0].delays, PerSynapse::Same(3));
        let total: usize = parts.iter().map(Synapses::len).sum();
        assert_eq!(total, whole.len());
    }
}
