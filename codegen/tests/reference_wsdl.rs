//! Structural comparison of the project's WSDL (`wsdl/mktows-2_3.wsdl`) with the
//! mktows 2_2 WSDL that Marketo published.
//!
//! Both documents are flattened into a map of facts: schema types with their
//! enumerations and element sequences, top-level elements, messages, port type
//! operations, binding operations and the service. Qualified names are compared
//! as namespace URI plus local name, so prefixes do not matter, and XSD and WSDL
//! defaults are applied before comparing. Documentation, comments, the order of
//! top-level definitions and the endpoint address are not compared.
//!
//! Version 2_3 differs from 2_2 in one place: `ParamsGetLeadChanges` gained the
//! optional, nillable `activityNameFilter` list right after `activityFilter`. The
//! test applies that change to the reference facts and fails on any other
//! difference.
//!
//! The reference path comes from `MKTOWS_REFERENCE_WSDL`, or defaults to the
//! read-only reference copy kept beside the repository checkout. A missing
//! reference fails the test instead of skipping it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Namespace of XML Schema 1.0.
const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// Namespace of WSDL 1.1.
const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
/// Namespace of the WSDL 1.1 SOAP 1.1 binding.
const SOAP: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// Target namespace of the mktows service.
const MKTOWS: &str = "http://www.marketo.com/mktows/";
/// Environment variable that overrides the reference WSDL path.
const REFERENCE_ENV: &str = "MKTOWS_REFERENCE_WSDL";

/// Flattened structure of a WSDL document: one readable fact per key.
type Model = BTreeMap<String, String>;

/// Returns the project's WSDL path.
fn project_wsdl_path() -> PathBuf {
    repo_root().join("wsdl").join("mktows-2_3.wsdl")
}

/// Returns the repository root, the parent of this crate's manifest directory.
fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("the codegen crate lives one level below the repository root")
        .to_path_buf()
}

/// Returns the reference WSDL path: `MKTOWS_REFERENCE_WSDL` when set and not
/// empty, otherwise the shared reference copy beside the repository.
fn reference_wsdl_path() -> PathBuf {
    match std::env::var_os(REFERENCE_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => repo_root()
            .join("..")
            .join("shared")
            .join("reference")
            .join("wsdl")
            .join("marketo-mktows-2_2.wsdl"),
    }
}

/// Reads the reference WSDL, with an error that names the override variable.
fn read_reference_at(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| {
        format!(
            "failed to read the reference WSDL at {}: {err}. Set {REFERENCE_ENV} to the path \
             of Marketo's published mktows 2_2 WSDL (marketo-mktows-2_2.wsdl).",
            path.display()
        )
    })
}

/// Reads the reference WSDL or panics with the reason.
fn read_reference() -> String {
    read_reference_at(&reference_wsdl_path()).unwrap_or_else(|message| panic!("{message}"))
}

/// Reads the project's WSDL or panics with the reason.
fn read_project_wsdl() -> String {
    let path = project_wsdl_path();
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "failed to read the project's WSDL at {}: {err}",
            path.display()
        )
    })
}

// ---------------------------------------------------------------------------
// Flattening a WSDL into facts
// ---------------------------------------------------------------------------

/// Collects facts and records a repeated key as a separate duplicate fact.
#[derive(Default)]
struct Facts {
    map: Model,
}

impl Facts {
    /// Adds one fact. A key seen before is stored again with a `(duplicate N)`
    /// suffix, so duplicate definitions show up as differences.
    fn add(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        if let std::collections::btree_map::Entry::Vacant(entry) = self.map.entry(key.clone()) {
            entry.insert(value);
            return;
        }
        let mut n = 2;
        while self.map.contains_key(&format!("{key} (duplicate {n})")) {
            n += 1;
        }
        self.map.insert(format!("{key} (duplicate {n})"), value);
    }
}

