#!/usr/bin/env bash
# Runs every test of the repository. Installs what a fresh machine lacks first, then calls dotnet test.
# This is the README's test command, and .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# The ledger tests use the embedded SQLite store and start their own child processes. The Helpdesk browser
# test drives Debian's Chromium (Playwright's own browser download needs the internet, so it is never used).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# The PostgreSQL tests start a throwaway server themselves (initdb + pg_ctl from Debian's postgresql).
packages=()
if [ -z "${VERSANA_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then packages+=(chromium); fi
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then packages+=(postgresql); fi
if [ "${#packages[@]}" -gt 0 ]; then
  echo "Installing ${packages[*]} for the tests..."
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

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
