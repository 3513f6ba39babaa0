//! Constructors that keep a model's panel code short: an axis with a unit, a panel of a plot,
//! one or several lines, a readout of a number, a count or a text.

use super::{
    Axis, LineValue, Panel, PanelSize, PerWindow, Plot, Readout, ReadoutValue, Trace, TraceLine,
};

impl Axis {
    /// An axis of `label` in `unit`, fitted to the data, linear.
    pub fn new(label: &str, unit: &str) -> Self {
        Axis {
            label: label.to_string(),
            unit: unit.to_string(),
            range: None,
            log10: false,
        }
    }

    /// The same axis with a fixed range.
    pub fn with_range(mut self, low: f64, high: f64) -> Self {
        self.range = Some([low, high]);
        self
    }

    /// The same axis on a log10 scale.
    pub fn logarithmic(mut self) -> Self {
        self.log10 = true;
        self
    }

    /// `label (unit)`, or the label alone for pure numbers.
    pub fn caption(&self) -> String {
        let scaled = if self.log10 {
            format!("log10 {}", self.label)
        } else {
            self.label.clone()
        };
        if self.unit.is_empty() {
            scaled
        } else {
            format!("{scaled} ({})", self.unit)
        }
    }
}

impl Readout {
    /// A number in `unit` with `decimals` decimals.
    pub fn number(key: &str, label: &str, value: Option<f64>, unit: &str, decimals: u8) -> Self {
        Readout {
            key: key.to_string(),
            label: label.to_string(),
            value: ReadoutValue::Number {
                value,
                unit: unit.to_string(),
                decimals,
            },
        }
    }

    /// A whole count.
    pub fn count(key: &str, label: &str, value: u64) -> Self {
        Readout {
            key: key.to_string(),
            label: label.to_string(),
            value: ReadoutValue::Count { value },
        }
    }

    /// Words.
    pub fn text(key: &str, label: &str, text: impl Into<String>) -> Self {
        Readout {
            key: key.to_string(),
            label: label.to_string(),
            value: ReadoutValue::Text { text: text.into() },
        }
    }

    /// `label value unit`, as the readout line shows it.
    pub fn display(&self) -> String {
        format!("{} {}", self.label, self.value.display())
    }
}

impl Panel {
    /// A panel of `plot` titled `title`, normal size.
    pub fn new(id: &str, title: &str, plot: Plot) -> Self {
        Panel {
            id: id.to_string(),
            title: title.to_string(),
            size: PanelSize::Normal,
            plot,
        }
    }

    /// The same panel taking a whole row.
    pub fn wide(mut self) -> Self {
        self.size = PanelSize::Wide;
        self
    }

    /// The same panel, square.
    pub fn square(mut self) -> Self {
        self.size = PanelSize::Square;
        self
    }
}

impl PerWindow {
    /// One unnamed line with `value` on axis `y`.
    pub fn single(y: Axis, value: Option<f64>) -> Self {
        PerWindow {
            y,
            lines: vec![LineValue {
                label: String::new(),
                value,
            }],
            reference: None,
            markers: false,
        }
    }

    /// Named lines with their values on axis `y`.
    pub fn lines(y: Axis, lines: &[(&str, Option<f64>)]) -> Self {
        PerWindow {
            y,
            lines: lines
                .iter()
                .map(|(label, value)| LineValue {
                    label: label.to_string(),
                    value: *value,
                })
                .collect(),
            reference: None,
            markers: false,
        }
    }
}

impl Trace {
    /// One unnamed line of `points` on axis `y`.
    pub fn single(y: Axis, points: Vec<[f64; 2]>) -> Self {
        Trace::lines(y, vec![(String::new(), points)])
    }

    /// Named lines of points on axis `y`.
    pub fn lines(y: Axis, lines: Vec<(String, Vec<[f64; 2]>)>) -> Self {
        Trace {
            y,
            lines: lines
                .into_iter()
                .map(|(label, points)| TraceLine { label, points })
                .collect(),
            band: None,
            span_s: None,
            newest: None,
            max_gap_s: None,
            reference: None,
            markers: false,
        }
    }
}
