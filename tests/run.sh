#!/usr/bin/env bash
# Runs every test of the repository. Installs what a fresh machine lacks first, then calls dotnet test.
# This is the README's test command, and .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nothing beyond the .NET SDK is needed yet: the ledger tests use the embedded SQLite store and
# start their own child processes. Later services (PostgreSQL, Chromium) are installed here.

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test VersanaSdk.sln --configuration Release "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line over all test assemblies, so a run that executed nothing is visible.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
echo "Tests: ${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
