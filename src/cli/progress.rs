//! Progress bars on standard error, for the draws of a run and for the
//! sensitivity analysis after them.
//!
//! A bar appears only on a terminal, outside CI (`CI` set), without
//! `--quiet`, and once its step has taken longer than [`PROGRESS_AFTER`], so
//! short runs, logs and tests stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a step must take before its progress bar appears.
const PROGRESS_AFTER: Duration = Duration::from_millis(1500);

/// True when progress may be drawn: on a terminal, outside CI, without `--quiet`.
pub fn allowed() -> bool {
    !super::quiet() && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A progress bar over `total` steps named `unit` ("draws"); safe to update
/// from worker threads.
pub struct Progress {
    bar: ProgressBar,
    allowed: bool,
    start: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A hidden bar; it shows itself on [`Progress::update`] once allowed and due.
    pub fn new(total: u64, unit: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{per_sec}}  eta {{eta}}"))
        {
            bar.set_style(style);
        }
        Progress { bar, allowed: allowed(), start: Instant::now(), shown: AtomicBool::new(false) }
    }

    /// True when this bar may be drawn (see [`allowed`]).
    pub fn allowed(&self) -> bool {
        self.allowed
    }

    /// `done` steps are finished.
    pub fn update(&self, done: u64) {
        self.bar.set_position(done);
        if self.allowed && self.start.elapsed() >= PROGRESS_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Remove the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bar that may not be drawn never shows, however long its step takes;
    /// one that may shows once its step is due; either counts from any thread.
    #[test]
    fn a_bar_shows_only_when_allowed_and_due() {
        let hidden = Progress { allowed: false, start: Instant::now() - PROGRESS_AFTER, ..Progress::new(10, "draws") };
        std::thread::scope(|s| {
            s.spawn(|| hidden.update(3));
        });
        hidden.update(10);
        assert!(!hidden.shown.load(Ordering::Relaxed));
        assert_eq!(hidden.bar.position(), 10);
        hidden.finish();

        let early = Progress { allowed: true, ..Progress::new(10, "runs") };
        early.update(1);
        assert!(!early.shown.load(Ordering::Relaxed), "shown before it was due");
        let due = Progress { allowed: true, start: Instant::now() - PROGRESS_AFTER, ..Progress::new(10, "runs") };
        due.update(1);
        assert!(due.shown.load(Ordering::Relaxed));
        due.finish();
    }
}
