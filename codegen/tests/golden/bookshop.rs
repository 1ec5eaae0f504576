// ---- types.rs ----
/// The target namespace of the schema's elements.
pub const TARGET_NAMESPACE: &str = "urn:example:bookshop";

/// The prefix generated messages bind to [`TARGET_NAMESPACE`].
pub const TARGET_PREFIX: &str = "ns1";

/// A book in the catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The `isbn` element (required; xs:string).
    #[serde(rename = "isbn")]
    pub isbn: String,
    /// The `type` element (optional, may be nil; `Format`).
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::xml::serde_optional_nillable"
    )]
    pub r#type: Option<crate::xml::Nillable<Format>>,
    /// The `published` element (required, may be nil; xs:dateTime).
    #[serde(rename = "published", with = "crate::xml::date_time_serde::nillable")]
    pub published: crate::xml::Nillable<chrono::DateTime<chrono::FixedOffset>>,
    /// The `cover` element (optional; xs:base64Binary).
    #[serde(rename = "cover", default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<crate::xml::Base64Binary>,
    /// The `tag` element (repeated; xs:string).
    #[serde(rename = "tag", default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<String>,
}

/// The `ByAuthor` complex type, an extension of `Query`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByAuthor {
    /// The `author` element (required; xs:string).
    #[serde(rename = "author")]
    pub author: String,
}

/// The `ByIsbn` complex type, an extension of `Query`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByIsbn {
    /// The `isbn` element (repeated; xs:string).
    #[serde(rename = "isbn", default, skip_serializing_if = "Vec::is_empty")]
    pub isbn: Vec<String>,
}

/// The `Credentials` complex type.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The `token` element (required; xs:string).
    #[serde(rename = "token")]
    pub token: String,
}

/// The `FindBooks` complex type.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindBooks {
    /// The `query` element (required; `Query`).
    #[serde(rename = "query")]
    pub query: Query,
    /// The `limit` element (optional; xs:long).
    #[serde(rename = "limit", default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// The `Format` enumeration.
///
/// Values this version of the WSDL does not list are kept in the catch-all variant
/// instead of failing the whole message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Format {
    /// `HARDCOVER`
    Hardcover,
    /// `paper-back`
    PaperBack,
    /// A value the WSDL does not list, kept as it was received.
    Unknown(String),
}

impl Format {
    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Hardcover => "HARDCOVER",
            Self::PaperBack => "paper-back",
            Self::Unknown(value) => value,
        }
    }

    /// Parses a wire value; an unlisted value becomes the catch-all variant.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "HARDCOVER" => Self::Hardcover,
            "paper-back" => Self::PaperBack,
            other => Self::Unknown(other.to_owned()),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl crate::xml::SimpleValue for Format {
    const XSD_TYPE: &'static str = "Format (enumeration)";
    fn write_text(&self, writer: &mut crate::xml::XmlWriter) {
        writer.text(self.as_str());
    }

    fn from_xml_text(
        text: std::borrow::Cow<'_, str>,
    ) -> Result<Self, crate::xml::DecodeError> {
        Ok(Self::from_wire(text.trim()))
    }
}

impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = <std::borrow::Cow<
            'de,
            str,
        > as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Self::from_wire(&value))
    }
}

/// The `FoundBooks` complex type.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundBooks {
    /// The `book` element (repeated; `Book`).
    #[serde(rename = "book", default, skip_serializing_if = "Vec::is_empty")]
    pub book: Vec<Book>,
    /// The `complete` element (required; xs:boolean).
    #[serde(rename = "complete")]
    pub complete: bool,
}

/// The `Locale` complex type.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// The `language` element (required; xs:string).
    #[serde(rename = "language")]
    pub language: String,
}

/// A value of the `Query` type or one of its extensions; on the wire the element names the variant with `xsi:type`, and in JSON the `"xsi:type"` key does.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "xsi:type")]
pub enum Query {
    /// A value of type `ByAuthor` (`xsi:type="ByAuthor"`).
    #[serde(rename = "ByAuthor")]
    ByAuthor(ByAuthor),
    /// A value of type `ByIsbn` (`xsi:type="ByIsbn"`).
    #[serde(rename = "ByIsbn")]
    ByIsbn(ByIsbn),
}

impl crate::xml::WriteXml for Book {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        writer.simple("isbn", &self.isbn);
        if let Some(value) = &self.r#type {
            writer.nillable_simple("type", value);
        }
        writer.nillable_simple("published", &self.published);
        if let Some(value) = &self.cover {
            writer.simple("cover", value);
        }
        for value in &self.tag {
            writer.simple("tag", value);
        }
    }
}

