#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, from Debian's packages: Chromium for the browser tests
# (Microsoft.Playwright drives /usr/bin/chromium; never run "playwright install"), PostgreSQL for the
# provider-neutral and multi-instance tests (scripts/test-postgres.sh starts a throw-away cluster of it) and strace,
# which the privacy audit and its test observe the console's connection attempts with.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls -d /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || missing+=(postgresql)
command -v strace > /dev/null 2>&1 || missing+=(strace)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
echo "installing ${missing[*]} from Debian"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" > /dev/null
