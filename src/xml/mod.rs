//! The XML runtime that the generated code is written against.
//!
//! The generator emits one `WriteXml`/`ReadXml` implementation per complex type and one
//! `SimpleValue` implementation per enumeration; everything they share lives here: a pull
//! reader over a byte slice that resolves namespaces, a string-building writer, the value
//! conversions for the XML Schema built-in types, the three-state [`Nillable`] and the
//! decoding error that carries the path to the element that failed.
//!
//! The (de)serializers are rendered by hand instead of using `xsd-parser`'s own quick-xml
//! renderer because that renderer's state machines run about 15 times slower than a plain
//! quick-xml pass over a `getMultipleLeads` response; see `codegen/README.md`.

pub mod date_time_serde;
mod error;
mod nillable;
mod reader;
mod value;
mod writer;

pub use error::{DecodeError, DecodeErrorKind};
pub use nillable::Nillable;
pub use reader::{Child, XmlReader};
pub use value::{Base64Binary, SimpleValue};
pub(crate) use writer::{is_xml_char, locate_invalid_character};
pub use writer::{InvalidCharacter, XmlWriter};

/// Namespace of the XML Schema instance attributes (`xsi:nil`, `xsi:type`).
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Namespace of SOAP 1.1 envelopes.
pub const SOAP_ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A complex type that can write itself as an element.
pub trait WriteXml {
    /// Writes the child elements, in schema order.
    fn write_children(&self, writer: &mut XmlWriter);

    /// Writes `<tag …>children</tag>`; polymorphic values add `xsi:type`.
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.start(tag);
        self.write_children(writer);
        writer.end(tag);
    }
}

/// A complex type that can read itself from an element whose start tag was just read.
pub trait ReadXml: Sized {
    /// Reads the content of `element` up to and including its end tag.
    ///
    /// # Errors
    ///
    /// Returns a [`DecodeError`] naming the path to the first element that is missing,
    /// malformed or of an unknown `xsi:type`.
    fn read_xml(reader: &mut XmlReader<'_>, element: &Child<'_>) -> Result<Self, DecodeError>;
}

/// Support for `#[serde(with = …)]` on optional nillable fields: an absent key stays
/// `None` (through `#[serde(default)]`), a present `null` becomes `Some(Nillable::Nil)`.
pub mod serde_optional_nillable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Nillable;

    /// Serializes `Some(Nil)` as `null` and `Some(Value(v))` as `v`.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Nillable<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None | Some(Nillable::Nil) => serializer.serialize_none(),
            Some(Nillable::Value(inner)) => inner.serialize(serializer),
        }
    }

    /// Deserializes a present key: `null` is `Nil`, anything else a value.
    ///
    /// # Errors
    ///
    /// Returns the deserializer's error.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Nillable<T>>, D::Error> {
        Nillable::deserialize(deserializer).map(Some)
    }
}
