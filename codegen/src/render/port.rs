//! Renders the port: the `Operation` enum, the port trait with one async method per
//! operation, the decoded `Request`/`Response` enums and `RequestHeaders` a server works
//! with, `dispatch` from a request to a port implementation, the client implementation of
//! the port, and JSON conversions for dynamic calls.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc_attributes;
use crate::names::{self, Scope};
use crate::service::{OperationDef, ServiceDef};
use crate::Paths;

struct RenderedOperation<'s> {
    def: &'s OperationDef,
    variant: Ident,
    method: Ident,
    input_type: Ident,
    output_type: Ident,
    /// Per-call headers: (parameter name, field in `RequestHeaders`, element name, type).
    call_headers: Vec<(Ident, Ident, String, Ident)>,
}

/// Renders everything about the port.
pub fn render(service: &ServiceDef, paths: &Paths) -> TokenStream {
    let header_fields = header_fields(service);
    let mut method_scope = Scope::default();
    let mut variant_scope = Scope::default();
    let operations: Vec<RenderedOperation<'_>> = service
        .operations
        .iter()
        .map(|def| {
            let mut parameter_scope = Scope::default();
            parameter_scope.reserve("request");
            let call_headers = def
                .headers
                .iter()
                .filter(|header| !header.supplied_by_transport)
                .map(|header| {
                    let field = header_fields
                        .iter()
                        .find(|(_, element, _)| *element == header.element)
                        .expect("header field")
                        .0
                        .clone();
                    (
                        parameter_scope.field(&header.part),
                        field,
                        header.element.clone(),
                        names::type_ident(&header.type_name),
                    )
                })
                .collect();
            RenderedOperation {
                def,
                variant: variant_scope.variant(&def.name),
                method: method_scope.field(&def.name),
                input_type: names::type_ident(&def.input_type),
                output_type: names::type_ident(&def.output_type),
                call_headers,
            }
        })
        .collect();

    let mut output = render_operation_enum(service, &operations);
    output.extend(render_trait(service, &operations, paths));
    output.extend(render_headers(&header_fields, paths));
    output.extend(render_messages(service, &operations, paths));
    output.extend(render_dispatch(service, &operations, paths));
    if let Some(client) = &paths.client {
        output.extend(render_client(service, &operations, paths, client));
    }
    output
}

/// The fields of `RequestHeaders`: (field name, element name, type name).
fn header_fields(service: &ServiceDef) -> Vec<(Ident, String, String)> {
    let mut scope = Scope::default();
    let mut fields: Vec<(Ident, String, String)> = Vec::new();
    for operation in &service.operations {
        for header in &operation.headers {
            if !fields
                .iter()
                .any(|(_, element, _)| *element == header.element)
            {
                fields.push((
                    scope.field(&header.element),
                    header.element.clone(),
                    header.type_name.clone(),
                ));
            }
        }
    }
    fields
}

