"""Code tables. Fixed codes (JGJ/T 320 style) live here; the centre-configurable dictionaries
(封存原因, 启封原因, 补缴原因, 职务, 职称, 职业 …) are seeded from DEFAULT_CONFIGURABLE and served by the centre."""
from __future__ import annotations

from dataclasses import dataclass, field

from .identity import ID_TYPES

PERSON_STATUS = {"01": "正常", "02": "封存", "03": "合并销户", "04": "外部转出销户", "05": "提取销户",
                 "06": "冻结", "99": "其他"}
UNIT_STATUS = {"01": "正常", "02": "开户", "03": "缓缴", "04": "销户", "05": "封存"}
GENDER = {"1": "男", "2": "女"}
MARITAL = {"10": "未婚", "20": "已婚", "30": "丧偶", "40": "离婚", "90": "未说明"}
EDUCATION = {"10": "研究生", "20": "本科", "30": "专科", "40": "中专/职高/技校", "60": "高中", "70": "初中",
             "80": "小学", "90": "其他"}

FIXED = {
    "person_status": PERSON_STATUS,
    "unit_status": UNIT_STATUS,
    "gender": GENDER,
    "marital_status": MARITAL,
    "education": EDUCATION,
    "id_type": ID_TYPES,
}

DEFAULT_CONFIGURABLE = {
    "seal_reason": {"1": "保留劳动关系停发工资", "2": "离职/解除劳动合同", "3": "调动暂不转移", "4": "退休"},
    "unseal_reason": {"1": "正常(重新入职/复薪)", "2": "错误封存"},
    "supplement_reason": {"1": "漏缴", "2": "少缴(基数/比例差额)", "3": "新录用未及时开户",
                          "4": "未按时调整年度基数", "9": "其他"},
    "position": {"1": "高级领导", "2": "中级领导", "3": "一般员工", "9": "其他"},
    "title": {"1": "高级", "2": "中级", "3": "初级", "9": "无"},
    "occupation": {"1": "国家机关、党群组织、企业、事业单位负责人", "2": "专业技术人员", "3": "办事人员和有关人员",
                   "4": "商业、服务业人员", "5": "生产、运输设备操作人员及有关人员", "9": "其他从业人员"},
    "industry": {"A": "农、林、牧、渔业", "C": "制造业", "F": "批发和零售业", "I": "信息传输、软件和信息技术服务业",
                 "J": "金融业", "M": "科学研究和技术服务业", "P": "教育", "Q": "卫生和社会工作", "S": "公共管理、社会保障和社会组织"},
    "economic_type": {"110": "国有全资", "140": "有限责任公司", "150": "股份有限公司", "170": "私营企业",
                      "200": "港澳台投资", "300": "外商投资", "900": "其他"},
}


@dataclass(frozen=True)
class Dictionaries:
    """All code tables by name: {name: {code: label}}, with the centre's version."""
    version: int
    tables: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, name: str, code: str) -> str:
        return self.tables.get(name, {}).get(str(code), str(code))

    def code_for(self, name: str, text: str) -> str | None:
        """Accept either a code or a label (what a clerk picks from a template drop-down)."""
        table = self.tables.get(name, {})
        text = str(text).strip()
        if text in table:
            return text
        for code, label in table.items():
            if label == text or f"{code} {label}" == text:
                return code
        return None

    def to_api(self) -> dict:
        return {"version": self.version,
                "dictionaries": {name: [{"code": c, "label": l} for c, l in table.items()]
                                 for name, table in self.tables.items()}}

    @classmethod
    def from_api(cls, data: dict) -> "Dictionaries":
        return cls(int(data["version"]),
                   {name: {str(i["code"]): i["label"] for i in items}
                    for name, items in data["dictionaries"].items()})


def default_dictionaries(version: int = 1) -> Dictionaries:
    tables = {**{k: dict(v) for k, v in FIXED.items()}, **{k: dict(v) for k, v in DEFAULT_CONFIGURABLE.items()}}
    return Dictionaries(version, tables)
