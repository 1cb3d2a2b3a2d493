"""The asset-pool screens of a filing: templates, upload, column mapping, import progress and errors,
and the pool's figures. Thin: the filing comes from the user's scope, the work from assets.services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from assets import selectors as pool_selectors
from assets import services as pool_services
from assets.analytics.eligibility import REASONS, _check, _reason_params
from assets.criteria import DEFAULT_CRITERIA
from assets.errors import DuplicateTapeError, PoolLockedError, TapeImportError
from assets.forms import DATE_FORMATS, MappingForm, TapeUploadForm
from assets.models import AssetPool, TapeImport, TapeKind, TapeUpload
from assets.reports import tape_errors
from assets.storage import local_tape_path, open_tape
from assets.tape import (
    ColumnMapping,
    TapeReadError,
    column_guide,
    errors_to_csv,
    errors_to_xlsx,
    get_schema,
    kinds_for,
    preview_file,
    template_csv,
    template_xlsx,
)

from . import pools
from .dossier import charts
from .dossier.formatting import amount, compact_amount, day, integer, number, share
from .dossier.pool import performance_history, pool_section
from .models import Filing
from .rules import can_import_tapes, can_see_pool
from .views import _filing as _scoped_filing

ERRORS_PER_PAGE = 50
ASSETS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def pool_of(filing: Filing) -> AssetPool:
    """The filing's pool, created on first use."""
    return pools.ensure_pool(filing)


legal_final_maturity = pools.legal_final_maturity
_criteria = pools.criteria_of


