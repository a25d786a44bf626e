#!/usr/bin/env bash
# Idle RSS of one or more swiftlet binaries side by side: each starts on its own managed containerd, one pod comes
# and goes, 5 s later VmRSS/RssAnon/RssFile are read; the binaries alternate for the given number of rounds, so
# the machine's state weighs on all alike. With --mappings, the resident KiB per mapped file are printed too.
#
#   bash deploy/bench/idle-rss.sh [--rounds 2] [--mappings] BINARY...
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$repo/deploy/bench/agent-lib.sh"
rounds=2
mappings=0
binaries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --mappings) mappings=1; shift ;;
    *) binaries+=("$1"); shift ;;
  esac
done
[ "${#binaries[@]}" -gt 0 ] || { echo "usage: idle-rss.sh [--rounds N] [--mappings] BINARY..." >&2; exit 2; }
curl -sf --max-time 2 http://127.0.0.1:5000/v2/ >/dev/null || bash "$repo/deploy/testbed/up.sh" >&2
trap agent_stop EXIT
trap 'exit 130' INT TERM
for round in $(seq 1 "$rounds"); do
  for binary in "${binaries[@]}"; do
    agent_start "$binary" "/run/swb-idle-$$" 18448 10.254.0.0/24
    agent_post "$(bench_pod warm 20999)"
    agent_wait_count running 1 -ge 60
    agent_api -o /dev/null -X DELETE "https://127.0.0.1:$agent_port/pods/default/warm?gracePeriodSeconds=0"
    agent_wait_count all 0 -eq 60
    sleep 5
    echo "round $round $(basename "$binary"): $(agent_rss)"
    if [ "$mappings" = 1 ]; then
      awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6; if (name == "") name="[anon]"} /^Rss:/{rss[name]+=$2}
           END{for (n in rss) if (rss[n] > 200) printf "  %8d KiB %s\n", rss[n], n}' "/proc/$agent_pid/smaps" | sort -rn
    fi
    agent_stop
  done
done
