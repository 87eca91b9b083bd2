#!/usr/bin/env bash
# The fast loop for a developer: the engine and the pure logic (no app host, browser, job server or database server),
# test classes in parallel, after an incremental build. The whole suite, as CI runs it, is ./scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1

fast=(
  Architecture. Caching. Components. Routing. Retrieval. Drafting. Encoders.
  Pipeline.BandGateTests Pipeline.DraftingRulesTests Reporting.MoneyTests Administration.AuditDescriptionsTests
  Tickets.QueueLiveStateTests Operations.Privacy.ConnectionLogTests Operations.Privacy.OnnxRuntimeTelemetryTests
  Email.EmailTextTests Email.AutomaticMailTests Email.BounceReportTests
)
filter="$(printf '|FullyQualifiedName~SupportConsole.Tests.%s' "${fast[@]}")"
# (ShippedRouterTests needs the shipped router, which the first start or the whole suite builds.)
dotnet test SupportConsole.Tests -c Release --filter "(${filter#|})&FullyQualifiedName!~SupportConsole.Tests.Routing.ShippedRouterTests" \
  -- xUnit.ParallelizeTestCollections=true xUnit.MaxParallelThreads=2
