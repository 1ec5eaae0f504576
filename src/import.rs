//! Waiting for an `importToList` job to finish without exceeding Marketo's guidance on
//! polling `getImportToListStatus`.
//!
//! Marketo asks callers to check an import's status at most once a minute; each check also
//! counts against the daily call quota. [`wait_for_import`] enforces that floor whatever the
//! caller asks for: the first check may come early (after [`ImportWait::first_check_after`]),
//! every later one at least [`MIN_POLL_INTERVAL`] after the previous one.

use std::future::Future;
use std::time::Duration;

use crate::types::{
    ImportToListStatusEnum, ParamsGetImportToListStatus, ResultGetImportToListStatus,
};
use crate::{Error, MktowsPort};

/// The shortest time allowed between two status checks of the same import: one minute.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// How to wait for an import.
#[derive(Debug, Clone)]
pub struct ImportWait {
    /// Delay before the first status check; small imports are often done by then.
    pub first_check_after: Duration,
    /// Time between later checks; raised to [`MIN_POLL_INTERVAL`] when shorter.
    pub poll_interval: Duration,
    /// Give up after this long; `None` waits for as long as the job runs.
    pub timeout: Option<Duration>,
}

impl Default for ImportWait {
    /// Checks after 5 seconds, then once a minute, for at most one hour.
    fn default() -> Self {
        Self {
            first_check_after: Duration::from_secs(5),
            poll_interval: MIN_POLL_INTERVAL,
            timeout: Some(Duration::from_secs(3600)),
        }
    }
}

/// Why waiting for an import ended without a finished job.
#[derive(Debug, thiserror::Error)]
pub enum ImportWaitError {
    /// A status check failed.
    #[error("checking the import status failed: {0}")]
    Call(#[from] Error),
    /// The job was still running when the timeout passed.
    #[error("the import was still {last_status} after {waited:?}; check it later with getImportToListStatus")]
    TimedOut {
        /// The last status seen.
        last_status: ImportToListStatusEnum,
        /// How long the wait lasted.
        waited: Duration,
    },
}

/// Checks the status of the import of `params` through `port` until it is no longer
/// `PROCESSING`, calling `on_progress` with each status, and returns the final status
/// (`COMPLETE`, `FAILED` or `CANCELED`).
///
/// # Errors
///
/// Returns [`ImportWaitError::Call`] when a check fails (for example with a SOAP fault), and
/// [`ImportWaitError::TimedOut`] when the job outlasts `wait.timeout`.
pub async fn wait_for_import<P: MktowsPort + ?Sized>(
    port: &P,
    params: &ParamsGetImportToListStatus,
    wait: &ImportWait,
    on_progress: impl FnMut(&ResultGetImportToListStatus),
) -> Result<ResultGetImportToListStatus, ImportWaitError> {
    wait_with(
        || async {
            port.get_import_to_list_status(params.clone())
                .await
                .map(|success| success.result)
        },
        wait,
        on_progress,
    )
    .await
}

/// [`wait_for_import`] with any status check, for callers that wrap the port.
///
/// # Errors
///
/// As [`wait_for_import`].
pub async fn wait_with<F, Fut>(
    mut check: F,
    wait: &ImportWait,
    mut on_progress: impl FnMut(&ResultGetImportToListStatus),
) -> Result<ResultGetImportToListStatus, ImportWaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResultGetImportToListStatus, Error>>,
{
    let interval = wait.poll_interval.max(MIN_POLL_INTERVAL);
    let started = tokio::time::Instant::now();
    let mut delay = wait.first_check_after.min(interval);
    let mut last_status = ImportToListStatusEnum::Processing;

    loop {
        // Stop instead of checking early: the floor between checks holds even at the end.
        if wait
            .timeout
            .is_some_and(|timeout| started.elapsed() + delay > timeout)
        {
            return Err(ImportWaitError::TimedOut {
                last_status,
                waited: started.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;

        let status = check().await?;
        on_progress(&status);
        if status.status != ImportToListStatusEnum::Processing {
            return Ok(status);
        }
        last_status = status.status;
        delay = interval;
    }
}
