//! SOAP 1.1 envelopes around the generated messages, for both sides of a call.
//!
//! A client writes a request with [`encode_request`] and reads the answer with
//! [`decode_response`]; a server reads the request with [`decode_request`] and answers
//! with [`encode_response`] (faults come from [`SoapFault::to_envelope_xml`]). Envelopes
//! declare the prefixes `SOAP-ENV`, `xsi` and the generated target prefix once, on the root.

use crate::fault::SoapFault;
use crate::generated::types::{TARGET_NAMESPACE, TARGET_PREFIX};
use crate::generated::{Operation, Request, RequestHeaders, Response};
use crate::xml::{
    Child, DecodeError, DecodeErrorKind, ReadXml, WriteXml, XmlReader, XmlWriter,
    SOAP_ENVELOPE_NAMESPACE,
};
use crate::Error;

/// Writes the envelope's start tag and opens the header.
fn start_envelope(writer: &mut XmlWriter) {
    writer.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    writer.raw("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"");
    writer.raw(SOAP_ENVELOPE_NAMESPACE);
    writer.raw("\" xmlns:");
    writer.raw(TARGET_PREFIX);
    writer.raw("=\"");
    writer.raw(TARGET_NAMESPACE);
    writer.raw("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
}

fn finish(writer: XmlWriter) -> Result<String, Error> {
    writer
        .finish()
        .map_err(|error| Error::Encode(Box::new(error)))
}

/// Writes a request envelope: `headers` as SOAP headers (qualified with the target prefix),
/// then the body element of `operation`.
///
/// # Errors
///
/// Returns [`Error::Encode`] when a value contains a character XML 1.0 cannot carry.
pub fn encode_request(
    operation: Operation,
    headers: &[(&str, &(dyn WriteXml + Sync))],
    body: &(dyn WriteXml + Sync),
) -> Result<String, Error> {
    let mut writer = XmlWriter::with_capacity(TARGET_PREFIX, 2048);
    start_envelope(&mut writer);
    if !headers.is_empty() {
        writer.raw("<SOAP-ENV:Header>");
        for (element, header) in headers {
            writer.complex(&format!("{TARGET_PREFIX}:{element}"), *header);
        }
        writer.raw("</SOAP-ENV:Header>");
    }
    writer.raw("<SOAP-ENV:Body>");
    writer.complex(
        &format!("{TARGET_PREFIX}:{}", operation.input_element()),
        body,
    );
    writer.raw("</SOAP-ENV:Body></SOAP-ENV:Envelope>");
    finish(writer)
}

/// Writes a response envelope around `response`.
///
/// # Errors
///
/// Returns [`Error::Encode`] when a value contains a character XML 1.0 cannot carry.
pub fn encode_response(response: &Response) -> Result<String, Error> {
    let mut writer = XmlWriter::with_capacity(TARGET_PREFIX, 4096);
    start_envelope(&mut writer);
    writer.raw("<SOAP-ENV:Body>");
    response.write_body(&mut writer);
    writer.raw("</SOAP-ENV:Body></SOAP-ENV:Envelope>");
    finish(writer)
}

/// Why a server could not read a request envelope.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The body is not a SOAP 1.1 envelope, or not well-formed XML.
    #[error("the request is not a readable SOAP 1.1 envelope: {0}")]
    Unreadable(DecodeError),
    /// The body element names no operation of the port: an unknown local name, or a known
    /// one outside the target namespace. The name is written `{namespace}local`.
    #[error("the body element {0} is not the request of any operation")]
    UnknownOperation(String),
    /// The body element is known, but its content is invalid (a missing required element,
    /// an invalid value); the error has the path to it.
    #[error("invalid {operation} request: {error}")]
    Invalid {
        /// The operation the body element belongs to.
        operation: Operation,
        /// What is wrong, and where.
        error: DecodeError,
    },
}

/// Reads a request envelope: its known headers and its body.
///
/// Unknown headers are skipped. The body's elements may come in any order.
///
/// # Errors
///
/// Returns [`RequestError`] saying whether the envelope, the operation or the content was
/// at fault, so a server can answer with the matching fault code.
pub fn decode_request(body: &[u8]) -> Result<(RequestHeaders, Request), RequestError> {
    check_characters(body).map_err(RequestError::Unreadable)?;
    let mut reader = XmlReader::strict(body);
    let envelope = open_envelope(&mut reader).map_err(RequestError::Unreadable)?;
    let mut headers = RequestHeaders::default();
    let mut header_read = false;

    while let Some(section) = reader
        .next_child_of(&envelope)
        .map_err(RequestError::Unreadable)?
    {
        match section.local_name() {
            b"Header" if header_read => {
                return Err(RequestError::Unreadable(second_section(&section)))
            }
            b"Header" => {
                read_headers(&mut reader, &section, &mut headers)?;
                header_read = true;
            }
            b"Body" => {
                let Some(element) = reader
                    .next_child_of(&section)
                    .map_err(RequestError::Unreadable)?
                else {
                    return Err(RequestError::Unreadable(
                        DecodeError::missing("the request element").within("Body"),
                    ));
                };
                let in_target_namespace =
                    reader.namespace_of(&element) == Some(TARGET_NAMESPACE.as_bytes());
                let operation = Operation::from_input_element(element.local_name())
                    .filter(|_| in_target_namespace);
                let Some(operation) = operation else {
                    let namespace = reader
                        .namespace_of(&element)
                        .map(String::from_utf8_lossy)
                        .unwrap_or_default();
                    let name = format!("{{{namespace}}}{}", element.name_lossy());
                    // A message that is not even well-formed is unreadable (20012 on a
                    // server) rather than a request for an unknown operation.
                    reader.skip(&element).map_err(RequestError::Unreadable)?;
                    finish_envelope(&mut reader, &section, &envelope)
                        .map_err(RequestError::Unreadable)?;
                    return Err(RequestError::UnknownOperation(name));
                };
                let request = Request::read_body(operation, &mut reader, &element)
                    .map_err(|error| classify(operation, error))?;
                finish_envelope(&mut reader, &section, &envelope)
                    .map_err(RequestError::Unreadable)?;
                return Ok((headers, request));
            }
            _ => reader.skip(&section).map_err(RequestError::Unreadable)?,
        }
    }
    Err(RequestError::Unreadable(
        DecodeError::missing("Body").within("Envelope"),
    ))
}

/// Refuses a request that is not UTF-8, or that contains a raw character XML 1.0 does not
/// allow, such as U+0001. A lenient parser passes such a character through; a server must
/// not store it, because no XML response could carry it back. The whole body is checked,
/// also the parts the decoder skips.
fn check_characters(body: &[u8]) -> Result<(), DecodeError> {
    let text = std::str::from_utf8(body).map_err(|error| {
        DecodeError::new(DecodeErrorKind::Malformed(format!(
            "the request is not UTF-8 (invalid bytes at byte {}); send SOAP messages in UTF-8",
            error.valid_up_to()
        )))
    })?;
    match crate::xml::locate_invalid_character(text) {
        None => Ok(()),
        Some((offset, character)) => Err(DecodeError::new(DecodeErrorKind::Malformed(format!(
            "the character U+{:04X} at byte {offset} is not allowed in XML 1.0",
            u32::from(character)
        )))),
    }
}

/// Reads the rest of the message after the body element, up to the end of the document.
///
/// The `Body` must end there. After it, SOAP 1.1 allows further envelope elements, but no
/// second `Header` or `Body`. Their content is not used, but it must be well-formed, or the
/// message was cut or corrupted somewhere.
fn finish_envelope(
    reader: &mut XmlReader<'_>,
    body: &Child<'_>,
    envelope: &Child<'_>,
) -> Result<(), DecodeError> {
    if let Some(extra) = reader.next_child_of(body)? {
        return Err(DecodeError::new(DecodeErrorKind::Malformed(format!(
            "the Body contains a second element, {}; a SOAP message has one",
            extra.name_lossy()
        ))));
    }
    while let Some(section) = reader.next_child_of(envelope)? {
        if is_soap_section(reader, &section) {
            return Err(second_section(&section));
        }
        reader.skip(&section)?;
    }
    reader.finish_document()
}

/// True for the envelope's `Header` and `Body` elements, which may appear once each.
fn is_soap_section(reader: &XmlReader<'_>, element: &Child<'_>) -> bool {
    matches!(element.local_name(), b"Header" | b"Body")
        && reader.namespace_of(element) == Some(SOAP_ENVELOPE_NAMESPACE.as_bytes())
}

fn second_section(section: &Child<'_>) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Malformed(format!(
        "the envelope has a second {0} or a {0} after the Body; SOAP 1.1 allows one Header, then one Body",
        section.name_lossy()
    )))
}

