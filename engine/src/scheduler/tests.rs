//! Scheduler tests: order recorded by tasks themselves and compared as whole vectors, and a
//! property test against a reference model (a sorted list).

use super::*;
use proptest::prelude::*;
use rand::Rng;

/// The world of these tests: a log of (tag, logical time) pushed by tasks as they run.
type Log = Vec<(u32, u64)>;

fn tagged(tag: u32) -> Box<dyn Task<Log>> {
    Box::new(move |log: &mut Log, ctx: &mut TaskContext<'_, Log>| {
        log.push((tag, ctx.now().as_nanos()))
    })
}

#[test]
fn equal_due_times_run_by_priority_then_creation_order() {
    let mut s = Scheduler::new(1);
    let t = TimePoint(100);
    s.schedule_at(t, Priority::WINDOW, tagged(1)).unwrap();
    s.schedule_at(t, Priority::INPUT, tagged(2)).unwrap();
    s.schedule_at(t, Priority::MODEL, tagged(3)).unwrap();
    s.schedule_at(t, Priority::INPUT, tagged(4)).unwrap();
    s.schedule_at(TimePoint(50), Priority::WINDOW, tagged(5))
        .unwrap();
    let mut log = Log::new();
    assert_eq!(s.run_until(&mut log, TimePoint(1_000)), 5);
    assert_eq!(log, vec![(5, 50), (2, 100), (4, 100), (3, 100), (1, 100)]);
}

#[test]
fn recurring_tasks_interleave_and_keep_their_creation_order() {
    let mut s = Scheduler::new(1);
    s.schedule_every(TimePoint(0), TimeSpan(10), Priority::MODEL, tagged(1))
        .unwrap();
    s.schedule_every(TimePoint(0), TimeSpan(5), Priority::MODEL, tagged(2))
        .unwrap();
    let mut log = Log::new();
    s.run_until(&mut log, TimePoint(20));
    assert_eq!(
        log,
        vec![
            (1, 0),
            (2, 0),
            (2, 5),
            (1, 10),
            (2, 10),
            (2, 15),
            (1, 20),
            (2, 20)
        ]
    );
    assert_eq!(s.now(), TimePoint(20));
    assert_eq!(s.next_due(), Some(TimePoint(25)));
}

#[test]
fn cancel_by_handle_and_unknown_handles() {
    let mut s = Scheduler::new(1);
    let a = s
        .schedule_every(TimePoint(0), TimeSpan(10), Priority::MODEL, tagged(1))
        .unwrap();
    let b = s
        .schedule_at(TimePoint(15), Priority::MODEL, tagged(2))
        .unwrap();
    let mut log = Log::new();
    s.run_until(&mut log, TimePoint(10));
    s.cancel(a).unwrap();
    assert_eq!(s.cancel(a), Err(SchedulerError::UnknownHandle(a)));
    s.run_until(&mut log, TimePoint(100));
    assert_eq!(log, vec![(1, 0), (1, 10), (2, 15)]);
    // b finished: its handle is stale, and a new task reusing its slot is not cancelled by it.
    let c = s
        .schedule_at(TimePoint(200), Priority::MODEL, tagged(3))
        .unwrap();
    assert_eq!(s.cancel(b), Err(SchedulerError::UnknownHandle(b)));
    s.run_until(&mut log, TimePoint(300));
    assert_eq!(log.last(), Some(&(3, 200)));
    assert_eq!(s.cancel(c), Err(SchedulerError::UnknownHandle(c)));
}

#[test]
fn a_task_can_cancel_itself_and_schedule_more_work() {
    let mut s = Scheduler::new(1);
    let mut runs = 0;
    s.schedule_every(
        TimePoint(0),
        TimeSpan(10),
        Priority::MODEL,
        Box::new(move |log: &mut Log, ctx: &mut TaskContext<'_, Log>| {
            runs += 1;
            log.push((1, ctx.now().0));
            if runs == 3 {
                let me = ctx.handle();
                ctx.cancel(me).unwrap();
                let later = TimePoint(ctx.now().0 + 1);
                ctx.schedule_at(later, Priority::MODEL, tagged(9)).unwrap();
            }
        }),
    )
    .unwrap();
    let mut log = Log::new();
    s.run_until(&mut log, TimePoint(1_000));
    assert_eq!(log, vec![(1, 0), (1, 10), (1, 20), (9, 21)]);
    assert_eq!(s.pending(), 0);
    assert_eq!(s.next_due(), None);
}

#[test]
fn bad_schedules_are_errors_and_change_nothing() {
    let mut s = Scheduler::new(1);
    s.schedule_at(TimePoint(50), Priority::MODEL, tagged(1))
        .unwrap();
    let mut log = Log::new();
    s.run_until(&mut log, TimePoint(50));
    assert_eq!(
        s.schedule_at(TimePoint(49), Priority::MODEL, tagged(2)),
        Err(SchedulerError::DueInPast {
            due: TimePoint(49),
            now: TimePoint(50)
        })
    );
    assert_eq!(
        s.schedule_every(TimePoint(60), TimeSpan::ZERO, Priority::MODEL, tagged(3)),
        Err(SchedulerError::ZeroPeriod)
    );
    let absurd = TimeSpan(MAX_PERIOD.0 + 1);
    assert_eq!(
        s.schedule_every(TimePoint(60), absurd, Priority::MODEL, tagged(4)),
        Err(SchedulerError::PeriodTooLong { period: absurd })
    );
    assert_eq!(s.pending(), 0);
    assert_eq!(s.next_due(), None);
}

