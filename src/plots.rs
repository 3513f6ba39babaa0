//! The plot panel: what the newest window holds decides which plots are shown.

use crate::export::download;
use crate::history::History;
use crate::plot::{
    draw_heatmap, draw_histogram, draw_line, draw_log_histogram, draw_polar, draw_raster, LinePlot,
};
use crate::state::DashboardState;
use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use tempora_protocol::window::{NetWindow, SwarmWindow, WindowData};
use tempora_protocol::TimingReport;
use web_sys::HtmlCanvasElement;

/// Logical seconds of traces shown.
const TRACE_SPAN_S: f64 = 2.0;
/// The shortest time between two redraws of the plots, ms (at most 20 redraws a second).
const MIN_REDRAW_MS: f64 = 50.0;
/// A gap between swarm samples longer than this (s, or 6 dt if longer) is a window the page did
/// not receive: the vote and stream plots break there rather than draw a line across it.
const SWARM_MAX_GAP_S: f64 = 5e-3;
/// Network output samples shown (the newest).
const OUTPUT_SAMPLES: usize = 150;

/// A canvas redrawn by `draw` on each animation `frame` (see [`Plots`]). `draw` reads its data
/// untracked: arrivals of windows only mark the frame dirty, so however fast windows come, each
/// plot is drawn at most once per display frame and the main thread stays responsive.
fn plot_canvas(
    test_id: &'static str,
    class: &'static str,
    frame: RwSignal<u64>,
    draw: impl Fn(&HtmlCanvasElement) -> Result<(), String> + 'static,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let draw = StoredValue::new_local(draw);
    Effect::new(move |_| {
        frame.track();
        // Each canvas draws in its own task, so a frame of many plots never blocks the main
        // thread for their sum (long tasks measured by tests/e2e/perf.mjs).
        set_timeout(
            move || {
                // The plot may be gone by now (another preset's plots replaced it).
                let Some(canvas) = canvas.try_get_untracked().flatten() else {
                    return;
                };
                let drawn = draw.try_with_value(|draw| untrack(|| draw(&canvas)));
                if let Some(Err(e)) = drawn {
                    log::error!("{test_id}: {e}");
                }
            },
            std::time::Duration::ZERO,
        );
    });
    let save_png = move |_| {
        if let Some(canvas) = canvas.get_untracked() {
            match canvas.to_data_url_with_type("image/png") {
                Ok(url) => {
                    if let Err(e) = download(&format!("tempora-{test_id}.png"), &url) {
                        log::error!("{test_id}: {e}");
                    }
                }
                Err(e) => log::error!("{test_id}: cannot encode PNG: {e:?}"),
            }
        }
    };
    view! {
        <figure class=format!("plot {class}")>
            <button class="png" title="Save this plot as PNG" data-testid=format!("png-{test_id}")
                on:click=save_png>"PNG"</button>
            <canvas data-testid=test_id node_ref=canvas></canvas>
        </figure>
    }
}