fn render_operation_enum(
    service: &ServiceDef,
    operations: &[RenderedOperation<'_>],
) -> TokenStream {
    let port = &service.port_type;
    let count = operations.len();
    let enum_doc = format!(" An operation of port type `{port}`.");
    let variants = operations.iter().map(|operation| {
        let docs = doc_attributes(
            &operation
                .def
                .documentation
                .iter()
                .cloned()
                .collect::<Vec<_>>(),
            &format!("The `{}` operation.", operation.def.name),
        );
        let variant = &operation.variant;
        quote! { #docs #variant, }
    });
    let all = operations.iter().map(|operation| &operation.variant);
    let arms = |value: &dyn Fn(&OperationDef) -> String| -> Vec<TokenStream> {
        operations
            .iter()
            .map(|operation| {
                let variant = &operation.variant;
                let text = value(operation.def);
                quote! { Self::#variant => #text, }
            })
            .collect()
    };
    let name_arms = arms(&|def| def.name.clone());
    let action_arms = arms(&|def| def.soap_action.clone());
    let input_arms = arms(&|def| def.input_element.clone());
    let output_arms = arms(&|def| def.output_element.clone());
    let documentation_arms = arms(&|def| def.documentation.clone().unwrap_or_default());
    let from_name_arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        let name = &operation.def.name;
        quote! { #name => Some(Self::#variant), }
    });
    let from_input_arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        let element = syn::LitByteStr::new(
            operation.def.input_element.as_bytes(),
            proc_macro2::Span::call_site(),
        );
        quote! { #element => Some(Self::#variant), }
    });

    quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            #( #variants )*
        }

        impl Operation {
            /// Every operation, in the order of the WSDL's port type.
            pub const ALL: [Self; #count] = [ #( Self::#all ),* ];

            /// The operation's name in the WSDL.
            pub fn name(self) -> &'static str {
                match self { #( #name_arms )* }
            }

            /// The binding's `soapAction` for the operation.
            pub fn soap_action(self) -> &'static str {
                match self { #( #action_arms )* }
            }

            /// The local name of the request's body element.
            pub fn input_element(self) -> &'static str {
                match self { #( #input_arms )* }
            }

            /// The local name of the response's body element.
            pub fn output_element(self) -> &'static str {
                match self { #( #output_arms )* }
            }

            /// The operation's `wsdl:documentation`, or an empty string when it has none.
            pub fn documentation(self) -> &'static str {
                match self { #( #documentation_arms )* }
            }

            /// Looks an operation up by its WSDL name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    #( #from_name_arms )*
                    _ => None,
                }
            }

            /// Looks an operation up by the local name of its request's body element.
            pub fn from_input_element(local_name: &[u8]) -> Option<Self> {
                match local_name {
                    #( #from_input_arms )*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for Operation {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}

fn render_trait(
    service: &ServiceDef,
    operations: &[RenderedOperation<'_>],
    paths: &Paths,
) -> TokenStream {
    let trait_ident = names::type_ident(&service.port_type);
    let error = &paths.error;
    let trait_docs = doc_attributes(
        &service.documentation.iter().cloned().collect::<Vec<_>>(),
        &format!(
            "The operations of port type `{}`, one async method each.",
            service.port_type
        ),
    );
    let methods = operations.iter().map(|operation| {
        let method = &operation.method;
        let input = &operation.input_type;
        let output = &operation.output_type;
        let docs = doc_attributes(
            &operation
                .def
                .documentation
                .iter()
                .cloned()
                .collect::<Vec<_>>(),
            &format!("Calls `{}`.", operation.def.name),
        );
        let header_params = operation
            .call_headers
            .iter()
            .map(|(parameter, _, _, header_type)| quote! { #parameter: Option<#header_type> });
        let header_doc = operation
            .call_headers
            .iter()
            .map(|(parameter, _, element, _)| {
                let line = format!(" `{parameter}` is the optional `{element}` SOAP header.");
                quote! { #[doc = ""] #[doc = #line] }
            });
        quote! {
            #docs
            #( #header_doc )*
            fn #method(
                &self,
                request: #input,
                #( #header_params, )*
            ) -> impl std::future::Future<Output = Result<#output, #error>> + Send;
        }
    });
    quote! {
        #trait_docs
        ///
        /// The generated client implements it, the sandbox server implements it, and so can a
        /// test double.
        pub trait #trait_ident: Send + Sync {
            #( #methods )*
        }
    }
}

fn render_headers(header_fields: &[(Ident, String, String)], paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let fields = header_fields.iter().map(|(field, element, type_name)| {
        let type_ident = names::type_ident(type_name);
        let doc = format!(" The `{element}` header, when the request carries it.");
        quote! { #[doc = #doc] pub #field: Option<#type_ident>, }
    });
    let read_arms = header_fields.iter().map(|(field, element, _)| {
        let bytes = syn::LitByteStr::new(element.as_bytes(), proc_macro2::Span::call_site());
        quote! {
            #bytes => {
                if self.#field.is_some() {
                    return Err(#runtime::DecodeError::repeated(#element));
                }
                self.#field = Some(reader.read_complex(child).map_err(|error| error.within(#element))?);
                Ok(true)
            }
        }
    });
    let write_statements = header_fields.iter().map(|(field, element, _)| {
        quote! {
            if let Some(header) = &self.#field {
                writer.complex(&format!("{}:{}", writer.target_prefix(), #element), header);
            }
        }
    });
    quote! {
        /// The SOAP headers of a request, as a server decodes them.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct RequestHeaders {
            #( #fields )*
        }

        impl RequestHeaders {
            /// Reads one header element into its field; returns `false`, without reading,
            /// for a header this service does not define, so the caller can skip it.
            ///
            /// # Errors
            ///
            /// Returns the decoding error of a known header, and `DecodeErrorKind::Repeated`
            /// for a header that appears a second time: a server cannot know which copy
            /// the sender meant.
            pub fn read_header(
                &mut self,
                reader: &mut #runtime::XmlReader<'_>,
                child: &#runtime::Child<'_>,
            ) -> Result<bool, #runtime::DecodeError> {
                match child.local_name() {
                    #( #read_arms )*
                    _ => Ok(false),
                }
            }

            /// Writes every header that is present, qualified with the target prefix.
            pub fn write_headers(&self, writer: &mut #runtime::XmlWriter) {
                #( #write_statements )*
            }
        }
    }
}

fn render_messages(
    service: &ServiceDef,
    operations: &[RenderedOperation<'_>],
    paths: &Paths,
) -> TokenStream {
    let _ = service;
    let runtime = &paths.runtime;
    let request_variants = operations.iter().map(|operation| {
        let variant = &operation.variant;
        let input = &operation.input_type;
        let doc = format!(" The body of a `{}` request.", operation.def.name);
        quote! { #[doc = #doc] #variant(#input), }
    });
    let response_variants = operations.iter().map(|operation| {
        let variant = &operation.variant;
        let output = &operation.output_type;
        let doc = format!(" The body of a `{}` response.", operation.def.name);
        quote! { #[doc = #doc] #variant(#output), }
    });
    let operation_arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        quote! { Self::#variant(_) => Operation::#variant, }
    });
    let operation_arms: Vec<_> = operation_arms.collect();
    let read_request_arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        quote! { Operation::#variant => reader.read_complex(child).map(Self::#variant), }
    });
    let read_response_arms = read_request_arms.clone();
    let write_request_arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        quote! { Self::#variant(body) => writer.complex(&tag, body), }
    });
    let write_response_arms = write_request_arms.clone();
    let json = paths.json_feature.as_ref().map(|feature| {
        let from_json_arms = operations.iter().map(|operation| {
            let variant = &operation.variant;
            quote! { Operation::#variant => serde_json::from_value(params).map(Self::#variant), }
        });
        let to_json_arms = operations.iter().map(|operation| {
            let variant = &operation.variant;
            quote! { Self::#variant(body) => serde_json::to_value(body), }
        });
        quote! {
            #[cfg(feature = #feature)]
            impl Request {
                /// Builds the request of `operation` from the JSON form of its body element's
                /// content (keys are the XML element names).
                ///
                /// # Errors
                ///
                /// Returns the JSON error, which names the offending key.
                pub fn from_json(operation: Operation, params: serde_json::Value) -> Result<Self, serde_json::Error> {
                    match operation { #( #from_json_arms )* }
                }
            }

            #[cfg(feature = #feature)]
            impl Response {
                /// The JSON form of the response's body element content.
                ///
                /// # Errors
                ///
                /// Returns an error only for values JSON cannot hold (a non-finite double).
                pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
                    match self { #( #to_json_arms )* }
                }
            }
        }
    });

    quote! {
        /// A request of any operation, as a server decodes it.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Request {
            #( #request_variants )*
        }

        /// A response of any operation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Response {
            #( #response_variants )*
        }

        impl Request {
            /// The operation this request calls.
            pub fn operation(&self) -> Operation {
                match self { #( #operation_arms )* }
            }

            /// Reads the body element of `operation`'s request.
            ///
            /// # Errors
            ///
            /// Returns the decoding error, with the path to the failing element.
            pub fn read_body(
                operation: Operation,
                reader: &mut #runtime::XmlReader<'_>,
                child: &#runtime::Child<'_>,
            ) -> Result<Self, #runtime::DecodeError> {
                match operation { #( #read_request_arms )* }
                    .map_err(|error| error.within(operation.input_element()))
            }

            /// Writes the body element, qualified with the target prefix.
            pub fn write_body(&self, writer: &mut #runtime::XmlWriter) {
                let tag = format!("{}:{}", writer.target_prefix(), self.operation().input_element());
                match self { #( #write_request_arms )* }
            }
        }

        impl Response {
            /// The operation this response answers.
            pub fn operation(&self) -> Operation {
                match self { #( #operation_arms )* }
            }

            /// Reads the body element of `operation`'s response.
            ///
            /// # Errors
            ///
            /// Returns the decoding error, with the path to the failing element.
            pub fn read_body(
                operation: Operation,
                reader: &mut #runtime::XmlReader<'_>,
                child: &#runtime::Child<'_>,
            ) -> Result<Self, #runtime::DecodeError> {
                match operation { #( #read_response_arms )* }
                    .map_err(|error| error.within(operation.output_element()))
            }

            /// Writes the body element, qualified with the target prefix.
            pub fn write_body(&self, writer: &mut #runtime::XmlWriter) {
                let tag = format!("{}:{}", writer.target_prefix(), self.operation().output_element());
                match self { #( #write_response_arms )* }
            }
        }

        #json
    }
}

fn render_dispatch(
    service: &ServiceDef,
    operations: &[RenderedOperation<'_>],
    paths: &Paths,
) -> TokenStream {
    let trait_ident = names::type_ident(&service.port_type);
    let error = &paths.error;
    let arms = operations.iter().map(|operation| {
        let variant = &operation.variant;
        let method = &operation.method;
        let headers = operation.call_headers.iter().map(|(_, field, _, _)| quote! { headers.#field });
        quote! {
            Request::#variant(request) => port.#method(request, #( #headers ),*).await.map(Response::#variant),
        }
    });
    let headers_name = if operations
        .iter()
        .any(|operation| !operation.call_headers.is_empty())
    {
        quote! { headers }
    } else {
        quote! { _headers }
    };
    quote! {
        /// Calls the method of `port` that `request` is for, passing the per-call headers it defines.
        ///
        /// # Errors
        ///
        /// Returns the port's error.
        pub async fn dispatch<P: #trait_ident + ?Sized>(
            port: &P,
            request: Request,
            #headers_name: RequestHeaders,
        ) -> Result<Response, #error> {
            match request {
                #( #arms )*
            }
        }
    }
}

fn render_client(
    service: &ServiceDef,
    operations: &[RenderedOperation<'_>],
    paths: &Paths,
    client: &syn::Path,
) -> TokenStream {
    let trait_ident = names::type_ident(&service.port_type);
    let error = &paths.error;
    let runtime = &paths.runtime;
    let methods = operations.iter().map(|operation| {
        let method = &operation.method;
        let variant = &operation.variant;
        let input = &operation.input_type;
        let output = &operation.output_type;
        let header_params = operation
            .call_headers
            .iter()
            .map(|(parameter, _, _, header_type)| quote! { #parameter: Option<#header_type> });
        let header_pushes = operation
            .call_headers
            .iter()
            .map(|(parameter, _, element, _)| {
                quote! {
                    if let Some(header) = &#parameter {
                        headers.push((#element, header));
                    }
                }
            });
        let call = if operation.call_headers.is_empty() {
            quote! { self.invoke(Operation::#variant, &request, &[]).await }
        } else {
            quote! {
                let mut headers: Vec<(&'static str, &(dyn #runtime::WriteXml + Sync))> = Vec::new();
                #( #header_pushes )*
                self.invoke(Operation::#variant, &request, &headers).await
            }
        };
        quote! {
            async fn #method(
                &self,
                request: #input,
                #( #header_params, )*
            ) -> Result<#output, #error> {
                #call
            }
        }
    });
    quote! {
        impl #trait_ident for #client {
            #( #methods )*
        }
    }
}
