//! Runs the `mktows` binary against a small HTTP server in the test that plays Marketo's
//! part: it decodes each request with the library's server-side decoder and returns the
//! fixture response of the operation, or a configured fault or body.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use mktows::auth::sign;
use mktows::envelope::decode_request;
use mktows::types::MktowsContextHeaderInfo;
use mktows::{EncryptionKey, FaultCode, Operation, Request, RequestHeaders, SoapFault};
use serde_json::Value;
use tokio::sync::oneshot;

const USER_ID: &str = "cli_test_user_0042";
const SECRET_KEY: &str = "cli-test-secret-key-0042";
const ENDPOINT_PATH: &str = "/soap/mktows/2_3";
const ENV_VARS: [&str; 3] = ["MKTOWS_ENDPOINT", "MKTOWS_USER_ID", "MKTOWS_SECRET_KEY"];

/// The reply the test server sends to every request it can decode.
#[derive(Clone)]
enum Reply {
    /// The fixture `response.xml` of the request's operation, with status 200.
    Fixture,
    /// The fault as an envelope, with status 500 as Marketo sends faults.
    Fault(SoapFault),
    /// A fixed status, content type and body.
    Raw {
        status: u16,
        content_type: &'static str,
        body: String,
    },
}

/// One request as the test server received it.
#[derive(Debug)]
struct Received {
    /// The `SOAPAction` header as sent, quotes included.
    soap_action: Option<String>,
    /// The `Content-Type` header as sent.
    content_type: Option<String>,
    /// The decoded headers and body, or the decoder's error message.
    decoded: Result<(RequestHeaders, Request), String>,
}

/// A loopback HTTP server on its own thread, with a current-thread runtime.
struct FixtureServer {
    address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FixtureServer {
    fn start(reply: Reply) -> FixtureServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let address = listener.local_addr().expect("read the bound address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let (shutdown, shutdown_signal) = oneshot::channel();

        let log = Arc::clone(&received);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("start the server runtime");
            runtime.block_on(serve(listener, reply, log, shutdown_signal));
        });

        FixtureServer {
            address,
            received,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    fn endpoint(&self) -> String {
        format!("http://{}{ENDPOINT_PATH}", self.address)
    }

    /// Returns the requests received since the last call, oldest first.
    fn take_received(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }

    /// Builds a command that runs the binary with the three variables set for this server.
    fn command(&self) -> Command {
        let mut command = mktows_command();
        command
            .env("MKTOWS_ENDPOINT", self.endpoint())
            .env("MKTOWS_USER_ID", USER_ID)
            .env("MKTOWS_SECRET_KEY", SECRET_KEY);
        command
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    reply: Reply,
    received: Arc<Mutex<Vec<Received>>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("register the listener");
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => panic!("accepting a connection failed: {error}"),
            },
            _ = &mut shutdown => return,
        };

        let reply = reply.clone();
        let received = Arc::clone(&received);
        let service = service_fn(move |request| {
            let reply = reply.clone();
            let received = Arc::clone(&received);
            async move { Ok::<_, Infallible>(handle(request, &reply, &received).await) }
        });
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            // A client that drops the connection mid-request is not this test's concern.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

/// Records the request and builds the reply.
async fn handle(
    request: hyper::Request<Incoming>,
    reply: &Reply,
    received: &Mutex<Vec<Received>>,
) -> hyper::Response<Full<Bytes>> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    let soap_action = header("SOAPAction");
    let content_type = header("Content-Type");
    let path_matches = request.uri().path() == ENDPOINT_PATH;
    let body = request
        .into_body()
        .collect()
        .await
        .expect("read the request body")
        .to_bytes();

    let decoded = decode_request(&body).map_err(|error| error.to_string());
    let operation = decoded
        .as_ref()
        .ok()
        .map(|(_, request)| request.operation());
    received.lock().unwrap().push(Received {
        soap_action: soap_action.clone(),
        content_type,
        decoded,
    });

