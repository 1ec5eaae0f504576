//! SOAP faults as Marketo sends them, and the numeric Marketo error codes inside.
//!
//! The WSDL declares no faults, but Marketo reports every error with the same SOAP 1.1
//! fault, sent with HTTP status 500:
//!
//! ```xml
//! <SOAP-ENV:Fault>
//!   <faultcode>SOAP-ENV:Client</faultcode>
//!   <faultstring>20103 - Lead not found</faultstring>
//!   <detail>
//!     <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">
//!       <name>mktServiceException</name>
//!       <message>No lead matches the lead key (20103)</message>
//!       <code>20103</code>
//!     </ns1:serviceException>
//!   </detail>
//! </SOAP-ENV:Fault>
//! ```
//!
//! [`SoapFault::parse`] reads that shape and plainer faults from other SOAP stacks.
//! [`SoapFault::to_envelope_xml`] writes it, for servers that imitate Marketo.

use std::borrow::Cow;
use std::fmt;

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::Reader;

/// The SOAP 1.1 envelope namespace.
const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The mktows target namespace, which qualifies `serviceException`.
const MKTOWS_NS: &str = "http://www.marketo.com/mktows/";

/// The value of `serviceException/name` in every Marketo fault.
const SERVICE_EXCEPTION_NAME: &str = "mktServiceException";

/// A Marketo SOAP API error code, read from a fault's `serviceException/code`.
///
/// Codes that this version does not know become [`FaultCode::Other`], and faults that
/// carry no code at all become [`FaultCode::Unspecified`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultCode {
    /// 10001: a severe failure inside Marketo.
    InternalError,
    /// 20011: the API service failed internally.
    ServiceInternalError,
    /// 20012: the SOAP message was not what the service expected.
    RequestNotUnderstood,
    /// 20013: this client is blocked from API access.
    AccessDenied,
    /// 20014: the user id, timestamp or signature is not valid.
    AuthenticationFailed,
    /// 20015: the subscription's daily call quota (10,000 by default) is used up.
    RequestLimitExceeded,
    /// 20016: the request timestamp is too old. Retry with a new timestamp and signature.
    RequestExpired,
    /// 20017: the request is missing an expected parameter.
    InvalidRequest,
    /// 20019: the operation is not defined in the mktows WSDL.
    UnsupportedOperation,
    /// 20022: a query filter spans more than 30 days between its oldest and latest dates.
    TimeRangeLimitExceeded,
    /// 20023: more than 100 calls in the last 20 seconds.
    RateLimitExceeded,
    /// 20024: more than 10 calls running at once.
    ConcurrencyLimitExceeded,
    /// 20101: a lead key is required but none was given.
    LeadKeyRequired,
    /// 20102: the lead key type is not valid.
    BadLeadKey,
    /// 20103: no lead matches the lead key value.
    LeadNotFound,
    /// 20104: a lead record is required but none was given.
    LeadDetailRequired,
    /// 20105: a lead record contains an attribute with an unknown name.
    BadLeadAttribute,
    /// 20106: the lead record could not be created or updated.
    LeadSyncFailed,
    /// 20107: the activity filter names an activity type that does not exist.
    BadActivityKey,
    /// 20108: the lead key names a lead owner that does not exist.
    LeadOwnerNotFound,
    /// 20109: a required parameter is null or missing.
    ParameterRequired,
    /// 20110: a parameter value is not valid.
    BadParameter,
    /// 20111: the list key names a list that does not exist.
    ListNotFound,
    /// 20113: the campaign does not exist.
    CampaignNotFound,
    /// 20114: a parameter value is not valid (a second code with the same meaning as 20110).
    BadParameterValue,
    /// 20122: the stream position is not valid.
    BadStreamPosition,
    /// 20123: the stream position is past the last record.
    StreamAtEnd,
    /// A numeric code that this version of the crate does not know.
    Other(u32),
    /// The fault carries no numeric code, in `serviceException/code` or in `faultstring`.
    Unspecified,
}

