"""The panels of the start page, one function per panel; each reads only what its role may see."""

from django.contrib.auth import get_user_model

from meerwaarde.offers.selectors import offer_counts
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.organisations.selectors import (
    invitation_list_open,
    membership_list,
    organisation_count_by_province,
)
from meerwaarde.places.constants import Province
from meerwaarde.vocabulary.selectors import concept_counts_by_scheme, mapping_count


def organisation_panel(membership: Membership) -> dict:
    organisation = membership.organisation
    return {
        "organisation": organisation,
        "role": membership.get_role_display(),
        "member_count": membership_list(organisation=organisation).count(),
        "open_invitations": invitation_list_open(organisation=organisation).count(),
        "mapping_count": mapping_count(organisation=organisation),
    }


def offers_panel(membership: Membership) -> dict:
    """For those who keep the offers up to date: how many there are, how many to confirm."""
    counts = offer_counts(organisation=membership.organisation)
    return {"organisation": membership.organisation, **counts}


def results_panel(membership: Membership) -> dict:
    """For coordinators and admins: the way to the organisation's results dashboard."""
    return {"organisation": membership.organisation}


def vocabulary_panel() -> dict:
    return {"schemes": concept_counts_by_scheme()}


def sector_panel() -> dict:
    counts = {row["place__province"]: row["total"] for row in organisation_count_by_province()}
    rows = [(label, counts.get(code, 0)) for code, label in Province.choices]
    return {
        "rows": rows,
        "total": sum(counts.values()),
        "members": Organisation.objects.filter(is_member=True).count(),
    }


def platform_panel() -> dict:
    return {
        "organisation_count": Organisation.objects.count(),
        "user_count": get_user_model().objects.filter(is_active=True).count(),
    }
