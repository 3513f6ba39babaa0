//! The network presets: their shipped model files, the windowed run against the direct one,
//! the panels, Brunel's regimes.

use super::panels::ids;
use crate::network::{Network, DEFAULT_MAX_BYTES};
use crate::params::{self, ParamValues};
use crate::preset;
use tempora_protocol::model::NetworkModel;
use tempora_protocol::panel::{Plot, RasterSpikes};

/// The model of network preset `name` with `overrides`.
fn model(name: &str, overrides: &[(&str, f64)]) -> NetworkModel {
    let p = preset::find(name).unwrap();
    let o: ParamValues = overrides.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    (p.model.or(p.as_model).unwrap())(&params::resolve(p.params, &o).unwrap())
}

#[test]
fn the_shipped_model_files_are_the_presets_models() {
    let shipped = [
        ("cuba", include_str!("../../../../models/cuba.json")),
        ("coba", include_str!("../../../../models/coba.json")),
        ("brunel", include_str!("../../../../models/brunel.json")),
        (
            "stdp-network",
            include_str!("../../../../models/stdp-network.json"),
        ),
        // Presets on their own engine, as model files (`as_model`).
        ("stdp", include_str!("../../../../models/stdp.json")),
        (
            "phase-lock",
            include_str!("../../../../models/phase-lock.json"),
        ),
    ];
    for (name, text) in shipped {
        let file = NetworkModel::from_json(text).unwrap();
        assert_eq!(
            file,
            model(name, &[]),
            "models/{name}.json: regenerate with `tempora model {name}`"
        );
    }
    let networks: Vec<&str> = preset::all()
        .iter()
        .filter(|p| p.model.is_some())
        .map(|p| p.name)
        .collect();
    assert_eq!(networks, ["cuba", "coba", "brunel", "stdp-network"]);
}

#[test]
fn a_windowed_run_has_the_spikes_of_the_direct_run_and_panels_for_every_population() {
    let (windows, report) =
        crate::replay::reference_run("cuba", 5, &ParamValues::new(), 0.3).unwrap();
    assert_eq!(windows.len(), 3);
    let mut direct = Network::build(&model("cuba", &[]), 5, DEFAULT_MAX_BYTES).unwrap();
    direct.run(3000);
    for (index, pop, size) in [(0, "E", 3200.0), (1, "I", 800.0)] {
        let from_windows: f64 = windows
            .iter()
            .map(|w| w.data.number(&format!("rate_{pop}")).unwrap() * size * 0.1)
            .sum();
        let spikes = direct.stats(index).spikes as f64;
        assert!(spikes > 1000.0, "{pop}: {spikes}");
        assert!(
            (from_windows - spikes).abs() < 1e-6,
            "{pop}: {from_windows} vs {spikes}"
        );
    }
    // The run ends with the step at 0.3 s (which the next window would hold).
    direct.step();
    assert_eq!(report["steps"], 3001);
    for (index, pop) in [(0, "E"), (1, "I")] {
        assert_eq!(report["stats"][pop]["spikes"], direct.stats(index).spikes);
    }
    let last = &windows[2].data;
    let raster = last.raster(ids::RASTER).unwrap();
    assert_eq!(raster.groups.len(), 2);
    // Every neuron, 3200 + 800 in 384 + 96 rows (RASTER_ROWS in proportion to size).
    assert_eq!(raster.groups[0].name, "E (3200 in 384 rows)");
    assert_eq!((raster.groups[0].rows, raster.groups[1].rows), (384, 96));
    for (g, pop) in ["E", "I"].into_iter().enumerate() {
        let RasterSpikes::Times { spikes } = &raster.groups[g].spikes else {
            panic!("exact times: cuba's windows are sparse")
        };
        let rows = raster.groups[g].rows;
        assert!(spikes
            .iter()
            .all(|&(t, row)| (0.2..0.3).contains(&t) && row < rows));
        let size = if pop == "E" { 3200.0 } else { 800.0 };
        let from_rate = last.number(&format!("rate_{pop}")).unwrap() * size * 0.1;
        assert!(
            (spikes.len() as f64 - from_rate).abs() < 1e-6,
            "{pop}: every spike"
        );
    }
    let rates = last.trace(ids::POPULATION_RATE).unwrap();
    assert_eq!(rates.lines.len(), 2);
    assert_eq!(rates.lines[0].points.len(), 100, "1 ms bins over 100 ms");
    assert_eq!(
        last.number("synapses").unwrap() as usize,
        direct.synapse_count()
    );
    let Some(Plot::Histogram(cv)) = last.panel(ids::CV_HISTOGRAM).map(|p| &p.plot) else {
        panic!("a CV histogram")
    };
    assert!(cv.counts.iter().sum::<u32>() > 100);
    assert!(last.trace(ids::MEMBRANE).unwrap().lines[0].points.len() == 1000);
}

