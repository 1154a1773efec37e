#!/usr/bin/env bash
# Installs what gjj-desk needs on Debian/Ubuntu: system packages (only those missing) and the Python
# virtual environment .venv with the pinned dependencies. Safe to run again; does nothing when all is there.
# Usage: scripts/setup.sh [--dev]      (--dev adds the test tools and PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

packages=(softhsm2 opensc poppler-utils xvfb xauth fonts-wqy-microhei
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libnss3 libasound2 libpulse0 cups cups-client cups-bsd python3-venv)
if [ $dev = 1 ]; then
  packages+=(postgresql-15 chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "创建 Python 虚拟环境 .venv"
  "$python" -m venv .venv
fi
hash=$(sha256sum pyproject.toml | cut -c1-16)
stamp=.venv/.installed-$hash-$dev
if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$hash-1" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ $dev = 1 ]; then
    .venv/bin/python -m pip install -q -e '.[dev]'
  else
    .venv/bin/python -m pip install -q -e .
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
