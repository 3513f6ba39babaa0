//! The plot panel: the newest window's panels, each drawn by the one renderer of its kind
//! (knowing nothing of the preset behind it), and the scheduler's timing.

use crate::export::{download, download_text};
use crate::history::{History, Series};
use crate::plot::{
    Heatmap, Histogram, LinePlot, LogHistogram, PolarPlot, RasterPlot, RowMap, Surface, SvgDocument,
};
use crate::state::DashboardState;
use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use tempora_protocol::panel::{Panel, PanelSize, PerWindow, Plot, Readout, Trace};
use tempora_protocol::{Command, TimingReport};

/// The shortest time between two redraws of the plots, ms (at most 20 redraws a second).
const MIN_REDRAW_MS: f64 = 50.0;

/// A canvas redrawn by `draw` on each animation `frame` (see [`Plots`]). `draw` reads its data
/// untracked: arrivals of windows only mark the frame dirty, so however fast windows come, each
/// plot is drawn at most once per display frame and the main thread stays responsive. The same
/// `draw` writes the plot as SVG when it is saved so.
fn plot_canvas(
    test_id: String,
    class: &'static str,
    frame: RwSignal<u64>,
    draw: impl Fn(Surface) -> Result<(), String> + 'static,
    on_click: Option<Callback<f64>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let draw = StoredValue::new_local(draw);
    let name = StoredValue::new(test_id.clone());
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
                let drawn = draw.try_with_value(|draw| untrack(|| draw(Surface::Canvas(&canvas))));
                if let Some(Err(e)) = drawn {
                    log::error!("{}: {e}", name.get_value());
                }
            },
            std::time::Duration::ZERO,
        );
    });
    let save_png = move |_| {
        let test_id = name.get_value();
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
    let save_svg = move |_| {
        let test_id = name.get_value();
        let Some(canvas) = canvas.get_untracked() else {
            return;
        };
        // At the size the plot has on screen, in CSS pixels.
        let mut svg = SvgDocument::new((
            canvas.client_width().max(1) as u32,
            canvas.client_height().max(1) as u32,
        ));
        let saved = match draw.try_with_value(|draw| untrack(|| draw(Surface::Svg(&mut svg)))) {
            Some(Ok(())) if svg.text.is_empty() => Err("nothing is drawn yet".to_string()),
            Some(Ok(())) => download_text(
                &format!("tempora-{test_id}.svg"),
                "image/svg+xml",
                &svg.text,
            ),
            Some(Err(e)) => Err(e),
            None => Ok(()),
        };
        if let Err(e) = saved {
            log::error!("{test_id}: cannot save SVG: {e}");
        }
    };
    view! {
        <figure class=format!("plot {class}")>
            <span class="save">
                <button title="Save this plot as PNG (as on screen)" data-testid=format!("png-{test_id}")
                    on:click=save_png>"PNG"</button>
                <button title="Save this plot as SVG (vector axes and text)" data-testid=format!("svg-{test_id}")
                    on:click=save_svg>"SVG"</button>
            </span>
            <canvas data-testid=test_id node_ref=canvas class:pickable=on_click.is_some()
                title=on_click.map(|_| "Click a row to plot that neuron's membrane")
                on:click=move |ev: ev::MouseEvent| {
                    if let Some(click) = on_click {
                        click.run(f64::from(ev.offset_y()));
                    }
                }></canvas>
        </figure>
    }
}

