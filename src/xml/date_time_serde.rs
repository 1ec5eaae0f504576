//! JSON form of `xs:dateTime` fields: the same W3C text the XML carries, with a numeric
//! offset (`2026-03-02T10:15:30+01:00`, `+00:00` for UTC). chrono's own serde form writes
//! `Z` for UTC; these modules keep JSON and XML identical. Reading accepts both.
//!
//! One module per field shape, used through `#[serde(with = …)]` by the generated code.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Nillable;

type Value = DateTime<FixedOffset>;

struct Written<'a>(&'a Value);

impl Serialize for Written<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }
}

struct Read(Value);

impl<'de> Deserialize<'de> for Read {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(text.trim())
            .map(Read)
            .map_err(|error| {
                serde::de::Error::custom(format!("invalid dateTime {text:?}: {error}"))
            })
    }
}

/// A required, non-nillable dateTime.
pub mod required {
    use super::*;

    /// Serializes as W3C text.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<S: Serializer>(value: &Value, serializer: S) -> Result<S::Ok, S::Error> {
        Written(value).serialize(serializer)
    }

    /// Deserializes W3C text.
    ///
    /// # Errors
    ///
    /// Returns an error for text that is not an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        Read::deserialize(deserializer).map(|read| read.0)
    }
}

/// An optional dateTime (`Option`).
pub mod optional {
    use super::*;

    /// Serializes `Some` as W3C text.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<S: Serializer>(
        value: &Option<Value>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_ref().map(Written).serialize(serializer)
    }

    /// Deserializes W3C text into `Some`.
    ///
    /// # Errors
    ///
    /// Returns an error for text that is not an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Value>, D::Error> {
        Option::<Read>::deserialize(deserializer).map(|read| read.map(|read| read.0))
    }
}

/// A required, nillable dateTime (`Nillable`).
pub mod nillable {
    use super::*;

    /// Serializes nil as `null`, a value as W3C text.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<S: Serializer>(
        value: &Nillable<Value>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_value().map(Written).serialize(serializer)
    }

    /// Deserializes `null` as nil, W3C text as a value.
    ///
    /// # Errors
    ///
    /// Returns an error for text that is not an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Nillable<Value>, D::Error> {
        Ok(match Option::<Read>::deserialize(deserializer)? {
            None => Nillable::Nil,
            Some(read) => Nillable::Value(read.0),
        })
    }
}

/// An optional, nillable dateTime (`Option<Nillable>`); absence is handled by
/// `#[serde(default)]`, so a present `null` is nil.
pub mod optional_nillable {
    use super::*;

    /// Serializes nil as `null`, a value as W3C text.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<S: Serializer>(
        value: &Option<Nillable<Value>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .as_ref()
            .and_then(Nillable::as_value)
            .map(Written)
            .serialize(serializer)
    }

    /// Deserializes a present key: `null` as nil, W3C text as a value.
    ///
    /// # Errors
    ///
    /// Returns an error for text that is not an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Nillable<Value>>, D::Error> {
        super::nillable::deserialize(deserializer).map(Some)
    }
}

/// A repeated dateTime (`Vec`).
pub mod repeated {
    use super::*;

    /// Serializes as an array of W3C texts.
    ///
    /// # Errors
    ///
    /// Returns the serializer's error.
    pub fn serialize<S: Serializer>(values: &[Value], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(Written))
    }

    /// Deserializes an array of W3C texts.
    ///
    /// # Errors
    ///
    /// Returns an error for text that is not an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Value>, D::Error> {
        Vec::<Read>::deserialize(deserializer)
            .map(|values| values.into_iter().map(|read| read.0).collect())
    }
}
