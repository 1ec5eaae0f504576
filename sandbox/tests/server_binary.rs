//! The `mktows-sandbox` binary: the start-up lines, the flags the interop suite uses,
//! the loopback-only default and a graceful stop on SIGTERM that saves the data file.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mktows::types::{LeadKey, LeadKeyRef, ParamsGetLead, ParamsListMObjects};
use mktows::MktowsPort;

const BINARY: &str = env!("CARGO_BIN_EXE_mktows-sandbox");
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A started binary and the lines it printed on standard output.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    printed: Vec<String>,
}

impl Running {
    fn start(arguments: &[&str]) -> Running {
        let mut child = Command::new(BINARY)
            .args(arguments)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            printed: Vec::new(),
        }
    }

    /// Waits for the line starting with `label: ` and returns the rest.
    fn value(&mut self, label: &str) -> String {
        let prefix = format!("{label}: ");
        if let Some(line) = self.printed.iter().find(|line| line.starts_with(&prefix)) {
            return line[prefix.len()..].to_owned();
        }
        loop {
            let line = self.lines.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
                panic!(
                    "no '{label}:' line within {START_TIMEOUT:?}; printed so far: {:?}",
                    self.printed
                )
            });
            self.printed.push(line.clone());
            if let Some(value) = line.strip_prefix(&prefix) {
                return value.to_owned();
            }
        }
    }

    /// Sends SIGTERM to the child and waits for it to exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill failed");
        self.child.wait().expect("the binary exits")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Only a test that failed early gets here with the child still running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary with arguments it must reject, and returns its output. Fails the test
/// when the binary is still running after [`START_TIMEOUT`], because then it started.
fn output_of_rejected_run(arguments: &[&str]) -> Output {
    let mut child = Command::new(BINARY)
        .args(arguments)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + START_TIMEOUT;
    while child
        .try_wait()
        .expect("the child's status can be read")
        .is_none()
    {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child
                .wait_with_output()
                .expect("the binary exits after a kill");
            panic!(
                "{arguments:?} started a sandbox instead of being rejected; stdout: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("the output can be read")
}

fn scratch_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "mktows-sandbox-binary-{name}-{}.json",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn binary_prints_endpoint_and_serves() {
    let mut running = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--user-id",
        "binary_user",
        "--secret-key",
        "binary-key",
    ]);

    let endpoint = running.value("endpoint");
    let wsdl = running.value("wsdl");
    let user_id = running.value("user-id");
    let client = mktows::Client::builder(endpoint.clone(), "binary_user", "binary-key")
        .build()
        .unwrap();
    let objects = client.list_m_objects(ParamsListMObjects {}).await;
    let status = running.terminate();

    assert!(
        endpoint.starts_with("http://127.0.0.1:") && endpoint.ends_with("/soap/mktows/2_3"),
        "{endpoint}"
    );
    assert_eq!(wsdl, format!("{endpoint}?WSDL"));
    assert_eq!(user_id, "binary_user");
    assert!(objects.is_ok(), "{objects:?}");
    assert!(
        status.success(),
        "SIGTERM must stop the sandbox cleanly: {status}"
    );
}

#[tokio::test]
async fn binary_prints_generated_key() {
    let mut running = Running::start(&["--listen", "127.0.0.1:0"]);

    let endpoint = running.value("endpoint");
    let user_id = running.value("user-id");
    let secret_key = running.value("secret-key");
    let client = mktows::Client::builder(endpoint, user_id, secret_key.as_str())
        .build()
        .unwrap();
    let objects = client.list_m_objects(ParamsListMObjects {}).await;
    running.terminate();

    assert_eq!(secret_key.len(), 40, "{secret_key}");
    assert!(objects.is_ok(), "the printed credentials work: {objects:?}");
}

