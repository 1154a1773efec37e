"""Printed documents (reportlab): the 汇补缴书, the 补缴凭条, the business receipt of 完成办理, the query
reports of every query tab and the 清册 appendix — all made with one report builder and an embedded CJK font
whose coverage is checked before anything is drawn. Each document function returns PDF bytes; previewing,
printing and saving are the UI's (ui/printing_dialogs.py). No Qt here.

See docs/printing.md.
"""
from printing.documents import (QUERY_REPORTS, account_summary_report, business_receipt, journal_detail_report,
                                query_report, roster_appendix, supplementary_slip)
from printing.fonts import PrintingError, UnprintableText, font_set
from printing.model import (AccountSummary, Assessment, BusinessReceipt, ChangeLogEntry, ChangeRow,
                            DepartmentTransfer, EmployeeRow, HeadcountAmount, JournalDetail, JournalEntry, Payee,
                            PrintContext, RemittanceSlip, RosterRow, StatusChange, SupplementarySlip,
                            SupplementaryRow, SupplementPart)
from printing.report import Column, PageFrame, Report
from printing.slip import remittance_slip

__all__ = [
    "QUERY_REPORTS", "AccountSummary", "Assessment", "BusinessReceipt", "ChangeLogEntry", "ChangeRow", "Column",
    "DepartmentTransfer", "EmployeeRow", "HeadcountAmount", "JournalDetail", "JournalEntry", "PageFrame", "Payee",
    "PrintContext", "PrintingError", "RemittanceSlip", "Report", "RosterRow", "StatusChange", "SupplementPart",
    "SupplementaryRow", "SupplementarySlip", "UnprintableText", "account_summary_report", "business_receipt",
    "font_set", "journal_detail_report", "query_report", "remittance_slip", "roster_appendix", "supplementary_slip",
]
