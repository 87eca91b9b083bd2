#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run calls this script).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-test-dependencies.sh
dotnet test SupportConsole.sln -c Release --logger "console;verbosity=normal"
