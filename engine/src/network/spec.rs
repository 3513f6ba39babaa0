//! A model file checked and resolved: every value in SI units and in range, every reference a
//! population index, every delay a whole number of steps. Whatever is wrong is a
//! [`ModelError`] at the field's JSON path, found before anything is allocated.

use tempora_protocol::model::{
    Connect, Dist, Drive, DrivingForce, Integrator, Lif, ModelError, NetworkModel, Population,
    Projection, Quantity, Receptor, Stdp, Timing,
};
use tempora_protocol::Unit;

/// Most neurons (or sources) in one population.
pub const MAX_POPULATION_SIZE: u64 = 4_000_000;
/// Most populations and most projections in one model.
pub const MAX_PARTS: usize = 64;
/// Longest synaptic delay, steps (per-synapse delays are stored in 16 bits).
pub const MAX_DELAY_STEPS: u64 = u16::MAX as u64;

/// A checked model.
#[derive(Debug, Clone, PartialEq)]
pub struct NetSpec {
    /// The model's name.
    pub name: String,
    /// Integration step, s.
    pub dt: f64,
    /// The step in logical nanoseconds.
    pub dt_ns: u64,
    /// Step conventions.
    pub timing: Timing,
    /// Populations, in the file's order.
    pub populations: Vec<PopSpec>,
    /// Projections, in the file's order.
    pub projections: Vec<ProjSpec>,
    /// Spikes recorded: (population, how many of its first neurons).
    pub spike_records: Vec<(usize, u32)>,
    /// State recorded: (population, neuron, variable).
    pub state_records: Vec<(usize, u32, StateVar)>,
}

/// A population, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PopSpec {
    /// Its name.
    pub name: String,
    /// Neurons or sources.
    pub size: u32,
    /// What they are.
    pub kind: PopKind,
}

/// LIF neurons or Poisson sources.
// A model has a few populations: their size difference costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum PopKind {
    /// Integrate-and-fire neurons.
    Lif(LifSpec),
    /// Poisson sources at `rate` Hz each.
    Poisson {
        /// Hz.
        rate: f64,
    },
}

/// LIF parameters in SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct LifSpec {
    /// s.
    pub tau_m: f64,
    /// V.
    pub v_rest: f64,
    /// V.
    pub v_thresh: f64,
    /// V.
    pub v_reset: f64,
    /// s.
    pub t_ref: f64,
    /// Synapse kind and constants.
    pub synapse: SynSpec,
    /// Membrane integrator.
    pub integrator: Integrator,
    /// Drive, V.
    pub drive: DriveSpec,
    /// Binomial Poisson inputs.
    pub poisson_input: Vec<PoissonInputSpec>,
    /// Initial v, V.
    pub init_v: DistSpec,
    /// Initial ge.
    pub init_ge: DistSpec,
    /// Initial gi.
    pub init_gi: DistSpec,
}

/// Synapses, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SynSpec {
    /// Jumps of v.
    Delta,
    /// Exponential currents, time constants in s.
    CurrentExp {
        /// s.
        tau_e: f64,
        /// s.
        tau_i: f64,
    },
    /// Exponential conductances.
    ConductanceExp {
        /// s.
        tau_e: f64,
        /// s.
        tau_i: f64,
        /// V.
        e_e: f64,
        /// V.
        e_i: f64,
        /// Where the driving force is taken.
        driving: DrivingForce,
    },
}

impl SynSpec {
    /// Whether weights are conductances (and may not be negative).
    pub fn is_conductance(&self) -> bool {
        matches!(self, SynSpec::ConductanceExp { .. })
    }
}

/// A drive in volts at time t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DriveSpec {
    /// None.
    None,
    /// Constant, V.
    Constant(f64),
    /// `offset + amplitude sin(2 pi f t + phase)`.
    Sine {
        /// V.
        amplitude: f64,
        /// Hz.
        frequency: f64,
        /// V.
        offset: f64,
        /// rad.
        phase: f64,
    },
}

/// `sources` Poisson sources at `rate` onto each neuron, each spike adding `weight`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonInputSpec {
    /// Sources per neuron.
    pub sources: u32,
    /// Hz.
    pub rate: f64,
    /// V or leak conductances.
    pub weight: f64,
    /// Which variable.
    pub receptor: Receptor,
}

