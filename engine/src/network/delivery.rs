//! A projection's spikes of one step sent to their targets: into the target's state when they
//! arrive in the same step, into its ring for a later step otherwise.

use super::connect::{PerSynapse, Synapses};
use super::lif::LifPopulation;
use tempora_protocol::model::Receptor;

/// Sends the spikes of `sources` at step `s` through `syn` to `target`: into its state when
/// they arrive now, into its ring for a later step otherwise.
#[inline]
pub(super) fn deliver(
    syn: &Synapses,
    sources: &[u32],
    s: u64,
    shift: u64,
    target: &mut LifPopulation,
    receptor: Receptor,
) {
    match (&syn.delays, &syn.weights) {
        (PerSynapse::Same(d), weights) if *d as u64 == shift => {
            let mut now = target.direct(receptor, s);
            for &i in sources {
                let row = syn.row(i as usize);
                match weights {
                    PerSynapse::Same(w) => syn.targets.each(row, |_, j| now.add(j, *w)),
                    PerSynapse::Each(w) => syn.targets.each(row, |k, j| now.add(j, w[k])),
                }
            }
        }
        (PerSynapse::Same(d), PerSynapse::Same(w)) => {
            let slot = target.inbox(receptor).at(s + *d as u64 - shift);
            for &i in sources {
                syn.targets.each(syn.row(i as usize), |_, j| slot[j] += *w);
            }
        }
        (PerSynapse::Same(d), weights) => {
            let slot = target.inbox(receptor).at(s + *d as u64 - shift);
            for &i in sources {
                syn.targets
                    .each(syn.row(i as usize), |k, j| slot[j] += weights.get(k));
            }
        }
        (delays, weights) => {
            for &i in sources {
                syn.targets.each(syn.row(i as usize), |k, j| {
                    let arrival = s + delays.get(k) as u64 - shift;
                    let w = weights.get(k);
                    if arrival == s {
                        target.direct(receptor, s).add(j, w);
                    } else {
                        target.inbox(receptor).at(arrival)[j] += w;
                    }
                });
            }
        }
    }
}
