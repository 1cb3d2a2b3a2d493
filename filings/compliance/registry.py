"""The rule registry: each rule is a pure function of the filing's canonical data and thresholds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import get_language
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


def _interpolate(template: Any, params: Mapping[str, Any]) -> str:
    # Numbers stay numbers: a message may format them with %(n)d or %(share).1f. Only lazy
    # translations are rendered, in the reader's language.
    return str(template) % {key: _plain_param(value) for key, value in params.items()}


def _plain_param(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        # Rules freeze dates as ISO strings; the reader sees the page's one date format.
        try:
            return formats.date_format(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value if isinstance(value, int | float | Decimal | str) else str(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_lazy_interpolate = lazy(_interpolate, str)


def msg(template: Any, **params: Any) -> Any:
    """A translated message with its parameters, still lazy: it renders in the reader's language.

    ``_("…") % params`` would translate at once in whatever language is active while the rules run,
    so a snapshot could not freeze both languages and the page could show the wrong one.
    """
    return _lazy_interpolate(template, params) if params else template


def _pick_language(zh: str, en: str) -> str:
    return zh if (get_language() or "zh-hans").lower().startswith("zh") else (en or zh)


bilingual = lazy(_pick_language, str)  # a name we hold in both languages (checklist items, labels)


SECTION_PAGES = ("entity", "structure", "token", "offering")
# Where on the pool page each kind of asset finding is explained.
POOL_ANCHORS = {
    "concentration": "pool-obligors",
    "obligor_type": "pool-obligors",
    "eligibility": "pool-eligibility",
    "toll": "pool-income",
    "history": "pool-income",
    "forecast": "pool-income",
    "stability": "pool-income",
}


def format_threshold(value: Any) -> str:
    """A profile value as the catalogue shows it: bands as "green ≤ 0.15 · red > 0.3", lists joined."""
    if isinstance(value, Mapping) and {"green", "red"} <= set(value):
        lower = value.get("direction") == "lower"
        good, bad = ("≤", ">") if lower else ("≥", "<")
        return f"{_('green')} {good} {value['green']} · {_('red')} {bad} {value['red']}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "—" if value is None else str(value)


DESK_SOURCE = "Filing Desk"  # rules the desk sets itself, citing no instrument


@dataclass(frozen=True)
class Citation:
    source: str
    article: str
    confirmed: bool  # False: assumed by analogy (domain.md marks such rules [A])

    @property
    def desk_policy(self) -> bool:
        """The desk's own policy: no instrument grounds it, so it is shown as such (not "assumed")."""
        return is_desk_policy(self)


def is_desk_policy(citation: Any) -> bool:
    """For a Citation or the citation dict a snapshot froze."""
    source = citation.get("source") if isinstance(citation, Mapping) else getattr(citation, "source", "")
    return str(source or "").startswith(DESK_SOURCE)


def basis_label(citation: Any) -> str:
    """How firmly a rule is grounded, in the reader's language: desk policy, confirmed or assumed."""
    if citation is None:
        return ""
    if is_desk_policy(citation):
        return str(_("desk policy"))
    confirmed = citation.get("confirmed") if isinstance(citation, Mapping) else citation.confirmed
    return str(_("confirmed") if confirmed else _("assumed"))


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

    @property
    def section_label(self) -> Any:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def severity_label(self) -> Any:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    def threshold_values(self, profile: Mapping[str, Any] | None = None) -> list[tuple[str, Any]]:
        """Each threshold path with its value in ``profile`` (the published default when not given)."""
        values = []
        for path in self.thresholds:
            try:
                values.append((path, limit(profile or {}, path)))
            except KeyError:
                values.append((path, None))
        return values

    @property
    def default_thresholds(self) -> list[tuple[str, str]]:
        """For templates, which cannot pass arguments: the default criteria profile's thresholds, readable."""
        return [(path, format_threshold(value)) for path, value in self.threshold_values()]


