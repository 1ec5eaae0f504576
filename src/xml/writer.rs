use super::{Nillable, SimpleValue, WriteXml};

/// Builds an XML document as a string.
///
/// Elements are written without namespace declarations: the enclosing envelope declares the
/// prefixes (`xsi`, and the target namespace's prefix given to [`XmlWriter::new`]). Text is
/// escaped as it is written. A character that XML 1.0 cannot carry at all (most control
/// characters) is recorded, and [`XmlWriter::finish`] reports it instead of sending a
/// message the server would reject.
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    target_prefix: &'static str,
    invalid_character: Option<char>,
}

/// Text that XML 1.0 cannot represent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCharacter {
    /// The offending character.
    pub character: char,
}

impl std::fmt::Display for InvalidCharacter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the value contains the character U+{:04X}, which XML 1.0 cannot carry; remove it before sending",
            u32::from(self.character)
        )
    }
}

impl std::error::Error for InvalidCharacter {}

impl XmlWriter {
    /// Creates a writer; `target_prefix` is the prefix bound to the schema's target namespace,
    /// used for qualified top-level elements and `xsi:type` values.
    pub fn new(target_prefix: &'static str) -> Self {
        Self::with_capacity(target_prefix, 1024)
    }

    /// Creates a writer with room for `capacity` bytes.
    pub fn with_capacity(target_prefix: &'static str, capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            target_prefix,
            invalid_character: None,
        }
    }

    /// The prefix bound to the target namespace.
    pub fn target_prefix(&self) -> &'static str {
        self.target_prefix
    }

    /// Appends markup as it is, unescaped.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Writes `<tag>`.
    pub fn start(&mut self, tag: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Writes `<tag xsi:type="prefix:type_name">`.
    pub fn start_typed(&mut self, tag: &str, type_name: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(" xsi:type=\"");
        self.out.push_str(self.target_prefix);
        self.out.push(':');
        self.out.push_str(type_name);
        self.out.push_str("\">");
    }

    /// Writes `</tag>`.
    pub fn end(&mut self, tag: &str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Writes `<tag xsi:nil="true"/>`.
    pub fn nil(&mut self, tag: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(" xsi:nil=\"true\"/>");
    }

    /// Writes escaped text content.
    pub fn text(&mut self, text: &str) {
        if self.invalid_character.is_none() {
            self.invalid_character = find_invalid_character(text);
        }
        let mut rest = text;
        // A carriage return is written as a character reference, because XML parsers turn a
        // raw CR (and CR LF) into LF.
        while let Some(index) = rest.find(['<', '>', '&', '\r']) {
            self.out.push_str(&rest[..index]);
            self.out.push_str(match rest.as_bytes()[index] {
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'\r' => "&#13;",
                _ => "&amp;",
            });
            rest = &rest[index + 1..];
        }
        self.out.push_str(rest);
    }

    /// Writes `<tag>value</tag>`.
    pub fn simple<T: SimpleValue>(&mut self, tag: &str, value: &T) {
        self.start(tag);
        value.write_text(self);
        self.end(tag);
    }

    /// Writes a nillable simple element.
    pub fn nillable_simple<T: SimpleValue>(&mut self, tag: &str, value: &Nillable<T>) {
        match value {
            Nillable::Nil => self.nil(tag),
            Nillable::Value(value) => self.simple(tag, value),
        }
    }

    /// Writes a complex element.
    pub fn complex<T: WriteXml + ?Sized>(&mut self, tag: &str, value: &T) {
        value.write_xml(self, tag);
    }

    /// Writes a nillable complex element.
    pub fn nillable_complex<T: WriteXml>(&mut self, tag: &str, value: &Nillable<T>) {
        match value {
            Nillable::Nil => self.nil(tag),
            Nillable::Value(value) => value.write_xml(self, tag),
        }
    }

    /// Returns the document.
    ///
    /// # Errors
    ///
    /// Returns [`InvalidCharacter`] when some text contained a character XML 1.0 cannot carry.
    pub fn finish(self) -> Result<String, InvalidCharacter> {
        match self.invalid_character {
            Some(character) => Err(InvalidCharacter { character }),
            None => Ok(self.out),
        }
    }
}

/// Finds the first character outside XML 1.0's `Char` production.
fn find_invalid_character(text: &str) -> Option<char> {
    locate_invalid_character(text).map(|(_, character)| character)
}

/// Finds the first character outside XML 1.0's `Char` production, with its byte offset.
pub(crate) fn locate_invalid_character(text: &str) -> Option<(usize, char)> {
    // Every character XML 1.0 excludes is a control byte below 0x20 or starts with 0xEF
    // (U+FFFE, U+FFFF), so clean text is ruled out in one pass over the bytes.
    let suspicious = text
        .as_bytes()
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
    if !suspicious {
        return None;
    }
    text.char_indices().find(|&(_, c)| !is_xml_char(c))
}

/// `true` for a character of XML 1.0's `Char` production. Rust's `char` excludes the
/// surrogates already.
pub(crate) fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}
