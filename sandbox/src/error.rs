//! Errors of the sandbox: Marketo faults returned by operations, and file errors of the
//! `--data` store file.
//!
//! A [`SandboxError`] is what a real Marketo server returned as a SOAP fault: a numeric
//! code from Marketo's published error table, its short message, and a longer message
//! that names what failed and on which value. The SOAP layer renders it; this module only
//! carries the facts.

use std::fmt;
use std::path::PathBuf;

/// A Marketo SOAP fault code, with the short message Marketo published for it.
///
/// The numbers and short messages follow Marketo's SOAP error table. Codes that Marketo
/// reserved for its own authentication layer (20014, 20016) are included so the SOAP
/// layer can reuse this type for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultCode {
    /// 10001: severe system failure.
    InternalError,
    /// 20011: API service failure.
    ServiceInternalError,
    /// 20012: the SOAP message was not understood.
    RequestNotUnderstood,
    /// 20013: the client is blocked from API access.
    AccessDenied,
    /// 20014: the client did not provide valid credentials.
    AuthenticationFailed,
    /// 20015: the number of calls today exceeded the subscription's quota.
    RequestLimitExceeded,
    /// 20016: the request signature is too old.
    RequestExpired,
    /// 20017: the request is missing an expected parameter.
    InvalidRequest,
    /// 20019: the operation is not defined in the WSDL.
    UnsupportedOperation,
    /// 20022: the time range of a query filter exceeded 30 days.
    TimeRangeExceeded,
    /// 20023: more than the allowed number of calls in the rate window.
    RateLimitExceeded,
    /// 20024: more than the allowed number of concurrent calls.
    ConcurrencyLimitExceeded,
    /// 20101: a lead key is required but was not provided.
    LeadKeyRequired,
    /// 20102: the lead key type is not valid.
    LeadKeyBad,
    /// 20103: the lead key value did not match any lead.
    LeadNotFound,
    /// 20104: a lead record is required but was not provided.
    LeadDetailRequired,
    /// 20105: a lead record contains an attribute with a bad name.
    LeadAttributeBad,
    /// 20106: a lead record could not be updated or created.
    LeadSyncFailed,
    /// 20107: an activity filter contains a bad activity type.
    ActivityKeyBad,
    /// 20108: a lead key names a lead owner that does not exist.
    LeadOwnerNotFound,
    /// 20109: a parameter value was null or missing.
    ParameterRequired,
    /// 20110: a parameter value is bad.
    BadParameter,
    /// 20111: a list key names a list that does not exist.
    ListNotFound,
    /// 20113: the campaign does not exist.
    CampaignNotFound,
    /// 20114: a parameter value is bad (Marketo's second code for this; the sandbox
    /// reports bad values with 20110 and keeps this one for completeness).
    BadParameterValue,
    /// 20122: the stream position is bad.
    BadStreamPosition,
    /// 20123: the stream position indicates that no more records are available.
    StreamAtEnd,
}

impl FaultCode {
    /// Every fault code, in numeric order.
    pub const ALL: [FaultCode; 27] = [
        FaultCode::InternalError,
        FaultCode::ServiceInternalError,
        FaultCode::RequestNotUnderstood,
        FaultCode::AccessDenied,
        FaultCode::AuthenticationFailed,
        FaultCode::RequestLimitExceeded,
        FaultCode::RequestExpired,
        FaultCode::InvalidRequest,
        FaultCode::UnsupportedOperation,
        FaultCode::TimeRangeExceeded,
        FaultCode::RateLimitExceeded,
        FaultCode::ConcurrencyLimitExceeded,
        FaultCode::LeadKeyRequired,
        FaultCode::LeadKeyBad,
        FaultCode::LeadNotFound,
        FaultCode::LeadDetailRequired,
        FaultCode::LeadAttributeBad,
        FaultCode::LeadSyncFailed,
        FaultCode::ActivityKeyBad,
        FaultCode::LeadOwnerNotFound,
        FaultCode::ParameterRequired,
        FaultCode::BadParameter,
        FaultCode::ListNotFound,
        FaultCode::CampaignNotFound,
        FaultCode::BadParameterValue,
        FaultCode::BadStreamPosition,
        FaultCode::StreamAtEnd,
    ];

