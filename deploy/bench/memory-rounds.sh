#!/usr/bin/env bash
# The agent's anonymous memory across repeated rounds of pods: idle, then per round with N pods running and after
# they are all deleted. Tells a leak (every round higher) from a bounded structure filling up, and shows what the
# allocator gives back. Uses the release build in .build-perf, the test bed's registry, its own root directory and
# managed containerd under /run/swb-mem-<pid>, loopback port 18445, host-network pods. Bounded: every wait times out.
#
#   bash deploy/bench/memory-rounds.sh [--pods 110] [--rounds 3] [--probed]
#
# --probed gives each pod an exec readiness probe and an httpGet liveness probe at 10 s (busybox httpd on port
# 20000+i), as the density benchmark does; the default is the same pods without probes. Prints one line per measurement.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$repo/deploy/bench/agent-lib.sh"
pods=110
rounds=3
probes=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pods) pods=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --probed) probes=both; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bin="$repo/.build-perf/release/swiftlet"
[ -x "$bin" ] || { echo "no release build: swift build -c release --scratch-path .build-perf --product swiftlet" >&2; exit 1; }
curl -sf --max-time 2 http://127.0.0.1:5000/v2/ >/dev/null || bash "$repo/deploy/testbed/up.sh" >&2
trap agent_stop EXIT
trap 'exit 130' INT TERM
agent_start "$bin" "/run/swb-mem-$$" 18445 10.251.0.0/24
report() { echo "$(date -u +%T) $1: $(agent_rss)"; }

sleep 5
report "idle"
for round in $(seq 1 "$rounds"); do
  for i in $(seq 1 "$pods"); do agent_post "$(bench_pod "r$round-$i" $((20000 + i)) "$probes")"; done
  agent_wait_count running "$pods" -ge
  sleep 15
  report "round $round with $pods pods"
  for i in $(seq 1 "$pods"); do
    agent_api -o /dev/null -X DELETE "https://127.0.0.1:$agent_port/pods/default/r$round-$i?gracePeriodSeconds=0"
  done
  agent_wait_count all 0 -eq
  sleep 10
  report "round $round after deleting them"
done
