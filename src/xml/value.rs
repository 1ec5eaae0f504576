use std::borrow::Cow;
use std::fmt::Write as _;

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DecodeError, XmlWriter};

/// A value of an XML Schema simple type: a built-in type or an enumeration.
pub trait SimpleValue: Sized {
    /// The schema type's name, for error messages (`xs:int`).
    const XSD_TYPE: &'static str;

    /// Writes the value's lexical form, escaped.
    fn write_text(&self, writer: &mut XmlWriter);

    /// Parses the lexical form.
    ///
    /// # Errors
    ///
    /// Returns [`DecodeError`] with the expected type and the text found.
    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError>;
}

impl SimpleValue for String {
    const XSD_TYPE: &'static str = "xs:string";

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }

    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
        Ok(text.into_owned())
    }
}

macro_rules! number_value {
    ($type:ty, $xsd:literal) => {
        impl SimpleValue for $type {
            const XSD_TYPE: &'static str = $xsd;

            fn write_text(&self, writer: &mut XmlWriter) {
                let mut buffer = itoa_buffer();
                let _ = write!(buffer, "{self}");
                writer.raw(&buffer);
            }

            fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
                let trimmed = text.trim();
                let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
                unsigned
                    .parse()
                    .map_err(|_| DecodeError::invalid_value($xsd, &text))
            }
        }
    };
}

fn itoa_buffer() -> String {
    String::with_capacity(24)
}

number_value!(i32, "xs:int");
number_value!(i64, "xs:long");

impl SimpleValue for f64 {
    const XSD_TYPE: &'static str = "xs:double";

    fn write_text(&self, writer: &mut XmlWriter) {
        if self.is_nan() {
            writer.raw("NaN");
        } else if self.is_infinite() {
            writer.raw(if *self > 0.0 { "INF" } else { "-INF" });
        } else {
            writer.raw(&self.to_string());
        }
    }

    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
        match text.trim() {
            "INF" => Ok(f64::INFINITY),
            "-INF" => Ok(f64::NEG_INFINITY),
            "NaN" => Ok(f64::NAN),
            other => other
                .parse()
                .map_err(|_| DecodeError::invalid_value("xs:double", &text)),
        }
    }
}

impl SimpleValue for bool {
    const XSD_TYPE: &'static str = "xs:boolean";

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(if *self { "true" } else { "false" });
    }

    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(DecodeError::invalid_value("xs:boolean", &text)),
        }
    }
}

/// `xs:dateTime` is written in the W3C form with a numeric offset (`2026-03-02T10:15:30+01:00`,
/// `+00:00` for UTC), which is what Marketo documents. Reading accepts `Z`, `±hh:mm` and
/// fractional seconds; a value without an offset is taken as UTC.
impl SimpleValue for DateTime<FixedOffset> {
    const XSD_TYPE: &'static str = "xs:dateTime";

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(&self.to_rfc3339_opts(SecondsFormat::AutoSi, false));
    }

    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
        let trimmed = text.trim();
        if let Ok(value) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(value);
        }
        NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| naive.and_utc().fixed_offset())
            .map_err(|_| DecodeError::invalid_value("xs:dateTime", &text))
    }
}

/// The bytes of an `xs:base64Binary` value; base64 text in XML and in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Binary(pub Vec<u8>);

impl SimpleValue for Base64Binary {
    const XSD_TYPE: &'static str = "xs:base64Binary";

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(&base64::engine::general_purpose::STANDARD.encode(&self.0));
    }

    fn from_xml_text(text: Cow<'_, str>) -> Result<Self, DecodeError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Base64Binary)
            .map_err(|_| DecodeError::invalid_value("xs:base64Binary", &text))
    }
}

impl Serialize for Base64Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Base64Binary)
            .map_err(serde::de::Error::custom)
    }
}

impl From<Vec<u8>> for Base64Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}
