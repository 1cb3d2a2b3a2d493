"""Organisation administrators manage their own people: invite, give and take roles, deactivate,
and confirm each year who keeps access. Each change is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event

from .models import AGENT_ROLES, ISSUER_ROLES, REGULATOR_ROLES, Organisation, OrganisationKind, User
from .rules import is_org_admin_of

MIN_ORG_ADMINS = 2
CONFIRMATION_DAYS = 365
REMINDER_DAYS = 30


class MemberChangeError(Exception):
    """A change to an organisation's people that the rules refuse; the message says why."""


class UsernameTakenError(MemberChangeError):
    """The user name belongs to another account; the message names it and suggests a free one."""

    field = "username"


def suggest_username(username: str, email: str = "") -> str:
    """A free user name for the person: their email address if no account uses it, else the user name
    with the first free number after it."""
    candidates = ([email] if email else []) + [f"{username}{n}" for n in range(2, 100)]
    near = Q(username__istartswith=username) | (Q(username__iexact=email) if email else Q(pk__in=[]))
    taken = {name.lower() for name in User.objects.filter(near).values_list("username", flat=True)}
    return next((c for c in candidates if c.lower() not in taken), "")


def taken_username_message(username: str, email: str = "") -> str:
    """ "The user name … is taken", naming it and suggesting a free one (the email address first)."""
    suggestion = suggest_username(username, email)
    if not suggestion:
        return _("The user name “%(username)s” belongs to another account: choose another one.") % {
            "username": username
        }
    return _(
        "The user name “%(username)s” belongs to another account: choose another one, for example "
        "“%(suggestion)s”."
    ) % {"username": username, "suggestion": suggestion}


def roles_for(organisation: Organisation) -> frozenset[str]:
    return {
        OrganisationKind.ISSUER: ISSUER_ROLES,
        OrganisationKind.AGENT: AGENT_ROLES,
        OrganisationKind.REGULATOR: REGULATOR_ROLES,
    }[OrganisationKind(organisation.kind)]


def members_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).order_by("username")


def org_admin_count(organisation: Organisation) -> int:
    return members_of(organisation).filter(is_active=True, is_org_admin=True).count()


def _ensure_admin(by: Any, organisation: Organisation) -> None:
    if not is_org_admin_of(by, organisation):
        raise MemberChangeError(_("Only the organisation's administrators manage its people."))


def default_role(organisation: Organisation) -> str:
    """The role an organisation's first administrators start with (changeable afterwards)."""
    return {
        OrganisationKind.ISSUER: "preparer",
        OrganisationKind.AGENT: "agent",
        OrganisationKind.REGULATOR: "administrator",
    }[OrganisationKind(organisation.kind)]


def needs_named_admins(kind: str) -> bool:
    """Issuer and agent organisations manage their own people, so they start with two
    administrators; the regulator's administrators are its administrator role."""
    return kind in (OrganisationKind.ISSUER, OrganisationKind.AGENT)


def create_member(
    *,
    organisation: Organisation,
    username: str,
    email: str,
    full_name: str,
    role: str,
    is_org_admin: bool,
    by: Any,
    data: dict[str, Any] | None = None,
    filing_id: int | None = None,
) -> User:
    """The account, without a password (the emailed link sets one); callers check who may add it."""
    if role not in roles_for(organisation):
        raise MemberChangeError(_("That role does not exist in this organisation."))
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTakenError(taken_username_message(username, email))
    member = User(
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        organisation=organisation,
        is_org_admin=is_org_admin,
        access_confirmed_on=timezone.localdate(),
    )
    member.set_unusable_password()
    member.save()
    record_event(
        action="member.invite",
        actor=by,
        subject=member,
        filing_id=filing_id,
        data={
            "username": username,
            "role": role,
            "org_admin": is_org_admin,
            "organisation_id": organisation.pk,
            **(data or {}),
        },
    )
    return member


@transaction.atomic
def create_organisation(
    *, organisation: Organisation, administrators: list[dict[str, str]], by: Any
) -> tuple[Organisation, list[User]]:
    """A new organisation; an issuer or agent organisation comes with its two administrators,
    created without a password (the caller emails each the link that sets one)."""
    from .services import save_organisation

    if not by.has_perm("accounts.manage_organisations"):
        raise MemberChangeError(_("Only the regulator's administrators create organisations."))
    if organisation.pk is not None:
        raise MemberChangeError(_("That organisation exists already."))
    named = [admin for admin in administrators if admin.get("username")]
    if needs_named_admins(organisation.kind):
        usernames = {admin["username"] for admin in named}
        if len(named) < MIN_ORG_ADMINS or len(usernames) < len(named):
            raise MemberChangeError(
                _("Name %(n)s different people as the organisation's administrators.") % {"n": MIN_ORG_ADMINS}
            )
    elif named:
        raise MemberChangeError(_("The regulator's administrators are people with the administrator role."))
    save_organisation(organisation=organisation, by=by)
    admins = [
        create_member(
            organisation=organisation,
            username=admin["username"],
            email=admin["email"],
            full_name=admin["full_name"],
            role=default_role(organisation),
            is_org_admin=True,
            by=by,
        )
        for admin in named
    ]
    return organisation, admins


