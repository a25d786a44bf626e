#!/usr/bin/env bash
# Tears down what up.sh and the tests started, and only that:
#  - every test containerd under $run_base/<test pid>/<instance>/ whose test process has ended (with --all: also those of
#    live test processes): containerd (by its pid file), its containers (runc, by its own runc root), its shims
#    (by their -address), every mount under that root (network namespaces, rootfs, shm), the CNI bridge, the
#    iptables rules and chains that carry its CNI network name, libcni's cached results, then the directory;
#  - the shared CNI-HOSTPORT-* chains of the portmap plugin, once no rule in them is left;
#  - the registry started by up.sh (by its pid file). Its storage stays for the next up.sh; --purge removes the
#    state dir and the built images too.
# Usage: down.sh [--all] [--tests-only] [--purge]. Idempotent; one line per step.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all=false tests_only=false purge=false
for arg in "$@"; do
  case "$arg" in
    --all) all=true ;;
    --tests-only) tests_only=true ;;
    --purge) purge=true ;;
    *) die "unknown option $arg (expected --all, --tests-only or --purge)" ;;
  esac
done
failures=0

# unmount_under DIR: every mount point at or below DIR, deepest first.
unmount_under() {
  local dir=$1 mp
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r mp; do
    mp=$(printf '%b' "$mp") # mountinfo escapes spaces as \040
    if umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null; then
      log "unmounted $mp"
    else
      log "warning: could not unmount $mp"
    fi
  done
}

# remove_cni_rules NETWORK: deletes the nat rules whose comment names NETWORK, and the CNI-* chains they jump to.
remove_cni_rules() {
  local net=$1 table line chain chains=()
  for table in nat filter; do
    while IFS= read -r line; do
      [[ -n "$line" ]] || continue
      chain=$(sed -nE 's/.* -j (CNI-[A-Za-z0-9-]+).*/\1/p' <<<"$line")
      # The rule text comes from iptables -S, which quotes it for a shell; eval turns it back into arguments.
      if eval "iptables -w -t $table ${line/#-A/-D}" 2>/dev/null; then
        log "removed iptables $table rule: $line"
      fi
      [[ -n "$chain" && "$chain" != CNI-HOSTPORT-* ]] && chains+=("$table:$chain")
    done < <(iptables -w -t "$table" -S 2>/dev/null | grep -F -- "name: \\\"$net\\\"")
  done
  for chain in "${chains[@]}"; do
    iptables -w -t "${chain%%:*}" -F "${chain#*:}" 2>/dev/null
    iptables -w -t "${chain%%:*}" -X "${chain#*:}" 2>/dev/null && log "removed iptables chain ${chain#*:} (${chain%%:*})"
  done
}

