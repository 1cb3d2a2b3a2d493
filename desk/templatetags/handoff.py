"""The filing page's hand-off control asks who may mark a draft ready for signature."""

from __future__ import annotations

from typing import Any

from django import template

from ..services import can_mark_ready

register = template.Library()


@register.filter
def may_mark_ready(user: Any, filing: Any) -> bool:
    return can_mark_ready(user, filing)