impl FaultCode {
    /// Every code that Marketo documents, in numeric order.
    pub const KNOWN: &'static [FaultCode] = &[
        FaultCode::InternalError,
        FaultCode::ServiceInternalError,
        FaultCode::RequestNotUnderstood,
        FaultCode::AccessDenied,
        FaultCode::AuthenticationFailed,
        FaultCode::RequestLimitExceeded,
        FaultCode::RequestExpired,
        FaultCode::InvalidRequest,
        FaultCode::UnsupportedOperation,
        FaultCode::TimeRangeLimitExceeded,
        FaultCode::RateLimitExceeded,
        FaultCode::ConcurrencyLimitExceeded,
        FaultCode::LeadKeyRequired,
        FaultCode::BadLeadKey,
        FaultCode::LeadNotFound,
        FaultCode::LeadDetailRequired,
        FaultCode::BadLeadAttribute,
        FaultCode::LeadSyncFailed,
        FaultCode::BadActivityKey,
        FaultCode::LeadOwnerNotFound,
        FaultCode::ParameterRequired,
        FaultCode::BadParameter,
        FaultCode::ListNotFound,
        FaultCode::CampaignNotFound,
        FaultCode::BadParameterValue,
        FaultCode::BadStreamPosition,
        FaultCode::StreamAtEnd,
    ];

    /// Returns the numeric code: the number of a known code, the value of
    /// [`FaultCode::Other`], or 0 for [`FaultCode::Unspecified`].
    pub fn code(&self) -> u32 {
        match self {
            FaultCode::InternalError => 10001,
            FaultCode::ServiceInternalError => 20011,
            FaultCode::RequestNotUnderstood => 20012,
            FaultCode::AccessDenied => 20013,
            FaultCode::AuthenticationFailed => 20014,
            FaultCode::RequestLimitExceeded => 20015,
            FaultCode::RequestExpired => 20016,
            FaultCode::InvalidRequest => 20017,
            FaultCode::UnsupportedOperation => 20019,
            FaultCode::TimeRangeLimitExceeded => 20022,
            FaultCode::RateLimitExceeded => 20023,
            FaultCode::ConcurrencyLimitExceeded => 20024,
            FaultCode::LeadKeyRequired => 20101,
            FaultCode::BadLeadKey => 20102,
            FaultCode::LeadNotFound => 20103,
            FaultCode::LeadDetailRequired => 20104,
            FaultCode::BadLeadAttribute => 20105,
            FaultCode::LeadSyncFailed => 20106,
            FaultCode::BadActivityKey => 20107,
            FaultCode::LeadOwnerNotFound => 20108,
            FaultCode::ParameterRequired => 20109,
            FaultCode::BadParameter => 20110,
            FaultCode::ListNotFound => 20111,
            FaultCode::CampaignNotFound => 20113,
            FaultCode::BadParameterValue => 20114,
            FaultCode::BadStreamPosition => 20122,
            FaultCode::StreamAtEnd => 20123,
            FaultCode::Other(number) => *number,
            FaultCode::Unspecified => 0,
        }
    }

    /// Maps a numeric code to its variant: a named variant for the codes Marketo
    /// documents, [`FaultCode::Unspecified`] for 0, and [`FaultCode::Other`] otherwise.
    pub fn from_code(number: u32) -> FaultCode {
        if number == 0 {
            return FaultCode::Unspecified;
        }
        FaultCode::KNOWN
            .iter()
            .find(|known| known.code() == number)
            .copied()
            .unwrap_or(FaultCode::Other(number))
    }

    /// Returns a short message for the code, as Marketo puts after the number in
    /// `faultstring` (`Lead Not Found`), as in Marketo's error table. Codes outside [`FaultCode::KNOWN`] get
    /// `Unknown error`.
    pub fn short_message(&self) -> &'static str {
        match self {
            FaultCode::InternalError | FaultCode::ServiceInternalError => "Internal Error",
            FaultCode::RequestNotUnderstood => "Request Not Understood",
            FaultCode::AccessDenied => "Access Denied",
            FaultCode::AuthenticationFailed => "Authentication failed",
            FaultCode::RequestLimitExceeded => "Request Limit Exceeded",
            FaultCode::RequestExpired => "Request Expired",
            FaultCode::InvalidRequest => "Invalid Request",
            FaultCode::UnsupportedOperation => "Unsupported Operation",
            FaultCode::TimeRangeLimitExceeded => {
                "Time range specified in query filter exceeded limit"
            }
            FaultCode::RateLimitExceeded => "Rate Limit Exceeded",
            FaultCode::ConcurrencyLimitExceeded => "Concurrency Limit Exceeded",
            FaultCode::LeadKeyRequired => "Lead Key Required",
            FaultCode::BadLeadKey => "Lead Key Bad",
            FaultCode::LeadNotFound => "Lead Not Found",
            FaultCode::LeadDetailRequired => "Lead Detail Required",
            FaultCode::BadLeadAttribute => "Lead Attribute Bad",
            FaultCode::LeadSyncFailed => "Lead Sync Failed",
            FaultCode::BadActivityKey => "Activity Key Bad",
            FaultCode::LeadOwnerNotFound => "Lead Owner Not Found",
            FaultCode::ParameterRequired => "Parameter Required",
            FaultCode::BadParameter | FaultCode::BadParameterValue => "Bad Parameter",
            FaultCode::ListNotFound => "List Not Found",
            FaultCode::CampaignNotFound => "Campaign Not Found",
            FaultCode::BadStreamPosition => "Bad Stream Position",
            FaultCode::StreamAtEnd => "Stream at End",
            FaultCode::Other(_) | FaultCode::Unspecified => "Unknown error",
        }
    }

    /// Returns `true` for Marketo's internal errors (10001, 20011), which it reports
    /// with the fault code `SOAP-ENV:Server` instead of `SOAP-ENV:Client`.
    pub fn is_server_error(&self) -> bool {
        matches!(
            self,
            FaultCode::InternalError | FaultCode::ServiceInternalError
        )
    }

    /// Returns `true` for the codes where the same request can succeed later: an expired
    /// signature (20016, after re-signing) and the rate and concurrency limits
    /// (20023, 20024, after waiting). The daily quota (20015) is not included.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FaultCode::RequestExpired
                | FaultCode::RateLimitExceeded
                | FaultCode::ConcurrencyLimitExceeded
        )
    }
}

