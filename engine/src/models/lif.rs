//! Leaky integrate-and-fire neurons (Lapicque 1907; the form of Gerstner et al., *Neuronal
//! Dynamics*, 2014, ch. 1), current-based and conductance-based.
//!
//! Integrators:
//! - Current-based, `taum dv/dt = El - v + R I`: exact for a drive held constant over the step,
//!   `v <- v_inf + (v - v_inf) exp(-dt/taum)` with `v_inf = El + R I`. For a known time course of
//!   `R I(t)` (the phase-lock preset's sinusoid) [`CurrentLif::step_toward`] takes the exact
//!   particular solution instead.
//! - Conductance-based, `taum dv/dt = ge (Ee - v) + El - v`, `dge/dt = -ge / taue` (the neuron of
//!   Song, Miller & Abbott 2000): `ge` decays exactly; `v` takes the exponential-Euler step, exact
//!   for `ge` held at its start-of-step value: `v_inf = (El + ge Ee) / (1 + ge)`,
//!   `v <- v_inf + (v - v_inf) exp(-dt (1 + ge) / taum)`. (Brian2's `STDP.py` uses forward Euler
//!   with dt = 0.1 ms; the exponential step is unconditionally stable and at least as accurate.)
//! - Spikes: `v > vt` after a step; then `v <- vr` and, with a refractory period, `v` is held at
//!   `vr` for that long.

use super::temporal::TemporalNetwork;
use crate::time::TimeSpan;

/// Parameters shared by both neuron kinds (SI units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifParams {
    /// Membrane time constant, s (> 0).
    pub taum: f64,
    /// Resting (leak reversal) potential, V.
    pub el: f64,
    /// Threshold, V (> vr).
    pub vt: f64,
    /// Reset, V.
    pub vr: f64,
    /// Refractory period, s (>= 0).
    pub refractory: f64,
}

/// A current-based LIF neuron.
#[derive(Debug, Clone)]
pub struct CurrentLif {
    params: LifParams,
    v: f64,
    refractory_left: f64,
    outputs: [f64; 2],
}

impl CurrentLif {
    /// A neuron at rest (`v = El`).
    pub fn new(params: LifParams) -> Self {
        CurrentLif {
            params,
            v: params.el,
            refractory_left: 0.0,
            outputs: [params.el, 0.0],
        }
    }

    /// Membrane potential, V.
    pub fn v(&self) -> f64 {
        self.v
    }

    /// Advances by `dt` (s) toward a moving target: `v_p_end` is the particular solution at the
    /// end of the step and `v_p_start` at its start, so `v - v_p` decays exactly by `decay`
    /// (= exp(-dt/taum)). For a constant drive both equal `El + R I`. Returns true on a spike.
    pub fn step_toward(&mut self, v_p_start: f64, v_p_end: f64, decay: f64, dt: f64) -> bool {
        if hold_refractory(&self.params, &mut self.refractory_left, &mut self.v, dt) {
            return false;
        }
        self.v = v_p_end + (self.v - v_p_start) * decay;
        fire_if_above_threshold(&self.params, &mut self.refractory_left, &mut self.v)
    }
}

/// During a refractory period, holds `v` at the reset and counts the period down; returns
/// whether the neuron was refractory (and so must not integrate this step).
fn hold_refractory(params: &LifParams, left: &mut f64, v: &mut f64, dt: f64) -> bool {
    if *left > 0.0 {
        *left -= dt;
        *v = params.vr;
        true
    } else {
        false
    }
}

/// A spike if `v` is above threshold: `v` is reset and the refractory period starts.
fn fire_if_above_threshold(params: &LifParams, left: &mut f64, v: &mut f64) -> bool {
    if *v > params.vt {
        *v = params.vr;
        *left = params.refractory;
        true
    } else {
        false
    }
}

impl TemporalNetwork for CurrentLif {
    fn reset_state(&mut self) {
        self.v = self.params.el;
        self.refractory_left = 0.0;
    }

