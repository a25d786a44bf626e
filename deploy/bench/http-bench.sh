#!/usr/bin/env bash
# HTTPS benchmark of Swiftlet's server against nginx (1 worker) in the same run, on loopback only.
#
#   bash deploy/bench/http-bench.sh [--duration SECONDS] [--rounds N] [--connections C]
#
# Measures, with wrk over HTTPS keep-alive: /healthz on Swiftlet vs a static file of the same body on nginx, TLS
# handshakes per second (wrk with "Connection: close") on both, Swiftlet's CPU per request and its RSS after each
# round (to show whether memory stays flat across repeated load). Prints a markdown table for BENCHMARKS.md.
# Every loop is bounded: rounds x duration seconds of load, then everything it started is stopped.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
duration=10
rounds=3
connections=64
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

bash "$repo/deploy/bench/install-tools.sh"
binary="${SWIFTLET_BINARY:-$repo/.build/release/swiftlet}"
if [ ! -x "$binary" ]; then
  echo "building swiftlet (release)..." >&2
  (cd "$repo" && swift build -c release --product swiftlet >/dev/null)
fi

work=$(mktemp -d /tmp/swiftlet-httpbench.XXXXXX)
swiftlet_pid=""
nginx_pid=""
cleanup() {
  [ -n "$swiftlet_pid" ] && kill "$swiftlet_pid" 2>/dev/null && wait "$swiftlet_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Swiftlet with generated PKI; no runtime is needed for /healthz.
"$binary" --root-dir "$work/root" --address 127.0.0.1 --port 0 \
  --container-runtime-endpoint "unix://$work/no-runtime.sock" --log-level notice >"$work/swiftlet.log" 2>&1 &
swiftlet_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*serving https:\/\/[^ ]*:\([0-9]*\).*/\1/p' "$work/swiftlet.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "swiftlet did not start:" >&2; cat "$work/swiftlet.log" >&2; exit 1; }
ca="$work/root/pki/ca.crt"

# nginx, one worker, the same certificate, serving the same 2-byte body.
mkdir -p "$work/www"
printf 'ok' >"$work/www/healthz"
nginx_port=$((port + 1))
cat >"$work/nginx.conf" <<NGINX
user root;
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $work/root/pki/server.crt;
    ssl_certificate_key $work/root/pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $work/www;
    location = /healthz { default_type text/plain; }
  }
}
NGINX
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -s --cacert "$ca" "https://127.0.0.1:$nginx_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --cacert "$ca" "https://127.0.0.1:$port/healthz" >/dev/null
curl -sf --cacert "$ca" "https://127.0.0.1:$nginx_port/healthz" >/dev/null

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
total_requests() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "| round | swiftlet /healthz req/s | nginx req/s | ratio | swiftlet µs CPU/req | swiftlet RSS after (MiB) |"
echo "|---|---|---|---|---|---|"
rss_start=$(rss_kb "$swiftlet_pid")
for round in $(seq 1 "$rounds"); do
  t0=$(cpu_ticks "$swiftlet_pid")
  out=$(wrk -t2 -c"$connections" -d"${duration}s" "https://127.0.0.1:$port/healthz")
  t1=$(cpu_ticks "$swiftlet_pid")
  s_rps=$(echo "$out" | rps); s_total=$(echo "$out" | total_requests)
  n_rps=$(wrk -t2 -c"$connections" -d"${duration}s" "https://127.0.0.1:$nginx_port/healthz" | rps)
  cpu_us=$(awk -v a="$t0" -v b="$t1" -v n="$s_total" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz * 1e6 / n }')
  ratio=$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
  rss=$(awk -v k="$(rss_kb "$swiftlet_pid")" 'BEGIN { printf "%.1f", k / 1024 }')
  echo "| $round | $s_rps | $n_rps | $ratio | $cpu_us | $rss |"
done
echo
hs_s=$(wrk -t2 -c16 -d"${duration}s" -H "Connection: close" "https://127.0.0.1:$port/healthz" | rps)
hs_n=$(wrk -t2 -c16 -d"${duration}s" -H "Connection: close" "https://127.0.0.1:$nginx_port/healthz" | rps)
echo "| TLS handshakes/s (Connection: close) | swiftlet | nginx | ratio |"
echo "|---|---|---|---|"
echo "| full handshake per request | $hs_s | $hs_n | $(awk -v a="$hs_s" -v b="$hs_n" 'BEGIN { printf "%.2f", a / b }') |"
echo
echo "swiftlet RSS: $(awk -v k="$rss_start" 'BEGIN { printf "%.1f", k / 1024 }') MiB before load, $(awk -v k="$(rss_kb "$swiftlet_pid")" 'BEGIN { printf "%.1f", k / 1024 }') MiB after all rounds"
