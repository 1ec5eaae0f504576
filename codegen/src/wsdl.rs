//! Reads a WSDL 1.1 document: the embedded schema, messages, port types, SOAP 1.1 bindings
//! and services.
//!
//! Only what a document/literal SOAP 1.1 client needs is kept. The schema is handed on as
//! text, with the namespace declarations it inherits from `wsdl:definitions` copied onto
//! its root, so `xsd-parser` can read it as a stand-alone document.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::Error;

const WSDL_NS: &[u8] = b"http://schemas.xmlsoap.org/wsdl/";
const SOAP_NS: &[u8] = b"http://schemas.xmlsoap.org/wsdl/soap/";
const XS_NS: &[u8] = b"http://www.w3.org/2001/XMLSchema";

/// A qualified name: namespace URI and local name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    /// The namespace URI (empty for no namespace).
    pub namespace: String,
    /// The local name.
    pub local: String,
}

/// The parts of a WSDL document the generator uses.
#[derive(Debug, Default)]
pub struct Wsdl {
    /// `targetNamespace` of `wsdl:definitions`.
    pub target_namespace: String,
    /// Text of each embedded `xs:schema`, made stand-alone.
    pub schemas: Vec<String>,
    /// Messages by local name.
    pub messages: BTreeMap<String, Message>,
    /// Port types in document order.
    pub port_types: Vec<PortType>,
    /// Bindings in document order.
    pub bindings: Vec<Binding>,
    /// Services in document order.
    pub services: Vec<Service>,
}

/// A `wsdl:message` and its parts.
#[derive(Debug, Default, Clone)]
pub struct Message {
    /// Parts by name, each naming a top-level schema element.
    pub parts: Vec<(String, QualifiedName)>,
}

/// A `wsdl:portType`.
#[derive(Debug, Default, Clone)]
pub struct PortType {
    /// The port type's name.
    pub name: String,
    /// Its `wsdl:documentation`, if any.
    pub documentation: Option<String>,
    /// Operations in document order.
    pub operations: Vec<PortOperation>,
}

/// An operation of a port type.
#[derive(Debug, Default, Clone)]
pub struct PortOperation {
    /// The operation's name.
    pub name: String,
    /// Its `wsdl:documentation`, if any.
    pub documentation: Option<String>,
    /// The input message's local name.
    pub input: String,
    /// The output message's local name.
    pub output: String,
}

/// A `wsdl:binding` with SOAP 1.1 details.
#[derive(Debug, Default, Clone)]
pub struct Binding {
    /// The binding's name.
    pub name: String,
    /// Local name of the port type it binds.
    pub port_type: String,
    /// `soap:binding/@style` (`document` when absent).
    pub style: String,
    /// Bound operations by name.
    pub operations: BTreeMap<String, BindingOperation>,
}

/// SOAP details of one bound operation.
#[derive(Debug, Default, Clone)]
pub struct BindingOperation {
    /// `soap:operation/@soapAction`.
    pub soap_action: String,
    /// `soap:body/@use` of the input (`literal` when absent).
    pub body_use: String,
    /// Input `soap:header` entries: (message local name, part name).
    pub input_headers: Vec<(String, String)>,
}

/// A `wsdl:service` and its SOAP ports.
#[derive(Debug, Default, Clone)]
pub struct Service {
    /// The service's name.
    pub name: String,
    /// Ports: (port name, binding local name, `soap:address/@location`).
    pub ports: Vec<(String, String, String)>,
}

/// Where the reader is inside the document.
enum Scope {
    PortType,
    PortOperation,
    Binding,
    BindingOperation { input: bool },
    Service,
    Other,
}

