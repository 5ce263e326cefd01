"""Offers, one per row, through ``offers.services.offer_create`` (its checks and messages).

An offer whose name (or a local name mapped to it) the organisation already has is "already
present" and left as it is: the import adds offers, it does not edit them. Concepts are found
by their code, their Dutch label, or a local name the organisation mapped to them.
One location per offer, from ``plaats_geonameid`` or ``plaats``.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.offers.services import LocationInput, offer_create
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

from ..fields import fields_for
from ..models import ConceptMapping, normalise_name
from .base import MappedRow, OfferNames, RowOutcome, parse_fields

_SCHEMES = {
    "soort_interventie": "intervention_types",
    "themas": "themes",
    "doelgroepen": "target_groups",
}
_FIELD_OF = {
    "name": "aanbod_naam",
    "intervention_type": "soort_interventie",
    "description": "beschrijving",
    "themes": "themas",
    "target_groups": "doelgroepen",
    "locations": "plaats",
}


class OfferImporter:
    def __init__(
        self, *, organisation: Organisation, user: User | None, column_map: Mapping[str, str]
    ) -> None:
        self.organisation = organisation
        self.user = user if user is not None and user.is_authenticated else None
        self.specs = fields_for("aanbod")
        self.offers = OfferNames(organisation)
        self.concepts: dict[tuple[str, str], Concept] = {}
        for concept in Concept.objects.filter(
            scheme__code__in=_SCHEMES.values(), status=ConceptStatus.ACCEPTED
        ).select_related("scheme"):
            for name in (concept.code, concept.pref_label_nl):
                self.concepts.setdefault((concept.scheme.code, normalise_name(name)), concept)
        for mapping in ConceptMapping.objects.filter(
            organisation=organisation, scheme__in=_SCHEMES.values()
        ).select_related("concept"):
            if mapping.concept is not None:
                key = (mapping.scheme, mapping.normalised_name)
                self.concepts[key] = mapping.concept  # the organisation's own choice wins
        self.seen: dict[str, int] = {}

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        return [self._row(row) for row in rows]

    def _concept(self, field: str, name: str, outcome: RowOutcome) -> Concept | None:
        concept = self.concepts.get((_SCHEMES[field], normalise_name(name)))
        if concept is None:
            outcome.add(
                field,
                _(
                    "‘%(name)s’ staat niet in de woordenlijst. Gebruik een code of naam uit de "
                    "woordenlijst, of koppel deze eigen naam eerst aan een begrip."
                )
                % {"name": name[:100]},
            )
        return concept

    def _place(self, values: dict, outcome: RowOutcome) -> Place | None:
        if values.get("plaats_geonameid") is not None:
            place = Place.objects.filter(geonameid=values["plaats_geonameid"]).first()
            if place is None:
                outcome.add("plaats_geonameid", _("Onbekend GeoNames-nummer."))
            return place
        if values.get("plaats"):
            place = place_get_by_label(label=values["plaats"])
            if place is None:
                outcome.add(
                    "plaats", _("Onbekende plaats ‘%(name)s’.") % {"name": values["plaats"][:80]}
                )
            return place
        outcome.add("plaats", _("Vul de plaats of het GeoNames-nummer van de plaats in."))
        return None

    def _row(self, row: MappedRow) -> RowOutcome:
        outcome = RowOutcome()
        values = parse_fields(self.specs, row, outcome)
        name = values["aanbod_naam"]
        if name is not None:
            normalised = normalise_name(name)
            if normalised in self.seen:
                outcome.add(
                    "aanbod_naam",
                    _("Dit aanbod staat ook in rij %(row)s.") % {"row": self.seen[normalised]},
                )
                return outcome
            if self.offers.get(name) is not None:
                self.seen[normalised] = row.number
                outcome.status = "present"
                return outcome
        intervention_type = None
        if values["soort_interventie"] is not None:
            intervention_type = self._concept(
                "soort_interventie", values["soort_interventie"], outcome
            )
        lists = {
            field: [self._concept(field, item, outcome) for item in values[field] or []]
            for field in ("themas", "doelgroepen")
        }
        place = self._place(values, outcome)
        if outcome.problems or name is None or place is None:
            return outcome
        try:
            offer = offer_create(
                organisation=self.organisation,
                created_by=self.user,
                name=name,
                intervention_type=intervention_type,
                description=values["beschrijving"],
                themes=[c for c in lists["themas"] if c is not None],
                target_groups=[c for c in lists["doelgroepen"] if c is not None],
                locations=[LocationInput(place=place)],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    outcome.add(_FIELD_OF.get(field, ""), message)
            return outcome
        self.offers.add(offer)
        self.seen[normalise_name(name)] = row.number
        outcome.status = "created"
        return outcome

    def finish(self) -> None:
        pass
