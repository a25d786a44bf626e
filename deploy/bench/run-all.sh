#!/usr/bin/env bash
# Issue 9's benchmark suite in one command: builds swiftlet and swiftlet-bench in release, starts the offline test
# bed's registry, runs
#   1. pod start latency (host network, then CNI) next to the CRI floor and, when Podman is there, play/kube;
#   2. a 110-pod burst with probes, delete all, nothing left in containerd;
#   3. the agent's RSS and CPU with those pods, next to containerd and the shims;
#   4. the API under wrk next to nginx (deploy/bench/api-bench.sh, run while the 110 pods are up);
# and prints one table of the goals with pass/fail. Everything it starts is stopped on exit; every step is bounded by
# `timeout`; it talks only to loopback, the registry on 127.0.0.1:5000 and its own pod network.
#
#   bash deploy/bench/run-all.sh [--runs 30] [--pods 110] [--cpu-seconds 60] [--duration 10] [--rounds 2]
#                                [--install-podman] [--no-podman] [--skip-build]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
runs=30
pods=110
cpu_seconds=60
duration=10
rounds=2
install_podman=0
use_podman=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --pods) pods=$2; shift 2 ;;
    --cpu-seconds) cpu_seconds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --install-podman) install_podman=1; shift ;;
    --no-podman) use_podman=0; shift ;;
    --skip-build) build=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

# A scratch path of its own: a release build holds SwiftPM's lock for minutes, and the team shares .build.
scratch="$repo/.build-perf"
if [ "$build" = 1 ]; then
  echo "building swiftlet and swiftlet-bench (release, $scratch)..." >&2
  timeout 3600 swift build -c release --scratch-path "$scratch" --product swiftlet >"/tmp/swiftlet-runall-build.log" 2>&1 ||
    { tail -n 30 /tmp/swiftlet-runall-build.log >&2; exit 1; }
  timeout 3600 swift build -c release --scratch-path "$scratch" --product swiftlet-bench >>"/tmp/swiftlet-runall-build.log" 2>&1 ||
    { tail -n 30 /tmp/swiftlet-runall-build.log >&2; exit 1; }
fi
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
[ -x "$bin/swiftlet" ] && [ -x "$bin/swiftlet-bench" ] || { echo "no release binaries in $bin" >&2; exit 1; }

work=$(mktemp -d /tmp/swiftlet-runall.XXXXXX)
podman_dir="/run/swb-podman-$$"
started_registry=1
curl -sf --max-time 2 http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && started_registry=0
cleanup() {
  [ -d "$podman_dir" ] && bash deploy/bench/podman-service.sh down "$podman_dir" >/dev/null 2>&1
  # swiftlet-bench removes its own roots (/run/swb-<pid>-*); this catches a bench killed by timeout.
  for root in /run/swb-*-ps /run/swb-*-dn; do
    [ -d "$root" ] || continue
    pid=${root#/run/swb-}; pid=${pid%-*}
    kill -0 "$pid" 2>/dev/null && continue
    for pidfile in "$root/containerd/containerd.pid"; do
      [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
    # The shims of that containerd only: their command line names its socket.
    for cmdline in /proc/[0-9]*/cmdline; do
      tr '\0' ' ' <"$cmdline" 2>/dev/null | grep -q -- "-address $root/containerd/containerd.sock" || continue
      p=${cmdline#/proc/}; kill -9 "${p%/cmdline}" 2>/dev/null || true
    done
    awk -v d="$root/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$root"
  done
  # The managed containerd's CNI bridge, once no pod is attached to it (it keeps the benchmark's pod CIDR otherwise).
  if [ -d /sys/class/net/swiftlet0/brif ] && [ -z "$(ls /sys/class/net/swiftlet0/brif)" ]; then ip link delete swiftlet0 2>/dev/null || true; fi
  [ "$started_registry" = 1 ] && bash deploy/testbed/down.sh >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
timeout 600 bash deploy/testbed/up.sh >/dev/null
# The API step's wrk and nginx, installed now so that the density step's pods do not wait on apt.
bash deploy/bench/install-tools.sh

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), containerd $(containerd --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1 {print $3}')"
echo "## swiftlet-bench run-all, $(date -u +%Y-%m-%dT%H:%MZ), $(git describe --always --dirty)"
echo "machine: $machine; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bash deploy/bench/run-all.sh --runs $runs --pods $pods --cpu-seconds $cpu_seconds --duration $duration --rounds $rounds"
echo

podman_args=()
if [ "$use_podman" = 1 ]; then
  flag=""; [ "$install_podman" = 1 ] && flag=--install
  if socket=$(timeout 1200 bash deploy/bench/podman-service.sh up "$podman_dir" $flag); then
    podman_args=(--podman-socket "$socket")
    echo "podman: $(podman --version) (REST service on $socket)"
  else
    echo "podman: not measured (not installed, or its service did not start)"
  fi
  echo
fi

timeout 3600 "$bin/swiftlet-bench" pod-start --swiftlet "$bin/swiftlet" --runs "$runs" "${podman_args[@]}" | tee "$work/pod-start.out"
echo
[ -d "$podman_dir" ] && bash deploy/bench/podman-service.sh down "$podman_dir" >/dev/null 2>&1
timeout 3600 "$bin/swiftlet-bench" density --swiftlet "$bin/swiftlet" --pods "$pods" --cpu-seconds "$cpu_seconds" \
  --while-running "bash '$repo/deploy/bench/api-bench.sh' --duration $duration --rounds $rounds" | tee "$work/density.out"
echo

cat "$work/pod-start.out" "$work/density.out" | python3 "$repo/deploy/bench/goals.py" --pods "$pods" --rounds "$rounds"
