//! A population of leaky integrate-and-fire neurons, stored as arrays (one per state
//! variable), and its step: integrate, threshold, take the step's input, reset.
//!
//! Integrators (README, "Integrators"):
//! - `exact`, delta and current synapses, and conductances with a frozen driving force: the
//!   closed-form solution of the linear system over a step, with the drive held at its value
//!   at the step's start: `v' = v_rest + (v - v_rest) P + ge Pe + gi Pi + drive (1 - P)`,
//!   `P = exp(-dt/tau_m)`, `Pe = tau_e / (tau_e - tau_m) (exp(-dt/tau_e) - P)` (`dt/tau_m P`
//!   when the two are equal), and `ge' = ge exp(-dt/tau_e)`; as Brian2's `method='exact'`.
//! - `exact`, conductances with `e - v`: exponential Euler (the conductances held over the
//!   step, v exact for them), as Brian2's `exponential_euler`.
//! - `euler`: forward Euler on v and the synaptic variables, as Brian 1's `COBA.py`.

use super::binomial::Binomial;
use super::spec::{DriveSpec, LifSpec, PoissonInputSpec, SynSpec};
use rand_chacha::ChaCha8Rng;
use tempora_protocol::model::{DrivingForce, Integrator, Receptor, Timing};

/// Input waiting to arrive, per step and neuron: a ring of `slots` steps (the longest delay
/// onto the population plus one).
#[derive(Debug, Clone)]
pub struct Inbox {
    slots: usize,
    n: usize,
    data: Vec<f64>,
}

impl Inbox {
    fn new(slots: usize, n: usize) -> Self {
        Inbox {
            slots,
            n,
            data: vec![0.0; slots * n],
        }
    }

    /// Neuron `n`'s input arriving at `step`.
    fn value(&self, step: u64, n: usize) -> f64 {
        let s = (step % self.slots as u64) as usize;
        self.data[s * self.n + n]
    }

    /// The input arriving at `step`.
    #[inline]
    pub fn at(&mut self, step: u64) -> &mut [f64] {
        let s = (step % self.slots as u64) as usize;
        &mut self.data[s * self.n..(s + 1) * self.n]
    }
}

/// Where input arriving in the current step goes: straight into the state, as Brian2's
/// `ge += w` (the ring holds only later arrivals). Into v for delta synapses, unless the
/// neuron is refractory (its input is lost).
pub struct Direct<'a> {
    values: &'a mut [f64],
    /// Delta synapses: the refractory horizons, and the step.
    refractory: Option<(&'a [u64], u64)>,
}

impl Direct<'_> {
    /// Adds `w` to neuron `j`'s variable.
    #[inline]
    pub fn add(&mut self, j: usize, w: f64) {
        match self.refractory {
            Some((until, s)) if s < until[j] => {}
            _ => self.values[j] += w,
        }
    }
}

/// The step's propagators, from the parameters and dt.
#[derive(Debug, Clone, Copy)]
struct Propagators {
    /// exp(-dt/tau_m).
    p: f64,
    /// Effect of ge (gi) at the step's start on v at its end (exact integrators).
    pe: f64,
    pi: f64,
    /// exp(-dt/tau_e), exp(-dt/tau_i) (exact) or 1 - dt/tau (Euler).
    de: f64,
    di: f64,
    /// dt / tau_m.
    dt_tau: f64,
}

/// `tau_s / (tau_s - tau_m) (exp(-dt/tau_s) - exp(-dt/tau_m))`: how an exponential current
/// that starts at 1 (V) moves v over a step.
fn current_propagator(dt: f64, tau_m: f64, tau_s: f64) -> f64 {
    let p = libm::exp(-dt / tau_m);
    if (tau_s - tau_m).abs() < 1e-12 * tau_m {
        dt / tau_m * p
    } else {
        tau_s / (tau_s - tau_m) * (libm::exp(-dt / tau_s) - p)
    }
}

