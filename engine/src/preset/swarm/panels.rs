//! What a swarm window shows: the vote with its interval against the true regime, the stream,
//! the governor's continuity and confidence against their thresholds, and the running
//! accuracy and compute, with the window's escalation as an event marker.

use super::totals::Totals;
use crate::swarm::governor::{Decision, Policy};
use tempora_protocol::panel::{
    Axis, Band, EventMarker, Panel, PerWindow, Plot, Readout, Reference, Trace, WindowContent,
};

/// Samples of the vote and the stream a window carries, at most (evenly spaced).
pub(super) const MAX_SAMPLES: usize = 250;
/// Logical seconds of vote and stream shown.
const TRACE_SPAN_S: f64 = 2.0;
/// A gap between samples longer than this (s, or 6 dt if longer) is a window the page did not
/// receive: the vote and stream plots break there rather than draw a line across it.
const MAX_GAP_S: f64 = 5e-3;

/// The ids of the swarm's panels.
pub(super) mod ids {
    /// The vote with its interval and the true regime.
    pub const VOTE: &str = "vote-plot";
    /// Channel 0 of the stream.
    pub const STREAM: &str = "stream-plot";
    /// JSD to the previous window.
    pub const JSD: &str = "jsd-plot";
    /// The winner's lower bound.
    pub const CONFIDENCE: &str = "confidence-plot";
    /// Windows labelled right since the start.
    pub const ACCURACY: &str = "swarm-accuracy-plot";
    /// Compute saved and escalation rate since the start.
    pub const COMPUTE: &str = "compute-plot";
}

/// One sample of the vote and the stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Sample {
    /// Logical time, s.
    pub t_s: f64,
    /// Probability of regime 1 (prior-blended vote) and its 95 % interval.
    pub p1: f64,
    /// See `p1`.
    pub low: f64,
    /// See `p1`.
    pub high: f64,
    /// The true regime.
    pub truth: u8,
    /// Channel 0 of the stream.
    pub value: f64,
}

/// A closed window's figures.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SwarmWindow {
    /// The window's end, logical s.
    pub end_s: f64,
    /// The vote and stream, at most [`MAX_SAMPLES`] evenly spaced samples.
    pub samples: Vec<Sample>,
    /// What the governor decided.
    pub decision: Decision,
    /// The true regime (the majority of the window's samples).
    pub truth: u8,
    /// Mean over the window of `1 - p(true regime)`.
    pub residual: f64,
    /// Samples in the window with an anomaly in progress.
    pub anomalies: u64,
    /// The backstop prior's weight in the vote at the window's end.
    pub prior_weight: f64,
    /// Member evaluations in the window.
    pub evaluations: u64,
    /// Running totals since the start.
    pub totals: Totals,
}

impl SwarmWindow {
    /// The window's panels and readouts; thresholds from `policy`, the stream sampled every
    /// `dt` s.
    pub fn content(&self, policy: &Policy, dt: f64) -> WindowContent {
        WindowContent {
            panels: self.panels(policy, dt),
            readouts: self.readouts(),
            events: self
                .decision
                .escalated
                .iter()
                .map(|reason| EventMarker {
                    t_s: self.end_s,
                    label: format!("escalated: {reason}"),
                })
                .collect(),
        }
    }

