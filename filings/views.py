"""Thin views over the filing services: form in, one service call, response out."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from audit.selectors import events_for_filing

from . import compliance, deadlines, selectors, services
from .compliance.cache import current_findings
from .confirm import Confirmation, render_confirmation, wants_review
from .errors import BlockingFindingsError, FilingError, StaleEditError
from .forms import (
    ROW_MODELS,
    ROW_TITLES,
    AcknowledgeReportForm,
    AttestationForm,
    FilingCreateForm,
    PostFilingReportForm,
    TransitionReasonForm,
    cleaned_rows,
    row_formset_class,
    row_initial,
    section_form_class,
)
from .models import Filing, ReasonCode, WaiverStatus
from .rules import can_prepare_filing
from .workflow import AssetClass, FilingState

SECTION_TITLES = {  # lazy: read in each request's language, not the one active at import
    "entity": gettext_lazy("Filing entity"),
    "structure": gettext_lazy("Transaction structure"),
    "token": gettext_lazy("Token"),
    "offering": gettext_lazy("Offering"),
}


def _filing(request: AuthedRequest, reference: str) -> Filing:
    """The filing if the user may see it; otherwise a 404 (logged by desk.refusals, like every refusal)."""
    try:
        return selectors.filing_for_user(request.user, reference)
    except Filing.DoesNotExist as error:
        raise Http404 from error


@login_required
def filing_list(request: AuthedRequest) -> HttpResponse:
    filings = selectors.search_filings(
        selectors.filings_for_user(request.user).defer(*selectors.LIST_DEFERRED),
        text=request.GET.get("q", "").strip(),
        state=request.GET.get("state", ""),
        asset_class=request.GET.get("asset_class", ""),
    )
    page = Paginator(filings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "filings/list.html",
        {
            "page": page,
            "states": FilingState.choices,
            "asset_classes": AssetClass.choices,
            "q": request.GET.get("q", ""),
            "state": request.GET.get("state", ""),
            "asset_class": request.GET.get("asset_class", ""),
            "extra_query": urlencode(
                {k: request.GET[k] for k in ("q", "state", "asset_class") if request.GET.get(k)}
            ),
        },
    )


@login_required
def filing_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_issuer:
        raise Http404
    form = FilingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        filing = services.create_filing(
            organisation=request.user.organisation, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Draft %(reference)s created.") % {"reference": filing.reference})
        return redirect(filing)
    return render(request, "filings/create.html", {"form": form})


def _section_status(filing: Filing) -> dict[str, dict[str, int]]:
    status: dict[str, dict[str, int]] = {}
    for finding in current_findings(filing):
        counts = status.setdefault(finding.section, {"blocking": 0, "warning": 0})
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return status


@login_required
def filing_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    sections = []
    status = _section_status(filing)
    for key, title in [
        *SECTION_TITLES.items(),
        ("attestations", _("Attestations")),
        ("documents", _("Documents")),
    ]:
        sections.append(
            {
                "key": key,
                "title": title,
                "status": status.get(key, {"blocking": 0, "warning": 0}),
                "editable": filing.section_is_editable(key) and can_prepare_filing(request.user, filing),
            }
        )
    calendar = deadlines.working_calendar() if filing.state != FilingState.DRAFT else None
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "sections": sections,
            "clocks": deadlines.filing_clocks(filing, calendar=calendar) if calendar else None,
            "calendar_warning": deadlines.calendar_warning(calendar=calendar) if calendar else None,
            "material_events": filing.material_events.all(),
            "pauses": filing.pauses.select_related("started_by") if calendar else None,
            "reason_codes": ReasonCode.choices,
            "transitions": services.available_transitions(filing, request.user),
            "snapshots": selectors.snapshots_for(filing)[:10],
            "events": events_for_filing(filing.pk).order_by("-sequence")[:10],
        },
    )


def _section_forms(filing: Filing, section: str, data: Any = None) -> tuple[Any, dict[str, Any]]:
    instance = getattr(filing, section)
    form = section_form_class(type(instance))(
        data, instance=instance, initial={"version": instance.version}, prefix="s"
    )
    formsets = {}
    for relation in services.SECTION_ROWS[section]:
        formset_class = row_formset_class(ROW_MODELS[relation])
        formsets[relation] = formset_class(data, initial=row_initial(filing, relation), prefix=relation)
    return form, formsets


@login_required
def section_edit(request: AuthedRequest, reference: str, section: str) -> HttpResponse:
    if section not in SECTION_TITLES:
        raise Http404
    filing = _filing(request, reference)
    editable = filing.section_is_editable(section) and can_prepare_filing(request.user, filing)
    data = request.POST if request.method == "POST" and editable else None
    form, formsets = _section_forms(filing, section, data)
    if data is not None:
        valid = form.is_valid() and all(fs.is_valid() for fs in formsets.values())
        validate_only = request.POST.get("_validate") == "1"
        if valid and not validate_only:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.update_section(
                    filing_id=filing.pk,
                    section=section,
                    fields=fields,
                    rows={name: cleaned_rows(fs) for name, fs in formsets.items()},
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleEditError as error:
                form.add_error(None, error.user_message)
            except FilingError as error:
                messages.error(request, error.user_message)
                return redirect(filing)
            else:
                messages.success(request, _("%(section)s saved.") % {"section": SECTION_TITLES[section]})
                return redirect(reverse("filings:section", args=[filing.reference, section]))
    context = {
        "filing": filing,
        "section": section,
        "title": SECTION_TITLES[section],
        "form": form,
        "formsets": [(name, ROW_TITLES[name], fs) for name, fs in formsets.items()],
        "editable": editable,
        "findings": [f for f in current_findings(filing) if f.section == section],
    }
    template = "filings/_section_form.html" if request.htmx else "filings/section.html"
    return render(request, template, context)


@login_required
def attestations(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    items = list(filing.attestations.select_related("signed_by"))
    can_sign = request.user.is_signatory and filing.section_is_editable("attestations")
    forms_by_code = {
        a.code: AttestationForm(
            request.POST if request.method == "POST" and can_sign else None,
            prefix=a.code,
            initial={"answer": a.answer or None, "evidence": a.evidence},
        )
        for a in items
    }
    if request.method == "POST" and can_sign:
        if all(f.is_valid() for f in forms_by_code.values()):
            try:
                services.sign_attestations(
                    filing_id=filing.pk,
                    by=request.user,
                    answers={
                        code: (f.cleaned_data["answer"], f.cleaned_data["evidence"])
                        for code, f in forms_by_code.items()
                    },
                )
            except FilingError as error:
                messages.error(request, error.user_message)
            else:
                messages.success(request, _("Attestations signed."))
                return redirect(reverse("filings:attestations", args=[filing.reference]))
        else:
            messages.error(request, _("Answer every circumstance and give the evidence for each answer."))
    rows = [{"attestation": a, "form": forms_by_code[a.code]} for a in items]
    return render(
        request, "filings/attestations.html", {"filing": filing, "rows": rows, "can_sign": can_sign}
    )


def _preflight_findings(filing: Filing, *, as_job: bool) -> tuple[list[Any] | None, Any, Any]:
    """The findings the pre-flight page shows, the finished run they come from and the latest run.

    A filing whose pool is too large is checked by a worker: its findings are those of the latest
    finished run (None before the first one finishes). Otherwise they are computed now (no runs).
    """
    from .compliance import jobs as preflight_jobs

    if not as_job:
        return current_findings(filing), None, None
    latest = preflight_jobs.latest_run(filing)
    shown = preflight_jobs.latest_report(filing)
    if shown is None:
        return None, None, latest
    findings = [compliance.Finding.from_dict(frozen) for frozen in shown.findings]
    return compliance.attach_waivers(filing, findings), shown, latest


@login_required
def preflight(request: AuthedRequest, reference: str) -> HttpResponse:
    from .compliance import jobs as preflight_jobs

    filing = _filing(request, reference)
    if request.method == "POST":  # "Run pre-flight" on a large pool: a job, watched on this page
        if request.user.organisation_id != filing.organisation_id:
            raise Http404
        preflight_jobs.request_preflight(filing_id=filing.pk, by=request.user)
        return redirect("filings:preflight", filing.reference)
    asset_count = preflight_jobs.pool_size(filing)
    as_job = preflight_jobs.runs_as_job(filing, asset_count=asset_count)
    findings, shown, latest = _preflight_findings(filing, as_job=as_job)
    if request.GET.get("format") == "json":
        if findings is None:
            messages.info(
                request, _("Run the pre-flight check first; the report can be downloaded when it is done.")
            )
            return redirect("filings:preflight", filing.reference)
        body = json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filing.reference}-preflight.json"'
        return response
    grouped: dict[str, list[Any]] = {}
    for finding in findings or []:
        grouped.setdefault(finding.section, []).append(finding)
    return render(
        request,
        "filings/preflight.html",
        {
            "filing": filing,
            "as_job": as_job,
            "asset_count": asset_count,
            "inline_max": settings.PREFLIGHT_INLINE_MAX_ASSETS,
            "run": latest,
            "shown_run": shown,
            "outdated": shown is not None and preflight_jobs.is_outdated(shown, filing),
            "has_findings": findings is not None,
            "can_run": request.user.organisation_id == filing.organisation_id,
            "grouped": [(compliance.SECTION_LABELS.get(k, k), k, v) for k, v in grouped.items()],
            "blocking": sum(1 for f in findings or [] if f.severity == compliance.BLOCKING),
            "warnings": sum(1 for f in findings or [] if f.severity == compliance.WARNING),
        },
    )


@login_required
def preflight_status(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The progress fragment the pre-flight page polls; once the run is done the page reloads whole."""
    from .compliance import jobs as preflight_jobs

    filing = _filing(request, reference)
    run = get_object_or_404(preflight_jobs.runs_of(filing), pk=pk)
    response = render(request, "filings/_preflight_run.html", {"filing": filing, "run": run})
    if run.is_done and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def transition(request: AuthedRequest, reference: str, name: str) -> HttpResponse:
    """The issuer's lifecycle buttons: submit, withdraw (with a reason), close. Resubmission goes
    through the review app's supplement page, which freezes the answers with the round."""
    filing = _filing(request, reference)
    if name == "submit" and wants_review(request):
        return render_confirmation(request, _submit_confirmation(filing), context={"filing": filing})
    form = TransitionReasonForm(request.POST)
    reason_code, reason = (
        (form.cleaned_data["reason_code"], form.cleaned_data["reason"]) if form.is_valid() else ("", "")
    )
    try:
        if name == "submit":
            services.submit_filing(filing_id=filing.pk, by=request.user)
        elif name == "refile":
            from .refiling import refile_filing

            new = refile_filing(filing_id=filing.pk, by=request.user)
            messages.success(
                request,
                _(
                    "%(new)s is a new draft built from the last snapshot of %(old)s: "
                    "import the pool and sign the attestations again."
                )
                % {"new": new.reference, "old": filing.reference},
            )
            return redirect(new)
        elif name in {"withdraw", "close"}:
            services.transition_filing(
                filing_id=filing.pk, name=name, by=request.user, reason=reason, reason_code=reason_code
            )
        else:
            raise Http404
    except BlockingFindingsError as error:
        messages.error(request, error.user_message)
        for finding in error.findings[:20]:
            messages.error(request, f"{finding.code}: {finding.message}")
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(
            request,
            _("Done: the filing is now %(state)s.")
            % {"state": Filing.objects.get(pk=filing.pk).get_state_display()},
        )
    return redirect(filing)


