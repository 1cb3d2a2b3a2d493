"""Tape errors: one small record per problem, translated messages, a capped collector and CSV/XLSX export."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.spreadsheet import safe_writer, xlsx_cell

# Every message is %-formatted with row, column and value plus the error's own params, at the moment it is
# read, so it renders in the reader's language (a view in zh-hans, a management command in English).
MESSAGES: Final[dict[str, Promise]] = {
    # The file as a whole
    "unreadable_file": _("The file could not be read as CSV or Excel (%(detail)s)."),
    "empty_file": _("The file contains no header row."),
    "zip_too_large": _(
        "The workbook would expand to %(size)s MB when opened; the limit is %(limit)s MB. Split it or "
        "upload it as CSV."
    ),
    "zip_ratio": _(
        "The workbook's part %(part)s expands %(ratio)s times its compressed size (at most %(limit)s "
        "times is accepted): the file is refused as a possible zip bomb."
    ),
    "encoding_error": _(
        "Row %(row)s: the file is not valid %(encoding)s text; save it as UTF-8 or declare its encoding."
    ),
    "csv_error": _("Row %(row)s: the file is not well-formed CSV (%(detail)s)."),
    "sheet_not_found": _("The workbook has no sheet named %(value)r (sheets: %(sheets)s)."),
    "missing_column": _(
        "Required column %(column)s (%(column_zh)s) was not found in the file and has no constant value."
    ),
    "mapped_column_not_found": _(
        "Column %(column)s is mapped to %(value)r, which is not a header of the file."
    ),
    "unknown_mapping_column": _("The mapping names %(column)s, which is not a column of this template."),
    "bad_constant": _("The constant %(value)r given for column %(column)s is not valid (%(reason)s)."),
    # One cell
    "required": _("Row %(row)s, column %(column)s: a value is required."),
    "nd_not_allowed": _(
        "Row %(row)s, column %(column)s: the no-data code %(value)r is not allowed in this column."
    ),
    "invalid_nd": _(
        "Row %(row)s, column %(column)s: %(value)r is not a no-data code (ND1–ND5 or ND4-YYYY-MM-DD)."
    ),
    "not_a_number": _("Row %(row)s, column %(column)s: %(value)r is not a number."),
    "not_an_integer": _("Row %(row)s, column %(column)s: %(value)r is not a whole number."),
    "not_a_date": _(
        "Row %(row)s, column %(column)s: %(value)r is not a date (expected YYYY-MM-DD or 2025年3月1日)."
    ),
    "not_a_date_in_format": _(
        "Row %(row)s, column %(column)s: %(value)r is not a date in the declared format %(format)s."
    ),
    "ambiguous_date": _(
        "Row %(row)s, column %(column)s: %(value)r could be day/month or month/day; declare the file's date "
        "format."
    ),
    "not_a_month": _("Row %(row)s, column %(column)s: %(value)r is not a month (expected YYYY-MM)."),
    "not_a_boolean": _(
        "Row %(row)s, column %(column)s: %(value)r is not yes/no (expected 是/否, Y/N, true/false or 1/0)."
    ),
    "not_a_choice": _("Row %(row)s, column %(column)s: %(value)r is not one of %(choices)s."),
    "too_long": _("Row %(row)s, column %(column)s: the value is longer than %(max_length)s characters."),
    "nul_character": _(
        "Row %(row)s, column %(column)s: the value contains a NUL character (0x00), which cannot be stored; "
        "remove it from the file."
    ),
    "below_minimum": _("Row %(row)s, column %(column)s: %(value)r is below the minimum %(minimum)s."),
    "not_positive": _("Row %(row)s, column %(column)s: %(value)r must be greater than %(minimum)s."),
    "above_maximum": _("Row %(row)s, column %(column)s: %(value)r is above the maximum %(maximum)s."),
    "rate_looks_like_percent": _(
        "Row %(row)s, column %(column)s: %(value)r looks like a percentage; write 5.5%% or declare the "
        "column as percent."
    ),
    "invalid_uscc": _(
        "Row %(row)s, column %(column)s: %(value)r is not an 18-character unified social credit code."
    ),
    "uscc_check_failed": _(
        "Row %(row)s, column %(column)s: %(value)r fails the GB 32100 check character (expected "
        "%(expected)s)."
    ),
    "invalid_region": _(
        "Row %(row)s, column %(column)s: %(value)r is not a six-digit division code of a Chinese province."
    ),
    "invalid_industry": _("Row %(row)s, column %(column)s: %(value)r is not a GB/T 4754-2017 industry code."),
    "invalid_currency": _("Row %(row)s, column %(column)s: %(value)r is not an ISO 4217 currency code."),
    # Several cells of one row
    "outstanding_exceeds_original": _(
        "Row %(row)s: outstanding amount %(outstanding)s exceeds the original amount %(original)s by more "
        "than %(tolerance)s."
    ),
    "maturity_before_origination": _(
        "Row %(row)s: maturity date %(maturity)s is before origination date %(origination)s."
    ),
    "date_after_cutoff": _("Row %(row)s, column %(column)s: %(value)s is after the cut-off date %(cutoff)s."),
    "date_too_early": _("Row %(row)s, column %(column)s: %(value)s is before %(minimum)s."),
    "cutoff_in_future": _("Row %(row)s, column %(column)s: the cut-off date %(value)s is in the future."),
    "status_dpd_mismatch": _("Row %(row)s: account status %(status)s does not fit %(dpd)s days past due."),
    "arrears_without_dpd": _("Row %(row)s: arrears amount %(arrears)s is not zero but days past due is 0."),
    "arrears_required": _("Row %(row)s: days past due is %(dpd)s, so the arrears amount is required."),
    "instalments_paid_exceed_total": _(
        "Row %(row)s: instalments paid (%(paid)s) exceed total instalments (%(total)s)."
    ),
    "outstanding_exceeds_remaining_rent": _(
        "Row %(row)s: outstanding principal %(outstanding)s exceeds the remaining rent %(rent)s."
    ),
    "due_before_invoice": _("Row %(row)s: due date %(due)s is before invoice date %(invoice)s."),
    "performance_bucket_exceeds": _(
        "Row %(row)s, column %(column)s: %(value)s exceeds %(outer)s (%(limit)s); each delinquency bucket "
        "must lie within the next wider one and within the opening balance."
    ),
    "collected_exceeds_available": _(
        "Row %(row)s, column %(column)s: %(value)s collected is more than the opening balance plus the "
        "month's originations (%(available)s)."
    ),
    "toll_period_reversed": _("Row %(row)s: the toll period ends (%(end)s) before it starts (%(start)s)."),
    "ncf_underivable": _("Row %(row)s: give the forecast net cash flow or the forecast operating expenses."),
    # Across rows
    "duplicate_asset_id": _(
        "Row %(row)s, column %(column)s: asset %(value)r already appears in row %(first_row)s."
    ),
    "duplicate_invoice_no": _(
        "Row %(row)s, column %(column)s: invoice %(value)r already appears in row %(first_row)s."
    ),
    "multiple_cutoff_dates": _(
        "Row %(row)s, column %(column)s: cut-off date %(value)s differs from %(expected)s in row "
        "%(first_row)s; a tape has one cut-off date."
    ),
    "cutoff_mismatch": _(
        "Row %(row)s, column %(column)s: cut-off date %(value)s differs from the filing's cut-off date "
        "%(expected)s."
    ),
    "duplicate_period": _(
        "Row %(row)s, column %(column)s: month %(value)s already appears in row %(first_row)s."
    ),
    "duplicate_payment_date": _(
        "Row %(row)s, column %(column)s: payment date %(value)s already appears in row %(first_row)s."
    ),
    "period_gap": _(
        "Asset %(asset)s: months %(first_missing)s to %(last_missing)s are missing; monthly rows must be "
        "contiguous."
    ),
    "history_too_short": _(
        "Asset %(asset)s: %(months)s months of history given; at least %(minimum)s are required."
    ),
    # Warnings (do not block the import)
    "duplicate_header": _("Header %(value)r appears more than once; the later copy is named %(renamed)r."),
    "performance_history_short": _(
        "%(months)s months of performance history given; %(target)s or more are expected for the "
        "stability checks."
    ),
    "zero_revenue_month": _(
        "Row %(row)s, column %(column)s: revenue is zero in %(month)s; state whether the asset was closed "
        "or the data is missing."
    ),
}

_VALUE_LIMIT: Final = 200
# How every cell error begins; the error table on screen shows row and column in their own columns.
_AT_CELL: Final = _("Row %(row)s, column %(column)s: ")
# Control characters other than tab and line breaks, shown escaped (\x00): a spreadsheet cannot hold them.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def display_value(value: object) -> str | None:
    """A cell as the user typed it, for error reports: text as is, numbers without float noise, dates ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return _CONTROL.sub(_escaped, value[:_VALUE_LIMIT])
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:_VALUE_LIMIT]


