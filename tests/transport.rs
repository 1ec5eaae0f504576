//! `HttpTransport` against a raw HTTP server on 127.0.0.1 that writes canned responses.
//!
//! The server is a plain `TcpListener`, so each test controls every byte on the wire,
//! including bodies that stop early, stall, or never end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mktows::error::TimeoutPhase;
use mktows::transport::{HttpTransport, TransportOptions};
use mktows::{Error, FaultCode, SoapFault};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

mod common;

use common::raw_server::{canned, http_response, start_server};

const ENVELOPE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns1:paramsGetLead xmlns:ns1="http://www.marketo.com/mktows/"><leadKey><keyType>EMAIL</keyType><keyValue>rosa.lindqvist@example.test</keyValue></leadKey></ns1:paramsGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;

const SUCCESS_BODY: &str = r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns1:successGetLead xmlns:ns1="http://www.marketo.com/mktows/"/></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;

fn transport(endpoint: &str) -> HttpTransport {
    HttpTransport::new(endpoint, TransportOptions::default()).unwrap()
}

fn transport_with(endpoint: &str, options: TransportOptions) -> HttpTransport {
    HttpTransport::new(endpoint, options).unwrap()
}

#[tokio::test]
async fn post_sends_soap_headers_and_body() {
    let response = http_response("200 OK", Some("text/xml;charset=UTF-8"), SUCCESS_BODY);
    let (endpoint, server) = start_server(canned(response)).await;

    let result = transport(&endpoint)
        .post("urn:example:getLead", ENVELOPE.as_bytes().to_vec())
        .await
        .unwrap();
    let request = server.await.unwrap();

    assert_eq!(request.request_line, "POST /soap/mktows/2_3 HTTP/1.1");
    assert_eq!(
        request.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(
        request.header("soapaction"),
        Some("\"urn:example:getLead\"")
    );
    assert_eq!(request.body, ENVELOPE.as_bytes());
    assert_eq!(result.status, 200);
    assert_eq!(&result.body[..], SUCCESS_BODY.as_bytes());
}

#[tokio::test]
async fn fault_with_status_500_is_returned() {
    let fault = SoapFault::marketo(FaultCode::AuthenticationFailed, "Signature does not match");
    let response = http_response(
        "500 Internal Server Error",
        Some("text/xml; charset=UTF-8"),
        &fault.to_envelope_xml(),
    );
    let (endpoint, _server) = start_server(canned(response)).await;

    let result = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap();
    let parsed = SoapFault::parse(&result.body).unwrap();

    assert_eq!(result.status, 500);
    assert_eq!(parsed.code, FaultCode::AuthenticationFailed);
}

#[tokio::test]
async fn html_error_page_reports_title() {
    let page = "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head><body>Try again.</body></html>";
    let response = http_response("503 Service Unavailable", Some("text/html"), page);
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    let Error::HtmlErrorPage { status, title } = &error else {
        panic!("expected Error::HtmlErrorPage, got {error:?}");
    };
    assert_eq!(*status, 503);
    assert_eq!(
        title.as_deref(),
        Some("503 Service Temporarily Unavailable")
    );
}

#[tokio::test]
async fn empty_body_is_reported() {
    let response = http_response("500 Internal Server Error", Some("text/xml"), "");
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::EmptyBody { status: 500 }),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(500));
}

#[tokio::test]
async fn truncated_body_is_reported() {
    let partial = &SUCCESS_BODY[..100];
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n{partial}"
    );
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    let Error::TruncatedBody {
        received_bytes,
        expected_bytes,
    } = error
    else {
        panic!("expected Error::TruncatedBody, got {error:?}");
    };
    assert_eq!(received_bytes, 100);
    assert_eq!(expected_bytes, Some(5000));
}

