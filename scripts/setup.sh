#!/usr/bin/env bash
# Installs what Pattern TTS needs on a fresh Debian 12 machine, and nothing twice: the native libraries the
# service calls (espeak-ng, LAME, FLAC, ffmpeg), Chromium for the /web page test, redis-server and Prometheus for
# the router's fleet and monitoring tests (each starts its own on a free port), the Kokoro voices from npm,
# and the test's node packages. Safe to run again; a second run takes a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

packages=(libespeak-ng1 espeak-ng-data libmp3lame0 libflac12 ffmpeg chromium redis-server prometheus)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$root/scripts/install-voices.sh"

if [ -f "$root/tests/web/package.json" ] && [ ! -d "$root/tests/web/node_modules/playwright-core" ]; then
  echo "setup: installing the /web test's node packages"
  (cd "$root/tests/web" && npm ci --silent --no-audit --no-fund)
fi
echo "setup: ready"
