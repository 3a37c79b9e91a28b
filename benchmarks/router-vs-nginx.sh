#!/usr/bin/env bash
# The router against nginx on the same box, side by side in one run: both split traffic between the same two
# upstreams (nginx serving a 32 KiB answer on two ports), sticky per user (nginx split_clients on X-Pattern-User,
# the router's feature-flag targeting), at the same 50 % split, driven by the same wrk. YARP as shipped
# (benchmarks/PatternTts.YarpBaseline: one route, both upstreams round robin, none of the router's steps) runs beside
# them as the ceiling of the proxy core the router is built on. The three take turns for several rounds, so a drift
# of the machine's speed hits each alike; the figures are the medians of the rounds. Prints requests/s, p99 and the
# proxy's CPU time per request for each, and the ratios against the goal (router >= 80 % of nginx's throughput, p99
# <= 2x nginx's), and writes artifacts/perf/router.json. Installs nginx and wrk from Debian when missing. Loopback
# only; stops what it started.
#
#   ./benchmarks/router-vs-nginx.sh [seconds per turn, default 10] [connections, default 8] [payload bytes, default 32768] [rounds, default 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-10}"
connections="${2:-8}"
payload="${3:-32768}"
rounds="${4:-3}"

missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
legacy=$(free_port); new=$(free_port); split=$(free_port); router=$(free_port); yarp=$(free_port)
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
dotnet build -c Release "$root/benchmarks/PatternTts.YarpBaseline/PatternTts.YarpBaseline.csproj" -v quiet -nologo >/dev/null
# Each content root holds its appsettings.json (the proxy routes), as the image's working directory does.
bin="$root/artifacts/bin"
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$router" \
  ReverseProxy__Clusters__legacy__Destinations__d1__Address="http://127.0.0.1:$legacy" \
  ReverseProxy__Clusters__new__Destinations__d1__Address="http://127.0.0.1:$new" \
  Rollout__Phase=2 Rollout__Percentage=50 Rollout__Rollback__Enabled=false Logging__LogLevel__Default=Warning \
  ASPNETCORE_CONTENTROOT="$bin/PatternTts.Router/release" \
  dotnet "$bin/PatternTts.Router/release/PatternTts.Router.dll" >"$work/router.log" 2>&1 &
router_pid=$!
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$yarp" \
  ReverseProxy__Clusters__arms__Destinations__legacy__Address="http://127.0.0.1:$legacy" \
  ReverseProxy__Clusters__arms__Destinations__new__Address="http://127.0.0.1:$new" \
  ASPNETCORE_CONTENTROOT="$bin/PatternTts.YarpBaseline/release" \
  dotnet "$bin/PatternTts.YarpBaseline/release/PatternTts.YarpBaseline.dll" >"$work/yarp.log" 2>&1 &
yarp_pid=$!
trap 'kill "$router_pid" "$yarp_pid" 2>/dev/null || true; nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
for port in "$router" "$yarp"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/alive" >/dev/null && break; sleep 0.2; done
done

# Users spread over both arms: wrk sends one user header per connection from a small Lua script.
cat >"$work/users.lua" <<'LUA'
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) n = 0 end
function request() n = n + 1; return wrk.format("GET", "/v1/audio/voices", { ["X-Pattern-User"] = "user-" .. id .. "-" .. (n % 64) }) end
LUA

names=(nginx yarp router)
urls=("http://127.0.0.1:$split" "http://127.0.0.1:$yarp" "http://127.0.0.1:$router")
# nginx's one worker serves the upstreams in every turn and, in its own turn, the split as well.
worker=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
pids=("$worker" "$yarp_pid" "$router_pid")

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # CPU time of a process, user and system, in clock ticks

measure() { # url seconds proxy_pid -> "requests/s p99_ms requests proxy_ticks upstream_ticks"
  local proxy="$3" proxy_before worker_before
  proxy_before=$(ticks "$proxy"); worker_before=$(ticks "$worker")
  wrk -t2 -c"$connections" -d"$2s" --latency -s "$work/users.lua" "$1" >"$work/wrk.out"
  local proxy_ticks=$(( $(ticks "$proxy") - proxy_before )) worker_ticks=$(( $(ticks "$worker") - worker_before ))
  if grep -q "Non-2xx" "$work/wrk.out"; then
    echo "$1 answered errors:" >&2; grep "Non-2xx" "$work/wrk.out" >&2
    curl -s -o /dev/null -w "%{http_code} %{size_download} bytes\n" -H "X-Pattern-User: u" "$1/v1/audio/voices" >&2
    touch "$work/errors"
  fi
  local rps p99 requests
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.out")
  requests=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 } print v }' "$work/wrk.out")
  echo "$rps $p99 $requests $proxy_ticks $worker_ticks"
}

