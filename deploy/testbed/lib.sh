# Shared by the test bed scripts (sourced, not run). Paths, logging and small process helpers.
# shellcheck shell=bash

testbed_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$testbed_dir/../.." && pwd)
# Built images (OCI layouts) and the pause binary. Git-ignored.
out_dir="$testbed_dir/out"
# Registry config, storage, pid and log. Git-ignored unless SWIFTLET_TESTBED_STATE points elsewhere.
state_dir="${SWIFTLET_TESTBED_STATE:-$testbed_dir/state}"
# Where TestSupport puts one private containerd per test process: <run_base>/<test pid>/. Must match
# Tests/TestSupport/TestRuntime.swift. Short on purpose: unix socket paths are limited to 107 bytes.
run_base="${SWIFTLET_TEST_RUN_BASE:-/run/swiftlet-test}"
registry_addr="127.0.0.1:5000"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] error: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# pid_alive PID: the process exists (and is not a zombie).
pid_alive() {
  local pid=$1 state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/stat" ]] || return 1
  state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ "$state" != "Z" && "$state" != "X" ]]
}

# pid_cmdline PID: the command line with spaces between arguments.
pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

# pid_starttime PID: field 22 of /proc/PID/stat, which tells a process from a later one that reused its pid.
pid_starttime() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }

# stop_pid PID WHAT [TIMEOUT]: SIGTERM, wait up to TIMEOUT seconds (default 10), then SIGKILL.
stop_pid() {
  local pid=$1 what=$2 timeout=${3:-10} i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || { log "stopped $what (pid $pid)"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || { log "killed $what (pid $pid) after ${timeout}s"; return 0; }
    sleep 0.1
  done
  log "warning: $what (pid $pid) did not exit"
  return 1
}

# registry_answers: the registry API answers on registry_addr.
registry_answers() { curl -fsS --max-time 2 -o /dev/null "http://$registry_addr/v2/" 2>/dev/null; }
