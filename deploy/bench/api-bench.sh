#!/usr/bin/env bash
# API throughput of a RUNNING swiftlet next to nginx (1 worker) serving static files of the same sizes over HTTPS
# with the same certificate, in the same run, on loopback only. Meant to run while `swiftlet-bench density` holds its
# pods up (run-all.sh passes it as --while-running), which exports:
#   SWIFTLET_PORT SWIFTLET_CA SWIFTLET_TOKEN SWIFTLET_PID SWIFTLET_PKI
#
#   bash deploy/bench/api-bench.sh [--duration SECONDS] [--rounds N] [--connections C]
#
# For each of GET /healthz, GET /pods and GET /stats/summary (skipped when the build has no such route): wrk -t2 -cC
# keep-alive for SECONDS on swiftlet, then on nginx serving the same bytes; ratio; non-2xx counts. Then TLS
# handshakes per second (Connection: close) on both, and swiftlet's RSS after each round. Every loop is bounded by
# rounds x routes x duration; nginx is stopped on exit. Prints markdown and RESULT lines.
set -euo pipefail
duration=10
rounds=2
connections=64
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
: "${SWIFTLET_PORT:?run me from swiftlet-bench density --while-running}" "${SWIFTLET_CA:?}" "${SWIFTLET_TOKEN:?}" "${SWIFTLET_PID:?}" "${SWIFTLET_PKI:?}"
bash "$(dirname "${BASH_SOURCE[0]}")/install-tools.sh" || { echo "api-bench needs wrk and nginx" >&2; exit 1; }

work=$(mktemp -d /tmp/swiftlet-apibench.XXXXXX)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

base="https://127.0.0.1:$SWIFTLET_PORT"
auth="Authorization: Bearer $SWIFTLET_TOKEN"
mkdir -p "$work/www/stats"
# The bodies nginx serves are the agent's own answers, byte for byte, so both sides send the same sizes.
routes=()
for route in /healthz /pods /stats/summary; do
  code=$(curl -s --max-time 20 --cacert "$SWIFTLET_CA" -H "$auth" -o "$work/www${route}" -w '%{http_code}' "$base$route" || echo 000)
  if [ "$code" = 200 ]; then
    routes+=("$route")
  else
    echo "note: $route answered $code on this build; not measured"
    rm -f "$work/www${route}"
  fi
done

nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
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
    ssl_certificate $SWIFTLET_PKI/server.crt;
    ssl_certificate_key $SWIFTLET_PKI/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $work/www;
    default_type application/json;
  }
}
NGINX
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -s --cacert "$SWIFTLET_CA" "https://127.0.0.1:$nginx_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --cacert "$SWIFTLET_CA" "https://127.0.0.1:$nginx_port/healthz" >/dev/null

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
non2xx() { sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p'; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SWIFTLET_PID/status"; }
key() { case "$1" in /healthz) echo healthz ;; /pods) echo pods ;; /stats/summary) echo stats_summary ;; esac; }

echo "### API over HTTPS keep-alive (wrk -t2 -c$connections, ${duration} s each; nginx 1 worker serving the same bytes)"
echo
echo "| round | route | body bytes | swiftlet req/s | nginx req/s | ratio | swiftlet non-2xx | swiftlet RSS after (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
echo "RESULT api.rss_before_mib $(rss_mib)"
for round in $(seq 1 "$rounds"); do
  for route in "${routes[@]}"; do
    out=$(wrk -t2 -c"$connections" -d"${duration}s" -H "$auth" "$base$route")
    s_rps=$(echo "$out" | rps); s_bad=$(echo "$out" | non2xx); s_bad=${s_bad:-0}
    n_rps=$(wrk -t2 -c"$connections" -d"${duration}s" -H "$auth" "https://127.0.0.1:$nginx_port$route" | rps)
    ratio=$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
    size=$(stat -c %s "$work/www$route")
    echo "| $round | GET $route | $size | $s_rps | $n_rps | $ratio | $s_bad | $(rss_mib) |"
    k=$(key "$route")
    echo "RESULT api.$k.r$round.ratio $ratio"
    echo "RESULT api.$k.r$round.swiftlet_rps $s_rps"
    echo "RESULT api.$k.r$round.nginx_rps $n_rps"
    echo "RESULT api.$k.r$round.non2xx $s_bad"
  done
  echo "RESULT api.r$round.rss_mib $(rss_mib)"
done
echo
hs_s=$(wrk -t2 -c16 -d"${duration}s" -H "Connection: close" "$base/healthz" | rps)
hs_n=$(wrk -t2 -c16 -d"${duration}s" -H "Connection: close" "https://127.0.0.1:$nginx_port/healthz" | rps)
hs_ratio=$(awk -v a="$hs_s" -v b="$hs_n" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
echo "| TLS handshakes/s (Connection: close, 16 connections) | swiftlet | nginx | ratio |"
echo "|---|---|---|---|"
echo "| full handshake per request, GET /healthz | $hs_s | $hs_n | $hs_ratio |"
echo "RESULT api.handshakes.swiftlet $hs_s"
echo "RESULT api.handshakes.nginx $hs_n"
echo "RESULT api.handshakes.ratio $hs_ratio"
echo "RESULT api.rss_after_mib $(rss_mib)"
echo
