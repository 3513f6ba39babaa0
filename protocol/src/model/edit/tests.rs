//! Tests of the editor's operations on a model.

use super::*;
use crate::model::NetworkModel;
use crate::unit::Unit;

fn small() -> NetworkModel {
    NetworkModel::from_json(
        r#"{"format": 1, "name": "two", "dt": "0.1 ms",
            "populations": [
                {"name": "in", "size": 10, "poisson": {"rate": "5 Hz"}},
                {"name": "E", "size": 4, "lif": {"tau_m": "20 ms", "v_rest": "-60 mV",
                    "v_thresh": "-50 mV", "v_reset": "-60 mV", "t_ref": "5 ms",
                    "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"},
                    "init": {"v": {"uniform": {"low": "-60 mV", "high": "-50 mV"}}}}}],
            "projections": [{"name": "inE", "source": "in", "target": "E",
                "connect": {"rule": "fixed_indegree", "k": 3}, "weight": "1 mV", "delay": "1 ms"}],
            "record": {"spikes": [{"population": "E"}]}}"#,
    )
    .unwrap()
}

#[test]
fn fields_carry_their_path_unit_and_choices() {
    let f = fields(&small(), Element::Population(1));
    let by = |label: &str| {
        f.iter()
            .find(|f| f.label == label)
            .unwrap_or_else(|| panic!("{label}: {f:?}"))
    };
    assert_eq!(by("lif.tau_m").path, "populations[1].lif.tau_m");
    assert_eq!(by("lif.tau_m").text, "20 ms");
    assert_eq!(by("lif.tau_m").unit, Some(Unit::Seconds));
    assert_eq!(
        by("lif.init.v.uniform.low").unit,
        None,
        "a distribution's part: its parent's help"
    );
    assert_eq!(
        by("lif.synapse.type").choices,
        &["delta", "current_exp", "conductance_exp"]
    );
    assert_eq!(by("size").text, "4");
    let p = fields(&small(), Element::Projection(0));
    let weight = p.iter().find(|f| f.label == "weight").unwrap();
    assert_eq!(
        (weight.path.as_str(), weight.unit),
        ("projections[0].weight", Some(Unit::Volts))
    );
    assert!(p.iter().any(|f| f.label == "connect.k" && f.text == "3"));
    assert!(fields(&small(), Element::Projection(5)).is_empty());
    let order: Vec<&str> = f.iter().take(4).map(|f| f.label.as_str()).collect();
    assert_eq!(order, ["name", "size", "lif.tau_m", "lif.v_rest"]);
}

#[test]
fn a_field_takes_text_numbers_and_choices_and_refuses_what_is_not_a_model() {
    let m = set_field(&small(), "populations[1].lif.tau_m", "10 ms").unwrap();
    assert_eq!(m.populations[1].lif.as_ref().unwrap().tau_m, "10 ms".into());
    let m = set_field(&m, "populations[1].size", "40").unwrap();
    assert_eq!(m.populations[1].size, 40);
    let m = set_field(&m, "projections[0].connect.rule", "fixed_probability").unwrap();
    assert_eq!(
        m.projections[0].connect,
        super::super::Connect::FixedProbability {
            p: 0.1,
            allow_self: true
        }
    );
    let m = set_field(&m, "populations[1].lif.synapse.type", "conductance_exp").unwrap();
    let lif = m.populations[1].lif.as_ref().unwrap();
    assert!(
        matches!(&lif.synapse, super::super::Synapse::ConductanceExp { tau_e, .. } if *tau_e == "5 ms".into())
    );
    let e = set_field(&m, "populations[1].size", "-4").unwrap_err();
    assert_eq!(e.path, "populations[1].size", "{e}");
    let e = set_field(&m, "populations[1].lif.nothing", "1").unwrap_err();
    assert_eq!(e.path, "populations[1].lif.nothing", "{e}");
}

#[test]
fn renaming_a_population_keeps_its_projections_and_records() {
    let m = set_field(&small(), "populations[1].name", "Exc").unwrap();
    assert_eq!(m.projections[0].target, "Exc");
    assert_eq!(m.record.spikes.as_ref().unwrap()[0].population, "Exc");
}

