#!/usr/bin/env bash
# Runs every test of the repository. Installs what a fresh machine lacks first, then calls dotnet test.
# This is the README's test command, and .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nothing beyond the .NET SDK is needed yet: the ledger tests use the embedded SQLite store and
# start their own child processes. Later services (PostgreSQL, Chromium) are installed here.

dotnet test VersanaSdk.sln --configuration Release "$@"
