//! Browser tests in a page (headless Chromium): the dashboard mounts and shows what a person
//! needs, reports a worker that cannot start, and keeps, exports and shares what it received.
//! (The engine's golden hashes in a page are checked by `worker/tests/golden_page.rs`: the UI
//! does not link the engine.)
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use tempora_protocol::panel::{Axis, EventMarker, Panel, PerWindow, Plot, Readout, Trace};
use tempora_protocol::{WindowContent, WindowSummary};
use tempora_ui::app::App;
use tempora_ui::history::{History, MAX_WINDOWS};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn by_test_id(id: &str) -> Option<HtmlElement> {
    document()
        .query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// Under the test runner there is no `worker_loader.js`: the dashboard must say the worker
/// stopped and offer a restart, with the run controls disabled (never a silent failure).
#[wasm_bindgen_test]
async fn dashboard_mounts_and_reports_a_worker_that_cannot_start() {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);

    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Tempora")
    );
    for id in ["start", "pause", "step", "reset"] {
        let button = by_test_id(id).unwrap_or_else(|| panic!("no {id} button"));
        assert!(
            button
                .unchecked_ref::<web_sys::HtmlButtonElement>()
                .disabled(),
            "{id} must wait for the worker"
        );
    }
    // Before the first window nothing is drawn: no plot of some other preset.
    let plots = by_test_id("plots").expect("a plot grid");
    assert_eq!(plots.child_element_count(), 0);

    let mut status = String::new();
    for _ in 0..100 {
        TimeoutFuture::new(50).await;
        status = by_test_id("worker-status").unwrap().text_content().unwrap();
        if status.starts_with("worker stopped") {
            break;
        }
    }
    assert!(status.starts_with("worker stopped"), "status: {status}");
    assert!(
        by_test_id("restart").is_some(),
        "a dead worker offers a restart"
    );
}

fn window(index: u64, first_t: f64) -> WindowSummary {
    WindowSummary {
        index,
        start_ns: 0,
        end_ns: 0,
        data: WindowContent {
            panels: vec![Panel::new(
                "trace-plot",
                "Walk",
                Plot::Trace(Trace::single(
                    Axis::new("value", "a.u."),
                    (0..4)
                        .map(|i| [first_t + i as f64 * 0.25, i as f64])
                        .collect(),
                )),
            )],
            readouts: vec![],
            events: vec![EventMarker {
                t_s: first_t + 0.5,
                label: "alarm".into(),
            }],
        },
        timing: None,
    }
}

#[wasm_bindgen_test]
fn history_is_bounded_and_counts_what_it_drops() {
    let mut h = History::default();
    for i in 0..(MAX_WINDOWS as u64 + 25) {
        h.push(window(i, i as f64));
    }
    assert_eq!(h.len(), MAX_WINDOWS);
    assert_eq!(h.dropped(), 25);
    assert_eq!(h.windows().next().unwrap().index, 25);
    h.clear();
    assert!(h.is_empty());
    assert_eq!(h.dropped(), 0);
}

/// A window with a raster of `spikes` exact spike times in one group.
fn raster_window(index: u64, spikes: usize) -> WindowSummary {
    use tempora_protocol::panel::{Raster, RasterGroup, RasterSpikes};
    let mut w = window(index, index as f64);
    w.data.panels.push(Panel::new(
        "network-raster",
        "Spikes",
        Plot::Raster(Raster {
            start_s: 0.0,
            end_s: 1.0,
            groups: vec![RasterGroup {
                name: "E".into(),
                rows: 100,
                pick: None,
                spikes: RasterSpikes::Times {
                    spikes: (0..spikes)
                        .map(|i| (i as f64 * 1e-5, (i % 100) as u32))
                        .collect(),
                },
            }],
        }),
    ));
    w
}

