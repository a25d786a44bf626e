#!/usr/bin/env bash
# The README's run command: installs what Swiftlet needs on Debian 12, starts the offline local registry (so the
# pause and busybox images are there without internet), builds a release binary, and runs Swiftlet on its embedded
# default: a containerd it configures, starts and supervises under <root-dir>/containerd. Extra arguments go to
# swiftlet (for example --port 10250 or --config /etc/swiftlet/config.yaml). Run as root.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
log() { printf '[run.sh] %s\n' "$*"; }

log "installing Debian packages"
bash deploy/testbed/install-packages.sh

log "starting the local registry with the pause and busybox images (127.0.0.1:5000)"
bash deploy/testbed/up.sh

log "building swiftlet (release)"
build_log=$(mktemp /tmp/swiftlet-build.XXXXXX.log)
if ! swift build -c release --product swiftlet >"$build_log" 2>&1; then
  grep -E "error:" "$build_log" | head -n 40 || true
  tail -n 20 "$build_log"
  exit 1
fi
rm -f "$build_log"
binary="$repo/.build/release/swiftlet"

log "starting swiftlet; stop it with Ctrl-C (running containers keep running, as with kubelet)"
exec "$binary" \
  --pod-infra-container-image 127.0.0.1:5000/pause:3.9 \
  --insecure-registry 127.0.0.1:5000 \
  "$@"
