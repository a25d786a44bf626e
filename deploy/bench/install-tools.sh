#!/usr/bin/env bash
# Installs the load generator and the baseline server the API benchmarks need (Debian's wrk and nginx-light) when
# they are missing. Debian's nginx package would start its service on *:80; no service is started here (the
# benchmarks run their own nginx on a loopback port), and one the package started anyway is stopped.
set -euo pipefail
command -v wrk >/dev/null && command -v nginx >/dev/null && exit 0
echo "installing wrk and nginx-light (Debian packages)..." >&2
own_policy=false
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  own_policy=true
fi
trap '$own_policy && rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
timeout 900 apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null 2>&1 ||
  { timeout 300 apt-get -qq update >/dev/null 2>&1 && timeout 900 apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null; }
if [ -f /run/nginx.pid ]; then
  kill "$(cat /run/nginx.pid)" 2>/dev/null || true
fi
command -v wrk >/dev/null && command -v nginx >/dev/null
