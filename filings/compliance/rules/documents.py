"""The materials checklist and the legal opinions: complete, signed by two lawyers, clear conclusions.

The checklist for the filing's asset class arrives as ``data["document_requirements"]`` (added by
``preflight_data``; the checklist is admin-editable, so rules never list its items themselves).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...validators import find_hedge_words
from ..registry import BLOCKING, WARNING, Finding, bilingual, rule
from .common import current_documents, find, rows, text

GL2 = "监管规则适用指引——境外发行上市类第2号"
# GL2: a legal opinion is signed by at least two practising lawyers (and the firm's head); a fixed rule of
# the guideline, not a tunable threshold of the criteria profile.
MIN_OPINION_SIGNERS = 2


def _requirements(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return rows(data, "document_requirements")


def _name(requirement: Mapping[str, Any]) -> Any:
    code = text(requirement.get("code"))
    return bilingual(text(requirement.get("name_zh")) or code, text(requirement.get("name_en")) or code)


@rule(
    "DOC-CHECKLIST",
    severity=BLOCKING,
    section="documents",
    title=_("Every required item of the materials checklist for the asset class is uploaded"),
    source=GL2,
    article="filing materials (by analogy; the 2026 guide No. 1 list is configured in the checklist)",
    confirmed=False,
)
def checklist_complete(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    present = current_documents(data)
    for requirement in _requirements(data):
        code = text(requirement.get("code"))
        if requirement.get("required", True) and code and code not in present:
            yield find(
                _("Upload the %(document)s (checklist item %(code)s)."),
                f"documents.{code}",
                document=_name(requirement),
                code=code,
            )


def _opinions(data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any], Any]]:
    opinion_codes = {text(r.get("code")): r for r in _requirements(data) if r.get("is_legal_opinion")}
    return [
        (code, document, _name(opinion_codes[code]))
        for code, document in current_documents(data).items()
        if code in opinion_codes
    ]


@rule(
    "DOC-OPINION-SIGNERS",
    severity=BLOCKING,
    section="documents",
    title=_("Legal opinions are signed by at least two lawyers"),
    source=GL2,
    article="legal opinion signed by two practising lawyers and the firm's head, sealed",
)
def opinion_signers(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    for code, document, name in _opinions(data):
        count = document.get("signer_count")
        if count is None:
            yield find(
                _("State how many lawyers signed the %(document)s (at least %(minimum)s must sign)."),
                f"documents.{code}",
                document=name,
                code=code,
                minimum=MIN_OPINION_SIGNERS,
            )
        elif int(count) < MIN_OPINION_SIGNERS:
            yield find(
                _(
                    "The %(document)s is signed by %(count)s lawyer(s); at least %(minimum)s must sign. "
                    "Upload a version signed by two practising lawyers."
                ),
                f"documents.{code}",
                document=name,
                code=code,
                count=int(count),
                minimum=MIN_OPINION_SIGNERS,
            )


@rule(
    "DOC-HEDGE",
    severity=BLOCKING,
    section="documents",
    title=_("Legal-opinion conclusions are clear, without hedge words such as 基本符合 or 大致符合"),
    source=GL2,
    article="opinions must state clear conclusions (no 基本符合 / 大致符合)",
)
def opinion_hedges(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
    for code, document, name in _opinions(data):
        conclusion = text(document.get("conclusion_text"))
        if not conclusion:
            yield find(
                _("Record the conclusion of the %(document)s so it can be checked for hedged wording."),
                f"documents.{code}",
                severity=WARNING,
                document=name,
                code=code,
            )
            continue
        phrases = "、".join(dict.fromkeys(hit.term for hit in find_hedge_words(conclusion)))
        if phrases:
            yield find(
                _(
                    "The conclusion of the %(document)s is hedged (%(phrases)s). A legal opinion must state "
                    "a clear conclusion; give a qualified opinion with reasons instead."
                ),
                f"documents.{code}",
                document=name,
                code=code,
                phrases=phrases,
            )
