use std::fmt;

/// Why a message could not be decoded into the generated types.
///
/// `path` lists the elements from the outermost one down to the one that failed, so a
/// message reads `paramsGetLead/leadKey/keyType: missing required element`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    // Boxed so `Result<T, DecodeError>` stays small on the hot path of every read.
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    path: Vec<String>,
    kind: DecodeErrorKind,
}

/// The kind of a [`DecodeError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The bytes are not well-formed XML (or not UTF-8).
    Malformed(String),
    /// The document ended before the element was closed.
    UnexpectedEof,
    /// A required element is absent.
    MissingElement(String),
    /// An element's text is not a valid value of its schema type.
    InvalidValue {
        /// The schema type, such as `xs:int`.
        expected: &'static str,
        /// The text that was found, cut to 64 characters.
        found: String,
    },
    /// An element of an abstract type has no `xsi:type`, or one that names no known extension.
    UnknownXsiType(String),
    /// An element other than the expected one was found where the message has one fixed element.
    UnexpectedElement {
        /// The expected local name.
        expected: String,
        /// The local name that was found.
        found: String,
    },
    /// A required element was sent with `xsi:nil="true"` although it is not nillable.
    NilNotAllowed,
    /// An element that may appear once appears again. Keeping either copy would drop
    /// the other one without a word.
    Repeated,
}

impl DecodeError {
    /// Creates an error at the current element; callers add the path on the way up.
    pub fn new(kind: DecodeErrorKind) -> Self {
        Self {
            inner: Box::new(Inner {
                path: Vec::new(),
                kind,
            }),
        }
    }

    /// Reports that the required element `name` is missing.
    pub fn missing(name: &str) -> Self {
        Self::new(DecodeErrorKind::MissingElement(name.to_owned())).within(name)
    }

    /// Reports a second `name` element where the schema allows one.
    pub fn repeated(name: &str) -> Self {
        Self::new(DecodeErrorKind::Repeated).within(name)
    }

    /// Reports text that does not parse as `expected`.
    pub fn invalid_value(expected: &'static str, found: &str) -> Self {
        let found: String = found.chars().take(64).collect();
        Self::new(DecodeErrorKind::InvalidValue { expected, found })
    }

    /// Prepends `element` to the path; called by each enclosing element as the error
    /// travels up.
    #[must_use]
    pub fn within(mut self, element: &str) -> Self {
        self.inner.path.push(element.to_owned());
        self
    }

    /// The element path, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &str> {
        self.inner.path.iter().rev().map(String::as_str)
    }

    /// The kind of failure.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.inner.kind
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path: Vec<&str> = self.path().collect();
        if !path.is_empty() {
            write!(f, "{}: ", path.join("/"))?;
        }
        match &self.inner.kind {
            DecodeErrorKind::Malformed(reason) => write!(f, "malformed XML: {reason}"),
            DecodeErrorKind::UnexpectedEof => {
                f.write_str("the document ends before this element is closed (truncated body?)")
            }
            DecodeErrorKind::MissingElement(_) => f.write_str("missing required element"),
            DecodeErrorKind::InvalidValue { expected, found } => {
                write!(f, "invalid {expected} value {found:?}")
            }
            DecodeErrorKind::UnknownXsiType(name) if name.is_empty() => {
                f.write_str("missing xsi:type on an element of an abstract type")
            }
            DecodeErrorKind::UnknownXsiType(name) => write!(f, "unknown xsi:type {name:?}"),
            DecodeErrorKind::UnexpectedElement { expected, found } => {
                write!(f, "expected element {expected:?}, found {found:?}")
            }
            DecodeErrorKind::NilNotAllowed => {
                f.write_str("xsi:nil on an element that is not nillable")
            }
            DecodeErrorKind::Repeated => f.write_str("the element appears more than once"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl From<quick_xml::Error> for DecodeError {
    fn from(error: quick_xml::Error) -> Self {
        Self::new(DecodeErrorKind::Malformed(error.to_string()))
    }
}
