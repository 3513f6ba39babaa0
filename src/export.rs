//! Export of the recorded windows (JSON, CSV) and of plots (PNG), and import of a saved
//! parameter set. The data are built here as plain text; [`download`] hands them to the browser.

use serde::Serialize;
use tempora_protocol::{WindowData, WindowSummary};
use wasm_bindgen::{JsCast, JsValue};

pub use tempora_protocol::settings::{
    check_import_size, parse_settings, RunSettings, MAX_IMPORT_BYTES,
};

/// The JSON export: the run's settings and every window held.
#[derive(Serialize)]
struct JsonExport<'a> {
    #[serde(flatten)]
    settings: RunSettings,
    windows: Vec<&'a WindowSummary>,
}

/// The run's settings and windows as pretty JSON.
pub fn windows_json<'a>(
    settings: RunSettings,
    windows: impl Iterator<Item = &'a WindowSummary>,
) -> Result<String, String> {
    serde_json::to_string_pretty(&JsonExport {
        settings,
        windows: windows.collect(),
    })
    .map_err(|e| format!("cannot write JSON: {e}"))
}

/// One CSV row per window, the same columns for every preset (empty where they do not apply).
#[derive(Serialize)]
struct CsvRow {
    index: u64,
    start_s: f64,
    end_s: f64,
    kind: &'static str,
    output_rate_hz: Option<f64>,
    input_spikes: Option<u64>,
    output_spikes: Option<usize>,
    weight_mean: Option<f64>,
    weights_near_0: Option<f64>,
    weights_near_max: Option<f64>,
    phase_mean_deg: Option<f64>,
    vector_strength: Option<f64>,
    trace_samples: Option<usize>,
    trace_blended_mean: Option<f64>,
    net_evaluations: Option<u64>,
    net_rmse: Option<f64>,
    net_baseline_rmse: Option<f64>,
    net_accuracy: Option<f64>,
    training_epochs: Option<u64>,
    training_rmse: Option<f64>,
    lipschitz_estimate: Option<f64>,
    lipschitz_bound: Option<f64>,
    state_norm: Option<f64>,
    watchdog_events: Option<u64>,
    swarm_p1: Option<f64>,
    swarm_confidence: Option<f64>,
    swarm_jsd_bits: Option<f64>,
    swarm_escalated: Option<bool>,
    swarm_label: Option<u8>,
    backstop_label: Option<u8>,
    truth: Option<u8>,
    swarm_evaluations: Option<u64>,
    lateness_p50_us: Option<f64>,
    lateness_p99_us: Option<f64>,
    tasks_per_s: Option<f64>,
}

fn csv_row(w: &WindowSummary) -> CsvRow {
    let timing = w.timing.as_ref();
    let mut row = CsvRow {
        index: w.index,
        start_s: w.start_ns as f64 * 1e-9,
        end_s: w.end_ns as f64 * 1e-9,
        kind: "",
        output_rate_hz: None,
        input_spikes: None,
        output_spikes: None,
        weight_mean: None,
        weights_near_0: None,
        weights_near_max: None,
        phase_mean_deg: None,
        vector_strength: None,
        trace_samples: None,
        trace_blended_mean: None,
        net_evaluations: None,
        net_rmse: None,
        net_baseline_rmse: None,
        net_accuracy: None,
        training_epochs: None,
        training_rmse: None,
        lipschitz_estimate: None,
        lipschitz_bound: None,
        state_norm: None,
        watchdog_events: None,
        swarm_p1: None,
        swarm_confidence: None,
        swarm_jsd_bits: None,
        swarm_escalated: None,
        swarm_label: None,
        backstop_label: None,
        truth: None,
        swarm_evaluations: None,
        lateness_p50_us: timing.map(|t| t.lateness.p50 as f64 / 1e3),
        lateness_p99_us: timing.map(|t| t.lateness.p99 as f64 / 1e3),
        tasks_per_s: timing.map(|t| t.tasks_per_s),
    };
    match &w.data {
        WindowData::Trace {
            points,
            blended_mean,
        } => {
            row.kind = "trace";
            row.trace_samples = Some(points.len());
            row.trace_blended_mean = Some(*blended_mean);
        }
        WindowData::Spiking(s) => {
            row.kind = "spiking";
            row.output_rate_hz = Some(s.output_rate_hz);
            row.input_spikes = Some(s.input_spikes);
            row.output_spikes = Some(s.output_spikes.len());
            if let Some(wh) = &s.weights {
                row.weight_mean = Some(wh.mean);
                row.weights_near_0 = Some(wh.near_bounds.0);
                row.weights_near_max = Some(wh.near_bounds.1);
            }
            if let Some(p) = &s.phase {
                row.phase_mean_deg = p.circular_mean_deg;
                row.vector_strength = Some(p.vector_strength);
            }
        }
        WindowData::Network(n) => {
            row.kind = "network";
            row.net_evaluations = Some(n.evaluations);
            row.net_rmse = n.rmse;
            row.net_baseline_rmse = n.baseline_rmse;
            row.net_accuracy = n.accuracy;
            row.training_epochs = n.training.as_ref().map(|t| t.epochs);
            row.training_rmse = n.training.as_ref().and_then(|t| t.rmse);
            row.lipschitz_estimate = n.lipschitz.estimate;
            row.lipschitz_bound = Some(n.lipschitz.bound);
            row.state_norm = Some(n.state_norm);
            row.watchdog_events = Some(n.watchdog.count);
        }
        WindowData::Swarm(s) => {
            row.kind = "swarm";
            row.swarm_p1 = Some(s.decision.distribution[1]);
            row.swarm_confidence = Some(s.decision.confidence);
            row.swarm_jsd_bits = s.decision.jsd;
            row.swarm_escalated = Some(s.decision.escalated.is_some());
            row.swarm_label = Some(s.decision.label);
            row.backstop_label = Some(s.decision.backstop_label);
            row.truth = Some(s.truth);
            row.swarm_evaluations = Some(s.evaluations);
        }
    }
    row
}

/// The run's settings alone as pretty JSON: the file Import reads.
pub fn settings_json(settings: &RunSettings) -> Result<String, String> {
    serde_json::to_string_pretty(settings).map_err(|e| format!("cannot write JSON: {e}"))
}

/// Every window as a CSV row (with a header).
pub fn windows_csv<'a>(windows: impl Iterator<Item = &'a WindowSummary>) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for w in windows {
        writer
            .serialize(csv_row(w))
            .map_err(|e| format!("cannot write CSV: {e}"))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| format!("cannot write CSV: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot write CSV: {e}"))
}

/// Offers `text` to the user as a file named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("cannot make the file: {e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| format!("cannot make the file: {e:?}"))?;
    let result = download(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// Starts a download of `url` (a blob or data URL) as `name`.
pub fn download(name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}