    /// Returns the numeric code Marketo sends in the fault detail.
    pub fn code(self) -> u32 {
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
            FaultCode::TimeRangeExceeded => 20022,
            FaultCode::RateLimitExceeded => 20023,
            FaultCode::ConcurrencyLimitExceeded => 20024,
            FaultCode::LeadKeyRequired => 20101,
            FaultCode::LeadKeyBad => 20102,
            FaultCode::LeadNotFound => 20103,
            FaultCode::LeadDetailRequired => 20104,
            FaultCode::LeadAttributeBad => 20105,
            FaultCode::LeadSyncFailed => 20106,
            FaultCode::ActivityKeyBad => 20107,
            FaultCode::LeadOwnerNotFound => 20108,
            FaultCode::ParameterRequired => 20109,
            FaultCode::BadParameter => 20110,
            FaultCode::ListNotFound => 20111,
            FaultCode::CampaignNotFound => 20113,
            FaultCode::BadParameterValue => 20114,
            FaultCode::BadStreamPosition => 20122,
            FaultCode::StreamAtEnd => 20123,
        }
    }

    /// Returns the fault code with this number, if Marketo defined one.
    pub fn from_code(code: u32) -> Option<FaultCode> {
        FaultCode::ALL
            .into_iter()
            .find(|fault| fault.code() == code)
    }

    /// Returns Marketo's short message for the code, as used in the SOAP `faultstring`.
    pub fn short_message(self) -> &'static str {
        match self {
            FaultCode::InternalError | FaultCode::ServiceInternalError => "Internal Error",
            FaultCode::RequestNotUnderstood => "Request Not Understood",
            FaultCode::AccessDenied => "Access Denied",
            FaultCode::AuthenticationFailed => "Authentication failed",
            FaultCode::RequestLimitExceeded => "Request Limit Exceeded",
            FaultCode::RequestExpired => "Request Expired",
            FaultCode::InvalidRequest => "Invalid Request",
            FaultCode::UnsupportedOperation => "Unsupported Operation",
            FaultCode::TimeRangeExceeded => "Time range specified in query filter exceeded limit",
            FaultCode::RateLimitExceeded => "Rate Limit Exceeded",
            FaultCode::ConcurrencyLimitExceeded => "Concurrency Limit Exceeded",
            FaultCode::LeadKeyRequired => "Lead Key Required",
            FaultCode::LeadKeyBad => "Lead Key Bad",
            FaultCode::LeadNotFound => "Lead Not Found",
            FaultCode::LeadDetailRequired => "Lead Detail Required",
            FaultCode::LeadAttributeBad => "Lead Attribute Bad",
            FaultCode::LeadSyncFailed => "Lead Sync Failed",
            FaultCode::ActivityKeyBad => "Activity Key Bad",
            FaultCode::LeadOwnerNotFound => "Lead Owner Not Found",
            FaultCode::ParameterRequired => "Parameter Required",
            FaultCode::BadParameter | FaultCode::BadParameterValue => "Bad Parameter",
            FaultCode::ListNotFound => "List Not Found",
            FaultCode::CampaignNotFound => "Campaign Not Found",
            FaultCode::BadStreamPosition => "Bad Stream Position",
            FaultCode::StreamAtEnd => "Stream at End",
        }
    }

    /// Returns true when Marketo reported the code as a server fault (`SOAP-ENV:Server`)
    /// rather than a client fault.
    pub fn is_server_fault(self) -> bool {
        matches!(
            self,
            FaultCode::InternalError | FaultCode::ServiceInternalError
        )
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.code())
    }
}

/// A Marketo fault raised by a sandbox operation: the code and a message that names the
/// value that failed and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} - {} ({message})", code.short_message())]
pub struct SandboxError {
    /// The Marketo fault code.
    pub code: FaultCode,
    /// The detailed message, without the code.
    pub message: String,
}

impl SandboxError {
    /// Creates a fault with the given code and detailed message.
    pub fn new(code: FaultCode, message: impl Into<String>) -> Self {
        SandboxError {
            code,
            message: message.into(),
        }
    }

    /// Returns the numeric fault code.
    pub fn code_number(&self) -> u32 {
        self.code.code()
    }

    /// Returns the SOAP `faultstring` Marketo used: `"<code> - <short message>"`.
    pub fn fault_string(&self) -> String {
        format!("{} - {}", self.code.code(), self.code.short_message())
    }

    /// Returns the long message for the fault detail, which by Marketo's convention ends
    /// with the code in parentheses.
    pub fn detail_message(&self) -> String {
        format!("{} ({})", self.message, self.code.code())
    }
}

/// Shorthand for the result of a sandbox operation.
pub type SandboxResult<T> = Result<T, SandboxError>;

/// A failure to load or save the store's JSON data file.
#[derive(Debug, thiserror::Error)]
pub enum StoreFileError {
    /// The file could not be read.
    #[error("failed to read sandbox data file {}: {source}; check the path given with --data", path.display())]
    Read {
        /// The file that was read.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid sandbox store.
    #[error("sandbox data file {} is not a valid store: {source}; fix the JSON or delete the file to start from the seed data", path.display())]
    Parse {
        /// The file that was parsed.
        path: PathBuf,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The file was written by a newer or unknown version of the sandbox.
    #[error("sandbox data file {} has format version {found}, but this sandbox reads version {expected}; delete the file to start from the seed data", path.display())]
    UnsupportedVersion {
        /// The file that was parsed.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The store could not be serialized.
    #[error("failed to serialize the sandbox store for {}: {source}", path.display())]
    Serialize {
        /// The file that was to be written.
        path: PathBuf,
        /// The serialization error.
        source: serde_json::Error,
    },
    /// The file or its temporary sibling could not be written or renamed.
    #[error("failed to write sandbox data file {}: {source}; check that the directory exists and is writable", path.display())]
    Write {
        /// The file that was written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_codes_round_trip_through_numbers() {
        for fault in FaultCode::ALL {
            assert_eq!(FaultCode::from_code(fault.code()), Some(fault));
        }
        assert_eq!(FaultCode::from_code(20120), None);
    }

    #[test]
    fn fault_string_uses_code_and_short_message() {
        let error = SandboxError::new(FaultCode::LeadNotFound, "no lead has EMAIL 'a@b.example'");

        assert_eq!(error.fault_string(), "20103 - Lead Not Found");
        assert_eq!(
            error.detail_message(),
            "no lead has EMAIL 'a@b.example' (20103)"
        );
        assert_eq!(error.code_number(), 20103);
    }

    #[test]
    fn only_internal_errors_are_server_faults() {
        let server: Vec<u32> = FaultCode::ALL
            .into_iter()
            .filter(|f| f.is_server_fault())
            .map(FaultCode::code)
            .collect();

        assert_eq!(server, vec![10001, 20011]);
    }
}