def _filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it and its pool (an agent only with the tapes scope); else 404."""
    filing = _scoped_filing(request, reference)
    if not can_see_pool(request.user, filing):
        raise Http404
    return filing


def _can_change(request: AuthedRequest, filing: Filing) -> bool:
    return bool(can_import_tapes(request.user, filing) and filing.section_is_editable("assets"))


def _pool_url(filing: Filing) -> str:
    return reverse("filings:pool", args=[filing.reference])


def _import_url(filing: Filing, job: TapeImport) -> str:
    return reverse("filings:pool_import", args=[filing.reference, job.pk])


def _job(filing: Filing, pk: int) -> TapeImport:
    if filing.pool_id is None:
        raise Http404
    try:
        return pool_selectors.import_for_pool(filing.pool, pk)  # type: ignore[arg-type]
    except TapeImport.DoesNotExist as error:
        raise Http404 from error


def _set_cutoff(filing: Filing, cutoff: dt.date, by: Any) -> None:
    pools.set_cutoff_date(filing=filing, cutoff=cutoff, by=by)


def _start(
    request: AuthedRequest, filing: Filing, upload: TapeUpload, mapping: ColumnMapping | dict[str, Any] | None
) -> HttpResponse:
    try:
        job = pools.start_filing_import(filing=filing, upload=upload, mapping=mapping, by=request.user)
    except DuplicateTapeError as error:
        messages.info(request, error.user_message)
        return redirect(_import_url(filing, error.existing))
    except TapeImportError as error:
        messages.error(request, error.user_message)
        return redirect(_pool_url(filing))
    messages.success(request, _("%(name)s is being imported.") % {"name": upload.file_name})
    return redirect(_import_url(filing, job))


# ---------------------------------------------------------------------------------------------
# Figures for the pool page
# ---------------------------------------------------------------------------------------------

_STABILITY_LABELS = {
    "revenue_cv": gettext_lazy("Coefficient of variation of monthly cash flow"),
    "min_to_mean": gettext_lazy("Weakest month to the mean"),
    "max_drawdown_t12": gettext_lazy("Largest fall of trailing-12-month revenue"),
    "yoy_growth": gettext_lazy("Last year's revenue growth"),
    "min_coverage_base": gettext_lazy("Minimum coverage of senior debt service"),
    # xgettext:no-python-format
    "min_coverage_stress_20": gettext_lazy("Minimum coverage with revenue 20 % lower"),
    "min_dscr": gettext_lazy("Minimum rolling 12-month DSCR"),
    "ncf_to_debt_service": gettext_lazy("Net cash flow over senior debt service"),
    "oc_ratio": gettext_lazy("Pool balance over senior notes"),
    "collection_ratio_12m": gettext_lazy("12-month collection ratio"),
    "dq90_balance": gettext_lazy("Balance 90+ days past due"),
    "dilution_ratio_12m": gettext_lazy("Dilution ratio"),
}
_MULTIPLES = {"min_coverage_base", "min_coverage_stress_20", "min_dscr", "ncf_to_debt_service", "oc_ratio"}
_BANDS = {
    "green": ("ok", gettext_lazy("green")),
    "amber": ("warn", gettext_lazy("amber")),
    "red": ("bad", gettext_lazy("red")),
}
_STATUS = {
    "pass": ("ok", gettext_lazy("pass")),
    "fail": ("bad", gettext_lazy("fail")),
    "warning": ("warn", gettext_lazy("warning")),
    "disclose": ("warn", gettext_lazy("disclose")),
}


_CHECK_LABELS = {
    "single_obligor_share": gettext_lazy("Largest obligor group"),
    "significant_obligors": gettext_lazy("Significant obligors"),
    "top5_share": gettext_lazy("Five largest obligor groups"),
    "obligor_group_count": gettext_lazy("Unrelated obligor groups"),
    "n_eff": gettext_lazy("Effective number of obligor groups"),
    "single_asset_share": gettext_lazy("Largest single asset"),
    "industry_share": gettext_lazy("Largest industry"),
    "province_share": gettext_lazy("Largest province"),
    "related_party_share": gettext_lazy("Related-party assets"),
    "toll_period": gettext_lazy("Toll period after the legal final maturity"),
    "history_months": gettext_lazy("Months of history"),
    "pledged": gettext_lazy("Pledge"),
    "escrow_frequency": gettext_lazy("Escrow collection"),
    "operating_years": gettext_lazy("Years in operation"),
}


def _metric(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in _MULTIPLES:
        return f"{float(value):.2f}×"
    if name == "revenue_cv":
        return f"{float(value):.4f}"
    return f"{float(value) * 100:.2f}%"


def _stability_rows(entries: Any) -> list[dict[str, Any]]:
    rows = []
    for entry in entries or []:
        css, label = _BANDS.get(entry.get("band") or "", ("", _("not computed")))
        rows.append(
            {
                "label": _STABILITY_LABELS.get(entry.get("check"), entry.get("check")),
                "value": _metric(entry.get("check"), entry.get("value")),
                "css": css,
                "band": label,
            }
        )
    return rows


def _localised_check(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A stored check result with its message rendered again in the reader's language."""
    params = {
        k: v for k, v in entry.items() if k not in {"check", "status", "severity", "value", "message", "band"}
    }
    try:
        message = _check(entry["check"], entry["status"], entry["severity"], entry["value"], **params)[
            "message"
        ]
    except (KeyError, TypeError, ValueError):
        message = entry.get("message", "")
    css, label = _STATUS.get(entry.get("status") or "", ("", entry.get("status")))
    code = str(entry.get("check") or "")
    return {
        "check": code,
        "label": _CHECK_LABELS.get(code, code),
        "css": css,
        "status": label,
        "message": message,
    }


def reason_labels(codes: list[str], criteria: Mapping[str, Any]) -> list[str]:
    rules = criteria.get("asset") or DEFAULT_CRITERIA["asset"]
    return [str(REASONS[code]) % _reason_params(code, rules) if code in REASONS else code for code in codes]


def _coverage(income: Mapping[str, Any], criteria: Mapping[str, Any]) -> dict[str, Any] | None:
    """The coverage of senior debt service per payment date, under base and stressed revenue."""
    table = [row for row in income.get("coverage") or [] if isinstance(row, Mapping)]
    if not table:
        return None
    haircuts = [
        float(h) for h in (criteria.get("income_right") or {}).get("stress_haircuts", [0.1, 0.2, 0.3])
    ]
    keys = [f"{h:.2f}" for h in haircuts]
    rows = [
        {
            "payment_date": day(row.get("payment_date")),
            "ncf_text": amount(row.get("ncf")),
            "debt_service_text": amount(row.get("debt_service")),
            "values": [_metric("min_coverage_base", row.get("coverage"))]
            + [_metric("min_coverage_base", (row.get("coverage_stressed") or {}).get(k)) for k in keys],
        }
        for row in table
    ]
    minimum = [_metric("min_coverage_base", income.get("min_coverage_base"))] + [
        _metric("min_coverage_base", (income.get("min_coverage_stressed") or {}).get(k)) for k in keys
    ]
    series = [charts.Series(_("Base"), [_number(row.get("coverage")) for row in table])] + [
        charts.Series(
            _("Revenue −%(cut)s%%") % {"cut": round(h * 100)},
            [_number((row.get("coverage_stressed") or {}).get(k)) for row in table],
            dashed=True,
        )
        for h, k in zip(haircuts, keys, strict=True)
    ]
    chart = charts.line_chart(
        [day(row.get("payment_date")) for row in table], series, y_format=lambda v: f"{v:.1f}×"
    )
    return {
        "headers": [_("Base")] + [_("Revenue −%(cut)s%%") % {"cut": round(h * 100)} for h in haircuts],
        "rows": rows,
        "minimum": minimum,
        "chart": chart,
    }


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _performance(rows: Any) -> dict[str, Any] | None:
    rows = [row for row in rows or [] if isinstance(row, Mapping)]
    if not rows:
        return None
    chart = None
    if len(rows) > 1:
        chart = charts.line_chart(
            [day(row.get("cutoff_date")) for row in rows],
            [
                charts.Series(_("DQ 31+"), [_number(row.get("dq31_balance_share")) for row in rows]),
                charts.Series(_("DQ 61+"), [_number(row.get("dq61_balance_share")) for row in rows]),
                charts.Series(_("DQ 91+"), [_number(row.get("dq91_balance_share")) for row in rows]),
                charts.Series(_("Defaulted"), [_number(row.get("default_balance_share")) for row in rows]),
            ],
            y_format=lambda v: f"{v * 100:.1f}%",
        )
    table = [
        [
            day(row.get("cutoff_date")),
            integer(row.get("asset_count")),
            amount(row.get("total_outstanding")),
            number(row.get("pool_factor"), 4),
            *(
                share(row.get(key))
                for key in (
                    "dq31_balance_share",
                    "dq61_balance_share",
                    "dq91_balance_share",
                    "default_balance_share",
                    "dilution_ratio",
                )
            ),
        ]
        for row in rows
    ]
    return {"rows": table, "chart": chart}


def _short_reason(label: str) -> str:
    """A reason without its parenthesised detail, short enough for a chart's axis."""
    return label.split(" (")[0].split("（")[0].rstrip("。.")[:40]


def _eligibility_chart(eligibility: Mapping[str, Any], criteria: Mapping[str, Any]) -> Any:
    reasons = eligibility.get("reasons") or {}
    if not reasons:
        return None
    codes = sorted(reasons, key=lambda code: -float(reasons[code].get("outstanding") or 0))
    return charts.bar_chart(
        [_short_reason(label) for label in reason_labels(codes, criteria)],
        [float(reasons[code].get("outstanding") or 0) for code in codes],
        value_format=compact_amount,
        show_percent=False,
    )


def _templates(asset_class: str) -> list[dict[str, Any]]:
    labels = dict(TapeKind.choices)
    return [{"kind": kind, "label": labels[kind]} for kind in kinds_for(asset_class)]


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