@dataclass
class Finding:
    """One reason the filing may be refused; ``field`` anchors the link to the field to fix."""

    code: str
    severity: str
    section: str
    message: Any  # a lazy translation, rendered in the reader's language
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)  # plain JSON values, frozen with the finding

    # The filing's waiver of this finding (set by run_preflight); not part of the frozen finding.
    waiver: Any = dc_field(default=None, compare=False, repr=False)

    @property
    def rule(self) -> Rule | None:
        return RULES.get(self.code)

    @property
    def page(self) -> str:
        """Which screen holds the field: "section" (entity, structure, token, offering), "attestations",
        "documents", "pool", or "overview" (anything else)."""
        head = self.field.split(".", 1)[0]
        if head in SECTION_PAGES:
            return "section"
        if head == "assets":
            return "pool"
        return head if head in ("attestations", "documents") else "overview"

    @property
    def anchor(self) -> str:
        """The id of the element the "Go to the field" link lands on, on the page ``page`` names.

        Section fields carry ``field-<name>`` (form fields and row tables alike); attestations and
        documents carry their code; pool findings land on the heading of the figures they concern.
        """
        head, _dot, rest = self.field.partition(".")
        name = rest.split(".", 1)[0]
        if head in SECTION_PAGES:
            return f"field-{name}" if name else "section-form"
        if head in ("attestations", "documents"):
            return self.field if rest else f"{head}-list"
        if head == "assets":
            return POOL_ANCHORS.get(name, "tapes-title")
        return ""

    @property
    def page_section(self) -> str:
        return self.field.split(".", 1)[0]

    @property
    def text(self) -> str:
        return str(self.message)

    @property
    def severity_label(self) -> Any:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @classmethod
    def from_dict(cls, frozen: Mapping[str, Any]) -> Finding:
        """A finding back from its frozen form (a stored pre-flight run), in the reader's language."""
        return cls(
            code=frozen["code"],
            severity=frozen["severity"],
            section=frozen["section"],
            message=bilingual(frozen.get("message_zh") or "", frozen.get("message_en") or ""),
            field=frozen.get("field") or "",
            params=dict(frozen.get("params") or {}),
        )

    def as_dict(self) -> dict[str, Any]:
        """Frozen form for snapshots: the message in both languages, so it never changes later."""
        from django.utils import translation

        result: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "section": self.section,
            "field": self.field,
            "params": dict(self.params),
        }
        for language, key in (("en", "message_en"), ("zh-hans", "message_zh")):
            with translation.override(language):
                result[key] = str(self.message)
        registered = self.rule
        if registered is not None:
            result["rule_version"] = registered.version
            result["citation"] = asdict(registered.citation)
        return result


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    *,
    severity: str,
    section: str,
    title: Any,
    source: str,
    article: str,
    confirmed: bool = True,
    version: int = 1,
    thresholds: tuple[str, ...] = (),
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule. The decorated function yields findings for ``(data, profile)``."""

    def register(check: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        if section not in SECTION_LABELS or severity not in SEVERITY_LABELS:
            raise ValueError(f"rule {code}: unknown section {section!r} or severity {severity!r}")
        RULES[code] = Rule(
            code, version, severity, section, title, Citation(source, article, confirmed), check, thresholds
        )
        return check

    return register


def limit(profile: Mapping[str, Any], path: str) -> Any:
    """A threshold by dotted path ("pool.max_top5_share") from the filing's criteria profile.

    A profile stored before a key existed falls back to the published default profile, so an old
    filing is checked against the default rather than not at all. KeyError if neither has it.
    """
    from assets.criteria import DEFAULT_CRITERIA

    for source in (profile, DEFAULT_CRITERIA):
        value: Any = source
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                break
            value = value[part]
        else:
            return value
    raise KeyError(path)


def evaluate(
    data: dict[str, Any],
    profile: dict[str, Any],
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    """Run every rule; a rule that crashes on odd data reports itself instead of hiding others.

    ``on_progress(done, total)`` is told after each rule (a pre-flight job shows it as its progress bar).
    """
    findings: list[Finding] = []
    total = len(RULES)
    for done, registered in enumerate(RULES.values(), start=1):
        try:
            produced = list(registered.check(data, profile))
        except Exception as error:
            produced = [
                Finding(
                    registered.code,
                    registered.severity,
                    registered.section,
                    msg(_("This check could not be completed: %(error)s"), error=repr(error)),
                )
            ]
        for finding in produced:
            finding.code = finding.code or registered.code
            finding.severity = finding.severity or registered.severity
            finding.section = finding.section or registered.section
            findings.append(finding)
        if on_progress is not None:
            on_progress(done, total)
    order = {BLOCKING: 0, WARNING: 1}
    sections = list(SECTION_LABELS)
    findings.sort(
        key=lambda f: (
            sections.index(f.section) if f.section in sections else 99,
            order.get(f.severity, 2),
            f.code,
        )
    )
    return findings
