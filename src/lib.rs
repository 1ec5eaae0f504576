//! Typed async client for Marketo's mktows SOAP API.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/mktows_generated.rs"));
}
