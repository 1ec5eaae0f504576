use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::Reader;

use super::is_xml_char;
use super::{DecodeError, DecodeErrorKind, Nillable, ReadXml, SimpleValue, XSI_NAMESPACE};

/// A pull reader over a complete message, resolving namespace prefixes as it goes.
///
/// Elements are matched by local name: the schema this crate is generated from has no
/// `elementFormDefault`, so local elements are unqualified, and senders differ in the
/// prefixes they bind. Comments, processing instructions and whitespace between elements
/// are skipped.
///
/// Namespace declarations are tracked here rather than with quick-xml's `NsReader`: messages
/// declare their prefixes on a handful of elements, so only elements with attributes are
/// scanned, which keeps the common attribute-less element as cheap as a plain read.
///
/// NOTE: well-formedness is checked as far as quick-xml and this reader go, which is not
/// all of XML 1.0: `]]>` in text, `--` in comments, invalid name characters, missing space
/// between attributes, a malformed XML declaration and undeclared prefixes pass.
pub struct XmlReader<'i> {
    inner: Reader<&'i [u8]>,
    input: &'i [u8],
    /// Namespace declarations in scope: (element depth, prefix, namespace URI).
    bindings: Vec<(u32, Vec<u8>, Vec<u8>)>,
    /// Depth of the element whose content is being read.
    depth: u32,
    /// An empty element was just returned; its scope closes before the next read.
    close_empty: bool,
    /// Refuse character references to characters XML 1.0 does not allow (see
    /// [`XmlReader::strict`]).
    strict_characters: bool,
}

/// An element whose start tag has just been read, with the `xsi:` attributes already looked up.
#[derive(Debug)]
pub struct Child<'i> {
    start: BytesStart<'i>,
    is_empty: bool,
    is_nil: bool,
    xsi_type: Option<String>,
    offset: usize,
}

impl<'i> Child<'i> {
    /// The element's local name, without prefix.
    #[inline]
    pub fn local_name(&self) -> &[u8] {
        let name = self.start.name().into_inner();
        // Element names are a few bytes long, too short for the setup of quick-xml's
        // `memchr` to pay off, so a plain loop finds the colon.
        match name.iter().position(|&byte| byte == b':') {
            Some(colon) => &name[colon + 1..],
            None => name,
        }
    }

    /// The element's local name as text, for error messages.
    pub fn name_lossy(&self) -> String {
        String::from_utf8_lossy(self.local_name()).into_owned()
    }

    /// `true` for `<name/>`, which has no end tag to read.
    pub fn is_empty(&self) -> bool {
        self.is_empty
    }

    /// `true` when the element carries `xsi:nil="true"` (or `"1"`).
    pub fn is_nil(&self) -> bool {
        self.is_nil
    }

    /// The local part of the `xsi:type` attribute's value, whatever prefix the sender used.
    pub fn xsi_type(&self) -> Option<&str> {
        self.xsi_type.as_deref()
    }

    /// Byte offset of the start tag in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'i> XmlReader<'i> {
    /// Creates a reader over a complete document.
    pub fn new(input: &'i [u8]) -> Self {
        let mut inner = Reader::from_reader(input);
        let config = inner.config_mut();
        // End tags are checked against their start tags here, which is cheaper than
        // quick-xml's own check because the reader already holds the start tag.
        config.check_end_names = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Self {
            inner,
            input,
            bindings: Vec::new(),
            depth: 0,
            close_empty: false,
            strict_characters: false,
        }
    }

    /// Creates a reader that also refuses what XML 1.0 does not allow but a lenient reader
    /// lets through: a character reference such as `&#1;` to a character outside XML's
    /// `Char` production.
    ///
    /// A server reads requests this way, so that such a character never reaches its data.
    /// Raw control characters are not checked here: the caller checks the whole input
    /// once, as [`decode_request`](crate::envelope::decode_request) does.
    pub fn strict(input: &'i [u8]) -> Self {
        Self {
            strict_characters: true,
            ..Self::new(input)
        }
    }