/// Formats a namespace URI and local name, using `xs:`, `tns:`, `wsdl:` and
/// `soap:` for the well-known namespaces and `{uri}` for any other.
fn display_qname(uri: Option<&str>, local: &str) -> String {
    match uri {
        Some(XS) => format!("xs:{local}"),
        Some(MKTOWS) => format!("tns:{local}"),
        Some(WSDL) => format!("wsdl:{local}"),
        Some(SOAP) => format!("soap:{local}"),
        Some(other) => format!("{{{other}}}{local}"),
        None => format!("{{no namespace}}{local}"),
    }
}

/// Resolves a QName attribute value against the namespaces in scope at `node`.
fn resolve_qname(node: roxmltree::Node, value: &str) -> String {
    let (prefix, local) = match value.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, value),
    };
    match node.lookup_namespace_uri(prefix) {
        Some(uri) => display_qname(Some(uri), local),
        None if prefix.is_none() => display_qname(None, local),
        None => format!("{{unbound prefix `{}`}}{local}", prefix.unwrap_or_default()),
    }
}

/// Resolves an optional QName attribute, rendering a missing one as `(none)`.
fn resolve_attr(node: roxmltree::Node, attr: &str) -> String {
    match node.attribute(attr) {
        Some(value) => resolve_qname(node, value),
        None => "(none)".to_string(),
    }
}

/// Normalizes an `xs:boolean` attribute, applying `default` when it is absent.
fn xsd_bool(value: Option<&str>, default: bool) -> String {
    match value.map(str::trim) {
        None => default.to_string(),
        Some("true") | Some("1") => "true".to_string(),
        Some("false") | Some("0") => "false".to_string(),
        Some(other) => format!("invalid boolean `{other}`"),
    }
}

/// Returns the element children of `node`.
fn element_children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children().filter(|child| child.is_element())
}

