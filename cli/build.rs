//! Reads each operation's one-line description from the WSDL's port type, for
//! `mktows operations`.
//!
//! The WSDL is the library's `wsdl/mktows-2_3.wsdl`, or the file named by `MKTOWS_WSDL`
//! (relative paths start at the workspace root, as for the library's own build script),
//! so the list always matches the generated `Operation` enum. The output is
//! `OUT_DIR/descriptions.rs`: an array of `(operation name, description)` pairs.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let workspace_root = manifest_dir
        .parent()
        .expect("the CLI crate sits inside the workspace")
        .to_path_buf();

    println!("cargo::rerun-if-env-changed=MKTOWS_WSDL");
    let wsdl_path = match std::env::var_os("MKTOWS_WSDL") {
        Some(path) => workspace_root.join(path),
        None => workspace_root.join("wsdl/mktows-2_3.wsdl"),
    };
    println!("cargo::rerun-if-changed={}", wsdl_path.display());

    let text = std::fs::read_to_string(&wsdl_path)
        .unwrap_or_else(|error| panic!("failed to read the WSDL {}: {error}", wsdl_path.display()));
    let wsdl = mktows_codegen::wsdl::Wsdl::parse(&text).unwrap_or_else(|error| {
        panic!("failed to parse the WSDL {}: {error}", wsdl_path.display())
    });

    let mut source = String::from("[\n");
    for operation in wsdl
        .port_types
        .iter()
        .flat_map(|port_type| &port_type.operations)
    {
        let description = operation
            .documentation
            .as_deref()
            .map(one_line)
            .unwrap_or_default();
        source.push_str(&format!("    ({:?}, {:?}),\n", operation.name, description));
    }
    source.push(']');

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out_dir.join("descriptions.rs"), &source);
}

/// Joins the lines of a documentation text with single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(path: &Path, contents: &str) {
    std::fs::write(path, contents)
        .unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
}
