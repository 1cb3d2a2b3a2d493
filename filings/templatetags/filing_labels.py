"""Template filters naming a filing's codes (sections) by their translated labels."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ..compliance.registry import SECTION_LABELS

register = template.Library()


@register.filter
def section_labels(codes: Iterable[str]) -> str:
    """``["documents", "entity"]`` → "Documents, Filing entity" in the reader's language."""
    return ", ".join(str(SECTION_LABELS.get(code, code)) for code in codes or [])


@register.filter
def limit_info(clock_name: str) -> object:
    """The time limit behind a clock (its source, "assumed" or desk policy), or None."""
    from ..deadlines import limit_for_clock

    return limit_for_clock(clock_name)


@register.filter
def is_desk_policy(citation: object) -> bool:
    """A rule whose only source is the desk itself: shown as the desk's own policy."""
    from ..compliance.registry import is_desk_policy as check

    return check(citation)
