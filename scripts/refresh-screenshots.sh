#!/usr/bin/env bash
# Refreshes docs/screenshots: runs the browser tests that take the documentation screenshots (every page per role,
# the agent workflows, the bands guard) against a fresh demo database, and copies what they saved under
# test-output/screenshots/<folder>/*.jpg into docs/screenshots/<folder>/. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 ORT_DISABLE_TELEMETRY=1

./scripts/install-test-dependencies.sh
rm -rf test-output/screenshots
dotnet build SupportConsole.sln -c Release
dotnet test SupportConsole.sln -c Release --no-build \
  --filter "FullyQualifiedName~PageTourBrowserTests|FullyQualifiedName~WorkspaceBrowserTests|FullyQualifiedName~ConsoleBrowserTests.ManagerRaisesAThreshold"

for folder in agent manager admin everyone workflows; do
  rm -rf "docs/screenshots/$folder"
  mkdir -p "docs/screenshots/$folder"
  cp test-output/screenshots/"$folder"/*.jpg "docs/screenshots/$folder/"
done
echo "docs/screenshots refreshed: $(find docs/screenshots -name '*.jpg' | wc -l) screenshots, $(du -sh docs/screenshots | cut -f1)"
