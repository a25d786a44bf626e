#!/usr/bin/env bash
# Builds the test bed's images with no network: the pause program (pause.c, static) and two OCI image layouts
# under deploy/testbed/out/: busybox (tags latest, 1.35) from Debian's busybox-static, and pause (tag 3.9).
# Rebuilds only what is missing or older than its inputs. Usage: build-images.sh [--force]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

force=false
[[ "${1:-}" == "--force" ]] && force=true
command -v gcc >/dev/null || die "gcc is missing: run deploy/testbed/install-packages.sh (Debian: gcc libc6-dev)"
[[ -x /bin/busybox ]] || die "/bin/busybox is missing: run deploy/testbed/install-packages.sh (Debian: busybox-static)"
mkdir -p "$out_dir"

# stale TARGET INPUT...: true when TARGET is missing, --force was given, or an input is newer.
stale() {
  local target=$1 input
  shift
  $force && return 0
  [[ -e "$target" ]] || return 0
  for input in "$@"; do [[ "$input" -nt "$target" ]] && return 0; done
  return 1
}

if stale "$out_dir/pause" "$testbed_dir/pause.c"; then
  gcc -static -O2 -Wall -Wextra -o "$out_dir/pause.tmp" "$testbed_dir/pause.c"
  mv "$out_dir/pause.tmp" "$out_dir/pause"
  log "compiled pause.c -> $out_dir/pause"
else
  log "pause binary is up to date"
fi

if stale "$out_dir/pause-image/index.json" "$out_dir/pause" "$testbed_dir/mkimage.py"; then
  log "$(python3 "$testbed_dir/mkimage.py" pause --pause-binary "$out_dir/pause" --out "$out_dir/pause-image" --tag 3.9)"
else
  log "pause image is up to date"
fi

if stale "$out_dir/busybox-image/index.json" /bin/busybox "$testbed_dir/mkimage.py"; then
  log "$(python3 "$testbed_dir/mkimage.py" busybox --busybox /bin/busybox --out "$out_dir/busybox-image" --tag latest --tag 1.35)"
else
  log "busybox image is up to date"
fi
