"""The totals follow changes made elsewhere: an offer's type, a deleted organisation."""

from typing import Any

from meerwaarde.activities.services import activity_totals_forget, activity_totals_offer_changed
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation


def offer_changed(sender: Any, offer: Offer, **kwargs: Any) -> None:
    """An offer saved with another intervention type takes its records to that type's totals."""
    activity_totals_offer_changed(offer=offer)


def organisation_pre_delete(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """The cascade takes the organisation's records; their share of the totals goes first."""
    activity_totals_forget(organisation=instance)
