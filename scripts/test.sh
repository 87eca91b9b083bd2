#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run calls this script): everything on the embedded default (SQLite),
# then the provider-neutral integration tests again on PostgreSQL (a throw-away cluster on 127.0.0.1, deleted after).
set -euo pipefail
cd "$(dirname "$0")/.."
# The .NET SDK's own usage telemetry stays off (docs/privacy.md).
export DOTNET_CLI_TELEMETRY_OPTOUT=1

./scripts/install-test-dependencies.sh

pg_dir="/tmp/supportconsole-test-pg-$$"
trap './scripts/test-postgres.sh stop "$pg_dir"' EXIT
SUPPORTCONSOLE_TEST_POSTGRES="$(./scripts/test-postgres.sh start "$pg_dir")"
export SUPPORTCONSOLE_TEST_POSTGRES

dotnet build SupportConsole.sln -c Release

# The shipped router is built from its committed card once (first start does the same), into the model cache every
# test and child process shares; a second run of the suite finds it there.
export Models__CacheDirectory="${Models__CacheDirectory:-$PWD/var/test-model-cache}"
echo "== shipped router (built once into $Models__CacheDirectory)"
dotnet SupportConsole/bin/Release/net10.0/SupportConsole.dll router build-shipped
echo "== all tests (SQLite; the multi-instance tests on PostgreSQL)"
dotnet test SupportConsole.sln -c Release --no-build --logger "console;verbosity=normal"

# (Jobs.Embedded tests the SQLite job storage, which PostgreSQL installations do not use.)
echo "== provider-neutral integration tests on PostgreSQL"
SUPPORTCONSOLE_TEST_PROVIDER=Postgres dotnet test SupportConsole.sln -c Release --no-build --logger "console;verbosity=normal" \
  --filter "(FullyQualifiedName~SupportConsole.Tests.Api|FullyQualifiedName~SupportConsole.Tests.Jobs|FullyQualifiedName~SupportConsole.Tests.Review|FullyQualifiedName~SupportConsole.Tests.Data|FullyQualifiedName~SupportConsole.Tests.Reporting.CostRollupTests|FullyQualifiedName~SupportConsole.Tests.Reporting.BudgetTests)&FullyQualifiedName!~SupportConsole.Tests.Jobs.Embedded"
