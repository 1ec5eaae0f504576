//! Sends one operation call: sign, write the envelope, post it, read the answer.

use tracing::Instrument as _;

use crate::envelope::{decode_response, encode_request};
use crate::generated::types::AuthenticationHeaderInfo;
use crate::generated::Operation;
use crate::xml::{ReadXml, WriteXml};
use crate::{Client, Error};

impl Client {
    /// Calls `operation` with `body` and the per-call `headers`, retrying as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub(crate) async fn invoke<R: ReadXml>(
        &self,
        operation: Operation,
        body: &(dyn WriteXml + Sync),
        headers: &[(&'static str, &(dyn WriteXml + Sync))],
    ) -> Result<R, Error> {
        let policy = self.inner.retry;
        let mut attempt = 1;
        loop {
            let result = self.attempt(operation, body, headers, attempt).await;
            match result {
                Err(Error::Fault(fault))
                    if fault.code.is_retryable() && attempt < policy.max_attempts =>
                {
                    attempt += 1;
                    let backoff = policy.backoff_before(attempt);
                    tracing::warn!(
                        operation = operation.name(),
                        code = fault.code.code(),
                        ?backoff,
                        attempt,
                        "retrying after a fault"
                    );
                    tokio::time::sleep(backoff).await;
                }
                other => return other,
            }
        }
    }

    /// Sends one attempt, with an `AuthenticationHeader` signed for it.
    async fn attempt<R: ReadXml>(
        &self,
        operation: Operation,
        body: &(dyn WriteXml + Sync),
        headers: &[(&'static str, &(dyn WriteXml + Sync))],
        attempt: u32,
    ) -> Result<R, Error> {
        let span = tracing::debug_span!("mktows_call", operation = operation.name(), attempt);
        async move {
            let signed = self.credentials().sign_at(self.clock().now());
            let authentication = AuthenticationHeaderInfo {
                mktows_user_id: signed.user_id.clone(),
                request_signature: signed.request_signature.clone(),
                request_timestamp: signed.request_timestamp.clone(),
                audit: None,
                mode: None,
            };
            let mut all_headers: Vec<(&str, &(dyn WriteXml + Sync))> = Vec::with_capacity(headers.len() + 1);
            all_headers.push(("AuthenticationHeader", &authentication));
            all_headers.extend_from_slice(headers);
            let envelope = encode_request(operation, &all_headers, body)?;
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(request = %redact(&envelope, &signed.request_signature), "request envelope");
            }

            let response = self.transport().post(operation.soap_action(), envelope.into_bytes()).await?;
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(status = response.status, response = %String::from_utf8_lossy(&response.body), "response envelope");
            }
            decode_response(operation, &response.body)
        }
        .instrument(span)
        .await
    }
}

/// Replaces the signature in a logged envelope.
fn redact(envelope: &str, signature: &str) -> String {
    envelope.replace(signature, "<redacted>")
}