impl Wsdl {
    /// Parses a WSDL 1.1 document.
    ///
    /// # Errors
    ///
    /// Returns [`Error::Wsdl`] for malformed XML or a document without `wsdl:definitions`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut reader = NsReader::from_str(text);
        reader.config_mut().trim_text(true);
        let mut wsdl = Wsdl::default();
        let mut scopes: Vec<Scope> = Vec::new();
        let mut definitions_namespaces: Vec<(String, String)> = Vec::new();
        let mut current_message: Option<(String, Message)> = None;
        let mut documentation_target: Option<usize> = None;
        let mut documentation_text = String::new();
        let mut binding_operation_name: Option<String> = None;
        let mut saw_definitions = false;

        loop {
            let position = reader.buffer_position() as usize;
            let (namespace, event) = reader
                .read_resolved_event()
                .map_err(|error| xml_error(&error, position))?;
            let namespace = match namespace {
                ResolveResult::Bound(ns) => ns.into_inner().to_vec(),
                _ => Vec::new(),
            };
            let is_empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(start) | Event::Empty(start) => {
                    let local = start.local_name().into_inner().to_vec();
                    let scope = if namespace == WSDL_NS {
                        match local.as_slice() {
                            b"definitions" => {
                                saw_definitions = true;
                                wsdl.target_namespace =
                                    attribute(&start, b"targetNamespace").unwrap_or_default();
                                definitions_namespaces = namespace_declarations(&start);
                                Scope::Other
                            }
                            b"message" => {
                                current_message = Some((
                                    attribute(&start, b"name").unwrap_or_default(),
                                    Message::default(),
                                ));
                                Scope::Other
                            }
                            b"part" => {
                                if let Some((_, message)) = current_message.as_mut() {
                                    let name = attribute(&start, b"name").unwrap_or_default();
                                    let element = attribute(&start, b"element")
                                        .map(|value| resolve_qname(&reader, &value))
                                        .ok_or_else(|| Error::Wsdl(format!(
                                            "message part {name:?} has no element attribute; only document/literal messages are supported"
                                        )))?;
                                    message.parts.push((name, element));
                                }
                                Scope::Other
                            }
                            b"portType" => {
                                wsdl.port_types.push(PortType {
                                    name: attribute(&start, b"name").unwrap_or_default(),
                                    ..PortType::default()
                                });
                                Scope::PortType
                            }
                            b"binding" => {
                                let port_type = attribute(&start, b"type")
                                    .map(|t| local_part(&t))
                                    .unwrap_or_default();
                                wsdl.bindings.push(Binding {
                                    name: attribute(&start, b"name").unwrap_or_default(),
                                    port_type,
                                    style: "document".into(),
                                    ..Binding::default()
                                });
                                Scope::Binding
                            }
                            b"service" => {
                                wsdl.services.push(Service {
                                    name: attribute(&start, b"name").unwrap_or_default(),
                                    ports: Vec::new(),
                                });
                                Scope::Service
                            }
                            b"operation" => match scopes.last() {
                                Some(Scope::PortType) => {
                                    let port_type =
                                        wsdl.port_types.last_mut().expect("inside a port type");
                                    port_type.operations.push(PortOperation {
                                        name: attribute(&start, b"name").unwrap_or_default(),
                                        ..PortOperation::default()
                                    });
                                    Scope::PortOperation
                                }
                                Some(Scope::Binding) => {
                                    let binding =
                                        wsdl.bindings.last_mut().expect("inside a binding");
                                    let name = attribute(&start, b"name").unwrap_or_default();
                                    binding.operations.insert(
                                        name.clone(),
                                        BindingOperation {
                                            body_use: "literal".into(),
                                            ..BindingOperation::default()
                                        },
                                    );
                                    documentation_target = None;
                                    binding_operation_name = Some(name);
                                    Scope::BindingOperation { input: false }
                                }
                                _ => Scope::Other,
                            },
                            b"input" | b"output" => {
                                let is_input = local.as_slice() == b"input";
                                match scopes.last() {
                                    Some(Scope::PortOperation) => {
                                        let message = attribute(&start, b"message")
                                            .map(|m| local_part(&m))
                                            .unwrap_or_default();
                                        let operation = last_port_operation(&mut wsdl);
                                        if is_input {
                                            operation.input = message
                                        } else {
                                            operation.output = message
                                        }
                                        Scope::Other
                                    }
                                    Some(Scope::BindingOperation { .. }) => {
                                        Scope::BindingOperation { input: is_input }
                                    }
                                    _ => Scope::Other,
                                }
                            }
                            b"port" => {
                                if let (Some(Scope::Service), Some(service)) =
                                    (scopes.last(), wsdl.services.last_mut())
                                {
                                    let name = attribute(&start, b"name").unwrap_or_default();
                                    let binding = attribute(&start, b"binding")
                                        .map(|b| local_part(&b))
                                        .unwrap_or_default();
                                    service.ports.push((name, binding, String::new()));
                                }
                                Scope::Service
                            }
                            b"documentation" => {
                                documentation_target = match scopes.last() {
                                    Some(Scope::PortOperation) => Some(1),
                                    Some(Scope::PortType) => Some(0),
                                    _ => None,
                                };
                                Scope::Other
                            }
                            _ => Scope::Other,
                        }
                    } else if namespace == SOAP_NS {
                        match local.as_slice() {
                            b"binding" => {
                                if let (Some(style), Some(binding)) =
                                    (attribute(&start, b"style"), wsdl.bindings.last_mut())
                                {
                                    binding.style = style;
                                }
                            }
                            b"operation" => {
                                if let Some(operation) = current_binding_operation(
                                    &mut wsdl,
                                    binding_operation_name.as_deref(),
                                ) {
                                    operation.soap_action =
                                        attribute(&start, b"soapAction").unwrap_or_default();
                                }
                            }
                            b"body" => {
                                if let (
                                    Some(Scope::BindingOperation { input: true }),
                                    Some(operation),
                                ) = (
                                    scopes.last(),
                                    current_binding_operation(
                                        &mut wsdl,
                                        binding_operation_name.as_deref(),
                                    ),
                                ) {
                                    operation.body_use = attribute(&start, b"use")
                                        .unwrap_or_else(|| "literal".into());
                                }
                            }
                            b"header" => {
                                if let (
                                    Some(Scope::BindingOperation { input: true }),
                                    Some(operation),
                                ) = (
                                    scopes.last(),
                                    current_binding_operation(
                                        &mut wsdl,
                                        binding_operation_name.as_deref(),
                                    ),
                                ) {
                                    let message = attribute(&start, b"message")
                                        .map(|m| local_part(&m))
                                        .unwrap_or_default();
                                    let part = attribute(&start, b"part").unwrap_or_default();
                                    operation.input_headers.push((message, part));
                                }
                            }
                            b"address" => {
                                if let Some((_, _, location)) =
                                    wsdl.services.last_mut().and_then(|s| s.ports.last_mut())
                                {
                                    *location = attribute(&start, b"location").unwrap_or_default();
                                }
                            }
                            _ => {}
                        }
                        Scope::Other
                    } else if namespace == XS_NS && local.as_slice() == b"schema" {
                        let end = if is_empty {
                            reader.buffer_position() as usize
                        } else {
                            reader
                                .read_to_end(start.name())
                                .map_err(|error| xml_error(&error, position))?;
                            reader.buffer_position() as usize
                        };
                        wsdl.schemas.push(standalone_schema(
                            &text[position..end],
                            &definitions_namespaces,
                        ));
                        continue;
                    } else {
                        Scope::Other
                    };
                    if !is_empty {
                        scopes.push(scope);
                    }
                }
                Event::End(end) => {
                    let local = end.local_name().into_inner().to_vec();
                    if namespace == WSDL_NS && local.as_slice() == b"message" {
                        if let Some((name, message)) = current_message.take() {
                            wsdl.messages.insert(name, message);
                        }
                    }
                    if namespace == WSDL_NS && local.as_slice() == b"documentation" {
                        let content =
                            normalize_whitespace(&std::mem::take(&mut documentation_text));
                        match documentation_target.take() {
                            Some(1) => last_port_operation(&mut wsdl).documentation = Some(content),
                            Some(_) => {
                                if let Some(port_type) = wsdl.port_types.last_mut() {
                                    port_type.documentation = Some(content);
                                }
                            }
                            None => {}
                        }
                    }
                    scopes.pop();
                }
                Event::Text(text_event) if documentation_target.is_some() => {
                    let content = text_event
                        .xml10_content()
                        .map_err(|error| Error::Wsdl(error.to_string()))?;
                    documentation_text.push_str(&content);
                    documentation_text.push(' ');
                }
                Event::GeneralRef(reference) if documentation_target.is_some() => {
                    let name = reference
                        .decode()
                        .map_err(|error| Error::Wsdl(error.to_string()))?;
                    if let Ok(Some(character)) = reference.resolve_char_ref() {
                        documentation_text.push(character);
                    } else if let Some(resolved) =
                        quick_xml::escape::resolve_predefined_entity(&name)
                    {
                        documentation_text.push_str(resolved);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }

        if !saw_definitions {
            return Err(Error::Wsdl(
                "the document has no wsdl:definitions root; is this a WSDL 1.1 file?".into(),
            ));
        }
        Ok(wsdl)
    }
}

fn attribute(start: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    start
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|attribute| attribute_text(&attribute))
}

