"""Data classes of what a filing holds: which fields and documents may be published or sent offshore.

Grounded on the CSRC confidentiality provisions for overseas offerings (证监会公告〔2023〕44号) and the
data-security and personal-information laws that G26 points to: personal information and important
data leave the country only after a security assessment or under a standard contract. A field not in
``SECTION_FIELD_CLASSES`` is confidential commercial information: classing by default deny means a
new field is never published until someone decides it may be.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    PUBLIC = "public", _("Public")
    CONFIDENTIAL = "confidential", _("Confidential commercial information")
    PERSONAL = "personal", _("Personal information")
    IMPORTANT = "important", _("Important data")


# Classes that never leave in the offshore copy without the security assessment or standard contract.
EXPORT_RESTRICTED = frozenset({DataClass.PERSONAL.value, DataClass.IMPORTANT.value})

P, C, PI, ID = DataClass.PUBLIC, DataClass.CONFIDENTIAL, DataClass.PERSONAL, DataClass.IMPORTANT

# "section.field" (rows: "venues.name") → class. Public: what the business registry or the filing
# notice publishes anyway. Personal: names and identifiers of natural persons. Important: data
# on the underlying obligors and cash flows in bulk (the pool), which the data-security rules treat
# as important data when it leaves in aggregate.
SECTION_FIELD_CLASSES: dict[str, str] = {
    "entity.uscc": P,
    "entity.name_zh": P,
    "entity.name_en": P,
    "entity.legal_representative": PI,
    "entity.registered_capital": P,
    "entity.paid_in_capital": P,
    "entity.establishment_date": P,
    "entity.registered_address": P,
    "entity.business_scope": P,
    "entity.controlling_shareholder": C,
    "entity.actual_controller": PI,
    "entity.actual_controller_type": C,
    "control_links.holder_name": C,
    "control_links.holder_identifier": PI,
    "officers.name": PI,
    "officers.position": PI,
    "officers.nationality": PI,
    "officers.overseas_residence": PI,
    "offering.total_size": P,
    "offering.currency": P,
    "venues.name": P,
    "venues.jurisdiction": P,
    "venues.regulator": P,
    "assets": ID,
    "pool": ID,
    "important_debtors": ID,
    "registrations": C,
    "lawyers.name": PI,
    "lawyers.licence_no": PI,
    "lawyers.firm": P,
}

# Whole rows or sections the offshore copy leaves out unless the transfer is cleared.
EXPORT_RESTRICTED_KEYS = ("officers", "control_links", "assets", "important_debtors")


def field_class(path: str) -> str:
    """The class of ``section.field`` (row fields by their list name: ``venues.name``)."""
    if path in SECTION_FIELD_CLASSES:
        return SECTION_FIELD_CLASSES[path]
    head = path.split(".", 1)[0]
    return SECTION_FIELD_CLASSES.get(head, DataClass.CONFIDENTIAL)


def is_public(path: str) -> bool:
    return field_class(path) == DataClass.PUBLIC


def class_label(value: str) -> str:
    return str(dict(DataClass.choices).get(value, value))


SECTIONS = ("entity", "structure", "token", "offering")
ROW_LISTS = (
    "control_links",
    "officers",
    "parties",
    "lawyers",
    "registrations",
    "important_debtors",
    "tranches",
    "accounts",
    "triggers",
    "waterfall",
    "venues",
)
_BOOKKEEPING = {"id", "filing", "filing_id", "version", "updated_at"}


def classified_items(data: dict[str, object]) -> list[dict[str, object]]:
    """Every field and document of a snapshot with its class, for the reviewer's data-class table.

    Rows: ``{"kind": "field" | "document", "path", "data_class", "label", "restricted"}``.
    """
    items: list[dict[str, object]] = []

    def add(kind: str, path: str, value: str) -> None:
        items.append(
            {
                "kind": kind,
                "path": path,
                "data_class": value,
                "label": class_label(value),
                "restricted": value in EXPORT_RESTRICTED,
            }
        )

    for name in SECTIONS:
        section = data.get(name)
        if isinstance(section, dict):
            for key in section:
                if key not in _BOOKKEEPING:
                    add("field", f"{name}.{key}", field_class(f"{name}.{key}"))
    for name in ROW_LISTS:
        rows = data.get(name)
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            for key in rows[0]:
                if key not in _BOOKKEEPING:
                    add("field", f"{name}.{key}", field_class(f"{name}.{key}"))
    if data.get("pool"):
        add("field", "pool", field_class("pool"))
    for document in data.get("documents") or []:  # type: ignore[attr-defined]
        if isinstance(document, dict):
            # A snapshot frozen before documents had a class: unknown is treated as restricted.
            add("document", str(document.get("requirement")), str(document.get("data_class") or "important"))
    return items
