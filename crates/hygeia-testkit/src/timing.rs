//! Timing for the benchmarks in `bench/`: warm up, run, and report the median and p99.

use std::time::{Duration, Instant};

/// The `q` quantile (0 to 1) of sorted durations, in milliseconds.
pub fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

/// Runs `f` a tenth of `runs` times to warm up, then `runs` times timed; returns (p50, p99)
/// in milliseconds.
pub async fn measure<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..runs / 10 {
        f().await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        times.push(start.elapsed());
    }
    times.sort();
    (quantile(&times, 0.5), quantile(&times, 0.99))
}
