use super::*;

#[test]
fn readouts_show_units_and_keep_every_digit_for_csv() {
    let rate = Readout::number("output_rate_hz", "output rate", Some(12.345_678), "Hz", 1);
    assert_eq!(rate.display(), "output rate 12.3 Hz");
    assert_eq!(rate.value.csv_cell(), "12.345678");
    let unknown = Readout::number("jsd_bits", "JSD", None, "bits", 4);
    assert_eq!(unknown.display(), "JSD –");
    assert_eq!(unknown.value.csv_cell(), "");
    assert_eq!(unknown.value.number(), None);
    let count = Readout::count("input_spikes", "input spikes", 15_000);
    assert_eq!(count.display(), "input spikes 15000");
    assert_eq!(count.value.number(), Some(15_000.0));
    let text = Readout::text("guard", "guard", "spectral");
    assert_eq!(text.display(), "guard spectral");
    assert_eq!(text.value.number(), None);
}

#[test]
fn content_finds_panels_and_readouts_by_name() {
    let content = WindowContent {
        panels: vec![Panel::new(
            "rate-plot",
            "Rate",
            Plot::PerWindow(PerWindow::single(Axis::new("rate", "Hz"), Some(3.0))),
        )],
        readouts: vec![Readout::count("n", "n", 2)],
        events: vec![],
    };
    assert_eq!(content.panel("rate-plot").unwrap().title, "Rate");
    assert!(content.panel("nope").is_none());
    assert_eq!(content.number("n"), Some(2.0));
    assert_eq!(content.number("m"), None);
}

#[test]
fn axes_caption_with_their_unit_and_scale() {
    assert_eq!(Axis::new("v", "mV").caption(), "v (mV)");
    assert_eq!(
        Axis::new("vector strength", "").caption(),
        "vector strength"
    );
    assert_eq!(Axis::new("|y|", "").logarithmic().caption(), "log10 |y|");
    assert_eq!(
        Axis::new("x", "").with_range(0.0, 1.0).range,
        Some([0.0, 1.0])
    );
}

#[test]
fn panels_travel_as_tagged_json() {
    let panel = Panel::new(
        "phase-plot",
        "Phase",
        Plot::Polar(Polar {
            frequency_hz: 10.0,
            counts: vec![1, 0],
            mean_deg: Some(45.0),
            vector_strength: 0.5,
            target_deg: None,
        }),
    )
    .square();
    let json = serde_json::to_value(&panel).unwrap();
    assert_eq!(json["plot"]["kind"], "polar");
    assert_eq!(json["size"], "square");
    assert_eq!(serde_json::from_value::<Panel>(json).unwrap(), panel);
}