/// Adds the delayed input taken last step, if any, to the synaptic variables (clearing it),
/// advances every membrane by `f(v, ge, gi)`, and decays the synaptic variables: one pass
/// without branches, which the compiler vectorises. Refractory membranes are put back at the
/// reset afterwards ([`LifPopulation::integrate`]): a few neurons, not a test for each.
#[inline(always)]
fn advance(
    v: &mut [f64],
    (ge, gi): (&mut [f64], &mut [f64]),
    input: Option<(&mut [f64], &mut [f64])>,
    (de, di): (f64, f64),
    f: impl Fn(f64, f64, f64) -> f64,
) {
    let n = v.len();
    let Some((input_e, input_i)) = input else {
        let (ge, gi) = (&mut ge[..n], &mut gi[..n]);
        for k in 0..n {
            v[k] = f(v[k], ge[k], gi[k]);
            ge[k] *= de;
            gi[k] *= di;
        }
        return;
    };
    let (ge, gi, input_e, input_i) = (
        &mut ge[..n],
        &mut gi[..n],
        &mut input_e[..n],
        &mut input_i[..n],
    );
    for k in 0..n {
        let (e, i) = (ge[k] + input_e[k], gi[k] + input_i[k]);
        input_e[k] = 0.0;
        input_i[k] = 0.0;
        v[k] = f(v[k], e, i);
        ge[k] = e * de;
        gi[k] = i * di;
    }
}

/// [`advance`] for delta synapses: no synaptic variables.
#[inline(always)]
fn advance_v(v: &mut [f64], f: impl Fn(f64) -> f64) {
    for x in v.iter_mut() {
        *x = f(*x);
    }
}

/// The population.
#[derive(Debug, Clone)]
pub struct LifPopulation {
    spec: LifSpec,
    k: Propagators,
    dt: f64,
    /// Steps a neuron stays refractory after its spike's step.
    hold: u64,
    /// Membrane potential, V.
    pub v: Vec<f64>,
    /// Excitatory synaptic variable (V, or leak conductances).
    pub ge: Vec<f64>,
    /// Inhibitory synaptic variable.
    pub gi: Vec<f64>,
    /// The first step at which each neuron takes input to v again (delta synapses).
    ref_until: Vec<u64>,
    /// The spikes of the last `hold - 1` steps, oldest first: the neurons held at the reset.
    held: std::collections::VecDeque<Vec<u32>>,
    /// Excitatory input (all input of delta synapses).
    pub inbox_e: Inbox,
    /// Inhibitory input (unused with delta synapses).
    pub inbox_i: Inbox,
    /// The step whose delayed exponential-synapse input was taken and waits to be added (at the
    /// next integration).
    pending: u64,
    /// Whether any input arrives later than its spike's step (a delay): without, the ring
    /// stays empty and the integration skips it.
    delayed: bool,
    poisson: Vec<(Binomial, PoissonInputSpec)>,
}

