#!/usr/bin/env bash
# Build the packaged lab: a PyInstaller one-folder bundle, smoke-tested, then a .deb and a
# .tar.zst archive in dist/.
#
#   packaging/build.sh cpu     # CPU-only torch: ~0.8 GB bundle; what CI builds
#   packaging/build.sh cuda    # PyPI's CUDA torch: several GB; opt-in
#
# Environment:
#   GANLAB_BUILD_ENV   the build virtualenv (default build/pkg-<variant>); reused while its
#                      requirement file is unchanged
#   GANLAB_WHEELS      a folder of local wheels (default /opt/wheels if it exists): where the
#                      CPU torch wheel comes from when download.pytorch.org is unreachable
#   GANLAB_SKIP_SMOKE  1: build and assemble without running the smoke tests
# Needs: python3 (3.11, as pinned), dpkg-deb, zstd, tar; the smoke tests need xvfb-run and
# desktop-file-validate. See packaging/README.md.
set -euo pipefail

usage() { echo "usage: packaging/build.sh <cpu|cuda>" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
variant=$1
[[ $variant == cpu || $variant == cuda ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
here=packaging
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' ganlab/__init__.py)
[[ -n $version ]] || { echo "build.sh: no __version__ in ganlab/__init__.py" >&2; exit 1; }
suffix=$([[ $variant == cuda ]] && echo "-cuda" || true)
env=${GANLAB_BUILD_ENV:-build/pkg-$variant}
requirements=$here/requirements-$variant.txt
bundle=build/bundle-$variant/ganlab
deb=dist/ganlab_${version}_amd64${suffix}.deb
archive=dist/ganlab-${version}-linux-x86_64-${variant}.tar.zst
started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }

for tool in dpkg-deb zstd tar; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' is needed (apt-get install ${tool/dpkg-deb/dpkg})" >&2; exit 1; }
done
if [[ $variant == cpu ]]; then
  # Read the linker cache once into a variable: `ldconfig -p | grep -q` under pipefail fails
  # at random when grep stops reading early and ldconfig dies of SIGPIPE (it did in CI).
  ldcache=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p)
  for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1; do
    # PyInstaller copies these into the bundle from the build host; without them the
    # target machine would need them installed.
    # (A library installed a moment ago may be on disk before it is in the cache.)
    [[ $ldcache == *"$lib "* ]] || compgen -G "/usr/lib/*-linux-gnu/$lib" >/dev/null \
      || compgen -G "/lib/*-linux-gnu/$lib" >/dev/null || {
      echo "build.sh: $lib is missing on this build host: apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libwayland-cursor0 libwayland-egl1" >&2
      exit 1
    }
  done
fi

# ---------------------------------------------------------------- build environment
step "build environment $env ($requirements)"
stamp=$env/.requirements.sha256
want=$(cat "$requirements" "$here/hooks/rthook_torchvision_cpu.py" | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  rm -rf "$env"
  python3 -m venv "$env"
  "$env/bin/python" -m pip install --quiet --upgrade pip
  pip_args=(--quiet -r "$requirements")
  if [[ $variant == cpu ]]; then
    wheels=${GANLAB_WHEELS:-/opt/wheels}
    [[ -d $wheels ]] && pip_args+=(--find-links "$wheels")
    # Prefer the official CPU wheels where they can be reached.
    if curl -sfI --max-time 5 https://download.pytorch.org/whl/cpu/torch/ >/dev/null 2>&1; then
      pip_args+=(--extra-index-url https://download.pytorch.org/whl/cpu)
    fi
  fi
  "$env/bin/pip" install "${pip_args[@]}"
  if [[ $variant == cpu ]]; then
    # Let PyInstaller's analysis import torchvision with the CPU torch (see the hook).
    site=$("$env/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cp "$here/hooks/rthook_torchvision_cpu.py" "$site/_ganlab_torchvision_schemas.py"
    echo "import _ganlab_torchvision_schemas" > "$site/_ganlab_torchvision_schemas.pth"
  fi
  echo "$want" > "$stamp"
fi
# The lab itself, always fresh from this checkout.
"$env/bin/pip" install --quiet --no-deps --force-reinstall .
"$env/bin/python" -c 'import torch, torchvision, PySide6; print("torch", torch.__version__, "torchvision", torchvision.__version__, "PySide6", PySide6.__version__)'

# ---------------------------------------------------------------- freeze
step "PyInstaller ($variant)"
rm -rf "build/bundle-$variant"
"$env/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --workpath "build/pyi-work-$variant" --distpath "build/bundle-$variant" \
  "$here/ganlab.spec" -- --variant "$variant"
du -sh "$bundle"

if [[ ${GANLAB_SKIP_SMOKE:-0} != 1 ]]; then
  step "smoke test of the bundle"
  "$here/smoke_test.sh" --bundle "$bundle"
fi

# ---------------------------------------------------------------- .deb
step "assemble $deb"
mkdir -p dist
stage=build/deb-$variant
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/doc/ganlab"
cp -a "$bundle" "$stage/opt/ganlab"
ln -s /opt/ganlab/ganlab "$stage/usr/bin/ganlab"
install -m 644 "$here/ganlab.desktop" "$stage/usr/share/applications/ganlab.desktop"
for png in resources/icons/ganlab-*.png; do
  size=$(basename "$png" .png); size=${size#ganlab-}
  install -D -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/ganlab.png"
done
install -D -m 644 resources/icons/ganlab.svg "$stage/usr/share/icons/hicolor/scalable/apps/ganlab.svg"
install -m 644 "$here/copyright" "$stage/usr/share/doc/ganlab/copyright"
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
  -e "s/@VARIANT@/$variant/" "$here/debian/control.in" > "$stage/DEBIAN/control"
if [[ $variant == cuda ]]; then
  sed -i -e 's/^Package: ganlab$/Package: ganlab-cuda/' \
    -e 's/^Conflicts: ganlab-cuda$/Conflicts: ganlab/' "$stage/DEBIAN/control"
fi
chmod -R u+rwX,go+rX,go-w "$stage"
rm -f "$deb"
dpkg-deb --root-owner-group -Zzstd --build "$stage" "$deb"

# ---------------------------------------------------------------- archive
step "assemble $archive"
top=ganlab-$version-$variant
arch_stage=build/archive-$variant
rm -rf "$arch_stage"
mkdir -p "$arch_stage/$top/share"
cp -a "$bundle/." "$arch_stage/$top/"
install -m 644 "$here/ganlab.desktop" resources/icons/ganlab.svg resources/icons/ganlab-256.png \
  "$arch_stage/$top/share/"
install -m 644 "$here/ARCHIVE-README.txt" "$arch_stage/$top/README.txt"
rm -f "$archive"
tar -C "$arch_stage" --owner=0 --group=0 --numeric-owner -cf - "$top" | zstd -q -T0 -12 -o "$archive"
rm -rf "$arch_stage" "$stage"

if [[ ${GANLAB_SKIP_SMOKE:-0} != 1 ]]; then
  step "smoke test of the packages"
  "$here/smoke_test.sh" --deb "$deb" --archive "$archive"
fi

step "done"
ls -l "$deb" "$archive"
printf 'bundle %s, .deb %s, archive %s, %d s in all\n' "$(du -sh "$bundle" | cut -f1)" \
  "$(du -h "$deb" | cut -f1)" "$(du -h "$archive" | cut -f1)" $((SECONDS - started))
