#!/usr/bin/env bash
# CRI floor benchmark: RunPodSandbox + CreateContainer + StartContainer to running through Swiftlet's CRI client
# (host network, then CNI), next to `ctr run --rm` of the same image on the same containerd, in one run.
# Starts the offline test bed's registry and a private managed containerd under /run/swiftlet-bench/<pid>,
# and removes both when done. Extra arguments go to `swiftlet-bench cri-floor` (e.g. --runs 30).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
# Stop the registry afterwards only if this script started it.
started_registry=1
curl -sf http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && started_registry=0
bash deploy/testbed/up.sh >/dev/null
trap '[ "$started_registry" = 1 ] && bash deploy/testbed/down.sh >/dev/null 2>&1; ip link delete swbench0 2>/dev/null; rmdir /run/swiftlet-bench 2>/dev/null || true' EXIT
swift build -c "${SWIFTLET_BENCH_CONFIGURATION:-release}" --product swiftlet-bench >/dev/null
"$(swift build -c "${SWIFTLET_BENCH_CONFIGURATION:-release}" --show-bin-path)/swiftlet-bench" cri-floor "$@"
