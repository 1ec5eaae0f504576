//! Generates Rust code for a WSDL 1.1 document/literal SOAP 1.1 service.
//!
//! The pipeline has four steps, one module each:
//!
//! 1. [`wsdl`] reads the WSDL: the embedded schema, messages, port types, bindings, services;
//! 2. [`model`] interprets the schema with `xsd-parser` into complex types, enumerations and
//!    top-level elements;
//! 3. [`service`] joins port type, binding and messages into one description per operation;
//! 4. `render` writes the Rust source with `quote` and formats it with `prettyplease`.
//!
//! Nothing here is specific to one service. Namespaces, operations and headers come from
//! the WSDL, and the paths of the hand-written runtime come from [`Config`].
//!
//! ```no_run
//! let source = mktows_codegen::Config::new()
//!     .transport_header("AuthenticationHeader")
//!     .generate_file("wsdl/service.wsdl")
//!     .expect("the WSDL is supported");
//! println!("{}", source.types);
//! ```

pub mod model;
pub mod names;
mod render;
pub mod service;
pub mod wsdl;

use std::path::Path;

use model::Model;
use service::ServiceDef;
use wsdl::Wsdl;

/// A failure to generate code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The WSDL file could not be read.
    #[error("failed to read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The WSDL is malformed or uses what the generator does not support.
    #[error("invalid WSDL: {0}")]
    Wsdl(String),
    /// The schema uses something the generator does not support.
    #[error("unsupported schema: {0}")]
    Schema(String),
    /// The rendered code did not parse; a bug in the generator.
    #[error("generated code does not parse ({0}); please report this with the WSDL")]
    Render(String),
}

/// Paths of the hand-written items the generated code refers to.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The XML runtime module (`WriteXml`, `ReadXml`, `XmlReader`, …).
    pub runtime: syn::Path,
    /// The error type returned by port methods.
    pub error: syn::Path,
    /// The client type to implement the port for; it must have an `invoke` method.
    pub client: Option<syn::Path>,
    /// The Cargo feature that enables JSON conversions, if any.
    pub json_feature: Option<String>,
}

/// Generator settings.
#[derive(Debug, Clone)]
pub struct Config {
    paths: Paths,
    transport_headers: Vec<String>,
    binding: Option<String>,
    target_prefix: String,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// The generated source, formatted.
#[derive(Debug, Clone)]
pub struct GeneratedCode {
    /// Types and their XML (de)serializers.
    pub types: String,
    /// The port: operations, trait, requests, responses, dispatch and client.
    pub port: String,
}

impl Config {
    /// Settings for code included in the `mktows` crate layout: runtime at `crate::xml`,
    /// errors `crate::Error`, no client implementation and no JSON feature.
    pub fn new() -> Self {
        Self {
            paths: Paths {
                runtime: syn::parse_quote!(crate::xml),
                error: syn::parse_quote!(crate::Error),
                client: None,
                json_feature: None,
            },
            transport_headers: Vec::new(),
            binding: None,
            target_prefix: "ns1".into(),
        }
    }

    /// Sets the path of the XML runtime module.
    #[must_use]
    pub fn runtime_path(mut self, path: &str) -> Self {
        self.paths.runtime = syn::parse_str(path).expect("runtime path is a Rust path");
        self
    }

    /// Sets the error type of the port's methods.
    #[must_use]
    pub fn error_type(mut self, path: &str) -> Self {
        self.paths.error = syn::parse_str(path).expect("error type is a Rust path");
        self
    }

    /// Implements the port for `path`, whose `invoke` method sends a call.
    #[must_use]
    pub fn client_type(mut self, path: &str) -> Self {
        self.paths.client = Some(syn::parse_str(path).expect("client type is a Rust path"));
        self
    }

    /// Renders `Request::from_json` and `Response::to_json` behind Cargo feature `feature`.
    #[must_use]
    pub fn json_feature(mut self, feature: &str) -> Self {
        self.paths.json_feature = Some(feature.to_owned());
        self
    }

    /// Names a header element that the transport adds to every call (such as an
    /// authentication header), so it is not a parameter of the port's methods.
    #[must_use]
    pub fn transport_header(mut self, element: &str) -> Self {
        self.transport_headers.push(element.to_owned());
        self
    }

    /// Chooses the binding to render when the WSDL has several.
    #[must_use]
    pub fn binding(mut self, name: &str) -> Self {
        self.binding = Some(name.to_owned());
        self
    }

    /// Sets the prefix the generated code binds to the target namespace (default `ns1`).
    #[must_use]
    pub fn target_prefix(mut self, prefix: &str) -> Self {
        self.target_prefix = prefix.to_owned();
        self
    }

    /// Generates code for the WSDL file at `path`.
    ///
    /// # Errors
    ///
    /// Returns an [`Error`] naming the file, the construct or the element that failed.
    pub fn generate_file(&self, path: impl AsRef<Path>) -> Result<GeneratedCode, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.generate(&text)
    }

    /// Generates code for a WSDL document.
    ///
    /// # Errors
    ///
    /// Returns an [`Error`] naming the construct or the element that failed.
    pub fn generate(&self, wsdl_text: &str) -> Result<GeneratedCode, Error> {
        let wsdl = Wsdl::parse(wsdl_text)?;
        let model = Model::from_schemas(&wsdl.target_namespace, &wsdl.schemas)?;
        let service = ServiceDef::from_wsdl(
            &wsdl,
            &model,
            self.binding.as_deref(),
            &self.transport_headers,
        )?;

        let namespace = &model.target_namespace;
        let prefix = &self.target_prefix;
        let mut types = quote::quote! {
            /// The target namespace of the schema's elements.
            pub const TARGET_NAMESPACE: &str = #namespace;
            /// The prefix generated messages bind to [`TARGET_NAMESPACE`].
            pub const TARGET_PREFIX: &str = #prefix;
        };
        types.extend(render::types::render(&model, &self.paths));
        types.extend(render::xml::render(&model, &self.paths));
        let port = render::port::render(&service, &self.paths);

        Ok(GeneratedCode {
            types: format(types)?,
            port: format(port)?,
        })
    }
}

fn format(tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| Error::Render(error.to_string()))?;
    Ok(separate_items(&prettyplease::unparse(&file)))
}

/// Puts a blank line between items, which `prettyplease` leaves out, so the output reads
/// like hand-written code.
fn separate_items(source: &str) -> String {
    let mut output = String::with_capacity(source.len() + source.len() / 16);
    let mut previous_closed_item = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let starts_item = ["///", "#[", "pub ", "fn ", "impl", "const ", "mod ", "use "]
            .iter()
            .any(|prefix| trimmed.starts_with(prefix));
        if previous_closed_item && starts_item {
            output.push('\n');
        }
        output.push_str(line);
        output.push('\n');
        previous_closed_item = trimmed == "}"
            || (trimmed.ends_with(';')
                && !line.starts_with("    ")
                && trimmed.starts_with("pub const"));
    }
    output
}
