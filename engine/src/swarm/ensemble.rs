//! The ensemble's vote with a confidence interval, and the Jensen-Shannon divergence used as
//! the continuity measure between consecutive windows.
//!
//! Vote: each member gives `p_i`, its probability of regime 1 (two regimes: regime 0 has
//! `1 - p_i`), with a vote weight `w_i`. The ensemble's probability is the weighted mean
//! `m = sum w_i p_i / sum w_i`. Its 95 % confidence interval is `m +- 1.96 se`, clamped to
//! [0, 1], from the weighted spread of the members: `se = sqrt(v / n_eff)` with
//! `v = sum w_i (p_i - m)^2 / sum w_i` and Kish's effective sample size
//! `n_eff = (sum w_i)^2 / sum w_i^2`. It is a normal approximation for the mean of the
//! members' opinions (how much they agree), not a calibrated probability of being right.

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The ensemble's answer at one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vote {
    /// Probability of regime 1 (weighted mean of the members).
    pub p1: f64,
    /// 95 % interval of `p1`.
    pub low: f64,
    /// 95 % interval of `p1`.
    pub high: f64,
}

impl Vote {
    /// The regime voted for (ties go to 0).
    pub fn winner(&self) -> u8 {
        u8::from(self.p1 > 0.5)
    }

    /// The lower bound of the winner's probability.
    pub fn confidence(&self) -> f64 {
        if self.winner() == 1 {
            self.low
        } else {
            1.0 - self.high
        }
    }
}

/// Running weighted mean and spread for a vote (West's incremental algorithm: stable, and
/// exactly zero spread when all agree), filled member by member in a fixed order, so the
/// result does not depend on how the members were split across shards.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct VoteSums {
    w: f64,
    w2: f64,
    mean: f64,
    /// Sum of w (p - mean)^2.
    spread: f64,
}

impl VoteSums {
    /// Adds a member's probability `p1` with weight `w`.
    #[inline]
    pub fn add(&mut self, p1: f64, w: f64) {
        if w <= 0.0 {
            return;
        }
        self.w += w;
        self.w2 += w * w;
        let delta = p1 - self.mean;
        self.mean += delta * w / self.w;
        self.spread += w * delta * (p1 - self.mean);
    }

    /// The vote, or `None` with no weight.
    pub fn vote(&self) -> Option<Vote> {
        if self.w <= 0.0 {
            return None;
        }
        let m = self.mean;
        let v = (self.spread / self.w).max(0.0);
        let n_eff = self.w * self.w / self.w2;
        let half = Z95 * libm::sqrt(v / n_eff);
        Some(Vote {
            p1: m,
            low: (m - half).max(0.0),
            high: (m + half).min(1.0),
        })
    }
}

/// The weighted vote of members' `p1` with `weights` (see the module's description).
pub fn vote(p1: &[f64], weights: &[f64]) -> Option<Vote> {
    let mut sums = VoteSums::default();
    for (&p, &w) in p1.iter().zip(weights) {
        sums.add(p, w);
    }
    sums.vote()
}

/// Jensen-Shannon divergence between two distributions over the same outcomes, in bits:
/// `JSD(P, Q) = KL(P || M) / 2 + KL(Q || M) / 2`, `M = (P + Q) / 2`, with `0 log 0 = 0`.
/// In [0, 1]; 0 when equal, 1 when they share no outcome.
pub fn jensen_shannon(p: &[f64], q: &[f64]) -> f64 {
    let kl_to_mean = |a: f64, b: f64| {
        if a > 0.0 {
            a * libm::log2(2.0 * a / (a + b))
        } else {
            0.0
        }
    };
    let sum: f64 = p
        .iter()
        .zip(q)
        .map(|(&a, &b)| kl_to_mean(a, b) + kl_to_mean(b, a))
        .sum();
    (0.5 * sum).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn vote_of_two_disagreeing_members_by_hand() {
        // m = 0.5; v = ((0.2-0.5)^2 + (0.8-0.5)^2) / 2 = 0.09; n_eff = 2; se = sqrt(0.045).
        let v = vote(&[0.2, 0.8], &[1.0, 1.0]).unwrap();
        let half = Z95 * 0.045f64.sqrt();
        assert!(
            close(v.p1, 0.5) && close(v.low, 0.5 - half) && close(v.high, 0.5 + half),
            "{v:?}"
        );
        assert_eq!(v.winner(), 0);
    }

    #[test]
    fn weights_shift_the_vote_and_narrow_or_widen_the_interval() {
        // Weights 3 and 1: m = (3*0.9 + 0.1) / 4 = 0.7; v = (3*0.04 + 0.36) / 4 = 0.12;
        // n_eff = 16 / 10 = 1.6.
        let v = vote(&[0.9, 0.1], &[3.0, 1.0]).unwrap();
        let half = Z95 * (0.12f64 / 1.6).sqrt();
        assert!(close(v.p1, 0.7), "{v:?}");
        assert!(
            close(v.low, 0.7 - half) && close(v.high, (0.7 + half).min(1.0)),
            "{v:?}"
        );
        assert_eq!(v.winner(), 1);
        assert!(close(v.confidence(), v.low));
        // Unanimous members: no spread, a point interval.
        let sure = vote(&[0.1; 10], &[1.0; 10]).unwrap();
        assert!(close(sure.low, 0.1) && close(sure.high, 0.1));
        assert!(close(sure.confidence(), 0.9));
        // No weight: no vote.
        assert_eq!(vote(&[0.3], &[0.0]), None);
    }

    #[test]
    fn the_order_of_members_changes_nothing_that_matters() {
        let p = [0.11, 0.93, 0.57, 0.42, 0.66];
        let w = [0.3, 1.2, 0.7, 0.9, 0.05];
        let a = vote(&p, &w).unwrap();
        let mut rp = p;
        let mut rw = w;
        rp.reverse();
        rw.reverse();
        let b = vote(&rp, &rw).unwrap();
        assert!((a.p1 - b.p1).abs() < 1e-15 && (a.low - b.low).abs() < 1e-15);
    }

    #[test]
    fn jensen_shannon_by_hand() {
        assert_eq!(jensen_shannon(&[1.0, 0.0], &[0.0, 1.0]), 1.0);
        assert_eq!(jensen_shannon(&[0.3, 0.7], &[0.3, 0.7]), 0.0);
        // P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4):
        // KL(P||M) = 1/2 log2(2/3) + 1/2 log2(2) ; KL(Q||M) = log2(4/3).
        let expected = 0.5 * (0.5 * (2.0f64 / 3.0).log2() + 0.5) + 0.5 * (4.0f64 / 3.0).log2();
        assert!(close(jensen_shannon(&[0.5, 0.5], &[1.0, 0.0]), expected));
        assert!((expected - 0.311_278).abs() < 1e-6);
        // Symmetric.
        let (p, q) = ([0.2, 0.8], [0.6, 0.4]);
        assert!(close(jensen_shannon(&p, &q), jensen_shannon(&q, &p)));
    }
}
