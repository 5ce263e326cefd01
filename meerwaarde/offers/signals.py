"""Signals the offer services send, so other apps (the search index) follow every change.

``offer_changed`` is sent inside the service's transaction after the offer, its locations and
its concepts are all written; ``offer_deleted`` before the row goes. Receivers must not fail
silently: an index that misses a change is a directory that lies.
"""

from django.dispatch import Signal

offer_changed = Signal()  # kwargs: offer
offer_deleted = Signal()  # kwargs: offer_id
