//! Export of a model file to a PyNN script that builds the same network, so a model outgrowing
//! one browser runs on NEST (on a cluster, under MPI) with PyNN's own `pyNN.nest`. Checked with
//! PyNN 0.13.0 and NEST 3.10.0 from pip (`tests/bench/pynn_export.py` runs the exported `cuba`
//! and compares its statistics with Tempora's).
//!
//! Units. PyNN's cells work in ms, mV, nA, nF and uS; a Tempora LIF neuron works in volts:
//! current synapses and drives are the potential a current makes across the membrane's
//! resistance, conductances are in units of the leak conductance. With the membrane capacitance
//! fixed at `cm = 1 nF` the resistance is `tau_m` (ms) in MOhm, so a potential of `x` mV is a
//! current of `x / tau_m` nA, and a conductance of `g` leaks is `g / tau_m` uS; delta synapses
//! take their weights in mV as they are.
//!
//! What cannot be said the same way is said in the script's header: NEST's timing conventions
//! (every delay at least one step, refractory periods of round(t_ref/dt) steps), NEST's exact
//! integration where a model asks for Euler, and Brian2's binomial `PoissonInput` as one
//! Poisson source of `sources x rate` per neuron. A frozen driving force has no PyNN cell: it is
//! refused, naming the field.

use super::{
    Connect, Dist, Drive, DrivingForce, Integrator, Lif, ModelError, NetworkModel, Population,
    Projection, Quantity, Receptor, Synapse, Timing,
};
use crate::unit::Unit;
use std::fmt::Write as _;

/// The PyNN and NEST versions the exported scripts were checked with.
pub const CHECKED_WITH: &str = "PyNN 0.13.0 with NEST 3.10.0 (pip)";

/// How a target population's inputs are scaled from Tempora's units to PyNN's.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// mV (delta), nA per mV (current) or uS per leak conductance (conductance): 1 / tau_m[ms]
    /// except for delta synapses (1).
    weight_scale: f64,
    /// Conductance-based.
    conductance: bool,
}

