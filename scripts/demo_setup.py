"""Creates the demo centre once (idempotent): centre database with demo data, a SoftHSM2 token with a UKey
issued for the first demo unit, and client settings pointing at both. Called by scripts/demo.sh."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

TOKEN_LABEL = "GJJ-DEMO"
PIN = "123456"
SO_PIN = "12345678"


def centre(data_dir: Path, *args: str) -> str:
    cmd = [sys.executable, "-m", "server_stub.cli", "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args()
    demo: Path = args.demo_dir
    centre_dir, hsm_dir = demo / "centre", demo / "softhsm"
    credentials_file = demo / "credentials.json"

    from client.settings import default_pkcs11_module, load_settings, save_settings
    module = default_pkcs11_module()
    if not module:
        print("未找到 SoftHSM2 驱动 (libsofthsm2.so)，请先运行 scripts/setup.sh", file=sys.stderr)
        return 1

    if not credentials_file.exists():
        demo.mkdir(parents=True, exist_ok=True)
        (hsm_dir / "tokens").mkdir(parents=True, exist_ok=True)
        Path(os.environ["SOFTHSM2_CONF"]).write_text(
            f"directories.tokendir = {hsm_dir / 'tokens'}\nobjectstore.backend = file\n"
            "log.level = ERROR\nslots.removable = true\n")
        print("创建演示中心 (SQLite) …")
        credentials = json.loads(centre(centre_dir, "init", "--demo", "--json"))
        # 基数调整 and 补缴 have a 中心复审, decided by another reviewer than 中心初审
        credentials["second_reviewer"] = json.loads(centre(centre_dir, "add-reviewer", "--username", "reviewer2",
                                                           "--name", "中心复审员", "--json"))
        unit = credentials["units"][0]
        print(f"创建演示 UKey (SoftHSM2 令牌 {TOKEN_LABEL}) 并为单位 {unit['unit_account']} 发放证书 …")
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
                        "--so-pin", SO_PIN, "--pin", PIN], check=True, capture_output=True)
        centre(centre_dir, "issue-ukey", "--unit", unit["unit_account"], "--module", module,
               "--token-label", TOKEN_LABEL, "--pin", PIN)
        credentials_file.write_text(json.dumps(credentials, ensure_ascii=False, indent=2))
    credentials = json.loads(credentials_file.read_text())
    unit = credentials["units"][0]

    settings = load_settings()
    settings.centre_url = f"http://127.0.0.1:{args.port}"
    settings.pkcs11_module = module
    save_settings(settings)
    from client.remember import save_remembered
    save_remembered(unit["unit_account"], unit["login_name"])

    reviewer = credentials["reviewer"]
    (demo / "login.txt").write_text(
        "\n登录信息（演示）:\n"
        f"  单位账号 {unit['unit_account']}   登录名 {unit['login_name']}   密码 {unit['password']}   UKey PIN {PIN}\n"
        f"  其他演示单位: " + ", ".join(f"{u['unit_account']}/{u['login_name']}/{u['password']}"
                                  for u in credentials["units"][1:]) + "（无UKey，可用 gjj-centre issue-ukey 发放）\n"
        f"  中心审核员: {reviewer['username']} / {reviewer['password']}"
        + (f"   复审员: {second['username']} / {second['password']}" if (second := credentials.get("second_reviewer"))
           else "") + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