impl fmt::Display for FaultCode {
    /// Formats a known code as its number and short message (`20103 (Lead Not Found)`)
    /// and an unknown one as its number alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultCode::Unspecified => f.write_str("no error code"),
            FaultCode::Other(number) => write!(f, "{number}"),
            known => write!(f, "{} ({})", known.code(), known.short_message()),
        }
    }
}

/// A SOAP 1.1 fault, with the Marketo error code and message read from its detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoapFault {
    /// The SOAP `faultcode` as sent, e.g. `SOAP-ENV:Client` or `SOAP-ENV:Server`.
    pub fault_code: String,
    /// The SOAP `faultstring` as sent, e.g. `20103 - Lead not found`.
    pub fault_string: String,
    /// The Marketo error code.
    pub code: FaultCode,
    /// The longer message from `serviceException/message`, or `faultstring` when the
    /// fault has no `serviceException`.
    pub message: String,
    /// The inner XML of the `detail` element as sent, trimmed, so text in it keeps its
    /// entity references (`&lt;`). `None` when the fault has no `detail`.
    pub detail: Option<String>,
    /// The whole `Fault` element as it appeared in the response, for logs and bug
    /// reports. Namespace prefixes declared on enclosing elements are not repeated here.
    pub raw: String,
}

/// An error reading a SOAP fault: the XML is malformed or contains no `Fault` element.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FaultParseError {
    /// The XML is not well formed.
    #[error("the SOAP fault is not well-formed XML at byte {position}: {source}")]
    Xml {
        /// The byte offset in the input where the parser stopped.
        position: u64,
        /// The parser's error.
        #[source]
        source: quick_xml::Error,
    },
    /// The input contains no element with the local name `Fault`.
    #[error(
        "the input contains no SOAP Fault element; expected <Fault> under any namespace prefix"
    )]
    MissingFault,
}