/// A Python number: the value rounded to 12 significant digits (so 1.62e-3 V reads 1.62 mV, not
/// 1.6199999999999999), written as Python reads it.
fn num(x: f64) -> String {
    let rounded: f64 = format!("{x:.11e}")
        .parse()
        .expect("a formatted float parses");
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

/// A Python string literal (JSON's escapes are Python's).
fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A model value in `unit`, or an error at `path`.
fn si(q: &Quantity, unit: Unit, path: &str) -> Result<f64, ModelError> {
    q.si(unit).map_err(|m| ModelError::at(path, m))
}

/// A distribution as PyNN writes it, each value read in `unit` and multiplied by `scale`, at
/// least `floor` (delays: the shortest NEST takes).
fn dist(d: &Dist, unit: Unit, scale: f64, floor: f64, path: &str) -> Result<String, ModelError> {
    let v = |q: &Quantity, field: &str| -> Result<f64, ModelError> {
        Ok((si(q, unit, &format!("{path}{field}"))? * scale).max(floor))
    };
    Ok(match d {
        Dist::Constant(q) => num(v(q, "")?),
        Dist::Uniform { uniform } => format!(
            "RandomDistribution(\"uniform\", low={}, high={}, rng=rng)",
            num(v(&uniform.low, ".uniform.low")?),
            num(v(&uniform.high, ".uniform.high")?)
        ),
        Dist::Normal { normal } => {
            let mean = num(v(&normal.mean, ".normal.mean")?);
            let sd = num(si(&normal.sd, unit, &format!("{path}.normal.sd"))? * scale.abs());
            let bound = |b: &Option<Quantity>, field: &str, inf: &str| -> Result<String, _> {
                b.as_ref()
                    .map_or(Ok(inf.to_string()), |q| v(q, field).map(num))
            };
            let (low, high) = (
                bound(&normal.min, ".normal.min", "-math.inf")?,
                bound(&normal.max, ".normal.max", "math.inf")?,
            );
            // A negative scale swaps the bounds (not used: every scale here is positive).
            if normal.min.is_none() && normal.max.is_none() && floor == f64::NEG_INFINITY {
                format!("RandomDistribution(\"normal\", mu={mean}, sigma={sd}, rng=rng)")
            } else {
                let low = if normal.min.is_none() && floor > f64::NEG_INFINITY {
                    num(floor)
                } else {
                    low
                };
                format!(
                    "RandomDistribution(\"normal_clipped\", mu={mean}, sigma={sd}, low={low}, high={high}, rng=rng)"
                )
            }
        }
    })
}

/// The cell type and its parameters, and how its inputs scale.
fn lif_cell(lif: &Lif, path: &str, notes: &mut Vec<String>) -> Result<(String, Cell), ModelError> {
    let mv =
        |q: &Quantity, field: &str| si(q, Unit::Volts, &format!("{path}.{field}")).map(|v| v * 1e3);
    let ms = |q: &Quantity, field: &str| {
        si(q, Unit::Seconds, &format!("{path}.{field}")).map(|v| v * 1e3)
    };
    let tau_m = ms(&lif.tau_m, "tau_m")?;
    let mut params = vec![
        ("cm".to_string(), num(1.0)),
        ("tau_m".to_string(), num(tau_m)),
        ("v_rest".to_string(), num(mv(&lif.v_rest, "v_rest")?)),
        ("v_thresh".to_string(), num(mv(&lif.v_thresh, "v_thresh")?)),
        ("v_reset".to_string(), num(mv(&lif.v_reset, "v_reset")?)),
        ("tau_refrac".to_string(), num(ms(&lif.t_ref, "t_ref")?)),
    ];
    let (cell_type, cell) = match &lif.synapse {
        Synapse::Delta => (
            "IF_curr_delta",
            Cell {
                weight_scale: 1e3,
                conductance: false,
            },
        ),
        Synapse::CurrentExp { tau_e, tau_i } => {
            params.push(("tau_syn_E".into(), num(ms(tau_e, "synapse.tau_e")?)));
            params.push(("tau_syn_I".into(), num(ms(tau_i, "synapse.tau_i")?)));
            (
                "IF_curr_exp",
                Cell {
                    weight_scale: 1e3 / tau_m,
                    conductance: false,
                },
            )
        }
        Synapse::ConductanceExp {
            tau_e,
            tau_i,
            e_e,
            e_i,
            driving_force,
        } => {
            if *driving_force == DrivingForce::Reset {
                return Err(ModelError::at(
                    format!("{path}.synapse.driving_force"),
                    "a driving force frozen at the reset (e - v_reset) has no PyNN cell type; export with `membrane`",
                ));
            }
            params.push(("tau_syn_E".into(), num(ms(tau_e, "synapse.tau_e")?)));
            params.push(("tau_syn_I".into(), num(ms(tau_i, "synapse.tau_i")?)));
            params.push(("e_rev_E".into(), num(mv(e_e, "synapse.e_e")?)));
            params.push(("e_rev_I".into(), num(mv(e_i, "synapse.e_i")?)));
            (
                "IF_cond_exp",
                Cell {
                    weight_scale: 1.0 / tau_m,
                    conductance: true,
                },
            )
        }
    };
    if lif.integrator == Integrator::Euler {
        notes.push(format!(
            "{path}: the model integrates with forward Euler; NEST integrates {cell_type} exactly."
        ));
    }
    if let Some(Drive::Constant(q)) = &lif.drive {
        params.push(("i_offset".into(), num(mv(q, "drive")? / tau_m)));
    }
    let list: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok((format!("sim.{cell_type}({})", list.join(", ")), cell))
}

/// A Python list of `(name, value)` initial values of a LIF population.
fn init_values(lif: &Lif, cell: Cell, path: &str) -> Result<Vec<String>, ModelError> {
    let (exc, inh) = if cell.conductance {
        ("gsyn_exc", "gsyn_inh")
    } else {
        ("isyn_exc", "isyn_inh")
    };
    let mut out = Vec::new();
    let v = lif.init.v.as_ref().map_or_else(
        || {
            dist(
                &Dist::Constant(lif.v_rest.clone()),
                Unit::Volts,
                1e3,
                f64::NEG_INFINITY,
                &format!("{path}.v_rest"),
            )
        },
        |d| {
            dist(
                d,
                Unit::Volts,
                1e3,
                f64::NEG_INFINITY,
                &format!("{path}.init.v"),
            )
        },
    )?;
    out.push(format!("v={v}"));
    // Delta cells have no synaptic state.
    if !matches!(lif.synapse, Synapse::Delta) {
        let unit = if cell.conductance {
            Unit::Dimensionless
        } else {
            Unit::Volts
        };
        for (field, name, d) in [("ge", exc, &lif.init.ge), ("gi", inh, &lif.init.gi)] {
            if let Some(d) = d {
                let value = dist(
                    d,
                    unit,
                    cell.weight_scale,
                    f64::NEG_INFINITY,
                    &format!("{path}.init.{field}"),
                )?;
                out.push(format!("{name}={value}"));
            }
        }
    }
    Ok(out)
}

fn receptor(r: Receptor) -> &'static str {
    match r {
        Receptor::Excitatory => "excitatory",
        Receptor::Inhibitory => "inhibitory",
    }
}

