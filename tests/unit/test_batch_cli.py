"""`gjj-desk template` and `gjj-desk check-workbook`: exit codes 0 / 1 / 2, the JSON list, the centre's
published policy with --centre, and no Qt import on the way."""
import json
import subprocess
import sys
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
import pytest

from services.batch import ID_AS_NUMBER
from services.dictionaries import default_dictionaries
from services.money import D
from services.policy import DEMO_POLICY
from ui.app import main

from .test_batch_support import fixture


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_template_command(tmp_path, capsys):
    target = tmp_path / "封存模板.xlsx"
    code, out, _ = run(capsys, "template", "--business", "seal", "-o", str(target))
    assert code == 0 and "已生成模板" in out
    assert openpyxl.load_workbook(target).sheetnames[0] == "缴存人封存"


def test_clean_file_exits_0(capsys):
    code, out, _ = run(capsys, "check-workbook", str(fixture("open_clean.xlsx")), "--business", "open",
                       "--date", "2026-07-15")
    assert code == 0 and out.strip() == "共3行，全部通过校验"


def test_problems_exit_1_with_every_problem_as_json(capsys):
    code, out, _ = run(capsys, "check-workbook", str(fixture("trap_id_number_libreoffice.xlsx")), "--business", "open",
                       "--date", "2026-07-15", "--json")
    assert code == 1
    assert json.loads(out) == [{"sheet": "缴存人登记", "row": 3, "column": "证件号码", "code": "id_stored_as_number",
                                "message": ID_AS_NUMBER}]


def test_problems_as_text(capsys):
    code, out, _ = run(capsys, "check-workbook", str(fixture("open_legacy.xls")), "--business", "open",
                       "--date", "2026-07-15")
    assert code == 1
    assert out.splitlines() == [
        "缴存人登记 第3行 缴存基数：缴存基数1000.00低于下限2420.00，请核对  [base_out_of_range]",
        f"缴存人登记 第4行 证件号码：{ID_AS_NUMBER}  [id_stored_as_number]",
        "共3行，其中2行有问题，共2个问题",
    ]


@pytest.mark.parametrize("name", ["corrupt.xlsx", "encrypted.xlsx", "zip_bomb.xlsx", "template_outdated.xlsx"])
def test_unreadable_exits_2_with_the_reason(capsys, name):
    code, out, err = run(capsys, "check-workbook", str(fixture(name)), "--business", "open", "--json")
    assert code == 2 and out == "" and err.startswith(f"无法读取{name}：")


def test_roster_file(tmp_path, capsys):
    data = json.loads(fixture("roster.json").read_text(encoding="utf-8"))
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"items": data["roster"], "total": 7}), encoding="utf-8")
    code, out, _ = run(capsys, "check-workbook", str(fixture("seal_rules.xlsx")), "--business", "seal",
                       "--date", "2026-07-15", "--roster", str(roster), "--json")
    assert code == 1
    assert [(p["row"], p["code"]) for p in json.loads(out)][:3] == [(3, "not_active"), (4, "not_found"),
                                                                     (5, "duplicate_in_batch")]


def test_the_commands_never_import_qt():
    code = (f"import sys; from ui.app import main; "
            f"rc = main(['check-workbook', {str(fixture('open_clean.xlsx'))!r}, '--business', 'open']); "
            f"assert 'PySide6' not in sys.modules; sys.exit(rc)")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


class _Centre(BaseHTTPRequestHandler):
    answers: dict = {}

    def do_GET(self):  # noqa: N802
        body = self.answers.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def centre():
    policy = replace(DEMO_POLICY, base_min=D("6000.00"))
    _Centre.answers = {"/api/v1/business-date": {"date": "2026-07-15"}, "/api/v1/policy": policy.to_api(),
                       "/api/v1/dictionaries": default_dictionaries().to_api()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Centre)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_centre_policy_is_used(capsys, centre):
    code, out, _ = run(capsys, "check-workbook", str(fixture("open_clean.xlsx")), "--business", "open",
                       "--centre", centre, "--json")
    assert code == 1
    assert [(p["row"], p["message"]) for p in json.loads(out)] == [(2, "缴存基数5000.00低于下限6000.00，请核对")]


def test_unreachable_centre_exits_2(capsys, centre):
    closed = centre.rsplit(":", 1)[0] + ":9"        # discard port: nothing listens there
    code, out, err = run(capsys, "check-workbook", str(fixture("open_clean.xlsx")), "--business", "open",
                         "--centre", closed)
    assert code == 2 and out == "" and err.startswith("无法校验：")
