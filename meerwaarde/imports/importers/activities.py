"""Monthly activity counts per offer, one record per row, through
``activities.services.activity_record_save`` (the totals follow as when entered by hand).

An organisation has a few records per offer per month, so a call per row is fast enough.
A record that exists with the same counts is "already present"; with other counts it is
replaced, keeping the referrals and early signals it had: those come in by their own kinds
(``verwijzingen``, ``signalen``: month_counts.py), once the month is there.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.services import activity_record_save
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.models import Concept

from ..fields import fields_for
from .base import MappedRow, OfferNames, RowOutcome, parse_fields

_COUNTS = {
    "bijeenkomsten": "meetings_held",
    "deelnemers_bereikt": "participants_reached",
    "nieuwe_deelnemers": "new_participants",
    "actieve_vrijwilligers": "active_volunteers",
    "uren_vrijwilligers": "volunteer_hours",
}
_FIELD_OF = {model: column for column, model in _COUNTS.items()} | {
    "offer": "aanbod_naam",
    "month": "maand",
}


class ActivityImporter:
    def __init__(
        self, *, organisation: Organisation, user: User | None, column_map: Mapping[str, str]
    ) -> None:
        self.organisation = organisation
        self.user = user if user is not None and user.is_authenticated else None
        self.specs = fields_for("activiteiten")
        self.offers = OfferNames(organisation)
        # Offers × months: small whatever the file's length.
        self.seen: dict[tuple[int, object], int] = {}

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        return [self._row(row) for row in rows]

    def _row(self, row: MappedRow) -> RowOutcome:
        outcome = RowOutcome()
        values = parse_fields(self.specs, row, outcome)
        offer = None
        if values["aanbod_naam"] is not None:
            offer = self.offers.get(values["aanbod_naam"])
            if offer is None:
                outcome.add("aanbod_naam", OfferNames.unknown_message(values["aanbod_naam"]))
        if outcome.problems or offer is None:
            return outcome
        month = values["maand"]
        if (offer.pk, month) in self.seen:
            outcome.add(
                "maand",
                _("Dit aanbod en deze maand staan ook in rij %(row)s.")
                % {"row": self.seen[(offer.pk, month)]},
            )
            return outcome
        counts: dict[str, Any] = {
            model: values[column] if values[column] is not None else 0
            for column, model in _COUNTS.items()
        }
        counts["volunteer_hours"] = Decimal(counts["volunteer_hours"])
        existing = (
            ActivityRecord.objects.filter(offer=offer, month=month)
            .prefetch_related("referrals__source", "early_signals__theme")
            .first()
        )
        if existing is not None and all(
            getattr(existing, model) == value for model, value in counts.items()
        ):
            self.seen[(offer.pk, month)] = row.number
            outcome.status = "present"
            return outcome
        kept: dict[str, dict[Concept, int | None]] = {
            ReferralDirection.IN: {},
            ReferralDirection.OUT: {},
        }
        signals: dict[Concept, int | None] = {}
        if existing is not None:
            for referral in existing.referrals.all():
                kept[referral.direction][referral.source] = referral.count
            signals = {signal.theme: signal.count for signal in existing.early_signals.all()}
        try:
            activity_record_save(
                organisation=self.organisation,
                offer=offer,
                month=month,
                recorded_by=self.user,
                referrals_in=kept[ReferralDirection.IN],
                referrals_out=kept[ReferralDirection.OUT],
                early_signals=signals,
                **counts,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    outcome.add(_FIELD_OF.get(name, ""), message)
            return outcome
        self.seen[(offer.pk, month)] = row.number
        outcome.status = "updated" if existing is not None else "created"
        return outcome

    def finish(self) -> None:
        pass