fn connector(c: &Connect) -> String {
    let py_bool = |b: bool| if b { "True" } else { "False" };
    match c {
        Connect::FixedProbability { p, allow_self } => format!(
            "sim.FixedProbabilityConnector({}, allow_self_connections={}, rng=rng)",
            num(*p),
            py_bool(*allow_self)
        ),
        Connect::FixedIndegree { k, allow_self } => format!(
            "sim.FixedNumberPreConnector({k}, allow_self_connections={}, with_replacement=False, rng=rng)",
            py_bool(*allow_self)
        ),
        Connect::OneToOne => "sim.OneToOneConnector()".to_string(),
        Connect::AllToAll { allow_self } => format!(
            "sim.AllToAllConnector(allow_self_connections={})",
            py_bool(*allow_self)
        ),
    }
}

/// The synapse type of a projection onto a cell that scales weights by `cell.weight_scale`.
fn synapse_type(p: &Projection, cell: Cell, dt_ms: f64, path: &str) -> Result<String, ModelError> {
    let unit = if cell.conductance {
        Unit::Dimensionless
    } else {
        Unit::Volts
    };
    let weight = dist(
        &p.weight,
        unit,
        cell.weight_scale,
        f64::NEG_INFINITY,
        &format!("{path}.weight"),
    )?;
    let delay = dist(
        &p.delay,
        Unit::Seconds,
        1e3,
        dt_ms,
        &format!("{path}.delay"),
    )?;
    let Some(stdp) = &p.stdp else {
        return Ok(format!("sim.StaticSynapse(weight={weight}, delay={delay})"));
    };
    let s = |q: &Quantity, f: &str, u: Unit| si(q, u, &format!("{path}.stdp.{f}"));
    let w_max = s(&stdp.w_max, "w_max", unit)?;
    if w_max <= 0.0 {
        return Err(ModelError::at(
            format!("{path}.stdp.w_max"),
            "must be above 0 for PyNN's relative amplitudes",
        ));
    }
    // PyNN's amplitudes are fractions of w_max (NEST's lambda and alpha); Tempora's are in
    // the weight's unit, and a_post is negative for depression.
    let a_plus = s(&stdp.a_pre, "a_pre", unit)? / w_max;
    let a_minus = -s(&stdp.a_post, "a_post", unit)? / w_max;
    Ok(format!(
        "sim.STDPMechanism(\n        timing_dependence=sim.SpikePairRule(tau_plus={}, tau_minus={}, A_plus={}, A_minus={}),\n        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max={}),\n        weight={weight}, delay={delay})",
        num(s(&stdp.tau_pre, "tau_pre", Unit::Seconds)? * 1e3),
        num(s(&stdp.tau_post, "tau_post", Unit::Seconds)? * 1e3),
        num(a_plus),
        num(a_minus),
        num(w_max * cell.weight_scale),
    ))
}

/// The population's Python variable-free handle: `populations["E"]`.
fn handle(name: &str) -> String {
    format!("populations[{}]", py_str(name))
}

