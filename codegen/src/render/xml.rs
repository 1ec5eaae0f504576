//! Renders the XML (de)serializers: one `WriteXml` and one `ReadXml` implementation per
//! complex type and per polymorphic enum.
//!
//! Reading matches child elements by local name in any order, so messages whose elements
//! are out of schema order are accepted; unknown elements are skipped; a missing required
//! element fails with the path to it. Writing follows the schema order.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{fields, polymorphic_ident, value_type, RenderedField, Shape};
use crate::model::{ComplexDef, Model, TypeDef, TypeRef};
use crate::names;
use crate::Paths;

/// Renders the (de)serializers of every complex type.
pub fn render(model: &Model, paths: &Paths) -> TokenStream {
    let items = model
        .types
        .iter()
        .filter_map(|(name, definition)| match definition {
            TypeDef::Complex(complex) => Some(render_complex(model, name, complex, paths)),
            TypeDef::Enumeration(_) => None,
        });
    quote! { #( #items )* }
}

fn render_complex(model: &Model, name: &str, complex: &ComplexDef, paths: &Paths) -> TokenStream {
    let mut output = TokenStream::new();
    if !complex.is_abstract {
        output.extend(render_struct_write(model, name, complex, paths));
        output.extend(render_struct_read(model, name, complex, paths));
    }
    if !complex.extensions.is_empty() {
        output.extend(render_polymorphic(model, name, complex, paths));
    }
    output
}

fn is_simple(type_ref: &TypeRef) -> bool {
    !matches!(type_ref, TypeRef::Complex(_))
}

fn render_struct_write(
    model: &Model,
    name: &str,
    complex: &ComplexDef,
    paths: &Paths,
) -> TokenStream {
    let _ = model;
    let ident = names::type_ident(name);
    let runtime = &paths.runtime;
    let statements = fields(complex)
        .into_iter()
        .map(|field| write_statement(&field));
    let writer_name = if complex.fields.is_empty() {
        quote! { _writer }
    } else {
        quote! { writer }
    };
    quote! {
        impl #runtime::WriteXml for #ident {
            fn write_children(&self, #writer_name: &mut #runtime::XmlWriter) {
                #( #statements )*
            }
        }
    }
}

fn write_statement(field: &RenderedField<'_>) -> TokenStream {
    let field_ident = &field.ident;
    let tag = &field.def.xml_name;
    let (plain, nillable) = if is_simple(&field.def.type_ref) {
        (quote! { simple }, quote! { nillable_simple })
    } else {
        (quote! { complex }, quote! { nillable_complex })
    };
    match field.shape {
        Shape::Required => quote! { writer.#plain(#tag, &self.#field_ident); },
        Shape::RequiredNillable => quote! { writer.#nillable(#tag, &self.#field_ident); },
        Shape::Optional => quote! {
            if let Some(value) = &self.#field_ident {
                writer.#plain(#tag, value);
            }
        },
        Shape::OptionalNillable => quote! {
            if let Some(value) = &self.#field_ident {
                writer.#nillable(#tag, value);
            }
        },
        Shape::Repeated => quote! {
            for value in &self.#field_ident {
                writer.#plain(#tag, value);
            }
        },
        Shape::RepeatedNillable => quote! {
            for value in &self.#field_ident {
                writer.#nillable(#tag, value);
            }
        },
    }
}

