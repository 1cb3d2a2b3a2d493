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
