//! What spiking presets share: recording spikes, membrane samples and phases for their windows,
//! and turning them into window content: a raster, the membrane, rates, weights and phases.

use super::{require_order, require_step_resolves};
use crate::models::lif::{ConductanceLif, LifParams};
use crate::models::phase::{phase_at, phase_histogram, PhaseStats};
use crate::models::stdp::StdpParams;
use crate::params::{model_params, ParamError};
use crate::time::TimePoint;
use crate::window::{Recent, WindowBounds, WindowConfig};
use std::collections::VecDeque;
use tempora_protocol::panel::{
    Axis, Histogram, Panel, PerWindow, Plot, Polar, Raster, RasterGroup, RasterSpikes, Readout,
    Reference, Trace,
};
use tempora_protocol::{WindowContent, WindowSummary};

/// Inputs shown in the raster (the first ones).
pub const RASTER_ROWS: u32 = 50;
/// Time bins per raster row.
pub const RASTER_BINS: u32 = 100;
/// Logical seconds of membrane potential shown.
const TRACE_SPAN_S: f64 = 2.0;
/// Membrane samples per window, at most.
pub const MEMBRANE_SAMPLES: u64 = 400;
/// Bins of weight and phase histograms.
pub const HISTOGRAM_BINS: usize = 36;
/// Output spike times kept for the run's report; later ones are counted only.
pub const MAX_REPORTED_SPIKES: usize = 1_000_000;

model_params! {
    /// Parameters of the conductance-based neuron and its STDP synapses, shared by `stdp` and
    /// `multirate-stdp`, with the defaults (and names) of Brian2's `STDP.py`.
    pub struct NeuronStdp / NeuronStdpChanges {
        taum: Seconds = 10e-3, [1e-4, 1.0], "Membrane time constant.";
        taupre: Seconds = 20e-3, [1e-4, 1.0], "Presynaptic STDP trace time constant.";
        taupost: Seconds = 20e-3, [1e-4, 1.0], "Postsynaptic STDP trace time constant.";
        taue: Seconds = 5e-3, [1e-4, 1.0], "Excitatory conductance decay time constant.";
        Ee: Volts = 0.0, [-0.1, 0.1], "Excitatory reversal potential.";
        vt: Volts = -54e-3, [-0.1, 0.05], "Spike threshold.";
        vr: Volts = -60e-3, [-0.1, 0.05], "Reset potential.";
        El: Volts = -74e-3, [-0.1, 0.05], "Leak reversal (resting) potential.";
        dApre: Dimensionless = 0.01, [0.0, 1.0], "Potentiation per pair, as a fraction of gmax.";
        dApost: Dimensionless = -0.0105, [-1.0, 0.0], "Depression per pair, as a fraction of gmax (STDP.py: -dApre * taupre / taupost * 1.05).";
        driving: Count = 0.0, [0.0, 1.0], "membrane: ge (Ee - v), as STDP.py since 2020 and Song et al.; reset: ge (Ee - vr), frozen, as STDP.py before.", choices &["membrane", "reset"];
    }
}

impl NeuronStdp {
    /// The neuron's parameters.
    pub fn lif(&self) -> LifParams {
        LifParams {
            taum: self.taum,
            el: self.El,
            vt: self.vt,
            vr: self.vr,
            refractory: 0.0,
        }
    }

    /// The neuron, with the chosen driving force.
    pub fn neuron(&self) -> ConductanceLif {
        let neuron = ConductanceLif::new(self.lif(), self.Ee, self.taue);
        if self.driving == 1.0 {
            neuron.with_frozen_driving_force()
        } else {
            neuron
        }
    }

    /// The STDP rule, amplitudes scaled by `gmax` as `STDP.py` does.
    pub fn stdp(&self, gmax: f64) -> StdpParams {
        StdpParams {
            taupre: self.taupre,
            taupost: self.taupost,
            dapre: self.dApre * gmax,
            dapost: self.dApost * gmax,
            wmax: gmax,
        }
    }

    /// The checks that span its values: the reset below the threshold, and the step `dt`
    /// resolving every time constant.
    pub fn check(&self, dt: f64) -> Result<(), ParamError> {
        require_order(("vr", self.vr), ("vt", self.vt))?;
        for tau in [
            ("taum", self.taum),
            ("taue", self.taue),
            ("taupre", self.taupre),
            ("taupost", self.taupost),
        ] {
            require_step_resolves(dt, tau)?;
        }
        Ok(())
    }
}

