#!/usr/bin/env bash
# The packages on a clean machine: a minimal Debian 12 made with debootstrap (no Python,
# no X libraries, no fonts), the .deb installed with apt-get (which pulls in only its
# Depends), the installed `ganlab` run under a real X server (Xvfb on the host, its socket
# shared), a short headless training run, then dpkg -r; the archive unpacked and run the
# same way. Needs root, debootstrap, Xvfb and network access to a Debian mirror; takes a
# few minutes, so CI does not run it (smoke_test.sh covers the rest there).
#
#   sudo packaging/clean_machine_test.sh dist/ganlab_0.1.0_amd64.deb dist/ganlab-0.1.0-linux-x86_64-cpu.tar.zst
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 DEB ARCHIVE" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (debootstrap, chroot)" >&2; exit 1; }
deb=$(realpath "$1") archive=$(realpath "$2")
mirror=${GANLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /var/tmp/ganlab-clean.XXXXXX)
display=:$((90 + RANDOM % 9))
xvfb_pid=
cleanup() {
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
  for m in tmp/.X11-unix dev/pts dev proc; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
t0=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -20 "$root.log"; exit 1; }
rm -f "$root.log"
echo "debootstrap minbase bookworm: $((SECONDS - t0)) s, $(du -sh "$root" | cut -f1)"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

for tool in python3 python; do
  in_root sh -c "command -v $tool" >/dev/null && { echo "FAIL: $tool is on the clean machine"; exit 1; }
done
echo "ok: no Python on the clean machine"

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"

cp "$deb" "$root/tmp/ganlab.deb"
t0=$SECONDS
in_root apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends \
  /tmp/ganlab.deb > "$root/tmp/install.log" 2>&1 || { tail -20 "$root/tmp/install.log"; exit 1; }
echo "apt-get install ./$(basename "$deb"): $((SECONDS - t0)) s; pulled in:"
grep -oP '^Setting up \K\S+' "$root/tmp/install.log" | tr '\n' ' ' | fmt -w 100 | sed 's/^/    /'
echo

run_lab() {  # run_lab LABEL EXE: the window under X, then a headless run
  local label=$1 exe=$2 out
  out=$(in_root env DISPLAY="$display" timeout 240 "$exe" --smoke-test --timeout 180 2>&1) \
    || { echo "FAIL: $label --smoke-test"; echo "$out" | tail -20; exit 1; }
  echo "ok: $label --smoke-test under X: $(grep '^{' <<<"$out" | head -c 400)"
  out=$(in_root env DISPLAY="$display" timeout 300 "$exe" train --preset ring8 --steps 1000 \
          --out /tmp/run-$label 2>&1 | tail -3) || { echo "FAIL: $label train"; echo "$out"; exit 1; }
  echo "ok: $label train --preset ring8 --steps 1000: $(tail -1 <<<"$out")"
}
run_lab installed /usr/bin/ganlab
in_root dpkg -r ganlab >/dev/null
for p in /opt/ganlab /usr/bin/ganlab /usr/share/applications/ganlab.desktop; do
  [[ -e $root$p || -L $root$p ]] && { echo "FAIL: $p left after dpkg -r"; exit 1; }
done
echo "ok: dpkg -r left nothing behind"

mkdir -p "$root/opt/unpacked"
zstd -dc "$archive" | tar -C "$root/opt/unpacked" -xf -
top=$(cd "$root/opt/unpacked" && ls)
run_lab archive "/opt/unpacked/$top/ganlab"
echo "clean machine: all checks passed"
