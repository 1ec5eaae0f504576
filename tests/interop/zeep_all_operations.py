"""Interop check: Python's zeep calls every mktows operation and provokes the auth and parse faults.

What it proves: zeep 4.3, loading <endpoint>?WSDL, can call each of the WSDL's operations
with the fixture parameters and a signed AuthenticationHeader. Every response must arrive as
HTTP 200 text/xml, parse in zeep's strict mode, carry success<Op> and validate against the
WSDL's XML Schema. lxml does that validation, because zeep does not enforce minOccurs or
enumerations. The fixtures' stream positions were issued by another server, so the
operation calls leave them out, and separate checks send them to see fault 20122. The
script then sends a wrong key, a timestamp 2 hours old, a truncated body and an unknown
operation. Each must return HTTP 500 text/xml, never an HTML page, with a SOAP 1.1 fault
whose faultstring and detail/serviceException carry the documented code (20014, 20016,
20012, 20019).

Environment: MKTOWS_ENDPOINT (a loopback http URL), MKTOWS_USER_ID, MKTOWS_SECRET_KEY.
Usage: zeep_all_operations.py [--fixtures DIR] [--only OP,OP] [--skip-faults]
Prints one PASS or FAIL line per check and a closing "zeep: N passed, N failed" line.
Exit status: 0 when all checks pass, 1 when one fails, 2 on a configuration error.
"""

import argparse
import copy
import datetime
import os
import sys

from lxml import etree
import requests
import zeep
import zeep.exceptions
import zeep.plugins

import zeep_support

#: Writes first, then reads, then operations that change or delete what earlier ones created,
#: so a stateful server receives a plausible sequence. Operations not listed run last, by name.
PREFERRED_ORDER = [
    "syncLead",
    "syncMultipleLeads",
    "syncCustomObjects",
    "syncMObjects",
    "importToList",
    "getImportToListStatus",
    "getLead",
    "getMultipleLeads",
    "getLeadActivity",
    "getLeadChanges",
    "getCustomObjects",
    "getMObjects",
    "describeMObject",
    "listMObjects",
    "getCampaignsForSource",
    "getChannels",
    "getTags",
    "listOperation",
    "requestCampaign",
    "scheduleCampaign",
    "mergeLeads",
    "deleteCustomObjects",
    "deleteMObjects",
]

EXPECTED_OPERATION_COUNT = 23

#: serviceException codes the fault checks expect.
WRONG_KEY_CODE = 20014
STALE_TIMESTAMP_CODE = 20016
UNREADABLE_MESSAGE_CODE = 20012
UNKNOWN_OPERATION_CODE = 20019
BAD_STREAM_POSITION_CODE = 20122
STALE_AGE = datetime.timedelta(hours=2)


class CheckFailed(Exception):
    """A response did not have the expected form."""


