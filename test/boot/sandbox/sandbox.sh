#!/bin/bash
# Runs one boot script as root in a private mount namespace (started by `unshare -m`): overlays
# on the writable system directories and a fresh tmpfs on /run take every write, so the machine
# is untouched; the stubs, first on PATH, shadow the commands that would reach Docker, the cloud or the host.
# usage: sandbox.sh WORKDIR OVERLAY_TMP(0|1) TIMEOUT_SECONDS
set -eu
W=$1; overlay_tmp=$2; limit=$3
dirs=()
for d in etc opt var usr home root srv mnt tmp; do
  [ -d "/$d" ] || continue
  if [ "$d" = tmp ] && [ "$overlay_tmp" != 1 ]; then continue; fi
  dirs+=("$d")
done
mkdir -p "${dirs[@]/#/$W/upper/}" "${dirs[@]/#/$W/work/}"
for d in "${dirs[@]}"; do
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$W/upper/$d,workdir=$W/work/$d" "/$d"
done
mount -t tmpfs -o mode=0755 tmpfs /run
cd /
set +e
env -i PATH="$W/bin":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  timeout --kill-after=2 "$limit" bash "$W/script.sh" > "$W/log" 2>&1 < /dev/null
echo $? > "$W/exit"
