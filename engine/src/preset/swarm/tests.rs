//! Scenario tests of the swarm preset: clustering at shifts, identical results for any split,
//! helpers that fail, totals, bad parameters.

use super::panels::MAX_SAMPLES;
use super::*;
use crate::simulation::run_to;
use crate::simulation::Report;
use crate::swarm::governor::MEMBER_MACS;
use crate::swarm::shards;
use crate::swarm::shards::{BlockLayout, ShardJob, ShardRunner};
use tempora_protocol::WindowSummary;

/// A small, quick swarm (tests run unoptimised): 8 channels at 1 kHz, shifts every 0.5 s.
fn small(overrides: &[(&str, f64)]) -> ParamValues {
    let mut p: ParamValues = [
        ("members", 24.0),
        ("channels", 8.0),
        ("dt", 1e-3),
        ("train_time", 1.0),
        ("epochs", 15.0),
        ("backstop_hidden", 12.0),
        ("backstop_epochs", 20.0),
        ("window", 0.1),
        ("hop", 0.05),
        ("offset", 0.7),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    p.extend(overrides.iter().map(|(k, v)| (k.to_string(), *v)));
    p
}

fn run(seed: u64, params: &ParamValues, seconds: f64) -> (Vec<WindowSummary>, Report) {
    let (mut sim, _) = PRESET.build(seed, params).unwrap();
    let windows = run_to(sim.as_mut(), TimePoint((seconds * 1e9) as u64));
    (windows, sim.report())
}

fn evaluations(w: &WindowSummary) -> u64 {
    w.data.number("evaluations").unwrap() as u64
}

#[test]
fn escalations_cluster_at_the_regime_shifts() {
    let (windows, report) = run(3, &small(&[]), 4.0);
    let shift = 0.5;
    // A window "at a shift" has one after its start, or starts within one hop after it.
    let at_shift = |w: &WindowSummary| {
        let (start, end) = (w.start_ns as f64 * 1e-9, w.end_ns as f64 * 1e-9);
        let k = ((end - 1e-9) / shift).floor() * shift;
        k > 0.0 && k > start - 0.05 - 1e-9
    };
    let (near, far): (Vec<&WindowSummary>, Vec<&WindowSummary>) =
        windows.iter().partition(|w| at_shift(w));
    let rate = |ws: &[&WindowSummary]| {
        ws.iter().filter(|w| !w.data.events.is_empty()).count() as f64 / ws.len() as f64
    };
    let (near_rate, far_rate) = (rate(&near), rate(&far));
    // The readouts count the same over the whole run.
    let last = &windows.last().unwrap().data;
    let shown = |key: &str| last.number(key).unwrap() / 100.0;
    assert!((shown("escalation_rate_at_shifts_pct") - near_rate).abs() < 1e-12);
    assert!((shown("escalation_rate_elsewhere_pct") - far_rate).abs() < 1e-12);
    assert!(
        near_rate >= 0.5 && far_rate <= 0.15,
        "near {near_rate}, far {far_rate}"
    );
    // The JSD peaks at the shifts too.
    let mean_jsd = |ws: &[&WindowSummary]| {
        ws.iter()
            .filter_map(|w| w.data.number("jsd_bits"))
            .sum::<f64>()
            / ws.len() as f64
    };
    assert!(mean_jsd(&near) > 5.0 * mean_jsd(&far));
    // Each window is labelled by the swarm or by the backstop: the governed accuracy is at
    // least the worse of the two alone and close to the better (here the small test swarm
    // and its briefly trained backstop are close), for less compute than always escalating.
    let acc = |k: &str| report[k].as_f64().unwrap();
    let (swarm, backstop) = (acc("accuracy_swarm_only"), acc("accuracy_always_escalate"));
    assert!(acc("accuracy") >= swarm.min(backstop), "{report:?}");
    assert!(acc("accuracy") >= swarm.max(backstop) - 0.05, "{report:?}");
    assert!(
        acc("escalation_rate") < 0.5 && acc("compute_saved") > 0.0,
        "{report:?}"
    );
    // Most windows are decided at once; the escalated ones wait for the backstop (2 ms).
    assert_eq!(report["latency_logical_p50_s"].as_f64(), Some(0.0));
    let p95 = report["latency_logical_p95_s"].as_f64().unwrap();
    if acc("escalation_rate") > 0.05 {
        assert!((p95 - 2e-3).abs() < 1e-5, "p95 {p95}");
    }
}

#[test]
fn results_are_identical_whatever_the_shard_count() {
    let params = small(&[("members", 37.0)]);
    let (one, _) = run(5, &params, 1.0);
    for shards in [2.0, 3.0, 8.0] {
        let (many, _) = run(5, &small(&[("members", 37.0), ("shards", shards)]), 1.0);
        assert_eq!(
            crate::simulation::content_hash(&many),
            crate::simulation::content_hash(&one),
            "{shards} shards"
        );
    }
}

/// Helpers that run their parts in this thread, block by block on demand: the worker's
/// protocol (jobs, ranges, layouts, blocks) without the transport.
struct InProcess {
    helpers: usize,
    jobs: std::rc::Rc<std::cell::RefCell<Vec<ShardJob>>>,
}

struct InProcessSource(ShardRunner);

impl shards::BlockSource for InProcessSource {
    fn next_block(&mut self, out: &mut [f64]) -> Result<(), shards::PartError> {
        self.0.fill_block(out);
        Ok(())
    }
}

impl shards::Spawn for InProcess {
    fn helpers(&self) -> usize {
        self.helpers
    }

    fn spawn(
        &self,
        _helper: usize,
        job: &ShardJob,
        layout: BlockLayout,
    ) -> Result<Box<dyn shards::BlockSource>, shards::PartError> {
        self.jobs.borrow_mut().push(job.clone());
        let runner = shard_runner(job).map_err(|e| shards::PartError::Build {
            helper: 1,
            reason: e.to_string(),
        })?;
        assert_eq!(runner.layout(), layout);
        Ok(Box::new(InProcessSource(runner)))
    }
}

#[test]
fn results_are_identical_when_helper_workers_evaluate_parts() {
    let params = small(&[("members", 37.0), ("stride", 3.0)]);
    let (one, one_report) = run(5, &params, 1.0);
    for (helpers, shards, parts) in [(1, 2.0, 2), (3, 4.0, 4), (2, 8.0, 3)] {
        let jobs = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let context = BuildContext {
            helpers: Some(std::rc::Rc::new(InProcess {
                helpers,
                jobs: jobs.clone(),
            })),
        };
        let (mut sim, _) = PRESET
            .build_in(
                &context,
                5,
                &small(&[("members", 37.0), ("stride", 3.0), ("shards", shards)]),
            )
            .unwrap();
        let many = run_to(sim.as_mut(), TimePoint(1_000_000_000));
        let report = sim.report();
        // Up to `helpers` parts go out; the first stays with the coordinator.
        let jobs = jobs.borrow();
        assert_eq!(jobs.len(), parts - 1, "{shards} shards, {helpers} helpers");
        assert_eq!(jobs.last().unwrap().end, 37);
        assert!(jobs[0].first > 0);
        assert_eq!(
            crate::simulation::content_hash(&many),
            crate::simulation::content_hash(&one),
            "{shards} shards, {helpers} helpers"
        );
        assert_eq!(report["evaluations"], one_report["evaluations"]);
    }
}

/// A helper that stops answering after its first block.
struct Dying;

impl shards::Spawn for Dying {
    fn helpers(&self) -> usize {
        1
    }

    fn spawn(
        &self,
        _helper: usize,
        job: &ShardJob,
        _layout: BlockLayout,
    ) -> Result<Box<dyn shards::BlockSource>, shards::PartError> {
        struct Once(Option<ShardRunner>);
        impl shards::BlockSource for Once {
            fn next_block(&mut self, out: &mut [f64]) -> Result<(), shards::PartError> {
                let mut runner = self.0.take().ok_or(shards::PartError::Silent {
                    helper: 1,
                    seconds: 4.0,
                })?;
                runner.fill_block(out);
                Ok(())
            }
        }
        Ok(Box::new(Once(Some(shard_runner(job).map_err(|e| {
            shards::PartError::Build {
                helper: 1,
                reason: e.to_string(),
            }
        })?))))
    }
}

#[test]
fn a_failed_helper_halts_the_run_and_says_why() {
    let context = BuildContext {
        helpers: Some(std::rc::Rc::new(Dying)),
    };
    let built = PRESET.build_in(&context, 5, &small(&[("shards", 2.0)]));
    let (mut sim, _) = built.unwrap();
    let windows = run_to(sim.as_mut(), TimePoint(10_000_000_000));
    let halted = sim.halted().expect("the run halts");
    assert!(
        halted.contains("a helper of the swarm failed: helper 1 gave no answers for 4 s"),
        "{halted}"
    );
    // It halts at the second block (1024 samples of 1 ms: about 1 s), not at the end.
    assert!(sim.now() < TimePoint(3_000_000_000), "{:?}", sim.now());
    assert!(!windows.is_empty());
}

#[test]
fn a_helper_refuses_a_part_outside_the_swarm() {
    let job = |first, end| ShardJob {
        params: small(&[]),
        seed: 1,
        first,
        end,
    };
    for (first, end) in [(0, 0), (20, 25), (5, 3)] {
        let e = shard_runner(&job(first, end)).unwrap_err();
        assert_eq!(e.param(), Some("shards"), "{e}");
    }
    let mut bad = job(0, 4);
    bad.params.insert("dt".into(), -1.0);
    assert_eq!(shard_runner(&bad).unwrap_err().param(), Some("dt"));
}

#[test]
fn totals_add_up_and_the_time_division_costs_members_over_stride_per_sample() {
    let (windows, report) = run(2, &small(&[("stride", 4.0)]), 1.0);
    let last = &windows.last().unwrap().data;
    let sum: u64 = windows.iter().map(evaluations).sum();
    assert_eq!(last.number("evaluations_total"), Some(sum as f64));
    // Samples at 0, 1, ... ms up to the last window's end (inclusive: the sample task runs
    // before the window closes); 24 members every 4th sample: 6 per sample after the lag of 3.
    let through_ms = windows.last().unwrap().end_ns / 1_000_000;
    assert_eq!(sum, (through_ms + 1 - 3) * 6);
    assert_eq!(report["swarm_macs"].as_u64(), Some(sum * MEMBER_MACS));
    let vote = last.trace(panels::ids::VOTE).unwrap();
    assert!(vote.lines[0].points.len() <= MAX_SAMPLES);
}

#[test]
fn bad_parameters_are_refused_by_name() {
    let refuse = |p: &[(&str, f64)], name: &str| {
        let e = PRESET.build(1, &small(p)).err().unwrap();
        assert_eq!(e.param(), Some(name), "{e}");
    };
    refuse(&[("members", 0.0)], "members");
    refuse(&[("members", 2.5)], "members");
    refuse(&[("dt", 1e-6), ("window", 0.1)], "dt");
    refuse(
        &[
            ("members", 4096.0),
            ("epochs", 1000.0),
            ("train_time", 10.0),
        ],
        "epochs",
    );
}
