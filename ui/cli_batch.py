"""``gjj-desk template`` and ``gjj-desk check-workbook``: the batch-import engine for IT staff and scripts.

Importing this module costs nothing (argparse only): the engine, python-calamine, openpyxl and — with
--centre — the HTTP client are imported when a command runs; Qt never is.

Exit codes of check-workbook: 0 the file is clean, 1 it has problems (all of them are printed),
2 it could not be checked at all (unreadable file, not our template, centre unreachable…; the reason is
printed on stderr).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

BUSINESS_CHOICES = ("open", "seal", "unseal", "base", "supplementary")
EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    template = sub.add_parser(
        "template", help="生成批量导入模板（.xlsx）",
        description="生成批量业务的导入模板：open=缴存人登记 seal=封存 unseal=启封 base=基数调整 supplementary=补缴")
    template.add_argument("--business", required=True, choices=BUSINESS_CHOICES, help="批量业务")
    template.add_argument("-o", "--output", required=True, metavar="FILE", help="模板文件（.xlsx）")
    template.set_defaults(func=run_template)

    check = sub.add_parser(
        "check-workbook", help="离线校验填好的导入文件，列出全部问题",
        description="校验填好的导入文件并列出每一个问题（工作表、行、列、原因）。退出码：0 无问题，1 有问题，2 无法读取。"
                    "不带--centre时按内置演示政策和默认字典校验。")
    check.add_argument("file", metavar="FILE", help="要校验的文件（.xlsx 或 .xls）")
    check.add_argument("--business", required=True, choices=BUSINESS_CHOICES, help="批量业务")
    check.add_argument("--json", action="store_true", help="以JSON输出问题列表 [{sheet,row,column,code,message}]")
    check.add_argument("--centre", metavar="URL", help="从中心服务器取政策、字典和业务日期（公开接口，无需登录）")
    check.add_argument("--ca-file", metavar="PEM", help="中心服务器的CA证书（https自签证书时）")
    check.add_argument("--date", metavar="YYYY-MM-DD", type=dt.date.fromisoformat,
                       help="业务日期（默认：中心的业务日期；离线时为今天）")
    check.add_argument("--roster", metavar="JSON",
                       help="本单位职工花名册（GET /employees 的 items 列表，JSON文件），用于核对个人账号、状态和缴至年月")
    check.add_argument("--unit-ratio", metavar="PCT", help="缴存人登记：单位缴存比例（%%）")
    check.add_argument("--person-ratio", metavar="PCT", help="缴存人登记：个人缴存比例（%%）")
    check.set_defaults(func=run_check)


def run_template(args: argparse.Namespace) -> int:
    from services.batch import write_template  # noqa: PLC0415

    path = write_template(args.business, args.output)
    print(f"已生成模板：{path}")
    return EXIT_CLEAN


def run_check(args: argparse.Namespace) -> int:
    from services.batch import BatchContext, BatchError, import_workbook, roster_from_items  # noqa: PLC0415

    try:
        context = _context(args, BatchContext, roster_from_items)
    except (_Unavailable, ValueError) as exc:
        print(f"无法校验：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        result = import_workbook(args.file, args.business, context)
    except BatchError as exc:
        print(f"无法读取{Path(args.file).name}：{exc.message}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        json.dump([p.to_dict() for p in result.problems], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for problem in result.problems:
            print(f"{problem.sheet} {problem.describe()}  [{problem.code}]")
        bad = len(result.bad_rows)
        if result.problems:
            print(f"共{result.total_rows}行，其中{bad}行有问题，共{len(result.problems)}个问题")
        else:
            print(f"共{result.total_rows}行，全部通过校验")
    return EXIT_PROBLEMS if result.problems else EXIT_CLEAN


class _Unavailable(Exception):
    pass


def _context(args: argparse.Namespace, BatchContext, roster_from_items):
    extra = {}
    if args.roster:
        try:
            items = json.loads(Path(args.roster).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _Unavailable(f"花名册文件无法读取：{exc}") from None
        if isinstance(items, dict):
            items = items.get("items", items)
        extra["roster"] = roster_from_items(items) if isinstance(items, list) else items
    if args.unit_ratio or args.person_ratio:
        if not (args.unit_ratio and args.person_ratio):
            raise _Unavailable("--unit-ratio 和 --person-ratio 须同时给出")
        extra["unit_ratio"], extra["person_ratio"] = args.unit_ratio, args.person_ratio
    if not args.centre:
        return BatchContext.offline(args.date, **extra)
    from client.api import CentreClient  # noqa: PLC0415
    from client.errors import ClientError  # noqa: PLC0415

    try:
        with CentreClient(args.centre, ca_file=args.ca_file) as api:
            day = args.date or api.business_date()
            return BatchContext(policy=api.policy(), dictionaries=api.dictionaries(), business_date=day, **extra)
    except ClientError as exc:
        raise _Unavailable(exc.message) from None
