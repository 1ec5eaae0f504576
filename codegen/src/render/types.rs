//! Renders structs for complex types, enums for enumerations and for abstract types with
//! their extensions, with serde attributes for the JSON convention: keys are the XML element
//! names, repeated elements are arrays, `xsi:nil` is `null`, an absent element an absent key,
//! and a polymorphic value carries an `"xsi:type"` key.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc_attributes;
use crate::model::{BuiltIn, ComplexDef, EnumerationDef, FieldDef, Model, TypeDef, TypeRef};
use crate::names::{self, Scope};
use crate::Paths;

/// How a field is held in Rust.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `T`
    Required,
    /// `Nillable<T>`
    RequiredNillable,
    /// `Option<T>`
    Optional,
    /// `Option<Nillable<T>>`
    OptionalNillable,
    /// `Vec<T>`
    Repeated,
    /// `Vec<Nillable<T>>`
    RepeatedNillable,
}

impl Shape {
    /// The shape of `field`.
    pub fn of(field: &FieldDef) -> Self {
        match (field.is_repeated(), field.min_occurs == 0, field.nillable) {
            (true, _, false) => Self::Repeated,
            (true, _, true) => Self::RepeatedNillable,
            (false, false, false) => Self::Required,
            (false, false, true) => Self::RequiredNillable,
            (false, true, false) => Self::Optional,
            (false, true, true) => Self::OptionalNillable,
        }
    }
}

/// A field with its Rust name, in declaration order.
pub struct RenderedField<'m> {
    /// The schema element.
    pub def: &'m FieldDef,
    /// The Rust field name.
    pub ident: Ident,
    /// How it is held.
    pub shape: Shape,
}

/// The Rust fields of a complex type, with collision-free names.
pub fn fields(complex: &ComplexDef) -> Vec<RenderedField<'_>> {
    let mut scope = Scope::default();
    complex
        .fields
        .iter()
        .map(|def| RenderedField {
            def,
            ident: scope.field(&def.xml_name),
            shape: Shape::of(def),
        })
        .collect()
}

