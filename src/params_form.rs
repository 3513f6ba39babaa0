//! Choosing a preset, its seed and its parameters. Values are typed as a person would (with a
//! unit suffix: `10 ms`, `-70 mV`); the engine validates them and a refusal is shown next to the
//! field it names, with the running simulation untouched.

use crate::state::DashboardState;
use leptos::prelude::*;
use tempora_protocol::param::parse_text;
use tempora_protocol::unit::format_value;
use tempora_protocol::ParamValues;
use tempora_protocol::{Command, ParamInfo};
use tempora_protocol::{MAX_SEED, MODEL_RUN};

/// One field of the form.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    info: ParamInfo,
    text: String,
}

fn fields_for(params: &[ParamInfo], values: Option<&ParamValues>) -> Vec<Field> {
    params
        .iter()
        .map(|p| {
            let value = values
                .and_then(|v| v.get(&p.name))
                .copied()
                .unwrap_or(p.default);
            Field {
                info: p.clone(),
                text: format_value(p.unit, value),
            }
        })
        .collect()
}

/// The preset picker, seed and parameter fields, and the Apply button.
#[component]
pub fn ParamsForm(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker.
    send: Callback<Command>,
) -> impl IntoView {
    let preset = RwSignal::new(String::new());
    let seed_text = RwSignal::new("1".to_string());
    let fields = RwSignal::new(Vec::<Field>::new());

    // Follow the worker: when it reports a new run or new values, show that run's preset, seed
    // and values. A status that only changes the run state, pacing or duration leaves the form
    // (and a preset chosen but not yet applied) alone.
    let last_shown = StoredValue::new(None::<(u64, usize, ParamValues)>);
    Effect::new(move |_| {
        let Some(status) = state.status.get() else {
            return;
        };
        let presets = state.presets.get();
        // Show accepted live changes even before they land.
        let mut shown = status.params.clone();
        shown.extend(status.pending_live.clone());
        let key = Some((status.run_id, presets.len(), shown.clone()));
        if last_shown.get_value() == key {
            return;
        }
        if let Some(info) = presets.iter().find(|p| p.name == status.preset) {
            last_shown.set_value(key);
            preset.set(status.preset.clone());
            seed_text.set(status.seed.to_string());
            fields.set(fields_for(&info.params, Some(&shown)));
        } else if status.preset == MODEL_RUN {
            // A model file's run: its parameters are the model's (the Network tab).
            last_shown.set_value(key);
            preset.set(MODEL_RUN.to_string());
            seed_text.set(status.seed.to_string());
            fields.set(Vec::new());
        }
    });

    let choose = move |name: String| {
        let presets = state.presets.get_untracked();
        if let Some(info) = presets.iter().find(|p| p.name == name) {
            fields.set(fields_for(&info.params, None));
        }
        preset.set(name);
        state.refusal.set(None);
    };

    let apply = move |_| {
        state.refusal.set(None);
        let seed = match seed_text.get_untracked().trim().parse::<u64>() {
            Ok(s) if s <= MAX_SEED => s,
            _ => {
                state.refusal.set(Some(crate::state::Refusal {
                    param: Some("seed".into()),
                    message: format!("the seed must be a whole number from 0 to {MAX_SEED}"),
                }));
                return;
            }
        };
        let mut params = ParamValues::new();
        for f in fields.get_untracked() {
            match parse_text(&f.info.name, f.info.unit, &f.text) {
                Ok(v) => {
                    params.insert(f.info.name.clone(), v);
                }
                Err(e) => {
                    state.refusal.set(Some(crate::state::Refusal {
                        param: Some(f.info.name.clone()),
                        message: e.to_string(),
                    }));
                    return;
                }
            }
        }
        // A model run runs its model again (with this seed).
        if preset.get_untracked() == MODEL_RUN {
            match state.model.get_untracked() {
                Some(model) => send.run(Command::ConfigureModel {
                    model: Box::new(model),
                    seed,
                }),
                None => state.complain("there is no model to run: load one in the Network tab"),
            }
            return;
        }
        // Only live fields changed in the same run: change them at the next window boundary.
        // Anything else restarts the run with the new settings.
        let live_changes = state.status.with_untracked(|status| {
            let status = status.as_ref()?;
            if status.preset != preset.get_untracked() || status.seed != seed {
                return None;
            }
            let mut current = status.params.clone();
            current.extend(status.pending_live.clone());
            let fields = fields.get_untracked();
            let mut changes = ParamValues::new();
            for (name, value) in &params {
                if current.get(name) != Some(value) {
                    let live = fields.iter().any(|f| &f.info.name == name && f.info.live);
                    if !live {
                        return None;
                    }
                    changes.insert(name.clone(), *value);
                }
            }
            Some(changes)
        });
        match live_changes {
            Some(changes) if changes.is_empty() => {}
            Some(changes) => send.run(Command::SetLiveParams { params: changes }),
            None => send.run(Command::Configure {
                preset: preset.get_untracked(),
                seed,
                params,
            }),
        }
    };
    let pending = move || {
        state.status.with(|s| {
            s.as_ref().filter(|s| !s.pending_live.is_empty()).map(|s| {
                let list: Vec<String> = s
                    .pending_live
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                format!("Waiting for the next window boundary: {}", list.join(", "))
            })
        })
    };

    let error_for = move |name: &str| {
        state
            .refusal
            .get()
            .filter(|r| r.param.as_deref() == Some(name))
            .map(|r| r.message)
    };
    let description = move || {
        let name = preset.get();
        if name == MODEL_RUN {
            return "A model file's network: edit it in the Network tab; Apply here runs it again with this seed.".to_string();
        }
        state
            .presets
            .get()
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.description)
            .unwrap_or_default()
    };

    view! {
        <section class="params" aria-label="Preset and parameters">
            <div class="row">
                <label>
                    "Preset "
                    <select data-testid="preset" prop:value=move || preset.get()
                        on:change=move |ev| choose(event_target_value(&ev))>
                        {move || state.presets.get().into_iter().map(|p| {
                            let name = p.name.clone();
                            view! { <option value=name.clone()>{name.clone()}</option> }
                        }).collect_view()}
                        // Shown (and chosen) only while the run is a model file's.
                        <option value=MODEL_RUN disabled hidden=move || preset.get() != MODEL_RUN>
                            "model (Network tab)"
                        </option>
                    </select>
                </label>
                <label>
                    "Seed "
                    <input data-testid="seed" class="seed" type="text" inputmode="numeric"
                        prop:value=move || seed_text.get()
                        on:input=move |ev| seed_text.set(event_target_value(&ev)) />
                </label>
                <button data-testid="apply" on:click=apply
                    prop:disabled=move || state.presets.with(Vec::is_empty)>
                    "Apply"
                </button>
                <span class="hint">"Fields marked ⟳ change live at the next window boundary; any other change restarts the run."</span>
            </div>
            <p class="pending" data-testid="pending-live">{pending}</p>
            <p class="field-error" data-testid="error-seed">{move || error_for("seed")}</p>
            <p class="description">{description}</p>
            <div class="fields">
                {move || fields.get().into_iter().enumerate().map(|(i, f)| {
                    let name = f.info.name.clone();
                    let test_id = format!("param-{name}");
                    let error_id = format!("error-{name}");
                    let unit = match f.info.unit.symbol() { "" => String::new(), s => format!(" ({s})") };
                    let range = if f.info.choices.is_empty() {
                        format!(
                            " Range {} .. {}.",
                            format_value(f.info.unit, f.info.min),
                            format_value(f.info.unit, f.info.max)
                        )
                    } else {
                        String::new()
                    };
                    let name_for_error = name.clone();
                    view! {
                        <div class="field">
                            <label>
                                <span class="name">{name.clone()}{unit}{f.info.live.then_some(" ⟳")}</span>
                                {if f.info.choices.is_empty() {
                                    view! {
                                        <input type="text" data-testid=test_id prop:value=f.text.clone()
                                            on:change=move |ev| {
                                                let text = event_target_value(&ev);
                                                fields.update(|fs| fs[i].text = text);
                                            } />
                                    }.into_any()
                                } else {
                                    // A choice: the value is the option's index.
                                    let options = f.info.choices.iter().enumerate().map(|(k, c)| {
                                        view! { <option value=k.to_string()>{c.clone()}</option> }
                                    }).collect_view();
                                    view! {
                                        <select data-testid=test_id prop:value=f.text.clone()
                                            on:change=move |ev| {
                                                let text = event_target_value(&ev);
                                                fields.update(|fs| fs[i].text = text);
                                            }>{options}</select>
                                    }.into_any()
                                }}
                            </label>
                            <span class="help">{f.info.help.clone()}{range}</span>
                            <span class="field-error" data-testid=error_id>{move || error_for(&name_for_error)}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
