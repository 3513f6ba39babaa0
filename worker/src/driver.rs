//! The worker's main loop: receive commands, run the session in slices, sleep between due tasks.
//!
//! Commands arrive through `onmessage` into a bounded channel and are applied between slices;
//! the loop yields to the event loop at least every [`YIELD_EVERY_NS`], so that is the longest
//! a command waits. How the loop waits for due work is in [`crate::wait`].

use crate::clock::{cross_origin_isolated, PerformanceClock};
use crate::helpers::{HelperPool, HELPER_NAME};
use crate::scope::scope;
use crate::wait::{
    yield_now, PreciseWait, TIMER_MARGIN_NS, TIMER_THRESHOLD_NS, YIELD_EVERY_NS, YIELD_SLACK_NS,
    YIELD_SOON_NS,
};
use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
use tempora_engine::clock::Clock;
use tempora_engine::preset;
use tempora_engine::runner::SliceEnd;
use tempora_engine::session::{Session, WINDOW_CREDIT};
use tempora_protocol::js::{decode, encode};
use tempora_protocol::{Command, Event, PROTOCOL_VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

/// Wall time one slice may run before the worker yields to receive commands.
pub const SLICE_BUDGET_NS: u64 = 4_000_000;
/// Commands waiting to be applied; more than this and new ones are refused with an error.
const COMMAND_QUEUE: usize = 256;

/// Posts one event to the UI. A failure to encode or post is logged: there is no one else to tell.
pub fn post(event: &Event) {
    match encode(event).map_err(|e| e.to_string()).and_then(|value| {
        scope()
            .post_message(&value)
            .map_err(|e| format!("postMessage failed: {e:?}"))
    }) {
        Ok(()) => {}
        Err(message) => log::error!("{message}"),
    }
}

/// Applies `command` and posts the replies; says first when it builds a run, so the UI's
/// heartbeat gives the build time (the worker cannot answer pings meanwhile). The first run
/// that asks for shards starts the helper workers first.
async fn apply(session: &mut Session, helpers_started: &mut bool, command: Command) {
    if command.builds_a_run() {
        post(&Event::Building);
    }
    if !*helpers_started && asks_for_shards(&command) {
        *helpers_started = true;
        let pool = HelperPool::start().await;
        log::info!("started {} helper workers for swarm shards", pool.len());
        if !pool.is_empty() {
            session.lend_helpers(Rc::new(pool));
        }
    }
    post_all(session.handle(command));
}

/// A new run with `shards > 1` (the swarm's parts in helper workers).
fn asks_for_shards(command: &Command) -> bool {
    matches!(command, Command::Configure { params, .. } if params.get("shards").is_some_and(|&s| s > 1.0))
}

fn post_all(events: Vec<Event>) {
    for event in &events {
        post(event);
    }
}

/// Sets up logging, the panic report, the message handler, the helper workers and the loop,
/// then posts `ready`. A helper (started by another worker under [`HELPER_NAME`]) serves parts
/// instead.
pub fn start() {
    console_log::init_with_level(log::Level::Info).ok();
    if scope().name().starts_with(HELPER_NAME) {
        crate::helpers::serve();
        return;
    }
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
            Err(error) => post(&Event::Error {
                message: error.to_string(),
                param: None,
            }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();

    let precise = PreciseWait::best_available();
    let wait_method = precise.describe().to_string();
    let helpers = HelperPool::planned() as u32;
    wasm_bindgen_futures::spawn_local(run(receiver, clock, precise));
    log::info!(
        "tempora worker ready (protocol {PROTOCOL_VERSION}, wait: {wait_method}, {helpers} helper workers when shards ask)"
    );
    post(&Event::Ready {
        protocol: PROTOCOL_VERSION,
        cross_origin_isolated: cross_origin_isolated(),
        wait_method,
        helpers,
        presets: preset::all().iter().map(|p| p.info()).collect(),
        gallery: preset::gallery(),
    });
}

async fn run(mut commands: mpsc::Receiver<Command>, clock: PerformanceClock, precise: PreciseWait) {
    let mut session = Session::new().with_window_credit(WINDOW_CREDIT);
    let mut helpers_started = false;
    post(&Event::Status(session.status()));
    let mut last_yield = clock.now_ns();
    loop {
        // Apply everything that arrived since the last look, in arrival order.
        while let Ok(command) = commands.try_recv() {
            apply(&mut session, &mut helpers_started, command).await;
        }
        if !session.is_running() {
            match commands.next().await {
                Some(command) => apply(&mut session, &mut helpers_started, command).await,
                None => return,
            }
            last_yield = clock.now_ns();
            continue;
        }
        let (end, events) = session.run_slice(&clock, SLICE_BUDGET_NS);
        post_all(events);
        #[cfg(feature = "profiling")]
        crate::profiling::publish(&mut session);
        if let SliceEnd::WaitUntil(deadline) = end {
            let remaining = deadline.saturating_sub(clock.now_ns());
            if remaining > TIMER_THRESHOLD_NS {
                // A long wait: sleep on a timer (which also lets commands in), wake early.
                let ms = (remaining - TIMER_MARGIN_NS) / 1_000_000;
                let sleep = TimeoutFuture::new(ms.min(u32::MAX as u64) as u32);
                match select(sleep, commands.next()).await {
                    Either::Left(((), _)) => {}
                    Either::Right((Some(command), _)) => {
                        apply(&mut session, &mut helpers_started, command).await
                    }
                    Either::Right((None, _)) => return,
                }
                last_yield = clock.now_ns();
                continue;
            }
            // Yield where there is slack (before a wait) rather than when a task is due.
            if remaining > YIELD_SLACK_NS
                && clock.now_ns().saturating_sub(last_yield) >= YIELD_SOON_NS
            {
                yield_now().await;
                last_yield = clock.now_ns();
            }
            precise.wait_until(&clock, deadline);
        }
        if clock.now_ns().saturating_sub(last_yield) >= YIELD_EVERY_NS {
            yield_now().await;
            last_yield = clock.now_ns();
        }
    }
}
