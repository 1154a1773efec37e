#!/usr/bin/env bash
# Runs the product: installs what is missing, creates the demo centre (SQLite, demo units and employees,
# a SoftHSM demo UKey) under .demo/, starts gjj-centre and opens gjj-desk ready to log in.
# Usage: scripts/demo.sh [--port 8700]        (rm -rf .demo to start from scratch)
set -euo pipefail
cd "$(dirname "$0")/.."

port=8700
if [ "${1:-}" = "--port" ]; then port=$2; fi

scripts/setup.sh

demo=$PWD/.demo
export SOFTHSM2_CONF=$demo/softhsm/softhsm2.conf
export GJJ_DESK_HOME=$demo/desk
.venv/bin/python scripts/demo_setup.py --demo-dir "$demo" --port "$port"

.venv/bin/gjj-centre --data-dir "$demo/centre" serve --port "$port" --demo-mode >"$demo/centre.log" 2>&1 &
centre=$!
trap 'kill $centre 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  if .venv/bin/python -c "import httpx,sys; httpx.get('http://127.0.0.1:$port/api/v1/business-date', timeout=1)" 2>/dev/null; then break; fi
  kill -0 $centre 2>/dev/null || { echo "gjj-centre 启动失败，日志: $demo/centre.log"; tail -20 "$demo/centre.log"; exit 1; }
  sleep 0.2
done
echo "gjj-centre 已启动: http://127.0.0.1:$port  (中心审核页面 /centre/，API 文档 /docs，日志 $demo/centre.log)"
cat "$demo/login.txt"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  .venv/bin/gjj-desk
else
  echo "未检测到图形显示 (DISPLAY 未设置)：gjj-desk 在虚拟显示 Xvfb 中运行，看不到窗口；按 Ctrl+C 结束。"
  xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb .venv/bin/gjj-desk
fi