/// Returns true when `node` is the element `{ns}local`.
fn is(node: roxmltree::Node, ns: &str, local: &str) -> bool {
    node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

/// Returns true for documentation nodes, which the comparison ignores.
fn is_documentation(node: roxmltree::Node) -> bool {
    is(node, XS, "annotation") || is(node, WSDL, "documentation")
}

/// Formats the name of an element node for "unexpected child" facts.
fn tag_of(node: roxmltree::Node) -> String {
    display_qname(node.tag_name().namespace(), node.tag_name().name())
}

/// Parses a WSDL 1.1 document and flattens it into facts.
fn build_model(text: &str) -> Result<Model, String> {
    let doc = roxmltree::Document::parse(text).map_err(|err| format!("invalid XML: {err}"))?;
    let root = doc.root_element();
    if !is(root, WSDL, "definitions") {
        return Err(format!(
            "the root element is {}, expected wsdl:definitions",
            tag_of(root)
        ));
    }

    let mut facts = Facts::default();
    facts.add(
        "definitions targetNamespace",
        root.attribute("targetNamespace").unwrap_or("(none)"),
    );
    for child in element_children(root) {
        match (child.tag_name().namespace(), child.tag_name().name()) {
            (Some(WSDL), "documentation") => {}
            (Some(WSDL), "types") => add_types(&mut facts, child),
            (Some(WSDL), "message") => add_message(&mut facts, child),
            (Some(WSDL), "portType") => add_port_type(&mut facts, child),
            (Some(WSDL), "binding") => add_binding(&mut facts, child),
            (Some(WSDL), "service") => add_service(&mut facts, child),
            _ => facts.add(
                format!("definitions unexpected child {}", tag_of(child)),
                "",
            ),
        }
    }
    Ok(facts.map)
}

/// Adds the facts of every schema in `wsdl:types`.
fn add_types(facts: &mut Facts, types: roxmltree::Node) {
    for child in element_children(types).filter(|n| !is_documentation(*n)) {
        if is(child, XS, "schema") {
            add_schema(facts, child);
        } else {
            facts.add(format!("types unexpected child {}", tag_of(child)), "");
        }
    }
}

/// Adds the facts of one `xs:schema`: its namespace settings and its named
/// simple types, complex types and top-level elements.
fn add_schema(facts: &mut Facts, schema: roxmltree::Node) {
    let target = schema.attribute("targetNamespace").unwrap_or("(none)");
    facts.add(
        format!("schema {target}"),
        format!(
            "elementFormDefault={} attributeFormDefault={}",
            schema
                .attribute("elementFormDefault")
                .unwrap_or("unqualified"),
            schema
                .attribute("attributeFormDefault")
                .unwrap_or("unqualified"),
        ),
    );
    for child in element_children(schema).filter(|n| !is_documentation(*n)) {
        let name = child.attribute("name").unwrap_or("(unnamed)");
        match (child.tag_name().namespace(), child.tag_name().name()) {
            (Some(XS), "simpleType") => add_simple_type(facts, name, child),
            (Some(XS), "complexType") => add_complex_type(facts, name, child),
            (Some(XS), "element") => {
                facts.add(format!("element {name}"), top_level_element_fact(child))
            }
            _ => facts.add(
                format!("schema unexpected child {} {name}", tag_of(child)),
                "",
            ),
        }
    }
}

/// Describes a top-level element: its type, or a marker for an inline type.
fn top_level_element_fact(element: roxmltree::Node) -> String {
    let mut fact = format!("type={}", resolve_attr(element, "type"));
    if element_children(element).any(|n| !is_documentation(n)) {
        fact.push_str(" with an inline type");
    }
    fact
}

/// Adds the facts of a named simple type: restriction base and enumerations in order.
fn add_simple_type(facts: &mut Facts, name: &str, simple_type: roxmltree::Node) {
    let key = format!("simpleType {name}");
    let Some(restriction) = element_children(simple_type).find(|n| is(*n, XS, "restriction"))
    else {
        facts.add(key, "not a restriction");
        return;
    };
    facts.add(
        key.clone(),
        format!("restriction of {}", resolve_attr(restriction, "base")),
    );

    let mut values = Vec::new();
    for facet in element_children(restriction).filter(|n| !is_documentation(*n)) {
        if is(facet, XS, "enumeration") {
            values.push(facet.attribute("value").unwrap_or("(none)").to_string());
        } else {
            facts.add(
                format!("{key} facet {}", tag_of(facet)),
                facet.attribute("value").unwrap_or("(none)"),
            );
        }
    }
    facts.add(format!("{key} enumerations"), values.join(", "));
}

/// Adds the facts of a named complex type: abstract flag, extension base and
/// the element sequence, with XSD defaults applied.
fn add_complex_type(facts: &mut Facts, name: &str, complex_type: roxmltree::Node) {
    let key = format!("complexType {name}");
    let abstract_flag = xsd_bool(complex_type.attribute("abstract"), false);
    let mut content = complex_type;
    let mut base = "(none)".to_string();

    let children: Vec<_> = element_children(complex_type)
        .filter(|n| !is_documentation(*n))
        .collect();
    if let Some(complex_content) = children.iter().find(|n| is(**n, XS, "complexContent")) {
        match element_children(*complex_content).find(|n| is(*n, XS, "extension")) {
            Some(extension) => {
                base = resolve_attr(extension, "base");
                content = extension;
            }
            None => facts.add(format!("{key} complexContent without extension"), ""),
        }
    }
    facts.add(key.clone(), format!("abstract={abstract_flag} base={base}"));

    let mut has_sequence = false;
    for child in element_children(content).filter(|n| !is_documentation(*n)) {
        if is(child, XS, "sequence") {
            has_sequence = true;
            add_sequence(facts, &key, child);
        } else if !(content == complex_type && is(child, XS, "complexContent")) {
            facts.add(format!("{key} unexpected child {}", tag_of(child)), "");
        }
    }
    if !has_sequence {
        facts.add(format!("{key} sequence"), "(none)");
    }
}

/// Adds the facts of an `xs:sequence`: its occurrence bounds, the element
/// names in order, and each element's type, bounds and nillable flag.
fn add_sequence(facts: &mut Facts, type_key: &str, sequence: roxmltree::Node) {
    facts.add(
        format!("{type_key} sequence"),
        format!(
            "minOccurs={} maxOccurs={}",
            sequence.attribute("minOccurs").unwrap_or("1"),
            sequence.attribute("maxOccurs").unwrap_or("1"),
        ),
    );

    let mut order = Vec::new();
    for particle in element_children(sequence).filter(|n| !is_documentation(*n)) {
        if !is(particle, XS, "element") {
            let marker = format!("<{}>", tag_of(particle));
            facts.add(format!("{type_key} unexpected particle {marker}"), "");
            order.push(marker);
            continue;
        }
        let name = match (particle.attribute("name"), particle.attribute("ref")) {
            (Some(name), _) => name.to_string(),
            (None, Some(reference)) => format!("ref {}", resolve_qname(particle, reference)),
            (None, None) => "(unnamed)".to_string(),
        };
        facts.add(
            format!("{type_key} element {name}"),
            local_element_fact(particle),
        );
        order.push(name);
    }
    facts.add(format!("{type_key} element order"), order.join(", "));
}

/// Describes a local element with XSD defaults applied (minOccurs and
/// maxOccurs 1, nillable false). `form`, `default` and `fixed` appear only
/// when present.
fn local_element_fact(element: roxmltree::Node) -> String {
    let mut fact = element_fact(
        &resolve_attr(element, "type"),
        element.attribute("minOccurs").unwrap_or("1"),
        element.attribute("maxOccurs").unwrap_or("1"),
        &xsd_bool(element.attribute("nillable"), false),
    );
    for optional in ["form", "default", "fixed"] {
        if let Some(value) = element.attribute(optional) {
            fact.push_str(&format!(" {optional}={value}"));
        }
    }
    if element_children(element).any(|n| !is_documentation(n)) {
        fact.push_str(" with an inline type");
    }
    fact
}

/// Formats the fact of a local element from already-normalized parts.
fn element_fact(type_name: &str, min_occurs: &str, max_occurs: &str, nillable: &str) -> String {
    format!("type={type_name} minOccurs={min_occurs} maxOccurs={max_occurs} nillable={nillable}")
}

/// Adds the facts of a `wsdl:message`: its part names in order and each part's
/// element or type.
fn add_message(facts: &mut Facts, message: roxmltree::Node) {
    let key = format!(
        "message {}",
        message.attribute("name").unwrap_or("(unnamed)")
    );
    let mut names = Vec::new();
    for part in element_children(message).filter(|n| !is_documentation(*n)) {
        let name = part.attribute("name").unwrap_or("(unnamed)");
        let target = match (part.attribute("element"), part.attribute("type")) {
            (Some(element), _) => format!("element={}", resolve_qname(part, element)),
            (None, Some(type_name)) => format!("type={}", resolve_qname(part, type_name)),
            (None, None) => "no element or type".to_string(),
        };
        facts.add(format!("{key} part {name}"), target);
        names.push(name.to_string());
    }
    facts.add(format!("{key} parts"), names.join(", "));
}

/// Adds the facts of a `wsdl:portType`: each operation's input, output and
/// fault messages.
fn add_port_type(facts: &mut Facts, port_type: roxmltree::Node) {
    let key = format!(
        "portType {}",
        port_type.attribute("name").unwrap_or("(unnamed)")
    );
    facts.add(key.clone(), "");
    for operation in element_children(port_type).filter(|n| !is_documentation(*n)) {
        let name = operation.attribute("name").unwrap_or("(unnamed)");
        let mut messages = Vec::new();
        for io in element_children(operation).filter(|n| !is_documentation(*n)) {
            messages.push(format!(
                "{}={}",
                io.tag_name().name(),
                resolve_attr(io, "message")
            ));
        }
        facts.add(format!("{key} operation {name}"), messages.join(" "));
    }
}

/// Adds the facts of a `wsdl:binding`: its port type and SOAP binding, then
/// each operation's soapAction, style, headers and bodies.
fn add_binding(facts: &mut Facts, binding: roxmltree::Node) {
    let key = format!(
        "binding {}",
        binding.attribute("name").unwrap_or("(unnamed)")
    );
    let soap_binding = element_children(binding).find(|n| is(*n, SOAP, "binding"));
    // WSDL 1.1 makes "document" the style when soap:binding leaves it out.
    let binding_style = soap_binding
        .and_then(|n| n.attribute("style"))
        .unwrap_or("document");
    facts.add(
        key.clone(),
        format!(
            "type={} soap:binding={} style={binding_style} transport={}",
            resolve_attr(binding, "type"),
            if soap_binding.is_some() {
                "present"
            } else {
                "missing"
            },
            soap_binding
                .and_then(|n| n.attribute("transport"))
                .unwrap_or("(none)"),
        ),
    );

    for operation in element_children(binding).filter(|n| is(*n, WSDL, "operation")) {
        let op_key = format!(
            "{key} operation {}",
            operation.attribute("name").unwrap_or("(unnamed)")
        );
        let soap_operation = element_children(operation).find(|n| is(*n, SOAP, "operation"));
        facts.add(
            format!("{op_key} soap:operation"),
            format!(
                "soapAction={} style={}",
                soap_operation
                    .and_then(|n| n.attribute("soapAction"))
                    .unwrap_or("(none)"),
                soap_operation
                    .and_then(|n| n.attribute("style"))
                    .unwrap_or(binding_style),
            ),
        );
        for io in element_children(operation)
            .filter(|n| !is_documentation(*n) && !is(*n, SOAP, "operation"))
        {
            facts.add(
                format!("{op_key} {}", io.tag_name().name()),
                binding_io_fact(io),
            );
        }
    }
}

/// Describes a binding input, output or fault: every SOAP extension element
/// with its attributes, in document order.
fn binding_io_fact(io: roxmltree::Node) -> String {
    let mut items = Vec::new();
    for extension in element_children(io).filter(|n| !is_documentation(*n)) {
        let mut item = tag_of(extension);
        for attr in [
            "message",
            "part",
            "parts",
            "use",
            "namespace",
            "encodingStyle",
            "name",
        ] {
            if let Some(value) = extension.attribute(attr) {
                let value = if attr == "message" {
                    resolve_qname(extension, value)
                } else {
                    value.to_string()
                };
                item.push_str(&format!(" {attr}={value}"));
            }
        }
        items.push(format!("[{item}]"));
    }
    items.join(" ")
}

/// Adds the facts of a `wsdl:service`: its ports with their bindings. The
/// address is left out because every Marketo instance has its own host.
fn add_service(facts: &mut Facts, service: roxmltree::Node) {
    let key = format!(
        "service {}",
        service.attribute("name").unwrap_or("(unnamed)")
    );
    facts.add(key.clone(), "");
    for port in element_children(service).filter(|n| !is_documentation(*n)) {
        let has_address = element_children(port).any(|n| is(n, SOAP, "address"));
        facts.add(
            format!(
                "{key} port {}",
                port.attribute("name").unwrap_or("(unnamed)")
            ),
            format!(
                "binding={} soap:address={}",
                resolve_attr(port, "binding"),
                if has_address { "present" } else { "missing" },
            ),
        );
    }
}

// ---------------------------------------------------------------------------
// The 2_3 change and the comparison
// ---------------------------------------------------------------------------

/// Applies the one documented 2_2 to 2_3 schema change to reference facts:
/// `ParamsGetLeadChanges/activityNameFilter` (`tns:ArrayOfString`,
/// minOccurs 0, nillable) right after `activityFilter`.
fn apply_2_3_delta(reference: &mut Model) -> Result<(), String> {
    let order_key = "complexType ParamsGetLeadChanges element order";
    let element_key = "complexType ParamsGetLeadChanges element activityNameFilter";

    let order = reference
        .get(order_key)
        .ok_or_else(|| format!("the reference WSDL has no `{order_key}`; is it the 2_2 WSDL?"))?;
    let mut names: Vec<&str> = order.split(", ").collect();
    if names.contains(&"activityNameFilter") {
        return Err(
            "the reference WSDL already has ParamsGetLeadChanges/activityNameFilter; \
             it must be the 2_2 WSDL, not a later version"
                .to_string(),
        );
    }
    let position = names
        .iter()
        .position(|name| *name == "activityFilter")
        .ok_or("the reference ParamsGetLeadChanges has no activityFilter element")?;
    names.insert(position + 1, "activityNameFilter");
    let new_order = names.join(", ");

    reference.insert(order_key.to_string(), new_order);
    reference.insert(
        element_key.to_string(),
        element_fact("tns:ArrayOfString", "0", "1", "true"),
    );
    Ok(())
}

/// Lists every fact that differs between `expected` and `actual`, one
/// readable line each.
fn compare(
    expected: &Model,
    actual: &Model,
    expected_label: &str,
    actual_label: &str,
) -> Vec<String> {
    let mut differences = Vec::new();
    let keys: std::collections::BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    for key in keys {
        match (expected.get(key), actual.get(key)) {
            (Some(want), Some(got)) if want != got => differences.push(format!(
                "{key}: {expected_label} has `{want}`, {actual_label} has `{got}`"
            )),
            (Some(want), None) => {
                differences.push(format!("{key}: only in {expected_label} (`{want}`)"))
            }
            (None, Some(got)) => {
                differences.push(format!("{key}: only in {actual_label} (`{got}`)"))
            }
            _ => {}
        }
    }
    differences
}

/// Formats a list of differences for a test failure message.
fn format_report(differences: &[String]) -> String {
    let mut report = format!("{} difference(s):\n", differences.len());
    for difference in differences {
        report.push_str("  - ");
        report.push_str(difference);
        report.push('\n');
    }
    report
}

/// Parses `text` or panics with the parse error and a label for the document.
fn model_of(text: &str, label: &str) -> Model {
    build_model(text).unwrap_or_else(|err| panic!("failed to parse {label}: {err}"))
}

/// Replaces the first occurrence of `from` in `text`, panicking when `from`
/// is absent so that a mutation test never compares an unchanged copy.
fn mutate(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "the reference WSDL does not contain the text to mutate: {from}"
    );
    text.replacen(from, to, 1)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn project_wsdl_matches_reference_plus_2_3_change() {
    let reference_path = reference_wsdl_path();
    let mut expected = model_of(&read_reference(), "the reference WSDL");
    apply_2_3_delta(&mut expected).unwrap_or_else(|err| panic!("{err}"));
    let actual = model_of(&read_project_wsdl(), "the project's WSDL");

    let differences = compare(
        &expected,
        &actual,
        "reference with the 2_3 change",
        "project WSDL",
    );
    assert!(
        differences.is_empty(),
        "{} differs from {} with the 2_3 change applied. {}",
        project_wsdl_path().display(),
        reference_path.display(),
        format_report(&differences)
    );
}

#[test]
fn reference_has_expected_size() {
    // Guards against comparing two empty or truncated models that trivially match.
    let reference = model_of(&read_reference(), "the reference WSDL");
    let count = |prefix: &str| {
        reference
            .keys()
            .filter(|key| key.starts_with(prefix) && key.split(' ').count() == 2)
            .count()
    };
    assert_eq!(count("simpleType "), 15, "named simple types");
    assert_eq!(count("complexType "), 127, "named complex types");
    let messages = reference
        .keys()
        .filter(|key| key.starts_with("message ") && key.ends_with(" parts"))
        .count();
    assert_eq!(messages, 48, "messages");
    let operations = reference
        .keys()
        .filter(|key| key.starts_with("portType MktowsPort operation "))
        .count();
    assert_eq!(operations, 23, "port type operations");
}

#[test]
fn project_wsdl_address_is_2_3_endpoint() {
    let text = read_project_wsdl();
    let doc = roxmltree::Document::parse(&text).expect("the project's WSDL is well-formed XML");
    let address = doc
        .descendants()
        .find(|n| is(*n, SOAP, "address"))
        .and_then(|n| n.attribute("location"))
        .expect("the project's WSDL has a soap:address with a location");
    assert!(
        address.starts_with("https://"),
        "address {address} is not https"
    );
    assert!(
        address.ends_with(".mktoapi.com/soap/mktows/2_3"),
        "address {address} is not of the form https://<munchkin-id>.mktoapi.com/soap/mktows/2_3"
    );
}

#[test]
fn comparison_ignores_prefixes_and_defaults() {
    let reference = read_reference();
    let renamed = reference
        .replace("xmlns:xs=", "xmlns:xsd=")
        .replace("xs:", "xsd:")
        .replace("xmlns:tns=", "xmlns:m=")
        .replace("\"tns:", "\"m:")
        // An explicit XSD default must compare equal to an omitted one.
        .replace(" nillable=\"false\"", "");
    assert_ne!(renamed, reference, "the rewrite changed nothing");

    let differences = compare(
        &model_of(&reference, "the reference WSDL"),
        &model_of(&renamed, "the renamed copy"),
        "reference",
        "renamed copy",
    );
    assert!(differences.is_empty(), "{}", format_report(&differences));
}

#[test]
fn comparison_reports_each_mutation() {
    let reference = read_reference();
    let reference_model = model_of(&reference, "the reference WSDL");

    // (what changes, text in the reference, replacement, key the report must name)
    let cases = [
        (
            "minOccurs of an element",
            r#"name="returnLead" type="xs:boolean" minOccurs="1""#,
            r#"name="returnLead" type="xs:boolean" minOccurs="0""#,
            "complexType ParamsSyncLead element returnLead",
        ),
        (
            "type namespace with the same local name",
            r#"name="Id" type="xs:int""#,
            r#"name="Id" type="tns:int""#,
            "complexType LeadRecord element Id",
        ),
        (
            "enumeration value removed",
            r#"<xs:enumeration value="ISMEMBEROFLIST"/>"#,
            "",
            "simpleType ListOperationType enumerations",
        ),
        (
            "abstract flag",
            r#"name="LeadSelector" abstract="true""#,
            r#"name="LeadSelector" abstract="false""#,
            "complexType LeadSelector",
        ),
        (
            "soapAction",
            r#"soapAction="http://www.marketo.com/mktows/getTags""#,
            r#"soapAction="http://www.marketo.com/mktows/getTag""#,
            "binding MktowsApiSoapBinding operation getTags soap:operation",
        ),
        (
            "SOAP header removed",
            r#"<soap:header use="literal" part="mktowsContext" message="tns:MktowsContextHeader" />"#,
            "",
            "binding MktowsApiSoapBinding operation syncLead input",
        ),
        (
            "message part element",
            r#"element="tns:paramsGetTags""#,
            r#"element="tns:paramsGetChannels""#,
            "message GetTagsRequest part paramsGetTags",
        ),
    ];

    for (what, from, to, key) in cases {
        let mutated = model_of(&mutate(&reference, from, to), "the mutated copy");
        let differences = compare(&reference_model, &mutated, "reference", "mutated copy");
        assert!(
            differences
                .iter()
                .any(|line| line.starts_with(&format!("{key}:"))),
            "changing the {what} was not reported under `{key}`; report: {}",
            format_report(&differences)
        );
    }
}

#[test]
fn comparison_reports_missing_2_3_element() {
    let project = read_project_wsdl();
    let mut expected = model_of(&read_reference(), "the reference WSDL");
    apply_2_3_delta(&mut expected).unwrap_or_else(|err| panic!("{err}"));

    let line = project
        .lines()
        .find(|line| line.contains(r#"name="activityNameFilter""#))
        .expect("the project's WSDL declares activityNameFilter");
    let without = project.replacen(line, "", 1);
    let differences = compare(
        &expected,
        &model_of(&without, "the project WSDL without activityNameFilter"),
        "reference with the 2_3 change",
        "edited copy",
    );
    assert!(
        differences.iter().any(|d| d.starts_with(
            "complexType ParamsGetLeadChanges element activityNameFilter: only in reference"
        )),
        "{}",
        format_report(&differences)
    );
    assert!(
        differences
            .iter()
            .any(|d| d.starts_with("complexType ParamsGetLeadChanges element order:")),
        "{}",
        format_report(&differences)
    );
}

#[test]
fn missing_reference_error_names_variable() {
    let path = std::env::temp_dir().join("mktows-no-such-reference.wsdl");
    let err = read_reference_at(&path).expect_err("reading a missing file fails");
    assert!(
        err.contains(REFERENCE_ENV),
        "error does not name {REFERENCE_ENV}: {err}"
    );
    assert!(
        err.contains(&path.display().to_string()),
        "error does not name the path: {err}"
    );
}
