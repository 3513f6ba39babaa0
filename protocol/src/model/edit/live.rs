//! Live changes: which edits of a running model a network takes at its next window boundary
//! without a rebuild (constant weights of static projections, Poisson rates, drives), and how
//! they are named (by their JSON path, with a value in SI units).

use crate::model::{Dist, Drive, NetworkModel, Quantity};
use crate::unit::Unit;

/// A quantity a running network can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// Projection i's constant weight (a static projection's).
    Weight(usize),
    /// Population i's Poisson sources' rate.
    SourceRate(usize),
    /// The rate of population i's Poisson input j.
    InputRate(usize, usize),
    /// A term of population i's drive.
    Drive(usize, DriveTerm),
}

/// A term of a drive ([`Drive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriveTerm {
    Constant,
    Amplitude,
    Frequency,
    Offset,
    Phase,
}

const DRIVE_TERMS: [(DriveTerm, &str); 5] = [
    (DriveTerm::Constant, "constant"),
    (DriveTerm::Amplitude, "sine.amplitude"),
    (DriveTerm::Frequency, "sine.frequency"),
    (DriveTerm::Offset, "sine.offset"),
    (DriveTerm::Phase, "sine.phase"),
];

/// `[i]` at the start of `text`: i and the rest.
fn index(text: &str) -> Option<(usize, &str)> {
    let (i, rest) = text.strip_prefix('[')?.split_once(']')?;
    Some((i.parse().ok()?, rest))
}

impl Live {
    /// The live quantity a JSON path names (`projections[0].weight`,
    /// `populations[1].poisson.rate`, `populations[0].lif.poisson_input[0].rate`,
    /// `populations[0].lif.drive.constant`, `populations[0].lif.drive.sine.amplitude`).
    pub fn parse(path: &str) -> Option<Live> {
        if let Some(rest) = path.strip_prefix("projections") {
            let (i, rest) = index(rest)?;
            return (rest == ".weight").then_some(Live::Weight(i));
        }
        let (i, rest) = index(path.strip_prefix("populations")?)?;
        if rest == ".poisson.rate" {
            return Some(Live::SourceRate(i));
        }
        if let Some(input) = rest.strip_prefix(".lif.poisson_input") {
            let (j, rest) = index(input)?;
            return (rest == ".rate").then_some(Live::InputRate(i, j));
        }
        let term = rest.strip_prefix(".lif.drive.")?;
        let (term, _) = DRIVE_TERMS.iter().find(|(_, name)| *name == term)?;
        Some(Live::Drive(i, *term))
    }

    /// Its JSON path (what [`Live::parse`] reads).
    pub fn path(&self) -> String {
        match self {
            Live::Weight(i) => format!("projections[{i}].weight"),
            Live::SourceRate(i) => format!("populations[{i}].poisson.rate"),
            Live::InputRate(i, j) => format!("populations[{i}].lif.poisson_input[{j}].rate"),
            Live::Drive(i, term) => {
                let (_, name) = DRIVE_TERMS.iter().find(|(t, _)| t == term).expect("listed");
                format!("populations[{i}].lif.drive.{name}")
            }
        }
    }

    /// Its unit in `model`.
    pub fn unit(&self, model: &NetworkModel) -> Unit {
        match self {
            Live::Weight(i) => model
                .projections
                .get(*i)
                .map_or(Unit::Volts, |p| weight_unit(model, &p.target)),
            Live::SourceRate(_) | Live::InputRate(..) | Live::Drive(_, DriveTerm::Frequency) => {
                Unit::Hertz
            }
            Live::Drive(_, DriveTerm::Phase) => Unit::Dimensionless,
            Live::Drive(..) => Unit::Volts,
        }
    }

    /// Every live quantity of `model`.
    pub fn all(model: &NetworkModel) -> Vec<Live> {
        let mut all: Vec<Live> = (0..model.projections.len()).map(Live::Weight).collect();
        for (i, p) in model.populations.iter().enumerate() {
            if p.poisson.is_some() {
                all.push(Live::SourceRate(i));
            }
            if let Some(lif) = &p.lif {
                all.extend((0..lif.poisson_input.len()).map(|j| Live::InputRate(i, j)));
                all.extend(DRIVE_TERMS.iter().map(|(t, _)| Live::Drive(i, *t)));
            }
        }
        all.retain(|l| l.quantity(model).is_some());
        all
    }

