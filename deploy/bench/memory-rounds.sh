#!/usr/bin/env bash
# The agent's anonymous memory across repeated rounds of pods: idle, then per round with N pods running and after
# they are all deleted. Tells a leak (every round higher) from a bounded structure filling up, and shows what the
# allocator gives back. Uses the release build in .build-perf, the test bed's registry, its own root directory and
# managed containerd under /run/swb-mem-<pid>, loopback port 18445, host-network pods. Bounded: every wait times out.
#
#   bash deploy/bench/memory-rounds.sh [--pods 110] [--rounds 3] [--probed]
#
# --probed gives each pod an exec readiness probe and an httpGet liveness probe at 10 s (busybox httpd on port
# 20000+i), as the density benchmark does; the default is plain `sleep` pods. Prints one line per measurement.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pods=110
rounds=3
probed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pods) pods=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --probed) probed=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bin="$repo/.build-perf/release/swiftlet"
[ -x "$bin" ] || { echo "no release build: swift build -c release --scratch-path .build-perf --product swiftlet" >&2; exit 1; }
curl -sf --max-time 2 http://127.0.0.1:5000/v2/ >/dev/null || bash "$repo/deploy/testbed/up.sh" >&2

root="/run/swb-mem-$$"
port=18445
mkdir -p "$root"
"$bin" --root-dir "$root" --address 127.0.0.1 --port "$port" --log-level warning \
  --pod-infra-container-image 127.0.0.1:5000/pause:3.9 --insecure-registry 127.0.0.1:5000 \
  --pod-cidr 10.251.0.0/24 >"$root.log" 2>&1 &
agent=$!
cleanup() {
  kill -TERM "$agent" 2>/dev/null && timeout 60 tail --pid="$agent" -f /dev/null || kill -KILL "$agent" 2>/dev/null || true
  awk -v d="$root/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$root" "$root.log"
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  [ -f "$root/admin.token" ] && curl -sk --max-time 2 "https://127.0.0.1:$port/readyz" \
    -H "Authorization: Bearer $(cat "$root/admin.token")" | grep -q ok && break
  sleep 1
done
auth="Authorization: Bearer $(cat "$root/admin.token")"
api() { curl -sk --max-time 30 -H "$auth" "$@"; }
report() { echo "$(date -u +%T) $1: $(grep -E '^(VmRSS|RssAnon)' "/proc/$agent/status" | tr -s ' \t\n' ' ')"; }
body() { # name index
  if [ "$probed" = 1 ]; then
    printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"hostNetwork":true,"terminationGracePeriodSeconds":0,"containers":[{"name":"app","image":"127.0.0.1:5000/busybox:1.35","command":["sh","-c","mkdir -p /www && echo ok >/www/healthz && exec httpd -f -p %d -h /www"],"readinessProbe":{"exec":{"command":["true"]},"periodSeconds":10},"livenessProbe":{"httpGet":{"path":"/healthz","port":%d},"periodSeconds":10}}]}}' "$1" $((20000 + $2)) $((20000 + $2))
  else
    printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"hostNetwork":true,"terminationGracePeriodSeconds":0,"containers":[{"name":"app","image":"127.0.0.1:5000/busybox:1.35","command":["sleep","3600"]}]}}' "$1"
  fi
}
count() { # running|all
  api "https://127.0.0.1:$port/pods" | python3 -c "import json,sys; items=json.load(sys.stdin)['items']; print(sum(1 for p in items if '$1' == 'all' or p['status'].get('phase') == 'Running'))"
}
wait_for() { # what target
  for _ in $(seq 1 300); do [ "$(count "$1")" "$3" "$2" ] && return 0; sleep 1; done
  echo "timed out waiting for $1 $3 $2" >&2; return 1
}

sleep 5
report "idle"
for round in $(seq 1 "$rounds"); do
  for i in $(seq 1 "$pods"); do
    api -o /dev/null -H "Content-Type: application/json" --data "$(body "r$round-$i" "$i")" "https://127.0.0.1:$port/pods"
  done
  wait_for running "$pods" -ge
  sleep 15
  report "round $round with $pods pods"
  for i in $(seq 1 "$pods"); do
    api -o /dev/null -X DELETE "https://127.0.0.1:$port/pods/default/r$round-$i?gracePeriodSeconds=0"
  done
  wait_for all 0 -eq
  sleep 10
  report "round $round after deleting them"
done
