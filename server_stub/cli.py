"""The `gjj-centre` command line: init, issue-ukey, revoke-ukey, serve, set-business-date, send-message, check-ledger,
allocate.

Exit codes: 0 done, 1 refused or failed (the Chinese reason is on stderr), 2 bad usage."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from services.addresses import is_loopback

from .config import CentreConfig
from .timefmt import zone

KEY_TYPES = ("rsa2048", "ec-p256")
DEFAULT_VALID_DAYS = 3 * 365


class CliError(Exception):
    """A refusal for the operator: printed to stderr, exit code 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    config = CentreConfig.from_env(args.data_dir)
    try:
        return args.handler(args, config) or 0
    except CliError as exc:
        print(f"gjj-centre: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gjj-centre", description="住房公积金中心服务端（gjj-centre）")
    data_dir_help = "数据目录（数据库、中心CA）；默认取环境变量 GJJ_CENTRE_HOME，否则为系统数据目录"
    parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
        sub.set_defaults(handler=handler)
        return sub

    init = command("init", cmd_init, "创建数据库（Alembic迁移）、中心CA和审核员账号；--demo 加载演示数据")
    init.add_argument("--demo", action="store_true", help="加载演示单位、部门、职工和缴存历史")
    init.add_argument("--json", action="store_true", help="只在标准输出打印登录信息（JSON）")
    init.add_argument("--business-date", metavar="YYYY-MM-DD", type=_date, help="业务日期，默认为今天")

    issue = command("issue-ukey", cmd_issue_ukey, "在UKey上生成密钥对，写入中心签发的证书并绑定单位（注销原证书）")
    issue.add_argument("--unit", required=True, metavar="UNIT", help="单位账号")
    issue.add_argument("--module", required=True, metavar="LIB", help="PKCS#11驱动库路径")
    issue.add_argument("--token-label", required=True, metavar="LABEL", help="UKey标签")
    issue.add_argument("--pin", required=True, metavar="PIN", help="UKey用户PIN")
    issue.add_argument("--key-type", choices=KEY_TYPES, default="rsa2048", help="密钥类型，默认rsa2048")
    issue.add_argument("--valid-days", type=int, metavar="N", help=f"有效天数，默认{DEFAULT_VALID_DAYS}")
    issue.add_argument("--not-before", type=_date, metavar="YYYY-MM-DD", help="生效日期（测试用，须与--not-after同用）")
    issue.add_argument("--not-after", type=_date, metavar="YYYY-MM-DD", help="截止日期（测试用：可签发已过期证书）")

    revoke = command("revoke-ukey", cmd_revoke_ukey, "注销单位当前的UKey证书")
    revoke.add_argument("--unit", required=True, metavar="UNIT", help="单位账号")

    serve = command("serve", cmd_serve, "运行中心接口服务")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--demo-mode", action="store_true", help="演示/测试模式：允许通过接口调整业务日期")
    serve.add_argument("--tls-cert", metavar="F", help="TLS证书文件（PEM）")
    serve.add_argument("--tls-key", metavar="F", help="TLS私钥文件（PEM）")

    business_date = command("set-business-date", cmd_set_business_date, "设置中心业务日期（演示/测试用）")
    business_date.add_argument("date", type=_date, metavar="YYYY-MM-DD")

    reviewer = command("add-reviewer", cmd_add_reviewer, "新增中心审核员账号（复审须由另一名审核员办理），打印初始密码")
    reviewer.add_argument("--username", required=True, metavar="NAME", help="登录名")
    reviewer.add_argument("--name", default="中心审核员", help="姓名，默认“中心审核员”")
    reviewer.add_argument("--json", action="store_true", help="只在标准输出打印 {\"username\", \"password\"}（JSON）")

    command("check-ledger", cmd_check_ledger, "核对账务：每个单位的单位余额 = 个人余额合计 + 暂存款，且与流水一致")

    allocate = command("allocate", cmd_allocate, "用单位暂存款分配一笔汇缴核定或审批通过的补缴（暂存款须足够）")
    allocate.add_argument("--unit", required=True, metavar="UNIT", help="单位账号")
    what = allocate.add_mutually_exclusive_group(required=True)
    what.add_argument("--assessment", type=int, metavar="ID", help="汇缴核定编号（须为最早一笔未分配的核定）")
    what.add_argument("--application", type=int, metavar="ID", help="补缴申请编号（审批通过，其补缴书未分配）")
    what.add_argument("--serial", metavar="NO", help="缴书上的业务流水号（HJ…汇缴核定 / BJ…补缴书）")

    paid = command("record-receipt", cmd_record_receipt,
                   "登记银行来款：记入单位暂存款；与所指汇缴核定或补缴书金额一致时立即分配到个人账户")
    paid.add_argument("--unit", required=True, metavar="UNIT", help="单位账号")
    paid.add_argument("--amount", required=True, metavar="AMOUNT", help="来款金额（元，两位小数）")
    paid.add_argument("--received-on", type=_date, metavar="YYYY-MM-DD", help="到账日期，默认为中心业务日期")
    towards = paid.add_mutually_exclusive_group()
    towards.add_argument("--assessment", type=int, metavar="ID", help="汇缴核定编号（汇补缴书上的核定）")
    towards.add_argument("--application", type=int, metavar="ID", help="补缴申请编号（审批通过的补缴书）")
    towards.add_argument("--serial", metavar="NO", help="缴书上的业务流水号（HJ…汇缴核定 / BJ…补缴书）")

    message = command("send-message", cmd_send_message, "向一个单位或所有单位推送中心通知")
    target = message.add_mutually_exclusive_group(required=True)
    target.add_argument("--unit", metavar="UNIT", help="单位账号")
    target.add_argument("--all", action="store_true", help="所有单位")
    message.add_argument("--title", required=True)
    message.add_argument("--body", required=True)
    message.add_argument("--business", default="中心通知", help="业务名称，默认“中心通知”")
    return parser


