#!/usr/bin/env bash
# Packs the SDK's packages into artifacts/packages, deterministically (ContinuousIntegrationBuild).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
dotnet pack VersanaSdk.sln --configuration Release --output "$out" -p:ContinuousIntegrationBuild=true
ls -1 "$out"
