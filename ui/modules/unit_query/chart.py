"""The balance chart of 账户信息查询 (QtCharts, PySide6-Addons): the unit account's balance at each month's
end over the chosen range, one point per month, worked out from the journal (client.unit_queries)."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QToolTip

from client.unit_queries import MonthBalance
from services.money import fmt_money_display

WAN = Decimal("10000")
EMPTY_TITLE = "月末余额走势（查询后显示）"


def chart_title(points: list[MonthBalance]) -> str:
    if not points:
        return EMPTY_TITLE
    return (f"单位账户月末余额走势（{points[0].month.display()}至{points[-1].month.display()}，"
            f"按业务流水逐月累计，单位：万元）")


class BalanceChart(QChartView):
    def __init__(self, parent=None) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setBackgroundRoundness(0)
        chart.setMargins(chart.margins())
        super().__init__(chart, parent)
        self.setObjectName("balanceChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.points: list[MonthBalance] = []
        self.series: QLineSeries | None = None
        chart.setTitle(EMPTY_TITLE)

    def show_points(self, points: list[MonthBalance]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.points = list(points)
        chart.setTitle(chart_title(self.points))
        if not self.points:
            self.series = None
            return
        series = QLineSeries()
        series.setName("月末余额")
        series.setPen(QPen(QColor("#1565c0"), 2))
        series.setPointsVisible(True)
        # chart coordinates only (万元): the figures the clerk reads are the Decimal ones (tool tip, figures)
        for i, point in enumerate(self.points):
            series.append(QPointF(i, float(point.balance / WAN)))
        series.hovered.connect(self._hovered)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([f"{p.month.year}-{p.month.month:02d}" for p in self.points])
        if len(self.points) > 12:
            months.setLabelsAngle(-60)
        values = QValueAxis()
        low = min(float(p.balance / WAN) for p in self.points)
        high = max(float(p.balance / WAN) for p in self.points)
        pad = max((high - low) * 0.1, abs(high) * 0.01, 0.01)
        values.setRange(max(0.0, low - pad) if low >= 0 else low - pad, high + pad)
        values.setTickCount(6)
        values.applyNiceNumbers()
        values.setLabelFormat("%.2f" if high - low < 1 else "%.0f")
        values.setTitleText("余额（万元）")
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(values)
        self.series = series

    def _hovered(self, point: QPointF, state: bool) -> None:
        index = round(point.x())
        if state and 0 <= index < len(self.points):
            p = self.points[index]
            QToolTip.showText(self.cursor().pos(), f"{p.month.display()}末余额：{fmt_money_display(p.balance)} 元", self)
        else:
            QToolTip.hideText()
