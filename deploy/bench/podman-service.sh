#!/usr/bin/env bash
# Podman's REST service as the benchmark's peer, set up the way shared/notes/podman-peer-facts.md says works on these
# machines: runc (crun fails on hybrid cgroups here), default_ulimits (root lacks CAP_SYS_RESOURCE), a local pause
# image as infra image, private storage, network config and registries config under DIR, nothing in /etc/cni.
#
#   bash deploy/bench/podman-service.sh up DIR [--install]   # prints the socket path on success
#   bash deploy/bench/podman-service.sh down DIR
#
# --install: apt-get install podman (with /etc/cni excluded so its bridge config cannot disturb containerd's CNI).
# Never used by the test suite.
set -euo pipefail
action=${1:?up or down}
dir=${2:?state directory}
install=0
[ "${3:-}" = "--install" ] && install=1
registry=127.0.0.1:5000

export CONTAINERS_CONF="$dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$dir/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$dir/registries.conf"

down() {
  if [ -f "$dir/service.pid" ]; then
    pid=$(cat "$dir/service.pid")
    if kill -0 "$pid" 2>/dev/null; then
      timeout 60 podman pod rm -af -t 0 >/dev/null 2>&1 || true
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  # Overlay and shm mounts of the private storage, deepest first.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$dir"
}

if [ "$action" = down ]; then
  down
  exit 0
fi
[ "$action" = up ] || { echo "unknown action $action" >&2; exit 2; }

if ! command -v podman >/dev/null; then
  if [ "$install" = 1 ]; then
    echo "installing podman (Debian package, /etc/cni excluded)..." >&2
    printf 'path-exclude=/etc/cni/*\n' >/etc/dpkg/dpkg.cfg.d/swiftlet-bench-no-podman-cni
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq podman runc >/dev/null
    rm -f /etc/dpkg/dpkg.cfg.d/swiftlet-bench-no-podman-cni /etc/cni/net.d/87-podman-bridge.conflist
  else
    echo "podman is not installed (pass --install-podman to run-all.sh)" >&2
    exit 3
  fi
fi

mkdir -p "$dir/networks" "$dir/storage" "$dir/run" "$dir/tmp"
cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "host"
[engine]
runtime = "runc"
infra_image = "$registry/pause:3.9"
tmp_dir = "$dir/tmp"
[network]
network_config_dir = "$dir/networks"
CONF
cat >"$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$dir/run"
CONF
cat >"$CONTAINERS_REGISTRIES_CONF" <<CONF
[[registry]]
location = "$registry"
insecure = true
CONF

timeout 120 podman pull -q "$registry/pause:3.9" >/dev/null
timeout 120 podman pull -q "$registry/busybox:1.35" >/dev/null
setsid podman system service --time=0 "unix://$dir/podman.sock" </dev/null >"$dir/service.log" 2>&1 &
echo $! >"$dir/service.pid"
for _ in $(seq 1 100); do
  curl -sf --unix-socket "$dir/podman.sock" http://d/v4.0.0/libpod/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --unix-socket "$dir/podman.sock" http://d/v4.0.0/libpod/_ping >/dev/null || {
  echo "podman service did not answer; $(tail -n 5 "$dir/service.log")" >&2
  down
  exit 1
}
echo "$dir/podman.sock"
