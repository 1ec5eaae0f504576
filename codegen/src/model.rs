//! Interprets the embedded XML schema into the small model the renderers work from.
//!
//! `xsd-parser` parses the schema and resolves references, groups and extensions into its
//! `MetaTypes`. This module walks that result and keeps what a document/literal SOAP client
//! needs: named complex types as sequences of elements (with `minOccurs`, `maxOccurs` and
//! `nillable`), enumerations, the abstract types with their extensions, and the top-level
//! elements. Built-in XML Schema types are kept by their schema names (the
//! interpreter's default typedefs would turn `xs:dateTime` into a plain string).

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::models::meta::{ElementMetaVariant, MetaType, MetaTypeVariant};
use xsd_parser::models::schema::xs::SchemaContent;
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::{Interpreter, MetaTypes, Parser, Schemas, TypeIdent};

use crate::Error;

const XS_NAMESPACE: &[u8] = b"http://www.w3.org/2001/XMLSchema";

/// The schema as the renderers see it.
#[derive(Debug, Default)]
pub struct Model {
    /// The target namespace of the schema.
    pub target_namespace: String,
    /// Named types, sorted by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Top-level elements: element name → type name.
    pub elements: BTreeMap<String, String>,
}

/// A named schema type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A complex type with a sequence of elements.
    Complex(ComplexDef),
    /// A simple type restricted to an enumeration of strings.
    Enumeration(EnumerationDef),
}

/// A complex type.
#[derive(Debug, Clone, Default)]
pub struct ComplexDef {
    /// Documentation from `xs:annotation`.
    pub documentation: Vec<String>,
    /// Elements in sequence order, those inherited from the base type first.
    pub fields: Vec<FieldDef>,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// The type this one extends.
    pub base: Option<String>,
    /// Types that extend this one, directly or indirectly, sorted by name.
    pub extensions: Vec<String>,
}

/// An enumeration.
#[derive(Debug, Clone, Default)]
pub struct EnumerationDef {
    /// Documentation from `xs:annotation`.
    pub documentation: Vec<String>,
    /// The allowed values in schema order.
    pub values: Vec<String>,
}

/// An element inside a complex type.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The element's name as on the wire.
    pub xml_name: String,
    /// Documentation from `xs:annotation`.
    pub documentation: Vec<String>,
    /// The element's type.
    pub type_ref: TypeRef,
    /// `minOccurs`.
    pub min_occurs: usize,
    /// `maxOccurs`; `None` for unbounded.
    pub max_occurs: Option<usize>,
    /// `nillable`.
    pub nillable: bool,
}

impl FieldDef {
    /// `true` when the element may repeat.
    pub fn is_repeated(&self) -> bool {
        self.max_occurs != Some(1) && self.max_occurs != Some(0)
    }
}

/// The type of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// An XML Schema built-in type.
    BuiltIn(BuiltIn),
    /// A named enumeration.
    Enumeration(String),
    /// A named complex type.
    Complex(String),
}

/// The built-in types the generator maps to Rust types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    /// `xs:string`, `xs:anySimpleType` and string-like types.
    String,
    /// `xs:int`.
    Int,
    /// `xs:long`, and `xs:integer`, which is held in 64 bits.
    Long,
    /// `xs:double`, `xs:float` and `xs:decimal`.
    Double,
    /// `xs:boolean`.
    Boolean,
    /// `xs:dateTime`.
    DateTime,
    /// `xs:base64Binary`.
    Base64Binary,
}

impl BuiltIn {
    /// The main XML Schema type this stands for, for documentation.
    pub fn schema_name(self) -> &'static str {
        match self {
            Self::String => "xs:string",
            Self::Int => "xs:int",
            Self::Long => "xs:long",
            Self::Double => "xs:double",
            Self::Boolean => "xs:boolean",
            Self::DateTime => "xs:dateTime",
            Self::Base64Binary => "xs:base64Binary",
        }
    }

    fn from_schema_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" | "anySimpleType" | "normalizedString" | "token" | "anyURI" | "QName"
            | "date" | "time" => Self::String,
            "int" | "short" | "byte" | "unsignedShort" | "unsignedByte" => Self::Int,
            "long" | "integer" | "unsignedInt" | "nonNegativeInteger" | "positiveInteger" => {
                Self::Long
            }
            "double" | "float" | "decimal" => Self::Double,
            "boolean" => Self::Boolean,
            "dateTime" => Self::DateTime,
            "base64Binary" => Self::Base64Binary,
            _ => return None,
        })
    }
}

