#!/usr/bin/env bash
# Interop check without a server: the Rust client's request bodies against zeep's.
#
# What it proves: the generated Rust code and an independent SOAP stack read the WSDL the
# same way. For each of the 23 operation fixtures, the Rust client encodes params.json
# (sandbox/examples/encode_requests.rs, through mktows::envelope::encode_request) and zeep
# builds a body from the WSDL for the same params.json. Both must be the same canonical XML
# and valid against the WSDL's XML Schema.
#
# Usage: rust_wire.sh WSDL_PATH OUT_DIR
#   writes OUT_DIR/rust/<op>.xml (Rust) and OUT_DIR/zeep/<op>.xml (zeep), then compares them.
# Prints zeep_wire.py's "zeep_wire: N passed, N failed" line. Exits 1 when the build, the
# encoding or a comparison fails, 2 on a usage error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

log() { printf 'rust_wire.sh: %s\n' "$*" >&2; }

if [[ $# -ne 2 ]]; then
    log "usage: rust_wire.sh WSDL_PATH OUT_DIR"
    exit 2
fi
wsdl="$1"
out_dir="$2"
command -v cargo >/dev/null || { log "cargo not found; install the Rust toolchain to build the encoder"; exit 1; }

rm -rf "$out_dir/rust" "$out_dir/zeep"
mkdir -p "$out_dir"
# Builds the example on first use (a dev-dependency build of mktows-sandbox), then runs it.
(cd "$repo" && cargo run --quiet -p mktows-sandbox --example encode_requests -- "$out_dir/rust")
python3 "$here/zeep_wire.py" "$wsdl" "$out_dir/zeep" --rust-dir "$out_dir/rust"
