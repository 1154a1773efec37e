#!/bin/sh
# Installs the unpacked gjj-desk bundle (the folder this script is in) for all users:
#   sudo ./install.sh [PREFIX]        (default PREFIX /opt/gjj-desk)
# copies the bundle to PREFIX, the menu entry to /usr/share/applications and the icon to the hicolor theme,
# then runs the client's self-test. Run without root to install for the current user only (~/.local).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
  prefix=${1:-/opt/gjj-desk}; share=/usr/share
else
  prefix=${1:-$HOME/.local/opt/gjj-desk}; share=${XDG_DATA_HOME:-$HOME/.local/share}
fi
if [ "$here" != "$prefix" ]; then
  mkdir -p "$prefix"
  cp -a "$here"/. "$prefix"/
fi
mkdir -p "$share/applications" "$share/icons/hicolor/256x256/apps" "$share/icons/hicolor/48x48/apps"
sed "s|^Exec=.*|Exec=$prefix/gjj-desk|" "$here/gjj-desk.desktop" > "$share/applications/gjj-desk.desktop"
cp "$here/gjj-desk-256.png" "$share/icons/hicolor/256x256/apps/gjj-desk.png"
cp "$here/gjj-desk-48.png" "$share/icons/hicolor/48x48/apps/gjj-desk.png"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$share/icons/hicolor" || true
echo "已安装到 $prefix；菜单项：$share/applications/gjj-desk.desktop"
"$prefix/gjj-desk" --self-test
