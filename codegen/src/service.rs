//! Joins the port type, the SOAP binding and the messages into one description per
//! operation: its SOAP action, request and response elements with their types, and the
//! SOAP headers it takes.

use crate::model::Model;
use crate::wsdl::Wsdl;
use crate::Error;

/// The service the generator renders: one port type through one SOAP binding.
#[derive(Debug)]
pub struct ServiceDef {
    /// The port type's name.
    pub port_type: String,
    /// The port type's documentation.
    pub documentation: Option<String>,
    /// Operations in the port type's order.
    pub operations: Vec<OperationDef>,
}

/// One operation of the port.
#[derive(Debug)]
pub struct OperationDef {
    /// The operation's name.
    pub name: String,
    /// Its `wsdl:documentation`.
    pub documentation: Option<String>,
    /// The binding's `soapAction`.
    pub soap_action: String,
    /// Local name of the request's body element.
    pub input_element: String,
    /// Type of the request's body element.
    pub input_type: String,
    /// Local name of the response's body element.
    pub output_element: String,
    /// Type of the response's body element.
    pub output_type: String,
    /// SOAP headers of the request.
    pub headers: Vec<HeaderDef>,
}

/// A SOAP header of an operation's request.
#[derive(Debug)]
pub struct HeaderDef {
    /// The message part's name.
    pub part: String,
    /// Local name of the header element.
    pub element: String,
    /// Type of the header element.
    pub type_name: String,
    /// `true` when the transport adds this header to every call (authentication), so it is
    /// not a parameter of the port's methods.
    pub supplied_by_transport: bool,
}

impl ServiceDef {
    /// Describes the operations of the first SOAP binding (or the one named `binding`).
    ///
    /// # Errors
    ///
    /// Returns [`Error::Wsdl`] when the binding, a message or an element is missing, or the
    /// binding is not document/literal.
    pub fn from_wsdl(
        wsdl: &Wsdl,
        model: &Model,
        binding: Option<&str>,
        transport_headers: &[String],
    ) -> Result<Self, Error> {
        let binding = match binding {
            Some(name) => wsdl.bindings.iter().find(|b| b.name == name),
            None => wsdl.bindings.first(),
        }
        .ok_or_else(|| {
            Error::Wsdl(format!(
                "no SOAP binding {} found",
                binding.unwrap_or("at all")
            ))
        })?;
        if binding.style != "document" {
            return Err(Error::Wsdl(format!(
                "binding {:?} has style {:?}; only document style is supported",
                binding.name, binding.style
            )));
        }
        let port_type = wsdl
            .port_types
            .iter()
            .find(|port_type| port_type.name == binding.port_type)
            .ok_or_else(|| {
                Error::Wsdl(format!(
                    "binding {:?} refers to port type {:?}, which is not defined",
                    binding.name, binding.port_type
                ))
            })?;

        let element_of = |message_name: &str,
                          part_name: Option<&str>|
         -> Result<(String, String), Error> {
            let message = wsdl
                .messages
                .get(message_name)
                .ok_or_else(|| Error::Wsdl(format!("message {message_name:?} is not defined")))?;
            let (_, element) = match part_name {
                Some(part) => message.parts.iter().find(|(name, _)| name == part),
                None => message.parts.first(),
            }
            .ok_or_else(|| {
                Error::Wsdl(format!(
                    "message {message_name:?} has no part {}",
                    part_name.unwrap_or("at all")
                ))
            })?;
            let type_name = model
                .elements
                .get(&element.local)
                .ok_or_else(|| Error::Wsdl(format!("message {message_name:?} refers to element {:?}, which the schema does not define", element.local)))?;
            Ok((element.local.clone(), type_name.clone()))
        };

        let mut operations = Vec::new();
        for operation in &port_type.operations {
            let bound = binding.operations.get(&operation.name).ok_or_else(|| {
                Error::Wsdl(format!(
                    "operation {:?} is not bound by {:?}",
                    operation.name, binding.name
                ))
            })?;
            if bound.body_use != "literal" {
                return Err(Error::Wsdl(format!(
                    "operation {:?} uses {:?} bodies; only literal is supported",
                    operation.name, bound.body_use
                )));
            }
            let (input_element, input_type) = element_of(&operation.input, None)?;
            let (output_element, output_type) = element_of(&operation.output, None)?;
            let headers = bound
                .input_headers
                .iter()
                .map(|(message, part)| {
                    let (element, type_name) = element_of(message, Some(part))?;
                    let supplied_by_transport = transport_headers.contains(&element);
                    Ok(HeaderDef {
                        part: part.clone(),
                        element,
                        type_name,
                        supplied_by_transport,
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            operations.push(OperationDef {
                name: operation.name.clone(),
                documentation: operation.documentation.clone(),
                soap_action: bound.soap_action.clone(),
                input_element,
                input_type,
                output_element,
                output_type,
                headers,
            });
        }
        Ok(Self {
            port_type: port_type.name.clone(),
            documentation: port_type.documentation.clone(),
            operations,
        })
    }
}
