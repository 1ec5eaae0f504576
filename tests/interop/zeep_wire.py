"""Print the SOAP Body content that zeep builds for each operation fixture, without sending it.

What it proves: zeep, an independent SOAP stack, turns every params.json into a body
element from the WSDL alone. ``--compare`` checks it against the fixture's own request.xml,
so the JSON form, the request.xml vectors and zeep's reading of the WSDL agree.
``--rust-dir DIR`` checks it against ``DIR/<operation>.xml``, the body the Rust client
encodes for the same params.json (written by ``cargo run -p mktows-sandbox --example
encode_requests -- DIR``), so the generated Rust code and zeep read the WSDL the same way.
It also validates both bodies against the WSDL's XML Schema with lxml, which settles a
difference: the side whose body is invalid is the one that is wrong.

Usage:
    zeep_wire.py WSDL_PATH [OUT_DIR] [--fixtures DIR] [--compare] [--rust-dir DIR] [--only OP,OP]

Each body element is written as exclusive XML canonicalization (C14N 1.0), one file
``OUT_DIR/<operation>.xml`` per operation, or to standard output under a ``== <operation>``
line when OUT_DIR is not given. zeep binds the mktows namespace to its own prefix (``ns0``),
so a comparison must match namespaces, not prefixes, including inside ``xsi:type`` values.
Both comparisons therefore compare canonical trees (``structure``): element names as
``{namespace}local``, attributes with ``xsi:type`` resolved the same way, text without
whitespace-only runs between elements, and children in order. A difference is reported
with the path of the first element that differs and both texts.

Known zeep errors: none. For all 23 fixtures, zeep 4.3.3 writes the same body as the Rust
client and the fixtures. A case where zeep is demonstrably wrong is to be recorded here,
with the schema rule it breaks, and the check relaxed only for that element.
Exit status: 0 on success, 1 when an operation fails or differs, 2 on a usage error.
"""

import argparse
import pathlib
import sys

from lxml import etree
import zeep

import zeep_support

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def build_body_element(client, operation, raw):
    """Return the lxml element zeep puts inside soap:Body for ``raw`` params."""
    kwargs = zeep_support.operation_kwargs(client, operation, raw)
    envelope = client.create_message(client.service, operation, **kwargs)
    body = envelope.find(f"{{{zeep_support.SOAP_ENV_NS}}}Body")
    if body is None or len(body) != 1:
        raise ValueError(f"{operation}: zeep built an envelope without exactly one Body child")
    return body[0]


def canonical_bytes(element):
    """Serialize ``element`` as exclusive C14N, declaring only the namespaces it uses."""
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def structure(element):
    """Return a prefix-independent tree of (tag, attributes, text, children) for comparison.

    ``xsi:type`` values are resolved to ``{namespace}local`` so that ``ns0:X`` and ``ns1:X``
    compare equal when both prefixes name the same namespace. Whitespace-only text is dropped.
    """
    attributes = {}
    for name, value in element.attrib.items():
        if name == XSI_TYPE and ":" in value:
            prefix, local = value.split(":", 1)
            value = f"{{{element.nsmap.get(prefix)}}}{local}"
        attributes[name] = value
    text = element.text if element.text and element.text.strip() else None
    children = [structure(child) for child in element if isinstance(child.tag, str)]
    return (element.tag, tuple(sorted(attributes.items())), text, tuple(children))


def fixture_body_element(fixtures_dir, operation):
    """Return the body element of ``<fixtures_dir>/<operation>/request.xml``."""
    path = pathlib.Path(fixtures_dir) / operation / "request.xml"
    document = etree.parse(str(path), etree.XMLParser(remove_blank_text=True))
    body = document.getroot().find(f"{{{zeep_support.SOAP_ENV_NS}}}Body")
    if body is None or len(body) != 1:
        raise ValueError(f"{path}: expected a SOAP Body with exactly one child")
    return body[0]


def rust_body_element(rust_dir, operation):
    """Return the body element the Rust client encoded, from ``<rust_dir>/<operation>.xml``."""
    path = pathlib.Path(rust_dir) / f"{operation}.xml"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; write it with 'cargo run -p mktows-sandbox --example encode_requests -- {rust_dir}'"
        )
    return etree.parse(str(path), etree.XMLParser(remove_blank_text=True)).getroot()


def schema_error(schema, element):
    """Return the first XML Schema error of ``element``, or None when it is valid."""
    if schema.validate(zeep_support.detach(element)):
        return None
    return str(schema.error_log.last_error)


