"""The domestic law firm as named people: who signs the PRC legal opinion, who attests the six
prohibited circumstances, and whether they belong to the firm the filing names as PRC counsel."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..registry import BLOCKING, WARNING, Finding, rule
from .common import blank, current_documents, find, rows, text
from .documents import GL2, MIN_OPINION_SIGNERS

G26 = "证监会公告〔2026〕1号"
# A PRC lawyer's practising certificate number (律师执业证号) has 17 digits.
LICENCE = re.compile(r"^\d{17}$")


def _firm(data: Mapping[str, Any]) -> str:
    return next((text(p.get("name")) for p in rows(data, "parties") if p.get("role") == "prc_counsel"), "")


def _named(data: Mapping[str, Any], flag: str) -> list[Mapping[str, Any]]:
    return [lawyer for lawyer in rows(data, "lawyers") if lawyer.get(flag) and not blank(lawyer.get("name"))]


def _check_people(data: Mapping[str, Any], flag: str, duty: Any) -> Iterator[Finding]:
    firm = _firm(data)
    named = _named(data, flag)
    if len(named) < MIN_OPINION_SIGNERS:
        yield find(
            _(
                "Name at least %(minimum)s practising lawyers of the domestic law firm who %(duty)s "
                "(%(count)s named)."
            ),
            "structure.lawyers",
            minimum=MIN_OPINION_SIGNERS,
            duty=duty,
            count=len(named),
        )
    for lawyer in named:
        name, licence = text(lawyer.get("name")), text(lawyer.get("licence_no"))
        if not LICENCE.match(licence):
            yield find(
                _(
                    "Give the 17-digit practising certificate number of lawyer %(name)s (entered: "
                    "“%(licence)s”)."
                ),
                "structure.lawyers",
                name=name,
                licence=licence,
            )
        if firm and text(lawyer.get("firm")) != firm:
            yield find(
                _(
                    "Lawyer %(name)s is with “%(firm)s”, not with the PRC counsel the filing names "
                    "(“%(counsel)s”)."
                ),
                "structure.lawyers",
                name=name,
                firm=text(lawyer.get("firm")),
                counsel=firm,
            )
    if not firm:
        yield find(_("Name the PRC counsel (the domestic law firm) among the parties."), "structure.parties")


@rule(
    "COUNSEL-SIGNERS",
    severity=BLOCKING,
    section="documents",
    title=_("The PRC legal opinion is signed by two named lawyers of the PRC counsel, with licence numbers"),
    source=GL2,
    article="legal opinion signed by two practising lawyers and the firm's head "
    "(named, with certificate numbers)",
)
def counsel_signers(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    yield from _check_people(data, "signs_prc_opinion", _("sign the PRC legal opinion"))
    typed = (current_documents(data).get("PRC-OPINION") or {}).get("signer_count")
    named = len(_named(data, "signs_prc_opinion"))
    if typed is not None and int(typed) != named:
        yield find(
            _(
                "The PRC legal opinion is recorded as signed by %(typed)s lawyer(s), but %(named)s are "
                "named as signing it: make the two agree."
            ),
            "documents.PRC-OPINION",
            severity=WARNING,
            typed=int(typed),
            named=named,
        )


@rule(
    "G26-COUNSEL",
    severity=BLOCKING,
    section="attestations",
    title=_("The domestic law firm's named lawyers attest the six prohibited circumstances"),
    source=G26,
    article="prohibited circumstances verified by the domestic law firm (境内律师事务所核查并发表明确意见)",
    confirmed=False,
)
def counsel_attests(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    yield from _check_people(data, "attests_prohibited", _("attest the six prohibited circumstances"))