impl crate::xml::ReadXml for Book {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut isbn: Option<String> = None;
        let mut r#type: Option<crate::xml::Nillable<Format>> = None;
        let mut published: Option<
            crate::xml::Nillable<chrono::DateTime<chrono::FixedOffset>>,
        > = None;
        let mut cover: Option<crate::xml::Base64Binary> = None;
        let mut tag: Vec<String> = Vec::new();
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"isbn" => {
                    if isbn.is_some() {
                        return Err(crate::xml::DecodeError::repeated("isbn"));
                    }
                    isbn = Some(
                        reader.read_simple(&child).map_err(|error| error.within("isbn"))?,
                    );
                }
                b"type" => {
                    if r#type.is_some() {
                        return Err(crate::xml::DecodeError::repeated("type"));
                    }
                    r#type = Some(
                        reader
                            .read_nillable_simple(&child)
                            .map_err(|error| error.within("type"))?,
                    );
                }
                b"published" => {
                    if published.is_some() {
                        return Err(crate::xml::DecodeError::repeated("published"));
                    }
                    published = Some(
                        reader
                            .read_nillable_simple(&child)
                            .map_err(|error| error.within("published"))?,
                    );
                }
                b"cover" => {
                    if cover.is_some() {
                        return Err(crate::xml::DecodeError::repeated("cover"));
                    }
                    cover = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("cover"))?,
                    );
                }
                b"tag" => {
                    tag.push(
                        reader.read_simple(&child).map_err(|error| error.within("tag"))?,
                    )
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            isbn: isbn.ok_or_else(|| crate::xml::DecodeError::missing("isbn"))?,
            r#type,
            published: published
                .ok_or_else(|| crate::xml::DecodeError::missing("published"))?,
            cover,
            tag,
        })
    }
}

impl crate::xml::WriteXml for ByAuthor {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        writer.simple("author", &self.author);
    }
}

impl crate::xml::ReadXml for ByAuthor {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut author: Option<String> = None;
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"author" => {
                    if author.is_some() {
                        return Err(crate::xml::DecodeError::repeated("author"));
                    }
                    author = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("author"))?,
                    );
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            author: author.ok_or_else(|| crate::xml::DecodeError::missing("author"))?,
        })
    }
}

impl crate::xml::WriteXml for ByIsbn {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        for value in &self.isbn {
            writer.simple("isbn", value);
        }
    }
}

impl crate::xml::ReadXml for ByIsbn {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut isbn: Vec<String> = Vec::new();
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"isbn" => {
                    isbn.push(
                        reader.read_simple(&child).map_err(|error| error.within("isbn"))?,
                    )
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self { isbn })
    }
}

impl crate::xml::WriteXml for Credentials {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        writer.simple("token", &self.token);
    }
}

impl crate::xml::ReadXml for Credentials {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut token: Option<String> = None;
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"token" => {
                    if token.is_some() {
                        return Err(crate::xml::DecodeError::repeated("token"));
                    }
                    token = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("token"))?,
                    );
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            token: token.ok_or_else(|| crate::xml::DecodeError::missing("token"))?,
        })
    }
}

impl crate::xml::WriteXml for FindBooks {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        writer.complex("query", &self.query);
        if let Some(value) = &self.limit {
            writer.simple("limit", value);
        }
    }
}

impl crate::xml::ReadXml for FindBooks {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut query: Option<Query> = None;
        let mut limit: Option<i64> = None;
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"query" => {
                    if query.is_some() {
                        return Err(crate::xml::DecodeError::repeated("query"));
                    }
                    query = Some(
                        reader
                            .read_complex(&child)
                            .map_err(|error| error.within("query"))?,
                    );
                }
                b"limit" => {
                    if limit.is_some() {
                        return Err(crate::xml::DecodeError::repeated("limit"));
                    }
                    limit = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("limit"))?,
                    );
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            query: query.ok_or_else(|| crate::xml::DecodeError::missing("query"))?,
            limit,
        })
    }
}

impl crate::xml::WriteXml for FoundBooks {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        for value in &self.book {
            writer.complex("book", value);
        }
        writer.simple("complete", &self.complete);
    }
}

impl crate::xml::ReadXml for FoundBooks {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut book: Vec<Book> = Vec::new();
        let mut complete: Option<bool> = None;
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"book" => {
                    book.push(
                        reader
                            .read_complex(&child)
                            .map_err(|error| error.within("book"))?,
                    )
                }
                b"complete" => {
                    if complete.is_some() {
                        return Err(crate::xml::DecodeError::repeated("complete"));
                    }
                    complete = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("complete"))?,
                    );
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            book,
            complete: complete
                .ok_or_else(|| crate::xml::DecodeError::missing("complete"))?,
        })
    }
}

impl crate::xml::WriteXml for Locale {
    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        writer.simple("language", &self.language);
    }
}

