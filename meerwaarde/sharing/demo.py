"""The demo's sharing: Welzijn Zwolle shares its results with Gemeente Zwolle and publishes an
impact page. The municipality's demo user is one of ``core.demo.USERS``; this only shares.

Idempotent: an active grant between the two is kept, the impact page's settings are rewritten.
"""

import datetime

from django.utils import timezone

from meerwaarde.organisations.models import Organisation
from meerwaarde.sharing import selectors, services
from meerwaarde.sharing.constants import ImpactSection
from meerwaarde.sharing.models import GrantKind

OWNER = "Welzijn Zwolle"
PARTNER = "Gemeente Zwolle"


def demo_sharing(*, organisations: dict[str, Organisation]) -> int:
    """Returns the number of grants made (0 the second time)."""
    owner, partner = organisations[OWNER], organisations[PARTNER]
    made = 0
    if not selectors.grants_for_partner(partner=partner).filter(
        organisation=owner, kind=GrantKind.DASHBOARD
    ):
        services.grant_create(
            organisation=owner,
            created_by=None,
            partner=partner,
            kind=GrantKind.DASHBOARD,
            ends_on=timezone.localdate() + datetime.timedelta(days=365),
            note="Subsidieafspraak sociale basis",
        )
        made = 1
    services.impact_page_update(
        organisation=owner,
        introduction=(
            "Welzijn Zwolle werkt in alle wijken van Zwolle: maatjes, schuldhulp en buurtwerk. "
            "Hier ziet u wie we bereiken en wat er verandert voor de mensen die we steunen."
        ),
        sections=ImpactSection.values,
    )
    services.impact_page_publish(organisation=owner)
    return made
