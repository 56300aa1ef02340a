#!/usr/bin/env bash
# Smoke tests of the packaged lab. Each option adds its checks; build.sh runs all three.
#
#   packaging/smoke_test.sh --bundle build/bundle-cpu/ganlab
#   packaging/smoke_test.sh --deb dist/ganlab_0.1.0_amd64.deb --archive dist/ganlab-...tar.zst
#
# --bundle DIR     files Qt needs are in the bundle (xcb platform plugin, libxcb-cursor,
#                  -icccm, -keysyms), every library it links is bundled or one the .deb
#                  depends on, and the frozen app runs: --version, a short headless training
#                  run, and --smoke-test offscreen and under xvfb-run (the real xcb plugin)
# --archive FILE   unpacks the .tar.zst to a temporary folder and runs the bundle checks there
# --deb FILE       lists the package, checks its control fields, paths and .desktop file
#                  (desktop-file-validate); as root, also dpkg -i -> ganlab --smoke-test ->
#                  dpkg -r and checks nothing is left behind. Not root: says it skipped that.
# Needs xvfb-run (Debian: xvfb xauth) and desktop-file-validate (desktop-file-utils).
set -euo pipefail

bundles=() debs=() archives=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --bundle) bundles+=("$2"); shift 2 ;;
    --deb) debs+=("$2"); shift 2 ;;
    --archive) archives+=("$2"); shift 2 ;;
    *) echo "usage: packaging/smoke_test.sh [--bundle DIR] [--deb FILE] [--archive FILE]" >&2; exit 2 ;;
  esac
