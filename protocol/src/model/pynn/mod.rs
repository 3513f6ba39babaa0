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

mod cells;
#[cfg(test)]
mod tests;
mod values;

use super::{Dist, Drive, ModelError, NetworkModel, Population, Quantity, Timing};
use crate::unit::Unit;
use cells::{init_values, lif_cell, synapse_type, Cell};
use std::fmt::Write as _;
use values::{connector, num, py_str, receptor, si};

/// The PyNN and NEST versions the exported scripts were checked with.
pub const CHECKED_WITH: &str = "PyNN 0.13.0 with NEST 3.10.0 (pip)";

/// A population as the script names it: `populations["E"]`.
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
            "projections[{}] = sim.Projection(\n    {}, {},\n    connector({}, {}),\n    {},\n    receptor_type={}, label={})",
            py_str(&name),
            handle(&p.source),
            handle(&p.target),
            py_str(&name),
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
    let name = &model.name;
    let _ = write!(
        out,
        "#
# Builds the same network in PyNN on NEST; checked with {CHECKED_WITH}:
#   python3 {name}_pynn.py --duration 1 --seed 1 --out spikes.json
#   mpirun -np 4 python3 {name}_pynn.py ...   (NEST built with MPI)
# Units are PyNN's: ms, mV, nA, nF, uS, Hz. Tempora's LIF works in volts; with cm = 1 nF
# a potential of x mV is a current of x / tau_m[ms] nA and a conductance of g leaks is
# g / tau_m[ms] uS (delta synapses keep their mV).
# A run is chaotic: compare statistics (rates, ISI CVs), not spike times, with Tempora's.
# --synapses DIR builds the network Tempora drew (`tempora run --model FILE --seed S
# --synapses DIR`) instead of drawing one: its pairs (weights and delays as below).
# Initial gsyn_*/isyn_* values (where set) are in NEST's units, nS and pA: PyNN 0.13's pyNN.nest does not scale initial values.
"
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
import os

import numpy as np

import pyNN.nest as sim
from pyNN.random import NumpyRNG, RandomDistribution

parser = argparse.ArgumentParser(description={description})
parser.add_argument("--duration", type=float, default=1.0, help="simulated time, s")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--out", default=None, help="write the spikes here as JSON (Tempora's format)")
parser.add_argument("--synapses", default=None, metavar="DIR",
                    help="the pairs of the network Tempora drew (tempora run --synapses DIR)")
args = parser.parse_args()
drawn = None
if args.synapses:
    with open(os.path.join(args.synapses, "synapses.json")) as f:
        drawn = {{p["name"]: p for p in json.load(f)["projections"]}}


def connector(name, rule):
    """Projection `name`'s connector: `rule`, or Tempora's pairs with --synapses."""
    if drawn is None:
        return rule
    if name not in drawn:
        raise SystemExit(f"{{args.synapses}} has no projection {{name!r}}")
    stem = os.path.join(args.synapses, drawn[name]["stem"])
    pairs = np.stack([np.load(stem + ".source.npy"), np.load(stem + ".target.npy")], axis=1)
    return sim.FromListConnector(pairs.astype(np.int64))


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
if drawn is not None:
    for name, projection in projections.items():
        if name not in drawn:
            continue
        built, expected = projection.size(gather=True), drawn[name]["synapses"]
        if built != expected:
            raise SystemExit(f"{{name}}: {{built}} synapses built, {{expected}} in {{args.synapses}}")

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
