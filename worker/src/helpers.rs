//! Helper workers for the swarm's parts (see `tempora_engine::swarm::shards`).
//!
//! The worker the UI talks to (the coordinator) starts a pool of helpers, one per spare core,
//! when the page can share memory (cross-origin isolated), on the first run that asks for
//! shards (each helper is a wasm instance; most pages never need one). It waits for their
//! hellos before it builds that run: a message posted to a worker before its wasm has started
//! is lost, and once the run is going the coordinator is inside a task and cannot take one.
//!
//! A swarm run with `shards > 1` hands each helper a part ([`ShardJob`]) with two
//! SharedArrayBuffers: four control cells and a ring of [`RING_BLOCKS`] blocks of answers.
//! The helper fills blocks ahead while there is room (and sleeps in `Atomics.wait` when there
//! is not); the coordinator's task takes them in order, waiting in `Atomics.wait` when the
//! next is not there yet. Dropping the part (a new run) tells the helper to stop; it then
//! takes the next part it is given. Helpers are the coordinator's children: they end with it.

use crate::scope::scope;
use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Atomics, Float64Array, Int32Array, Reflect, SharedArrayBuffer};
use std::cell::RefCell;
use tempora_engine::preset::shard_runner;
use tempora_engine::swarm::shards::{BlockLayout, BlockSource, PartError, ShardJob, Spawn};
use tempora_protocol::js::{decode, encode};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions};

/// The name a helper is started with (how it knows it is one).
pub const HELPER_NAME: &str = "tempora-helper";
/// What a helper posts once it can take parts.
const HELLO: &str = "tempora-helper-ready";
/// Helpers at most (a page rarely has more spare cores worth their memory).
const MAX_HELPERS: usize = 7;
/// How long the coordinator waits for its helpers to start.
const START_TIMEOUT_MS: u32 = 10_000;
/// Blocks a helper may fill ahead of the coordinator.
const RING_BLOCKS: u64 = 4;
/// How long the coordinator waits for a block before it gives up on the helper: under the UI's
/// heartbeat limit (5 s without an answer), so the run halts with this reason rather than the
/// worker being declared dead. A healthy helper is never that late: it trains only its part
/// while the coordinator trains every member and the backstop.
const ANSWER_TIMEOUT_MS: f64 = 4_000.0;
/// `Atomics.wait` in slices of this, to look at the failure and stop cells in between.
const WAIT_SLICE_MS: f64 = 250.0;

/// Control cells (Int32): blocks filled, blocks taken, stop (coordinator -> helper), failed
/// (helper -> coordinator). The counters wrap; only their differences matter.
const PRODUCED: u32 = 0;
const CONSUMED: u32 = 1;
const STOP: u32 = 2;
const FAILED: u32 = 3;
const CONTROL_CELLS: u32 = 4;

/// The coordinator's helpers.
pub struct HelperPool {
    helpers: Vec<Worker>,
    _on_message: Vec<Closure<dyn FnMut(MessageEvent)>>,
}

impl HelperPool {
    /// The helpers [`HelperPool::start`] starts: one per spare core, at most [`MAX_HELPERS`];
    /// none when memory cannot be shared.
    pub fn planned() -> usize {
        let has_shared_memory = Reflect::get(&js_sys::global(), &"SharedArrayBuffer".into())
            .map(|v| v.is_function())
            .unwrap_or(false);
        if !crate::clock::cross_origin_isolated() || !has_shared_memory {
            return 0;
        }
        let cores = scope().navigator().hardware_concurrency() as usize;
        cores.saturating_sub(1).min(MAX_HELPERS)
    }