def _submit_confirmation(filing: Filing) -> Confirmation:
    """What the signatory signs: the filing, its attestations and documents, and every open warning."""
    from .compliance.jobs import runs_as_job

    findings, _shown, _latest = _preflight_findings(filing, as_job=runs_as_job(filing))
    open_warnings = [
        f"{f.code}: {f.message}"
        for f in findings or []
        if f.severity == compliance.WARNING and getattr(f.waiver, "status", "") != WaiverStatus.GRANTED
    ]
    blocking = [f"{f.code}: {f.message}" for f in findings or [] if f.severity == compliance.BLOCKING]
    documents = filing.documents.filter(is_current=True).count()
    return Confirmation(
        title=_("Sign and submit %(reference)s") % {"reference": filing.reference},
        lead=_(
            "The filing is frozen as a snapshot, signed in your name and sent to the CSRC. It can no longer "
            "be edited unless the reviewers ask for a supplement."
        ),
        button=_("Sign and submit"),
        cancel_url=filing.get_absolute_url(),
        summary=[
            (_("Filing"), f"{filing.reference} · {filing.title}"),
            (_("Asset class"), filing.get_asset_class_display()),
            (_("Current documents"), str(documents)),
        ],
        lists=[(_("Open warnings"), open_warnings)],
        warnings=(
            [_("Blocking findings remain: the submission will be refused until they are fixed."), *blocking]
            if blocking
            else []
        ),
    )


