"""The rule catalogue. Each rule: stable code, severity, section, citation, pure check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from .registry import BLOCKING, WARNING, Finding, rule


@rule("ENTITY-NAME", severity=BLOCKING, section="entity", title=_("The filing entity is identified"),
      source="CSRC 〔2026〕1号", article="§4 (filing entity)")
def entity_identified(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    entity = data.get("entity") or {}
    if not entity.get("name_zh"):
        yield Finding("", "", "", _("Enter the filing entity's Chinese name."), field="entity.name_zh")
    if not entity.get("uscc"):
        yield Finding("", "", "", _("Enter the filing entity's unified social credit code."), field="entity.uscc")


@rule("G26-ATTEST", severity=BLOCKING, section="attestations",
      title=_("The six prohibited circumstances are answered, evidenced and signed"),
      source="CSRC 〔2026〕1号", article="§3 (1)–(6)")
def attestations_complete(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    for item in data.get("attestations", []):
        anchor = f"attestations.{item['code']}"
        if item.get("answer") == "yes":
            yield Finding(item["code"], "", "", _("%(code)s applies to this filing: the business may not be carried "
                                                  "out.") % {"code": item["code"]}, field=anchor)
        elif not item.get("answer") or not item.get("signed_by"):
            yield Finding("", "", "", _("%(code)s is not answered and signed by the issuer signatory.")
                          % {"code": item["code"]}, field=anchor)
        elif not (item.get("evidence") or "").strip():
            yield Finding("", "", "", _("%(code)s has no evidence or explanation.") % {"code": item["code"]},
                          field=anchor)


@rule("TRANCHE-PRESENT", severity=WARNING, section="structure", title=_("At least one tranche is described"),
      source="Filing Desk", article="structure completeness", confirmed=False)
def tranche_present(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    if not data.get("tranches"):
        yield Finding("", "", "", _("Describe at least one tranche of the token issuance."), field="structure.tranches")
