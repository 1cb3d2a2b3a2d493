"""Blank templates users download and fill: CSV (UTF-8 with BOM) or XLSX, Chinese or English headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, Final, Literal

from .converters import make_parser
from .parsing import CellError
from .schema import Column, Schema, get_schema, kinds_for

Language = Literal["zh", "en"]

SHEET_TITLES: Final = {
    "zh": {
        "assets": "资产信息",
        "history": "历史数据",
        "forecast": "现金流预测",
        "debt_service": "偿债计划",
        "performance": "历史表现（动态池）",
        "guide": "填写说明",
    },
    "en": {
        "assets": "assets",
        "history": "history",
        "forecast": "forecast",
        "debt_service": "debt_service",
        "performance": "performance",
        "guide": "guide",
    },
}
_TYPE_LABELS: Final = {
    "zh": {
        "text": "文本",
        "id": "编号(文本)",
        "money": "金额(元)",
        "decimal": "数值",
        "rate": "比率(如 5.5%)",
        "integer": "整数",
        "date": "日期 YYYY-MM-DD",
        "month": "月份 YYYY-MM",
        "boolean": "是/否",
        "choice": "枚举",
        "uscc": "统一社会信用代码",
        "region": "行政区划代码(6位)",
        "industry": "行业代码 GB/T 4754",
        "currency": "币种 ISO 4217",
    },
    "en": {
        "text": "text",
        "id": "identifier (text)",
        "money": "amount (CNY)",
        "decimal": "number",
        "rate": "rate (e.g. 5.5%)",
        "integer": "whole number",
        "date": "date YYYY-MM-DD",
        "month": "month YYYY-MM",
        "boolean": "yes/no",
        "choice": "one of the listed values",
        "uscc": "unified social credit code",
        "region": "6-digit division code",
        "industry": "GB/T 4754 code",
        "currency": "ISO 4217 code",
    },
}
_GUIDE_HEADERS: Final = {
    "zh": ("表头", "标准字段名", "必填", "类型", "可填无数据代码", "可选值", "留空时"),
    "en": ("header", "canonical name", "required", "type", "no-data codes accepted", "values", "when blank"),
}


def header_for(column: Column, language: Language) -> str:
    return column.zh if language == "zh" else column.en


def column_guide(asset_class: str, kind: str = "assets", language: Language = "zh") -> list[dict[str, Any]]:
    """One dict per column (header, name, required, type, nd, choices, derived_from) for help pages."""
    schema = get_schema(asset_class, kind)
    return [
        {
            "header": header_for(c, language),
            "name": c.name,
            "required": c.required,
            "type": _TYPE_LABELS[language][c.type],
            "nd": sorted(c.nd),
            "choices": {value: labels[0] for value, labels in c.choices.items()} if c.choices else {},
            "derived_from": c.derived_from,
        }
        for c in schema.columns
    ]


def _example_cell(column: Column) -> Any:
    """The example as a typed Excel value (numbers as numbers, dates as dates)."""
    text = column.example
    if not text or column.type in (
        "text",
        "id",
        "choice",
        "boolean",
        "uscc",
        "region",
        "industry",
        "currency",
        "month",
    ):
        return text
    try:
        value = make_parser(column)(text)
    except CellError:
        return text
    if isinstance(value, Decimal):
        return float(value)
    return value


def template_csv(
    asset_class: str, kind: str = "assets", language: Language = "zh", example: bool = True
) -> bytes:
    """A CSV template for one kind: the header row and, optionally, one example row."""
    schema = get_schema(asset_class, kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header_for(c, language) for c in schema.columns])
    if example:
        writer.writerow([c.example for c in schema.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(asset_class: str, language: Language = "zh", example: bool = True) -> bytes:
    """An XLSX template: one sheet per kind (toll income has four) and a guide sheet for the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    titles = SHEET_TITLES[language]
    bold = Font(bold=True)
    guide_rows: list[list[Any]] = []
    for kind in kinds_for(asset_class):
        schema: Schema = get_schema(asset_class, kind)
        sheet = workbook.create_sheet(titles[kind])
        sheet.append([header_for(c, language) for c in schema.columns])
        for position, column in enumerate(schema.columns, start=1):
            letter = get_column_letter(position)
            sheet.cell(row=1, column=position).font = bold
            sheet.column_dimensions[letter].width = max(12, len(header_for(column, language)) * 2)
            if example:
                cell = sheet.cell(row=2, column=position, value=_example_cell(column))
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif column.type == "rate" and isinstance(cell.value, float):
                    cell.number_format = "0.00%"
                elif column.type in ("id", "text", "uscc", "region", "industry"):
                    cell.number_format = "@"  # keep leading zeros of codes typed by the user
        sheet.freeze_panes = "A2"
        for entry in column_guide(asset_class, kind, language):
            guide_rows.append(
                [
                    titles[kind],
                    entry["header"],
                    entry["name"],
                    ("是" if entry["required"] else "否")
                    if language == "zh"
                    else ("yes" if entry["required"] else "no"),
                    entry["type"],
                    " ".join(entry["nd"]),
                    "; ".join(f"{v} ({label})" for v, label in entry["choices"].items()),
                    entry["derived_from"],
                ]
            )
    guide = workbook.create_sheet(titles["guide"])
    guide.append(["sheet" if language == "en" else "工作表", *_GUIDE_HEADERS[language]])
    for row in guide_rows:
        guide.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
