"""The building blocks of the tape schema: column and schema types, header matching, code lists."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

ColumnType = Literal[
    "text", "id", "money", "decimal", "rate", "integer", "date", "month", "boolean", "choice",
    "uscc", "region", "industry", "currency",
]  # fmt: skip

ALL_ND: Final = frozenset({"ND1", "ND2", "ND3", "ND4", "ND5"})
NO_ND: Final[frozenset[str]] = frozenset()

ASSET_CLASSES: Final = ("trade_receivable", "finance_lease", "loan", "toll_income")
POOL_CLASSES: Final = ("trade_receivable", "finance_lease", "loan")
TOLL_KINDS: Final = ("assets", "history", "forecast", "debt_service")


@dataclass(frozen=True, slots=True)
class Column:
    """One canonical column: its type, whether it must be filled, its headers and its limits."""

    name: str
    type: ColumnType
    required: bool
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    nd: frozenset[str] = NO_ND
    choices: dict[str, tuple[str, ...]] | None = None  # canonical value -> accepted labels (zh first)
    min_value: int | float | None = None
    max_value: int | float | None = None
    min_exclusive: bool = False
    max_length: int | None = None
    example: str = ""
    derived_from: str = ""  # how a blank is filled (documentation, shown in the template guide)

    def headers(self) -> tuple[str, ...]:
        return (self.name, self.en, self.zh, *self.aliases)


@dataclass(frozen=True)
class Schema:
    """The columns of one asset class and kind, in template order."""

    asset_class: str
    kind: str
    columns: tuple[Column, ...]
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)
    header_index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {column.name: column for column in self.columns})
        index: dict[str, str] = {}
        for column in self.columns:
            for header in column.headers():
                key = header_key(header)
                if index.setdefault(key, column.name) != column.name:
                    raise ValueError(f"header alias {header!r} used twice in {self.asset_class}/{self.kind}")
        object.__setattr__(self, "header_index", index)

    def match_header(self, header: str) -> str | None:
        """The canonical column a user's header stands for, ignoring case, spaces, underscores, width."""
        key = header_key(header)
        found = self.header_index.get(key)
        if found is None and key.endswith(")") and "(" in key:
            found = self.header_index.get(key[: key.rindex("(")])  # "未偿本金余额(元)" -> "未偿本金余额"
        return found


def header_key(text: str) -> str:
    """Normalise a header for matching: full-width to ASCII (NFKC), case-folded, no blanks or _ - ."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if not (ch.isspace() or ch in "_-.:："))


# Enumerations: canonical value -> accepted labels (the first is the Chinese label used in reports).
OBLIGOR_TYPES: Final = {
    "corporate": ("企业", "公司", "法人"),
    "sme": ("中小企业", "小微企业", "中小微企业"),
    "individual": ("个人", "自然人"),
    "government": ("政府", "政府机关", "地方政府"),
    "lgfv": ("城投", "融资平台", "地方政府融资平台", "城投公司"),
    "financial": ("金融机构",),
}
PAYMENT_FREQUENCIES: Final = {
    "monthly": ("按月", "月", "每月"),
    "quarterly": ("按季", "季", "季度", "每季"),
    "semiannual": ("按半年", "半年", "semi-annual"),
    "annual": ("按年", "年", "每年"),
    "bullet": ("到期一次性", "一次性", "到期一次还本付息"),
    "irregular": ("不规则", "不定期"),
}
ACCOUNT_STATUSES: Final = {
    "performing": ("正常",),
    "arrears": ("逾期",),
    "restructured": ("重组",),
    "defaulted": ("违约",),
    "written_off": ("核销", "已核销"),
    "repaid": ("结清", "已结清"),
    "repurchased": ("回购", "已回购"),
}
RISK_CLASSES: Final = {
    "normal": ("正常",),
    "special_mention": ("关注",),
    "substandard": ("次级",),
    "doubtful": ("可疑",),
    "loss": ("损失",),
}
GUARANTEE_TYPES: Final = {
    "none": ("无", "信用"),
    "guarantee": ("保证",),
    "mortgage": ("抵押",),
    "pledge": ("质押",),
    "credit_insurance": ("信用保险",),
}
LEASE_TYPES: Final = {"direct": ("直租",), "sale_leaseback": ("售后回租", "回租")}
LEASED_ASSET_TYPES: Final = {
    "vehicles": ("车辆", "汽车"),
    "machinery": ("工程机械", "工业设备", "机器设备"),
    "medical": ("医疗设备",),
    "energy": ("能源设备", "电力设备"),
    "ships": ("船舶",),
    "aircraft": ("飞机", "航空器"),
    "rail": ("轨道交通设备", "轨交设备"),
    "it_office": ("IT及办公设备", "IT设备", "办公设备"),
    "buildings": ("建筑物", "房屋", "不动产"),
    "other": ("其他",),
}
TOLL_ASSET_CATEGORIES: Final = {
    "expressway": ("高速公路",),
    "bridge": ("桥梁",),
    "tunnel": ("隧道",),
    "water": ("供水", "水务"),
    "power": ("电力", "供电"),
    "heat": ("供热",),
    "gas": ("燃气", "供气"),
    "waste": ("垃圾处理", "污水处理"),
    "other": ("其他",),
}
ESCROW_FREQUENCIES: Final = {
    "daily": ("每日",),
    "weekly": ("每周",),
    "monthly": ("每月",),
    "quarterly": ("每季",),
}