#[test]
fn the_plastic_network_shows_its_weights_and_learns() {
    let (windows, _) =
        crate::replay::reference_run("stdp-network", 2, &ParamValues::new(), 10.0).unwrap();
    let first = windows[0].data.number("weight_mean").unwrap();
    let last = windows.last().unwrap().data.number("weight_mean").unwrap();
    // Uniform initial weights: mean gmax / 2; the 5 % stronger depression pulls it down.
    assert!((first - 0.5).abs() < 0.05, "{first}");
    assert!(last < first - 0.01, "{first} -> {last}");
    // The weights move towards the bounds: the outer fifth of the range gains synapses.
    let outer = |w: &tempora_protocol::WindowSummary| {
        let Some(Plot::HeatmapStrip(h)) = w.data.panel(ids::WEIGHTS).map(|p| &p.plot) else {
            panic!("a weight strip")
        };
        assert_eq!(h.counts.iter().sum::<u32>(), 100_000);
        let n = h.counts.len();
        h.counts[..n / 10]
            .iter()
            .chain(&h.counts[n - n / 10..])
            .sum::<u32>()
    };
    let (before, after) = (outer(&windows[0]), outer(windows.last().unwrap()));
    assert!(after as f64 > 1.2 * before as f64, "{before} -> {after}");
}

#[test]
fn brunel_regimes_show_their_signatures() {
    let run = |g: f64, eta: f64| {
        let mut net = Network::build(
            &model("brunel", &[("g", g), ("eta", eta)]),
            1,
            DEFAULT_MAX_BYTES,
        )
        .unwrap();
        net.run(5000);
        net.results()
    };
    // A, synchronous regular: neurons fire near their maximal rate, regularly, in lockstep.
    let a = run(3.0, 2.0);
    let e = &a.stats["E"];
    assert!(e.rate_hz > 200.0 && e.cv_isi_mean.unwrap() < 0.1, "{e:?}");
    assert!(
        a.oscillation["E"].unwrap().power_ratio > 100.0,
        "{:?}",
        a.oscillation
    );
    // D, synchronous irregular slow: a few Hz, irregular, a slow population rhythm.
    let d = run(4.5, 0.9);
    let e = &d.stats["E"];
    assert!(e.rate_hz < 10.0 && e.cv_isi_mean.unwrap() > 0.3, "{e:?}");
    let o = d.oscillation["E"].unwrap();
    assert!(
        (10.0..40.0).contains(&o.peak_hz) && o.power_ratio > 20.0,
        "{o:?}"
    );
}