@login_required
def pool_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    pool: AssetPool | None = filing.pool  # type: ignore[assignment]
    kinds = kinds_for(filing.asset_class)
    can_change = _can_change(request, filing)
    current = pool_selectors.current_tapes(pool)
    criteria = _criteria(filing)
    snapshot = pool_selectors.pool_snapshot(pool) if pool is not None else None
    analytics: Mapping[str, Any] = (pool.analytics or {}) if pool is not None else {}
    figures = pool_section(snapshot) if snapshot and snapshot.get("tape") else {"present": False}
    income = analytics.get("income") if isinstance(analytics.get("income"), Mapping) else None
    eligibility = analytics.get("eligibility") if isinstance(analytics.get("eligibility"), Mapping) else None
    exceptions = []
    for row in analytics.get("exceptions") or []:
        exceptions.append(
            {
                **row,
                "labels": reason_labels(row.get("reasons") or [], criteria),
                "outstanding_text": amount(row.get("outstanding_amount")),
            }
        )
    imports = list(pool_selectors.imports_for_pool(pool)[:20]) if pool is not None else []
    legal_final = legal_final_maturity(filing)
    stale = (
        bool(current)
        and pool is not None
        and (
            pool.legal_final_maturity != legal_final
            or pool.criteria_version != str(criteria.get("version", ""))
        )
    )
    mappings = pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class)
    form = TapeUploadForm(kinds=kinds, mappings=mappings, initial={"cutoff_date": filing.cutoff_date})
    context = {
        "filing": filing,
        "pool": pool,
        "can_change": can_change,
        "kinds": [
            {"kind": kind, "label": dict(TapeKind.choices)[kind], "tape": current.get(kind)} for kind in kinds
        ],
        "templates": _templates(filing.asset_class),
        "running": [job for job in imports if not job.is_done],
        "finished": [job for job in imports if job.is_done],
        "form": form,
        "mappings": mappings,
        "figures": figures,
        "pool_checks": [
            _localised_check(c) for c in (analytics.get("pool_checks") or {}).get("checks") or []
        ],
        "stability": _stability_rows(analytics.get("stability")),
        "income": income,
        "income_stability": _stability_rows(income.get("stability")) if income else [],
        "income_checks": [
            {"asset_id": a.get("asset_id"), "checks": [_localised_check(c) for c in a.get("checks") or []]}
            for a in ((analytics.get("income_eligibility") or {}).get("assets") or [])
        ],
        "coverage": _coverage(income, criteria) if income else None,
        "performance": _performance(analytics.get("performance")),
        "performance_history": performance_history(analytics.get("performance_history")),
        "eligibility": eligibility,
        "eligibility_amounts": {
            key: amount((eligibility or {}).get(key))
            for key in ("eligible_outstanding", "ineligible_outstanding")
        },
        "eligibility_chart": _eligibility_chart(eligibility, criteria) if eligibility else None,
        "reason_rows": [
            {
                "code": code,
                "label": reason_labels([code], criteria)[0],
                **reason,
                "outstanding_text": amount(reason.get("outstanding")),
            }
            for code, reason in sorted(((eligibility or {}).get("reasons") or {}).items())
        ],
        "exceptions": exceptions[:10],
        "exception_count": (eligibility or {}).get("ineligible_count", 0),
        "stale": stale,
        "legal_final": legal_final,
        "tape_max_mb": settings.TAPE_MAX_BYTES // 1048576,
    }
    return render(request, "assets/pool.html", context)


@login_required
def pool_template(request: AuthedRequest, reference: str, kind: str, fmt: str) -> HttpResponse:
    """A blank tape template of the filing's asset class: CSV per table, or one XLSX with every table."""
    filing = _filing(request, reference)
    language: Literal["zh", "en"] = "en" if request.GET.get("lang") == "en" else "zh"
    if kind not in kinds_for(filing.asset_class) or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        body, content_type = template_csv(filing.asset_class, kind, language), "text/csv; charset=utf-8"
        name = f"{filing.asset_class}-{kind}-template-{language}.csv"
    else:
        body, content_type = template_xlsx(filing.asset_class, language), XLSX
        name = f"{filing.asset_class}-template-{language}.xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pool_guide(request: AuthedRequest, reference: str) -> HttpResponse:
    """What every column of the templates means, in both header languages."""
    filing = _filing(request, reference)
    tables = [
        {
            "label": entry["label"],
            "columns": zip(
                column_guide(filing.asset_class, entry["kind"], "zh"),
                column_guide(filing.asset_class, entry["kind"], "en"),
                strict=True,
            ),
        }
        for entry in _templates(filing.asset_class)
    ]
    return render(request, "assets/guide.html", {"filing": filing, "tables": tables})


