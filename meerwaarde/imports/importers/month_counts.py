"""Referral and early-signal counts of an offer's month, one count per row, through
``activities.services.activity_record_save``: its rules on concepts and counts, the running
totals and the figures' stamp, exactly as when the month is entered by hand.

A row's natural key is offer, month, concept and (referrals) direction. The month itself
must exist first (import ``activiteiten``, or enter it): a count alone would make a month
without meetings count as reported. A count that is there already is "already present";
another count replaces it ("updated"), as the activity import replaces a month's counts;
counts the file does not name stay.

The changed counts of one month in a batch are saved in one call; when that call refuses,
each is saved on its own, so the service's message lands on the row it is about.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.activities.constants import REFERRAL_SCHEME, THEME_SCHEME, TotalsKind
from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.services import activity_record_save
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

from ..fields import ImportKind, fields_for
from ..models import ConceptMapping, normalise_name
from .base import MappedRow, OfferNames, RowOutcome, parse_fields

# A count's place in its month: (TotalsKind: "in", "out" or "signal", concept pk).
_Slot = tuple[str, int]
_SERVICE_ARGUMENTS: dict[str, str] = {
    TotalsKind.REFERRALS_IN: "referrals_in",
    TotalsKind.REFERRALS_OUT: "referrals_out",
    TotalsKind.EARLY_SIGNALS: "early_signals",
}


class ConceptNames:
    """The concepts of one scheme by code (any status: the service decides whether a concept
    that is no longer accepted may stay in a month), by the Dutch label of the accepted ones,
    and by the organisation's own names mapped to them (which win)."""

    def __init__(self, organisation: Organisation, scheme: str) -> None:
        self.by_name: dict[str, Concept] = {}
        concepts = Concept.objects.filter(scheme__code=scheme).select_related("scheme")
        for concept in concepts:
            self.by_name[normalise_name(concept.code)] = concept
        for concept in concepts:
            if concept.status == ConceptStatus.ACCEPTED:
                self.by_name.setdefault(normalise_name(concept.pref_label_nl), concept)
        mapped = ConceptMapping.objects.filter(
            organisation=organisation, scheme=scheme, concept__isnull=False
        ).select_related("concept__scheme")
        for mapping in mapped:
            if mapping.concept is not None:
                self.by_name[mapping.normalised_name] = mapping.concept

    def get(self, name: str) -> Concept | None:
        return self.by_name.get(normalise_name(name))


@dataclass
class _Count:
    index: int  # the row's place in its batch
    offer: Offer
    month: datetime.date
    slot: _Slot
    concept: Concept
    count: int


