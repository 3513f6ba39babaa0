//! Binomial counts by inversion of a precomputed distribution function: the number of spikes
//! that `n` independent Poisson sources at rate r send in one step (`Binomial(n, r dt)`), one
//! draw per neuron per step, as Brian2's `PoissonInput` (which switches to a normal
//! approximation when `n p > 5`; this stays exact).
//!
//! Written out rather than taken from rand_distr, whose `Binomial` computes through std's
//! `ln`/`exp` (not bit-identical between native and wasm32, see `crate::rng`). The table spans
//! the mean +- 14 standard deviations (and at least 0 .. 40): the mass outside is below 1e-40.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// `Binomial(n, p)`, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Binomial {
    /// The smallest count in the table.
    low: u32,
    /// `cdf[i] = P(X <= low + i)`, the last entry 1.
    cdf: Vec<f64>,
    /// The first [`HEAD`] entries of `cdf`, padded with 2 (above any uniform draw).
    head: [f64; HEAD],
}

/// Entries compared without branches on every draw: a small mean's whole mass lies in them, so
/// a draw costs a few vector compares and no mispredicted branch.
const HEAD: usize = 8;

impl Binomial {
    /// `n` trials of probability `p` in [0, 1].
    pub fn new(n: u32, p: f64) -> Self {
        if p <= 0.0 || n == 0 {
            return Binomial::from_cdf(0, vec![1.0]);
        }
        if p >= 1.0 {
            return Binomial::from_cdf(n, vec![1.0]);
        }
        let nf = n as f64;
        let mean = nf * p;
        let sd = (mean * (1.0 - p)).sqrt();
        let low = (mean - 14.0 * sd).floor().max(0.0) as u32;
        let high = ((mean + 14.0 * sd).ceil() as u32).max(40).min(n);
        let ln_choose =
            |k: f64| libm::lgamma(nf + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(nf - k + 1.0);
        let (ln_p, ln_q) = (libm::log(p), libm::log1p(-p));
        let pmf: Vec<f64> = (low..=high)
            .map(|k| {
                let k = k as f64;
                libm::exp(ln_choose(k) + k * ln_p + (nf - k) * ln_q)
            })
            .collect();
        let total: f64 = pmf.iter().sum();
        let mut running = 0.0;
        let mut cdf: Vec<f64> = pmf
            .iter()
            .map(|m| {
                running += m / total;
                running
            })
            .collect();
        *cdf.last_mut().expect("a table") = 1.0;
        // Entries past the first that reaches 1 can never be drawn.
        let ones = cdf.iter().position(|&c| c >= 1.0).expect("the last is 1");
        cdf.truncate(ones + 1);
        Binomial::from_cdf(low, cdf)
    }

    fn from_cdf(low: u32, cdf: Vec<f64>) -> Self {
        let mut head = [2.0; HEAD];
        for (h, c) in head.iter_mut().zip(&cdf) {
            *h = *c;
        }
        Binomial { low, cdf, head }
    }

    /// Whether a count takes a draw (one `f64`, two 32-bit words of the stream): not when the
    /// count is certain.
    pub fn draws(&self) -> bool {
        self.cdf.len() > 1
    }

    /// One count.
    #[inline]
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> u32 {
        if !self.draws() {
            return self.low;
        }
        let u: f64 = rng.random();
        // The count is the number of entries at or below u (the first entry above u is the
        // drawn one): the same count a scan finds, without its branches.
        let mut i = self
            .head
            .iter()
            .map(|&c| usize::from(c <= u))
            .sum::<usize>();
        if i == HEAD {
            i += self.cdf[HEAD..].iter().take_while(|&&c| c <= u).count();
        }
        self.low + i.min(self.cdf.len() - 1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{part_rng, PartStream};

    fn moments(b: &Binomial, draws: usize) -> (f64, f64) {
        let mut rng = part_rng(1, PartStream::PoissonSpikes, 0);
        let xs: Vec<f64> = (0..draws).map(|_| b.sample(&mut rng) as f64).collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws as f64;
        (mean, var)
    }

    #[test]
    fn counts_have_the_binomial_mean_and_variance() {
        // Brunel's drive: 1000 sources at 20 Hz, dt 0.1 ms: n p = 2, n p (1 - p) = 1.996.
        // Over 200 000 draws the mean's standard error is 0.0032, the variance's about 0.0095.
        let (mean, var) = moments(&Binomial::new(1000, 20.0 * 1e-4), 200_000);
        assert!((mean - 2.0).abs() < 0.016, "{mean}");
        assert!((var - 1.996).abs() < 0.05, "{var}");
        // A large mean (n p = 5000, sd 50): the table starts well above 0.
        let b = Binomial::new(100_000, 0.05);
        assert!(b.low > 4000, "{}", b.low);
        let (mean, var) = moments(&b, 50_000);
        assert!((mean - 5000.0).abs() < 1.0, "{mean}");
        assert!((var / 4750.0 - 1.0).abs() < 0.05, "{var}");
        let mut rng = part_rng(1, PartStream::PoissonSpikes, 0);
        // The branchless count and a plain scan draw the same numbers.
        for b in [
            Binomial::new(1000, 2e-3),
            Binomial::new(100_000, 0.05),
            Binomial::new(3, 0.5),
        ] {
            let mut a = part_rng(2, PartStream::PoissonSpikes, 0);
            let mut c = a.clone();
            for _ in 0..10_000 {
                let u: f64 = c.random();
                let scanned = b.cdf.iter().position(|&x| u < x).unwrap();
                assert_eq!(b.sample(&mut a), b.low + scanned as u32);
            }
        }
        assert_eq!(Binomial::new(7, 0.0).sample(&mut rng), 0);
        assert_eq!(Binomial::new(7, 1.0).sample(&mut rng), 7);
    }
}
