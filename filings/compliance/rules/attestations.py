"""The six prohibited circumstances of announcement 〔2026〕1号: one rule each, answered and signed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...models.attestations import PROHIBITED_CIRCUMSTANCES
from ..registry import BLOCKING, Finding, msg, rule
from .common import blank, find, rows

ARTICLES = {
    "G26-1": "prohibited circumstance (1), cf. 证监会公告〔2023〕43号 Art. 8(1)",
    "G26-2": "prohibited circumstance (2), cf. 证监会公告〔2023〕43号 Art. 8(2)",
    "G26-3": "prohibited circumstance (3), cf. 证监会公告〔2023〕43号 Art. 8(3)",
    "G26-4": "prohibited circumstance (4), cf. 证监会公告〔2023〕43号 Art. 8(4)",
    "G26-5": "prohibited circumstance (5) (ownership dispute, non-transferable assets)",
    "G26-6": "prohibited circumstance (6) (ABS underlying-asset negative list)",
}


def _attestation_rule(
    code: str, circumstance: Any
) -> Callable[[dict[str, Any], dict[str, Any]], Iterator[Finding]]:
    def check(data: dict[str, Any], profile: dict[str, Any]) -> Iterator[Finding]:
        anchor = f"attestations.{code}"
        item = next((a for a in rows(data, "attestations") if a.get("code") == code), None)
        answer = (item or {}).get("answer") or ""
        if answer == "yes":
            yield find(
                _(
                    "%(code)s applies to this filing: %(circumstance)s The business may not be carried out "
                    "while it applies. If the answer is wrong, correct it and explain the evidence."
                ),
                anchor,
                code=code,
                circumstance=circumstance,
            )
        elif answer != "no":
            yield find(
                _(
                    "Answer %(code)s (does the circumstance apply?), give the evidence and have the issuer "
                    "signatory sign it."
                ),
                anchor,
                code=code,
            )
        else:
            if blank((item or {}).get("evidence")):
                yield find(
                    _(
                        "Give the evidence or explanation for the answer to %(code)s (for example the "
                        "section of the PRC legal opinion that covers it)."
                    ),
                    anchor,
                    code=code,
                )
            if blank((item or {}).get("signed_by")):
                yield find(
                    _(
                        "%(code)s is answered but not signed: the issuer signatory must sign the "
                        "attestations."
                    ),
                    anchor,
                    code=code,
                )

    return check


for _number, (_code, _circumstance) in enumerate(PROHIBITED_CIRCUMSTANCES, start=1):
    rule(
        _code,
        severity=BLOCKING,
        section="attestations",
        title=msg(
            _("Prohibited circumstance (%(number)s) does not apply, with evidence, signed: %(text)s"),
            number=_number,
            text=_circumstance,
        ),
        source="证监会公告〔2026〕1号",
        article=ARTICLES.get(_code, _code),
    )(_attestation_rule(_code, _circumstance))
