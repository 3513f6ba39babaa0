//! The worker's main loop: receive commands, run the session in slices, sleep between due tasks.
//!
//! Commands arrive through `onmessage` into a bounded channel and are applied between slices,
//! so a slice (at most [`SLICE_BUDGET_NS`] of wall time) is the longest a command waits.

use crate::clock::{cross_origin_isolated, PerformanceClock};
use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use tempora_engine::clock::Clock;
use tempora_engine::js_bridge::{decode, encode};
use tempora_engine::preset;
use tempora_engine::protocol::{Command, Event, PROTOCOL_VERSION};
use tempora_engine::runner::SliceEnd;
use tempora_engine::session::Session;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Wall time one slice may run before the worker yields to receive commands.
pub const SLICE_BUDGET_NS: u64 = 4_000_000;
/// Commands waiting to be applied; more than this and new ones are refused with an error.
const COMMAND_QUEUE: usize = 256;
/// How the worker waits for the next due task (reported to the UI).
const WAIT_METHOD: &str = "timer";

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one event to the UI. A failure to encode or post is logged: there is no one else to tell.
pub fn post(event: &Event) {
    match encode(event).and_then(|value| {
        scope()
            .post_message(&value)
            .map_err(|e| format!("postMessage failed: {e:?}"))
    }) {
        Ok(()) => {}
        Err(message) => log::error!("{message}"),
    }
}

fn post_all(events: Vec<Event>) {
    for event in &events {
        post(event);
    }
}

/// Sets up logging, the panic report, the message handler and the loop, then posts `ready`.
pub fn start() {
    console_log::init_with_level(log::Level::Info).ok();
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&Event::Fatal {
            message: format!("worker panicked: {info}"),
        });
    }));

    let Some(clock) = PerformanceClock::from_worker_scope() else {
        log::error!("no performance clock in this scope: is this running in a worker?");
        return;
    };
    let (mut sender, receiver) = mpsc::channel::<Command>(COMMAND_QUEUE);
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        match decode::<Command>(message.data()) {
            Ok(command) => {
                if sender.try_send(command).is_err() {
                    post(&Event::Error {
                        message: format!(
                            "the worker is busy: more than {COMMAND_QUEUE} commands are waiting"
                        ),
                        param: None,
                    });
                }
            }
            Err(message) => post(&Event::Error {
                message,
                param: None,
            }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();

    wasm_bindgen_futures::spawn_local(run(receiver, clock));
    log::info!("tempora worker ready (protocol {PROTOCOL_VERSION})");
    post(&Event::Ready {
        protocol: PROTOCOL_VERSION,
        cross_origin_isolated: cross_origin_isolated(),
        wait_method: WAIT_METHOD.to_string(),
        presets: preset::all().iter().map(|p| p.info()).collect(),
    });
}

async fn run(mut commands: mpsc::Receiver<Command>, clock: PerformanceClock) {
    let mut session = Session::new();
    post(&Event::Status(session.status()));
    loop {
        // Apply everything that arrived during the last slice or sleep, in arrival order.
        while let Ok(command) = commands.try_recv() {
            post_all(session.handle(command));
        }
        if !session.is_running() {
            match commands.next().await {
                Some(command) => post_all(session.handle(command)),
                None => return,
            }
            continue;
        }
        let (end, events) = session.run_slice(&clock, SLICE_BUDGET_NS);
        post_all(events);
        let wait_ms = match end {
            SliceEnd::WaitUntil(wall_ns) => wall_ns.saturating_sub(clock.now_ns()) / 1_000_000,
            SliceEnd::BudgetSpent => 0,
            SliceEnd::WindowClosed | SliceEnd::Finished => continue,
        };
        // Sleep (or just yield, for 0 ms) but wake for a command.
        let sleep = TimeoutFuture::new(wait_ms.min(u32::MAX as u64) as u32);
        match select(sleep, commands.next()).await {
            Either::Left(((), _)) => {}
            Either::Right((Some(command), _)) => post_all(session.handle(command)),
            Either::Right((None, _)) => return,
        }
    }
}
