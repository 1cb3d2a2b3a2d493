"""Deficiency items (reviewer side), the issuer's answers and resubmission, and the notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from filings.confirm import Confirmation, render_confirmation, wants_review
from filings.deadlines import clock_limits
from filings.models import Filing
from filings.selectors import current_documents

from .. import selectors, services
from ..anchors import field_paths
from ..forms import DeficiencyItemForm, ItemAnswerForm, RulingForm, SendRequestForm
from ..models import DeficiencyItem, ItemStatus, Notice
from ..permissions import can_answer_deficiencies, can_work_on, is_issuer_of
from ..templatetags.reviews import section_label
from .common import form_errors, regulator_filing, run, scoped_filing


def _item_forms(filing: Filing, data: object = None) -> tuple[DeficiencyItemForm, SendRequestForm]:
    round_ = selectors.current_round(filing)
    checklist_items = selectors.applicable_items(round_) if round_ else []
    sendable = list(filing.deficiency_items.filter(status__in=[ItemStatus.DRAFT, ItemStatus.REOPENED]))
    return DeficiencyItemForm(data, checklist_items=checklist_items), SendRequestForm(items=sendable)


@login_required
def items(request: AuthedRequest, reference: str) -> HttpResponse:
    """Items with their history across requests, what changed per item, and the whole diff."""
    filing = regulator_filing(request, reference)
    initial = {
        k: request.GET[k]
        for k in ("anchor_path", "citation", "checklist_item_id", "question")
        if k in request.GET
    }
    item_form, send_form = _item_forms(filing)
    if initial:
        item_form.initial.update(initial)
    snapshot = selectors.latest_snapshot(filing)
    return render(
        request,
        "reviews/items.html",
        {
            "filing": filing,
            "tab": "items",
            **selectors.review_items(filing),
            "item_form": item_form,
            "send_form": send_form,
            "ruling_form": RulingForm(),
            "can_work": can_work_on(request.user, filing),
            "can_send": can_work_on(request.user, filing) and filing.state in ("submitted", "under_review"),
            "paths": field_paths(snapshot.data) if snapshot else [],
            "requests": selectors.requests_for(filing),
        },
    )


@login_required
@require_POST
def item_create(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    form, _send = _item_forms(filing, request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.draft_deficiency_item(filing_id=filing.pk, by=request.user, **form.cleaned_data),
            _("Item drafted; it is numbered when the request is sent."),
        )
    else:
        form_errors(request, form)
    return redirect("reviews:items", reference=filing.reference)


@login_required
@require_POST
def item_discard(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = regulator_filing(request, reference)
    item = get_object_or_404(DeficiencyItem, pk=pk, filing=filing)
    run(
        request,
        lambda: services.discard_draft_item(item_id=item.pk, by=request.user),
        _("Draft item discarded."),
    )
    return redirect("reviews:items", reference=filing.reference)


@login_required
@require_POST
def item_rule(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = regulator_filing(request, reference)
    item = get_object_or_404(DeficiencyItem, pk=pk, filing=filing)
    form = RulingForm(request.POST)
    if form.is_valid():
        accepted = form.cleaned_data["ruling"] == "accepted"
        run(
            request,
            lambda: services.rule_on_item(item_id=item.pk, by=request.user, **form.cleaned_data),
            _("Item %(n)s accepted.") % {"n": item.number}
            if accepted
            else _("Item %(n)s reopened: send it with the next request.") % {"n": item.number},
        )
    else:
        form_errors(request, form)
    return redirect(reverse("reviews:items", args=[filing.reference]) + f"#item-{item.pk}")


@login_required
@require_POST
def request_send(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = regulator_filing(request, reference)
    sendable = list(filing.deficiency_items.filter(status__in=[ItemStatus.DRAFT, ItemStatus.REOPENED]))
    form = SendRequestForm(request.POST, items=sendable)
    if form.is_valid() and wants_review(request):
        chosen = [item for item in sendable if item.pk in set(form.cleaned_data["items"])]
        sections = sorted({item.anchor_section for item in chosen})
        return render_confirmation(
            request,
            Confirmation(
                title=_("Send supplement request to the issuer?"),
                lead=_(
                    "The items are numbered and sent with a notice; the review clock stops, the issuer's "
                    "reply clock of %(days)s working days starts, and only the sections below reopen."
                )
                % {"days": clock_limits().supplement_reply},
                button=_("Send the numbered request"),
                cancel_url=reverse("reviews:items", args=[filing.reference]),
                summary=[
                    (_("Filing"), f"{filing.reference} · {filing.title}"),
                    (_("Sections reopened"), ", ".join(section_label(s) for s in sections)),
                    (_("Covering note"), form.cleaned_data["message"] or "—"),
                ],
                lists=[
                    (
                        _("Items to send"),
                        [f"{item.question} — {item.anchor} ({item.citation})" for item in chosen],
                    )
                ],
            ),
            context={"filing": filing},
        )
    if form.is_valid():
        sent = run(
            request,
            lambda: services.send_supplement_request(
                filing_id=filing.pk,
                by=request.user,
                item_ids=form.cleaned_data["items"],
                message=form.cleaned_data["message"],
            ),
            _("Supplement request sent; the issuer's reply clock runs."),
        )
        if sent:
            return redirect("reviews:notice", reference=filing.reference, pk=sent.notice_id)
    else:
        form_errors(request, form)
    return redirect("reviews:items", reference=filing.reference)


@login_required
def supplement(request: AuthedRequest, reference: str) -> HttpResponse:
    """The issuer's side: the open request item by item, their answers, and resubmission."""
    filing = scoped_filing(request, reference)
    if not can_answer_deficiencies(request.user, filing):
        raise Http404
    context = selectors.issuer_items(filing)
    documents = list(current_documents(filing))
    for row in context["rows"]:
        response = row["response"]
        row["form"] = ItemAnswerForm(
            prefix=f"item{row['item'].pk}",
            documents=documents,
            initial={"text": response.text, "document": response.document_id} if response else None,
        )
    return render(
        request,
        "reviews/supplement.html",
        {
            "filing": filing,
            **context,
            "can_answer": filing.state == "supplement_requested",
            "can_resubmit": filing.state == "supplement_requested"
            and is_issuer_of(request.user, filing)
            and request.user.is_signatory,
            "notices": selectors.notices_for(filing),
        },
    )


