//! Named, unit-carrying parameters: their specs, parsing (`name=value[unit]`) and validation.
//!
//! Values are stored in SI units (seconds, volts, hertz). Text may carry a unit suffix that
//! matches the parameter's dimension: `10ms`, `-70mV`, `15Hz`, `2.5e-6 s`.

pub use tempora_protocol::param::{parse_text, split_assignment, ParamError, ParamValues};
pub use tempora_protocol::unit::{format_value, Unit};
use tempora_protocol::ParamInfo;

/// The description of one parameter: what the UI shows and what validation enforces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Its name, as used in `--set name=value` and in URLs.
    pub name: &'static str,
    /// Its dimension.
    pub unit: Unit,
    /// The default value (SI).
    pub default: f64,
    /// The smallest valid value (SI, inclusive).
    pub min: f64,
    /// The largest valid value (SI, inclusive).
    pub max: f64,
    /// One line saying what it does.
    pub help: &'static str,
    /// For a choice among named options: their names; the value is the chosen index (a
    /// [`Unit::Count`] from 0). Empty for numeric parameters.
    pub choices: &'static [&'static str],
}

/// Reads `text` as a value of `spec`'s dimension, converting a unit suffix to SI; for a choice,
/// also accepts the option's name (`guard=spectral`).
pub fn parse_value(spec: &ParamSpec, text: &str) -> Result<f64, ParamError> {
    if let Some(index) = spec.choices.iter().position(|c| *c == text.trim()) {
        return Ok(index as f64);
    }
    parse_text(spec.name, spec.unit, text).map_err(|e| match e {
        ParamError::Unreadable { name, text, .. } if !spec.choices.is_empty() => {
            ParamError::Unreadable {
                name,
                text,
                unit_hint: format!("one of {}", spec.choices.join(", ")),
            }
        }
        other => other,
    })
}

impl From<&ParamSpec> for ParamInfo {
    fn from(spec: &ParamSpec) -> Self {
        ParamInfo {
            name: spec.name.to_string(),
            unit: spec.unit,
            default: spec.default,
            min: spec.min,
            max: spec.max,
            help: spec.help.to_string(),
            choices: spec.choices.iter().map(|c| c.to_string()).collect(),
            live: false,
        }
    }
}

/// Checks one value against its spec.
pub fn check_value(spec: &ParamSpec, value: f64) -> Result<(), ParamError> {
    if !value.is_finite() || value < spec.min || value > spec.max {
        return Err(ParamError::OutOfRange {
            name: spec.name.to_string(),
            value,
            min: spec.min,
            max: spec.max,
            unit: spec.unit.symbol().to_string(),
        });
    }
    if spec.unit == Unit::Count && value.fract() != 0.0 {
        return Err(ParamError::NotWhole {
            name: spec.name.to_string(),
            value,
        });
    }
    Ok(())
}

/// Finds the spec named `name`.
pub fn find_spec<'a>(specs: &'a [ParamSpec], name: &str) -> Result<&'a ParamSpec, ParamError> {
    specs
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| ParamError::Unknown {
            name: name.to_string(),
            known: specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
        })
}

/// Every parameter at its default.
pub fn defaults(specs: &[ParamSpec]) -> ParamValues {
    specs
        .iter()
        .map(|s| (s.name.to_string(), s.default))
        .collect()
}

/// Starts from the defaults, applies `overrides` (each checked), and returns the full set.
pub fn resolve(specs: &[ParamSpec], overrides: &ParamValues) -> Result<ParamValues, ParamError> {
    let mut values = defaults(specs);
    for (name, value) in overrides {
        let spec = find_spec(specs, name)?;
        check_value(spec, *value)?;
        values.insert(name.clone(), *value);
    }
    Ok(values)
}

