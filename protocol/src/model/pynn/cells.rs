//! PyNN's cells and synapses for Tempora's LIF populations and projections, with their units
//! converted (see the module above).

use super::values::{dist, num, si};
use crate::model::Drive;
use crate::model::{
    Dist, DrivingForce, Integrator, Lif, ModelError, Projection, Quantity, Synapse,
};
use crate::unit::Unit;

/// How a target population's inputs are scaled from Tempora's units to PyNN's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell {
    /// mV (delta), nA per mV (current) or uS per leak conductance (conductance): 1 / tau_m[ms]
    /// except for delta synapses (1).
    pub(super) weight_scale: f64,
    /// Conductance-based.
    pub(super) conductance: bool,
}

/// The cell type and its parameters, and how its inputs scale.
pub(super) fn lif_cell(
    lif: &Lif,
    path: &str,
    notes: &mut Vec<String>,
) -> Result<(String, Cell), ModelError> {
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

/// NEST's unit of a synaptic state variable over PyNN's (nS per uS, pA per nA): what PyNN
/// 0.13 does not apply to initial values on NEST (see `init_values`).
const NEST_STATE_SCALE: f64 = 1e3;

/// A Python list of `(name, value)` initial values of a LIF population.
pub(super) fn init_values(lif: &Lif, cell: Cell, path: &str) -> Result<Vec<String>, ModelError> {
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
    // Delta cells have no synaptic state. PyNN 0.13's pyNN.nest writes initial values of
    // gsyn_* and isyn_* into NEST without its unit scale (uS -> nS, nA -> pA; recording does
    // apply it, `pyNN/nest/populations.py: _set_initial_value_array`), so they are given here
    // in NEST's units: without this, coba's initial conductances were 1000 times too small and
    // its activity died out in 2 seeds of 6.
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
                    cell.weight_scale * NEST_STATE_SCALE,
                    f64::NEG_INFINITY,
                    &format!("{path}.init.{field}"),
                )?;
                out.push(format!("{name}={value}"));
            }
        }
    }
    Ok(out)
}

/// The synapse type of a projection onto a cell that scales weights by `cell.weight_scale`.
pub(super) fn synapse_type(
    p: &Projection,
    cell: Cell,
    dt_ms: f64,
    path: &str,
) -> Result<String, ModelError> {
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
