//! Embedded Marketo mktows 2_3 sandbox.
//!
//! The domain core lives here: an in-memory Marketo instance ([`store::Store`]) whose
//! methods implement the semantics of each SOAP operation, Marketo's API limits
//! ([`limits`]), stream positions ([`stream`]) and a seed data set ([`seed`]).
//! `BEHAVIOUR.md` next to this crate's manifest lists, per operation, the behaviour and
//! the choices the sandbox made where Marketo's documentation is silent.

pub mod clock;
pub mod error;
pub mod limits;
pub mod port;
pub mod seed;
pub mod server;
pub mod store;
pub mod stream;

pub use error::{FaultCode, SandboxError, SandboxResult, StoreFileError};
pub use store::Store;
