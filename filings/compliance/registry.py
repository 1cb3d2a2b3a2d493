"""The rule registry: each rule is a pure function of the filing's canonical data and thresholds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from typing import Any

from django.utils.translation import gettext_lazy as _

BLOCKING = "blocking"
WARNING = "warning"
SEVERITY_LABELS = {BLOCKING: _("Blocking"), WARNING: _("Warning")}

SECTION_LABELS = {
    "entity": _("Filing entity"),
    "structure": _("Transaction structure"),
    "token": _("Token"),
    "offering": _("Offering"),
    "attestations": _("Attestations"),
    "documents": _("Documents"),
    "assets": _("Asset pool"),
    "consistency": _("Consistency"),
}


@dataclass(frozen=True)
class Citation:
    source: str
    article: str
    confirmed: bool  # False: assumed by analogy (domain.md marks such rules [A])


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    severity: str
    section: str
    title: Any
    citation: Citation
    check: Callable[[dict[str, Any], dict[str, Any]], Iterable[Finding]]
    thresholds: tuple[str, ...] = ()


@dataclass
class Finding:
    """One reason the filing may be refused; ``field`` anchors the link to the field to fix."""

    code: str
    severity: str
    section: str
    message: Any  # a lazy translation, rendered in the reader's language
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Frozen form for snapshots: the message in both languages, so it never changes later."""
        from django.utils import translation

        result = asdict(self)
        for language, key in (("en", "message_en"), ("zh-hans", "message_zh")):
            with translation.override(language):
                result[key] = str(self.message)
        result.pop("message")
        return result


RULES: dict[str, Rule] = {}


def rule(
    code: str, *, severity: str, section: str, title: Any, source: str, article: str, confirmed: bool = True,
    version: int = 1, thresholds: tuple[str, ...] = (),
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule. The decorated function yields findings for ``(data, profile)``."""

    def register(check: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, version, severity, section, title, Citation(source, article, confirmed), check,
                           thresholds)
        return check

    return register


def evaluate(data: dict[str, Any], profile: dict[str, Any]) -> list[Finding]:
    """Run every rule; a rule that crashes on odd data reports itself instead of hiding others."""
    findings: list[Finding] = []
    for registered in RULES.values():
        try:
            for finding in registered.check(data, profile):
                finding.code = finding.code or registered.code
                finding.severity = finding.severity or registered.severity
                finding.section = finding.section or registered.section
                findings.append(finding)
        except Exception as error:  # noqa: BLE001 — one broken rule must not hide the others
            findings.append(Finding(registered.code, registered.severity, registered.section,
                                    str(_("This check could not be completed: %(error)s") % {"error": error})))
    order = {BLOCKING: 0, WARNING: 1}
    findings.sort(key=lambda f: (list(SECTION_LABELS).index(f.section) if f.section in SECTION_LABELS else 99,
                                 order.get(f.severity, 2), f.code))
    return findings
