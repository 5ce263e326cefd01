"""Tenant-scoped reads of organisations, memberships and invitations.

Anything outside the user's own memberships is a 404, not a 403: an outsider must not even
learn that a record exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from meerwaarde.accounts.models import User
from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.organisations.models import Invitation, Membership, Organisation


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__place")
        .order_by("organisation__name")
    )


def membership_get_for_user(*, user: User, slug: str, perm: Perm | None = None) -> Membership:
    """The user's membership of the organisation ``slug``.

    Raises Http404 for non-members and PermissionDenied when the role lacks ``perm``.
    """
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation", "organisation__place")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404
    if perm is not None and not has_org_perm(membership.role, perm):
        raise PermissionDenied
    return membership


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def membership_get(*, organisation: Organisation, pk: int) -> Membership:
    membership = membership_list(organisation=organisation).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def invitation_list_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)


def invitation_get(*, organisation: Organisation, pk: int) -> Invitation:
    invitation = invitation_list_open(organisation=organisation).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_get_open_by_token_hash(*, token_hash: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def organisation_list_for_platform(*, user: User) -> QuerySet[Organisation]:
    """All organisations with their member counts, for platform admins only."""
    if not has_platform_perm(user, Perm.MANAGE_ORGANISATIONS):
        raise PermissionDenied
    return Organisation.objects.select_related("place").annotate(member_count=Count("memberships"))


def organisation_count_by_province() -> list[dict]:
    """How many organisations each province has: organisation profiles are not participant data."""
    rows = Organisation.objects.values("place__province").annotate(total=Count("id"))
    return [dict(row) for row in rows.order_by("place__province")]
