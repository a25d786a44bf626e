#!/usr/bin/env bash
# The agent's CPU with N pods of each probe kind, to tell what each kind of probe costs: plain pods (relist,
# housekeeping, resyncs), an exec readiness probe each, an httpGet liveness probe each, both. One release agent on its
# own managed containerd under /run/swb-cost-<pid>, host-network busybox httpd pods (ports 20000+i), 15 s to settle,
# then utime+stime over a window. Pods are deleted between kinds and everything is removed on exit.
#
#   bash deploy/bench/probe-cost.sh [--pods 110] [--window 40] [--kinds "plain exec http both"] [--binary PATH]
#
# Prints one line per kind: CPU s/min (and % of one core) and the agent's RSS.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$repo/deploy/bench/agent-lib.sh"
pods=110
window=40
kinds="plain exec http both"
binary="$repo/.build-perf/release/swiftlet"
while [ $# -gt 0 ]; do
  case "$1" in
    --pods) pods=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "no release build: swift build -c release --scratch-path .build-perf --product swiftlet" >&2; exit 1; }
curl -sf --max-time 2 http://127.0.0.1:5000/v2/ >/dev/null || bash "$repo/deploy/testbed/up.sh" >&2
trap agent_stop EXIT
trap 'exit 130' INT TERM
agent_start "$binary" "/run/swb-cost-$$" 18446 10.252.0.0/24

for kind in $kinds; do
  for i in $(seq 0 $((pods - 1))); do agent_post "$(bench_pod "p-$i" $((20000 + i)) "$kind")"; done
  agent_wait_count running "$pods" -ge
  sleep 15
  before=$(agent_cpu_ticks)
  sleep "$window"
  after=$(agent_cpu_ticks)
  python3 -c "t=($after-$before)/100; print(f'$kind: {t/$window*60:.2f} CPU s/min ({t/$window*100:.2f} % of a core) with $pods pods; ', end='')"
  echo "$(agent_rss)"
  for i in $(seq 0 $((pods - 1))); do agent_api -o /dev/null -X DELETE "https://127.0.0.1:$agent_port/pods/default/p-$i?gracePeriodSeconds=0"; done
  agent_wait_count all 0 -eq
done