#[test]
fn raster_rows_are_shared_by_size_and_dense_windows_go_as_counts() {
    use super::panels::{raster_rows, RASTER_BINS, RASTER_ROWS};
    assert_eq!(raster_rows(&[3200, 800]), vec![384, 96]);
    assert_eq!(raster_rows(&[10_000, 2500]), vec![384, 96]);
    // Small populations keep a row per neuron; a tiny share gets at least 24 rows.
    assert_eq!(raster_rows(&[10, 100_000]), vec![10, RASTER_ROWS]);
    assert_eq!(raster_rows(&[100, 100_000]), vec![24, RASTER_ROWS]);
    // Brunel's synchronous regular regime (about 300 Hz): counts per row and bin.
    let mut p = crate::params::defaults(super::BRUNEL.params);
    p.extend([
        ("N_E".to_string(), 800.0),
        ("N_I".to_string(), 200.0),
        ("g".to_string(), 3.0),
        // J C_E as in the full network (0.1 mV x 1000), so the regime is the same.
        ("J".to_string(), 1.25e-3),
    ]);
    let (windows, _) = crate::replay::reference_run("brunel", 1, &p, 0.2).unwrap();
    let last = &windows.last().unwrap().data;
    let raster = last.raster(ids::RASTER).unwrap();
    let RasterSpikes::Binned { bins, counts } = &raster.groups[0].spikes else {
        panic!("a dense window is binned")
    };
    assert_eq!(*bins, RASTER_BINS);
    assert_eq!(counts.len(), (raster.groups[0].rows * RASTER_BINS) as usize);
    let spikes: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let from_rate = last.number("rate_E").unwrap() * 800.0 * 0.1;
    assert!(
        (spikes as f64 - from_rate).abs() < 1e-6,
        "{spikes} vs {from_rate}"
    );
}

/// Every spike (step, neuron) of every population, the state traces and every membrane at
/// the end of `steps` steps of `model` on `threads` threads.
type Outcome = (Vec<(Vec<u64>, Vec<u32>)>, Vec<Vec<f64>>, Vec<Option<f64>>);

fn split_run(model: &NetworkModel, threads: usize, steps: u64) -> Outcome {
    let mut net = Network::build_split(model, 7, DEFAULT_MAX_BYTES, threads).unwrap();
    assert_eq!(net.threads(), threads);
    // Two calls: a run continues across them as one.
    net.run(steps / 2);
    net.run(steps - steps / 2);
    let pops = &net.spec.populations;
    let sizes: Vec<usize> = pops.iter().map(|p| p.size as usize).collect();
    let spikes = (0..sizes.len())
        .map(|i| {
            (
                net.record_of(i).steps.clone(),
                net.record_of(i).neurons.clone(),
            )
        })
        .collect();
    let states = net.states().iter().map(|t| t.values.clone()).collect();
    let membranes = (0..sizes.len())
        .flat_map(|i| (0..sizes[i]).map(move |j| (i, j)))
        .map(|(i, j)| net.membrane(i, j))
        .collect();
    (spikes, states, membranes)
}

#[test]
fn every_split_over_threads_gives_the_spikes_of_one_thread() {
    let with_traces = |mut m: NetworkModel| {
        // Neurons in the first, a middle and the last shard of every split tried.
        let neurons = vec![0, 1_999, 3_199];
        m.record.state = vec![tempora_protocol::model::StateRecord {
            population: "E".into(),
            neurons,
            variables: vec!["v".into(), "ge".into()],
        }];
        m
    };
    let cases = [
        // Current-based exponential synapses, no delay, exact integration.
        (with_traces(model("cuba", &[])), 1500),
        // Conductances, forward Euler.
        (with_traces(model("coba", &[])), 1500),
        // Delta synapses, a delay, binomial Poisson input (its draws placed by neuron).
        (
            model(
                "brunel",
                &[("N_E", 2000.0), ("N_I", 500.0), ("g", 5.0), ("eta", 2.0)],
            ),
            1500,
        ),
    ];
    for (model, steps) in cases {
        let one = split_run(&model, 1, steps);
        let active: usize = one.0.iter().map(|(s, _)| s.len()).sum();
        assert!(active > 1000, "{}: {active} spikes", model.name);
        for threads in [2, 3] {
            let split = split_run(&model, threads, steps);
            assert!(split == one, "{} on {threads} threads", model.name);
        }
    }
}

#[test]
fn a_network_with_a_plastic_projection_stays_on_one_thread() {
    let net = Network::build_split(&model("stdp-network", &[]), 1, DEFAULT_MAX_BYTES, 4).unwrap();
    assert_eq!(net.threads(), 1);
}
