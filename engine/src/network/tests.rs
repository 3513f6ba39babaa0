//! Whole-network tests: timing of delivery, determinism, the refusals of bad models.

use super::*;
use tempora_protocol::model::NetworkModel;

/// A source population driving one target neuron through one projection.
fn relay(delay: &str, timing: &str, synapse: &str) -> NetworkModel {
    NetworkModel::from_json(&format!(
        r#"{{
        "format": 1, "name": "relay", "dt": "0.1 ms", "timing": "{timing}",
        "populations": [
            {{"name": "src", "size": 1, "lif": {{
                "tau_m": "10 ms", "v_rest": "-40 mV", "v_thresh": "-50 mV", "v_reset": "-70 mV",
                "t_ref": "100 ms", "synapse": {{"type": "delta"}}, "init": {{"v": "-49.9 mV"}}}}}},
            {{"name": "dst", "size": 2, "lif": {{
                "tau_m": "10 ms", "v_rest": "-70 mV", "v_thresh": "-50 mV", "v_reset": "-70 mV",
                "t_ref": "2 ms", "synapse": {synapse}}}}}
        ],
        "projections": [
            {{"source": "src", "target": "dst", "connect": {{"rule": "all_to_all"}},
             "weight": "5 mV", "delay": "{delay}"}}
        ],
        "record": {{"state": [{{"population": "dst", "neurons": [0], "variables": ["v"]}}]}}
    }}"#
    ))
    .unwrap()
}

/// The first step at which the recorded v of `dst[0]` differs from its rest.
fn first_effect(net: &mut Network, steps: u64) -> Option<usize> {
    net.run(steps);
    net.states()[0].values.iter().position(|&v| v != -0.07)
}