#[wasm_bindgen_test]
fn history_keeps_large_rasters_of_the_newest_windows_only() {
    use tempora_ui::history::{LARGE_RASTER, LARGE_RASTERS_KEPT};
    let marks = |w: &WindowSummary| match &w.data.raster("network-raster").unwrap().groups[0].spikes
    {
        tempora_protocol::panel::RasterSpikes::Times { spikes } => spikes.len(),
        other => panic!("{other:?}"),
    };
    let mut large = History::default();
    let mut small = History::default();
    for i in 0..(LARGE_RASTERS_KEPT as u64 + 5) {
        large.push(raster_window(i, LARGE_RASTER));
        small.push(raster_window(i, 100));
    }
    let kept: Vec<usize> = large.windows().map(marks).collect();
    assert_eq!(kept[..5], [0; 5], "the oldest lose their marks");
    assert!(
        kept[5..].iter().all(|&n| n == LARGE_RASTER),
        "the newest {LARGE_RASTERS_KEPT} keep them"
    );
    assert!(
        small.windows().all(|w| marks(w) == 100),
        "small rasters are all kept"
    );
    // Everything else of an old window stays.
    assert_eq!(large.windows().next().unwrap().data.panels.len(), 2);
}

#[wasm_bindgen_test]
fn trace_shows_overlapping_samples_once() {
    let mut h = History::default();
    h.push(window(0, 0.0)); // t = 0 .. 0.75 s
    h.push(window(1, 0.5)); // t = 0.5 .. 1.25 s, overlapping two samples
    let t: Vec<f64> = h.trace("trace-plot", 0, 10.0).iter().map(|p| p.0).collect();
    assert_eq!(t, vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.25]);
    let last: Vec<f64> = h.trace("trace-plot", 0, 0.6).iter().map(|p| p.0).collect();
    assert_eq!(last, vec![0.75, 1.0, 1.25]);
    let newest = h.newest_trace("trace-plot", 1, 3);
    assert_eq!(newest[0], vec![(0.75, 1.0), (1.0, 2.0), (1.25, 3.0)]);
    assert!(h.trace("no-such-panel", 0, 10.0).is_empty());
    assert!(h.trace("trace-plot", 1, 10.0).is_empty(), "no second line");
    // Events at 0.5 s and 1.0 s, each once.
    assert_eq!(h.event_times(), vec![0.5, 1.0]);
}

fn spiking_window(index: u64) -> WindowSummary {
    let mut readouts = vec![
        Readout::number("output_rate_hz", "output rate", Some(1.0), "Hz", 1),
        Readout::count("input_spikes", "input spikes", 15_000),
        Readout::number("weights_near_0_pct", "weights near 0", Some(25.0), "%", 1),
        Readout::number("phase_mean_deg", "phase", Some(90.0), "deg", 1),
    ];
    if index == 3 {
        readouts.push(Readout::text("note", "note", "escalated, \"quoted\""));
    }
    WindowSummary {
        index,
        start_ns: index * 1_000_000_000,
        end_ns: (index + 1) * 1_000_000_000,
        data: WindowContent {
            panels: vec![Panel::new(
                "rate-plot",
                "Rate",
                Plot::PerWindow(PerWindow::single(
                    Axis::new("rate", "Hz"),
                    Some(index as f64),
                )),
            )],
            readouts,
            events: vec![],
        },
        timing: None,
    }
}

#[wasm_bindgen_test]
fn per_window_values_are_drawn_against_the_window_end() {
    let mut h = History::default();
    for i in 0..3 {
        h.push(spiking_window(i));
    }
    assert_eq!(
        h.per_window("rate-plot", 0),
        vec![(1.0, 0.0), (2.0, 1.0), (3.0, 2.0)]
    );
    assert!(h.per_window("rate-plot", 1).is_empty());
}

#[wasm_bindgen_test]
fn csv_export_has_one_row_per_window_with_values() {
    use tempora_ui::export::windows_csv;
    let windows: Vec<WindowSummary> = (0..5).map(spiking_window).collect();
    let text = windows_csv(windows.iter()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[3][column("index")], "3");
    assert_eq!(&rows[3][column("end_s")], "4");
    assert_eq!(
        headers.iter().take(4).collect::<Vec<_>>(),
        ["index", "start_s", "end_s", "output_rate_hz"]
    );
    assert_eq!(&rows[3][column("input_spikes")], "15000");
    assert_eq!(&rows[3][column("weights_near_0_pct")], "25");
    assert_eq!(&rows[3][column("phase_mean_deg")], "90");
    // A readout only one window has: its column, empty elsewhere; text survives quoting.
    assert_eq!(&rows[3][column("note")], "escalated, \"quoted\"");
    assert_eq!(&rows[2][column("note")], "");
    assert_eq!(&rows[3][column("lateness_p50_us")], "", "unpaced");
}

