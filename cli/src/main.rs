//! `mktows`: calls any operation of Marketo's mktows SOAP API (WSDL 2_3) with JSON
//! parameters and prints the JSON result.

mod call;
mod failure;
mod input;
mod logging;
mod operations;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::failure::Failure;

/// The text after the options in `mktows --help`.
const AFTER_HELP: &str = "\
Environment:
  MKTOWS_ENDPOINT    The SOAP endpoint URL from Marketo's Admin > Web Services page,
                     e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_3
  MKTOWS_USER_ID     The SOAP API user id from the same page
  MKTOWS_SECRET_KEY  The encryption key that signs each request
  MKTOWS_LOG         Diagnostic log level on stderr: error, warn, info, debug or trace
                     (unset: off). debug logs each HTTP exchange; trace also logs the
                     request envelope, with the signature shown as <redacted>, and the
                     response envelope, which contains the returned records

Exit codes:
  0  Success; the result is on stdout
  1  Marketo returned a SOAP fault (stderr: error: fault <code> <message>)
  2  Invalid command line, unknown operation, or invalid JSON or parameters
  3  Missing or invalid configuration (environment variable or endpoint URL)
  4  Transport error (connection, timeout, HTTP status) or an undecodable response";

/// The command line.
#[derive(Parser, Debug)]
#[command(
    name = "mktows",
    version,
    about = "Calls Marketo's mktows SOAP API (WSDL 2_3) with JSON parameters and prints the JSON result",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
enum Command {
    /// Calls one operation and prints the content of its success element as JSON.
    ///
    /// The JSON keys are the XML element names of the WSDL, for example
    /// `mktows call getLead '{"leadKey": {"keyType": "EMAIL", "keyValue": "ada@example.com"}}'`.
    /// Elements that may repeat are JSON arrays, and `xsi:nil` elements are `null`.
    #[command(after_help = AFTER_HELP)]
    Call {
        /// The operation's WSDL name, such as getLead or syncLead (see `mktows operations`).
        operation: String,

        /// The content of the request's params element as a JSON object, `@FILE` to read
        /// it from a file, or `-` to read it from stdin.
        #[arg(default_value = "{}")]
        params: String,

        /// The MktowsContextHeader for syncLead as JSON (or `@FILE`, or `-` for stdin),
        /// e.g. '{"targetWorkspace": "Default"}', which selects the target workspace.
        #[arg(long, value_name = "JSON")]
        context: Option<String>,

        /// Prints the result on one line instead of indented.
        #[arg(long)]
        compact: bool,
    },

    /// Lists the operations, one per line, with the description from the WSDL.
    Operations,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match logging::init().and_then(|()| run(&cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.status.into()
        }
    }
}

fn run(command: &Command) -> Result<(), Failure> {
    match command {
        Command::Call {
            operation,
            params,
            context,
            compact,
        } => call::run(&call::CallOptions {
            operation,
            params,
            context: context.as_deref(),
            compact: *compact,
        }),
        Command::Operations => write_stdout(&operations::listing()),
    }
}

/// Writes `text` to stdout.
///
/// A reader that closed the pipe early, as `mktows call … | head -n 1` does, is not an
/// error: the rest of the output is dropped and the run succeeds, as with other Unix tools.
///
/// # Errors
///
/// Returns a failure with exit code 4 when writing fails for another reason, such as a
/// full disk.
fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::new(
            failure::ExitStatus::Transport,
            format!("failed to write the result to stdout: {error}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
