"""A small sector for the tests (the ``sector`` fixture, and the browser test): three
organisations in three places of two provinces.

DJG-6 pairs per offer: Zwolle (organisation A, ouderen, eenzaamheid) 12, Deventer (B,
eenzaamheid) 3 — the small cell — and Assen (C, psychisch kwetsbaren) 11. The activity
records reach 40, 4 and 30 participants.
"""

import datetime
from dataclasses import dataclass

from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory

# (start, end) DJG-6 totals, repeated to the number of pairs.
PAIRS_A = [(5, 2), (6, 3), (5, 4), (4, 2)] * 3
PAIRS_B = [(5, 5), (6, 2), (4, 1)]
PAIRS_C = [(3, 2), (5, 3), (6, 6), (4, 3), (2, 1), (5, 1), (6, 4), (3, 3), (4, 4), (5, 2), (6, 1)]


def concept(scheme: str, code: str, label: str) -> Concept:
    return ConceptFactory(scheme=ConceptSchemeFactory(code=scheme), code=code, pref_label_nl=label)


@dataclass
class Sector:
    outcomes: Outcomes
    places: dict[str, Place]
    organisations: dict[str, Organisation]
    offers: dict[str, Offer]
    concepts: dict[str, Concept]


def make_sector(shipped_instruments, org_a: Organisation, org_b: Organisation) -> Sector:
    places = {
        "zwolle": PlaceFactory(name="Zwolle", geonameid=2743477, province=Province.OVERIJSSEL),
        "deventer": PlaceFactory(name="Deventer", geonameid=2757345, province=Province.OVERIJSSEL),
        "assen": PlaceFactory(name="Assen", geonameid=2759633, province=Province.DRENTHE),
    }
    org_a.place = places["zwolle"]
    org_a.save()
    org_b.place = places["deventer"]
    org_b.save()
    org_c = OrganisationFactory(name="Welzijn Gamma", slug="welzijn-gamma", place=places["assen"])
    concepts = {
        "maatjes": concept("intervention_types", "interventie-maatjesproject", "Maatjesproject"),
        "ggz": concept("intervention_types", "interventie-herstelgroep", "Herstelgroep"),
        "eenzaamheid": concept("themes", "thema-eenzaamheid", "Eenzaamheid"),
        "ouderen": concept("target_groups", "doelgroep-ouderen", "Ouderen"),
        "psychisch": concept(
            "target_groups", "doelgroep-psychisch-kwetsbaren", "Psychisch kwetsbaren"
        ),
    }
    outcomes = Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=datetime.date.today()
    )
    offers = {
        "a": outcomes.offer(
            org_a,
            name="Maatjes voor ouderen",
            intervention_type=concepts["maatjes"],
            themes=[concepts["eenzaamheid"]],
            target_groups=[concepts["ouderen"]],
        ),
        "b": outcomes.offer(
            org_b,
            name="Maatjes Deventer",
            intervention_type=concepts["maatjes"],
            themes=[concepts["eenzaamheid"]],
        ),
        "c": outcomes.offer(
            org_c,
            name="Herstelgroep Assen",
            intervention_type=concepts["ggz"],
            target_groups=[concepts["psychisch"]],
        ),
    }
    for key, pairs, reached in (("a", PAIRS_A, 40), ("b", PAIRS_B, 4), ("c", PAIRS_C, 30)):
        for start, end in pairs:
            outcomes.loneliness(offers[key], start, end)
        ActivityRecordFactory(
            offer=offers[key],
            month=outcomes.day(1).replace(day=1),
            participants_reached=reached,
            new_participants=min(reached, 5),
        )
    return Sector(
        outcomes=outcomes,
        places=places,
        organisations={"a": org_a, "b": org_b, "c": org_c},
        offers=offers,
        concepts=concepts,
    )