    /// `input[0]` = R I (V), held constant over the step; outputs `[v (V), spiked (0 or 1)]`.
    fn step(&mut self, input: &[f64], dt: TimeSpan) -> &[f64] {
        let dt = dt.as_secs_f64();
        let v_inf = self.params.el + input.first().copied().unwrap_or(0.0);
        let decay = libm::exp(-dt / self.params.taum);
        let spiked = self.step_toward(v_inf, v_inf, decay, dt);
        self.outputs = [self.v, if spiked { 1.0 } else { 0.0 }];
        &self.outputs
    }
}

/// A conductance-based LIF neuron with one excitatory exponential conductance.
#[derive(Debug, Clone)]
pub struct ConductanceLif {
    params: LifParams,
    /// Excitatory reversal potential, V.
    ee: f64,
    /// Conductance decay per step, exp(-dt / taue), for the step the neuron was built with.
    taue: f64,
    v: f64,
    /// Conductance in units of the leak conductance (dimensionless, as in Brian2's STDP.py).
    ge: f64,
    /// Whether the driving force is frozen at `ee - vr` (`ge (Ee - vr)`, Brian2's STDP.py before
    /// 2020) instead of `ee - v`.
    frozen: bool,
    refractory_left: f64,
    outputs: [f64; 3],
}

impl ConductanceLif {
    /// A neuron at rest with no conductance; `ee` in V, `taue` in s.
    pub fn new(params: LifParams, ee: f64, taue: f64) -> Self {
        ConductanceLif {
            params,
            ee,
            taue,
            v: params.el,
            ge: 0.0,
            frozen: false,
            refractory_left: 0.0,
            outputs: [params.el, 0.0, 0.0],
        }
    }

    /// The same neuron with its driving force frozen at `ee - vr`: a current `ge (ee - vr)`,
    /// linear, integrated exactly.
    pub fn with_frozen_driving_force(mut self) -> Self {
        self.frozen = true;
        self
    }

    /// Membrane potential, V.
    pub fn v(&self) -> f64 {
        self.v
    }

    /// Excitatory conductance (dimensionless).
    pub fn ge(&self) -> f64 {
        self.ge
    }

    /// Adds a synaptic conductance increment (an input spike through weight `w`).
    pub fn receive(&mut self, w: f64) {
        self.ge += w;
    }

    /// Advances by `dt` (s), with `ge_decay` = exp(-dt / taue) precomputed by the caller.
    /// Returns true on a spike (the potential is then reset).
    pub fn step_with_decay(&mut self, dt: f64, ge_decay: f64) -> bool {
        let ge = self.ge;
        self.ge *= ge_decay;
        if hold_refractory(&self.params, &mut self.refractory_left, &mut self.v, dt) {
            return false;
        }
        if self.frozen {
            let v_inf = self.params.el + ge * (self.ee - self.params.vr);
            self.v = v_inf + (self.v - v_inf) * libm::exp(-dt / self.params.taum);
        } else {
            let v_inf = (self.params.el + ge * self.ee) / (1.0 + ge);
            self.v = v_inf + (self.v - v_inf) * libm::exp(-dt * (1.0 + ge) / self.params.taum);
        }
        fire_if_above_threshold(&self.params, &mut self.refractory_left, &mut self.v)
    }
}

impl TemporalNetwork for ConductanceLif {
    fn reset_state(&mut self) {
        self.v = self.params.el;
        self.ge = 0.0;
        self.refractory_left = 0.0;
    }

