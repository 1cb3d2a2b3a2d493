"""Template filters showing audit actions and details by their translated labels."""

from __future__ import annotations

from typing import Any

from django import template

from .. import labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.filter
def event_details(data: Any) -> list[tuple[str, str]]:
    return labels.detail_pairs(data if isinstance(data, dict) else {})
