"""首页's task boxes (待办 / 已办 / 我发起的 with 更多), the 业务详情 dialog and its flow chart.

boxes.py (the boxes), history.py (更多), detail.py (业务详情, 结束流程, 修改后重新提交), flowchart.py,
model.py (the table model), context.py (what they need of the main window)."""