#[tokio::test]
async fn non_xml_content_type_is_reported() {
    let response = http_response("200 OK", Some("application/json"), r#"{"result":"ok"}"#);
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    let Error::UnexpectedContentType {
        status,
        content_type,
    } = &error
    else {
        panic!("expected Error::UnexpectedContentType, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(content_type, "application/json");
}

#[tokio::test]
async fn other_status_is_http_error() {
    let response = http_response(
        "404 Not Found",
        Some("text/plain"),
        "No such endpoint: /soap/mktows/2_3",
    );
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    let Error::Http {
        status,
        body_snippet,
    } = &error
    else {
        panic!("expected Error::Http, got {error:?}");
    };
    assert_eq!(*status, 404);
    assert_eq!(body_snippet, "No such endpoint: /soap/mktows/2_3");
}

#[tokio::test]
async fn redirect_is_not_followed() {
    let target = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let location = format!("http://{}/elsewhere", target.local_addr().unwrap());
    let response =
        format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 5\r\n\r\nmoved");
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();
    let redirected = tokio::time::timeout(Duration::from_millis(200), target.accept()).await;

    assert!(
        matches!(error, Error::Http { status: 302, .. }),
        "{error:?}"
    );
    assert!(
        redirected.is_err(),
        "the client followed the redirect to {location}"
    );
}

#[tokio::test]
async fn oversized_declared_length_is_refused() {
    let response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 2048\r\n\r\n<Envelope>";
    let (endpoint, _server) = start_server(canned(response)).await;
    let options = TransportOptions {
        max_response_bytes: 1024,
        ..TransportOptions::default()
    };

    let error = transport_with(&endpoint, options)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    let Error::ResponseTooLarge {
        limit_bytes,
        declared_bytes,
    } = error
    else {
        panic!("expected Error::ResponseTooLarge, got {error:?}");
    };
    assert_eq!(limit_bytes, 1024);
    assert_eq!(declared_bytes, Some(2048));
}

#[tokio::test]
async fn oversized_streamed_body_stops_reading() {
    // 128 MiB is far more than the kernel's TCP buffers on both ends hold (Linux caps
    // them through tcp_rmem and tcp_wmem, at a few MiB to 32 MiB), so the server can
    // finish writing only if the client keeps reading past its 64 KiB limit.
    const TOTAL_BYTES: usize = 128 * 1024 * 1024;
    let finished_writing = Arc::new(AtomicBool::new(false));
    let finished_flag = Arc::clone(&finished_writing);
    let (endpoint, server) = start_server(move |mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let chunk_head = format!("{:x}\r\n", chunk.len());
        let mut written = 0;
        while written < TOTAL_BYTES {
            let sent = async {
                stream.write_all(chunk_head.as_bytes()).await?;
                stream.write_all(&chunk).await?;
                stream.write_all(b"\r\n").await
            };
            match tokio::time::timeout(Duration::from_secs(5), sent).await {
                Ok(Ok(())) => written += chunk.len(),
                Ok(Err(_)) | Err(_) => return,
            }
        }
        finished_flag.store(true, Ordering::SeqCst);
    })
    .await;
    let options = TransportOptions {
        max_response_bytes: 64 * 1024,
        ..TransportOptions::default()
    };

    let error = transport_with(&endpoint, options)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();
    server.await.unwrap();

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit_bytes: 65536,
                declared_bytes: None
            }
        ),
        "{error:?}"
    );
    assert!(
        !finished_writing.load(Ordering::SeqCst),
        "the client read the whole 128 MiB body"
    );
}

#[tokio::test]
async fn silent_server_times_out() {
    let (endpoint, _server) = start_server(|stream| async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(stream);
    })
    .await;
    let options = TransportOptions {
        request_timeout: Duration::from_millis(300),
        ..TransportOptions::default()
    };

    let error = transport_with(&endpoint, options)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Request,
                limit,
            } if limit == Duration::from_millis(300)
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn stalled_body_times_out() {
    let (endpoint, _server) = start_server(|mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<Envelope>";
        stream.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    })
    .await;
    let options = TransportOptions {
        request_timeout: Duration::from_millis(300),
        ..TransportOptions::default()
    };

    let error = transport_with(&endpoint, options)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Request,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn closed_port_is_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/soap/mktows/2_3", listener.local_addr().unwrap());
    drop(listener);

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.is_connect());
    assert!(error.to_string().contains(&endpoint), "{error}");
}

#[tokio::test]
async fn connection_closed_before_response() {
    let (endpoint, _server) = start_server(|stream| async move { drop(stream) }).await;

    let error = transport(&endpoint)
        .post("", ENVELOPE.into())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[test]
fn plain_http_to_remote_host_is_rejected() {
    // Construction fails, so no request can ever be sent to these hosts.
    for endpoint in [
        "http://192.0.2.44/soap/mktows/2_3",
        "http://soap.example.test/soap/mktows/2_3",
    ] {
        let error = HttpTransport::new(endpoint, TransportOptions::default()).unwrap_err();

        let Error::InvalidEndpoint { reason, .. } = &error else {
            panic!("expected Error::InvalidEndpoint for {endpoint}, got {error:?}");
        };
        assert!(reason.contains("https://"), "{reason}");
    }
}

#[test]
fn https_to_remote_host_is_accepted() {
    let transport = HttpTransport::new(
        "https://soap.example.test/soap/mktows/2_3",
        TransportOptions::default(),
    )
    .unwrap();

    assert_eq!(
        transport.endpoint().as_str(),
        "https://soap.example.test/soap/mktows/2_3"
    );
}