# -- commands -------------------------------------------------------------------------------------

def cmd_init(args, config: CentreConfig) -> int:
    from .bootstrap import AlreadyInitialised, initialise

    try:
        result = initialise(config, demo=args.demo, business_date=args.business_date)
    except AlreadyInitialised as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(result.credentials(), ensure_ascii=False))
        return 0
    print(f"已初始化公积金中心：数据目录 {config.data_dir}，业务日期 {result.business_date.isoformat()}")
    print("中心CA：" + ("已创建" if result.ca_created else "沿用已有的CA") + f"（{config.ca_dir}）")
    print(f"审核员账号：{result.reviewer['username']}  密码：{result.reviewer['password']}（请妥善保管）")
    for unit in result.units:
        print(f"演示单位：单位账号 {unit['unit_account']}  登录名 {unit['login_name']}  密码 {unit['password']}")
    return 0


def cmd_issue_ukey(args, config: CentreConfig) -> int:
    from .audit import service as audit
    from .reference.service import settings
    from .ukeys import service as ukeys
    from .ukeys.ca import CaMissing, CentreCA

    now = config.clock()
    not_before, not_after = _validity(args, now, config)
    try:
        ca = CentreCA.load(config.ca_dir)
    except CaMissing as exc:
        raise CliError(str(exc)) from None
    database = _database(config)
    try:
        with database.transaction() as session:   # short: the token work below must not hold the database
            unit = _unit(session, args.unit)
            unit_name, unit_account, centre_name = unit.name, unit.unit_account, settings(session=session).centre_name

        def make_certificate(spki_der: bytes) -> bytes:
            return ca.issue_ukey_certificate(spki_der, unit_name=unit_name, unit_account=unit_account,
                                             centre_name=centre_name, not_before=not_before, not_after=not_after)

        cert_der = _provision(args, make_certificate)
        with database.transaction() as session:
            unit = _unit(session, unit_account)
            row, revoked = ukeys.bind_certificate(session=session, unit=unit, cert_der=cert_der, now=now)
            audit.record(session=session, at=now, actor_kind="cli", actor="gjj-centre issue-ukey", unit_id=unit.id,
                         action="cli.issue_ukey", detail={"serial": row.serial, "token_label": args.token_label,
                                                          "revoked": [r.serial for r in revoked]})
            serial, fingerprint, revoked_serials = row.serial, row.fingerprint_sha256, [r.serial for r in revoked]
    finally:
        database.dispose()
    tz = zone(config.timezone)
    print(f"已为单位 {unit_account}（{unit_name}）发放UKey：令牌 {args.token_label}，密钥 {args.key_type}")
    print(f"证书序列号：{serial}")
    print(f"证书指纹（SHA-256）：{fingerprint}")
    print(f"有效期：{not_before.astimezone(tz):%Y-%m-%d %H:%M} 至 {not_after.astimezone(tz):%Y-%m-%d %H:%M}")
    if revoked_serials:
        print("已注销原证书：" + "、".join(revoked_serials))
    return 0


