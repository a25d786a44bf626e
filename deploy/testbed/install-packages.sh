#!/usr/bin/env bash
# Installs every Debian 12 package Swiftlet needs to build, test and run, non-interactively and quietly.
# Idempotent: when everything is already installed it touches nothing (no apt-get update either).
# It never leaves Debian's own docker-registry service running: that one listens on *:5000 with htpasswd auth and
# would take the port the test bed's registry needs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=(
  # the container runtime Swiftlet manages, and the CNI plugins it configures (bridge, host-local, loopback, portmap)
  containerd runc containernetworking-plugins iptables iproute2
  # the test bed: local registry, image push, busybox image, pause image (gcc -static needs libc6-dev)
  docker-registry skopeo busybox-static gcc libc6-dev python3 curl ca-certificates
  # Swiftlet's HTTPS server (libevent + OpenSSL) and regenerating the CRI code
  libevent-dev libssl-dev pkg-config protobuf-compiler
  # YAML: manifests, the config file and the authorization policy are read (and static pods written) by libyaml
  libyaml-dev
  # the Swift 6 toolchain's own build dependencies on Debian 12
  binutils git libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev libsqlite3-0 libstdc++-12-dev
  libxml2-dev libncurses-dev libz3-dev tzdata unzip zlib1g-dev
  # test tooling (the OpenAPI validator is a PyPI package installed with pip)
  python3-pip
  # promtool and a real Prometheus for the metrics endpoints' ecosystem tests
  prometheus
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  log "all ${#packages[@]} Debian packages are installed"
else
  log "installing ${#missing[@]} Debian package(s): ${missing[*]}"
  # policy-rc.d exit 101 is Debian's way to keep maintainer scripts from starting services (no systemd here, so
  # docker-registry's postinst would otherwise start its init.d service on *:5000). Only add one if none exists.
  own_policy=false
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=true
  fi
  trap '$own_policy && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$(mktemp /tmp/swiftlet-apt.XXXXXX.log)
  if ! { apt-get -qq update && apt-get -qq install -y --no-install-recommends -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get failed (full log: $apt_log)"
  fi
  rm -f "$apt_log"
  log "installed: ${missing[*]}"
fi

# Belt and braces: if Debian's registry service runs anyway (an older install, a machine with another policy),
# stop it so that 127.0.0.1:5000 is free for the test bed.
debian_pid=""
[[ -f /var/run/docker-registry.pid ]] && debian_pid=$(cat /var/run/docker-registry.pid)
if [[ -n "$debian_pid" ]] && pid_alive "$debian_pid"; then
  /etc/init.d/docker-registry stop >/dev/null 2>&1 || stop_pid "$debian_pid" "Debian's docker-registry service"
  log "stopped Debian's docker-registry service (pid $debian_pid)"
fi
for pid in $(pgrep -x docker-registry 2>/dev/null); do
  if pid_cmdline "$pid" | grep -q "/etc/docker/registry/config.yml"; then
    stop_pid "$pid" "docker-registry with Debian's default config"
  fi
done
log "Debian packages are ready"