/// The plots of the current run.
#[component]
pub fn Plots(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker (a click on a raster row picks a neuron to record).
    send: Callback<Command>,
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
                    {plot_canvas("lateness-histogram".to_string(), "", frame, move |surface| {
                        history.with(|h| match h.latest().and_then(|w| w.timing.as_ref()) {
                            Some(t) => surface.draw(&LogHistogram {
                                title: &format!(
                                    "Lateness in the last window: p50 {:.1} us, p99 {:.1} us",
                                    t.lateness.p50 as f64 / 1e3,
                                    t.lateness.p99 as f64 / 1e3,
                                ),
                                buckets: &t.lateness_buckets,
                            }),
                            None => Ok(()),
                        })
                    }, None)}
                    {plot_canvas("lateness-plot".to_string(), "", frame, move |surface| {
                        let p99 = history.with(|h| h.timing_series(|t| t.lateness.p99 as f64 / 1e3));
                        surface.draw(&LinePlot {
                            title: "Scheduler lateness per window, p99 (actual - ideal wall time)",
                            x_label: "window end (s)",
                            y_label: "lateness p99 (us)",
                            points: &p99,
                            x_range: None,
                            y_range: None,
                            reference: None,
                            ..Default::default()
                        })
                    }, None)}
                </Show>
                {plot_canvas("tasks-plot".to_string(), "", frame, move |surface| {
                    let rate = history.with(|h| h.timing_series(|t| t.tasks_per_s / 1e3));
                    surface.draw(&LinePlot {
                        title: "Scheduler throughput per window",
                        x_label: "window end (s)",
                        y_label: "tasks per wall second (thousands)",
                        points: &rate,
                        x_range: None,
                        y_range: None,
                        reference: None,
                        ..Default::default()
                    })
                }, None)}
            </div>
        }
    };

    // The newest window's panels, by id and size: the grid is rebuilt only when these change
    // (another preset), not on every window.
    let layout = Memo::new(move |_| {
        history.with(|h| {
            h.latest().map_or_else(Vec::new, |w| {
                w.data
                    .panels
                    .iter()
                    .map(|p| (p.id.clone(), p.size))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <p class="spike-readout" data-testid="readouts">{move || history.with(|h| h.latest().map(|w| {
            w.data.readouts.iter().map(Readout::display).collect::<Vec<_>>().join(" · ")
        }))}</p>
        // Before the first window of a run there is nothing of it to draw (and nothing of the
        // previous run is kept): say how to start it.
        <Show when=move || layout.with(Vec::is_empty)>
            <p class="empty-run" data-testid="no-windows">{move || {
                let preset = state.status.with(|s| s.as_ref().map(|s| s.preset.clone())).unwrap_or_default();
                format!("No window of {preset} yet: Start (Space) runs it, Step (S) runs one window; or open the Gallery.")
            }}</p>
        </Show>
        <div class="plot-grid" data-testid="plots">
            {move || layout.get().into_iter().map(|(id, size)| panel_canvas(history, frame, id, size, send)).collect_view()}
        </div>
        <Show when=move || !layout.with(Vec::is_empty)>
            <h2 class="section">"Scheduler timing"</h2>
            <p class="spike-readout" data-testid="task-kinds">{move || history.with(|h| h.latest().and_then(|w| w.timing.as_ref()).map(task_kinds))}</p>
            {timing_plots}
        </Show>
    }
}

/// The canvas of panel `id`, drawn from the history by the renderer of the panel's kind.
fn panel_canvas(
    history: RwSignal<History>,
    frame: RwSignal<u64>,
    id: String,
    size: PanelSize,
    send: Callback<Command>,
) -> impl IntoView {
    let class = match size {
        PanelSize::Normal => "",
        PanelSize::Wide => "wide",
        PanelSize::Square => "square",
    };
    let key = id.clone();
    // A raster remembers where its rows went, so a click picks the neuron under it.
    let rows = StoredValue::new_local(None::<RowMap>);
    let is_raster = history.with_untracked(|h| {
        h.latest().and_then(|w| w.data.panel(&id)).is_some_and(
            |p| matches!(&p.plot, Plot::Raster(r) if r.groups.iter().any(|g| g.pick.is_some())),
        )
    });
    let on_click = is_raster.then(|| {
        Callback::new(move |y_css: f64| {
            if let Some((population, neuron)) =
                rows.with_value(|m| m.as_ref().and_then(|m| m.pick(y_css)))
            {
                send.run(Command::Probe { population, neuron });
            }
        })
    });
    plot_canvas(
        id,
        class,
        frame,
        move |surface: Surface| {
            // Only the canvas's layout tells where a click on it lands.
            let on_canvas = matches!(surface, Surface::Canvas(_));
            let drawn = history.with(|h| draw_panel(surface, h, &key))?;
            if let (true, Some(map)) = (on_canvas, drawn) {
                rows.set_value(Some(map));
            }
            Ok(())
        },
        on_click,
    )
}

/// Draws panel `id` of the newest window (nothing if the newest window has no such panel); a
/// raster tells where its rows went.
fn draw_panel(surface: Surface, h: &History, id: &str) -> Result<Option<RowMap>, String> {
    let Some(panel) = h.latest().and_then(|w| w.data.panel(id)) else {
        return Ok(None);
    };
    let title = &panel.title;
    match &panel.plot {
        Plot::Trace(trace) => draw_trace(surface, h, panel, trace),
        Plot::PerWindow(values) => draw_per_window(surface, h, panel, values),
        Plot::Raster(raster) => return surface.draw(&RasterPlot { title, raster }).map(Some),
        Plot::Histogram(histogram) => surface.draw(&Histogram {
            title,
            x_label: &histogram.x.caption(),
            count_label: &histogram.count_label,
            counts: &histogram.counts,
            span: histogram.span(),
        }),
        Plot::HeatmapStrip(histogram) => surface.draw(&Heatmap {
            title,
            y_label: &histogram.x.caption(),
            columns: &h.heatmap_columns(id),
            span: histogram.span(),
        }),
        Plot::Polar(phase) => surface.draw(&PolarPlot { title, phase }),
    }
    .map(|()| None)
}

/// A trace: its lines joined across the windows held, the newest span or samples.
fn draw_trace(surface: Surface, h: &History, panel: &Panel, trace: &Trace) -> Result<(), String> {
    let span = trace.span_s.unwrap_or(f64::INFINITY);
    let lines: Vec<Series> = match trace.newest {
        Some(count) => h.newest_trace(&panel.id, trace.lines.len(), count),
        None => (0..trace.lines.len())
            .map(|line| h.trace(&panel.id, line, span))
            .collect(),
    };
    let band = match &trace.band {
        Some(_) => h.band(&panel.id, span),
        None => Vec::new(),
    };
    let markers = if trace.markers {
        h.event_times()
    } else {
        Vec::new()
    };
    let first = lines.first().map_or(&[][..], |l| &l[..]);
    let x_range = trace.span_s.map(|span| {
        let end = first.last().map_or(span, |p| p.0.max(span));
        (end - span, end)
    });
    let others = after_first(trace.lines.iter().map(|l| l.label.as_str()), &lines);
    surface.draw(&LinePlot {
        title: &panel.title,
        x_label: "logical time (s)",
        y_label: &trace.y.caption(),
        points: first,
        series_label: trace.lines.first().map_or("", |l| l.label.as_str()),
        others: &others,
        band: &band,
        band_label: trace.band.as_ref().map_or("", |b| b.label.as_str()),
        markers: &markers,
        max_gap: trace.max_gap_s,
        x_range,
        y_range: trace.y.range.map(|[low, high]| (low, high)),
        reference: trace.reference.as_ref().map(|r| r.value),
    })
}

/// Values per window: one point per window held for each line, against the window's end.
fn draw_per_window(
    surface: Surface,
    h: &History,
    panel: &Panel,
    values: &PerWindow,
) -> Result<(), String> {
    let scale = |v: f64| if values.y.log10 { log10(v) } else { v };
    let lines: Vec<Series> = (0..values.lines.len())
        .map(|line| {
            h.per_window(&panel.id, line)
                .into_iter()
                .map(|(t, v)| (t, scale(v)))
                .collect()
        })
        .collect();
    let markers = if values.markers {
        h.event_times()
    } else {
        Vec::new()
    };
    let others = after_first(values.lines.iter().map(|l| l.label.as_str()), &lines);
    surface.draw(&LinePlot {
        title: &panel.title,
        x_label: "window end (s)",
        y_label: &values.y.caption(),
        points: lines.first().map_or(&[][..], |l| &l[..]),
        series_label: values.lines.first().map_or("", |l| l.label.as_str()),
        others: &others,
        markers: &markers,
        y_range: values.y.range.map(|[low, high]| (low, high)),
        reference: values.reference.as_ref().map(|r| scale(r.value)),
        ..Default::default()
    })
}

/// A wall time in ns as people read it: `850 ns`, `12.5 us`, `3.20 ms`.
fn wall_time(ns: u64) -> String {
    match ns {
        // The browser's clock ticks in 5 us (100 us if not isolated): shorter runs read 0.
        0 => "0 (below the clock's resolution)".to_string(),
        1..1_000 => format!("{ns} ns"),
        1_000..1_000_000 => format!("{:.1} us", ns as f64 / 1e3),
        _ => format!("{:.2} ms", ns as f64 / 1e6),
    }
}

/// The lines after the first, with their legend labels: the plot's further series.
fn after_first<'a>(
    labels: impl Iterator<Item = &'a str>,
    lines: &'a [Series],
) -> Vec<(&'a str, &'a [(f64, f64)])> {
    labels
        .zip(lines)
        .skip(1)
        .map(|(label, points)| (label, &points[..]))
        .collect()
}

/// log10, floored so that 0 stays drawable.
fn log10(x: f64) -> f64 {
    x.max(1e-300).log10()
}

/// One line on the task kinds of the newest window: how often each ran and how long it took.
fn task_kinds(timing: &TimingReport) -> String {
    timing
        .kinds
        .iter()
        .filter(|k| k.duration.count > 0)
        .map(|k| {
            format!(
                "{}: {} runs, p50 {}, p99 {}",
                k.kind,
                k.duration.count,
                wall_time(k.duration.p50),
                wall_time(k.duration.p99)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
