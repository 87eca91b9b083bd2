#!/usr/bin/env bash
# Rebuilds data/foreign/foreign-text.csv from pinned Debian packages (apt-get download; nothing is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download debian-faq=11.1 fortunes-min=1:1.99.1-7.3 fortunes-es=1.36 fortunes-it=1.99-4.1 >/dev/null)
for deb in "$work"/*.deb; do
  name=$(basename "$deb"); name=${name%%_*}
  mkdir -p "$work/x/$name"
  dpkg-deb -x "$deb" "$work/x/$name"
done
python3 scripts/build-foreign-text.py "$work/x" data/foreign/foreign-text.csv
