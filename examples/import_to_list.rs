//! The main job: import the leads of a CSV file into a static list with `importToList`,
//! wait for the import job, print its counts, and read the imported leads back.
//!
//! ```sh
//! cargo run --example import_to_list [-- CSV_FILE [PROGRAM LIST]]
//! ```
//!
//! With `MKTOWS_ENDPOINT`, `MKTOWS_USER_ID` and `MKTOWS_SECRET_KEY` set, it talks to that
//! endpoint (PROGRAM and LIST must then exist there). Without them it starts the embedded
//! sandbox on 127.0.0.1 and imports into a program and list of its seed data.

use std::process::ExitCode;
use std::time::Duration;

use mktows::import::{wait_for_import, ImportWait};
use mktows::types::{
    ArrayOfString, ImportToListModeEnum, ImportToListStatusEnum, LeadKey, LeadKeyRef,
    ParamsGetImportToListStatus, ParamsGetLead, ParamsImportToList,
};
use mktows::{Client, MktowsPort, Nillable};
use mktows_sandbox::server::{RunningSandbox, Sandbox, SandboxConfig};

const DEFAULT_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/leads.csv");
/// A program and static list of the sandbox's seed data.
const SANDBOX_PROGRAM: &str = "Spring Roadshow 2024";
const SANDBOX_LIST: &str = "Invited";
/// How long the sandbox keeps an import `PROCESSING`; the first status check comes after it.
const SANDBOX_IMPORT_DELAY: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let csv_path = arguments
        .first()
        .cloned()
        .unwrap_or_else(|| DEFAULT_CSV.to_owned());
    let csv = std::fs::read_to_string(&csv_path)
        .map_err(|error| format!("cannot read {csv_path}: {error}"))?;
    let (header, rows) = split_csv(&csv).ok_or_else(|| format!("{csv_path} has no header line"))?;

    let (client, sandbox, program, list, wait) = connect(&arguments).await?;
    println!(
        "importing {} lead(s) from {csv_path} into {program:?} / {list:?}",
        rows.len()
    );

    let params = ParamsImportToList {
        program_name: program.clone(),
        import_file_header: header.to_owned(),
        import_file_rows: ArrayOfString {
            string_item: rows.iter().map(|row| (*row).to_owned()).collect(),
        },
        import_list_mode: ImportToListModeEnum::Upsertleads,
        list_name: list.clone(),
        clear_list: false,
        campaign_name: Nillable::Nil,
    };
    let started = client
        .import_to_list(params)
        .await
        .map_err(|error| format!("importToList failed: {error}"))?;
    println!("import job accepted: {}", started.result.import_status);

    let status_params = ParamsGetImportToListStatus {
        program_name: Some(program),
        list_name: Some(list),
    };
    let finished = wait_for_import(&client, &status_params, &wait, |status| {
        println!(
            "status: {}{}",
            status.status,
            count_summary(
                status.rows_imported.as_ref(),
                status.rows_failed.as_ref(),
                status.rows_ignored.as_ref()
            )
        );
    })
    .await
    .map_err(|error| error.to_string())?;

    if finished.status != ImportToListStatusEnum::Complete {
        return Err(format!(
            "the import ended {}: {}",
            finished.status,
            text(finished.import_summary.as_ref())
        ));
    }
    println!("summary: {}", text(finished.import_summary.as_ref()));

    println!("leads read back:");
    for row in &rows {
        let email = row.split(',').next().unwrap_or_default().trim();
        let key = LeadKey {
            key_type: LeadKeyRef::Email,
            key_value: email.to_owned(),
        };
        match client.get_lead(ParamsGetLead { lead_key: key }).await {
            Ok(found) => {
                let records = found
                    .result
                    .lead_record_list
                    .and_then(Nillable::into_value)
                    .map(|list| list.lead_record)
                    .unwrap_or_default();
                for record in records {
                    let id = record
                        .id
                        .and_then(Nillable::into_value)
                        .map_or_else(|| "?".to_owned(), |id| id.to_string());
                    println!("  {id:>6}  {email}");
                }
            }
            Err(error) => println!("  {email}: not found ({error})"),
        }
    }

    if let Some(sandbox) = sandbox {
        sandbox
            .shutdown()
            .await
            .map_err(|error| format!("stopping the sandbox failed: {error}"))?;
    }
    Ok(())
}

/// Connects to the endpoint from the environment, or starts the embedded sandbox when none
/// is configured.
async fn connect(
    arguments: &[String],
) -> Result<(Client, Option<RunningSandbox>, String, String, ImportWait), String> {
    let configured = std::env::var_os(mktows::client::ENV_ENDPOINT).is_some();
    if configured {
        let client = Client::from_env().map_err(|error| error.to_string())?;
        let (Some(program), Some(list)) = (arguments.get(1), arguments.get(2)) else {
            return Err(
                "with MKTOWS_ENDPOINT set, pass the CSV file, the program name and the list name"
                    .into(),
            );
        };
        return Ok((
            client,
            None,
            program.clone(),
            list.clone(),
            ImportWait::default(),
        ));
    }

    let config = SandboxConfig {
        import_delay: Some(SANDBOX_IMPORT_DELAY),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|error| format!("cannot start the sandbox: {error}"))?;
    println!(
        "MKTOWS_ENDPOINT is not set: running against the embedded sandbox at {}",
        sandbox.endpoint()
    );
    let client = sandbox.client().map_err(|error| error.to_string())?;
    let wait = ImportWait {
        first_check_after: SANDBOX_IMPORT_DELAY + Duration::from_millis(500),
        ..ImportWait::default()
    };
    let program = arguments
        .get(1)
        .cloned()
        .unwrap_or_else(|| SANDBOX_PROGRAM.to_owned());
    let list = arguments
        .get(2)
        .cloned()
        .unwrap_or_else(|| SANDBOX_LIST.to_owned());
    Ok((client, Some(sandbox), program, list, wait))
}

/// Splits a CSV file into its header line and its non-empty data lines.
fn split_csv(csv: &str) -> Option<(&str, Vec<&str>)> {
    let mut lines = csv
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty());
    let header = lines.next()?;
    Some((header, lines.collect()))
}

fn count_summary(
    imported: Option<&Nillable<i32>>,
    failed: Option<&Nillable<i32>>,
    ignored: Option<&Nillable<i32>>,
) -> String {
    let count = |value: Option<&Nillable<i32>>| value.and_then(Nillable::as_value).copied();
    match (count(imported), count(failed), count(ignored)) {
        (None, None, None) => String::new(),
        (imported, failed, ignored) => format!(
            " (imported {}, failed {}, ignored {})",
            imported.unwrap_or(0),
            failed.unwrap_or(0),
            ignored.unwrap_or(0)
        ),
    }
}

fn text(value: Option<&Nillable<String>>) -> &str {
    value
        .and_then(Nillable::as_value)
        .map_or("", String::as_str)
}
