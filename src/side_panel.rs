//! The side panel beside the plots: the gallery, the preset's parameters (with exports and
//! imports) and the network editor, one at a time; it folds away to give the plots the page.

use crate::export_bar::ExportBar;
use crate::gallery::Gallery;
use crate::model_editor::ModelEditor;
use crate::params_form::ParamsForm;
use crate::state::DashboardState;
use leptos::prelude::*;
use tempora_protocol::Command;

/// The panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Shipped models.
    Gallery,
    /// The preset's parameters and the run's files.
    Parameters,
    /// The network's populations and projections, and its drawing.
    Network,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Gallery, Tab::Parameters, Tab::Network];

    fn label(self) -> &'static str {
        match self {
            Tab::Gallery => "Gallery",
            Tab::Parameters => "Parameters",
            Tab::Network => "Network",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Gallery => "gallery",
            Tab::Parameters => "params",
            Tab::Network => "network",
        }
    }
}

/// The side panel; `open` folds it (the bar's button opens it again).
#[component]
pub fn SidePanel(
    /// The dashboard's state.
    state: DashboardState,
    /// Sends a command to the worker.
    send: Callback<Command>,
    /// The tab shown.
    tab: RwSignal<Tab>,
    /// Whether the panel is open.
    open: RwSignal<bool>,
) -> impl IntoView {
    let pane = move |which: Tab| move || tab.get() != which;
    view! {
        <aside class="side" class:closed=move || !open.get() aria-label="Model and parameters">
            <nav class="tabs" role="tablist">
                {Tab::ALL.into_iter().map(|t| view! {
                    <button role="tab" data-testid=format!("tab-{}", t.id())
                        aria-selected=move || (tab.get() == t).to_string()
                        class:selected=move || tab.get() == t
                        on:click=move |_| tab.set(t)>{t.label()}</button>
                }).collect_view()}
                <button class="fold" data-testid="fold-panel" title="Hide the panel (the plots take the page)"
                    on:click=move |_| open.set(false)>"«"</button>
            </nav>
            <div class="pane" hidden=pane(Tab::Gallery)><Gallery state=state send=send /></div>
            <div class="pane" hidden=pane(Tab::Parameters)>
                <ParamsForm state=state send=send />
                <ExportBar state=state send=send />
            </div>
            <div class="pane" hidden=pane(Tab::Network)><ModelEditor state=state send=send /></div>
        </aside>
    }
}
