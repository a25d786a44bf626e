#!/usr/bin/env bash
# Brings up the offline test bed, idempotently: builds the images if needed, runs Debian's docker-registry on
# 127.0.0.1:5000 with our own config and storage under the state dir (deploy/testbed/state/ or
# $SWIFTLET_TESTBED_STATE), and pushes 127.0.0.1:5000/busybox:latest, busybox:1.35 and pause:3.9 with skopeo.
# Everything it starts has a pid file there; down.sh stops it. One line per step.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in docker-registry skopeo curl python3; do
  command -v "$tool" >/dev/null || die "$tool is missing: run deploy/testbed/install-packages.sh"
done

bash "$testbed_dir/build-images.sh"

mkdir -p "$state_dir/registry"
registry_pid_file="$state_dir/registry.pid"
registry_config="$state_dir/registry.yml"
policy="$state_dir/policy.json"

# Our own registry config: loopback only, no auth, storage in the state dir. (Debian's default config listens on
# every interface and turns on htpasswd auth.)
cat >"$registry_config.tmp" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $state_dir/registry
  delete:
    enabled: true
http:
  addr: $registry_addr
YAML
mv "$registry_config.tmp" "$registry_config"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$policy"

registry_pid=""
[[ -f "$registry_pid_file" ]] && registry_pid=$(cat "$registry_pid_file")
if [[ -n "$registry_pid" ]] && pid_alive "$registry_pid" && pid_cmdline "$registry_pid" | grep -q "docker-registry serve $registry_config"; then
  log "registry already running (pid $registry_pid) on $registry_addr"
else
  rm -f "$registry_pid_file"
  if registry_answers || ss -Hltn "sport = :${registry_addr##*:}" | grep -q .; then
    die "something else listens on port ${registry_addr##*:} ($(ss -Hltnp "sport = :${registry_addr##*:}" | head -n1)); stop it first (Debian's service: /etc/init.d/docker-registry stop)"
  fi
  # setsid: the registry must not get the terminal's SIGINT meant for whoever ran up.sh. Closing every inherited
  # descriptor above 2 matters: a caller that watches a pipe or socket for up.sh's exit (Foundation's Process
  # does) would otherwise wait for the registry to exit too.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid docker-registry serve "$registry_config" </dev/null >>"$state_dir/registry.log" 2>&1
  ) &
  registry_pid=$!
  echo "$registry_pid" >"$registry_pid_file"
  log "started docker-registry (pid $registry_pid) on $registry_addr, storage $state_dir/registry"
fi

for ((i = 0; i < 100; i++)); do
  registry_answers && break
  pid_alive "$registry_pid" || die "docker-registry exited; see $state_dir/registry.log: $(tail -n 3 "$state_dir/registry.log")"
  sleep 0.1
done
registry_answers || die "docker-registry does not answer on $registry_addr after 10 s; see $state_dir/registry.log"
log "registry answers on http://$registry_addr/v2/"

# push LAYOUT TAG NAME:TAG: copies one tag unless the registry already has the same manifest digest.
push() {
  local layout=$1 tag=$2 dest=$3 want have
  want=$(python3 -c 'import json,sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    if m.get("annotations",{}).get("org.opencontainers.image.ref.name")==sys.argv[2]: print(m["digest"])' \
    "$layout/index.json" "$tag")
  [[ -n "$want" ]] || die "$layout has no tag $tag"
  have=$(curl -fsS --max-time 5 -o /dev/null -D - \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$registry_addr/v2/${dest%:*}/manifests/${dest##*:}" 2>/dev/null |
    tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}') || true
  if [[ "$have" == "$want" ]]; then
    log "$registry_addr/$dest is up to date ($want)"
    return
  fi
  skopeo --policy "$policy" copy --quiet --dest-tls-verify=false "oci:$layout:$tag" "docker://$registry_addr/$dest"
  log "pushed $registry_addr/$dest ($want)"
}

push "$out_dir/busybox-image" latest busybox:latest
push "$out_dir/busybox-image" 1.35 busybox:1.35
push "$out_dir/pause-image" 3.9 pause:3.9
log "test bed is up"
