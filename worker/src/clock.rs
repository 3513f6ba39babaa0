//! The worker's wall clock: `performance.now()` of the worker's global scope (there is no
//! `window` in a worker). 5 us resolution when the page is cross-origin isolated, 100 us if not.

use tempora_engine::clock::Clock;
use wasm_bindgen::JsCast;
use web_sys::{Performance, WorkerGlobalScope};

/// `performance.now()` in nanoseconds.
pub struct PerformanceClock {
    performance: Performance,
}

impl PerformanceClock {
    /// The clock of the current worker scope, or `None` outside a worker or without `performance`.
    pub fn from_worker_scope() -> Option<Self> {
        let scope: WorkerGlobalScope = js_sys::global().dyn_into().ok()?;
        Some(PerformanceClock {
            performance: scope.performance()?,
        })
    }
}

impl Clock for PerformanceClock {
    fn now_ns(&self) -> u64 {
        (self.performance.now() * 1e6) as u64
    }
}

/// Whether this global scope is cross-origin isolated (`self.crossOriginIsolated`).
pub fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
