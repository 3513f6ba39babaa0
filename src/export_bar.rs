//! Export (JSON, CSV) of the recorded windows and import of a saved parameter set.

use crate::export::{
    check_import_size, download_text, parse_settings, read_chosen_file, settings_json, windows_csv,
    windows_json, RunSettings,
};
use crate::state::DashboardState;
use leptos::prelude::*;
use tempora_protocol::Command;

/// Export and import buttons.
#[component]
pub fn ExportBar(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker.
    send: Callback<Command>,
) -> impl IntoView {
    let save_settings = move |_| {
        let Some(status) = state.status.get_untracked() else {
            state.complain("no run yet");
            return;
        };
        let settings = RunSettings::of(&status, state.model.get_untracked().as_ref());
        let name = format!(
            "tempora-{}-seed{}-params.json",
            settings.preset, settings.seed
        );
        if let Err(e) = settings_json(&settings)
            .and_then(|text| download_text(&name, "application/json", &text))
        {
            state.complain(e);
        }
    };
    let export = move |csv: bool| {
        let Some(status) = state.status.get_untracked() else {
            state.complain("nothing to export yet");
            return;
        };
        let settings = RunSettings::of(&status, state.model.get_untracked().as_ref());
        let base = format!("tempora-{}-seed{}", settings.preset, settings.seed);
        let result = state.history.with_untracked(|h| {
            if csv {
                windows_csv(h.windows())
                    .and_then(|text| download_text(&format!("{base}.csv"), "text/csv", &text))
            } else {
                windows_json(settings, h.windows()).and_then(|text| {
                    download_text(&format!("{base}.json"), "application/json", &text)
                })
            }
        });
        if let Err(e) = result {
            state.complain(e);
        }
    };

    let import = move |ev: leptos::ev::Event| {
        read_chosen_file(
            &ev,
            |bytes| check_import_size(bytes).map_err(|e| e.to_string()),
            move |read| match read
                .and_then(|(name, text)| parse_settings(&text).map_err(|e| format!("{name}: {e}")))
            {
                Ok(s) => s.commands().into_iter().for_each(|c| send.run(c)),
                Err(e) => state.complain(e),
            },
        );
    };

    // The worker's answer to Export spikes: saved as CSV, then forgotten.
    Effect::new(move |_| {
        let Some(table) = state.spikes.get() else {
            return;
        };
        state.spikes.set(None);
        let name = state.status.with_untracked(|s| {
            s.as_ref().map_or("tempora".to_string(), |s| {
                format!("tempora-{}-seed{}", s.preset, s.seed)
            })
        });
        if table.dropped > 0 {
            state.complain(format!(
                "the run logged its first {} spikes; {} later ones are not in the file (tempora run --model writes them all)",
                tempora_protocol::spikes::MAX_LOGGED_SPIKES,
                table.dropped
            ));
        }
        if let Err(e) = table
            .to_csv()
            .and_then(|csv| download_text(&format!("{name}-spikes.csv"), "text/csv", &csv))
        {
            state.complain(e);
        }
    });
    let is_network = move || state.model.with(Option::is_some);

    view! {
        <section class="export">
            <button data-testid="export-json" on:click=move |_| export(false)
                title="The run's preset, seed and parameters and every window held, as JSON">"Export JSON"</button>
            <button data-testid="export-csv" on:click=move |_| export(true)
                title="One row per window held, as CSV">"Export CSV"</button>
            <button data-testid="export-spikes" prop:disabled=move || !is_network()
                on:click=move |_| send.run(Command::ExportSpikes)
                title="Every spike of the network run so far (up to 2 million), as CSV: population, neuron, t_s">"Export spikes"</button>
            <button data-testid="save-params" on:click=save_settings
                title="The preset, seed and parameters alone, as a small JSON file to import later or share">"Save parameters"</button>
            <label class="import" title="Load the preset, seed and parameters of a file from Save parameters or Export JSON (at most 32 MiB)">
                "Import parameters "
                <input data-testid="import" type="file" accept=".json,application/json" on:change=import />
            </label>
        </section>
    }
}
