//! Typed async client for Marketo's mktows SOAP API (WSDL version 2_3).
//!
//! The request and response types, their XML (de)serializers and the [`MktowsPort`] trait
//! (one async method per operation) are generated from `wsdl/mktows-2_3.wsdl` by `build.rs`;
//! set `MKTOWS_WSDL` at build time to generate from another version. The hand-written
//! modules sign calls ([`auth`]), send them ([`transport`], [`client`]), wrap messages in
//! SOAP envelopes ([`envelope`]), read SOAP faults ([`fault`]) and wait for imports
//! ([`import`]).
//!
//! ```no_run
//! use mktows::types::{LeadKey, LeadKeyRef, ParamsGetLead};
//! use mktows::{Client, FaultCode, MktowsPort};
//!
//! # async fn run() -> Result<(), mktows::Error> {
//! let client = Client::builder("https://123-ABC-456.mktoapi.com/soap/mktows/2_3", "my_user_id", "my_key").build()?;
//! let request = ParamsGetLead {
//!     lead_key: LeadKey { key_type: LeadKeyRef::Email, key_value: "ada@example.com".into() },
//! };
//! match client.get_lead(request).await {
//!     Ok(success) => println!("{} lead(s)", success.result.count),
//!     Err(error) if error.fault_code() == Some(&FaultCode::LeadNotFound) => println!("no such lead"),
//!     Err(error) => return Err(error),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Element mapping: an optional element is an `Option`, a repeated one a `Vec`, a nillable
//! one a [`Nillable`]; enumerations keep values the WSDL does not list in an `Unknown`
//! variant; `xs:dateTime` is a `chrono::DateTime<FixedOffset>`. All types derive serde with
//! the XML element names as keys.

#![warn(missing_docs)]

pub mod auth;
pub mod client;
pub mod envelope;
pub mod error;
pub mod fault;
mod generated;
pub mod import;
mod invoke;
pub mod transport;
pub mod xml;

pub use auth::{Clock, Credentials, EncryptionKey, FixedClock, SignedHeader, SystemClock};
pub use client::{Client, ClientBuilder, RetryPolicy};
pub use error::{Error, Result};
pub use fault::{FaultCode, SoapFault};
pub use generated::*;
/// The HTTP client crate, re-exported for [`ClientBuilder::http_client`].
pub use reqwest;
pub use xml::{Base64Binary, Nillable};
