#!/usr/bin/env bash
# Installs what the interoperability suite needs on a fresh Debian 12 machine, as root.
#
# What it proves: nothing by itself. It gives run.sh three independent SOAP stacks to
# test the sandbox with: PHP's SoapClient (php-cli, php-soap), JAX-WS wsimport (Debian's
# jaxws, run on the JDK 17 already on the machine) and Python's zeep (pinned, from PyPI).
#
# Idempotent and quiet: a second run checks each tool and installs nothing.
# Set INTEROP_SKIP_APT=1 to skip the Debian part (for a machine where it is already done).
set -euo pipefail

ZEEP_VERSION="4.3.3"
APT_PACKAGES=(php-cli php-soap jaxws)

log() { printf 'install.sh: %s\n' "$*" >&2; }

# grep without -q reads all of php's output: an early exit would kill php with SIGPIPE,
# which pipefail reports as a failure.
have_php_soap() { command -v php >/dev/null 2>&1 && php -m 2>/dev/null | grep -x soap >/dev/null; }
have_wsimport() { command -v wsimport >/dev/null 2>&1; }
have_zeep() {
    python3 -c "import sys, zeep; sys.exit(0 if zeep.__version__ == '$ZEEP_VERSION' else 1)" 2>/dev/null
}

start=$(date +%s)

if ! command -v javac >/dev/null 2>&1; then
    log "javac not found: this suite expects a JDK (17 is tested) on PATH; install openjdk-17-jdk-headless first"
    exit 1
fi

if [[ "${INTEROP_SKIP_APT:-0}" != 1 ]] && { ! have_php_soap || ! have_wsimport; }; then
    if [[ $(id -u) != 0 ]]; then
        log "php-soap or wsimport is missing and installing them needs root; run this script as root"
        exit 1
    fi
    log "installing Debian packages: ${APT_PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_log="$(mktemp)"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"; } \
            >"$apt_log" 2>&1; then
        log "apt-get failed installing ${APT_PACKAGES[*]}; its output:"
        cat "$apt_log" >&2
        rm -f "$apt_log"
        exit 1
    fi
    rm -f "$apt_log"
fi

if ! have_zeep; then
    log "installing zeep==$ZEEP_VERSION from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        "zeep==$ZEEP_VERSION"
fi

# Check each tool the suite calls, so a broken install fails here and not halfway through run.sh.
have_php_soap || { log "PHP's soap extension is not loaded after install (php -m lists no 'soap')"; exit 1; }
have_wsimport || { log "wsimport is not on PATH after installing Debian's jaxws"; exit 1; }
have_zeep || { log "python3 cannot import zeep $ZEEP_VERSION after pip install"; exit 1; }

log "ready in $(( $(date +%s) - start )) s: $(php -r 'echo "PHP ", PHP_VERSION;'), zeep $ZEEP_VERSION, $(javac -version 2>&1)"