/// The plots of the current run.
#[component]
pub fn Plots(
    /// The dashboard's state.
    state: DashboardState,
) -> impl IntoView {
    let history = state.history;
    // One redraw per display frame at most, and at most every MIN_REDRAW_MS: new windows or a
    // resize request a frame. Drawing every plot takes several ms; at full speed windows come
    // hundreds of times a second, and redrawing for each would starve the main thread.
    let frame = RwSignal::new(0u64);
    let frame_requested = StoredValue::new(false);
    let last_redraw = StoredValue::new(f64::NEG_INFINITY);
    fn on_frame(frame: RwSignal<u64>, requested: StoredValue<bool>, last: StoredValue<f64>) {
        request_animation_frame(move || {
            let now = web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now());
            if now - last.get_value() < MIN_REDRAW_MS {
                on_frame(frame, requested, last);
                return;
            }
            last.set_value(now);
            requested.set_value(false);
            frame.update(|n| *n += 1);
        });
    }
    let request_frame = move || {
        if !frame_requested.get_value() {
            frame_requested.set_value(true);
            on_frame(frame, frame_requested, last_redraw);
        }
    };
    Effect::new(move |_| {
        history.track();
        request_frame();
    });
    let _resize = window_event_listener(ev::resize, move |_| request_frame());
    // Canvases take their colours from the scheme: redraw when the system setting changes.
    if let Some(scheme) =
        web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
    {
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(request_frame);
        scheme.set_onchange(Some(wasm_bindgen::JsCast::unchecked_ref(
            on_change.as_ref(),
        )));
        // The dashboard lives as long as the page.
        on_change.forget();
    }
    let has_weights = Memo::new(move |_| {
        history.with(|h| h.latest_spiking().is_some_and(|s| s.weights.is_some()))
    });
    let has_phase =
        Memo::new(move |_| history.with(|h| h.latest_spiking().is_some_and(|s| s.phase.is_some())));

    let paced = Memo::new(move |_| {
        state.status.with(|s| {
            s.as_ref()
                .is_some_and(|s| matches!(s.pacing, tempora_protocol::Pacing::RealTime { .. }))
        })
    });
    let timing_plots = move || {
        view! {
            <div class="plot-grid">
                <Show when=move || paced.get()>
                    {plot_canvas("lateness-histogram", "", frame, move |c| {
                        history.with(|h| match h.latest().and_then(|w| w.timing.as_ref()) {
                            Some(t) => draw_log_histogram(
                                c,
                                &format!(
                                    "Lateness in the last window: p50 {:.1} us, p99 {:.1} us",
                                    t.lateness.p50 as f64 / 1e3,
                                    t.lateness.p99 as f64 / 1e3,
                                ),
                                &t.lateness_buckets,
                            ),
                            None => Ok(()),
                        })
                    })}
                    {plot_canvas("lateness-plot", "", frame, move |c| {
                        let p99 = history.with(|h| h.timing_series(|t| t.lateness.p99 as f64 / 1e3));
                        draw_line(c, &LinePlot {
                            title: "Scheduler lateness per window, p99 (actual - ideal wall time)",
                            x_label: "window end (s)",
                            y_label: "lateness p99 (us)",
                            points: &p99,
                            x_range: None,
                            y_range: None,
                            reference: None,
                            ..Default::default()
                        })
                    })}
                </Show>
                {plot_canvas("tasks-plot", "", frame, move |c| {
                    let rate = history.with(|h| h.timing_series(|t| t.tasks_per_s / 1e3));
                    draw_line(c, &LinePlot {
                        title: "Scheduler throughput per window",
                        x_label: "window end (s)",
                        y_label: "tasks per wall second (thousands)",
                        points: &rate,
                        x_range: None,
                        y_range: None,
                        reference: None,
                        ..Default::default()
                    })
                })}
            </div>
        }
    };

    let kind = Memo::new(move |_| {
        history.with(|h| match h.latest().map(|w| &w.data) {
            Some(WindowData::Spiking(_)) => Kind::Spiking,
            Some(WindowData::Network(_)) => Kind::Network,
            Some(WindowData::Swarm(_)) => Kind::Swarm,
            _ => Kind::Trace,
        })
    });
    view! {
        {move || match kind.get() {
            Kind::Trace => trace_plots(history, frame).into_any(),
            Kind::Spiking => spiking_plots(history, frame, has_weights, has_phase).into_any(),
            Kind::Network => network_plots(history, frame).into_any(),
            Kind::Swarm => swarm_plots(state, frame).into_any(),
        }}
        <h2 class="section">"Scheduler timing"</h2>
        {timing_plots}
    }
}

/// Which family of plots the newest window calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Trace,
    Spiking,
    Network,
    Swarm,
}

