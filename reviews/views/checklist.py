"""The checklist of a review round, and administrators' editing of checklist versions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest

from .. import selectors, services
from ..forms import ChecklistAnswerForm, NoteForm, TemplateItemForm
from ..models import ChecklistTemplate
from ..permissions import can_work_on
from .common import form_errors, regulator_filing, run


@login_required
def checklist(request: AuthedRequest, reference: str) -> HttpResponse:
    """GET: the round's items by group with answers and evidence. POST: answer one item."""
    filing = regulator_filing(request, reference)
    rounds = list(filing.review_rounds.select_related("snapshot", "template").order_by("-number"))
    current = rounds[0] if rounds else None
    shown = current
    if request.GET.get("round"):
        shown = next((r for r in rounds if str(r.number) == request.GET["round"]), None)
        if shown is None:
            raise Http404
    editable = shown is not None and shown == current and can_work_on(request.user, filing)
    options = selectors.evidence_options(shown) if shown else {"documents": [], "paths": [], "findings": []}
    form = ChecklistAnswerForm(
        request.POST or None, documents=options["documents"], findings=options["findings"]
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            run(
                request,
                lambda: services.answer_checklist_item(
                    filing_id=filing.pk,
                    item_id=data["item"],
                    verdict=data["verdict"],
                    note=data["note"],
                    evidence_document_id=data["evidence_document"],
                    evidence_page=data["evidence_page"],
                    evidence_path=data["evidence_path"],
                    evidence_finding=data["evidence_finding"],
                    by=request.user,
                ),
                _("Answer saved."),
            )
            anchor = f"#item-{data['item']}"
        else:
            form_errors(request, form)
            anchor = ""
        return redirect(reverse("reviews:checklist", args=[filing.reference]) + anchor)
    return render(
        request,
        "reviews/checklist.html",
        {
            "filing": filing,
            "tab": "checklist",
            "round": shown,
            "rounds": rounds,
            "editable": editable,
            "groups": selectors.checklist_for(shown) if shown else [],
            "progress": selectors.checklist_progress(shown),
            "options": options,
            "form": form,
        },
    )


def _administrator(request: AuthedRequest) -> None:
    if not getattr(request.user, "is_administrator", False):
        raise PermissionDenied


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