/// The specs of `parts`, in order, as one table of `N` (their total): a model's own parameters
/// and the blocks it shares with others, composed at compile time.
pub const fn concat_specs<const N: usize>(parts: &[&[ParamSpec]]) -> [ParamSpec; N] {
    const NONE: ParamSpec = ParamSpec {
        name: "",
        unit: Unit::Dimensionless,
        default: 0.0,
        min: 0.0,
        max: 0.0,
        help: "",
        choices: &[],
    };
    let mut table = [NONE; N];
    let (mut k, mut p) = (0, 0);
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            table[k] = parts[p][i];
            k += 1;
            i += 1;
        }
        p += 1;
    }
    assert!(k == N, "N must be the parts' total length");
    table
}

/// A preset's spec table: the first `head` specs of its own parameters, then a shared block's,
/// then the rest of its own (its windows), composed at compile time.
macro_rules! spec_table {
    ($own:ty, $head:expr, $block:ty) => {{
        const OWN: (&[$crate::params::ParamSpec], &[$crate::params::ParamSpec]) =
            <$own>::SPECS.split_at($head);
        const TABLE: [$crate::params::ParamSpec; <$own>::SPECS.len() + <$block>::SPECS.len()] =
            $crate::params::concat_specs(&[OWN.0, <$block>::SPECS, OWN.1]);
        &TABLE
    }};
}
pub(crate) use spec_table;