/// The tick preset's random walk.
fn trace_plots(history: RwSignal<History>, frame: RwSignal<u64>) -> impl IntoView {
    plot_canvas("trace-plot", "wide", frame, move |c| {
        let trace = history.with(|h| h.trace(TRACE_SPAN_S));
        let end = trace.last().map_or(TRACE_SPAN_S, |p| p.0.max(TRACE_SPAN_S));
        draw_line(
            c,
            &LinePlot {
                title: "Seeded random walk (tick preset)",
                x_label: "logical time (s)",
                y_label: "value (a.u.)",
                points: &trace,
                x_range: Some((end - TRACE_SPAN_S, end)),
                y_range: None,
                reference: None,
                ..Default::default()
            },
        )
    })
}

/// Raster, membrane, rates, weights and phase of a spiking preset.
fn spiking_plots(
    history: RwSignal<History>,
    frame: RwSignal<u64>,
    has_weights: Memo<bool>,
    has_phase: Memo<bool>,
) -> impl IntoView {
    view! {
            <p class="spike-readout" data-testid="spike-readout">{move || history.with(|h| h.latest_spiking().map(|s| {
                let mut parts = vec![
                    format!("output rate {:.1} Hz", s.output_rate_hz),
                    format!("input spikes {}", s.input_spikes),
                ];
                if let Some(w) = &s.weights {
                    parts.push(format!(
                        "weights near 0: {:.1} %, near max: {:.1} %, mean {:.3e}",
                        w.near_bounds.0 * 100.0,
                        w.near_bounds.1 * 100.0,
                        w.mean
                    ));
                }
                if let Some(p) = &s.phase {
                    match p.circular_mean_deg {
                        Some(m) => parts.push(format!("phase {m:.1} deg, vector strength {:.3}", p.vector_strength)),
                        None => parts.push("no spikes to phase".to_string()),
                    }
                }
                parts.join(" · ")
            }))}</p>
            <div class="plot-grid">
                {plot_canvas("raster-plot", "wide", frame, move |c| {
                    history.with(|h| match h.latest_spiking() {
                        Some(s) => {
                            let outputs = s.output_spikes.iter().map(|o| o.1).max().map_or(1, |n| n + 1);
                            draw_raster(c, &s.raster, &s.output_spikes, outputs)
                        }
                        None => Ok(()),
                    })
                })}
                {plot_canvas("membrane-plot", "", frame, move |c| {
                    let v: Vec<(f64, f64)> = history
                        .with(|h| h.membrane(TRACE_SPAN_S))
                        .into_iter()
                        .map(|(t, v)| (t, v * 1e3))
                        .collect();
                    draw_line(c, &LinePlot {
                        title: "Membrane potential, output neuron 0",
                        x_label: "logical time (s)",
                        y_label: "v (mV)",
                        points: &v,
                        x_range: None,
                        y_range: None,
                        reference: None,
                        ..Default::default()
                    })
                })}
                {plot_canvas("rate-plot", "", frame, move |c| {
                    let rates = history.with(|h| h.spiking_series(|s| Some(s.output_rate_hz)));
                    draw_line(c, &LinePlot {
                        title: "Output firing rate per window",
                        x_label: "window end (s)",
                        y_label: "rate (Hz)",
                        points: &rates,
                        x_range: None,
                        y_range: None,
                        reference: None,
                        ..Default::default()
                    })
                })}
                <Show when=move || has_weights.get()>
                    {plot_canvas("weights-plot", "", frame, move |c| {
                        history.with(|h| match h.latest_spiking().and_then(|s| s.weights.as_ref()) {
                            Some(w) => draw_histogram(
                                c,
                                &format!(
                                    "Weights now: {:.0} % near 0, {:.0} % near max",
                                    w.near_bounds.0 * 100.0,
                                    w.near_bounds.1 * 100.0
                                ),
                                "weight (units of the leak conductance)",
                                &w.counts,
                                w.wmax,
                            ),
                            None => Ok(()),
                        })
                    })}
                    {plot_canvas("weights-heatmap", "wide", frame, move |c| {
                        history.with(|h| {
                            let columns: Vec<(f64, &[u32])> = h
                                .windows()
                                .filter_map(|w| match &w.data {
                                    WindowData::Spiking(s) => s.weights.as_ref().map(|wh| (w.end_ns as f64 * 1e-9, &wh.counts[..])),
                                    _ => None,
                                })
                                .collect();
                            let wmax = h.latest_spiking().and_then(|s| s.weights.as_ref()).map_or(1.0, |w| w.wmax);
                            draw_heatmap(
                                c,
                                "Weight distribution over time (stronger colour: more synapses)",
                                "weight",
                                &columns,
                                wmax,
                            )
                        })
                    })}
                    {plot_canvas("bounds-plot", "", frame, move |c| {
                        let near = history.with(|h| {
                            h.spiking_series(|s| s.weights.as_ref().map(|w| 100.0 * (w.near_bounds.0 + w.near_bounds.1)))
                        });
                        draw_line(c, &LinePlot {
                            title: "Weights within 10 % of a bound (bimodality)",
                            x_label: "window end (s)",
                            y_label: "share of synapses (%)",
                            points: &near,
                            x_range: None,
                            y_range: Some((0.0, 100.0)),
                            reference: Some(20.0),
                            ..Default::default()
                        })
                    })}
                </Show>
                <Show when=move || has_phase.get()>
                    {plot_canvas("phase-plot", "square", frame, move |c| {
                        history.with(|h| match h.latest_spiking().and_then(|s| s.phase.as_ref()) {
                            Some(p) => draw_polar(c, p),
                            None => Ok(()),
                        })
                    })}
                    {plot_canvas("vector-strength-plot", "", frame, move |c| {
                        let vs = history.with(|h| {
                            h.spiking_series(|s| s.phase.as_ref().filter(|p| p.circular_mean_deg.is_some()).map(|p| p.vector_strength))
                        });
                        draw_line(c, &LinePlot {
                            title: "Phase locking per window",
                            x_label: "window end (s)",
                            y_label: "vector strength",
                            points: &vs,
                            x_range: None,
                            y_range: Some((0.0, 1.05)),
                            reference: None,
                            ..Default::default()
                        })
                    })}
                </Show>
            </div>
    }
}

