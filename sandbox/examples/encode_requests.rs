//! Dev tool for the interop suite: writes the SOAP Body content that the Rust client sends
//! for each operation fixture, so `tests/interop/zeep_wire.py --rust-dir` can compare it
//! with the body zeep builds from the WSDL.
//!
//! For each of the 23 operations it reads `<fixtures>/<op>/params.json`, builds the
//! request with `mktows::Request::from_json`, encodes the envelope with
//! `mktows::envelope::encode_request` (the function the client's calls go through) and
//! writes the body element to `<out-dir>/<op>.xml`. The body element gets the envelope's
//! namespace declarations, so each file is a well-formed document on its own.
//!
//! Usage: `cargo run -p mktows-sandbox --example encode_requests -- OUT_DIR [FIXTURES_DIR]`
//! (FIXTURES_DIR defaults to `tests/fixtures/operations` of this repository). Exits 1 when
//! an operation fails, 2 on a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mktows::envelope::encode_request;
use mktows::xml::{WriteXml, XmlWriter};
use mktows::{Operation, Request};

/// Adapts a [`Request`] to the [`WriteXml`] body that `encode_request` takes.
///
/// `encode_request` writes the body with `XmlWriter::complex(tag, body)`, where `tag` is the
/// operation's input element. [`Request::write_body`] writes that same element around the
/// typed parameters, which is what the client's typed methods pass.
struct RequestBody<'r>(&'r Request);

impl WriteXml for RequestBody<'_> {
    fn write_children(&self, _writer: &mut XmlWriter) {
        unreachable!("write_xml writes the whole element")
    }

    fn write_xml(&self, writer: &mut XmlWriter, _tag: &str) {
        self.0.write_body(writer);
    }
}

fn default_fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/operations")
}

/// Returns the body element of `envelope` with the envelope's namespace declarations
/// copied onto it.
fn body_element(envelope: &str) -> Result<String, String> {
    let after_declaration = match envelope.strip_prefix("<?") {
        Some(rest) => rest.find("?>").ok_or("the XML declaration is not closed")? + 4,
        None => 0,
    };
    let root = &envelope[after_declaration..];
    let root_tag_end = root
        .find('>')
        .ok_or("the envelope's start tag is not closed")?;
    let root_tag = root[..root_tag_end].trim_start_matches('<');
    let (root_name, root_attributes) = root_tag
        .split_once(char::is_whitespace)
        .unwrap_or((root_tag, ""));
    let Some((envelope_prefix, "Envelope")) = root_name.split_once(':') else {
        return Err(format!(
            "the root element is {root_name}, expected a prefixed SOAP Envelope"
        ));
    };

    let body_open = format!("<{envelope_prefix}:Body>");
    let body_close = format!("</{envelope_prefix}:Body>");
    let content_start = envelope
        .find(&body_open)
        .ok_or_else(|| format!("no {body_open} in the envelope"))?
        + body_open.len();
    let content_end = envelope
        .rfind(&body_close)
        .ok_or_else(|| format!("no {body_close} in the envelope"))?;
    let content = &envelope[content_start..content_end];

    // The body element's name ends at the first space, '>' or '/'; the declarations go there.
    let name_end = content
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .ok_or("the body element's start tag is not closed")?;
    Ok(format!(
        "{} {}{}",
        &content[..name_end],
        root_attributes.trim(),
        &content[name_end..]
    ))
}

fn encode_body(fixtures_dir: &Path, operation: Operation) -> Result<String, String> {
    let path = fixtures_dir.join(operation.name()).join("params.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let params: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not valid JSON: {error}", path.display()))?;
    let request = Request::from_json(operation, params)
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let envelope = encode_request(operation, &[], &RequestBody(&request))
        .map_err(|error| error.to_string())?;
    body_element(&envelope)
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let (out_dir, fixtures_dir) = match arguments.as_slice() {
        [out_dir] => (PathBuf::from(out_dir), default_fixtures_dir()),
        [out_dir, fixtures_dir] => (PathBuf::from(out_dir), PathBuf::from(fixtures_dir)),
        _ => {
            eprintln!("usage: encode_requests OUT_DIR [FIXTURES_DIR]");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = std::fs::create_dir_all(&out_dir) {
        eprintln!(
            "encode_requests: cannot create {}: {error}",
            out_dir.display()
        );
        return ExitCode::from(2);
    }

    let mut failed = 0;
    for operation in Operation::ALL {
        let written = encode_body(&fixtures_dir, operation).and_then(|body| {
            let path = out_dir.join(format!("{}.xml", operation.name()));
            std::fs::write(&path, body + "\n")
                .map_err(|error| format!("cannot write {}: {error}", path.display()))
        });
        if let Err(error) = written {
            eprintln!("encode_requests: {operation}: {error}");
            failed += 1;
        }
    }
    eprintln!(
        "encode_requests: wrote {} request bodies to {}",
        Operation::ALL.len() - failed,
        out_dir.display()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