impl SoapFault {
    /// Parses a SOAP 1.1 `Fault` element, or any XML that contains one (such as a whole
    /// envelope). Element names match by local name, under any namespace prefix.
    ///
    /// The numeric code comes from `detail/serviceException/code`. When that is missing
    /// or not a number, it comes from the digits that start `faultstring` (`20103 - Lead
    /// not found`), and when neither has one it is [`FaultCode::Unspecified`]. A missing
    /// `faultcode` or `faultstring` reads as an empty string instead of failing, so a
    /// sloppy fault still reaches the caller as a fault.
    pub fn parse(xml: &[u8]) -> Result<SoapFault, FaultParseError> {
        let parts = FaultParts::read(xml)?;

        let service_code = parts.service_code.as_deref().and_then(parse_code_number);
        let string_code = leading_code_number(&parts.fault_string);
        let code = service_code
            .or(string_code)
            .map(FaultCode::from_code)
            .unwrap_or(FaultCode::Unspecified);
        let message = parts
            .service_message
            .unwrap_or_else(|| parts.fault_string.clone());

        Ok(SoapFault {
            fault_code: parts.fault_code,
            fault_string: parts.fault_string,
            code,
            message,
            detail: parts.detail,
            raw: parts.raw,
        })
    }

    /// Builds the fault Marketo would send for `code`, with `message` as the longer
    /// explanation. `message` gets the suffix ` (<code>)` unless it already ends with it.
    ///
    /// The fault code is `SOAP-ENV:Server` for internal errors and `SOAP-ENV:Client`
    /// otherwise, and `faultstring` is `<code> - <short message>`.
    pub fn marketo(code: FaultCode, message: impl Into<String>) -> SoapFault {
        let number = code.code();
        let suffix = format!(" ({number})");
        let mut message = message.into();
        if !message.ends_with(&suffix) {
            message.push_str(&suffix);
        }

        let fault_code = if code.is_server_error() {
            "SOAP-ENV:Server"
        } else {
            "SOAP-ENV:Client"
        };
        let mut fault = SoapFault {
            fault_code: fault_code.to_owned(),
            fault_string: format!("{number} - {}", code.short_message()),
            code,
            message,
            detail: None,
            raw: String::new(),
        };
        fault.detail = fault.render_detail_content();
        fault.raw = fault.render_fault_element();
        fault
    }

    /// Writes the fault as a complete SOAP 1.1 response envelope, with an XML
    /// declaration, in the shape Marketo uses.
    ///
    /// The XML is built from the fields, not from `raw`. A fault with a code (anything
    /// but [`FaultCode::Unspecified`]) gets a `serviceException` detail built from
    /// `code` and `message`; otherwise `detail`, when present, is written as its content.
    pub fn to_envelope_xml(&self) -> String {
        format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                "\n",
                r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{envelope_ns}">"#,
                "<SOAP-ENV:Body>{fault}</SOAP-ENV:Body>",
                "</SOAP-ENV:Envelope>"
            ),
            envelope_ns = SOAP_ENVELOPE_NS,
            fault = self.render_fault_element(),
        )
    }

    /// Returns the message without the code decorations Marketo adds, a leading
    /// `<code> - ` or a trailing ` (<code>)`, so that `Display` shows the code once.
    fn plain_message(&self) -> &str {
        let number = self.code.code().to_string();
        let mut text = self.message.trim();
        if let Some(rest) = text.strip_prefix(number.as_str()) {
            if let Some(rest) = rest.trim_start().strip_prefix('-') {
                text = rest.trim_start();
            }
        }
        if let Some(rest) = text.strip_suffix(&format!("({number})")) {
            text = rest.trim_end();
        }
        text
    }

    fn render_fault_element(&self) -> String {
        let detail = match (self.code, &self.detail) {
            (FaultCode::Unspecified, Some(content)) => format!("<detail>{content}</detail>"),
            (FaultCode::Unspecified, None) => String::new(),
            _ => format!(
                "<detail>{}</detail>",
                self.render_detail_content().unwrap_or_default()
            ),
        };
        format!(
            "<SOAP-ENV:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring>{detail}</SOAP-ENV:Fault>",
            escape_text(self.fault_code.as_str()),
            escape_text(self.fault_string.as_str()),
        )
    }

    fn render_detail_content(&self) -> Option<String> {
        if self.code == FaultCode::Unspecified {
            return self.detail.clone();
        }
        Some(format!(
            concat!(
                r#"<ns1:serviceException xmlns:ns1="{ns}">"#,
                "<name>{name}</name><message>{message}</message><code>{code}</code>",
                "</ns1:serviceException>"
            ),
            ns = MKTOWS_NS,
            name = SERVICE_EXCEPTION_NAME,
            message = escape_text(self.message.as_str()),
            code = self.code.code(),
        ))
    }
}

