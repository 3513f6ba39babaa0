//! The network drawn as a graph: a node per population (its size shown, LIF neurons as circles,
//! Poisson sources as squares), an arrow per projection (excitatory blue, inhibitory red,
//! dashed when plastic) labelled with its rule, weight and delay. Clicking selects.

use leptos::prelude::*;
use tempora_protocol::model::edit::Element;
use tempora_protocol::model::{Connect, Dist, NetworkModel, Receptor};

/// Drawing size (the SVG scales to its box).
const W: f64 = 420.0;
const H: f64 = 320.0;

/// Where population `i` of `n` sits: on a circle (one in the middle, two side by side).
fn position(i: usize, n: usize) -> (f64, f64) {
    let (cx, cy) = (W / 2.0, H / 2.0 + 6.0);
    match n {
        1 => (cx, cy),
        2 => (cx + if i == 0 { -110.0 } else { 110.0 }, cy),
        // Lowered a little: the top node's self-loop and label need the room above it.
        _ => {
            let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (cx + 140.0 * angle.cos(), cy + 22.0 + 92.0 * angle.sin())
        }
    }
}

/// A node's radius: grows with the log of its size.
fn radius(size: u64) -> f64 {
    (14.0 + 5.0 * (size.max(1) as f64).log10()).min(40.0)
}

fn dist_text(d: &Dist) -> String {
    match d {
        Dist::Constant(q) => match q {
            tempora_protocol::model::Quantity::Text(t) => t.clone(),
            tempora_protocol::model::Quantity::Si(v) => format!("{v}"),
        },
        Dist::Uniform { .. } => "uniform".into(),
        Dist::Normal { .. } => "normal".into(),
    }
}

/// A projection's label: rule, weight, delay.
pub fn edge_label(connect: &Connect, weight: &Dist, delay: &Dist) -> String {
    let rule = match connect {
        Connect::FixedProbability { p, .. } => format!("p {p}"),
        Connect::FixedIndegree { k, .. } => format!("K {k}"),
        Connect::OneToOne => "1:1".into(),
        Connect::AllToAll { .. } => "all".into(),
    };
    format!("{rule} · {} · {}", dist_text(weight), dist_text(delay))
}

/// The path of an arrow from `a` to `b` (curved so that a->b and b->a do not overlap), and
/// where its label goes.
fn arrow(a: (f64, f64), ra: f64, b: (f64, f64), rb: f64) -> (String, (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy).max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    // Bend to the right of the direction of travel.
    let (nx, ny) = (uy, -ux);
    let bend = 28.0;
    let start = (a.0 + ux * ra + nx * 6.0, a.1 + uy * ra + ny * 6.0);
    let end = (
        b.0 - ux * (rb + 4.0) + nx * 6.0,
        b.1 - uy * (rb + 4.0) + ny * 6.0,
    );
    let control = ((a.0 + b.0) / 2.0 + nx * bend, (a.1 + b.1) / 2.0 + ny * bend);
    let label = (
        (start.0 + 2.0 * control.0 + end.0) / 4.0 + nx * 8.0,
        (start.1 + 2.0 * control.1 + end.1) / 4.0 + ny * 8.0,
    );
    (
        format!(
            "M {:.1} {:.1} Q {:.1} {:.1} {:.1} {:.1}",
            start.0, start.1, control.0, control.1, end.0, end.1
        ),
        label,
    )
}

/// A loop from a node onto itself, above it (or below, for the lower half), `k` for several.
fn self_loop(c: (f64, f64), r: f64, k: usize) -> (String, (f64, f64)) {
    let up = if c.1 <= H / 2.0 + 6.0 { -1.0 } else { 1.0 };
    let spread = 10.0 + 8.0 * k as f64;
    let reach = r + 26.0 + 12.0 * k as f64;
    let start = (c.0 - spread, c.1 + up * (r - 4.0));
    let end = (c.0 + spread, c.1 + up * (r - 4.0));
    (
        format!(
            "M {:.1} {:.1} C {:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            start.0,
            start.1,
            c.0 - spread - 14.0,
            c.1 + up * reach,
            c.0 + spread + 14.0,
            c.1 + up * reach,
            end.0,
            end.1
        ),
        (c.0, c.1 + up * (reach - 6.0)),
    )
}

/// The graph of `model`; `selected` is highlighted and set by clicks.
#[component]
pub fn NetworkGraph(
    /// The model drawn.
    model: Signal<Option<NetworkModel>>,
    /// The element being edited.
    selected: RwSignal<Option<Element>>,
) -> impl IntoView {
    let drawing = move || {
        let model = model.get()?;
        let n = model.populations.len();
        let index_of = |name: &str| model.populations.iter().position(|p| p.name == name);
        let mut loops_at = vec![0usize; n];
        let edges = model
            .projections
            .iter()
            .enumerate()
            .filter_map(|(j, p)| {
                let (s, t) = (index_of(&p.source)?, index_of(&p.target)?);
                let (a, b) = (position(s, n), position(t, n));
                let (ra, rb) = (
                    radius(model.populations[s].size),
                    radius(model.populations[t].size),
                );
                let (d, at) = if s == t {
                    loops_at[s] += 1;
                    self_loop(a, ra, loops_at[s] - 1)
                } else {
                    arrow(a, ra, b, rb)
                };
                let name = p.name.clone().unwrap_or_else(|| format!("{}->{}", p.source, p.target));
                let kind = match p.receptor {
                    Receptor::Excitatory => "edge exc",
                    Receptor::Inhibitory => "edge inh",
                };
                let marker = match p.receptor {
                    Receptor::Excitatory => "url(#head-exc)",
                    Receptor::Inhibitory => "url(#head-inh)",
                };
                let label = edge_label(&p.connect, &p.weight, &p.delay);
                let element = Element::Projection(j);
                let plastic = p.stdp.is_some();
                Some(view! {
                    <g class=kind class:plastic=plastic class:selected=move || selected.get() == Some(element)
                        data-testid=format!("graph-edge-{name}")
                        on:click=move |_| selected.set(Some(element))>
                        <title>{format!("{name}: {} -> {}, {label}{}", p.source, p.target, if plastic { ", STDP" } else { "" })}</title>
                        <path class="hit" d=d.clone() />
                        <path class="line" d=d marker-end=marker />
                        <text x=format!("{:.1}", at.0) y=format!("{:.1}", at.1) text-anchor="middle">
                            {format!("{name}: {label}")}
                        </text>
                    </g>
                })
            })
            .collect_view();
        let nodes = model
            .populations
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, y) = position(i, n);
                let r = radius(p.size);
                let element = Element::Population(i);
                let shape = if p.lif.is_some() {
                    view! { <circle cx=x cy=y r=r /> }.into_any()
                } else {
                    view! { <rect x=x - r y=y - r width=2.0 * r height=2.0 * r rx=4 /> }.into_any()
                };
                let kind = if p.lif.is_some() { "LIF" } else { "Poisson" };
                view! {
                    <g class="node" class:selected=move || selected.get() == Some(element)
                        data-testid=format!("graph-node-{}", p.name)
                        on:click=move |_| selected.set(Some(element))>
                        <title>{format!("{}: {} {kind}", p.name, p.size)}</title>
                        {shape}
                        <text x=x y=y - 2.0 text-anchor="middle" class="name">{p.name.clone()}</text>
                        <text x=x y=y + 11.0 text-anchor="middle" class="size">{p.size.to_string()}</text>
                    </g>
                }
            })
            .collect_view();
        Some(view! { {edges} {nodes} })
    };
    view! {
        <svg class="network-graph" data-testid="network-graph" viewBox=format!("0 0 {W} {H}")
            role="img" aria-label="The network: populations and projections">
            <defs>
                <marker id="head-exc" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="head exc" />
                </marker>
                <marker id="head-inh" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                    <circle cx="5" cy="5" r="4" class="head inh" />
                </marker>
            </defs>
            {drawing}
        </svg>
    }
}
