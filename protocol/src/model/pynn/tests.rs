//! Tests of the PyNN export.

use super::values::num;
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
        script
            .contains("sim.FixedProbabilityConnector(0.02, allow_self_connections=True, rng=rng)"),
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
        .replace(r#""init": {"#, r#""poisson_input": [{"sources": 1000, "rate": "2 Hz", "weight": 0.1}], "init": {"ge": 4, "#);
    let script = pynn_script(&model(&text)).unwrap();
    assert!(script.contains("sim.IF_cond_exp(cm=1.0, tau_m=20.0, v_rest=-49.0, v_thresh=-50.0, v_reset=-60.0, tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0)"), "{script}");
    // 0.6 leaks of g_L = cm / tau_m = 0.05 uS is 0.03 uS; A_plus is a fraction of w_max.
    assert!(
        script
            .contains("SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105)"),
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
    // Initial conductances in NEST's nS (PyNN 0.13 does not scale them): 4 leaks of 0.05 uS.
    assert!(script.contains("gsyn_exc=200.0"), "{script}");

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

#[test]
fn every_projection_can_take_the_pairs_tempora_drew() {
    let script = pynn_script(&model(VA)).unwrap();
    assert!(
        script.contains(r#"parser.add_argument("--synapses""#),
        "{script}"
    );
    // Each projection's connector goes through the choice, under its name in synapses.json.
    assert!(
        script.contains(r#"connector("EE", sim.FixedProbabilityConnector(0.02, allow_self_connections=True, rng=rng))"#),
        "{script}"
    );
    assert!(
        script.contains(r#"connector("inE", sim.FixedNumberPreConnector(3,"#),
        "{script}"
    );
    assert!(script.contains(r#"sim.FromListConnector(pairs.astype(np.int64))"#));
    // A network that does not match the file is refused, not run.
    assert!(
        script.contains("synapses built, {expected} in {args.synapses}"),
        "{script}"
    );
}