#[test]
fn a_delay_delivers_exactly_delay_later() {
    for (delay, steps) in [("0 ms", 0), ("1.5 ms", 15), ("0.1 ms", 1), ("10 ms", 100)] {
        let mut net = Network::build(
            &relay(delay, "brian2", r#"{"type": "delta"}"#),
            1,
            DEFAULT_MAX_BYTES,
        )
        .unwrap();
        net.step();
        assert_eq!(net.last_spikes(0), &[0], "the source spikes in step 0");
        // Brian2's order: a spike of step 0 with delay d is taken at the end of step d, so v
        // recorded at the start of step d + 1 shows it, exactly w above rest.
        let at = first_effect(&mut net, 200).unwrap();
        assert_eq!(
            at,
            steps + 1 - 1,
            "{delay}: states are recorded from step 1"
        );
        let v = net.states()[0].values[at];
        assert!((v - (-0.065)).abs() < 1e-15, "{delay}: {v}");
    }
    // NEST's convention: the same delay acts one step sooner, and at least one step.
    let mut net = Network::build(
        &relay("1.5 ms", "nest", r#"{"type": "delta"}"#),
        1,
        DEFAULT_MAX_BYTES,
    )
    .unwrap();
    net.step();
    assert_eq!(first_effect(&mut net, 200), Some(14));
    let mut net = Network::build(
        &relay("0 ms", "nest", r#"{"type": "delta"}"#),
        1,
        DEFAULT_MAX_BYTES,
    )
    .unwrap();
    net.step();
    assert_eq!(first_effect(&mut net, 200), Some(0));
}

#[test]
fn the_same_seed_gives_the_same_network_and_spikes() {
    let model = relay(
        "1 ms",
        "brian2",
        r#"{"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"}"#,
    );
    let run = |seed| {
        let mut net = Network::build(&model, seed, DEFAULT_MAX_BYTES).unwrap();
        net.run(500);
        net.states()[0].values.clone()
    };
    assert_eq!(run(3), run(3));
    assert_eq!(net_size(&model), 2);
}

fn net_size(model: &NetworkModel) -> usize {
    Network::build(model, 1, DEFAULT_MAX_BYTES)
        .unwrap()
        .synapse_count()
}

/// `relay` with one text replaced, built; the error's path and message.
fn refused(from: &str, to: &str) -> (String, String) {
    let text = serde_json::to_string(&relay("1 ms", "brian2", r#"{"type": "delta"}"#)).unwrap();
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "`{from}` is in the model");
    let model = NetworkModel::from_json(&changed).unwrap();
    let e = Network::build(&model, 1, DEFAULT_MAX_BYTES).unwrap_err();
    (e.path, e.message)
}

#[test]
fn bad_models_are_refused_at_the_field() {
    let (path, message) = refused(r#""target":"dst""#, r#""target":"dts""#);
    assert_eq!(path, "projections[0].target");
    assert_eq!(message, "unknown population `dts` (known: src, dst)");
    let (path, message) = refused(r#""delay":"1 ms""#, r#""delay":"-1 ms""#);
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("projections[0].delay", "\"-1 ms\" is negative")
    );
    let (path, message) = refused(r#""delay":"1 ms""#, r#""delay":"0.15 ms""#);
    assert_eq!(path, "projections[0].delay");
    assert!(message.contains("not on the dt grid"), "{message}");
    let (path, message) = refused(
        r#""rule":"all_to_all","allow_self":true"#,
        r#""rule":"fixed_probability","p":1.5"#,
    );
    assert_eq!(
        (path.as_str(), message.as_str()),
        ("projections[0].connect.p", "1.5 is outside [0, 1]")
    );
    let (path, message) = refused(
        r#""rule":"all_to_all","allow_self":true"#,
        r#""rule":"fixed_indegree","k":2"#,
    );
    assert_eq!(path, "projections[0].connect.k");
    assert!(
        message.contains("more than the 1 sources `src` offers"),
        "{message}"
    );
    let (path, message) = refused(r#""v_reset":"-70 mV""#, r#""v_reset":"-45 mV""#);
    assert_eq!(path, "populations[0].lif.v_reset");
    assert!(message.contains("must be below the threshold"), "{message}");
    let (path, message) = refused(r#""tau_m":"10 ms""#, r#""tau_m":"10 mV""#);
    assert_eq!(path, "populations[0].lif.tau_m");
    assert!(message.contains("is not a value in s"), "{message}");
    let (path, _) = refused(r#""name":"dst""#, r#""name":"src""#);
    assert_eq!(path, "populations[1].name");
    let (path, _) = refused(r#""size":2"#, r#""size":0"#);
    assert_eq!(path, "populations[1].size");
    let (path, message) = refused(r#""neurons":[0]"#, r#""neurons":[2]"#);
    assert_eq!(path, "record.state[0].neurons[0]");
    assert!(
        message.contains("neuron 2 is not in a population of 2"),
        "{message}"
    );
}

#[test]
fn a_network_too_large_is_refused_before_it_is_built() {
    let text = relay("1 ms", "brian2", r#"{"type": "delta"}"#)
        .to_json()
        .replacen(r#""size": 1"#, r#""size": 4000000"#, 1)
        .replacen(r#""size": 2"#, r#""size": 4000000"#, 1)
        .replacen(
            r#""rule": "all_to_all""#,
            r#""rule": "fixed_probability", "p": 0.01"#,
            1,
        );
    let model = NetworkModel::from_json(&text).unwrap();
    let e = Network::build(&model, 1, DEFAULT_MAX_BYTES).unwrap_err();
    assert_eq!(e.path, "projections[0]");
    // 1.6e11 synapses of 4-byte targets (the population is over 65 536), 4 more while drawn.
    assert!(
        e.message
            .starts_with("the network would need about 1280921 MB"),
        "{}",
        e.message
    );
    assert!(e.message.contains("1.600e11 synapses"), "{}", e.message);
    assert!(
        e.message.ends_with("more than the 1611 MB allowed"),
        "{}",
        e.message
    );
}

#[test]
fn overrides_set_parameters_by_name_and_refuse_unknown_ones() {
    let mut model = relay("1 ms", "brian2", r#"{"type": "delta"}"#);
    overrides::apply(&mut model, "dst.tau_m", "20 ms").unwrap();
    overrides::apply(&mut model, "src->dst.delay", "2 ms").unwrap();
    overrides::apply(&mut model, "dt", "0.05 ms").unwrap();
    overrides::apply(&mut model, "timing", "nest").unwrap();
    let spec = NetSpec::resolve(&model).unwrap();
    assert_eq!(spec.timing, Timing::Nest);
    let e = overrides::apply(&mut model, "timing", "neuron").unwrap_err();
    assert_eq!(e.path, "timing");
    assert!(
        e.message
            .contains("`neuron` is not a timing: brian2 or nest"),
        "{e}"
    );
    let PopKind::Lif(lif) = &spec.populations[1].kind else {
        panic!()
    };
    assert_eq!(lif.tau_m, 0.02);
    assert_eq!(spec.projections[0].delay, spec::DelaySpec::Steps(40));
    let e = overrides::apply(&mut model, "dst.tau_x", "1").unwrap_err();
    assert_eq!(e.path, "dst.tau_x");
    assert!(
        e.message.contains("`tau_x` is not a parameter of `dst`"),
        "{e}"
    );
    let e = overrides::apply(&mut model, "nobody.size", "1").unwrap_err();
    assert!(
        e.message.starts_with(
            "no population or projection `nobody` (populations: src, dst; projections: src->dst)"
        ),
        "{e}"
    );
    let e = overrides::apply(&mut model, "src->dst.p", "0.1").unwrap_err();
    assert!(
        e.message.contains("`p` is not a parameter of projection"),
        "{e}"
    );
}
