//! Typed async client for Marketo's mktows SOAP API.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/mktows_generated.rs"));
}

pub mod auth;
pub mod fault;

pub use auth::{Clock, Credentials, EncryptionKey, FixedClock, SignedHeader, SystemClock};
pub use fault::{FaultCode, SoapFault};
