//! Plots described by data: what a window shows, as a list of typed panels and readouts that
//! the UI draws with one renderer per kind, knowing nothing of the model behind them.
//!
//! Titles, axis labels and units travel with the data. Every panel has a stable `id` (the
//! canvas's test id and the name of its PNG); the UI accumulates a panel over the windows it
//! holds by that id:
//! - a [`Plot::Trace`] holds samples inside the window (x = logical time); windows are joined
//!   in time order (samples repeated by overlapping windows are shown once), the newest
//!   `span_s` seconds or `newest` samples are drawn;
//! - a [`Plot::PerWindow`] holds one value per line; the UI draws each against the window's end;
//! - a [`Plot::HeatmapStrip`] holds one column of counts; the UI draws the columns over time;
//! - a [`Plot::Raster`], [`Plot::Histogram`] and [`Plot::Polar`] show the newest window only.
//!
//! [`Readout`]s are the window's scalar figures with units: the line of text above the plots,
//! and the columns of the CSV export (one row per window, one column per readout `key`).
//! [`EventMarker`]s are moments worth a vertical line (an escalation, a watchdog alarm) in the
//! time plots that ask for them.

use serde::{Deserialize, Serialize};

/// What one window shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowContent {
    /// The plots, in the order they are laid out.
    pub panels: Vec<Panel>,
    /// Scalar figures, in the order they are shown.
    pub readouts: Vec<Readout>,
    /// Moments marked in the time plots that show markers, in time order.
    #[serde(default)]
    pub events: Vec<EventMarker>,
}

impl WindowContent {
    /// About how many numbers the panels hold (samples, spikes, counts): what sending and
    /// decoding the window costs.
    pub fn numbers(&self) -> usize {
        self.panels
            .iter()
            .map(|p| match &p.plot {
                Plot::Trace(t) => t.lines.iter().map(|l| 2 * l.points.len()).sum::<usize>(),
                Plot::PerWindow(v) => v.lines.len(),
                Plot::Raster(r) => r.numbers(),
                Plot::Histogram(h) | Plot::HeatmapStrip(h) => h.counts.len(),
                Plot::Polar(p) => p.counts.len(),
            })
            .sum::<usize>()
            + self.readouts.len()
    }

    /// The panel with this id.
    pub fn panel(&self, id: &str) -> Option<&Panel> {
        self.panels.iter().find(|p| p.id == id)
    }

    /// The readout with this key.
    pub fn readout(&self, key: &str) -> Option<&Readout> {
        self.readouts.iter().find(|r| r.key == key)
    }

    /// The number of the readout with this key, if it has one.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.readout(key).and_then(|r| r.value.number())
    }

    /// The trace panel with this id.
    pub fn trace(&self, id: &str) -> Option<&Trace> {
        match &self.panel(id)?.plot {
            Plot::Trace(t) => Some(t),
            _ => None,
        }
    }

    /// The per-window panel with this id.
    pub fn per_window(&self, id: &str) -> Option<&PerWindow> {
        match &self.panel(id)?.plot {
            Plot::PerWindow(p) => Some(p),
            _ => None,
        }
    }

    /// The raster panel with this id.
    pub fn raster(&self, id: &str) -> Option<&Raster> {
        match &self.panel(id)?.plot {
            Plot::Raster(r) => Some(r),
            _ => None,
        }
    }

    /// The histogram (or heatmap strip) panel with this id.
    pub fn histogram(&self, id: &str) -> Option<&Histogram> {
        match &self.panel(id)?.plot {
            Plot::Histogram(h) | Plot::HeatmapStrip(h) => Some(h),
            _ => None,
        }
    }

    /// The polar panel with this id.
    pub fn polar(&self, id: &str) -> Option<&Polar> {
        match &self.panel(id)?.plot {
            Plot::Polar(p) => Some(p),
            _ => None,
        }
    }
}

/// One plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    /// Stable name, e.g. `raster-plot`: the canvas's test id and its PNG's file name.
    pub id: String,
    /// The title drawn above the plot.
    pub title: String,
    /// How much room it takes.
    #[serde(default)]
    pub size: PanelSize,
    /// What to draw.
    pub plot: Plot,
}

/// How much room a panel takes in the dashboard's grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelSize {
    /// One cell.
    #[default]
    Normal,
    /// A whole row (rasters, traces).
    Wide,
    /// One cell, square (polar plots).
    Square,
}