/// The oscillation spikes are phase-tagged against.
#[derive(Debug, Clone, Copy)]
pub struct Oscillation {
    /// Frequency, Hz.
    pub frequency: f64,
    /// The phase a bias rule pulls toward, degrees, if any.
    pub target_deg: Option<f64>,
}

/// Records a spiking run for its windows and its final report.
#[derive(Debug)]
pub struct SpikeRecorder {
    window: WindowConfig,
    /// Raster rows: the first inputs, at most [`RASTER_ROWS`].
    raster_rows: u32,
    output_neurons: u32,
    outputs: Recent<u32>,
    raster_inputs: Recent<u32>,
    /// (t, number of input spikes at t), only for steps with spikes.
    input_counts: Recent<u32>,
    membrane: Recent<f64>,
    membrane_every: u64,
    oscillation: Option<Oscillation>,
    /// Every output spike time, s (up to [`MAX_REPORTED_SPIKES`]).
    pub spike_times: Vec<f64>,
    /// Output spikes not kept in `spike_times`.
    pub spikes_not_kept: u64,
    closed: VecDeque<WindowSummary>,
}

impl SpikeRecorder {
    /// Changes the phase a bias rule pulls toward (shown in the phase windows).
    pub fn set_target_deg(&mut self, target_deg: Option<f64>) {
        if let Some(osc) = self.oscillation.as_mut() {
            osc.target_deg = target_deg;
        }
    }

    /// A recorder for windows of `window`, `inputs` inputs, `output_neurons` outputs, stepping
    /// every `dt_ns`.
    pub fn new(
        window: WindowConfig,
        inputs: u32,
        output_neurons: u32,
        dt_ns: u64,
        oscillation: Option<Oscillation>,
    ) -> Self {
        let steps_per_window = (window.length().as_nanos() / dt_ns.max(1)).max(1);
        SpikeRecorder {
            window,
            raster_rows: inputs.min(RASTER_ROWS),
            output_neurons,
            outputs: Recent::default(),
            raster_inputs: Recent::default(),
            input_counts: Recent::default(),
            membrane: Recent::default(),
            membrane_every: steps_per_window.div_ceil(MEMBRANE_SAMPLES),
            oscillation,
            spike_times: Vec::new(),
            spikes_not_kept: 0,
            closed: VecDeque::new(),
        }
    }

    /// An output spike of `neuron` at `t`.
    pub fn output_spike(&mut self, t: TimePoint, neuron: u32) {
        self.outputs.push(t, neuron);
        if self.spike_times.len() < MAX_REPORTED_SPIKES {
            self.spike_times.push(t.as_secs_f64());
        } else {
            self.spikes_not_kept += 1;
        }
    }

    /// An input spike of `source` at `t` (call in time order).
    pub fn input_spike(&mut self, t: TimePoint, source: u32) {
        if source < self.raster_rows {
            self.raster_inputs.push(t, source);
        }
    }

    /// The number of input spikes at step `t`.
    pub fn input_count(&mut self, t: TimePoint, count: u32) {
        if count > 0 {
            self.input_counts.push(t, count);
        }
    }

    /// The membrane potential at step number `step` (sampled).
    pub fn membrane(&mut self, t: TimePoint, step: u64, v: f64) {
        if step.is_multiple_of(self.membrane_every) {
            self.membrane.push(t, v);
        }
    }

