//! Export of the recorded windows (JSON, CSV) and of plots (PNG), and import of a saved
//! parameter set. The data are built here as plain text; [`download`] hands them to the browser.

use serde::Serialize;
use tempora_protocol::WindowSummary;
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

/// The run's settings alone as pretty JSON: the file Import reads.
pub fn settings_json(settings: &RunSettings) -> Result<String, String> {
    serde_json::to_string_pretty(settings).map_err(|e| format!("cannot write JSON: {e}"))
}

/// Every window as a CSV row (with a header): `index`, `start_s`, `end_s`, then one column per
/// readout key (in the order first seen; empty where a window lacks it), then the scheduler's
/// `lateness_p50_us`, `lateness_p99_us` and `tasks_per_s` (empty where the run was not paced).
/// Numbers keep every digit; texts (such as why a window was escalated) are quoted as needed.
pub fn windows_csv<'a>(
    windows: impl Iterator<Item = &'a WindowSummary> + Clone,
) -> Result<String, String> {
    let mut keys: Vec<&str> = Vec::new();
    for w in windows.clone() {
        for r in &w.data.readouts {
            if !keys.contains(&r.key.as_str()) {
                keys.push(&r.key);
            }
        }
    }
    let error = |e: csv::Error| format!("cannot write CSV: {e}");
    let mut writer = csv::Writer::from_writer(Vec::new());
    let timing_columns = ["lateness_p50_us", "lateness_p99_us", "tasks_per_s"];
    writer
        .write_record(
            ["index", "start_s", "end_s"]
                .into_iter()
                .chain(keys.iter().copied())
                .chain(timing_columns),
        )
        .map_err(error)?;
    for w in windows {
        let mut row = vec![
            w.index.to_string(),
            (w.start_ns as f64 * 1e-9).to_string(),
            (w.end_ns as f64 * 1e-9).to_string(),
        ];
        row.extend(keys.iter().map(|key| {
            w.data
                .readout(key)
                .map_or(String::new(), |r| r.value.csv_cell())
        }));
        let timing = w.timing.as_ref();
        row.extend(
            [
                timing.map(|t| (t.lateness.p50 as f64 / 1e3).to_string()),
                timing.map(|t| (t.lateness.p99 as f64 / 1e3).to_string()),
                timing.map(|t| t.tasks_per_s.to_string()),
            ]
            .into_iter()
            .map(Option::unwrap_or_default),
        );
        writer.write_record(&row).map_err(error)?;
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

/// Reads the file chosen in the file input that raised `ev` (and clears the input, so choosing
/// the same file again reads it again): a file `check_size` refuses is not read; `then` gets
/// the file's name and text, or a message naming the file.
pub fn read_chosen_file(
    ev: &web_sys::Event,
    check_size: impl FnOnce(f64) -> Result<(), String>,
    then: impl FnOnce(Result<(String, String), String>) + 'static,
) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    let name = file.name();
    if let Err(e) = check_size(file.size()) {
        then(Err(format!("{name}: {e}")));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => then(Ok((name, text.as_string().unwrap_or_default()))),
            Err(e) => then(Err(format!("cannot read {name}: {e:?}"))),
        }
    });
}
