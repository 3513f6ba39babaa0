//! Cross-platform determinism: the content hashes of reference runs, kept in
//! `tests/golden/determinism.json`. This native test checks the engine reproduces them; the
//! browser tests (`worker/tests/worker.rs` in a dedicated worker, `worker/tests/golden_page.rs` in a page) check wasm32 reproduces the same file.
//!
//! After an intended change of a model's output, regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p tempora-engine --test golden` and say why in the commit.

use std::path::PathBuf;
use tempora_engine::replay::ReplayCase;

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/determinism.json")
}

#[test]
fn reference_runs_reproduce_their_hashes() {
    let text = std::fs::read_to_string(golden_path()).expect("golden file");
    let mut cases: Vec<ReplayCase> = serde_json::from_str(&text).expect("golden JSON");
    assert!(!cases.is_empty());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        for case in &mut cases {
            (case.windows, case.hash) = case.outcome().unwrap();
        }
        let json = serde_json::to_string_pretty(&cases).unwrap();
        std::fs::write(golden_path(), json + "\n").unwrap();
        return;
    }
    for case in &cases {
        assert_eq!(
            case.outcome().unwrap(),
            (case.windows, case.hash.clone()),
            "{} seed {}",
            case.preset,
            case.seed
        );
    }
}
