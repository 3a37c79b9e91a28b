#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, then runs the whole solution's test suites.
set -uo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
bash scripts/setup.sh || exit 1

log="$(mktemp)"
dotnet test PatternTts.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One closing line over all test projects, in the plain form any reader of CI logs understands.
awk '/(Passed|Failed)!  - Failed:/ {
  for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