    fn readouts(&self) -> Vec<Readout> {
        let d = &self.decision;
        let t = &self.totals;
        let winner = usize::from(d.distribution[1] > 0.5);
        let pct = |x: f64| Some(100.0 * x);
        let (at_shifts, elsewhere) = t.escalation_rates_at_shifts_and_elsewhere();
        vec![
            Readout::text(
                "vote",
                "vote",
                format!("regime {winner} (p {:.3})", d.distribution[winner]),
            ),
            Readout::number("confidence", "confidence", Some(d.confidence), "", 3),
            Readout::count("truth", "true regime", u64::from(self.truth)),
            Readout::number("jsd_bits", "JSD", d.jsd, "bits", 4),
            Readout::text(
                "escalation",
                "decision",
                match &d.escalated {
                    Some(reason) => {
                        format!("ESCALATED ({reason}): backstop says {}", d.backstop_label)
                    }
                    None => "not escalated".to_string(),
                },
            ),
            Readout::count("windows", "windows decided", t.windows),
            Readout::number(
                "escalation_rate_pct",
                "escalated",
                pct(t.rate(t.escalations)),
                "%",
                1,
            ),
            Readout::number("right_pct", "right", pct(t.rate(t.right_governed)), "%", 1),
            Readout::number(
                "right_swarm_pct",
                "swarm alone",
                pct(t.rate(t.right_swarm)),
                "%",
                1,
            ),
            Readout::number(
                "right_backstop_pct",
                "always escalate",
                pct(t.rate(t.right_backstop)),
                "%",
                1,
            ),
            Readout::number(
                "compute_saved_pct",
                "compute saved",
                pct(t.compute_saved()),
                "%",
                1,
            ),
            Readout::number(
                "escalation_rate_at_shifts_pct",
                "escalated at shifts",
                pct(at_shifts),
                "%",
                1,
            ),
            Readout::number(
                "escalation_rate_elsewhere_pct",
                "escalated elsewhere",
                pct(elsewhere),
                "%",
                1,
            ),
            Readout::number("residual", "residual", Some(self.residual), "", 3),
            Readout::count("anomalies", "anomalous samples", self.anomalies),
            Readout::number(
                "prior_weight",
                "backstop prior weight",
                Some(self.prior_weight),
                "",
                3,
            ),
            Readout::count(
                "evaluations",
                "member evaluations in the window",
                self.evaluations,
            ),
            Readout::count(
                "evaluations_total",
                "member evaluations since the start",
                t.evaluations,
            ),
        ]
    }

