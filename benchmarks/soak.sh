#!/usr/bin/env bash
# Soak: runs the service (espeak-ng engine, loopback only) under a bounded mix of request classes and reports its
# resident memory over time, then each class's peak against a budget. Bounded in time; stops the service itself.
#
#   ./benchmarks/soak.sh [seconds per class, default 30] [concurrency, default 4] [budget MiB, default 512]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
concurrency="${2:-4}"
budget_mib="${3:-512}"

dotnet build -c Release "$root/PatternTts.Service/PatternTts.Service.csproj" -v quiet -nologo >/dev/null
dll="$root/artifacts/bin/PatternTts.Service/release/PatternTts.Service.dll"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
work="$(mktemp -d)"
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" TTS_ENGINE=espeak-ng \
  TTS_VOICES_PATH="$root/.voices" TTS_TEMP_DIR="$work/tmp" dotnet "$dll" >"$work/service.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done

rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
prose = ("The quick brown fox jumps over the lazy dog, and the soak goes on. " * 80)[:4900]
classes = {
    "short-mp3": ("/v1/audio/speech", {"model": "tts-1", "voice": "alloy", "input": "Hello there, how are you today?", "response_format": "mp3"}),
    "long-wav-whole": ("/v1/audio/speech", {"model": "tts-1", "voice": "alloy", "input": prose, "response_format": "wav", "stream": False}),
    "long-opus-stream": ("/v1/audio/speech", {"model": "tts-1", "voice": "af_bella+af_sky", "input": prose, "response_format": "opus"}),
    "captions-whole": ("/dev/captioned_speech", {"model": "tts-1", "voice": "alloy", "input": prose[:1500], "response_format": "mp3", "stream": False}),
    "refused-pauses": ("/v1/audio/speech", {"model": "tts-1", "voice": "alloy", "input": "[pause:10s]" * 450, "response_format": "wav"}),
    "refused-digits": ("/v1/audio/speech", {"model": "tts-1", "voice": "alloy", "input": "9" * 4999, "speed": 0.25, "response_format": "wav", "stream": False}),
}
for name, (path, body) in classes.items():
    open(f"{work}/{name}.path", "w").write(path)
    open(f"{work}/{name}.json", "w").write(json.dumps(body))
PY

# Resident memory once a second, for a chart or a diff between runs.
csv="${SOAK_CSV:-$root/artifacts/soak-rss.csv}"
mkdir -p "$(dirname "$csv")"
echo "seconds,class,rss_mib" >"$csv"
started=$(date +%s)
summary=""
failed=0
for class in short-mp3 long-wav-whole long-opus-stream captions-whole refused-pauses refused-digits; do
  path=$(cat "$work/$class.path")
  end=$(( $(date +%s) + seconds ))
  : >"$work/$class.codes"
  for _ in $(seq 1 "$concurrency"); do
    ( while [ "$(date +%s)" -lt "$end" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 -H 'Content-Type: application/json' \
          --data @"$work/$class.json" "http://127.0.0.1:$port$path" >>"$work/$class.codes"
      done ) &
  done
  peak=$(rss_mib)
  series=""
  while [ "$(date +%s)" -lt "$end" ]; do
    now=$(rss_mib); [ "$now" -gt "$peak" ] && peak=$now
    series="$series $now"
    printf '%d,%s,%d\n' "$(( $(date +%s) - started ))" "$class" "$now" >>"$csv"
    sleep 1
  done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  requests=$(wc -l <"$work/$class.codes")
  errors=$(grep -c '^5' "$work/$class.codes" || true)
  verdict=ok
  if [ "$peak" -gt "$budget_mib" ] || [ "$errors" -gt 0 ]; then verdict=FAIL; failed=1; fi
  echo "$class: resident MiB each second:$series"
  summary="$summary$(printf '%-18s %8d %8d %8d %10d  %s' "$class" "$requests" "$errors" "$peak" "$budget_mib" "$verdict")"$'\n'
done
echo
printf '%-18s %8s %8s %8s %10s  %s\n' class requests errors5xx peakMiB budgetMiB verdict
printf '%s' "$summary"
echo "resident memory after the soak: $(rss_mib) MiB; the series is in $csv"
exit "$failed"
