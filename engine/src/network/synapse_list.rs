//! A projection's synapses as plain lists (source, target, weight, delay), for writing the
//! network out: another simulator can then run the very network Tempora ran, which takes the
//! draw of the connectivity out of a comparison (in Brunel's fluctuation-driven regimes the
//! rate moves by 10 % and more from one drawn network to the next).

use super::split::bounds;
use super::Network;

/// One projection's synapses: synapse `k` goes from `sources[k]` to `targets[k]` (indices in
/// their populations), with `weights[k]` (SI, as the model's weight: V, or the leak-relative
/// conductance) and `delays_s[k]`. In source order, and by target within a source: the same
/// lists for every split of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct SynapseList {
    pub sources: Vec<u32>,
    pub targets: Vec<u32>,
    pub weights: Vec<f64>,
    pub delays_s: Vec<f64>,
}

impl Network {
    /// Projection `index`'s synapses now (a plastic projection's weights as they have grown).
    pub fn synapse_list(&self, index: usize) -> SynapseList {
        let proj = &self.spec.projections[index];
        let target_size = self.spec.populations[proj.target].size;
        let first = bounds(target_size, self.shards.len());
        let parts: Vec<_> = self.parts(index).map(|p| &p.synapses).collect();
        let count = parts.iter().map(|s| s.len()).sum();
        let mut list = SynapseList {
            sources: Vec::with_capacity(count),
            targets: Vec::with_capacity(count),
            weights: Vec::with_capacity(count),
            delays_s: Vec::with_capacity(count),
        };
        let sources = parts[0].offsets.len() - 1;
        for i in 0..sources {
            // Parts hold ascending target ranges: part by part, a row stays in target order.
            for (part, synapses) in parts.iter().enumerate() {
                synapses.targets.each(synapses.row(i), |k, j| {
                    list.sources.push(i as u32);
                    list.targets.push(j as u32 + first[part]);
                    list.weights.push(synapses.weights.get(k));
                    list.delays_s
                        .push(f64::from(synapses.delays.get(k)) * self.spec.dt);
                });
            }
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempora_protocol::model::NetworkModel;

    /// The shipped brunel (g = 5) at a twentieth of its size.
    fn small_brunel() -> NetworkModel {
        let mut model =
            NetworkModel::from_json(include_str!("../../../models/brunel.json")).unwrap();
        for p in &mut model.populations {
            p.size /= 20;
        }
        model
    }

    #[test]
    fn the_lists_are_the_drawn_synapses_the_same_for_every_split() {
        let model = small_brunel();
        let one = Network::build_split(&model, 4, u64::MAX, 1).unwrap();
        let three = Network::build_split(&model, 4, u64::MAX, 3).unwrap();
        for index in 0..model.projections.len() {
            let list = one.synapse_list(index);
            assert_eq!(list, three.synapse_list(index), "projection {index}");
            let synapses = &one.parts(index).next().unwrap().synapses;
            assert_eq!(list.sources.len(), synapses.len());
            // Row by row, as drawn: each source's targets ascending.
            for i in 0..synapses.offsets.len() - 1 {
                let row = synapses.row(i);
                assert!(list.sources[row.clone()].iter().all(|&s| s == i as u32));
                assert_eq!(list.targets[row.clone()], synapses.targets.to_vec(row));
            }
        }
        // Brunel's weights (J, -g J) and its 1.5 ms delay.
        let ee = one.synapse_list(0);
        assert!(ee.weights.iter().all(|&w| w == 0.1e-3));
        assert!(ee.delays_s.iter().all(|&d| (d - 1.5e-3).abs() < 1e-12));
        let ie = one.synapse_list(2);
        assert!(ie.weights.iter().all(|&w| (w + 5.0 * 0.1e-3).abs() < 1e-15));
    }
}
