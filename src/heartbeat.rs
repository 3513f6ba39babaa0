//! The UI's heartbeat: a worker that stops answering is reported dead.
//!
//! A worker can die without an `error` event (closed, killed by the browser under memory
//! pressure, stuck in a loop). The UI pings it every [`PING_EVERY_MS`]; a ping unanswered for
//! [`DEAD_AFTER_MS`] *and* [`DEAD_AFTER_TICKS`] of the UI's own ticks means the worker is gone.
//! Counting ticks as well as milliseconds keeps a frozen or throttled page (a hidden tab, whose
//! timers fire late, in bursts) from blaming the worker for the page's own sleep: the pong that
//! arrived meanwhile is handled between two ticks.

/// How often the UI pings the worker, ms.
pub const PING_EVERY_MS: u32 = 1_000;
/// How long an unanswered ping may wait before the worker is declared dead, ms.
pub const DEAD_AFTER_MS: f64 = 5_000.0;
/// How many of the UI's ticks must pass with the ping unanswered as well.
pub const DEAD_AFTER_TICKS: u32 = 4;
/// How long the worker may be silent while it builds a run (`Event::Building`: training
/// networks), ms. The largest builds the presets allow take seconds.
pub const BUILD_LIMIT_MS: f64 = 120_000.0;

/// What the UI should do on a tick.
#[derive(Debug, Clone, PartialEq)]
pub enum Beat {
    /// Send `Ping { id }`.
    Ping(u64),
    /// Still waiting for an answer; nothing to do.
    Wait,
    /// The worker has not answered: say so, with this message.
    Dead(String),
}

/// The outstanding ping, if any, and the next id.
#[derive(Debug, Clone, Default)]
pub struct Heartbeat {
    next_id: u64,
    outstanding: Option<Outstanding>,
    /// The worker said it is building a run and has said nothing since.
    building: bool,
}

#[derive(Debug, Clone)]
struct Outstanding {
    id: u64,
    sent_ms: f64,
    ticks: u32,
}

impl Heartbeat {
    /// One tick of the UI's timer at `now_ms` (`performance.now()`).
    pub fn tick(&mut self, now_ms: f64) -> Beat {
        match &mut self.outstanding {
            None => {
                let id = self.next_id;
                self.next_id += 1;
                self.outstanding = Some(Outstanding {
                    id,
                    sent_ms: now_ms,
                    ticks: 0,
                });
                Beat::Ping(id)
            }
            Some(o) => {
                o.ticks += 1;
                let waited = now_ms - o.sent_ms;
                let limit = if self.building {
                    BUILD_LIMIT_MS
                } else {
                    DEAD_AFTER_MS
                };
                if waited >= limit && o.ticks >= DEAD_AFTER_TICKS {
                    Beat::Dead(format!(
                        "the worker stopped answering{} (no reply for {:.0} s)",
                        if self.building {
                            " while building the run"
                        } else {
                            ""
                        },
                        waited / 1000.0
                    ))
                } else {
                    Beat::Wait
                }
            }
        }
    }

    /// The worker answered ping `id`; an answer to an older ping is ignored.
    pub fn pong(&mut self, id: u64) {
        if self.outstanding.as_ref().is_some_and(|o| o.id == id) {
            self.outstanding = None;
        }
    }

    /// The worker said something: whether it was `Building` (then it may be silent for up to
    /// [`BUILD_LIMIT_MS`]) or anything else (the build, if any, is over).
    pub fn heard(&mut self, building: bool) {
        self.building = building;
    }

    /// Forgets the outstanding ping (a new worker).
    pub fn reset(&mut self) {
        self.outstanding = None;
        self.building = false;
    }
}