    let Some(operation) = operation else {
        let fault = SoapFault::marketo(
            FaultCode::RequestNotUnderstood,
            "The test server could not decode the request",
        );
        return xml_response(500, fault.to_envelope_xml());
    };
    let expected_action = format!("\"{}\"", operation.soap_action());
    if !path_matches || soap_action.as_deref() != Some(expected_action.as_str()) {
        let fault = SoapFault::marketo(
            FaultCode::RequestNotUnderstood,
            format!("The test server expected the path {ENDPOINT_PATH} and SOAPAction {expected_action}"),
        );
        return xml_response(500, fault.to_envelope_xml());
    }

    match reply {
        Reply::Fixture => {
            let path = fixture_dir(operation).join("response.xml");
            let body = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
            xml_response(200, body)
        }
        Reply::Fault(fault) => xml_response(500, fault.to_envelope_xml()),
        Reply::Raw {
            status,
            content_type,
            body,
        } => hyper::Response::builder()
            .status(*status)
            .header("Content-Type", *content_type)
            .body(Full::new(Bytes::from(body.clone())))
            .expect("build the response"),
    }
}

fn xml_response(status: u16, body: String) -> hyper::Response<Full<Bytes>> {
    hyper::Response::builder()
        .status(status)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(Full::new(Bytes::from(body)))
        .expect("build the response")
}

fn fixture_dir(operation: Operation) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/operations")
        .join(operation.name())
}

fn read_fixture_json(operation: Operation, file: &str) -> Value {
    let path = fixture_dir(operation).join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("invalid JSON in {}: {error}", path.display()))
}

/// Builds a command for the binary with none of the three variables, nor `MKTOWS_LOG`,
/// inherited.
fn mktows_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mktows"));
    for name in ENV_VARS {
        command.env_remove(name);
    }
    command.env_remove("MKTOWS_LOG");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run the mktows binary")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The context header the syncLead calls send, as in the fixture request.
fn sync_lead_context() -> MktowsContextHeaderInfo {
    MktowsContextHeaderInfo {
        target_workspace: "North America".to_owned(),
    }
}

/// Checks one call of `operation`: the output, and the single request the server received.
/// Returns the problems found.
fn check_call(
    operation: Operation,
    output: &Output,
    received: &[Received],
    params: &Value,
) -> Vec<String> {
    let mut problems = Vec::new();
    if output.status.code() != Some(0) {
        problems.push(format!(
            "exit status {:?}, stderr: {}",
            output.status.code(),
            stderr(output)
        ));
    }

    let expected_result = read_fixture_json(operation, "response.json");
    match serde_json::from_slice::<Value>(&output.stdout) {
        Ok(result) if result == expected_result => {}
        Ok(result) => problems.push(format!(
            "printed JSON differs from response.json\n  printed:  {result}\n  expected: {expected_result}"
        )),
        Err(error) => problems.push(format!("stdout is not JSON ({error}): {:?}", stdout(output))),
    }

    let [request] = received else {
        problems.push(format!(
            "the server received {} requests, expected 1",
            received.len()
        ));
        return problems;
    };
    let expected_action = format!("\"{}\"", operation.soap_action());
    if request.soap_action.as_deref() != Some(expected_action.as_str()) {
        problems.push(format!(
            "SOAPAction {:?}, expected {expected_action}",
            request.soap_action
        ));
    }
    if request.content_type.as_deref() != Some("text/xml; charset=utf-8") {
        problems.push(format!(
            "Content-Type {:?}, expected text/xml; charset=utf-8",
            request.content_type
        ));
    }

    let (headers, decoded) = match &request.decoded {
        Ok(decoded) => decoded,
        Err(error) => {
            problems.push(format!("the server could not decode the request: {error}"));
            return problems;
        }
    };
    let expected_request =
        Request::from_json(operation, params.clone()).expect("params.json is valid");
    if *decoded != expected_request {
        problems.push(format!(
            "the server decoded a request different from params.json\n  decoded:  {decoded:?}\n  expected: {expected_request:?}"
        ));
    }

    match &headers.authentication_header {
        Some(authentication) => {
            if authentication.mktows_user_id != USER_ID {
                problems.push(format!(
                    "mktowsUserId {:?}, expected {USER_ID}",
                    authentication.mktows_user_id
                ));
            }
            let signature = sign(
                &EncryptionKey::new(SECRET_KEY),
                &authentication.request_timestamp,
                &authentication.mktows_user_id,
            );
            if authentication.request_signature != signature {
                problems.push(format!(
                    "requestSignature {:?} is not the signature {signature:?} of the timestamp and user id",
                    authentication.request_signature
                ));
            }
        }
        None => problems.push("the request has no AuthenticationHeader".to_owned()),
    }

    let expected_context = (operation == Operation::SyncLead).then(sync_lead_context);
    if headers.mktows_context_header != expected_context {
        problems.push(format!(
            "MktowsContextHeader {:?}, expected {expected_context:?}",
            headers.mktows_context_header
        ));
    }
    problems
}

