"""What the import engine reports: a `Problem` per bad cell or row (every one of them, with where it is),
or a `WorkbookRefused` when the file cannot be read at all. Messages are Chinese and say what to do."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: `row` is the Excel row number (1-based, as Excel shows it), `column` the header text
    of the template column ("" when the problem is about the whole row), `code` stable, `message` Chinese."""
    sheet: str
    row: int
    column: str
    code: str
    message: str

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code,
                "message": self.message}

    def describe(self) -> str:
        """The sentence a clerk reads: "第12行 证件号码：身份证号码校验位错误，请核对"."""
        where = f"第{self.row}行 {self.column}：" if self.column else f"第{self.row}行："
        return where + self.message


class BatchError(Exception):
    """Base of the engine's exceptions; `.message` is the Chinese text for the clerk."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class WorkbookRefused(BatchError):
    """The file cannot be checked at all (not a spreadsheet, encrypted, corrupt, too big, not our
    template, headers that do not match, …). `code` is stable; `message` says why and what to do."""


class ImportCancelled(BatchError):
    """The clerk cancelled the import (the UI says nothing)."""

    def __init__(self) -> None:
        super().__init__("cancelled", "已取消导入")


# The classic Excel traps, word for word (tests check these).
ID_AS_NUMBER = "身份证号码被Excel存为数字，后几位已丢失：请将该列设为文本后重新录入"
OTHER_ID_AS_NUMBER = "证件号码被Excel存为数字，可能已丢失数字：请将该列设为文本后重新录入"
FORMULA_WITHOUT_VALUE = "该单元格是公式，但文件中没有保存计算结果：请在Excel中打开并保存后再导入，或把公式改为数值"
HIDDEN_ROW = "该行是隐藏行，隐藏的行同样会被导入：请取消隐藏并核对，不需要的行请删除"
TEMPLATE_OUTDATED = "模板版本已过期，请重新下载"


def merged_cell(ref: str) -> str:
    return f"该单元格位于合并单元格{ref}中，合并后只有第一格有值：请取消合并，并在每一行分别填写"