/// A distribution in SI units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DistSpec {
    /// One value.
    Constant(f64),
    /// Uniform in [low, high).
    Uniform(f64, f64),
    /// Normal, clipped to [min, max].
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Lower clip (-inf if none).
        min: f64,
        /// Upper clip (+inf if none).
        max: f64,
    },
}

impl DistSpec {
    /// The smallest value it can give.
    pub fn lowest(&self) -> f64 {
        match *self {
            DistSpec::Constant(v) => v,
            DistSpec::Uniform(low, _) => low,
            DistSpec::Normal {
                sd: 0.0, mean, min, ..
            } => mean.max(min),
            DistSpec::Normal { min, .. } => min,
        }
    }
}

/// Synaptic delays on the step grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DelaySpec {
    /// The same number of steps for every synapse.
    Steps(u32),
    /// Drawn per synapse in seconds and rounded to the nearest step.
    Drawn(DistSpec),
}

/// A projection, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjSpec {
    /// Its name (`source->target` if the file gives none).
    pub name: String,
    /// Source population index.
    pub source: usize,
    /// Target population index (LIF).
    pub target: usize,
    /// The rule.
    pub connect: Connect,
    /// Weights.
    pub weight: DistSpec,
    /// Delays.
    pub delay: DelaySpec,
    /// The target variable.
    pub receptor: Receptor,
    /// Plasticity.
    pub stdp: Option<StdpSpec>,
}

/// STDP constants, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StdpSpec {
    /// s.
    pub tau_pre: f64,
    /// s.
    pub tau_post: f64,
    /// Weight unit.
    pub a_pre: f64,
    /// Weight unit.
    pub a_post: f64,
    /// Weight unit.
    pub w_max: f64,
}

/// A recordable state variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateVar {
    /// Membrane potential.
    V,
    /// Excitatory synaptic variable.
    Ge,
    /// Inhibitory synaptic variable.
    Gi,
}

impl StateVar {
    /// Its name in model files.
    pub fn name(self) -> &'static str {
        match self {
            StateVar::V => "v",
            StateVar::Ge => "ge",
            StateVar::Gi => "gi",
        }
    }
}

/// An error at `path`.
fn err(path: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError::at(path, message)
}

/// `q` in `unit`, within [low, high].
fn value(q: &Quantity, unit: Unit, path: &str, low: f64, high: f64) -> Result<f64, ModelError> {
    let v = q.si(unit).map_err(|m| err(path, m))?;
    if !(low..=high).contains(&v) {
        return Err(err(
            path,
            format!(
                "{} is outside [{}, {}]",
                q.shown(),
                tempora_protocol::unit::format_value(unit, low),
                tempora_protocol::unit::format_value(unit, high)
            ),
        ));
    }
    Ok(v)
}

/// A time constant or period, s: positive and at most 100 s.
fn seconds(q: &Quantity, path: &str) -> Result<f64, ModelError> {
    let v = value(q, Unit::Seconds, path, 0.0, 100.0)?;
    if v == 0.0 {
        return Err(err(path, "must be above 0 s"));
    }
    Ok(v)
}

/// A potential, V, within +-1 V.
fn volts(q: &Quantity, path: &str) -> Result<f64, ModelError> {
    value(q, Unit::Volts, path, -1.0, 1.0)
}

/// A distribution in `unit`, within [low, high] for its bounds and mean.
fn dist(d: &Dist, unit: Unit, path: &str, low: f64, high: f64) -> Result<DistSpec, ModelError> {
    Ok(match d {
        Dist::Constant(q) => DistSpec::Constant(value(q, unit, path, low, high)?),
        Dist::Uniform { uniform } => {
            let lo = value(
                &uniform.low,
                unit,
                &format!("{path}.uniform.low"),
                low,
                high,
            )?;
            let hi = value(
                &uniform.high,
                unit,
                &format!("{path}.uniform.high"),
                low,
                high,
            )?;
            if lo > hi {
                return Err(err(format!("{path}.uniform.high"), "must not be below low"));
            }
            DistSpec::Uniform(lo, hi)
        }
        Dist::Normal { normal } => {
            let mean = value(
                &normal.mean,
                unit,
                &format!("{path}.normal.mean"),
                low,
                high,
            )?;
            let span = high - low;
            let sd = value(&normal.sd, unit, &format!("{path}.normal.sd"), 0.0, span)?;
            let bound = |q: &Option<Quantity>, name: &str, default: f64| {
                q.as_ref().map_or(Ok(default), |q| {
                    value(q, unit, &format!("{path}.normal.{name}"), low, high)
                })
            };
            let min = bound(&normal.min, "min", f64::NEG_INFINITY)?;
            let max = bound(&normal.max, "max", f64::INFINITY)?;
            if min > max {
                return Err(err(format!("{path}.normal.max"), "must not be below min"));
            }
            DistSpec::Normal { mean, sd, min, max }
        }
    })
}

impl NetSpec {
    /// Checks `model` and resolves it to SI units.
    pub fn resolve(model: &NetworkModel) -> Result<NetSpec, ModelError> {
        let dt = value(&model.dt, Unit::Seconds, "dt", 1e-6, 1e-2)?;
        let dt_ns = (dt * 1e9).round() as u64;
        if ((dt_ns as f64) * 1e-9 - dt).abs() > 1e-12 * dt {
            return Err(err("dt", "must be a whole number of nanoseconds"));
        }
        if model.populations.is_empty() {
            return Err(err(
                "populations",
                "a network needs at least one population",
            ));
        }
        if model.populations.len() > MAX_PARTS || model.projections.len() > MAX_PARTS {
            return Err(err(
                if model.populations.len() > MAX_PARTS {
                    "populations"
                } else {
                    "projections"
                },
                format!("at most {MAX_PARTS} populations and {MAX_PARTS} projections"),
            ));
        }
        let mut populations = Vec::with_capacity(model.populations.len());
        for (i, p) in model.populations.iter().enumerate() {
            let path = format!("populations[{i}]");
            if p.name.trim().is_empty() || p.name.contains(['.', '=']) {
                return Err(err(
                    format!("{path}.name"),
                    "a name must not be empty or contain `.` or `=`",
                ));
            }
            if model.populations[..i].iter().any(|q| q.name == p.name) {
                return Err(err(
                    format!("{path}.name"),
                    format!("`{}` names two populations", p.name),
                ));
            }
            populations.push(population(p, &path, dt)?);
        }
        let find = |name: &str, path: String| {
            model
                .populations
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| {
                    let known: Vec<_> = model.populations.iter().map(|p| p.name.as_str()).collect();
                    err(
                        path,
                        format!("unknown population `{name}` (known: {})", known.join(", ")),
                    )
                })
        };
        let mut projections: Vec<ProjSpec> = Vec::with_capacity(model.projections.len());
        for (i, p) in model.projections.iter().enumerate() {
            let path = format!("projections[{i}]");
            let source = find(&p.source, format!("{path}.source"))?;
            let target = find(&p.target, format!("{path}.target"))?;
            let proj = projection(p, &path, &populations, source, target, dt)?;
            if projections.iter().any(|q| q.name == proj.name) {
                return Err(err(
                    format!("{path}.name"),
                    format!("`{}` names two projections", proj.name),
                ));
            }
            projections.push(proj);
        }
        let spike_records = match &model.record.spikes {
            None => (0..populations.len())
                .map(|i| (i, populations[i].size))
                .collect(),
            Some(list) => {
                let mut out = Vec::new();
                for (i, r) in list.iter().enumerate() {
                    let path = format!("record.spikes[{i}]");
                    let pop = find(&r.population, format!("{path}.population"))?;
                    let size = populations[pop].size;
                    let first = r.first.unwrap_or(size as u64);
                    if first > size as u64 {
                        return Err(err(
                            format!("{path}.first"),
                            format!("{first} is more than the population's {size} neurons"),
                        ));
                    }
                    out.push((pop, first as u32));
                }
                out
            }
        };
        let mut state_records = Vec::new();
        for (i, r) in model.record.state.iter().enumerate() {
            let path = format!("record.state[{i}]");
            let pop = find(&r.population, format!("{path}.population"))?;
            let PopKind::Lif(lif) = &populations[pop].kind else {
                return Err(err(
                    format!("{path}.population"),
                    "Poisson sources have no state to record",
                ));
            };
            for (j, &n) in r.neurons.iter().enumerate() {
                if n >= populations[pop].size as u64 {
                    return Err(err(
                        format!("{path}.neurons[{j}]"),
                        format!(
                            "neuron {n} is not in a population of {}",
                            populations[pop].size
                        ),
                    ));
                }
                for (k, var) in r.variables.iter().enumerate() {
                    let var = match (var.as_str(), lif.synapse) {
                        ("v", _) => StateVar::V,
                        ("ge", s) if s != SynSpec::Delta => StateVar::Ge,
                        ("gi", s) if s != SynSpec::Delta => StateVar::Gi,
                        (other, _) => {
                            return Err(err(
                                format!("{path}.variables[{k}]"),
                                format!("`{other}` is not a variable of these neurons (v, and ge, gi with exponential synapses)"),
                            ))
                        }
                    };
                    state_records.push((pop, n as u32, var));
                }
            }
        }
        Ok(NetSpec {
            name: model.name.clone(),
            dt,
            dt_ns,
            timing: model.timing,
            populations,
            projections,
            spike_records,
            state_records,
        })
    }

    /// The number of steps of `duration_s` (rounded down).
    pub fn steps_in(&self, duration_s: f64) -> u64 {
        (duration_s * 1e9 / self.dt_ns as f64 + 1e-9).floor() as u64
    }
}

