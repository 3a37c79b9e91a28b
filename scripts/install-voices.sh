#!/usr/bin/env bash
# Puts the 54 Kokoro v1.0 voices (raw float32, 510x256) into .voices/ from the npm package kokoro-js@1.2.1.
# The voices are fetched, never committed. Usage: scripts/install-voices.sh [destination]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/.voices}"
count=$(ls "$dest"/*.bin 2>/dev/null | wc -l || true)
if [ "$count" -ge 54 ]; then
  echo "voices: $count files already in $dest"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent kokoro-js@1.2.1 >/dev/null)
tar -xzf "$work"/kokoro-js-1.2.1.tgz -C "$work" package/voices
mkdir -p "$dest"
cp "$work"/package/voices/*.bin "$dest"/
echo "voices: $(ls "$dest"/*.bin | wc -l) files in $dest"