    /// Closes a window; `weights` are the plastic weights now, if any.
    pub fn close(&mut self, bounds: WindowBounds, weights: Option<(&[f64], f64)>) {
        let start_s = bounds.start.as_secs_f64();
        let length_s = self.window.length().as_secs_f64();
        let output_spikes: Vec<(f64, u32)> = self
            .outputs
            .within(bounds)
            .map(|(t, n)| (t.as_secs_f64(), *n))
            .collect();
        let mut counts = vec![0u16; (self.raster_rows * RASTER_BINS) as usize];
        let bin_s = length_s / RASTER_BINS as f64;
        for (t, source) in self.raster_inputs.within(bounds) {
            let bin = (((t.as_secs_f64() - start_s) / bin_s) as u32).min(RASTER_BINS - 1);
            let cell = &mut counts[(source * RASTER_BINS + bin) as usize];
            *cell = cell.saturating_add(1);
        }
        let input_spikes: u64 = self
            .input_counts
            .within(bounds)
            .map(|(_, c)| *c as u64)
            .sum();
        let membrane_mv: Vec<[f64; 2]> = self
            .membrane
            .within(bounds)
            .map(|(t, v)| [t.as_secs_f64(), *v * 1e3])
            .collect();
        let rate_hz = output_spikes.len() as f64 / length_s / self.output_neurons as f64;

        let mut content = WindowContent::default();
        content.readouts.extend([
            Readout::number("output_rate_hz", "output rate", Some(rate_hz), "Hz", 1),
            Readout::count("input_spikes", "input spikes", input_spikes),
            Readout::count("output_spikes", "output spikes", output_spikes.len() as u64),
        ]);
        let raster = Raster {
            start_s,
            end_s: bounds.end.as_secs_f64(),
            groups: vec![
                RasterGroup {
                    name: format!("inputs (first {})", self.raster_rows),
                    rows: self.raster_rows,
                    pick: None,
                    spikes: RasterSpikes::Binned {
                        bins: RASTER_BINS,
                        counts,
                    },
                },
                RasterGroup {
                    name: "output".to_string(),
                    rows: self.output_neurons,
                    pick: None,
                    spikes: RasterSpikes::Times {
                        spikes: output_spikes.clone(),
                    },
                },
            ],
        };
        let mut membrane = Trace::single(Axis::new("v", "mV"), membrane_mv);
        membrane.span_s = Some(TRACE_SPAN_S);
        content.panels.extend([
            Panel::new(
                panels::RASTER,
                &format!(
                    "Spike raster: first {} inputs, output neuron",
                    self.raster_rows
                ),
                Plot::Raster(raster),
            )
            .wide(),
            Panel::new(
                panels::MEMBRANE,
                "Membrane potential, output neuron 0",
                Plot::Trace(membrane),
            ),
            Panel::new(
                panels::RATE,
                "Output firing rate per window",
                Plot::PerWindow(PerWindow::single(Axis::new("rate", "Hz"), Some(rate_hz))),
            ),
        ]);
        if let Some((weights, wmax)) = weights {
            weight_stats(weights, wmax).describe(&mut content);
        }
        if let Some(osc) = self.oscillation {
            phase_panels(&output_spikes, osc, &mut content);
        }
        self.outputs.release(bounds, &self.window);
        self.raster_inputs.release(bounds, &self.window);
        self.input_counts.release(bounds, &self.window);
        self.membrane.release(bounds, &self.window);
        self.closed.push_back(WindowSummary {
            index: bounds.index,
            start_ns: bounds.start.0,
            end_ns: bounds.end.0,
            data: content,
            timing: None,
        });
    }

    /// The oldest closed window not yet taken.
    pub fn take(&mut self) -> Option<WindowSummary> {
        self.closed.pop_front()
    }
}

/// The distribution of plastic weights at a window's end.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightStats {
    /// Upper bound of the weights.
    pub wmax: f64,
    /// Counts in [`HISTOGRAM_BINS`] equal bins over `[0, wmax]`.
    pub counts: Vec<u32>,
    /// Mean weight.
    pub mean: f64,
    /// Fractions of weights within 10 % of `wmax` of 0 and of `wmax`.
    pub near_bounds: (f64, f64),
}

impl WeightStats {
    /// Adds the weights' readouts and panels (histogram now, heatmap over time, bimodality).
    fn describe(self, content: &mut WindowContent) {
        let (near_zero, near_max) = (self.near_bounds.0 * 100.0, self.near_bounds.1 * 100.0);
        content.readouts.extend([
            Readout::number(
                "weights_near_0_pct",
                "weights near 0",
                Some(near_zero),
                "%",
                1,
            ),
            Readout::number(
                "weights_near_max_pct",
                "weights near max",
                Some(near_max),
                "%",
                1,
            ),
            Readout::number("weight_mean", "mean weight", Some(self.mean), "", 5),
        ]);
        let weight_axis =
            Axis::new("weight (multiple of the leak conductance)", "").with_range(0.0, self.wmax);
        let histogram = Histogram {
            x: weight_axis,
            count_label: "synapses".to_string(),
            counts: self.counts,
        };
        let mut bounds = PerWindow::single(
            Axis::new("share of synapses", "%").with_range(0.0, 100.0),
            Some(near_zero + near_max),
        );
        bounds.reference = Some(Reference {
            label: "uniform weights".to_string(),
            value: 20.0,
        });
        content.panels.extend([
            Panel::new(
                panels::WEIGHTS,
                &format!("Weights now: {near_zero:.0} % near 0, {near_max:.0} % near max"),
                Plot::Histogram(histogram.clone()),
            ),
            Panel::new(
                panels::WEIGHTS_HEATMAP,
                "Weight distribution over time (stronger colour: more synapses)",
                Plot::HeatmapStrip(histogram),
            )
            .wide(),
            Panel::new(
                panels::BOUNDS,
                "Weights within 10 % of a bound (bimodality)",
                Plot::PerWindow(bounds),
            ),
        ]);
    }
}