/// An axis: what it shows and in which unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// What it shows, e.g. `membrane potential`.
    pub label: String,
    /// The unit of the values on it, e.g. `mV` (empty for pure numbers).
    pub unit: String,
    /// A fixed range `[low, high]`; fitted to the data when absent.
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    /// Whether the values are drawn on a log10 scale (positive values only).
    #[serde(default)]
    pub log10: bool,
}

/// A horizontal reference line, e.g. a threshold in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// What it marks, e.g. `jsd_max`.
    pub label: String,
    /// Where, in the y axis's unit.
    pub value: f64,
}

/// What a panel draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Plot {
    /// Lines of samples in logical time, joined across windows.
    Trace(Trace),
    /// One value per line per window, drawn against the window's end.
    PerWindow(PerWindow),
    /// Spikes of one or more groups of neurons (rows), the newest window.
    Raster(Raster),
    /// Counts in equal bins, the newest window.
    Histogram(Histogram),
    /// One histogram per window, drawn as a column of colour over time.
    HeatmapStrip(Histogram),
    /// Counts in equal phase bins over one cycle, with the circular mean, the newest window.
    Polar(Polar),
}

/// Lines of `(t in s, value)` samples inside a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The y axis (x is logical time in s).
    pub y: Axis,
    /// The lines; the first is drawn strongest.
    pub lines: Vec<TraceLine>,
    /// An interval around the first line, if any.
    #[serde(default)]
    pub band: Option<Band>,
    /// Logical seconds shown (the newest); all samples held when absent.
    #[serde(default)]
    pub span_s: Option<f64>,
    /// Samples of the first line shown (the newest), if limited.
    #[serde(default)]
    pub newest: Option<usize>,
    /// A gap between samples longer than this (s) is not bridged: a window the page did not
    /// receive shows as a break rather than a straight line.
    #[serde(default)]
    pub max_gap_s: Option<f64>,
    /// A reference line.
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Whether the window's [`EventMarker`]s are drawn.
    #[serde(default)]
    pub markers: bool,
}

/// One line of a trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceLine {
    /// Its name in the legend (a single line needs none).
    pub label: String,
    /// `(t in s, value)` in time order.
    pub points: Vec<[f64; 2]>,
}

/// An interval `(t in s, low, high)` around a trace's first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Its name in the legend.
    pub label: String,
    /// `(t in s, low, high)` in time order.
    pub points: Vec<[f64; 3]>,
}

/// Values of one window, one per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerWindow {
    /// The y axis (x is the window's end, logical s).
    pub y: Axis,
    /// One value per line (absent: no point for this window).
    pub lines: Vec<LineValue>,
    /// A reference line.
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Whether the window's [`EventMarker`]s are drawn.
    #[serde(default)]
    pub markers: bool,
}

/// One line's value in a [`PerWindow`] panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineValue {
    /// Its name in the legend (a single line needs none).
    pub label: String,
    /// The value, in the y axis's unit.
    pub value: Option<f64>,
}

/// Spikes of neuron groups over one window, as binned counts or exact times per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raster {
    /// Start of the window shown, s.
    pub start_s: f64,
    /// End of the window shown, s.
    pub end_s: f64,
    /// The groups, drawn bottom to top, each in its own colour.
    pub groups: Vec<RasterGroup>,
}

impl Raster {
    /// How many numbers its marks are (spike times and rows, or counts).
    pub fn numbers(&self) -> usize {
        self.groups
            .iter()
            .map(|g| match &g.spikes {
                RasterSpikes::Binned { counts, .. } => counts.len(),
                RasterSpikes::Times { spikes } => 2 * spikes.len(),
            })
            .sum()
    }
}

/// One group of rows in a raster (a population, or the inputs of a neuron).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RasterGroup {
    /// Its name in the legend, e.g. `inputs (first 100)`.
    pub name: String,
    /// Rows (neurons shown).
    pub rows: u32,
    /// The population the rows show, when a click on a row may pick its neurons
    /// ([`crate::Command::Probe`]): its name and size (row r holds neurons from
    /// `ceil(r size / rows)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick: Option<RasterPick>,
    /// Its spikes.
    pub spikes: RasterSpikes,
}

/// The population behind a raster group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RasterPick {
    /// Its name.
    pub population: String,
    /// Its neurons.
    pub neurons: u32,
}

