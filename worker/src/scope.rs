//! The worker's global scope (a dedicated worker has no `window`): where messages, the clock,
//! the worker's name and location and the machine's core count come from.

use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

/// This worker's global scope.
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}