impl Model {
    /// Interprets the schemas embedded in a WSDL.
    ///
    /// # Errors
    ///
    /// Returns [`Error::Schema`] for schema constructs the renderers do not support, naming
    /// the type and the construct.
    pub fn from_schemas(target_namespace: &str, schema_texts: &[String]) -> Result<Self, Error> {
        let mut parser = Parser::new()
            .with_default_resolver()
            .with_default_namespaces();
        for text in schema_texts {
            parser = parser
                .add_schema_from_str(text)
                .map_err(|error| Error::Schema(error.to_string()))?;
        }
        let schemas = parser.finish();
        let (meta_types, _) = Interpreter::new(&schemas)
            .with_buildin_types()
            .and_then(Interpreter::with_default_typedefs)
            .and_then(Interpreter::with_xs_any_type)
            .and_then(Interpreter::finish)
            .map_err(|error| Error::Schema(error.to_string()))?;

        let mut interpreter = ModelBuilder::new(&schemas, &meta_types);
        interpreter.build(target_namespace)
    }

    /// The complex type named `name`.
    ///
    /// # Panics
    ///
    /// Panics when `name` is not a complex type; the model is consistent by construction.
    pub fn complex(&self, name: &str) -> &ComplexDef {
        match self.types.get(name) {
            Some(TypeDef::Complex(complex)) => complex,
            _ => panic!("{name} is not a complex type of the model"),
        }
    }

    /// `true` when elements of type `name` need `xsi:type` to say which extension they carry.
    pub fn is_polymorphic(&self, name: &str) -> bool {
        matches!(self.types.get(name), Some(TypeDef::Complex(complex)) if !complex.extensions.is_empty())
    }
}

struct ModelBuilder<'a> {
    meta_types: &'a MetaTypes,
    xs_namespace: Option<xsd_parser::models::schema::NamespaceId>,
    abstract_types: BTreeSet<String>,
}

impl<'a> ModelBuilder<'a> {
    fn new(schemas: &'a Schemas, meta_types: &'a MetaTypes) -> Self {
        let xs_namespace = schemas
            .namespaces()
            .find(|(_, info)| {
                info.namespace
                    .as_ref()
                    .is_some_and(|ns| ns.0.as_ref() == XS_NAMESPACE)
            })
            .map(|(id, _)| *id);
        let mut abstract_types = BTreeSet::new();
        for (_, info) in schemas.schemas() {
            for content in &info.schema.content {
                if let SchemaContent::ComplexType(complex) = content {
                    if let (true, Some(name)) = (complex.abstract_, complex.name.as_ref()) {
                        abstract_types.insert(name.clone());
                    }
                }
            }
        }
        Self {
            meta_types,
            xs_namespace,
            abstract_types,
        }
    }

    fn build(&mut self, target_namespace: &str) -> Result<Model, Error> {
        let mut model = Model {
            target_namespace: target_namespace.to_owned(),
            ..Model::default()
        };

        for (ident, meta) in &self.meta_types.items {
            if Some(ident.ns) == self.xs_namespace
                || !matches!(ident.name, xsd_parser::Name::Named(_))
            {
                continue;
            }
            let name = ident.name.to_string();
            match ident.type_ {
                xsd_parser::IdentType::Element => {
                    let type_name = match &meta.variant {
                        MetaTypeVariant::Reference(reference) => reference.type_.name.to_string(),
                        _ => {
                            return Err(Error::Schema(format!(
                                "top-level element {name:?} has an anonymous type; give it a named type"
                            )))
                        }
                    };
                    model.elements.insert(name, type_name);
                }
                xsd_parser::IdentType::Type => {
                    if let Some(definition) = self.type_def(&name, meta)? {
                        model.types.insert(name, definition);
                    }
                }
                _ => {}
            }
        }

        link_extensions(&mut model);
        Ok(model)
    }

    fn type_def(&self, name: &str, meta: &MetaType) -> Result<Option<TypeDef>, Error> {
        match &meta.variant {
            MetaTypeVariant::Enumeration(enumeration) => {
                Ok(Some(TypeDef::Enumeration(EnumerationDef {
                    documentation: meta.documentation.clone(),
                    values: enumeration
                        .variants
                        .0
                        .iter()
                        .map(|variant| variant.ident.name.to_string())
                        .collect(),
                })))
            }
            MetaTypeVariant::ComplexType(complex) => {
                let base = complex.base.as_ident().map(|base| base.name.to_string());
                let mut fields = match &base {
                    Some(base_name) => self.inherited_fields(base_name)?,
                    None => Vec::new(),
                };
                if let Some(content) = &complex.content {
                    fields.extend(self.sequence_fields(name, content)?);
                }
                Ok(Some(TypeDef::Complex(ComplexDef {
                    documentation: meta.documentation.clone(),
                    fields,
                    is_abstract: self.abstract_types.contains(name),
                    base,
                    extensions: Vec::new(),
                })))
            }
            // Simple restrictions without enumerations are used through their base type.
            MetaTypeVariant::SimpleType(_) | MetaTypeVariant::Reference(_) => Ok(None),
            other => Err(Error::Schema(format!(
                "type {name:?} uses {}, which the generator does not support",
                variant_name(other)
            ))),
        }
    }