impl RasterPick {
    /// The first neuron of row `row` of `rows`.
    pub fn neuron_of_row(&self, row: u32, rows: u32) -> u32 {
        let first = (u64::from(row) * u64::from(self.neurons)).div_ceil(u64::from(rows.max(1)));
        (first as u32).min(self.neurons.saturating_sub(1))
    }
}

/// A raster group's spikes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum RasterSpikes {
    /// Spike counts per (row, time bin), row-major: `rows * bins` counts.
    Binned {
        /// Time bins per row over `[start_s, end_s)`.
        bins: u32,
        /// `rows * bins` counts.
        counts: Vec<u16>,
    },
    /// Exact spikes `(t in s, row)`, in time order.
    Times {
        /// The spikes.
        spikes: Vec<(f64, u32)>,
    },
}

/// Counts in equal bins over `[x.range.0, x.range.1]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// What is counted; its range is the bins' span (required).
    pub x: Axis,
    /// What a count is, e.g. `synapses`.
    pub count_label: String,
    /// Counts in equal bins.
    pub counts: Vec<u32>,
}

impl Histogram {
    /// The bins' span, `[low, high]`.
    pub fn span(&self) -> [f64; 2] {
        self.x
            .range
            .unwrap_or([0.0, self.counts.len().max(1) as f64])
    }
}

/// Phases of events against an oscillation, over one cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polar {
    /// The oscillation's frequency, Hz.
    pub frequency_hz: f64,
    /// Counts in equal phase bins over [0, 360) degrees.
    pub counts: Vec<u32>,
    /// Circular mean phase, degrees, if any event.
    pub mean_deg: Option<f64>,
    /// Vector strength (length of the mean resultant), 0..1.
    pub vector_strength: f64,
    /// A phase to mark, degrees (e.g. the target of a phase-bias rule).
    #[serde(default)]
    pub target_deg: Option<f64>,
}

/// A scalar figure of a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readout {
    /// Stable name, also the CSV column: lower case, with the unit, e.g. `output_rate_hz`.
    pub key: String,
    /// What people read, e.g. `output rate`.
    pub label: String,
    /// The value.
    pub value: ReadoutValue,
}

/// A readout's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReadoutValue {
    /// A number in `unit`, shown with `decimals` decimals (absent: nothing to show yet).
    Number {
        /// The value.
        value: Option<f64>,
        /// Its unit, e.g. `Hz` (empty for pure numbers).
        unit: String,
        /// Decimals shown (the CSV keeps every digit).
        decimals: u8,
    },
    /// A whole count.
    Count {
        /// The count.
        value: u64,
    },
    /// Words, e.g. the guard in force or why a window was escalated.
    Text {
        /// The words.
        text: String,
    },
}

impl ReadoutValue {
    /// The number it holds, if any (a count as a number).
    pub fn number(&self) -> Option<f64> {
        match self {
            ReadoutValue::Number { value, .. } => *value,
            ReadoutValue::Count { value } => Some(*value as f64),
            ReadoutValue::Text { .. } => None,
        }
    }

    /// As people read it: `12.5 Hz`, `3`, the text; `–` for a number not yet known.
    pub fn display(&self) -> String {
        match self {
            ReadoutValue::Number {
                value: Some(v),
                unit,
                decimals,
            } => {
                let number = format!("{v:.*}", usize::from(*decimals));
                if unit.is_empty() {
                    number
                } else {
                    format!("{number} {unit}")
                }
            }
            ReadoutValue::Number { value: None, .. } => "–".to_string(),
            ReadoutValue::Count { value } => value.to_string(),
            ReadoutValue::Text { text } => text.clone(),
        }
    }

    /// As a CSV cell: every digit of a number, the count, the text; empty when not known.
    pub fn csv_cell(&self) -> String {
        match self {
            ReadoutValue::Number { value, .. } => value.map_or(String::new(), |v| v.to_string()),
            ReadoutValue::Count { value } => value.to_string(),
            ReadoutValue::Text { text } => text.clone(),
        }
    }
}

/// A moment worth marking in the time plots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMarker {
    /// Logical time, s.
    pub t_s: f64,
    /// What happened, e.g. `escalated: JSD 0.41 bits > 0.2` or `norm_bound -> pause`.
    pub label: String,
}

mod build;
#[cfg(test)]
mod tests;