/// Outputs against targets, errors, training, Lipschitz estimate and watchdog of a network preset.
fn network_plots(history: RwSignal<History>, frame: RwSignal<u64>) -> impl IntoView {
    let latest =
        move |f: fn(&NetWindow) -> bool| history.with(|h| h.latest_network().is_some_and(f));
    let has_target = Memo::new(move |_| latest(|n| n.rmse.is_some()));
    let has_accuracy = Memo::new(move |_| latest(|n| n.accuracy.is_some()));
    let has_training = Memo::new(move |_| latest(|n| n.training.is_some()));
    view! {
        <p class="spike-readout" data-testid="net-readout">{move || history.with(|h| h.latest_network().map(net_readout))}</p>
        <div class="plot-grid">
            {plot_canvas("output-plot", "wide", frame, move |c| {
                let (output, target) = history.with(|h| h.network_outputs(OUTPUT_SAMPLES));
                let markers = history.with(History::watchdog_times);
                draw_line(c, &LinePlot {
                    title: "Network output 0 against its target, newest samples (red lines: watchdog events)",
                    x_label: "logical time (s)",
                    y_label: "output (a.u.)",
                    points: &output,
                    series_label: "output",
                    second: (!target.is_empty()).then_some(("target", &target[..])),
                    markers: &markers,
                    ..Default::default()
                })
            })}
            <Show when=move || has_target.get()>
                {plot_canvas("error-plot", "", frame, move |c| {
                    let rmse = history.with(|h| h.network_series(|n| n.rmse));
                    let baseline = history.with(|h| h.network_series(|n| n.baseline_rmse));
                    draw_line(c, &LinePlot {
                        title: "Prediction error per window",
                        x_label: "window end (s)",
                        y_label: "RMS error (a.u.)",
                        points: &rmse,
                        series_label: "network",
                        second: (!baseline.is_empty()).then_some(("baseline: last sample", &baseline[..])),
                        ..Default::default()
                    })
                })}
            </Show>
            {plot_canvas("lipschitz-plot", "", frame, move |c| {
                let estimate = history.with(|h| h.network_series(|n| n.lipschitz.estimate.map(log10)));
                let bound = history.with(|h| h.network_series(|n| Some(log10(n.lipschitz.bound))));
                let markers = history.with(History::watchdog_times);
                draw_line(c, &LinePlot {
                    title: "Lipschitz constant: online estimate and layer bound",
                    x_label: "window end (s)",
                    y_label: "log10 (|dy| / |dx|)",
                    points: &estimate,
                    series_label: "estimate",
                    second: Some(("bound (product of layer norms)", &bound[..])),
                    markers: &markers,
                    ..Default::default()
                })
            })}
            {plot_canvas("state-norm-plot", "", frame, move |c| {
                let norm = history.with(|h| h.network_series(|n| Some(log10(n.state_norm))));
                let markers = history.with(History::watchdog_times);
                draw_line(c, &LinePlot {
                    title: "State norm at each window's end",
                    x_label: "window end (s)",
                    y_label: "log10 |y|",
                    points: &norm,
                    markers: &markers,
                    ..Default::default()
                })
            })}
            <Show when=move || has_accuracy.get()>
                {plot_canvas("accuracy-plot", "", frame, move |c| {
                    let accuracy = history.with(|h| h.network_series(|n| n.accuracy.map(|a| a * 100.0)));
                    draw_line(c, &LinePlot {
                        title: "Outputs with the target's sign per window",
                        x_label: "window end (s)",
                        y_label: "accuracy (%)",
                        points: &accuracy,
                        y_range: Some((0.0, 105.0)),
                        ..Default::default()
                    })
                })}
            </Show>
            <Show when=move || has_training.get()>
                {plot_canvas("training-plot", "", frame, move |c| {
                    let training = history.with(|h| h.network_series(|n| n.training.as_ref().and_then(|t| t.rmse)));
                    draw_line(c, &LinePlot {
                        title: "Training-set RMS error by prediction",
                        x_label: "window end (s)",
                        y_label: "RMS error (a.u.)",
                        points: &training,
                        ..Default::default()
                    })
                })}
            </Show>
        </div>
    }
}

