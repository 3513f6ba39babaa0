//! The `tempora` CLI as a user runs it: JSON out, network files saved and loaded, bad input
//! refused with a clear message and exit code 2.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn tempora(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tempora"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("cli-{}-{name}", std::process::id()))
}

/// The readout `key` of a window in a run's JSON (`{"key", "label", "value": {...}}`).
fn readout<'a>(window: &'a Value, key: &str) -> Option<&'a Value> {
    window["data"]["readouts"]
        .as_array()?
        .iter()
        .find(|r| r["key"] == key)
        .map(|r| &r["value"])
}

/// Accuracy (0..1) of the first window of a run's JSON.
fn first_accuracy(json: &str) -> f64 {
    let v: Value = serde_json::from_str(json).unwrap();
    readout(&v["windows"][0], "accuracy_pct").unwrap()["value"]
        .as_f64()
        .unwrap()
        / 100.0
}

#[test]
fn a_trained_network_saved_by_one_run_starts_the_next() {
    let net = scratch("xor.json");
    let net = net.to_str().unwrap();
    let (code, json, err) = tempora(&[
        "run",
        "xor",
        "--duration",
        "0.4",
        "--set",
        "infer_period=100us",
        "--save-net",
        net,
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["epochs"], 300);
    assert!(v["watchdog_events"].as_array().unwrap().is_empty());
    assert!(v["lipschitz_estimate"].as_f64().unwrap() > 0.0);
    // Untrained, the first window classifies poorly; from the saved net, well at once.
    let untrained = &[
        "run",
        "xor",
        "--duration",
        "0.05",
        "--set",
        "infer_period=100us",
        "--set",
        "epochs=0",
    ];
    let (_, cold, _) = tempora(untrained);
    let mut warm_args = untrained.to_vec();
    warm_args.extend(["--init-net", net]);
    let (code, warm, err) = tempora(&warm_args);
    assert_eq!(code, 0, "{err}");
    assert!(first_accuracy(&cold) < 0.9, "{}", first_accuracy(&cold));
    assert!(first_accuracy(&warm) > 0.97, "{}", first_accuracy(&warm));
}

#[test]
fn files_that_are_not_matching_networks_are_refused() {
    let junk = scratch("junk.json");
    std::fs::write(&junk, "FANN_FLO_2.1\nnum_layers=3\n").unwrap();
    let (code, _, err) = tempora(&["run", "xor", "--init-net", junk.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a ruv-fann network file"), "{err}");

    let other = scratch("predict.json");
    let (code, _, err) = tempora(&[
        "run",
        "predict",
        "--duration",
        "0.1",
        "--save-net",
        other.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = tempora(&["run", "xor", "--init-net", other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("needs layers [2, 4, 1]"), "{err}");

    let (code, _, err) = tempora(&[
        "run",
        "stdp",
        "--duration",
        "0.1",
        "--save-net",
        "/dev/null",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("this preset has no network"), "{err}");
}

#[test]
fn bad_parameters_are_refused_by_name() {
    for (set, says) in [
        ("hidden=0", "parameter `hidden` = 0 is out of range"),
        (
            "learning_rate=-1",
            "parameter `learning_rate` = -1 is out of range",
        ),
        ("guard=maybe", "one of none, clip, spectral"),
        ("hidden=1e9", "out of range"),
    ] {
        let (code, out, err) = tempora(&["run", "xor", "--set", set]);
        assert_eq!(code, 2, "{set}");
        assert!(out.is_empty());
        assert!(err.contains(says), "{set}: {err}");
    }
}

#[test]
fn the_swarm_reports_votes_continuity_escalations_accuracy_and_throughput() {
    let (code, json, err) = tempora(&[
        "run",
        "swarm",
        "--duration",
        "2",
        "--seed",
        "3",
        "--set",
        "members=32",
        "--set",
        "epochs=10",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&json).unwrap();
    let windows = v["windows"].as_array().unwrap();
    // 50 ms windows every 25 ms over 2 s.
    assert_eq!(windows.len(), 79);
    let w = &windows[40];
    let number = |key: &str| readout(w, key).unwrap()["value"].as_f64().unwrap();
    assert!(readout(w, "vote").unwrap()["text"]
        .as_str()
        .unwrap()
        .starts_with("regime "));
    assert!(number("confidence") <= 1.0 && number("jsd_bits") >= 0.0);
    let escalated = windows
        .iter()
        .filter(|w| {
            let said = readout(w, "escalation").unwrap()["text"].as_str().unwrap();
            let marked = !w["data"]["events"].as_array().unwrap().is_empty();
            assert_eq!(said.starts_with("ESCALATED"), marked, "{said}");
            marked
        })
        .count() as u64;
    assert_eq!(v["escalations"].as_u64(), Some(escalated));
    assert_eq!(
        v["escalation_times_s"].as_array().unwrap().len() as u64,
        escalated
    );
    assert_eq!(v["shift_times_s"], serde_json::json!([0.5, 1.0, 1.5, 2.0]));
    for key in [
        "accuracy",
        "accuracy_swarm_only",
        "accuracy_always_escalate",
    ] {
        assert!(v[key].as_f64().unwrap() > 0.8, "{key}: {}", v[key]);
    }
    assert!(v["evaluations_per_wall_s"].as_f64().unwrap() > 0.0);
    // 32 members every 4th sample: 8 per sample, after the 3-sample lag (20000 samples + 1).
    assert_eq!(v["evaluations"].as_u64(), Some((20_001 - 3) * 8));
}

/// The shipped model file `name` (in the repository's `models/`).
fn shipped(name: &str) -> String {
    format!("{}/../models/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_network_run_writes_spikes_and_statistics_per_population() {
    let out = scratch("cuba.json");
    let args = ["run", "cuba", "--seed", "3", "--duration", "0.2", "--out"];
    let (code, _, err) = tempora(&[&args[..], &[out.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["preset"], "cuba");
    assert_eq!(v["params"]["we"], 1.62e-3);
    assert_eq!(v["model"]["populations"][0]["name"], "E");
    assert_eq!(v["steps"], 2000);
    for (pop, size) in [("E", 3200), ("I", 800)] {
        let trains = &v["spikes"][pop];
        assert_eq!(trains["size"], size);
        let (t, i) = (
            trains["t_s"].as_array().unwrap(),
            trains["i"].as_array().unwrap(),
        );
        assert_eq!(t.len(), i.len());
        assert_eq!(
            v["stats"][pop]["spikes"],
            t.len() as u64,
            "every spike recorded"
        );
        assert!(t.iter().all(|t| (0.0..0.2).contains(&t.as_f64().unwrap())));
        assert!(i.iter().all(|i| i.as_u64().unwrap() < size));
        let rate = v["stats"][pop]["rate_hz"].as_f64().unwrap();
        assert!((rate - t.len() as f64 / (size as f64 * 0.2)).abs() < 1e-9);
        assert!(v["stats"][pop]["cv_isi_mean"].as_f64().unwrap() > 0.0);
        assert!((0.0..=1.0).contains(&v["stats"][pop]["silent_fraction"].as_f64().unwrap()));
    }
    assert!(v["build_time_s"].as_f64().unwrap() <= v["wall_time_s"].as_f64().unwrap());
    // The model file of the preset, run from its file, is the same run; another seed is not.
    let hash = v["content_hash"].as_str().unwrap().to_string();
    let file = shipped("cuba");
    let (code, json, err) = tempora(&["run", "--model", &file, "--seed", "3", "--duration", "0.2"]);
    assert_eq!(code, 0, "{err}");
    let from_file: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(from_file["content_hash"], hash.as_str());
    assert_eq!(from_file["preset"], Value::Null);
    // Split over threads: the same spikes.
    let (code, json, err) = tempora(&[
        "run",
        "cuba",
        "--seed",
        "3",
        "--duration",
        "0.2",
        "--threads",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    let split: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (split["threads"].as_u64(), v["threads"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(split["content_hash"], hash.as_str());
    let (code, _, err) = tempora(&["run", "cuba", "--threads", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--threads: 0 is outside [1, 64]"), "{err}");
    let (_, json, _) = tempora(&["run", "--model", &file, "--seed", "4", "--duration", "0.2"]);
    let other: Value = serde_json::from_str(&json).unwrap();
    assert_ne!(other["content_hash"], hash.as_str());
    // A model override changes the run.
    let (code, json, err) = tempora(&[
        "run",
        "cuba",
        "--seed",
        "3",
        "--duration",
        "0.2",
        "--set",
        "E.v_rest=-55mV",
        "--set",
        "I.v_rest=-55mV",
    ]);
    assert_eq!(code, 0, "{err}");
    let quiet: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        quiet["stats"]["E"]["spikes"], 0,
        "rest below threshold, no input"
    );
}

#[test]
fn bad_model_files_and_overrides_exit_2_naming_the_field() {
    let file = scratch("bad-model.json");
    let text = std::fs::read_to_string(shipped("brunel")).unwrap();
    let bad = text.replacen("\"delay\": \"1.5 ms\"", "\"delay\": \"-1.5 ms\"", 1);
    assert_ne!(bad, text);
    std::fs::write(&file, bad).unwrap();
    let (code, out, err) = tempora(&["run", "--model", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("projections[0].delay: \"-1.5 ms\" is negative"),
        "{err}"
    );
    std::fs::write(&file, "{\"format\": 1, \"name\": \"x\"}").unwrap();
    let (code, _, err) = tempora(&["run", "--model", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("missing field `dt`"), "{err}");
    let (code, _, err) = tempora(&["run", "brunel", "--set", "EE.p=1.5"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("projections[0].connect.p: 1.5 is outside [0, 1]"),
        "{err}"
    );
    let (code, _, err) = tempora(&["run", "cuba", "--set", "X.tau_m=1ms"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--set X.tau_m: no population or projection `X`"),
        "{err}"
    );
    let (code, _, err) = tempora(&["run", "cuba", "--set", "NE=1e9"]);
    assert_eq!(code, 2);
    assert!(err.contains("`NE`"), "{err}");
    let (code, _, err) = tempora(&[
        "run",
        "cuba",
        "--set",
        "NE=1000000",
        "--set",
        "NI=1000000",
        "--set",
        "p=0.5",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the network would need about"), "{err}");
    std::fs::remove_file(&file).ok();
}

#[test]
fn a_model_exports_to_pynn_naming_every_population_and_projection() {
    let (code, script, err) = tempora(&["model", "--model", &shipped("coba"), "--pynn"]);
    assert_eq!(code, 0, "{err}");
    assert!(script.starts_with("#!/usr/bin/env python3\n# coba: exported by Tempora"));
    assert!(script.contains("import pyNN.nest as sim"));
    for pop in ["E", "I"] {
        assert!(
            script.contains(&format!("populations[\"{pop}\"] = sim.Population(")),
            "{pop}"
        );
    }
    for proj in ["EE", "EI", "IE", "II"] {
        assert!(
            script.contains(&format!("projections[\"{proj}\"] = sim.Projection(")),
            "{proj}"
        );
    }
    // COBA integrates with Euler; the script says NEST does not.
    assert!(script.contains("forward Euler"), "{script}");
    // A preset with --set, and a refusal that names the field.
    let (code, script, err) = tempora(&["model", "cuba", "--set", "NE=100", "--pynn"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        script.contains("sim.Population(100, sim.IF_curr_exp("),
        "{script}"
    );
    let frozen = scratch("frozen.json");
    let text = std::fs::read_to_string(shipped("stdp-network")).unwrap();
    std::fs::write(&frozen, text.replace("\"membrane\"", "\"reset\"")).unwrap();
    let (code, _, err) = tempora(&["model", "--model", frozen.to_str().unwrap(), "--pynn"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("populations[1].lif.synapse.driving_force"),
        "{err}"
    );
}

/// `--synapses DIR` writes each projection's synapses as NumPy arrays and a manifest: every
/// pair in range and in source order, the preset's weights, and the same files for any split.
#[test]
fn a_network_run_writes_its_synapses_as_numpy_arrays() {
    let read_u32 = |path: PathBuf| -> Vec<u32> {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        npyz::NpyFile::new(&bytes[..]).unwrap().into_vec().unwrap()
    };
    let read_f64 = |path: PathBuf| -> Vec<f64> {
        let bytes = std::fs::read(&path).unwrap();
        npyz::NpyFile::new(&bytes[..]).unwrap().into_vec().unwrap()
    };
    let mut dirs = Vec::new();
    for threads in ["1", "2"] {
        let dir = scratch(&format!("synapses-{threads}"));
        let args = [
            "run",
            "cuba",
            "--duration",
            "0.01",
            "--threads",
            threads,
            "--synapses",
        ];
        let (code, _, err) = tempora(&[&args[..], &[dir.to_str().unwrap()]].concat());
        assert_eq!(code, 0, "{err}");
        dirs.push(dir);
    }
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dirs[0].join("synapses.json")).unwrap())
            .unwrap();
    assert_eq!(
        (manifest["model"].as_str(), manifest["seed"].as_u64()),
        (Some("cuba"), Some(1))
    );
    let projections = manifest["projections"].as_array().unwrap();
    assert_eq!(projections.len(), 4);
    let size = |pop: &Value| if pop == "E" { 3200 } else { 800 };
    for p in projections {
        let stem = p["stem"].as_str().unwrap();
        let file = |dir: &PathBuf, what: &str| dir.join(format!("{stem}.{what}.npy"));
        let (sources, targets) = (
            read_u32(file(&dirs[0], "source")),
            read_u32(file(&dirs[0], "target")),
        );
        let n = p["synapses"].as_u64().unwrap() as usize;
        assert_eq!((sources.len(), targets.len()), (n, n), "{stem}");
        // p = 0.02: the count within 5 sd of its mean.
        let pairs = size(&p["source"]) as f64 * size(&p["target"]) as f64;
        let (mean, sd) = (0.02 * pairs, (0.02 * 0.98 * pairs).sqrt());
        assert!((n as f64 - mean).abs() < 5.0 * sd, "{stem}: {n} synapses");
        assert!(
            sources.windows(2).all(|w| w[0] <= w[1]),
            "{stem}: in source order"
        );
        assert!(sources.iter().all(|&i| i < size(&p["source"])));
        assert!(targets.iter().all(|&j| j < size(&p["target"])));
        let weight = if p["source"] == "E" { 1.62e-3 } else { -9e-3 };
        let weights = read_f64(file(&dirs[0], "weight"));
        assert!(
            weights.iter().all(|&w| (w - weight).abs() < 1e-15),
            "{stem}: {}",
            weights[0]
        );
        assert!(read_f64(file(&dirs[0], "delay_s"))
            .iter()
            .all(|&d| d == 0.0));
        for what in ["source", "target", "weight", "delay_s"] {
            assert_eq!(
                std::fs::read(file(&dirs[0], what)).unwrap(),
                std::fs::read(file(&dirs[1], what)).unwrap(),
                "{stem}.{what}: the same on two threads"
            );
        }
    }
    let (code, _, err) = tempora(&["run", "tick", "--synapses", dirs[0].to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("`tick` is not a spiking network"), "{err}");
}

/// `--set timing=nest` picks the model's step conventions, on a preset too; it changes the run.
#[test]
fn a_network_preset_takes_the_timing_conventions() {
    let run = |timing: &str| -> Value {
        let (code, json, err) = tempora(&[
            "run",
            "cuba",
            "--duration",
            "0.1",
            "--set",
            &format!("timing={timing}"),
        ]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&json).unwrap()
    };
    let (brian2, nest) = (run("brian2"), run("nest"));
    assert_eq!(
        (
            brian2["model"]["timing"].as_str(),
            nest["model"]["timing"].as_str()
        ),
        (Some("brian2"), Some("nest"))
    );
    assert_ne!(brian2["content_hash"], nest["content_hash"]);
    let (code, _, err) = tempora(&["run", "cuba", "--set", "timing=neuron"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`neuron` is not a timing: brian2 or nest"),
        "{err}"
    );
}