#[test]
fn structural_edits_keep_the_model_consistent() {
    let (m, i) = add_population(&small());
    assert_eq!(
        (i, m.populations[i].name.as_str(), m.populations[i].size),
        (2, "P", 100)
    );
    assert_eq!(
        m.populations[i].lif, m.populations[1].lif,
        "like the first LIF population"
    );
    let (m, j) = add_projection(&m, "E", "P").unwrap();
    assert_eq!(m.projections[j].name.as_deref(), Some("EP"));
    let e = add_projection(&m, "E", "in").unwrap_err();
    assert_eq!(e.path, "projections[2].target", "{e}");
    let (m, removed) = remove_population(&m, 1);
    assert_eq!(removed, vec!["inE".to_string(), "EP".to_string()]);
    assert!(m.projections.is_empty());
    assert_eq!(m.record.spikes.as_ref().map(Vec::len), Some(0));
    let m = remove_projection(&small(), 0);
    assert!(m.projections.is_empty());
}

#[test]
fn stdp_switches_on_relative_to_the_weight_and_off_again() {
    let m = toggle_stdp(&small(), 0).unwrap();
    let stdp = m.projections[0].stdp.as_ref().unwrap();
    assert_eq!(stdp.w_max, "1 mV".into());
    assert_eq!(stdp.a_pre, "0.01 mV".into());
    let m = toggle_stdp(&m, 0).unwrap();
    assert!(m.projections[0].stdp.is_none());
}

#[test]
fn weights_rates_and_drives_change_live_and_anything_else_rebuilds() {
    let old = small();
    let new = set_field(&old, "projections[0].weight", "2 mV").unwrap();
    let live = live_changes(&old, &new).expect("a weight alone is live");
    assert_eq!(live.get("projections[0].weight"), Some(&0.002));
    // A source rate and a weight together.
    let both = set_field(&new, "populations[0].poisson.rate", "12 Hz").unwrap();
    let live = live_changes(&old, &both).unwrap();
    assert_eq!(live.len(), 2);
    assert_eq!(live.get("populations[0].poisson.rate"), Some(&12.0));
    // A Poisson input's rate and a drive's terms (added by a rebuild first).
    let mut driven = old.clone();
    let lif = driven.populations[1].lif.as_mut().unwrap();
    lif.poisson_input = vec![crate::model::PoissonInput {
        sources: 100,
        rate: "2 Hz".into(),
        weight: "0.1 mV".into(),
        receptor: Default::default(),
    }];
    lif.drive = Some(crate::model::Drive::Sine {
        amplitude: "1 mV".into(),
        frequency: "8 Hz".into(),
        offset: "0 mV".into(),
        phase: "0".into(),
    });
    assert_eq!(live_changes(&old, &driven), None, "new inputs: a rebuild");
    let faster = set_field(&driven, "populations[1].lif.poisson_input[0].rate", "3 Hz").unwrap();
    let faster = set_field(&faster, "populations[1].lif.drive.sine.amplitude", "2.5 mV").unwrap();
    let live = live_changes(&driven, &faster).unwrap();
    assert_eq!(
        live.get("populations[1].lif.poisson_input[0].rate"),
        Some(&3.0)
    );
    assert_eq!(
        live.get("populations[1].lif.drive.sine.amplitude"),
        Some(&0.0025)
    );
    // Paths and units.
    for live in Live::all(&faster) {
        assert_eq!(Live::parse(&live.path()), Some(live), "{}", live.path());
    }
    assert_eq!(Live::all(&faster).len(), 1 + 1 + 1 + 4);
    assert_eq!(
        Live::parse("populations[1].lif.drive.sine.frequency").map(|l| l.unit(&faster)),
        Some(Unit::Hertz)
    );
    assert_eq!(Live::parse("projections[0].delay"), None);
    assert_eq!(Live::parse("populations[1].lif.tau_m"), None);
    // Anything else with it, a distribution, or a plastic projection: a rebuild.
    let more = set_field(&new, "populations[1].size", "5").unwrap();
    assert_eq!(live_changes(&old, &more), None);
    let spread = set_field(&old, "projections[0].connect.k", "4").unwrap();
    assert_eq!(live_changes(&old, &spread), None);
    let plastic = toggle_stdp(&old, 0).unwrap();
    let plastic_new = set_field(&plastic, "projections[0].weight", "2 mV").unwrap();
    assert_eq!(live_changes(&plastic, &plastic_new), None);
    assert_eq!(live_changes(&old, &old), None, "nothing changed");
}

#[test]
fn an_elements_path_is_found_from_a_fields() {
    assert_eq!(
        Element::of_path("projections[2].weight"),
        Some(Element::Projection(2))
    );
    assert_eq!(
        Element::of_path("populations[11].lif.tau_m"),
        Some(Element::Population(11))
    );
    assert_eq!(Element::of_path("dt"), None);
}