#[wasm_bindgen_test]
fn json_export_reads_back_as_the_same_settings() {
    use tempora_ui::export::{parse_settings, windows_json, RunSettings};
    let settings = RunSettings {
        preset: "phase-lock".into(),
        seed: 9_007_199_254_740_991,
        params: [("taum".to_string(), 0.012), ("I1".to_string(), 1.5e-2)]
            .into_iter()
            .collect(),
        model: None,
        probes: Vec::new(),
    };
    let windows: Vec<WindowSummary> = (0..2).map(spiking_window).collect();
    let text = windows_json(settings.clone(), windows.iter()).unwrap();
    assert_eq!(parse_settings(&text), Ok(settings));
}

/// The engine's fragment codec and the browser's URLSearchParams agree both ways (the link
/// a person copies is the browser's).
#[wasm_bindgen_test]
fn the_url_codec_agrees_with_the_browser() {
    use tempora_ui::export::RunSettings;
    use tempora_ui::url_state::{from_fragment, to_fragment};
    use web_sys::UrlSearchParams;
    let settings = RunSettings {
        preset: "phase lock&co".into(),
        seed: 42,
        params: [("taum".to_string(), 0.012), ("El".to_string(), -0.0705)]
            .into_iter()
            .collect(),
        model: None,
        probes: vec![tempora_protocol::PickedNeuron {
            population: "E:1 &x".into(),
            neuron: 7,
        }],
    };
    let ours = to_fragment(&settings);
    let theirs = UrlSearchParams::new_with_str(&ours).unwrap();
    assert_eq!(theirs.get("preset").as_deref(), Some("phase lock&co"));
    assert_eq!(theirs.get("seed").as_deref(), Some("42"));
    assert_eq!(theirs.get("p.El").as_deref(), Some("-0.0705"));
    assert_eq!(theirs.get("probe").as_deref(), Some("E:1 &x:7"));
    let browser = UrlSearchParams::new().unwrap();
    browser.append("preset", "phase lock&co");
    browser.append("seed", "42");
    browser.append("p.taum", "0.012");
    browser.append("p.El", "-0.0705");
    browser.append("probe", "E:1 &x:7");
    assert_eq!(
        from_fragment(&String::from(browser.to_string())),
        Ok(Some(settings))
    );
}

#[wasm_bindgen_test]
fn heartbeat_declares_a_silent_worker_dead_only_after_time_and_ticks() {
    use tempora_ui::heartbeat::{Beat, Heartbeat, DEAD_AFTER_MS, DEAD_AFTER_TICKS};
    let mut h = Heartbeat::default();
    // Answered pings: a new one each tick, ids in order.
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    h.pong(0);
    assert_eq!(h.tick(1_000.0), Beat::Ping(1));
    // An answer to an older ping does not count for the outstanding one.
    h.pong(0);
    assert_eq!(h.tick(2_000.0), Beat::Wait);
    // A page frozen for a minute: one late tick is not enough to blame the worker...
    assert_eq!(h.tick(62_000.0), Beat::Wait);
    // ...and the pong that waited in the queue is taken.
    h.pong(1);
    assert_eq!(h.tick(63_000.0), Beat::Ping(2));
    // A silent worker: dead once both the time and the ticks have passed.
    let mut t = 63_000.0;
    for _ in 1..DEAD_AFTER_TICKS {
        t += DEAD_AFTER_MS;
        assert_eq!(h.tick(t), Beat::Wait);
    }
    match h.tick(t + 1.0) {
        Beat::Dead(message) => assert!(message.contains("stopped answering"), "{message}"),
        other => panic!("{other:?}"),
    }
    // A new worker starts afresh.
    h.reset();
    assert_eq!(h.tick(t + 2.0), Beat::Ping(3));
}

