"""The import report as text lines: what the import page shows, for the command line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from assets.tape import TapeError

from .models import TapeImport


def tape_errors(result: dict[str, Any], key: str = "errors") -> list[TapeError]:
    """The stored errors (or warnings) of an import in row order (file-wide ones first), ready to render
    in the active language."""
    errors = [TapeError.from_dict(entry) for entry in result.get(key) or []]
    return sorted(errors, key=lambda error: error.row if error.row is not None else 0)


def _cell(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def report_lines(job: TapeImport) -> Iterable[str]:
    """Summary, then every kept error and warning as row, column, value and reason."""
    result = job.result or {}
    outcome = job.outcome
    headline = {
        "accepted": _("Accepted: %(rows)s rows stored; this tape is now in force."),
        "refused": _(
            "Refused: %(errors)s errors; nothing was stored and the previous tape (if any) stays in force."
        ),
        "failed": _("The import failed: %(error)s"),
    }.get(outcome, _("The import is %(status)s."))
    yield str(headline) % {
        "rows": job.rows_stored,
        "errors": result.get("error_count", 0),
        "error": job.error,
        "status": job.get_status_display(),
    }
    yield _("File: %(name)s (%(size)s bytes, SHA-256 %(sha256)s)") % {
        "name": job.file_name,
        "size": job.size,
        "sha256": job.sha256,
    }
    if result:
        yield _(
            "Format %(format)s, encoding %(encoding)s, delimiter %(delimiter)s, sheet %(sheet)s, header row "
            "%(header)s."
        ) % {
            "format": _cell(result.get("file_format")),
            "encoding": _cell(result.get("encoding")),
            "delimiter": _cell(repr(result["delimiter"]) if result.get("delimiter") else None),
            "sheet": _cell(result.get("sheet")),
            "header": _cell(result.get("header_row")),
        }
        yield _("Rows read %(read)s, skipped %(skipped)s, valid %(valid)s, with errors %(invalid)s.") % {
            "read": result.get("rows_read", 0),
            "skipped": result.get("rows_skipped", 0),
            "valid": result.get("rows_valid", 0),
            "invalid": result.get("rows_invalid", 0),
        }
        if result.get("unmapped_headers"):
            yield _("Columns not used: %(headers)s") % {"headers": ", ".join(result["unmapped_headers"])}
    errors = tape_errors(result)
    if errors:
        yield ""
        yield "\t".join([_("Row"), _("Column"), _("Value"), _("Reason")])
        for error in errors:
            yield "\t".join([_cell(error.row), _cell(error.column), _cell(error.value), error.message])
        if result.get("errors_truncated"):
            yield _("… %(more)s more errors are not listed.") % {
                "more": result.get("error_count", 0) - len(errors)
            }
    warnings = tape_errors(result, "warnings")
    if warnings:
        yield ""
        yield _("Warnings (they do not stop the import):")
        for warning in warnings:
            yield "\t".join(
                [_cell(warning.row), _cell(warning.column), _cell(warning.value), warning.message]
            )