impl LifPopulation {
    /// `n` neurons of `spec` at step `dt`, with initial `v`, `ge`, `gi`; input delayed by up to
    /// `max_delay` steps.
    pub fn new(
        spec: &LifSpec,
        timing: Timing,
        dt: f64,
        state: [Vec<f64>; 3],
        max_delay: u64,
    ) -> Self {
        let [v, ge, gi] = state;
        let n = v.len();
        let (tau_e, tau_i) = match spec.synapse {
            SynSpec::Delta => (f64::INFINITY, f64::INFINITY),
            SynSpec::CurrentExp { tau_e, tau_i } | SynSpec::ConductanceExp { tau_e, tau_i, .. } => {
                (tau_e, tau_i)
            }
        };
        let (mut pe, mut pi) = (
            current_propagator(dt, spec.tau_m, tau_e),
            current_propagator(dt, spec.tau_m, tau_i),
        );
        if let SynSpec::ConductanceExp {
            e_e,
            e_i,
            driving: DrivingForce::Reset,
            ..
        } = spec.synapse
        {
            pe *= e_e - spec.v_reset;
            pi *= e_i - spec.v_reset;
        }
        let (de, di) = match spec.integrator {
            Integrator::Exact => (libm::exp(-dt / tau_e), libm::exp(-dt / tau_i)),
            Integrator::Euler => (1.0 - dt / tau_e, 1.0 - dt / tau_i),
        };
        let ref_steps = (spec.t_ref / dt).round() as u64;
        let hold = match timing {
            Timing::Brian2 => ref_steps,
            Timing::Nest => ref_steps + 1,
        };
        let slots = max_delay as usize + 1;
        // Delta synapses take no inhibitory input: one slot of zeros keeps the loops uniform.
        let inhibitory_slots = if spec.synapse == SynSpec::Delta {
            1
        } else {
            slots
        };
        let poisson = spec
            .poisson_input
            .iter()
            .map(|p| (Binomial::new(p.sources, p.rate * dt), *p))
            .collect();
        LifPopulation {
            spec: spec.clone(),
            k: Propagators {
                p: libm::exp(-dt / spec.tau_m),
                pe,
                pi,
                de,
                di,
                dt_tau: dt / spec.tau_m,
            },
            dt,
            hold,
            v,
            ge,
            gi,
            ref_until: vec![0; n],
            held: std::collections::VecDeque::new(),
            inbox_e: Inbox::new(slots, n),
            inbox_i: Inbox::new(inhibitory_slots, n),
            pending: 0,
            delayed: max_delay > 0,
            poisson,
        }
    }

    /// The number of neurons.
    pub fn len(&self) -> usize {
        self.v.len()
    }

