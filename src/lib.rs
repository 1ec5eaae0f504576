//! Typed async client for Marketo's mktows SOAP API.

pub mod envelope;
mod generated;
mod invoke;
pub mod xml;

pub use generated::*;

pub mod auth;
pub mod client;
pub mod error;
pub mod fault;
pub mod import;
pub mod transport;

pub use auth::{Clock, Credentials, EncryptionKey, FixedClock, SignedHeader, SystemClock};
pub use client::{Client, ClientBuilder};
pub use error::{Error, Result};
pub use fault::{FaultCode, SoapFault};
pub use xml::{Base64Binary, Nillable};
/// The HTTP client crate, re-exported for [`ClientBuilder::http_client`].
pub use reqwest;
