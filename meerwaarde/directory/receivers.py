"""The index follows every change: offers through the offers' signals, concepts on save."""

from typing import Any

from meerwaarde.directory import index
from meerwaarde.offers.models import Offer


def offer_changed(sender: Any, offer: Offer, **kwargs: Any) -> None:
    index.index_offers([offer.pk])


def offer_deleted(sender: Any, offer_id: int, **kwargs: Any) -> None:
    index.remove_offers([offer_id])


def offer_pre_delete(sender: Any, instance: Offer, **kwargs: Any) -> None:
    """Deletes that bypass the services (admin, an organisation's cascade) leave too."""
    index.remove_offers([instance.pk])


def concept_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A concept's labels and synonyms are in the index of every offer that uses it.

    Cost: proportional to the offers using the concept (seconds for a theme of 20,000 offers);
    curators change concepts rarely, and the load command only saves concepts that changed.
    """
    if created or kwargs.get("raw"):
        return
    offer_ids = index.offers_using_concept(instance.pk)
    if offer_ids:
        index.index_offers(offer_ids)