def cmd_revoke_ukey(args, config: CentreConfig) -> int:
    from .audit import service as audit
    from .ukeys import service as ukeys

    now = config.clock()
    database = _database(config)
    try:
        with database.transaction() as session:
            unit = _unit(session, args.unit)
            revoked = ukeys.revoke_current(session=session, unit=unit, now=now, reason="中心注销")
            audit.record(session=session, at=now, actor_kind="cli", actor="gjj-centre revoke-ukey", unit_id=unit.id,
                         action="cli.revoke_ukey", detail={"revoked": [r.serial for r in revoked]})
            serials = [r.serial for r in revoked]
    finally:
        database.dispose()
    if not serials:
        print(f"单位 {args.unit} 没有有效的UKey证书，无需注销")
    else:
        print(f"已注销单位 {args.unit} 的UKey证书：{'、'.join(serials)}；该UKey已不能登录")
    return 0


def cmd_serve(args, config: CentreConfig) -> int:
    import uvicorn

    from .app import create_app
    from .reference.service import settings
    from .errors import Problem

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert 与 --tls-key 须同时提供")
    if not args.tls_cert and not is_loopback(args.host):
        raise CliError(f"拒绝在非本机地址 {args.host} 上以明文HTTP提供服务：请提供 --tls-cert 和 --tls-key，"
                       "或只监听 127.0.0.1")
    config = config.with_(demo_mode=args.demo_mode or config.demo_mode)
    database = _database(config)
    try:
        with database.transaction() as session:
            try:
                settings(session=session)
            except Problem as exc:
                raise CliError(exc.detail) from None
    finally:
        database.dispose()
    scheme = "https" if args.tls_cert else "http"
    mode = "（演示模式：允许调整业务日期）" if config.demo_mode else ""
    print(f"gjj-centre 服务地址：{scheme}://{args.host}:{args.port}/api/v1 {mode}", flush=True)
    uvicorn.run(create_app(config), host=args.host, port=args.port, ssl_certfile=args.tls_cert,
                ssl_keyfile=args.tls_key, log_level="info", proxy_headers=False)
    return 0


def cmd_set_business_date(args, config: CentreConfig) -> int:
    from .centre import service as centre

    database = _database(config)
    try:
        with database.transaction() as session:
            centre.set_business_date(session=session, day=args.date, actor="gjj-centre set-business-date",
                                     actor_kind="cli", now=config.clock())
    finally:
        database.dispose()
    print(f"业务日期已设置为 {args.date.isoformat()}")
    return 0


def cmd_send_message(args, config: CentreConfig) -> int:
    from .centre import service as centre
    from .errors import Problem

    database = _database(config)
    try:
        with database.transaction() as session:
            sent = centre.send_notice(session=session, unit_account=None if args.all else args.unit, title=args.title,
                                      body=args.body, business=args.business, actor="gjj-centre send-message",
                                      actor_kind="cli", now=config.clock())
            count = len(sent)
    except Problem as exc:
        raise CliError(exc.detail) from None
    finally:
        database.dispose()
    print(f"已推送通知“{args.title}”给 {count} 个单位")
    return 0


