//! The accept loop: each connection is served by hyper's HTTP/1.1 server with a timeout
//! for the request head.
//!
//! `axum::serve` gives hyper no timer, and without one hyper's header read timeout never
//! fires: a client that sends half a request head keeps its connection open for ever. This
//! loop does what `axum::serve` does for the sandbox (one task per connection, graceful
//! shutdown) and adds the timer and the timeout.

use std::io;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How long to wait before accepting again after `accept` failed, for example because
/// the process ran out of file descriptors.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` fires (or its sender is dropped), then
/// stops accepting and waits for the open connections to finish their calls.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    shutdown: oneshot::Receiver<()>,
) -> io::Result<()> {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);

    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            Err(error) => {
                tracing::warn!(%error, "failed to accept a connection; retrying in a second");
                tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection closed with an error");
            }
        });
    }

    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