fn classify(operation: Operation, error: DecodeError) -> RequestError {
    match error.kind() {
        DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof => {
            RequestError::Unreadable(error)
        }
        _ => RequestError::Invalid { operation, error },
    }
}

// NOTE: an unknown header is skipped even with `mustUnderstand="1"`, where SOAP 1.1
// requires a MustUnderstand fault.
fn read_headers(
    reader: &mut XmlReader<'_>,
    section: &Child<'_>,
    headers: &mut RequestHeaders,
) -> Result<(), RequestError> {
    while let Some(header) = reader
        .next_child_of(section)
        .map_err(RequestError::Unreadable)?
    {
        let known = headers
            .read_header(reader, &header)
            .map_err(RequestError::Unreadable)?;
        if !known {
            reader.skip(&header).map_err(RequestError::Unreadable)?;
        }
    }
    Ok(())
}

fn open_envelope<'i>(reader: &mut XmlReader<'i>) -> Result<Child<'i>, DecodeError> {
    let root = reader.root()?;
    let is_envelope = root.local_name() == b"Envelope"
        && reader.namespace_of(&root) == Some(SOAP_ENVELOPE_NAMESPACE.as_bytes());
    if !is_envelope {
        return Err(DecodeError::new(DecodeErrorKind::UnexpectedElement {
            expected: "Envelope (SOAP 1.1)".into(),
            found: root.name_lossy(),
        }));
    }
    Ok(root)
}

