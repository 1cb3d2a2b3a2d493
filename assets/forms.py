"""Forms of the pool screens: the tape upload and the column-mapping step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assets.tape import ColumnMapping, MappingError, Schema

from .models import SavedMapping, TapeKind

ENCODINGS = [
    ("", _("detect")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("gb18030", "GB18030 / GBK"),
    ("latin-1", "Latin-1"),
    ("utf-16", "UTF-16"),
]
DELIMITERS = [("", _("detect")), (",", _("comma ,")), (";", _("semicolon ;")), ("tab", _("tab")), ("|", "|")]
UNITS = [
    ("yuan", _("yuan (元)")),
    ("wan", _("ten thousand yuan (万元)")),
    ("yi", _("hundred million yuan (亿元)")),
]
DATE_FORMATS = ["YYYY-MM-DD", "YYYY/M/D", "DD/MM/YYYY", "D/M/YYYY", "MM/DD/YYYY", "M/D/YYYY", "YYYYMMDD"]


class TapeUploadForm(forms.Form):
    """A tape file, its table, and optionally a saved mapping to read it with."""

    file = forms.FileField(label=_("Tape file (CSV or XLSX)"))
    kind = forms.ChoiceField(label=_("Table"), choices=TapeKind.choices)
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=SavedMapping.objects.none(),
        required=False,
        empty_label=_("none — match the headers"),
    )
    review_mapping = forms.BooleanField(
        label=_("Check the column mapping before importing"),
        required=False,
        help_text=_(
            "Files in our template import directly; other layouts always go through the mapping step."
        ),
    )
    cutoff_date = forms.DateField(
        label=_("Pool cut-off date (基准日)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Every row of an asset tape must carry this date; it is saved as the filing's cut-off date."
        ),
    )

    def __init__(self, *args: Any, kinds: Sequence[str], mappings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(TapeKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]  # type: ignore[attr-defined]
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0]
        self.fields["saved_mapping"].queryset = mappings  # type: ignore[attr-defined]
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx,.xlsm,.xls"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.TAPE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                params={"size": round(upload.size / 1048576, 1), "limit": settings.TAPE_MAX_BYTES // 1048576},
            )
        return upload


def _reader_label(column: Any) -> str:
    """The column's name in the reader's language (never its code)."""
    return column.zh if (get_language() or "zh").lower().startswith("zh") else column.en


def _column_label(column: Any) -> str:
    marker = " *" if column.required else ""
    return f"{column.zh} · {column.en}{marker}"


class MappingForm(forms.Form):
    """Which column of the file feeds each canonical column, constants, units and the file's layout.

    ``mapping_json`` (advanced) replaces everything else when given, for the options this form does not
    show (value maps, row filters, fill-down …).
    """

    amount_unit = forms.ChoiceField(label=_("Amounts are in"), choices=UNITS, initial="yuan")
    date_format = forms.CharField(
        label=_("Date format"),
        required=False,
        help_text=_("Needed when dates are written day-first or month-first, e.g. DD/MM/YYYY or M/D/YYYY."),
        widget=forms.TextInput(attrs={"list": "date-formats"}),
    )
    encoding = forms.ChoiceField(label=_("Encoding (CSV)"), choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter (CSV)"), choices=DELIMITERS, required=False)
    sheet = forms.CharField(label=_("Worksheet (Excel)"), required=False, max_length=100)
    header_row = forms.IntegerField(label=_("Header row"), required=False, min_value=1)
    header_rows = forms.IntegerField(label=_("Header lines"), min_value=1, max_value=5, initial=1)
    auto_match = forms.BooleanField(
        label=_("Match the other columns by their headers"), required=False, initial=True
    )
    mapping_json = forms.CharField(
        label=_("Mapping as JSON (advanced)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("When filled in, this mapping is used as it stands and the fields above are ignored."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping for later tapes as"),
        required=False,
        max_length=100,
        help_text=_("Your organisation can then choose it when uploading the next tape of this layout."),
    )

    def __init__(self, *args: Any, schema: Schema, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        choices = [("", _("— not in the file —"))] + [(h, h) for h in headers if h]
        for column in schema.columns:
            self.fields[f"col__{column.name}"] = forms.ChoiceField(
                label=_column_label(column), choices=choices, required=False
            )
            self.fields[f"const__{column.name}"] = forms.CharField(
                label=_("Constant for %(column)s") % {"column": _reader_label(column)},
                required=False,
                max_length=200,
            )

    def column_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (column, self[f"col__{column.name}"], self[f"const__{column.name}"])
            for column in self.schema.columns
        ]

    @staticmethod
    def initial_for(mapping: ColumnMapping) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "amount_unit": mapping.amount_unit,
            "date_format": mapping.date_format or "",
            "encoding": mapping.encoding or "",
            "delimiter": ("tab" if mapping.delimiter == "\t" else mapping.delimiter) or "",
            "sheet": mapping.sheet or "",
            "header_row": mapping.header_row,
            "header_rows": mapping.header_rows,
            "auto_match": mapping.auto_match,
        }
        for name, source in mapping.columns.items():
            initial[f"col__{name}"] = source if isinstance(source, str) else source[0]
        for name, value in mapping.constants.items():
            initial[f"const__{name}"] = str(value)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            if (data.get("mapping_json") or "").strip():
                data["mapping"] = ColumnMapping.from_json(data["mapping_json"])
            else:
                data["mapping"] = self._build(data)
        except MappingError as error:
            raise forms.ValidationError(
                _("The column mapping is not valid: %(error)s"), params={"error": str(error)}
            ) from None
        return data

    def _build(self, data: dict[str, Any]) -> ColumnMapping:
        columns = {c.name: data[f"col__{c.name}"] for c in self.schema.columns if data.get(f"col__{c.name}")}
        constants = {
            c.name: data[f"const__{c.name}"].strip()
            for c in self.schema.columns
            if (data.get(f"const__{c.name}") or "").strip()
        }
        return ColumnMapping.from_json(
            {
                "columns": columns,
                "constants": constants,
                "amount_unit": data["amount_unit"],
                "date_format": data.get("date_format") or None,
                "encoding": data.get("encoding") or None,
                "delimiter": data.get("delimiter") or None,
                "sheet": data.get("sheet") or None,
                "header_row": data.get("header_row"),
                "header_rows": data.get("header_rows") or 1,
                "auto_match": bool(data.get("auto_match")),
            }
        )
