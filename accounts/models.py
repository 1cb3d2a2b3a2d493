"""Organisations and users; a user's role decides what they may see and do."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ISSUER = "issuer", _("Issuer (domestic filing entity)")
    REGULATOR = "regulator", _("Regulator")
    AGENT = "agent", _("Agent (law firm, arranger, servicer)")


class Organisation(models.Model):
    """An issuer organisation (a domestic enterprise) or the regulator."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="org_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def display_name(self, language: str | None = None) -> str:
        """The name in the reader's language, falling back to Chinese."""
        if language == "en" and self.name_en:
            return self.name_en
        return self.name_zh

    @property
    def is_regulator(self) -> bool:
        return self.kind == OrganisationKind.REGULATOR


class Role(models.TextChoices):
    PREPARER = "preparer", _("Issuer preparer")
    SIGNATORY = "signatory", _("Issuer signatory")
    REVIEWER = "reviewer", _("Reviewer")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AGENT = "agent", _("Agent acting for an issuer")


ISSUER_ROLES = frozenset({Role.PREPARER, Role.SIGNATORY})
REGULATOR_ROLES = frozenset({Role.REVIEWER, Role.LEAD_REVIEWER, Role.ADMINISTRATOR})
# An agent works on the filings an issuer delegated to its organisation; it never signs or submits.
AGENT_ROLES = frozenset({Role.AGENT})


class User(AbstractUser):
    """A person who signs in; belongs to exactly one organisation and holds one role."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        default="zh-hans",
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )
    is_org_admin = models.BooleanField(
        _("organisation administrator"),
        default=False,
        help_text=_("Invites people, gives and takes roles and confirms each year who keeps access."),
    )
    access_confirmed_on = models.DateField(_("access last confirmed on"), null=True, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=[*Role.values, ""]), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_issuer(self) -> bool:
        return self.role in ISSUER_ROLES

    @property
    def is_preparer(self) -> bool:
        return self.role == Role.PREPARER

    @property
    def is_signatory(self) -> bool:
        return self.role == Role.SIGNATORY

    @property
    def is_regulator_staff(self) -> bool:
        return self.role in REGULATOR_ROLES

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_lead_reviewer(self) -> bool:
        return self.role == Role.LEAD_REVIEWER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT
