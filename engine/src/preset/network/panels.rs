//! A network window as panels: a raster of every population (its first neurons), population
//! rates over time and per window, each LIF population's distribution of rates in the window,
//! the ISI CVs so far, membrane traces, and the weights of plastic projections.

use super::{NetworkWorld, RASTER_ROWS};
use crate::network::record::mean;
use crate::network::spec::PopKind;
use crate::window::WindowBounds;
use tempora_protocol::panel::{
    Axis, Histogram, Panel, PerWindow, Plot, Raster, RasterGroup, RasterSpikes, Readout, Trace,
};
use tempora_protocol::{WindowContent, WindowSummary};

/// Panel ids.
pub mod ids {
    /// Spikes of every population.
    pub const RASTER: &str = "network-raster";
    /// Population rates in bins of [`super::RATE_BIN_S`].
    pub const POPULATION_RATE: &str = "population-rate";
    /// Mean rate per population, per window.
    pub const RATES: &str = "window-rates";
    /// The first LIF population's per-neuron rates in the window.
    pub const RATE_HISTOGRAM: &str = "rate-histogram";
    /// ISI CVs of all LIF neurons with 3 spikes or more, since the start.
    pub const CV_HISTOGRAM: &str = "cv-histogram";
    /// Membrane potentials.
    pub const MEMBRANE: &str = "network-membrane";
    /// Weights of the first plastic projection over time.
    pub const WEIGHTS: &str = "network-weights";
}

/// Bin of the population-rate trace, s.
pub const RATE_BIN_S: f64 = 1e-3;
/// Logical seconds the population-rate and membrane traces keep.
const TRACE_SPAN_S: f64 = 2.0;
/// Histogram bins.
const BINS: usize = 30;

