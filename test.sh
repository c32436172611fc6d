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
dotnet test DePin.Wireless.sln -c Release --no-build --nologo -v q --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?
passed=0; failed=0; skipped=0
while IFS= read -r line; do
  f=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line"); p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" || true)
# Shell-level tests of hardware/ (image scripts, systemd units, first boot, board profiles); they print
# "hardware tests: N passed, N failed" last, which is added to the totals.
hw_log=$(mktemp)
hw_status=0
hardware/tests/run.sh 2>&1 | tee "$hw_log" || hw_status=$?
hw_counts=$(grep -E '^hardware tests: [0-9]+ passed, [0-9]+ failed$' "$hw_log" | tail -n1 || true)
rm -f "$hw_log"
if [ -z "$hw_counts" ]; then
  echo "hardware/tests/run.sh printed no summary line"; failed=$((failed + 1))
else
  passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$hw_counts")))
  failed=$((failed + $(sed -E 's/.*, ([0-9]+) failed$/\1/' <<<"$hw_counts")))
fi
if [ "$hw_status" -ne 0 ]; then status=$hw_status; fi
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
