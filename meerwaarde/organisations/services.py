"""Writes for organisations, memberships and invitations."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.models import User
from meerwaarde.organisations.models import Invitation, Membership, Organisation
from meerwaarde.places.models import Place


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisatie"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    place: Place,
    kvk_number: str = "",
    website: str = "",
    is_member: bool = False,
    member_since: date | None = None,
    description: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        place=place,
        kvk_number=kvk_number,
        website=website,
        is_member=is_member,
        member_since=member_since if is_member else None,
        description=description,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    allowed = {
        "name",
        "kind",
        "place",
        "kvk_number",
        "website",
        "is_member",
        "member_since",
        "description",
    }
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"organisation_update() got an unexpected field {key!r}")
        setattr(organisation, key, value)
    if not organisation.is_member:
        organisation.member_since = None
    organisation.full_clean()
    organisation.save()
    return organisation


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User, accept_url: str
) -> Invitation:
    """Invite ``email`` with a one-time link; ``accept_url`` has ``{token}`` where the token goes.

    A second invitation to the same address replaces the open one, so the newest link works.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Deze persoon is al lid van %(org)s.") % {"org": organisation.name}}
        )
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True
    ).delete()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    context = {
        "invitation": invitation,
        "url": accept_url.format(token=token),
        "inviter": invited_by,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=_("Uitnodiging voor %(org)s op Meerwaarde") % {"org": organisation.name},
            message=render_to_string("organisations/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def invitation_for_token(*, token: str) -> Invitation | None:
    from meerwaarde.organisations.selectors import invitation_get_open_by_token_hash

    return invitation_get_open_by_token_hash(token_hash=_hash_token(token))


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Turn an open invitation into a membership; creates the account when there is none yet.

    The invitation is locked and marked accepted in the same transaction, so the link works once.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.is_expired:
        raise ValidationError(_("Deze uitnodiging is al gebruikt of verlopen."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("Er bestaat al een account met dit e-mailadres; log eerst in."))
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("Deze uitnodiging is voor een ander e-mailadres."))
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.delete()


def _ensure_admin_remains(membership: Membership) -> None:
    # Lock the organisation so two admins demoting each other at once cannot both succeed.
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=OrgRole.ORG_ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == OrgRole.ORG_ADMIN and not others.exists():
        raise ValidationError(
            _("Een organisatie heeft altijd minstens één organisatiebeheerder nodig.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in OrgRole.values:
        raise ValidationError({"role": _("Kies een geldige rol.")})
    if role != OrgRole.ORG_ADMIN:
        _ensure_admin_remains(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    _ensure_admin_remains(membership)
    membership.delete()


@transaction.atomic
def membership_add(*, organisation: Organisation, user: User, role: str) -> Membership:
    """Add an existing user directly (demo data, platform admins); normal users are invited."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def organisation_create_with_admin(
    *, fields: dict, admin_email: str, invited_by: User, accept_url: str
) -> Organisation:
    """A platform admin creates an organisation and invites the person who will manage it."""
    organisation = organisation_create(**fields)
    invitation_create(
        organisation=organisation,
        email=admin_email,
        role=OrgRole.ORG_ADMIN,
        invited_by=invited_by,
        accept_url=accept_url,
    )
    return organisation