class Report:
    """Collects PASS/FAIL lines and prints the closing count."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, name, check, *args, **kwargs):
        try:
            detail = check(*args, **kwargs)
        # Broad on purpose: one broken operation must not hide the results of the others.
        except Exception as error:
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            return
        self.passed += 1
        print(f"PASS {name}" + (f": {detail}" if detail else ""), flush=True)

    def close(self):
        print(f"zeep: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0


def load_schema(transport, wsdl_url):
    """Build an lxml XMLSchema from the one xs:schema inside the served WSDL."""
    try:
        return zeep_support.wsdl_schema(transport.load(wsdl_url), wsdl_url)
    except ValueError as error:
        raise CheckFailed(str(error)) from error


def without_foreign_positions(raw):
    """Return a copy of fixture params without the stream positions another server issued.

    The fixtures' ``streamPosition`` strings and any ``startPosition/offset`` were issued
    by the server the fixtures describe. A real Marketo rejects a position it did not issue
    (20122), and so does the sandbox, so sending them would test nothing but that fault,
    which the foreign-position checks test on their own. The rest of ``startPosition``
    (``oldestCreatedAt``, ``latestCreatedAt``) is a plain time bound, not an issued
    position, and stays: getLeadChanges needs it as its start.
    """
    params = copy.deepcopy(raw)
    if isinstance(params.get("streamPosition"), str):
        del params["streamPosition"]
    start = params.get("startPosition")
    if isinstance(start, dict) and isinstance(start.get("offset"), str):
        del start["offset"]
    return params


def has_foreign_position(raw):
    """Return True when the fixture params carry a position that another server issued."""
    return without_foreign_positions(raw) != raw


def require_xml_response(response, expected_status):
    """Check status and content type of an HTTP response, then return its parsed envelope."""
    content_type = response.headers.get("Content-Type", "")
    if response.status_code != expected_status:
        raise CheckFailed(f"HTTP status {response.status_code}, expected {expected_status}; body starts {response.text[:200]!r}")
    if not content_type.lower().startswith("text/xml"):
        raise CheckFailed(f"Content-Type {content_type!r}, expected text/xml; body starts {response.text[:200]!r}")
    try:
        envelope = etree.fromstring(response.content)
    except etree.XMLSyntaxError as error:
        raise CheckFailed(f"response body is not XML ({error}); body starts {response.text[:200]!r}") from error
    if envelope.tag != f"{{{zeep_support.SOAP_ENV_NS}}}Envelope":
        raise CheckFailed(f"response root is {envelope.tag}, expected a SOAP 1.1 Envelope")
    return envelope


def body_child(envelope):
    body = envelope.find(f"{{{zeep_support.SOAP_ENV_NS}}}Body")
    if body is None or len(body) != 1:
        raise CheckFailed("response has no SOAP Body with exactly one child")
    return body[0]


def check_fault(response, expected_code):
    """Check that an HTTP response is the SOAP 1.1 fault for ``expected_code``."""
    fault = body_child(require_xml_response(response, 500))
    if fault.tag != f"{{{zeep_support.SOAP_ENV_NS}}}Fault":
        raise CheckFailed(f"body contains {fault.tag}, expected SOAP-ENV:Fault")

    faultcode = (fault.findtext("faultcode") or "").strip()
    prefix, _, local = faultcode.rpartition(":")
    if local != "Client" or fault.nsmap.get(prefix or None) != zeep_support.SOAP_ENV_NS:
        raise CheckFailed(f"faultcode {faultcode!r}, expected the SOAP envelope namespace's Client")
    faultstring = fault.findtext("faultstring") or ""
    if not faultstring.startswith(f"{expected_code} - "):
        raise CheckFailed(f"faultstring {faultstring!r}, expected it to start with '{expected_code} - '")

    exception = fault.find(f"detail/{{{zeep_support.MKTOWS_NS}}}serviceException")
    if exception is None:
        raise CheckFailed("fault has no detail/serviceException in the mktows namespace")
    if exception.findtext("name") != "mktServiceException":
        raise CheckFailed(f"serviceException/name {exception.findtext('name')!r}, expected 'mktServiceException'")
    if exception.findtext("code") != str(expected_code):
        raise CheckFailed(f"serviceException/code {exception.findtext('code')!r}, expected '{expected_code}'")
    if not (exception.findtext("message") or "").strip():
        raise CheckFailed("serviceException/message is empty")
    return faultstring


class Suite:
    """The zeep client, its transport and the settings every check shares."""

    def __init__(self, endpoint, user_id, secret_key, fixtures_dir):
        self.endpoint = endpoint
        self.user_id = user_id
        self.secret_key = secret_key
        self.fixtures_dir = fixtures_dir
        self.transport = zeep_support.LoopbackTransport()
        self.history = zeep.plugins.HistoryPlugin()
        wsdl_url = endpoint + "?WSDL"
        self.client = zeep.Client(wsdl_url, transport=self.transport, plugins=[self.history])
        binding = next(iter(self.client.wsdl.bindings))
        # The served WSDL may carry another instance's address: always post to the endpoint given.
        self.service = self.client.create_service(binding, endpoint)
        self.schema = load_schema(self.transport, wsdl_url)

    def headers(self, operation, moment=None, secret_key=None):
        headers = [
            zeep_support.authentication_header(
                self.client, self.user_id, secret_key or self.secret_key, moment
            )
        ]
        if operation == "syncLead":
            headers.append(zeep_support.context_header(self.client))
        return headers

    def call_operation(self, operation):
        """Call ``operation`` with its fixture, check the response and return a short summary."""
        raw = without_foreign_positions(zeep_support.load_params(self.fixtures_dir, operation))
        kwargs = zeep_support.operation_kwargs(self.client, operation, raw)
        try:
            result = self.service[operation](_soapheaders=self.headers(operation), **kwargs)
        except zeep.exceptions.Fault as fault:
            raise CheckFailed(
                f"SOAP fault {fault.message!r}; the server must answer the fixture parameters with success"
            ) from fault

        require_xml_response(self.transport.last_response, 200)
        success = body_child(self.history.last_received["envelope"])
        expected_tag = f"{{{zeep_support.MKTOWS_NS}}}success{operation[0].upper()}{operation[1:]}"
        if success.tag != expected_tag:
            raise CheckFailed(f"body contains {success.tag}, expected {expected_tag}")
        if not self.schema.validate(zeep_support.detach(success)):
            raise CheckFailed(f"{success.tag} is not valid against the WSDL schema: {self.schema.error_log.last_error}")
        if result is None:
            raise CheckFailed("zeep returned no result object for a success response")
        return f"{etree.QName(success).localname} valid"

    def expect_zeep_fault(self, operation, expected_code, **header_options):
        """Call ``operation`` with altered headers and check that zeep and HTTP both see the fault."""
        raw = zeep_support.load_params(self.fixtures_dir, operation)
        kwargs = zeep_support.operation_kwargs(self.client, operation, raw)
        try:
            self.service[operation](_soapheaders=self.headers(operation, **header_options), **kwargs)
        except zeep.exceptions.Fault as fault:
            faultstring = check_fault(self.transport.last_response, expected_code)
            if fault.message != faultstring:
                raise CheckFailed(f"zeep parsed faultstring {fault.message!r}, the wire has {faultstring!r}")
            return faultstring
        raise CheckFailed(f"{operation} succeeded, expected SOAP fault {expected_code}")

    def expect_foreign_position_fault(self, operation):
        """Call ``operation`` with the fixture's own stream position and check fault 20122."""
        raw = zeep_support.load_params(self.fixtures_dir, operation)
        kwargs = zeep_support.operation_kwargs(self.client, operation, raw)
        try:
            self.service[operation](_soapheaders=self.headers(operation), **kwargs)
        except zeep.exceptions.Fault as fault:
            faultstring = check_fault(self.transport.last_response, BAD_STREAM_POSITION_CODE)
            if fault.message != faultstring:
                raise CheckFailed(f"zeep parsed faultstring {fault.message!r}, the wire has {faultstring!r}")
            return faultstring
        raise CheckFailed(f"{operation} accepted a stream position the server never issued, expected fault {BAD_STREAM_POSITION_CODE}")

    def post_raw(self, operation, body):
        """POST a hand-written request body, for what zeep cannot be made to send."""
        return requests.post(
            self.endpoint,
            data=body.encode("utf-8"),
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{zeep_support.MKTOWS_NS}{operation}"',
            },
            timeout=30,
        )

    def signed_envelope(self, body_xml):
        moment = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=-5)))
        timestamp = zeep_support.w3c_timestamp(moment)
        signature = zeep_support.request_signature(self.secret_key, timestamp, self.user_id)
        return (
            f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{zeep_support.SOAP_ENV_NS}" xmlns:ns1="{zeep_support.MKTOWS_NS}">'
            "<SOAP-ENV:Header><ns1:AuthenticationHeader>"
            f"<mktowsUserId>{self.user_id}</mktowsUserId>"
            f"<requestSignature>{signature}</requestSignature>"
            f"<requestTimestamp>{timestamp}</requestTimestamp>"
            "</ns1:AuthenticationHeader></SOAP-ENV:Header>"
            f"<SOAP-ENV:Body>{body_xml}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
        )

    def expect_unreadable_message_fault(self):
        truncated = self.signed_envelope("<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType>")
        truncated = truncated[: truncated.index("</SOAP-ENV:Body>")]
        return check_fault(self.post_raw("getLead", truncated), UNREADABLE_MESSAGE_CODE)

    def expect_unknown_operation_fault(self):
        envelope = self.signed_envelope("<ns1:paramsRenameLead><leadId>7</leadId></ns1:paramsRenameLead>")
        return check_fault(self.post_raw("renameLead", envelope), UNKNOWN_OPERATION_CODE)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fixtures",
        default=str(zeep_support.DEFAULT_FIXTURES_DIR),
        help="directory with one <operation>/params.json per operation (default: %(default)s)",
    )
    parser.add_argument("--only", help="comma-separated operations to call instead of all")
    parser.add_argument("--skip-faults", action="store_true",
                        help="leave out the fault checks (stream position, authentication and parse faults)")
    return parser.parse_args(argv)