    fn panels(&self, policy: &Policy, dt: f64) -> Vec<Panel> {
        let points = |f: fn(&Sample) -> f64| -> Vec<[f64; 2]> {
            self.samples.iter().map(|s| [s.t_s, f(s)]).collect()
        };
        let max_gap = MAX_GAP_S.max(6.0 * dt);
        let mut vote = Trace::lines(
            Axis::new("p(regime 1)", "").with_range(-0.05, 1.05),
            vec![
                ("vote".to_string(), points(|s| s.p1)),
                ("true regime".to_string(), points(|s| f64::from(s.truth))),
            ],
        );
        vote.band = Some(Band {
            label: "95 % interval".to_string(),
            points: self
                .samples
                .iter()
                .map(|s| [s.t_s, s.low, s.high])
                .collect(),
        });
        let mut stream = Trace::single(Axis::new("value", "a.u."), points(|s| s.value));
        for trace in [&mut vote, &mut stream] {
            trace.span_s = Some(TRACE_SPAN_S);
            trace.max_gap_s = Some(max_gap);
            trace.markers = true;
        }
        let d = &self.decision;
        let t = &self.totals;
        let mut jsd = PerWindow::single(Axis::new("JSD", "bits"), d.jsd);
        jsd.reference = Some(Reference {
            label: "jsd_max".to_string(),
            value: policy.jsd_max,
        });
        let mut confidence = PerWindow::single(
            Axis::new("probability", "").with_range(0.0, 1.0),
            Some(d.confidence),
        );
        confidence.reference = Some(Reference {
            label: "confidence_min".to_string(),
            value: policy.confidence_min,
        });
        let pct = |x: f64| Some(100.0 * x);
        vec![
            Panel::new(
                ids::VOTE,
                "Ensemble vote for regime 1 with its 95 % interval (red lines: escalated windows)",
                Plot::Trace(vote),
            )
            .wide(),
            Panel::new(
                ids::STREAM,
                "Stream, channel 0 (red lines: escalated windows)",
                Plot::Trace(stream),
            )
            .wide(),
            Panel::new(
                ids::JSD,
                "Continuity: JSD to the previous window (line: jsd_max)",
                Plot::PerWindow(jsd),
            ),
            Panel::new(
                ids::CONFIDENCE,
                "Confidence: winner's lower 95 % bound (line: confidence_min)",
                Plot::PerWindow(confidence),
            ),
            Panel::new(
                ids::ACCURACY,
                "Windows labelled right since the start",
                Plot::PerWindow(PerWindow::lines(
                    Axis::new("accuracy", "%"),
                    &[
                        ("swarm + backstop", pct(t.rate(t.right_governed))),
                        ("always escalate", pct(t.rate(t.right_backstop))),
                    ],
                )),
            ),
            Panel::new(
                ids::COMPUTE,
                "Compute saved against always escalating, and escalation rate",
                Plot::PerWindow(PerWindow::lines(
                    Axis::new("share since the start", "%"),
                    &[
                        ("compute saved", pct(t.compute_saved())),
                        ("escalation rate", pct(t.rate(t.escalations))),
                    ],
                )),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(escalated: Option<&str>) -> SwarmWindow {
        SwarmWindow {
            end_s: 0.5,
            samples: vec![Sample {
                t_s: 0.4,
                p1: 0.9,
                low: 0.8,
                high: 0.95,
                truth: 1,
                value: -0.25,
            }],
            decision: Decision {
                distribution: [0.1, 0.9],
                confidence: 0.8,
                jsd: Some(0.5),
                escalated: escalated.map(str::to_string),
                swarm_label: 1,
                backstop_label: 0,
                label: 1,
            },
            truth: 1,
            residual: 0.1,
            anomalies: 0,
            prior_weight: 0.0,
            evaluations: 12,
            totals: Totals {
                windows: 4,
                escalations: 1,
                right_governed: 3,
                baseline_macs: 100,
                swarm_macs: 10,
                ..Totals::default()
            },
        }
    }

    fn policy() -> Policy {
        Policy {
            confidence_min: 0.6,
            jsd_max: 0.2,
            prior_weight: 0.5,
            prior_decay: 0.9,
        }
    }

    #[test]
    fn an_escalation_is_a_marker_at_the_window_end_and_says_why() {
        let content = window(Some("JSD 0.500 bits > 0.200")).content(&policy(), 1e-4);
        assert_eq!(
            content.events,
            vec![EventMarker {
                t_s: 0.5,
                label: "escalated: JSD 0.500 bits > 0.200".into()
            }]
        );
        assert_eq!(
            content.readout("escalation").unwrap().value.display(),
            "ESCALATED (JSD 0.500 bits > 0.200): backstop says 0"
        );
        assert!(window(None).content(&policy(), 1e-4).events.is_empty());
    }

    #[test]
    fn thresholds_in_force_are_the_reference_lines() {
        let content = window(None).content(&policy(), 1e-4);
        let jsd = content.per_window(ids::JSD).unwrap();
        assert_eq!(jsd.reference.as_ref().unwrap().value, 0.2);
        assert_eq!(jsd.lines[0].value, Some(0.5));
        let confidence = content.per_window(ids::CONFIDENCE).unwrap();
        assert_eq!(confidence.reference.as_ref().unwrap().value, 0.6);
        assert_eq!(content.number("escalation_rate_pct"), Some(25.0));
        assert_eq!(content.number("right_pct"), Some(75.0));
        assert_eq!(content.number("compute_saved_pct"), Some(90.0));
        // A gap of 6 samples at 1 ms is a missing window; at 0.1 ms, 5 ms is.
        let vote = content.trace(ids::VOTE).unwrap();
        assert_eq!(vote.max_gap_s, Some(5e-3));
        let slow = window(None).content(&policy(), 1e-3);
        assert_eq!(slow.trace(ids::VOTE).unwrap().max_gap_s, Some(6e-3));
        assert_eq!(vote.band.as_ref().unwrap().points, vec![[0.4, 0.8, 0.95]]);
    }
}
