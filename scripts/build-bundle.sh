#!/usr/bin/env bash
# Builds the installable gjj-desk client for Linux and proves it works:
#   1. PyInstaller one-folder bundle from build_installer.spec (about 30 s),
#   2. dist/gjj-desk-<version>-linux-<arch>.tar.gz: the bundle + menu entry (.desktop) + icons + install.sh,
#   3. unpacks the tar.gz in a temporary directory and runs its `gjj-desk --self-test` (offscreen, no login).
# Usage: scripts/build-bundle.sh [DIST_DIR [WORK_DIR]]      (default dist/ and build/)
# Needs the dev tools (pyinstaller): scripts/setup.sh --dev. Exit status 0 only when the self-test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(realpath -m "${1:-dist}")
work=$(realpath -m "${2:-build}")

if [ ! -x .venv/bin/pyinstaller ]; then
  echo "找不到 .venv/bin/pyinstaller：请先运行 scripts/setup.sh --dev" >&2
  exit 2
fi

echo "== 1/3 PyInstaller → $dist/gjj-desk"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath "$dist" --workpath "$work" build_installer.spec

echo "== 2/3 tar.gz"
bundle="$dist/gjj-desk"
cp packaging/gjj-desk.desktop packaging/install.sh resources/icons/gjj-desk-256.png resources/icons/gjj-desk-48.png "$bundle/"
chmod +x "$bundle/install.sh"
version=$(.venv/bin/python -c "import importlib.metadata as m; print(m.version('gjj-desk'))")
tarball="$dist/gjj-desk-$version-linux-$(uname -m).tar.gz"
tar -C "$dist" -czf "$tarball" gjj-desk
echo "$tarball ($(du -h "$tarball" | cut -f1); unpacked $(du -sh "$bundle" | cut -f1))"

echo "== 3/3 self-test of the unpacked tar.gz"
check=$(mktemp -d /tmp/gjj-bundle-check.XXXXXX)
trap 'rm -rf "$check"' EXIT
tar -C "$check" -xzf "$tarball"
for f in gjj-desk gjj-desk.desktop gjj-desk-256.png install.sh; do
  [ -e "$check/gjj-desk/$f" ] || { echo "tar.gz 中缺少 $f" >&2; exit 1; }
done
mkdir -p "$check/home"
env -u DISPLAY -u WAYLAND_DISPLAY GJJ_DESK_HOME="$check/home" "$check/gjj-desk/gjj-desk" --self-test
