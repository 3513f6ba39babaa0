//! Fuzzing on stable Rust with proptest: the parameter parser (CLI `--set` and the UI's fields),
//! the network file import, the worker protocol's decoder followed by the session, the URL
//! fragment decoder, the settings file import (Save parameters / JSON export), and network
//! model files through the parser and the network builder. No input
//! may panic; every refusal is an error that says what is wrong.
//!
//! CI runs a short pass (256 cases per target). The long run, outside CI:
//! `FUZZ_CASES=1000000 cargo test --release -p tempora-engine --test fuzz`

use proptest::prelude::*;
use tempora_engine::fann::import_network;
use tempora_engine::params::{self, parse_value};
use tempora_engine::preset;
use tempora_engine::session::Session;
use tempora_protocol::settings::{
    from_fragment, parse_settings, to_fragment, RunSettings, SettingsError,
};
use tempora_protocol::{Command, Envelope, Event};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Text that looks like what people type into a parameter field, and worse.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+]?[0-9]{0,6}(\\\\.[0-9]{0,6})?(e[-+]?[0-9]{1,3})? ?(ms|us|ns|s|mV|V|Hz|kHz|deg)?",
        "(inf|-inf|NaN|nan|1e999|-0|0x10|1_000| |)",
        "[a-z_]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn parameter_text_never_panics_and_what_passes_is_in_range(text in field_text(), pick in any::<prop::sample::Index>()) {
        let presets = preset::all();
        let p = &presets[pick.index(presets.len())];
        let spec = &p.params[pick.index(p.params.len())];
        match parse_value(spec, &text) {
            Ok(value) => {
                // Parsing accepts any number; checking is what guards the range.
                match params::check_value(spec, value) {
                    Ok(()) => prop_assert!(value.is_finite() && value >= spec.min && value <= spec.max),
                    Err(e) => prop_assert!(e.to_string().contains(spec.name)),
                }
            }
            Err(e) => prop_assert!(e.to_string().contains(spec.name), "{e}"),
        }
        if let Ok((name, value)) = params::split_assignment(&text) {
            prop_assert!(!name.contains('=') || value.contains('='));
        }
    }

    #[test]
    fn network_files_never_panic_and_what_loads_runs(bytes in prop_oneof![
        any::<Vec<u8>>(),
        valid_network_text().prop_flat_map(|text| mutate(text.into_bytes())),
    ]) {
        match import_network(&bytes) {
            Ok(mut net) => {
                let x = vec![0.5; net.inputs()];
                let y = net.forward(&x).unwrap();
                prop_assert_eq!(y.len(), net.outputs());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn protocol_messages_never_panic_the_decoder_or_the_session(texts in prop::collection::vec(prop_oneof![
        any::<String>(),
        typed_command_text(),
        valid_command_text().prop_flat_map(|t| mutate(t.into_bytes()).prop_map(|b| String::from_utf8_lossy(&b).into_owned())),
    ], 1..6)) {
        // One session takes the whole sequence, as a worker would.
        let mut session = Session::new();
        for text in texts {
            let Ok(envelope) = serde_json::from_str::<Envelope<Command>>(&text) else {
                continue;
            };
            let command = envelope.msg;
            let replies = session.handle(command.clone());
            match (&command, replies.as_slice()) {
                // An ack is flow control: no reply.
                (Command::Ack { .. }, []) => {}
                // An export gets the table (a network run) or a refusal.
                (Command::ExportSpikes, [Event::Spikes(_)]) => {}
                // A ping gets its pong and nothing else.
                (Command::Ping { id }, [Event::Pong { id: pong }]) => prop_assert_eq!(id, pong),
                // A new run: its model (none for a preset that is not a network), then its status.
                (command, [Event::Model { run_id, .. }, Event::Status(status)]) if command.builds_a_run() => {
                    prop_assert_eq!(*run_id, status.run_id);
                }
                // Anything else: the new status, or a refusal that names what is wrong.
                (_, [Event::Status(_)]) => {}
                (_, [Event::Error { message, .. }]) => prop_assert!(!message.is_empty()),
                (command, replies) => prop_assert!(false, "{:?} got {:?}", command, replies),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn url_fragments_never_panic_and_what_decodes_reencodes_exactly(text in prop_oneof![
        any::<String>(),
        "#?(preset|seed|p\\.[a-zA-Z_]{1,6}|)=[-+a-z0-9.%&=e]{0,12}(&(seed|p\\.[a-z]{1,4})=[-0-9.e%+]{0,10}){0,4}",
        settings().prop_flat_map(|s| mutate(to_fragment(&s).into_bytes()).prop_map(|b| String::from_utf8_lossy(&b).into_owned())),
    ]) {
        match from_fragment(&text) {
            Ok(Some(decoded)) => {
                prop_assert_eq!(from_fragment(&to_fragment(&decoded)), Ok(Some(decoded.clone())));
                // Applying it is either a run or a refusal that names what is wrong.
                let replies = Session::new().handle(decoded.configure());
                prop_assert!(matches!(&replies[..], [Event::Model { .. }, Event::Status(_)] | [Event::Error { .. }]), "{:?}", replies);
            }
            Ok(None) => {}
            Err(e) => prop_assert!(e.to_string().starts_with("the link's"), "{e}"),
        }
    }

    #[test]
    fn settings_files_never_panic_and_what_loads_saves_back_the_same(text in prop_oneof![
        any::<String>(),
        settings().prop_flat_map(|s| mutate(serde_json::to_vec(&s).unwrap()).prop_map(|b| String::from_utf8_lossy(&b).into_owned())),
    ]) {
        match parse_settings(&text) {
            Ok(loaded) => {
                let saved = serde_json::to_string(&loaded).unwrap();
                prop_assert_eq!(parse_settings(&saved), Ok(loaded));
            }
            Err(e) => prop_assert!(matches!(e, SettingsError::NotSettings(_)) && e.to_string().starts_with("not a Tempora parameter set"), "{e}"),
        }
    }
}

/// Settings of any preset with parameters drawn from its own names (and a stranger).
fn settings() -> impl Strategy<Value = RunSettings> {
    let presets: Vec<&'static str> = preset::all().iter().map(|p| p.name).collect();
    let names: Vec<&'static str> = preset::all()
        .iter()
        .flat_map(|p| p.params.iter().map(|s| s.name))
        .chain(["nope"])
        .collect();
    (
        prop::sample::select(presets),
        any::<u64>(),
        prop::collection::btree_map(prop::sample::select(names), -1e3..1e3f64, 0..4),
        prop::collection::vec(("[A-Za-z:& ]{1,4}", any::<u32>()), 0..3),
    )
        .prop_map(|(preset, seed, params, picks)| RunSettings {
            preset: preset.to_string(),
            seed,
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            model: None,
            probes: picks
                .into_iter()
                .map(|(population, neuron)| tempora_protocol::PickedNeuron { population, neuron })
                .collect(),
        })
}

fn valid_network_text() -> impl Strategy<Value = String> {
    (1usize..4, 1usize..5, 1usize..3, any::<u64>()).prop_map(|(i, h, o, seed)| {
        use rand::SeedableRng;
        let spec = tempora_engine::fann::NetSpec {
            layers: vec![i, h, o],
            hidden: tempora_engine::fann::Activation::Sigmoid,
            output: tempora_engine::fann::Activation::Linear,
            steepness: 1.0,
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let net =
            tempora_engine::fann::PackedNet::from_network(&spec.build(1.0, &mut rng).unwrap())
                .unwrap();
        tempora_engine::fann::export_network(&net)
    })
}

/// Well-formed commands of every kind with arbitrary contents: any preset name, seed, parameter
/// names from every preset with any value, any speed and duration, any ack and ping.
fn typed_command_text() -> impl Strategy<Value = String> {
    let names: Vec<&'static str> = preset::all()
        .iter()
        .flat_map(|p| p.params.iter().map(|s| s.name))
        .chain(["nope", ""])
        .collect();
    let presets: Vec<&'static str> = preset::all()
        .iter()
        .map(|p| p.name)
        .chain(["", "x"])
        .collect();
    let value = prop_oneof![
        any::<f64>(),
        -10.0..10.0f64,
        0.0..1e-3f64,
        Just(0.0),
        Just(1e300)
    ];
    let params = prop::collection::btree_map(prop::sample::select(names), value.clone(), 0..4);
    let control = prop::sample::select(vec!["start", "pause", "step", "reset"]);
    let real_presets: Vec<&'static str> = preset::all().iter().map(|p| p.name).collect();
    prop_oneof![
        // A run that builds: a real preset and seed (the swarm kept small to build quickly).
        (prop::sample::select(real_presets), 0..1000u64).prop_map(|(preset, seed)| {
            let params = match preset {
                "swarm" => serde_json::json!({"members": 8.0, "epochs": 2.0, "backstop_epochs": 2.0}),
                _ => serde_json::json!({}),
            };
            serde_json::json!({"v": 1, "msg": {"type": "configure", "preset": preset, "seed": seed, "params": params}}).to_string()
        }),
        Just(MODEL_COMMAND.to_string()),
        Just(r#"{"v":1,"msg":{"type":"export_spikes"}}"#.to_string()),
        control.prop_map(|kind| serde_json::json!({"v": 1, "msg": {"type": kind}}).to_string()),
        (any::<u64>(), any::<u64>()).prop_map(|(run_id, index)| serde_json::json!({"v": 1, "msg": {"type": "ack", "run_id": run_id, "index": index}}).to_string()),
        any::<u64>().prop_map(|id| serde_json::json!({"v": 1, "msg": {"type": "ping", "id": id}}).to_string()),
        Just(serde_json::json!({"v": 1, "msg": {"type": "set_pacing", "pacing": {"mode": "as_fast_as_possible"}}}).to_string()),
        Just(serde_json::json!({"v": 1, "msg": {"type": "set_duration", "duration_s": null}}).to_string()),
        (prop::sample::select(presets), any::<u64>(), params.clone()).prop_map(|(preset, seed, params)| {
            serde_json::json!({"v": 1, "msg": {"type": "configure", "preset": preset, "seed": seed, "params": params}}).to_string()
        }),
        params.prop_map(|params| serde_json::json!({"v": 1, "msg": {"type": "set_live_params", "params": params}}).to_string()),
        value.clone().prop_map(|speed| serde_json::json!({"v": 1, "msg": {"type": "set_pacing", "pacing": {"mode": "real_time", "speed": speed}}}).to_string()),
        value.prop_map(|d| serde_json::json!({"v": 1, "msg": {"type": "set_duration", "duration_s": d}}).to_string()),
    ]
}

/// A model run of a small network (Poisson sources onto LIF neurons).
const MODEL_COMMAND: &str = r#"{"v":1,"msg":{"type":"configure_model","seed":2,"model":{"format":1,"name":"m","dt":"0.1 ms","populations":[{"name":"in","size":20,"poisson":{"rate":"10 Hz"}},{"name":"E","size":10,"lif":{"tau_m":"10 ms","v_rest":"-70 mV","v_thresh":"-50 mV","v_reset":"-70 mV","t_ref":"2 ms","synapse":{"type":"delta"}}}],"projections":[{"source":"in","target":"E","connect":{"rule":"fixed_indegree","k":5},"weight":"2 mV","delay":"1 ms"}]}}}"#;

fn valid_command_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(
            r#"{"v":1,"msg":{"type":"configure","preset":"xor","seed":3,"params":{"hidden":5.0}}}"#
                .to_string()
        ),
        Just(r#"{"v":1,"msg":{"type":"set_live_params","params":{"step":0.5}}}"#.to_string()),
        Just(
            r#"{"v":1,"msg":{"type":"set_pacing","pacing":{"mode":"real_time","speed":2.0}}}"#
                .to_string()
        ),
        Just(r#"{"v":1,"msg":{"type":"set_duration","duration_s":1.5}}"#.to_string()),
        Just(r#"{"v":1,"msg":{"type":"step"}}"#.to_string()),
        Just(MODEL_COMMAND.to_string()),
    ]
}

/// A few byte-level edits of `bytes`: flips, deletions, duplications, digit swaps.
fn mutate(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = bytes.len().max(1);
    prop::collection::vec((0..len, 0u8..4, any::<u8>()), 1..6).prop_map(move |edits| {
        let mut b = bytes.clone();
        for (at, kind, byte) in edits {
            if b.is_empty() {
                break;
            }
            let at = at % b.len();
            match kind {
                0 => b[at] = byte,
                1 => {
                    b.remove(at);
                }
                2 => {
                    let chunk: Vec<u8> = b[at..(at + 16).min(b.len())].to_vec();
                    b.splice(at..at, chunk);
                }
                _ => b[at] = b"0123456789-.e"[byte as usize % 13],
            }
        }
        b
    })
}

/// A small network of every kind of part (sources, LIF with each synapse type, all rules,
/// delays, STDP, Poisson input, records), as a JSON value to mutate.
fn small_network() -> serde_json::Value {
    serde_json::json!({
        "format": 1, "name": "fuzz", "dt": "0.1 ms",
        "populations": [
            {"name": "in", "size": 20, "poisson": {"rate": "20 Hz"}},
            {"name": "E", "size": 16, "lif": {
                "tau_m": "20 ms", "v_rest": "-49 mV", "v_thresh": "-50 mV", "v_reset": "-60 mV",
                "t_ref": "2 ms", "synapse": {"type": "current_exp", "tau_e": "5 ms", "tau_i": "10 ms"},
                "poisson_input": [{"sources": 100, "rate": "10 Hz", "weight": "0.5 mV"}],
                "init": {"v": {"uniform": {"low": "-60 mV", "high": "-50 mV"}}}}},
            {"name": "C", "size": 8, "lif": {
                "tau_m": "20 ms", "v_rest": "-60 mV", "v_thresh": "-50 mV", "v_reset": "-60 mV",
                "t_ref": "5 ms", "integrator": "euler",
                "synapse": {"type": "conductance_exp", "tau_e": "5 ms", "tau_i": "10 ms", "e_e": "0 mV", "e_i": "-80 mV"},
                "drive": {"sine": {"amplitude": "5 mV", "frequency": "10 Hz"}},
                "init": {"ge": {"normal": {"mean": 0.5, "sd": 0.2, "min": 0}}}}},
            {"name": "D", "size": 10, "lif": {
                "tau_m": "20 ms", "v_rest": "0 mV", "v_thresh": "20 mV", "v_reset": "10 mV",
                "t_ref": "2 ms", "synapse": {"type": "delta"}}}
        ],
        "projections": [
            {"source": "in", "target": "E", "connect": {"rule": "fixed_probability", "p": 0.3},
             "weight": {"uniform": {"low": "0 mV", "high": "1 mV"}}, "delay": "1 ms",
             "stdp": {"tau_pre": "20 ms", "tau_post": "20 ms", "a_pre": "0.01 mV", "a_post": "-0.0105 mV", "w_max": "1 mV"}},
            {"source": "E", "target": "C", "connect": {"rule": "fixed_indegree", "k": 4, "allow_self": false},
             "weight": 0.5, "delay": "1 ms", "receptor": "excitatory"},
            {"source": "C", "target": "E", "connect": {"rule": "all_to_all"}, "weight": "-1 mV", "receptor": "inhibitory",
             "delay": {"uniform": {"low": "0 ms", "high": "2 ms"}}},
            {"source": "D", "target": "D", "connect": {"rule": "one_to_one"}, "weight": "0.2 mV", "delay": "1.5 ms"},
            {"source": "E", "target": "D", "connect": {"rule": "fixed_probability", "p": 0.5, "allow_self": false}, "weight": "1 mV", "stdp": {"tau_pre": "20 ms", "tau_post": "20 ms", "a_pre": "0.01 mV", "a_post": "-0.01 mV", "w_max": "2 mV"}}
        ],
        "record": {"spikes": [{"population": "E", "first": 8}], "state": [{"population": "C", "neurons": [0], "variables": ["v", "gi"]}]}
    })
}

/// A replacement for a value in a model: numbers in and out of range, units of every kind,
/// wrong types.
fn model_value() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        any::<f64>().prop_map(serde_json::Value::from),
        (-1e7f64..1e7).prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[-+]?[0-9]{1,4}(\\.[0-9]{1,3})? ?(ms|us|ns|s|mV|uV|V|Hz|kHz)?"
            .prop_map(serde_json::Value::from),
        "[a-z_>-]{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({"normal": {"mean": "1 ms", "sd": "5 ms"}})),
    ]
}

/// Replaces (or, with `delete`, removes) the `pick`-th node of `value` in depth-first order.
fn edit_node(
    value: &mut serde_json::Value,
    pick: &mut usize,
    new: &serde_json::Value,
    delete: bool,
) -> bool {
    use serde_json::Value;
    let children: Vec<String> = match value {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    };
    for key in children {
        if *pick == 0 {
            match value {
                Value::Object(map) if delete => {
                    map.remove(&key);
                }
                Value::Object(map) => {
                    map.insert(key, new.clone());
                }
                Value::Array(items) => {
                    let i: usize = key.parse().expect("an index");
                    if delete {
                        items.remove(i);
                    } else {
                        items[i] = new.clone();
                    }
                }
                _ => unreachable!("only containers have children"),
            }
            return true;
        }
        *pick -= 1;
        let child = match value {
            Value::Object(map) => map.get_mut(&key),
            Value::Array(items) => items.get_mut(key.parse::<usize>().expect("an index")),
            _ => None,
        };
        if let Some(child) = child {
            if edit_node(child, pick, new, delete) {
                return true;
            }
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn model_files_never_panic_the_parser_or_the_builder_and_refusals_name_a_field(
        edits in prop::collection::vec((any::<usize>(), model_value(), any::<bool>()), 1..4),
        seed in 0u64..1000,
    ) {
        use tempora_engine::network::Network;
        use tempora_protocol::model::NetworkModel;
        let mut value = small_network();
        for (pick, new, delete) in &edits {
            let mut pick = pick % 400;
            let delete = *delete && pick % 3 == 0;
            edit_node(&mut value, &mut pick, new, delete);
        }
        let text = value.to_string();
        let model = NetworkModel::from_json(&text);
        let built = model.clone().and_then(|m| Network::build(&m, seed, 64 << 20));
        match built {
            Ok(mut net) => {
                net.run(100);
                let results = net.results();
                prop_assert_eq!(results.steps, 100);
                // Without its plasticity (a plastic network stays on one thread), split over
                // 3 threads: the spikes of one thread.
                let mut fixed = model.unwrap();
                fixed.projections.iter_mut().for_each(|p| p.stdp = None);
                let mut one = Network::build(&fixed, seed, 64 << 20).unwrap();
                one.run(100);
                let mut split = Network::build_split(&fixed, seed, 64 << 20, 3).unwrap();
                prop_assert_eq!(split.threads(), 3);
                split.run(60);
                split.run(40);
                prop_assert_eq!(split.results().content_hash, one.results().content_hash);
            }
            Err(e) => {
                prop_assert!(!e.path.is_empty() && !e.message.is_empty(), "{e:?}");
            }
        }
    }
}

#[test]
fn the_unmutated_fuzz_network_builds_and_runs_the_same_twice() {
    use tempora_engine::network::Network;
    use tempora_protocol::model::NetworkModel;
    let model = NetworkModel::from_json(&small_network().to_string()).unwrap();
    let run = || {
        let mut net = Network::build(&model, 9, 64 << 20).unwrap();
        net.run(2000);
        net.results()
    };
    let (a, b) = (run(), run());
    assert_eq!(a.content_hash, b.content_hash);
    assert!(a.stats["E"].spikes > 0, "{:?}", a.stats);
    assert_eq!(a.traces.len(), 2);
    assert_eq!(a.weights.len(), 2);
}
