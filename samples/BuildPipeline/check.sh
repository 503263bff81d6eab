#!/usr/bin/env bash
# Shows what a build pipeline sees: with the unguarded call, `dotnet build -warnaserror` fails with VCX0001;
# without it, the build is clean. Exits 0 only when both happen as expected.
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== build with a call that bypasses the credit guard (expected to fail with VCX0001)"
dotnet build -warnaserror -p:IncludeUnguardedCall=true -nologo -v:q >"$log" 2>&1
status=$?
grep -m1 -E "VCX0001" "$log" || true
if [ "$status" -ne 0 ] && grep -q "error VCX0001" "$log"; then
  echo "-> failed with VCX0001, as expected"
else
  echo "-> expected a failure with VCX0001 (exit $status)" >&2
  cat "$log" >&2
  exit 1
fi

echo "== build with every AI call going through the guard (expected to pass)"
if dotnet build -warnaserror -p:IncludeUnguardedCall=false -nologo -v:q >"$log" 2>&1; then
  echo "-> clean"
else
  cat "$log" >&2
  echo "-> the guarded build failed" >&2
  exit 1
fi