#[tokio::test]
async fn binary_saves_data_on_sigterm() {
    let data_file = scratch_file("data");
    let data_argument = data_file.to_str().unwrap();
    let mut running = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--user-id",
        "u1",
        "--secret-key",
        "k1",
        "--data",
        data_argument,
    ]);
    let endpoint = running.value("endpoint");
    assert_eq!(running.value("data"), data_argument);
    let client = mktows::Client::builder(endpoint, "u1", "k1")
        .build()
        .unwrap();
    let record = mktows::types::LeadRecord {
        id: None,
        email: Some(mktows::Nillable::Value(
            "binary.saved@quarrytech.example".into(),
        )),
        foreign_sys_person_id: None,
        foreign_sys_type: None,
        lead_attribute_list: None,
    };
    let request = mktows::types::ParamsSyncLead {
        lead_record: record,
        return_lead: false,
        marketo_cookie: None,
    };
    client.sync_lead(request, None).await.unwrap();
    let status = running.terminate();

    let mut restarted = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--user-id",
        "u1",
        "--secret-key",
        "k1",
        "--data",
        data_argument,
    ]);
    let client = mktows::Client::builder(restarted.value("endpoint"), "u1", "k1")
        .build()
        .unwrap();
    let lead_key = LeadKey {
        key_type: LeadKeyRef::Email,
        key_value: "binary.saved@quarrytech.example".into(),
    };
    let found = client.get_lead(ParamsGetLead { lead_key }).await;
    restarted.terminate();
    let _ = std::fs::remove_file(&data_file);

    assert!(status.success(), "{status}");
    assert_eq!(found.unwrap().result.count, 1);
}

#[tokio::test]
async fn binary_listens_on_localhost_name() {
    let mut running = Running::start(&[
        "--listen",
        "localhost:0",
        "--user-id",
        "local_user",
        "--secret-key",
        "local-key",
    ]);

    let endpoint = running.value("endpoint");
    let client = mktows::Client::builder(endpoint.clone(), "local_user", "local-key")
        .build()
        .unwrap();
    let objects = client.list_m_objects(ParamsListMObjects {}).await;
    running.terminate();

    assert!(
        endpoint.starts_with("http://127.0.0.1:"),
        "localhost means 127.0.0.1: {endpoint}"
    );
    assert!(objects.is_ok(), "{objects:?}");
}

#[test]
fn binary_rejects_remote_address() {
    let output = Command::new(BINARY)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .expect("the binary runs");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("not a loopback address"), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "nothing is served, so no endpoint is printed"
    );
}

#[test]
fn binary_rejects_negative_import_delay() {
    let output = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--import-delay=-1"])
        .output()
        .expect("the binary runs");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("--import-delay"), "{stderr}");
}

#[test]
fn binary_rejects_zero_settings() {
    let flags = [
        "--timestamp-window",
        "--rate-window",
        "--rate-limit",
        "--concurrency-limit",
        "--daily-quota",
        "--max-batch-size",
        "--max-body-bytes",
        "--body-read-timeout",
        "--header-read-timeout",
    ];

    for flag in flags {
        let output = output_of_rejected_run(&["--listen", "127.0.0.1:0", flag, "0"]);

        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag} 0: {stderr}");
        assert!(
            stderr.contains(&format!("{flag} 0 is not valid")),
            "{flag} 0: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "{flag} 0: nothing is served, so no endpoint is printed"
        );
    }
}

#[test]
fn binary_rejects_data_file_in_use() {
    let data_file = scratch_file("in-use");
    let data_argument = data_file.to_str().unwrap();
    let mut first = Running::start(&["--listen", "127.0.0.1:0", "--data", data_argument]);
    first.value("endpoint");

    let output = output_of_rejected_run(&["--listen", "127.0.0.1:0", "--data", data_argument]);
    let status = first.terminate();
    let _ = std::fs::remove_file(&data_file);
    let _ = std::fs::remove_file(format!("{data_argument}.lock"));

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(data_argument),
        "the message names the file: {stderr}"
    );
    assert!(stderr.contains("another sandbox"), "{stderr}");
    assert!(
        status.success(),
        "the first sandbox keeps running and stops cleanly: {status}"
    );
}