/// One line on the newest network window.
fn net_readout(n: &NetWindow) -> String {
    let mut parts = vec![format!("{} evaluations", n.evaluations)];
    if let Some(e) = n.rmse {
        parts.push(format!("RMS error {e:.4}"));
    }
    if let Some(b) = n.baseline_rmse {
        parts.push(format!("baseline {b:.4}"));
    }
    if let Some(a) = n.accuracy {
        parts.push(format!("accuracy {:.1} %", a * 100.0));
    }
    if let Some(t) = &n.training {
        parts.push(format!("{} epochs ({})", t.total_epochs, t.algorithm));
    }
    let l = &n.lipschitz;
    parts.push(match l.estimate {
        Some(e) => format!(
            "Lipschitz ~{e:.3} (bound {:.3}, guard {})",
            l.bound, l.guard
        ),
        None => format!("Lipschitz bound {:.3} (guard {})", l.bound, l.guard),
    });
    parts.push(format!("watchdog: {} events in window", n.watchdog.count));
    if let Some(e) = n.watchdog.events.first() {
        parts.push(format!(
            "first: {} -> {} at {:.6} s",
            e.alarm, e.action, e.t_s
        ));
    }
    if n.watchdog.halted {
        parts.push("PAUSED by the watchdog (Reset to resume)".into());
    }
    parts.join(" · ")
}

