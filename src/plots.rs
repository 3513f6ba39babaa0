//! The plot panel: what the newest window holds decides which plots are shown.

use crate::export::download;
use crate::plot::{
    draw_histogram, draw_line, draw_log_histogram, draw_polar, draw_raster, LinePlot,
};
use crate::state::DashboardState;
use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

/// Logical seconds of traces shown.
const TRACE_SPAN_S: f64 = 2.0;

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
    Effect::new(move |_| {
        frame.track();
        if let Some(canvas) = canvas.get() {
            if let Err(e) = untrack(|| draw(&canvas)) {
                log::error!("{test_id}: {e}");
            }
        }
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
    // One redraw per display frame at most: new windows or a resize request a frame.
    let frame = RwSignal::new(0u64);
    let frame_requested = StoredValue::new(false);
    let request_frame = move || {
        if !frame_requested.get_value() {
            frame_requested.set_value(true);
            request_animation_frame(move || {
                frame_requested.set_value(false);
                frame.update(|n| *n += 1);
            });
        }
    };
    Effect::new(move |_| {
        history.track();
        request_frame();
    });
    let _resize = window_event_listener(ev::resize, move |_| request_frame());
    let spiking = Memo::new(move |_| history.with(|h| h.latest_spiking().is_some()));
    let has_weights = Memo::new(move |_| {
        history.with(|h| h.latest_spiking().is_some_and(|s| s.weights.is_some()))
    });
    let has_phase =
        Memo::new(move |_| history.with(|h| h.latest_spiking().is_some_and(|s| s.phase.is_some())));

    let paced = Memo::new(move |_| {
        state.status.with(|s| {
            s.as_ref().is_some_and(|s| {
                matches!(s.pacing, tempora_engine::runner::Pacing::RealTime { .. })
            })
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
                                    "Lateness in the last window: p50 {:.1} us, p99 {:.1} us, slice load {:.0} %",
                                    t.lateness.p50 as f64 / 1e3,
                                    t.lateness.p99 as f64 / 1e3,
                                    t.slice_load * 100.0
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
                    })
                })}
            </div>
        }
    };

    view! {
        <Show
            when=move || spiking.get()
            fallback=move || plot_canvas("trace-plot", "wide", frame, move |c| {
                let trace = history.with(|h| h.trace(TRACE_SPAN_S));
                let end = trace.last().map_or(TRACE_SPAN_S, |p| p.0.max(TRACE_SPAN_S));
                draw_line(c, &LinePlot {
                    title: "Seeded random walk (tick preset)",
                    x_label: "logical time (s)",
                    y_label: "value (a.u.)",
                    points: &trace,
                    x_range: Some((end - TRACE_SPAN_S, end)),
                    y_range: None,
                    reference: None,
                })
            })
        >
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
                        })
                    })}
                </Show>
            </div>
        </Show>
        <h2 class="section">"Scheduler timing"</h2>
        {timing_plots}
    }
}