    /// Reads the next event, keeping the namespace scopes in step with the element depth.
    #[inline]
    fn read_event(&mut self) -> Result<Event<'i>, DecodeError> {
        if self.close_empty {
            self.close_empty = false;
            self.close_scope();
        }
        let event = self.inner.read_event()?;
        if let Event::End(_) = event {
            self.close_scope();
        }
        Ok(event)
    }

    /// Records the namespace declarations among `start`'s attributes, in the scope of the
    /// element at the current depth.
    fn bind_namespaces(&mut self, start: &BytesStart<'_>) -> Result<(), DecodeError> {
        for attribute in checked_attributes(start)? {
            let attribute = attribute.map_err(quick_xml::Error::from)?;
            let key = attribute.key.as_ref();
            let prefix = if key == b"xmlns" {
                Some(&b""[..])
            } else {
                key.strip_prefix(b"xmlns:")
            };
            if let Some(prefix) = prefix {
                self.bindings
                    .push((self.depth, prefix.to_vec(), attribute.value.into_owned()));
            }
        }
        Ok(())
    }

    fn close_scope(&mut self) {
        while self
            .bindings
            .last()
            .is_some_and(|(depth, _, _)| *depth >= self.depth)
        {
            self.bindings.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// The namespace URI bound to `prefix` (empty for the default namespace) in the current scope.
    fn resolve_prefix(&self, prefix: &[u8]) -> Option<&[u8]> {
        self.bindings
            .iter()
            .rev()
            .find(|(_, bound, _)| bound == prefix)
            .map(|(_, _, namespace)| namespace.as_slice())
            .filter(|namespace| !namespace.is_empty())
    }

    /// Byte offset just after the last event read.
    pub fn position(&self) -> usize {
        usize::try_from(self.inner.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The input between two offsets, such as a whole element for logging.
    pub fn slice(&self, from: usize, to: usize) -> &'i [u8] {
        &self.input[from.min(self.input.len())..to.min(self.input.len())]
    }

    /// Reads the document's root element.
    ///
    /// # Errors
    ///
    /// Returns an error when the input is not XML or has no root element.
    pub fn root(&mut self) -> Result<Child<'i>, DecodeError> {
        let malformed = |reason: &str| DecodeError::new(DecodeErrorKind::Malformed(reason.into()));
        let mut first = true;
        loop {
            let offset = self.position();
            match self.read_event()? {
                Event::Start(start) => return self.child(start, false, offset),
                Event::Empty(start) => {
                    self.close_empty = true;
                    return self.child(start, true, offset);
                }
                Event::Decl(_) if !first => {
                    return Err(malformed(
                        "the XML declaration is not at the very start of the document",
                    ))
                }
                Event::DocType(_) => return Err(malformed(
                    "the document has a document type declaration (DTD), which SOAP does not allow",
                )),
                Event::Text(text) if !is_blank(&text) => return Err(malformed(TEXT_BEFORE_ROOT)),
                Event::CData(_) | Event::GeneralRef(_) => return Err(malformed(TEXT_BEFORE_ROOT)),
                Event::End(_) => return Err(malformed("an end tag comes before the root element")),
                Event::Eof => {
                    return Err(malformed(
                        "the document is empty or contains no XML element",
                    ))
                }
                Event::Decl(_) | Event::Text(_) | Event::Comment(_) | Event::PI(_) => {}
            }
            first = false;
        }
    }

    /// Reads the next child element of `parent`, or `None` once `parent`'s end tag is read.
    ///
    /// # Errors
    ///
    /// Returns an error for malformed XML or a document that ends inside `parent`.
    #[inline]
    pub fn next_child_of(&mut self, parent: &Child<'_>) -> Result<Option<Child<'i>>, DecodeError> {
        if parent.is_empty {
            return Ok(None);
        }
        self.next_child(Some(parent.start.name().into_inner()))
    }

    #[inline]
    fn next_child(&mut self, parent: Option<&[u8]>) -> Result<Option<Child<'i>>, DecodeError> {
        loop {
            let offset = self.position();
            match self.read_event()? {
                Event::Start(start) => return self.child(start, false, offset).map(Some),
                Event::Empty(start) => {
                    self.close_empty = true;
                    return self.child(start, true, offset).map(Some);
                }
                Event::End(end) => {
                    check_end_name(end.name().into_inner(), parent)?;
                    return Ok(None);
                }
                Event::Eof => return Err(DecodeError::new(DecodeErrorKind::UnexpectedEof)),
                // A reference between elements is not content the schema allows, but it
                // must still name a known entity or an allowed character.
                Event::GeneralRef(reference) => self.check_reference(&reference)?,
                _ => {}
            }
        }
    }

    /// Checks a reference that is not part of a value; out of line, because it is rare
    /// and would otherwise weigh on the per-element loop.
    #[cold]
    #[inline(never)]
    fn check_reference(&self, reference: &BytesRef<'_>) -> Result<(), DecodeError> {
        self.resolve_reference(reference).map(|_| ())
    }

    #[inline]
    fn child(
        &mut self,
        start: BytesStart<'i>,
        is_empty: bool,
        offset: usize,
    ) -> Result<Child<'i>, DecodeError> {
        self.depth += 1;
        let mut child = Child {
            start,
            is_empty,
            is_nil: false,
            xsi_type: None,
            offset,
        };
        // Most elements have no attributes, and keeping the attribute loop out of line lets
        // this function be inlined into the per-element loop.
        if has_attributes(&child.start) {
            self.read_attributes(&mut child)?;
        }
        Ok(child)
    }

    /// Binds the namespaces that `child` declares, then looks up its `xsi:nil` and
    /// `xsi:type` attributes, which may use a prefix declared on `child` itself.
    #[inline(never)]
    fn read_attributes(&mut self, child: &mut Child<'i>) -> Result<(), DecodeError> {
        self.bind_namespaces(&child.start)?;
        for attribute in checked_attributes(&child.start)? {
            let attribute = attribute.map_err(quick_xml::Error::from)?;
            let value = self.attribute_value(&attribute.value)?;
            let Some((prefix, local)) = attribute.key.as_ref().split_once_byte(b':') else {
                continue;
            };
            if prefix == b"xmlns" || self.resolve_prefix(prefix) != Some(XSI_NAMESPACE.as_bytes()) {
                continue;
            }
            match local {
                b"nil" => child.is_nil = matches!(value.trim(), "true" | "1"),
                b"type" => {
                    let value = value.trim();
                    let local_part = value.rsplit_once(':').map_or(value, |(_, local)| local);
                    child.xsi_type = Some(local_part.to_owned());
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks and unescapes an attribute's value: UTF-8, no `<`, known entities only, and
    /// (for a strict reader) only characters XML 1.0 allows.
    fn attribute_value<'v>(&self, raw: &'v [u8]) -> Result<Cow<'v, str>, DecodeError> {
        let malformed = |reason: String| DecodeError::new(DecodeErrorKind::Malformed(reason));
        let text = std::str::from_utf8(raw)
            .map_err(|_| malformed("an attribute value is not UTF-8".into()))?;
        if text.contains('<') {
            return Err(malformed(format!(
                "the attribute value {text:?} contains `<`, which XML does not allow there"
            )));
        }
        let value =
            quick_xml::escape::unescape(text).map_err(|error| malformed(error.to_string()))?;
        if self.strict_characters {
            if let Some((_, character)) = super::locate_invalid_character(&value) {
                return Err(malformed(format!(
                    "an attribute value contains U+{:04X}, which XML 1.0 does not allow",
                    u32::from(character)
                )));
            }
        }
        Ok(value)
    }

    /// The namespace URI bound to the element's prefix (or the default namespace).
    ///
    /// Valid only right after `child` was read, before reading further.
    pub fn namespace_of(&self, child: &Child<'_>) -> Option<&[u8]> {
        let prefix = child
            .start
            .name()
            .prefix()
            .map_or(&b""[..], |prefix| prefix.into_inner());
        self.resolve_prefix(prefix)
    }

    /// Skips `child` and everything inside it; used for elements the schema does not know.
    ///
    /// # Errors
    ///
    /// Returns an error for malformed XML or a truncated document.
    pub fn skip(&mut self, child: &Child<'_>) -> Result<(), DecodeError> {
        if child.is_empty {
            return Ok(());
        }
        // quick-xml's end-name check is off (see `new`), so the nesting inside a skipped
        // element is checked here: a mismatched tag in an unknown element is still
        // malformed XML.
        // Its attributes, references and text are checked as if they were read, so that a
        // malformed part of a message is refused wherever it sits.
        let mut open: Vec<BytesStart<'i>> = Vec::new();
        loop {
            match self.inner.read_event() {
                Ok(Event::Start(start)) => {
                    self.check_skipped_attributes(&start)?;
                    open.push(start);
                }
                Ok(Event::Empty(start)) => self.check_skipped_attributes(&start)?,
                Ok(Event::GeneralRef(reference)) => {
                    self.resolve_reference(&reference)?;
                }
                Ok(Event::Text(text)) => check_utf8(&text)?,
                Ok(Event::CData(text)) => check_utf8(&text)?,
                Ok(Event::End(end)) => match open.pop() {
                    Some(start) => {
                        check_end_name(end.name().into_inner(), Some(start.name().into_inner()))?
                    }
                    None => {
                        check_end_name(
                            end.name().into_inner(),
                            Some(child.start.name().into_inner()),
                        )?;
                        self.close_scope();
                        return Ok(());
                    }
                },
                Ok(Event::Eof) | Err(quick_xml::Error::Syntax(_)) => {
                    return Err(DecodeError::new(DecodeErrorKind::UnexpectedEof))
                }
                Ok(_) => {}
                Err(error) => return Err(error.into()),
            }
        }
    }

    fn check_skipped_attributes(&self, start: &BytesStart<'_>) -> Result<(), DecodeError> {
        if has_attributes(start) {
            for attribute in checked_attributes(start)? {
                let attribute = attribute.map_err(quick_xml::Error::from)?;
                self.attribute_value(&attribute.value)?;
            }
        }
        Ok(())
    }

    /// Checks that nothing but whitespace, comments and processing instructions follows
    /// the root element, once the root's end tag has been read.
    ///
    /// # Errors
    ///
    /// Returns [`DecodeErrorKind::Malformed`] for an element, text or a stray end tag
    /// after the root element.
    pub fn finish_document(&mut self) -> Result<(), DecodeError> {
        loop {
            let found = match self.inner.read_event()? {
                Event::Eof => return Ok(()),
                Event::Text(text) if is_blank(&text) => continue,
                Event::Comment(_) | Event::PI(_) => continue,
                Event::Start(_) | Event::Empty(_) => "another element",
                Event::End(_) => "an end tag without a start tag",
                _ => "text",
            };
            return Err(DecodeError::new(DecodeErrorKind::Malformed(format!(
                "{found} follows the root element"
            ))));
        }
    }

    /// Reads the text content of `child` (text, character references and CDATA sections),
    /// consuming its end tag.
    ///
    /// # Errors
    ///
    /// Returns an error when the element contains child elements or the XML is malformed.
    #[inline]
    pub fn read_text(&mut self, child: &Child<'_>) -> Result<Cow<'i, str>, DecodeError> {
        if child.is_empty {
            return Ok(Cow::Borrowed(""));
        }
        // Most values are one text event (or none) before the end tag. That case is read
        // here and returns the text without copying it. Anything else goes to
        // `read_text_pieces`.
        let first = match self.read_event()? {
            Event::Text(event) => self.decode_text(event)?,
            Event::End(end) => {
                check_end_name(
                    end.name().into_inner(),
                    Some(child.start.name().into_inner()),
                )?;
                return Ok(Cow::Borrowed(""));
            }
            other => return self.read_text_pieces(child, String::new(), other),
        };
        match self.read_event()? {
            Event::End(end) => {
                check_end_name(
                    end.name().into_inner(),
                    Some(child.start.name().into_inner()),
                )?;
                Ok(first)
            }
            other => self.read_text_pieces(child, first.into_owned(), other),
        }
    }

    /// Reads the rest of `child`'s text after `text`, starting with `event`, and consumes
    /// the end tag.
    #[inline(never)]
    fn read_text_pieces(
        &mut self,
        child: &Child<'_>,
        mut text: String,
        mut event: Event<'i>,
    ) -> Result<Cow<'i, str>, DecodeError> {
        loop {
            match event {
                Event::Text(event) => text.push_str(&self.decode_text(event)?),
                Event::CData(event) => {
                    text.push_str(&event.xml10_content().map_err(quick_xml::Error::from)?)
                }
                Event::GeneralRef(reference) => {
                    text.push_str(&self.resolve_reference(&reference)?);
                }
                Event::End(end) => {
                    check_end_name(
                        end.name().into_inner(),
                        Some(child.start.name().into_inner()),
                    )?;
                    return Ok(Cow::Owned(text));
                }
                Event::Eof => return Err(DecodeError::new(DecodeErrorKind::UnexpectedEof)),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(DecodeError::new(DecodeErrorKind::Malformed(
                        "an element was found inside a simple value".into(),
                    )))
                }
                _ => {}
            }
            event = self.read_event()?;
        }
    }

    /// Decodes a text event and normalizes its line ends as XML 1.0 requires, with the same
    /// result as [`BytesText::xml10_content`].
    ///
    /// Only text that contains a carriage return goes through `xml10_content`, because on
    /// the short texts of typical messages quick-xml's `memchr` search for `\r` costs more
    /// than this check.
    #[inline]
    fn decode_text(&self, event: BytesText<'i>) -> Result<Cow<'i, str>, DecodeError> {
        let decoded = match &*event {
            raw if raw.contains(&b'\r') => event.xml10_content(),
            _ => match event.into_inner() {
                Cow::Borrowed(raw) => self.inner.decoder().decode(raw),
                Cow::Owned(raw) => self
                    .inner
                    .decoder()
                    .decode(&raw)
                    .map(|text| Cow::Owned(text.into_owned())),
            },
        };
        decoded.map_err(|error| quick_xml::Error::from(error).into())
    }

    /// Resolves a character reference or one of the predefined entities.
    fn resolve_reference(&self, reference: &BytesRef<'_>) -> Result<Cow<'i, str>, DecodeError> {
        let name = reference.decode().map_err(quick_xml::Error::from)?;
        let resolved = match reference.resolve_char_ref()? {
            Some(character) if self.strict_characters && !is_xml_char(character) => {
                return Err(DecodeError::new(DecodeErrorKind::Malformed(format!(
                    "the character reference &{name}; stands for U+{:04X}, which XML 1.0 does not allow",
                    u32::from(character)
                ))));
            }
            Some(character) => character.to_string(),
            None => quick_xml::escape::resolve_predefined_entity(&name)
                .ok_or_else(|| {
                    DecodeError::new(DecodeErrorKind::Malformed(format!(
                        "unknown entity &{name};"
                    )))
                })?
                .to_owned(),
        };
        Ok(Cow::Owned(resolved))
    }

    /// Reads a simple value from a non-nillable element.
    ///
    /// # Errors
    ///
    /// Returns an error for `xsi:nil`, an invalid value or malformed XML.
    #[inline]
    pub fn read_simple<T: SimpleValue>(&mut self, child: &Child<'_>) -> Result<T, DecodeError> {
        if child.is_nil {
            self.skip(child)?;
            return Err(DecodeError::new(DecodeErrorKind::NilNotAllowed));
        }
        let text = self.read_text(child)?;
        T::from_xml_text(text)
    }

    /// Reads a simple value from a nillable element.
    ///
    /// # Errors
    ///
    /// Returns an error for an invalid value or malformed XML.
    #[inline]
    pub fn read_nillable_simple<T: SimpleValue>(
        &mut self,
        child: &Child<'_>,
    ) -> Result<Nillable<T>, DecodeError> {
        if child.is_nil {
            self.skip(child)?;
            return Ok(Nillable::Nil);
        }
        let text = self.read_text(child)?;
        T::from_xml_text(text).map(Nillable::Value)
    }

    /// Reads a complex value from a non-nillable element.
    ///
    /// # Errors
    ///
    /// Returns the first decoding error inside the element.
    #[inline]
    pub fn read_complex<T: ReadXml>(&mut self, child: &Child<'_>) -> Result<T, DecodeError> {
        if child.is_nil {
            self.skip(child)?;
            return Err(DecodeError::new(DecodeErrorKind::NilNotAllowed));
        }
        T::read_xml(self, child)
    }

    /// Reads a complex value from a nillable element.
    ///
    /// # Errors
    ///
    /// Returns the first decoding error inside the element.
    #[inline]
    pub fn read_nillable_complex<T: ReadXml>(
        &mut self,
        child: &Child<'_>,
    ) -> Result<Nillable<T>, DecodeError> {
        if child.is_nil {
            self.skip(child)?;
            return Ok(Nillable::Nil);
        }
        T::read_xml(self, child).map(Nillable::Value)
    }
}

#[inline]
fn check_end_name(end: &[u8], start: Option<&[u8]>) -> Result<(), DecodeError> {
    if start == Some(end) {
        Ok(())
    } else {
        Err(end_name_mismatch(end, start))
    }
}

#[cold]
fn end_name_mismatch(end: &[u8], start: Option<&[u8]>) -> DecodeError {
    let start = start.map_or_else(
        || "no open element".to_owned(),
        |name| format!("<{}>", String::from_utf8_lossy(name)),
    );
    DecodeError::new(DecodeErrorKind::Malformed(format!(
        "end tag </{}> does not close {start}",
        String::from_utf8_lossy(end)
    )))
}

/// The most attributes (namespace declarations included) one element may carry.
///
/// SOAP messages put a handful on an element. quick-xml's duplicate check compares each
/// attribute with every earlier one, so an element with tens of thousands of attributes
/// would take seconds to read; such an element is rejected instead.
pub const MAX_ATTRIBUTES_PER_ELEMENT: usize = 256;

const TEXT_BEFORE_ROOT: &str =
    "text comes before the root element, or the document contains no XML element at all";

/// True for text of XML white space only (a UTF-8 byte order mark at the start of the
/// document included).
fn is_blank(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    text.iter().all(u8::is_ascii_whitespace)
}

fn check_utf8(text: &[u8]) -> Result<(), DecodeError> {
    std::str::from_utf8(text).map(|_| ()).map_err(|_| {
        DecodeError::new(DecodeErrorKind::Malformed(
            "the text of an element is not UTF-8".into(),
        ))
    })
}

fn checked_attributes<'a>(
    start: &'a BytesStart<'_>,
) -> Result<quick_xml::events::attributes::Attributes<'a>, DecodeError> {
    let raw = start.attributes_raw();
    // Every attribute has exactly one `=` outside its quoted value, so counting `=` bounds
    // the number of attributes from above without parsing them.
    if memchr_count(b'=', raw) > MAX_ATTRIBUTES_PER_ELEMENT
        && count_attributes(start) > MAX_ATTRIBUTES_PER_ELEMENT
    {
        return Err(DecodeError::new(DecodeErrorKind::Malformed(format!(
            "element <{}> has more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes",
            String::from_utf8_lossy(start.name().into_inner())
        ))));
    }
    Ok(start.attributes())
}

fn memchr_count(byte: u8, haystack: &[u8]) -> usize {
    haystack.iter().filter(|&&b| b == byte).count()
}

/// Counts attributes without quick-xml's quadratic duplicate check.
fn count_attributes(start: &BytesStart<'_>) -> usize {
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    attributes.take(MAX_ATTRIBUTES_PER_ELEMENT + 1).count()
}

fn has_attributes(start: &BytesStart<'_>) -> bool {
    !start.attributes_raw().iter().all(u8::is_ascii_whitespace)
}

trait SplitOnceByte {
    fn split_once_byte(&self, byte: u8) -> Option<(&[u8], &[u8])>;
}

impl SplitOnceByte for [u8] {
    fn split_once_byte(&self, byte: u8) -> Option<(&[u8], &[u8])> {
        let index = self.iter().position(|&b| b == byte)?;
        Some((&self[..index], &self[index + 1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the text of the root element of `document`.
    fn root_text(document: &str) -> Result<String, DecodeError> {
        let mut reader = XmlReader::new(document.as_bytes());
        let root = reader.root()?;
        reader.read_text(&root).map(Cow::into_owned)
    }

    #[test]
    fn text_line_ends_are_normalized() {
        assert_eq!(root_text("<a>x\r\ny\rz\n</a>").unwrap(), "x\ny\nz\n");
    }

    #[test]
    fn cdata_line_ends_are_normalized() {
        assert_eq!(root_text("<a><![CDATA[x\r\ny]]></a>").unwrap(), "x\ny");
    }

    #[test]
    fn text_pieces_are_joined() {
        let text = root_text("<a>1&lt;2<!-- note -->&#x41;<![CDATA[&amp;]]>\r</a>").unwrap();
        assert_eq!(text, "1<2A&amp;\n");
    }

    #[test]
    fn text_of_empty_elements() {
        assert_eq!(root_text("<a/>").unwrap(), "");
        assert_eq!(root_text("<a></a>").unwrap(), "");
        assert_eq!(root_text("<a><!-- only a comment --></a>").unwrap(), "");
    }

    #[test]
    fn text_end_tag_must_match() {
        let error = root_text("<a>x</b>").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("end tag </b> does not close <a>"),
            "{error}"
        );
    }

    #[test]
    fn local_name_drops_prefix() {
        let mut reader = XmlReader::new(b"<p:name xmlns:p=\"urn:x\"><plain/></p:name>");
        let root = reader.root().unwrap();
        assert_eq!(root.local_name(), b"name");
        assert_eq!(reader.namespace_of(&root), Some(&b"urn:x"[..]));
        let child = reader.next_child_of(&root).unwrap().unwrap();
        assert_eq!(child.local_name(), b"plain");
    }
}
