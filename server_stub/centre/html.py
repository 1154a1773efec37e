"""The reviewer web page's HTML: plain server-rendered pages, every value escaped, no script."""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from ..applications.models import STATUS_LABELS
from ..applications.schemas import CentreApplicationDetail, CentreApplicationSummary

TYPE_CHOICES = (("", "全部类型"), ("unit_info_change", "单位信息变更"), ("base_adjustment", "基数调整"),
                ("supplementary", "补缴"), ("employee_info_change", "缴存人信息变更"), ("registration", "自主开户"))
STATUS_CHOICES = (("pending", "待审核"), ("returned", "已退回"), ("approved", "已办结"), ("rejected", "不予受理"),
                  ("ended", "已结束"), ("all", "全部状态"))
NOTICES = {"approve": "已审核通过", "return": "已退回经办单位", "reject": "已作不予受理处理"}


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def when(iso_text: str | None) -> str:
    """"2025-03-10T09:30:00+08:00" → "2025-03-10 09:30" (the centre's own time zone)."""
    return e(iso_text[:16].replace("T", " ")) if iso_text else ""


def page(title: str, body: str, *, user: str | None = None, csrf: str | None = None) -> str:
    bar = ""
    if user:
        bar = (f'<form class="logout" method="post" action="/centre/logout">'
               f'<input type="hidden" name="csrf_token" value="{e(csrf)}">'
               f'<span>审核员：{e(user)}</span> <a href="/centre/queue">待审核队列</a> '
               f'<button type="submit">退出</button></form>')
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)} - 公积金中心审核</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="/centre/review.css"></head><body>'
            f'<header><h1>住房公积金中心 · 业务审核</h1>{bar}</header><main>{body}</main></body></html>')


def error_box(message: str | None) -> str:
    return f'<p class="error" role="alert">{e(message)}</p>' if message else ""


def login_form(csrf: str, *, username: str = "", message: str | None = None) -> str:
    return page("审核员登录", f"""
<section class="card narrow"><h2>审核员登录</h2>{error_box(message)}
<form method="post" action="/centre/login">
<input type="hidden" name="csrf_token" value="{e(csrf)}">
<label>用户名<input name="username" id="username" value="{e(username)}" autocomplete="username" required></label>
<label>密码<input name="password" id="password" type="password" autocomplete="current-password" required></label>
<button type="submit" id="login">登录</button>
</form></section>""")


def _options(choices, selected: str) -> str:
    return "".join(f'<option value="{e(v)}"{" selected" if v == selected else ""}>{e(label)}</option>'
                   for v, label in choices)


