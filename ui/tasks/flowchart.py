"""The flow chart of an application: its nodes left to right (经办人提交 → 中心初审 → (中心复审) → 办结 /
不予受理 / 结束流程), the current one highlighted, the ones passed marked, and under each node who acted,
how and when. A 退回 draws a return arrow back to 经办人提交."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.widgets import fmt_timestamp

DONE, CURRENT, TODO = "done", "current", "todo"
NODE_H = 46
GAP = 46
MARGIN = 12
CAPTION_H = 40
RETURN_H = 26
FAILED_ENDS = frozenset({"不予受理"})

COLOURS = {  # fill, border, text
    DONE: ("#eaf5ee", "#3f8f5a", "#1d6b35"),
    CURRENT: ("#1e5aa8", "#174a8c", "#ffffff"),
    TODO: ("#f4f6f9", "#b9c6d6", "#7a8696"),
}
FAILED_CURRENT = ("#b3261e", "#8e1d17", "#ffffff")


def node_states(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """[(node, done|current|todo)] for `GET /applications/{id}`'s flow, current_node and steps."""
    flow = list(detail.get("flow") or [])
    current = detail.get("current_node")
    visited = {s.get("node") for s in detail.get("steps") or []}
    index = flow.index(current) if current in flow else -1
    states = []
    for i, node in enumerate(flow):
        if node == current:
            states.append((node, CURRENT))
        elif i < index or node in visited:
            states.append((node, DONE))
        else:
            states.append((node, TODO))
    return states


def last_step_at(detail: dict[str, Any], node: str) -> dict[str, Any] | None:
    steps = [s for s in detail.get("steps") or [] if s.get("node") == node]
    return steps[-1] if steps else None


class FlowChart(QWidget):
    def __init__(self, detail: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flowChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.detail: dict[str, Any] = {}
        self.states: list[tuple[str, str]] = []
        self.set_detail(detail or {})

    def set_detail(self, detail: dict[str, Any]) -> None:
        self.detail = detail
        self.states = node_states(detail)
        self.setMinimumHeight(self._height())
        self.setAccessibleName("审批流程：" + " → ".join(
            f"{n}（当前）" if s == CURRENT else n for n, s in self.states))
        self.update()

    @property
    def current(self) -> str | None:
        return next((n for n, s in self.states if s == CURRENT), None)

    def _returned(self) -> bool:
        return self.detail.get("status") == "returned"

    def _height(self) -> int:
        return MARGIN * 2 + NODE_H + CAPTION_H + (RETURN_H if self._returned() else 0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        count = max(1, len(self.states))
        return QSize(count * 150 + (count - 1) * GAP + 2 * MARGIN, self._height())

    def node_rects(self) -> list[QRectF]:
        count = len(self.states)
        if not count:
            return []
        width = min(170.0, (self.width() - 2 * MARGIN - (count - 1) * GAP) / count)
        total = count * width + (count - 1) * GAP
        left = (self.width() - total) / 2
        return [QRectF(left + i * (width + GAP), MARGIN, width, NODE_H) for i in range(count)]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rects = self.node_rects()
        for i in range(len(rects) - 1):
            passed = self.states[i + 1][1] != TODO
            self._arrow(painter, QPointF(rects[i].right() + 4, rects[i].center().y()),
                        QPointF(rects[i + 1].left() - 4, rects[i + 1].center().y()), passed)
        if self._returned() and len(rects) > 1:
            self._return_arrow(painter, rects)
        for (node, state), rect in zip(self.states, rects):
            self._node(painter, rect, node, state)
        painter.end()

    def _node(self, painter: QPainter, rect: QRectF, node: str, state: str) -> None:
        fill, border, text = FAILED_CURRENT if (state == CURRENT and node in FAILED_ENDS) else COLOURS[state]
        pen = QPen(QColor(border), 2 if state == CURRENT else 1.4)
        if state == TODO:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(rect, 8, 8)
        font = QFont(self.font())
        font.setPixelSize(14)
        font.setBold(state != TODO)
        painter.setFont(font)
        painter.setPen(QColor(text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, node + ("（当前）" if state == CURRENT and rect.width() > 130 else ""))
        step = last_step_at(self.detail, node)
        if step is None:
            return
        small = QFont(self.font())
        small.setPixelSize(12)
        painter.setFont(small)
        painter.setPen(QColor("#3b4b5f"))
        caption = QRectF(rect.left() - GAP / 2 + 4, rect.bottom() + 4, rect.width() + GAP - 8, CAPTION_H - 4)
        who = " ".join(x for x in (step.get("actor") or "", step.get("decision_label") or "") if x)
        painter.drawText(caption, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                         f"{who}\n{fmt_timestamp(step.get('at'))}")

    @staticmethod
    def _arrow(painter: QPainter, start: QPointF, end: QPointF, passed: bool) -> None:
        colour = QColor("#3f8f5a" if passed else "#b9c6d6")
        painter.setPen(QPen(colour, 2))
        painter.drawLine(start, QPointF(end.x() - 8, end.y()))
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(QPolygonF([end, QPointF(end.x() - 10, end.y() - 5), QPointF(end.x() - 10, end.y() + 5)]))

    def _return_arrow(self, painter: QPainter, rects: list[QRectF]) -> None:
        """From 中心初审 (or 复审) back under the captions to 经办人提交, labelled 退回."""
        back_from = next((i for i, (n, _s) in reversed(list(enumerate(self.states)))
                          if last_step_at(self.detail, n) and i > 0), 1)
        start, end = rects[back_from], rects[0]
        y = start.bottom() + CAPTION_H + RETURN_H / 2
        top = end.bottom() + CAPTION_H - 2
        colour = QColor("#a0620a")
        path = QPainterPath(QPointF(start.center().x(), start.bottom() + CAPTION_H - 2))
        path.lineTo(start.center().x(), y)
        path.lineTo(end.center().x(), y)
        path.lineTo(end.center().x(), top + 10)
        painter.setPen(QPen(colour, 1.6, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        tip = QPointF(end.center().x(), top)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([tip, QPointF(tip.x() - 5, top + 10), QPointF(tip.x() + 5, top + 10)]))
        font = QFont(self.font())
        font.setPixelSize(12)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(colour)
        mid = (start.center().x() + end.center().x()) / 2
        painter.drawText(QRectF(mid - 60, y - RETURN_H / 2 - 2, 120, RETURN_H / 2), Qt.AlignmentFlag.AlignCenter,
                         "退回修改")