def first_difference(expected, actual, path="", expected_name="request.xml", actual_name="zeep"):
    """Describe the first place where two ``structure`` trees differ, or return None.

    ``expected_name`` and ``actual_name`` name the side that wrote each value.
    """
    tag_expected, attributes_expected, text_expected, children_expected = expected
    tag_actual, attributes_actual, text_actual, children_actual = actual
    location = f"{path}/{etree.QName(tag_expected).localname}"
    if tag_expected != tag_actual:
        return f"{path}: {expected_name} has element {tag_expected}, {actual_name} wrote {tag_actual}"
    if attributes_expected != attributes_actual:
        return (f"{location}: {expected_name} has attributes {dict(attributes_expected)}, "
                f"{actual_name} wrote {dict(attributes_actual)}")
    if text_expected != text_actual:
        return f"{location}: {expected_name} has text {text_expected!r}, {actual_name} wrote {text_actual!r}"
    for child_expected, child_actual in zip(children_expected, children_actual):
        difference = first_difference(child_expected, child_actual, location, expected_name, actual_name)
        if difference:
            return difference
    if len(children_expected) != len(children_actual):
        return (f"{location}: {expected_name} has {len(children_expected)} children "
                f"{[etree.QName(child[0]).localname for child in children_expected]}, "
                f"{actual_name} wrote {len(children_actual)} "
                f"{[etree.QName(child[0]).localname for child in children_actual]}")
    return None


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wsdl", help="path of the WSDL file to load; nothing is sent")
    parser.add_argument("out_dir", nargs="?", help="directory for <operation>.xml files; standard output if absent")
    parser.add_argument(
        "--fixtures",
        default=str(zeep_support.DEFAULT_FIXTURES_DIR),
        help="directory with one <operation>/params.json per operation (default: %(default)s)",
    )
    parser.add_argument("--compare", action="store_true", help="also compare each body with <operation>/request.xml")
    parser.add_argument(
        "--rust-dir",
        help="also compare each body with DIR/<operation>.xml, the body the Rust client encodes",
    )
    parser.add_argument("--only", help="comma-separated operation names to process instead of all")
    return parser.parse_args(argv)


def main(argv):
    arguments = parse_arguments(argv)
    wsdl_path = pathlib.Path(arguments.wsdl)
    if not wsdl_path.is_file():
        print(f"zeep_wire: WSDL file {wsdl_path} not found; pass the path of a WSDL file", file=sys.stderr)
        return 2
    fixtures_dir = pathlib.Path(arguments.fixtures)
    if not fixtures_dir.is_dir():
        print(f"zeep_wire: fixtures directory {fixtures_dir} not found; pass --fixtures DIR", file=sys.stderr)
        return 2

    client = zeep.Client(str(wsdl_path), transport=zeep_support.LoopbackTransport())
    schema = zeep_support.wsdl_schema(wsdl_path.read_bytes(), wsdl_path) if arguments.rust_dir else None
    operations = zeep_support.operation_names(client)
    if arguments.only:
        requested = arguments.only.split(",")
        unknown = sorted(set(requested) - set(operations))
        if unknown:
            print(f"zeep_wire: --only names operations the WSDL lacks: {', '.join(unknown)}", file=sys.stderr)
            return 2
        operations = requested

    out_dir = pathlib.Path(arguments.out_dir) if arguments.out_dir else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)

    passed = failed = 0
    for operation in operations:
        try:
            raw = zeep_support.load_params(fixtures_dir, operation)
            element = build_body_element(client, operation, raw)
            if arguments.compare:
                difference = first_difference(
                    structure(fixture_body_element(fixtures_dir, operation)), structure(element)
                )
                if difference:
                    raise AssertionError(f"body differs from request.xml at {difference}")
            if arguments.rust_dir:
                rust_element = rust_body_element(arguments.rust_dir, operation)
                invalid = [
                    f"{name}'s body is not valid against the WSDL schema: {error}"
                    for name, body in (("the Rust client", rust_element), ("zeep", element))
                    for error in [schema_error(schema, body)]
                    if error
                ]
                difference = first_difference(structure(rust_element), structure(element), expected_name="the Rust client")
                if difference or invalid:
                    details = ([f"body differs from the Rust client's at {difference}"] if difference else []) + invalid
                    raise AssertionError("; ".join(details))
        except Exception as error:  # Report every operation, then fail at the end.
            print(f"FAIL {operation}: {type(error).__name__}: {error}", file=sys.stderr)
            failed += 1
            continue

        canonical = canonical_bytes(element)
        if out_dir:
            (out_dir / f"{operation}.xml").write_bytes(canonical + b"\n")
        else:
            print(f"== {operation}")
            print(canonical.decode("utf-8"))
        passed += 1

    if arguments.compare or arguments.rust_dir or failed:
        print(f"zeep_wire: {passed} passed, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
