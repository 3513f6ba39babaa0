//! What the worker sends when a window closes.

use crate::panel::WindowContent;
use crate::timing::TimingReport;
use serde::{Deserialize, Serialize};

/// What the UI receives when a window closes. `data` is deterministic (same seed, same bits on
/// every platform); `timing` is measured against the wall clock and is not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowSummary {
    /// 0 for the first window.
    pub index: u64,
    /// Window start, ns of logical time.
    pub start_ns: u64,
    /// Window end (exclusive), ns of logical time.
    pub end_ns: u64,
    /// What the window shows: panels, readouts and event markers (see [`crate::panel`]).
    pub data: WindowContent,
    /// The scheduler's timing over the slices that produced this window.
    pub timing: Option<TimingReport>,
}
