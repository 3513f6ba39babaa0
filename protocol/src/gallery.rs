//! The gallery: shipped models with chosen parameters, each with what to look for when it runs.

use crate::param::ParamValues;
use serde::{Deserialize, Serialize};

/// One gallery entry: a preset, the parameters that differ from its defaults, and a line on
/// what the run shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Unique in the gallery, e.g. `brunel-sr`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The preset it runs.
    pub preset: String,
    /// Overrides of the preset's defaults, SI.
    #[serde(default)]
    pub params: ParamValues,
    /// What to look for, one line.
    pub look_for: String,
    /// A model file to run instead of the preset (whose name is then `model`): a preset's
    /// network as the network engine runs it, editable in the editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<crate::model::NetworkModel>,
}
