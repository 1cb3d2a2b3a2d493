"""Refiling: a lapsed filing (or one terminated because a deadline passed) starts again as a new
draft built from its last snapshot and linked to it, instead of ending there."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _

from audit import hooks
from audit.services import record_event

from .errors import TransitionRefusedError
from .models import Document, DocumentRequirement, Filing
from .services import SECTION_MODELS, _check_transition, _lock, create_filing
from .snapshot import ROW_SETS, SECTION_EXCLUDE


def _value(model: type[Model], name: str, raw: Any) -> Any:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # sections and rows hold plain columns only
    return None if raw is None and field.null else field.to_python(raw)


def _restore(new: Filing, data: dict[str, Any]) -> None:
    """The sections and their rows as the snapshot froze them (attestations are signed afresh)."""
    for name, model in SECTION_MODELS.items():
        section = model.objects.get(filing=new)
        names = {f.name for f in model._meta.concrete_fields} - SECTION_EXCLUDE
        for key, raw in (data.get(name) or {}).items():
            if key in names:
                setattr(section, key, _value(model, key, raw))
        section.save()
    for relation, fields in ROW_SETS.items():
        model = getattr(new, relation).model
        rows = [
            model(filing=new, **{f: _value(model, f, row.get(f)) for f in fields if f in row})
            for row in data.get(relation) or []
        ]
        model.objects.bulk_create(rows)


def _carry_documents(old: Filing, new: Filing, by: Any) -> int:
    """The current documents come along as version 1 (same stored file, same hash) to be updated."""
    carried = 0
    for document in old.documents.filter(is_current=True).select_related("requirement"):
        if not DocumentRequirement.objects.filter(pk=document.requirement_id, is_active=True).exists():
            continue
        Document.objects.create(
            filing=new,
            requirement=document.requirement,
            version=1,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            language=document.language,
            signer_count=document.signer_count,
            conclusion_text=document.conclusion_text,
            file=document.file.name,
            uploaded_by=by,
        )
        carried += 1
    return carried


@transaction.atomic
def refile_filing(*, filing_id: int, by: Any) -> Filing:
    """The issuer signatory refiles: the old filing becomes ``refiled`` and points to a new draft
    holding its last snapshot's sections, rows and current documents (the pool is imported again
    and the attestations signed again: both speak for the date of the new submission)."""
    old = _lock(filing_id)
    step = _check_transition(old, "refile", by)
    snapshot = old.snapshots.order_by("-version").first()
    if snapshot is None:
        raise TransitionRefusedError(_("This filing has no snapshot to start again from."))
    before = old.state
    step()
    old.save()
    new = create_filing(organisation=old.organisation, title=old.title, asset_class=old.asset_class, by=by)
    new.refiled_from = old
    new.criteria_profile = snapshot.data.get("criteria_profile") or new.criteria_profile
    new.save(update_fields=["refiled_from", "criteria_profile"])
    _restore(new, snapshot.data)
    documents = _carry_documents(old, new, by)
    record_event(
        action="filing.refile",
        actor=by,
        subject=old,
        filing_id=old.pk,
        data={"from": before, "to": old.state, "refiled_as": new.reference, "snapshot": snapshot.version},
    )
    record_event(
        action="filing.refiled_from",
        actor=by,
        subject=new,
        filing_id=new.pk,
        data={"refiling_of": old.reference, "snapshot": snapshot.version, "documents": documents},
    )
    hooks.emit("filing.state_changed", filing=old, data={"from": before, "to": old.state})
    return new
