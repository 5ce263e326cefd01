"""A new organisation gets its pseudonym key at once, so its workers can register participants
without waiting for an administrator to run ``create_pseudonym_keys``."""

import logging
from typing import Any

from django.db import transaction

from meerwaarde.participants.pseudonyms import key_create

logger = logging.getLogger(__name__)


def organisation_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    slug = instance.slug

    def create() -> None:
        try:
            key_create(slug)
        except OSError:
            # The organisation exists either way; the find page then tells the user to ask
            # an administrator, who runs create_pseudonym_keys.
            logger.exception("Kon geen pseudoniemsleutel maken voor organisatie %s", slug)

    transaction.on_commit(create)
