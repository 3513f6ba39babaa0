//! Shared by the browser test binaries: the golden determinism cases, checked on wasm32.

use tempora_engine::replay::ReplayCase;

/// The same file the native golden test reads.
pub fn golden_cases() -> Vec<ReplayCase> {
    serde_json::from_str(include_str!("../../../tests/golden/determinism.json"))
        .expect("golden JSON")
}

/// Asserts every golden case gives its recorded window count and hash here.
pub fn assert_golden_cases_reproduce() {
    let cases = golden_cases();
    assert!(!cases.is_empty());
    for case in &cases {
        assert!(!case.hash.is_empty(), "golden file not generated");
        assert_eq!(
            case.outcome().unwrap(),
            (case.windows, case.hash.clone()),
            "{} seed {} differs from the native run",
            case.preset,
            case.seed
        );
    }
}
