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


ADMIN_SLOTS = (1, 2)
ADMIN_PARTS = ("username", "full_name", "email")


class OrganisationCreateForm(OrganisationForm):
    """A new organisation with the two administrators an issuer or agent organisation starts with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in ADMIN_SLOTS:
            self.fields[f"admin{n}_username"] = forms.CharField(
                label=_("administrator %(n)s: user name") % {"n": n}, max_length=150, required=False
            )
            self.fields[f"admin{n}_full_name"] = forms.CharField(
                label=_("administrator %(n)s: full name") % {"n": n}, max_length=150, required=False
            )
            self.fields[f"admin{n}_email"] = forms.EmailField(
                label=_("administrator %(n)s: email") % {"n": n}, required=False
            )

    def clean(self) -> dict[str, Any]:
        from .members import needs_named_admins

        cleaned = super().clean() or {}
        if not needs_named_admins(cleaned.get("kind", "")):
            return cleaned
        for n in ADMIN_SLOTS:
            for part in ADMIN_PARTS:
                if not cleaned.get(f"admin{n}_{part}") and f"admin{n}_{part}" not in self.errors:
                    message = _("An issuer or agent organisation starts with two administrators.")
                    self.add_error(f"admin{n}_{part}", message)
            username = cleaned.get(f"admin{n}_username")
            if username and User.objects.filter(username__iexact=username).exists():
                from .members import taken_username_message

                email = cleaned.get(f"admin{n}_email") or ""
                self.add_error(f"admin{n}_username", taken_username_message(username, email))
        first = cleaned.get("admin1_username")
        if first and first == cleaned.get("admin2_username"):
            self.add_error("admin2_username", _("Name two different people."))
        return cleaned

    def administrators(self) -> list[dict[str, str]]:
        return [
            {part: self.cleaned_data.get(f"admin{n}_{part}", "") for part in ADMIN_PARTS}
            for n in ADMIN_SLOTS
            if self.cleaned_data.get(f"admin{n}_username")
        ]


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
        fields = [
            "username",
            "full_name",
            "email",
            "organisation",
            "role",
            "is_org_admin",
            "language",
            "is_active",
        ]

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
