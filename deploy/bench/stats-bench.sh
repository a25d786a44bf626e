#!/usr/bin/env bash
# Stats benchmark: GET /stats/summary and /metrics/cadvisor latency and size with N running pods, and Swiftlet's
# CPU seconds per minute at a 10 s housekeeping interval.
#
# Starts the offline test bed's registry (if not running) and the swiftlet binary with its own managed containerd
# under /run/swiftlet-stats-bench/<pid>, creates N host-network busybox pods (`sleep`), waits for them to run,
# measures, then deletes the pods, stops Swiftlet (which stops its containerd) and removes the directory.
# Everything is bounded: pod start 5 min, each request 30 s, the CPU window 60 s.
#
#   deploy/bench/stats-bench.sh [PODS] [REQUESTS]     defaults: 110 pods, 20 requests per endpoint
#   SWIFTLET_BENCH_CONFIGURATION=debug|release (default release) selects the build;
#   SWIFTLET_BINARY=path uses an already built swiftlet instead of building one.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
pods=${1:-110}
requests=${2:-20}
config=${SWIFTLET_BENCH_CONFIGURATION:-release}
work=/run/swiftlet-stats-bench/$$
mkdir -p "$work"
log() { printf '[stats-bench] %s\n' "$*" >&2; }

started_registry=1
curl -sf http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && started_registry=0
bash deploy/testbed/up.sh >/dev/null

swiftlet_pid=""
cleanup() {
  set +e
  if [[ -n "$swiftlet_pid" ]] && kill -0 "$swiftlet_pid" 2>/dev/null; then
    log "deleting pods"
    # Waits name the curl pids: a bare `wait` would also wait for Swiftlet, a background job of this script.
    local batch=()
    for ((i = 0; i < pods; i++)); do
      curl -s -o /dev/null --max-time 30 --cacert "$work/root/pki/ca.crt" -H "Authorization: Bearer $token" \
        -X DELETE "https://127.0.0.1:$port/pods/default/bench-$i?gracePeriodSeconds=0" &
      batch+=($!)
      if (( ${#batch[@]} == 16 )); then wait "${batch[@]}"; batch=(); fi
    done
    (( ${#batch[@]} > 0 )) && wait "${batch[@]}"
    for _ in $(seq 1 120); do
      left=$(curl -s --max-time 10 --cacert "$work/root/pki/ca.crt" -H "Authorization: Bearer $token" \
        "https://127.0.0.1:$port/pods" | grep -o '"name":"bench-' | wc -l)
      [[ "$left" == 0 ]] && break
      sleep 1
    done
    kill -TERM "$swiftlet_pid"
    for _ in $(seq 1 60); do kill -0 "$swiftlet_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$swiftlet_pid" 2>/dev/null
  fi
  grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
  rmdir /run/swiftlet-stats-bench 2>/dev/null
  [[ "$started_registry" == 1 ]] && bash deploy/testbed/down.sh >/dev/null 2>&1
  true
}
trap cleanup EXIT INT TERM

if [[ -n "${SWIFTLET_BINARY:-}" ]]; then
  binary=$SWIFTLET_BINARY
  config="prebuilt $binary"
else
  swift build -c "$config" --product swiftlet >/dev/null
  binary="$(swift build -c "$config" --show-bin-path)/swiftlet"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" --root-dir "$work/root" --address 127.0.0.1 --port "$port" --hostname-override stats-bench \
  --pod-infra-container-image 127.0.0.1:5000/pause:3.9 --insecure-registry 127.0.0.1:5000 \
  --max-pods "$((pods + 10))" --housekeeping-interval 10s --log-level warning >"$work/swiftlet.log" 2>&1 &
swiftlet_pid=$!
for _ in $(seq 1 120); do [[ -s "$work/root/admin.token" ]] && break; sleep 0.5; done
token=$(cat "$work/root/admin.token")
api() { curl -s --max-time 30 --cacert "$work/root/pki/ca.crt" -H "Authorization: Bearer $token" "$@"; }
for _ in $(seq 1 120); do
  [[ "$(api -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/readyz")" == 200 ]] && break; sleep 1
done

log "creating $pods pods"
for ((i = 0; i < pods; i++)); do
  api -o /dev/null -X POST -H 'Content-Type: application/json' "https://127.0.0.1:$port/pods" -d "{
    \"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bench-$i\",\"namespace\":\"default\"},
    \"spec\":{\"hostNetwork\":true,\"containers\":[{\"name\":\"sleep\",\"image\":\"127.0.0.1:5000/busybox:latest\",
    \"command\":[\"sleep\",\"3600\"]}]}}"
done
deadline=$((SECONDS + 300))
while (( SECONDS < deadline )); do
  running=$(api "https://127.0.0.1:$port/pods" | { grep -o '"phase":"Running"' || true; } | wc -l)
  (( running >= pods )) && break
  sleep 2
done
(( running >= pods )) || { log "only $running of $pods pods running after 5 min"; exit 1; }
log "$running pods running; waiting for two housekeeping passes"
sleep 21

measure() {  # path -> "p50_ms p90_ms max_ms bytes"
  local path=$1 times=()
  for ((r = 0; r < requests; r++)); do
    times+=("$(api -o "$work/body" -w '%{time_total}' "https://127.0.0.1:$port$path")")
  done
  local bytes; bytes=$(stat -c %s "$work/body")
  printf '%s\n' "${times[@]}" | sort -n | awk -v b="$bytes" '{ t[NR] = $1 * 1000 }
    END { printf "%.1f %.1f %.1f %d\n", t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR], b }'
}
summary=$(measure /stats/summary)
cadvisor=$(measure /metrics/cadvisor)
summary_pods=$(api "https://127.0.0.1:$port/stats/summary" | { grep -o '"podRef"' || true; } | wc -l)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$swiftlet_pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(cpu_ticks); sleep 60; after=$(cpu_ticks)
cpu=$(awk -v a="$before" -v b="$after" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$swiftlet_pid/status")

echo "stats-bench: $pods pods running ($summary_pods in the summary), $requests requests per endpoint, $config build"
echo "endpoint           p50_ms p90_ms max_ms bytes"
echo "/stats/summary     $summary"
echo "/metrics/cadvisor  $cadvisor"
echo "swiftlet CPU seconds per minute (idle, 10 s housekeeping, 1 s relist): $cpu; RSS ${rss} MiB"