def queue(items: list[CentreApplicationSummary], *, total: int, page_no: int, page_size: int, type_code: str,
          status: str, user: str, csrf: str) -> str:
    rows = "".join(
        f'<tr><td><a href="/centre/applications/{a.id}">{e(a.application_no)}</a></td><td>{e(a.type_label)}</td>'
        f'<td>{e(a.unit_name)}<br><small>{e(a.unit_account or "尚未开户")}</small></td><td>{e(a.title)}</td>'
        f'<td>{e(a.status_label)}</td><td>{e(a.current_node)}</td><td>{when(a.submitted_at)}</td></tr>'
        for a in items) or '<tr><td colspan="7" class="empty">没有符合条件的业务</td></tr>'
    pages = max(1, -(-total // page_size))
    nav = []
    for label, number in (("上一页", page_no - 1), ("下一页", page_no + 1)):
        if 1 <= number <= pages:
            query = urlencode({"type": type_code, "status": status, "page": number})
            nav.append(f'<a href="/centre/queue?{query}">{label}</a>')
    return page("审核队列", f"""
<section class="card"><h2>审核队列</h2>
<form method="get" action="/centre/queue" class="filters">
<label>业务类型<select name="type" id="type">{_options(TYPE_CHOICES, type_code)}</select></label>
<label>状态<select name="status" id="status">{_options(STATUS_CHOICES, status)}</select></label>
<button type="submit">筛选</button></form>
<table id="queue"><thead><tr><th>业务编号</th><th>类型</th><th>单位</th><th>内容</th><th>状态</th><th>当前节点</th>
<th>提交时间</th></tr></thead><tbody>{rows}</tbody></table>
<p class="paging">共{total}笔，第{page_no}/{pages}页 {" ".join(nav)}</p></section>""", user=user, csrf=csrf)


def detail(item: CentreApplicationDetail, *, user: str, csrf: str, message: str | None = None,
           notice: str | None = None, opinion: str = "") -> str:
    done = f'<p class="notice" role="status">{e(NOTICES[notice])}</p>' if notice in NOTICES else ""
    body = f"""
<p><a href="/centre/queue">← 返回队列</a></p>{done}{error_box(message)}
<section class="card"><h2>{e(item.type_label)} <small>{e(item.application_no)}</small></h2>
<dl class="facts">
<dt>单位</dt><dd>{e(item.unit_name)}（{e(item.unit_account or "尚未开户")}）</dd>
<dt>状态</dt><dd id="status-label">{e(item.status_label)}</dd>
<dt>当前节点</dt><dd>{e(item.current_node)}</dd>
<dt>经办人</dt><dd>{e(item.initiator)}</dd>
<dt>提交时间</dt><dd>{when(item.submitted_at)}</dd>
<dt>UKey签名</dt><dd>{_signature(item)}</dd>
</dl></section>
<section class="card"><h2>变更内容</h2><table id="changes"><thead><tr><th>项目</th><th>原值</th><th></th><th>新值</th></tr>
</thead><tbody>{_changes(item)}</tbody></table></section>
<section class="card"><h2>附件（档案扫描）</h2>{_attachments(item)}</section>
<section class="card"><h2>审批流程</h2><p class="flow">{_flow(item)}</p>{_steps(item)}</section>
{_decision_form(item, csrf, opinion)}"""
    return page(f"{item.type_label} {item.application_no}", body, user=user, csrf=csrf)


def _signature(item: CentreApplicationDetail) -> str:
    s = item.signature
    if s is None:
        return "无（自主开户申请在登录前提交，不带UKey签名）"
    return (f'已验证：{e(s.signer)} 于 {when(s.signed_at)} 签名（第{s.version}版内容）<br>'
            f'<small>证书序列号 {e(s.certificate_serial)}<br>证书指纹 {e(s.certificate_fingerprint)}<br>'
            f'{e(s.certificate_subject)}</small>')


def _changes(item: CentreApplicationDetail) -> str:
    return "".join(f'<tr><th scope="row">{e(c.item)}</th><td class="old">{e(c.old) or "—"}</td><td>→</td>'
                   f'<td class="new">{e(c.new)}</td></tr>' for c in item.changes)


def _attachments(item: CentreApplicationDetail) -> str:
    if not item.attachments:
        return '<p class="empty">没有附件</p>'
    rows = []
    for a in item.attachments:
        href = f"/centre/applications/{item.id}/attachments/{a.attachment_id}"
        thumb = f'<img src="{href}" alt="{e(a.label)}" class="thumb">' if a.media_type in ("image/jpeg", "image/png") \
            else ""
        rows.append(f'<li>{thumb}<a href="{href}" target="_blank" rel="noopener">{e(a.label)}</a> '
                    f'<small>{e(a.kind_label)} · {e(a.media_type)} · {a.size // 1024 or 1} KB</small></li>')
    return f'<ul class="attachments">{"".join(rows)}</ul>'


def _flow(item: CentreApplicationDetail) -> str:
    """The nodes, the one it waits at (or ended at) marked."""
    mark = "ended" if item.status in ("approved", "rejected", "ended") else "current"
    return " → ".join(f'<span class="node{" " + mark if node == item.current_node else ""}">{e(node)}</span>'
                      for node in item.flow)


def _steps(item: CentreApplicationDetail) -> str:
    rows = "".join(f"<tr><td>{e(s.node)}</td><td>{e(s.actor)}</td><td>{e(s.decision_label)}</td>"
                   f"<td>{e(s.opinion)}</td><td>{when(s.at)}</td></tr>" for s in item.steps)
    return (f'<table id="steps"><thead><tr><th>节点</th><th>办理人</th><th>结论</th><th>意见</th><th>时间</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')


def _decision_form(item: CentreApplicationDetail, csrf: str, opinion: str) -> str:
    if item.status != "pending":
        return f'<p class="closed">此业务{e(STATUS_LABELS[item.status])}，无需审核。</p>'
    return f"""<section class="card"><h2>{e(item.current_node)}</h2>
<form method="post" action="/centre/applications/{item.id}/decision" class="decision">
<input type="hidden" name="csrf_token" value="{e(csrf)}">
<label>审批意见<textarea name="opinion" id="opinion" rows="3" maxlength="1000"
 placeholder="通过时可不填（默认“同意”）；退回或不予受理时请写明原因">{e(opinion)}</textarea></label>
<div class="buttons"><button type="submit" name="decision" value="approve" class="approve">审核通过</button>
<button type="submit" name="decision" value="return" class="return">退回修改</button>
<button type="submit" name="decision" value="reject" class="reject">不予受理</button></div>
</form></section>"""


def refused(message: str) -> str:
    return page("无法办理", f'<section class="card narrow"><h2>无法办理</h2>{error_box(message)}'
                          f'<p><a href="/centre/queue">返回审核队列</a></p></section>')