fn population(p: &Population, path: &str, dt: f64) -> Result<PopSpec, ModelError> {
    if p.size == 0 || p.size > MAX_POPULATION_SIZE {
        return Err(err(
            format!("{path}.size"),
            format!("{} is outside [1, {MAX_POPULATION_SIZE}]", p.size),
        ));
    }
    let kind = match (&p.lif, &p.poisson) {
        (Some(lif), None) => PopKind::Lif(lif_spec(lif, &format!("{path}.lif"), dt)?),
        (None, Some(source)) => {
            let rate = value(
                &source.rate,
                Unit::Hertz,
                &format!("{path}.poisson.rate"),
                0.0,
                0.5 / dt,
            )?;
            PopKind::Poisson { rate }
        }
        _ => {
            return Err(err(
                path,
                "a population is either `lif` neurons or `poisson` sources (exactly one)",
            ))
        }
    };
    Ok(PopSpec {
        name: p.name.clone(),
        size: p.size as u32,
        kind,
    })
}

fn lif_spec(lif: &Lif, path: &str, dt: f64) -> Result<LifSpec, ModelError> {
    let at = |field: &str| format!("{path}.{field}");
    let tau_m = seconds(&lif.tau_m, &at("tau_m"))?;
    let v_rest = volts(&lif.v_rest, &at("v_rest"))?;
    let v_thresh = volts(&lif.v_thresh, &at("v_thresh"))?;
    let v_reset = volts(&lif.v_reset, &at("v_reset"))?;
    if v_reset >= v_thresh {
        return Err(err(
            at("v_reset"),
            format!(
                "the reset ({}) must be below the threshold ({})",
                lif.v_reset.shown(),
                lif.v_thresh.shown()
            ),
        ));
    }
    let t_ref = value(&lif.t_ref, Unit::Seconds, &at("t_ref"), 0.0, 1.0)?;
    if dt > tau_m / 5.0 {
        return Err(err(
            "dt",
            format!(
                "dt must be at most tau_m / 5 ({} s) to resolve {}",
                tau_m / 5.0,
                at("tau_m")
            ),
        ));
    }
    let synapse = match &lif.synapse {
        tempora_protocol::model::Synapse::Delta => SynSpec::Delta,
        tempora_protocol::model::Synapse::CurrentExp { tau_e, tau_i } => SynSpec::CurrentExp {
            tau_e: seconds(tau_e, &at("synapse.tau_e"))?,
            tau_i: seconds(tau_i, &at("synapse.tau_i"))?,
        },
        tempora_protocol::model::Synapse::ConductanceExp {
            tau_e,
            tau_i,
            e_e,
            e_i,
            driving_force,
        } => SynSpec::ConductanceExp {
            tau_e: seconds(tau_e, &at("synapse.tau_e"))?,
            tau_i: seconds(tau_i, &at("synapse.tau_i"))?,
            e_e: volts(e_e, &at("synapse.e_e"))?,
            e_i: volts(e_i, &at("synapse.e_i"))?,
            driving: *driving_force,
        },
    };
    let drive = match &lif.drive {
        None => DriveSpec::None,
        Some(Drive::Constant(q)) => DriveSpec::Constant(volts(q, &at("drive.constant"))?),
        Some(Drive::Sine {
            amplitude,
            frequency,
            offset,
            phase,
        }) => DriveSpec::Sine {
            amplitude: volts(amplitude, &at("drive.sine.amplitude"))?,
            frequency: value(
                frequency,
                Unit::Hertz,
                &at("drive.sine.frequency"),
                0.0,
                0.5 / dt,
            )?,
            offset: volts(offset, &at("drive.sine.offset"))?,
            phase: value(
                phase,
                Unit::Dimensionless,
                &at("drive.sine.phase"),
                -1e3,
                1e3,
            )?,
        },
    };
    let mut poisson_input = Vec::new();
    for (i, input) in lif.poisson_input.iter().enumerate() {
        let at = |field: &str| format!("{path}.poisson_input[{i}].{field}");
        if input.sources == 0 || input.sources > u32::MAX as u64 {
            return Err(err(
                at("sources"),
                format!("{} is outside [1, {}]", input.sources, u32::MAX),
            ));
        }
        let rate = value(&input.rate, Unit::Hertz, &at("rate"), 0.0, 0.5 / dt)?;
        let weight = synaptic_weight(&input.weight, synapse, &at("weight"))?;
        poisson_input.push(PoissonInputSpec {
            sources: input.sources as u32,
            rate,
            weight,
            receptor: input.receptor,
        });
    }
    // Initial conductances may be negative: Brian 1's COBA draws them from unclipped normals
    // (give a `min` to clip).
    let g_unit = if synapse.is_conductance() {
        Unit::Dimensionless
    } else {
        Unit::Volts
    };
    let g_dist = |d: &Option<Dist>, name: &str| match (d, synapse) {
        (None, _) => Ok(DistSpec::Constant(0.0)),
        (Some(_), SynSpec::Delta) => Err(err(
            at(&format!("init.{name}")),
            "delta synapses have no synaptic variable to set",
        )),
        (Some(d), _) => dist(d, g_unit, &at(&format!("init.{name}")), -1e3, 1e3),
    };
    let init_ge = g_dist(&lif.init.ge, "ge")?;
    let init_gi = g_dist(&lif.init.gi, "gi")?;
    let init_v = match &lif.init.v {
        None => DistSpec::Constant(v_rest),
        Some(d) => dist(d, Unit::Volts, &at("init.v"), -1.0, 1.0)?,
    };
    Ok(LifSpec {
        tau_m,
        v_rest,
        v_thresh,
        v_reset,
        t_ref,
        synapse,
        integrator: lif.integrator,
        drive,
        poisson_input,
        init_v,
        init_ge,
        init_gi,
    })
}

