"""The token form of the profile page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope
from .selectors import filing_choices_for_pin
from .services.tokens import DEFAULT_DAYS, MAX_DAYS, scopes_allowed


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("name"), max_length=100, help_text=_("What the token is for, e.g. the loan book.")
    )
    scopes = forms.MultipleChoiceField(label=_("scopes"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(
        label=_("valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
    filing: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("pin to one filing"),
        queryset=None,
        required=False,
        empty_label=_("All of my organisation's filings"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = scopes_allowed(user)
        labels = dict(Scope.choices)
        self.fields["scopes"].choices = [(s, labels[s]) for s in allowed]  # type: ignore[attr-defined]
        self.fields["scopes"].initial = [Scope.READ]
        self.fields["filing"].queryset = filing_choices_for_pin(user)  # type: ignore[attr-defined]
        if getattr(user, "is_agent", False):
            self.fields["filing"].empty_label = _("All filings delegated to us")  # type: ignore[attr-defined]
        elif not getattr(user, "is_issuer", False):
            del self.fields["filing"]