def organisations_short_of_admins() -> QuerySet[Organisation]:
    """Active issuer and agent organisations with fewer than two active administrators."""
    return (
        Organisation.objects.filter(
            is_active=True, kind__in=[OrganisationKind.ISSUER, OrganisationKind.AGENT]
        )
        .annotate(admin_count=Count("users", filter=Q(users__is_active=True, users__is_org_admin=True)))
        .filter(admin_count__lt=MIN_ORG_ADMINS)
        .order_by("name_zh")
    )


def is_short_of_admins(organisation: Organisation | None) -> bool:
    return bool(
        organisation is not None
        and organisation.is_active
        and needs_named_admins(organisation.kind)
        and org_admin_count(organisation) < MIN_ORG_ADMINS
    )


@transaction.atomic
def invite_member(
    *,
    organisation: Organisation,
    username: str,
    email: str,
    full_name: str,
    role: str,
    is_org_admin: bool,
    by: Any,
) -> User:
    """Create the account without a password; the person sets one from the emailed link."""
    _ensure_admin(by, organisation)
    return create_member(
        organisation=organisation,
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        is_org_admin=is_org_admin,
        by=by,
    )


@transaction.atomic
def change_member(*, member_id: int, role: str, is_org_admin: bool, is_active: bool, by: Any) -> User:
    """Give or take a role or administration, or deactivate; the organisation keeps its administrators."""
    member = User.objects.select_for_update().select_related("organisation").get(pk=member_id)
    organisation = member.organisation
    assert organisation is not None
    _ensure_admin(by, organisation)
    # Lock the organisation's administrators: two of them may demote each other at once.
    admins = list(
        User.objects.select_for_update().filter(organisation=organisation, is_active=True, is_org_admin=True)
    )
    if role not in roles_for(organisation):
        raise MemberChangeError(_("That role does not exist in this organisation."))
    was_admin = member.is_active and member.is_org_admin
    stays_admin = is_active and is_org_admin
    if was_admin and not stays_admin and len(admins) <= MIN_ORG_ADMINS:
        raise MemberChangeError(
            _("An organisation keeps at least %(n)s administrators: appoint another one first.")
            % {"n": MIN_ORG_ADMINS}
        )
    before = {"role": member.role, "org_admin": member.is_org_admin, "active": member.is_active}
    member.role, member.is_org_admin, member.is_active = role, is_org_admin, is_active
    member.save(update_fields=["role", "is_org_admin", "is_active"])
    record_event(
        action="member.change",
        actor=by,
        subject=member,
        data={"before": before, "after": {"role": role, "org_admin": is_org_admin, "active": is_active}},
    )
    return member


@transaction.atomic
def confirm_access(*, organisation: Organisation, member_ids: list[int], by: Any) -> int:
    """The yearly confirmation: these people keep access for another year."""
    _ensure_admin(by, organisation)
    today = timezone.localdate()
    confirmed = members_of(organisation).filter(pk__in=member_ids, is_active=True)
    count = confirmed.update(access_confirmed_on=today)
    record_event(
        action="member.confirm_access",
        actor=by,
        subject=organisation,
        data={"member_ids": sorted(member_ids), "count": count, "on": today.isoformat()},
    )
    return count


def _due_before(cutoff: datetime.date) -> Q:
    """Last confirmed (or, never confirmed, joined) before the cutoff."""
    return Q(access_confirmed_on__lt=cutoff) | Q(
        access_confirmed_on__isnull=True, date_joined__date__lt=cutoff
    )


@transaction.atomic
def expire_unconfirmed_access(*, today: datetime.date | None = None) -> list[str]:
    """Deactivate everyone whose access was not confirmed within a year."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=CONFIRMATION_DAYS)
    expired = list(
        User.objects.select_for_update().filter(
            _due_before(cutoff), is_active=True, organisation__isnull=False
        )
    )
    for member in expired:
        member.is_active = False
        member.save(update_fields=["is_active"])
        record_event(
            action="member.access_expired",
            subject=member,
            data={"username": member.username, "last_confirmed": str(member.access_confirmed_on or "")},
        )
    return [member.username for member in expired]


def send_confirmation_reminders(*, today: datetime.date | None = None) -> int:
    """Remind each organisation's administrators of the people whose access ends within a month."""
    today = today or timezone.localdate()
    soon = today - datetime.timedelta(days=CONFIRMATION_DAYS - REMINDER_DAYS)
    cutoff = today - datetime.timedelta(days=CONFIRMATION_DAYS)
    due = User.objects.filter(_due_before(soon), is_active=True, organisation__isnull=False).exclude(
        _due_before(cutoff)
    )
    sent = 0
    for organisation_id in sorted(set(due.values_list("organisation_id", flat=True))):
        names = sorted(due.filter(organisation_id=organisation_id).values_list("username", flat=True))
        admins = User.objects.filter(organisation_id=organisation_id, is_active=True).filter(
            Q(is_org_admin=True) | Q(role="administrator")
        )
        for admin in admins.exclude(email=""):
            with translation.override(admin.language or "zh-hans"):
                send_mail(
                    _("Confirm who keeps access to Filing Desk"),
                    _("Within 30 days these people lose access unless you confirm them: %(names)s")
                    % {"names": ", ".join(names)},
                    settings.DEFAULT_FROM_EMAIL,
                    [admin.email],
                )
            sent += 1
        with transaction.atomic():
            record_event(
                action="member.confirmation_reminder",
                data={"organisation_id": organisation_id, "due": names},
            )
    return sent