# Warm-up: long enough for .NET tiered compilation to reach its optimized code (nginx needs none; it does no harm).
for i in "${!urls[@]}"; do measure "${urls[$i]}" 10 "${pids[$i]}" >/dev/null; done
: >"$work/turns"
for round in $(seq 1 "$rounds"); do
  for i in "${!urls[@]}"; do
    echo "$round ${names[$i]} $(measure "${urls[$i]}" "$seconds" "${pids[$i]}")" >>"$work/turns"
  done
done

mkdir -p "$root/artifacts/perf"
python3 - "$work/turns" "$payload" "$connections" "$seconds" "$root/artifacts/perf/router.json" "$(getconf CLK_TCK)" <<'PY'
import json, statistics, sys
turns_file, payload, connections, seconds, out, clock = sys.argv[1:7]
tick_us = 1e6 / int(clock)
rounds = {}
for line in open(turns_file):
    r, name, rps, p99, requests, proxy_ticks, upstream_ticks = line.split()
    rounds.setdefault(r, {})[name] = (float(rps), float(p99), int(proxy_ticks) * tick_us / int(requests), int(upstream_ticks) * tick_us / int(requests))
rows = list(rounds.values())
def median(f): return statistics.median(f(row) for row in rows)
# CPU per forwarded request: the proxy process's own time; nginx's worker also serves the upstreams, whose share is
# what the same worker spent per request while a .NET proxy was in front of it.
upstream_us = median(lambda row: statistics.mean((row["yarp"][3], row["router"][3])))
def cpu_us(row, name): return row[name][2] - upstream_us if name == "nginx" else row[name][2]
def share(name, of): return median(lambda row: row[name][0] / row[of][0])
def cpu_ratio(name): return median(lambda row: cpu_us(row, name) / cpu_us(row, "nginx"))
print(f"{payload}-byte answers, {connections} connections, 50 % split, same box: {len(rows)} rounds of {seconds} s per proxy, taking turns; medians")
print(f"{'':8} {'requests/s':>12} {'p99 ms':>8} {'of nginx':>9} {'CPU us/req':>11}   per round")
for name in ("nginx", "yarp", "router"):
    per_round = " ".join(f"{row[name][0] / row['nginx'][0]:.0%}" for row in rows)
    print(f"{name:8} {median(lambda row: row[name][0]):12.0f} {median(lambda row: row[name][1]):8.2f} {share(name, 'nginx'):9.0%} {median(lambda row: cpu_us(row, name)):11.1f}   {per_round}")
ratio = share("router", "nginx")
p99_ratio = median(lambda row: row["router"][1] / row["nginx"][1])
ceiling = share("router", "yarp")
print(f"throughput: router {ratio:.0%} of nginx (goal >= 80 %) {'ok' if ratio >= 0.8 else 'BELOW GOAL'}; {ceiling:.0%} of YARP alone")
print(f"p99: router {p99_ratio:.1f}x nginx's (goal <= 2x) {'ok' if p99_ratio <= 2 else 'ABOVE GOAL'}")
print(f"CPU per request (the proxy's own; the upstreams took {upstream_us:.1f} us more in nginx's worker): "
      f"YARP alone {cpu_ratio('yarp'):.1f}x nginx's, router {cpu_ratio('router'):.1f}x")
json.dump({
    "payload_bytes": int(payload), "connections": int(connections), "seconds_per_turn": int(seconds),
    "rounds": [{name: {"requests_per_second": v[0], "p99_ms": v[1], "cpu_us_per_request": cpu_us(row, name)} for name, v in row.items()} for row in rows],
    "upstream_cpu_us_per_request": upstream_us,
    "router_share_of_nginx": ratio, "router_p99_ratio": p99_ratio, "router_share_of_yarp": ceiling,
    "goals": {"router_share_of_nginx": 0.8, "router_p99_ratio": 2.0},
}, open(out, "w"), indent=2)
PY
if [ -e "$work/errors" ]; then
  echo "The figures above count error answers: fix the setup before reading them." >&2
  exit 1
fi