/// log10, floored so that 0 stays drawable.
fn log10(x: f64) -> f64 {
    x.max(1e-300).log10()
}

/// The swarm's vote with its confidence band, the stream with escalations, the JSD and
/// confidence against their thresholds, running accuracy and compute.
fn swarm_plots(state: DashboardState, frame: RwSignal<u64>) -> impl IntoView {
    let history = state.history;
    // The escalation thresholds in force (live parameters), drawn as reference lines.
    let param = move |name: &str| {
        state
            .status
            .with_untracked(|s| s.as_ref().and_then(|s| s.params.get(name).copied()))
    };
    // Samples are at most a few dt apart within the windows received.
    let max_gap = move || SWARM_MAX_GAP_S.max(6.0 * param("dt").unwrap_or(0.0));
    view! {
        <p class="spike-readout" data-testid="swarm-readout">{move || history.with(|h| {
            h.latest_swarm().map(|s| swarm_readout(s, h.latest().and_then(|w| w.timing.as_ref())))
        })}</p>
        <div class="plot-grid">
            {plot_canvas("vote-plot", "wide", frame, move |c| {
                let (vote, band, truth) = history.with(|h| {
                    let low = h.swarm_samples(TRACE_SPAN_S, |p| p.low);
                    let high = h.swarm_samples(TRACE_SPAN_S, |p| p.high);
                    let band: Vec<(f64, f64, f64)> = low.iter().zip(&high).map(|(l, h)| (l.0, l.1, h.1)).collect();
                    (h.swarm_samples(TRACE_SPAN_S, |p| p.p1), band, h.swarm_samples(TRACE_SPAN_S, |p| f64::from(p.truth)))
                });
                let markers = history.with(History::escalation_times);
                draw_line(c, &LinePlot {
                    title: "Ensemble vote for regime 1 with its 95 % interval (red lines: escalated windows)",
                    x_range: Some(span_of(&vote)),
                    max_gap: Some(max_gap()),
                    x_label: "logical time (s)",
                    y_label: "p(regime 1)",
                    points: &vote,
                    series_label: "vote",
                    band: &band,
                    band_label: "95 % interval",
                    second: Some(("true regime", &truth[..])),
                    markers: &markers,
                    y_range: Some((-0.05, 1.05)),
                    ..Default::default()
                })
            })}
            {plot_canvas("stream-plot", "wide", frame, move |c| {
                let values = history.with(|h| h.swarm_samples(TRACE_SPAN_S, |p| p.value));
                let markers = history.with(History::escalation_times);
                draw_line(c, &LinePlot {
                    title: "Stream, channel 0 (red lines: escalated windows)",
                    x_range: Some(span_of(&values)),
                    max_gap: Some(max_gap()),
                    x_label: "logical time (s)",
                    y_label: "value (a.u.)",
                    points: &values,
                    markers: &markers,
                    ..Default::default()
                })
            })}
            {plot_canvas("jsd-plot", "", frame, move |c| {
                let jsd = history.with(|h| h.swarm_series(|s| s.decision.jsd));
                draw_line(c, &LinePlot {
                    title: "Continuity: JSD to the previous window (line: jsd_max)",
                    x_label: "window end (s)",
                    y_label: "JSD (bits)",
                    points: &jsd,
                    reference: param("jsd_max"),
                    ..Default::default()
                })
            })}
            {plot_canvas("confidence-plot", "", frame, move |c| {
                let confidence = history.with(|h| h.swarm_series(|s| Some(s.decision.confidence)));
                draw_line(c, &LinePlot {
                    title: "Confidence: winner's lower 95 % bound (line: confidence_min)",
                    x_label: "window end (s)",
                    y_label: "probability",
                    points: &confidence,
                    reference: param("confidence_min"),
                    y_range: Some((0.0, 1.0)),
                    ..Default::default()
                })
            })}
            {plot_canvas("swarm-accuracy-plot", "", frame, move |c| {
                let governed = history.with(|h| h.swarm_series(|s| Some(100.0 * s.totals.rate(s.totals.right_governed))));
                let always = history.with(|h| h.swarm_series(|s| Some(100.0 * s.totals.rate(s.totals.right_backstop))));
                draw_line(c, &LinePlot {
                    title: "Windows labelled right since the start",
                    x_label: "window end (s)",
                    y_label: "accuracy (%)",
                    points: &governed,
                    series_label: "swarm + backstop",
                    second: Some(("always escalate", &always[..])),
                    ..Default::default()
                })
            })}
            {plot_canvas("compute-plot", "", frame, move |c| {
                let saved = history.with(|h| h.swarm_series(|s| Some(100.0 * s.totals.compute_saved())));
                let rate = history.with(|h| h.swarm_series(|s| Some(100.0 * s.totals.rate(s.totals.escalations))));
                draw_line(c, &LinePlot {
                    title: "Compute saved against always escalating, and escalation rate",
                    x_label: "window end (s)",
                    y_label: "% (since the start)",
                    points: &saved,
                    series_label: "compute saved",
                    second: Some(("escalation rate", &rate[..])),
                    ..Default::default()
                })
            })}
        </div>
    }
}