@login_required
@require_POST
def pool_upload(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    if not _can_change(request, filing):
        messages.error(request, str(PoolLockedError.default_message))
        return redirect(_pool_url(filing))
    kinds = kinds_for(filing.asset_class)
    mappings = pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class)
    form = TapeUploadForm(request.POST, request.FILES, kinds=kinds, mappings=mappings)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_pool_url(filing))
    if form.cleaned_data["cutoff_date"]:
        _set_cutoff(filing, form.cleaned_data["cutoff_date"], request.user)
    pool = pool_of(filing)
    kind = form.cleaned_data["kind"]
    try:
        upload = pool_services.receive_tape(
            pool_id=pool.pk, upload=form.cleaned_data["file"], kind=kind, by=request.user
        )
    except TapeImportError as error:
        messages.error(request, error.user_message)
        return redirect(_pool_url(filing))
    saved = form.cleaned_data["saved_mapping"]
    mapping_url = reverse("filings:pool_mapping", args=[filing.reference, upload.pk])
    if saved is not None and saved.kind != kind:
        messages.error(request, _("The saved mapping %(name)s is for another table.") % {"name": saved.name})
        return redirect(mapping_url)
    mapping = saved.mapping if saved is not None else None
    if form.cleaned_data["review_mapping"]:
        query = f"?saved={saved.pk}" if saved is not None else ""
        return redirect(mapping_url + query)
    if saved is None:
        try:
            with local_tape_path(upload.sha256) as path:
                preview = preview_file(str(path), asset_class=filing.asset_class, kind=kind, sample_rows=1)
        except TapeReadError:
            preview = None  # the import reports why the file cannot be read, row by row
        if preview is not None and preview.suggestion is not None and preview.suggestion.missing_required:
            messages.info(
                request,
                _("Some required columns were not recognised in %(name)s: map them to the file's columns.")
                % {"name": upload.file_name},
            )
            return redirect(mapping_url)
    return _start(request, filing, upload, mapping)


def _has_extras(mapping: ColumnMapping) -> bool:
    """Options the mapping form has no fields for (they are edited as JSON)."""
    plain = ColumnMapping()
    return bool(
        mapping.value_maps
        or mapping.include_rows
        or mapping.fill_down
        or mapping.percent_columns
        or mapping.skip_total_rows != plain.skip_total_rows
        or any(not isinstance(source, str) for source in mapping.columns.values())
    )


