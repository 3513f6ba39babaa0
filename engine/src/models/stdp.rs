//! Pair-based additive STDP with pre- and postsynaptic traces, in the formulation of
//! Song, Miller & Abbott (2000) as written in Brian2's `examples/synapses/STDP.py`:
//!
//! ```text
//! dApre/dt  = -Apre / taupre    (event-driven)      on_pre:  ge += w
//! dApost/dt = -Apost / taupost  (event-driven)               Apre += dApre
//!                                                            w = clip(w + Apost, 0, wmax)
//!                                                   on_post: Apost += dApost
//!                                                            w = clip(w + Apre, 0, wmax)
//! ```
//!
//! Event-driven: traces are decayed only when an event touches them, so a presynaptic spike
//! costs O(1) and a postsynaptic spike O(synapses). Every synapse sees the same postsynaptic
//! spikes, so the one `Apost` trace is shared. Events are on a time grid of `dt`; decays over
//! `k` steps come from a table of `exp(-k dt / tau)` (libm, computed once), exact to the last bit
//! of that function and the same on every platform.

/// STDP parameters (SI; amplitudes in weight units, i.e. already scaled by `wmax` as in
/// `STDP.py`'s `dApre *= gmax`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StdpParams {
    /// Presynaptic trace time constant, s.
    pub taupre: f64,
    /// Postsynaptic trace time constant, s.
    pub taupost: f64,
    /// Presynaptic trace increment (potentiation amplitude), weight units.
    pub dapre: f64,
    /// Postsynaptic trace increment (depression amplitude, negative), weight units.
    pub dapost: f64,
    /// Upper weight bound (the lower is 0).
    pub wmax: f64,
}

/// `exp(-k dt / tau)` for whole steps `k`: a table up to 40 tau, `libm::exp` beyond (the same
/// expression, so the same bits). Shared with the network's plasticity (`crate::network`).
#[derive(Debug, Clone)]
pub struct Decay {
    table: Vec<f64>,
    steps_per_tau: f64,
}

impl Decay {
    /// The decay of a trace with time constant `tau` over steps of `dt` (s).
    pub fn new(tau: f64, dt: f64) -> Self {
        let steps_per_tau = tau / dt;
        let len = (40.0 * steps_per_tau).ceil().min(1e6) as usize + 1;
        Decay {
            table: (0..len)
                .map(|k| libm::exp(-(k as f64) / steps_per_tau))
                .collect(),
            steps_per_tau,
        }
    }

    /// The factor over `steps` steps.
    #[inline]
    pub fn over(&self, steps: u64) -> f64 {
        match self.table.get(steps as usize) {
            Some(&d) => d,
            None => libm::exp(-(steps as f64) / self.steps_per_tau),
        }
    }
}

/// All-to-one plastic synapses: weights, per-synapse presynaptic traces, one postsynaptic trace.
#[derive(Debug, Clone)]
pub struct StdpSynapses {
    params: StdpParams,
    weights: Vec<f64>,
    /// Apre of each synapse at its last update step.
    apre: Vec<f64>,
    apre_step: Vec<u64>,
    apost: f64,
    apost_step: u64,
    pre_decay: Decay,
    post_decay: Decay,
    updates: u64,
}

impl StdpSynapses {
    /// Changes the trace increments (potentiation, depression), from the next spike on.
    pub fn set_amplitudes(&mut self, dapre: f64, dapost: f64) {
        self.params.dapre = dapre;
        self.params.dapost = dapost;
    }

    /// The current parameters.
    pub fn params(&self) -> StdpParams {
        self.params
    }

    /// Synapses with the given initial weights, on a grid of `dt` seconds.
    pub fn new(params: StdpParams, weights: Vec<f64>, dt: f64) -> Self {
        let n = weights.len();
        StdpSynapses {
            params,
            weights,
            apre: vec![0.0; n],
            apre_step: vec![0; n],
            apost: 0.0,
            apost_step: 0,
            pre_decay: Decay::new(params.taupre, dt),
            post_decay: Decay::new(params.taupost, dt),
            updates: 0,
        }
    }

