//! Prints the Rust source generated for a WSDL, for reading and reviewing.
//!
//! Usage: `cargo run -p mktows-codegen -- [--transport-header ELEMENT]... WSDL`
//! (defaults to the crate's `wsdl/mktows-2_3.wsdl` and the `AuthenticationHeader` setting
//! that `build.rs` uses).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    let mut transport_headers = Vec::new();
    let mut wsdl_path = None;
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--transport-header" => match arguments.next() {
                Some(element) => transport_headers.push(element),
                None => return usage("--transport-header needs an element name"),
            },
            "-h" | "--help" => return usage(""),
            path => wsdl_path = Some(path.to_owned()),
        }
    }
    let wsdl_path = wsdl_path.unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../wsdl/mktows-2_3.wsdl").to_owned()
    });
    if transport_headers.is_empty() {
        transport_headers.push("AuthenticationHeader".to_owned());
    }

    let mut config = mktows_codegen::Config::new()
        .client_type("crate::Client")
        .json_feature("json");
    for header in &transport_headers {
        config = config.transport_header(header);
    }
    match config.generate_file(&wsdl_path) {
        Ok(code) => {
            println!(
                "// ---- types.rs ----\n{}\n// ---- port.rs ----\n{}",
                code.types, code.port
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: mktows-codegen [--transport-header ELEMENT]... [WSDL]");
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
