#!/usr/bin/env bash
# The README's test command: installs what the tests need, brings up the offline test bed (local registry with
# images built here), builds Swiftlet with its tests, runs the whole suite against a real containerd, and tears
# down everything it started, whether the tests pass or fail. Run as root on Debian 12.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { printf '[test.sh] %s\n' "$*"; }

log "installing Debian and PyPI packages"
bash deploy/testbed/install-packages.sh
python3 -c "import openapi_spec_validator" 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages openapi-spec-validator

cleanup() {
  local rc=$?
  log "tearing down the test bed"
  bash deploy/testbed/down.sh || log "teardown reported a problem (see above)"
  exit $rc
}
trap cleanup EXIT INT TERM

log "starting the test bed (registry on 127.0.0.1:5000, busybox and pause images)"
bash deploy/testbed/up.sh

log "building (debug, with tests)"
build_log=$(mktemp /tmp/swiftlet-build.XXXXXX.log)
if ! swift build --build-tests >"$build_log" 2>&1; then
  grep -E "error:" "$build_log" | head -n 40 || true
  tail -n 20 "$build_log"
  exit 1
fi
rm -f "$build_log"

log "running the test suite"
swift test --skip-build --parallel "$@"