    /// `input[0]` = conductance increment arriving at the start of the step (dimensionless);
    /// outputs `[v (V), ge, spiked (0 or 1)]`.
    fn step(&mut self, input: &[f64], dt: TimeSpan) -> &[f64] {
        self.receive(input.first().copied().unwrap_or(0.0));
        let dt = dt.as_secs_f64();
        let spiked = self.step_with_decay(dt, libm::exp(-dt / self.taue));
        self.outputs = [self.v, self.ge, if spiked { 1.0 } else { 0.0 }];
        &self.outputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: LifParams = LifParams {
        taum: 10e-3,
        el: -70e-3,
        vt: -50e-3,
        vr: -70e-3,
        refractory: 0.0,
    };

    #[test]
    fn a_frozen_driving_force_is_the_linear_current_form() {
        // One step from rest with ge = 0.5: frozen, v moves towards El + ge (Ee - vr) at the
        // leak's rate; with e - v, towards (El + ge Ee) / (1 + ge) at 1 + ge times that rate.
        let dt = 1e-4;
        let step = |frozen: bool| {
            let mut n = ConductanceLif::new(P, 0.0, 5e-3);
            if frozen {
                n = n.with_frozen_driving_force();
            }
            n.receive(0.5);
            n.step_with_decay(dt, libm::exp(-dt / 5e-3));
            n.v()
        };
        let v_inf = P.el + 0.5 * (0.0 - P.vr);
        let expected = v_inf + (P.el - v_inf) * libm::exp(-dt / P.taum);
        assert_eq!(step(true), expected);
        let v_inf = (P.el + 0.5 * 0.0) / 1.5;
        let expected = v_inf + (P.el - v_inf) * libm::exp(-dt * 1.5 / P.taum);
        assert_eq!(step(false), expected);
        assert!(
            step(true) > step(false),
            "the frozen force does not shrink as v rises"
        );
    }

    #[test]
    fn constant_drive_is_integrated_exactly() {
        // Below threshold: v(t) = El + RI (1 - exp(-t/taum)), whatever the step size.
        let mut coarse = CurrentLif::new(P);
        let mut fine = CurrentLif::new(P);
        let ri = 15e-3;
        for _ in 0..10 {
            coarse.step(&[ri], TimeSpan::from_nanos(1_000_000));
        }
        for _ in 0..1000 {
            fine.step(&[ri], TimeSpan::from_nanos(10_000));
        }
        let exact = P.el + ri * (1.0 - (-1.0f64).exp());
        assert!((coarse.v() - exact).abs() < 1e-12, "{}", coarse.v());
        assert!((fine.v() - exact).abs() < 1e-12, "{}", fine.v());
    }

    #[test]
    fn suprathreshold_drive_fires_at_the_analytic_period() {
        // RI = 25 mV: the time to reach vt from vr is T = taum ln(RI / (RI - (vt - El))).
        let mut n = CurrentLif::new(P);
        let ri = 25e-3;
        let dt = TimeSpan::from_nanos(1_000);
        let mut spikes = Vec::new();
        for step in 1..=200_000u64 {
            if n.step(&[ri], dt)[1] == 1.0 {
                spikes.push(step as f64 * 1e-6);
            }
        }
        let period = P.taum * (ri / (ri - (P.vt - P.el))).ln();
        let isi = spikes[5] - spikes[4];
        assert!((isi - period).abs() <= 1e-6, "isi {isi} vs {period}");
    }

    #[test]
    fn refractory_period_holds_the_reset() {
        let mut n = CurrentLif::new(LifParams {
            refractory: 2e-3,
            ..P
        });
        let dt = TimeSpan::from_nanos(100_000);
        let mut first = None;
        let mut second = None;
        for step in 1..=1000u32 {
            if n.step(&[40e-3], dt)[1] == 1.0 {
                if first.is_none() {
                    first = Some(step);
                } else {
                    second = Some(step);
                    break;
                }
            }
        }
        // Without refractoriness the ISI would be taum ln(40/20) = 6.9 ms; with it, 2 ms more.
        let isi_steps = second.unwrap() - first.unwrap();
        assert!((89..=91).contains(&isi_steps), "{isi_steps}");
        n.reset_state();
        assert_eq!(n.v(), P.el);
    }

    #[test]
    fn conductance_neuron_approaches_the_reversal_weighted_rest() {
        let mut n = ConductanceLif::new(P, 0.0, 5e-3);
        n.receive(0.5);
        let out = n.step(&[0.0], TimeSpan::from_nanos(100_000)).to_vec();
        assert!(out[0] > P.el, "an excitatory conductance depolarises");
        assert!((out[1] - 0.5 * (-0.1e-3f64 / 5e-3).exp()).abs() < 1e-15);
        // Without input the conductance decays and v relaxes back to El.
        for _ in 0..10_000 {
            n.step(&[0.0], TimeSpan::from_nanos(100_000));
        }
        assert!((n.v() - P.el).abs() < 1e-9);
        assert!(n.ge() < 1e-30);
    }
}
