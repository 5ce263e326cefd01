"""The sums follow changes made elsewhere: an offer's intervention type, a deleted organisation."""

from typing import Any

from meerwaarde.analysis.services import outcomes_forget, outcomes_offer_changed
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Trajectory


def offer_changed(sender: Any, offer: Offer, **kwargs: Any) -> None:
    """An offer saved with another intervention type takes its pairs to that type's sums."""
    outcomes_offer_changed(offer=offer)


def organisation_pre_delete(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """The cascade takes the organisation's pairs and offer sums; its share of the sums per
    intervention type and of all must go first."""
    outcomes_forget(trajectories=Trajectory.objects.filter(organisation=instance))