    /// Whether it has none (never: sizes are at least 1).
    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }

    /// The drive at step `step`'s start, V.
    fn drive_at(&self, step: u64) -> f64 {
        match self.spec.drive {
            DriveSpec::None => 0.0,
            DriveSpec::Constant(i) => i,
            DriveSpec::Sine {
                amplitude,
                frequency,
                offset,
                phase,
            } => {
                let t = step as f64 * self.dt;
                offset + amplitude * libm::sin(std::f64::consts::TAU * frequency * t + phase)
            }
        }
    }

    /// Integrates step `step` and appends the neurons that cross the threshold to `spiked`.
    pub fn integrate(&mut self, step: u64, spiked: &mut Vec<u32>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, checked just above.
            return unsafe { self.integrate_avx512(step, spiked) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.integrate_avx2(step, spiked) };
        }
        self.integrate_here(step, spiked)
    }

    /// [`Self::integrate`] compiled for AVX2: four doubles per instruction where the build's
    /// baseline (SSE2) has two. The same bits: the arithmetic is the same operations in the
    /// same order (Rust never fuses a multiply and an add, and `fma` is not enabled).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn integrate_avx2(&mut self, step: u64, spiked: &mut Vec<u32>) {
        self.integrate_here(step, spiked)
    }

    /// [`Self::integrate`] compiled for AVX-512 (eight doubles per instruction), as AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn integrate_avx512(&mut self, step: u64, spiked: &mut Vec<u32>) {
        self.integrate_here(step, spiked)
    }

    #[inline(always)]
    fn integrate_here(&mut self, step: u64, spiked: &mut Vec<u32>) {
        let drive = self.drive_at(step);
        let k = self.k;
        let LifSpec {
            v_rest: el,
            v_thresh: vt,
            ..
        } = self.spec;
        let (v, ge, gi) = (&mut self.v, &mut self.ge, &mut self.gi);
        let decay = (k.de, k.di);
        // Delayed input taken at the end of the last step (exponential synapses), if any
        // projection onto the population has a delay.
        let delayed = self.delayed;
        let input = (self.inbox_e.at(self.pending), self.inbox_i.at(self.pending));
        match (self.spec.synapse, self.spec.integrator) {
            (SynSpec::Delta, Integrator::Exact) => {
                let target = el + drive;
                advance_v(v, |x| target + (x - target) * k.p);
            }
            (SynSpec::Delta, Integrator::Euler) => {
                advance_v(v, |x| x + k.dt_tau * (el - x + drive));
            }
            (
                SynSpec::CurrentExp { .. }
                | SynSpec::ConductanceExp {
                    driving: DrivingForce::Reset,
                    ..
                },
                Integrator::Exact,
            ) => {
                let target = el + drive;
                advance(v, (ge, gi), delayed.then_some(input), decay, |x, e, i| {
                    target + (x - target) * k.p + e * k.pe + i * k.pi
                });
            }
            (SynSpec::CurrentExp { .. }, Integrator::Euler) => {
                advance(v, (ge, gi), delayed.then_some(input), decay, |x, e, i| {
                    x + k.dt_tau * (el - x + e + i + drive)
                });
            }
            (
                SynSpec::ConductanceExp {
                    e_e, e_i, driving, ..
                },
                Integrator::Euler,
            ) => {
                // A frozen driving force takes e - v_reset in place of e - v.
                let frozen = driving == DrivingForce::Reset;
                let vr = self.spec.v_reset;
                advance(v, (ge, gi), delayed.then_some(input), decay, |x, e, i| {
                    let at = if frozen { vr } else { x };
                    x + k.dt_tau * (el - x + e * (e_e - at) + i * (e_i - at) + drive)
                });
            }
            (SynSpec::ConductanceExp { e_e, e_i, .. }, Integrator::Exact) => {
                // Exponential Euler (a frozen driving force is linear, handled above exactly).
                advance(v, (ge, gi), delayed.then_some(input), decay, |x, e, i| {
                    let g = 1.0 + e + i;
                    let v_inf = (el + e * e_e + i * e_i + drive) / g;
                    v_inf + (x - v_inf) * libm::exp(-k.dt_tau * g)
                });
            }
        }
        // Neurons that spiked in the last hold - 1 steps are refractory: held at the reset
        // (which is below the threshold, so they cannot spike).
        let v_reset = self.spec.v_reset;
        for list in &self.held {
            for &i in list {
                v[i as usize] = v_reset;
            }
        }
        find_crossings(v, vt, spiked);
        let until = step + self.hold;
        for &i in spiked.iter() {
            self.ref_until[i as usize] = until;
        }
        if self.hold > 1 {
            // This step's spikes are held from the next step on; the oldest list is done.
            let mut list = if self.held.len() + 1 == self.hold as usize {
                self.held.pop_front().expect("a full ring")
            } else {
                Vec::new()
            };
            list.clear();
            list.extend_from_slice(spiked);
            self.held.push_back(list);
        }
    }

    /// Draws the step's Poisson input (it arrives now) from the population's stream `rng`, for
    /// neurons `first .. first + len` of a population of `size`.
    pub fn draw_poisson_input(&mut self, step: u64, rng: &mut ChaCha8Rng, first: u32, size: u32) {
        // The population's stream is laid out by step, input and neuron, two words a draw
        // (an input whose count is certain leaves its words unused): neurons `first..` of a
        // split population draw the numbers one thread would, and a rate changed live moves
        // no other input's numbers.
        let inputs = self.poisson.len() as u128;
        let poisson = std::mem::take(&mut self.poisson);
        let n = self.len();
        for (q, (binomial, input)) in poisson.iter().enumerate() {
            if binomial.draws() {
                rng.set_word_pos(
                    2 * ((u128::from(step) * inputs + q as u128) * u128::from(size)
                        + u128::from(first)),
                );
            }
            let mut target = self.direct(input.receptor, step);
            for j in 0..n {
                let k = binomial.sample(rng);
                if k > 0 {
                    target.add(j, k as f64 * input.weight);
                }
            }
        }
        self.poisson = poisson;
    }

    /// Sets the rate of Poisson input `index` (from the next draw).
    pub fn set_input_rate(&mut self, index: usize, rate: f64) {
        if let Some((binomial, input)) = self.poisson.get_mut(index) {
            input.rate = rate;
            *binomial = Binomial::new(input.sources, rate * self.dt);
        }
    }

    /// Sets the drive (from the next step).
    pub fn set_drive(&mut self, drive: DriveSpec) {
        self.spec.drive = drive;
    }

    /// Where input with `receptor` arriving at `step` (the current step) goes.
    #[inline]
    pub fn direct(&mut self, receptor: Receptor, step: u64) -> Direct<'_> {
        match (receptor, self.spec.synapse) {
            (_, SynSpec::Delta) => Direct {
                values: &mut self.v,
                refractory: Some((&self.ref_until, step)),
            },
            (Receptor::Excitatory, _) => Direct {
                values: &mut self.ge,
                refractory: None,
            },
            (Receptor::Inhibitory, _) => Direct {
                values: &mut self.gi,
                refractory: None,
            },
        }
    }

    /// Takes the input arriving at `step` (clearing its slot): delta synapses move v unless
    /// the neuron is refractory (its input is lost, as in Brian2 and NEST); exponential
    /// synapses add to ge and gi always, at the start of the next step's integration (nothing
    /// reads them in between), in the same pass over the neurons.
    pub fn take_input(&mut self, step: u64) {
        let until = &self.ref_until;
        if self.spec.synapse == SynSpec::Delta {
            let input = self.inbox_e.at(step);
            for (i, x) in input.iter_mut().enumerate() {
                if *x != 0.0 {
                    if step >= until[i] {
                        self.v[i] += *x;
                    }
                    *x = 0.0;
                }
            }
        } else {
            self.pending = step;
        }
    }

    /// Neuron `n`'s excitatory and inhibitory synaptic variables now (with the input taken
    /// but not yet added).
    pub fn synaptic(&self, n: usize) -> (f64, f64) {
        if self.spec.synapse == SynSpec::Delta {
            return (0.0, 0.0);
        }
        (
            self.ge[n] + self.inbox_e.value(self.pending, n),
            self.gi[n] + self.inbox_i.value(self.pending, n),
        )
    }

    /// Resets the neurons that spiked.
    pub fn reset(&mut self, spiked: &[u32]) {
        for &i in spiked {
            self.v[i as usize] = self.spec.v_reset;
        }
    }

    /// The ring a projection with `receptor` delivers later arrivals to.
    #[inline]
    pub fn inbox(&mut self, receptor: Receptor) -> &mut Inbox {
        match (receptor, self.spec.synapse) {
            (Receptor::Inhibitory, s) if s != SynSpec::Delta => &mut self.inbox_i,
            _ => &mut self.inbox_e,
        }
    }

    /// Bytes of state per neuron with inboxes of `slots` steps (the memory check's estimate).
    pub fn bytes_per_neuron(slots: u64, synapse: SynSpec) -> u64 {
        let inboxes = if synapse == SynSpec::Delta { 1 } else { 2 };
        3 * 8 + 8 + inboxes * slots * 8
    }
}