impl fmt::Display for SoapFault {
    /// Formats the code and the message, e.g.
    /// `Marketo fault 20103 (Lead Not Found): No lead matches the lead key`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            FaultCode::Unspecified => {
                write!(f, "SOAP fault {}: {}", self.fault_code, self.message.trim())
            }
            code => write!(f, "Marketo fault {code}: {}", self.plain_message()),
        }
    }
}

impl std::error::Error for SoapFault {}

/// Parses a whole string as a code number, allowing surrounding whitespace.
fn parse_code_number(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// Reads the number that starts a `faultstring` such as `20103 - Lead not found`.
/// The digits must be followed by the end, whitespace or `-`, so `2nd try` gives `None`.
fn leading_code_number(fault_string: &str) -> Option<u32> {
    let text = fault_string.trim_start();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits_end == 0 {
        return None;
    }
    let rest = &text[digits_end..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with('-')) {
        return None;
    }
    text[..digits_end].parse().ok()
}

/// The pieces of a `Fault` element, before they are interpreted.
#[derive(Default)]
struct FaultParts {
    fault_code: String,
    fault_string: String,
    detail: Option<String>,
    service_message: Option<String>,
    service_code: Option<String>,
    raw: String,
}

/// Where the reader is inside the `Fault` element, by the local names of the open
/// elements below `Fault` (`["detail", "serviceException", "code"]`).
type ElementPath = Vec<Vec<u8>>;

impl FaultParts {
    /// Reads the first `Fault` element in `xml`.
    fn read(xml: &[u8]) -> Result<FaultParts, FaultParseError> {
        let mut reader = Reader::from_reader(xml);
        let mut parts = FaultParts::default();

        let fault_start = loop {
            let position = reader.buffer_position();
            match next_event(&mut reader)? {
                Event::Start(start) if start.local_name().as_ref() == b"Fault" => break position,
                Event::Empty(empty) if empty.local_name().as_ref() == b"Fault" => {
                    parts.raw = lossy(&xml[position as usize..reader.buffer_position() as usize]);
                    return Ok(parts);
                }
                Event::Eof => return Err(FaultParseError::MissingFault),
                _ => {}
            }
        };

        let mut path: ElementPath = Vec::new();
        let mut detail_content_start = None;
        loop {
            let position = reader.buffer_position();
            match next_event(&mut reader)? {
                Event::Start(start) => {
                    path.push(start.local_name().as_ref().to_vec());
                    if path_is(&path, &[b"detail"]) {
                        detail_content_start = Some(reader.buffer_position());
                    }
                }
                Event::Empty(empty)
                    if path.is_empty() && empty.local_name().as_ref() == b"detail" =>
                {
                    parts.detail = Some(String::new());
                }
                Event::End(_) if path.is_empty() => {
                    let end = reader.buffer_position() as usize;
                    parts.raw = lossy(&xml[fault_start as usize..end]);
                    return Ok(parts);
                }
                Event::End(_) => {
                    if path_is(&path, &[b"detail"]) {
                        if let Some(start) = detail_content_start.take() {
                            let content = lossy(&xml[start as usize..position as usize]);
                            parts.detail = Some(content.trim().to_owned());
                        }
                    }
                    path.pop();
                }
                Event::Text(text) => {
                    let text = text
                        .xml_content()
                        .map_err(|error| xml_error(&reader, error))?;
                    parts.push_text(&path, &text);
                }
                Event::CData(data) => {
                    let text = data
                        .xml_content()
                        .map_err(|error| xml_error(&reader, error))?;
                    parts.push_text(&path, &text);
                }
                Event::GeneralRef(reference) => {
                    let text =
                        resolve_reference(&reference).map_err(|error| xml_error(&reader, error))?;
                    parts.push_text(&path, &text);
                }
                Event::Eof => {
                    return Err(xml_error(
                        &reader,
                        quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag),
                    ))
                }
                _ => {}
            }
        }
    }

    /// Appends character data to the field that the current element path names.
    fn push_text(&mut self, path: &ElementPath, text: &str) {
        let target = if path_is(path, &[b"faultcode"]) {
            &mut self.fault_code
        } else if path_is(path, &[b"faultstring"]) {
            &mut self.fault_string
        } else if path_is(path, &[b"detail", b"serviceException", b"message"]) {
            self.service_message.get_or_insert_with(String::new)
        } else if path_is(path, &[b"detail", b"serviceException", b"code"]) {
            self.service_code.get_or_insert_with(String::new)
        } else {
            return;
        };
        target.push_str(text);
    }
}

