#!/usr/bin/env bash
# The performance benchmark, one command: the service on a model that costs what Kokoro costs (issue 12's figures,
# each with its goal: table on the console, artifacts/perf/results.json, throughput.png, latency.png), then the
# router against nginx side by side (artifacts/perf/router.json). Installs wrk and nginx from Debian when missing; needs the voices
# (scripts/setup.sh). A full run takes about 16 minutes on 2 cores, --quick 7 to 10.
#
#   ./benchmarks/run.sh [--quick] [--no-router]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
quick=""; router=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --no-router) router=0 ;;
    *) echo "usage: $0 [--quick] [--no-router]" >&2; exit 2 ;;
  esac
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -d "$root/.voices" ] || { echo "no voices in $root/.voices: run scripts/setup.sh first" >&2; exit 1; }

dotnet build -c Release "$root/benchmarks/PatternTts.Performance/PatternTts.Performance.csproj" -v quiet -nologo >/dev/null
dotnet "$root/artifacts/bin/PatternTts.Performance/release/PatternTts.Performance.dll" $quick
if [ "$router" -eq 1 ]; then
  echo
  "$root/benchmarks/router-vs-nginx.sh" "$([ -n "$quick" ] && echo 5 || echo 10)"
fi
