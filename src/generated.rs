//! The code generated from the WSDL by `build.rs`: the schema's types and the port.

/// The schema's types: one struct per complex type, one enum per enumeration and per
/// abstract type, with their XML (de)serializers.
pub mod types {
    include!(concat!(env!("OUT_DIR"), "/types.rs"));
}

mod port {
    use super::types::*;

    include!(concat!(env!("OUT_DIR"), "/port.rs"));
}

pub use port::*;