    /// Its quantity in `model`; None where the model has none that can change live (a
    /// distributed or plastic weight, another kind of drive).
    pub fn quantity<'m>(&self, model: &'m NetworkModel) -> Option<&'m Quantity> {
        match *self {
            Live::Weight(i) => {
                let p = model.projections.get(i)?;
                match (&p.stdp, &p.weight) {
                    (None, Dist::Constant(q)) => Some(q),
                    _ => None,
                }
            }
            Live::SourceRate(i) => Some(&model.populations.get(i)?.poisson.as_ref()?.rate),
            Live::InputRate(i, j) => {
                let lif = model.populations.get(i)?.lif.as_ref()?;
                Some(&lif.poisson_input.get(j)?.rate)
            }
            Live::Drive(i, term) => {
                let drive = model.populations.get(i)?.lif.as_ref()?.drive.as_ref()?;
                match (drive, term) {
                    (Drive::Constant(q), DriveTerm::Constant) => Some(q),
                    (Drive::Sine { amplitude, .. }, DriveTerm::Amplitude) => Some(amplitude),
                    (Drive::Sine { frequency, .. }, DriveTerm::Frequency) => Some(frequency),
                    (Drive::Sine { offset, .. }, DriveTerm::Offset) => Some(offset),
                    (Drive::Sine { phase, .. }, DriveTerm::Phase) => Some(phase),
                    _ => None,
                }
            }
        }
    }

    /// Its quantity in `model`, to change (the same field [`Live::quantity`] reads).
    pub fn quantity_mut<'m>(&self, model: &'m mut NetworkModel) -> Option<&'m mut Quantity> {
        match *self {
            Live::Weight(i) => {
                let p = model.projections.get_mut(i)?;
                match (&p.stdp, &mut p.weight) {
                    (None, Dist::Constant(q)) => Some(q),
                    _ => None,
                }
            }
            Live::SourceRate(i) => Some(&mut model.populations.get_mut(i)?.poisson.as_mut()?.rate),
            Live::InputRate(i, j) => {
                let lif = model.populations.get_mut(i)?.lif.as_mut()?;
                Some(&mut lif.poisson_input.get_mut(j)?.rate)
            }
            Live::Drive(i, term) => {
                let drive = model.populations.get_mut(i)?.lif.as_mut()?.drive.as_mut()?;
                match (drive, term) {
                    (Drive::Constant(q), DriveTerm::Constant) => Some(q),
                    (Drive::Sine { amplitude, .. }, DriveTerm::Amplitude) => Some(amplitude),
                    (Drive::Sine { frequency, .. }, DriveTerm::Frequency) => Some(frequency),
                    (Drive::Sine { offset, .. }, DriveTerm::Offset) => Some(offset),
                    (Drive::Sine { phase, .. }, DriveTerm::Phase) => Some(phase),
                    _ => None,
                }
            }
        }
    }
}

/// The unit of the weights onto population `target` of `model`: leak conductances onto
/// conductance synapses, volts otherwise.
pub fn weight_unit(model: &NetworkModel, target: &str) -> Unit {
    let conductance = model.populations.iter().any(|p| {
        p.name == target
            && p.lif
                .as_ref()
                .is_some_and(|l| matches!(l.synapse, crate::model::Synapse::ConductanceExp { .. }))
    });
    if conductance {
        Unit::Dimensionless
    } else {
        Unit::Volts
    }
}

/// When `new` differs from `old` only in live quantities ([`Live`]): their new values (SI)
/// keyed by their JSON path, which a running network takes at its next window boundary
/// without a rebuild. `None` when anything else changed (a rebuild) or nothing did.
pub fn live_changes(old: &NetworkModel, new: &NetworkModel) -> Option<crate::ParamValues> {
    let mut changes = crate::ParamValues::new();
    let mut rest = new.clone();
    for live in Live::all(new) {
        let (Some(was), Some(now)) = (live.quantity(old), live.quantity(new)) else {
            continue;
        };
        if was == now {
            continue;
        }
        changes.insert(live.path(), now.si(live.unit(new)).ok()?);
        *live.quantity_mut(&mut rest)? = was.clone();
    }
    (rest == *old && !changes.is_empty()).then_some(changes)
}