impl crate::xml::ReadXml for Locale {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        let mut language: Option<String> = None;
        while let Some(child) = reader.next_child_of(element)? {
            match child.local_name() {
                b"language" => {
                    if language.is_some() {
                        return Err(crate::xml::DecodeError::repeated("language"));
                    }
                    language = Some(
                        reader
                            .read_simple(&child)
                            .map_err(|error| error.within("language"))?,
                    );
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(Self {
            language: language
                .ok_or_else(|| crate::xml::DecodeError::missing("language"))?,
        })
    }
}

impl crate::xml::WriteXml for Query {
    fn write_xml(&self, writer: &mut crate::xml::XmlWriter, tag: &str) {
        match self {
            Self::ByAuthor(value) => {
                writer.start_typed(tag, "ByAuthor");
                crate::xml::WriteXml::write_children(value, writer);
                writer.end(tag);
            }
            Self::ByIsbn(value) => {
                writer.start_typed(tag, "ByIsbn");
                crate::xml::WriteXml::write_children(value, writer);
                writer.end(tag);
            }
        }
    }

    fn write_children(&self, writer: &mut crate::xml::XmlWriter) {
        match self {
            Self::ByAuthor(value) => crate::xml::WriteXml::write_children(value, writer),
            Self::ByIsbn(value) => crate::xml::WriteXml::write_children(value, writer),
        }
    }
}

impl crate::xml::ReadXml for Query {
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        match element.xsi_type() {
            Some("ByAuthor") => {
                <ByAuthor as crate::xml::ReadXml>::read_xml(reader, element)
                    .map(Self::ByAuthor)
            }
            Some("ByIsbn") => {
                <ByIsbn as crate::xml::ReadXml>::read_xml(reader, element)
                    .map(Self::ByIsbn)
            }
            other => {
                let found = other.unwrap_or_default().to_owned();
                reader.skip(element)?;
                Err(
                    crate::xml::DecodeError::new(
                        crate::xml::DecodeErrorKind::UnknownXsiType(found),
                    ),
                )
            }
        }
    }
}

// ---- port.rs ----
/// An operation of port type `BookshopPort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Finds books by author or ISBN.
    FindBooks,
}

