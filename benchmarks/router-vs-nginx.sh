#!/usr/bin/env bash
# The router against nginx on the same box, side by side in one run: both split traffic between the same two
# upstreams (nginx serving a 32 KiB answer on two ports), sticky per user (nginx split_clients on X-Pattern-User,
# the router's feature-flag targeting), at the same 50 % split, driven by the same wrk. Prints requests/s and p99
# for each and the ratios against the goal (router >= 80 % of nginx's throughput, p99 <= 2x nginx's).
# Installs nginx and wrk from Debian when missing. Loopback only; stops everything it started.
#
#   ./benchmarks/router-vs-nginx.sh [seconds, default 10] [connections, default 8] [payload bytes, default 32768]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-10}"
connections="${2:-8}"
payload="${3:-32768}"

missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
legacy=$(free_port); new=$(free_port); split=$(free_port); router=$(free_port)
work="$(mktemp -d)"
head -c "$payload" /dev/urandom >"$work/answer.bin"
chmod 755 "$work"; chmod 644 "$work/answer.bin"   # nginx workers do not run as root
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$legacy; root $work; location / { default_type application/octet-stream; rewrite ^ /answer.bin break; } }
  server { listen 127.0.0.1:$new; root $work; location / { default_type application/octet-stream; rewrite ^ /answer.bin break; } }
  upstream legacy_arm { server 127.0.0.1:$legacy; keepalive 32; }
  upstream new_arm { server 127.0.0.1:$new; keepalive 32; }
  split_clients "\${http_x_pattern_user}" \$arm { 50% new_arm; * legacy_arm; }
  server {
    listen 127.0.0.1:$split;
    location / { proxy_pass http://\$arm; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

dotnet build -c Release "$root/PatternTts.Router/PatternTts.Router.csproj" -v quiet -nologo >/dev/null
# The content root holds appsettings.json (the proxy routes), as the image's working directory does.
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$router" \
  ReverseProxy__Clusters__legacy__Destinations__d1__Address="http://127.0.0.1:$legacy" \
  ReverseProxy__Clusters__new__Destinations__d1__Address="http://127.0.0.1:$new" \
  Rollout__Phase=2 Rollout__Percentage=50 Rollout__Rollback__Enabled=false Logging__LogLevel__Default=Warning \
  ASPNETCORE_CONTENTROOT="$root/artifacts/bin/PatternTts.Router/release" \
  dotnet "$root/artifacts/bin/PatternTts.Router/release/PatternTts.Router.dll" >"$work/router.log" 2>&1 &
router_pid=$!
trap 'kill "$router_pid" 2>/dev/null || true; nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$router/alive" >/dev/null && break; sleep 0.2; done

# Users spread over both arms: wrk sends one user header per connection from a small Lua script.
cat >"$work/users.lua" <<'LUA'
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) n = 0 end
function request() n = n + 1; return wrk.format("GET", "/v1/audio/voices", { ["X-Pattern-User"] = "user-" .. id .. "-" .. (n % 64) }) end
LUA

measure() { # url -> "requests/s p99_ms"
  # Warm-up: long enough for .NET tiered compilation to reach its optimized code (nginx needs none; it does no harm).
  wrk -t2 -c"$connections" -d10s -s "$work/users.lua" "$1" >/dev/null 2>&1
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/users.lua" "$1" >"$work/wrk.out"
  if grep -q "Non-2xx" "$work/wrk.out"; then
    echo "$1 answered errors:" >&2; grep "Non-2xx" "$work/wrk.out" >&2
    curl -s -o /dev/null -w "%{http_code} %{size_download} bytes\n" -H "X-Pattern-User: u" "$1/v1/audio/voices" >&2
    touch "$work/errors"
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$work/wrk.out")
  echo "$rps $p99"
}

read -r nginx_rps nginx_p99 < <(measure "http://127.0.0.1:$split")
read -r router_rps router_p99 < <(measure "http://127.0.0.1:$router")
python3 - "$nginx_rps" "$nginx_p99" "$router_rps" "$router_p99" "$payload" "$connections" "$seconds" <<'PY'
import sys
n_rps, n_p99, r_rps, r_p99 = map(float, sys.argv[1:5])
payload, connections, seconds = sys.argv[5:8]
print(f"{payload}-byte answers, {connections} connections, {seconds} s each, 50 % split, same box")
print(f"{'':8} {'requests/s':>12} {'p99 ms':>8}")
print(f"{'nginx':8} {n_rps:12.0f} {n_p99:8.2f}")
print(f"{'router':8} {r_rps:12.0f} {r_p99:8.2f}")
ratio, p99_ratio = r_rps / n_rps, r_p99 / n_p99
print(f"throughput: router {ratio:.0%} of nginx (goal >= 80 %) {'ok' if ratio >= 0.8 else 'BELOW GOAL'}")
print(f"p99: router {p99_ratio:.1f}x nginx's (goal <= 2x) {'ok' if p99_ratio <= 2 else 'ABOVE GOAL'}")
PY
if [ -e "$work/errors" ]; then
  echo "The figures above count error answers: fix the setup before reading them." >&2
  exit 1
fi