/// Declares a model's parameters once: a struct with one `f64` field (SI units) per parameter,
/// named as the parameter is in commands, links and the CLI; its spec table `SPECS` (unit,
/// default, range, help); `from_values`, the fields of a full set of values that [`resolve`]
/// checked; and `changes`, the fields of a partial set (live changes), each `None` if absent.
/// A choice among named options is a `Count` field (the option's index) with `, choices NAMES`.
/// A misspelt parameter in model code is then a compile error, not a panic at run time.
///
/// ```text
/// model_params! {
///     /// The walk's parameters.
///     struct WalkParams / WalkChanges {
///         step: Dimensionless = 1.0, [0.0, 1e6], "Each tick adds a uniform draw from [-step, step].";
///     }
/// }
/// ```
macro_rules! model_params {
    (@choices) => { &[] };
    (@choices $choices:expr) => { $choices };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident / $changes:ident {
            $(
                $field:ident: $unit:ident = $default:expr, [$min:expr, $max:expr], $help:expr
                $(, choices $choices:expr)?;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(non_snake_case)]
        $vis struct $name {
            $( pub $field: f64, )*
        }

        /// Changes to some of the parameters, each `None` if unchanged.
        #[derive(Debug, Clone, Copy, Default, PartialEq)]
        #[allow(non_snake_case, dead_code)]
        $vis struct $changes {
            $( pub $field: Option<f64>, )*
        }

        #[allow(dead_code)]
        impl $name {
            /// One spec per field, in order.
            pub const SPECS: &'static [$crate::params::ParamSpec] = &[
                $(
                    $crate::params::ParamSpec {
                        name: stringify!($field),
                        unit: $crate::params::Unit::$unit,
                        default: $default,
                        min: $min,
                        max: $max,
                        help: $help,
                        choices: model_params!(@choices $($choices)?),
                    },
                )*
            ];

            /// The fields of `values`, which [`resolve`](crate::params::resolve) completed and
            /// checked against [`Self::SPECS`].
            pub fn from_values(values: &$crate::params::ParamValues) -> Self {
                $name {
                    $( $field: values[stringify!($field)], )*
                }
            }

            /// The fields present in `values` (live changes).
            pub fn changes(values: &$crate::params::ParamValues) -> $changes {
                $changes {
                    $( $field: values.get(stringify!($field)).copied(), )*
                }
            }
        }
    };
}
pub(crate) use model_params;

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            name: "taum",
            unit: Unit::Seconds,
            default: 10e-3,
            min: 1e-4,
            max: 1.0,
            help: "membrane time constant",
            choices: &[],
        },
        ParamSpec {
            name: "N",
            unit: Unit::Count,
            default: 1000.0,
            min: 1.0,
            max: 10_000.0,
            help: "inputs",
            choices: &[],
        },
        ParamSpec {
            name: "El",
            unit: Unit::Volts,
            default: -70e-3,
            min: -0.2,
            max: 0.1,
            help: "rest",
            choices: &[],
        },
        ParamSpec {
            name: "guard",
            unit: Unit::Count,
            default: 0.0,
            min: 0.0,
            max: 2.0,
            help: "guard",
            choices: &["none", "clip", "spectral"],
        },
    ];

    #[test]
    fn choices_read_by_name_or_index() {
        let guard = &SPECS[3];
        assert_eq!(parse_value(guard, "spectral"), Ok(2.0));
        assert_eq!(parse_value(guard, " clip "), Ok(1.0));
        assert_eq!(parse_value(guard, "1"), Ok(1.0));
        let err = parse_value(guard, "spectra").unwrap_err();
        assert!(
            err.to_string().contains("one of none, clip, spectral"),
            "{err}"
        );
    }

    #[test]
    fn suffixes_convert_to_si() {
        let taum = &SPECS[0];
        assert_eq!(parse_value(taum, "20ms"), Ok(20e-3));
        assert_eq!(parse_value(taum, "20 ms"), Ok(20e-3));
        assert_eq!(parse_value(taum, "0.02"), Ok(0.02));
        assert_eq!(parse_value(taum, "5us"), Ok(5e-6));
        assert_eq!(parse_value(&SPECS[2], "-65mV"), Ok(-65e-3));
        assert!(matches!(
            parse_value(taum, "20mV"),
            Err(ParamError::Unreadable { .. })
        ));
        assert!(matches!(
            parse_value(&SPECS[1], "10ms"),
            Err(ParamError::Unreadable { .. })
        ));
    }

    #[test]
    fn resolve_checks_names_ranges_and_whole_counts() {
        let mut o = ParamValues::new();
        o.insert("taum".into(), 0.02);
        let v = resolve(SPECS, &o).unwrap();
        assert_eq!(v["taum"], 0.02);
        assert_eq!(v["N"], 1000.0);

        o.insert("tau".into(), 1.0);
        let e = resolve(SPECS, &o).unwrap_err();
        assert_eq!(e.param(), Some("tau"));
        assert!(e.to_string().contains("known: taum, N, El"), "{e}");

        let mut o = ParamValues::new();
        o.insert("N".into(), 2.5);
        assert_eq!(
            resolve(SPECS, &o),
            Err(ParamError::NotWhole {
                name: "N".into(),
                value: 2.5
            })
        );
        o.insert("N".into(), f64::NAN);
        assert!(matches!(
            resolve(SPECS, &o),
            Err(ParamError::OutOfRange { .. })
        ));
        o.insert("N".into(), 0.0);
        assert!(resolve(SPECS, &o)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }

    model_params! {
        /// Two parameters, for the macro's test.
        struct Pair / PairChanges {
            taum: Seconds = 10e-3, [1e-4, 1.0], "membrane time constant";
            N: Count = 1000.0, [1.0, 1e4], "inputs";
        }
    }

    #[test]
    fn composed_tables_keep_every_spec_in_order() {
        const BOTH: [ParamSpec; 6] = concat_specs(&[Pair::SPECS, SPECS]);
        let names: Vec<&str> = BOTH.iter().map(|s| s.name).collect();
        assert_eq!(names, ["taum", "N", "taum", "N", "El", "guard"]);
        assert_eq!(BOTH[4], SPECS[2]);
    }

    #[test]
    fn declared_parameters_yield_their_specs_and_typed_values() {
        assert_eq!(Pair::SPECS.len(), 2);
        assert_eq!(
            (
                Pair::SPECS[0].name,
                Pair::SPECS[0].unit,
                Pair::SPECS[0].default
            ),
            ("taum", Unit::Seconds, 10e-3)
        );
        assert_eq!((Pair::SPECS[1].min, Pair::SPECS[1].max), (1.0, 1e4));
        let mut o = ParamValues::new();
        o.insert("N".into(), 20.0);
        let values = resolve(Pair::SPECS, &o).unwrap();
        assert_eq!(
            Pair::from_values(&values),
            Pair {
                taum: 10e-3,
                N: 20.0
            }
        );
        assert_eq!(
            Pair::changes(&o),
            PairChanges {
                taum: None,
                N: Some(20.0)
            }
        );
    }
}