impl Operation {
    /// Every operation, in the order of the WSDL's port type.
    pub const ALL: [Self; 1usize] = [Self::FindBooks];
    /// The operation's name in the WSDL.
    pub fn name(self) -> &'static str {
        match self {
            Self::FindBooks => "findBooks",
        }
    }

    /// The binding's `soapAction` for the operation.
    pub fn soap_action(self) -> &'static str {
        match self {
            Self::FindBooks => "urn:example:bookshop#findBooks",
        }
    }

    /// The local name of the request's body element.
    pub fn input_element(self) -> &'static str {
        match self {
            Self::FindBooks => "findBooks",
        }
    }

    /// The local name of the response's body element.
    pub fn output_element(self) -> &'static str {
        match self {
            Self::FindBooks => "foundBooks",
        }
    }

    /// The operation's `wsdl:documentation`, or an empty string when it has none.
    pub fn documentation(self) -> &'static str {
        match self {
            Self::FindBooks => "Finds books by author or ISBN.",
        }
    }

    /// Looks an operation up by its WSDL name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "findBooks" => Some(Self::FindBooks),
            _ => None,
        }
    }

    /// Looks an operation up by the local name of its request's body element.
    pub fn from_input_element(local_name: &[u8]) -> Option<Self> {
        match local_name {
            b"findBooks" => Some(Self::FindBooks),
            _ => None,
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The operations of port type `BookshopPort`, one async method each.
///
/// The generated client implements it, the sandbox server implements it, and so can a
/// test double.
pub trait BookshopPort: Send + Sync {
    /// Finds books by author or ISBN.
    ///
    /// `locale` is the optional `Locale` SOAP header.
    fn find_books(
        &self,
        request: FindBooks,
        locale: Option<Locale>,
    ) -> impl std::future::Future<Output = Result<FoundBooks, crate::Error>> + Send;
}

/// The SOAP headers of a request, as a server decodes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestHeaders {
    /// The `Credentials` header, when the request carries it.
    pub credentials: Option<Credentials>,
    /// The `Locale` header, when the request carries it.
    pub locale: Option<Locale>,
}

impl RequestHeaders {
    /// Reads one header element into its field; returns `false`, without reading,
    /// for a header this service does not define, so the caller can skip it.
    ///
    /// # Errors
    ///
    /// Returns the decoding error of a known header, and `DecodeErrorKind::Repeated`
    /// for a header that appears a second time: a server cannot know which copy
    /// the sender meant.
    pub fn read_header(
        &mut self,
        reader: &mut crate::xml::XmlReader<'_>,
        child: &crate::xml::Child<'_>,
    ) -> Result<bool, crate::xml::DecodeError> {
        match child.local_name() {
            b"Credentials" => {
                if self.credentials.is_some() {
                    return Err(crate::xml::DecodeError::repeated("Credentials"));
                }
                self.credentials = Some(
                    reader
                        .read_complex(child)
                        .map_err(|error| error.within("Credentials"))?,
                );
                Ok(true)
            }
            b"Locale" => {
                if self.locale.is_some() {
                    return Err(crate::xml::DecodeError::repeated("Locale"));
                }
                self.locale = Some(
                    reader.read_complex(child).map_err(|error| error.within("Locale"))?,
                );
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Writes every header that is present, qualified with the target prefix.
    pub fn write_headers(&self, writer: &mut crate::xml::XmlWriter) {
        if let Some(header) = &self.credentials {
            writer
                .complex(
                    &format!("{}:{}", writer.target_prefix(), "Credentials"),
                    header,
                );
        }
        if let Some(header) = &self.locale {
            writer.complex(&format!("{}:{}", writer.target_prefix(), "Locale"), header);
        }
    }
}

/// A request of any operation, as a server decodes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The body of a `findBooks` request.
    FindBooks(FindBooks),
}

/// A response of any operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// The body of a `findBooks` response.
    FindBooks(FoundBooks),
}

impl Request {
    /// The operation this request calls.
    pub fn operation(&self) -> Operation {
        match self {
            Self::FindBooks(_) => Operation::FindBooks,
        }
    }

    /// Reads the body element of `operation`'s request.
    ///
    /// # Errors
    ///
    /// Returns the decoding error, with the path to the failing element.
    pub fn read_body(
        operation: Operation,
        reader: &mut crate::xml::XmlReader<'_>,
        child: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        match operation {
            Operation::FindBooks => reader.read_complex(child).map(Self::FindBooks),
        }
            .map_err(|error| error.within(operation.input_element()))
    }

    /// Writes the body element, qualified with the target prefix.
    pub fn write_body(&self, writer: &mut crate::xml::XmlWriter) {
        let tag = format!(
            "{}:{}", writer.target_prefix(), self.operation().input_element()
        );
        match self {
            Self::FindBooks(body) => writer.complex(&tag, body),
        }
    }
}

impl Response {
    /// The operation this response answers.
    pub fn operation(&self) -> Operation {
        match self {
            Self::FindBooks(_) => Operation::FindBooks,
        }
    }

    /// Reads the body element of `operation`'s response.
    ///
    /// # Errors
    ///
    /// Returns the decoding error, with the path to the failing element.
    pub fn read_body(
        operation: Operation,
        reader: &mut crate::xml::XmlReader<'_>,
        child: &crate::xml::Child<'_>,
    ) -> Result<Self, crate::xml::DecodeError> {
        match operation {
            Operation::FindBooks => reader.read_complex(child).map(Self::FindBooks),
        }
            .map_err(|error| error.within(operation.output_element()))
    }

    /// Writes the body element, qualified with the target prefix.
    pub fn write_body(&self, writer: &mut crate::xml::XmlWriter) {
        let tag = format!(
            "{}:{}", writer.target_prefix(), self.operation().output_element()
        );
        match self {
            Self::FindBooks(body) => writer.complex(&tag, body),
        }
    }
}

#[cfg(feature = "json")]
impl Request {
    /// Builds the request of `operation` from the JSON form of its body element's
    /// content (keys are the XML element names).
    ///
    /// # Errors
    ///
    /// Returns the JSON error, which names the offending key.
    pub fn from_json(
        operation: Operation,
        params: serde_json::Value,
    ) -> Result<Self, serde_json::Error> {
        match operation {
            Operation::FindBooks => serde_json::from_value(params).map(Self::FindBooks),
        }
    }
}

#[cfg(feature = "json")]
impl Response {
    /// The JSON form of the response's body element content.
    ///
    /// # Errors
    ///
    /// Returns an error only for values JSON cannot hold (a non-finite double).
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Self::FindBooks(body) => serde_json::to_value(body),
        }
    }
}

/// Calls the method of `port` that `request` is for, passing the per-call headers it defines.
///
/// # Errors
///
/// Returns the port's error.
pub async fn dispatch<P: BookshopPort + ?Sized>(
    port: &P,
    request: Request,
    headers: RequestHeaders,
) -> Result<Response, crate::Error> {
    match request {
        Request::FindBooks(request) => {
            port.find_books(request, headers.locale).await.map(Response::FindBooks)
        }
    }
}

impl BookshopPort for crate::Client {
    async fn find_books(
        &self,
        request: FindBooks,
        locale: Option<Locale>,
    ) -> Result<FoundBooks, crate::Error> {
        let mut headers: Vec<(&'static str, &(dyn crate::xml::WriteXml + Sync))> = Vec::new();
        if let Some(header) = &locale {
            headers.push(("Locale", header));
        }
        self.invoke(Operation::FindBooks, &request, &headers).await
    }
}