/// Adds the phase readouts and panels of `output_spikes` against `osc`.
fn phase_panels(output_spikes: &[(f64, u32)], osc: Oscillation, content: &mut WindowContent) {
    let phases: Vec<f64> = output_spikes
        .iter()
        .map(|(t, _)| phase_at(*t, osc.frequency))
        .collect();
    let mut stats = PhaseStats::default();
    phases.iter().for_each(|p| stats.add(*p));
    let mean_deg = stats.circular_mean().map(f64::to_degrees);
    let vector_strength = stats.vector_strength();
    content.readouts.extend([
        Readout::number("phase_mean_deg", "phase", mean_deg, "deg", 1),
        Readout::number(
            "vector_strength",
            "vector strength",
            Some(vector_strength),
            "",
            3,
        ),
    ]);
    content.panels.extend([
        Panel::new(
            panels::PHASE,
            &format!(
                "Output spike phases against the {} Hz oscillation",
                osc.frequency
            ),
            Plot::Polar(Polar {
                frequency_hz: osc.frequency,
                counts: phase_histogram(phases.iter().copied(), HISTOGRAM_BINS),
                mean_deg,
                vector_strength,
                target_deg: osc.target_deg,
            }),
        )
        .square(),
        Panel::new(
            panels::VECTOR_STRENGTH,
            "Phase locking per window",
            Plot::PerWindow(PerWindow::single(
                Axis::new("vector strength", "").with_range(0.0, 1.05),
                mean_deg.map(|_| vector_strength),
            )),
        ),
    ]);
}

/// The ids of the spiking presets' panels.
pub mod panels {
    /// Inputs and outputs of the newest window.
    pub const RASTER: &str = "raster-plot";
    /// The output neuron's membrane potential.
    pub const MEMBRANE: &str = "membrane-plot";
    /// The output rate per window.
    pub const RATE: &str = "rate-plot";
    /// The plastic weights now.
    pub const WEIGHTS: &str = "weights-plot";
    /// The plastic weights over time.
    pub const WEIGHTS_HEATMAP: &str = "weights-heatmap";
    /// Weights near either bound per window.
    pub const BOUNDS: &str = "bounds-plot";
    /// Output spike phases.
    pub const PHASE: &str = "phase-plot";
    /// Vector strength per window.
    pub const VECTOR_STRENGTH: &str = "vector-strength-plot";
}

/// Histogram of `weights` over `[0, wmax]` with the fractions near each bound.
pub fn weight_stats(weights: &[f64], wmax: f64) -> WeightStats {
    let mut counts = vec![0u32; HISTOGRAM_BINS];
    for &w in weights {
        let bin = ((w / wmax) * HISTOGRAM_BINS as f64) as usize;
        counts[bin.min(HISTOGRAM_BINS - 1)] += 1;
    }
    let n = weights.len().max(1) as f64;
    let near_zero = weights.iter().filter(|&&w| w <= 0.1 * wmax).count() as f64 / n;
    let near_max = weights.iter().filter(|&&w| w >= 0.9 * wmax).count() as f64 / n;
    WeightStats {
        wmax,
        counts,
        mean: weights.iter().sum::<f64>() / n,
        near_bounds: (near_zero, near_max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_histogram_counts_and_bounds() {
        let h = weight_stats(&[0.0, 0.0001, 0.005, 0.0099, 0.01], 0.01);
        assert_eq!(h.counts.iter().sum::<u32>(), 5);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[HISTOGRAM_BINS - 1], 2);
        assert_eq!(h.near_bounds, (0.4, 0.4));
        assert!((h.mean - 0.005).abs() < 1e-15);
    }
}
