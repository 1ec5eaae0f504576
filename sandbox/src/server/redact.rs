//! Redaction of secrets in envelopes that are logged at trace level.
//!
//! A `requestSignature` grants access until its timestamp leaves the window, so its
//! text is replaced. The encryption key never appears in an envelope the sandbox
//! writes, but a client may send it by mistake, so every occurrence of it is replaced
//! too.

use mktows::EncryptionKey;

/// The text that replaces a secret.
const REDACTED: &str = "<redacted>";

/// The local name of the element that carries the signature.
const SIGNATURE_ELEMENT: &str = "requestSignature";

/// Returns `envelope` with the content of every `requestSignature` element and every
/// occurrence of `key` replaced by `<redacted>`.
///
/// NOTE: The key is matched as written, so a key that contains XML special characters
/// and arrives escaped (`&amp;` for `&`) is not found. A short key may also match
/// unrelated text, which is then redacted too.
pub(crate) fn redact_envelope(envelope: &str, key: &EncryptionKey) -> String {
    let redacted = redact_signatures(envelope);
    let key = key.expose_secret();
    if key.is_empty() {
        return redacted;
    }
    redacted.replace(key, REDACTED)
}

/// Returns `envelope` with the content of every `requestSignature` element, with any
/// namespace prefix and in any letter case, replaced by `<redacted>`. The scan works on
/// text, so it also redacts envelopes that do not parse. An element or start tag that
/// is never closed is redacted up to the end of the text.
fn redact_signatures(envelope: &str) -> String {
    let mut output = String::with_capacity(envelope.len());
    let mut rest = envelope;
    while let Some(content_start) = find_signature_content(rest) {
        output.push_str(&rest[..content_start]);
        output.push_str(REDACTED);
        let content = &rest[content_start..];
        match find_signature_end_tag(content) {
            Some(end_tag) => rest = &content[end_tag..],
            None => return output,
        }
    }
    output.push_str(rest);
    output
}

/// Returns the byte offset just after the first `requestSignature` start tag that is
/// not self-closing.
fn find_signature_content(text: &str) -> Option<usize> {
    let mut search_from = 0;
    while let Some(offset) = text[search_from..].find('<') {
        let name_start = search_from + offset + 1;
        let name_end = tag_name_end(text, name_start);
        if is_signature_name(&text[name_start..name_end]) {
            // A start tag without its closing `>` runs to the end of the text, and its
            // attributes may hold the signature, so all of it is redacted.
            let Some(tag_end) = end_of_tag(text, name_end) else {
                return Some(name_end);
            };
            if !text[..tag_end].ends_with("/>") {
                return Some(tag_end);
            }
        }
        // The scan goes on from the next `<` rather than the end of this tag, so a quote
        // in a comment or a malformed tag cannot make it skip a signature.
        search_from = name_start;
    }
    None
}

/// Returns the byte offset of the first `requestSignature` end tag.
fn find_signature_end_tag(text: &str) -> Option<usize> {
    let mut search_from = 0;
    while let Some(offset) = text[search_from..].find("</") {
        let tag_start = search_from + offset;
        let name_start = tag_start + 2;
        if is_signature_name(&text[name_start..tag_name_end(text, name_start)]) {
            return Some(tag_start);
        }
        search_from = name_start;
    }
    None
}

/// Returns the byte offset where the tag name that starts at `name_start` ends.
fn tag_name_end(text: &str, name_start: usize) -> usize {
    text[name_start..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .map_or(text.len(), |length| name_start + length)
}

/// Returns the byte offset just after the `>` that closes the tag whose attributes start
/// at `from`, skipping a `>` inside a quoted attribute value.
fn end_of_tag(text: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, c) in text[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '>') => return Some(from + offset + 1),
            _ => {}
        }
    }
    None
}

/// Returns true for `requestSignature` with or without a namespace prefix.
fn is_signature_name(name: &str) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    local.eq_ignore_ascii_case(SIGNATURE_ELEMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNATURE: &str = "0123456789abcdef0123456789abcdef01234567";

    fn key() -> EncryptionKey {
        EncryptionKey::new("redact-test-key")
    }

    #[test]
    fn signature_element_is_redacted() {
        let cases = [
            format!("<requestSignature>{SIGNATURE}</requestSignature>"),
            format!("<ns1:requestSignature>{SIGNATURE}</ns1:requestSignature>"),
            format!("<requestSignature xsi:type=\"xsd:string\">{SIGNATURE}</requestSignature >"),
            format!("<requestSignature a=\"x>y\">{SIGNATURE}</requestSignature>"),
            format!("<RequestSignature>{SIGNATURE}</RequestSignature>"),
            format!("<requestSignature><![CDATA[{SIGNATURE}]]></requestSignature>"),
        ];

        for case in cases {
            let redacted = redact_envelope(&case, &key());

            assert!(!redacted.contains(SIGNATURE), "{case} became {redacted}");
            assert!(redacted.contains("<redacted>"), "{case} became {redacted}");
        }
    }

    #[test]
    fn other_elements_are_kept() {
        let envelope = format!(
            "<h><mktowsUserId>user_1</mktowsUserId><requestSignature>{SIGNATURE}</requestSignature><requestTimestamp>2026-03-02T09:15:30+00:00</requestTimestamp></h>"
        );

        let redacted = redact_envelope(&envelope, &key());

        assert_eq!(
            redacted,
            "<h><mktowsUserId>user_1</mktowsUserId><requestSignature><redacted></requestSignature><requestTimestamp>2026-03-02T09:15:30+00:00</requestTimestamp></h>"
        );
    }

    #[test]
    fn every_signature_is_redacted() {
        let envelope = format!(
            "<requestSignature>{SIGNATURE}</requestSignature><requestSignature>{SIGNATURE}</requestSignature>"
        );

        let redacted = redact_envelope(&envelope, &key());

        assert_eq!(redacted.matches("<redacted>").count(), 2, "{redacted}");
        assert!(!redacted.contains(SIGNATURE), "{redacted}");
    }

    #[test]
    fn unclosed_signature_is_redacted_to_end() {
        let unclosed_element = format!("<a><requestSignature>{SIGNATURE}");
        let unclosed_tag = format!("<a><requestSignature x=\"{SIGNATURE}");

        assert_eq!(
            redact_envelope(&unclosed_element, &key()),
            "<a><requestSignature><redacted>"
        );
        assert_eq!(
            redact_envelope(&unclosed_tag, &key()),
            "<a><requestSignature<redacted>"
        );
    }

    #[test]
    fn quote_in_comment_does_not_hide_signature() {
        let envelope =
            format!("<!-- it's --><requestSignature>{SIGNATURE}</requestSignature><x a='1'/>");

        let redacted = redact_envelope(&envelope, &key());

        assert!(!redacted.contains(SIGNATURE), "{redacted}");
    }

    #[test]
    fn self_closing_signature_is_kept() {
        let envelope = "<requestSignature/><requestTimestamp>t</requestTimestamp>";

        assert_eq!(redact_envelope(envelope, &key()), envelope);
    }

    #[test]
    fn key_is_redacted_anywhere() {
        let envelope = "<attrValue>redact-test-key</attrValue><x a=\"redact-test-key\"/>";

        let redacted = redact_envelope(envelope, &key());

        assert_eq!(
            redacted,
            "<attrValue><redacted></attrValue><x a=\"<redacted>\"/>"
        );
    }
}