#[test]
fn call_every_operation_matches_fixtures() {
    let server = FixtureServer::start(Reply::Fixture);
    let mut failures = Vec::new();

    for operation in Operation::ALL {
        let params = read_fixture_json(operation, "params.json");
        let mut command = server.command();
        command.args(["call", operation.name(), &params.to_string()]);
        if operation == Operation::SyncLead {
            command.args(["--context", r#"{"targetWorkspace": "North America"}"#]);
        }

        let output = run(&mut command);
        let problems = check_call(operation, &output, &server.take_received(), &params);
        if !problems.is_empty() {
            failures.push(format!("{operation}:\n  {}", problems.join("\n  ")));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {} operations failed:\n{}",
        failures.len(),
        Operation::ALL.len(),
        failures.join("\n")
    );
}

#[test]
fn call_reads_params_from_file() {
    let server = FixtureServer::start(Reply::Fixture);
    let operation = Operation::GetLead;
    let params = read_fixture_json(operation, "params.json");
    let path = std::env::temp_dir().join(format!(
        "mktows-cli-test-params-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, params.to_string()).expect("write the params file");

    let argument = format!("@{}", path.display());
    let output = run(server.command().args(["call", operation.name(), &argument]));
    let _ = std::fs::remove_file(&path);

    let problems = check_call(operation, &output, &server.take_received(), &params);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn call_reads_params_from_stdin() {
    let server = FixtureServer::start(Reply::Fixture);
    let operation = Operation::GetMultipleLeads;
    let params = read_fixture_json(operation, "params.json");

    let mut child = server
        .command()
        .args(["call", operation.name(), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the mktows binary");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(params.to_string().as_bytes())
            .expect("write the params to stdin");
    }
    let output = child
        .wait_with_output()
        .expect("wait for the mktows binary");

    let problems = check_call(operation, &output, &server.take_received(), &params);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn call_fault_exits_one() {
    let fault = SoapFault::marketo(
        FaultCode::from_code(20103),
        "No lead matches dana.whitfield@example.com",
    );
    let server = FixtureServer::start(Reply::Fault(fault));
    let params = read_fixture_json(Operation::GetLead, "params.json");

    let output = run(server
        .command()
        .args(["call", "getLead", &params.to_string()]));

    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output)
            .starts_with("error: fault 20103 No lead matches dana.whitfield@example.com"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(&output));
    assert_eq!(server.take_received().len(), 1);
}

#[test]
fn call_fault_prints_code_once() {
    let fault = SoapFault::marketo(
        FaultCode::from_code(20102),
        "Parameter batchSize is out of range (20102)",
    );
    let server = FixtureServer::start(Reply::Fault(fault));
    let params = read_fixture_json(Operation::GetLead, "params.json");

    let output = run(server
        .command()
        .args(["call", "getLead", &params.to_string()]));

    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "error: fault 20102 Parameter batchSize is out of range\n"
    );
}

#[test]
fn call_unknown_operation_exits_two() {
    let server = FixtureServer::start(Reply::Fixture);

    let output = run(server.command().args(["call", "getLeads", "{}"]));

    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("unknown operation \"getLeads\""),
        "stderr: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("Did you mean getLead?"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("mktows operations"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(
        server.take_received().is_empty(),
        "the server received a request"
    );
}

#[test]
fn call_missing_env_var_exits_three() {
    for missing in ENV_VARS {
        let mut command = mktows_command();
        for name in ENV_VARS.iter().filter(|name| **name != missing) {
            command.env(
                name,
                if *name == "MKTOWS_ENDPOINT" {
                    "http://127.0.0.1:9/soap/mktows/2_3"
                } else {
                    "set"
                },
            );
        }
        let output = run(command.args(["call", "listMObjects", "{}"]));

        assert_eq!(
            output.status.code(),
            Some(3),
            "without {missing}, stderr: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(missing),
            "without {missing}, stderr: {}",
            stderr(&output)
        );
    }
}

#[test]
fn call_empty_env_var_says_empty() {
    for empty in ENV_VARS {
        let mut command = mktows_command();
        for name in ENV_VARS {
            let value = match name {
                _ if name == empty => "",
                "MKTOWS_ENDPOINT" => "http://127.0.0.1:9/soap/mktows/2_3",
                _ => "set",
            };
            command.env(name, value);
        }
        let output = run(command.args(["call", "listMObjects", "{}"]));
        let text = stderr(&output);

        assert_eq!(
            output.status.code(),
            Some(3),
            "with {empty} empty, stderr: {text}"
        );
        assert!(text.contains(empty), "with {empty} empty, stderr: {text}");
        assert!(
            text.contains("is empty"),
            "with {empty} empty, stderr: {text}"
        );
        assert!(
            !text.contains("not set"),
            "with {empty} empty, stderr: {text}"
        );
    }
}

#[test]
fn call_invalid_json_exits_two() {
    let text = r#"{"leadKey": {"keyType": "EMAIL",}}"#;
    let serde_message = serde_json::from_str::<Value>(text).unwrap_err().to_string();

    let output = run(mktows_command().args(["call", "getLead", text]));

    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains(&serde_message),
        "expected {serde_message:?} in stderr: {}",
        stderr(&output)
    );
}

#[test]
fn call_invalid_params_exits_two() {
    let params = serde_json::json!({"leadKey": {"keyType": "EMAIL", "keyValue": 44}});
    let serde_message = Request::from_json(Operation::GetLead, params.clone())
        .unwrap_err()
        .to_string();

    let output = run(mktows_command().args(["call", "getLead", &params.to_string()]));

    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains(&serde_message),
        "expected {serde_message:?} in stderr: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("paramsGetLead"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn call_misspelled_key_exits_two() {
    let server = FixtureServer::start(Reply::Fixture);
    let cases = [
        (
            "getMultipleLeads",
            serde_json::json!({"batchsize": 10}),
            "batchsize",
        ),
        (
            "getLead",
            serde_json::json!({"leadKey": {"keyType": "EMAIL", "keyvalue": "ines.okafor@example.com"}}),
            "keyvalue",
        ),
        (
            "getMultipleLeads",
            serde_json::json!({"leadSelector": {
                "xsi:type": "LastUpdateAtSelector",
                "latestUpdatedat": "2026-03-01T23:59:59Z",
                "oldestUpdatedAt": "2026-02-01T00:00:00Z"
            }}),
            "latestUpdatedat",
        ),
    ];

    for (operation, params, key) in cases {
        let output = run(server
            .command()
            .args(["call", operation, &params.to_string()]));
        let text = stderr(&output);

        assert_eq!(output.status.code(), Some(2), "{key}, stderr: {text}");
        assert!(text.contains(&format!("`{key}`")), "{key}, stderr: {text}");
        assert!(text.contains("unknown field"), "{key}, stderr: {text}");
    }
    assert!(
        server.take_received().is_empty(),
        "the server received a request"
    );
}

#[test]
fn call_context_only_for_sync_lead() {
    let server = FixtureServer::start(Reply::Fixture);
    let params = read_fixture_json(Operation::GetLead, "params.json");

    let output = run(server.command().args([
        "call",
        "getLead",
        &params.to_string(),
        "--context",
        r#"{"targetWorkspace": "North America"}"#,
    ]));

    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("--context applies only to syncLead"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(
        server.take_received().is_empty(),
        "the server received a request"
    );
}

#[test]
fn call_invalid_context_exits_two() {
    let params = read_fixture_json(Operation::SyncLead, "params.json");

    let output = run(mktows_command().args([
        "call",
        "syncLead",
        &params.to_string(),
        "--context",
        r#"{"workspace": "EMEA"}"#,
    ]));

    assert_eq!(output.status.code(), Some(2), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("invalid --context"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("targetWorkspace"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn call_unreachable_endpoint_exits_four() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().expect("read the bound address");
    drop(listener);

    let output = run(mktows_command()
        .env(
            "MKTOWS_ENDPOINT",
            format!("http://{address}{ENDPOINT_PATH}"),
        )
        .env("MKTOWS_USER_ID", USER_ID)
        .env("MKTOWS_SECRET_KEY", SECRET_KEY)
        .args(["call", "listMObjects", "{}"]));

    assert_eq!(output.status.code(), Some(4), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains(&address.to_string()),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn call_connect_error_prints_causes() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().expect("read the bound address");
    drop(listener);

    let output = run(mktows_command()
        .env(
            "MKTOWS_ENDPOINT",
            format!("http://{address}{ENDPOINT_PATH}"),
        )
        .env("MKTOWS_USER_ID", USER_ID)
        .env("MKTOWS_SECRET_KEY", SECRET_KEY)
        .args(["call", "listMObjects", "{}"]));
    let text = stderr(&output);

    assert_eq!(output.status.code(), Some(4), "stderr: {text}");
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("error: failed to connect"),
        "stderr: {text}"
    );
    let causes: Vec<&str> = lines
        .map(|line| {
            line.strip_prefix("  caused by: ")
                .unwrap_or_else(|| panic!("line {line:?} is not a cause, stderr: {text}"))
        })
        .collect();
    assert!(
        causes
            .iter()
            .any(|cause| cause.contains("Connection refused")),
        "stderr: {text}"
    );
    for (index, cause) in causes.iter().enumerate() {
        assert!(
            !first.contains(cause),
            "cause {cause:?} repeats the message: {text}"
        );
        assert!(
            !causes[..index].contains(cause),
            "cause {cause:?} is printed twice: {text}"
        );
    }
}

#[test]
fn call_html_error_page_exits_four() {
    let server = FixtureServer::start(Reply::Raw {
        status: 503,
        content_type: "text/html",
        body: "<html><head><title>Down for maintenance</title></head></html>".to_owned(),
    });

    let output = run(server.command().args(["call", "listMObjects", "{}"]));

    assert_eq!(output.status.code(), Some(4), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("503"),
        "stderr: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "stdout: {}", stdout(&output));
}

#[test]
fn call_wrong_response_element_exits_four() {
    let body = std::fs::read_to_string(fixture_dir(Operation::GetTags).join("response.xml"))
        .expect("read the getTags fixture");
    let server = FixtureServer::start(Reply::Raw {
        status: 200,
        content_type: "text/xml; charset=utf-8",
        body,
    });

    let output = run(server.command().args(["call", "listMObjects", "{}"]));

    assert_eq!(output.status.code(), Some(4), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("successListMObjects"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn call_compact_prints_one_line() {
    let server = FixtureServer::start(Reply::Fixture);
    let params = read_fixture_json(Operation::GetLead, "params.json");

    let output = run(server
        .command()
        .args(["call", "getLead", &params.to_string(), "--compact"]));

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().count(),
        1,
        "stdout: {}",
        stdout(&output)
    );
    let result: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(
        result,
        read_fixture_json(Operation::GetLead, "response.json")
    );
}

#[test]
fn trace_log_redacts_signature() {
    let server = FixtureServer::start(Reply::Fixture);
    let params = read_fixture_json(Operation::GetLead, "params.json");

    let output = run(server.command().env("MKTOWS_LOG", "trace").args([
        "call",
        "getLead",
        &params.to_string(),
    ]));
    let log = stderr(&output);

    assert_eq!(output.status.code(), Some(0), "stderr: {log}");
    let result: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(
        result,
        read_fixture_json(Operation::GetLead, "response.json")
    );
    assert!(log.contains("TRACE"), "stderr: {log}");
    assert!(log.contains("request envelope"), "stderr: {log}");
    assert!(log.contains("response envelope"), "stderr: {log}");
    assert!(log.contains(USER_ID), "stderr: {log}");
    assert!(log.contains("<redacted>"), "stderr: {log}");
    assert!(!log.contains(SECRET_KEY), "the key is in stderr: {log}");

    let received = server.take_received();
    let [request] = received.as_slice() else {
        panic!(
            "the server received {} requests, expected 1",
            received.len()
        );
    };
    let (headers, _) = request.decoded.as_ref().expect("the request decodes");
    let authentication = headers
        .authentication_header
        .as_ref()
        .expect("the request has an AuthenticationHeader");
    assert!(
        !log.contains(&authentication.request_signature),
        "the signature is in stderr: {log}"
    );
}

#[test]
fn log_level_filters_events() {
    let server = FixtureServer::start(Reply::Fixture);
    let params = read_fixture_json(Operation::GetLead, "params.json");

    for (level, expected, unexpected) in [
        (None, None, Some("SOAP response")),
        (Some("off"), None, Some("SOAP response")),
        (Some("info"), None, Some("SOAP response")),
        (
            Some("DEBUG"),
            Some("received SOAP response"),
            Some("envelope"),
        ),
        (Some("trace"), Some("request envelope"), None),
    ] {
        let mut command = server.command();
        if let Some(level) = level {
            command.env("MKTOWS_LOG", level);
        }
        let output = run(command.args(["call", "getLead", &params.to_string()]));
        let log = stderr(&output);

        assert_eq!(output.status.code(), Some(0), "{level:?}, stderr: {log}");
        if let Some(expected) = expected {
            assert!(log.contains(expected), "{level:?}, stderr: {log}");
        }
        if let Some(unexpected) = unexpected {
            assert!(!log.contains(unexpected), "{level:?}, stderr: {log}");
        }
    }
}

#[test]
fn invalid_log_level_exits_three() {
    let output =
        run(mktows_command()
            .env("MKTOWS_LOG", "verbose")
            .args(["call", "listMObjects", "{}"]));
    let text = stderr(&output);

    assert_eq!(output.status.code(), Some(3), "stderr: {text}");
    assert!(text.contains("MKTOWS_LOG"), "stderr: {text}");
    assert!(text.contains("\"verbose\""), "stderr: {text}");
    assert!(
        text.contains("error, warn, info, debug, trace"),
        "stderr: {text}"
    );
}

/// Runs `command` with a stdout pipe whose read end is already closed, like `| head -c 0`.
fn run_with_closed_stdout(command: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().expect("create a pipe");
    drop(reader);
    command
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run the mktows binary")
}

#[test]
fn closed_stdout_exits_quietly() {
    let server = FixtureServer::start(Reply::Fixture);
    let params = read_fixture_json(Operation::GetLead, "params.json");
    let mut call = server.command();
    call.args(["call", "getLead", &params.to_string()]);
    let mut operations = mktows_command();
    operations.arg("operations");

    for (name, command) in [("call", &mut call), ("operations", &mut operations)] {
        let output = run_with_closed_stdout(command);

        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}, stderr: {}",
            stderr(&output)
        );
        assert!(
            output.stderr.is_empty(),
            "{name}, stderr: {}",
            stderr(&output)
        );
    }
    assert_eq!(server.take_received().len(), 1);
}

#[test]
fn operations_lists_every_operation() {
    let output = run(mktows_command().arg("operations"));

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let listed: Vec<String> = stdout(&output)
        .lines()
        .map(|line| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let expected: Vec<&str> = Operation::ALL
        .iter()
        .map(|operation| operation.name())
        .collect();
    assert_eq!(listed, expected);
    assert!(
        stdout(&output).contains("Fetches the leads that match one lead key"),
        "stdout: {}",
        stdout(&output)
    );
}

#[test]
fn help_names_environment_variables() {
    for args in [vec!["--help"], vec!["call", "--help"]] {
        let output = run(mktows_command().args(&args));
        let help = stdout(&output);

        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}, stderr: {}",
            stderr(&output)
        );
        for name in ENV_VARS.iter().chain(&["MKTOWS_LOG"]) {
            assert!(
                help.contains(name),
                "{args:?} does not name {name}:\n{help}"
            );
        }
        assert!(
            help.contains("Exit codes"),
            "{args:?} does not list the exit codes:\n{help}"
        );
    }
}

#[test]
fn call_help_describes_params_and_context() {
    let output = run(mktows_command().args(["call", "--help"]));
    let help = stdout(&output);

    assert!(help.contains("@FILE"), "{help}");
    assert!(help.contains("stdin"), "{help}");
    assert!(help.contains("--context"), "{help}");
    assert!(help.contains("MktowsContextHeader"), "{help}");
}
