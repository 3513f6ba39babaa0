//! The spikes of a run, as the page exports them (CSV: population, neuron, time): what a
//! network run logged, every population in one table, bounded.

use serde::{Deserialize, Serialize};

/// The most spikes a run in the worker logs for export (12 bytes each: 24 MB); later ones are
/// counted, not kept.
pub const MAX_LOGGED_SPIKES: usize = 2_000_000;

/// One population's logged spikes, in time order (by neuron within a step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationSpikes {
    /// Its name.
    pub population: String,
    /// Its neurons.
    pub size: u32,
    /// Spike times, s.
    pub t_s: Vec<f64>,
    /// The neuron of each spike.
    pub i: Vec<u32>,
}

/// A run's logged spikes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SpikeTable {
    /// The run ([`crate::Status::run_id`]).
    pub run_id: u64,
    /// Per population.
    pub populations: Vec<PopulationSpikes>,
    /// Spikes after [`MAX_LOGGED_SPIKES`], not logged.
    pub dropped: u64,
}

impl SpikeTable {
    /// The spikes as CSV rows `population,neuron,t_s`, in time order across populations
    /// (populations in model order within a step); a header first.
    pub fn to_csv(&self) -> Result<String, String> {
        let error = |e: csv::Error| format!("cannot write CSV: {e}");
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(["population", "neuron", "t_s"])
            .map_err(error)?;
        let mut rows: Vec<(f64, usize, u32)> = self
            .populations
            .iter()
            .enumerate()
            .flat_map(|(p, s)| s.t_s.iter().zip(&s.i).map(move |(&t, &i)| (t, p, i)))
            .collect();
        // Stable: within a population the log is already in order.
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (t, p, i) in rows {
            writer
                .write_record([
                    self.populations[p].population.as_str(),
                    &i.to_string(),
                    &t.to_string(),
                ])
                .map_err(error)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| format!("cannot write CSV: {e}"))?;
        String::from_utf8(bytes).map_err(|e| format!("cannot write CSV: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_holds_every_spike_in_time_order_with_exact_times() {
        let table = SpikeTable {
            run_id: 1,
            populations: vec![
                PopulationSpikes {
                    population: "E".into(),
                    size: 4,
                    t_s: vec![0.0001, 0.0003, 0.1 + 0.2],
                    i: vec![3, 0, 1],
                },
                PopulationSpikes {
                    population: "I, odd".into(),
                    size: 2,
                    t_s: vec![0.0001, 0.0002],
                    i: vec![1, 0],
                },
            ],
            dropped: 0,
        };
        let csv = table.to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "population,neuron,t_s",
                "E,3,0.0001",
                "\"I, odd\",1,0.0001",
                "\"I, odd\",0,0.0002",
                "E,0,0.0003",
                "E,1,0.30000000000000004",
            ]
        );
    }
}
