#!/usr/bin/env bash
# The one command that runs the whole app: installs what is missing, then starts the Aspire AppHost
# (dashboard, tts-service on 8205, two router replicas behind 8200 sharing their rollout through Redis, legacy
# stand-in on 8880).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
bash scripts/setup.sh
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
exec dotnet run --project PatternTts.AppHost --launch-profile http "$@"
