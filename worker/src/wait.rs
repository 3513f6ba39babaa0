//! How the worker waits for the next due task. Measured on this machine kind (see DESIGN notes
//! in the README): `setTimeout` is clamped to >= 4 ms, `Atomics.wait` wakes 55-65 us late, and a
//! MessageChannel post is the fastest way to let queued commands in.
//!
//! - Long waits (> [`TIMER_THRESHOLD_NS`]) sleep on a gloo timer, waking [`TIMER_MARGIN_NS`]
//!   early, and wake at once for a command.
//! - Short waits block precisely: `Atomics.wait` until [`ATOMICS_MARGIN_NS`] before the deadline
//!   (only for waits over twice that), then spin on `performance.now()`. `Atomics.wait` needs a SharedArrayBuffer, which exists only
//!   when the page is cross-origin isolated; otherwise the whole short wait spins (and the clock
//!   itself is coarsened to 100 us).
//! - The driver yields through a MessageChannel at least every [`YIELD_EVERY_NS`] so commands
//!   are never held longer than that.

use js_sys::{Atomics, Function, Int32Array, Promise, Reflect, SharedArrayBuffer};
use std::cell::RefCell;
use std::collections::VecDeque;
use tempora_engine::clock::Clock;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageChannel, MessagePort};

/// Waits longer than this use a timer (which the browser clamps to >= 4 ms).
pub const TIMER_THRESHOLD_NS: u64 = 6_000_000;
/// A timer sleep ends this long before the deadline; the rest is a precise wait.
pub const TIMER_MARGIN_NS: u64 = 5_000_000;
/// `Atomics.wait` stops this long before the deadline; the rest spins. It usually wakes ~60 us
/// late, but on a busy 2-core machine the thread it gives up the core for can take milliseconds
/// to be scheduled again (measured with `tests/e2e/bench-pacing.mjs`), so it is only worth
/// using for waits well above that: shorter waits spin.
pub const ATOMICS_MARGIN_NS: u64 = 500_000;
/// The longest the worker goes without yielding to its event loop: a command waits at most
/// this long. Yields usually take 5-20 us but stall for milliseconds now and then (measured
/// here), and every stall makes the following tasks late, so yield rarely.
pub const YIELD_EVERY_NS: u64 = 16_000_000;
/// A wait with at least this much slack yields first, where a stall costs nothing...
pub const YIELD_SLACK_NS: u64 = 2_000_000;
/// ...if the last yield is this old.
pub const YIELD_SOON_NS: u64 = 4_000_000;

/// The precise (blocking) part of a wait.
pub enum PreciseWait {
    /// `Atomics.wait` on a private cell of a SharedArrayBuffer, then spin.
    AtomicsThenSpin(Int32Array),
    /// Spin on the clock for the whole wait.
    Spin,
}

impl PreciseWait {
    /// `Atomics.wait` when a SharedArrayBuffer can be made (cross-origin isolated), else spin.
    pub fn best_available() -> Self {
        let has_shared_memory = Reflect::get(&js_sys::global(), &"SharedArrayBuffer".into())
            .is_ok_and(|ctor| ctor.is_function());
        if has_shared_memory {
            PreciseWait::AtomicsThenSpin(Int32Array::new(&SharedArrayBuffer::new(4)))
        } else {
            PreciseWait::Spin
        }
    }

    /// Names the whole wait strategy for the UI.
    pub fn describe(&self) -> &'static str {
        match self {
            PreciseWait::AtomicsThenSpin(_) => "timer + Atomics.wait + spin",
            PreciseWait::Spin => "timer + spin",
        }
    }

    /// Blocks until `deadline_ns` on `clock`.
    pub fn wait_until(&self, clock: &dyn Clock, deadline_ns: u64) {
        if let PreciseWait::AtomicsThenSpin(cell) = self {
            let remaining = deadline_ns.saturating_sub(clock.now_ns());
            if remaining > 2 * ATOMICS_MARGIN_NS {
                let timeout_ms = (remaining - ATOMICS_MARGIN_NS) as f64 / 1e6;
                // The cell is never notified: this always times out. An Err (waiting not allowed
                // here) just falls through to spinning.
                let _ = Atomics::wait_with_timeout(cell, 0, 0, timeout_ms);
            }
        }
        while clock.now_ns() < deadline_ns {
            std::hint::spin_loop();
        }
    }
}

struct Yielder {
    sender: MessagePort,
    _receiver: MessagePort,
    _on_message: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    /// Resolvers of pending yields, woken in order by the channel's messages.
    static PENDING: RefCell<VecDeque<Function>> = const { RefCell::new(VecDeque::new()) };
    static YIELDER: Yielder = {
        let channel = MessageChannel::new().expect_throw("MessageChannel exists in workers");
        let on_message = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {
            let resolve = PENDING.with(|p| p.borrow_mut().pop_front());
            if let Some(resolve) = resolve {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Yielder { sender: channel.port2(), _receiver: receiver, _on_message: on_message }
    };
}

/// Lets the worker's event loop run (deliver queued commands) and resumes at once after,
/// without the >= 4 ms clamp of `setTimeout(0)`.
pub async fn yield_now() {
    let promise = Promise::new(&mut |resolve, _reject| {
        PENDING.with(|p| p.borrow_mut().push_back(resolve));
    });
    match YIELDER.with(|y| y.sender.post_message(&JsValue::UNDEFINED)) {
        Ok(()) => {
            let _ = JsFuture::from(promise).await;
        }
        // No message will come for this resolver: take it back so the queue stays in step.
        Err(_) => {
            PENDING.with(|p| p.borrow_mut().pop_back());
        }
    }
}
