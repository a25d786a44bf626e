#!/usr/bin/env bash
# Logs and one-shot exec through a real swiftlet, each next to its floor, in one run:
#   - log follow throughput at the client (a container writing as fast as it can, followed from its start),
#     next to the container's own write rate, a plain (non-follow) read of the finished log, and `cat` of the file;
#   - POST /exec round trip over one keep-alive TLS connection, next to the raw CRI ExecSync floor
#     (`swiftlet-bench exec-floor`, same containerd, same container).
# Starts the test bed's registry (if not running) and a swiftlet with its own managed containerd under
# /run/swiftlet-logs-bench/<pid>; deletes the pods, stops both and removes the directory when done.
# Environment: LOGS_BENCH_MB (log size, default 200), LOGS_BENCH_EXEC_RUNS (default 30),
# SWIFTLET_BENCH_CONFIGURATION (release or debug, default release).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
config=${SWIFTLET_BENCH_CONFIGURATION:-release}
size_mb=${LOGS_BENCH_MB:-200}
runs=${LOGS_BENCH_EXEC_RUNS:-30}

started_registry=1
curl -sf http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && started_registry=0
bash deploy/testbed/up.sh >/dev/null
swift build -c "$config" --product swiftlet >/dev/null
swift build -c "$config" --product swiftlet-bench >/dev/null
bin=$(swift build -c "$config" --show-bin-path)

root=/run/swiftlet-logs-bench/$$
mkdir -p "$root"
"$bin/swiftlet" --root-dir "$root" --address 127.0.0.1 --port 0 --hostname-override logs-bench \
  --pod-infra-container-image 127.0.0.1:5000/pause:3.9 --insecure-registry 127.0.0.1:5000 \
  --pod-cidr 10.250.9.0/24 --relist-period 200ms --container-log-max-size 4Gi --log-level notice \
  >"$root/agent.log" 2>&1 &
agent=$!

api() {  # api METHOD PATH [curl args...]
  local method=$1 path=$2
  shift 2
  curl -sS --max-time 60 -X "$method" --cacert "$root/pki/ca.crt" -H "Authorization: Bearer $token" "$@" \
    "https://127.0.0.1:$port$path"
}

cleanup() {
  if [ -n "${port:-}" ] && [ -n "${token:-}" ]; then
    for pod in writer sleeper; do api DELETE "/pods/default/$pod?gracePeriodSeconds=0" >/dev/null 2>&1 || true; done
    for _ in $(seq 1 100); do
      left=$(api GET /pods 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))' 2>/dev/null || echo 0)
      [ "$left" = 0 ] && break
      sleep 0.2
    done
  fi
  kill -TERM "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  rm -rf "$root"
  rmdir /run/swiftlet-logs-bench 2>/dev/null || true
  [ "$started_registry" = 1 ] && bash deploy/testbed/down.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT

for _ in $(seq 1 300); do
  port=$(sed -n 's|.*serving https://127.0.0.1:\([0-9]*\) .*|\1|p' "$root/agent.log" | head -1)
  [ -n "$port" ] && [ -s "$root/admin.token" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$root/agent.log"; echo "swiftlet did not start" >&2; exit 1; }
token=$(cat "$root/admin.token")
for _ in $(seq 1 300); do
  [ "$(curl -s --cacert "$root/pki/ca.crt" "https://127.0.0.1:$port/readyz" || true)" = ok ] && break
  sleep 0.2
done

line=$(printf '%0.s0123456789' $(seq 1 9))01234567  # 98 characters, 99 bytes with the newline
pod() {  # pod NAME RESTART SCRIPT
  printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"hostNetwork":true,"restartPolicy":"%s","containers":[{"name":"c","image":"127.0.0.1:5000/busybox:1.35","command":["sh","-c","%s"]}]}}' "$1" "$2" "$3"
}
api POST /pods -H 'Content-Type: application/json' --data-binary "$(pod sleeper Always 'exec sleep 3600')" >/dev/null
# The writer waits for a file the benchmark creates once its follower is connected, then writes flat out.
api POST /pods -H 'Content-Type: application/json' \
  --data-binary "$(pod writer Never "while [ ! -e /tmp/go ]; do usleep 10000; done; yes $line | head -c $((size_mb * 1000000))")" >/dev/null

state() {  # state POD → running / terminated / waiting, plus the container ID
  api GET "/pods/default/$1" | python3 -c '
import json, sys
s = (json.load(sys.stdin).get("status", {}).get("containerStatuses") or [{}])[0]
state = next(iter(s.get("state", {"waiting": {}})), "waiting")
print(state, s.get("containerID", "").replace("containerd://", ""))'
}
for _ in $(seq 1 600); do
  read -r writer_state writer_id < <(state writer)
  read -r sleeper_state sleeper_id < <(state sleeper)
  [ "$writer_state" = running ] && [ "$sleeper_state" = running ] && break
  sleep 0.1