    /// Starts the [`HelperPool::planned`] helpers from this worker's own script, and keeps
    /// those that say hello within [`START_TIMEOUT_MS`].
    pub async fn start() -> HelperPool {
        let mut pool = HelperPool {
            helpers: Vec::new(),
            _on_message: Vec::new(),
        };
        let wanted = Self::planned();
        let url = scope().location().href();
        let (hello, mut hellos) = mpsc::unbounded::<usize>();
        let mut started = Vec::new();
        for i in 0..wanted {
            let options = WorkerOptions::new();
            options.set_name(&format!("{HELPER_NAME}-{}", i + 1));
            let worker = match Worker::new_with_options(&url, &options) {
                Ok(worker) => worker,
                Err(e) => {
                    log::warn!("cannot start helper worker {}: {e:?}", i + 1);
                    break;
                }
            };
            let hello = hello.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |m: MessageEvent| {
                if m.data().as_string().as_deref() == Some(HELLO) {
                    hello.unbounded_send(i).ok();
                } else {
                    log::warn!("helper worker {} said something unexpected", i + 1);
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            started.push(Some((worker, on_message)));
        }
        let mut deadline = TimeoutFuture::new(START_TIMEOUT_MS);
        let mut waiting = started.len();
        while waiting > 0 {
            match select(hellos.next(), deadline).await {
                Either::Left((Some(i), rest)) => {
                    if let Some((worker, on_message)) = started[i].take() {
                        pool.helpers.push(worker);
                        pool._on_message.push(on_message);
                    }
                    waiting -= 1;
                    deadline = rest;
                }
                _ => break,
            }
        }
        for (worker, _) in started.into_iter().flatten() {
            log::warn!(
                "a helper worker did not start in {START_TIMEOUT_MS} ms; going on without it"
            );
            worker.terminate();
        }
        pool
    }

    /// Helpers that started.
    pub fn len(&self) -> usize {
        self.helpers.len()
    }

    /// True without helpers.
    pub fn is_empty(&self) -> bool {
        self.helpers.is_empty()
    }
}

impl Spawn for HelperPool {
    fn helpers(&self) -> usize {
        self.helpers.len()
    }

    fn spawn(
        &self,
        helper: usize,
        job: &ShardJob,
        layout: BlockLayout,
    ) -> Result<Box<dyn BlockSource>, PartError> {
        let start = |reason: String| PartError::Start {
            helper: helper + 1,
            reason,
        };
        let worker = self
            .helpers
            .get(helper)
            .ok_or_else(|| start("there is no such helper worker".to_string()))?;
        let control = SharedArrayBuffer::new(4 * CONTROL_CELLS);
        let data = SharedArrayBuffer::new((8 * layout.len() as u64 * RING_BLOCKS) as u32);
        let message = js_sys::Object::new();
        for (key, value) in [
            ("job", encode(job).map_err(|e| start(e.to_string()))?),
            ("control", control.clone().into()),
            ("data", data.clone().into()),
            ("samples", (layout.samples as f64).into()),
            ("slot", (layout.slot as f64).into()),
        ] {
            Reflect::set(&message, &key.into(), &value).map_err(|e| start(format!("{e:?}")))?;
        }
        worker
            .post_message(&message)
            .map_err(|e| start(format!("cannot post to it: {e:?}")))?;
        Ok(Box::new(Ring {
            helper: helper + 1,
            control: Int32Array::new(&control),
            data: Float64Array::new(&data),
            layout,
            taken: 0,
        }))
    }
}

/// One part's ring, from the coordinator's side.
struct Ring {
    /// The helper's number, for messages.
    helper: usize,
    control: Int32Array,
    data: Float64Array,
    layout: BlockLayout,
    /// Blocks taken so far.
    taken: u64,
}

fn load(cells: &Int32Array, cell: u32) -> i32 {
    Atomics::load(cells, cell).unwrap_or(0)
}

fn store_and_wake(cells: &Int32Array, cell: u32, value: i32) {
    Atomics::store(cells, cell, value).ok();
    Atomics::notify(cells, cell).ok();
}

/// Block `index`'s place in the ring.
fn ring_offset(index: u64, layout: BlockLayout) -> u32 {
    ((index % RING_BLOCKS) * layout.len() as u64) as u32
}

impl BlockSource for Ring {
    fn next_block(&mut self, out: &mut [f64]) -> Result<(), PartError> {
        let mut waited = 0.0;
        loop {
            if load(&self.control, FAILED) != 0 {
                return Err(PartError::Stopped {
                    helper: self.helper,
                    reason: "its worker failed (the message is in the browser's console)".into(),
                });
            }
            let produced = load(&self.control, PRODUCED);
            if produced.wrapping_sub(self.taken as i32) > 0 {
                break;
            }
            if waited >= ANSWER_TIMEOUT_MS {
                return Err(PartError::Silent {
                    helper: self.helper,
                    seconds: ANSWER_TIMEOUT_MS / 1e3,
                });
            }
            Atomics::wait_with_timeout(&self.control, PRODUCED, produced, WAIT_SLICE_MS).map_err(
                |e| PartError::Stopped {
                    helper: self.helper,
                    reason: format!("cannot wait for its answers: {e:?}"),
                },
            )?;
            waited += WAIT_SLICE_MS;
        }
        let at = ring_offset(self.taken, self.layout);
        self.data
            .subarray(at, at + self.layout.len() as u32)
            .copy_to(out);
        self.taken += 1;
        store_and_wake(&self.control, CONSUMED, self.taken as i32);
        Ok(())
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        store_and_wake(&self.control, STOP, 1);
        Atomics::notify(&self.control, CONSUMED).ok();
    }
}

thread_local! {
    /// The control cells of the part a helper is working on, for the panic hook.
    static CURRENT: RefCell<Option<Int32Array>> = const { RefCell::new(None) };
}

/// A helper's life: take parts one after the other, each until the coordinator drops it.
pub fn serve() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        CURRENT.with(|c| {
            if let Some(control) = c.borrow().as_ref() {
                store_and_wake(control, FAILED, 1);
                Atomics::notify(control, PRODUCED).ok();
            }
        });
    }));
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(|m: MessageEvent| match Part::read(&m.data()) {
            Ok(part) => part.run(),
            Err(e) => log::error!("a helper worker got a message it cannot use: {e}"),
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the helper.
    on_message.forget();
    scope().post_message(&HELLO.into()).ok();
}

/// A part as a helper receives it.
struct Part {
    job: ShardJob,
    control: Int32Array,
    data: Float64Array,
    layout: BlockLayout,
}

impl Part {
    fn read(message: &JsValue) -> Result<Part, String> {
        let get = |key: &str| Reflect::get(message, &key.into()).map_err(|e| format!("{e:?}"));
        let count = |key: &str| -> Result<usize, String> {
            get(key)?
                .as_f64()
                .map(|v| v as usize)
                .ok_or_else(|| format!("no {key}"))
        };
        let shared = |key: &str| -> Result<SharedArrayBuffer, String> {
            get(key)?
                .dyn_into()
                .map_err(|_| format!("{key} is not a SharedArrayBuffer"))
        };
        Ok(Part {
            job: decode(get("job")?).map_err(|e| e.to_string())?,
            control: Int32Array::new(&shared("control")?.into()),
            data: Float64Array::new(&shared("data")?.into()),
            layout: BlockLayout {
                samples: count("samples")?,
                slot: count("slot")?,
            },
        })
    }

    /// Fills blocks while there is room, until told to stop; a failure is flagged for the
    /// coordinator.
    fn run(self) {
        let control = &self.control;
        let stopped = || load(control, STOP) != 0;
        if stopped() {
            return;
        }
        CURRENT.with(|c| *c.borrow_mut() = Some(control.clone()));
        let mut runner = match shard_runner(&self.job) {
            Ok(runner) if runner.layout() == self.layout => runner,
            Ok(runner) => return self.fail(&format!("layout {:?}", runner.layout())),
            Err(e) => return self.fail(&e.to_string()),
        };
        let mut block = vec![0.0; self.layout.len()];
        let mut filled: u64 = 0;
        loop {
            // Wait for room in the ring.
            loop {
                if stopped() {
                    CURRENT.with(|c| *c.borrow_mut() = None);
                    return;
                }
                let consumed = load(control, CONSUMED);
                if (filled as i32).wrapping_sub(consumed) < RING_BLOCKS as i32 {
                    break;
                }
                Atomics::wait_with_timeout(control, CONSUMED, consumed, WAIT_SLICE_MS).ok();
            }
            runner.fill_block(&mut block);
            let at = ring_offset(filled, self.layout);
            self.data
                .subarray(at, at + self.layout.len() as u32)
                .copy_from(&block);
            filled += 1;
            store_and_wake(control, PRODUCED, filled as i32);
        }
    }

    fn fail(&self, why: &str) {
        log::error!(
            "helper worker cannot build members {}..{}: {why}",
            self.job.first,
            self.job.end
        );
        store_and_wake(&self.control, FAILED, 1);
        Atomics::notify(&self.control, PRODUCED).ok();
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}
