"""The domestic filing entity: identity, notice 42 wording, USCC, actual control."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...validators import check_uscc, find_banned_terms
from ..registry import BLOCKING, WARNING, Finding, msg, rule
from .common import blank, find, rows, section, text

N42 = "银发〔2026〕42号"
G26 = "证监会公告〔2026〕1号"
N42_ARTICLE = (
    "names and business scopes (虚拟货币、虚拟资产、加密货币、加密资产、稳定币、现实世界资产代币化、RWA)"
)


# The embedded organisation-code check digit is not reliable for codes issued since 2015 (validators.py),
# so a pre-flight warning on it would mostly be noise.
UNRELIABLE_USCC_WARNINGS = {"uscc_org_checksum"}


def _banned(value: Any) -> str:
    return "、".join(dict.fromkeys(hit.term for hit in find_banned_terms(text(value))))


@rule(
    "ENTITY-NAME",
    severity=BLOCKING,
    section="entity",
    version=2,
    title=_("The filing entity is identified by its registered name, representative and business scope"),
    source=G26,
    article="filing entity (境内备案主体) — the filing describes the domestic filing entity",
)
def entity_identified(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    entity = section(data, "entity")
    if blank(entity.get("name_zh")):
        yield find(_("Enter the filing entity's registered Chinese name."), "entity.name_zh")
    if blank(entity.get("legal_representative")):
        yield find(_("Enter the filing entity's legal representative."), "entity.legal_representative")
    if blank(entity.get("business_scope")):
        yield find(
            _("Enter the business scope exactly as registered, so it can be screened against notice 42."),
            "entity.business_scope",
        )


@rule(
    "N42-NAME",
    severity=BLOCKING,
    section="entity",
    title=_("The entity's name contains no wording banned by notice 42"),
    source=N42,
    article=N42_ARTICLE,
)
def n42_name(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    entity = section(data, "entity")
    for field in ("name_zh", "name_en"):
        terms = _banned(entity.get(field))
        if terms:
            yield find(
                _(
                    "The entity's registered name contains wording banned by notice Yinfa [2026] No. 42 "
                    "(%(terms)s). The entity must change its registered name before it can file."
                ),
                f"entity.{field}",
                terms=terms,
            )


@rule(
    "N42-SCOPE",
    severity=BLOCKING,
    section="entity",
    title=_("The entity's business scope contains no wording banned by notice 42"),
    source=N42,
    article=N42_ARTICLE,
)
def n42_scope(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    terms = _banned(section(data, "entity").get("business_scope"))
    if terms:
        yield find(
            _(
                "The business scope contains wording banned by notice Yinfa [2026] No. 42 (%(terms)s). The "
                "entity must remove it from its registered business scope before it can file."
            ),
            "entity.business_scope",
            terms=terms,
        )


@rule(
    "USCC-VALID",
    severity=BLOCKING,
    section="entity",
    title=_("The entity's unified social credit code is valid"),
    source="GB 32100-2015",
    article="code structure and check character (§5)",
)
def uscc_valid(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    value = text(section(data, "entity").get("uscc"))
    if not value:
        yield find(_("Enter the filing entity's unified social credit code."), "entity.uscc")
        return
    result = check_uscc(value)
    for issue, severity in [
        *((i, BLOCKING) for i in result.errors),
        *((i, WARNING) for i in result.warnings if i.code not in UNRELIABLE_USCC_WARNINGS),
    ]:
        yield Finding(
            "",
            severity,
            "",
            msg(
                _("Unified social credit code %(uscc)s: %(problem)s"),
                uscc=value,
                problem=msg(issue.message, **issue.params),
            ),
            "entity.uscc",
            {"uscc": value, "problem": issue.code},
        )


@rule(
    "ENTITY-CONTROL",
    severity=BLOCKING,
    section="entity",
    title=_("The actual controller and the control chain of the filing entity are identified"),
    source=G26,
    article="the domestic entity that actually controls the underlying assets files; "
    "its controlling shareholder and actual controller answer for the materials",
)
def entity_control(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    entity = section(data, "entity")
    kind = text(entity.get("actual_controller_type"))
    if not kind:
        yield find(
            _(
                "State the type of the actual controller (state-owned body, collective, natural person, or "
                "no actual controller)."
            ),
            "entity.actual_controller_type",
        )
    elif kind != "none" and blank(entity.get("actual_controller")):
        yield find(_("Name the filing entity's actual controller."), "entity.actual_controller")
    if blank(entity.get("controlling_shareholder")) and kind != "none":
        yield find(_("Name the filing entity's controlling shareholder."), "entity.controlling_shareholder")
    if not rows(data, "control_links"):
        yield find(
            _("Describe the shareholding chain from the filing entity up to its actual controller."),
            "entity.control_links",
        )


# Where the issuance names itself, and what it tells investors: notice 42 also reaches the project's
# names and its publicity, not only the entity's registration.
ISSUANCE_NAMES = (("spv_name", "structure"), ("network", "token"))
COPY_FIELDS = (
    ("marketing_copy", "offering"),
    ("use_of_proceeds", "offering"),
    ("repatriation_plan", "offering"),
    ("prc_exclusion_mechanism", "offering"),
)


@rule(
    "N42-ISSUE-NAME",
    severity=BLOCKING,
    section="offering",
    title=_("The issuance, its SPV, venues and parties are not named with wording banned by notice 42"),
    source=N42,
    article="names (名称): " + N42_ARTICLE,
)
def n42_issue_names(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    named: list[tuple[str, Any]] = [("offering", data.get("title"))]
    named += [(f"{where}.{field}", section(data, where).get(field)) for field, where in ISSUANCE_NAMES]
    named += [("offering.venues", venue.get("name")) for venue in rows(data, "venues")]
    named += [("structure.parties", party.get("name")) for party in rows(data, "parties")]
    named += [("structure.tranches", tranche.get("name")) for tranche in rows(data, "tranches")]
    for anchor, value in named:
        terms = _banned(value)
        if terms:
            yield find(
                _(
                    "“%(name)s” contains wording banned by notice Yinfa [2026] No. 42 (%(terms)s). Rename "
                    "it: an asset-backed security token may not be presented as virtual-currency or RWA "
                    "business."
                ),
                anchor,
                name=text(value),
                terms=terms,
            )


@rule(
    "N42-COPY",
    severity=WARNING,
    section="offering",
    title=_("Offering materials and marketing copy avoid wording banned by notice 42"),
    source=N42,
    article="publicity of virtual-currency and RWA business prohibited; "
    "copy aimed at mainland audiences (by inference)",
    confirmed=False,
)
def n42_copy(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    for name, where in COPY_FIELDS:
        terms = _banned(section(data, where).get(name))
        if terms:
            yield find(
                _(
                    "The %(what)s uses wording banned by notice Yinfa [2026] No. 42 (%(terms)s). Describe "
                    "the tokens as asset-backed securities; the reviewer will ask why the copy uses these "
                    "terms."
                ),
                f"{where}.{name}",
                what=COPY_LABELS[name],
                terms=terms,
            )


COPY_LABELS = {
    "marketing_copy": _("marketing copy"),
    "use_of_proceeds": _("use of proceeds"),
    "repatriation_plan": _("repatriation plan"),
    "prc_exclusion_mechanism": _("description of how PRC-resident investors are excluded"),
}