def require_env(name):
    value = os.environ.get(name)
    if not value:
        print(f"zeep_all_operations: environment variable {name} is missing; set it before running", file=sys.stderr)
        sys.exit(2)
    return value


def check_operation_count(operations):
    if len(operations) != EXPECTED_OPERATION_COUNT:
        raise CheckFailed(
            f"the WSDL declares {len(operations)} operations, expected {EXPECTED_OPERATION_COUNT}: {', '.join(operations)}"
        )


def ordered(operations):
    rank = {name: index for index, name in enumerate(PREFERRED_ORDER)}
    return sorted(operations, key=lambda name: (rank.get(name, len(rank)), name))


def main(argv):
    arguments = parse_arguments(argv)
    endpoint = require_env("MKTOWS_ENDPOINT")
    try:
        zeep_support.require_loopback(endpoint)
    except ValueError as error:
        print(f"zeep_all_operations: {error}", file=sys.stderr)
        return 2

    report = Report()
    try:
        suite = Suite(endpoint, require_env("MKTOWS_USER_ID"), require_env("MKTOWS_SECRET_KEY"), arguments.fixtures)
    except (zeep.exceptions.Error, requests.RequestException, etree.LxmlError, CheckFailed) as error:
        print(f"FAIL load {endpoint}?WSDL: {type(error).__name__}: {error}", flush=True)
        report.failed += 1
        return report.close()

    operations = zeep_support.operation_names(suite.client)
    if arguments.only:
        operations = arguments.only.split(",")
    else:
        report.record("WSDL declares 23 operations", check_operation_count, operations)

    for operation in ordered(operations):
        report.record(operation, suite.call_operation, operation)

    if not arguments.skip_faults:
        for operation in ordered(operations):
            if has_foreign_position(zeep_support.load_params(arguments.fixtures, operation)):
                report.record(f"{operation} with the fixture's stream position -> {BAD_STREAM_POSITION_CODE}",
                              suite.expect_foreign_position_fault, operation)
        report.record(f"wrong secret key -> {WRONG_KEY_CODE}", suite.expect_zeep_fault, "getLead", WRONG_KEY_CODE,
                      secret_key=suite.secret_key + "-wrong")
        stale = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=-8))) - STALE_AGE
        report.record(f"timestamp 2 h old -> {STALE_TIMESTAMP_CODE}", suite.expect_zeep_fault, "getLead",
                      STALE_TIMESTAMP_CODE, moment=stale)
        report.record(f"truncated body -> {UNREADABLE_MESSAGE_CODE}", suite.expect_unreadable_message_fault)
        report.record(f"unknown operation -> {UNKNOWN_OPERATION_CODE}", suite.expect_unknown_operation_fault)

    return report.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
