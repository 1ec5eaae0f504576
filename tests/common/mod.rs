//! Helpers shared by the integration tests: fixture loading and canonical XML.

#![allow(dead_code)]

pub mod raw_server;

use std::path::PathBuf;

/// The folder of one operation's protocol vectors.
pub fn operation_fixture(operation: &str, file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/operations")
        .join(operation)
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// A canonical text form of an XML document, for comparing two documents while ignoring
/// namespace prefixes, namespace declarations and whitespace between elements.
///
/// Each element becomes a line `{namespace}local` with its attributes (namespaced, sorted;
/// `xsi:type` values resolved to `{namespace}local`) and, for elements without child
/// elements, their text exactly.
pub fn canonical_xml(xml: &str) -> String {
    let document = roxmltree::Document::parse(xml)
        .unwrap_or_else(|error| panic!("fixture is not XML: {error}"));
    let mut output = String::new();
    write_canonical(document.root_element(), 0, &mut output);
    output
}

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

fn write_canonical(node: roxmltree::Node<'_, '_>, depth: usize, output: &mut String) {
    let name = node.tag_name();
    output.push_str(&"  ".repeat(depth));
    output.push_str(&format!(
        "{{{}}}{}",
        name.namespace().unwrap_or(""),
        name.name()
    ));

    let mut attributes: Vec<String> = node
        .attributes()
        .map(|attribute| {
            let mut value = attribute.value().to_owned();
            if attribute.namespace() == Some(XSI) && attribute.name() == "type" {
                let (prefix, local) = value
                    .split_once(':')
                    .map_or((None, value.as_str()), |(p, l)| (Some(p), l));
                let namespace = node.lookup_namespace_uri(prefix).unwrap_or("");
                value = format!("{{{namespace}}}{local}");
            }
            if attribute.namespace() == Some(XSI) && attribute.name() == "nil" && value == "1" {
                value = "true".into();
            }
            format!(
                "{{{}}}{}={value:?}",
                attribute.namespace().unwrap_or(""),
                attribute.name()
            )
        })
        .collect();
    attributes.sort();
    for attribute in attributes {
        output.push(' ');
        output.push_str(&attribute);
    }

    let children: Vec<_> = node
        .children()
        .filter(roxmltree::Node::is_element)
        .collect();
    if children.is_empty() {
        let text: String = node.children().filter_map(|child| child.text()).collect();
        output.push_str(&format!(" text={text:?}"));
    }
    output.push('\n');
    for child in children {
        write_canonical(child, depth + 1, output);
    }
}
