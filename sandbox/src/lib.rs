//! Embedded Marketo mktows 2_3 sandbox.
//!
//! The domain core lives here: an in-memory Marketo instance ([`store::Store`]) whose
//! methods implement the semantics of each SOAP operation, Marketo's API limits
//! ([`limits`]), stream positions ([`stream`]) and a seed data set ([`seed`]).

pub mod clock;
pub mod error;
pub mod limits;
