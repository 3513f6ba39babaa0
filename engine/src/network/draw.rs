//! Drawing values from a model's distributions, and the geometric gaps that connect pairs with
//! probability p. Through `libm` and integer draws only, so natively and in wasm32 the same
//! seed gives the same bits (see `crate::rng`).

use super::spec::DistSpec;
use crate::rng::standard_normal;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One value of `dist`.
pub fn draw(dist: &DistSpec, rng: &mut ChaCha8Rng) -> f64 {
    match *dist {
        DistSpec::Constant(v) => v,
        DistSpec::Uniform(low, high) => low + (high - low) * rng.random::<f64>(),
        DistSpec::Normal { mean, sd, min, max } => {
            (mean + sd * standard_normal(rng)).clamp(min, max)
        }
    }
}

/// Independent Bernoulli(p) trials as the gaps between successes: `next` gives the number of
/// failures before the next success, so drawing the pairs of a sparse projection costs per
/// synapse, not per pair. The same process as one draw per pair.
pub struct Gaps {
    /// ln(1 - p); 0 when p = 1, -inf when p = 0.
    log_q: f64,
    p: f64,
}

impl Gaps {
    /// Trials with success probability `p` in [0, 1].
    pub fn new(p: f64) -> Self {
        Gaps {
            log_q: libm::log1p(-p),
            p,
        }
    }

    /// Failures before the next success; `u64::MAX` when p = 0.
    pub fn next(&self, rng: &mut ChaCha8Rng) -> u64 {
        if self.p >= 1.0 {
            return 0;
        }
        if self.p <= 0.0 {
            return u64::MAX;
        }
        let u = 1.0 - rng.random::<f64>();
        let k = libm::log(u) / self.log_q;
        k.min(9.0e15) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{part_rng, PartStream};

    #[test]
    fn gaps_give_the_bernoulli_success_rate_and_draws_their_moments() {
        let mut rng = part_rng(3, PartStream::Connectivity, 0);
        let gaps = Gaps::new(0.02);
        let (mut position, mut hits) = (0u64, 0u64);
        let trials = 10_000_000u64;
        loop {
            position += gaps.next(&mut rng);
            if position >= trials {
                break;
            }
            hits += 1;
            position += 1;
        }
        // Binomial(1e7, 0.02): mean 2e5, sd 443.
        assert!((hits as f64 - 2e5).abs() < 4.0 * 443.0, "{hits}");
        assert_eq!(Gaps::new(1.0).next(&mut rng), 0);
        assert_eq!(Gaps::new(0.0).next(&mut rng), u64::MAX);

        let n = 100_000;
        let normal = DistSpec::Normal {
            mean: 4.0,
            sd: 1.5,
            min: 0.0,
            max: f64::INFINITY,
        };
        let xs: Vec<f64> = (0..n).map(|_| draw(&normal, &mut rng)).collect();
        assert!(xs.iter().all(|&x| x >= 0.0));
        let mean = xs.iter().sum::<f64>() / n as f64;
        // Clipping N(4, 1.5) at 0 moves the mean up by about 1.5 * phi(2.67) - ... < 0.01.
        assert!((mean - 4.0).abs() < 0.03, "{mean}");
        let u: Vec<f64> = (0..n)
            .map(|_| draw(&DistSpec::Uniform(-2.0, 6.0), &mut rng))
            .collect();
        assert!(u.iter().all(|&x| (-2.0..6.0).contains(&x)));
        let mean = u.iter().sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.05, "{mean}");
    }
}
