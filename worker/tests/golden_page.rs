//! The engine's golden runs on a page's main thread (headless Chromium): the same windows and
//! hashes as natively (`engine/tests/golden.rs`) and in a dedicated worker (`tests/worker.rs`).
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_runs_match_native_bit_for_bit() {
    common::assert_golden_cases_reproduce();
}
