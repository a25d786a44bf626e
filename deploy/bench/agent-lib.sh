# Shared by the bench scripts that drive a release swiftlet with curl (sourced, not run): start one on its own
# managed containerd, talk to it, stop it and remove everything it left. Every wait is bounded.
# shellcheck shell=bash

# agent_start BINARY ROOT PORT POD_CIDR: starts the agent in the background (sets agent_pid, agent_root,
# agent_port, agent_auth) and waits up to 60 s for /readyz.
agent_start() {
  agent_root=$2
  agent_port=$3
  mkdir -p "$agent_root"
  "$1" --root-dir "$agent_root" --address 127.0.0.1 --port "$agent_port" --log-level warning \
    --pod-infra-container-image 127.0.0.1:5000/pause:3.9 --insecure-registry 127.0.0.1:5000 \
    --pod-cidr "$4" >"$agent_root.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 60); do
    [ -f "$agent_root/admin.token" ] && curl -sk --max-time 2 "https://127.0.0.1:$agent_port/readyz" \
      -H "Authorization: Bearer $(cat "$agent_root/admin.token")" | grep -q ok && break
    sleep 1
  done
  agent_auth="Authorization: Bearer $(cat "$agent_root/admin.token" 2>/dev/null)"
}

# agent_stop: deletes the agent's pods, stops it (it stops its containerd), then removes its mounts and directory.
agent_stop() {
  [ -n "${agent_pid:-}" ] || return 0
  local names
  names=$(agent_api "https://127.0.0.1:$agent_port/pods" 2>/dev/null |
    python3 -c "import json,sys; print(' '.join(p['metadata']['name'] for p in json.load(sys.stdin)['items']))" 2>/dev/null)
  for name in $names; do agent_api -o /dev/null -X DELETE "https://127.0.0.1:$agent_port/pods/default/$name?gracePeriodSeconds=0"; done
  [ -n "$names" ] && agent_wait_count all 0 -eq 120
  kill -TERM "$agent_pid" 2>/dev/null && timeout 60 tail --pid="$agent_pid" -f /dev/null || kill -KILL "$agent_pid" 2>/dev/null || true
  awk -v d="$agent_root/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$agent_root" "$agent_root.log"
  agent_pid=""
}

# agent_api CURL_ARGS...: curl against the agent with its admin token.
agent_api() { curl -sk --max-time 30 -H "$agent_auth" "$@"; }

# agent_count running|all: the agent's pods (Running ones, or all).
agent_count() {
  agent_api "https://127.0.0.1:$agent_port/pods" | python3 -c \
    "import json,sys; items=json.load(sys.stdin)['items']; print(sum(1 for p in items if '$1' == 'all' or p['status'].get('phase') == 'Running'))"
}

# agent_wait_count running|all N -eq|-ge [SECONDS]: waits (default 300 s) until the count compares to N.
agent_wait_count() {
  for _ in $(seq 1 "${4:-300}"); do [ "$(agent_count "$1")" "$3" "$2" ] && return 0; sleep 1; done
  echo "timed out waiting for $1 $3 $2" >&2
  return 1
}

# agent_post JSON_BODY: posts one pod.
agent_post() {
  agent_api -o /dev/null -X POST -H "Content-Type: application/json" --data "$1" "https://127.0.0.1:$agent_port/pods"
}

# agent_rss: VmRSS, RssAnon and RssFile of the agent, on one line.
agent_rss() { grep -E '^(VmRSS|RssAnon|RssFile)' "/proc/$agent_pid/status" | tr -s ' \t\n' ' '; }

# agent_cpu_ticks: the agent's utime + stime in clock ticks.
agent_cpu_ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }

# bench_pod NAME PORT [PROBES]: a host-network busybox pod serving /healthz with httpd on PORT; PROBES is
# exec, http, both or nothing (an exec readiness and/or an httpGet liveness probe every 10 s, as the density
# benchmark's pods have).
bench_pod() {
  local probes=""
  case "${3:-}" in
    exec) probes=',"readinessProbe":{"exec":{"command":["true"]},"periodSeconds":10}' ;;
    http) probes=',"livenessProbe":{"httpGet":{"path":"/healthz","port":'"$2"'},"periodSeconds":10}' ;;
    both) probes=',"readinessProbe":{"exec":{"command":["true"]},"periodSeconds":10},"livenessProbe":{"httpGet":{"path":"/healthz","port":'"$2"'},"periodSeconds":10}' ;;
  esac
  printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"hostNetwork":true,"terminationGracePeriodSeconds":0,"containers":[{"name":"app","image":"127.0.0.1:5000/busybox:1.35","command":["sh","-c","mkdir -p /www && echo ok >/www/healthz && exec httpd -f -p %d -h /www"]%s}]}}' "$1" "$2" "$probes"
}
