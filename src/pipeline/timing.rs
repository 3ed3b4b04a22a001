//! One clock for a scan: the wall time of each stage (marked in order) and the time spent
//! in parsing, evaluation, adaptation, linking and rules summed over threads (those
//! interleave: each group of files is parsed, evaluated and dropped before the next).
//! Printed to standard error when `IACGUARD_TIMINGS` is set.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The phases that run inside the groups, on every thread.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Phase {
    Parse,
    Evaluate,
    Adapt,
    Link,
    Rules,
}

const PHASES: [(Phase, &str); 5] = [
    (Phase::Parse, "parse"),
    (Phase::Evaluate, "evaluate"),
    (Phase::Adapt, "adapt"),
    (Phase::Link, "link"),
    (Phase::Rules, "rules"),
];

pub(crate) struct Clock {
    enabled: bool,
    /// When the last stage ended.
    last: Mutex<Instant>,
    /// Nanoseconds per [`Phase`], over all threads.
    phases: [AtomicU64; 5],
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            enabled: std::env::var_os("IACGUARD_TIMINGS").is_some(),
            last: Mutex::new(Instant::now()),
            phases: Default::default(),
        }
    }
}

impl Clock {
    /// Runs `f`, adding its time to `phase`.
    pub(crate) fn time<T>(&self, phase: Phase, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.phases[phase as usize].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// Ends a stage: prints its wall time and the memory figures.
    pub(crate) fn mark(&self, stage: &str) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        eprintln!(
            "{stage:>16}: {:>8.1} ms  rss {:>6} KiB  peak {:>6} KiB",
            (now - *last).as_secs_f64() * 1e3,
            proc_status("VmRSS:"),
            proc_status("VmHWM:"),
        );
        *last = now;
    }

    /// Prints the time of each phase, summed over threads.
    pub(crate) fn report_phases(&self) {
        if !self.enabled {
            return;
        }
        for (phase, name) in PHASES {
            let ms = self.phases[phase as usize].load(Ordering::Relaxed) as f64 / 1e6;
            eprintln!("{:>24}: {ms:>8.1} ms", format!("{name} (all threads)"));
        }
    }

    /// A line of figures, printed only when timings are asked for.
    pub(crate) fn line(&self, what: &str, text: impl FnOnce() -> String) {
        if self.enabled {
            eprintln!("{what:>24}: {}", text());
        }
    }
}

/// A memory figure of this process from `/proc/self/status`, in KiB (0 where there is none).
fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
