//! The WSDL served at `GET <endpoint>?WSDL`: the project's mktows 2_3 WSDL with the
//! service address pointing at the sandbox instead of Marketo.

/// The project's WSDL, as the `mktows` crate generates its code from it.
pub(crate) const WSDL: &str = include_str!("../../../wsdl/mktows-2_3.wsdl");

/// Returns the WSDL with the `location` of its `soap:address` set to `endpoint`.
///
/// The WSDL has exactly one `soap:address`; if that ever changes, the text is returned
/// unchanged and the unit test below fails.
pub(crate) fn wsdl_for(endpoint: &str) -> String {
    let Some((start, end)) = address_location_span(WSDL) else {
        return WSDL.to_owned();
    };
    let mut text = String::with_capacity(WSDL.len() + endpoint.len());
    text.push_str(&WSDL[..start]);
    text.push_str(&escape_attribute(endpoint));
    text.push_str(&WSDL[end..]);
    text
}

/// Returns the byte range of the `location` value of the first `soap:address`.
fn address_location_span(wsdl: &str) -> Option<(usize, usize)> {
    let element = wsdl.find("<soap:address")?;
    let attribute = "location=\"";
    let start = element + wsdl[element..].find(attribute)? + attribute.len();
    let end = start + wsdl[start..].find('"')?;
    Some((start, end))
}

fn escape_attribute(text: &str) -> String {
    // The endpoint is built from the Host header, so it may contain anything.
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_is_replaced_once() {
        let endpoint = "http://127.0.0.1:4242/soap/mktows/2_3";

        let wsdl = wsdl_for(endpoint);

        assert!(
            wsdl.contains(&format!("<soap:address location=\"{endpoint}\"/>")),
            "address not replaced"
        );
        assert_eq!(wsdl.matches("soap:address").count(), 1);
        assert!(
            !wsdl.contains("000-AAA-000.mktoapi.com"),
            "the placeholder address is still there"
        );
    }

    #[test]
    fn rest_of_wsdl_is_unchanged() {
        let wsdl = wsdl_for("http://x/");
        let (start, end) = address_location_span(WSDL).unwrap();

        assert_eq!(&wsdl[..start], &WSDL[..start]);
        assert_eq!(&wsdl[start + "http://x/".len()..], &WSDL[end..]);
    }

    #[test]
    fn endpoint_is_escaped() {
        let wsdl = wsdl_for("http://a\"b<c>&d/");

        assert!(wsdl.contains("location=\"http://a&quot;b&lt;c&gt;&amp;d/\""));
    }
}