    fn inherited_fields(&self, base_name: &str) -> Result<Vec<FieldDef>, Error> {
        let Some((_, base_meta)) = self.meta_types.items.iter().find(|(ident, _)| {
            ident.type_ == xsd_parser::IdentType::Type && ident.name.to_string() == base_name
        }) else {
            return Ok(Vec::new());
        };
        match self.type_def(base_name, base_meta)? {
            Some(TypeDef::Complex(base)) => Ok(base.fields),
            _ => Ok(Vec::new()),
        }
    }

    fn sequence_fields(&self, owner: &str, content: &TypeIdent) -> Result<Vec<FieldDef>, Error> {
        let Some(content_meta) = self.meta_types.items.get(content) else {
            return Ok(Vec::new());
        };
        let group = match &content_meta.variant {
            MetaTypeVariant::Sequence(group) => group,
            other => {
                return Err(Error::Schema(format!(
                    "complex type {owner:?} has {} content; only xs:sequence is supported",
                    variant_name(other)
                )))
            }
        };
        group
            .elements
            .0
            .iter()
            .map(|element| {
                let xml_name = element.ident.name.to_string();
                let type_ident = match &element.variant {
                    ElementMetaVariant::Type { type_, .. } => type_,
                    _ => {
                        return Err(Error::Schema(format!(
                            "element {owner}/{xml_name} is xs:any or mixed text; the generator supports typed elements only"
                        )))
                    }
                };
                Ok(FieldDef {
                    type_ref: self.type_ref(owner, &xml_name, type_ident)?,
                    xml_name,
                    documentation: element.documentation.clone(),
                    min_occurs: element.min_occurs,
                    max_occurs: match element.max_occurs {
                        MaxOccurs::Unbounded => None,
                        MaxOccurs::Bounded(count) => Some(count),
                    },
                    nillable: element.nillable,
                })
            })
            .collect()
    }

    fn type_ref(&self, owner: &str, element: &str, ident: &TypeIdent) -> Result<TypeRef, Error> {
        let name = ident.name.to_string();
        if Some(ident.ns) == self.xs_namespace {
            return BuiltIn::from_schema_name(&name).map(TypeRef::BuiltIn).ok_or_else(|| {
                Error::Schema(format!("element {owner}/{element} has built-in type xs:{name}, which the generator does not support"))
            });
        }
        let meta = self.meta_types.items.get(ident).ok_or_else(|| {
            Error::Schema(format!("element {owner}/{element} refers to type {name:?}, which the schema does not define"))
        })?;
        match &meta.variant {
            MetaTypeVariant::Enumeration(_) => Ok(TypeRef::Enumeration(name)),
            MetaTypeVariant::ComplexType(_) => Ok(TypeRef::Complex(name)),
            MetaTypeVariant::SimpleType(simple) => self.type_ref(owner, element, &simple.base),
            MetaTypeVariant::Reference(reference) => self.type_ref(owner, element, &reference.type_),
            other => Err(Error::Schema(format!(
                "element {owner}/{element} has type {name:?} ({}), which the generator does not support",
                variant_name(other)
            ))),
        }
    }
}

/// Records, on each base type, every type that extends it directly or indirectly.
fn link_extensions(model: &mut Model) {
    let bases: Vec<(String, String)> = model
        .types
        .iter()
        .filter_map(|(name, definition)| match definition {
            TypeDef::Complex(complex) => complex.base.clone().map(|base| (name.clone(), base)),
            TypeDef::Enumeration(_) => None,
        })
        .collect();
    for (extension, direct_base) in &bases {
        let mut base = Some(direct_base.clone());
        while let Some(current) = base {
            let Some(TypeDef::Complex(complex)) = model.types.get_mut(&current) else {
                break;
            };
            complex.extensions.push(extension.clone());
            complex.extensions.sort();
            base = complex.base.clone();
        }
    }
}

fn variant_name(variant: &MetaTypeVariant) -> &'static str {
    match variant {
        MetaTypeVariant::Union(_) => "xs:union",
        MetaTypeVariant::BuildIn(_) => "a built-in type",
        MetaTypeVariant::Custom(_) => "a custom type",
        MetaTypeVariant::Reference(_) => "a type reference",
        MetaTypeVariant::Enumeration(_) => "an enumeration",
        MetaTypeVariant::Dynamic(_) => "a substitution group",
        MetaTypeVariant::All(_) => "xs:all",
        MetaTypeVariant::Choice(_) => "xs:choice",
        MetaTypeVariant::Sequence(_) => "xs:sequence",
        MetaTypeVariant::ComplexType(_) => "a complex type",
        MetaTypeVariant::SimpleType(_) => "a simple type",
    }
}