/// A weight onto `synapse`: volts, or a non-negative conductance.
fn synaptic_weight(q: &Quantity, synapse: SynSpec, path: &str) -> Result<f64, ModelError> {
    if synapse.is_conductance() {
        value(q, Unit::Dimensionless, path, 0.0, 1e3).map_err(|e| {
            err(
                e.path,
                format!(
                    "{} (a conductance, in units of the leak conductance, cannot be negative)",
                    e.message
                ),
            )
        })
    } else {
        volts(q, path)
    }
}

fn projection(
    p: &Projection,
    path: &str,
    pops: &[PopSpec],
    source: usize,
    target: usize,
    dt: f64,
) -> Result<ProjSpec, ModelError> {
    let at = |field: &str| format!("{path}.{field}");
    let PopKind::Lif(lif) = &pops[target].kind else {
        return Err(err(
            at("target"),
            format!(
                "`{}` is Poisson sources: a projection targets LIF neurons",
                p.target
            ),
        ));
    };
    let (ns, nt) = (pops[source].size as u64, pops[target].size as u64);
    let same = source == target;
    match p.connect {
        Connect::FixedProbability { p: prob, .. } if !(0.0..=1.0).contains(&prob) => {
            return Err(err(at("connect.p"), format!("{prob} is outside [0, 1]")));
        }
        Connect::FixedIndegree { k, allow_self } => {
            let available = if same && !allow_self { ns - 1 } else { ns };
            if k > available {
                return Err(err(
                    at("connect.k"),
                    format!(
                        "k = {k} is more than the {available} sources `{}` offers",
                        p.source
                    ),
                ));
            }
        }
        Connect::OneToOne if ns != nt => {
            return Err(err(
                at("connect.rule"),
                format!("one_to_one needs equal sizes ({ns} and {nt})"),
            ));
        }
        _ => {}
    }
    let weight = if lif.synapse.is_conductance() {
        let w = dist(&p.weight, Unit::Dimensionless, &at("weight"), -1e3, 1e3)?;
        if w.lowest() < 0.0 {
            return Err(err(
                at("weight"),
                "a conductance cannot be negative (for a normal distribution give a min >= 0)",
            ));
        }
        w
    } else {
        dist(&p.weight, Unit::Volts, &at("weight"), -1.0, 1.0)?
    };
    let max_delay = MAX_DELAY_STEPS as f64 * dt;
    let delay = match dist(&p.delay, Unit::Seconds, &at("delay"), -max_delay, max_delay)? {
        DistSpec::Constant(d) => {
            if d < 0.0 {
                return Err(err(at("delay"), format!("{} is negative", p.delay_shown())));
            }
            let steps = (d / dt).round();
            if (steps * dt - d).abs() > 1e-9 * dt.max(d) {
                return Err(err(
                    at("delay"),
                    format!("{} is not on the dt grid ({} s)", p.delay_shown(), dt),
                ));
            }
            DelaySpec::Steps(steps as u32)
        }
        drawn => {
            if drawn.lowest() < 0.0 {
                return Err(err(
                    at("delay"),
                    "delays cannot be negative (for a normal distribution give a min >= 0)",
                ));
            }
            DelaySpec::Drawn(drawn)
        }
    };
    let stdp = match &p.stdp {
        None => None,
        Some(s) => Some(stdp_spec(s, &at("stdp"), lif.synapse)?),
    };
    if stdp.is_some() && matches!(delay, DelaySpec::Drawn(_)) {
        return Err(err(
            at("delay"),
            "a plastic projection needs one delay for all its synapses",
        ));
    }
    if let (Some(s), true) = (&stdp, weight.lowest() < 0.0) {
        return Err(err(
            at("weight"),
            format!(
                "STDP keeps weights in [0, w_max = {}]: they cannot start negative",
                s.w_max
            ),
        ));
    }
    Ok(ProjSpec {
        name: p
            .name
            .clone()
            .unwrap_or_else(|| format!("{}->{}", p.source, p.target)),
        source,
        target,
        connect: p.connect.clone(),
        weight,
        delay,
        receptor: p.receptor,
        stdp,
    })
}

fn stdp_spec(s: &Stdp, path: &str, synapse: SynSpec) -> Result<StdpSpec, ModelError> {
    let at = |field: &str| format!("{path}.{field}");
    let w_max = synaptic_weight(&s.w_max, synapse, &at("w_max"))?;
    if w_max <= 0.0 {
        return Err(err(at("w_max"), "must be above 0"));
    }
    let amplitude = |q: &Quantity, name: &str| {
        let unit = if synapse.is_conductance() {
            Unit::Dimensionless
        } else {
            Unit::Volts
        };
        value(q, unit, &at(name), -w_max, w_max)
    };
    Ok(StdpSpec {
        tau_pre: seconds(&s.tau_pre, &at("tau_pre"))?,
        tau_post: seconds(&s.tau_post, &at("tau_post"))?,
        a_pre: amplitude(&s.a_pre, "a_pre")?,
        a_post: amplitude(&s.a_post, "a_post")?,
        w_max,
    })
}

trait DelayShown {
    fn delay_shown(&self) -> String;
}

impl DelayShown for Projection {
    fn delay_shown(&self) -> String {
        match &self.delay {
            Dist::Constant(q) => q.shown(),
            other => format!("{other:?}"),
        }
    }
}
