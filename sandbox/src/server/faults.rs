//! Maps what can go wrong before an operation runs to Marketo fault codes: envelopes that
//! cannot be read, unknown operations, invalid content and a `SOAPAction` header that
//! contradicts the body.

use mktows::envelope::RequestError;
use mktows::xml::{DecodeError, DecodeErrorKind};
use mktows::Operation;

use crate::error::{FaultCode, SandboxError};

/// Returns the fault for a request envelope that [`mktows::envelope::decode_request`]
/// rejected:
///
/// - not well-formed XML or not a SOAP 1.1 envelope: 20012;
/// - an `AuthenticationHeader` that lacks an element or has an invalid one: 20014;
/// - a body element that names no operation of the WSDL: 20019;
/// - a required element missing, or nil where the schema forbids it: 20017;
/// - a value that does not parse as its schema type, or an unknown `xsi:type`: 20110.
pub(crate) fn request_fault(error: &RequestError) -> SandboxError {
    match error {
        RequestError::Unreadable(decode) if is_authentication_header_content(decode) => SandboxError::new(
            FaultCode::AuthenticationFailed,
            format!("the AuthenticationHeader is not valid ({decode}); send mktowsUserId, requestSignature and requestTimestamp"),
        ),
        RequestError::Unreadable(decode) => SandboxError::new(
            FaultCode::RequestNotUnderstood,
            format!("the request is not a readable SOAP 1.1 envelope: {decode}"),
        ),
        RequestError::UnknownOperation(element) => SandboxError::new(
            FaultCode::UnsupportedOperation,
            format!("the body element {element} is not the request of any operation of the mktows 2_3 WSDL"),
        ),
        RequestError::Invalid { operation, error } => match error.kind() {
            DecodeErrorKind::MissingElement(_) | DecodeErrorKind::NilNotAllowed => SandboxError::new(
                FaultCode::InvalidRequest,
                format!("invalid {operation} request: {error}; see the WSDL for the required elements"),
            ),
            _ => SandboxError::new(FaultCode::BadParameter, format!("invalid {operation} request: {error}")),
        },
    }
}

/// True when the envelope itself was readable and the failure lies inside the
/// `AuthenticationHeader` element.
fn is_authentication_header_content(error: &DecodeError) -> bool {
    let malformed = matches!(
        error.kind(),
        DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof
    );
    !malformed && error.path().next() == Some("AuthenticationHeader")
}

/// Checks the `SOAPAction` HTTP header against the operation of the body.
///
/// An absent or empty header (`""`) is accepted, as SOAP 1.1 allows. Otherwise the text
/// after the last `/` or `#` names the operation, so both the WSDL's
/// `http://www.marketo.com/mktows/getLead` and a bare `getLead` are accepted. A name the
/// WSDL does not define is fault 20019; another operation of the WSDL than the body's is
/// fault 20012.
pub(crate) fn check_soap_action(
    soap_action: Option<&str>,
    operation: Operation,
) -> Result<(), SandboxError> {
    let Some(action) = soap_action
        .map(|value| value.trim().trim_matches('"').trim())
        .filter(|value| !value.is_empty())
    else {
        return Ok(());
    };
    if action == operation.soap_action() {
        return Ok(());
    }
    let name = action.rsplit(['/', '#']).next().unwrap_or(action);
    match Operation::from_name(name) {
        Some(named) if named == operation => Ok(()),
        Some(named) => Err(SandboxError::new(
            FaultCode::RequestNotUnderstood,
            format!(
                "the SOAPAction header names {named} but the body is a {operation} request ({}); send the SOAPAction of the operation in the body",
                operation.input_element()
            ),
        )),
        None => Err(SandboxError::new(
            FaultCode::UnsupportedOperation,
            format!("the SOAPAction header '{action}' names no operation of the mktows 2_3 WSDL"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mktows::envelope::decode_request;

    fn envelope(header: &str, body: &str) -> String {
        format!(
            concat!(
                r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">"#,
                "<SOAP-ENV:Header>{}</SOAP-ENV:Header><SOAP-ENV:Body>{}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
            ),
            header, body
        )
    }

    fn fault_code_of(xml: &str) -> FaultCode {
        let error = decode_request(xml.as_bytes()).expect_err("the request must be rejected");
        request_fault(&error).code
    }

    #[test]
    fn truncated_envelope_is_20012() {
        let xml = envelope("", "<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType>");
        let truncated = &xml[..xml.find("</SOAP-ENV:Body>").unwrap()];

        assert_eq!(fault_code_of(truncated), FaultCode::RequestNotUnderstood);
    }

    #[test]
    fn non_soap_document_is_20012() {
        assert_eq!(
            fault_code_of("<html><body>hello</body></html>"),
            FaultCode::RequestNotUnderstood
        );
    }

    #[test]
    fn unknown_body_element_is_20019() {
        let xml = envelope(
            "",
            "<ns1:paramsRenameLead><leadId>7</leadId></ns1:paramsRenameLead>",
        );

        assert_eq!(fault_code_of(&xml), FaultCode::UnsupportedOperation);
    }

    #[test]
    fn missing_required_element_is_20017() {
        let xml = envelope(
            "",
            "<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType></leadKey></ns1:paramsGetLead>",
        );

        assert_eq!(fault_code_of(&xml), FaultCode::InvalidRequest);
    }

    #[test]
    fn bad_number_is_20110() {
        let xml = envelope(
            "",
            "<ns1:paramsRequestCampaign><source>MKTOWS</source><campaignId>twelve</campaignId></ns1:paramsRequestCampaign>",
        );

        assert_eq!(fault_code_of(&xml), FaultCode::BadParameter);
    }

    #[test]
    fn incomplete_authentication_header_is_20014() {
        let xml = envelope(
            "<ns1:AuthenticationHeader><mktowsUserId>u</mktowsUserId></ns1:AuthenticationHeader>",
            "<ns1:paramsListMObjects/>",
        );

        assert_eq!(fault_code_of(&xml), FaultCode::AuthenticationFailed);
    }

    #[test]
    fn soap_action_forms_are_accepted() {
        for action in [
            None,
            Some(""),
            Some("\"\""),
            Some("\"http://www.marketo.com/mktows/getLead\""),
            Some("getLead"),
        ] {
            assert!(
                check_soap_action(action, Operation::GetLead).is_ok(),
                "{action:?}"
            );
        }
    }

    #[test]
    fn soap_action_of_other_operation_is_20012() {
        let error = check_soap_action(
            Some("http://www.marketo.com/mktows/syncLead"),
            Operation::GetLead,
        )
        .unwrap_err();

        assert_eq!(error.code, FaultCode::RequestNotUnderstood);
    }

    #[test]
    fn soap_action_of_unknown_operation_is_20019() {
        let error = check_soap_action(
            Some("\"http://www.marketo.com/mktows/renameLead\""),
            Operation::GetLead,
        )
        .unwrap_err();

        assert_eq!(error.code, FaultCode::UnsupportedOperation);
    }
}