done
[ "$writer_state" = running ] && [ "$sleeper_state" = running ] || { echo "pods did not start" >&2; exit 1; }

export LB_PORT=$port LB_TOKEN=$token LB_CA=$root/pki/ca.crt LB_RUNS=$runs LB_ROOT=$root LB_WRITER=$writer_id
python3 - <<'PY' >"$root/results"
import glob, http.client, os, ssl, subprocess, threading, time

port, token, runs, root = int(os.environ["LB_PORT"]), os.environ["LB_TOKEN"], int(os.environ["LB_RUNS"]), os.environ["LB_ROOT"]
context = ssl.create_default_context(cafile=os.environ["LB_CA"])
def connect():
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=120)
headers = {"Authorization": "Bearer " + token}

def read_all(path):
    """Bytes of the body and seconds from the first to the last byte (and from the request to the last byte)."""
    c = connect()
    sent = time.monotonic()
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    assert r.status == 200, r.status
    total, first, last = 0, None, None
    while True:
        chunk = r.read1(1 << 20)
        if not chunk:
            break
        now = time.monotonic()
        first = first or now
        last = now
        total += len(chunk)
    c.close()
    return total, (last - first) if first else 0.0, (last - sent) if last else 0.0

# Follow from the start; the writer starts once the follower is connected (the go file appears in its /tmp).
result = {}
follower = threading.Thread(target=lambda: result.update(follow=read_all("/containerLogs/default/writer/c?follow=true")))
follower.start()
time.sleep(0.5)
rootfs = glob.glob(f"{root}/containerd/state/io.containerd.runtime.v2.task/k8s.io/{os.environ['LB_WRITER']}/rootfs")[0]
open(rootfs + "/tmp/go", "w").close()
follower.join(600)
followed, follow_span, _ = result["follow"]

log = glob.glob(f"{root}/pods/logs/default_writer_*/c/0.log")[0]
file_bytes = os.path.getsize(log)
with open(log, "rb") as f:
    first_ts = f.readline().split(b" ")[0].decode()
    f.seek(max(0, file_bytes - 4096))
    last_ts = f.read().rstrip(b"\n").split(b"\n")[-1].split(b" ")[0].decode()
def seconds(ts):  # RFC 3339 with up to 9 fractional digits, UTC
    base, _, frac = ts.rstrip("Z").partition(".")
    return time.mktime(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) + float("0." + (frac or "0"))
write_span = seconds(last_ts) - seconds(first_ts)

plain, plain_span, _ = read_all("/containerLogs/default/writer/c")
started = time.monotonic()
subprocess.run(["cat", log], stdout=subprocess.DEVNULL, check=True)
cat_span = time.monotonic() - started

c = connect()
samples = []
for i in range(runs + 1):
    started = time.monotonic()
    c.request("POST", "/exec/default/sleeper/c?command=true", headers=headers)
    r = c.getresponse()
    body = r.read()
    assert r.status == 200 and b'"exitCode":0' in body, body
    if i:
        samples.append((time.monotonic() - started) * 1000)
samples.sort()
mb = lambda n, s: f"{n / s / 1e6:.0f}" if s > 0 else "n/a"
print(f"| container writing (CRI file, {file_bytes / 1e6:.0f} MB in {write_span:.2f} s) | {mb(file_bytes, write_span)} |")
print(f"| follow=true at the client ({followed / 1e6:.0f} MB of output, first to last byte {follow_span:.2f} s) | {mb(followed, follow_span)} |")
print(f"| plain read of the finished log ({plain / 1e6:.0f} MB of output in {plain_span:.2f} s) | {mb(plain, plain_span)} |")
print(f"| cat of the same CRI file (page cache, {cat_span:.2f} s) | {mb(file_bytes, cat_span)} |")
print(f"EXEC {samples[len(samples) // 2]:.1f} {samples[min(len(samples) - 1, len(samples) * 9 // 10)]:.1f}")
PY

read -r floor_p50 floor_p90 < <("$bin/swiftlet-bench" exec-floor --endpoint "unix://$root/containerd/containerd.sock" \
  --container "$sleeper_id" --runs "$runs")
read -r _ exec_p50 exec_p90 < <(grep '^EXEC' "$root/results")
echo "### Log follow throughput ($config build, ${size_mb} MB written by yes | head)"
echo
echo "| path | MB/s |"
echo "|---|---|"
grep -v '^EXEC' "$root/results"
echo
echo "### One-shot exec round trip ($config build, $runs sequential calls of \`true\`)"
echo
echo "| path | p50 ms | p90 ms |"
echo "|---|---|---|"
echo "| POST /exec (HTTPS keep-alive, JSON answer) | $exec_p50 | $exec_p90 |"
echo "| CRI ExecSync floor (swiftlet-bench exec-floor) | $floor_p50 | $floor_p90 |"
