"""Stamps that say whether stored figures changed since a reader last computed from them.

A writer calls ``bump`` inside its transaction, so the new stamp becomes visible exactly when
its changes do (never before, never without them). A reader keys what it keeps on
``current``: one primary-key lookup instead of reading the figures again.

A stamp is a fresh random number, not a count: a rolled-back transaction's stamp never comes
back, so nothing computed inside it can be taken for what a later write committed.

``FIGURES``: the analysis storage (outcome sums) and the activity records, bumped by their
services and rebuilds (an import that writes them in bulk must bump too); the sector page
keeps its per-offer sums on it.
"""

import secrets

from meerwaarde.core.models import Generation

FIGURES = "figures"


def bump(name: str) -> None:
    stamp = secrets.randbits(62) + 1
    if not Generation.objects.filter(name=name).update(value=stamp):
        # A database emptied by a test's flush has lost the row the migration made.
        Generation.objects.update_or_create(name=name, defaults={"value": stamp})


def current(name: str) -> int:
    value = Generation.objects.filter(name=name).values_list("value", flat=True).first()
    return value or 0