/// The last [`TRACE_SPAN_S`] seconds up to the newest point.
fn span_of(points: &[(f64, f64)]) -> (f64, f64) {
    let end = points
        .last()
        .map_or(TRACE_SPAN_S, |p| p.0.max(TRACE_SPAN_S));
    (end - TRACE_SPAN_S, end)
}

/// One line on the newest swarm window; throughput and decision latency from its timing.
fn swarm_readout(s: &SwarmWindow, timing: Option<&TimingReport>) -> String {
    let t = &s.totals;
    let winner = usize::from(s.decision.distribution[1] > 0.5);
    let mut parts = vec![
        format!(
            "vote: regime {winner} (p {:.3}, confidence {:.3})",
            s.decision.distribution[winner], s.decision.confidence
        ),
        format!("truth: regime {}", s.truth),
        match s.decision.jsd {
            Some(d) => format!("JSD {d:.4} bits"),
            None => "JSD –".to_string(),
        },
        match &s.decision.escalated {
            Some(reason) => format!("ESCALATED ({reason}): backstop says {}", s.decision.backstop_label),
            None => "not escalated".to_string(),
        },
        format!(
            "{} windows: escalated {:.1} %, right {:.1} % (swarm alone {:.1} %, always escalate {:.1} %), compute saved {:.1} %",
            t.windows,
            100.0 * t.rate(t.escalations),
            100.0 * t.rate(t.right_governed),
            100.0 * t.rate(t.right_swarm),
            100.0 * t.rate(t.right_backstop),
            100.0 * t.compute_saved()
        ),
        format!("{} member evaluations in the window", s.evaluations),
    ];
    if let Some(timing) = timing {
        let kind = |name: &str| timing.kinds.iter().find(|k| k.kind == name);
        if let Some(sample) =
            kind("swarm-sample").filter(|k| k.duration.count > 0 && k.duration.p50 > 0)
        {
            let per_sample = s.evaluations as f64 / sample.duration.count as f64;
            parts.push(format!(
                "throughput {:.2} M evaluations per second of compute (median sample task)",
                per_sample / (sample.duration.p50 as f64 * 1e-9) / 1e6
            ));
        }
        if let Some(window) = kind("window") {
            parts.push(format!(
                "decision (window task) wall time p50 {:.2} ms, p99 {:.2} ms",
                window.duration.p50 as f64 / 1e6,
                window.duration.p99 as f64 / 1e6
            ));
        }
    }
    parts.join(" · ")
}