#[test]
fn a_recurring_task_at_the_end_of_time_retires_instead_of_wrapping() {
    let mut s = Scheduler::new(1);
    s.schedule_every(
        TimePoint(u64::MAX - 10),
        TimeSpan(8),
        Priority::MODEL,
        tagged(1),
    )
    .unwrap();
    let mut log = Log::new();
    s.run_until(&mut log, TimePoint(u64::MAX));
    assert_eq!(log, vec![(1, u64::MAX - 10), (1, u64::MAX - 2)]);
    assert_eq!(s.pending(), 0);
}

#[test]
fn the_rng_is_seeded_and_drawn_in_dispatch_order() {
    fn draws(seed: u64) -> Vec<u64> {
        let mut s: Scheduler<Vec<u64>> = Scheduler::new(seed);
        for p in [3, 1, 2] {
            s.schedule_every(
                TimePoint(0),
                TimeSpan(7),
                Priority(p),
                Box::new(|out: &mut Vec<u64>, ctx: &mut TaskContext<'_, Vec<u64>>| {
                    let x: u64 = ctx.rng().random();
                    out.push(x)
                }),
            )
            .unwrap();
        }
        let mut out = Vec::new();
        s.run_until(&mut out, TimePoint(70));
        out
    }
    assert_eq!(draws(42), draws(42));
    assert_ne!(draws(42), draws(43));
    assert_eq!(draws(42).len(), 33);
}

// ---- Property test against a reference model -------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    /// One-off at now + offset.
    Once { offset: u64, priority: u8 },
    /// Recurring from now + offset with a period.
    Every {
        offset: u64,
        period: u64,
        priority: u8,
    },
    /// Cancel the i-th handle ever returned (modulo their count).
    Cancel { index: usize },
    /// Run everything due up to now + delta.
    Run { delta: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    // Small ranges on purpose: they make equal due times and equal priorities common.
    prop_oneof![
        (0u64..20, 0u8..3).prop_map(|(offset, priority)| Op::Once { offset, priority }),
        (0u64..20, 1u64..8, 0u8..3).prop_map(|(offset, period, priority)| Op::Every {
            offset,
            period,
            priority
        }),
        (0usize..64).prop_map(|index| Op::Cancel { index }),
        (0u64..30).prop_map(|delta| Op::Run { delta }),
    ]
}

/// The reference: a plain list, scanned for the minimum (due, priority, creation) each time.
struct Model {
    now: u64,
    /// (due, priority, creation index, tag, period, live)
    tasks: Vec<(u64, u8, usize, u32, Option<u64>, bool)>,
}

impl Model {
    fn run(&mut self, limit: u64, log: &mut Log) {
        loop {
            let next = self
                .tasks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.5 && t.0 <= limit)
                .min_by_key(|(_, t)| (t.0, t.1, t.2))
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            let t = &mut self.tasks[i];
            self.now = t.0;
            log.push((t.3, t.0));
            match t.4 {
                Some(p) => t.0 += p,
                None => t.5 = false,
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn dispatch_order_matches_the_reference_model(ops in prop::collection::vec(op(), 1..80)) {
        let mut s = Scheduler::new(7);
        let mut model = Model { now: 0, tasks: Vec::new() };
        let mut handles: Vec<TaskHandle> = Vec::new();
        let (mut log, mut expected) = (Log::new(), Log::new());
        let mut limit = 0u64;
        for (tag, op) in ops.into_iter().enumerate() {
            let tag = tag as u32;
            match op {
                Op::Once { offset, priority } => {
                    let due = model.now.max(limit) + offset;
                    handles.push(s.schedule_at(TimePoint(due), Priority(priority), tagged(tag)).unwrap());
                    model.tasks.push((due, priority, model.tasks.len(), tag, None, true));
                }
                Op::Every { offset, period, priority } => {
                    let due = model.now.max(limit) + offset;
                    handles.push(s.schedule_every(TimePoint(due), TimeSpan(period), Priority(priority), tagged(tag)).unwrap());
                    model.tasks.push((due, priority, model.tasks.len(), tag, Some(period), true));
                }
                Op::Cancel { index } if !handles.is_empty() => {
                    let i = index % handles.len();
                    let was_live = model.tasks[i].5;
                    model.tasks[i].5 = false;
                    prop_assert_eq!(s.cancel(handles[i]).is_ok(), was_live);
                }
                Op::Cancel { .. } => {}
                Op::Run { delta } => {
                    limit += delta;
                    s.run_until(&mut log, TimePoint(limit));
                    model.run(limit, &mut expected);
                    prop_assert_eq!(&log, &expected);
                }
            }
        }
        s.run_until(&mut log, TimePoint(limit + 50));
        model.run(limit + 50, &mut expected);
        prop_assert_eq!(log, expected);
    }
}
