//! A network window as panels: a raster of every neuron of every population, population
//! rates over time and per window, each LIF population's distribution of rates in the window,
//! the ISI CVs so far, membrane traces, and the weights of plastic projections.

use super::NetworkWorld;
use crate::network::record::mean;
use crate::network::spec::PopKind;
use crate::window::WindowBounds;
use tempora_protocol::panel::{
    Axis, Histogram, Panel, PerWindow, Plot, Raster, RasterGroup, RasterPick, RasterSpikes,
    Readout, Trace,
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

/// Raster rows shared by the populations (about the plot's height in pixels): a population
/// larger than its share has several neurons in a row.
pub const RASTER_ROWS: u32 = 480;
/// Time bins of a window's raster when its spikes are sent as counts.
pub const RASTER_BINS: u32 = 300;
/// Exact spike times are sent while they are fewer than this; more (a dense window) go as
/// counts per row and bin, which is smaller: a window's raster is at most
/// `RASTER_ROWS * RASTER_BINS` numbers either way.
const RASTER_MAX_TIMES: usize = (RASTER_ROWS * RASTER_BINS / 8) as usize;

/// Rows of each population of `sizes` in the raster: [`RASTER_ROWS`] shared in proportion to
/// size, at least 24 each (or the whole population, if smaller), never more than its neurons.
pub fn raster_rows(sizes: &[u32]) -> Vec<u32> {
    let total: u64 = sizes.iter().map(|&s| u64::from(s)).sum::<u64>().max(1);
    sizes
        .iter()
        .map(|&size| {
            let share = (u64::from(RASTER_ROWS) * u64::from(size)).div_ceil(total) as u32;
            share.max(24).min(size)
        })
        .collect()
}

/// The raster row of neuron `i` of a population of `size` in `rows` rows.
fn row_of(i: u32, size: u32, rows: u32) -> u32 {
    (u64::from(i) * u64::from(rows) / u64::from(size.max(1))) as u32
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
    let sizes: Vec<u32> = pops.iter().map(|p| p.size).collect();
    let rows_of = raster_rows(&sizes);
    let mut shown_of = Vec::with_capacity(pops.len());
    for (p, pop) in pops.iter().enumerate() {
        let rows = rows_of[p];
        let mut shown = Vec::new();
        let mut per_bin = vec![0u32; bins];
        let mut per_neuron = vec![0u32; pop.size as usize];
        for (t, i) in world.spikes[p].within(bounds) {
            let t = t.as_secs_f64();
            shown.push((t, row_of(*i, pop.size, rows)));
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
        shown_of.push(shown);
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
    let dense = shown_of.iter().map(Vec::len).sum::<usize>() > RASTER_MAX_TIMES;
    for ((pop, rows), shown) in pops.iter().zip(&rows_of).zip(shown_of) {
        let name = if *rows == pop.size {
            format!("{} ({})", pop.name, pop.size)
        } else {
            format!("{} ({} in {rows} rows)", pop.name, pop.size)
        };
        let spikes = if dense {
            binned(&shown, *rows, (start_s, length_s))
        } else {
            RasterSpikes::Times { spikes: shown }
        };
        // A click on a LIF population's row picks a neuron to record.
        let pick = matches!(pop.kind, PopKind::Lif(_)).then(|| RasterPick {
            population: pop.name.clone(),
            neurons: pop.size,
        });
        groups.push(RasterGroup {
            name,
            rows: *rows,
            pick,
            spikes,
        });
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
            "Spikes of every neuron, by population",
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
        .map(|probe| {
            let points = probe
                .samples
                .within(bounds)
                .map(|(t, v)| [t.as_secs_f64(), v * 1e3])
                .collect();
            (
                format!("{} neuron {}", pops[probe.pop].name, probe.neuron),
                points,
            )
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

/// `spikes` `(t, row)` as counts per row and bin of the window `(start, length)`, saturating.
fn binned(spikes: &[(f64, u32)], rows: u32, (start_s, length_s): (f64, f64)) -> RasterSpikes {
    let bins = RASTER_BINS as usize;
    let mut counts = vec![0u16; rows as usize * bins];
    for &(t, row) in spikes {
        let bin = (((t - start_s) / length_s * bins as f64) as usize).min(bins - 1);
        let cell = &mut counts[row as usize * bins + bin];
        *cell = cell.saturating_add(1);
    }
    RasterSpikes::Binned {
        bins: RASTER_BINS,
        counts,
    }
}