/// The Rust type of one value of `type_ref` (before `Option`/`Vec`/`Nillable`).
pub fn value_type(model: &Model, type_ref: &TypeRef, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    match type_ref {
        TypeRef::BuiltIn(BuiltIn::String) => quote! { String },
        TypeRef::BuiltIn(BuiltIn::Int) => quote! { i32 },
        TypeRef::BuiltIn(BuiltIn::Long) => quote! { i64 },
        TypeRef::BuiltIn(BuiltIn::Double) => quote! { f64 },
        TypeRef::BuiltIn(BuiltIn::Boolean) => quote! { bool },
        TypeRef::BuiltIn(BuiltIn::DateTime) => quote! { chrono::DateTime<chrono::FixedOffset> },
        TypeRef::BuiltIn(BuiltIn::Base64Binary) => quote! { #runtime::Base64Binary },
        TypeRef::Enumeration(name) => names::type_ident(name).into_token_stream(),
        TypeRef::Complex(name) => polymorphic_ident(model, name).into_token_stream(),
    }
}

use quote::ToTokens as _;

/// The Rust type used for elements of complex type `name`: the type itself, or the enum of
/// its extensions when it has any.
pub fn polymorphic_ident(model: &Model, name: &str) -> Ident {
    let complex = model.complex(name);
    if complex.extensions.is_empty() || complex.is_abstract {
        names::type_ident(name)
    } else {
        format_ident!("{}OrExtension", names::type_ident(name))
    }
}

/// The full Rust type of a field.
pub fn field_type(model: &Model, field: &RenderedField<'_>, paths: &Paths) -> TokenStream {
    let value = value_type(model, &field.def.type_ref, paths);
    let runtime = &paths.runtime;
    match field.shape {
        Shape::Required => value,
        Shape::RequiredNillable => quote! { #runtime::Nillable<#value> },
        Shape::Optional => quote! { Option<#value> },
        Shape::OptionalNillable => quote! { Option<#runtime::Nillable<#value>> },
        Shape::Repeated => quote! { Vec<#value> },
        Shape::RepeatedNillable => quote! { Vec<#runtime::Nillable<#value>> },
    }
}

/// Renders every named type of the model.
pub fn render(model: &Model, paths: &Paths) -> TokenStream {
    let items = model
        .types
        .iter()
        .map(|(name, definition)| match definition {
            TypeDef::Complex(complex) => render_complex(model, name, complex, paths),
            TypeDef::Enumeration(enumeration) => render_enumeration(name, enumeration, paths),
        });
    quote! { #( #items )* }
}

fn render_complex(model: &Model, name: &str, complex: &ComplexDef, paths: &Paths) -> TokenStream {
    let mut output = TokenStream::new();
    if !complex.is_abstract {
        output.extend(render_struct(model, name, complex, paths));
    }
    if !complex.extensions.is_empty() {
        output.extend(render_polymorphic_enum(model, name, complex));
    }
    output
}

fn render_struct(model: &Model, name: &str, complex: &ComplexDef, paths: &Paths) -> TokenStream {
    let ident = names::type_ident(name);
    let fallback = match &complex.base {
        Some(base) => format!("The `{name}` complex type, an extension of `{base}`."),
        None => format!("The `{name}` complex type."),
    };
    let docs = doc_attributes(&complex.documentation, &fallback);
    let rendered = fields(complex);
    let runtime = &paths.runtime;
    let field_tokens = rendered.iter().map(|field| {
        let field_ident = &field.ident;
        let xml_name = &field.def.xml_name;
        let field_docs = doc_attributes(&field.def.documentation, &field_fallback_doc(field));
        let field_type = field_type(model, field, paths);
        let is_date_time = field.def.type_ref == TypeRef::BuiltIn(BuiltIn::DateTime);
        let serde_attributes = if is_date_time {
            date_time_serde_attributes(field, xml_name, runtime)
        } else {
            match field.shape {
            Shape::Required | Shape::RequiredNillable => quote! { #[serde(rename = #xml_name)] },
            Shape::Optional => quote! { #[serde(rename = #xml_name, default, skip_serializing_if = "Option::is_none")] },
            Shape::OptionalNillable => {
                let with = format!("{}::serde_optional_nillable", runtime_path_string(runtime));
                quote! { #[serde(rename = #xml_name, default, skip_serializing_if = "Option::is_none", with = #with)] }
            }
            Shape::Repeated | Shape::RepeatedNillable => {
                quote! { #[serde(rename = #xml_name, default, skip_serializing_if = "Vec::is_empty")] }
            }
            }
        };
        quote! {
            #field_docs
            #serde_attributes
            pub #field_ident: #field_type,
        }
    });
    let default_derive = if defaultable(model, complex) {
        quote! { Default, }
    } else {
        quote! {}
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default_derive serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct #ident {
            #( #field_tokens )*
        }
    }
}

/// Serde attributes of a dateTime field: the W3C text form in JSON, whatever the shape.
fn date_time_serde_attributes(
    field: &RenderedField<'_>,
    xml_name: &str,
    runtime: &syn::Path,
) -> TokenStream {
    let module = match field.shape {
        Shape::Required => "required",
        Shape::RequiredNillable => "nillable",
        Shape::Optional => "optional",
        Shape::OptionalNillable => "optional_nillable",
        // Limitation: a repeated nillable dateTime (`Vec<Nillable<_>>`) has no module here,
        // so such a schema would not compile; no mktows version has one.
        Shape::Repeated | Shape::RepeatedNillable => "repeated",
    };
    let with = format!(
        "{}::date_time_serde::{module}",
        runtime_path_string(runtime)
    );
    match field.shape {
        Shape::Required | Shape::RequiredNillable => {
            quote! { #[serde(rename = #xml_name, with = #with)] }
        }
        Shape::Optional | Shape::OptionalNillable => {
            quote! { #[serde(rename = #xml_name, default, skip_serializing_if = "Option::is_none", with = #with)] }
        }
        Shape::Repeated | Shape::RepeatedNillable => {
            quote! { #[serde(rename = #xml_name, default, skip_serializing_if = "Vec::is_empty", with = #with)] }
        }
    }
}

fn runtime_path_string(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The documentation of a field the schema does not document: its element, its occurrence
/// and nillability, which is what a caller needs to fill it in.
fn field_fallback_doc(field: &RenderedField<'_>) -> String {
    let def = field.def;
    let occurrence = match field.shape {
        Shape::Required => "required",
        Shape::RequiredNillable => "required, may be nil",
        Shape::Optional => "optional",
        Shape::OptionalNillable => "optional, may be nil",
        Shape::Repeated | Shape::RepeatedNillable => "repeated",
    };
    let type_name = match &def.type_ref {
        TypeRef::BuiltIn(built_in) => built_in.schema_name().to_owned(),
        TypeRef::Enumeration(name) | TypeRef::Complex(name) => format!("`{name}`"),
    };
    format!(
        "The `{}` element ({occurrence}; {type_name}).",
        def.xml_name
    )
}

/// `true` when every field can start empty, so `Default` can be derived.
fn defaultable(model: &Model, complex: &ComplexDef) -> bool {
    complex.fields.iter().all(|field| match Shape::of(field) {
        Shape::Optional | Shape::OptionalNillable | Shape::Repeated | Shape::RepeatedNillable => {
            true
        }
        Shape::RequiredNillable => false,
        Shape::Required => match &field.type_ref {
            TypeRef::BuiltIn(BuiltIn::DateTime) | TypeRef::Enumeration(_) => false,
            TypeRef::BuiltIn(_) => true,
            TypeRef::Complex(name) => {
                !model.is_polymorphic(name) && defaultable(model, model.complex(name))
            }
        },
    })
}

fn render_polymorphic_enum(model: &Model, name: &str, complex: &ComplexDef) -> TokenStream {
    let ident = polymorphic_ident(model, name);
    let mut members: Vec<&str> = Vec::new();
    if !complex.is_abstract {
        members.push(name);
    }
    members.extend(complex.extensions.iter().map(String::as_str));
    let variants = members.iter().map(|member| {
        let variant = names::type_ident(member);
        let doc = format!(" A value of type `{member}` (`xsi:type=\"{member}\"`).");
        quote! {
            #[doc = #doc]
            #[serde(rename = #member)]
            #variant(#variant),
        }
    });
    let doc = format!(
        " A value of the `{name}` type or one of its extensions; on the wire the element names the variant with `xsi:type`, and in JSON the `\"xsi:type\"` key does."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "xsi:type")]
        pub enum #ident {
            #( #variants )*
        }
    }
}

fn render_enumeration(name: &str, enumeration: &EnumerationDef, paths: &Paths) -> TokenStream {
    let ident = names::type_ident(name);
    let docs = doc_attributes(
        &enumeration.documentation,
        &format!("The `{name}` enumeration."),
    );
    let mut scope = Scope::default();
    let variants: Vec<(Ident, &String)> = enumeration
        .values
        .iter()
        .map(|value| (scope.variant(value), value))
        .collect();
    let unknown = if variants.iter().any(|(variant, _)| variant == "Unknown") {
        format_ident!("Unlisted")
    } else {
        format_ident!("Unknown")
    };
    let runtime = &paths.runtime;

    let declarations = variants.iter().map(|(variant, value)| {
        let doc = format!(" `{value}`");
        quote! { #[doc = #doc] #variant, }
    });
    let as_str_arms = variants
        .iter()
        .map(|(variant, value)| quote! { Self::#variant => #value, });
    let parse_arms = variants
        .iter()
        .map(|(variant, value)| quote! { #value => Self::#variant, });
    let xsd_type = format!("{name} (enumeration)");

    quote! {
        #docs
        ///
        /// Values this version of the WSDL does not list are kept in the catch-all variant
        /// instead of failing the whole message.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #ident {
            #( #declarations )*
            /// A value the WSDL does not list, kept as it was received.
            #unknown(String),
        }

        impl #ident {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #as_str_arms )*
                    Self::#unknown(value) => value,
                }
            }

            /// Parses a wire value; an unlisted value becomes the catch-all variant.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #( #parse_arms )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #runtime::SimpleValue for #ident {
            const XSD_TYPE: &'static str = #xsd_type;

            fn write_text(&self, writer: &mut #runtime::XmlWriter) {
                writer.text(self.as_str());
            }

            fn from_xml_text(text: std::borrow::Cow<'_, str>) -> Result<Self, #runtime::DecodeError> {
                Ok(Self::from_wire(text.trim()))
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&value))
            }
        }
    }
}
