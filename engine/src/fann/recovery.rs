//! What the divergence watchdog's action does to a network: back to the last good snapshot
//! (`pause`, then stop stepping; `rollback`, then go on) or to the initial state and weights
//! (`reset`).
//!
//! A snapshot of state and weights is taken at every window close that had no alarm since the
//! previous one, so the network restored is always one the watchdog accepted for a whole
//! window.

use super::{Action, Recurrent};

/// A network's state and weights at one moment.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    state: Vec<f64>,
    weights: Vec<f64>,
}

impl Snapshot {
    fn of(net: &Recurrent) -> Self {
        Snapshot {
            state: net.state().to_vec(),
            weights: net.net().weights().to_vec(),
        }
    }

    fn restore(&self, net: &mut Recurrent) {
        net.set_state(&self.state);
        net.net_mut()
            .set_weights(&self.weights)
            .expect("snapshots hold finite weights of the right count");
    }
}

/// The snapshots a network can go back to.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    initial: Snapshot,
    last_good: Snapshot,
    alarm_since_snapshot: bool,
}

impl Recovery {
    /// Recovery points of `net` as it is now (initial and last good alike).
    pub fn new(net: &Recurrent) -> Self {
        let initial = Snapshot::of(net);
        Recovery {
            last_good: initial.clone(),
            initial,
            alarm_since_snapshot: false,
        }
    }

    /// At a window close: `net` becomes the last good snapshot unless an alarm was raised since
    /// the previous close.
    pub fn window_closed(&mut self, net: &Recurrent) {
        if !self.alarm_since_snapshot {
            self.last_good = Snapshot::of(net);
        }
        self.alarm_since_snapshot = false;
    }

    /// Restores `net` as `action` asks; returns whether the network must stop stepping
    /// (`pause`).
    pub fn recover(&mut self, action: Action, net: &mut Recurrent) -> bool {
        self.alarm_since_snapshot = true;
        match action {
            Action::Reset => self.initial.restore(net),
            Action::Pause | Action::Rollback | Action::SkipWindow => self.last_good.restore(net),
        }
        action == Action::Pause
    }

    /// New weights for both recovery points (a network loaded from a file becomes the start).
    pub fn replace_weights(&mut self, weights: &[f64]) {
        self.initial.weights = weights.to_vec();
        self.last_good.weights = weights.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fann::{Activation, NetSpec, PackedNet};
    use rand::SeedableRng;

    fn net() -> Recurrent {
        let spec = NetSpec {
            layers: vec![2, 3, 1],
            hidden: Activation::Sigmoid,
            output: Activation::Linear,
            steepness: 1.0,
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let packed = PackedNet::from_network(&spec.build(0.5, &mut rng).unwrap()).unwrap();
        Recurrent::new(packed, 1, vec![0.25]).unwrap()
    }

    fn weights(net: &Recurrent) -> Vec<f64> {
        net.net().weights().to_vec()
    }

    #[test]
    fn each_action_restores_its_snapshot() {
        let mut n = net();
        let start = (n.state().to_vec(), weights(&n));
        let mut recovery = Recovery::new(&n);
        // A clean window: its end becomes the last good snapshot.
        n.set_state(&[0.5]);
        n.net_mut().set_weights(&vec![0.1; start.1.len()]).unwrap();
        recovery.window_closed(&n);
        let good = (n.state().to_vec(), weights(&n));
        n.set_state(&[9.0]);
        n.net_mut().set_weights(&vec![7.0; start.1.len()]).unwrap();

        assert!(
            !recovery.recover(Action::Rollback, &mut n),
            "rollback goes on"
        );
        assert_eq!((n.state().to_vec(), weights(&n)), good);
        n.set_state(&[9.0]);
        assert!(recovery.recover(Action::Pause, &mut n), "pause stops");
        assert_eq!((n.state().to_vec(), weights(&n)), good);
        assert!(!recovery.recover(Action::Reset, &mut n));
        assert_eq!((n.state().to_vec(), weights(&n)), start);
    }

    #[test]
    fn a_window_with_an_alarm_is_no_snapshot() {
        let mut n = net();
        let mut recovery = Recovery::new(&n);
        recovery.window_closed(&n);
        let good = n.state().to_vec();
        n.set_state(&[3.0]);
        recovery.recover(Action::Rollback, &mut n);
        // The window that had the alarm closes: what it ends with is not taken...
        n.set_state(&[4.0]);
        recovery.window_closed(&n);
        n.set_state(&[5.0]);
        recovery.recover(Action::Rollback, &mut n);
        assert_eq!(n.state(), &good[..]);
        recovery.window_closed(&n);
        // ...and the next clean window's end is.
        n.set_state(&[6.0]);
        recovery.window_closed(&n);
        n.set_state(&[7.0]);
        recovery.recover(Action::Rollback, &mut n);
        assert_eq!(n.state(), &[6.0][..]);
    }

    #[test]
    fn replaced_weights_are_the_new_start() {
        let mut n = net();
        let mut recovery = Recovery::new(&n);
        let loaded = vec![0.3; weights(&n).len()];
        recovery.replace_weights(&loaded);
        recovery.recover(Action::Reset, &mut n);
        assert_eq!(weights(&n), loaded);
    }
}
