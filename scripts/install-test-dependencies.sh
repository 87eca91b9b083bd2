#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, from Debian's packages: Chromium for the browser tests
# (Microsoft.Playwright drives /usr/bin/chromium; never run "playwright install"), PostgreSQL for the
# provider-neutral and multi-instance tests (scripts/test-postgres.sh starts a throw-away cluster of it), strace,
# which the privacy audit and its test observe the console's connection attempts with, and Dovecot's IMAP server and
# aiosmtpd for the email channel's tests (scripts/test-mail.sh starts a throw-away pair of them).
#
# Installing dovecot-imapd may start the system's Dovecot (on 143 and 993, with /etc/dovecot; where services may not
# start, as in a container, it does not). It is left alone: the tests' Dovecot has a config, base_dir and ports of its
# own and never talks to it.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls -d /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || missing+=(postgresql)
command -v strace > /dev/null 2>&1 || missing+=(strace)
[ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
/usr/bin/python3 -c 'import aiosmtpd' > /dev/null 2>&1 || missing+=(python3-aiosmtpd)
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