#[wasm_bindgen_test]
fn heartbeat_gives_a_building_worker_time_until_it_says_anything_else() {
    use tempora_ui::heartbeat::{Beat, Heartbeat, BUILD_LIMIT_MS, DEAD_AFTER_MS};
    let mut h = Heartbeat::default();
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    // The worker says it is building, then trains in silence for longer than the usual limit.
    h.heard(true);
    let mut t = 0.0;
    while t < BUILD_LIMIT_MS - 2_000.0 {
        t += 1_000.0;
        assert_eq!(h.tick(t), Beat::Wait, "at {t} ms");
    }
    // It finishes (a status) and answers: the usual limit again.
    h.heard(false);
    h.pong(0);
    assert_eq!(h.tick(t + 1_000.0), Beat::Ping(1));
    let start = t + 1_000.0;
    for i in 1..=5 {
        let _ = h.tick(start + i as f64 * 1_000.0);
    }
    match h.tick(start + DEAD_AFTER_MS + 1_000.0) {
        Beat::Dead(message) => assert!(!message.contains("building"), "{message}"),
        other => panic!("{other:?}"),
    }
    // A worker that never comes back from a build is declared dead after the build limit.
    let mut h = Heartbeat::default();
    assert_eq!(h.tick(0.0), Beat::Ping(0));
    h.heard(true);
    let mut last = Beat::Wait;
    let mut t = 0.0;
    while t <= BUILD_LIMIT_MS {
        t += 1_000.0;
        last = h.tick(t);
    }
    match last {
        Beat::Dead(message) => assert!(message.contains("while building the run"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// The `(name, value)` attributes of each `<tag ...>` element in `svg`, in document order.
fn svg_elements<'a>(svg: &'a str, tag: &str) -> Vec<Vec<(&'a str, &'a str)>> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|element| {
            let head = &element[..element.find('>').expect("a closed tag")];
            head.split('"')
                .collect::<Vec<_>>()
                .chunks_exact(2)
                .map(|pair| (pair[0].trim().trim_end_matches('='), pair[1]))
                .collect()
        })
        .collect()
}

fn attribute<'a>(element: &[(&str, &'a str)], name: &str) -> &'a str {
    element
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no {name} in {element:?}"))
}