/// Appends the indices of `v` above `vt` to `spiked`, in order. Few neurons cross in a step:
/// a block is compared at once without a branch (the compiler vectorises it), and only a block
/// with a crossing is looked at one by one.
#[inline(always)]
fn find_crossings(v: &[f64], vt: f64, spiked: &mut Vec<u32>) {
    const BLOCK: usize = 16;
    let blocks = v.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    for (b, block) in blocks.enumerate() {
        // An integer or over the block (a boolean one is turned back into branches).
        let mut any = 0u64;
        for &x in block {
            any |= u64::from(x > vt);
        }
        if any != 0 {
            for (k, &x) in block.iter().enumerate() {
                if x > vt {
                    spiked.push((b * BLOCK + k) as u32);
                }
            }
        }
    }
    let start = v.len() - tail.len();
    for (k, &x) in tail.iter().enumerate() {
        if x > vt {
            spiked.push((start + k) as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::DistSpec;
    use super::*;

    fn spec(synapse: SynSpec) -> LifSpec {
        LifSpec {
            tau_m: 0.02,
            v_rest: -0.049,
            v_thresh: -0.05,
            v_reset: -0.06,
            t_ref: 0.005,
            synapse,
            integrator: Integrator::Exact,
            drive: DriveSpec::None,
            poisson_input: Vec::new(),
            init_v: DistSpec::Constant(-0.06),
            init_ge: DistSpec::Constant(0.0),
            init_gi: DistSpec::Constant(0.0),
        }
    }

    fn one(spec: &LifSpec, timing: Timing, v: f64, ge: f64) -> LifPopulation {
        LifPopulation::new(spec, timing, 1e-4, [vec![v], vec![ge], vec![0.0]], 0)
    }

    #[test]
    fn crossings_are_found_in_order_in_blocks_and_the_tail() {
        // 19 neurons: two full blocks and a tail of 3; NaN never crosses.
        let mut v = vec![0.0; 19];
        for i in [0, 7, 8, 15, 17, 18] {
            v[i] = 2.0;
        }
        v[3] = f64::NAN;
        v[9] = 1.0; // at the threshold: not above it
        let mut spiked = vec![99];
        find_crossings(&v, 1.0, &mut spiked);
        assert_eq!(spiked, vec![99, 0, 7, 8, 15, 17, 18]);
        let plain: Vec<u32> = (0..19).filter(|&i| v[i] > 1.0).map(|i| i as u32).collect();
        assert_eq!(&spiked[1..], &plain[..]);
    }

    #[test]
    fn exact_integration_follows_the_closed_form() {
        // CUBA's neuron below threshold: rest at -55 mV, ge(0) = 2 mV with tau_e = 5 ms:
        // v(t) = El + (v0 - El) e^{-t/tm} + ge0 te/(te - tm) (e^{-t/te} - e^{-t/tm}).
        let mut s = spec(SynSpec::CurrentExp {
            tau_e: 0.005,
            tau_i: 0.01,
        });
        s.v_rest = -0.055;
        let mut pop = one(&s, Timing::Brian2, -0.06, 0.002);
        let mut spiked = Vec::new();
        for step in 0..300 {
            pop.integrate(step, &mut spiked);
            let t = (step + 1) as f64 * 1e-4;
            let closed = -0.055
                + (-0.06 + 0.055) * (-t / 0.02f64).exp()
                + 0.002 * 0.005 / (0.005 - 0.02) * ((-t / 0.005f64).exp() - (-t / 0.02f64).exp());
            assert!(
                (pop.v[0] - closed).abs() < 1e-14,
                "step {step}: {} vs {closed}",
                pop.v[0]
            );
            assert!((pop.ge[0] - 0.002 * (-t / 0.005f64).exp()).abs() < 1e-17);
        }
        assert!(spiked.is_empty());
    }

    #[test]
    fn refractoriness_holds_the_membrane_as_brian2_or_nest_do() {
        // El above threshold: tonic firing. After a spike v is held at the reset for 49 steps
        // of 5 ms at 0.1 ms (Brian2) or 50 (NEST), then integrates.
        for (timing, frozen) in [(Timing::Brian2, 49), (Timing::Nest, 50)] {
            let mut pop = one(&spec(SynSpec::Delta), timing, -0.0501, 0.0);
            pop.v[0] = -0.04999;
            let mut spiked = Vec::new();
            pop.integrate(0, &mut spiked);
            assert_eq!(spiked, vec![0]);
            pop.reset(&spiked);
            let mut held = 0;
            for step in 1..200 {
                spiked.clear();
                // Input during refractoriness is lost.
                pop.inbox_e.at(step)[0] = 1e-3;
                pop.integrate(step, &mut spiked);
                pop.take_input(step);
                if pop.v[0] != -0.06 {
                    break;
                }
                held += 1;
            }
            assert_eq!(held, frozen, "{timing:?}");
        }
    }
}
