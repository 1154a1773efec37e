"""What the approval batch businesses (基数调整 SPEC 4.4, 补缴 SPEC 4.6) share: a page with a single-entry form
(the tab's own), 【批量导入】 (the employee kit's import dialog reading through client.approval_batches), the
清册 (the employee kit's table, box and keeper: delete with confirmation, totals, kept at every change) and
【提交审批】 → 档案上传 (单位信息变更's scan dialog, the required document named from GET /applications/types) →
client.applications.finish → 提交成功. The non-widget parts are client/approval_batches.py.

    page.py       ApprovalBatchPage: the page; a tab subclasses it with its form, columns and announcement
    importer.py   ApprovalImportDialog
    panel.py      ApprovalDraftPanel: the 清册 box whose submit button stays off while the business is blocked

See docs/base-adjustment.md and docs/supplementary-tab.md."""