fn hex(colour: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// An image's painted pixels become blocks: a run along a row continued on the rows below it is
/// one block, a run of another colour or width starts another, transparent pixels are left out.
#[wasm_bindgen_test]
fn an_images_pixels_become_one_block_per_run_of_equal_pixels() {
    use tempora_ui::plot::{Block, Image};
    let (red, blue) = ([200, 0, 0, 255], [0, 0, 200, 255]);
    let mut image = Image::new((6, 4), (10, 20));
    image.fill(1..3, 0..3, red);
    image.fill(3..4, 1..2, blue);
    image.fill(0..6, 3..4, blue);
    assert_eq!(
        image.blocks(),
        vec![
            Block {
                x: 1..3,
                y: 0..3,
                rgba: red
            },
            Block {
                x: 3..4,
                y: 1..2,
                rgba: blue
            },
            Block {
                x: 0..6,
                y: 3..4,
                rgba: blue
            },
        ]
    );
    // A fill is cut at the edges and is at least one pixel wide.
    let mut image = Image::new((4, 2), (0, 0));
    image.fill(3..9, 1..1, red);
    assert_eq!(
        image.blocks(),
        vec![Block {
            x: 3..4,
            y: 1..2,
            rgba: red
        }]
    );
    assert!(Image::new((3, 3), (0, 0)).blocks().is_empty());
    // Surface pixels map into the image, clamped.
    let image = Image::new((6, 4), (10, 20));
    assert_eq!(image.local((12, 21)), (2, 1));
    assert_eq!(image.local((0, 99)), (0, 4));
}

/// A raster saved as SVG: a document of the plot's size with its title and axis labels as text,
/// and each spike a rectangle in its population's colour at its time and row.
#[wasm_bindgen_test]
fn a_raster_as_svg_has_its_text_and_a_rectangle_per_spike_in_place() {
    use tempora_protocol::panel::{Raster, RasterGroup, RasterSpikes};
    use tempora_ui::plot::{Palette, RasterPlot, Surface, SvgDocument};
    let group = |name: &str, rows, spikes: Vec<(f64, u32)>| RasterGroup {
        name: name.into(),
        rows,
        pick: None,
        spikes: RasterSpikes::Times { spikes },
    };
    let e = vec![(0.1, 0), (0.5, 2), (0.9, 1)];
    let i = vec![(0.3, 0), (0.7, 1)];
    let raster = Raster {
        start_s: 0.0,
        end_s: 1.0,
        groups: vec![group("E", 3, e.clone()), group("I", 2, i.clone())],
    };
    let mut svg = SvgDocument::new((600, 300));
    Surface::Svg(&mut svg)
        .draw(&RasterPlot {
            title: "Spikes of the window",
            raster: &raster,
        })
        .unwrap();
    let text = &svg.text;
    assert!(text.starts_with("<svg "), "{}", &text[..80]);
    assert!(text.trim_end().ends_with("</svg>"));
    let root = &svg_elements(text, "svg")[0];
    assert_eq!(
        (attribute(root, "width"), attribute(root, "height")),
        ("600", "300")
    );
    let texts: Vec<&str> = text
        .split("<text ")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
        .collect();
    for words in [
        "Spikes of the window",
        "logical time (s)",
        "neuron (row)",
        "E",
        "I",
    ] {
        assert!(texts.contains(&words), "no {words} in {texts:?}");
    }
    let palette = Palette::current();
    let rects = svg_elements(text, "rect");
    let of = |colour| -> Vec<(f64, f64)> {
        rects
            .iter()
            .filter(|r| attribute(r, "fill") == hex(colour))
            .map(|r| {
                (
                    attribute(r, "x").parse().unwrap(),
                    attribute(r, "y").parse().unwrap(),
                )
            })
            .collect()
    };
    // A rectangle per spike and one in the legend (the legend's is last, at the top right).
    let (e_marks, i_marks) = (of(palette.data), of(palette.accent));
    assert_eq!((e_marks.len(), i_marks.len()), (e.len() + 1, i.len() + 1));
    let e_marks = &e_marks[..e.len()];
    // Blocks come top row first: E's row 2 (t = 0.5 s), row 1 (0.9 s), row 0 (0.1 s).
    let x: Vec<f64> = e_marks.iter().map(|m| m.0).collect();
    assert!(x[2] < x[0] && x[0] < x[1], "times along x: {x:?}");
    let y: Vec<f64> = e_marks.iter().map(|m| m.1).collect();
    assert!(y[0] < y[1] && y[1] < y[2], "rows up the y axis: {y:?}");
    // I's rows are above E's (groups stack bottom to top).
    assert!(i_marks[..i.len()].iter().all(|m| m.1 < y[0]), "{i_marks:?}");
}

/// A line plot saved as SVG: its series is one polyline through every point, rising values
/// drawn higher.
#[wasm_bindgen_test]
fn a_line_plot_as_svg_is_a_polyline_through_its_points() {
    use tempora_ui::plot::{LinePlot, Surface, SvgDocument};
    let points: Vec<(f64, f64)> = (0..40).map(|k| (k as f64 * 0.1, k as f64)).collect();
    let plot = LinePlot {
        title: "Rate",
        x_label: "window end (s)",
        y_label: "rate (Hz)",
        points: &points,
        ..Default::default()
    };
    let mut svg = SvgDocument::new((500, 280));
    Surface::Svg(&mut svg).draw(&plot).unwrap();
    assert!(svg.text.contains("rate (Hz)") && svg.text.contains("window end (s)"));
    let series: Vec<Vec<(f64, f64)>> = svg_elements(&svg.text, "polyline")
        .iter()
        .map(|line| {
            attribute(line, "points")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .filter(|line: &Vec<(f64, f64)>| line.len() == points.len())
        .collect();
    assert_eq!(series.len(), 1, "one polyline of 40 points");
    let line = &series[0];
    assert!(
        line.windows(2).all(|w| w[1].0 > w[0].0 && w[1].1 < w[0].1),
        "{line:?}"
    );
    // Drawing again gives the same document (nothing of the previous one is kept).
    let first = svg.text.clone();
    Surface::Svg(&mut svg).draw(&plot).unwrap();
    assert_eq!(svg.text, first);
}