/// Summarises `world`'s window `bounds`.
pub fn summarise(world: &NetworkWorld, bounds: WindowBounds) -> WindowSummary {
    let net = &world.net;
    let pops = &net.spec.populations;
    let start_s = bounds.start.as_secs_f64();
    let end_s = bounds.end.as_secs_f64();
    let length_s = end_s - start_s;
    let mut content = WindowContent::default();

    let mut groups = Vec::new();
    let mut rate_lines = Vec::new();
    let mut window_rates = Vec::new();
    let mut neuron_rates: Option<(String, Vec<f64>)> = None;
    let bins = ((length_s / RATE_BIN_S).round() as usize).max(1);
    let bin_s = length_s / bins as f64;
    for (p, pop) in pops.iter().enumerate() {
        let rows = pop.size.min(RASTER_ROWS);
        let mut shown = Vec::new();
        let mut per_bin = vec![0u32; bins];
        let mut per_neuron = vec![0u32; pop.size as usize];
        for (t, i) in world.spikes[p].within(bounds) {
            let t = t.as_secs_f64();
            if *i < rows {
                shown.push((t, *i));
            }
            per_bin[(((t - start_s) / bin_s) as usize).min(bins - 1)] += 1;
            per_neuron[*i as usize] += 1;
        }
        let total: u32 = per_bin.iter().sum();
        let rate = f64::from(total) / (f64::from(pop.size) * length_s);
        content.readouts.push(Readout::number(
            &format!("rate_{}", pop.name),
            &format!("{} rate", pop.name),
            Some(rate),
            "Hz",
            2,
        ));
        groups.push(RasterGroup {
            name: format!("{} (first {rows} of {})", pop.name, pop.size),
            rows,
            spikes: RasterSpikes::Times { spikes: shown },
        });
        let points = per_bin
            .iter()
            .enumerate()
            .map(|(b, &c)| {
                [
                    start_s + (b as f64 + 0.5) * bin_s,
                    f64::from(c) / (f64::from(pop.size) * bin_s),
                ]
            })
            .collect();
        rate_lines.push((pop.name.clone(), points));
        window_rates.push((pop.name.clone(), Some(rate)));
        if neuron_rates.is_none() && matches!(pop.kind, PopKind::Lif(_)) {
            let rates = per_neuron
                .iter()
                .map(|&c| f64::from(c) / length_s)
                .collect();
            neuron_rates = Some((pop.name.clone(), rates));
        }
    }
    let mut cvs = Vec::new();
    for (p, pop) in pops.iter().enumerate() {
        if matches!(pop.kind, PopKind::Lif(_)) {
            // Each neuron's CV once: the histogram and the mean both use them.
            let own = net.record_of(p).cvs();
            let cv_mean = mean(&own);
            cvs.extend(own);
            content.readouts.push(Readout::number(
                &format!("cv_{}", pop.name),
                &format!("{} mean ISI CV so far", pop.name),
                cv_mean,
                "",
                2,
            ));
        }
    }
    content.readouts.push(Readout::count(
        "synapses",
        "synapses",
        net.synapse_count() as u64,
    ));
    content.readouts.push(Readout::number(
        "memory_mb",
        "network memory",
        Some(net.bytes() as f64 / 1e6),
        "MB",
        1,
    ));

    let mut population_rate = Trace::lines(Axis::new("population rate", "Hz"), rate_lines);
    population_rate.span_s = Some(TRACE_SPAN_S);
    population_rate.max_gap_s = Some(2.0 * length_s);
    content.panels.push(
        Panel::new(
            ids::RASTER,
            &format!("Spikes, first {RASTER_ROWS} neurons of each population"),
            Plot::Raster(Raster {
                start_s,
                end_s,
                groups,
            }),
        )
        .wide(),
    );
    content.panels.push(
        Panel::new(
            ids::POPULATION_RATE,
            &format!("Population rates ({:.0} ms bins)", RATE_BIN_S * 1e3),
            Plot::Trace(population_rate),
        )
        .wide(),
    );
    let lines: Vec<(&str, Option<f64>)> = window_rates
        .iter()
        .map(|(name, v)| (name.as_str(), *v))
        .collect();
    content.panels.push(Panel::new(
        ids::RATES,
        "Mean rate per window",
        Plot::PerWindow(PerWindow::lines(Axis::new("rate", "Hz"), &lines)),
    ));
    if let Some((name, rates)) = neuron_rates {
        let high = rates.iter().copied().fold(1.0, f64::max).ceil();
        content.panels.push(Panel::new(
            ids::RATE_HISTOGRAM,
            &format!("Rates of {name}'s neurons in the window"),
            Plot::Histogram(histogram(&rates, "rate", "Hz", high, "neurons")),
        ));
    }
    content.panels.push(Panel::new(
        ids::CV_HISTOGRAM,
        &format!(
            "ISI CV since the start ({} neurons with 3+ spikes)",
            cvs.len()
        ),
        Plot::Histogram(histogram(
            &cvs,
            "CV of inter-spike intervals",
            "",
            2.0,
            "neurons",
        )),
    ));
    let membranes: Vec<(String, Vec<[f64; 2]>)> = world
        .membranes
        .iter()
        .map(|(p, samples)| {
            let points = samples
                .within(bounds)
                .map(|(t, v)| [t.as_secs_f64(), v * 1e3])
                .collect();
            (format!("{} neuron 0", pops[*p].name), points)
        })
        .collect();
    if !membranes.is_empty() {
        let mut trace = Trace::lines(Axis::new("v", "mV"), membranes);
        trace.span_s = Some(length_s.min(TRACE_SPAN_S));
        content.panels.push(Panel::new(
            ids::MEMBRANE,
            "Membrane potential",
            Plot::Trace(trace),
        ));
    }
    if let Some((index, (weights, w_max))) =
        (0..net.spec.projections.len()).find_map(|i| net.plastic_weights(i).map(|w| (i, w)))
    {
        let name = &net.spec.projections[index].name;
        let mean = weights.iter().sum::<f64>() / weights.len().max(1) as f64;
        content.readouts.push(Readout::number(
            "weight_mean",
            &format!("{name} mean weight / w_max"),
            Some(mean / w_max),
            "",
            3,
        ));
        content.panels.push(
            Panel::new(
                ids::WEIGHTS,
                &format!("{name}: weight distribution over time (stronger colour: more synapses)"),
                Plot::HeatmapStrip(histogram(weights, "weight", "", w_max, "synapses")),
            )
            .wide(),
        );
    }
    WindowSummary {
        index: bounds.index,
        start_ns: bounds.start.0,
        end_ns: bounds.end.0,
        data: content,
        timing: None,
    }
}

/// Counts of `values` in [`BINS`] bins over [0, high].
fn histogram(values: &[f64], label: &str, unit: &str, high: f64, count_label: &str) -> Histogram {
    let mut counts = vec![0u32; BINS];
    for &v in values {
        let bin = ((v / high * BINS as f64).max(0.0) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    Histogram {
        x: Axis::new(label, unit).with_range(0.0, high),
        count_label: count_label.to_string(),
        counts,
    }
}
