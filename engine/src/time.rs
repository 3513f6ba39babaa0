//! Logical time: integer nanoseconds since the start of a run.
//!
//! Ground rules:
//! - Time is an integer (`u64` ns). Floats (`as_secs_f64`) are derived views for display and
//!   for model equations; they are exact below 2^53 ns (about 104 days of simulated time).
//! - Arithmetic is checked: an overflow is an error ([`TimeError::Overflow`]), never a wrap.
//! - Nothing here reads a wall clock. Wall clocks live behind [`crate::clock::Clock`].

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Nanoseconds in one second.
pub const NANOS_PER_SEC: u64 = 1_000_000_000;

/// Errors of time arithmetic and conversion.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TimeError {
    /// A sum or product left the `u64` nanosecond range (about 584 years).
    #[error("time overflow: {0} exceeds the u64 nanosecond range")]
    Overflow(&'static str),
    /// A span given in seconds was negative, NaN or infinite.
    #[error("invalid time span {value} s: must be finite and >= 0")]
    InvalidSeconds {
        /// The rejected value, in seconds.
        value: f64,
    },
}

/// A point on the logical time line, in nanoseconds since the run started.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct TimePoint(pub u64);

/// A non-negative length of logical time, in nanoseconds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct TimeSpan(pub u64);

impl TimePoint {
    /// The start of every run.
    pub const ZERO: TimePoint = TimePoint(0);

    /// Nanoseconds since the start.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Seconds since the start (exact below 2^53 ns).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SEC as f64
    }

    /// `self + span`, or an error on overflow.
    pub fn checked_add(self, span: TimeSpan) -> Result<TimePoint, TimeError> {
        self.0
            .checked_add(span.0)
            .map(TimePoint)
            .ok_or(TimeError::Overflow("TimePoint + TimeSpan"))
    }

    /// The span from `earlier` to `self`, or `None` if `earlier` is later.
    pub fn checked_since(self, earlier: TimePoint) -> Option<TimeSpan> {
        self.0.checked_sub(earlier.0).map(TimeSpan)
    }
}

impl TimeSpan {
    /// No time at all.
    pub const ZERO: TimeSpan = TimeSpan(0);

    /// A span of `ns` nanoseconds.
    pub const fn from_nanos(ns: u64) -> Self {
        TimeSpan(ns)
    }

    /// A span of `us` microseconds, or an error on overflow.
    pub fn from_micros(us: u64) -> Result<Self, TimeError> {
        us.checked_mul(1_000)
            .map(TimeSpan)
            .ok_or(TimeError::Overflow("microseconds to ns"))
    }

    /// A span of `ms` milliseconds, or an error on overflow.
    pub fn from_millis(ms: u64) -> Result<Self, TimeError> {
        ms.checked_mul(1_000_000)
            .map(TimeSpan)
            .ok_or(TimeError::Overflow("milliseconds to ns"))
    }

    /// A span from seconds, rounded to the nearest nanosecond.
    pub fn from_secs_f64(secs: f64) -> Result<Self, TimeError> {
        if !secs.is_finite() || secs < 0.0 {
            return Err(TimeError::InvalidSeconds { value: secs });
        }
        let ns = (secs * NANOS_PER_SEC as f64).round();
        if ns >= u64::MAX as f64 {
            return Err(TimeError::Overflow("seconds to ns"));
        }
        Ok(TimeSpan(ns as u64))
    }

    /// Nanoseconds in this span.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Seconds in this span (exact below 2^53 ns).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SEC as f64
    }

    /// `self * n`, or an error on overflow.
    pub fn checked_mul(self, n: u64) -> Result<TimeSpan, TimeError> {
        self.0
            .checked_mul(n)
            .map(TimeSpan)
            .ok_or(TimeError::Overflow("TimeSpan * n"))
    }
}

impl fmt::Display for TimeSpan {
    /// Shows the span in the largest unit that keeps it readable: `250 ns`, `10 us`, `1.5 ms`, `2 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_nanos(self.0, f)
    }
}

impl fmt::Display for TimePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t=")?;
        format_nanos(self.0, f)
    }
}

fn format_nanos(ns: u64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let (scale, unit) = match ns {
        0..1_000 => return write!(f, "{ns} ns"),
        1_000..1_000_000 => (1e3, "us"),
        1_000_000..NANOS_PER_SEC => (1e6, "ms"),
        _ => (1e9, "s"),
    };
    let value = ns as f64 / scale;
    // Up to three decimals, trailing zeros trimmed: 1.5 ms, 10 us.
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    write!(f, "{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_overflow_is_an_error_not_a_wrap() {
        let near_end = TimePoint(u64::MAX - 5);
        assert_eq!(near_end.checked_add(TimeSpan(5)), Ok(TimePoint(u64::MAX)));
        assert_eq!(
            near_end.checked_add(TimeSpan(6)),
            Err(TimeError::Overflow("TimePoint + TimeSpan"))
        );
        assert!(TimeSpan(u64::MAX / 2 + 1).checked_mul(2).is_err());
        assert!(TimeSpan::from_millis(u64::MAX / 1_000).is_err());
    }

    #[test]
    fn seconds_convert_and_reject_nonsense() {
        assert_eq!(TimeSpan::from_secs_f64(1.5e-6), Ok(TimeSpan(1_500)));
        assert_eq!(TimeSpan::from_secs_f64(0.0), Ok(TimeSpan::ZERO));
        assert!(matches!(
            TimeSpan::from_secs_f64(-1.0),
            Err(TimeError::InvalidSeconds { .. })
        ));
        assert!(TimeSpan::from_secs_f64(f64::NAN).is_err());
        assert!(TimeSpan::from_secs_f64(f64::INFINITY).is_err());
        assert!(TimeSpan::from_secs_f64(1e12).is_err());
        assert_eq!(TimePoint(2_500_000_000).as_secs_f64(), 2.5);
    }

    #[test]
    fn since_is_none_backwards() {
        assert_eq!(TimePoint(10).checked_since(TimePoint(4)), Some(TimeSpan(6)));
        assert_eq!(TimePoint(4).checked_since(TimePoint(10)), None);
    }

    #[test]
    fn display_picks_a_readable_unit() {
        assert_eq!(TimeSpan(250).to_string(), "250 ns");
        assert_eq!(TimeSpan(10_000).to_string(), "10 us");
        assert_eq!(TimeSpan(1_500_000).to_string(), "1.5 ms");
        assert_eq!(TimeSpan(2 * NANOS_PER_SEC).to_string(), "2 s");
        assert_eq!(TimePoint(1_000).to_string(), "t=1 us");
    }
}