/// A PyNN script that builds and runs `model` on NEST, writes the spikes as Tempora's CLI does
/// (`{"spikes": {"<population>": {"size", "t_s", "i"}}}`) and prints each population's rate.
pub fn pynn_script(model: &NetworkModel) -> Result<String, ModelError> {
    let dt_ms = si(&model.dt, Unit::Seconds, "dt")? * 1e3;
    let mut notes = vec![
        "NEST's timing conventions: every delay is at least one step (shorter ones here are one step), and a refractory period lasts round(t_ref / dt) steps.".to_string(),
    ];
    if model.timing == Timing::Brian2 {
        notes.push("The model uses Brian2's conventions (`timing: brian2`); Tempora's `timing: nest` is the one that matches this script step for step.".to_string());
    }
    let mut body = String::new();
    let mut cells = Vec::new();
    for (i, pop) in model.populations.iter().enumerate() {
        let path = format!("populations[{i}]");
        cells.push(population(pop, &path, &mut body, &mut notes)?);
    }
    let mut max_delay_ms = dt_ms;
    let _ = writeln!(body, "\n# Projections.");
    for (i, p) in model.projections.iter().enumerate() {
        let path = format!("projections[{i}]");
        let name = p
            .name
            .clone()
            .unwrap_or_else(|| format!("{}->{}", p.source, p.target));
        let find = |pop: &str, field: &str| {
            model
                .populations
                .iter()
                .position(|q| q.name == pop)
                .ok_or_else(|| {
                    ModelError::at(format!("{path}.{field}"), format!("no population `{pop}`"))
                })
        };
        find(&p.source, "source")?;
        let target = find(&p.target, "target")?;
        let Some(cell) = cells[target] else {
            return Err(ModelError::at(
                format!("{path}.target"),
                format!("`{}` is not a population of LIF neurons", p.target),
            ));
        };
        max_delay_ms = max_delay_ms.max(longest(&p.delay, &format!("{path}.delay"))? * 1e3);
        let _ = writeln!(
            body,
            "projections[{}] = sim.Projection(\n    {}, {},\n    {},\n    {},\n    receptor_type={}, label={})",
            py_str(&name),
            handle(&p.source),
            handle(&p.target),
            connector(&p.connect),
            synapse_type(p, cell, dt_ms, &path)?,
            py_str(receptor(p.receptor)),
            py_str(&name),
        );
    }
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env python3");
    let _ = writeln!(
        out,
        "# {}: exported by Tempora from its model file (format {}).",
        model.name, model.format
    );
    for line in model.description.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "#\n# Builds the same network in PyNN on NEST; checked with {CHECKED_WITH}:"
    );
    let _ = writeln!(
        out,
        "#   python3 {}_pynn.py --duration 1 --seed 1 --out spikes.json",
        model.name
    );
    let _ = writeln!(
        out,
        "#   mpirun -np 4 python3 {}_pynn.py ...   (NEST built with MPI)",
        model.name
    );
    let _ = writeln!(
        out,
        "# Units are PyNN's: ms, mV, nA, nF, uS, Hz. Tempora's LIF works in volts; with cm = 1 nF"
    );
    let _ = writeln!(
        out,
        "# a potential of x mV is a current of x / tau_m[ms] nA and a conductance of g leaks is"
    );
    let _ = writeln!(out, "# g / tau_m[ms] uS (delta synapses keep their mV).");
    let _ = writeln!(
        out,
        "# A run is chaotic: compare statistics (rates, ISI CVs), not spike times, with Tempora's."
    );
    for note in &notes {
        let _ = writeln!(out, "# - {note}");
    }
    let _ = write!(
        out,
        r#"
import argparse
import json
import math

import pyNN.nest as sim
from pyNN.random import NumpyRNG, RandomDistribution

parser = argparse.ArgumentParser(description={description})
parser.add_argument("--duration", type=float, default=1.0, help="simulated time, s")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--out", default=None, help="write the spikes here as JSON (Tempora's format)")
args = parser.parse_args()

sim.setup(timestep={dt}, min_delay={dt}, max_delay={max_delay})
rng = NumpyRNG(seed=args.seed, parallel_safe=True)
populations = {{}}
projections = {{}}
"#,
        description = py_str(&format!("{} (exported from Tempora)", model.name)),
        dt = num(dt_ms),
        max_delay = num(max_delay_ms.max(dt_ms)),
    );
    out.push_str(&body);
    let _ = write!(
        out,
        r#"
for name, population in populations.items():
    if not name.startswith("_"):
        population.record("spikes")
sim.run(args.duration * 1000.0)

spikes = {{}}
for name, population in populations.items():
    if name.startswith("_"):
        continue
    trains = population.get_data("spikes", gather=True).segments[0].spiketrains
    t_s, index = [], []
    for i, train in enumerate(trains):
        for t in train.magnitude:
            t_s.append(float(t) / 1000.0)
            index.append(i)
    order = sorted(range(len(t_s)), key=lambda k: (t_s[k], index[k]))
    spikes[name] = {{"size": population.size, "t_s": [t_s[k] for k in order], "i": [index[k] for k in order]}}
if sim.rank() == 0:
    for name, s in spikes.items():
        print(f"{{name}}: {{len(s['t_s']) / s['size'] / args.duration:.2f}} Hz")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({{"simulator": "pyNN.nest", "model": {name}, "duration_s": args.duration, "spikes": spikes}}, f)
sim.end()
"#,
        name = py_str(&model.name),
    );
    Ok(out)
}

