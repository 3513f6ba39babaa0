//! Feature `profiling`: each task span becomes a `performance.measure` entry named after its
//! task kind, so DevTools' Performance panel shows the scheduler's work on the worker's track.

use js_sys::{Function, Object, Reflect};
use tempora_engine::session::Session;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::WorkerGlobalScope;

/// Publishes the spans the session recorded since the last call.
pub fn publish(session: &mut Session) {
    let (spans, dropped) = session.take_spans();
    if dropped > 0 {
        log::warn!("profiling: {dropped} task spans dropped (more than the per-slice limit)");
    }
    let Some(performance) = js_sys::global()
        .dyn_into::<WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
    else {
        return;
    };
    let Ok(measure) = Reflect::get(&performance, &"measure".into())
        .and_then(|f| f.dyn_into::<Function>().map_err(JsValue::from))
    else {
        return;
    };
    for span in spans {
        // User Timing Level 3: measure(name, { start, end }) with times in ms.
        let options = Object::new();
        let _ = Reflect::set(
            &options,
            &"start".into(),
            &(span.start_wall_ns as f64 / 1e6).into(),
        );
        let _ = Reflect::set(
            &options,
            &"end".into(),
            &(span.end_wall_ns as f64 / 1e6).into(),
        );
        let name = format!("tempora:{} @{} ns", span.kind, span.due_ns);
        if let Err(e) = measure.call2(&performance, &name.into(), &options) {
            log::warn!("profiling: performance.measure failed: {e:?}");
            return;
        }
    }
}
