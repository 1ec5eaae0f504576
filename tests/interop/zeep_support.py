"""Shared helpers for the zeep interop scripts (zeep_all_operations.py, zeep_wire.py).

Converts the operation fixtures' JSON form into zeep values, builds the signed
AuthenticationHeader and rejects endpoints that are not on a loopback address.

The JSON form (tests/fixtures/operations/README.md): keys are XML element names, an
element with maxOccurs > 1 is a JSON array, ``null`` is ``xsi:nil="true"``, and an
object whose first key is ``"xsi:type"`` names the concrete extension type of an
abstract element (``leadSelector``).
"""

import datetime
import hashlib
import hmac
import json
import pathlib
import copy
import urllib.parse

from lxml import etree
from zeep import xsd
from zeep.transports import Transport

MKTOWS_NS = "http://www.marketo.com/mktows/"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE_KEY = "xsi:type"

#: Header element names, which are never part of a params<Op> body.
HEADER_ELEMENTS = ("AuthenticationHeader", "MktowsContextHeader")

#: The workspace the syncLead fixture sends in MktowsContextHeader.
FIXTURE_TARGET_WORKSPACE = "North America"

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures" / "operations"


def detach(element):
    """Copy ``element`` into a new document that declares every namespace in scope.

    ``copy.deepcopy`` keeps only declarations made inside the subtree, which loses the prefixes
    that QName values (``type="tns:X"``, ``xsi:type="ns1:Y"``) refer to.
    """
    root = etree.Element(element.tag, attrib=dict(element.attrib), nsmap=element.nsmap)
    root.text = element.text
    for child in element:
        root.append(copy.deepcopy(child))
    return root


def wsdl_schema(wsdl_bytes, source):
    """Build an lxml XMLSchema from the one xs:schema inside a WSDL document.

    lxml validates what zeep does not enforce (minOccurs, enumerations, element order).
    ``source`` names the WSDL in the error raised when it has no single xs:schema.
    """
    document = etree.fromstring(wsdl_bytes)
    schemas = document.findall(f".//{{{XS_NS}}}schema")
    if len(schemas) != 1:
        raise ValueError(f"{source} contains {len(schemas)} xs:schema elements, expected 1")
    return etree.XMLSchema(detach(schemas[0]))


def require_loopback(url):
    """Raise ValueError unless ``url`` is plain http on a loopback host."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not (host == "localhost" or host == "::1" or host.startswith("127.")):
        raise ValueError(
            f"endpoint {url!r} is not an http URL on a loopback address; point it at the local sandbox"
        )


class LoopbackTransport(Transport):
    """A zeep Transport that sends only to loopback hosts and keeps the last HTTP response.

    The WSDL's soap:address names a Marketo host, not the sandbox, so a missing address
    override must fail here instead of sending traffic off the machine.
    """

    def __init__(self, timeout=30):
        super().__init__(timeout=timeout, operation_timeout=timeout)
        self.last_response = None

    def _load_remote_data(self, url):
        require_loopback(url)
        return super()._load_remote_data(url)

    def get(self, address, params, headers):
        require_loopback(address)
        return super().get(address, params, headers)

    def post(self, address, message, headers):
        require_loopback(address)
        self.last_response = super().post(address, message, headers)
        return self.last_response


def w3c_timestamp(moment):
    """Format an aware datetime as a W3C timestamp with a numeric offset and no fraction."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment!r} has no time zone; pass an aware datetime")
    return moment.replace(microsecond=0).isoformat()


def request_signature(secret_key, timestamp, user_id):
    """Return the lowercase hex HMAC-SHA1 of ``timestamp + user_id`` under ``secret_key``."""
    message = (timestamp + user_id).encode("utf-8")
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha1).hexdigest()


def authentication_header(client, user_id, secret_key, moment=None):
    """Build a signed AuthenticationHeader element value for ``_soapheaders``.

    ``moment`` defaults to now, in UTC+01:00 so that the offset is not zero.
    """
    if moment is None:
        moment = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=1)))
    timestamp = w3c_timestamp(moment)
    header = client.get_element(f"{{{MKTOWS_NS}}}AuthenticationHeader")
    return header(
        mktowsUserId=user_id,
        requestSignature=request_signature(secret_key, timestamp, user_id),
        requestTimestamp=timestamp,
    )


def context_header(client, workspace=FIXTURE_TARGET_WORKSPACE):
    """Build a MktowsContextHeader element value for ``_soapheaders``."""
    header = client.get_element(f"{{{MKTOWS_NS}}}MktowsContextHeader")
    return header(targetWorkspace=workspace)


def operation_names(client):
    """Return the names of the operations of the WSDL's first SOAP binding, sorted."""
    bindings = list(client.wsdl.bindings.values())
    if not bindings:
        raise ValueError("the WSDL declares no binding")
    return sorted(bindings[0]._operations)


def load_params(fixtures_dir, operation):
    """Read ``<fixtures_dir>/<operation>/params.json``."""
    path = pathlib.Path(fixtures_dir) / operation / "params.json"
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a JSON object with the children of params{operation[0].upper()}{operation[1:]}")
    return raw


def to_zeep_value(client, value):
    """Convert one JSON value of the fixture form into what zeep renders the same way.

    ``None`` becomes ``xsd.Nil``, because zeep leaves out an optional element whose value
    is ``None`` but writes ``xsi:nil="true"`` for ``Nil``. An object with an ``"xsi:type"``
    key becomes an instance of that mktows type, which zeep writes with ``xsi:type``.
    """
    if value is None:
        return xsd.Nil
    if isinstance(value, list):
        return [to_zeep_value(client, item) for item in value]
    if not isinstance(value, dict):
        return value

    fields = {key: to_zeep_value(client, item) for key, item in value.items() if key != XSI_TYPE_KEY}
    type_name = value.get(XSI_TYPE_KEY)
    if type_name is None:
        return fields
    local_name = type_name.split(":", 1)[-1]
    concrete_type = client.get_type(f"{{{MKTOWS_NS}}}{local_name}")
    return concrete_type(**fields)


def operation_kwargs(client, operation, raw):
    """Turn a params.json object into keyword arguments for ``client.service.<operation>``.

    Accepts both the children of ``params<Op>`` (the fixture form) and an object whose one
    key is ``params<Op>`` itself.
    """
    wrapper = f"params{operation[0].upper()}{operation[1:]}"
    if list(raw) == [wrapper]:
        raw = raw[wrapper] or {}
    stray_headers = [key for key in raw if key in HEADER_ELEMENTS]
    if stray_headers:
        raise ValueError(
            f"{operation}: params.json contains header element(s) {stray_headers}; "
            "it must contain only the children of the body element"
        )
    return {key: to_zeep_value(client, value) for key, value in raw.items()}
