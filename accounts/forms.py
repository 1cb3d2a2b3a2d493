"""Forms administrators use to manage organisations and users."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import AGENT_ROLES, ISSUER_ROLES, REGULATOR_ROLES, Organisation, OrganisationKind, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name_zh", "name_en", "kind", "uscc", "is_active"]


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Leave blank to keep the current password."),
        min_length=8,
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "organisation", "role", "language", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["role"].required = True
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation: Organisation | None = cleaned.get("organisation")
        role = cleaned.get("role")
        if organisation and role:
            if organisation.kind == OrganisationKind.ISSUER and role not in ISSUER_ROLES:
                self.add_error("role", _("Members of an issuer organisation are preparers or signatories."))
            if organisation.kind == OrganisationKind.REGULATOR and role not in REGULATOR_ROLES:
                self.add_error(
                    "role", _("Members of the regulator are reviewers, lead reviewers or administrators.")
                )
            if organisation.kind == OrganisationKind.AGENT and role not in AGENT_ROLES:
                self.add_error("role", _("Members of an agent organisation are agents."))
        return cleaned


class ActivateTotpForm(ActivateTOTPForm):
    """allauth's enrolment form; the valid code just typed also counts as this session's second factor."""

    def clean_code(self) -> str:
        from allauth.core import context

        from .security import mark_session_mfa

        code = super().clean_code()
        mark_session_mfa(context.request, user=self.user, kind="totp")
        return code


class MemberInviteForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=150)
    email = forms.EmailField(label=_("email"))
    role = forms.ChoiceField(label=_("role"))
    is_org_admin = forms.BooleanField(label=_("organisation administrator"), required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class MemberChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("role"))
    is_org_admin = forms.BooleanField(label=_("organisation administrator"), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
