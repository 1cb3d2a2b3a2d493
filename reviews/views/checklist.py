"""The checklist of a review round, and administrators' editing of checklist versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from filings.errors import FilingError
from filings.models import Filing

from .. import selectors, services
from ..forms import ChecklistAnswerForm, ChecklistBulkForm, NoteForm, TemplateItemForm, finding_choices
from ..models import ChecklistTemplate, Verdict
from ..permissions import can_work_on
from .common import form_errors, regulator_filing, run

ANSWER_FIELDS = ("verdict", "note", "evidence_document", "evidence_page", "evidence_path", "evidence_finding")


def _values(answer: Any) -> dict[str, Any]:
    """What the answer form of an item shows: the stored answer."""
    if answer is None:
        return {}
    return {
        "verdict": answer.verdict,
        "note": answer.note,
        "evidence_document": str(answer.evidence_document_id or ""),
        "evidence_page": "" if answer.evidence_page is None else str(answer.evidence_page),
        "evidence_path": answer.evidence_path,
        "evidence_finding": answer.evidence_finding,
    }


def _checklist_context(request: AuthedRequest, filing: Filing) -> dict[str, Any]:
    rounds = list(filing.review_rounds.select_related("snapshot", "template").order_by("-number"))
    current = rounds[0] if rounds else None
    shown = current
    if request.GET.get("round"):
        shown = next((r for r in rounds if str(r.number) == request.GET["round"]), None)
        if shown is None:
            raise Http404
    editable = shown is not None and shown == current and can_work_on(request.user, filing)
    options = selectors.evidence_options(shown) if shown else {"documents": [], "paths": [], "findings": []}
    groups = selectors.checklist_for(shown) if shown else []
    for group in groups:
        for row in group.rows:
            row["values"] = _values(row["answer"])
    return {
        "filing": filing,
        "tab": "checklist",
        "round": shown,
        "rounds": rounds,
        "editable": editable,
        "groups": groups,
        "progress": selectors.checklist_progress(shown),
        "options": options,
        "finding_choices": finding_choices(options["findings"]),
        "verdicts": Verdict.choices,
    }


def _find_row(context: dict[str, Any], item_id: int | None) -> dict[str, Any] | None:
    return next((row for g in context["groups"] for row in g.rows if row["item"].pk == item_id), None)


def _respond(
    request: AuthedRequest, filing: Filing, *, rows: list[dict[str, Any]], context: dict[str, Any], ok: bool
) -> HttpResponse:
    """HTMX: the answered rows in place, with the progress; without JS: the page (errors) or a redirect."""
    if request.htmx:
        return render(request, "reviews/_checklist_rows.html", {**context, "rows": rows, "oob": True})
    if ok:
        anchor = f"#item-{rows[0]['item'].pk}" if len(rows) == 1 else ""
        return redirect(reverse("reviews:checklist", args=[filing.reference]) + anchor)
    return render(request, "reviews/checklist.html", context, status=400)


def _evidence(data: dict[str, Any]) -> dict[str, Any]:
    """The note and evidence of a cleaned answer form (single or bulk), as the services take them."""
    return {
        "note": data["note"],
        "evidence_document_id": data["evidence_document"],
        "evidence_page": data["evidence_page"],
        "evidence_path": data["evidence_path"],
        "evidence_finding": data["evidence_finding"],
    }


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def checklist(request: AuthedRequest, reference: str) -> HttpResponse:
    """GET: the round's items by group, each answered in place. POST: answer one item.

    An answer the service refuses comes back on its own row with the reason beside it and
    everything typed still in the form; with HTMX only that row (and the progress) is replaced.
    """
    filing = regulator_filing(request, reference)
    context = _checklist_context(request, filing)
    if request.method != "POST":
        return render(request, "reviews/checklist.html", context)
    options = context["options"]
    form = ChecklistAnswerForm(request.POST, documents=options["documents"], findings=options["findings"])
    row = _find_row(context, _int_or_none(request.POST.get("item")))
    if row is None or not context["editable"]:
        raise Http404
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_checklist_item(
                filing_id=filing.pk,
                item_id=data["item"],
                verdict=data["verdict"],
                by=request.user,
                **_evidence(data),
            )
        except FilingError as refusal:
            error = refusal.user_message
    else:
        error = " ".join(
            f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
            for name, messages_ in form.errors.items()
            for message in messages_
        )
    if error:
        row.update(error=error, open=True, values={k: request.POST.get(k, "") for k in ANSWER_FIELDS})
        return _respond(request, filing, rows=[row], context=context, ok=False)
    fresh = _checklist_context(request, filing)
    saved = _find_row(fresh, row["item"].pk)
    assert saved is not None
    saved["saved"] = True
    if not request.htmx:
        messages.success(request, _("Answer saved."))
    return _respond(request, filing, rows=[saved], context=fresh, ok=True)


@login_required
@require_POST
def checklist_bulk(request: AuthedRequest, reference: str) -> HttpResponse:
    """Mark the selected items satisfied on one shared piece of evidence (all or none)."""
    filing = regulator_filing(request, reference)
    context = _checklist_context(request, filing)
    if not context["editable"]:
        raise Http404
    options = context["options"]
    item_ids = [row["item"].pk for g in context["groups"] for row in g.rows]
    form = ChecklistBulkForm(
        request.POST, documents=options["documents"], findings=options["findings"], item_ids=item_ids
    )
    error = ""
    chosen: list[int] = []
    if form.is_valid():
        data = form.cleaned_data
        chosen = list(data["items"])
        try:
            services.answer_checklist_items(
                filing_id=filing.pk,
                item_ids=chosen,
                by=request.user,
                **_evidence(data),
            )
        except FilingError as refusal:
            error = refusal.user_message
    else:
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
    if error:
        context["bulk_error"] = error
        context["bulk_values"] = {k: request.POST.get(k, "") for k in ANSWER_FIELDS}
        context["bulk_chosen"] = {str(pk) for pk in request.POST.getlist("items")}
        if request.htmx:
            return render(request, "reviews/_checklist_bulk.html", context)
        return render(request, "reviews/checklist.html", context, status=400)
    fresh = _checklist_context(request, filing)
    rows = [row for g in fresh["groups"] for row in g.rows if row["item"].pk in set(chosen)]
    for row in rows:
        row["saved"] = True
    if request.htmx:
        fresh["bulk_done"] = len(rows)
        return render(
            request, "reviews/_checklist_rows.html", {**fresh, "rows": rows, "oob": True, "bulk": True}
        )
    messages.success(request, _("%(n)d items marked satisfied.") % {"n": len(rows)})
    return redirect("reviews:checklist", reference=filing.reference)


def _administrator(request: AuthedRequest) -> None:
    if not getattr(request.user, "is_administrator", False):
        raise Http404


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    _administrator(request)
    return render(request, "reviews/template_list.html", {"templates": selectors.templates_for_admin()})


@login_required
@require_POST
def template_new(request: AuthedRequest) -> HttpResponse:
    _administrator(request)
    draft = run(
        request,
        lambda: services.create_template_draft(by=request.user),
        _("New draft version created from the version in force."),
    )
    if draft:
        return redirect("reviews:template_detail", pk=draft.pk)
    return redirect("reviews:template_list")


@login_required
def template_detail(request: AuthedRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """A version's items; a draft version can be edited item by item (GET ?edit=<item> fills the form)."""
    _administrator(request)
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    editing = template.items.filter(pk=request.GET.get("edit") or item_pk or 0).first()
    initial = {}
    if editing is not None:
        initial = {
            f: getattr(editing, f)
            for f in ("group", "code", "text_zh", "text_en", "citation", "asset_classes", "order")
        }
    form = TemplateItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            item_id = int(request.POST["item_id"]) if request.POST.get("item_id") else None
            run(
                request,
                lambda: services.save_template_item(
                    template_id=template.pk, by=request.user, fields=form.cleaned_data, item_id=item_id
                ),
                _("Item saved."),
            )
            return redirect("reviews:template_detail", pk=template.pk)
        form_errors(request, form)
    return render(
        request,
        "reviews/template_detail.html",
        {
            "template": template,
            "items": template.items.all(),
            "form": form,
            "editing": editing,
            "publish_form": NoteForm(),
        },
    )


@login_required
@require_POST
def template_item_delete(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    _administrator(request)
    run(
        request,
        lambda: services.delete_template_item(template_id=pk, item_id=item_pk, by=request.user),
        _("Item removed from the draft."),
    )
    return redirect("reviews:template_detail", pk=pk)


@login_required
@require_POST
def template_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    _administrator(request)
    run(
        request,
        lambda: services.publish_template(template_id=pk, by=request.user, note=request.POST.get("note", "")),
        _("Published: rounds opened from now on use this version; open rounds keep theirs."),
    )
    return redirect("reviews:template_detail", pk=pk)
