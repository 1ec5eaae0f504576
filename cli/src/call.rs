//! The `call` command: one operation, JSON parameters in, JSON result out.

use mktows::types::MktowsContextHeaderInfo;
use mktows::{Client, Operation, Request, RequestHeaders};

use crate::failure::{ExitStatus, Failure};
use crate::input::read_json;
use crate::operations;

/// The `call` command's arguments, after clap has parsed them.
pub struct CallOptions<'a> {
    /// The operation name as typed.
    pub operation: &'a str,
    /// The parameters argument: JSON, `@FILE` or `-`.
    pub params: &'a str,
    /// The `--context` argument, if given.
    pub context: Option<&'a str>,
    /// Prints the result on one line instead of indented.
    pub compact: bool,
}

/// Runs the `call` command.
///
/// The input is checked before the environment is read, so a mistake in the command line
/// is reported as such even without credentials.
///
/// # Errors
///
/// Returns the failure to report, with its exit status.
pub fn run(options: &CallOptions<'_>) -> Result<(), Failure> {
    let operation = operations::resolve(options.operation)?;
    let (request, headers) = build_request(operation, options)?;
    let client = Client::from_env()?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            Failure::new(
                ExitStatus::Transport,
                format!("failed to start the async runtime: {error}"),
            )
        })?;
    let response = runtime.block_on(mktows::dispatch(&client, request, headers))?;

    let result = response.to_json().map_err(|error| {
        Failure::new(
            ExitStatus::Transport,
            format!("failed to convert the {operation} response to JSON: {error}"),
        )
    })?;
    print_json(&result, options.compact)
}

/// Builds the request and its per-call headers from the JSON arguments.
fn build_request(
    operation: Operation,
    options: &CallOptions<'_>,
) -> Result<(Request, RequestHeaders), Failure> {
    if options.params == "-" && options.context == Some("-") {
        return Err(Failure::usage(
            "the parameters and --context cannot both be read from stdin; pass one of them as JSON or @FILE",
        ));
    }

    let params = read_json("the parameters", options.params)?;
    let request = Request::from_json(operation, params).map_err(|error| {
        Failure::usage(format!(
            "invalid parameters for {operation}: {error}. The keys are the child elements of {} in the WSDL",
            operation.input_element()
        ))
    })?;

    let mut headers = RequestHeaders::default();
    if let Some(context) = options.context {
        if operation != Operation::SyncLead {
            return Err(Failure::usage(format!(
                "--context applies only to syncLead, not to {operation}, because only syncLead accepts a MktowsContextHeader"
            )));
        }
        let value = read_json("--context", context)?;
        let header: MktowsContextHeaderInfo = serde_json::from_value(value).map_err(|error| {
            Failure::usage(format!(
                "invalid --context: {error}. Expected an object such as {{\"targetWorkspace\": \"Default\"}}"
            ))
        })?;
        headers.mktows_context_header = Some(header);
    }
    Ok((request, headers))
}

/// Writes `value` and a newline to stdout.
fn print_json(value: &serde_json::Value, compact: bool) -> Result<(), Failure> {
    let text = if compact {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    }
    .map_err(|error| {
        Failure::new(
            ExitStatus::Transport,
            format!("failed to format the result as JSON: {error}"),
        )
    })?;
    crate::write_stdout(&format!("{text}\n"))
}