/// The longest value a delay distribution takes, s.
fn longest(d: &Dist, path: &str) -> Result<f64, ModelError> {
    let s = |q: &Quantity, f: &str| si(q, Unit::Seconds, &format!("{path}{f}"));
    match d {
        Dist::Constant(q) => s(q, ""),
        Dist::Uniform { uniform } => s(&uniform.high, ".uniform.high"),
        Dist::Normal { normal } => match &normal.max {
            Some(max) => s(max, ".normal.max"),
            None => Ok(s(&normal.mean, ".normal.mean")? + 6.0 * s(&normal.sd, ".normal.sd")?),
        },
    }
}

/// Writes a population (and its Poisson drive) to `body`; its cell's scaling if it is LIF.
fn population(
    pop: &Population,
    path: &str,
    body: &mut String,
    notes: &mut Vec<String>,
) -> Result<Option<Cell>, ModelError> {
    let h = handle(&pop.name);
    let label = py_str(&pop.name);
    match (&pop.lif, &pop.poisson) {
        (Some(lif), None) => {
            let lif_path = format!("{path}.lif");
            let (cell_type, cell) = lif_cell(lif, &lif_path, notes)?;
            let _ = writeln!(body, "\n# {}: {} LIF neurons.", pop.name, pop.size);
            let _ = writeln!(
                body,
                "{h} = sim.Population({}, {cell_type}, label={label})",
                pop.size
            );
            let init = init_values(lif, cell, &lif_path)?;
            let _ = writeln!(body, "{h}.initialize({})", init.join(", "));
            if let Some(Drive::Sine {
                amplitude,
                frequency,
                offset,
                phase,
            }) = &lif.drive
            {
                let tau_m = si(&lif.tau_m, Unit::Seconds, &format!("{lif_path}.tau_m"))? * 1e3;
                let na = |q: &Quantity, f: &str| {
                    si(q, Unit::Volts, &format!("{lif_path}.drive.sine.{f}"))
                        .map(|v| num(v * 1e3 / tau_m))
                };
                let _ = writeln!(
                    body,
                    "{h}.inject(sim.ACSource(start=0.0, stop=1e12, amplitude={}, offset={}, frequency={}, phase={}))",
                    na(amplitude, "amplitude")?,
                    na(offset, "offset")?,
                    num(si(frequency, Unit::Hertz, &format!("{lif_path}.drive.sine.frequency"))?),
                    num(si(phase, Unit::Dimensionless, &format!("{lif_path}.drive.sine.phase"))?.to_degrees()),
                );
            }
            for (k, input) in lif.poisson_input.iter().enumerate() {
                let ipath = format!("{lif_path}.poisson_input[{k}]");
                let rate =
                    si(&input.rate, Unit::Hertz, &format!("{ipath}.rate"))? * input.sources as f64;
                let unit = if cell.conductance {
                    Unit::Dimensionless
                } else {
                    Unit::Volts
                };
                let weight =
                    si(&input.weight, unit, &format!("{ipath}.weight"))? * cell.weight_scale;
                let source = format!("_{}_poisson_input_{k}", pop.name);
                let _ = writeln!(
                    body,
                    "# {} independent Poisson sources of {} Hz per neuron, as one source of their summed rate.",
                    input.sources,
                    num(rate / input.sources.max(1) as f64)
                );
                let _ = writeln!(
                    body,
                    "{} = sim.Population({}, sim.SpikeSourcePoisson(rate={}), label={})",
                    handle(&source),
                    pop.size,
                    num(rate),
                    py_str(&source)
                );
                let _ = writeln!(
                    body,
                    "projections[{}] = sim.Projection({}, {h}, sim.OneToOneConnector(), sim.StaticSynapse(weight={}, delay=sim.get_min_delay()), receptor_type={})",
                    py_str(&source),
                    handle(&source),
                    num(weight),
                    py_str(receptor(input.receptor)),
                );
            }
            Ok(Some(cell))
        }
        (None, Some(poisson)) => {
            let rate = si(&poisson.rate, Unit::Hertz, &format!("{path}.poisson.rate"))?;
            let _ = writeln!(body, "\n# {}: {} Poisson sources.", pop.name, pop.size);
            let _ = writeln!(
                body,
                "{h} = sim.Population({}, sim.SpikeSourcePoisson(rate={}), label={label})",
                pop.size,
                num(rate)
            );
            Ok(None)
        }
        _ => Err(ModelError::at(
            path,
            "a population is either `lif` or `poisson`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> NetworkModel {
        NetworkModel::from_json(text).expect("a test model")
    }

    const VA: &str = r#"{"format": 1, "name": "va", "description": "two populations", "dt": "0.1 ms",
        "populations": [
            {"name": "E", "size": 3200, "lif": {"tau_m": "20 ms", "v_rest": "-49 mV",
                "v_thresh": "-50 mV", "v_reset": "-60 mV", "t_ref": "5 ms",
                "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"},
                "init": {"v": {"uniform": {"low": "-60 mV", "high": "-50 mV"}}}}},
            {"name": "in", "size": 10, "poisson": {"rate": "5 Hz"}}
        ],
        "projections": [
            {"name": "EE", "source": "E", "target": "E",
             "connect": {"rule": "fixed_probability", "p": 0.02}, "weight": "1.62 mV"},
            {"name": "inE", "source": "in", "target": "E", "receptor": "inhibitory",
             "connect": {"rule": "fixed_indegree", "k": 3, "allow_self": false},
             "weight": "-9 mV", "delay": "2 ms"}
        ]}"#;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(num(1.62e-3 * 1e3), "1.62");
        assert_eq!(num(20.0), "20.0");
        assert_eq!(num(-0.081), "-0.081");
        assert_eq!(num(1.0 / 3.0), "0.333333333333");
    }

    #[test]
    fn current_synapses_become_if_curr_exp_with_weights_in_na() {
        let script = pynn_script(&model(VA)).unwrap();
        assert!(script.contains(r#"populations["E"] = sim.Population(3200, sim.IF_curr_exp(cm=1.0, tau_m=20.0, v_rest=-49.0, v_thresh=-50.0, v_reset=-60.0, tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0), label="E")"#), "{script}");
        assert!(script.contains(r#"populations["E"].initialize(v=RandomDistribution("uniform", low=-60.0, high=-50.0, rng=rng))"#), "{script}");
        // 1.62 mV over R = 20 MOhm is 0.081 nA; a zero delay is one step in NEST.
        assert!(
            script.contains("sim.StaticSynapse(weight=0.081, delay=0.1)"),
            "{script}"
        );
        assert!(
            script.contains(
                "sim.FixedProbabilityConnector(0.02, allow_self_connections=True, rng=rng)"
            ),
            "{script}"
        );
        assert!(script.contains("sim.FixedNumberPreConnector(3, allow_self_connections=False, with_replacement=False, rng=rng)"), "{script}");
        assert!(
            script.contains("sim.StaticSynapse(weight=-0.45, delay=2.0)"),
            "{script}"
        );
        assert!(
            script.contains(r#"receptor_type="inhibitory", label="inE")"#),
            "{script}"
        );
        assert!(script.contains(r#"populations["in"] = sim.Population(10, sim.SpikeSourcePoisson(rate=5.0), label="in")"#), "{script}");
        assert!(
            script.contains("sim.setup(timestep=0.1, min_delay=0.1, max_delay=2.0)"),
            "{script}"
        );
        assert!(script.contains("# two populations"), "{script}");
    }

    #[test]
    fn conductances_delta_synapses_poisson_drive_and_stdp_convert_their_units() {
        let text = VA
            .replace(r#""type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms""#,
                r#""type": "conductance_exp", "tau_e": "5 ms", "tau_i": "10 ms", "e_e": "0 mV", "e_i": "-80 mV""#)
            .replace(r#""weight": "1.62 mV"}"#, r#""weight": 0.6, "stdp": {"tau_pre": "20 ms", "tau_post": "20 ms", "a_pre": 0.006, "a_post": -0.0063, "w_max": 0.6}}"#)
            .replace(r#""weight": "-9 mV""#, r#""weight": 6.7"#)
            .replace(r#""init": {"#, r#""poisson_input": [{"sources": 1000, "rate": "2 Hz", "weight": 0.1}], "init": {"#);
        let script = pynn_script(&model(&text)).unwrap();
        assert!(script.contains("sim.IF_cond_exp(cm=1.0, tau_m=20.0, v_rest=-49.0, v_thresh=-50.0, v_reset=-60.0, tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0)"), "{script}");
        // 0.6 leaks of g_L = cm / tau_m = 0.05 uS is 0.03 uS; A_plus is a fraction of w_max.
        assert!(
            script.contains(
                "SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105)"
            ),
            "{script}"
        );
        assert!(
            script.contains("AdditiveWeightDependence(w_min=0.0, w_max=0.03)"),
            "{script}"
        );
        assert!(script.contains("weight=0.03, delay=0.1)"), "{script}");
        assert!(
            script.contains("sim.StaticSynapse(weight=0.335, delay=2.0)"),
            "{script}"
        );
        assert!(script.contains(r#"populations["_E_poisson_input_0"] = sim.Population(3200, sim.SpikeSourcePoisson(rate=2000.0)"#), "{script}");
        assert!(
            script.contains("sim.StaticSynapse(weight=0.005, delay=sim.get_min_delay())"),
            "{script}"
        );

        let delta = VA.replace(
            r#""type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms""#,
            r#""type": "delta""#,
        );
        let script = pynn_script(&model(&delta)).unwrap();
        assert!(
            script.contains("sim.IF_curr_delta(cm=1.0, tau_m=20.0"),
            "{script}"
        );
        assert!(
            script.contains("sim.StaticSynapse(weight=1.62, delay=0.1)"),
            "{script}"
        );
    }

    #[test]
    fn what_pynn_cannot_say_is_refused_at_its_field() {
        let frozen = VA.replace(
            r#""type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms""#,
            r#""type": "conductance_exp", "tau_e": "5 ms", "tau_i": "10 ms", "e_e": "0 mV", "e_i": "-80 mV", "driving_force": "reset""#,
        );
        let e = pynn_script(&model(&frozen)).unwrap_err();
        assert_eq!(e.path, "populations[0].lif.synapse.driving_force", "{e}");
        let onto_sources = VA.replace(
            r#""source": "in", "target": "E""#,
            r#""source": "E", "target": "in""#,
        );
        let e = pynn_script(&model(&onto_sources)).unwrap_err();
        assert_eq!(e.path, "projections[1].target", "{e}");
        let bad_unit = VA.replace(r#""tau_m": "20 ms""#, r#""tau_m": "20 mV""#);
        let e = pynn_script(&model(&bad_unit)).unwrap_err();
        assert_eq!(e.path, "populations[0].lif.tau_m", "{e}");
    }
}
