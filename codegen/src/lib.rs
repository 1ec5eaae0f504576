//! WSDL 1.1 to Rust code generator.
