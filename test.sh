#!/usr/bin/env bash
# Runs every test. Installs what the tests need (scripts/install-deps.sh), builds with warnings as errors,
# runs each test project; the tests themselves start PostgreSQL, Mosquitto, ganache and Chromium on free
# loopback ports and stop them. Prints "N passed, N failed" at the end. Extra arguments go to `dotnet test`
# (for example: ./test.sh --filter FullyQualifiedName~H3).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
scripts/install-deps.sh test
scripts/build-web.sh
dotnet build DePin.Wireless.sln -c Release -warnaserror -nologo -v q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test DePin.Wireless.sln -c Release --no-build --nologo -v q "$@" 2>&1 | tee "$log" || status=$?
passed=0; failed=0; skipped=0
while IFS= read -r line; do
  f=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line"); p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" || true)
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
