//! Marketo's API limits: calls per rolling window, concurrent calls, a daily quota and a
//! maximum batch size.
//!
//! Marketo documented 100 calls per 20 seconds (fault 20023), 10 concurrent calls
//! (fault 20024), 10,000 calls a day resetting at midnight US Central Standard Time
//! (fault 20015), and batches of at most 300 records. [`LimitsConfig::default`] uses
//! those numbers; every one can be changed.
//!
//! The SOAP layer calls [`Limits::begin_call`] once per request and keeps the returned
//! [`CallPermit`] alive until the response is written. A rejected call is not counted
//! against the window or the quota.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

use crate::clock::SharedClock;
use crate::error::{FaultCode, SandboxError, SandboxResult};

/// The numbers the limits enforce.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitsConfig {
    /// Length of the rolling rate window.
    pub rate_window: Duration,
    /// Calls accepted within one rate window; the next call gets fault 20023.
    pub max_calls_per_window: u32,
    /// Calls accepted at the same time; the next one gets fault 20024.
    pub max_concurrent_calls: u32,
    /// Calls accepted per quota day; the next one gets fault 20015.
    pub daily_quota: u32,
    /// Time zone whose midnight starts a new quota day.
    pub quota_day_zone: FixedOffset,
    /// Records accepted in one batch; a larger batch gets fault 20110.
    pub max_batch_size: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            rate_window: Duration::seconds(20),
            max_calls_per_window: 100,
            max_concurrent_calls: 10,
            daily_quota: 10_000,
            // Marketo reset the quota at 12:00 AM CST, which is UTC-6 all year.
            quota_day_zone: FixedOffset::west_opt(6 * 3600).expect("UTC-6 is a valid offset"),
            max_batch_size: 300,
        }
    }
}

/// A snapshot of the counters, for diagnostics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitsUsage {
    /// Calls accepted within the current rate window.
    pub calls_in_window: u32,
    /// Calls in flight.
    pub concurrent_calls: u32,
    /// Calls accepted in the current quota day.
    pub calls_today: u32,
}

#[derive(Debug)]
struct LimitsState {
    accepted_at: VecDeque<DateTime<Utc>>,
    concurrent_calls: u32,
    quota_day: Option<NaiveDate>,
    calls_today: u32,
}

/// The limit counters of one Marketo instance. Clones share the same counters.
#[derive(Debug, Clone)]
pub struct Limits {
    config: LimitsConfig,
    clock: SharedClock,
    state: Arc<Mutex<LimitsState>>,
}

impl Limits {
    /// Creates counters that enforce `config`, reading time from `clock`.
    pub fn new(config: LimitsConfig, clock: SharedClock) -> Self {
        let state = LimitsState {
            accepted_at: VecDeque::new(),
            concurrent_calls: 0,
            quota_day: None,
            calls_today: 0,
        };
        Limits {
            config,
            clock,
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// Returns the numbers these counters enforce.
    pub fn config(&self) -> &LimitsConfig {
        &self.config
    }

    /// Admits one call, or rejects it with the fault of the first limit it exceeds.
    ///
    /// The checks run in this order: daily quota (20015), rate window (20023),
    /// concurrency (20024). An admitted call counts against all three until its permit
    /// is dropped (concurrency) or it ages out (window, day).
    pub fn begin_call(&self) -> SandboxResult<CallPermit> {
        let now = self.clock.now();
        let mut state = self.lock_state();
        self.forget_expired(&mut state, now);

        if state.calls_today >= self.config.daily_quota {
            return Err(SandboxError::new(
                FaultCode::RequestLimitExceeded,
                format!(
                    "the daily quota of {} calls is used up; it resets at midnight UTC{}",
                    self.config.daily_quota, self.config.quota_day_zone
                ),
            ));
        }
        if state.accepted_at.len() as u32 >= self.config.max_calls_per_window {
            return Err(SandboxError::new(
                FaultCode::RateLimitExceeded,
                format!(
                    "more than {} calls in the last {} seconds; wait and retry",
                    self.config.max_calls_per_window,
                    self.config.rate_window.num_seconds()
                ),
            ));
        }
        if state.concurrent_calls >= self.config.max_concurrent_calls {
            return Err(SandboxError::new(
                FaultCode::ConcurrencyLimitExceeded,
                format!(
                    "more than {} calls in flight at once; wait for a response before sending another request",
                    self.config.max_concurrent_calls
                ),
            ));
        }

        state.accepted_at.push_back(now);
        state.calls_today += 1;
        state.concurrent_calls += 1;
        Ok(CallPermit {
            state: Arc::clone(&self.state),
        })
    }

    /// Rejects a batch of more than [`LimitsConfig::max_batch_size`] records with fault
    /// 20110. `what` names the batch in the message, for example `"leadRecordList"`.
    pub fn check_batch_size(&self, what: &str, size: usize) -> SandboxResult<()> {
        if size > self.config.max_batch_size {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!(
                    "{what} has {size} records, more than the maximum batch size of {}; split the request",
                    self.config.max_batch_size
                ),
            ));
        }
        Ok(())
    }

