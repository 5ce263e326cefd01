"""Which organisation a user works in now: the menu and the dashboard follow it.

Pages of one organisation check membership themselves through the selectors; this only
remembers the user's choice in the session.
"""

from django.http import HttpRequest

from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.selectors import membership_list_for_user

SESSION_KEY = "active_organisation_id"
_CACHE_ATTR = "_meerwaarde_memberships"


def memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships, read once per request."""
    if not request.user.is_authenticated:
        return []
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, list(membership_list_for_user(user=request.user)))
    return getattr(request, _CACHE_ATTR)


def active_membership(request: HttpRequest) -> Membership | None:
    mine = memberships(request)
    wanted = request.session.get(SESSION_KEY)
    for membership in mine:
        if membership.organisation_id == wanted:
            return membership
    return mine[0] if mine else None


def activate_organisation(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.organisation_id
