#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run calls this script): everything on the embedded default (SQLite),
# and the provider-neutral integration tests again on PostgreSQL (a throw-away cluster on 127.0.0.1, deleted after).
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

# The app processes the tests start (instances, crashes, the privacy audit) compile with quick JIT: the app's own
# setting (no quick JIT, docs/decisions/009-ingest-cpu.md) is for a server under load, and costs each short-lived child
# about 2 more CPU-seconds at start.
export DOTNET_TC_QuickJit=1

# Two test processes side by side: one alone leaves a core idle while it waits (browsers, job servers, child processes);
# each process still runs its classes one after another (AssemblyInfo.cs). The pages shard names its namespaces (the
# cluster tests and the email channel's, against real Dovecot and aiosmtpd, among them, which balances the two: [engine]
# goes on with [postgres]);
# the engine shard is everything else on SQLite, then the provider-neutral integration tests again on PostgreSQL
# (Jobs.Embedded tests the SQLite job storage, which PostgreSQL installations do not use).
pages_namespaces=(EndToEnd Operations Security Cluster Components Administration Tickets Encoders Drafting Retrieval Email)
pages_filter="$(printf '|FullyQualifiedName~SupportConsole.Tests.%s.' "${pages_namespaces[@]}")"
engine_filter="$(printf '&FullyQualifiedName!~SupportConsole.Tests.%s.' "${pages_namespaces[@]}")"
postgres_filter="(FullyQualifiedName~SupportConsole.Tests.Api.|FullyQualifiedName~SupportConsole.Tests.Jobs.|FullyQualifiedName~SupportConsole.Tests.Review.|FullyQualifiedName~SupportConsole.Tests.Data.|FullyQualifiedName~SupportConsole.Tests.Reporting.CostRollupTests|FullyQualifiedName~SupportConsole.Tests.Reporting.BudgetTests|FullyQualifiedName~SupportConsole.Tests.Pipeline.GroupCommitWriterTests)&FullyQualifiedName!~SupportConsole.Tests.Jobs.Embedded."

# Each shard's lines carry its name; a shard's status is its test run's.
run_tests() {
  local name="$1"
  shift
  dotnet test SupportConsole.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | sed -u "s/^/[$name] /"
}

started=$SECONDS
echo "== tests: [pages] and [engine] on SQLite side by side, then [postgres] after [engine]"
(
  status=0
  run_tests pages --filter "${pages_filter#|}" || status=$?
  echo "== [pages] ended after $((SECONDS - started)) s (status $status)"
  exit "$status"
) &
pages=$!
(
  engine_status=0
  run_tests engine --filter "${engine_filter#&}" || engine_status=$?
  echo "== [engine] ended after $((SECONDS - started)) s (status $engine_status)"
  postgres_status=0
  SUPPORTCONSOLE_TEST_PROVIDER=Postgres run_tests postgres --filter "$postgres_filter" || postgres_status=$?
  echo "== [postgres] ended after $((SECONDS - started)) s (status $postgres_status)"
  exit $((engine_status != 0 ? engine_status : postgres_status))
) &
engine=$!

status=0
wait "$pages" || status=$?
wait "$engine" || status=$?
echo "== tests ended in $((SECONDS - started)) s (status $status)"
exit "$status"
