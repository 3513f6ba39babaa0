//! The UI's side of the worker: spawn it, wait for `ready`, send commands, receive events.
//!
//! Nothing is sent before the worker's `ready` (messages posted before its wasm has started are
//! lost): [`WorkerClient::send`] refuses until then.

use std::cell::Cell;
use std::rc::Rc;
use tempora_protocol::js::{decode, encode};
use tempora_protocol::{Command, Event};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where Trunk puts the worker's loader (named after the worker crate's binary).
pub const WORKER_URL: &str = "./worker_loader.js";

/// What the worker said, or that it could not be understood, or that it died.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// A well-formed event.
    Event(Event),
    /// A message that did not decode (a bug on one side, reported instead of ignored).
    Malformed(String),
    /// The worker raised an uncaught error or failed to load: it is gone.
    Died(String),
}

/// A running worker and its handlers.
pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerClient {
    /// Starts the worker at `url`; `on_incoming` sees every event, in order.
    pub fn spawn(url: &str, on_incoming: impl Fn(Incoming) + 'static) -> Result<Self, String> {
        let worker = Worker::new(url).map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let on_incoming = Rc::new(on_incoming);

        let seen_ready = ready.clone();
        let handler = on_incoming.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |m: MessageEvent| {
            let incoming = match decode::<Event>(m.data()) {
                Ok(event) => {
                    if matches!(event, Event::Ready { .. }) {
                        seen_ready.set(true);
                    }
                    Incoming::Event(event)
                }
                Err(error) => Incoming::Malformed(error.to_string()),
            };
            handler(incoming);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            let message = e.message();
            let text = if message.is_empty() {
                "the worker failed to load or stopped with an error".to_string()
            } else {
                message
            };
            on_incoming(Incoming::Died(text));
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        Ok(WorkerClient {
            worker,
            ready,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// True once the worker has said `ready`.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Sends a command; refused before `ready`.
    pub fn send(&self, command: &Command) -> Result<(), String> {
        if !self.is_ready() {
            return Err("the worker is not ready yet".to_string());
        }
        let value = encode(command).map_err(|e| e.to_string())?;
        self.worker
            .post_message(&value)
            .map_err(|e| format!("postMessage failed: {e:?}"))
    }

    /// Posts a raw value, bypassing the protocol: for tests of the worker's decoder.
    pub fn send_raw(&self, value: &JsValue) -> Result<(), String> {
        self.worker
            .post_message(value)
            .map_err(|e| format!("postMessage failed: {e:?}"))
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
