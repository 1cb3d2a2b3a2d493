"""Template filters that turn notification kind codes into words."""

from __future__ import annotations

from django import template

from ..labels import kind_name

register = template.Library()


@register.filter
def notification_kind(kind: str) -> str:
    return kind_name(kind)
