use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value of an element declared `nillable="true"`: either `xsi:nil="true"` or a value.
///
/// An optional nillable element is an `Option<Nillable<T>>`, so *absent* (`None`),
/// *nil* (`Some(Nillable::Nil)`) and *a value* stay three distinct states, as they are on the
/// wire. In JSON, nil is `null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Nillable<T> {
    /// The element was sent with `xsi:nil="true"`.
    Nil,
    /// The element carries a value.
    Value(T),
}

impl<T> Nillable<T> {
    /// Returns the value, or `None` for nil.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Self::Nil => None,
            Self::Value(value) => Some(value),
        }
    }

    /// Converts into an `Option`, losing the difference between nil and absent.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Nil => None,
            Self::Value(value) => Some(value),
        }
    }

    /// Returns `true` for `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        matches!(self, Self::Nil)
    }
}

impl<T> From<T> for Nillable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T: Serialize> Serialize for Nillable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Nil => serializer.serialize_none(),
            Self::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nillable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Self::Nil,
            Some(value) => Self::Value(value),
        })
    }
}