    /// Returns the current counters.
    pub fn usage(&self) -> LimitsUsage {
        let now = self.clock.now();
        let mut state = self.lock_state();
        self.forget_expired(&mut state, now);
        LimitsUsage {
            calls_in_window: state.accepted_at.len() as u32,
            concurrent_calls: state.concurrent_calls,
            calls_today: state.calls_today,
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, LimitsState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Drops calls that left the rate window and resets the quota on a new day.
    fn forget_expired(&self, state: &mut LimitsState, now: DateTime<Utc>) {
        while let Some(oldest) = state.accepted_at.front() {
            if now - *oldest >= self.config.rate_window {
                state.accepted_at.pop_front();
            } else {
                break;
            }
        }

        let today = now.with_timezone(&self.config.quota_day_zone).date_naive();
        if state.quota_day != Some(today) {
            state.quota_day = Some(today);
            state.calls_today = 0;
        }
    }
}

/// Proof that a call was admitted. Dropping it ends the call for the concurrency limit.
#[derive(Debug)]
pub struct CallPermit {
    state: Arc<Mutex<LimitsState>>,
}

impl Drop for CallPermit {
    fn drop(&mut self) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.concurrent_calls = state.concurrent_calls.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::TimeZone;

    fn limits_at(start: DateTime<Utc>, config: LimitsConfig) -> (Limits, ManualClock) {
        let clock = ManualClock::new(start);
        (Limits::new(config, clock.shared()), clock)
    }

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 18, 0, 0).unwrap()
    }

    #[test]
    fn rate_limit_trips_on_call_101() {
        let (limits, _clock) = limits_at(noon(), LimitsConfig::default());

        for call in 1..=100 {
            drop(
                limits
                    .begin_call()
                    .unwrap_or_else(|e| panic!("call {call} rejected: {e}")),
            );
        }
        let error = limits.begin_call().unwrap_err();

        assert_eq!(error.code, FaultCode::RateLimitExceeded);
        assert_eq!(limits.usage().calls_in_window, 100);
    }

    #[test]
    fn rate_window_reopens_after_twenty_seconds() {
        let (limits, clock) = limits_at(noon(), LimitsConfig::default());
        for _ in 0..100 {
            drop(limits.begin_call().unwrap());
        }

        clock.advance(Duration::milliseconds(19_999));
        assert_eq!(
            limits.begin_call().unwrap_err().code,
            FaultCode::RateLimitExceeded
        );

        clock.advance(Duration::milliseconds(1));
        assert!(limits.begin_call().is_ok());
    }

    #[test]
    fn concurrency_limit_trips_on_call_11() {
        let (limits, _clock) = limits_at(noon(), LimitsConfig::default());

        let permits: Vec<CallPermit> = (0..10).map(|_| limits.begin_call().unwrap()).collect();
        let error = limits.begin_call().unwrap_err();

        assert_eq!(error.code, FaultCode::ConcurrencyLimitExceeded);
        assert_eq!(limits.usage().concurrent_calls, 10);
        drop(permits);
        assert_eq!(limits.usage().concurrent_calls, 0);
        assert!(limits.begin_call().is_ok());
    }

    #[test]
    fn daily_quota_trips_on_call_past_quota() {
        let config = LimitsConfig {
            daily_quota: 5,
            ..LimitsConfig::default()
        };
        let (limits, _clock) = limits_at(noon(), config);

        for _ in 0..5 {
            drop(limits.begin_call().unwrap());
        }
        let error = limits.begin_call().unwrap_err();

        assert_eq!(error.code, FaultCode::RequestLimitExceeded);
        assert_eq!(limits.usage().calls_today, 5);
    }

    #[test]
    fn daily_quota_resets_at_central_midnight() {
        let config = LimitsConfig {
            daily_quota: 1,
            ..LimitsConfig::default()
        };
        // 05:59:59 UTC is 23:59:59 of the previous day at UTC-6.
        let (limits, clock) =
            limits_at(Utc.with_ymd_and_hms(2024, 5, 2, 5, 59, 59).unwrap(), config);
        drop(limits.begin_call().unwrap());
        assert_eq!(
            limits.begin_call().unwrap_err().code,
            FaultCode::RequestLimitExceeded
        );

        clock.advance(Duration::seconds(1));

        assert!(limits.begin_call().is_ok());
    }

    #[test]
    fn rejected_calls_are_not_counted() {
        let config = LimitsConfig {
            max_calls_per_window: 2,
            ..LimitsConfig::default()
        };
        let (limits, _clock) = limits_at(noon(), config);
        drop(limits.begin_call().unwrap());
        drop(limits.begin_call().unwrap());

        for _ in 0..5 {
            assert!(limits.begin_call().is_err());
        }

        assert_eq!(limits.usage().calls_today, 2);
        assert_eq!(limits.usage().calls_in_window, 2);
    }

    #[test]
    fn batch_of_301_is_rejected() {
        let (limits, _clock) = limits_at(noon(), LimitsConfig::default());

        assert!(limits.check_batch_size("leadRecordList", 300).is_ok());
        let error = limits.check_batch_size("leadRecordList", 301).unwrap_err();

        assert_eq!(error.code, FaultCode::BadParameter);
        assert!(
            error.message.contains("leadRecordList has 301 records"),
            "{}",
            error.message
        );
    }
}
