//! Golden tests: small WSDLs and the exact, formatted Rust the generator writes for them.
//!
//! After an intended change to the output, regenerate the expected files with
//! `UPDATE_GOLDEN=1 cargo test -p mktows-codegen --test golden` and review the diff.

use std::path::PathBuf;

use mktows_codegen::Config;

fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(relative)
}

fn check_golden(wsdl: &str, expected: &str, config: &Config) {
    let code = config.generate_file(path(wsdl)).unwrap();
    let actual = format!(
        "// ---- types.rs ----\n{}\n// ---- port.rs ----\n{}",
        code.types, code.port
    );
    let expected_path = path(expected);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; run with UPDATE_GOLDEN=1 to create it",
            expected_path.display()
        )
    });
    if actual != expected {
        let first_difference = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "generated code for {wsdl} differs from {} at line {}:\n  actual:   {:?}\n  expected: {:?}\nrun with UPDATE_GOLDEN=1 to accept",
            expected_path.display(),
            first_difference + 1,
            actual.lines().nth(first_difference),
            expected.lines().nth(first_difference)
        );
    }
}

#[test]
fn bookshop_matches_golden() {
    let config = Config::new()
        .transport_header("Credentials")
        .client_type("crate::Client")
        .json_feature("json");
    check_golden("wsdl/bookshop.wsdl", "golden/bookshop.rs", &config);
}

#[test]
fn bookshop_output_parses_as_rust() {
    let code = Config::new()
        .transport_header("Credentials")
        .generate_file(path("wsdl/bookshop.wsdl"))
        .unwrap();
    syn::parse_file(&code.types).expect("types parse");
    syn::parse_file(&code.port).expect("port parses");
}

#[test]
fn transport_header_is_not_a_method_parameter() {
    let code = Config::new()
        .transport_header("Credentials")
        .generate_file(path("wsdl/bookshop.wsdl"))
        .unwrap();
    let method = code.port.split("fn find_books(").nth(1).unwrap();
    let parameters = &method[..method.find(')').unwrap()];
    assert!(
        parameters.contains("locale: Option<Locale>"),
        "{parameters}"
    );
    assert!(!parameters.contains("credentials"), "{parameters}");
    assert!(
        code.port.contains("pub credentials: Option<Credentials>"),
        "a server still decodes the header"
    );
}

#[test]
fn abstract_type_becomes_enum_of_extensions() {
    let code = Config::new()
        .generate_file(path("wsdl/bookshop.wsdl"))
        .unwrap();
    assert!(code.types.contains("pub enum Query {"), "{}", code.types);
    assert!(code.types.contains("ByAuthor(ByAuthor)"));
    assert!(code.types.contains("#[serde(tag = \"xsi:type\")]"));
    assert!(code.types.contains("writer.start_typed(tag, \"ByIsbn\")"));
}

#[test]
fn regenerates_from_2_7_schema() {
    let code = Config::new()
        .transport_header("AuthenticationHeader")
        .generate_file(path("wsdl/mktows-2_7-delta.wsdl"))
        .unwrap();
    let activity_record = code
        .types
        .split("pub struct ActivityRecord {")
        .nth(1)
        .unwrap();
    assert!(
        activity_record.trim_start().contains("pub id: i64,"),
        "ActivityRecord/id should be xs:long"
    );
    assert!(code.types.contains("pub merge_in_sales: Option<bool>,"));
}

#[test]
fn unsupported_construct_is_named() {
    let wsdl = std::fs::read_to_string(path("wsdl/bookshop.wsdl")).unwrap().replace(
        r#"<xs:sequence><xs:element name="author" type="xs:string"/></xs:sequence>"#,
        r#"<xs:choice><xs:element name="author" type="xs:string"/><xs:element name="editor" type="xs:string"/></xs:choice>"#,
    );
    let error = Config::new().generate(&wsdl).unwrap_err().to_string();
    assert!(
        error.contains("ByAuthor") && error.contains("xs:choice"),
        "{error}"
    );
}

#[test]
fn missing_message_is_named() {
    let wsdl = std::fs::read_to_string(path("wsdl/bookshop.wsdl"))
        .unwrap()
        .replace(
            r#"message="bk:FindBooksResponse""#,
            r#"message="bk:Nowhere""#,
        );
    let error = Config::new().generate(&wsdl).unwrap_err().to_string();
    assert!(error.contains("\"Nowhere\""), "{error}");
}

#[test]
fn not_a_wsdl_is_rejected() {
    let error = Config::new()
        .generate("<html><body>nope</body></html>")
        .unwrap_err()
        .to_string();
    assert!(error.contains("wsdl:definitions"), "{error}");
}