fn render_struct_read(
    model: &Model,
    name: &str,
    complex: &ComplexDef,
    paths: &Paths,
) -> TokenStream {
    let ident = names::type_ident(name);
    let runtime = &paths.runtime;
    let rendered = fields(complex);

    let declarations = rendered.iter().map(|field| {
        let field_ident = slot(field);
        let value = value_type(model, &field.def.type_ref, paths);
        match field.shape {
            Shape::Required | Shape::Optional => {
                quote! { let mut #field_ident: Option<#value> = None; }
            }
            Shape::RequiredNillable | Shape::OptionalNillable => {
                quote! { let mut #field_ident: Option<#runtime::Nillable<#value>> = None; }
            }
            Shape::Repeated => quote! { let mut #field_ident: Vec<#value> = Vec::new(); },
            Shape::RepeatedNillable => {
                quote! { let mut #field_ident: Vec<#runtime::Nillable<#value>> = Vec::new(); }
            }
        }
    });

    let arms = rendered.iter().map(|field| {
        let field_ident = slot(field);
        let tag = &field.def.xml_name;
        let tag_bytes = syn::LitByteStr::new(tag.as_bytes(), proc_macro2::Span::call_site());
        let nillable = matches!(
            field.shape,
            Shape::RequiredNillable | Shape::OptionalNillable | Shape::RepeatedNillable
        );
        let read = match (is_simple(&field.def.type_ref), nillable) {
            (true, false) => quote! { reader.read_simple(&child) },
            (true, true) => quote! { reader.read_nillable_simple(&child) },
            (false, false) => quote! { reader.read_complex(&child) },
            (false, true) => quote! { reader.read_nillable_complex(&child) },
        };
        match field.shape {
            Shape::Repeated | Shape::RepeatedNillable => quote! {
                #tag_bytes => #field_ident.push(#read.map_err(|error| error.within(#tag))?),
            },
            _ => quote! {
                #tag_bytes => {
                    if #field_ident.is_some() {
                        return Err(#runtime::DecodeError::repeated(#tag));
                    }
                    #field_ident = Some(#read.map_err(|error| error.within(#tag))?);
                }
            },
        }
    });

    let assignments = rendered.iter().map(|field| {
        let field_ident = &field.ident;
        let local = slot(field);
        let tag = &field.def.xml_name;
        match field.shape {
            Shape::Required | Shape::RequiredNillable => quote! {
                #field_ident: #local.ok_or_else(|| #runtime::DecodeError::missing(#tag))?,
            },
            _ if local == *field_ident => quote! { #field_ident, },
            _ => quote! { #field_ident: #local, },
        }
    });

    let loop_body = if rendered.is_empty() {
        quote! {
            while let Some(child) = reader.next_child_of(element)? {
                reader.skip(&child)?;
            }
        }
    } else {
        quote! {
            while let Some(child) = reader.next_child_of(element)? {
                match child.local_name() {
                    #( #arms )*
                    _ => reader.skip(&child)?,
                }
            }
        }
    };

    quote! {
        impl #runtime::ReadXml for #ident {
            fn read_xml(
                reader: &mut #runtime::XmlReader<'_>,
                element: &#runtime::Child<'_>,
            ) -> Result<Self, #runtime::DecodeError> {
                #( #declarations )*
                #loop_body
                Ok(Self {
                    #( #assignments )*
                })
            }
        }
    }
}

/// The local variable that collects a field while reading: the field's own name, unless
/// that would shadow one of the reader's own variables.
fn slot(field: &RenderedField<'_>) -> proc_macro2::Ident {
    let name = field.ident.to_string();
    if matches!(name.as_str(), "reader" | "element" | "child") {
        quote::format_ident!("{name}_slot")
    } else {
        field.ident.clone()
    }
}

fn render_polymorphic(
    model: &Model,
    name: &str,
    complex: &ComplexDef,
    paths: &Paths,
) -> TokenStream {
    let ident = polymorphic_ident(model, name);
    let runtime = &paths.runtime;
    let extensions: Vec<_> = complex
        .extensions
        .iter()
        .map(|extension| (names::type_ident(extension), extension))
        .collect();

    let write_arms = extensions.iter().map(|(variant, xsi_type)| {
        quote! {
            Self::#variant(value) => {
                writer.start_typed(tag, #xsi_type);
                #runtime::WriteXml::write_children(value, writer);
                writer.end(tag);
            }
        }
    });
    let children_arms = extensions.iter().map(|(variant, _)| quote! { Self::#variant(value) => #runtime::WriteXml::write_children(value, writer), });
    let read_arms = extensions.iter().map(|(variant, xsi_type)| {
        quote! { Some(#xsi_type) => <#variant as #runtime::ReadXml>::read_xml(reader, element).map(Self::#variant), }
    });

    let (base_write, base_children, base_read) = if complex.is_abstract {
        (
            quote! {},
            quote! {},
            quote! {
                other => {
                    let found = other.unwrap_or_default().to_owned();
                    reader.skip(element)?;
                    Err(#runtime::DecodeError::new(#runtime::DecodeErrorKind::UnknownXsiType(found)))
                }
            },
        )
    } else {
        let base = names::type_ident(name);
        (
            quote! { Self::#base(value) => #runtime::WriteXml::write_xml(value, writer, tag), },
            quote! { Self::#base(value) => #runtime::WriteXml::write_children(value, writer), },
            quote! { _ => <#base as #runtime::ReadXml>::read_xml(reader, element).map(Self::#base), },
        )
    };

    quote! {
        impl #runtime::WriteXml for #ident {
            fn write_xml(&self, writer: &mut #runtime::XmlWriter, tag: &str) {
                match self {
                    #base_write
                    #( #write_arms )*
                }
            }

            fn write_children(&self, writer: &mut #runtime::XmlWriter) {
                match self {
                    #base_children
                    #( #children_arms )*
                }
            }
        }

        impl #runtime::ReadXml for #ident {
            fn read_xml(
                reader: &mut #runtime::XmlReader<'_>,
                element: &#runtime::Child<'_>,
            ) -> Result<Self, #runtime::DecodeError> {
                match element.xsi_type() {
                    #( #read_arms )*
                    #base_read
                }
            }
        }
    }
}