done
[[ ${#bundles[@]} -gt 0 || ${#debs[@]} -gt 0 || ${#archives[@]} -gt 0 ]] || {
  echo "smoke_test.sh: nothing to test (see --help in the script's header)" >&2; exit 2; }

failures=0
ok() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
skip() { printf '  skip  %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { echo "smoke_test.sh: '$1' is needed (apt-get install $2)" >&2; exit 1; }; }
need xvfb-run "xvfb xauth"
need desktop-file-validate desktop-file-utils
need python3 python3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Libraries the bundle may take from the system: glibc's, and those the .deb depends on
# (libgl1, libegl1, libxcb1) or recommends (Wayland). GTK is only for the optional
# platform theme plugin, which Qt skips when GTK is absent. libcuda.so.1 is the NVIDIA
# driver (cuda variant): it always comes from the system; without it torch uses the CPU.
ALLOWED_SYSTEM_LIBS=" libcuda.so.1 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2
  libutil.so.1 ld-linux-x86-64.so.2 libGL.so.1 libEGL.so.1 libGLX.so.0 libOpenGL.so.0 libxcb.so.1
  libwayland-client.so.0 libwayland-cursor.so.0 libwayland-egl.so.1 libgtk-3.so.0 libgdk-3.so.0 "
ALLOWED_SYSTEM_LIBS=" $(echo $ALLOWED_SYSTEM_LIBS) "  # one space between names, and around

# check_report FILE PLATFORM EXECUTABLE: the JSON line of --smoke-test says what we expect
check_report() {
  python3 - "$@" <<'PY'
import json, sys
path, platform, executable = sys.argv[1:4]
lines = [l for l in open(path, encoding="utf-8") if l.startswith("{")]
if len(lines) != 1:
    sys.exit(f"expected one JSON line, got {len(lines)}")
r = json.loads(lines[0])
problems = []
if r.get("ok") is not True:
    problems.append(f"ok={r.get('ok')} reason={r.get('reason')}")
if r.get("platform") != platform:
    problems.append(f"platform {r.get('platform')!r}, wanted {platform!r}")
if r.get("frozen") is not True:
    problems.append("not the frozen app")
if executable and r.get("executable") != executable:
    problems.append(f"executable {r.get('executable')!r}, wanted {executable!r}")
if not r.get("paints") or r.get("steps", 0) < r.get("steps_wanted", 1):
    problems.append(f"steps {r.get('steps')} paints {r.get('paints')}")
if problems:
    sys.exit("; ".join(problems))
print(f"{r['steps']} steps, first paint {r['first_paint_s']} s, {r['seconds']} s in all, "
      f"torch {r['torch']}, {r['device']}, Qt {r['qt']} {r['platform']}")
PY
}

# smoke EXE LABEL [EXPECTED_EXECUTABLE]: --smoke-test offscreen and under a real X server
smoke() {
  local exe=$1 label=$2 expected=${3:-} log summary
  log=$scratch/smoke-offscreen.log
  if (cd "$scratch" && QT_QPA_PLATFORM=offscreen timeout 240 "$exe" --smoke-test --timeout 180) >"$log" 2>&1 \
    && summary=$(check_report "$log" offscreen "$expected" 2>&1); then
    ok "$label --smoke-test offscreen: $summary"
  else
    fail "$label --smoke-test offscreen: ${summary:-exit $?}"; sed 's/^/        /' "$log" | tail -20
  fi
  log=$scratch/smoke-xcb.log
  summary=
  if (cd "$scratch" && env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY timeout 240 \
      xvfb-run -a -s "-screen 0 1600x1000x24" "$exe" --smoke-test --timeout 180) >"$log" 2>&1 \
    && summary=$(check_report "$log" xcb "$expected" 2>&1); then
    ok "$label --smoke-test under xvfb-run (xcb): $summary"
  else
    fail "$label --smoke-test under xvfb-run (xcb): ${summary:-exit $?}"; sed 's/^/        /' "$log" | tail -20
  fi
}

check_bundle() {
  local dir label=$2 internal
  dir=$(realpath "$1")
  internal=$dir/_internal
  echo "bundle $dir"
  [[ -x $dir/ganlab ]] && ok "executable ganlab" || fail "no executable $dir/ganlab"
  for f in PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
           PySide6/Qt/plugins/platforms/libqwayland.so libxcb-cursor.so.0 libxcb-icccm.so.4 \
           libxcb-keysyms.so.1 torch/bin/torch_shm_manager ganlab/resources/presets/ring8.toml \
           ganlab/resources/translations/ganlab_es.qm ganlab/resources/translations/ganlab_es.mo \
           ganlab/resources/lessons/09_mode_collapse.toml ganlab/resources/icons/ganlab-64.png; do
    [[ -e $internal/$f ]] && ok "bundled $f" || fail "missing from the bundle: $f"
  done
  # Every library any bundled ELF file links must be in the bundle or allowed from the system.
  local names outside=() lib
  names=$(find "$internal" -type f \( -name '*.so' -o -name '*.so.*' \) -printf '%f\n' | sort -u)
  while read -r lib; do
    grep -qxF "$lib" <<<"$names" && continue
    [[ $ALLOWED_SYSTEM_LIBS == *" $lib "* ]] && continue
    outside+=("$lib")
  done < <(find "$dir" -type f \( -name '*.so' -o -name '*.so.*' -o -name ganlab \) -print0 \
             | xargs -0 objdump -p 2>/dev/null | awk '$1 == "NEEDED" {print $2}' | sort -u)
  if [[ ${#outside[@]} -eq 0 ]]; then
    ok "every linked library is bundled or one the package depends on"
  else
    fail "linked but neither bundled nor a declared dependency: ${outside[*]}"
  fi
  local out
  if out=$("$dir/ganlab" --version 2>&1); then ok "--version: $out"; else fail "--version: $out"; fi
  if out=$(cd "$scratch" && timeout 300 "$dir/ganlab" train --preset ring8 --steps 300 \
             --out "$scratch/run-$label" --quiet 2>&1) \
     && compgen -G "$scratch/run-$label/checkpoints/*" >/dev/null; then
    ok "headless training: ganlab train --preset ring8 --steps 300 wrote a checkpoint"
  else
    fail "headless training: $out"
  fi
  smoke "$dir/ganlab" "$label"
}

for b in "${bundles[@]}"; do check_bundle "$b" bundle; done

for a in "${archives[@]}"; do
  echo "archive $a"
  mkdir -p "$scratch/archive"
  if zstd -dc "$a" | tar -C "$scratch/archive" -xf -; then
    top=$(find "$scratch/archive" -mindepth 1 -maxdepth 1 -type d)
    ok "unpacked to $(basename "$top")"
    desktop-file-validate "$top/share/ganlab.desktop" && ok "share/ganlab.desktop is valid" \
      || fail "share/ganlab.desktop does not validate"
    check_bundle "$top" archive
  else
    fail "cannot unpack $a"
  fi
  rm -rf "$scratch/archive"
done

for d in "${debs[@]}"; do
  echo "package $d"
  pkg=$(dpkg-deb -f "$d" Package)
  dpkg-deb -c "$d" > "$scratch/contents"
  echo "  $(wc -l < "$scratch/contents") entries, $(dpkg-deb -f "$d" Installed-Size) KiB installed; outside /opt/ganlab:"
  grep -v ' \./opt/ganlab/.' "$scratch/contents" | awk '{print "        " $1, $2, $6, $7, $8}'
  for path in ./opt/ganlab/ganlab ./usr/share/applications/ganlab.desktop \
              ./usr/share/icons/hicolor/scalable/apps/ganlab.svg \
              ./usr/share/icons/hicolor/48x48/apps/ganlab.png ./usr/share/doc/ganlab/copyright; do
    grep -q " $path\$" "$scratch/contents" && ok "contains $path" || fail "missing $path"
  done
  grep -q ' ./usr/bin/ganlab -> /opt/ganlab/ganlab$' "$scratch/contents" \
    && ok "/usr/bin/ganlab -> /opt/ganlab/ganlab" || fail "no /usr/bin/ganlab symlink"
  # One awk, no pipe: `awk | grep -q` under pipefail reads a SIGPIPE'd awk as "all owned by root".
  awk '$2 != "root/root" {found = 1; exit} END {exit !found}' "$scratch/contents" \
    && fail "files not owned by root" || ok "every file owned by root/root"
  for field in Package Version Architecture Depends Maintainer Description; do
    [[ -n $(dpkg-deb -f "$d" "$field") ]] && ok "control $field: $(dpkg-deb -f "$d" "$field" | head -1)" \
      || fail "control has no $field"
  done
  mkdir -p "$scratch/deb"
  dpkg-deb -x "$d" "$scratch/deb"
  desktop-file-validate "$scratch/deb/usr/share/applications/ganlab.desktop" \
    && ok "ganlab.desktop is valid (desktop-file-validate)" || fail "ganlab.desktop does not validate"
  rm -rf "$scratch/deb"

  if [[ $(id -u) -ne 0 ]]; then
    skip "install round trip (dpkg -i / ganlab --smoke-test / dpkg -r): needs root"
    continue
  fi
  if dpkg -s ganlab >/dev/null 2>&1 || dpkg -s ganlab-cuda >/dev/null 2>&1; then
    skip "install round trip: ganlab is already installed here; not touching it"
    continue
  fi
  t0=$SECONDS
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$(realpath "$d")" \
       >"$scratch/install.log" 2>&1; then
    ok "installed with apt-get (resolves Depends) in $((SECONDS - t0)) s"
  else
    fail "apt-get install $d"; tail -20 "$scratch/install.log" | sed 's/^/        /'
    continue
  fi
  [[ $(command -v ganlab) == /usr/bin/ganlab ]] && ok "ganlab on PATH is /usr/bin/ganlab" \
    || fail "ganlab on PATH is $(command -v ganlab)"
  smoke /usr/bin/ganlab installed /opt/ganlab/ganlab
  t0=$SECONDS
  if dpkg -r "$pkg" >"$scratch/remove.log" 2>&1; then
    ok "removed with dpkg -r in $((SECONDS - t0)) s"
  else
    fail "dpkg -r $pkg"; sed 's/^/        /' "$scratch/remove.log"
  fi
  left=$(ls -d /opt/ganlab /usr/bin/ganlab /usr/share/applications/ganlab.desktop \
           /usr/share/icons/hicolor/scalable/apps/ganlab.svg 2>/dev/null || true)
  [[ -z $left ]] && ok "nothing left behind" || fail "left behind: $left"
  [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] \
    && fail "dpkg still lists $pkg as installed" || ok "dpkg no longer lists $pkg"
done

if [[ $failures -gt 0 ]]; then
  echo "smoke_test.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "smoke_test.sh: all checks passed"