def cmd_add_reviewer(args, config: CentreConfig) -> int:
    from .bootstrap import ReviewerExists, add_reviewer

    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,50}", args.username):
        raise CliError("登录名应为3-50位字母、数字或 _ . -")
    try:
        created = add_reviewer(config, username=args.username, name=args.name)
    except ReviewerExists as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(created, ensure_ascii=False))
    else:
        print(f"已新增审核员 {created['username']}，初始密码：{created['password']}（请妥善转交并尽快修改）")
    return 0


def cmd_check_ledger(args, config: CentreConfig) -> int:
    """Exit 0 when every unit balances, 1 (with the report on stdout) when any does not."""
    from .ledger.service import check_all
    from services.money import fmt_money

    database = _database(config)
    try:
        with database.session() as session:
            results = check_all(session=session)
    finally:
        database.dispose()
    bad = [r for r in results if r.problems]
    for r in results:
        mark = "不平" if r.problems else "平衡"
        print(f"{r.unit_account} {r.name}：{mark}（单位余额{fmt_money(r.balance)}元，暂存款{fmt_money(r.unallocated)}元）")
        for problem in r.problems:
            print(f"    {problem}")
    if bad:
        print(f"账务核对未通过：{len(bad)}个单位不平（共{len(results)}个单位）")
        return 1
    print(f"账务核对通过：{len(results)}个单位全部平衡")
    return 0


def cmd_allocate(args, config: CentreConfig) -> int:
    """POST /centre/allocations from the console."""
    from services.money import fmt_money

    from .reference.service import business_date
    from .remittance import service as remittance

    with _money_operation(config, args, "gjj-centre allocate") as op:
        entry = remittance.allocate_unallocated(session=op.session, unit=op.unit, target=op.target,
                                                today=business_date(session=op.session), now=op.now)
        op.audit("centre.allocation", {"serial": entry.serial, "amount": fmt_money(op.target.amount)})
        done = (f"已从单位{op.unit.unit_account}的暂存款分配{op.target.what}{fmt_money(op.target.amount)}元"
                f"（业务流水号{entry.serial}，记账日期{entry.booked_on.isoformat()}）")
    print(done)
    return 0


def cmd_record_receipt(args, config: CentreConfig) -> int:
    """POST /centre/receipts from the console (a bank's statement line entered by the centre's operator)."""
    from services.money import fmt_money, parse_money

    from .reference.service import business_date
    from .remittance import service as remittance

    try:
        amount = parse_money(args.amount)
    except (ValueError, ArithmeticError):
        raise CliError("来款金额格式不正确，应为两位小数的金额") from None
    with _money_operation(config, args, "gjj-centre record-receipt") as op:
        received_on = args.received_on or business_date(session=op.session)
        result = remittance.record_receipt(session=op.session, unit=op.unit, target=op.target, amount=amount,
                                           received_on=received_on, recorded_by=op.actor, now=op.now)
        receipt = result.receipt
        op.audit("centre.receipt", {"receipt_id": receipt.id, "amount": fmt_money(amount), "status": receipt.status})
        done = f"已登记单位{op.unit.unit_account}来款{fmt_money(amount)}元（{received_on.isoformat()}），" + (
            f"已分配{result.payable.what}（业务流水号{'、'.join(result.serials)}）" if receipt.status == "allocated"
            else f"存入暂存款，未分配：{receipt.note}")
    print(done)
    return 0


@dataclass
class _MoneyOperation:
    """A money command's transaction: the unit (locked), what its money pays (an assessment or a 补缴书) and
    the audit row saying that the console did it."""
    session: Any
    unit: Any
    target: Any
    ids: dict
    actor: str
    now: dt.datetime

    def audit(self, action: str, detail: dict) -> None:
        from .audit import service as audit

        audit.record(session=self.session, at=self.now, actor_kind="cli", actor=self.actor, unit_id=self.unit.id,
                     action=action, detail={**detail, **self.ids})