# stop_test_instance DIR: everything one managed containerd under DIR/containerd left behind.
stop_test_instance() {
  local dir=$1 owner=$2 pid conflist net bridge runc_root ns id shim result
  local cdir="$dir/containerd"
  if [[ -f "$cdir/containerd.pid" ]]; then
    pid=$(cat "$cdir/containerd.pid")
    if pid_alive "$pid" && pid_cmdline "$pid" | grep -qF "$cdir/config.toml"; then
      stop_pid "$pid" "test containerd of process $owner ($dir)" 10 || failures=$((failures + 1))
    fi
  fi
  # Containers first (through runc, so their cgroups go too), then the shims that held them.
  runc_root="$cdir/runc"
  if [[ -d "$runc_root" ]]; then
    for ns in "$runc_root"/*/; do
      [[ -d "$ns" ]] || continue
      for id in $(runc --root "$ns" list -q 2>/dev/null); do
        runc --root "$ns" kill "$id" KILL >/dev/null 2>&1
        if runc --root "$ns" delete --force "$id" >/dev/null 2>&1; then
          log "removed container ${id:0:12} ($(basename "$ns"))"
        fi
      done
    done
  fi
  for shim in $(pgrep -f "containerd-shim.* -address $cdir/containerd.sock" 2>/dev/null); do
    kill -KILL "$shim" 2>/dev/null && log "killed shim (pid $shim)"
  done
  unmount_under "$dir"
  for conflist in "$cdir"/cni/net.d/*.conflist; do
    [[ -f "$conflist" ]] || continue
    net=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$conflist" 2>/dev/null)
    bridge=$(python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]))["plugins"]:
    if p.get("type") == "bridge": print(p.get("bridge", "cni0"))' "$conflist" 2>/dev/null)
    if [[ -n "$net" ]]; then
      remove_cni_rules "$net"
      if compgen -G "/var/lib/cni/results/$net-*" >/dev/null; then
        # <net>-<sandbox id>-<ifname>; containerd's loopback results are cni-loopback-<sandbox id>-lo.
        for result in /var/lib/cni/results/"$net"-*; do
          id=${result#/var/lib/cni/results/"$net"-}
          rm -f "$result" /var/lib/cni/results/cni-loopback-"${id%-*}"-*
        done
        log "removed libcni results of network $net"
      fi
    fi
    if [[ -n "$bridge" ]] && ip link show "$bridge" >/dev/null 2>&1; then
      ip link delete "$bridge" && log "deleted bridge $bridge"
    fi
  done
}

# stop_test_process_dir DIR: DIR is <run_base>/<test pid>; each subdir holding a containerd/ is one instance.
stop_test_process_dir() {
  local dir=$1 owner owner_start="" instance
  owner=$(basename "$dir")
  [[ -f "$dir/owner" ]] && read -r owner owner_start <"$dir/owner"
  # A live test process keeps its instances (no owner file yet means it is still starting).
  if ! $all && pid_alive "$owner" && [[ -z "$owner_start" || "$(pid_starttime "$owner")" == "$owner_start" ]]; then
    log "kept the test containerd(s) of live test process $owner ($dir); --all stops them too"
    return
  fi
  for instance in "$dir"/*/; do
    [[ -d "$instance/containerd" ]] && stop_test_instance "${instance%/}" "$owner"
  done
  unmount_under "$dir"
  if rm -rf "$dir" 2>/dev/null; then
    log "removed $dir"
  else
    log "warning: could not remove $dir"
    failures=$((failures + 1))
  fi
}

if [[ -d "$run_base" ]]; then
  for dir in "$run_base"/*/; do
    [[ -d "$dir" ]] && stop_test_process_dir "${dir%/}"
  done
  rmdir "$run_base" 2>/dev/null && log "removed $run_base"
fi

# portmap's shared chains: only when no container rule is left in them (portmap recreates them on demand).
if iptables -w -t nat -S CNI-HOSTPORT-DNAT >/dev/null 2>&1 && [[ $(iptables -w -t nat -S CNI-HOSTPORT-DNAT | wc -l) -le 1 ]]; then
  for hook in PREROUTING OUTPUT POSTROUTING; do
    iptables -w -t nat -S "$hook" | grep -E -- '-j CNI-HOSTPORT-(DNAT|MASQ)' | while IFS= read -r line; do
      eval "iptables -w -t nat ${line/#-A/-D}"
    done
  done
  for chain in CNI-HOSTPORT-DNAT CNI-HOSTPORT-SETMARK CNI-HOSTPORT-MASQ; do
    iptables -w -t nat -F "$chain" 2>/dev/null
    iptables -w -t nat -X "$chain" 2>/dev/null && log "removed iptables chain $chain (nat)"
  done
fi

if ! $tests_only; then
  pid_file="$state_dir/registry.pid"
  if [[ -f "$pid_file" ]]; then
    pid=$(cat "$pid_file")
    if pid_alive "$pid" && pid_cmdline "$pid" | grep -q "docker-registry serve $state_dir/registry.yml"; then
      stop_pid "$pid" "docker-registry" 10 || failures=$((failures + 1))
    else
      log "registry pid file was stale (pid $pid)"
    fi
    rm -f "$pid_file"
  else
    log "no registry pid file: nothing to stop"
  fi
  if $purge; then
    rm -rf "$state_dir" "$out_dir" && log "removed $state_dir and $out_dir"
  fi
fi

if ((failures > 0)); then
  log "finished with $failures problem(s)"
  exit 1
fi
log "test bed is down"
