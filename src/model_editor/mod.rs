//! The network editor: the run's model as tables of populations and projections beside its
//! drawing, the selected element's every field (unit and range shown), and the model's files
//! (load, save, export to PyNN). Edits change a draft; Apply rebuilds the network from it (a
//! model run, t = 0) and the engine's refusal is shown at the field it names, with the running
//! network untouched.

mod graph;

use crate::export::{download_text, read_chosen_file};
use crate::state::DashboardState;
use graph::{edge_label, NetworkGraph};
use leptos::prelude::*;
use tempora_protocol::model::edit::{self, Element};
use tempora_protocol::model::pynn::pynn_script;
use tempora_protocol::model::{NetworkModel, MAX_MODEL_FILE_BYTES};
use tempora_protocol::{Command, MODEL_RUN};

/// A problem with the draft, at a field (a JSON path) or the whole model (`.`).
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    path: String,
    message: String,
}

/// The editor.
#[component]
pub fn ModelEditor(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker.
    send: Callback<Command>,
) -> impl IntoView {
    let draft = RwSignal::new(None::<NetworkModel>);
    let selected = RwSignal::new(None::<Element>);
    let problem = RwSignal::new(None::<Problem>);
    let note = RwSignal::new(None::<String>);
    // What the note says when the run's next model arrives.
    let arrived = StoredValue::new(None::<String>);
    // A new run's model replaces the draft (an edit not applied is dropped with its run).
    Effect::new(move |_| {
        let model = state.model.get();
        // A pending build, load or weight change says what came of it.
        if let Some(text) = arrived.get_value() {
            arrived.set_value(None);
            note.set(Some(text));
        }
        draft.set(model);
        problem.set(None);
        if selected.get_untracked().is_some_and(|e| {
            draft.with_untracked(|d| d.as_ref().is_none_or(|d| edit::fields(d, e).is_empty()))
        }) {
            selected.set(None);
        }
    });
    // The engine's refusal of an applied model names a field: show it there.
    Effect::new(move |_| {
        if let Some(r) = state.refusal.get() {
            if let Some(path) = r.param.filter(|p| {
                p.starts_with("populations")
                    || p.starts_with("projections")
                    || p == "dt"
                    || p == "."
            }) {
                if let Some(element) = Element::of_path(&path) {
                    selected.set(Some(element));
                }
                problem.set(Some(Problem {
                    path,
                    message: r.message,
                }));
            }
        }
    });
    let changed = move || {
        let (d, m) = (draft.get(), state.model.get());
        d.is_some() && d != m
    };
    let update = move |result: Result<NetworkModel, tempora_protocol::ModelError>| match result {
        Ok(model) => {
            draft.set(Some(model));
            problem.set(None);
        }
        Err(e) => problem.set(Some(Problem {
            path: e.path,
            message: e.message,
        })),
    };
    let apply = move |_| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        problem.set(None);
        // New weights of static projections, Poisson rates and drives are live: the next
        // window boundary takes them, the run goes on. Anything else rebuilds the network.
        // A network preset's run takes them too, and goes on as a model run.
        let live = state.model.with_untracked(|running| {
            running
                .as_ref()
                .and_then(|running| edit::live_changes(running, &model))
        });
        if let Some(params) = live {
            note.set(Some(
                "The new values apply at the next window boundary (no rebuild).".into(),
            ));
            arrived.set_value(Some(
                "Changed at a window boundary; the run goes on.".into(),
            ));
            send.run(Command::SetLiveParams { params });
            return;
        }
        let seed = state
            .status
            .with_untracked(|s| s.as_ref().map_or(1, |s| s.seed));
        note.set(Some(
            "Rebuilding the network from the edited model (t = 0).".into(),
        ));
        arrived.set_value(Some(format!(
            "Built {}: the run starts at t = 0.",
            model.name
        )));
        send.run(Command::ConfigureModel {
            model: Box::new(model),
            seed,
        });
    };
    let revert = move |_| {
        draft.set(state.model.get_untracked());
        problem.set(None);
    };
    let add_population = move |_| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        let (model, index) = edit::add_population(&model);
        draft.set(Some(model));
        selected.set(Some(Element::Population(index)));
    };
    let add_projection = move |_| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        let Some(target) = model
            .populations
            .iter()
            .rev()
            .find(|p| p.lif.is_some())
            .map(|p| p.name.clone())
        else {
            problem.set(Some(Problem {
                path: ".".into(),
                message: "a projection needs a population of LIF neurons to target".into(),
            }));
            return;
        };
        let source = model.populations[0].name.clone();
        match edit::add_projection(&model, &source, &target) {
            Ok((model, index)) => {
                draft.set(Some(model));
                selected.set(Some(Element::Projection(index)));
            }
            Err(e) => update(Err(e)),
        }
    };
    let remove = move |element: Element| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        let model = match element {
            Element::Population(i) => {
                let (model, removed) = edit::remove_population(&model, i);
                if !removed.is_empty() {
                    note.set(Some(format!("Removed with it: {}.", removed.join(", "))));
                }
                model
            }
            Element::Projection(i) => edit::remove_projection(&model, i),
        };
        selected.set(None);
        draft.set(Some(model));
    };
    let save = move |_| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        if let Err(e) = download_text(
            &format!("{}.json", model.name),
            "application/json",
            &model.to_json(),
        ) {
            state.complain(e);
        }
    };
    let export_pynn = move |_| {
        let Some(model) = draft.get_untracked() else {
            return;
        };
        match pynn_script(&model) {
            Ok(script) => {
                if let Err(e) =
                    download_text(&format!("{}_pynn.py", model.name), "text/x-python", &script)
                {
                    state.complain(e);
                }
            }
            Err(e) => update(Err(e)),
        }
    };
    let load = move |ev: leptos::ev::Event| {
        let check = |bytes: f64| {
            if bytes > MAX_MODEL_FILE_BYTES as f64 {
                Err(format!(
                    "{bytes} bytes; a model file is at most {MAX_MODEL_FILE_BYTES} bytes"
                ))
            } else {
                Ok(())
            }
        };
        read_chosen_file(&ev, check, move |read| {
            let loaded = read.and_then(|(name, text)| {
                NetworkModel::from_json(&text)
                    .map(|model| (name.clone(), model))
                    .map_err(|e| format!("{name} is refused: {e}"))
            });
            match loaded {
                Ok((name, model)) => {
                    let seed = state
                        .status
                        .with_untracked(|s| s.as_ref().map_or(1, |s| s.seed));
                    problem.set(None);
                    note.set(Some(format!("Loaded {name}; building it.")));
                    arrived.set_value(Some(format!("Built {name}: the run starts at t = 0.")));
                    send.run(Command::ConfigureModel {
                        model: Box::new(model),
                        seed,
                    });
                }
                // Shown above the tables: the file's fields are not the draft's.
                Err(message) => problem.set(Some(Problem {
                    path: ".".into(),
                    message,
                })),
            }
        });
    };

    let populations_table = move || {
        let model = draft.get()?;
        Some(model.populations.iter().enumerate().map(|(i, p)| {
            let element = Element::Population(i);
            let kind = if p.lif.is_some() { "LIF" } else { "Poisson" };
            view! {
                <tr class:selected=move || selected.get() == Some(element)
                    data-testid=format!("population-{}", p.name)
                    on:click=move |_| selected.set(Some(element))>
                    <td class="name">{p.name.clone()}</td>
                    <td class="num">{p.size.to_string()}</td>
                    <td>{kind}</td>
                    <td><button class="remove" title="Remove the population and its projections"
                        data-testid=format!("remove-population-{}", p.name)
                        on:click=move |ev| { ev.stop_propagation(); remove(element); }>"×"</button></td>
                </tr>
            }
        }).collect_view())
    };
    let projections_table = move || {
        let model = draft.get()?;
        Some(model.projections.iter().enumerate().map(|(j, p)| {
            let element = Element::Projection(j);
            let name = p.name.clone().unwrap_or_else(|| format!("{}->{}", p.source, p.target));
            let receptor = match p.receptor {
                tempora_protocol::model::Receptor::Excitatory => "exc",
                tempora_protocol::model::Receptor::Inhibitory => "inh",
            };
            view! {
                <tr class:selected=move || selected.get() == Some(element)
                    data-testid=format!("projection-{name}")
                    on:click=move |_| selected.set(Some(element))>
                    <td class="name">{name.clone()}</td>
                    <td>{format!("{} → {}", p.source, p.target)}</td>
                    <td class=receptor>{receptor}{p.stdp.is_some().then_some(" · STDP")}</td>
                    <td class="label">{edge_label(&p.connect, &p.weight, &p.delay)}</td>
                    <td><button class="remove" title="Remove the projection"
                        data-testid=format!("remove-projection-{name}")
                        on:click=move |ev| { ev.stop_propagation(); remove(element); }>"×"</button></td>
                </tr>
            }
        }).collect_view())
    };
    let detail = move || {
        let element = selected.get()?;
        let model = draft.get()?;
        let fields = edit::fields(&model, element);
        if fields.is_empty() {
            return None;
        }
        let title = match element {
            Element::Population(i) => format!("Population {}", model.populations[i].name),
            Element::Projection(j) => {
                let p = &model.projections[j];
                format!(
                    "Projection {}",
                    p.name
                        .clone()
                        .unwrap_or_else(|| format!("{}->{}", p.source, p.target))
                )
            }
        };
        let stdp_button = match element {
            Element::Projection(j) => {
                let on = model.projections[j].stdp.is_some();
                Some(view! {
                    <button data-testid="toggle-stdp" on:click=move |_| {
                        if let Some(m) = draft.get_untracked() { update(edit::toggle_stdp(&m, j)); }
                    }>{if on { "Remove STDP" } else { "Add STDP" }}</button>
                })
            }
            Element::Population(_) => None,
        };
        let rows = fields.into_iter().map(|f| {
            let path = f.path.clone();
            let id = format!("field-{}", f.path);
            let error_path = f.path.clone();
            let error = move || problem.get().filter(|p| p.path == error_path).map(|p| p.message);
            let unit = f.unit.map(|u| u.symbol()).filter(|s| !s.is_empty()).map(|s| format!(" ({s})"));
            let on_change = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                if let Some(m) = draft.get_untracked() {
                    update(edit::set_field(&m, &path, &text));
                }
            };
            let input = if f.choices.is_empty() {
                view! { <input type="text" data-testid=id prop:value=f.text.clone() on:change=on_change /> }.into_any()
            } else {
                let current = f.text.clone();
                view! {
                    <select data-testid=id on:change=on_change>
                        {f.choices.iter().map(|c| view! { <option value=*c selected=*c == current>{*c}</option> }).collect_view()}
                    </select>
                }.into_any()
            };
            view! {
                <div class="field">
                    <label><span class="name">{f.label.clone()}{unit}</span>{input}</label>
                    <span class="help">{f.help}</span>
                    <span class="field-error" data-testid=format!("error-{}", f.path)>{error}</span>
                </div>
            }
        }).collect_view();
        Some(view! {
            <section class="detail" data-testid="element-detail">
                <h3>{title} {stdp_button}</h3>
                {rows}
            </section>
        })
    };
    let general_problem = move || {
        problem
            .get()
            .filter(|p| Element::of_path(&p.path).is_none())
            .map(|p| format!("{}: {}", p.path, p.message))
    };
    let is_model_run = move || {
        state
            .status
            .with(|s| s.as_ref().is_some_and(|s| s.preset == MODEL_RUN))
    };
    let running_network = move || state.model.with(Option::is_some);

    view! {
        <section class="editor" aria-label="Network editor">
            <Show when=move || draft.with(Option::is_some) fallback=|| view! {
                <p class="hint" data-testid="editor-empty">"This run is not a spiking network: choose cuba, coba, brunel or stdp-network (Gallery), or load a model file."</p>
            }>
                <p class="hint">
                    {move || draft.with(|d| d.as_ref().map(|d| format!("{} · dt {}", d.name, match &d.dt {
                        tempora_protocol::model::Quantity::Text(t) => t.clone(),
                        tempora_protocol::model::Quantity::Si(v) => format!("{v} s"),
                    })))}
                    {move || is_model_run().then_some(" · a model run")}
                    {move || running_network().then_some(" · weights, Poisson rates and drives change live; anything else rebuilds")}
                </p>
                <NetworkGraph model=Signal::derive(move || draft.get()) selected=selected />
                <div class="editor-actions">
                    <button data-testid="apply-model" class="primary" prop:disabled=move || !changed()
                        title="New weights of static projections, Poisson rates and drives change at the next window boundary (the run goes on, as a model run); anything else rebuilds the network (t = 0)"
                        on:click=apply>"Apply"</button>
                    <button data-testid="revert-model" prop:disabled=move || !changed() on:click=revert>"Revert"</button>
                    <span class="changed" data-testid="model-changed">{move || changed().then_some("edited, not applied")}</span>
                </div>
                <p class="note" data-testid="editor-note">{move || note.get()}</p>
                <p class="field-error" data-testid="model-error">{general_problem}</p>
                <h3>"Populations " <button data-testid="add-population" on:click=add_population>"+ add"</button></h3>
                <table class="elements" data-testid="populations-table">
                    <thead><tr><th>"name"</th><th>"size"</th><th>"neurons"</th><th></th></tr></thead>
                    <tbody>{populations_table}</tbody>
                </table>
                <h3>"Projections " <button data-testid="add-projection" on:click=add_projection>"+ add"</button></h3>
                <table class="elements" data-testid="projections-table">
                    <thead><tr><th>"name"</th><th>"from → to"</th><th>"kind"</th><th>"rule · weight · delay"</th><th></th></tr></thead>
                    <tbody>{projections_table}</tbody>
                </table>
                {detail}
            </Show>
            <div class="files">
                <label class="import" title=format!("Load a model file (JSON, format 1, at most {} KiB) and run it", MAX_MODEL_FILE_BYTES >> 10)>
                    "Load model "
                    <input data-testid="load-model" type="file" accept=".json,application/json" on:change=load />
                </label>
                <button data-testid="save-model" prop:disabled=move || draft.with(Option::is_none) on:click=save
                    title="The model as a file (JSON, format 1) to load here later or run with `tempora run --model`">"Save model"</button>
                <button data-testid="export-pynn" prop:disabled=move || draft.with(Option::is_none) on:click=export_pynn
                    title="A PyNN script that builds this network on NEST (PyNN 0.13, NEST 3.10; runs under MPI on a cluster)">"Export PyNN"</button>
            </div>
        </section>
    }
}
