//! A raw HTTP server on 127.0.0.1 that writes canned responses, so a test controls every
//! byte on the wire, including bodies that stop early, stall, or never end.

#![allow(dead_code)]

use std::future::Future;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// An HTTP request as the test server received it.
#[derive(Debug)]
pub struct ReceivedRequest {
    /// The request line, e.g. `POST /soap HTTP/1.1`.
    pub request_line: String,
    /// Header names (lowercased) and values, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Starts a server on 127.0.0.1 that accepts one connection, reads one request, and
/// hands the socket to `respond`. Returns the endpoint URL and a handle that yields the
/// request once `respond` has finished.
pub async fn start_server<F, Fut>(respond: F) -> (String, JoinHandle<ReceivedRequest>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/soap/mktows/2_3", listener.local_addr().unwrap());

    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let request = read_request(&mut stream).await;
        respond(stream).await;
        request
    });

    (endpoint, server)
}

/// Returns a responder that writes `response` as is, then closes the connection.
pub fn canned(
    response: impl Into<Vec<u8>>,
) -> impl FnOnce(TcpStream) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
    let response = response.into();
    move |mut stream| {
        Box::pin(async move {
            stream.write_all(&response).await.unwrap();
            stream.shutdown().await.unwrap();
        })
    }
}

/// Builds an HTTP/1.1 response with a `Content-Length` that matches `body`.
pub fn http_response(status_line: &str, content_type: Option<&str>, body: &str) -> String {
    let content_type = content_type
        .map(|value| format!("Content-Type: {value}\r\n"))
        .unwrap_or_default();
    format!(
        "HTTP/1.1 {status_line}\r\n{content_type}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

pub async fn read_request(stream: &mut TcpStream) -> ReceivedRequest {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(
            read > 0,
            "the client closed the connection before the request head ended"
        );
        buffer.extend_from_slice(&chunk[..read]);
    };

    let head = String::from_utf8(buffer[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();

    let content_length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().unwrap())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < content_length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(
            read > 0,
            "the client closed the connection before the request body ended"
        );
        body.extend_from_slice(&chunk[..read]);
    }

    ReceivedRequest {
        request_line,
        headers,
        body,
    }
}

/// Starts a server on 127.0.0.1 that answers one connection per response in `responses`,
/// in order, each with one request read. Returns the endpoint URL and a handle that yields
/// the requests once every response was sent.
pub async fn start_sequence_server(
    responses: Vec<String>,
) -> (String, JoinHandle<Vec<ReceivedRequest>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/soap/mktows/2_3", listener.local_addr().unwrap());

    let server = tokio::spawn(async move {
        let mut requests = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().await.unwrap();
            requests.push(read_request(&mut stream).await);
            stream.write_all(response.as_bytes()).await.unwrap();
            stream.shutdown().await.unwrap();
        }
        requests
    });

    (endpoint, server)
}