    /// The weights.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Weight updates applied so far (one per pre event, one per synapse per post event).
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// A presynaptic spike of synapse `i` at grid step `step`. Returns the weight *before* the
    /// update, which is what `ge += w` delivers (on_pre's first statement).
    pub fn on_pre(&mut self, i: usize, step: u64) -> f64 {
        let delivered = self.weights[i];
        let elapsed = step - self.apre_step[i];
        self.apre[i] = self.apre[i] * self.pre_decay.over(elapsed) + self.params.dapre;
        self.apre_step[i] = step;
        let apost = self.apost * self.post_decay.over(step - self.apost_step);
        self.weights[i] = (self.weights[i] + apost).clamp(0.0, self.params.wmax);
        self.updates += 1;
        delivered
    }

    /// A postsynaptic spike at grid step `step`: depression trace up, every weight potentiated
    /// by its synapse's presynaptic trace.
    pub fn on_post(&mut self, step: u64) {
        self.apost = self.apost * self.post_decay.over(step - self.apost_step) + self.params.dapost;
        self.apost_step = step;
        let wmax = self.params.wmax;
        for ((w, &a), &last) in self.weights.iter_mut().zip(&self.apre).zip(&self.apre_step) {
            *w = (*w + a * self.pre_decay.over(step - last)).clamp(0.0, wmax);
        }
        self.updates += self.weights.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: StdpParams = StdpParams {
        taupre: 20e-3,
        taupost: 20e-3,
        dapre: 0.01 * 0.01,
        dapost: -0.01 * 1.05 * 0.01,
        wmax: 0.01,
    };

    /// The weight change of one pre/post pair with `t_post - t_pre = lag_steps * dt`.
    fn pair(lag_steps: i64, dt: f64) -> f64 {
        let w0 = 0.005;
        let mut s = StdpSynapses::new(P, vec![w0], dt);
        let base = 1_000u64;
        let (pre, post) = if lag_steps >= 0 {
            (base, base + lag_steps as u64)
        } else {
            (base + lag_steps.unsigned_abs(), base)
        };
        // Same step: Brian runs the pre pathway before the post pathway.
        if pre <= post {
            s.on_pre(0, pre);
            s.on_post(post);
        } else {
            s.on_post(post);
            s.on_pre(0, pre);
        }
        s.weights()[0] - w0
    }

    #[test]
    fn a_single_pair_follows_the_double_exponential() {
        let dt = 1e-4;
        for lag in -500i64..=500 {
            let t = lag as f64 * dt;
            let analytic = if t >= 0.0 {
                P.dapre * (-t / P.taupre).exp()
            } else {
                P.dapost * (t / P.taupost).exp()
            };
            let got = pair(lag, dt);
            assert!(
                (got - analytic).abs() <= 1e-9,
                "lag {t} s: {got} vs {analytic}"
            );
        }
    }

    #[test]
    fn weights_stay_in_bounds() {
        let mut s = StdpSynapses::new(P, vec![0.0, P.wmax], 1e-4);
        for step in 0..100 {
            s.on_post(step * 3);
            s.on_pre(0, step * 3 + 1);
            s.on_pre(1, step * 3 + 2);
        }
        assert!(s.weights().iter().all(|&w| (0.0..=P.wmax).contains(&w)));
        assert_eq!(s.updates(), 100 * 2 + 100 * 2);
    }

    #[test]
    fn decay_table_agrees_with_exp_beyond_its_end() {
        let d = Decay::new(20e-3, 1e-4);
        let k = d.table.len() as u64 + 10;
        assert_eq!(d.over(k), libm::exp(-(k as f64) / 200.0));
        assert_eq!(d.over(0), 1.0);
    }
}
