//! The gallery: every shipped model with a line on what to look for; one click loads it (with
//! its parameters) and runs it.

use crate::state::DashboardState;
use leptos::prelude::*;
use tempora_protocol::settings::RunSettings;
use tempora_protocol::{Command, Example};

/// The gallery's cards.
#[component]
pub fn Gallery(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker.
    send: Callback<Command>,
) -> impl IntoView {
    let open = move |example: Example| {
        let seed = state
            .status
            .with_untracked(|s| s.as_ref().map_or(1, |s| s.seed));
        // As a link would configure it: a model file, or a preset with its parameters.
        let settings = RunSettings {
            preset: example.preset,
            seed,
            params: example.params,
            model: example.model,
            probes: Vec::new(),
        };
        send.run(settings.configure());
        send.run(Command::Start);
    };
    let current = move || {
        state
            .status
            .with(|s| s.as_ref().map(|s| (s.preset.clone(), s.params.clone())))
    };
    view! {
        <section class="gallery" aria-label="Gallery">
            <p class="hint">"Shipped models: one click loads and runs one (the seed stays as set)."</p>
            <ul>
                {move || state.gallery.get().into_iter().map(|example| {
                    let id = example.id.clone();
                    let shown = example.clone();
                    let is_current = move || current().is_some_and(|(preset, params)| {
                        preset == shown.preset
                            && shown.params.iter().all(|(k, v)| params.get(k) == Some(v))
                            && shown.model.as_ref().is_none_or(|m| state.model.with(|run| run.as_ref() == Some(m)))
                    });
                    let chosen = example.clone();
                    view! {
                        <li class:current=is_current>
                            <button data-testid=format!("gallery-{id}") title=format!("Load and run {}", example.title)
                                on:click=move |_| open(chosen.clone())>
                                <span class="title">{example.title.clone()}</span>
                                <span class="preset">{example.preset.clone()}</span>
                            </button>
                            <p class="look-for">{example.look_for.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
