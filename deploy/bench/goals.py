#!/usr/bin/env python3
"""Reads the RESULT lines of swiftlet-bench pod-start, density and api-bench.sh on stdin and prints issue 9's goals
with the measured figure and pass/fail, as one markdown table (run-all.sh's last step)."""
import argparse
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--pods", type=int, default=110)
parser.add_argument("--rounds", type=int, default=2)
args = parser.parse_args()

r = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 3 and parts[0] == "RESULT":
        try:
            r[parts[1]] = float(parts[2])
        except ValueError:
            pass

rows = []


def goal(name, value, ok, shown, informational=False):
    if value is None:
        rows.append((name, "not measured", "—"))
    elif informational:
        rows.append((name, shown, "reported"))
    else:
        rows.append((name, shown, "PASS" if ok else "FAIL"))


def get(key):
    return r.get(key)


for net in ("host", "cni"):
    v = get(f"pod_start.{net}.ratio_floor_p50")
    goal(f"pod start p50 ≤ 1.15× CRI floor ({net})", v, v is not None and v <= 1.15,
         v is not None and f"{v:.2f}× ({get(f'pod_start.{net}.swiftlet.p50_ms'):.0f} vs {get(f'pod_start.{net}.floor.p50_ms'):.0f} ms)")
    v = get(f"pod_start.{net}.ratio_floor_p99")
    goal(f"pod start p99 ≤ 1.5× CRI floor ({net})", v, v is not None and v <= 1.5,
         v is not None and f"{v:.2f}× ({get(f'pod_start.{net}.swiftlet.p99_ms'):.0f} vs {get(f'pod_start.{net}.floor.p99_ms'):.0f} ms)")
v = get("pod_start.host.ratio_podman_p50")
goal("≥ 2× faster than Podman play/kube at p50 (host)", v, v is not None and v <= 0.5,
     v is not None and f"{1 / v:.2f}× faster ({get('pod_start.host.swiftlet.p50_ms'):.0f} vs {get('pod_start.host.podman.p50_ms'):.0f} ms)")
v = get("pod_start.errors")
goal("pod start: 0 errors", v, v == 0, v is not None and f"{v:.0f}")

running, errors = get("density.running"), get("density.errors")
goal(f"{args.pods}-pod burst: all Running, 0 errors", running,
     running == args.pods and errors == 0, running is not None and f"{running:.0f}/{args.pods} Running, {errors:.0f} errors, all in {get('density.all_running_s'):.1f} s")
v = get("density.start_p99_ms")
goal(f"{args.pods}-pod burst: p99 start < 1.5 s", v, v is not None and v < 1500, v is not None and f"{v / 1000:.2f} s (p50 {get('density.start_p50_ms') / 1000:.2f} s)")
v = get("density.floor_start_p99_ms")
goal(f"{args.pods}-pod burst straight through the CRI (no goal; the floor)", v, True,
     v is not None and f"all running in {get('density.floor_all_running_s'):.1f} s, p50 {get('density.floor_start_p50_ms') / 1000:.2f} s, p99 {v / 1000:.2f} s; Swiftlet/floor p99 {get('density.start_p99_ms') / v:.2f}×; {get('density.floor_errors') or 0:.0f} floor errors",
     informational=True)
s, c = get("density.leftover_sandboxes"), get("density.leftover_containers")
goal("delete all: nothing left in containerd", s, s == 0 and c == 0,
     s is not None and f"{s:.0f} sandboxes, {c:.0f} containers; all gone in {get('density.clean_s'):.1f} s")
v = get("overhead.rss_idle_mib")
goal("RSS idle ≤ 40 MB", v, v is not None and v * 1.048576 <= 40, v is not None and f"{v * 1.048576:.1f} MB")
v = get("overhead.rss_loaded_mib")
goal(f"RSS with {args.pods} pods ≤ 60 MB", v, v is not None and v * 1.048576 <= 60, v is not None and f"{v * 1.048576:.1f} MB")
series = [get("overhead.rss_loaded_mib"), get("api.rss_before_mib")] + [get(f"api.r{i}.rss_mib") for i in range(1, args.rounds + 1)]
series = [x for x in series if x is not None]
if len(series) >= 3:
    # Flat: the last load round adds at most 2 MiB over the first one (warm-up allowed once).
    growth = series[-1] - series[2]
    goal("RSS flat across repeated load rounds", growth, growth <= 2.0,
         " → ".join(f"{x:.1f}" for x in series) + " MiB")
else:
    goal("RSS flat across repeated load rounds", None, False, "")
v = get("overhead.cpu_percent_core")
ready = get("density.ready_pods")
goal(f"agent CPU ≤ 2 % of a core with {args.pods} probed pods", v, v is not None and v <= 2.0,
     v is not None and f"{v:.2f} % ({get('overhead.cpu_s_per_min'):.2f} s/min; {ready:.0f} pods Ready via probes; containerd {get('overhead.containerd_cpu_s_per_min'):.2f} s/min, shims {get('overhead.shims_cpu_s_per_min'):.2f} s/min)")


def api_goal(route, label, floor):
    ratios = [get(f"api.{route}.r{i}.ratio") for i in range(1, args.rounds + 1)]
    ratios = [x for x in ratios if x is not None]
    if not ratios:
        goal(label, None, False, "")
        return
    worst = min(ratios)
    goal(label, worst, floor is None or worst >= floor,
         " / ".join(f"{x:.2f}×" for x in ratios) + f" (swiftlet {get(f'api.{route}.r{len(ratios)}.swiftlet_rps'):.0f} req/s)",
         informational=floor is None)


api_goal("healthz", "/healthz ≥ 0.75× nginx (every round)", 0.75)
api_goal("pods", f"GET /pods with {args.pods} pods ≥ 0.5× nginx static (every round)", 0.5)
api_goal("stats_summary", "GET /stats/summary vs nginx static (no goal; reported)", None)
v = get("api.handshakes.ratio")
goal("TLS handshakes/s vs nginx (no goal; reported)", v, True,
     v is not None and f"{v:.2f}× ({get('api.handshakes.swiftlet'):.0f} vs {get('api.handshakes.nginx'):.0f}/s)", informational=True)

print("### Goals (issue 9)")
print()
print("| goal | measured | result |")
print("|---|---|---|")
for name, shown, verdict in rows:
    print(f"| {name} | {shown} | {verdict} |")
failed = sum(1 for _, _, verdict in rows if verdict == "FAIL")
print()
print(f"{failed} goal(s) missed, {sum(1 for _, _, v in rows if v == 'PASS')} met, {sum(1 for _, _, v in rows if v == '—')} not measured")
sys.exit(1 if failed else 0)
