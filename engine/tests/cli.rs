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
