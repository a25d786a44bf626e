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
python3 -c "import websocket" 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check websocket-client 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages websocket-client
# The gRPC health server the prober tests run as a real peer (ProbeGRPCTests).
python3 -c "import grpc, grpc_health.v1" 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check grpcio grpcio-health-checking 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages grpcio grpcio-health-checking

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

# One test process per module: each gets its own cooperative thread pool (one thread per core here), so a suite
# that blocks on a child process or saturates the CPU cannot starve another module's servers of threads.
# Suites inside a module still run concurrently.
targets=(KubeTypesTests ContainerLogsTests SystemSupportTests EventHTTPTests ManagedRuntimeTests CRITests NodeAgentTests NodeAPITests NodeMetricsTests StreamBridgeTests)
passed=0
failed=0
failed_targets=()
for target in "${targets[@]}"; do
  log "running $target"
  target_log=$(mktemp /tmp/swiftlet-test.XXXXXX.log)
  set +e
  swift test --skip-build --filter "^${target}\\." "$@" 2>&1 | tee "$target_log" | grep -E "^(✔|✘|􀟈|􁁛|􀢄)? ?(Test run|Suite .* (passed|failed)|Test .* failed|Test .* recorded an issue)" 
  status=${PIPESTATUS[0]}
  set -e
  summary=$(grep -E "Test run with [0-9]+ tests?" "$target_log" | tail -n 1)
  total=$(echo "$summary" | sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\}.*/\1/p')
  issues=$(grep -cE "Test .* failed after" "$target_log" || true)
  rm -f "$target_log"
  total=${total:-0}
  if [ "$status" -ne 0 ] || [ "$total" -eq 0 ]; then
    failed_targets+=("$target")
    failed=$((failed + (issues > 0 ? issues : 1)))
    passed=$((passed + total - (issues > 0 ? issues : 0)))
  else
    passed=$((passed + total))
  fi
done
echo "swift-test: $passed passed, $failed failed"
if [ "${#failed_targets[@]}" -gt 0 ]; then
  log "failed: ${failed_targets[*]}"
  exit 1
fi