fn path_is(path: &ElementPath, expected: &[&[u8]]) -> bool {
    path.len() == expected.len() && path.iter().zip(expected).all(|(name, want)| name == want)
}

fn next_event<'a>(reader: &mut Reader<&'a [u8]>) -> Result<Event<'a>, FaultParseError> {
    reader.read_event().map_err(|source| FaultParseError::Xml {
        position: reader.error_position(),
        source,
    })
}

/// Escapes text for the fault XML. A character XML 1.0 cannot carry, which a server may
/// quote from a bad request, becomes U+FFFD, so that the fault stays well-formed.
fn escape_text(text: &str) -> Cow<'_, str> {
    if crate::xml::locate_invalid_character(text).is_none() {
        return escape(text);
    }
    let replaced: String = text
        .chars()
        .map(|c| {
            if crate::xml::is_xml_char(c) {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect();
    Cow::Owned(escape(&replaced).into_owned())
}

fn xml_error(reader: &Reader<&[u8]>, error: impl Into<quick_xml::Error>) -> FaultParseError {
    FaultParseError::Xml {
        position: reader.buffer_position(),
        source: error.into(),
    }
}

/// Resolves `&#NN;`, `&#xNN;` and the five predefined entities. Other entity names
/// cannot be declared in a SOAP message, so they are kept as written.
fn resolve_reference(
    reference: &quick_xml::events::BytesRef<'_>,
) -> Result<String, quick_xml::Error> {
    if let Some(character) = reference.resolve_char_ref()? {
        return Ok(character.to_string());
    }
    let name = reference.decode()?;
    Ok(match resolve_predefined_entity(&name) {
        Some(text) => text.to_owned(),
        None => format!("&{name};"),
    })
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKETO_FAULT: &[u8] =
        include_bytes!("../tests/fixtures/faults/marketo-service-exception.xml");
    const BARE_FAULT: &[u8] = include_bytes!("../tests/fixtures/faults/bare-faultstring.xml");
    const UNKNOWN_CODE_FAULT: &[u8] = include_bytes!("../tests/fixtures/faults/unknown-code.xml");
    const NO_CODE_FAULT: &[u8] = include_bytes!("../tests/fixtures/faults/no-code.xml");

    #[test]
    fn from_code_round_trips_every_known_code() {
        for known in FaultCode::KNOWN {
            assert_eq!(FaultCode::from_code(known.code()), *known);
        }
    }

    #[test]
    fn from_code_maps_unknown_numbers_to_other() {
        assert_eq!(FaultCode::from_code(20999), FaultCode::Other(20999));
        assert_eq!(FaultCode::Other(20999).code(), 20999);
    }

    #[test]
    fn from_code_maps_zero_to_unspecified() {
        assert_eq!(FaultCode::from_code(0), FaultCode::Unspecified);
        assert_eq!(FaultCode::Unspecified.code(), 0);
    }

    #[test]
    fn known_codes_are_sorted_and_distinct() {
        let numbers: Vec<u32> = FaultCode::KNOWN.iter().map(FaultCode::code).collect();

        assert_eq!(numbers.len(), 27, "Marketo documents 27 codes");
        assert!(
            numbers.windows(2).all(|pair| pair[0] < pair[1]),
            "{numbers:?}"
        );
        assert!(numbers.iter().all(|&number| number != 0));
    }

    #[test]
    fn display_of_codes() {
        assert_eq!(
            FaultCode::LeadNotFound.to_string(),
            "20103 (Lead Not Found)"
        );
        assert_eq!(FaultCode::Other(29876).to_string(), "29876");
        assert_eq!(FaultCode::Unspecified.to_string(), "no error code");
    }

    #[test]
    fn parse_reads_marketo_service_exception() {
        let fault = SoapFault::parse(MARKETO_FAULT).unwrap();

        assert_eq!(fault.fault_code, "SOAP-ENV:Client");
        assert_eq!(fault.fault_string, "20103 - Lead not found");
        assert_eq!(fault.code, FaultCode::LeadNotFound);
        assert_eq!(
            fault.message,
            "No lead matches cookie 'id:561-QWE-880&token:_mch-example.test-1' (20103)"
        );
        let detail = fault.detail.as_deref().unwrap();
        assert!(
            detail.starts_with("<mkt:serviceException"),
            "detail: {detail}"
        );
        assert!(
            detail.ends_with("</mkt:serviceException>"),
            "detail: {detail}"
        );
        assert!(
            fault.raw.starts_with("<SOAP-ENV:Fault>"),
            "raw: {}",
            fault.raw
        );
        assert!(
            fault.raw.ends_with("</SOAP-ENV:Fault>"),
            "raw: {}",
            fault.raw
        );
    }

    #[test]
    fn parse_takes_code_from_bare_faultstring() {
        let fault = SoapFault::parse(BARE_FAULT).unwrap();

        assert_eq!(fault.fault_code, "soap:Server");
        assert_eq!(fault.code, FaultCode::ConcurrencyLimitExceeded);
        assert_eq!(fault.message, "20024 - Concurrency limit exceeded");
        assert_eq!(fault.detail, None);
    }

    #[test]
    fn parse_maps_unknown_code_to_other() {
        let fault = SoapFault::parse(UNKNOWN_CODE_FAULT).unwrap();

        assert_eq!(fault.code, FaultCode::Other(29876));
        assert_eq!(fault.message, "Program is locked by another user (29876)");
    }

    #[test]
    fn parse_without_any_code_is_unspecified() {
        let fault = SoapFault::parse(NO_CODE_FAULT).unwrap();

        assert_eq!(fault.code, FaultCode::Unspecified);
        assert_eq!(fault.fault_code, "env:Client");
        assert_eq!(
            fault.message,
            "Unmarshalling Error: unexpected element <leadKye>"
        );
        assert_eq!(fault.detail.as_deref(), Some("line 4, column 17"));
    }

    #[test]
    fn parse_prefers_service_exception_code_over_faultstring() {
        let xml = br#"<Fault><faultcode>Client</faultcode><faultstring>20101 - Lead key required</faultstring>
            <detail><serviceException><message>Lead key missing</message><code>20109</code></serviceException></detail></Fault>"#;

        let fault = SoapFault::parse(xml).unwrap();

        assert_eq!(fault.code, FaultCode::ParameterRequired);
    }

    #[test]
    fn parse_reads_empty_detail() {
        let xml = b"<s:Fault xmlns:s=\"urn:x\"><faultcode>s:Server</faultcode><faultstring>Busy</faultstring><detail/></s:Fault>";

        let fault = SoapFault::parse(xml).unwrap();

        assert_eq!(fault.detail.as_deref(), Some(""));
        assert_eq!(fault.raw.as_bytes(), xml);
    }

    #[test]
    fn parse_rejects_input_without_fault() {
        let error = SoapFault::parse(b"<Envelope><Body><ok/></Body></Envelope>").unwrap_err();

        assert!(matches!(error, FaultParseError::MissingFault), "{error:?}");
    }

    #[test]
    fn parse_rejects_mismatched_tags() {
        let error = SoapFault::parse(b"<Fault><faultstring>oops</faultcode></Fault>").unwrap_err();

        assert!(matches!(error, FaultParseError::Xml { .. }), "{error:?}");
    }

    #[test]
    fn parse_rejects_unclosed_fault() {
        let error = SoapFault::parse(b"<Fault><faultstring>cut off").unwrap_err();

        assert!(matches!(error, FaultParseError::Xml { .. }), "{error:?}");
    }

    #[test]
    fn leading_code_number_needs_a_separator() {
        assert_eq!(leading_code_number("20103 - Lead not found"), Some(20103));
        assert_eq!(leading_code_number("  20016-Request expired"), Some(20016));
        assert_eq!(leading_code_number("20110"), Some(20110));
        assert_eq!(leading_code_number("2nd attempt failed"), None);
        assert_eq!(leading_code_number("Lead not found"), None);
        assert_eq!(leading_code_number(""), None);
    }

    #[test]
    fn marketo_fault_uses_client_code_and_suffix() {
        let fault =
            SoapFault::marketo(FaultCode::BadStreamPosition, "Stream position is not valid");

        assert_eq!(fault.fault_code, "SOAP-ENV:Client");
        assert_eq!(fault.fault_string, "20122 - Bad Stream Position");
        assert_eq!(fault.message, "Stream position is not valid (20122)");
    }

    #[test]
    fn marketo_fault_keeps_existing_suffix() {
        let fault = SoapFault::marketo(FaultCode::StreamAtEnd, "No more records (20123)");

        assert_eq!(fault.message, "No more records (20123)");
    }

    #[test]
    fn marketo_internal_error_uses_server_code() {
        let fault = SoapFault::marketo(FaultCode::InternalError, "Database unavailable");

        assert_eq!(fault.fault_code, "SOAP-ENV:Server");
    }

    #[test]
    fn envelope_round_trips_through_parse() {
        let fault = SoapFault::marketo(
            FaultCode::LeadNotFound,
            "No lead with email <ana@example.test> & co",
        );

        let envelope = fault.to_envelope_xml();
        let parsed = SoapFault::parse(envelope.as_bytes()).unwrap();

        assert!(envelope.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
        assert!(envelope.contains(r#"xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/""#));
        assert!(envelope.contains("<name>mktServiceException</name>"));
        assert!(envelope.contains("&lt;ana@example.test&gt; &amp; co"));
        assert_eq!(parsed, fault);
    }

    #[test]
    fn envelope_of_fault_without_code_keeps_detail() {
        let fault = SoapFault::parse(NO_CODE_FAULT).unwrap();

        let parsed = SoapFault::parse(fault.to_envelope_xml().as_bytes()).unwrap();

        assert_eq!(parsed.code, FaultCode::Unspecified);
        assert_eq!(parsed.message, fault.message);
        assert_eq!(parsed.detail, fault.detail);
    }

    #[test]
    fn display_shows_code_once() {
        let fault = SoapFault::marketo(FaultCode::AuthenticationFailed, "Signature does not match");

        assert_eq!(
            fault.to_string(),
            "Marketo fault 20014 (Authentication failed): Signature does not match"
        );
    }

    #[test]
    fn display_strips_faultstring_prefix() {
        let fault = SoapFault::parse(BARE_FAULT).unwrap();

        assert_eq!(
            fault.to_string(),
            "Marketo fault 20024 (Concurrency Limit Exceeded): Concurrency limit exceeded"
        );
    }

    #[test]
    fn display_without_code_shows_fault_code() {
        let fault = SoapFault::parse(NO_CODE_FAULT).unwrap();

        assert_eq!(
            fault.to_string(),
            "SOAP fault env:Client: Unmarshalling Error: unexpected element <leadKye>"
        );
    }
}