class _MonthCountImporter:
    kind: ClassVar[str]
    scheme: ClassVar[str]
    concept_field: ClassVar[str]

    def __init__(
        self, *, organisation: Organisation, user: User | None, column_map: Mapping[str, str]
    ) -> None:
        self.organisation = organisation
        self.user = user if user is not None and user.is_authenticated else None
        self.specs = fields_for(self.kind)
        self.offers = OfferNames(organisation)
        self.concepts = ConceptNames(organisation, self.scheme)
        # Offers × months × concepts: small whatever the file's length.
        self.seen: dict[tuple, int] = {}

    def _slot_kind(self, values: dict) -> str:
        raise NotImplementedError

    def _twice_message(self, row: int) -> str:
        raise NotImplementedError

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        outcomes = [RowOutcome() for _row in rows]
        by_month: dict[tuple[int, datetime.date], list[_Count]] = {}
        for index, row in enumerate(rows):
            count = self._check(index, row, outcomes[index])
            if count is not None:
                by_month.setdefault((count.offer.pk, count.month), []).append(count)
        if not by_month:
            return outcomes
        records = ActivityRecord.objects.filter(
            organisation=self.organisation,
            offer_id__in={offer_id for offer_id, _month in by_month},
            month__in={month for _offer_id, month in by_month},
        ).prefetch_related("referrals__source__scheme", "early_signals__theme__scheme")
        found = {(record.offer_id, record.month): record for record in records}
        for key, counts in by_month.items():
            record = found.get(key)
            if record is None:
                for count in counts:
                    outcomes[count.index].add(
                        "maand",
                        _(
                            "Deze maand van dit aanbod staat nog niet in Meerwaarde. Lees eerst "
                            "de activiteiten van de maand in, of vul de maand in Meerwaarde in."
                        ),
                    )
                continue
            self._month(record, counts, outcomes)
        return outcomes

    def _check(self, index: int, row: MappedRow, outcome: RowOutcome) -> _Count | None:
        values = parse_fields(self.specs, row, outcome)
        offer = concept = None
        if values["aanbod_naam"] is not None:
            offer = self.offers.get(values["aanbod_naam"])
            if offer is None:
                outcome.add("aanbod_naam", OfferNames.unknown_message(values["aanbod_naam"]))
        name = values[self.concept_field]
        if name is not None:
            concept = self.concepts.get(name)
            if concept is None:
                outcome.add(
                    self.concept_field,
                    _(
                        "‘%(name)s’ staat niet in de woordenlijst. Gebruik een code of naam uit "
                        "de woordenlijst, of koppel deze eigen naam eerst aan een begrip."
                    )
                    % {"name": name[:100]},
                )
        if outcome.problems or offer is None or concept is None:
            return None
        slot = (self._slot_kind(values), concept.pk)
        key = (offer.pk, values["maand"], *slot)
        if key in self.seen:
            outcome.add(self.concept_field, self._twice_message(self.seen[key]))
            return None
        self.seen[key] = row.number
        return _Count(index, offer, values["maand"], slot, concept, values["aantal"])

    def _month(
        self, record: ActivityRecord, counts: list[_Count], outcomes: list[RowOutcome]
    ) -> None:
        current: dict[_Slot, tuple[Concept, int]] = {
            (referral.direction, referral.source_id): (referral.source, referral.count)
            for referral in record.referrals.all()
        }
        current.update(
            {
                (TotalsKind.EARLY_SIGNALS, signal.theme_id): (signal.theme, signal.count)
                for signal in record.early_signals.all()
            }
        )
        changed = []
        for count in counts:
            if count.slot in current and current[count.slot][1] == count.count:
                outcomes[count.index].status = "present"
            else:
                changed.append(count)
        if not changed:
            return
        try:
            self._save(record, current, changed)
        except ValidationError:
            for count in changed:
                self._one(record, current, count, outcomes[count.index])
            return
        for count in changed:
            outcomes[count.index].status = "updated" if count.slot in current else "created"
            current[count.slot] = (count.concept, count.count)

    def _one(
        self,
        record: ActivityRecord,
        current: dict[_Slot, tuple[Concept, int]],
        count: _Count,
        outcome: RowOutcome,
    ) -> None:
        try:
            self._save(record, current, [count])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = {"offer": "aanbod_naam", "month": "maand"}.get(name, "")
                if name in _SERVICE_ARGUMENTS.values():
                    field = self.concept_field
                for message in messages:
                    outcome.add(field, message)
            return
        outcome.status = "updated" if count.slot in current else "created"
        current[count.slot] = (count.concept, count.count)

    def _save(
        self,
        record: ActivityRecord,
        current: dict[_Slot, tuple[Concept, int]],
        changed: list[_Count],
    ) -> None:
        """The month as it is, with the ``changed`` counts; raises the service's
        ValidationError (before it writes anything)."""
        merged = dict(current)
        merged.update({count.slot: (count.concept, count.count) for count in changed})
        by_argument: dict[str, dict[Concept, int | None]] = {
            argument: {} for argument in _SERVICE_ARGUMENTS.values()
        }
        for (kind, _pk), (concept, number) in merged.items():
            by_argument[_SERVICE_ARGUMENTS[kind]][concept] = number
        activity_record_save(
            organisation=self.organisation,
            offer=changed[0].offer,  # found by OfferNames, so no query per month
            month=record.month,
            recorded_by=self.user,
            meetings_held=record.meetings_held,
            participants_reached=record.participants_reached,
            new_participants=record.new_participants,
            active_volunteers=record.active_volunteers,
            volunteer_hours=record.volunteer_hours,
            referrals_in=by_argument["referrals_in"],
            referrals_out=by_argument["referrals_out"],
            early_signals=by_argument["early_signals"],
        )

    def finish(self) -> None:
        pass


class ReferralImporter(_MonthCountImporter):
    kind = ImportKind.REFERRALS
    scheme = REFERRAL_SCHEME
    concept_field = "verwijzer"

    def _slot_kind(self, values: dict) -> str:
        return values["richting"]  # ReferralDirection's values are TotalsKind's

    def _twice_message(self, row: int) -> str:
        return _(
            "Deze verwijzer staat voor dit aanbod, deze maand en deze richting ook in rij %(row)s."
        ) % {"row": row}


class SignalImporter(_MonthCountImporter):
    kind = ImportKind.SIGNALS
    scheme = THEME_SCHEME
    concept_field = "thema"

    def _slot_kind(self, values: dict) -> str:
        return TotalsKind.EARLY_SIGNALS

    def _twice_message(self, row: int) -> str:
        return _("Dit thema staat voor dit aanbod en deze maand ook in rij %(row)s.") % {"row": row}