/// Reads a response envelope: the body element of `operation`, or the SOAP fault.
///
/// # Errors
///
/// Returns [`Error::Fault`] for a SOAP fault, and [`Error::Decode`] when the body is not a
/// SOAP envelope or the element is invalid (with the path to the failing element).
pub fn decode_response<R: ReadXml>(operation: Operation, body: &[u8]) -> Result<R, Error> {
    decode_response_with(operation, body, |reader, element| {
        reader
            .read_complex(element)
            .map_err(|error| error.within(operation.output_element()))
    })
}

/// Reads a response envelope of `operation` into the [`Response`] enum, for code that
/// handles operations dynamically.
///
/// # Errors
///
/// As [`decode_response`].
pub fn decode_any_response(operation: Operation, body: &[u8]) -> Result<Response, Error> {
    decode_response_with(operation, body, |reader, element| {
        Response::read_body(operation, reader, element)
    })
}

fn decode_response_with<T>(
    operation: Operation,
    body: &[u8],
    read: impl FnOnce(&mut XmlReader<'_>, &Child<'_>) -> Result<T, DecodeError>,
) -> Result<T, Error> {
    let decode = |error: DecodeError| Error::Decode(Box::new(error));
    let mut reader = XmlReader::new(body);
    let envelope = open_envelope(&mut reader).map_err(decode)?;

    while let Some(section) = reader.next_child_of(&envelope).map_err(decode)? {
        if section.local_name() != b"Body" {
            reader.skip(&section).map_err(decode)?;
            continue;
        }
        let Some(element) = reader.next_child_of(&section).map_err(decode)? else {
            return Err(decode(
                DecodeError::missing(operation.output_element()).within("Body"),
            ));
        };
        if element.local_name() == b"Fault" {
            let start = element.offset();
            reader.skip(&element).map_err(decode)?;
            let raw = reader.slice(start, reader.position());
            let fault = SoapFault::parse(raw).map_err(|error| Error::Decode(Box::new(error)))?;
            finish_envelope(&mut reader, &section, &envelope).map_err(decode)?;
            return Err(Error::Fault(Box::new(fault)));
        }
        if element.local_name() != operation.output_element().as_bytes() {
            return Err(decode(DecodeError::new(
                DecodeErrorKind::UnexpectedElement {
                    expected: operation.output_element().to_owned(),
                    found: element.name_lossy(),
                },
            )));
        }
        let value = read(&mut reader, &element).map_err(decode)?;
        finish_envelope(&mut reader, &section, &envelope).map_err(decode)?;
        return Ok(value);
    }
    Err(decode(DecodeError::missing("Body").within("Envelope")))
}
