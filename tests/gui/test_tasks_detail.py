"""业务详情: the flow chart (current node highlighted, passed ones marked, the return arrow), the steps with
actor / opinion / time, the changes, the files and the UKey signature; 待办 actions only for a returned one."""

from __future__ import annotations

from PySide6.QtGui import QColor

from tests.gui.test_tasks_helpers import detail
from ui.tasks.detail import ApplicationDetailDialog
from ui.tasks.flowchart import COLOURS, CURRENT, DONE, TODO, FlowChart, node_states


def _fill_at(chart: FlowChart, index: int) -> str:
    image = chart.grab().toImage()
    rect = chart.node_rects()[index]
    ratio = image.devicePixelRatio()
    return QColor(image.pixel(int((rect.left() + 5) * ratio), int(rect.center().y() * ratio))).name()


def test_the_current_node_is_highlighted(qtbot):
    dialog = ApplicationDetailDialog(detail(status="pending"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    chart = dialog.flow
    assert chart.states == [("经办人提交", DONE), ("中心初审", CURRENT), ("办结", TODO)]
    assert chart.current == "中心初审"
    assert [_fill_at(chart, i) for i in range(3)] == [COLOURS[DONE][0], COLOURS[CURRENT][0], COLOURS[TODO][0]]
    assert chart.accessibleName() == "审批流程：经办人提交 → 中心初审（当前） → 办结"


def test_an_approved_one_shows_every_step_its_opinion_and_the_signature(qtbot):
    shown = detail(status="approved")
    dialog = ApplicationDetailDialog(shown)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.flow.current == "办结"
    assert node_states(shown) == [("经办人提交", DONE), ("中心初审", DONE), ("办结", CURRENT)]
    steps = [[dialog.steps.item(r, c).text() for c in range(5)] for r in range(dialog.steps.rowCount())]
    assert steps[1][:4] == ["中心初审", "审核员", "审核通过", "同意变更"] and steps[1][4].startswith("2026-07-01")
    assert dialog.opinion.text() == "中心审批意见：同意变更"
    assert [dialog.changes.item(0, c).text() for c in range(1, 4)] == [
        "单位地址", "示范市西湖区文三路90号", "示范市滨江区网商路699号"]
    signature = dialog.findChild(object, "signatureInfo")
    assert signature.text("state") == "已使用UKey签名，中心验签通过"
    assert signature.text("serial") == "5A3F9C01D2"
    assert signature.text("fingerprint") == " ".join(["ABABABABABABABAB"] * 4)
    assert signature.text("version") == "第1版"
    assert not dialog.end_button.isVisible() and not dialog.resubmit_button.isVisible()  # no context: read only


def test_a_returned_one_points_back_to_the_clerk(qtbot):
    shown = detail(status="returned")
    chart = FlowChart(shown)
    qtbot.addWidget(chart)
    chart.resize(700, chart.minimumHeight())
    chart.show()
    assert chart.states == [("经办人提交", CURRENT), ("中心初审", DONE), ("办结", TODO)]
    assert chart.minimumHeight() > FlowChart(detail(status="pending")).minimumHeight()  # room for the 退回 arrow
    assert _fill_at(chart, 0) == COLOURS[CURRENT][0]


def test_ended_and_rejected_end_nodes():
    assert node_states(detail(status="ended"))[-1] == ("结束流程", CURRENT)
    rejected = detail(status="rejected", flow=["经办人提交", "中心初审", "不予受理"], current_node="不予受理")
    assert node_states(rejected) == [("经办人提交", DONE), ("中心初审", DONE), ("不予受理", CURRENT)]
