"""The one place where roles become permissions.

Views, selectors, templates and the menu ask ``has_org_perm`` / ``has_platform_perm``; no
other module compares role names. An organisation role only counts inside that
organisation; a platform role counts everywhere but never grants organisation data.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from meerwaarde.accounts.constants import OrgRole, PlatformRole

if TYPE_CHECKING:
    from meerwaarde.accounts.models import User


class Perm(StrEnum):
    # Inside one organisation
    VIEW_ORGANISATION = "view_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    MANAGE_MEMBERS = "manage_members"
    VIEW_MAPPINGS = "view_mappings"
    MANAGE_MAPPINGS = "manage_mappings"
    VIEW_OFFERS = "view_offers"
    MANAGE_OFFERS = "manage_offers"
    VIEW_PARTICIPANTS = "view_participants"  # participants, trajectories, measurements
    RECORD_MEASUREMENTS = "record_measurements"  # also creates participants and trajectories
    RECORD_ACTIVITIES = "record_activities"
    VIEW_RESULTS = "view_results"  # the organisation's dashboard and its CSV tables
    MANAGE_INSTRUMENTS = "manage_instruments"  # the organisation's own instruments
    VIEW_SHARED = "view_shared"  # what other organisations shared with this one
    MANAGE_SHARING = "manage_sharing"  # grants to partners, the impact page, API keys
    MANAGE_PROGRAMMES = "manage_programmes"  # programmes, their chains, targets and values
    IMPORT_EXPORT = "import_export"  # imports, exports and their background jobs
    # On the platform
    CURATE_VOCABULARY = "curate_vocabulary"
    VIEW_SECTOR = "view_sector"
    MANAGE_ORGANISATIONS = "manage_organisations"


_WORKER = {
    Perm.VIEW_ORGANISATION,
    Perm.VIEW_MAPPINGS,
    Perm.VIEW_OFFERS,
    Perm.VIEW_PARTICIPANTS,
    Perm.RECORD_MEASUREMENTS,
    Perm.RECORD_ACTIVITIES,
    Perm.VIEW_SHARED,
}
_COORDINATOR = _WORKER | {
    Perm.MANAGE_MAPPINGS,
    Perm.MANAGE_OFFERS,
    Perm.VIEW_RESULTS,
    Perm.MANAGE_SHARING,
    Perm.MANAGE_PROGRAMMES,
    Perm.IMPORT_EXPORT,
}
_ORG_ADMIN = _COORDINATOR | {
    Perm.EDIT_ORGANISATION,
    Perm.MANAGE_MEMBERS,
    Perm.MANAGE_INSTRUMENTS,
}

ORG_ROLE_PERMS: dict[str, frozenset[Perm]] = {
    OrgRole.WORKER: frozenset(_WORKER),
    OrgRole.COORDINATOR: frozenset(_COORDINATOR),
    OrgRole.ORG_ADMIN: frozenset(_ORG_ADMIN),
}

PLATFORM_ROLE_PERMS: dict[str, frozenset[Perm]] = {
    PlatformRole.EDITOR: frozenset({Perm.CURATE_VOCABULARY}),
    PlatformRole.SECTOR_ANALYST: frozenset({Perm.VIEW_SECTOR}),
    PlatformRole.PLATFORM_ADMIN: frozenset(
        {Perm.MANAGE_ORGANISATIONS, Perm.CURATE_VOCABULARY, Perm.VIEW_SECTOR}
    ),
}


def has_org_perm(role: str | None, perm: Perm) -> bool:
    """Whether an organisation role (from a membership) grants ``perm``."""
    return role is not None and perm in ORG_ROLE_PERMS.get(role, frozenset())


def has_platform_perm(user: "User", perm: Perm) -> bool:
    """Whether the user's platform role grants ``perm``."""
    if not user.is_authenticated or not user.is_active:
        return False
    return perm in PLATFORM_ROLE_PERMS.get(user.platform_role, frozenset())
