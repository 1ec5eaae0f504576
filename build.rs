//! Generates the mktows types, their XML (de)serializers and the port from the WSDL.
//!
//! The WSDL is `wsdl/mktows-2_3.wsdl` unless `MKTOWS_WSDL` names another file, so the crate
//! can be regenerated against another version of the service without editing it. The
//! output goes to `OUT_DIR/types.rs` and `OUT_DIR/port.rs`; print it with
//! `cargo run -p mktows-codegen`.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-env-changed=MKTOWS_WSDL");
    let wsdl = match std::env::var_os("MKTOWS_WSDL") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from("wsdl/mktows-2_3.wsdl"),
    };
    println!("cargo::rerun-if-changed={}", wsdl.display());

    let code = mktows_codegen::Config::new()
        .runtime_path("crate::xml")
        .error_type("crate::Error")
        .client_type("crate::Client")
        .json_feature("json")
        .transport_header("AuthenticationHeader")
        .generate_file(&wsdl)
        .unwrap_or_else(|error| panic!("cannot generate code from {}: {error}", wsdl.display()));

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out_dir.join("types.rs"), &code.types);
    write(&out_dir.join("port.rs"), &code.port);
}

fn write(path: &std::path::Path, contents: &str) {
    std::fs::write(path, contents)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
}