/// Collects the `xmlns` and `xmlns:prefix` declarations of an element.
fn namespace_declarations(start: &BytesStart<'_>) -> Vec<(String, String)> {
    start
        .attributes()
        .flatten()
        .filter_map(|attribute| {
            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            let is_declaration = key == "xmlns" || key.starts_with("xmlns:");
            let value = attribute_text(&attribute)?;
            is_declaration.then_some((key, value))
        })
        .collect()
}

fn resolve_qname(reader: &NsReader<&[u8]>, value: &str) -> QualifiedName {
    let (namespace, _) = reader.resolve_element(quick_xml::name::QName(value.as_bytes()));
    let namespace = match namespace {
        ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.into_inner()).into_owned(),
        _ => String::new(),
    };
    QualifiedName {
        namespace,
        local: local_part(value),
    }
}

fn local_part(qualified: &str) -> String {
    qualified
        .rsplit_once(':')
        .map_or(qualified, |(_, local)| local)
        .to_owned()
}

fn last_port_operation(wsdl: &mut Wsdl) -> &mut PortOperation {
    wsdl.port_types
        .last_mut()
        .and_then(|port_type| port_type.operations.last_mut())
        .expect("documentation target is an operation inside a port type")
}

fn current_binding_operation<'w>(
    wsdl: &'w mut Wsdl,
    name: Option<&str>,
) -> Option<&'w mut BindingOperation> {
    wsdl.bindings.last_mut()?.operations.get_mut(name?)
}

/// Copies the namespace declarations of `wsdl:definitions` onto the schema's root element,
/// unless the schema declares the same prefix itself.
fn standalone_schema(schema: &str, inherited: &[(String, String)]) -> String {
    let schema = schema.trim_start();
    let root_end = schema.find('>').unwrap_or(schema.len());
    let root = &schema[..root_end];
    let mut declarations = String::new();
    for (key, value) in inherited {
        if !root.contains(&format!("{key}=")) {
            declarations.push_str(&format!(" {key}=\"{value}\""));
        }
    }
    let name_end = root
        .find(char::is_whitespace)
        .unwrap_or(root.len())
        .min(root.trim_end_matches('/').len());
    format!(
        "{}{}{}",
        &schema[..name_end],
        declarations,
        &schema[name_end..]
    )
}

fn normalize_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn xml_error(error: &quick_xml::Error, position: usize) -> Error {
    Error::Wsdl(format!("malformed XML near byte {position}: {error}"))
}

fn attribute_text(attribute: &quick_xml::events::attributes::Attribute<'_>) -> Option<String> {
    let raw = std::str::from_utf8(&attribute.value).ok()?;
    quick_xml::escape::unescape(raw)
        .ok()
        .map(std::borrow::Cow::into_owned)
}