def _plain(param: Any) -> Any:
    """Message parameters as JSON values (amounts and dates as text), so stored errors re-render."""
    if isinstance(param, Decimal):
        return str(param)
    if isinstance(param, dt.date):
        return param.isoformat()
    return param


@dataclass(frozen=True, slots=True)
class TapeError:
    """One problem in an uploaded file, where the user will find it (header = row 1)."""

    code: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        template = MESSAGES.get(self.code)
        if template is None:
            return self.code
        return str(template) % {"row": self.row, "column": self.column, "value": self.value, **self.params}

    @property
    def reason(self) -> str:
        """The message without the row and column it starts with, for a table that shows them beside it.

        Messages that do not start with them (file-level ones, or a translation worded otherwise) are
        returned whole, so nothing is ever lost.
        """
        message = self.message
        if self.row is None or self.column is None:
            return message
        place = str(_AT_CELL) % {"row": self.row, "column": self.column}
        if not message.startswith(place) or len(message) == len(place):
            return message
        rest = message[len(place) :]
        return rest[:1].upper() + rest[1:]

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form; TapeError.from_dict rebuilds it to render the message in any language."""
        return {
            "code": self.code,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TapeError:
        return cls(
            data["code"], data.get("row"), data.get("column"), data.get("value"), data.get("params") or {}
        )


class ErrorCollector:
    """Counts every error but keeps only the first `limit`, so a file of a million bad rows stays small."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self.errors: list[TapeError] = []
        self.count = 0
        self.by_code: Counter[str] = Counter()

    def add(
        self,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        **params: Any,
    ) -> None:
        self.count += 1
        self.by_code[code] += 1
        if len(self.errors) < self.limit:
            plain = {key: _plain(param) for key, param in params.items()}
            self.errors.append(TapeError(code, row, column, display_value(value), plain))

    @property
    def truncated(self) -> bool:
        return self.count > len(self.errors)


_EXPORT_HEADERS: Final = (_("Row"), _("Column"), _("Value"), _("Code"), _("Message"))


def _export_rows(errors: Iterable[TapeError]) -> Iterable[list[Any]]:
    yield [str(header) for header in _EXPORT_HEADERS]
    for error in errors:
        yield [
            error.row if error.row is not None else "",
            error.column or "",
            error.value or "",
            error.code,
            error.message,
        ]


def errors_to_csv(errors: Iterable[TapeError]) -> bytes:
    """The error report as UTF-8 CSV with a BOM, so Excel shows the Chinese messages."""
    buffer = io.StringIO()
    safe_writer(buffer).writerows(_export_rows(errors))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def errors_to_xlsx(errors: Iterable[TapeError]) -> bytes:
    """The error report as an XLSX workbook with one sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Errors")))
    for values in _export_rows(errors):
        sheet.append([xlsx_cell(value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