@contextmanager
def _money_operation(config: CentreConfig, args, actor: str) -> Iterator[_MoneyOperation]:
    from .errors import Problem
    from .remittance import service as remittance
    from .units.models import Unit

    database = _database(config)
    try:
        with database.transaction() as session:
            unit = _unit(session, args.unit)
            session.get(Unit, unit.id, with_for_update=True)
            assessment_id, application_id = _by_serial(session, unit, args)
            target = remittance.payable_for(session=session, unit=unit, assessment_id=assessment_id,
                                            application_id=application_id)
            yield _MoneyOperation(session, unit, target,
                                  {"assessment_id": assessment_id, "application_id": application_id}, actor,
                                  config.clock())
    except Problem as exc:
        raise CliError(exc.detail) from None
    finally:
        database.dispose()


# -- helpers --------------------------------------------------------------------------------------

def _by_serial(session, unit, args) -> tuple[int | None, int | None]:
    """(assessment id, application id) named by --assessment / --application, or by the slip's --serial
    (HJ… an assessment of this unit, BJ… the bill of an approved 补缴)."""
    from sqlalchemy import select

    from .remittance.models import RemittanceAssessment
    from .supplementary.models import SupplementaryBill

    serial = getattr(args, "serial", None)
    if not serial:
        return args.assessment, args.application
    found = session.execute(select(RemittanceAssessment.id).where(
        RemittanceAssessment.serial == serial, RemittanceAssessment.unit_id == unit.id)).scalar()
    if found is not None:
        return found, None
    found = session.execute(select(SupplementaryBill.application_id).where(
        SupplementaryBill.serial == serial, SupplementaryBill.unit_id == unit.id)).scalar()
    if found is not None:
        return None, found
    raise CliError(f"单位{unit.unit_account}没有业务流水号为{serial}的汇缴核定或补缴书")


def _database(config: CentreConfig):
    """The database, migrated to the newest schema (every command may be the first after an upgrade)."""
    from .database import Database

    database = Database(config)
    try:
        database.migrate()
    except Exception as exc:
        database.dispose()
        raise CliError(f"无法打开数据库：{exc}") from None
    return database


def _unit(session, unit_account: str):
    from .reference.service import settings
    from .errors import Problem
    from .units.service import find_unit

    try:
        settings(session=session)
    except Problem as exc:
        raise CliError(exc.detail) from None
    unit = find_unit(session=session, unit_account=unit_account)
    if unit is None:
        raise CliError(f"单位账号 {unit_account} 不存在，请核对")
    return unit


def _provision(args, make_certificate) -> bytes:
    try:
        from hsm.errors import TokenError
        from hsm.provision import provision_ukey
    except ImportError as exc:  # PyKCS11 missing on this machine
        raise CliError(f"无法加载UKey发放组件：{exc}") from None
    try:
        return provision_ukey(args.module, args.token_label, args.pin, make_certificate, key_type=args.key_type)
    except TokenError as exc:
        raise CliError(f"UKey发放失败：{exc.message}") from None


def _validity(args, now: dt.datetime, config: CentreConfig) -> tuple[dt.datetime, dt.datetime]:
    tz = zone(config.timezone)
    if (args.not_before is None) != (args.not_after is None):
        raise CliError("--not-before 与 --not-after 须同时提供")
    if args.not_before is not None:
        if args.valid_days is not None:
            raise CliError("--valid-days 不能与 --not-before/--not-after 同用")
        start = dt.datetime.combine(args.not_before, dt.time(0, 0), tz).astimezone(dt.timezone.utc)
        end = dt.datetime.combine(args.not_after, dt.time(23, 59, 59), tz).astimezone(dt.timezone.utc)
        if end <= start:
            raise CliError("--not-after 应晚于 --not-before")
        return start, end
    days = DEFAULT_VALID_DAYS if args.valid_days is None else args.valid_days
    if days < 1:
        raise CliError("--valid-days 应为正整数")
    start = now.replace(microsecond=0) - dt.timedelta(minutes=5)  # tolerate a client clock a little behind
    return start, start + dt.timedelta(days=days)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为YYYY-MM-DD：{text}") from None


if __name__ == "__main__":
    sys.exit(main())
