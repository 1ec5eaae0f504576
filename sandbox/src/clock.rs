//! Time source of the sandbox, so tests can move time by hand instead of sleeping.
//!
//! The store (timestamps, import jobs) and the limits (rate window, daily quota) read the
//! time only through a [`SharedClock`].

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Returns the current time in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// A clock shared between the store and the limits.
pub type SharedClock = Arc<dyn Clock>;

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Returns a shared system clock.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// A clock that does not move until a test sets or advances it. Clones share the same
/// time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    current: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// Creates a clock that reads `start` until it is moved.
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock {
            current: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward (or backward, for a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *current += by;
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: DateTime<Utc>) {
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = to;
    }

    /// Returns this clock as a [`SharedClock`] that follows every later move.
    pub fn shared(&self) -> SharedClock {
        Arc::new(self.clone())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_clones_share_time() {
        let start = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        let shared = clock.shared();

        clock.advance(Duration::seconds(90));

        assert_eq!(shared.now(), start + Duration::seconds(90));
    }
}
