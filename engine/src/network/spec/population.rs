//! A population checked: LIF neurons (their synapses, drive, Poisson input and initial
//! values) or Poisson sources.

use super::check::{dist, err, seconds, value, volts};
use super::{
    DistSpec, DriveSpec, LifSpec, PoissonInputSpec, PopKind, PopSpec, SynSpec, MAX_POPULATION_SIZE,
};
use tempora_protocol::model::{Dist, Drive, Lif, ModelError, Population, Quantity};
use tempora_protocol::Unit;

pub(super) fn population(p: &Population, path: &str, dt: f64) -> Result<PopSpec, ModelError> {
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
pub(super) fn synaptic_weight(
    q: &Quantity,
    synapse: SynSpec,
    path: &str,
) -> Result<f64, ModelError> {
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
