//! The import waiter never checks the status more than once a minute, whatever it is asked.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mktows::import::{wait_with, ImportWait, ImportWaitError, MIN_POLL_INTERVAL};
use mktows::types::{ImportToListStatusEnum, ResultGetImportToListStatus};
use tokio::time::Instant;

fn status(value: ImportToListStatusEnum) -> ResultGetImportToListStatus {
    ResultGetImportToListStatus {
        status: value,
        started_time: None,
        ended_time: None,
        estimated_time: None,
        estimated_rows: None,
        rows_imported: None,
        rows_failed: None,
        rows_ignored: None,
        import_summary: None,
    }
}

/// A status check that answers PROCESSING `processing_checks` times, then COMPLETE, and
/// records when each check happened.
fn scripted_check(
    processing_checks: usize,
    times: Arc<Mutex<Vec<Instant>>>,
) -> impl FnMut() -> std::future::Ready<Result<ResultGetImportToListStatus, mktows::Error>> {
    move || {
        let mut times = times.lock().unwrap();
        times.push(Instant::now());
        let value = if times.len() > processing_checks {
            ImportToListStatusEnum::Complete
        } else {
            ImportToListStatusEnum::Processing
        };
        std::future::ready(Ok(status(value)))
    }
}

#[tokio::test(start_paused = true)]
async fn checks_at_most_once_a_minute() {
    let times = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let wait = ImportWait {
        first_check_after: Duration::ZERO,
        poll_interval: Duration::from_secs(1),
        timeout: None,
    };

    let mut seen = Vec::new();
    let result = wait_with(scripted_check(3, times.clone()), &wait, |s| {
        seen.push(s.status.clone())
    })
    .await
    .unwrap();

    assert_eq!(result.status, ImportToListStatusEnum::Complete);
    let times = times.lock().unwrap();
    assert_eq!(times.len(), 4);
    assert_eq!(
        times[0] - started,
        Duration::ZERO,
        "the first check may come at once"
    );
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= MIN_POLL_INTERVAL,
            "checks {:?} apart",
            pair[1] - pair[0]
        );
    }
    assert_eq!(seen.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn first_check_waits_as_configured() {
    let times = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let wait = ImportWait {
        first_check_after: Duration::from_secs(5),
        ..ImportWait::default()
    };

    wait_with(scripted_check(0, times.clone()), &wait, |_| {})
        .await
        .unwrap();

    assert_eq!(times.lock().unwrap()[0] - started, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn timeout_returns_last_status_without_early_check() {
    let times = Arc::new(Mutex::new(Vec::new()));
    let wait = ImportWait {
        first_check_after: Duration::ZERO,
        poll_interval: MIN_POLL_INTERVAL,
        timeout: Some(Duration::from_secs(150)),
    };

    let error = wait_with(scripted_check(usize::MAX, times.clone()), &wait, |_| {})
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            ImportWaitError::TimedOut {
                last_status: ImportToListStatusEnum::Processing,
                ..
            }
        ),
        "{error}"
    );
    let times = times.lock().unwrap();
    assert_eq!(
        times.len(),
        3,
        "checks at 0, 60 and 120 s; none squeezed in before 150 s"
    );
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= MIN_POLL_INTERVAL);
    }
}

#[tokio::test(start_paused = true)]
async fn failed_check_stops_waiting() {
    let wait = ImportWait {
        first_check_after: Duration::ZERO,
        ..ImportWait::default()
    };
    let check = || {
        std::future::ready(Err(mktows::Error::Fault(Box::new(
            mktows::SoapFault::marketo(mktows::FaultCode::from_code(20105), "Import job not found"),
        ))))
    };
    let error = wait_with(check, &wait, |_| {}).await.unwrap_err();
    assert!(matches!(error, ImportWaitError::Call(_)), "{error}");
}