@login_required
@require_POST
def supplement_answer(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    filing = scoped_filing(request, reference)
    item = get_object_or_404(DeficiencyItem, pk=pk, filing=filing)
    form = ItemAnswerForm(request.POST, prefix=f"item{item.pk}", documents=list(current_documents(filing)))
    if form.is_valid():
        run(
            request,
            lambda: services.answer_deficiency_item(
                item_id=item.pk,
                by=request.user,
                text=form.cleaned_data["text"],
                document_id=form.cleaned_data["document"],
            ),
            _("Answer to item %(n)s saved.") % {"n": item.number},
        )
    else:
        form_errors(request, form)
    return redirect(reverse("reviews:supplement", args=[filing.reference]) + f"#item-{item.pk}")


@login_required
@require_POST
def supplement_resubmit(request: AuthedRequest, reference: str) -> HttpResponse:
    filing = scoped_filing(request, reference)
    done = run(
        request,
        lambda: services.resubmit_answers(filing_id=filing.pk, by=request.user),
        _("Answers resubmitted: a new snapshot is frozen and the reviewers are told."),
    )
    if done:
        return redirect(filing)
    return redirect("reviews:supplement", reference=filing.reference)


def _notice(request: AuthedRequest, reference: str, pk: int) -> Notice:
    try:
        return selectors.notice_for_user(request.user, reference, pk)
    except Notice.DoesNotExist as error:
        raise Http404 from error


@login_required
def notice(request: AuthedRequest, reference: str, pk: int) -> HttpResponse:
    """The notice as issued (its stored text, never re-rendered from live data)."""
    notice = _notice(request, reference, pk)
    request_obj = getattr(notice, "supplement_request", None)
    return render(
        request,
        "reviews/notice.html",
        {"filing": notice.filing, "notice": notice, "request_obj": request_obj},
    )


@login_required
def notice_pdf(request: AuthedRequest, reference: str, pk: int) -> FileResponse:
    notice = _notice(request, reference, pk)
    notice = services.hand_out_notice_pdf(notice=notice, by=request.user)
    return FileResponse(
        notice.pdf.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"{notice.filing.reference}-{notice.kind}-{notice.pk}.pdf",
    )