@login_required
def history(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    page = Paginator(events_for_filing(filing.pk), 50).get_page(request.GET.get("page"))
    return render(request, "filings/history.html", {"filing": filing, "page": page})


@login_required
def snapshot_detail(request: AuthedRequest, reference: str, version: int) -> HttpResponse:
    filing = _filing(request, reference)
    snapshot = filing.snapshots.filter(version=version).first()
    if snapshot is None:
        raise Http404
    if request.GET.get("format") == "json":
        from .snapshot import canonical_bytes

        response = HttpResponse(
            canonical_bytes(snapshot.data), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filing.reference}-v{version}.json"'
        return response
    from .classification import classified_items

    pretty = json.dumps(snapshot.data, ensure_ascii=False, indent=2, sort_keys=True)
    # The findings as frozen at submission, with the citation and rule version then in force.
    frozen = [
        {"finding": compliance.Finding.from_dict(d), "citation": d.get("citation") or {}, **d}
        for d in snapshot.data.get("preflight") or []
    ]
    return render(
        request,
        "filings/snapshot.html",
        {
            "filing": filing,
            "snapshot": snapshot,
            "pretty": pretty,
            "frozen_findings": frozen,
            "data_classes": classified_items(snapshot.data),
            "frozen_waivers": [
                {**w, "status_label": dict(WaiverStatus.choices).get(w.get("status"), w.get("status"))}
                for w in snapshot.data.get("waivers") or []
            ],
        },
    )


@login_required
def rule_catalogue(request: AuthedRequest) -> HttpResponse:
    rules = sorted(compliance.RULES.values(), key=lambda r: (r.section, r.code))
    return render(
        request, "filings/rule_catalogue.html", {"rules": rules, "labels": compliance.SECTION_LABELS}
    )


@login_required
def snapshot_compare(request: AuthedRequest, reference: str) -> HttpResponse:
    """Any two snapshots of a filing, field by field."""
    from .snapshot import compare

    filing = _filing(request, reference)
    versions = list(filing.snapshots.order_by("version").values_list("version", flat=True))
    if not versions:
        raise Http404
    try:
        a = int(request.GET.get("a", versions[max(0, len(versions) - 2)]))
        b = int(request.GET.get("b", versions[-1]))
    except ValueError as error:
        raise Http404 from error
    left = filing.snapshots.filter(version=a).first()
    right = filing.snapshots.filter(version=b).first()
    if left is None or right is None:
        raise Http404
    rows = compare(left.data, right.data)
    return render(
        request,
        "filings/snapshot_compare.html",
        {"filing": filing, "versions": versions, "a": a, "b": b, "rows": rows},
    )


@login_required
def post_filing_reports(request: AuthedRequest, reference: str) -> HttpResponse:
    """The issuance report, material changes and material events after the filing notice; the
    reviewer acknowledges each one here."""
    from . import reports

    filing = _filing(request, reference)
    can_report = request.user.is_signatory and filing.state in (FilingState.FILED, FilingState.ISSUED)
    form = PostFilingReportForm(request.POST or None, request.FILES or None) if can_report else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            reports.report_after_filing(filing_id=filing.pk, by=request.user, **form.cleaned_data)
        except FilingError as error:
            messages.error(request, error.user_message)
        else:
            messages.success(request, _("Report filed."))
            return redirect(reverse("filings:reports", args=[filing.reference]))
    return render(
        request,
        "filings/reports.html",
        {
            "filing": filing,
            "form": form,
            "reports": filing.material_events.select_related(
                "reported_by", "acknowledged_by", "update_snapshot"
            ),
            "can_acknowledge": request.user.is_regulator_staff,
            "blocking": reports.unacknowledged_changes(filing).exists(),
            "can_send_update": request.user.is_signatory and filing.state == FilingState.FILED,
            "ack_form": AcknowledgeReportForm(),
        },
    )


@login_required
@require_POST
def report_acknowledge(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    from . import reports

    filing = _filing(request, reference)
    report = get_object_or_404(filing.material_events, pk=pk)
    form = AcknowledgeReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the sections to update from the list."))
        return redirect(reverse("filings:reports", args=[filing.reference]))
    try:
        reports.acknowledge_report(
            report_id=report.pk,
            by=request.user,
            note=form.cleaned_data["note"],
            update_sections=form.cleaned_data["update_sections"],
        )
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("Report acknowledged."))
    return redirect(reverse("filings:reports", args=[filing.reference]))


@login_required
@require_POST
def report_send_update(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The issuer signatory sends the materials updated after a material change."""
    from . import reports

    filing = _filing(request, reference)
    report = get_object_or_404(filing.material_events, pk=pk)
    try:
        reports.send_update(report_id=report.pk, by=request.user)
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("The updated materials are sent; a new snapshot is frozen."))
    return redirect(reverse("filings:reports", args=[filing.reference]))


@login_required
def report_document(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    from .downloads import report_attachment

    filing = _filing(request, reference)
    return report_attachment(filing=filing, report_id=pk, by=request.user)


@login_required
@require_POST
def waiver_request(request: AuthedRequest, reference: str) -> HttpResponse:
    """The issuer signatory asks to waive a warning, or withdraws a pending request (pre-flight page)."""
    from . import waivers

    filing = _filing(request, reference)
    field = request.POST.get("field", "")
    try:
        if request.POST.get("action") == "withdraw":
            waiver = filing.waivers.filter(pk=request.POST.get("waiver") or 0).first()
            if waiver is None:
                raise Http404
            field = waiver.field
            waivers.withdraw_waiver(waiver_id=waiver.pk, by=request.user)
            messages.success(request, _("The waiver request is withdrawn."))
        else:
            waivers.request_waiver(
                filing_id=filing.pk,
                rule_code=request.POST.get("rule_code", ""),
                field=field,
                justification=request.POST.get("justification", ""),
                by=request.user,
            )
            messages.success(request, _("Waiver requested: the regulator will rule on it."))
    except FilingError as error:
        messages.error(request, error.user_message)
    return redirect(reverse("filings:preflight", args=[filing.reference]) + (f"#{field}" if field else ""))


@login_required
def preflight_csv(request: AuthedRequest, reference: str) -> HttpResponse:
    """The pre-flight findings as a CSV download (both languages, citations, waiver status)."""
    from .compliance.report import findings_csv

    filing = _filing(request, reference)
    from .compliance.jobs import runs_as_job

    findings, _shown, _latest = _preflight_findings(filing, as_job=runs_as_job(filing))
    if findings is None:
        messages.info(
            request, _("Run the pre-flight check first; the report can be downloaded when it is done.")
        )
        return redirect("filings:preflight", filing.reference)
    body = findings_csv(findings)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filing.reference}-preflight.csv"'
    return response


# Dossier ------------------------------------------------------------------------------------------


def _dossier(request: AuthedRequest, filing: Filing, pk: int) -> Any:
    """One render of this filing the user may see; reviewer copies do not exist for issuers (404)."""
    from .dossier.selectors import dossiers_for_user

    dossier = dossiers_for_user(request.user, filing).filter(pk=pk).first()
    if dossier is None:
        raise Http404
    return dossier


@login_required
def dossier_page(request: AuthedRequest, reference: str) -> HttpResponse:
    """The Dossier tab: every render of every snapshot, and a form to ask for another."""
    from .dossier.selectors import can_see_reviewer_copy, dossiers_for_user
    from .models import DossierCopy, DossierLanguage

    filing = _filing(request, reference)
    snapshots = list(selectors.snapshots_for(filing))
    dossiers = list(dossiers_for_user(request.user, filing))
    copies = [
        (value, label)
        for value, label in DossierCopy.choices
        if value != DossierCopy.REVIEWER or can_see_reviewer_copy(request.user)
    ]
    return render(
        request,
        "filings/dossier.html",
        {
            "filing": filing,
            "snapshots": snapshots,
            "groups": [(s, [d for d in dossiers if d.snapshot_id == s.pk]) for s in snapshots],
            "languages": DossierLanguage.choices,
            "copies": copies,
        },
    )


@login_required
@require_POST
def dossier_request(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = _filing(request, reference)
    version = request.POST.get("snapshot", "")
    snapshot = filing.snapshots.filter(version=int(version)).first() if version.isdigit() else None
    if snapshot is None:
        raise Http404
    try:
        services.request_dossier(
            snapshot_id=snapshot.pk,
            language=request.POST.get("language", ""),
            copy=request.POST.get("copy", "issuer"),
            by=request.user,
        )
    except FilingError as error:
        messages.error(request, error.user_message)
    else:
        messages.success(request, _("The dossier is being rendered; this page shows its progress."))
    return redirect(reverse("filings:dossier", args=[filing.reference]))


@login_required
def dossier_status(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The progress fragment the Dossier tab polls until the render is done."""
    filing = _filing(request, reference)
    return render(
        request, "filings/_dossier_status.html", {"filing": filing, "dossier": _dossier(request, filing, pk)}
    )


@login_required
def dossier_card(request: AuthedRequest, reference: str) -> HttpResponse:
    """The overview's dossier card: the renders of the latest snapshot."""
    from .dossier.selectors import dossiers_for_user

    filing = _filing(request, reference)
    latest = selectors.snapshots_for(filing).first()
    dossiers = list(dossiers_for_user(request.user, filing).filter(snapshot=latest)[:4]) if latest else []
    return render(
        request, "filings/_dossier_card.html", {"filing": filing, "snapshot": latest, "dossiers": dossiers}
    )


@login_required
def dossier_download(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    filing = _filing(request, reference)
    dossier = _dossier(request, filing, pk)
    if dossier.status != "succeeded" or not dossier.pdf:
        raise Http404
    services.record_dossier_download(dossier=dossier, by=request.user)
    return FileResponse(
        dossier.pdf.open("rb"), as_attachment=True, filename=dossier.filename, content_type="application/pdf"
    )
