//! A projection checked: its rule against the populations, weights (conductances cannot be
//! negative), delays on the dt grid, and STDP.

use super::check::{dist, err, seconds, value};
use super::population::synaptic_weight;
use super::{DelaySpec, DistSpec, PopKind, PopSpec, ProjSpec, StdpSpec, SynSpec, MAX_DELAY_STEPS};
use tempora_protocol::model::{Connect, ModelError, Projection, Quantity, Stdp};
use tempora_protocol::Unit;

pub(super) fn projection(
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
                return Err(err(at("delay"), format!("{} is negative", p.delay.shown())));
            }
            let steps = (d / dt).round();
            if (steps * dt - d).abs() > 1e-9 * dt.max(d) {
                return Err(err(
                    at("delay"),
                    format!("{} is not on the dt grid ({} s)", p.delay.shown(), dt),
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