@login_required
def pool_mapping(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The column-mapping step: the file's layout and first rows, and which column feeds which of ours."""
    filing = _filing(request, reference)
    if filing.pool_id is None:
        raise Http404
    try:
        upload = pool_selectors.upload_for_pool(filing.pool, pk)  # type: ignore[arg-type]
    except TapeUpload.DoesNotExist as error:
        raise Http404 from error
    can_change = _can_change(request, filing)
    schema = get_schema(filing.asset_class, upload.kind)
    mapping = ColumnMapping()
    saved_id = request.GET.get("saved")
    if saved_id and saved_id.isdigit():
        saved = (
            pool_selectors.saved_mappings_for(filing.organisation_id, filing.asset_class, upload.kind)
            .filter(pk=int(saved_id))
            .first()
        )
        if saved is not None:
            mapping = ColumnMapping.coerce(saved.mapping)
    form: MappingForm | None = None
    if request.method == "POST" and can_change:
        probe = MappingForm(request.POST, schema=schema, headers=request.POST.getlist("_headers"))
        if probe.is_valid():
            mapping = probe.cleaned_data["mapping"]
            if request.POST.get("action") == "import":
                if probe.cleaned_data["save_as"]:
                    try:
                        pool_services.save_mapping(
                            by=request.user,
                            name=probe.cleaned_data["save_as"],
                            asset_class=filing.asset_class,
                            kind=upload.kind,
                            mapping=mapping,
                            filing_id=filing.pk,
                            pool_id=filing.pool_id,
                        )
                    except TapeImportError as error:
                        messages.error(request, error.user_message)
                    else:
                        messages.success(
                            request,
                            _("Mapping saved as %(name)s.") % {"name": probe.cleaned_data["save_as"].strip()},
                        )
                return _start(request, filing, upload, mapping)
        else:
            form = probe
    preview = problem_error = None
    try:
        with local_tape_path(upload.sha256) as path:
            preview = preview_file(
                str(path), asset_class=filing.asset_class, kind=upload.kind, mapping=mapping
            )
    except TapeReadError as problem:
        problem_error = tape_errors(
            {"errors": [{"code": problem.code, "row": problem.row, "params": problem.params}]}
        )[0]
    headers = list(preview.headers) if preview else []
    if form is None:
        suggested = preview.suggestion.mapping if preview and preview.suggestion else ColumnMapping()
        merged = mapping.model_copy(update={"columns": {**suggested.columns, **mapping.columns}})
        initial = MappingForm.initial_for(merged)
        initial["mapping_json"] = (
            json.dumps(mapping.to_json(), ensure_ascii=False, indent=1) if _has_extras(mapping) else ""
        )
        form = MappingForm(initial=initial, schema=schema, headers=headers)
    return render(
        request,
        "assets/mapping.html",
        {
            "filing": filing,
            "upload": upload,
            "can_change": can_change,
            "form": form,
            "preview": preview,
            "headers": headers,
            "error": problem_error,
            "suggestion": preview.suggestion if preview else None,
            "mapping_json": json.dumps(mapping.to_json(), ensure_ascii=False, indent=1),
            "date_formats": DATE_FORMATS,
        },
    )


def _import_context(filing: Filing, job: TapeImport) -> dict[str, Any]:
    return {"filing": filing, "job": job, "progress": job.progress or {}}


@login_required
def pool_import(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """One import: its progress while it runs, then its report with the errors, page by page."""
    filing = _filing(request, reference)
    job = _job(filing, pk)
    result = job.result or {}
    errors = tape_errors(result)
    page = Paginator(errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    sources = sorted((result.get("column_sources") or {}).items())
    context = {
        **_import_context(filing, job),
        "result": result,
        "page": page,
        "warnings": tape_errors(result, "warnings"),
        "sources": sources,
        "mapping_json": json.dumps(job.mapping, ensure_ascii=False, indent=1),
        "can_change": _can_change(request, filing),
        "retry_upload": pool_selectors.latest_upload(job.pool, job.sha256, job.kind),
    }
    return render(request, "assets/import.html", context)


@login_required
def pool_import_status(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The progress card, polled by HTMX every second while the job runs."""
    filing = _filing(request, reference)
    job = _job(filing, pk)
    response = render(request, "assets/_import_status.html", _import_context(filing, job))
    if job.is_done and request.htmx and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # show the report and the new figures
    return response


@login_required
def pool_import_errors(request: AuthedRequest, reference: str, pk: int, fmt: str) -> HttpResponse:
    filing = _filing(request, reference)
    job = _job(filing, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    errors = tape_errors(job.result or {})
    pool_services.record_tape_download(job=job, by=request.user, what="errors", file_format=fmt)
    if fmt == "csv":
        response = HttpResponse(errors_to_csv(errors), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(errors_to_xlsx(errors), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{filing.reference}-import-{job.pk}-errors.{fmt}"'
    )
    return response


@login_required
def pool_tape_file(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    """The original file of an import, from private storage."""
    filing = _filing(request, reference)
    job = _job(filing, pk)
    pool_services.record_tape_download(job=job, by=request.user, what="tape")
    return FileResponse(open_tape(job.sha256), as_attachment=True, filename=job.file_name)


def _asset_party(data: dict[str, Any]) -> str:
    """Who stands behind an asset: the obligor of a receivable or loan, the operator of a toll road."""
    for key in ("obligor_name", "obligor_id", "operator_name"):
        if data.get(key):
            return str(data[key])
    return ""


@login_required
def pool_assets(request: AuthedRequest, reference: str) -> HttpResponse:
    """The assets of the current tape, page by page; the ineligible ones with their reasons."""
    filing = _filing(request, reference)
    tape = pool_selectors.current_tapes(filing.pool).get(TapeKind.ASSETS)  # type: ignore[arg-type]
    if tape is None:
        raise Http404
    ineligible = request.GET.get("ineligible") == "1"
    page = Paginator(pool_selectors.assets_of(tape, ineligible_only=ineligible), ASSETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    criteria = _criteria(filing)
    rows = [
        {
            "asset": asset,
            "labels": reason_labels(asset.reasons or [], criteria),
            "party": _asset_party(asset.data or {}),
        }
        for asset in page.object_list
    ]
    return render(
        request,
        "assets/assets.html",
        {
            "filing": filing,
            "tape": tape,
            "page": page,
            "rows": rows,
            "ineligible": ineligible,
            "toll": filing.asset_class == "toll_income",
            "extra_query": "ineligible=1" if ineligible else "",
        },
    )


@login_required
@require_POST
def pool_recompute(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    if filing.pool_id is None or not _can_change(request, filing):
        messages.error(request, str(PoolLockedError.default_message))
        return redirect(_pool_url(filing))
    try:
        pool_services.recompute_pool_analytics(
            pool_id=filing.pool_id,
            by=request.user,
            criteria=_criteria(filing),
            legal_final_maturity=legal_final_maturity(filing),
        )
    except TapeImportError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("The pool's figures were recomputed."))
    return redirect(_pool_url(filing))
